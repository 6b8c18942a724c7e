"""The main page: the layered map, its filters, indicator cards and the park detail panel."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.indicators import distance_km, land_summary
from heza_geo.analysis.investment import period_label
from heza_geo.analysis.joins import city_occupancy, latest_figure
from heza_geo.analysis.selection import select
from heza_geo.links import ViewState
from heza_geo.maps import assets
from heza_geo.text import md_escape
from heza_geo.ui import common, fastmap
from heza_geo.ui.common import tr
from heza_geo.view import BASEMAPS, COLOUR_BY, LAYER_NAMES, park_name

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()
state = common.view_state()

# A park clicked on the map: the map's value is in the session before this run draws anything, so
# the click is taken here, in this very run (the filter script outlines and frames it; no second run).
clicked = ((st.session_state.get("main_map") or {}).get("last_active_drawing") or {}).get("properties") or {}
if clicked.get("park_id") and clicked != st.session_state.get("_last_click"):
    st.session_state["_last_click"] = clicked
    state = replace(state, view=replace(state.view, selected_park=clicked["park_id"]))

st.markdown(f"### {tr('app.title')}")
if missing := assets.missing_assets():
    st.error(tr("msg.assets_missing") + f" ({len(missing)})")

parks_all = common.overview(data.version, None, data)
berths = common.berths_now(data.version, None, data)
st.session_state["_zone_names"] = dict(zip(data.zones["zone_id"], data.zones["name_vi" if lang == "vi" else "name_en"]))

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
for problem in state.problems:
    st.warning(md_escape(problem))  # it quotes the link's values

selected = state.view.selected_park if state.view.selected_park in set(parks_all["park_id"]) else None
view = replace(state.view, lang=lang, layers=tuple(n for n in LAYER_NAMES if n in layers), colour_by=colour_by,
               basemap=basemap, selected_park=selected)
selection = select(data, filters, view, overview=parks_all, berths=berths, land=common.land())  # as exports see it
parks, plots = selection.parks, selection.plots

# --- indicator cards -------------------------------------------------------------------------
land = land_summary(data.plots[data.plots["park_id"].isin(parks["park_id"])])
demo = i18n.badge("synthetic demo", lang)
city = city_occupancy(data.occupancy_history)
fdi_cum = latest_figure(data.investment, "fdi_cumulative_musd")
fdi_latest = latest_figure(data.investment, "fdi_total_musd")
workers = latest_figure(data.enterprise, "workers")


def caption(as_of: object, source: object, basis: str | None = None) -> str:
    """A figure's as-of date and provenance, as plain text (``st.caption`` it through ``md_escape``)."""
    parts = []
    if as_of is not None and not pd.isna(as_of):
        parts.append(tr("text.as_of", date=i18n.fmt_date(as_of, lang)))
    parts.append(i18n.badge(None if source is None else str(source), lang) + _source_ref(source))
    if basis and basis != "reported":
        parts.append(i18n.label("basis", basis, lang))
    return " · ".join(parts)


def _source_ref(source: object) -> str:
    """The report's number ("001") or the news site, short enough for a card caption."""
    text = "" if source is None or pd.isna(source) else str(source)
    kind = i18n.schema.provenance_kind(text)
    if kind == "report":
        return f" ({text[:3]})"
    return f" ({text.removeprefix('news:').strip()})" if kind == "news" else ""


