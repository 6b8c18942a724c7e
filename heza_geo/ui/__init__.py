"""The Streamlit glue: what the page scripts in ``pages/`` share, and the app's HTTP guard.

Modules: ``common`` (cached data, language, link state, the filter sidebar, the navigation),
``cards`` (indicator cards on screen), ``slides`` (the slide-ready Altair charts), ``pagemaps``
(the small maps of the pages, drawn with streamlit-folium), ``pagekit`` (the occupancy,
investment and port pages' parameters and source notes), ``fastmap`` (the main map, built once
and then only filtered), ``guard`` (sign-in, upload gate and websocket guard in front of
Streamlit), ``asgi`` (the ASGI app ``streamlit run`` serves). With ``pages/`` and ``app.py``, the
only code that imports Streamlit. Import the module you need (``from heza_geo.ui import common``):
importing this package loads nothing.
"""

__all__ = ["cards", "common", "fastmap", "guard", "pagekit", "pagemaps", "slides"]
