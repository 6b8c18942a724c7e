"""The occupancy and port pages' small maps, built on the tiny dataset."""

from __future__ import annotations

import folium
import pytest

from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.port import berth_status_text, parks_within, reach_area, status_as_of_year
from heza_geo.maps.build import feature_counts
from heza_geo.maps.pagemaps import park_map, port_map
from heza_geo.maps.tree import walk


def geojson_properties(m: folium.Map, layer: str) -> list[dict]:
    return [f["properties"] for child in walk(m) if isinstance(child, folium.GeoJson) and isinstance(child.data, dict)
            for f in child.data.get("features", []) if f.get("properties", {}).get("layer") == layer]


def port(tiny_data, year: int, km: float, lang: str = "en") -> folium.Map:
    overview = parks_overview(tiny_data)
    status = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, year)
    near = parks_within(overview, status, km)
    return port_map(overview, status, tiny_data.connectivity, near, reach_area(status, km), km, lang)


def test_port_map_outlines_the_parks_within_n_km(tiny_data):
    m = port(tiny_data, 2024, 6.0)
    assert sorted(p["park_id"] for p in geojson_properties(m, "park-near")) == ["A", "C"]
    assert feature_counts(m)["park"] == 3
    html = m.get_root().render()
    assert "heza-park-near" in html and "heza-reach" in html


def test_the_port_map_has_one_legend_its_own(tiny_data):
    # issue 15: the map's folded legend sat under the port's open one, two legends in one corner
    from heza_geo.maps.controls import Legend

    legends = [child for child in walk(port(tiny_data, 2024, 6.0)) if isinstance(child, Legend)]
    assert len(legends) == 1 and "Parks within" in legends[0].html


def test_port_map_colours_berths_by_their_status_that_year(tiny_data):
    for year, expected in ((2018, ["operating", "not_yet_planned"]), (2024, ["operating", "under_construction"]),
                           (2025, ["operating", "operating"])):
        berths = sorted(geojson_properties(port(tiny_data, year, 5.0), "berth"), key=lambda p: p["berth_no"])
        assert [p["status"] for p in berths] == expected
    m = port(tiny_data, 2018, 5.0, "vi")
    assert "heza-berth heza-berth-not-yet-planned" in m.get_root().render()
    tooltips = sorted(p["tooltip"] for p in geojson_properties(m, "berth"))
    assert tooltips == ["Bến số 1 · Đang khai thác", "Bến số 2 · Chưa có trong kế hoạch"]


def test_no_reach_and_no_outline_before_a_berth_operates(tiny_data):
    m = port(tiny_data, 2017, 50.0)
    assert geojson_properties(m, "park-near") == []
    assert "heza-reach" not in m.get_root().render()


def test_park_map_shows_one_park_and_its_plots(tiny_data):
    overview = parks_overview(tiny_data)
    counts = feature_counts(park_map(overview, tiny_data.plots, "A", "en"))
    assert counts == {"park": 1, "plot": 5}
    with pytest.raises(ValueError, match="'Z'"):
        park_map(overview, tiny_data.plots, "Z", "en")


def test_berth_status_text_names_a_berth_with_no_record():
    assert berth_status_text(None, "en") == "Not yet planned"
    assert berth_status_text("not_yet_planned", "vi") == "Chưa có trong kế hoạch"
    assert berth_status_text("operating", "en") == "Operating"
