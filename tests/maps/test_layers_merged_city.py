"""The maps of the merged city: parks far west are drawn and framed, parks with no position never are.

Dataset: ``merged`` (tests/maps/conftest.py): the tiny city plus W (placed, 40 km west), U (established,
stage approved, no position, no area) and V (planned, no position).
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
import pytest
import shapely

from heza_geo import styling
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.analysis.port import parks_within, reach_area, status_as_of_year
from heza_geo.maps import assets
from heza_geo.maps.build import build_map, feature_counts, focus_bounds
from heza_geo.maps.changes import change_map
from heza_geo.maps.controls import legend_sections
from heza_geo.maps.highlight import highlight_map
from heza_geo.maps.layers import TextSearch, is_placed, placed, unplaced_count
from heza_geo.maps.pagemaps import park_map, port_map
from heza_geo.maps.tour import presentation_map, tour_stops
from heza_geo.maps.tree import walk
from heza_geo.schema import PARK_STAGE
from heza_geo.view import MapLayers, MapView
from tests.maps.conftest import UNPLACED_IDS


@pytest.fixture(scope="module")
def overview(merged) -> gpd.GeoDataFrame:
    return parks_overview(merged)


@pytest.fixture(scope="module")
def berths(merged) -> gpd.GeoDataFrame:
    return berth_status(merged.berths, merged.berth_status_history)


@pytest.fixture(scope="module")
def layers(merged, overview, berths) -> MapLayers:
    return MapLayers(overview, merged.plots, merged.zones, berths, merged.housing, merged.connectivity, None,
                     dict(zip(overview.park_id, overview.name_vi, strict=True)))


def park_features(m: folium.Map, layer: str = "park") -> list[dict]:
    return [f for child in walk(m) if isinstance(child, folium.GeoJson) and isinstance(child.data, dict)
            for f in child.data.get("features", []) if f.get("properties", {}).get("layer") == layer]


def fit_bounds(m: folium.Map) -> list[list[float]]:
    """Where the map opens: its one fitBounds."""
    (fit,) = [child for child in walk(m) if isinstance(child, folium.FitBounds)]
    return fit.bounds


def last_fit_bounds(m: folium.Map) -> list[list[float]]:
    """Where the map ends up: the last of its fitBounds (a highlight map frames its parks after the city)."""
    return [child for child in walk(m) if isinstance(child, folium.FitBounds)][-1].bounds


def test_the_map_draws_every_placed_park_and_none_without_a_position(layers):
    m = build_map(layers, MapView(lang="en"))
    ids = sorted(f["properties"]["park_id"] for f in park_features(m))
    assert ids == ["A", "B", "C", "W"]
    assert all(f["geometry"] is not None for f in park_features(m))
    assert feature_counts(m)["park"] == 4


def test_no_popup_or_tooltip_of_the_map_names_a_park_without_a_position(layers):
    html = build_map(layers, MapView(lang="en")).get_root().render()
    assert "West IP" in html
    assert "Unplaced IP" not in html and "Planned Unplaced IP" not in html


def test_the_search_lists_the_placed_parks_only(layers):
    m = build_map(layers, MapView(lang="en"))
    (_search,) = [child for child in walk(m) if isinstance(child, TextSearch)]  # it finds what the map draws
    names = [f["properties"]["search"] for f in park_features(m)]
    assert "West IP · KCN Phía Tây" in names  # the reader's language first, then Vietnamese
    assert not [n for n in names if "Unplaced" in n]


def test_the_opening_view_frames_every_placed_park_east_and_west(layers, overview):
    (south, west), (north, east) = fit_bounds(build_map(layers, MapView(lang="en")))
    placed_parks = placed(overview)
    minx, miny, maxx, maxy = placed_parks.total_bounds
    assert (west, south, east, north) == pytest.approx((minx, miny, maxx, maxy))
    assert east - west > 0.35  # W lies 40 km west of A: both are in the frame


@pytest.mark.parametrize("park_id", UNPLACED_IDS)
def test_a_selected_park_without_a_position_is_not_zoomed_to(overview, park_id):
    assert focus_bounds(overview, MapView(selected_park=park_id)) is None
    assert focus_bounds(overview, MapView(selected_park=park_id, center=(20.8, 106.4), zoom=12)) is None


def test_a_filter_keeping_only_parks_without_a_position_leaves_the_view_alone(overview):
    only = overview[overview["park_id"].isin(UNPLACED_IDS)]
    assert focus_bounds(only, MapView()) is None


def test_a_selected_placed_park_is_still_framed(overview):
    (south, west), (north, east) = focus_bounds(overview, MapView(selected_park="W"))
    minx, miny, maxx, maxy = overview.loc[overview["park_id"] == "W"].total_bounds
    assert (west, south, east, north) == pytest.approx((minx, miny, maxx, maxy))


def test_an_exported_map_of_an_unplaced_park_opens_on_all_the_placed_parks(layers, overview):
    m = build_map(layers, MapView(lang="en", selected_park="U"))
    (_south, west), (_north, east) = fit_bounds(m)
    assert (west, east) == pytest.approx((overview.total_bounds[0], overview.total_bounds[2]))
    assert not [f for f in park_features(m) if f["properties"]["park_id"] == "U"]


def test_placed_tells_drawable_records_from_parks_without_a_position(overview):
    assert sorted(overview.loc[~is_placed(overview), "park_id"]) == sorted(UNPLACED_IDS)
    assert unplaced_count(overview) == len(UNPLACED_IDS)
    assert unplaced_count(placed(overview)) == 0


def test_the_tour_skips_parks_without_a_position_and_starts_in_the_west(overview, berths):
    stops = tour_stops(overview, berths, "en")
    assert [s.key for s in stops] == ["overview", "W", "B", "A", "port"]  # the whole city first (issue 15)
    assert all(s.geometry is not None for s in stops[1:])


def test_the_presentation_map_draws_only_placed_parks(overview, berths):
    stops = tour_stops(overview, berths, "vi")
    m = presentation_map(overview, berths, None, stops, "vi", 12, "http://localhost:8501/presentation")
    assert sorted(f["properties"]["park_id"] for f in park_features(m)) == ["A", "B", "C", "W"]
    assets.localize(m)
    m.get_root().render()


def test_compare_and_finder_maps_highlight_placed_parks_and_skip_the_rest(layers, overview):
    highlighted = overview[overview["park_id"].isin(["W", "U"])]
    m = highlight_map(layers, MapView(lang="en"), highlighted, {"W": "1", "U": "2"})
    assert [f["properties"]["park_id"] for f in park_features(m, "candidate")] == ["W"]
    (_south, west), (_north, east) = last_fit_bounds(m)
    w = overview.loc[overview["park_id"] == "W"].total_bounds
    assert (west, east) == pytest.approx((w[0], w[2]))
    m.get_root().render()


def test_highlighting_only_parks_without_a_position_draws_the_city(layers, overview):
    only = overview[overview["park_id"].isin(UNPLACED_IDS)]
    m = highlight_map(layers, MapView(lang="en"), only, {"U": "1", "V": "2"})
    assert park_features(m, "candidate") == []
    assert len([child for child in walk(m) if isinstance(child, folium.FitBounds)]) == 1  # the city's frame
    m.get_root().render()


def test_the_occupancy_pages_map_of_an_unplaced_park_draws_without_error(merged, overview):
    m = park_map(overview, merged.plots, "U", "en")
    assert park_features(m) == []
    m.get_root().render()


def test_the_port_map_never_outlines_a_park_without_a_position(merged, overview):
    status = status_as_of_year(merged.berths, merged.berth_status_history, 2025)
    near = parks_within(overview, status, 100.0)
    m = port_map(overview, status, merged.connectivity, near, reach_area(status, 100.0), 100.0, "en")
    outlined = {f["properties"]["park_id"] for f in park_features(m, "park-near")}
    assert outlined and not outlined & set(UNPLACED_IDS)
    m.get_root().render()


@pytest.mark.parametrize("ids", [["U"], ["U", "W"]])
def test_the_import_preview_of_a_park_without_a_position_draws_without_error(overview, ids):
    changes = overview[overview["park_id"].isin(ids)][["park_id", "geometry"]].rename(
        columns={"park_id": "record_id"}).assign(op="update")
    m = change_map(changes, "en", context=overview[["geometry"]])
    bounds = last_fit_bounds(m)
    assert all(math.isfinite(v) for corner in bounds for v in corner)
    assert "U · " not in m.get_root().render()


def test_every_park_stage_has_its_own_colour_and_a_legend_entry():
    assert set(styling.STAGE_COLOURS) == set(PARK_STAGE)
    assert len(set(styling.STAGE_COLOURS.values())) == len(PARK_STAGE)
    assert styling.STAGE_COLOURS["approved"] not in (styling.SELECTED_COLOUR, styling.TOUR_HIGHLIGHT_COLOUR)
    (_heading, entries), *_ = legend_sections(MapView(lang="en", colour_by="stage"))
    assert (styling.STAGE_COLOURS["approved"], "Established, no work reported yet", "box") in entries
    assert [text for _, text, _ in entries] == [
        text for s in PARK_STAGE for c, text, _ in entries if c == styling.STAGE_COLOURS[s]]


def test_an_approved_park_is_filled_with_its_stage_colour():
    assert styling.park_style("stage", "approved", None).fill == styling.STAGE_COLOURS["approved"]


def test_the_offline_basemap_covers_the_whole_merged_city_with_room_to_pan():
    from heza_geo.io.basemap import WINDOW, offline_land
    from heza_geo.schema import HAI_PHONG_BOUNDS

    minx, miny, maxx, maxy = HAI_PHONG_BOUNDS
    assert WINDOW[0] < minx - 0.5 and WINDOW[1] < miny and WINDOW[2] > maxx and WINDOW[3] > maxy
    land = offline_land()
    if land is None:
        pytest.skip("static/vendor/world-atlas not installed (make setup)")
    west = shapely.box(106.15, 20.9, 106.55, 21.15)  # the former Hải Dương's parks: inland, all land
    assert land.covers(west)


def test_the_former_hai_duongs_placed_parks_lie_on_the_offline_land():
    """Inland, 50 km west of the coast: every one of them on Natural Earth's land (the eastern parks on
    reclaimed land, Đình Vũ, lie on 1:10m water and are drawn over it, as before the merger)."""
    from heza_geo.config import DEFAULT_DATA_DIR
    from heza_geo.io import load_dataset
    from heza_geo.io.basemap import offline_land

    land = offline_land()
    if land is None:
        pytest.skip("static/vendor/world-atlas not installed (make setup)")
    parks = placed(load_dataset(DEFAULT_DATA_DIR).parks)
    western = parks[parks["province_before_2025"] == "Hải Dương"]
    assert len(western) >= 1
    assert western.geometry.within(land).all()


def test_the_demo_tour_starts_with_the_former_hai_duongs_parks_and_skips_the_unplaced():
    from heza_geo.config import DEFAULT_DATA_DIR
    from heza_geo.io import load_dataset

    data = load_dataset(DEFAULT_DATA_DIR)
    overview = parks_overview(data)
    stops = tour_stops(overview, berth_status(data.berths, data.berth_status_history), "en", data.connectivity)
    region = overview.set_index("park_id")["province_before_2025"]
    parks = [s.key for s in stops if s.park_id is not None]  # not the overview nor the port
    established = placed(overview[overview["status"] == "established"])
    assert sorted(parks) == sorted(established["park_id"])  # every placed established park, no unplaced one
    west = [region[p] == "Hải Dương" for p in parks]
    assert west == sorted(west, reverse=True) and west[0]  # the former Hải Dương first, then the old city
