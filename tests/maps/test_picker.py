"""The staff page's plot picker on the tiny dataset (tests/conftest.py: park A's plots A-1…A-3)."""

from __future__ import annotations

import json

from heza_geo.maps.picker import PICKED_CLASS, picked, plot_picker_map


def _features(m) -> list[dict]:
    """The plots' GeoJSON features as the map carries them (the GeoJson layer's data)."""
    from folium import GeoJson

    layers = [c for c in m._children.values() if isinstance(c, GeoJson) and c.data["features"]
              and "record_id" in c.data["features"][0]["properties"]]
    [layer] = layers
    return [(f, layer.style_function(f)) for f in layer.data["features"]]


def test_each_plot_is_a_feature_carrying_its_id_and_only_the_chosen_one_is_marked(tiny_shared):
    plots = tiny_shared.plots.assign(record_id=tiny_shared.plots["plot_id"])
    park_a = plots[plots["park_id"] == "A"]
    m = plot_picker_map(park_a, "vi", selected="A-2", park=tiny_shared.parks[tiny_shared.parks["park_id"] == "A"])
    features = _features(m)
    assert sorted(f["properties"]["record_id"] for f, _ in features) == sorted(park_a["plot_id"])
    marked = [f["properties"]["record_id"] for f, style in features if PICKED_CLASS in style["className"]]
    assert marked == ["A-2"]
    assert all("heza-plot-pick" in style["className"] for _, style in features)
    assert "A-2 · " in json.dumps([f["properties"]["label"] for f, _ in features], ensure_ascii=False)


def test_a_click_picks_the_plot_whose_feature_was_clicked_and_nothing_else():
    click = {"last_active_drawing": {"type": "Feature", "properties": {"record_id": "A-2"}, "geometry": None}}
    assert picked(click, ["A-1", "A-2"]) == "A-2"
    assert picked(click, ["B-1"]) is None  # a plot of another park (a map from before the park changed)
    assert picked({"last_active_drawing": None}, ["A-2"]) is None
    assert picked(None, ["A-2"]) is None
