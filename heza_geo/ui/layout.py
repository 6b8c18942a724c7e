"""The app's page layout as CSS that is in place before Streamlit paints anything.

A ``<style>`` a page draws (``st.html``) arrives with the script's first messages, after the page
has been painted once with Streamlit's own layout: the title jumped up ~60 px and the map page's
columns widened under the reader's eyes. So :data:`STYLE` is written into the ``index.html`` the
server sends (:func:`with_style`, called by :class:`heza_geo.ui.guard.Guard` for every HTML page
it serves), and the first paint already has it. Under a bare ``streamlit run app.py`` (no guard)
the map page draws the same style itself (:func:`heza_geo.ui.common.page_style`), a paint late.

Decisions
---------
* **Every page, desktop (wider than 640 px): the title 2.5 rem from the top.** Streamlit keeps
  6 rem above it for a header that is transparent there; its toolbar sits at the right, above
  nothing a page draws first. A phone (640 px or narrower) keeps 3.75 rem: the header's » button
  is there, and must not be covered.
* **The map page fits one desktop screen** (1440×900, 1920×1080): narrow side margins, a compact
  row of cards, the map as high as the window allows (``calc(100vh - …)``, at least 420 px; Leaflet
  follows its frame's size, :mod:`heza_geo.ui.fastmap`) and the park panel beside it as high as the
  map, scrolling on its own, so the investor sees the map and the panel without scrolling the page.
* **The park panel's rows wrap**: key–value facts as a definition list, the nearby features as
  compact rows with the distance always in view, the plots as a table whose cells wrap
  (:mod:`heza_geo.ui.panelkit`); nothing in the panel scrolls sideways.
* Selectors are Streamlit's stable ones (``data-testid``, ``st-key-<key>`` of keyed containers),
  with one class more than Streamlit's generated classes so that order of the style sheets does not
  matter; the presentation page's full-screen rules (``!important``) still win.
"""

from __future__ import annotations

#: what a desktop window's map leaves above and below itself (title, cards, margins), in px
MAP_CHROME_PX = 232
#: the map's least height on a desktop, whatever the window
MAP_MIN_PX = 420

