"""HEZA GIS: the entry point. ``python -m heza_geo run`` (``make run``) serves it, behind
heza_geo.ui.guard's guard, with the map at "/" and the other pages.

It sets the page, the language picker shared by every page, and the navigation; each page is a
thin script in ``pages/`` over the ``heza_geo`` data layer.
"""

import streamlit as st

from heza_geo import i18n
from heza_geo.ui import common

# No page icons: Streamlit turns the open page's icon into a tab icon fetched from a font CDN
# (Material) or drawn with an emoji font a presenter's laptop may lack.
st.set_page_config(page_title="HEZA GIS", layout="wide")
lang = common.language_picker()

PAGES = [
    st.Page("pages/map.py", title=i18n.t("page.map", lang), default=True, url_path="map"),
    st.Page("pages/occupancy.py", title=i18n.t("page.occupancy", lang), url_path="occupancy"),
    st.Page("pages/investment.py", title=i18n.t("page.investment", lang), url_path="investment"),
    st.Page("pages/port.py", title=i18n.t("page.port", lang), url_path="port"),
    st.Page("pages/land_finder.py", title=i18n.t("page.land_finder", lang), url_path="land_finder"),
    st.Page("pages/compare.py", title=i18n.t("page.compare", lang), url_path="compare"),
    st.Page("pages/presentation.py", title=i18n.t("page.presentation", lang), url_path="presentation"),
    st.Page("pages/export.py", title=i18n.t("page.export", lang), url_path="export"),
    st.Page("pages/data_management.py", title=i18n.t("page.data_management", lang), url_path="data_management"),
]
page = st.navigation(PAGES, position="sidebar")
if page.url_path != "data_management":  # a staff member's upload preview is not redrawn under them
    common.watch_store()
page.run()
