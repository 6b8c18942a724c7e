"""Lạch Huyện port: berths 1–12 as of the end of a chosen year, their record from reports and news,
and the parks within N km of the berths operating then.

Link parameters: ``year`` (2018–2030; status on 31 December of it) and ``km`` (distance to an
operating berth). A park with no position yet has no distance: it is never counted as near, and a
caption says how many are left out.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.cards import port_cards
from heza_geo.analysis.charts import berth_events, berth_spans
from heza_geo.analysis.indicators import placed
from heza_geo.analysis.port import (
    FIRST_YEAR,
    LAST_YEAR,
    NOT_YET_PLANNED,
    operating,
    parks_within,
    port_notes,
    reach_area,
    status_as_of_year,
    year_end,
)
from heza_geo.analysis.sources import port_note_lines
from heza_geo.analysis.tables import berth_headers, berths_shown, events_table, parks_near_table
from heza_geo.links import float_param, int_param
from heza_geo.maps.pagemaps import port_map
from heza_geo.ui import cards, common, pagekit, pagemaps, slides
from heza_geo.ui.common import tr

MIN_KM, MAX_KM, DEFAULT_KM = 1.0, 60.0, 15.0

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()

st.title(tr("page.port"))
st.caption(tr("port.intro"))

default_year = min(max(date.today().year, FIRST_YEAR), LAST_YEAR)
query = pagekit.params()
year_param, bad_year = int_param(query, "year", default_year, FIRST_YEAR, LAST_YEAR)
km_param, bad_km = float_param(query, "km", DEFAULT_KM, MIN_KM, MAX_KM)
common.warn_link([bad_year, bad_km])
pagekit.initial("port_year", year_param)
pagekit.initial("port_km", round(km_param))

left, right = st.columns(2, gap="large")
with left:
    year = st.slider(tr("port.year"), FIRST_YEAR, LAST_YEAR, key="port_year", step=1)
with right:
    km = float(st.slider(tr("port.km"), int(MIN_KM), int(MAX_KM), key="port_km", step=1))
pagekit.publish(year=year, km=int(km))

as_of = year_end(year)
as_of_text = i18n.fmt_date(as_of, lang)
status = status_as_of_year(data.berths, data.berth_status_history, year)
overview = common.overview(data.version, None, data)
near = parks_within(overview, status, km)

cards.card_row(port_cards(status, near, km, as_of, lang))
pagekit.notes(port_note_lines(port_notes(data.source_notes), lang), boxed=True)

# --- map, berths, parks within N km --------------------------------------------------------------
pagemaps.assets_notice()
pagemaps.show(lambda: port_map(overview, status, data.connectivity, near, reach_area(status, km), km, lang,
                               common.land()), "port_map", 560, same=(data.version, year, km, lang))

berths_column, parks_column = st.columns([1.15, 1], gap="large")
with berths_column:
    st.subheader(tr("port.berths_title", date=as_of_text))
    headers = berth_headers(lang)
    st.dataframe(
        berths_shown(status, lang), hide_index=True, width="stretch", height=38 + 35 * len(status), key="port_berths",
        column_config=headers | {
            "berth": st.column_config.NumberColumn(headers["berth"], width="small", format="%d", pinned=True),
            "status": st.column_config.TextColumn(headers["status"], pinned=True),
        },
    )
    if (status["display_status"] == NOT_YET_PLANNED).any():
        st.caption(tr("port.not_yet_planned_hint"))

with parks_column:
    st.subheader(tr("port.parks_within_title", km=i18n.fmt_km(km, lang, 0), date=as_of_text))
    if operating(status).empty:
        st.info(tr("port.no_operating", date=as_of_text))
    elif near.empty:
        st.info(tr("port.none_within", km=i18n.fmt_km(km, lang, 0)))
    else:
        st.dataframe(parks_near_table(near, lang), hide_index=True, width="stretch", key="port_near")
        st.caption(tr("port.distance_note"))
    if unplaced := int((~placed(overview)).sum()):
        st.caption(tr("port.unplaced_note", n=unplaced))

# --- timeline ----------------------------------------------------------------------------------
st.subheader(tr("port.timeline_title"))
events = berth_events(data.berth_status_history, lang)
pagekit.show(slides.berth_timeline, events, berth_spans(events), as_of, lang, key="port_timeline")
with st.expander(tr("port.events_title", n=len(events))):
    st.dataframe(events_table(events, lang), hide_index=True, width="stretch", key="port_events")
