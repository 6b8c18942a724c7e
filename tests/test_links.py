"""A shared link reproduces the view; a mistyped one keeps what it can and says what it dropped."""

from __future__ import annotations

import pytest

from heza_geo import links
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
    # each dropped value with what is used instead (the page says it in its language: msg.bad_link_param)
    assert {(p.name, p.value, p.default) for p in state.problems} == {
        ("stage", "done", "full"), ("lang", "fr", "vi"), ("min_ha", "lots", "0"), ("z", "99", ""),
        ("colour", "size", "occupancy"), ("layers", "roads", "parks")}
    assert {p.name: p.allowed for p in state.problems}["z"] == "1–20"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_coordinate_that_is_not_a_finite_number_is_dropped(value):
    state = decode({"lat": value, "lon": "106.7", "z": "12"})
    assert state.view.center is None and [p.name for p in state.problems] == ["lat"]


def test_all_layers_off_survives_the_link():
    assert decode(encode(ViewState(view=MapView(layers=())))).view.layers == ()


# --- the link a phone in the room can open ------------------------------------------------------
@pytest.mark.parametrize(
    "setting, headers, lan, expected",
    [
        ("https://gis.heza.gov.vn/", {"Host": "127.0.0.1:8501"}, "192.168.1.20",
         ("https://gis.heza.gov.vn", "setting")),
        (None, {"Host": "10.1.2.3:8501"}, "192.168.1.20", ("http://10.1.2.3:8501", "request")),
        (None, {"X-Forwarded-Host": "gis.example.vn", "X-Forwarded-Proto": "https", "Host": "app:8501"}, None,
         ("https://gis.example.vn", "request")),
        # the presenter's browser on this machine: the machine's address on the Wi-Fi, same port
        (None, {"Host": "127.0.0.1:8655"}, "192.168.1.20", ("http://192.168.1.20:8655", "lan")),
        (None, {"Host": "localhost:8501"}, "192.168.1.20", ("http://192.168.1.20:8501", "lan")),
        ("", {"Host": "[::1]:8501"}, "10.0.0.7", ("http://10.0.0.7:8501", "lan")),
        (None, {}, "10.0.0.7", ("http://10.0.0.7", "lan")),
        # no network at all: no link, rather than one no phone can open
        (None, {"Host": "127.0.0.1:8501"}, None, (None, "none")),
        (None, None, None, (None, "none")),
    ],
)
def test_the_shared_link_is_never_this_machines_loopback(setting, headers, lan, expected):
    share = links.share_base(setting, headers, lan=lambda: lan)
    assert (share.url, share.source) == expected


def test_this_machines_lan_address_is_not_loopback_or_none():
    address = links.lan_address()
    assert address is None or not links.is_loopback(address)
