"""The main page: the layered map, its filters, indicator cards and the park detail panel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.cards import Card, city_cards, selection_cards
from heza_geo.analysis.indicators import HOUSING_RADIUS_KM
from heza_geo.analysis.panels import nearby_table, nearest, park_facts, park_history, plot_groups
from heza_geo.analysis.passport import Passport, passport
from heza_geo.analysis.selection import select, unknown_in_link
from heza_geo.analysis.sources import city_notes, park_notes
from heza_geo.io import Dataset
from heza_geo.links import ViewState
from heza_geo.maps import assets
from heza_geo.maps.layers import is_placed, unplaced_count
from heza_geo.schema import PASSPORT_GROUPS, UNPLACED
from heza_geo.text import md_escape
from heza_geo.ui import cards, common, enquiry, fastmap, pagekit, panelkit, slides
from heza_geo.ui.common import tr
from heza_geo.view import BASEMAPS, COLOUR_BY, LAYER_NAMES, MapView

#: the page's layout (the phone's order: map first, cards in a row that scrolls sideways; a desktop
#: window's map and park panel in its first screen) is heza_geo.ui.layout.STYLE, in the page as sent
#: (common.page_style draws it where no guard serves the app)

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()
state = common.view_state()

common.page_style()
with st.container(key="map_title"):
    st.markdown(f"### {tr('app.title')}")
if missing := assets.missing_assets():
    st.error(tr("msg.assets_missing") + f" ({len(missing)})")

parks_all = common.overview(data.version, None, data)
berths = common.berths_now(data.version, None, data)
st.session_state["_zone_names"] = i18n.names(data.zones, "zone_id", lang)

# --- sidebar: map options, then filters ------------------------------------------------------
with st.sidebar:
    st.subheader(tr("filter.map"))
    if "layers" not in st.session_state:
        st.session_state["layers"] = list(state.view.layers)
    layers = st.pills(tr("filter.layers"), list(LAYER_NAMES), key="layers", selection_mode="multi",
                      format_func=lambda n: i18n.t(f"layer.{n}", lang)) or []
    if "colour_by" not in st.session_state:
        st.session_state["colour_by"] = state.view.colour_by
    colour_by = st.radio(tr("filter.colour_by"), list(COLOUR_BY), key="colour_by", horizontal=True,
                         format_func=lambda c: i18n.t(f"colour_by.{c}", lang))
    if "basemap" not in st.session_state:
        st.session_state["basemap"] = state.view.basemap
    basemap = st.selectbox(tr("filter.basemap"), list(BASEMAPS), key="basemap",
                           format_func=lambda b: i18n.t(f"basemap.{b}", lang))
filters = common.filter_sidebar(parks_all, state.filters)
known_parks = frozenset(parks_all["park_id"])
# the link's parameters this page cannot use, named in the page's language and kept in the view, so they stay
# on screen while the visitor looks at what the map shows instead (a bad lang= is app.py's, on every page)
problems = tuple(p for p in state.problems if p.name != "lang") + unknown_in_link(
    data, state.filters, None if state.view.selected_park in known_parks else state.view.selected_park)
common.warn_link(problems)
view = replace(state.view, lang=lang, layers=tuple(n for n in LAYER_NAMES if n in layers), colour_by=colour_by,
               basemap=basemap)
selection = select(data, filters, view, overview=parks_all, berths=berths, land=common.land())  # as exports see it
parks = selection.parks

# --- indicator cards ---------------------------------------------------------------------------
cards.card_row(selection_cards(parks, data.plots, lang), key="cards")
if parks.empty:
    st.info(tr("msg.no_match"))

# --- map and detail panel --------------------------------------------------------------------
if "_map_origin" not in st.session_state:
    st.session_state["_map_origin"] = (state.view.center, state.view.zoom)
origin_center, origin_zoom = st.session_state["_map_origin"]


@st.cache_resource(show_spinner=False, max_entries=256)
def nearby(version: str, park_id: str, layer: str, within_km: float | None, _frame: pd.DataFrame,
           _park: pd.DataFrame) -> pd.DataFrame:
    """The features of ``_frame`` nearest the park (all within ``within_km``, else the few nearest),
    with ``km``: once per data version and park (every rerun of a session with a park open drew them again)."""
    return nearest(_frame, _park, within_km=within_km)


@st.cache_resource(show_spinner=False, max_entries=512)
def park_passport(version: str, park_id: str, lang: str, today: date, _data: Dataset) -> Passport:
    """The park's passport (heza_geo.analysis.passport): once per data version, park, language and day
    for every session, so a park's click costs no more than before."""
    return passport(_data, park_id, lang, today)


