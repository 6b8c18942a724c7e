"""The land finder: which parks and sites fit an investor's needs, in which order, and why.

Hand-made frames in UTM metres: a 200 m x 200 m square is exactly 4 ha. The tiny dataset of
conftest.py: park A (full) 10 ha available in one plot, 5 km from the operating berth and 2 km
from the airport; park B (site clearance) 15 ha in one plot, 8 km from the berth, 5 km from the
airport; park C planned, no plots. The passports' figures are checked in test_land_finder_outcomes.py.

Changed by issue 17 (kept / to confirm / dropped): a planned park without plots now fails its area
need with "planned park" (before: "no land data" and a stage miss); no stage is checked unless a
ready-by date is stated (``ready=now|soon|any`` links map to dates); a sector is checked against
the passport's permitted sectors (the firms already there are information); an unknown distance is
to confirm, not a miss.
"""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.land_finder import (
    Needs,
    candidate_sites,
    contiguous_blocks,
    needs_from_params,
    needs_to_params,
    rank,
    results_table,
    site_outcomes,
    to_geojson,
)
from heza_geo.schema import METRIC_CRS, WGS84

X0, Y0 = 650_000, 2_300_000


def squares(*cells: tuple[str, str, float, float], status: str = "available", side: float = 200.0) -> gpd.GeoDataFrame:
    """Plots ``(plot_id, park_id, x, y)`` as ``side`` m squares with their lower-left corner at (x, y)."""
    rows = [{"plot_id": pid, "park_id": park, "status": status, "area_ha": side * side / 10_000, "tenant": None,
             "sector": None, "source_kind": "synthetic demo", "source": None, "geometry_quality": "synthetic demo"}
            for pid, park, _, _ in cells]
    geoms = [box(X0 + x, Y0 + y, X0 + x + side, Y0 + y + side) for _, _, x, y in cells]
    return gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=METRIC_CRS).to_crs(WGS84).values, crs=WGS84)


# --- sites -------------------------------------------------------------------------------------
def test_three_adjacent_4ha_plots_merge_into_one_12ha_site():
    plots = squares(("P1", "A", 0, 0), ("P2", "A", 200, 0), ("P3", "A", 400, 0))
    sites = candidate_sites(plots, 10)
    assert len(sites) == 1
    site = sites.iloc[0]
    assert site["plot_ids"] == ("P1", "P2", "P3") and site["merged"] and site["plots"] == 3
    assert site["area_ha"] == pytest.approx(12.0)
    assert site["site_id"] == "P1+2"
    # one shape: 600 m x 200 m
    assert site.geometry.geom_type == "Polygon"
    assert gpd.GeoSeries([site.geometry], crs=WGS84).to_crs(METRIC_CRS).area.iloc[0] == pytest.approx(120_000, rel=1e-3)


def test_plots_far_apart_do_not_merge():
    plots = squares(("P1", "A", 0, 0), ("P2", "A", 1000, 0))
    assert candidate_sites(plots, 6).empty
    assert sorted(contiguous_blocks(plots)["area_ha"]) == pytest.approx([4.0, 4.0])


def test_a_survey_gap_of_a_few_metres_still_joins_plots_but_a_road_does_not():
    gap = squares(("P1", "A", 0, 0), ("P2", "A", 203, 0))
    road = squares(("P1", "A", 0, 0), ("P2", "A", 230, 0))
    assert candidate_sites(gap, 8)["plot_ids"].tolist() == [("P1", "P2")]
    assert candidate_sites(road, 8).empty


def test_plots_of_two_parks_never_merge_even_when_touching():
    plots = squares(("P1", "A", 0, 0), ("P2", "B", 200, 0))
    assert candidate_sites(plots, 8).empty


def test_leased_plots_do_not_join_or_bridge_a_site():
    plots = pd.concat([
        squares(("P1", "A", 0, 0), ("P3", "A", 400, 0)),
        squares(("P2", "A", 200, 0), status="leased"),
    ])
    assert candidate_sites(gpd.GeoDataFrame(plots, crs=WGS84), 8).empty


