"""A plot's popup adds its park's passport in two lines: the lease price range with the land figures'
date and badge, and the readiness with the planning figures'; the browser (plots.js) builds the same
HTML from rows sent once per park.

Tiny dataset (tests/conftest.py): A 100–120 USD/m², ready, land and planning synthetic demo as of
2025; B 60–80 USD/m², infrastructure under way until June 2027; C has no passport.
"""

from __future__ import annotations

import html
import shutil

import pytest

from heza_geo import i18n
from heza_geo.maps.build import build_map
from heza_geo.maps.plots.layer import PlotsLayer, park_passport_rows
from heza_geo.maps.plots.pack import pack, plot_labels
from heza_geo.maps.popups import passport_rows, plot_popup
from heza_geo.maps.tree import walk
from heza_geo.view import MapView


def _passport(data, park_id):
    rows = data.passports[data.passports["park_id"] == park_id]
    return rows.iloc[0] if len(rows) else None


def test_the_popup_gives_the_parks_price_range_and_readiness_with_date_and_badge(tiny_shared):
    rows = dict(passport_rows(_passport(tiny_shared, "A"), "en"))
    price = rows["Land lease price (whole term)"]
    assert price.startswith("100–120 USD/m² ") and "as of 2025" in price and "heza-badge-synthetic-demo" in price
    readiness = rows["Land readiness"]
    assert readiness.startswith(html.escape(i18n.label("readiness", "ready", "en")))
    assert "as of 2025" in readiness and "heza-badge-synthetic-demo" in readiness


def test_readiness_under_way_says_when_to_the_month(tiny_shared):
    rows = dict(passport_rows(_passport(tiny_shared, "B"), "ko"))
    assert rows[i18n.t("passport.row.lease_price", "ko")].startswith("60–80 USD/m² ")
    assert "2027년 6월" in rows[i18n.t("passport.row.readiness", "ko")]


def test_a_park_without_a_passport_says_not_published_never_zero():
    assert passport_rows(None, "en") == [("Land lease price (whole term)", "Not published — ask HEZA")]


def test_the_rows_follow_the_park_in_the_plots_popup(tiny_shared):
    plot = tiny_shared.plots.iloc[0]
    popup = plot_popup(plot, "en", "Anh Duong IP", passport_rows(_passport(tiny_shared, "A"), "en"))
    assert popup.index("Anh Duong IP") < popup.index("100–120 USD/m²") < popup.index("30.00 ha")


def test_rows_are_sent_once_per_park_not_per_plot(tiny_shared):
    packed = pack(tiny_shared.plots)
    rows = park_passport_rows(tiny_shared.passports, packed["parks"], "en")
    labels = plot_labels("en", {}, packed, rows)
    assert len(labels["passport"]) == len(packed["parks"]) == 2  # A and B, for seven plots
    assert park_passport_rows(None, packed["parks"], "en") == {}


def test_the_map_sends_each_parks_passport_rows_to_the_plots_layer(tiny_shared):
    from heza_geo.analysis.selection import select
    from heza_geo.view import Filters

    view = MapView(lang="en", layers=("parks", "plots"))
    m = build_map(select(tiny_shared, Filters(), view, land=None).map_layers(), view)
    layer = next(e for e in walk(m) if isinstance(e, PlotsLayer))
    assert "100–120 USD/m²" in layer.options_json and "60–80 USD/m²" in layer.options_json


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed (scripts/setup.sh installs it)")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_browsers_popup_reads_the_same(tiny_shared, lang):
    from tests.maps.test_plots import run_js

    plots = tiny_shared.plots
    packed = pack(plots)
    rows = park_passport_rows(tiny_shared.passports, packed["parks"], lang)
    names = {"A": "Anh Duong IP", "B": "Binh Minh IP"}
    shown = run_js("""
        const d = H.decode(input.packed);
        console.log(JSON.stringify([...Array(d.n).keys()].map(i => H.popup(d, i, input.labels))));
        """, {"packed": packed, "labels": plot_labels(lang, names, packed, rows)})
    assert shown == [plot_popup(row, lang, names[row["park_id"]], rows[row["park_id"]]) for _, row in plots.iterrows()]
    assert all(i18n.t("passport.row.lease_price", lang) in s for s in shown)
