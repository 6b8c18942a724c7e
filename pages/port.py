"""Lạch Huyện port: berths 1–12 as of the end of a chosen year, their record from reports and news,
and the parks within N km of the berths operating then.

Link parameters: ``year`` (2018–2030; status on 31 December of it) and ``km`` (distance to an
operating berth).
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from heza_geo import i18n, styling
from heza_geo.analysis.port import (
    FIRST_YEAR,
    LAST_YEAR,
    NOT_YET_PLANNED,
    operating,
    parks_within,
    port_notes,
    reach_area,
    status_as_of_year,
    timeline,
    year_end,
)
from heza_geo.links import float_param, int_param
from heza_geo.maps import assets
from heza_geo.maps.pagemaps import berth_status_text, port_map
from heza_geo.text import md_escape
from heza_geo.ui import common, pagekit
from heza_geo.ui.common import tr
from heza_geo.view import park_name

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
pagekit.warn([bad_year, bad_km])
pagekit.initial("port_year", year_param)
pagekit.initial("port_km", int(round(km_param)))

left, right = st.columns(2, gap="large")
with left:
    year = st.slider(tr("port.year"), FIRST_YEAR, LAST_YEAR, key="port_year", step=1)
with right:
    km = float(st.slider(tr("port.km"), int(MIN_KM), int(MAX_KM), key="port_km", step=1))
pagekit.publish(year=year, km=int(km))

as_of = year_end(year)
as_of_text = i18n.fmt_date(as_of, lang)
status = status_as_of_year(data.berths, data.berth_status_history, year)
running = operating(status)
overview = common.overview(data.version, None, data)
near = parks_within(overview, status, km)

cards = st.columns(4)
counts = status["display_status"].value_counts()
with cards[0]:
    st.metric(tr("port.operating_count", date=as_of_text), f"{len(running)} / {len(status)}")
with cards[1]:
    st.metric(i18n.label("berth_status", "under_construction", lang), int(counts.get("under_construction", 0)))
with cards[2]:
    approval = int(counts.get("approved", 0) + counts.get("awaiting_approval", 0) + counts.get("planned", 0))
    st.metric(tr("port.in_preparation"), approval)
with cards[3]:
    st.metric(tr("port.parks_within_card", km=i18n.fmt_km(km, lang, 0)), len(near))

for _, note in port_notes(data.source_notes).iterrows():
    note_text = note["note_vi"] if lang == "vi" else note["note_en"]
    st.info(md_escape(f"{note_text} — {pagekit.provenance(note['source'])}"))  # notes and sources are data

# --- map, berths, parks within N km --------------------------------------------------------------
if missing := assets.missing_assets():
    st.error(tr("msg.assets_missing") + f" ({len(missing)})")
folium_map = port_map(overview, status, data.connectivity, near, reach_area(status, km), km, lang, common.land())
st_folium(assets.localize(folium_map), height=560, use_container_width=True, key="port_map", returned_objects=[])

berths_column, parks_column = st.columns([1.15, 1], gap="large")
with berths_column:
    st.subheader(tr("port.berths_title", date=as_of_text))
    berth_table = pd.DataFrame({
        "berth": status["berth_no"].astype(int),
        "status": [berth_status_text(s, lang) for s in status["display_status"]],
        "since": [i18n.fmt_date(d, lang) for d in status["status_as_of"]],
        "source": [pagekit.provenance(s) if isinstance(s, str) else i18n.MISSING for s in status["status_source"]],
        "terminal": status["terminal"],
        "construction_start": [i18n.fmt_date(d, lang) for d in status["construction_start"]],
        "operating_since": [i18n.fmt_date(d, lang) for d in status["operating_since"]],
        "expected": status["expected"].fillna(i18n.MISSING),
        "approval": [i18n.label("berth_status", s, lang) + f" ({i18n.fmt_date(d, lang)})" if isinstance(s, str)
                     else i18n.MISSING for s, d in zip(status["approval_stage"], status["approval_as_of"])],
    })
    colours = {berth_status_text(s, lang): c for s, c in styling.BERTH_STATUS_COLOURS.items()}
    colours[berth_status_text(NOT_YET_PLANNED, lang)] = styling.BERTH_UNKNOWN_COLOUR
    styled = berth_table.style.map(
        lambda v: f"background-color: {colours[v]}33" if v in colours else "", subset=["status"])
    st.dataframe(
        styled, hide_index=True, width="stretch", height=38 + 35 * len(berth_table), key="port_berths",
        column_config={
            "berth": st.column_config.NumberColumn(tr("popup.berth"), width="small", format="%d", pinned=True),
            "status": st.column_config.TextColumn(tr("popup.status"), pinned=True),
            "since": tr("port.col_since"),
            "source": tr("detail.source"),
            "terminal": tr("popup.terminal"),
            "construction_start": tr("popup.construction_start"),
            "operating_since": tr("popup.operating_since"),
            "expected": tr("popup.expected"),
            "approval": tr("port.col_approval"),
        },
    )
    if (status["display_status"] == NOT_YET_PLANNED).any():
        st.caption(tr("port.not_yet_planned_hint"))

with parks_column:
    st.subheader(tr("port.parks_within_title", km=i18n.fmt_km(km, lang, 0), date=as_of_text))
    if running.empty:
        st.info(tr("port.no_operating", date=as_of_text))
    elif near.empty:
        st.info(tr("port.none_within", km=i18n.fmt_km(km, lang, 0)))
    else:
        st.dataframe(
            pd.DataFrame({
                tr("popup.park"): [park_name(r, lang) for _, r in near.iterrows()],
                tr("port.col_distance"): [i18n.fmt_km(v, lang) for v in near["distance_km"]],
                tr("port.col_nearest"): [tr("popup.berth_no", n=int(b)) for b in near["nearest_berth"]],
                tr("popup.stage"): [i18n.label("stage", s, lang) for s in near["stage"]],
                tr("popup.area"): [i18n.fmt_area_ha(v, lang, 1) for v in near["area_ha"]],
                tr("popup.occupancy"): [i18n.fmt_percent(v, lang) for v in near["occupancy_pct"]],
                tr("detail.source"): [pagekit.provenance(s, d, b) if isinstance(s, str) else i18n.MISSING
                                      for s, d, b in zip(near["occupancy_source"], near["occupancy_as_of"],
                                                         near["occupancy_basis"])],
            }),
            hide_index=True, width="stretch", key="port_near",
        )
        st.caption(tr("port.distance_note"))

# --- timeline ----------------------------------------------------------------------------------
st.subheader(tr("port.timeline_title"))
events = timeline(data.berth_status_history)
frame = events.assign(
    berth=[tr("popup.berth_no", n=int(n)) for n in events["berth_no"]],
    status_text=[berth_status_text(s, lang) for s in events["status"]],
    provenance_text=[i18n.label("provenance", p, lang) for p in events["provenance"]],
    date_text=[i18n.fmt_date(d, lang) for d in events["as_of"]],
    source_text=[pagekit.provenance(s) for s in events["source"]],
    expected_text=events["expected"].fillna(i18n.MISSING),
    event_text=events["event"].fillna(""),
)
berth_order = [tr("popup.berth_no", n=n) for n in sorted(events["berth_no"].unique())]
status_domain = [berth_status_text(s, lang) for s in styling.BERTH_STATUS_COLOURS]
provenance_domain = list(dict.fromkeys(frame["provenance_text"]))
shapes = {"report": "circle", "news": "diamond"}
x = alt.X("as_of:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"),
          scale=alt.Scale(domain=[date(FIRST_YEAR, 1, 1).isoformat(), date(LAST_YEAR, 12, 31).isoformat()]))
y = alt.Y("berth:N", sort=berth_order, title=None)
tooltip = [alt.Tooltip("berth:N", title=tr("popup.berth")), alt.Tooltip("date_text:N", title=tr("port.col_date")),
           alt.Tooltip("status_text:N", title=tr("popup.status")),
           alt.Tooltip("event_text:N", title=tr("port.col_event")),
           alt.Tooltip("expected_text:N", title=tr("popup.expected")),
           alt.Tooltip("source_text:N", title=tr("detail.source"))]
spans = frame.sort_values(["berth_no", "as_of"]).assign(
    until=lambda f: f.groupby("berth_no")["as_of"].shift(-1).fillna(pd.Timestamp(date(LAST_YEAR, 12, 31))))
bands = alt.Chart(spans).mark_bar(height=14, opacity=0.35).encode(
    x=x, x2="until:T", y=y,
    color=alt.Color("status_text:N", title=tr("legend.berth_status"), sort=status_domain,
                    scale=alt.Scale(domain=status_domain, range=list(styling.BERTH_STATUS_COLOURS.values()))))
points = alt.Chart(frame).mark_point(size=170, filled=True, opacity=0.95, stroke="#222", strokeWidth=0.8).encode(
    x=x, y=y,
    color=alt.Color("status_text:N", title=tr("legend.berth_status"), sort=status_domain,
                    scale=alt.Scale(domain=status_domain, range=list(styling.BERTH_STATUS_COLOURS.values()))),
    shape=alt.Shape("provenance_text:N", title=tr("port.record_source"),
                    legend=alt.Legend(orient="right", columns=1, labelLimit=240),
                    scale=alt.Scale(domain=provenance_domain,
                                    range=[shapes.get(p, "square") for p in dict.fromkeys(frame["provenance"])])),
    tooltip=tooltip)
now = alt.Chart(pd.DataFrame({"as_of": [pd.Timestamp(as_of)], "text": [as_of_text]})).mark_rule(
    color=styling.REFERENCE_COLOURS["threshold"], strokeWidth=2.5, strokeDash=[6, 4]).encode(x="as_of:T")
now_text = alt.Chart(pd.DataFrame({"as_of": [pd.Timestamp(as_of)], "text": [as_of_text]})).mark_text(
    align="left", dx=5, dy=-6, fontSize=pagekit.SLIDE_FONT - 1, fontWeight="bold",
    color=styling.REFERENCE_COLOURS["threshold"]).encode(x="as_of:T", y=alt.value(0), text="text:N")
chart = alt.layer(bands, points, now, now_text).resolve_scale(color="shared").properties(
    height=34 * len(berth_order) + 40,
    title=alt.Title(tr("port.timeline_chart_title"), subtitle=tr("port.timeline_chart_subtitle")))
pagekit.show(chart, key="port_timeline")

with st.expander(tr("port.events_title", n=len(frame))):
    st.dataframe(
        pd.DataFrame({
            tr("port.col_date"): frame["date_text"],
            tr("popup.berth"): frame["berth_no"].astype(int),
            tr("popup.status"): frame["status_text"],
            tr("port.col_event"): frame["event_text"],
            tr("popup.expected"): frame["expected_text"],
            tr("detail.source"): frame["source_text"],
        }),
        hide_index=True, width="stretch", key="port_events",
    )
