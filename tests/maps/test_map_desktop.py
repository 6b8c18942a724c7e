"""The main map's desktop interactions as built in Python (issue 15): plots that leave the city's
clicks to the parks, a search over every kind of place, and framing clear of the controls."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.maps.build import build_map
from heza_geo.maps.controls import ClearFit, OverlayClearance
from heza_geo.maps.layers import TextSearch, inside_points, search_label
from heza_geo.maps.plots.layer import PLOTS_INTERACTIVE_ZOOM, PlotsLayer
from heza_geo.maps.tree import walk
from heza_geo.view import MapLayers, MapView


@pytest.fixture
def layers(tiny_data):
    overview = parks_overview(tiny_data)
    return MapLayers(overview, tiny_data.plots, tiny_data.zones,
                     berth_status(tiny_data.berths, tiny_data.berth_status_history), tiny_data.housing,
                     tiny_data.connectivity, None, dict(zip(overview.park_id, overview.name_vi, strict=True)))


def test_plots_answer_the_mouse_only_from_the_plots_zoom(layers):
    m = build_map(layers, MapView(lang="en"))
    (plots,) = [child for child in walk(m) if isinstance(child, PlotsLayer)]
    assert f'"interactiveZoom":{PLOTS_INTERACTIVE_ZOOM}' in plots.options_json
    assert 13 <= PLOTS_INTERACTIVE_ZOOM <= 15  # plots ~15-60 px across: a target a mouse hits


def test_the_search_names_a_place_in_the_readers_language_then_in_vietnamese():
    row = pd.Series({"name_en": "Dinh Vu Port", "name_vi": "Cảng Đình Vũ"})
    assert search_label(row, "en") == "Dinh Vu Port · Cảng Đình Vũ"
    assert search_label(row, "vi") == "Cảng Đình Vũ"


def test_a_search_opens_a_place_at_a_point_on_it():
    ring = shapely.Polygon([(0, 0), (4, 0), (4, 1), (1, 1), (1, 4), (0, 4)])  # an L: its box's centre is off it
    line = shapely.LineString([(0, 0), (2, 0)])
    frame = gpd.GeoDataFrame(geometry=[ring, line, None], crs="EPSG:4326")
    polygon_at, line_at, none_at = inside_points(frame)
    assert ring.contains(shapely.Point(polygon_at[1], polygon_at[0]))
    assert line_at == [0.0, 1.0] and none_at is None


def test_the_search_finds_parks_zones_berths_and_ports_as_text(layers):
    m = build_map(layers, MapView(lang="en"))
    html = m.get_root().render()
    (search,) = [child for child in walk(m) if isinstance(child, TextSearch)]
    assert search.placeholder == "Find a park, port or berth…"
    assert "tip.textContent = text" in html and "innerHTML" not in html.split("L.Control.Search(")[1].split("});")[0]
    labelled = [f["properties"].get("search") for child in walk(m) if hasattr(child, "data")
                and isinstance(child.data, dict) for f in child.data.get("features", [])]
    kinds = {f["properties"]["layer"] for child in walk(m) if hasattr(child, "data") and isinstance(child.data, dict)
             for f in child.data.get("features", []) if f["properties"].get("search")}
    assert {"park", "berth"} <= kinds and any(labelled)


def test_the_map_frames_its_parks_clear_of_its_controls(layers):
    m = build_map(layers, MapView(lang="en"))
    children = list(walk(m))
    (clearance,) = [c for c in children if isinstance(c, OverlayClearance)]
    (fit,) = [c for c in children if isinstance(c, ClearFit)]
    assert children.index(clearance) < children.index(fit)  # the helper is defined before the fit uses it
    html = m.get_root().render()
    assert "HezaFit.fit(" in html and "autoPanPaddingTopLeft" in html
