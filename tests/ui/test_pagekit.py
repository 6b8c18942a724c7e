"""How the pages draw what does not change: a chart's Vega-Lite specification and a small map are
built once per what they show (heza_geo.ui.pagekit.show, heza_geo.ui.pagemaps.show), not on
every run; what the browser gets is what Altair and streamlit-folium would have sent."""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry import Point

from heza_geo.analysis import charts
from heza_geo.analysis.investment import flows
from heza_geo.ui import fastmap, pagekit, pagemaps, slides


def test_a_charts_specification_is_altairs_and_is_built_once_per_input(tiny_shared, monkeypatch):
    frame = charts.flow_bars(flows(tiny_shared.investment), "fdi", "year 2023", "vi")
    pagekit._spec.clear()
    built = []
    original = slides.flow_chart
    monkeypatch.setattr(slides, "flow_chart", lambda *a: built.append(a) or original(*a))
    first = pagekit._spec("flow_chart", (frame, "fdi", "vi"), "vi", True)
    assert first == slides.slide(original(frame, "fdi", "vi"), "vi").to_dict()
    assert pagekit._spec("flow_chart", (frame.copy(), "fdi", "vi"), "vi", True) == first  # same values: not built again
    assert len(built) == 1
    other = charts.flow_bars(flows(tiny_shared.investment), "fdi", "year 2022", "vi")
    assert pagekit._spec("flow_chart", (other, "fdi", "vi"), "vi", True) != first  # another period: built
    assert len(built) == 2
    small = pagekit._spec("flow_chart", (frame, "fdi", "vi"), "ko", False)  # a panel's chart: not a slide
    assert "usermeta" not in small and "labelFontSize" not in small["config"].get("axis", {})
    assert small["config"]["locale"]["time"]["months"][6] == "7월"  # its time axis in the reader's language


def test_a_small_map_is_rendered_once_per_what_it_shows():
    pagemaps._payload.clear()
    made = []

    def build() -> folium.Map:
        made.append(1)
        return folium.Map(location=(20.8, 106.7), zoom_start=10, tiles=None)

    first = pagemaps._payload("port_map", ("v1", 2025, 30.0, "en"), build)
    assert pagemaps._payload("port_map", ("v1", 2025, 30.0, "en"), build) is first
    assert len(made) == 1
    assert pagemaps._payload("port_map", ("v1", 2026, 30.0, "en"), build) is not first
    assert len(made) == 2
    assert isinstance(first, fastmap.Payload) and "L.map(" in first.script
    assert first.js_links and all(link.startswith("/app/static/") for link in first.js_links)  # local, offline
    assert not any("awesome-markers" in link for link in first.js_links)  # nothing on it uses them


def test_a_frames_token_changes_with_its_values_and_geometries_only():
    sites = gpd.GeoDataFrame({"park_id": ["a", "b"], "ha": [1.5, 2.0]},
                             geometry=[Point(106.7, 20.8), Point(106.8, 20.9)], crs=4326)
    token = pagemaps.frame_token(sites)
    assert token == pagemaps.frame_token(sites.copy())
    assert token != pagemaps.frame_token(sites.assign(ha=[1.5, 2.5]))
    assert token != pagemaps.frame_token(sites.set_geometry([Point(106.7, 20.8), Point(106.8, 21.0)]))
    assert token != pagemaps.frame_token(sites.iloc[:1])
    assert pagemaps.frame_token(None) == ""
