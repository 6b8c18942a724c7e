"""The pages' tables on the tiny dataset (tests/conftest.py).

Occupancy: A 71.4% (reported, 001), 70 ha leasable from its plots; B 25% (demo); C planned, no
plots, no figure. Berths at the end of 2024: 1 operating since 2018, no day known (001), 2 under
construction since 2022-01-01 (001, expected end-2024). Parks within 6 km of berth 1: A (5 km)
and C (√(5.5² + 2²) = 5.85 km).
"""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.charts import berth_events
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.port import NOT_YET_PLANNED, berth_status_text, parks_within, status_as_of_year
from heza_geo.analysis.sources import provenance
from heza_geo.analysis.tables import (
    OCCUPANCY_NUMBERS,
    berth_headers,
    berths_shown,
    enterprise_table,
    events_table,
    investors_table,
    occupancy_headers,
    occupancy_rows,
    occupancy_shown,
    parks_near_table,
)
from heza_geo.schema import Provenance
from heza_geo.styling import BERTH_STATUS_COLOURS

REPORT_001 = "001_7f014fdbc8afe3e1.txt"
R001 = Provenance("report", REPORT_001)


@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def test_occupancy_rows_name_each_park_in_the_readers_language(overview):
    assert list(occupancy_rows(overview, "vi")["park"]) == ["KCN Ánh Dương", "KCN Bình Minh", "KCN Cát Hải Mới"]
    assert list(occupancy_rows(overview, "zh")["park"]) == ["Anh Duong IP", "Binh Minh IP", "New Cat Hai IP"]


def test_the_occupancy_table_keeps_numbers_sortable_and_shows_missing_ones_as_dashes(overview):
    styled = occupancy_shown(occupancy_rows(overview, "vi"), "vi")
    frame = styled.data
    assert list(frame.columns) == list(occupancy_headers("vi"))
    assert frame[list(OCCUPANCY_NUMBERS)].notna().all().all()  # missing figures are kept as 0 to sort
    assert frame.loc[2, "occupancy_pct"] == 0.0
    shown = [line.split("|") for line in styled.hide(axis="index").to_string(delimiter="|").splitlines()[1:]]
    column = list(frame.columns).index
    assert (shown[0][column("occupancy_pct")], shown[0][column("leasable_ha")]) == ("71,4%", "70,0")
    assert shown[2][column("occupancy_pct")] == shown[2][column("leasable_ha")] == i18n.MISSING
    assert frame.loc[0, "source"] == provenance(R001, "vi")
    assert frame.loc[2, "source"] == i18n.MISSING
    assert frame.loc[0, "area_source"] == i18n.badge("approximate", "vi")


def test_an_approximate_area_citing_a_report_is_badged_approximate_in_the_occupancy_table(overview):
    rows = occupancy_rows(overview, "en")
    rows.loc[0, ["area_source_kind", "area_source"]] = [
        "approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)"]
    frame = occupancy_shown(rows, "en").data
    assert frame.loc[0, "area_source"] == i18n.badge("approximate", "en")
    assert i18n.badge("report", "en") not in frame.loc[0, "area_source"]


def test_an_occupancy_figure_with_no_source_says_so_rather_than_a_dash(overview):
    rows = occupancy_rows(overview, "en")
    rows.loc[0, ["occupancy_source_kind", "occupancy_source"]] = [None, None]
    assert occupancy_shown(rows, "en").data.loc[0, "source"] == i18n.badge("none", "en")


def test_the_occupancy_table_puts_each_parks_occupancy_its_date_and_source_right_after_its_name(overview):
    # issue 15: at 1440 px the occupancy was the ninth column, off-screen behind stage, region, district, areas
    shown = occupancy_shown(occupancy_rows(overview, "en"), "en").data
    assert list(shown.columns[:5]) == ["park", "occupancy_pct", "as_of", "basis", "source"]
    assert list(occupancy_headers("en")) == list(shown.columns)  # the headers follow the same order


def test_occupancy_headers_say_which_land_figures_are_demo():
    headers = occupancy_headers("en")
    demo = i18n.t("occupancy.demo_short", "en")
    assert {k for k, v in headers.items() if v.endswith(f" · {demo}")} == {
        "leasable_ha", "leased_ha", "available_ha", "plots_occupancy_pct"}


