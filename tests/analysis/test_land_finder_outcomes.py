"""The land finder's three outcomes (kept / to confirm with HEZA / dropped with every reason), on the
tiny dataset's passports, computed on paper (tests/conftest.py's docstring):

  park  lease USD/m²  term ends  power   water free  wastewater free  sectors                readiness
  A     100–120       2058       20 MW   3,000       2,000            electronics;logistics  ready
  B      60–80        2070       —       12,000      —                — (not published)      under way, ready 2027-06
  C     no passport, no plots, stage planned

A has 10 ha available in one plot (A-3), B 15 ha (B-2); "today" is 1 March 2026 wherever years
count (2058 - 2026 = 32 years, 2070 - 2026 = 44). An expressway drawn here runs north-south 3 km
east of A's west edge: 2.0 km from A, 5.0 km from B, 2.5 km from C.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.land_finder import (
    Needs,
    last_day,
    needs_from_params,
    needs_to_params,
    rank,
    site_outcomes,
    sites_table,
)
from heza_geo.analysis.panels import finder_results
from heza_geo.schema import METRIC_CRS, WGS84

TODAY = date(2026, 3, 1)
X0, Y0 = 650_000, 2_300_000


@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def ranked_by_park(data, overview, needs: Needs, lang: str = "en", **kwargs):  # type: ignore[no-untyped-def]  - fixtures are untyped
    frame = rank(overview, data.plots, needs, lang, passports=data.passports, today=TODAY, **kwargs)
    return frame.set_index("park_id")


# --- each need: pass, fail, unknown ---------------------------------------------------------------
def test_water_of_5000_drops_a_with_its_figures_and_keeps_b(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, min_water_m3_day=5_000))
    assert parks.loc["A", "outcome"] == "dropped" and parks.loc["A", "missed"] == ("water",)
    assert "✗ water 3,000 < 5,000 m³/day" in parks.loc["A", "reasons"]
    assert parks.loc["B", "outcome"] == "kept"
    assert "✓ water 12,000 ≥ 5,000 m³/day" in parks.loc["B", "reasons"]


def test_a_budget_of_90_drops_a_leased_from_100_and_keeps_b_leased_from_60(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, max_price_usd_m2=90))
    assert "✗ lease from 100 > 90 USD/m²" in parks.loc["A", "reasons"] and parks.loc["A", "outcome"] == "dropped"
    assert "✓ lease from 60 ≤ 90 USD/m²" in parks.loc["B", "reasons"] and parks.loc["B", "outcome"] == "kept"


def test_power_of_10_mw_passes_a_and_leaves_b_to_confirm_with_hezas(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, min_power_mw=10))
    assert parks.loc["A", "outcome"] == "kept" and "✓ power 20 ≥ 10 MW" in parks.loc["A", "reasons"]
    assert parks.loc["B", "outcome"] == "to_confirm"
    assert parks.loc["B", "unknown"] == ("power",) and parks.loc["B", "missed"] == ()
    assert "? power available not published: to confirm with HEZA" in parks.loc["B", "reasons"]


def test_an_unknown_value_is_neither_a_pass_nor_a_fail(tiny_shared, overview):
    b = ranked_by_park(tiny_shared, overview, Needs(5, min_power_mw=10, min_wastewater_m3_day=1_000)).loc["B"]
    assert (b["needs_checked"], b["needs_met"], len(b["missed"]), len(b["unknown"])) == (3, 1, 0, 2)
    assert not b["fits"] and b["outcome"] == "to_confirm"


def test_forty_years_left_in_2026_drops_a_ending_2058_and_keeps_b_ending_2070(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, min_term_years=40))
    assert "✗ term ends 2058: 32 years < 40" in parks.loc["A", "reasons"] and parks.loc["A", "outcome"] == "dropped"
    assert "✓ term ends 2070: 44 years ≥ 40" in parks.loc["B", "reasons"] and parks.loc["B", "outcome"] == "kept"


def test_wastewater_passes_on_the_free_capacity(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, min_wastewater_m3_day=2_500))
    assert "✗ wastewater 2,000 < 2,500 m³/day" in parks.loc["A", "reasons"]
    assert parks.loc["B", "unknown"] == ("wastewater",)


def test_a_sector_outside_the_published_list_fails_and_an_unpublished_list_is_to_confirm(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, sector="chemicals"))
    assert parks.loc["A", "missed"] == ("sector",)
    assert parks.loc["A", "reasons"][1].startswith("✗ ") and "not among the permitted sectors" in parks.loc[
        "A", "reasons"][1]
    assert parks.loc["B", "unknown"] == ("sector",)


def test_park_c_planned_with_no_plots_is_dropped_and_never_offers_land(tiny_shared, overview):
    needs = Needs(1, min_water_m3_day=1)
    c = ranked_by_park(tiny_shared, overview, needs).loc["C"]
    assert c["outcome"] == "dropped" and c["missed"] == ("area",) and c["unknown"] == ("water",)
    assert c["reasons"] == ("✗ planned park: no land on offer yet",
                            "? free water supply not published: to confirm with HEZA")
    assert c["sites"] == 0 and c["largest_site_ha"] != c["largest_site_ha"]  # NaN: no land data, never 0 ha


def test_an_operating_park_without_plots_has_its_area_to_confirm(tiny_shared, overview):
    operating = overview.assign(stage=overview["stage"].replace({"planned": "operating"}))
    c = rank(operating, tiny_shared.plots, Needs(1), "en").set_index("park_id").loc["C"]
    assert c["outcome"] == "to_confirm" and c["unknown"] == ("area",)
    assert c["reasons"] == ("? no plot data for this park: free land to confirm with HEZA",)


def test_every_failing_need_is_listed_not_only_the_first(tiny_shared, overview):
    a = ranked_by_park(tiny_shared, overview, Needs(12, max_price_usd_m2=90, min_water_m3_day=5_000,
                                                   min_term_years=40)).loc["A"]
    assert a["missed"] == ("area", "price", "term", "water")
    assert [line[0] for line in a["reasons"]] == ["✗"] * 4


# --- ready by ---------------------------------------------------------------------------------------
def test_a_ready_by_known_to_the_month_counts_as_its_last_day(tiny_shared, overview):
    assert last_day(tiny_shared.passports.set_index("park_id").loc["B", "ready_by"], "month") == date(2027, 6, 30)
    on_time = ranked_by_park(tiny_shared, overview, Needs(5, ready_by=date(2027, 6, 30)))
    early = ranked_by_park(tiny_shared, overview, Needs(5, ready_by=date(2027, 6, 15)))
    assert on_time.loc["B", "outcome"] == "kept" and "✓ ready by Jun 2027 ≤ 30 Jun 2027" in on_time.loc["B", "reasons"]
    assert early.loc["B", "missed"] == ("ready",)
    assert early.loc["A", "reasons"][1] == "✓ ready to build now"


@pytest.mark.parametrize(
    "readiness, ready_by, precision, stage, outcome",
    [
        ("infrastructure_under_way", None, None, "site_clearance", "to_confirm"),  # no date published
        ("not_handed_over", None, None, "site_clearance", "dropped"),  # not cleared, no date: cannot be promised
        ("not_handed_over", "2026-12-01", "day", "site_clearance", "kept"),
        (None, None, None, "operating", "kept"),  # no passport readiness: the stage, infrastructure built
        (None, None, None, "building_infrastructure", "to_confirm"),
        (None, None, None, "planned", "dropped"),
    ],
)
def test_ready_by_follows_the_passport_then_the_stage(tiny_data, readiness, ready_by, precision, stage, outcome):
    passports = tiny_data.passports.copy()
    passports.loc[passports["park_id"] == "B", ["readiness", "ready_by", "ready_by_precision"]] = [
        readiness, ready_by, precision]
    parks = tiny_data.parks.copy()
    parks.loc[parks["park_id"] == "B", "stage"] = stage
    data = replace(tiny_data, parks=parks, passports=passports)
    ranked = rank(parks_overview(data), data.plots, Needs(5, ready_by=date(2027, 1, 1)), "en",
                  passports=passports, today=TODAY)
    assert ranked.set_index("park_id").loc["B", "outcome"] == outcome


# --- expressway -------------------------------------------------------------------------------------
def test_the_distance_to_an_expressway_is_to_the_nearest_expressway_feature(tiny_shared, overview):
    road = gpd.GeoDataFrame({"kind": ["expressway"]}, crs=WGS84, geometry=gpd.GeoSeries(
        [LineString([(X0 + 3000, Y0 - 5000), (X0 + 3000, Y0 + 9000)])], crs=METRIC_CRS).to_crs(WGS84).values)
    parks = ranked_by_park(tiny_shared, overview, Needs(1, max_expressway_km=3), expressways=road)
    assert parks["distance_to_expressway_km"].round(2).to_dict() == {"A": 2.0, "C": 2.5, "B": 5.0}
    assert "✓ 2.0 km to an expressway ≤ 3 km" in parks.loc["A", "reasons"]
    assert "✗ 5.0 km to an expressway > 3 km" in parks.loc["B", "reasons"]


def test_with_no_expressway_mapped_the_distance_is_to_confirm(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, max_expressway_km=3))
    assert parks.loc["A", "outcome"] == "to_confirm" and parks.loc["A", "unknown"] == ("expressway",)


# --- ranking ----------------------------------------------------------------------------------------
def test_kept_first_then_to_confirm_with_fewer_unknowns_first_then_dropped(tiny_shared, overview):
    operating = overview.assign(stage=overview["stage"].replace({"planned": "operating"}))  # C: area unknown
    needs = Needs(5, max_price_usd_m2=90, min_water_m3_day=5_000, min_power_mw=10)
    ranked = rank(operating, tiny_shared.plots, needs, "en", passports=tiny_shared.passports, today=TODAY)
    assert ranked["park_id"].tolist() == ["B", "C", "A"]
    assert ranked["outcome"].tolist() == ["to_confirm", "to_confirm", "dropped"]
    assert ranked["unknown"].map(len).tolist() == [1, 4, 0]


def test_among_dropped_parks_fewer_fails_come_first_whatever_the_distance(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(12, max_price_usd_m2=90), "en", passports=tiny_shared.passports)
    assert ranked["park_id"].tolist() == ["B", "C", "A"]  # C fails 1 (planned), A 2 (area, price) though nearer
    assert ranked["missed"].tolist() == [(), ("area",), ("area", "price")]


# --- sites ------------------------------------------------------------------------------------------
def test_every_site_inherits_its_parks_outcome_and_a_block_too_small_is_dropped_with_its_size(tiny_shared,
                                                                                             overview):
    needs = Needs(12, min_power_mw=10)
    ranked = rank(overview, tiny_shared.plots, needs, "en", passports=tiny_shared.passports)
    sites = site_outcomes(tiny_shared.plots, ranked, needs, "en")
    assert sites[["site_id", "outcome"]].values.tolist() == [["B-2", "to_confirm"], ["A-3", "dropped"]]
    assert sites.iloc[0]["reasons"] == tuple(ranked.set_index("park_id").loc["B", "reasons"])
    assert sites.iloc[1]["reasons"] == ("✗ site 10.0 ha < 12 ha", "✓ power 20 ≥ 10 MW")
    results = finder_results(ranked, sites)
    assert results.sites["site_id"].tolist() == ["B-2"]  # a dropped block is never drawn


def test_the_result_panel_splits_the_parks_into_three_groups(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(5, min_power_mw=10), "en", passports=tiny_shared.passports)
    results = finder_results(ranked, site_outcomes(tiny_shared.plots, ranked, Needs(5, min_power_mw=10), "en"))
    assert (results.kept["park_id"].tolist(), results.to_confirm["park_id"].tolist(),
            results.dropped["park_id"].tolist()) == (["A"], ["B"], ["C"])
    assert results.shown["park_id"].tolist() == ["A", "B"]
    assert sorted(results.sites["site_id"]) == ["A-3", "B-2"]


# --- language and link ------------------------------------------------------------------------------
def test_korean_reasons_carry_the_figures_in_the_investors_format(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, min_water_m3_day=5_000, max_price_usd_m2=90,
                                                       min_power_mw=10), "ko")
    assert "✗ 용수 여유 3,000 < 5,000 m³/일" in parks.loc["A", "reasons"]
    assert "✗ 임대료 최저 100 > 90 USD/m²" in parks.loc["A", "reasons"]
    assert "? 가용 전력 미공개: HEZA에 확인 필요" in parks.loc["B", "reasons"]


def test_vietnamese_reasons_use_vietnamese_separators(tiny_shared, overview):
    parks = ranked_by_park(tiny_shared, overview, Needs(5, min_water_m3_day=5_000), "vi")
    assert "✗ nước cấp còn 3.000 < 5.000 m³/ngày" in parks.loc["A", "reasons"]


def test_a_link_reproduces_the_same_outcomes(tiny_shared, overview):
    needs = Needs(5, max_price_usd_m2=90, min_term_years=40, min_power_mw=10, ready_by=date(2027, 6, 30))
    again, problems = needs_from_params(needs_to_params(needs), today=TODAY)
    assert problems == () and again == needs
    first = rank(overview, tiny_shared.plots, needs, "en", passports=tiny_shared.passports, today=TODAY)
    second = rank(overview, tiny_shared.plots, again, "en", passports=tiny_shared.passports, today=TODAY)
    assert first[["park_id", "outcome", "reasons"]].equals(second[["park_id", "outcome", "reasons"]])


def test_the_sites_export_carries_each_sites_outcome_and_reasons(tiny_shared, overview):
    needs = Needs(12, min_power_mw=10)
    ranked = rank(overview, tiny_shared.plots, needs, "en", passports=tiny_shared.passports)
    table = sites_table(site_outcomes(tiny_shared.plots, ranked, needs, "en"), {"A": "Park A", "B": "Park B"}, "en")
    assert table[["Site", "Outcome"]].values.tolist() == [["B-2", "to confirm with HEZA"], ["A-3", "dropped"]]
    assert table.iloc[1]["Why"] == "✗ site 10.0 ha < 12 ha · ✓ power 20 ≥ 10 MW"
