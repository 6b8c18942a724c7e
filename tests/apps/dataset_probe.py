"""A one-screen app for AppTest: the shared data loader and its notice, as every page shows them."""

import streamlit as st

from heza_geo.ui import common

loaded = common.dataset()
common.show_load_problems(loaded)
st.write(f"parks={len(loaded.data.parks)}")
