"""Occupancy by park (staff): a sortable table and a bar chart of every park with the city average
and the 60% threshold of Decree 35/2022, occupancy over time, and the chosen park on a small map.

Link parameters: ``park`` (the park shown on the map), ``colour`` (``occupancy`` or ``stage``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from heza_geo import i18n, styling
from heza_geo.analysis.joins import city_occupancy
from heza_geo.analysis.occupancy import (
    NEW_PARK_THRESHOLD_PCT,
    THRESHOLD_SOURCE,
    city_meets_threshold,
    colour_classes,
    occupancy_over_time,
    occupancy_table,
    reference_lines,
)
from heza_geo.links import choice_param
from heza_geo.maps import assets
from heza_geo.maps.pagemaps import park_map
from heza_geo.ui import common, pagekit
from heza_geo.ui.common import tr
from heza_geo.view import COLOUR_BY, park_name

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()

st.title(tr("page.occupancy"))
st.caption(tr("occupancy.intro"))

overview = common.overview(data.version, None, data)
table = occupancy_table(overview)
table["park"] = [park_name(r, lang) for _, r in table.iterrows()]
names = dict(zip(table["park_id"], table["park"]))

query = pagekit.params()
park_param, bad_park = choice_param(query, "park", None, list(table["park_id"]))
colour_param, bad_colour = choice_param(query, "colour", "occupancy", list(COLOUR_BY))
pagekit.warn([bad_park, bad_colour])
pagekit.initial("occ_park", park_param)
pagekit.initial("occ_colour", colour_param)

# --- city figures and the rule ----------------------------------------------------------------
lines = reference_lines(data.occupancy_history)
city_rows = lines[lines["kind"] == "city_average"]
latest_city = city_occupancy(data.occupancy_history)
columns = st.columns(len(city_rows) + 1)
for column, (_, row) in zip(columns, city_rows.iterrows()):
    with column:
        st.metric(tr("card.city_average_occupancy"), i18n.fmt_percent(row["occupancy_pct"], lang, None))
        pagekit.caption(pagekit.provenance(row["source"], row["as_of"], row["basis"]))
with columns[-1]:
    st.metric(tr("occupancy.threshold_card"), i18n.fmt_percent(NEW_PARK_THRESHOLD_PCT, lang, 0))
    pagekit.caption(pagekit.provenance(THRESHOLD_SOURCE))
meets = city_meets_threshold(data.occupancy_history)
if meets is not None:
    message = tr("occupancy.meets_threshold" if meets else "occupancy.below_threshold",
                 pct=i18n.fmt_percent(latest_city["occupancy_pct"], lang, None),
                 date=i18n.fmt_date(latest_city["as_of"], lang))
    (st.success if meets else st.warning)(message)
st.caption(tr("rule.sixty_percent"))

# --- bar chart --------------------------------------------------------------------------------
colour_by = st.radio(tr("filter.colour_by"), list(COLOUR_BY), key="occ_colour", horizontal=True,
                     format_func=lambda c: tr(f"colour_by.{c}"))
classes, pairs = colour_classes(table, colour_by, lang)
bars = table.assign(
    colour_class=classes,
    pct=table["occupancy_pct"].fillna(0.0),
    pct_text=[i18n.fmt_percent(v, lang) if pd.notna(v) else tr("occupancy.no_figure") for v in table["occupancy_pct"]],
    basis_text=[i18n.label("basis", b, lang) for b in table["occupancy_basis"]],
    as_of_text=[i18n.fmt_date(d, lang) for d in table["occupancy_as_of"]],
    source_text=[pagekit.provenance(s) for s in table["occupancy_source"]],
)
order = bars["park"].tolist()
axis_pct = alt.Axis(format=".0f", title=tr("occupancy.axis_pct"))
bar_layer = alt.Chart(bars).mark_bar(stroke=styling.BAR_OUTLINE, strokeWidth=0.6).encode(
    y=alt.Y("park:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
    x=alt.X("pct:Q", scale=alt.Scale(domain=[0, 112]), axis=axis_pct),
    color=alt.Color("colour_class:N", title=tr(f"legend.{colour_by}"),
                    scale=alt.Scale(domain=[p[0] for p in pairs], range=[p[1] for p in pairs])),
    opacity=alt.condition(alt.datum.occupancy_basis == "synthetic demo", alt.value(0.55), alt.value(1.0)),
    tooltip=[alt.Tooltip("park:N", title=tr("popup.park")), alt.Tooltip("pct_text:N", title=tr("popup.occupancy")),
             alt.Tooltip("basis_text:N", title=tr("occupancy.col_basis")),
             alt.Tooltip("as_of_text:N", title=tr("occupancy.col_as_of")),
             alt.Tooltip("source_text:N", title=tr("detail.source"))],
)
labels = alt.Chart(bars).mark_text(align="left", dx=4, fontSize=pagekit.SLIDE_FONT - 1).encode(
    y=alt.Y("park:N", sort=order), x="pct:Q", text="pct_text:N",
)
refs = lines.assign(
    colour_key=[tr(f"occupancy.ref_{k}") for k in lines["kind"]],
    text=[tr("occupancy.ref_line_label", what=tr(f"occupancy.ref_{r['kind']}"),
             pct=i18n.fmt_percent(r["occupancy_pct"], lang, None),
             date=i18n.fmt_date(r["as_of"], lang) if pd.notna(r["as_of"]) else tr("occupancy.decree"),
             source=pagekit.source_ref(r["source"]), basis=i18n.label("basis", r["basis"], lang))
          for _, r in lines.iterrows()],
)
ref_colours = {tr("occupancy.ref_city_average"): styling.REFERENCE_COLOURS["city_average"],
               tr("occupancy.ref_threshold"): styling.REFERENCE_COLOURS["threshold"]}
rules = alt.Chart(refs).mark_rule(strokeWidth=2.5).encode(
    x="occupancy_pct:Q",
    color=alt.Color("colour_key:N", title=tr("occupancy.reference_lines"),
                    scale=alt.Scale(domain=list(ref_colours), range=list(ref_colours.values()))),
    strokeDash=alt.condition(alt.datum.kind == "threshold", alt.value([8, 5]), alt.value([2, 3])),
    tooltip=[alt.Tooltip("text:N", title=tr("occupancy.reference_lines"))],
)
chart = alt.layer(bar_layer, labels, rules).resolve_scale(color="independent").properties(
    height=max(360, 38 * len(bars)),
    title=alt.Title(tr("occupancy.chart_title"), subtitle=tr("occupancy.chart_subtitle")),
)
pagekit.show(chart, key="occ_chart")
pagekit.caption(" · ".join(refs["text"]))

# --- sortable table ---------------------------------------------------------------------------
st.subheader(tr("occupancy.table_title"))
st.caption(tr("occupancy.table_hint"))
demo = i18n.badge("synthetic demo", lang)
_NUMBERS = ("area_ha", "leasable_ha", "leased_ha", "available_ha", "occupancy_pct", "plots_occupancy_pct")
shown = pd.DataFrame({
    "park": table["park"],
    "stage": [i18n.label("stage", s, lang) for s in table["stage"]],
    **{column: table[column] for column in _NUMBERS[:5]},
    "as_of": [i18n.fmt_date(d, lang) for d in table["occupancy_as_of"]],
    "basis": [i18n.label("basis", b, lang) for b in table["occupancy_basis"]],
    "source": [pagekit.provenance(s) if isinstance(s, str) else i18n.MISSING for s in table["occupancy_source"]],
    "plots_occupancy_pct": table["plots_occupancy_pct"],
    "area_source": [pagekit.provenance(s) for s in table["area_source"]],
})
# Streamlit prints a missing number as "None" whatever the styler says: missing figures are kept as 0
# (so they sort with the smallest) and shown as "—".
missing = shown[list(_NUMBERS)].isna()
shown[list(_NUMBERS)] = shown[list(_NUMBERS)].fillna(0.0)
styled = shown.style.format({
    **{column: (lambda v: i18n.fmt_number(v, lang, 1)) for column in _NUMBERS[:4]},
    "occupancy_pct": lambda v: i18n.fmt_percent(v, lang), "plots_occupancy_pct": lambda v: i18n.fmt_percent(v, lang),
})
for column in _NUMBERS:
    if missing[column].any():
        styled = styled.format(lambda _v: i18n.MISSING, subset=pd.IndexSlice[missing.index[missing[column]], [column]])
demo_suffix = f" · {tr('occupancy.demo_short')}"
event = st.dataframe(
    styled,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(shown), 680),
    key="occ_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "park": st.column_config.TextColumn(tr("popup.park"), pinned=True, width="large"),
        "stage": tr("popup.stage"),
        "area_ha": tr("occupancy.col_declared_area"),
        "leasable_ha": tr("occupancy.col_leasable") + demo_suffix,
        "leased_ha": tr("occupancy.col_leased") + demo_suffix,
        "available_ha": tr("occupancy.col_available") + demo_suffix,
        "occupancy_pct": tr("occupancy.col_occupancy"),
        "as_of": tr("occupancy.col_as_of"),
        "basis": tr("occupancy.col_basis"),
        "source": tr("detail.source"),
        "plots_occupancy_pct": tr("occupancy.col_plots_occupancy") + demo_suffix,
        "area_source": tr("occupancy.col_area_source"),
    },
)
st.caption(tr("occupancy.demo_note", badge=demo))

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
    row = table[table["park_id"] == park_id].iloc[0]
    map_column, figures_column = st.columns([2, 1], gap="medium")
    with figures_column:
        st.metric(tr("popup.occupancy"), i18n.fmt_percent(row["occupancy_pct"], lang))
        pagekit.caption(pagekit.provenance(row["occupancy_source"], row["occupancy_as_of"], row["occupancy_basis"]))
        st.metric(tr("occupancy.col_plots_occupancy"), i18n.fmt_percent(row["plots_occupancy_pct"], lang))
        st.caption(demo)
        st.metric(tr("occupancy.col_available"), i18n.fmt_area_ha(row["available_ha"], lang, 1))
        st.caption(demo if pd.notna(row["land_source"]) else i18n.MISSING)
        st.metric(tr("popup.stage"), i18n.label("stage", row["stage"], lang))
        pagekit.caption(pagekit.provenance(row["stage_source"]))
    with map_column:
        if missing := assets.missing_assets():
            st.error(tr("msg.assets_missing") + f" ({len(missing)})")
        folium_map = park_map(overview, data.plots, park_id, lang, common.land())
        st_folium(assets.localize(folium_map), height=460, use_container_width=True, key="occ_map",
                  returned_objects=[])


def history_chart(park_ids: list[str]) -> alt.LayerChart | None:
    """Occupancy over time of ``park_ids``, with the city average and the 60% threshold."""
    history = occupancy_over_time(data.occupancy_history, park_ids)
    if history.empty:
        return None
    history = history.assign(
        park=history["park_id"].map(names),
        basis_text=[i18n.label("basis", b, lang) for b in history["basis"]],
        pct_text=[i18n.fmt_percent(v, lang) for v in history["occupancy_pct"]],
        date_text=[i18n.fmt_date(d, lang) for d in history["as_of"]],
        source_text=[pagekit.provenance(s) for s in history["source"]],
    )
    basis_domain = [i18n.label("basis", b, lang) for b in ("reported", "estimate", "synthetic demo")]
    tooltip = [alt.Tooltip("park:N", title=tr("popup.park")), alt.Tooltip("date_text:N", title=tr("occupancy.col_as_of")),
               alt.Tooltip("pct_text:N", title=tr("popup.occupancy")),
               alt.Tooltip("basis_text:N", title=tr("occupancy.col_basis")),
               alt.Tooltip("source_text:N", title=tr("detail.source"))]
    x = alt.X("as_of:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    y = alt.Y("occupancy_pct:Q", title=tr("occupancy.axis_pct"), scale=alt.Scale(domain=[0, 100]))
    single = len(park_ids) == 1
    park_colour = alt.Color("park:N", title=None, legend=None if single else alt.Legend(orient="right", columns=1))
    line = alt.Chart(history).mark_line(strokeWidth=2, opacity=0.7).encode(x=x, y=y, color=park_colour)
    points = alt.Chart(history).mark_point(size=150, strokeWidth=2.5).encode(
        x=x, y=y, color=alt.Color("park:N", legend=None),
        shape=alt.Shape("basis_text:N", title=tr("occupancy.col_basis"),
                        scale=alt.Scale(domain=basis_domain, range=["circle", "diamond", "triangle-up"])),
        fill=alt.condition(alt.datum.is_demo, alt.value("white"), alt.Color("park:N", legend=None)),
        tooltip=tooltip,
    )
    city = data.occupancy_history[data.occupancy_history["scope"] == "city"]
    city = city.assign(
        what=tr("occupancy.ref_city_average"),
        pct_text=[i18n.fmt_percent(v, lang, None) for v in city["occupancy_pct"]],
        date_text=[i18n.fmt_date(d, lang) for d in city["as_of"]],
        source_text=[pagekit.provenance(s, None, b) for s, b in zip(city["source"], city["basis"])],
    )
    city_line = alt.Chart(city).mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeDash=[2, 3],
                                          color=styling.REFERENCE_COLOURS["city_average"]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("date_text:N", title=tr("occupancy.col_as_of")),
                           alt.Tooltip("pct_text:N", title=tr("popup.occupancy")),
                           alt.Tooltip("source_text:N", title=tr("detail.source"))])
    threshold = alt.Chart(pd.DataFrame({"y": [NEW_PARK_THRESHOLD_PCT]})).mark_rule(
        strokeDash=[8, 5], strokeWidth=2, color=styling.REFERENCE_COLOURS["threshold"]).encode(y="y:Q")
    title = tr("occupancy.history_title") + (f": {names[park_ids[0]]}" if single else "")
    return alt.layer(line, points, city_line, threshold).properties(
        height=360, title=alt.Title(title, subtitle=tr("occupancy.history_subtitle")))


parks_with_history = [p for p in table["park_id"] if p in set(data.occupancy_history["park_id"].dropna())]
chart = history_chart([park_id] if park_id else parks_with_history)
if chart is None:
    st.caption(tr("msg.no_history"))
else:
    pagekit.show(chart, key="occ_history")

for _, note in data.source_notes[data.source_notes["topic"] == "occupancy"].iterrows():
    note_text = note["note_vi"] if lang == "vi" else note["note_en"]
    pagekit.caption(f"{note_text} ({pagekit.source_ref(note['source'])})", "ⓘ ")
