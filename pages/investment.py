"""Investment: FDI and DDI by period against plan, cumulative projects and capital, the sector mix,
the investors the reports name, and the enterprise indicators against plan; each figure with its source.

Charts are made for a slide: a title with the unit, large type, a "Save as PNG" action (⋯ menu).
Link parameter: ``period`` (the period of the headline figures), as the data writes it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from heza_geo import i18n, styling
from heza_geo.analysis.investment import (
    FLOW_TOTALS,
    country_name,
    cumulative,
    enterprise_against_plan,
    flows,
    named_investors,
    period_figures,
    period_label,
    periods,
    sector_mix,
)
from heza_geo.links import choice_param
from heza_geo.text import md_escape, md_format
from heza_geo.ui import common, pagekit
from heza_geo.ui.common import tr
from heza_geo.view import park_name

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()

st.title(tr("page.investment"))
st.caption(tr("investment.intro"))

flow_rows = flows(data.investment)
if flow_rows.empty:
    st.info(tr("investment.no_data"))
    st.stop()
choices = periods(data.investment, tuple(FLOW_TOTALS.values()))
period_param, bad_period = choice_param(pagekit.params(), "period", choices[-1], choices)
pagekit.warn([bad_period])
pagekit.initial("inv_period", period_param)
period = st.radio(tr("investment.period"), choices, key="inv_period", horizontal=True,
                  format_func=lambda p: md_escape(period_label(p, lang)))  # radio options are Markdown
pagekit.publish(period=period)


def money(value: object, unit: str) -> str:
    return i18n.fmt_money(value, unit, lang)


def unit_of(rows: pd.DataFrame) -> str:
    return str(rows["unit"].iloc[0]) if not rows.empty else ""


# --- headline figures of the chosen period -----------------------------------------------------
figures = period_figures(data.investment, period).set_index("metric")


def headline(flow: str) -> None:
    total = FLOW_TOTALS[flow]
    st.markdown(f"#### {tr(f'investment.{flow}_title')}")
    if total not in figures.index:
        st.caption(tr("investment.no_figure"))
        return
    row = figures.loc[total]
    st.metric(md_format(tr(f"investment.{flow}_total"), period=period_label(period, lang)),
              md_escape(money(row["value"], row["unit"])))
    if pd.notna(row["pct_of_plan"]):
        plan = money(row["plan"], row["unit"]) if pd.notna(row["plan"]) else i18n.MISSING
        pct = i18n.fmt_percent(row["pct_of_plan"], lang, None)
        st.markdown("**" + md_format(tr("investment.pct_of_plan_of"), pct=pct, plan=plan) + "**")
    else:
        st.caption(tr("investment.no_plan"))
    pagekit.caption(pagekit.provenance(row["source"], row["period_end"], row["basis"]))
    parts = [(m, figures.loc[m]) for m in figures.index if m.startswith(flow) and m != total]
    if parts:
        st.dataframe(
            pd.DataFrame({
                tr("investment.col_indicator"): [i18n.label("metric", m, lang) for m, _ in parts],
                tr("investment.col_value"): [money(r["value"], r["unit"]) if r["unit"] != "projects"
                                             else i18n.fmt_number(r["value"], lang, 0) for _, r in parts],
                tr("detail.source"): [pagekit.provenance(r["source"]) for _, r in parts],
            }),
            hide_index=True, width="stretch", key=f"inv_parts_{flow}",
        )


left, right = st.columns(2, gap="large")
with left:
    headline("fdi")
with right:
    headline("ddi")


# --- FDI and DDI by period, against plan --------------------------------------------------------
def flow_chart(flow: str) -> alt.LayerChart | None:
    rows = flow_rows[flow_rows["flow"] == flow]
    if rows.empty:
        return None
    unit = unit_of(rows)
    order = [period_label(p, lang) for p in rows["period"]]
    frame = rows.assign(
        period_text=[period_label(p, lang) for p in rows["period"]],
        value_text=[i18n.fmt_number(v, lang, None) for v in rows["value"]],
        label=[i18n.fmt_number(v, lang, 0) + (f" ({i18n.fmt_percent(p, lang, None)})" if pd.notna(p) else "")
               for v, p in zip(rows["value"], rows["pct_of_plan"])],
        plan_text=[money(v, unit) if pd.notna(v) else i18n.MISSING for v in rows["plan"]],
        pct_text=[i18n.fmt_percent(v, lang, None) if pd.notna(v) else i18n.MISSING for v in rows["pct_of_plan"]],
        source_text=[pagekit.provenance(s, None, b) for s, b in zip(rows["source"], rows["basis"])],
        chosen=rows["period"] == period,
    )
    x = alt.X("period_text:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=200))
    tooltip = [alt.Tooltip("period_text:N", title=tr("investment.period")),
               alt.Tooltip("value_text:N", title=tr("investment.actual")),
               alt.Tooltip("plan_text:N", title=tr("investment.plan")),
               alt.Tooltip("pct_text:N", title=tr("card.pct_of_plan")),
               alt.Tooltip("source_text:N", title=tr("detail.source"))]
    actual = alt.Chart(frame).mark_bar(color=styling.FLOW_COLOURS[flow], size=56).encode(
        x=x, y=alt.Y("value:Q", title=i18n.unit_label(unit, lang)),
        opacity=alt.condition(alt.datum.chosen, alt.value(1.0), alt.value(0.55)), tooltip=tooltip)
    plan = alt.Chart(frame[frame["plan"].notna()]).mark_tick(
        color=styling.PLAN_COLOUR, thickness=4, size=76).encode(x=x, y="plan:Q", tooltip=tooltip)
    text = alt.Chart(frame).mark_text(dy=-10, fontSize=pagekit.SLIDE_FONT, fontWeight="bold").encode(
        x=x, y="value:Q", text="label:N")
    return alt.layer(actual, plan, text).properties(
        height=380,
        title=alt.Title(tr(f"investment.{flow}_chart_title", unit=i18n.unit_label(unit, lang)),
                        subtitle=tr("investment.flow_chart_subtitle",
                                    sources=", ".join(dict.fromkeys(pagekit.source_ref(s) for s in rows["source"])))),
    )


st.divider()
for flow in FLOW_TOTALS:
    chart = flow_chart(flow)
    if chart is not None:
        pagekit.show(chart, key=f"inv_{flow}_chart")
        pagekit.caption(pagekit.sources_line(flow_rows[flow_rows["flow"] == flow], lambda p: period_label(p, lang)))

# --- cumulative ------------------------------------------------------------------------------
st.subheader(tr("investment.cumulative_title"))
cum = cumulative(data.investment)
left, right = st.columns(2, gap="large")
for column, flow in ((left, "fdi"), (right, "ddi")):
    rows = cum[cum["flow"] == flow]
    capital = rows[rows["measure"] == "capital"]
    projects = rows[rows["measure"] == "projects"].set_index("period")["value"]
    if capital.empty:
        continue
    unit = unit_of(capital)
    order = [period_label(p, lang) for p in capital["period"]]
    frame = capital.assign(
        period_text=[period_label(p, lang) for p in capital["period"]],
        label=[tr("investment.cumulative_label", capital=i18n.fmt_number(v, lang, 0),
                  projects=i18n.fmt_number(projects.get(p), lang, 0))
               for p, v in zip(capital["period"], capital["value"])],
        capital_text=[i18n.fmt_number(v, lang, 0) for v in capital["value"]],
        projects_text=[tr("investment.projects_n", n=i18n.fmt_number(projects.get(p), lang, 0))
                       for p in capital["period"]],
        date_text=[i18n.fmt_date(d, lang) for d in capital["period_end"]],
        source_text=[pagekit.provenance(s, None, b) for s, b in zip(capital["source"], capital["basis"])],
    )
    x = alt.X("period_text:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=200))
    y = alt.Y("value:Q", title=i18n.unit_label(unit, lang), scale=alt.Scale(domainMax=float(capital["value"].max()) * 1.15))
    bars = alt.Chart(frame).mark_bar(color=styling.FLOW_COLOURS[flow], size=72, opacity=0.85).encode(
        x=x, y=y,
        tooltip=[alt.Tooltip("date_text:N", title=tr("occupancy.col_as_of")), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("source_text:N", title=tr("detail.source"))])
    capital_label = alt.Chart(frame).mark_text(dy=-12, fontSize=pagekit.SLIDE_FONT, fontWeight="bold").encode(
        x=x, y="value:Q", text="capital_text:N")
    projects_label = alt.Chart(frame).mark_text(dy=18, fontSize=pagekit.SLIDE_FONT - 1, color="white",
                                                fontWeight="bold").encode(x=x, y="value:Q", text="projects_text:N")
    with column:
        pagekit.show(alt.layer(bars, capital_label, projects_label).properties(
            height=340,
            title=alt.Title(tr(f"investment.{flow}_cumulative_title", unit=i18n.unit_label(unit, lang)),
                            subtitle=tr("investment.cumulative_subtitle"))), key=f"inv_{flow}_cumulative")
        pagekit.caption(pagekit.sources_line(capital, lambda p: period_label(p, lang)))
        for note in capital["note"].dropna():
            pagekit.caption(note, "ⓘ ")

# --- sector mix and named investors ------------------------------------------------------------
st.divider()
with st.container(key="inv_sector"):
    parts, total = sector_mix(data.investment)
    if parts.empty:
        st.caption(tr("investment.no_figure"))
    else:
        mix_period = period_label(parts["period"].iloc[0], lang)
        frame = parts.assign(
            sector=[i18n.label("metric", m, lang) for m in parts["metric"]],
            label=[i18n.fmt_percent(v, lang, 0) for v in parts["value"]],
        )
        bars = alt.Chart(frame).mark_bar(color=styling.FLOW_COLOURS["fdi"], size=40).encode(
            y=alt.Y("sector:N", sort=list(frame["sector"]), title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("value:Q", title="%", scale=alt.Scale(domain=[0, 60]), axis=alt.Axis(tickCount=6)),
            tooltip=[alt.Tooltip("sector:N", title=" "), alt.Tooltip("label:N", title="%")])
        text = alt.Chart(frame).mark_text(align="left", dx=6, fontSize=pagekit.SLIDE_FONT + 2, fontWeight="bold").encode(
            y=alt.Y("sector:N", sort=list(frame["sector"])), x="value:Q", text="label:N")
        subtitle = tr("investment.sector_subtitle", source=pagekit.source_ref(parts["source"].iloc[0]))
        if total is not None:
            subtitle = tr("investment.sector_total", pct=i18n.fmt_percent(total["value"], lang, 0)) + " · " + subtitle
        pagekit.show(alt.layer(bars, text).properties(
            height=260, title=alt.Title(tr("investment.sector_title", period=mix_period), subtitle=subtitle)), key="inv_sector_chart")
        pagekit.caption(pagekit.provenance(parts["source"].iloc[0], parts["period_end"].iloc[0],
                                           parts["basis"].iloc[0]))

with st.container(key="inv_investors"):
    investors = named_investors(data.investors)
    if investors.empty:
        st.caption(tr("investment.no_figure"))
    else:
        with_amount = investors[investors["amount_musd"].notna()]
        frame = with_amount.assign(
            name=[park_name(r, lang) for _, r in with_amount.iterrows()],
            kind_text=[i18n.label("investor_kind", k, lang) for k in with_amount["kind"]],
            label=[money(v, "million USD") for v in with_amount["amount_musd"]],
            source_text=[pagekit.provenance(s) for s in with_amount["source"]],
        )
        kinds = [i18n.label("investor_kind", k, lang) for k in ("new_project", "capital_increase", "certificates")]
        bars = alt.Chart(frame).mark_bar(size=34).encode(
            y=alt.Y("name:N", sort=list(frame["name"]), title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("amount_musd:Q", title=i18n.unit_label("million USD", lang), scale=alt.Scale(domainMax=1250)),
            color=alt.Color("kind_text:N", title=None, scale=alt.Scale(
                domain=kinds, range=[styling.FLOW_COLOURS["fdi"], styling.FLOW_COLOURS["ddi"], styling.PLAN_COLOUR])),
            tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("label:N", title=tr("investment.col_amount")),
                     alt.Tooltip("source_text:N", title=tr("detail.source"))])
        text = alt.Chart(frame).mark_text(align="left", dx=6, fontSize=pagekit.SLIDE_FONT, fontWeight="bold").encode(
            y=alt.Y("name:N", sort=list(frame["name"])), x="amount_musd:Q", text="label:N")
        pagekit.show(alt.layer(bars, text).properties(
            height=300, title=alt.Title(tr("investment.investors_title"),
                                        subtitle=tr("investment.investors_subtitle",
                                                    sources=", ".join(dict.fromkeys(pagekit.source_ref(s) for s in frame["source"]))))), key="inv_investors_chart")

if not data.investors.empty:
    park_names = dict(zip(data.parks["park_id"], data.parks["name_vi" if lang == "vi" else "name_en"]))
    st.dataframe(
        pd.DataFrame({
            tr("investment.col_investor"): [park_name(r, lang) for _, r in investors.iterrows()],
            tr("investment.col_country"): [country_name(c, lang) for c in investors["country"]],
            tr("investment.col_kind"): [i18n.label("investor_kind", k, lang) for k in investors["kind"]],
            tr("investment.col_amount"): [money(v, "million USD") if pd.notna(v) else i18n.MISSING
                                          for v in investors["amount_musd"]],
            tr("investment.period"): [period_label(p, lang) for p in investors["period"]],
            tr("popup.park"): [park_names.get(p, i18n.MISSING) if isinstance(p, str) else i18n.MISSING
                               for p in investors["park_id"]],
            tr("detail.source"): [pagekit.provenance(s) for s in investors["source"]],
            tr("popup.note"): investors["note"].fillna(""),
        }),
        hide_index=True, width="stretch", key="inv_investors_table",
    )

# --- enterprises against plan ------------------------------------------------------------------
st.divider()
st.subheader(tr("investment.enterprise_title"))
ent = enterprise_against_plan(data.enterprise)
if ent.empty:
    st.caption(tr("investment.no_figure"))
else:
    with_pct = ent[ent["pct_of_plan"].notna()]
    frame = with_pct.assign(
        indicator=[i18n.label("metric", m, lang) for m in with_pct["metric"]],
        period_text=[period_label(p, lang) for p in with_pct["period"]],
        label=[i18n.fmt_percent(v, lang, None) for v in with_pct["pct_of_plan"]],
        value_text=[money(v, u) for v, u in zip(with_pct["value"], with_pct["unit"])],
        plan_text=[money(v, u) if pd.notna(v) else i18n.MISSING for v, u in zip(with_pct["plan"], with_pct["unit"])],
        source_text=[pagekit.provenance(s, None, b) for s, b in zip(with_pct["source"], with_pct["basis"])],
    )
    indicators = list(dict.fromkeys(frame["indicator"]))
    period_order = list(dict.fromkeys(frame["period_text"]))
    tooltip = [alt.Tooltip("indicator:N", title=tr("investment.col_indicator")),
               alt.Tooltip("period_text:N", title=tr("investment.period")),
               alt.Tooltip("value_text:N", title=tr("investment.actual")),
               alt.Tooltip("plan_text:N", title=tr("investment.plan")),
               alt.Tooltip("label:N", title=tr("card.pct_of_plan")),
               alt.Tooltip("source_text:N", title=tr("detail.source"))]
    y = alt.Y("period_text:N", sort=period_order, title=None, axis=alt.Axis(labels=False, ticks=False))
    colour = alt.Color("period_text:N", title=None, sort=period_order,
                       scale=alt.Scale(range=[styling.PLAN_COLOUR, styling.FLOW_COLOURS["fdi"]]))
    bars = alt.Chart().mark_bar(size=22).encode(
        y=y, x=alt.X("pct_of_plan:Q", title=tr("card.pct_of_plan"), scale=alt.Scale(domain=[0, 115])),
        color=colour, tooltip=tooltip)
    text = alt.Chart().mark_text(align="left", dx=5, fontSize=pagekit.SLIDE_FONT - 1, fontWeight="bold").encode(
        y=y, x="pct_of_plan:Q", text="label:N")
    goal = alt.Chart().mark_rule(color=styling.REFERENCE_COLOURS["threshold"], strokeDash=[6, 4], strokeWidth=2).encode(
        x=alt.datum(100))
    chart = alt.layer(bars, text, goal, data=frame).properties(height=64, width=520).facet(
        row=alt.Row("indicator:N", sort=indicators, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=pagekit.SLIDE_FONT,
                                      labelFontWeight="bold", labelOrient="top")),
    ).properties(title=alt.Title(tr("investment.enterprise_chart_title"),
                                 subtitle=tr("investment.enterprise_chart_subtitle")))
    left, right = st.columns([1.1, 1], gap="large")
    with left:
        pagekit.show(chart, key="inv_enterprise_chart")
    with right:
        st.dataframe(
            pd.DataFrame({
                tr("investment.col_indicator"): [i18n.label("metric", m, lang) for m in ent["metric"]],
                tr("investment.period"): [period_label(p, lang) for p in ent["period"]],
                tr("investment.actual"): [money(v, u) if u != "people" else i18n.fmt_number(v, lang, 0)
                                          for v, u in zip(ent["value"], ent["unit"])],
                tr("investment.plan"): [money(v, u) if pd.notna(v) else i18n.MISSING
                                        for v, u in zip(ent["plan"], ent["unit"])],
                tr("card.pct_of_plan"): [i18n.fmt_percent(v, lang, None) if pd.notna(v) else i18n.MISSING
                                         for v in ent["pct_of_plan"]],
                tr("investment.col_basis"): [i18n.label("basis", b, lang) for b in ent["basis"]],
                tr("detail.source"): [pagekit.provenance(s) for s in ent["source"]],
                tr("popup.note"): ent["note"].fillna(""),
            }),
            hide_index=True, width="stretch", key="inv_enterprise_table",
        )
