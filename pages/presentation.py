"""Presentation mode: a full-screen guided tour of the parks and the port, for an event screen.

The tour runs in the browser (heza_geo.maps.tour): the page only builds the stops once, in the
language of the link (``?lang=``): the overview of the city first, then the parks and the port.
Each stop's QR code opens the map on a visitor's phone at that stop's park (the overview's and
the port's: the map with no park selected), at ``public_url`` or else this computer's address on the local network
(:func:`heza_geo.links.share_base`; never the loopback a phone cannot reach): the presenter is
told which, and when there is none the QR code is hidden and a warning says what to do.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.cards import city_cards
from heza_geo.io import Dataset
from heza_geo.links import share_base
from heza_geo.maps.tour import (
    MAX_SECONDS,
    TourStop,
    presentation_map,
    presentation_url,
    seconds_from_params,
    stop_links,
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
/* notices at the top, never over the card (bottom left) or the QR code (bottom right) */
[data-testid="stToastContainer"] { top: 56px !important; bottom: auto !important; }
@media (max-width: 700px) { .st-key-tour_problems { width: 94vw; top: 56px; } }
</style>
""", unsafe_allow_html=True)

problems = []  # shown on top of the tour, where the presenter sees them
if "tour_seconds" not in st.session_state:
    seconds, bad = seconds_from_params({key: st.query_params.get(key) for key in st.query_params})
    st.session_state["tour_seconds"] = seconds
    if bad is not None:
        problems.append(md_format(tr("msg.link_param_ignored"), name=bad.name, value=bad.value, allowed=bad.allowed,
                                  default=bad.default))
# The QR codes: an address a phone in the room can open, never this machine's loopback
share = share_base(common.settings().public_url, dict(st.context.headers))
if share.source == "none":
    problems.append(tr("tour.share_none"))
elif share.source == "lan" and not st.session_state.get("_tour_lan_told"):
    st.session_state["_tour_lan_told"] = True  # once a visit; the settings menu keeps saying it
    st.toast(md_format(tr("tour.share_lan"), url=share.url), icon=":material/wifi:", duration="long")
if problems:
    with st.container(key="tour_problems"):
        for text in problems:
            st.warning(text)

# A Material icon, not an emoji (a machine with no emoji font draws a box), with its words beside it
with st.container(key="tour_settings"), st.popover(tr("tour.settings"), icon=":material/settings:"):
    st.selectbox(tr("filter.language"), list(common.settings().languages), key="tour_lang", index=None,
                 placeholder=i18n.LANGUAGE_NAMES.get(lang, lang), format_func=lambda c: i18n.LANGUAGE_NAMES.get(c, c),
                 on_change=lambda: common.choose_language(st.session_state["tour_lang"] or lang))
    seconds = st.number_input(tr("tour.seconds"), min_value=0, max_value=MAX_SECONDS, step=1, key="tour_seconds")
    if share.source == "lan":  # said once as a notice when the tour opens; here for as long as it holds
        st.info(md_format(tr("tour.share_lan"), url=share.url), icon=":material/wifi:")
    if share.url is not None:
        st.caption(tr("tour.tour_link"))
        st.code(presentation_url(share.url, lang, int(seconds)), language=None, wrap_lines=True)  # a copy button
    st.page_link("pages/map.py", label=tr("tour.back_to_map"), icon=":material/map:", query_params={"lang": lang})

link = {"lang": lang, "seconds": str(int(seconds))}
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)

pagemaps.assets_notice()


@st.cache_resource(show_spinner=False, max_entries=10)
def _stops(version: str, lang: str, _overview: gpd.GeoDataFrame, _berths: gpd.GeoDataFrame,
           _data: Dataset) -> list[TourStop]:
    # the overview stop: the map page's park count and area, the city's average occupancy card
    return tour_stops(_overview, _berths, lang, _data.connectivity, _data.zones, city_cards(_data, lang)[:1])


overview = common.overview(data.version, None, data)
berths = common.berths_now(data.version, None, data)
stops = _stops(data.version, lang, overview, berths, data)
links = tuple(stop_links(stops, share.url, lang))
pagemaps.show(lambda: presentation_map(overview, berths, common.land(), stops, lang, int(seconds), links,
                                       data.zones, data.connectivity),
              "tour_map", 720, same=(data.version, lang, int(seconds), links))
