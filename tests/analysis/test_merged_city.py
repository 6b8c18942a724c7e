"""The analysis of the merged city (Hải Phòng with the former Hải Dương since 1 July 2025).

On the tiny dataset with park U of tests/analysis/conftest.py (west region, former district D3,
no position, no published area, no plots, 90% for the year 2024 from the news), and on the shipped
data for the figures a presenter quotes: the latest FDI (the full year 2024 from vneconomy.vn)
beside the HEZA reports' (11 months 2024, report 002).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.cards import city_cards, latest_cards, park_occupancy_cards, selection_cards
from heza_geo.analysis.compare import comparison_data, comparison_table, data_sheet
from heza_geo.analysis.filters import apply
from heza_geo.analysis.indicators import land_by, placed
from heza_geo.analysis.joins import latest_figure, parks_overview
from heza_geo.analysis.land_finder import Needs, candidate_sites, rank, results_table
from heza_geo.analysis.panels import nearest, park_facts
from heza_geo.analysis.port import parks_within, status_as_of_year
from heza_geo.analysis.selection import check_filters, known_filters
from heza_geo.analysis.sources import badge, occupancy_notes
from heza_geo.analysis.staff import latest_occupancy
from heza_geo.analysis.tables import occupancy_headers, occupancy_rows, occupancy_shown
from heza_geo.config import LANGUAGES
from heza_geo.io import Dataset, load_dataset
from heza_geo.links import ViewState, decode, encode
from heza_geo.schema import Provenance
from heza_geo.view import Filters

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
EAST, WEST = "Hải Phòng", "Hải Dương"
NEWS_2024 = Provenance("news", "example.vn 2024")


@pytest.fixture(scope="module")
def overview(merged_shared):
    return parks_overview(merged_shared)


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(GEODATA)


# --- a park no source places ------------------------------------------------------------------------
def test_a_park_with_no_position_is_in_the_overview_with_no_distance_no_area_and_no_land(overview):
    u = overview.set_index("park_id").loc["U"]
    assert list(placed(overview)) == [True, True, True, False]
    assert pd.isna(u["distance_to_berth_km"]) and pd.isna(u["distance_to_airport_km"])  # none made up
    assert pd.isna(u["area_ha"]) and u["plots"] == 0
    assert u["occupancy_pct"] == 90.0 and u["occupancy_as_of_precision"] == "year"


def test_totals_count_a_park_with_no_position_and_skip_its_missing_area(merged_shared, overview):
    cards = selection_cards(overview, merged_shared.plots, "en")
    assert cards[0].value == "4"
    assert cards[0].note == i18n.t("card.parks_detail", "en", established=3, planned=1)  # U is established
    assert cards[1].value == "150 ha"  # A + B + C; U has no published area: nothing is added for it
    assert cards[1].note == f"{i18n.t('card.declared_area', 'en')} · {i18n.t('card.area_not_given', 'en', n=1)}"
    by_region = land_by(overview, merged_shared.plots, "region")
    assert by_region.loc[EAST, "parks"] == 3 and by_region.loc[EAST, "declared_ha"] == 150
    assert by_region.loc[WEST, "parks"] == 1 and by_region.loc[WEST, "total_ha"] == 0
    assert pd.isna(by_region.loc[WEST, "declared_ha"])  # no area published for the region: unknown, not 0 ha
    assert land_by(overview, merged_shared.plots, "city").loc["city", "parks"] == 4


def test_the_area_card_says_nothing_is_missing_when_every_park_has_an_area(tiny_shared):
    cards = selection_cards(parks_overview(tiny_shared), tiny_shared.plots, "en")
    assert cards[1].note == i18n.t("card.declared_area", "en")


def test_the_occupancy_table_lists_a_park_with_no_position_with_its_news_figure_dated_to_the_year(overview):
    table = occupancy_rows(overview, "en")
    assert list(table["park_id"]) == ["U", "A", "B", "C"]  # 90%, the fullest, first
    styled = occupancy_shown(table, "en")
    frame = styled.data
    assert list(frame.columns) == list(occupancy_headers("en"))
    u = frame.iloc[0]
    assert u["region"] == i18n.label("province", WEST, "en") == "West (former Hai Duong)"
    assert u["district"] == "D3"
    assert u["as_of"] == "2024"  # the year, as the news gives it: no made-up day
    assert u["source"] == i18n.badge("news", "en") + " (example.vn 2024)"
    assert u["area_source"] == i18n.MISSING  # no area, so no source for it either
    shown = [line.split("|") for line in styled.hide(axis="index").to_string(delimiter="|").splitlines()[1:]]
    column = list(frame.columns).index
    for name in ("area_ha", "leasable_ha", "leased_ha", "available_ha", "plots_occupancy_pct"):
        assert shown[0][column(name)] == i18n.MISSING, name  # no plots, no area: dashes, never 0
    assert shown[0][column("occupancy_pct")] == "90.0%"
    assert frame.iloc[1]["region"] == i18n.label("province", EAST, "en")
    assert not table.set_index("park_id").loc["U", "placed"]


def test_the_occupancy_cards_of_a_park_with_no_position_show_its_figure_and_dashes_for_its_land(overview):
    table = occupancy_rows(overview, "en").set_index("park_id", drop=False)
    cards = park_occupancy_cards(table.loc["U"], "en")
    assert [c.value for c in cards[:3]] == ["90.0%", i18n.MISSING, i18n.MISSING]
    assert cards[0].note.startswith(i18n.badge("news", "en")) and "2024" in cards[0].note


def test_a_park_is_named_in_korean_from_its_short_name(overview):
    table = occupancy_rows(overview, "ko").set_index("park_id")
    assert table.loc["U", "park"] == i18n.name({"park_id": "U", "name_short": "Uom Thu", "name_vi": "KCN Ươm Thử",
                                                "name_en": "Uom Thu IP"}, "ko")


def test_a_park_with_no_position_can_be_compared_and_its_distances_and_housing_are_dashes(merged_shared, overview):
    table = comparison_table(overview, merged_shared.housing, ["A", "U"], "en")
    assert table.columns.tolist() == ["Anh Duong IP", "Uom Thu IP"]
    u = table["Uom Thu IP"]
    for row in ("popup.distance_to_berth", "popup.distance_to_airport", "popup.area", "popup.available"):
        assert u[i18n.t(row, "en")] == i18n.MISSING, row
    radius = i18n.fmt_km(10.0, "en", None)
    assert u[i18n.t("compare.row.housing_count", "en", km=radius)] == i18n.MISSING  # unknown, not "0"
    assert u[i18n.t("compare.row.housing_capacity", "en", km=radius)] == i18n.MISSING
    assert u[i18n.t("filter.region", "en")] == i18n.label("province", WEST, "en")
    assert u[i18n.t("column.district", "en")] == "D3"
    assert u[i18n.t("column.geometry_quality", "en")] == i18n.label("geometry_quality", "unplaced", "en")
    assert u[i18n.t("popup.occupancy", "en")].startswith("90.0% · as of 2024 · ")
    assert table.loc[i18n.t("compare.row.housing_count", "en", km=radius), "Anh Duong IP"] == "1"
    sheet = data_sheet(comparison_data(overview, merged_shared.housing, ["A", "U"]), "en")
    counts = sheet[i18n.t("compare.col.housing_count", "en")]
    assert counts.iloc[0] == 1 and pd.isna(counts.iloc[1])
    assert sheet[i18n.t("finder.col.port_km", "en")].isna().tolist() == [False, True]


def test_a_park_without_plots_never_fits_the_land_finder_and_is_never_said_to_have_free_land(merged_shared,
                                                                                             overview):
    ranked = rank(overview, merged_shared.plots, Needs(area_ha=1), "en").set_index("park_id")
    for park in ("U", "C"):  # no position / planned: neither has plots; its land is unknown, never free
        assert not ranked.loc[park, "fits"]
        assert "area" in ranked.loc[park, "missed"] + ranked.loc[park, "unknown"]
        assert pd.isna(ranked.loc[park, "available_ha"]) and pd.isna(ranked.loc[park, "largest_site_ha"])
    # its land is to confirm with HEZA; a planned park's is dropped: no land on offer yet
    assert ranked.loc["U", "reasons"][0] == "? " + i18n.t("finder.reason.area_unknown", "en")
    assert ranked.loc["C", "reasons"][0] == "✗ " + i18n.t("finder.reason.area_planned", "en")
    assert ranked.loc["B", "available_ha"] == 15.0 and ranked.loc["B", "fits"]
    assert set(candidate_sites(merged_shared.plots, 1)["park_id"]) == {"A", "B"}
    table = results_table(rank(overview, merged_shared.plots, Needs(area_ha=1), "en"), "en").set_index("park_id")
    assert pd.isna(table.loc["U", i18n.t("finder.col.available_ha", "en")])
    assert pd.isna(table.loc["U", i18n.t("finder.col.port_km", "en")])


def test_a_parks_panel_without_position_has_no_distance_no_land_and_nothing_nearby(merged_shared, overview):
    row = overview.set_index("park_id", drop=False).loc["U"]
    facts = park_facts(row, "en").set_index(i18n.t("detail.figure", "en"))
    for figure in ("popup.distance_to_berth", "popup.distance_to_airport", "popup.leased", "popup.available",
                   "popup.area"):
        assert facts.loc[i18n.t(figure, "en")].tolist() == [i18n.MISSING, ""], figure  # no demo badge on nothing
    assert facts.loc[i18n.t("column.geometry_quality", "en")].iloc[0] == i18n.label("geometry_quality", "unplaced",
                                                                                   "en")
    here = overview[overview["park_id"] == "U"]
    assert nearest(merged_shared.housing, here).empty  # nothing is near a park nobody placed
    assert len(nearest(merged_shared.housing, overview[overview["park_id"] == "A"])) == 1


def test_a_park_with_no_position_is_never_within_reach_of_the_port(merged_shared, overview):
    status = status_as_of_year(merged_shared.berths, merged_shared.berth_status_history, 2025)
    near = parks_within(overview, status, 1000.0)
    assert set(near["park_id"]) == {"A", "B", "C"}


def test_staff_start_editing_an_unplaced_parks_occupancy_from_its_latest_figure(merged_shared):
    line = latest_occupancy(merged_shared.occupancy_history, "U", "en")
    assert line == i18n.t("dm.latest", "en", value="90.0%", date="2024", source=badge(NEWS_2024, "en"))


# --- the region and the former district -------------------------------------------------------------
def test_the_region_filter_keeps_the_parks_of_a_region_placed_or_not(merged_shared, overview):
    west, _ = apply(overview, merged_shared.plots, Filters(regions=(WEST,)))
    assert list(west["park_id"]) == ["U"]
    east, plots = apply(overview, merged_shared.plots, Filters(regions=(EAST,), districts=("D1",)))
    assert list(east["park_id"]) == ["A", "B"] and len(plots) == 7
    with pytest.raises(ValueError, match="regions: unknown value"):
        Filters(regions=("Hà Nội",))


def test_a_region_no_park_is_in_is_named_for_a_script_and_dropped_from_a_link(tiny_shared):
    assert check_filters(tiny_shared, Filters(regions=(WEST,))) == [f"unknown region '{WEST}'; known: {EAST}"]
    assert known_filters(tiny_shared, Filters(regions=(WEST, EAST))).regions == (EAST,)


def test_a_region_in_the_link_round_trips_and_an_unknown_one_is_named():
    state = ViewState(Filters(regions=(WEST,), districts=("Cẩm Giàng",)))
    params = encode(state)
    assert params["region"] == WEST and params["district"] == "Cẩm Giàng"
    assert decode(params) == state
    bad = decode({"region": "Hà Nội," + EAST})
    assert bad.filters.regions == (EAST,)
    assert [(p.name, p.value, p.default) for p in bad.problems] == [("region", "Hà Nội", EAST)]


def test_the_district_is_labelled_the_former_district_in_every_language():
    for lang in LANGUAGES:
        assert i18n.t("filter.district", lang) == i18n.t("column.district", lang)
    assert i18n.t("filter.district", "en") == "Former district"


# --- the occupancy page's notes -------------------------------------------------------------------------
def test_the_occupancy_notes_say_that_the_sources_count_the_parks_differently(shipped):
    notes = occupancy_notes(shipped.source_notes, "en")
    count_notes = shipped.source_notes[shipped.source_notes["topic"] == "park_count"]
    assert len(count_notes) >= 3
    for text in count_notes["note_en"]:
        assert any(line.startswith(text) for line in notes)
    assert any("vietnam.vn 27/08/2025" in line for line in notes)


# --- the latest figure beside the reports' ----------------------------------------------------------------
def _with_news_year(data: Dataset) -> pd.DataFrame:
    news = pd.DataFrame({
        "period": ["year 2024"], "period_end": pd.to_datetime(["2024-12-31"]), "metric": ["fdi_total_musd"],
        "value": [4350.0], "unit": ["million USD"], "plan": [None], "pct_of_plan": [242.0], "basis": ["reported"],
        "note": [None], "source_kind": ["news"], "source": ["vneconomy.vn 07/01/2025"]})
    return pd.concat([data.investment, news], ignore_index=True)


def test_the_fdi_card_shows_the_news_figure_of_2024_with_its_badge_and_the_reports_figure_under_it(tiny_shared):
    from dataclasses import replace

    data = replace(tiny_shared, investment=_with_news_year(tiny_shared))
    latest = city_cards(data, "en")[2]
    assert latest.value == "4,350"
    assert "Year 2024" in latest.note and "242% of plan" in latest.note
    assert latest.note.endswith(i18n.badge("news", "en") + " (vneconomy.vn 07/01/2025)")
    assert latest.report == i18n.t("card.report_figure", "en", report="002", when="11 months 2024", value="2,869")
    assert city_cards(tiny_shared, "en")[2].report is None  # the reports' figure is the latest: one line


def test_on_the_shipped_data_the_cards_give_the_latest_figures_beside_the_reports(shipped):
    occupancy, cumulative, fdi, workers = city_cards(shipped, "en")
    assert (occupancy.value, fdi.value, cumulative.value) == ("64.3%", "4,350", "30,300")
    assert occupancy.note.startswith("as of 22 Jan 2025") and "vietnamnews.vn 22/01/2025" in occupancy.note
    assert occupancy.report == i18n.t("card.report_figure", "en", report="002", when="30 Nov 2024",
                                      value="65% · " + i18n.label("basis", "estimate", "en"))
    assert fdi.note.endswith("Public news (vneconomy.vn 07/01/2025)")
    assert fdi.report == i18n.t("card.report_figure", "en", report="002", when="11 months 2024",
                                value="2,869 · " + i18n.label("basis", "estimate", "en"))
    estimate = i18n.label("basis", "estimate", "en")
    assert cumulative.report == i18n.t("card.report_figure", "en", report="002", when="11 months 2024",
                                       value=f"28,850 · {estimate}")
    assert workers.report == i18n.t("card.report_figure", "en", report="002", when="11 months 2024", value="201,034")
    assert latest_figure(shipped.investment, "fdi_total_musd", kind="report").value == 2869.0


def test_the_investment_pages_latest_figures_are_the_latest_of_each_indicator_with_the_reports_beside(shipped):
    cards = {c.title: c for c in latest_cards(shipped.investment, shipped.enterprise, "en")}
    fdi = cards[i18n.label("metric", "fdi_total_musd", "en")]
    assert fdi.value == "4,350"
    assert fdi.report == i18n.t("card.report_figure", "en", report="002", when="11 months 2024",
                                value="2,869 · " + i18n.label("basis", "estimate", "en"))
    ddi = cards[i18n.label("metric", "ddi_total_bvnd", "en")]
    assert ddi.value == "2,271" and ddi.report is None  # the reports' figure is the latest one
    assert "Official figure – HEZA report (002)" in ddi.note
    income = cards[i18n.label("metric", "avg_income_mvnd_month", "en")]
    assert income.value == "11.5"
    assert cards[i18n.label("metric", "fdi_cumulative_projects", "en")].value == "594"
