"""The browser's map of an export names the parks and explains every marker (issue 16)."""

from __future__ import annotations

import json
import re

from heza_geo import i18n
from heza_geo.analysis.selection import select
from heza_geo.export import snapshot
from heza_geo.view import Filters, MapView


def map_labels(page: str) -> list[str]:
    """The HTML of every text marker (``L.divIcon``) on the page, in the order they are added."""
    return [json.loads(text) for text in re.findall(r'L\.divIcon\(\{\s*"html": ("(?:[^"\\]|\\.)*")', page)]


def test_printed_map_carries_each_parks_name_as_a_label_on_the_map_largest_first(tiny_data):
    selection = select(tiny_data, Filters(), MapView(lang="vi"))
    page = snapshot.snapshot_map(selection, snapshot.caption(selection, {})).get_root().render()
    labels = [text for text in map_labels(page) if "heza-park-label" in text]
    assert labels == [f'<div class="heza-park-label">{name}</div>'
                      for name in ("KCN Ánh Dương", "KCN Cát Hải Mới", "KCN Bình Minh")]  # 100, 30, 20 ha


def test_interactive_map_file_has_no_fixed_labels(tiny_data):
    selection = select(tiny_data, Filters(), MapView(lang="vi"))
    page = snapshot.snapshot_map(selection, snapshot.caption(selection, {}), for_print=False).get_root().render()
    assert not [text for text in map_labels(page) if "heza-park-label" in text]


def test_printed_maps_legend_has_an_entry_for_the_airport_marker(tiny_data):
    selection = select(tiny_data, Filters(), MapView(lang="en"))
    page = snapshot.snapshot_map(selection, snapshot.caption(selection, {})).get_root().render()
    airport = i18n.label("connectivity_kind", "airport", "en")
    legend = "".join(json.loads(text) for text in re.findall(r'innerHTML = ("(?:[^"\\]|\\.)*")', page)
                     if "heza-legend-item" in text)
    assert f'heza-swatch-dot" style="background:#1f4e79"></span>{airport}</div>' in legend
