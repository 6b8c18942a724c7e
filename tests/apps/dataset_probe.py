"""A one-screen app for AppTest: the shared data loader and its notice, as every page shows them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from heza_geo.ui import common  # noqa: E402

loaded = common.dataset()
common.show_load_problems(loaded)
st.write(f"parks={len(loaded.data.parks)}")