def passport_section(park_id: str) -> None:
    """What an investor scans first (price range, years left, power, water free, readiness, each with
    its date and badge), then each group as a native ``<details>`` that opens in the browser (no run):
    one element for the whole passport, where a Streamlit expander per group made a park's click draw
    ten elements more."""
    investor = park_passport(data.version, park_id, lang, date.today(), data)
    with st.container(key="passport"):
        st.markdown(f"**{tr('passport.title')}**")
        if not investor.exists:  # said once, not once per group
            st.caption(tr("passport.park_not_published") + " · " + tr("enquiry.form.just_below"))
        shown = [g for g in investor.groups if investor.exists or g.key not in PASSPORT_GROUPS]
        sections = ((" · ".join(x for x in (g.title, g.as_of) if x), panelkit.passport_group(g)) for g in shown)
        key_facts = panelkit.key_facts(investor) if investor.exists else ""
        st.html(key_facts + panelkit.groups(sections, "passport-groups"))


@st.cache_resource(show_spinner=False, max_entries=16)
def city_figures(version: str, lang: str, _data: Dataset) -> tuple[Card, ...]:
    """The city's cards beside the map (heza_geo.analysis.cards.city_cards): once per data version and
    language for every session (each visitor's first run, and each "Back to the city view", computed them
    again: 0.05-0.08 s of the server's run, py-spy)."""
    return tuple(city_cards(_data, lang))  # shared by the sessions: not to be changed


def clear_selection() -> None:
    """"Back to the city view": the session's view loses its park before the run the click causes."""
    now = common.view_state()
    common.publish(replace(now, view=replace(now.view, selected_park=None)))