STYLE = f"""<style id="heza-layout">
@media (min-width: 641px) {{
  .stApp .stMainBlockContainer {{ padding-top: 2.5rem; }}
  .stApp .stMainBlockContainer:has(.st-key-map_title) {{ padding: 2.25rem 1.5rem 1rem; max-width: none; }}
  .stApp .st-key-map_title h3 {{ padding: 0 0 .25rem; }}
  .stApp .st-key-park_panel h3 {{ font-size: 1.4rem; padding-top: 0; }}
  .stApp .st-key-cards [data-testid="stMetricValue"] {{ font-size: 1.7rem; line-height: 1.2; }}
  .stApp .st-key-cards [data-testid="stMetricLabel"] p {{ font-size: .85rem; }}
  .stApp .st-key-cards [data-testid="stCaptionContainer"] {{ font-size: .75rem; line-height: 1.3; }}
  .stApp .st-key-cards [data-testid="stVerticalBlock"] {{ gap: .15rem; }}
  .stApp .st-key-map_area iframe[title*="streamlit_folium"] {{
    height: max({MAP_MIN_PX}px, calc(100vh - {MAP_CHROME_PX}px)) !important; }}
  .stApp .st-key-map_area [data-testid="stColumn"]:has(.st-key-park_panel) {{
    max-height: max({MAP_MIN_PX}px, calc(100vh - {MAP_CHROME_PX}px)); overflow-y: auto; overflow-x: auto;
    padding-right: .35rem; scrollbar-width: thin; }}
}}
@media (max-width: 640px) {{
  .stApp .stMainBlockContainer {{ padding-top: 3.75rem; }}  /* under the header's » only */
  .stApp .stMainBlockContainer:has(.st-key-map_title) {{ padding: 3.75rem .6rem 1rem; }}
  .stApp [data-testid="stLayoutWrapper"]:has(> .st-key-map_title) {{ order: -3; }}
  /* the map's fragment (pages/map.py): Streamlit puts its elements in a block of their own */
  .stApp [data-testid="stLayoutWrapper"]:has(> [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]
    > .st-key-map_area) {{ order: -2; }}
  .stApp [data-testid="stLayoutWrapper"]:has(> .st-key-cards) {{ order: -1; }}
  .stApp .st-key-map_title h3 {{ font-size: 1.05rem; padding: 0; }}
  .stApp .st-key-cards [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap; overflow-x: auto; gap: .75rem; }}
  .stApp .st-key-cards [data-testid="stColumn"] {{ min-width: 42%; }}
  .stApp .st-key-cards [data-testid="stMetricValue"] {{ font-size: 1.35rem; }}
}}
/* metric labels wrap ("City average occupancy", "FDI (cumulative) (million USD)") */
.stApp [data-testid="stMetricLabel"], .stApp [data-testid="stMetricLabel"] * {{
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere; }}
.stApp [data-testid="stMetricLabel"] {{ height: auto; min-height: 1.5rem; }}
/* the park panel (heza_geo.ui.panelkit) */
.stApp .heza-facts {{ margin: 0 0 .5rem; padding: 0; font-size: .875rem; line-height: 1.35; }}
.stApp .heza-facts > div {{ display: grid; grid-template-columns: minmax(6rem, 38%) 1fr; gap: .1rem .6rem;
  padding: .3rem 0; border-bottom: 1px solid rgba(49, 51, 63, .1); }}
.stApp .heza-facts dt {{ color: rgba(49, 51, 63, .75); font-weight: 400; }}
.stApp .heza-facts dd {{ margin: 0; }}
.stApp .heza-facts dt, .stApp .heza-facts dd, .stApp .heza-near li {{ overflow-wrap: anywhere; min-width: 0; }}
/* a table's cells wrap between words ("Estimate", "83.98%" stay whole): a column is as wide as its
   longest word; a table wider than a phone then scrolls sideways in its box rather than break letters */
.stApp .heza-table td, .stApp .heza-table th {{ overflow-wrap: break-word; }}
.stApp .heza-facts small, .stApp .heza-near small {{ display: block; color: rgba(49, 51, 63, .6); font-size: .75rem; }}
.stApp .heza-near {{ list-style: none; margin: 0 0 .5rem; padding: 0; font-size: .875rem; line-height: 1.3; }}
.stApp .heza-near li {{ display: flex; gap: .5rem; align-items: baseline; padding: .25rem 0; margin: 0;
  border-bottom: 1px solid rgba(49, 51, 63, .1); }}
.stApp .heza-near li > span {{ flex: 1 1 auto; min-width: 0; }}
.stApp .heza-near li > b {{ flex: 0 0 auto; font-weight: 600; white-space: nowrap; }}
.stApp .heza-scroll {{ max-height: 16rem; overflow-y: auto; overflow-x: auto; margin-bottom: .5rem;
  border: 1px solid rgba(49, 51, 63, .1); border-radius: .4rem; }}
.stApp .heza-table {{ width: 100%; border-collapse: collapse; font-size: .8rem; line-height: 1.25; margin: 0; }}
.stApp .heza-table th {{ position: sticky; top: 0; background: #f8f8f7; text-align: left; font-weight: 600; }}
.stApp .heza-table th, .stApp .heza-table td {{ padding: .2rem .35rem; border: 0;
  border-bottom: 1px solid rgba(49, 51, 63, .08); vertical-align: top; }}
.stApp .heza-table td.num {{ text-align: right; white-space: nowrap; }}
/* sections a reader opens (panelkit.groups): a row each, tall enough for a finger, the table under it */
.stApp .heza-groups {{ margin: 0 0 .5rem; font-size: .875rem; }}
.stApp .heza-group {{ border-bottom: 1px solid rgba(49, 51, 63, .1); }}
.stApp .heza-group > summary {{ cursor: pointer; padding: .45rem 0; min-height: 2rem; box-sizing: border-box; }}
.stApp .heza-group[open] > summary {{ font-weight: 600; }}
.stApp .heza-group > .heza-scroll {{ margin: 0 0 .5rem; }}
</style>"""


def with_style(document: bytes) -> bytes:
    """``index.html`` (Streamlit's page) with :data:`STYLE` at the end of its head; a document
    with no ``</head>`` (not Streamlit's page) is returned as it is."""
    marker = b"</head>"
    at = document.find(marker)
    if at < 0 or b'id="heza-layout"' in document:
        return document
    return document[:at] + STYLE.encode("utf-8") + document[at:]
