"""The floor of ``python -m heza_geo bench --pages``: the least a Streamlit page can do.

    streamlit run scripts/floor_app.py

One radio of two options and the choice written under it, nothing else: no data, no map, no cache.
Its rerun (a click on the other option until the text shows it) and its first paint (navigation
until the text shows and the script has finished) are what any Streamlit page costs on this
machine; ``heza_geo.cli.pagebench`` sets the app's actions against them.
"""

from __future__ import annotations

import streamlit as st

#: the radio's options; the benchmark clicks the one not chosen
OPTIONS = ("first", "second")

choice = st.radio("floor", OPTIONS, horizontal=True, key="floor_choice")
st.write(f"chosen: {choice}")