def detail_panel(park_id: str, clicked_plot: str | None) -> None:
    """The park's panel: its name, facts, occupancy history, plots and what is nearby, as rows that
    wrap (heza_geo.ui.panelkit) in the keyed container the phone's sheet scrolls to."""
    row = parks_all[parks_all["park_id"] == park_id].iloc[0]
    st.subheader(md_escape(i18n.name(row, lang)))  # names are text, never Markdown
    st.caption(md_escape(i18n.other_name(row, lang)))
    st.button(tr("detail.clear"), key="clear_selection", on_click=clear_selection)  # one run: no rerun after it
    here = parks_all[parks_all["park_id"] == park_id]
    located = bool(is_placed(here).all())
    if not located:  # never drawn: the map stays where it is, and the panel says why
        st.info(i18n.label("geometry_quality", UNPLACED, lang), icon=":material/location_off:")
    st.html(panelkit.facts(park_facts(row, lang)))
    passport_section(park_id)
    park_plot_ids = sorted(data.plots.loc[data.plots["park_id"] == park_id, "plot_id"].astype(str))
    enquiry.enquiry_form(data, parks=[park_id], plots=park_plot_ids, key="map", lang=lang,
                         title=tr("enquiry.form.title_park"), clicked_plot=clicked_plot)

    history = park_history(data.occupancy_history, park_id, lang)
    st.markdown(f"**{tr('detail.occupancy_history')}**")
    if history.empty:
        st.caption(tr("msg.no_history"))
    else:
        pagekit.show(slides.park_history_chart, history, lang, key="detail_history", as_slide=False)

    groups = plot_groups(data.plots, park_id, lang)  # by status, each opened in the browser
    count = sum(len(g.table) for g in groups)
    st.markdown(f"**{tr('detail.plots')}** ({i18n.fmt_number(count, lang, 0)}) · {i18n.badge('synthetic demo', lang)}")
    if groups:
        area = tr("popup.area")
        st.html(panelkit.groups([
            (g.title, panelkit.table(g.table.astype(object).assign(
                **{area: [i18n.fmt_number(a, lang, 2) for a in g.table[area]]}), numeric=[area]))
            for g in groups], "plot-groups"))

    radius = i18n.fmt_km(HOUSING_RADIUS_KM, lang, None)
    for title, frame, kind, within in (
            (tr("detail.housing_nearby"), data.housing, "housing_kind", HOUSING_RADIUS_KM),  # as compare counts
            (tr("detail.connectivity_nearby"), data.connectivity, "connectivity_kind", None)):
        st.markdown(f"**{title}**")
        if within is not None:
            st.caption(tr("compare.housing_note", km=radius))  # what "nearby" means, the same on both pages
        if frame.empty or not located:  # no position, no distance
            st.caption(i18n.MISSING)
            continue
        near = nearby(data.version, park_id, kind, within, frame, here)
        if near.empty:
            st.caption(tr("detail.none_within", km=radius))
            continue
        table = nearby_table(near, kind, lang)
        st.html(panelkit.nearby(table.iloc[:, 0], table.iloc[:, 1], [i18n.fmt_km(km, lang) for km in near["km"]]))
    pagekit.notes(park_notes(data.source_notes, park_id, lang), boxed=True)


@st.fragment
def map_and_panel(view: MapView) -> None:
    """The map and the park's panel beside it: a click on a park reruns this alone (the sidebar, the
    cards and the warnings above stay as they are, in the browser too), as does "Back to the city view"
    and the enquiry form. ``view`` is the page's view without its park: the park is the session's."""
    with common.logged_run("map", fragment=True):
        # A park clicked on the map caused this run: taken before anything is drawn, so this run answers it
        # (the filter script outlines and frames it; no second run).
        clicked = fastmap.take_click("main_map")
        chosen = clicked["park_id"] if clicked else common.view_state().view.selected_park
        selected = chosen if chosen in known_parks else None
        shown = replace(view, selected_park=selected)
        # The link: written before the map is drawn, so the map (which keeps its own centre and zoom in it,
        # common.map_position) finds the new URL when it runs its script; the link's warnings stay.
        page_url = common.publish(ViewState(filters, common.map_position(shown), problems))
        map_area = st.container(key="map_area")
        map_column, detail_column = map_area.columns([1.55, 1], gap="small")  # the panel ~420 px at 1440
        with map_column:  # built once per data version and view; a filter change only hides features
            fastmap.show_map(data, selection, replace(shown, center=origin_center, zoom=origin_zoom),
                             parks_all=parks_all, berths=berths, land=common.land(), key="main_map", height=640,
                             page_url=page_url)
            if unplaced := unplaced_count(parks):  # counted in the cards and listed, but not on the map
                st.caption(tr("map.unplaced", n=i18n.fmt_number(unplaced, lang, 0)))
        with detail_column:
            if selected:
                with st.container(key="park_panel"):  # the phone's sheet scrolls to it (.st-key-park_panel)
                    detail_panel(selected, (clicked or {}).get("plot_id"))
            else:
                st.subheader(tr("detail.city_title"))
                cards.card_row(city_figures(data.version, lang, data), 2, key="city_cards")
                st.caption(tr("detail.click_hint"))
                st.markdown(tr("rule.sixty_percent"))
                pagekit.notes(city_notes(data.source_notes, lang))


map_and_panel(view)
