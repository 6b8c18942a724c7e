"""The frames of the slide-ready charts, on the tiny dataset (tests/conftest.py) and, where it has
no such figures (cumulative FDI, sector shares, investors, enterprise plans), on rows written here.

FDI: 3,037 million USD in 10 months 2023 (plan 2,000, 151.85%, 001), 3,500 in year 2023 (no plan,
175%, an estimate, 003), 2,869 in 11 months 2024 (plan 2,000, 143.5%, 002). Occupancy: A 71.4%
(reported), B 25% (demo), C none; city 63.25%. Berth 1 operates since 2018, no day known (001);
berth 2 under construction from 2022-01-01 (001), operating from 2025-04-05 (news).
"""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.charts import (
    berth_events,
    berth_spans,
    city_points,
    cumulative_bars,
    enterprise_bars,
    flow_bars,
    investor_bars,
    occupancy_bars,
    occupancy_points,
    occupancy_sources,
    reference_rules,
    sector_bars,
    source_refs,
)
from heza_geo.analysis.investment import cumulative, enterprise_against_plan, flows
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.sources import provenance
from heza_geo.analysis.tables import occupancy_rows
from heza_geo.schema import Provenance

REPORT_001 = "001_7f014fdbc8afe3e1.txt"


def figures(*rows: tuple) -> pd.DataFrame:
    """Rows of the investment/enterprise tables: (period, period_end, metric, value, unit, plan, pct_of_plan)."""
    frame = pd.DataFrame(rows, columns=["period", "period_end", "metric", "value", "unit", "plan", "pct_of_plan"])
    return frame.assign(period_end=pd.to_datetime(frame["period_end"]), basis="reported", note=None,
                        source_kind="report", source=REPORT_001)


def test_flow_bars_label_each_period_with_value_and_share_of_plan_and_mark_the_chosen_one(tiny_shared):
    bars = flow_bars(flows(tiny_shared.investment), "fdi", "year 2023", "vi")
    assert list(bars["period_text"]) == ["10 tháng năm 2023", "Năm 2023", "11 tháng năm 2024"]
    assert list(bars["label"]) == ["3.037 (151,85%)", "3.500 (175%)", "2.869 (143,5%)"]
    assert list(bars["plan_text"]) == ["2.000 triệu USD", i18n.MISSING, "2.000 triệu USD"]
    assert list(bars["chosen"]) == [False, True, False]
    assert bars["source_text"].iloc[1] == provenance(Provenance("report", "003_c29c595c5ac2d704.txt"), "vi", None,
                                                     "estimate")


def test_a_flow_without_figures_has_no_bars(tiny_shared):
    assert flow_bars(flows(tiny_shared.investment), "ddi", "year 2023", "en").empty


def test_cumulative_bars_carry_the_capital_and_the_projects_of_the_same_period():
    rows = figures(("2022", "2022-12-31", "fdi_cumulative_musd", 20000.0, "million USD", None, None),
                   ("2022", "2022-12-31", "fdi_cumulative_projects", 900.0, "projects", None, None),
                   ("2023", "2023-12-31", "fdi_cumulative_musd", 23000.0, "million USD", None, None))
    bars = cumulative_bars(cumulative(rows), "fdi", "en")
    assert list(bars["capital_text"]) == ["20,000", "23,000"]
    assert list(bars["projects_text"]) == [i18n.t("investment.projects_n", "en", n="900"),
                                           i18n.t("investment.projects_n", "en", n=i18n.MISSING)]
    assert list(bars["date_text"]) == ["31 Dec 2022", "31 Dec 2023"]
    assert cumulative_bars(cumulative(rows), "ddi", "en").empty


def test_sector_bars_name_the_sector_and_round_its_share():
    parts = pd.DataFrame({"metric": ["sector_share_electronics_pct"], "value": [41.6]})
    bars = sector_bars(parts, "vi")
    assert bars.loc[0, "label"] == "42%"
    assert bars.loc[0, "sector"] == i18n.label("metric", "sector_share_electronics_pct", "vi")


def test_investor_bars_keep_those_with_an_amount_named_in_the_readers_data_language():
    investors = pd.DataFrame({"name_vi": ["Công ty A", "Công ty B"], "name_en": ["A Co.", "B Co."],
                              "kind": ["new_project", "capital_increase"], "amount_musd": [1000.0, None],
                              "source_kind": ["report"] * 2, "source": [REPORT_001, REPORT_001]})
    bars = investor_bars(investors, "ja")
    assert list(bars["name"]) == ["A Co."]
    assert list(bars["label"]) == [i18n.fmt_money(1000.0, "million USD", "ja")]
    assert list(bars["kind_text"]) == [i18n.label("investor_kind", "new_project", "ja")]


