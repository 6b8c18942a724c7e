"""Presentation mode: a full-screen guided tour of the parks and the port, for an event screen.

The tour runs in the browser (heza_geo.maps.tour): the page only builds the stops once, in the
language of the link (``?lang=``), and the QR code of the shareable link.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from heza_geo import i18n
from heza_geo.maps.tour import (
    MAX_SECONDS,
    TourStop,
    presentation_map,
    presentation_url,
    public_base_url,
    seconds_from_params,
    tour_stops,
)
from heza_geo.text import md_format
from heza_geo.ui import common, pagemaps
from heza_geo.ui.common import tr

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
common.view_state()
lang = common.lang()

# Full screen: no sidebar, header or toolbar; the map's frame covers the window.
st.markdown("""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0 !important; max-width: 100% !important; }
iframe[title="streamlit_folium.st_folium"] { position: fixed; inset: 0; width: 100vw !important;
  height: 100vh !important; z-index: 990; border: 0; }
.st-key-tour_settings { position: fixed; top: 10px; right: 12px; left: auto; width: auto !important; z-index: 1000;
  opacity: .55; }
.st-key-tour_settings:hover, .st-key-tour_settings:focus-within { opacity: 1; }
.st-key-tour_problems { position: fixed; top: 10px; left: 50%; transform: translateX(-50%); z-index: 1000;
  width: 60vw; }
</style>
""", unsafe_allow_html=True)

if "tour_seconds" not in st.session_state:
    seconds, bad = seconds_from_params({key: st.query_params.get(key) for key in st.query_params})
    st.session_state["tour_seconds"] = seconds
    if bad is not None:
        with st.container(key="tour_problems"):
            st.warning(md_format(tr("msg.link_param_ignored"), name=bad.name, value=bad.value, allowed=bad.allowed,
                                 default=bad.default))

with st.container(key="tour_settings"), st.popover("⚙", help=tr("tour.settings")):
    st.selectbox(tr("filter.language"), list(common.settings().languages), key="tour_lang", index=None,
                 placeholder=i18n.LANGUAGE_NAMES.get(lang, lang), format_func=lambda c: i18n.LANGUAGE_NAMES.get(c, c),
                 on_change=lambda: common.choose_language(st.session_state["tour_lang"] or lang))
    seconds = st.number_input(tr("tour.seconds"), min_value=0, max_value=MAX_SECONDS, step=1, key="tour_seconds")
    base = public_base_url(common.settings().public_url, dict(st.context.headers))
    url = presentation_url(base, lang, int(seconds))
    st.caption(tr("tour.share_url"))
    st.code(url, language=None, wrap_lines=True)  # text with a copy button; its host can come from the request
    st.page_link("pages/map.py", label=tr("tour.back_to_map"), icon="🗺️", query_params={"lang": lang})

link = {"lang": lang, "seconds": str(int(seconds))}
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)

pagemaps.assets_notice()


@st.cache_resource(show_spinner=False, max_entries=10)
def _stops(version: str, lang: str, _overview: gpd.GeoDataFrame, _berths: gpd.GeoDataFrame,
           _connectivity: gpd.GeoDataFrame) -> list[TourStop]:
    return tour_stops(_overview, _berths, lang, _connectivity)


overview = common.overview(data.version, None, data)
berths = common.berths_now(data.version, None, data)
stops = _stops(data.version, lang, overview, berths, data.connectivity)
pagemaps.show(lambda: presentation_map(overview, berths, common.land(), stops, lang, int(seconds), url), "tour_map",
              720, same=(data.version, lang, int(seconds), url))
