"""The floor with a map, for ``python -m heza_geo bench --pages``: the floor app plus one map.

    streamlit run scripts/floor_map_app.py

The floor's radio and text (scripts/floor_app.py), and under them the least map the stack draws: an
empty Leaflet map (no tiles, no layers, the app's own local Leaflet files) through streamlit-folium's
component as the app's pages draw theirs (heza_geo.ui.fastmap.draw), built once per server. The
choice goes to the map too, as a script it runs (``window.hezaFloorChoice``), the way a park click
reaches the app's map. Its rerun and first paint are what a page costs once it has a map, before it
shows anything of its own: ``heza_geo.cli.pagebench`` reports them beside the floor's.
"""

from __future__ import annotations

import json

import folium
import streamlit as st

from heza_geo.maps import assets
from heza_geo.ui import fastmap

#: the radio's options, as the floor's; the benchmark clicks the one not chosen
OPTIONS = ("first", "second")


@st.cache_resource(show_spinner=False)
def empty_map() -> fastmap.Payload:
    """An empty map of Hai Phong, rendered once for every session."""
    m = folium.Map(location=[20.85, 106.7], zoom_start=10, tiles=None)
    assets.localize(assets.trim(m))  # Leaflet's files only, from this machine
    return fastmap.payload(m)


choice = st.radio("floor", OPTIONS, horizontal=True, key="floor_choice")
st.write(f"chosen: {choice}")
fastmap.draw(empty_map(), "floor_map", 400, feature_group=f"window.hezaFloorChoice = {json.dumps(choice)};")
