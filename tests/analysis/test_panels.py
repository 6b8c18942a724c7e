"""The rows of the park panel, the investment headline and the land finder's results, on the tiny
dataset (tests/conftest.py).

Park A: stage ``full`` (001), 100 ha declared, 71.4% reported (001, 14/10/2023) after a demo 60%
(31/12/2022); plots A-1 … A-5 (leased 30 + 20, available 10, reserved 10, infrastructure 10);
5 km from berth 1 and 2 km from the airport, 0.5 km from the worker housing H1. FDI of
10 months 2023: 3,037 million USD against a plan of 2,000 (151.85%, 001); no DDI.
"""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.land_finder import Needs, candidate_sites, rank
from heza_geo.analysis.panels import (
    CLOSEST,
    PLOT_GROUP_ORDER,
    finder_results,
    finder_sources,
    flow_headline,
    nearby_table,
    nearest,
    park_facts,
    park_history,
    park_plots,
    plot_groups,
)
from heza_geo.analysis.sources import dated_provenance, provenance
from heza_geo.schema import PLOT_STATUS, Provenance

REPORT_001 = "001_7f014fdbc8afe3e1.txt"
R001 = Provenance("report", REPORT_001)


@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def test_a_parks_facts_give_each_figure_with_where_it_comes_from(overview):
    facts = park_facts(overview.set_index("park_id", drop=False).loc["A"], "en")
    assert list(facts.columns) == [i18n.t("detail.figure", "en"), i18n.t("detail.value", "en"),
                                   i18n.t("detail.source", "en")]
    demo = i18n.badge("synthetic demo", "en")
    assert facts.iloc[:, 1:].to_numpy().tolist() == [
        [i18n.label("stage", "full", "en"), i18n.badge("report", "en")],
        ["100.00 ha", i18n.badge("approximate", "en")],
        [i18n.label("province", "Hải Phòng", "en"), ""], ["D1", ""],  # region (east) and former district
        ["71.4%", dated_provenance("2023-10-14", R001, None, "en")],
        ["50.00 ha", demo], ["10.00 ha", demo],
        ["Dev A", ""], ["5.0 km", ""], ["2.0 km", ""],
    ]


def test_a_park_without_a_developer_shows_a_dash(overview):
    facts = park_facts(overview.set_index("park_id", drop=False).loc["A"].copy().replace({"Dev A": None}), "vi")
    developer = facts[facts.iloc[:, 0] == i18n.t("popup.developer", "vi")]
    assert developer.iloc[0, 1] == i18n.MISSING


def test_a_park_with_no_source_for_a_figure_shows_its_panel_with_a_plain_badge(overview):
    """A staff import may leave ``stage_source`` empty; the panel used to raise on the NaN."""
    row = overview.iloc[0].copy()
    row["stage_source_kind"], row["stage_source"] = float("nan"), float("nan")
    facts = park_facts(row, "en")
    assert facts.iloc[0, 2] == i18n.badge(None, "en") == i18n.badge("none", "en")


def test_an_approximate_area_citing_a_report_is_badged_approximate_in_the_panel(overview):
    row = overview.set_index("park_id", drop=False).loc["A"].copy()
    row["area_source_kind"] = "approximate"
    row["area_source"] = "share of the 6,100 ha total (002_03c113ee68876e37.txt)"
    area = park_facts(row, "en").iloc[1, 2]
    assert area == i18n.badge("approximate", "en") != i18n.badge("report", "en")


def test_land_not_yet_handed_over_has_its_own_line_and_is_not_available(tiny_data, overview):
    from dataclasses import replace

    plots = tiny_data.plots.copy()
    plots.loc[plots["plot_id"] == "A-3", "status"] = "not_handed_over"
    row = parks_overview(replace(tiny_data, plots=plots)).set_index("park_id", drop=False).loc["A"]
    facts = park_facts(row, "en").set_index(i18n.t("detail.figure", "en"))
    not_handed_over = i18n.label("plot_status", "not_handed_over", "en")
    assert facts.loc[i18n.t("popup.available", "en")].iloc[0] == "0.00 ha"
    assert facts.loc[not_handed_over].tolist() == ["10.00 ha", i18n.badge("synthetic demo", "en")]
    untouched = park_facts(overview.set_index("park_id", drop=False).loc["A"], "en")
    assert not_handed_over not in set(untouched.iloc[:, 0])  # a park with none: no such line


