"""Investment: FDI and DDI by period against plan, cumulative projects and capital, the sector mix,
the investors the reports name, and the enterprise indicators against plan; each figure with its source.

First the latest figure of each indicator, whatever its source (public news gives the full year
2024, the HEZA reports stop at 11 months), with its date and source and, under it, the reports'
own latest figure. Charts are made for a slide: a title with the unit, large type, a "Save as PNG"
action (⋯ menu).
Link parameter: ``period`` (the period of the headline figures), as the data writes it.
"""

from __future__ import annotations

import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.cards import latest_cards
from heza_geo.analysis.charts import cumulative_bars, enterprise_bars, flow_bars, investor_bars, sector_bars
from heza_geo.analysis.investment import (
    FLOW_TOTALS,
    cumulative,
    enterprise_against_plan,
    flows,
    named_investors,
    period_label,
    periods,
    sector_mix,
)
from heza_geo.analysis.panels import flow_headline
from heza_geo.analysis.sources import row_provenance, sources_line
from heza_geo.analysis.tables import enterprise_table, investors_table
from heza_geo.links import choice_param
from heza_geo.text import md_escape, md_format
from heza_geo.ui import cards, common, pagekit, panelkit, slides
from heza_geo.ui.common import tr

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

# --- the latest figure of each indicator, beside the reports' ----------------------------------
st.subheader(tr("investment.latest_title"))
st.caption(tr("investment.latest_hint"))
cards.card_row(latest_cards(data.investment, data.enterprise, lang), 4, key="inv_latest")
st.divider()

choices = periods(data.investment, tuple(FLOW_TOTALS.values()))
period_param, bad_period = choice_param(pagekit.params(), "period", choices[-1], choices)
common.warn_link([bad_period])
pagekit.initial("inv_period", period_param)


@st.fragment
def by_period() -> None:
    """The period's choice and what it changes (the headline figures, the highlighted bar):
    another period reruns this part alone."""
    with common.logged_run("investment", fragment=True):
        period = st.radio(tr("investment.period"), choices, key="inv_period", horizontal=True,
                          format_func=lambda p: md_escape(period_label(p, lang)))  # radio options are Markdown
        pagekit.publish(period=period)
        left, right = st.columns(2, gap="large")
        with left:
            headline("fdi", period)
        with right:
            headline("ddi", period)
        # --- FDI and DDI by period, against plan ---
        st.divider()
        for flow in FLOW_TOTALS:
            frame = flow_bars(flow_rows, flow, period, lang)
            if not frame.empty:
                pagekit.show(slides.flow_chart, frame, flow, lang, key=f"inv_{flow}_chart")
                pagekit.caption(sources_line(frame, lang, lambda p: period_label(p, lang)))


# --- headline figures of the chosen period -----------------------------------------------------
def headline(flow: str, period: str) -> None:
    st.markdown(f"#### {tr(f'investment.{flow}_title')}")
    figures = flow_headline(data.investment, period, flow, lang)
    if figures is None:
        st.caption(tr("investment.no_figure"))
        return
    st.metric(md_format(tr(f"investment.{flow}_total"), period=period_label(period, lang)), md_escape(figures.value))
    if figures.pct_of_plan is not None:
        plan_line = (md_format(tr("investment.pct_of_plan_of"), pct=figures.pct_of_plan, plan=figures.plan)
                     if figures.plan != i18n.MISSING  # a source may give the share of the plan, not the plan
                     else md_format(tr("card.pct_of_plan_value"), pct=figures.pct_of_plan))
        st.markdown(f"**{plan_line}**")
    else:
        st.caption(tr("investment.no_plan"))
    pagekit.caption(figures.provenance)
    if figures.parts is not None:  # rows that wrap: a value is never cut ("621 million U")
        with st.container(key=f"inv_parts_{flow}"):
            st.html(panelkit.table(figures.parts.astype(object).fillna(i18n.MISSING)))


by_period()

# --- cumulative ------------------------------------------------------------------------------
st.subheader(tr("investment.cumulative_title"))
cum = cumulative(data.investment)
for column, flow in zip(st.columns(2, gap="large"), ("fdi", "ddi"), strict=True):
    frame = cumulative_bars(cum, flow, lang)
    if frame.empty:
        continue
    with column:
        pagekit.show(slides.cumulative_chart, frame, flow, lang, key=f"inv_{flow}_cumulative")
        pagekit.caption(sources_line(frame, lang, lambda p: period_label(p, lang)))
        for note in frame["note_text"]:  # the note as a reader may read it: no report file names
            if note:
                pagekit.caption(note, "ⓘ ")

# --- sector mix and named investors ------------------------------------------------------------
st.divider()
with st.container(key="inv_sector"):
    parts, total = sector_mix(data.investment)
    if parts.empty:
        st.caption(tr("investment.no_figure"))
    else:
        pagekit.show(slides.sector_chart, sector_bars(parts, lang), total, lang, key="inv_sector_chart")
        pagekit.caption(row_provenance(parts.iloc[0], lang, as_of="period_end", basis="basis"))

investors = named_investors(data.investors)
with st.container(key="inv_investors"):
    if investors.empty:
        st.caption(tr("investment.no_figure"))
    else:
        pagekit.show(slides.investors_chart, investor_bars(investors, lang), lang, key="inv_investors_chart")
if not data.investors.empty:  # rows that wrap: a name, a park or a source is never cut at 1440 px
    with st.container(key="inv_investors_table"):
        st.html(panelkit.table(investors_table(investors, data.parks, lang).astype(object).fillna(i18n.MISSING)))

# --- enterprises against plan ------------------------------------------------------------------
st.divider()
st.subheader(tr("investment.enterprise_title"))
ent = enterprise_against_plan(data.enterprise)
if ent.empty:
    st.caption(tr("investment.no_figure"))
else:
    pagekit.show(slides.enterprise_chart, enterprise_bars(ent, lang), lang, key="inv_enterprise_chart")
    with st.container(key="inv_enterprise_table"):  # under the chart, whole: its eight columns wrap, none cut
        st.html(panelkit.table(enterprise_table(ent, lang).astype(object).fillna(i18n.MISSING)))