cards = [
    (tr("card.parks"), i18n.fmt_number(len(parks), lang, 0),
     tr("card.parks_detail", established=(parks["status"] == "established").sum(), planned=(parks["status"] == "planned").sum())),
    (tr("card.total_area"), i18n.fmt_area_ha(parks["area_ha"].sum(), lang, 0), tr("card.declared_area")),
    (tr("card.leased_area"), i18n.fmt_area_ha(land.leased_ha, lang, 0), demo),
    (tr("card.available_area"), i18n.fmt_area_ha(land.available_ha, lang, 0), demo),
    (tr("card.occupancy"), i18n.fmt_percent(land.occupancy_pct, lang), demo),
    (tr("card.city_average_occupancy"), i18n.fmt_percent(city["occupancy_pct"] if city is not None else None, lang, None),
     caption(city["as_of"], city["source"], city["basis"]) if city is not None else ""),
    (f'{tr("card.fdi_cumulative")} ({i18n.unit_label("million USD", lang)})', i18n.fmt_number(fdi_cum.value if fdi_cum else None, lang, 0),
     caption(fdi_cum.period_end, fdi_cum.source, fdi_cum.basis) if fdi_cum else ""),
    (f'{tr("card.fdi_latest")} ({i18n.unit_label("million USD", lang)})', i18n.fmt_number(fdi_latest.value if fdi_latest else None, lang, 0),
     (tr("card.pct_of_plan_value", pct=i18n.fmt_percent(fdi_latest.pct_of_plan, lang)) + " · " + period_label(fdi_latest.period, lang) + " · "
      + caption(fdi_latest.period_end, fdi_latest.source, fdi_latest.basis)) if fdi_latest else ""),
    (tr("card.workers"), i18n.fmt_number(workers.value if workers else None, lang, 0),
     caption(workers.period_end, workers.source, workers.basis) if workers else ""),
]


def show_cards(items: list[tuple[str, str, str]], per_row: int, key: str) -> None:
    with st.container(key=key):
        for start in range(0, len(items), per_row):
            for column, (title, value, note) in zip(st.columns(per_row), items[start:start + per_row]):
                with column:
                    st.metric(title, value)
                    st.caption(md_escape(note))  # sources and periods come from the data


show_cards(cards[:5], 5, "cards")

if parks.empty:
    st.info(tr("msg.no_match"))

# --- map and detail panel --------------------------------------------------------------------
if "_map_origin" not in st.session_state:
    st.session_state["_map_origin"] = (state.view.center, state.view.zoom)
origin_center, origin_zoom = st.session_state["_map_origin"]

map_column, detail_column = st.columns([2.3, 1], gap="medium")
with map_column:  # built once per data version and view; a filter change only hides features
    result = fastmap.show_map(data, selection, replace(view, center=origin_center, zoom=origin_zoom),
                              parks_all=parks_all, berths=berths, land=common.land(), key="main_map", height=640)

center = (result or {}).get("center")
if center and (result or {}).get("zoom"):
    view = replace(view, center=(round(center["lat"], 5), round(center["lng"], 5)), zoom=int(result["zoom"]))
common.publish(ViewState(filters, view))


@st.cache_resource(show_spinner=False, max_entries=256)
def nearest(version: str, park_id: str, layer: str, _frame: pd.DataFrame, _park: pd.DataFrame) -> pd.DataFrame:
    """The five features of ``_frame`` nearest the park, with ``km``: once per data version and park
    (every rerun of a session with a park open drew them again)."""
    return _frame.assign(km=distance_km(_frame, _park)).sort_values("km").head(5)


