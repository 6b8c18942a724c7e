"""Occupancy by park (staff): a sortable table and a bar chart of every park with the city average
and the 60% threshold of Decree 35/2022, occupancy over time, and the chosen park on a small map.

Every park of the merged city is in the table and the chart, east (old Hải Phòng) and west
(former Hải Dương), with its region and former district; a park no source places is listed and
counted, its land (summed from plots it cannot have) is "—", and it has no map.

Link parameters: ``park`` (the park shown on the map), ``colour`` (``occupancy`` or ``stage``).
"""

from __future__ import annotations

import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.cards import occupancy_reference_cards, park_occupancy_cards, threshold_verdict
from heza_geo.analysis.charts import city_points, occupancy_bars, occupancy_points, reference_rules
from heza_geo.analysis.sources import occupancy_notes
from heza_geo.analysis.tables import occupancy_headers, occupancy_rows, occupancy_shown
from heza_geo.links import choice_param
from heza_geo.maps.pagemaps import park_map
from heza_geo.ui import cards, common, pagekit, pagemaps, slides
from heza_geo.ui.common import tr
from heza_geo.view import COLOUR_BY

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()

st.title(tr("page.occupancy"))
st.caption(tr("occupancy.intro"))

overview = common.overview(data.version, None, data)
table = occupancy_rows(overview, lang)
names = dict(zip(table["park_id"], table["park"], strict=True))

query = pagekit.params()
park_param, bad_park = choice_param(query, "park", None, list(table["park_id"]))
colour_param, bad_colour = choice_param(query, "colour", "occupancy", list(COLOUR_BY))
common.warn_link([bad_park, bad_colour])
pagekit.initial("occ_park", park_param)
pagekit.initial("occ_colour", colour_param)

# --- city figures and the rule ----------------------------------------------------------------
cards.card_row(occupancy_reference_cards(data.occupancy_history, lang))
if verdict := threshold_verdict(data.occupancy_history, lang):
    meets, message = verdict
    (st.success if meets else st.warning)(message)
st.caption(tr("rule.sixty_percent"))

# --- bar chart --------------------------------------------------------------------------------
colour_by = st.radio(tr("filter.colour_by"), list(COLOUR_BY), key="occ_colour", horizontal=True,
                     format_func=lambda c: tr(f"colour_by.{c}"))
bars, pairs = occupancy_bars(table, colour_by, lang)
refs = reference_rules(data.occupancy_history, lang)
pagekit.show(slides.occupancy_chart, bars, pairs, refs, colour_by, lang, key="occ_chart")
pagekit.caption(" · ".join(refs["text"]))

# --- sortable table ---------------------------------------------------------------------------
st.subheader(tr("occupancy.table_title"))
st.caption(tr("occupancy.table_hint"))
headers = occupancy_headers(lang)
event = st.dataframe(
    occupancy_shown(table, lang),
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(table), 680),
    key="occ_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config=headers | {"park": st.column_config.TextColumn(headers["park"], pinned=True, width="medium")},
)
st.caption(tr("occupancy.demo_note", badge=i18n.badge("synthetic demo", lang)))
if unplaced := int((~table["placed"]).sum()):
    st.caption(tr("map.unplaced", n=unplaced))

rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
if rows and rows != st.session_state.get("_occ_last_rows"):
    st.session_state["occ_park"] = table["park_id"].iloc[rows[0]]
st.session_state["_occ_last_rows"] = rows

# --- the chosen park: map and history ---------------------------------------------------------
st.subheader(tr("occupancy.park_title"))
park_id = st.selectbox(tr("occupancy.select_park"), list(table["park_id"]), key="occ_park",
                       format_func=lambda p: names.get(p, p), index=None, placeholder=tr("occupancy.pick_park"))
pagekit.publish(park=park_id, colour=None if colour_by == "occupancy" else colour_by)

if park_id is None:
    st.info(tr("occupancy.pick_park_hint"))
else:
    chosen = table[table["park_id"] == park_id].iloc[0]
    map_column, figures_column = st.columns([2, 1], gap="medium")
    with figures_column:
        for item in park_occupancy_cards(chosen, lang):
            cards.card(item)
    with map_column:
        if not chosen["placed"]:  # no outline: nothing to draw, and no position is made up
            st.info(tr("occupancy.unplaced_park"))
        else:
            pagemaps.assets_notice()
            pagemaps.show(lambda: park_map(overview, data.plots, park_id, lang, common.land()), "occ_map", 460,
                          same=(data.version, park_id, lang))

with_history = set(data.occupancy_history["park_id"].dropna())
shown = [park_id] if park_id else [p for p in table["park_id"] if p in with_history]
points = occupancy_points(data.occupancy_history, shown, names, lang)
if points.empty:
    st.caption(tr("msg.no_history"))
else:
    name = names[shown[0]] if len(shown) == 1 else None
    pagekit.show(slides.occupancy_history_chart, points, city_points(data.occupancy_history, lang), name, lang,
                 key="occ_history")
pagekit.notes(occupancy_notes(data.source_notes, lang))