def test_land_not_yet_handed_over_is_never_offered_nor_bridges_a_site():
    plots = pd.concat([
        squares(("P1", "A", 0, 0), ("P3", "A", 400, 0)),
        squares(("P2", "A", 200, 0), ("BIG", "A", 0, 600), status="not_handed_over"),
    ])
    plots = gpd.GeoDataFrame(plots, crs=WGS84)
    assert candidate_sites(plots, 8).empty  # P1 and P3 are not adjacent without P2
    assert set(candidate_sites(plots, 1)["site_id"]) == {"P1", "P3"}
    assert not set(contiguous_blocks(plots)["plot_ids"].sum()) & {"P2", "BIG"}


def test_the_finder_counts_land_not_yet_handed_over_as_not_available(tiny_data):
    from dataclasses import replace

    plots = tiny_data.plots.copy()
    plots.loc[plots["plot_id"] == "B-2", "status"] = "not_handed_over"  # B's only available plot, 15 ha
    data = replace(tiny_data, plots=plots)
    overview = parks_overview(data).set_index("park_id", drop=False)
    assert (overview.loc["B", "available_ha"], overview.loc["B", "not_handed_over_ha"]) == (0.0, 15.0)
    ranked = rank(overview.reset_index(drop=True), plots, Needs(area_ha=12), "en").set_index("park_id")
    assert not ranked.loc["B", "fits"] and ranked.loc["B", "largest_site_ha"] == 0.0
    assert "B-2" not in set(candidate_sites(plots, 1)["site_id"])


def test_a_single_plot_large_enough_is_offered_on_its_own():
    big = squares(("BIG", "A", 0, 0), side=400.0)  # 16 ha
    small = squares(("S1", "A", 400, 0), ("S2", "A", 600, 0))
    sites = candidate_sites(gpd.GeoDataFrame(pd.concat([big, small]), crs=WGS84), 10)
    assert sites["site_id"].tolist() == ["BIG"]
    assert not sites["merged"].iloc[0]


def test_each_large_plot_is_its_own_site_largest_first():
    plots = squares(("P1", "A", 0, 0), ("P2", "A", 200, 0), ("P3", "A", 400, 0))
    sites = candidate_sites(plots, 3)
    assert sites["site_id"].tolist() == ["P1", "P2", "P3"]
    assert not sites["merged"].any()


def test_candidate_sites_refuses_a_zero_area():
    with pytest.raises(ValueError, match="min_ha"):
        candidate_sites(squares(("P1", "A", 0, 0)), 0)


def test_tiny_dataset_sites(tiny_shared):
    assert candidate_sites(tiny_shared.plots, 12)["plot_ids"].tolist() == [("B-2",)]
    assert candidate_sites(tiny_shared.plots, 10)["site_id"].tolist() == ["A-3", "B-2"]


# --- needs -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"area_ha": 0}, "area_ha"),
        ({"area_ha": -5}, "area_ha"),
        ({"area_ha": float("nan")}, "area_ha"),
        ({"max_port_km": -1}, "max_port_km"),
        ({"max_airport_km": float("nan")}, "max_airport_km"),
        ({"max_expressway_km": -0.5}, "max_expressway_km"),
        ({"max_price_usd_m2": -1}, "max_price_usd_m2"),
        ({"min_term_years": float("nan")}, "min_term_years"),
        ({"min_power_mw": -2}, "min_power_mw"),
        ({"min_water_m3_day": "lots"}, "min_water_m3_day"),
        ({"min_wastewater_m3_day": -1}, "min_wastewater_m3_day"),
        ({"sector": "spaceships"}, "sector"),
        ({"ready_by": "2027-06-30"}, "ready_by"),
    ],
)
def test_impossible_needs_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Needs(**kwargs)


def test_needs_round_trip_through_the_link():
    needs = Needs(20, "electronics", 30, 15.5, date(2027, 6, 30), max_price_usd_m2=90, min_term_years=40,
                  min_power_mw=10, min_water_m3_day=5000, min_wastewater_m3_day=2500, max_expressway_km=4)
    params = needs_to_params(needs)
    assert params == {"need_ha": "20", "need_sector": "electronics", "max_usd_m2": "90", "min_years": "40",
                      "min_mw": "10", "min_water_m3": "5000", "min_wastewater_m3": "2500", "max_port_km": "30",
                      "max_airport_km": "15.5", "max_expressway_km": "4", "ready_by": "2027-06-30"}
    assert needs_from_params(params) == (needs, ())


