"""A shared link reproduces the view; a mistyped one keeps what it can and says what it dropped."""

from __future__ import annotations

from heza_geo.links import ViewState, decode, encode
from heza_geo.view import Filters, MapView


def test_round_trip():
    state = ViewState(
        Filters(zones=("dinh-vu-cat-hai",), stages=("full",), plot_statuses=("available",), min_available_ha=20),
        MapView(lang="en", layers=("parks", "berths"), colour_by="stage", basemap="offline",
                selected_park="vsip-hai-phong", center=(20.8, 106.7), zoom=12),
    )
    params = encode(state)
    assert params["lang"] == "en" and params["min_ha"] == "20" and params["layers"] == "parks,berths"
    assert decode(params) == state


def test_defaults_make_a_short_link():
    assert encode(ViewState()) == {"lang": "vi"}


def test_lists_may_come_repeated_or_comma_separated():
    state = decode({"stage": ["full", "planned"], "sector": "electronics,logistics"})
    assert state.filters.stages == ("full", "planned") and state.filters.sectors == ("electronics", "logistics")


def test_bad_values_are_dropped_and_reported():
    state = decode({"stage": "full,done", "lang": "fr", "min_ha": "lots", "z": "99", "colour": "size",
                    "layers": "parks,roads"})
    assert state.filters.stages == ("full",)
    assert state.view.lang == "vi" and state.view.zoom is None and state.view.layers == ("parks",)
    assert state.filters.min_available_ha == 0
    text = "\n".join(state.problems)
    for name in ("'stage': unknown done", "'lang': unknown fr", "'min_ha': 'lots' is not a number",
                 "'z': 99 is outside", "'colour': unknown size", "'layers': unknown roads"):
        assert name in text


def test_all_layers_off_survives_the_link():
    assert decode(encode(ViewState(view=MapView(layers=())))).view.layers == ()