def test_the_berth_table_tints_each_status_with_its_map_colour(tiny_shared):
    status = status_as_of_year(tiny_shared.berths, tiny_shared.berth_status_history, 2024)
    styled = berths_shown(status, "en")
    frame = styled.data
    assert list(frame.columns) == list(berth_headers("en"))
    assert list(frame["status"]) == [berth_status_text(s, "en") for s in ("operating", "under_construction")]
    assert list(frame["since"]) == ["2018", "1 Jan 2022"]
    assert list(frame["expected"]) == [i18n.MISSING, "end-2024"]
    assert f"background-color: {BERTH_STATUS_COLOURS['operating']}33" in styled.to_html()


@pytest.mark.parametrize(("lang", "year"), [("en", "2018"), ("vi", "năm 2018")])
def test_berth_1_operates_since_2018_and_no_day_is_made_up(tiny_shared, lang, year):
    status = status_as_of_year(tiny_shared.berths, tiny_shared.berth_status_history, 2024)
    frame = berths_shown(status, lang).data
    assert frame.loc[0, "since"] == frame.loc[0, "operating_since"] == year
    assert frame.loc[0, "source"] == provenance(R001, lang)  # the date of the record is not repeated
    events = events_table(berth_events(tiny_shared.berth_status_history, lang), lang)
    assert events.iloc[0, 0] == year


def test_a_berth_without_a_record_reads_not_yet_planned(tiny_shared):
    status = status_as_of_year(tiny_shared.berths, tiny_shared.berth_status_history, 2020)  # berth 2: no record
    frame = berths_shown(status, "vi").data
    assert frame.loc[1, "status"] == berth_status_text(NOT_YET_PLANNED, "vi") == i18n.t("port.not_yet_planned", "vi")
    assert frame.loc[1, "source"] == i18n.MISSING
    assert berth_status_text(None, "en") == berth_status_text(NOT_YET_PLANNED, "en")


def test_parks_near_the_port_are_listed_nearest_first_with_their_nearest_berth(tiny_shared, overview):
    status = status_as_of_year(tiny_shared.berths, tiny_shared.berth_status_history, 2024)
    table = parks_near_table(parks_within(overview, status, 6.0), "en")
    assert table.iloc[:, 0].tolist() == ["Anh Duong IP", "New Cat Hai IP"]
    assert table.iloc[:, 1].tolist() == ["5.0 km", "5.9 km"]
    assert table.iloc[:, 2].tolist() == [i18n.t("popup.berth_no", "en", n=1)] * 2
    assert table.iloc[:, -1].tolist() == [provenance(R001, "en", "2023-10-14", "reported"), i18n.MISSING]


def test_the_events_table_lists_each_record_with_its_provenance(tiny_shared):
    table = events_table(berth_events(tiny_shared.berth_status_history, "en"), "en")
    assert table.iloc[:, 1].tolist() == [1, 2, 2]
    assert table.iloc[-1, -1] == provenance(Provenance("news", "example.vn 05/04/2025"), "en")


def test_investors_are_listed_with_their_park_by_name_and_a_dash_where_none(tiny_shared):
    investors = pd.DataFrame({"name_vi": ["Công ty A", "Công ty B"], "name_en": ["A Co.", "B Co."],
                              "country": ["KR", None], "kind": ["new_project", "certificates"],
                              "amount_musd": [1000.0, None], "period": ["year 2023", "11 months 2024"],
                              "park_id": ["A", None], "note": [None, "a note"], "source_kind": ["report"] * 2,
                              "source": [REPORT_001] * 2})
    table = investors_table(investors, tiny_shared.parks, "vi")
    assert table.iloc[:, 0].tolist() == ["Công ty A", "Công ty B"]
    assert table.iloc[:, 3].tolist() == ["1.000 triệu USD", i18n.MISSING]
    assert table.iloc[:, 4].tolist() == ["Năm 2023", "11 tháng năm 2024"]
    assert table.iloc[:, 5].tolist() == ["KCN Ánh Dương", i18n.MISSING]
    assert table.iloc[:, -1].tolist() == ["", i18n.t("text.in_english", "vi", text="a note")]  # the data's English


def test_enterprise_figures_count_workers_and_price_the_rest(tiny_shared):
    table = enterprise_table(tiny_shared.enterprise.assign(plan=200000.0, pct_of_plan=90.4), "en")
    assert table.iloc[0, 2] == "180,753"  # people: a count, not money
    assert table.iloc[0, 4] == "90.4%"
    assert table.iloc[0, 5] == i18n.label("basis", "estimate", "en")