def test_default_needs_make_a_short_link():
    assert needs_to_params(Needs()) == {"need_ha": "10"}


@pytest.mark.parametrize("ready, expected", [("now", date(2026, 3, 1)), ("soon", date(2028, 3, 1)), ("any", None)])
def test_an_old_ready_link_still_opens_as_a_ready_by_date(ready, expected):
    needs, problems = needs_from_params({"need_ha": "5", "ready": ready}, today=date(2026, 3, 1))
    assert (needs.ready_by, problems) == (expected, ())
    assert needs_to_params(needs).get("ready_by") == (expected.isoformat() if expected else None)


def test_a_ready_by_in_the_link_wins_over_an_old_ready():
    needs, _ = needs_from_params({"ready": "now", "ready_by": "2030-01-31"}, today=date(2026, 3, 1))
    assert needs.ready_by == date(2030, 1, 31)


def test_bad_link_values_fall_back_to_defaults_and_are_reported():
    needs, problems = needs_from_params({"need_ha": "-3", "max_port_km": "far", "need_sector": "spaceships",
                                         "ready": "yesterday", "max_airport_km": "12", "min_water_m3": "-1",
                                         "ready_by": "2027-13-01", "max_usd_m2": "90"})
    assert needs == Needs(max_airport_km=12.0, max_price_usd_m2=90.0)
    assert [p.name for p in problems] == ["need_ha", "need_sector", "max_port_km", "min_water_m3", "ready",
                                          "ready_by"]
    assert problems[0].value == "-3" and problems[0].default == "10"
    assert problems[2].default == ""  # "no limit"
    assert problems[-1].value == "2027-13-01" and problems[-1].default == ""


# --- ranking -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def test_tiny_overview_distances_are_the_documented_ones(overview):
    km = overview.set_index("park_id")
    assert km.loc["A", "distance_to_berth_km"] == pytest.approx(5.0, abs=0.05)
    assert km.loc["B", "distance_to_berth_km"] == pytest.approx(8.0, abs=0.05)
    assert km.loc["A", "distance_to_airport_km"] == pytest.approx(2.0, abs=0.05)


