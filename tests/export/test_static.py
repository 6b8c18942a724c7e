"""The static renderer's map names the parks and explains every marker it draws (issue 16)."""

from __future__ import annotations

from matplotlib.text import Text

from heza_geo import i18n
from heza_geo.analysis.selection import select
from heza_geo.export import SIZES, snapshot, static
from heza_geo.view import Filters, MapView


def drawn_texts(figure) -> list[str]:
    """Every text artist of the figure, the legend's (in offset boxes) included."""
    return [a.get_text() for a in figure.findobj(Text) if a.get_visible() and a.get_text()]


def figure_of(tiny_data, view: MapView):
    selection = select(tiny_data, Filters(), view)
    cap = snapshot.caption(selection, {})
    return static.map_figure(selection, cap, SIZES["1920x1080"], i18n.t("legend.title", view.lang))


def test_static_map_writes_each_parks_name_on_it(tiny_data):
    figure = figure_of(tiny_data, MapView(lang="en"))
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert {"Anh Duong IP", "Binh Minh IP", "New Cat Hai IP"} <= set(labels), labels


def test_static_map_leaves_out_a_name_that_would_cover_a_larger_parks(tiny_data):
    figure = figure_of(tiny_data, MapView(lang="en", center=(20.8, 106.45), zoom=8))  # all parks in a few pixels
    labels = [t.get_text() for t in figure.axes[0].texts if t.get_text().endswith(" IP")]
    assert labels == ["Anh Duong IP"]  # the largest park keeps its name


def test_static_legend_has_an_entry_for_every_kind_of_marker_drawn(tiny_data):
    texts = drawn_texts(figure_of(tiny_data, MapView(lang="vi")))
    assert i18n.label("connectivity_kind", "airport", "vi") in texts  # the airport's dot
    assert i18n.t("layer.housing", "vi") in texts  # the housing dots
