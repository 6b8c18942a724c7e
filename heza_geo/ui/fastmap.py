"""The main map in a page, fast with tens of thousands of plots: built once, then only filtered.

The map is built once per (data version, view without the selected park) with every park and
plot, rendered to the strings streamlit-folium sends (its leaflet script, header and html) and
cached for all sessions. The plots go to the browser as a gzipped file the app serves from ``static/cache``:
the current data version's only (a superseded one's, e.g. a reverted edit's, is removed when the new
one is written), named by an HMAC under the install's key (:data:`PLOT_KEY_FILE`, never served), so
no file can be found by guessing. A filter change or a click sends only a small script (which parks and
plots to show, which park to outline, where to frame) through streamlit-folium's
``feature_group`` slot: the map in the browser is not rebuilt, and the server does not render it
again.

One script run per action, none for anything else: streamlit-folium reports nothing
(``returned_objects=[]``; its view reports reran the page on every pan and once on opening). The
map's own script (``HezaPlots.applyView`` with ``following``) sends a click on a park or a plot,
counted so that the same park clicked again is a new value, and writes the map's centre and zoom
into the page's URL itself (a copied link opens this view; the server only passes
``lat``/``lon``/``z`` on). The click is read in the run it causes, before anything is drawn
(:func:`take_click`).

``show_map`` draws the map; ``take_click`` returns the click that caused this run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

import folium
import geopandas as gpd
import streamlit as st
import streamlit_folium as sf
from shapely.geometry.base import BaseGeometry

from heza_geo.analysis.selection import Selection, select
from heza_geo.config import REPO_ROOT
from heza_geo.io import Dataset
from heza_geo.maps import assets, walk
from heza_geo.maps.build import build_map, focus_bounds
from heza_geo.maps.plots.layer import (
    PlotsLibrary,
    ViewFilter,
    install_key,
    view_script,
    view_state,
    write_plot_files,
)
from heza_geo.maps.plots.pack import pack
from heza_geo.view import Filters, MapView, PlotSource

log = logging.getLogger(__name__)

PLOT_CACHE_DIR = REPO_ROOT / "static" / "cache"
PLOT_CACHE_URL = "/app/static/cache"
#: the install's key for plot file names (shared by its app processes); outside static/, never served
PLOT_KEY_FILE = REPO_ROOT / ".cache" / "plot-cache.key"
#: what streamlit-folium reports: nothing (the map's own script sends clicks; see the module's doc)
RETURNED: tuple[str, ...] = ()
#: the map fills its frame: streamlit-folium sizes its div to the ``height`` it is given, in pixels;
#: a page may size the frame itself (the map page: by the window, heza_geo.ui.layout), and Leaflet
#: then follows the frame (its window's resize). A frame of ``height`` pixels looks as before.
FILL_FRAME = "<style>#map_div { height: 100vh !important; }</style>"

# streamlit-folium's own pieces; without them (another version) the map falls back to st_folium.
_FAST = all(hasattr(sf, name) for name in ("_component_func", "_get_html", "_get_header", "_get_map_string",
                                            "generate_js_hash", "get_full_id"))


@dataclass(frozen=True)
class Payload:
    """What streamlit-folium sends for a map, computed once: the same values ``st_folium`` passes
    to its component (tests/test_mapping_perf.py checks they match)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: list[list[float | None]]
    zoom: object

    @property
    def nbytes(self) -> int:
        return sum(len(s.encode("utf-8")) for s in (self.script, self.header, self.html))

    def defaults(self, returned_objects: Iterable[str] | None) -> dict[str, object]:
        (south, west), (north, east) = self.bounds
        values = {
            "last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
            "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
            "last_active_drawing": None,
            "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
            "zoom": self.zoom, "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
            "selected_tags": None, "last_geocoder_result": None,
        }
        return {k: v for k, v in values.items() if returned_objects is None or k in returned_objects}


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The JS and CSS files of the map's elements, in st_folium's order."""
    css: list[str] = []
    js: list[str] = []

    for element in walk(m):
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def payload(m: folium.Map) -> Payload:
    """Render ``m`` the way ``st_folium`` does (the map may not be rendered again afterwards)."""
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    css, js = _links(m)
    return Payload(script, header, html, sf.get_full_id(m), css, js, bounds, m.options.get("zoom"))


# --- cached pieces ----------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=4)
def _plot_source(version: str, _plots: gpd.GeoDataFrame) -> PlotSource | None:
    return _write_plots(_plots, keep=1)


def _write_plots(plots: gpd.GeoDataFrame, keep: int) -> PlotSource | None:
    try:
        return write_plot_files(pack(plots), PLOT_CACHE_DIR, PLOT_CACHE_URL, keep=keep,
                                secret=install_key(PLOT_KEY_FILE))
    except OSError as exc:
        log.warning("plots drawn inline: cannot write %s or read %s (%s)", PLOT_CACHE_DIR, PLOT_KEY_FILE, exc)
        return None


def plot_source(version: str, plots: gpd.GeoDataFrame) -> PlotSource | None:
    """The packed plots of data ``version`` as a file the app serves; None (plots inline in the
    map) when ``static/cache`` cannot be written.

    Writing a version's file removes every other (:func:`heza_geo.maps.plots.layer.write_plot_files`).
    When this file is gone, another process wrote a version of its own: it is written again, but
    keeping the newest other file, which that process serves; of two processes on different
    versions neither deletes the other's current file, and the older version's file goes when
    its last process moves on (within ``common.WATCH_SECONDS``) and writes the new one.
    """
    source = _plot_source(version, plots)
    if source is not None and not (PLOT_CACHE_DIR / source.url.rsplit("/", 1)[-1]).is_file():
        source = _write_plots(plots, keep=2)
    return source


def base_map(data: Dataset, view: MapView, parks_all: gpd.GeoDataFrame, berths: gpd.GeoDataFrame,
             land: BaseGeometry | None, as_of: date | None = None) -> folium.Map:
    """The map of ``view`` with every park and plot (a filter then hides some in the browser)."""
    everything = select(data, Filters(), view, as_of=as_of, overview=parks_all, berths=berths, land=land)
    source = plot_source(data.version, data.plots) if "plots" in view.layers else None
    m = build_map(replace(everything.map_layers(), plot_source=source), view)
    m.add_child(PlotsLibrary())
    assets.localize(m)
    return m


@st.cache_resource(show_spinner=False, max_entries=16)
def base_payload(version: str, view: MapView, _data: Dataset, _parks_all: gpd.GeoDataFrame,
                 _berths: gpd.GeoDataFrame, _land: BaseGeometry | None) -> Payload:
    """:func:`base_map` rendered, once per data version and view, for every session."""
    return payload(base_map(_data, view, _parks_all, _berths, _land))


def filter_state(data: Dataset, selection: Selection, view: MapView, parks_all: gpd.GeoDataFrame) -> dict:
    """What the filters of ``selection`` change on the base map (see ``plotlayer.view_state``)."""
    return view_state(data.plots, selection.plots, parks_all, selection.parks, focus_bounds(selection.parks, view),
                      view.selected_park)


# --- the component ----------------------------------------------------------------------------
def take_click(key: str) -> dict | None:
    """The park (or plot) click on map ``key`` that caused this run: ``{"park_id", "plot_id",
    "layer", "n"}``, once (None in any other run). Call it before drawing, so the run the click
    causes draws its answer."""
    return st.session_state.pop(f"{key}.click", None)


def show_map(
    data: Dataset,
    selection: Selection,
    view: MapView,
    *,
    parks_all: gpd.GeoDataFrame,
    berths: gpd.GeoDataFrame,
    land: BaseGeometry | None,
    key: str,
    height: int = 640,
    page_url: str = "",
) -> None:
    """Draw the map of ``view`` showing what ``selection`` keeps; a click on it reruns the page
    once, with the click in :func:`take_click`.

    ``view`` is the view the map was opened with (its centre and zoom fixed for the session);
    ``selection`` comes from :func:`heza_geo.analysis.selection.select` for the page's filters;
    ``page_url`` is the query string the page wrote this run: when it changes, the map writes its
    view into the new URL again.
    """
    state = filter_state(data, selection, view, parks_all) | {"page": page_url}
    view = replace(view, selected_park=None)  # the selection is outlined by the filter script: one map for all
    if not _FAST:  # pragma: no cover - another streamlit-folium: the plain, slower path
        group = folium.FeatureGroup(name="filter", control=False).add_child(ViewFilter(state, follow=True))
        m = base_map(data, view, parks_all, berths, land)
        sf.st_folium(m, key=key, height=height, use_container_width=True, returned_objects=list(RETURNED),
                     feature_group_to_add=group, on_change=lambda: _clicked(key, st.session_state.get(key)))
        return
    base = base_payload(data.version, view, data, parks_all, berths, land)
    if "plots" in view.layers:
        plot_source(data.version, data.plots)  # the file the cached map fetches is still there
    draw(base, key, height, feature_group=view_script(state, follow=True),
         on_change=lambda hash_key: _clicked(key, st.session_state.get(hash_key)))


def draw(base: Payload, key: str, height: int, *, feature_group: str | None = None,
         on_change: Callable[[str], None] | None = None) -> None:
    """The rendered map ``base`` through streamlit-folium's component, reporting nothing
    (:data:`RETURNED`); ``feature_group`` is a script run on the map after it is drawn,
    ``on_change`` is called with the component's session key when the map sends a value.

    The component's key comes from the map's script: the same map drawn again in another run
    keeps its frame (nothing is redrawn in the browser); another map replaces it."""
    hash_key = sf.generate_js_hash(base.script, key, False)
    sf._component_func(
        script=base.script, header=base.header + FILL_FRAME, html=base.html, id=base.map_id, key=hash_key,
        height=height,
        width=None, returned_objects=list(RETURNED), default=base.defaults(RETURNED), zoom=None, center=None,
        feature_group=feature_group, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(base.css_links), js_links=list(base.js_links),
        on_change=None if on_change is None else lambda: on_change(hash_key), wrap_longitude=False,
    )


def _clicked(key: str, value: object) -> None:
    """The map's value changed: a click the map's script sent (see :func:`take_click`)."""
    if isinstance(value, dict) and value.get("park_id"):
        st.session_state[f"{key}.click"] = value
