"""The pages' smaller folium maps on screen: the occupancy page's park, the port, the land finder's
and the comparison's highlighted parks, the presentation's tour.

The maps themselves are built by :mod:`heza_geo.maps` (:mod:`heza_geo.maps.pagemaps`,
:mod:`heza_geo.maps.highlight`, :mod:`heza_geo.maps.tour`); here they are drawn one way: their
scripts and styles pointed at the app's own copies (:func:`heza_geo.maps.assets.localize`, so
they work offline), through ``streamlit_folium`` as a static picture of the map (no value sent
back: a pan or a click does not rerun the page), each built and rendered once per what it shows
(:func:`show`). The main map is :mod:`heza_geo.ui.fastmap`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.io import Dataset
from heza_geo.maps import assets
from heza_geo.maps.highlight import highlight_map
from heza_geo.ui import common, fastmap
from heza_geo.view import MapLayers, MapView


def assets_notice() -> None:
    """An error naming how many of the map's script and style files are missing (``make setup``
    installs them), where a map is about to be drawn; nothing when all are there."""
    if missing := assets.missing_assets():
        st.error(common.tr("msg.assets_missing") + f" ({len(missing)})")


def show(build: Callable[[], folium.Map], key: str, height: int, *, same: Hashable) -> None:
    """The map ``build()`` across its column, ``height`` pixels high, with local assets; it sends
    nothing back.

    Decision: the map is built and rendered once per ``(key, same)`` for every session (``same``
    names everything the map shows: the data version, the page's choices, the language), then
    only sent. Building and rendering a folium map took most of a port-page run; a run that shows
    the same map again sends the same frame, which the browser keeps without drawing it again.

    Decision: the map sits in a box of its own ``height`` from the page's first paint. The
    component's frame is drawn (and sized) by the browser only after the script run has ended:
    unboxed, it grew from nothing to ``height`` a second after the page looked finished, and
    moved everything below it; the land finder's shortlist picker, opened then, closed as its
    page scrolled, and the investor's first pick was lost (issue 14). The frame sits in the box as a
    block: inline (Streamlit's default), it left a line's descent below it, and the box scrolled."""
    box = f"{key}_box"
    st.html(f"<style>.st-key-{box} iframe {{ display: block; }}</style>")  # style only: takes no room
    with st.container(height=height, border=False, key=box):
        fastmap.draw(_payload(key, same, build), key, height)


@st.cache_resource(show_spinner=False, max_entries=64)
def _payload(key: str, same: Hashable, _build: Callable[[], folium.Map]) -> fastmap.Payload:
    return fastmap.payload(assets.localize(assets.trim(_build())))  # trimmed as drawn, whatever was added last


def frame_token(frame: gpd.GeoDataFrame | None) -> str:
    """A short text that changes with ``frame``'s rows, columns and geometries: what a map drawn
    from a computed frame (the finder's sites) gives :func:`show` as part of ``same``."""
    if frame is None:
        return ""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(",".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(pd.DataFrame(frame.drop(columns=frame.geometry.name)).astype(str),
                                             index=True).to_numpy().tobytes())
    digest.update(b"".join(frame.geometry.to_wkb().fillna(b"")))
    return digest.hexdigest()


def highlighted(data: Dataset, overview: gpd.GeoDataFrame, layers: tuple[str, ...], colour_by: str,
                parks: gpd.GeoDataFrame, labels: Mapping[str, str], *, key: str, height: int,
                sites: gpd.GeoDataFrame | None = None) -> None:
    """The city's map of ``layers`` (no plots) with ``parks`` outlined and labelled (``labels``:
    park id → "1", "A"…) and the candidate ``sites`` on top, framed on those parks.

    Parameters
    ----------
    data : Dataset
        The data on screen (zones, housing, connectivity; berths as of today).
    overview : GeoDataFrame
        Every park, from :func:`heza_geo.ui.common.overview`, coloured by ``colour_by``.
    layers : tuple of str
        The layers drawn, names of :data:`heza_geo.view.LAYER_NAMES`.
    colour_by : {"occupancy", "stage"}
        What colours the parks.
    parks : GeoDataFrame
        The parks to highlight (rows of ``overview``).
    labels : mapping
        The label of each highlighted park.
    key, height : str, int
        The map's widget key and its height in pixels.
    sites : GeoDataFrame, optional
        Candidate sites (:func:`heza_geo.analysis.land_finder.candidate_sites`) drawn on top.
    """
    lang = common.lang()

    def build() -> folium.Map:
        names = i18n.names(overview, "park_id", lang)
        frames = MapLayers(overview, data.plots.iloc[0:0], data.zones, common.berths_now(data.version, None, data),
                           data.housing, data.connectivity, common.land(), names)
        return highlight_map(frames, MapView(lang=lang, layers=layers, colour_by=colour_by), parks, labels, sites)

    same = (data.version, lang, layers, colour_by, tuple(parks["park_id"]), tuple(sorted(labels.items())),
            frame_token(sites))
    show(build, key, height, same=same)
