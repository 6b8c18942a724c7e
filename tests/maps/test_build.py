"""The map a user sees: which features, in which language, with which provenance, and nothing secret."""

from __future__ import annotations

import json
import re

import folium
import pytest

from heza_geo import i18n
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.maps import assets
from heza_geo.maps.build import build_map, feature_counts
from heza_geo.maps.controls import Legend, legend_sections
from heza_geo.maps.tree import walk
from heza_geo.view import MapLayers, MapView


@pytest.fixture
def layers(tiny_data):
    overview = parks_overview(tiny_data)
    plots = tiny_data.plots.assign(tenant_contact="secret-contact@example.vn", price_usd_m2=123.45)
    return MapLayers(overview, plots, tiny_data.zones, berth_status(tiny_data.berths, tiny_data.berth_status_history),
                     tiny_data.housing, tiny_data.connectivity, None,
                     dict(zip(overview.park_id, overview.name_vi, strict=True)))


def render(layers, **view) -> str:
    m = build_map(layers, MapView(**view))
    assets.localize(m)
    return m.get_root().render()


def texts(layers, **view) -> str:
    """What a reader can see: popups, tooltips and the legend, unescaped."""
    m = build_map(layers, MapView(**view))
    out = []
    for element in walk(m):
        if isinstance(element, folium.GeoJson) and isinstance(element.data, dict):
            out += [f"{f['properties'].get('popup', '')} {f['properties'].get('tooltip', '')}"
                    for f in element.data["features"]]
        if isinstance(element, Legend):
            out.append(element.html)
        if isinstance(element, folium.Popup):
            out.append(element.html.render())
    return "\n".join(out)


def test_every_layer_is_drawn(layers):
    counts = feature_counts(build_map(layers, MapView()))
    assert counts["zone"] == 1 and counts["park"] == 3 and counts["plot"] == 7 and counts["berth"] == 2


def test_switched_off_layers_are_not_drawn(layers):
    counts = feature_counts(build_map(layers, MapView(layers=("parks",))))
    assert counts == {"park": 3}


def test_map_needs_no_internet_for_its_code(layers):
    m = build_map(layers, MapView())
    assets.localize(m)
    assert assets.external_links(m) == []


def test_offline_basemap_has_no_tile_layer(layers):
    html = render(layers, basemap="offline")
    assert "tile.openstreetmap.org" not in html and "arcgisonline" not in html


def test_popups_follow_the_language_and_number_format(layers):
    vi, en = texts(layers, lang="vi"), texts(layers, lang="en")
    assert "Tỷ lệ lấp đầy" in vi and "71,4%" in vi
    assert "Occupancy" in en and "71.4%" in en and "Tỷ lệ lấp đầy" not in en
    assert "KCN Ánh Dương" in vi and "Anh Duong IP" in en


def test_korean_legend(layers):
    assert "범례" in texts(layers, lang="ko")


def test_the_measure_control_and_pointer_position_speak_the_readers_language(layers):
    html = render(layers, lang="ko")
    assert json.dumps(i18n.t("measure.button", "ko")) in html  # "Measure" is swapped as it is drawn
    assert json.dumps(i18n.t("measure.title", "ko")) in html
    assert json.dumps(i18n.t("map.position_unavailable", "ko")) in html  # not Leaflet.MousePosition's "Unavailable"
    assert '"Unavailable"' not in html


def test_official_and_demo_figures_are_badged(layers):
    html = texts(layers, lang="en")
    assert "heza-badge-report" in html  # A's occupancy, 001
    assert "heza-badge-synthetic-demo" in html  # plots, B's occupancy


def test_confidential_plot_fields_never_reach_the_map(layers):
    html = render(layers, lang="en")
    assert "secret-contact@example.vn" not in html and "123.45" not in html


def test_legend_follows_colour_choice(layers):
    stage = legend_sections(MapView(lang="en", colour_by="stage"))
    assert stage[0][0] == "Stage" and next(text for _, text, _ in stage[0][1]) == "Substantially filled"
    occupancy = legend_sections(MapView(lang="vi"))
    assert occupancy[0][1][0][1] == "0–25%"


def test_selected_park_is_highlighted_and_framed(layers):
    html = render(layers, selected_park="A")
    assert "heza-park-selected" in html and re.search(r"fitBounds\(", html)


@pytest.mark.parametrize("kwargs, message", [
    ({"layers": ("roads",)}, "layers: unknown"),
    ({"colour_by": "size"}, "colour_by must be one of occupancy, stage"),
    ({"basemap": "google"}, "basemap must be one of"),
])
def test_bad_view_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MapView(**kwargs)