def test_a_parks_history_is_its_own_figures_with_the_basis_in_words(tiny_shared):
    history = park_history(tiny_shared.occupancy_history, "A", "vi")
    assert list(history["occupancy_pct"]) == [60.0, 71.4]
    assert list(history["basis_label"]) == [i18n.label("basis", "synthetic demo", "vi"),
                                            i18n.label("basis", "reported", "vi")]
    assert park_history(tiny_shared.occupancy_history, "C", "vi").empty


def test_a_parks_plots_are_listed_with_status_sector_and_a_blank_tenant_where_none(tiny_shared):
    plots = park_plots(tiny_shared.plots, "A", "en")
    assert plots.iloc[:, 0].tolist() == ["A-1", "A-2", "A-3", "A-4", "A-5"]
    assert plots.iloc[:, 2].tolist() == [30.0, 20.0, 10.0, 10.0, 10.0]
    assert plots.iloc[0, 1] == i18n.label("plot_status", "leased", "en")
    assert plots.iloc[:, 4].tolist() == ["Demo 1", "Demo 2", "", "", ""]
    assert park_plots(tiny_shared.plots, "C", "en").empty


def test_a_parks_plots_are_grouped_by_status_free_land_first_each_with_its_count_and_area(tiny_shared):
    # park A: A-1 leased 30 ha, A-2 leased 20 ha, A-3 available 10 ha, A-4 reserved 10 ha, A-5 infrastructure 10 ha
    groups = plot_groups(tiny_shared.plots, "A", "en")
    assert [g.status for g in groups] == ["available", "reserved", "leased", "infrastructure"]
    assert groups[0].title == "Available (1) · 10.0 ha"  # as "Plots (5)" above them
    assert groups[2].title == "Leased (2) · 50.0 ha"
    assert groups[2].table.iloc[:, 0].tolist() == ["A-1", "A-2"]
    assert i18n.t("popup.status", "en") not in groups[2].table.columns  # the group says it
    assert plot_groups(tiny_shared.plots, "A", "vi")[2].title == "Đã cho thuê (2) · 50,0 ha"
    assert plot_groups(tiny_shared.plots, "C", "en") == []


def test_every_plot_status_has_its_place_among_a_parks_plot_groups():
    assert sorted(PLOT_GROUP_ORDER) == sorted(PLOT_STATUS)


def test_nearby_features_are_named_and_measured_from_the_parks_edge(tiny_shared, overview):
    park = overview[overview["park_id"] == "A"]
    housing = nearby_table(nearest(tiny_shared.housing, park), "housing_kind", "vi")
    assert housing.to_numpy().tolist() == [["Nhà ở công nhân", i18n.label("housing_kind", "worker_housing", "vi"), 0.5]]
    airport = nearby_table(nearest(tiny_shared.connectivity, park), "connectivity_kind", "en")
    assert airport.to_numpy().tolist() == [["Airport", i18n.label("connectivity_kind", "airport", "en"), 2.0]]


def test_nearest_keeps_the_closest_first_and_at_most_n(tiny_shared, overview):
    three = pd.concat([tiny_shared.connectivity] * 3, ignore_index=True)
    three.loc[1, "geometry"] = overview.set_index("park_id").loc["B", "geometry"].centroid  # inside B: 2 km west of A
    near = nearest(three, overview[overview["park_id"] == "A"], n=2)
    assert len(near) == 2 and list(near["km"]) == pytest.approx([2.0, 2.0])


def test_nearest_within_a_radius_keeps_every_one_inside_it_and_none_outside(tiny_shared, overview):
    """Housing nearby: all within the radius (compare's count), however many; none if all are farther."""
    park = overview[overview["park_id"] == "A"]
    inside_b = overview.set_index("park_id").loc["B", "geometry"].centroid  # 2.5 km from A's boundary
    many = pd.concat([tiny_shared.connectivity] * 7, ignore_index=True)
    many = many.set_geometry([inside_b] * len(many), crs=tiny_shared.connectivity.crs)
    assert len(nearest(many, park, within_km=3.0)) == 7  # not capped at the few nearest
    assert nearest(many, park, within_km=2.0).empty