def detail_panel(park_id: str) -> None:
    row = parks_all[parks_all["park_id"] == park_id].iloc[0]
    st.subheader(md_escape(park_name(row, lang)))  # names are text, never Markdown
    st.caption(md_escape(row["name_en"] if lang == "vi" else row["name_vi"]))
    if st.button(tr("detail.clear"), key="clear_selection"):
        common.publish(ViewState(filters, replace(view, selected_park=None)))
        st.rerun()
    facts = pd.DataFrame(
        [
            (tr("popup.stage"), i18n.label("stage", row["stage"], lang), i18n.badge(row["stage_source"], lang)),
            (tr("popup.area"), i18n.fmt_area_ha(row["area_ha"], lang), i18n.badge(row["area_source"], lang)),
            (tr("popup.occupancy"), i18n.fmt_percent(row["occupancy_pct"], lang),
             caption(row["occupancy_as_of"], row["occupancy_source"])),
            (tr("popup.leased"), i18n.fmt_area_ha(row["leased_ha"], lang), demo),
            (tr("popup.available"), i18n.fmt_area_ha(row["available_ha"], lang), demo),
            (tr("popup.developer"), row["developer"] if pd.notna(row["developer"]) else i18n.MISSING, ""),
            (tr("popup.distance_to_berth"), i18n.fmt_km(row["distance_to_berth_km"], lang), ""),
            (tr("popup.distance_to_airport"), i18n.fmt_km(row["distance_to_airport_km"], lang), ""),
        ],
        columns=[tr("detail.figure"), tr("detail.value"), tr("detail.source")],
    )
    st.dataframe(facts, hide_index=True, width="stretch", key="detail_facts")

    history = data.occupancy_history[data.occupancy_history["park_id"] == park_id].copy()
    st.markdown(f"**{tr('detail.occupancy_history')}**")
    if history.empty:
        st.caption(tr("msg.no_history"))
    else:
        history["basis_label"] = history["basis"].map(lambda b: i18n.label("basis", b, lang))
        chart = (
            alt.Chart(history)
            .mark_line(point=alt.OverlayMarkDef(size=70))
            .encode(
                x=alt.X("as_of:T", title=None),
                y=alt.Y("occupancy_pct:Q", title="%", scale=alt.Scale(domain=[0, 100])),
                color=alt.Color("basis_label:N", title=None, legend=alt.Legend(orient="bottom")),
                tooltip=[alt.Tooltip("as_of:T"), alt.Tooltip("occupancy_pct:Q"), alt.Tooltip("source:N")],
            )
            .properties(height=180)
        )
        st.altair_chart(chart, width="stretch")

    park_plots = data.plots[data.plots["park_id"] == park_id]
    st.markdown(f"**{tr('detail.plots')}** ({len(park_plots)}) · {demo}")
    table = pd.DataFrame({
        tr("popup.plot_id"): park_plots["plot_id"],
        tr("popup.status"): park_plots["status"].map(lambda s: i18n.label("plot_status", s, lang)),
        tr("popup.area"): park_plots["area_ha"].round(2),
        tr("popup.sector"): park_plots["sector"].map(lambda s: i18n.label("sector", s, lang)),
        tr("popup.tenant"): park_plots["tenant"].fillna(""),
    })
    st.dataframe(table, hide_index=True, width="stretch", height=220, key="detail_plots")

    here = parks_all[parks_all["park_id"] == park_id]
    for title, frame, kind_label in (
        (tr("detail.housing_nearby"), data.housing, "housing_kind"),
        (tr("detail.connectivity_nearby"), data.connectivity, "connectivity_kind"),
    ):
        st.markdown(f"**{title}**")
        if frame.empty:
            st.caption(i18n.MISSING)
            continue
        near = nearest(data.version, park_id, kind_label, frame, here)
        st.dataframe(
            pd.DataFrame({
                tr("detail.name"): [park_name(r, lang) for _, r in near.iterrows()],
                tr("popup.kind"): near["kind"].map(lambda k: i18n.label(kind_label, k, lang)),
                tr("detail.distance_km"): near["km"].round(1),
            }),
            hide_index=True, width="stretch", key=f"near_{kind_label}",
        )
    notes = data.source_notes[data.source_notes["subject_id"] == park_id]
    for _, note in notes.iterrows():
        st.info(md_escape(f"{note['note_vi'] if lang == 'vi' else note['note_en']} ({note['source']})"))


with detail_column:
    if selected:
        detail_panel(selected)
    else:
        st.subheader(tr("detail.city_title"))
        show_cards(cards[5:], 2, "city_cards")
        st.caption(tr("detail.click_hint"))
        st.markdown(tr("rule.sixty_percent"))
        for _, note in data.source_notes[data.source_notes["subject_id"].isna()].iterrows():
            st.caption("ⓘ " + md_escape(f"{note['note_vi'] if lang == 'vi' else note['note_en']} ({note['source']})"))
