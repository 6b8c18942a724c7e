"""The ASGI entry: ``streamlit run heza_geo/ui/asgi.py`` serves ``app.py`` with HEZA's guards.

Streamlit's ``streamlit run`` recognises the ``st.App(...)`` assignment below (by reading this
file, so it must stay a literal ``st.App`` call) and serves it with uvicorn; see
:mod:`heza_geo.ui.guard` for what the guard does, and ``python -m heza_geo run`` for the command that
starts it with the settings.
"""

import streamlit as st
from starlette.middleware import Middleware

from heza_geo.config import APP_SCRIPT
from heza_geo.ui.guard import Guard

app = st.App(str(APP_SCRIPT), middleware=[Middleware(Guard)])
