"""HEZA GIS: the entry point. ``python -m heza_geo run`` (``make run``) serves it, behind
heza_geo.ui.guard's guard, with the map at "/" and the other pages.

It sets the page, the language picker shared by every page, and the navigation
(:func:`heza_geo.ui.common.navigation`); each page is a thin script in ``pages/`` over ``heza_geo``.
"""

import streamlit as st

from heza_geo.ui import common

# No page icons: Streamlit turns the open page's icon into a tab icon fetched from a font CDN
# (Material) or drawn with an emoji font a presenter's laptop may lack.
st.set_page_config(page_title="HEZA GIS", layout="wide")
with common.framed():  # the pages know that this run is app.py's (heza_geo.ui.common._routed)
    lang = common.language_picker()
    page = st.navigation(common.navigation(lang), position="sidebar")
    with common.logged_run(page.url_path or "map"):
        if page.url_path != "data_management":  # a staff member's upload preview is not redrawn under them
            common.watch_store()
        common.warn_link([common.link_language()])  # lang=fr: named on whatever page the link opens
        page.run()