def test_a_flows_headline_is_its_total_against_plan_with_its_provenance(tiny_shared):
    headline = flow_headline(tiny_shared.investment, "10 months 2023", "fdi", "en")
    assert (headline.value, headline.pct_of_plan, headline.plan) == ("3,037 million USD", "151.85%",
                                                                     "2,000 million USD")
    assert headline.provenance == provenance(R001, "en", "2023-10-14", "reported")
    assert headline.parts is None  # the tiny data gives no new projects, increases or share purchases


def test_a_headline_without_a_plan_says_so_and_a_period_without_the_flow_has_none(tiny_shared):
    investment = tiny_shared.investment.assign(pct_of_plan=None, plan=None)
    headline = flow_headline(investment, "year 2023", "fdi", "vi")
    assert (headline.value, headline.pct_of_plan, headline.plan) == ("3.500 triệu USD", None, i18n.MISSING)
    assert flow_headline(tiny_shared.investment, "10 months 2023", "ddi", "en") is None


def test_a_headline_lists_its_parts_in_report_order_projects_as_counts(tiny_shared):
    parts = pd.DataFrame({
        "period": ["10 months 2023"] * 2, "period_end": pd.to_datetime(["2023-10-14"] * 2),
        "metric": ["fdi_new_capital_musd", "fdi_new_projects"], "value": [1200.0, 45.0],
        "unit": ["million USD", "projects"], "plan": [None, None], "pct_of_plan": [None, None],
        "basis": ["reported"] * 2, "note": [None] * 2, "source_kind": ["report"] * 2, "source": [REPORT_001] * 2})
    investment = pd.concat([tiny_shared.investment, parts], ignore_index=True)
    table = flow_headline(investment, "10 months 2023", "fdi", "en").parts
    assert table.iloc[:, 0].tolist() == [i18n.label("metric", "fdi_new_projects", "en"),
                                         i18n.label("metric", "fdi_new_capital_musd", "en")]
    assert table.iloc[:, 1].tolist() == ["45", "1,200 million USD"]
    assert table.iloc[:, 2].tolist() == [provenance(R001, "en")] * 2


def test_the_finder_lists_the_parks_that_fit_and_their_sites(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(area_ha=12.0), "en")  # only B has 15 ha in one plot
    results = finder_results(ranked, candidate_sites(tiny_shared.plots, 12.0))
    assert list(results.fits["park_id"]) == list(results.kept["park_id"]) == list(results.shown["park_id"]) == ["B"]
    assert list(results.sites["park_id"]) == ["B"]
    assert results.to_confirm.empty
    assert list(results.dropped["park_id"]) == ["A", "C"]  # issue 17: the "others" are the dropped, with reasons


def test_when_no_park_fits_the_finder_shows_the_closest_ones_and_no_site(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(area_ha=500.0), "en")
    results = finder_results(ranked, candidate_sites(tiny_shared.plots, 500.0))
    assert results.fits.empty and results.to_confirm.empty and results.sites.empty
    assert list(results.shown["park_id"]) == list(ranked["park_id"].head(CLOSEST))
    assert len(results.dropped) == 3  # three parks, all dropped, all listed with their reasons


def test_the_finders_reasons_name_the_date_and_badge_of_each_passport_group_they_read(tiny_shared):
    """Park A's land is synthetic demo (2025), its utilities public news (example.vn 05/04/2025): a budget and a
    water need read both, each with its own badge; needs on plots or distances read no passport figure."""
    stated = ["area_ha", "max_price_usd_m2", "min_water_m3_day"]
    assert finder_sources(tiny_shared.passports, "A", stated, "en") == (
        "Land: as of 2025 · Synthetic demo data – not an official figure · "
        "Power and water: as of 5 Apr 2025 · Public news (example.vn 05/04/2025)")
    assert finder_sources(tiny_shared.passports, "B", ["sector"], "en") == (
        "Planning: as of 2025 · Synthetic demo data – not an official figure")
    assert finder_sources(tiny_shared.passports, "A", ["area_ha", "max_port_km"], "en") == ""
    assert finder_sources(tiny_shared.passports, "C", ["max_price_usd_m2"], "en") == ""  # no passport
