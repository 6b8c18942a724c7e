"""The Streamlit app of ``python -m heza_geo bench``: the map of a page, drawn the naive way or ours.

    HEZA_DATA_DIR=<bench data> HEZA_BENCH_VARIANT=naive|ours streamlit run <folder>/bench_app.py

(``heza_geo.cli.bench.bench_app`` starts it from a folder that links ``static/``.) One filter, the plot
status ("all" or "leased"), and the map: **ours** through ``heza_geo.ui.fastmap.show_map`` exactly as
the map page calls it; **naive** rebuilt with ``folium.GeoJson(plots)`` and given to ``st_folium``
on every rerun.
"""

from __future__ import annotations

import os

import streamlit as st
from streamlit_folium import st_folium

from heza_geo.analysis.selection import select
from heza_geo.cli import bench
from heza_geo.ui import common, fastmap

variant = os.environ.get("HEZA_BENCH_VARIANT", "ours")
if variant not in bench.VARIANTS:
    st.error(f"HEZA_BENCH_VARIANT must be one of {', '.join(bench.VARIANTS)}, got {variant!r}")
    st.stop()

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
parks_all = common.overview(data.version, None, data)
berths = common.berths_now(data.version, None, data)
land = common.land()

choice = st.radio("plot status", list(bench.FILTERS), horizontal=True, key="bench_status")
view = bench.VIEW
selection = select(data, bench.FILTERS[choice], view, overview=parks_all, berths=berths, land=land)
st.caption(f"{variant}: {len(selection.plots):,} of {len(data.plots):,} plots")
if variant == "ours":
    fastmap.show_map(data, selection, view, parks_all=parks_all, berths=berths, land=land, key="bench_map")
else:
    st_folium(bench.naive_map(selection, view), key="bench_map", height=640, use_container_width=True,
              returned_objects=list(fastmap.RETURNED))