def test_land_finder_ranks_parks_meeting_every_need_first(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(area_ha=12), "en")
    assert ranked["park_id"].tolist() == ["B", "A", "C"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked["fits"].tolist() == [True, False, False]
    assert ranked["outcome"].tolist() == ["kept", "dropped", "dropped"]
    assert ranked["missed"].tolist() == [(), ("area",), ("area",)]
    assert ranked["score"].tolist() == pytest.approx([1.0, 0.0, 0.0])
    assert ranked.iloc[0]["reasons"] == ("✓ 15.0 ha site ≥ 12 ha (15.0 ha available)",)
    assert ranked.iloc[1]["reasons"][0] == "✗ largest site 10.0 ha < 12 ha (10.0 ha available)"
    assert ranked.iloc[2]["reasons"] == ("✗ planned park: no land on offer yet",)  # C never looks like free land


def test_equal_fits_are_ordered_by_distance_to_the_port(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(area_ha=5), "en")
    assert ranked["park_id"].tolist()[:2] == ["A", "B"]  # both fit; A is 5 km from the berth, B 8 km
    assert ranked["fits"].tolist() == [True, True, False]


def test_distance_needs_explain_each_miss(tiny_shared, overview):
    needs = Needs(area_ha=5, max_port_km=6, max_airport_km=3)
    ranked = rank(overview, tiny_shared.plots, needs, "en").set_index("park_id")
    assert ranked.loc["A", "fits"]
    assert "✓ 5.0 km to the port ≤ 6 km" in ranked.loc["A", "reasons"]
    assert "✗ 8.0 km to the port > 6 km" in ranked.loc["B", "reasons"]
    assert "✗ 5.0 km to the airport > 3 km" in ranked.loc["B", "reasons"]
    assert ranked.loc["B", "missed"] == ("port", "airport")
    assert ranked.loc["B", "needs_checked"] == 3 and ranked.loc["B", "needs_met"] == 1


def test_ready_now_means_ready_to_build_today(tiny_shared, overview):
    """A's passport: ready; B's: infrastructure under way, ready by 06/2027 (after 1 March 2026)."""
    needs, _ = needs_from_params({"need_ha": "5", "ready": "now"}, today=date(2026, 3, 1))
    ranked = rank(overview, tiny_shared.plots, needs, "en", passports=tiny_shared.passports,
                  today=date(2026, 3, 1)).set_index("park_id")
    assert ranked.loc["A", "fits"] and not ranked.loc["B", "fits"]
    assert ranked.loc["B", "missed"] == ("ready",)
    assert "✗ ready by Jun 2027 > 1 Mar 2026" in ranked.loc["B", "reasons"]


def test_sector_need_asks_for_a_permitted_sector_and_shows_the_firms_as_information(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(area_ha=5, sector="logistics"), "en",
                  passports=tiny_shared.passports).set_index("park_id")
    assert ranked.loc["A", "sector_firms"] == 1 and ranked.loc["A", "fits"]
    assert ranked.loc["A", "reasons"][1:] == ("✓ Logistics permitted", "• 1 Logistics firms already here")
    assert ranked.loc["B", "outcome"] == "to_confirm" and ranked.loc["B", "unknown"] == ("sector",)
    assert "• no Logistics firms here yet" in ranked.loc["B", "reasons"]


def test_reasons_follow_the_language(tiny_shared, overview):
    ranked = rank(overview, tiny_shared.plots, Needs(area_ha=12, max_port_km=10), "vi")
    assert ranked.iloc[0]["reasons"][:2] == ("✓ Khu đất liền thửa 15,0 ha ≥ 12 ha (còn trống 15,0 ha)",
                                             "✓ Cách bến cảng 8,0 km ≤ 10 km")


def test_unknown_distance_is_to_confirm_and_sorts_after_the_parks_kept(tiny_shared, overview):
    unknown = overview.assign(distance_to_berth_km=[float("nan"), 9.0, 20.0])
    ranked = rank(unknown, tiny_shared.plots, Needs(area_ha=5, max_port_km=50), "en")
    assert ranked["park_id"].tolist() == ["B", "A", "C"]
    assert ranked["outcome"].tolist() == ["kept", "to_confirm", "dropped"]
    assert "? distance to the port unknown (no position): to confirm with HEZA" in ranked.iloc[1]["reasons"]


def test_rank_needs_the_overview_columns(tiny_shared):
    with pytest.raises(ValueError, match="parks_overview"):
        rank(tiny_shared.parks, tiny_shared.plots, Needs())


# --- export ------------------------------------------------------------------------------------
def test_geojson_export_holds_every_park_and_site_with_outcome_and_reasons_and_nothing_confidential(
        tiny_shared, overview):
    plots = tiny_shared.plots.assign(tenant_contact="secret@example.vn", price_usd_m2=99.0, internal_note="secret")
    needs = Needs(area_ha=12)
    ranked = rank(overview, plots, needs, "en")
    collection = json.loads(to_geojson(ranked, site_outcomes(plots, ranked, needs, "en"), needs, "en"))
    kinds = [(f["properties"]["kind"], f["properties"].get("park_id"), f["properties"]["outcome"])
             for f in collection["features"]]
    assert kinds == [("park", "B", "kept"), ("park", "A", "dropped"), ("park", "C", "dropped"),
                     ("site", "B", "kept"), ("site", "A", "dropped")]
    park, site = collection["features"][0]["properties"], collection["features"][3]["properties"]
    assert (park["land_source_kind"], park["land_source"]) == ("synthetic demo", None)
    assert (site["source_kind"], site["source"]) == ("synthetic demo", None)
    assert collection["features"][4]["properties"]["reasons"][0] == "✗ site 10.0 ha < 12 ha"
    assert collection["features"][1]["properties"]["missed"] == ["area"]
    assert collection["needs"] == {"need_ha": "12"}
    assert "secret" not in json.dumps(collection)


def test_results_table_is_in_the_language_of_the_reader(tiny_shared, overview):
    table = results_table(rank(overview, tiny_shared.plots, Needs(area_ha=12), "vi"), "vi")
    assert table.columns[:2].tolist() == ["Thứ hạng", "KCN"]
    assert table.iloc[0]["KCN"] == "KCN Bình Minh"
    assert table.iloc[0]["Kết quả"] == "phù hợp"
    assert table.iloc[1]["Kết quả"] == "bị loại" and table.iloc[1]["Lý do"].startswith("✗ Khu đất liền thửa lớn nhất")