def test_enterprise_bars_keep_the_indicators_with_a_share_of_plan(tiny_shared):
    rows = figures(("2023", "2023-12-31", "export_musd", 24000.0, "million USD", 25000.0, None))
    bars = enterprise_bars(enterprise_against_plan(pd.concat([tiny_shared.enterprise, rows])), "en")
    assert list(bars["metric"]) == ["export_musd"]  # workers has no plan
    assert (bars.iloc[0]["label"], bars.iloc[0]["value_text"], bars.iloc[0]["plan_text"]) == (
        "96%", "24,000 million USD", "25,000 million USD")


def test_occupancy_bars_give_every_park_a_class_and_a_park_without_figure_a_zero_bar(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    bars, pairs = occupancy_bars(table, "occupancy", "en")
    assert list(bars["park"]) == ["Anh Duong IP", "Binh Minh IP", "New Cat Hai IP"]
    assert list(bars["pct"]) == [71.4, 25.0, 0.0]
    assert list(bars["pct_text"]) == ["71.4%", "25.0%", i18n.t("occupancy.no_figure", "en")]
    assert list(bars["label"]) == ["71.4%", "25.0%", "—"]
    assert bars["colour_class"].iloc[2] == i18n.t("legend.no_data", "en")
    assert {name for name, _ in pairs} == set(bars["colour_class"])  # the legend lists the classes drawn
    stage_bars, _ = occupancy_bars(table, "stage", "en")
    assert stage_bars["colour_class"].iloc[2] == i18n.label("stage", "planned", "en")


def test_reference_rules_say_what_each_line_is_with_its_figure_date_and_source(tiny_shared):
    rules = reference_rules(tiny_shared.occupancy_history, "en")
    assert list(rules["kind"]) == ["city_average", "threshold"]
    assert rules["text"].iloc[0] == i18n.t(
        "occupancy.ref_line_label", "en", what=i18n.t("occupancy.ref_city_average", "en"), pct="63.25%",
        date="14 Oct 2023", source="001", basis=i18n.label("basis", "reported", "en"))
    assert i18n.t("occupancy.decree", "en") in rules["text"].iloc[1]  # the rule has no date
    assert "002" in rules["text"].iloc[1]  # report 002 quotes the decree


def test_the_occupancy_subtitle_says_where_the_figures_shown_come_from(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    assert occupancy_sources(table, "en") == [
        i18n.t("occupancy.source_group", "en", source="HEZA report 001", dates="Oct 2023", n=1),
        i18n.t("occupancy.source_group_demo", "en", source="Synthetic demo", n=1),
        i18n.t("occupancy.source_group_none", "en", n=1)]


def test_after_a_staff_member_adds_a_news_figure_the_subtitle_names_news_and_its_date(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    table.loc[1, ["occupancy_pct", "occupancy_as_of", "occupancy_as_of_precision", "occupancy_basis",
                  "occupancy_source_kind", "occupancy_source"]] = [
        40.0, pd.Timestamp("2025-04-05"), "day", "reported", "news", "vnexpress.net 05/04/2025"]
    assert occupancy_sources(table, "en") == [
        i18n.t("occupancy.source_group", "en", source="HEZA report 001", dates="Oct 2023", n=1),
        i18n.t("occupancy.source_group", "en", source="Public news", dates="Apr 2025", n=1),
        i18n.t("occupancy.source_group_none", "en", n=1)]  # B's demo figure is replaced: no demo bar
    assert "Thông tin báo chí (tháng 4/2025): 1 KCN" in occupancy_sources(table, "vi")


def test_the_subtitle_gives_a_span_of_dates_no_more_precise_than_they_are_known(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    table.loc[1, ["occupancy_pct", "occupancy_as_of", "occupancy_as_of_precision", "occupancy_basis",
                  "occupancy_source_kind", "occupancy_source"]] = [
        99.0, pd.Timestamp("2025-01-01"), "year", "reported", "news", "vietnam.vn 2025"]
    table.loc[2, ["occupancy_pct", "occupancy_as_of", "occupancy_as_of_precision", "occupancy_basis",
                  "occupancy_source_kind", "occupancy_source"]] = [
        87.9, pd.Timestamp("2021-10-29"), "day", "reported", "news", "nso.com.vn 29/10/2021"]
    assert occupancy_sources(table, "en")[1] == i18n.t(
        "occupancy.source_group", "en", source="Public news", dates="Oct 2021 – 2025", n=2)


def test_only_the_threshold_and_the_latest_city_average_are_named_at_the_charts_edge(tiny_shared):
    history = tiny_shared.occupancy_history
    later = history[history["scope"] == "city"].assign(as_of=pd.Timestamp("2025-01-22"), occupancy_pct=64.3)
    rules = reference_rules(pd.concat([history, later], ignore_index=True), "en")
    assert list(rules["kind"]) == ["city_average", "city_average", "threshold"]
    assert list(rules["current"]) == [False, True, True]
    assert list(rules["edge_text"][rules["current"]]) == [
        i18n.t("occupancy.ref_edge_city_average", "en", pct="64.3%"),
        i18n.t("occupancy.ref_edge_threshold", "en", pct="60%")]


def test_an_approximate_occupancy_citing_a_report_is_badged_approximate_on_the_bars(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    table.loc[0, ["occupancy_source_kind", "occupancy_source"]] = [
        "approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)"]
    bars, _ = occupancy_bars(table, "occupancy", "en")
    assert bars["source_text"].iloc[0] == i18n.badge("approximate", "en")


def test_occupancy_points_name_the_park_and_mark_demo_figures(tiny_shared):
    points = occupancy_points(tiny_shared.occupancy_history, ["A"], {"A": "Ánh Dương"}, "vi")
    assert list(points["park"]) == ["Ánh Dương", "Ánh Dương"]
    assert list(points["pct_text"]) == ["60,0%", "71,4%"]
    assert list(points["is_demo"]) == [True, False]
    assert occupancy_points(tiny_shared.occupancy_history, ["C"], {}, "vi").empty


def test_city_points_are_the_city_average_figures(tiny_shared):
    city = city_points(tiny_shared.occupancy_history, "en")
    assert list(city["pct_text"]) == ["63.25%"]
    assert list(city["what"]) == [i18n.t("occupancy.ref_city_average", "en")]


def test_berth_events_tell_the_report_from_the_news(tiny_shared):
    events = berth_events(tiny_shared.berth_status_history, "en")
    assert list(events["berth"]) == ["Berth 1", "Berth 2", "Berth 2"]
    assert list(events["provenance_text"]) == [i18n.label("provenance", "report", "en")] * 2 + [
        i18n.label("provenance", "news", "en")]
    assert list(events["expected_text"]) == [i18n.MISSING, "end-2024", i18n.MISSING]
    assert list(events["date_text"]) == ["2018", "1 Jan 2022", "5 Apr 2025"]
    assert events["source_text"].iloc[-1] == provenance(Provenance("news", "example.vn 05/04/2025"), "en")


def test_a_berth_known_to_operate_since_2018_is_dated_2018_never_a_day(tiny_shared):
    """Berth 1 of the fixture: "operating since 2018" (precision year); no source gives a day."""
    for lang, year in (("en", "2018"), ("vi", "năm 2018")):
        events = berth_events(tiny_shared.berth_status_history, lang)
        assert events["date_text"].iloc[0] == year == i18n.fmt_date("2018", lang)
        assert not any("01/01/2018" in text or "1 Jan 2018" in text for text in events["date_text"])


def test_berth_spans_run_to_the_next_record_or_the_end_of_2030(tiny_shared):
    spans = berth_spans(berth_events(tiny_shared.berth_status_history, "en"))
    assert [(b, str(u.date())) for b, u in zip(spans["berth_no"], spans["until"], strict=True)] == [
        (1, "2030-12-31"), (2, "2025-04-05"), (2, "2030-12-31")]


@pytest.mark.parametrize(("kinds", "sources", "expected"), [
    (["report"] * 3, ["003_c29c595c5ac2d704.txt", REPORT_001, REPORT_001], "003, 001"),
    (["news", "synthetic demo"], ["example.vn 05/04/2025", None], "example.vn 05/04/2025"),
    (["approximate"], ["share of the 6,100 ha total (002_03c113ee68876e37.txt)"],
     # a method, not report 002; the report file it cites named as a reader names the report
     "share of the 6,100 ha total (HEZA report of Nov 2024 (2024 international integration))"),
])
def test_source_refs_name_each_source_once_in_order(kinds, sources, expected):
    assert source_refs(pd.DataFrame({"source_kind": kinds, "source": sources}), "en") == expected
