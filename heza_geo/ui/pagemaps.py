"""The pages' smaller folium maps on screen: the occupancy page's park, the port, the land finder's
and the comparison's highlighted parks, the presentation's tour.

The maps themselves are built by :mod:`heza_geo.maps` (:mod:`heza_geo.maps.pagemaps`,
:mod:`heza_geo.maps.highlight`, :mod:`heza_geo.maps.tour`); here they are drawn one way: their
scripts and styles pointed at the app's own copies (:func:`heza_geo.maps.assets.localize`, so
they work offline), through ``streamlit_folium`` as a static picture of the map (no value sent
back: a pan or a click does not rerun the page). The main map is :mod:`heza_geo.ui.fastmap`.
"""

from __future__ import annotations

from collections.abc import Mapping

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from heza_geo import i18n
from heza_geo.io import Dataset
from heza_geo.maps import assets
from heza_geo.maps.highlight import highlight_map
from heza_geo.ui import common
from heza_geo.view import MapLayers, MapView


def assets_notice() -> None:
    """An error naming how many of the map's script and style files are missing (``make setup``
    installs them), where a map is about to be drawn; nothing when all are there."""
    if missing := assets.missing_assets():
        st.error(common.tr("msg.assets_missing") + f" ({len(missing)})")


def show(folium_map: folium.Map, key: str, height: int) -> None:
    """``folium_map`` across its column, ``height`` pixels high, with local assets; it sends nothing back."""
    st_folium(assets.localize(folium_map), height=height, use_container_width=True, key=key, returned_objects=[])


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
    names = i18n.names(overview, "park_id", lang)
    frames = MapLayers(overview, data.plots.iloc[0:0], data.zones, common.berths_now(data.version, None, data),
                       data.housing, data.connectivity, common.land(), names)
    folium_map = highlight_map(frames, MapView(lang=lang, layers=layers, colour_by=colour_by), parks, labels, sites)
    show(folium_map, key, height)
