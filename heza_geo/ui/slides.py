"""The slide-ready charts of the occupancy, investment and port pages, as Altair specifications.

Each function takes a frame of :mod:`heza_geo.analysis.charts` (the numbers and the text a reader
sees, already in their language) and returns the chart: marks, scales, colours from
:mod:`heza_geo.styling`, a title with the unit, and the tooltip's headers. :func:`slide` then gives
any of them large type, the language's number format and SVG rendering; ``pagekit.show`` draws it.
Nothing here imports Streamlit, so a chart can be built and read in a test.

Decisions a reader must know
----------------------------
* Text on bars and in tooltips is the frame's ``*_text`` and ``label`` columns (formatted with
  Babel); Vega formats only the axes, in the language's separators (:func:`slide`).
* A demo figure looks weaker than a reported one (lighter bar, hollow point), and its legend says so.
* Reference lines: the city average dotted, the 60% threshold of Decree 35/2022 dashed, in
  :data:`heza_geo.styling.REFERENCE_COLOURS`.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from heza_geo import i18n, styling
from heza_geo.analysis.charts import occupancy_sources, source_refs
from heza_geo.analysis.investment import period_label
from heza_geo.analysis.occupancy import NEW_PARK_THRESHOLD_PCT
from heza_geo.analysis.port import FIRST_YEAR, LAST_YEAR, berth_status_text
from heza_geo.analysis.sources import reference
from heza_geo.schema import NEWS, REPORT, kind_column, provenance_of

#: number formats Vega uses for axes, per language (labels we format ourselves with Babel)
_VEGA_NUMBER = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", ""]},
}
_DEFAULT_NUMBER = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}
#: the type size of a slide's axes and labels (titles a little larger)
SLIDE_FONT = 15
#: the room right of the occupancy chart's 100% for its value labels ("100.0%" at the slide's type size)
VALUE_COLUMN_PX = 64
#: the park panel's history: its line and points (the Okabe-Ito blue of the app's charts)
HISTORY_COLOUR = "#0072b2"
#: what the builders here return (``alt.layer`` gives a layer, or a facet of layers)
Slide = alt.Chart | alt.LayerChart | alt.FacetChart


def locale(lang: str) -> dict[str, object]:
    """Vega's locale for ``lang``: the language's number separators, and its month and day names,
    which a time axis writes ("7월", not Vega's built-in English "July")."""
    return {"number": _VEGA_NUMBER.get(lang, _DEFAULT_NUMBER),
            "time": {"dateTime": "%x %X", "date": "%Y-%m-%d", "time": "%H:%M:%S", **i18n.calendar_names(lang)}}


def localized(chart: Slide, lang: str) -> Slide:
    """``chart`` with the numbers and month names of ``lang`` (:func:`locale`), as built otherwise
    (a panel's small chart)."""
    return chart.configure(locale=locale(lang))


def slide(chart: Slide, lang: str) -> Slide:
    """Large type for a projector, the language's numbers and month names (:func:`locale`), drawn
    as SVG (crisp when enlarged; its text can be read by tests and screen readers). Streamlit turns
    off Vega's export menu, so a presenter uses the chart's fullscreen button and a screenshot."""
    return (
        localized(chart, lang)  # first: it replaces the config
        .configure_axis(labelFontSize=SLIDE_FONT - 1, titleFontSize=SLIDE_FONT, labelLimit=320)
        .configure_legend(labelFontSize=SLIDE_FONT - 1, titleFontSize=SLIDE_FONT, labelLimit=360, orient="bottom",
                          columns=3)
        .configure_title(fontSize=SLIDE_FONT + 5, anchor="start", subtitleFontSize=SLIDE_FONT - 1,
                         subtitleColor="#555", offset=14)
        .properties(usermeta={"embedOptions": {"renderer": "svg"}})
    )


def _period_axis(order: list[str]) -> alt.X:
    return alt.X("period_text:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=200))


# --- investment -----------------------------------------------------------------------------------
def flow_chart(frame: pd.DataFrame, flow: str, lang: str) -> Slide:
    """A flow's bars by period (:func:`heza_geo.analysis.charts.flow_bars`, not empty), the chosen
    period solid, the plan as a tick, each bar labelled with its value and % of plan."""
    t = i18n.translator(lang)
    unit = i18n.unit_label(str(frame["unit"].iloc[0]), lang)
    x = _period_axis(list(frame["period_text"]))
    tooltip = [alt.Tooltip("period_text:N", title=t("investment.period")),
               alt.Tooltip("value_text:N", title=t("investment.actual")),
               alt.Tooltip("plan_text:N", title=t("investment.plan")),
               alt.Tooltip("pct_text:N", title=t("card.pct_of_plan")),
               alt.Tooltip("source_text:N", title=t("detail.source"))]
    actual = alt.Chart(frame).mark_bar(color=styling.FLOW_COLOURS[flow], size=56).encode(
        x=x, y=alt.Y("value:Q", title=unit),
        opacity=alt.condition(alt.datum.chosen, alt.value(1.0), alt.value(0.55)), tooltip=tooltip)
    plan = alt.Chart(frame[frame["plan"].notna()]).mark_tick(
        color=styling.PLAN_COLOUR, thickness=4, size=76).encode(x=x, y="plan:Q", tooltip=tooltip)
    text = alt.Chart(frame).mark_text(dy=-10, fontSize=SLIDE_FONT, fontWeight="bold").encode(
        x=x, y="value:Q", text="label:N")
    return alt.layer(actual, plan, text).properties(
        height=380,
        title=alt.Title(t(f"investment.{flow}_chart_title", unit=unit),
                        subtitle=t("investment.flow_chart_subtitle", sources=source_refs(frame, lang))),
    )


def cumulative_chart(frame: pd.DataFrame, flow: str, lang: str) -> Slide:
    """A flow's cumulative capital by period end (:func:`heza_geo.analysis.charts.cumulative_bars`,
    not empty), the capital above each bar and the number of projects inside it."""
    t = i18n.translator(lang)
    unit = i18n.unit_label(str(frame["unit"].iloc[0]), lang)
    x = _period_axis(list(frame["period_text"]))
    y = alt.Y("value:Q", title=unit, scale=alt.Scale(domainMax=float(frame["value"].max()) * 1.15))
    bars = alt.Chart(frame).mark_bar(color=styling.FLOW_COLOURS[flow], size=72, opacity=0.85).encode(
        x=x, y=y,
        tooltip=[alt.Tooltip("date_text:N", title=t("occupancy.col_as_of")), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("source_text:N", title=t("detail.source"))])
    capital_label = alt.Chart(frame).mark_text(dy=-12, fontSize=SLIDE_FONT, fontWeight="bold").encode(
        x=x, y="value:Q", text="capital_text:N")
    projects_label = alt.Chart(frame).mark_text(dy=18, fontSize=SLIDE_FONT - 1, color="white",
                                                fontWeight="bold").encode(x=x, y="value:Q", text="projects_text:N")
    return alt.layer(bars, capital_label, projects_label).properties(
        height=340,
        title=alt.Title(t(f"investment.{flow}_cumulative_title", unit=unit),
                        subtitle=t("investment.cumulative_subtitle")))


def sector_chart(frame: pd.DataFrame, total: pd.Series | None, lang: str) -> Slide:
    """The sector shares of new projects (:func:`heza_geo.analysis.charts.sector_bars`, not empty),
    largest first; the subtitle gives the "high-tech, processing and logistics" ``total`` if any."""
    t = i18n.translator(lang)
    sort = list(frame["sector"])
    bars = alt.Chart(frame).mark_bar(color=styling.FLOW_COLOURS["fdi"], size=40).encode(
        y=alt.Y("sector:N", sort=sort, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("value:Q", title="%", scale=alt.Scale(domain=[0, 60]), axis=alt.Axis(tickCount=6)),
        tooltip=[alt.Tooltip("sector:N", title=" "), alt.Tooltip("label:N", title="%")])
    text = alt.Chart(frame).mark_text(align="left", dx=6, fontSize=SLIDE_FONT + 2, fontWeight="bold").encode(
        y=alt.Y("sector:N", sort=sort), x="value:Q", text="label:N")
    subtitle = t("investment.sector_subtitle", source=reference(provenance_of(frame.iloc[0]), lang))
    if total is not None:
        subtitle = t("investment.sector_total", pct=t.percent(total["value"], 0)) + " · " + subtitle
    title = t("investment.sector_title", period=period_label(frame["period"].iloc[0], lang))
    return alt.layer(bars, text).properties(height=260, title=alt.Title(title, subtitle=subtitle))


def investors_chart(frame: pd.DataFrame, lang: str) -> Slide:
    """The named investors' amounts (:func:`heza_geo.analysis.charts.investor_bars`), coloured by
    kind: new project, capital increase, certificates."""
    t = i18n.translator(lang)
    sort = list(frame["name"])
    kinds = [t.label("investor_kind", k) for k in ("new_project", "capital_increase", "certificates")]
    bars = alt.Chart(frame).mark_bar(size=34).encode(
        y=alt.Y("name:N", sort=sort, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X("amount_musd:Q", title=i18n.unit_label("million USD", lang), scale=alt.Scale(domainMax=1250)),
        color=alt.Color("kind_text:N", title=None, scale=alt.Scale(
            domain=kinds, range=[styling.FLOW_COLOURS["fdi"], styling.FLOW_COLOURS["ddi"], styling.PLAN_COLOUR])),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("label:N", title=t("investment.col_amount")),
                 alt.Tooltip("source_text:N", title=t("detail.source"))])
    text = alt.Chart(frame).mark_text(align="left", dx=6, fontSize=SLIDE_FONT, fontWeight="bold").encode(
        y=alt.Y("name:N", sort=sort), x="amount_musd:Q", text="label:N")
    return alt.layer(bars, text).properties(
        height=300, title=alt.Title(t("investment.investors_title"),
                                    subtitle=t("investment.investors_subtitle", sources=source_refs(frame, lang))))


def enterprise_chart(frame: pd.DataFrame, lang: str) -> Slide:
    """Each enterprise indicator's % of plan by period (:func:`heza_geo.analysis.charts.enterprise_bars`),
    one row per indicator, the 100% goal dashed."""
    t = i18n.translator(lang)
    indicators = list(dict.fromkeys(frame["indicator"]))
    period_order = list(dict.fromkeys(frame["period_text"]))
    tooltip = [alt.Tooltip("indicator:N", title=t("investment.col_indicator")),
               alt.Tooltip("period_text:N", title=t("investment.period")),
               alt.Tooltip("value_text:N", title=t("investment.actual")),
               alt.Tooltip("plan_text:N", title=t("investment.plan")),
               alt.Tooltip("label:N", title=t("card.pct_of_plan")),
               alt.Tooltip("source_text:N", title=t("detail.source"))]
    y = alt.Y("period_text:N", sort=period_order, title=None, axis=alt.Axis(labels=False, ticks=False))
    colour = alt.Color("period_text:N", title=None, sort=period_order,
                       scale=alt.Scale(range=[styling.PLAN_COLOUR, styling.FLOW_COLOURS["fdi"]]))
    bars = alt.Chart().mark_bar(size=22).encode(
        y=y, x=alt.X("pct_of_plan:Q", title=t("card.pct_of_plan"), scale=alt.Scale(domain=[0, 115])),
        color=colour, tooltip=tooltip)
    text = alt.Chart().mark_text(align="left", dx=5, fontSize=SLIDE_FONT - 1, fontWeight="bold").encode(
        y=y, x="pct_of_plan:Q", text="label:N")
    goal = alt.Chart().mark_rule(color=styling.REFERENCE_COLOURS["threshold"], strokeDash=[6, 4], strokeWidth=2).encode(
        x=alt.datum(100))
    return alt.layer(bars, text, goal, data=frame).properties(height=64, width=520).facet(
        row=alt.Row("indicator:N", sort=indicators, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=SLIDE_FONT,
                                      labelFontWeight="bold", labelOrient="top")),
    ).properties(title=alt.Title(t("investment.enterprise_chart_title"),
                                 subtitle=t("investment.enterprise_chart_subtitle")))


# --- occupancy ------------------------------------------------------------------------------------
def occupancy_chart(bars: pd.DataFrame, pairs: list[tuple[str, str]], refs: pd.DataFrame, colour_by: str,
                    lang: str) -> Slide:
    """A bar per park (:func:`heza_geo.analysis.charts.occupancy_bars`, in its order) coloured by
    ``colour_by`` with the legend ``pairs``, demo figures lighter, and the reference lines ``refs``
    (:func:`heza_geo.analysis.charts.reference_rules`).

    Decisions: the axis ends at 100% (a share cannot exceed it; Vega's "nice" scale ran it to
    120%). Each park's value ("—" without a figure) stands in a column right of 100%
    (:data:`VALUE_COLUMN_PX` wide), where no reference line runs (a label at the bar's end crossed
    the 60-65% lines); the lines in force (the threshold and the latest city average, ``current``)
    are named above the first bar, the threshold's label left of its line and the average's right
    of it, so the two never overlap; earlier city averages are paler. The
    park names take at most 38% of a narrow screen's width (a phone showed names and no bars). The
    subtitle is :func:`heza_geo.analysis.charts.occupancy_sources` of the bars, a line per kind of
    source (a single line was cut short), not a fixed text."""
    t = i18n.translator(lang)
    order = bars["park"].tolist()
    y = alt.Y("park:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=alt.ExprRef(expr="clamp(containerSize()[0] * 0.38, 110, 360)")))
    bar_layer = alt.Chart(bars).mark_bar(stroke=styling.BAR_OUTLINE, strokeWidth=0.6).encode(
        y=y,
        x=alt.X("pct:Q", scale=alt.Scale(domain=[0, 100], nice=False, clamp=True),
                axis=alt.Axis(format=".0f", values=[0, 20, 40, 60, 80, 100], title=t("occupancy.axis_pct"))),
        color=alt.Color("colour_class:N", title=t(f"legend.{colour_by}"),
                        scale=alt.Scale(domain=[p[0] for p in pairs], range=[p[1] for p in pairs])),
        opacity=alt.condition(alt.datum.occupancy_basis == "synthetic demo", alt.value(0.55), alt.value(1.0)),
        tooltip=[alt.Tooltip("park:N", title=t("popup.park")), alt.Tooltip("pct_text:N", title=t("popup.occupancy")),
                 alt.Tooltip("basis_text:N", title=t("occupancy.col_basis")),
                 alt.Tooltip("as_of_text:N", title=t("occupancy.col_as_of")),
                 alt.Tooltip("source_text:N", title=t("detail.source"))],
    )
    labels = alt.Chart(bars).mark_text(align="left", dx=8, fontSize=SLIDE_FONT - 1).encode(
        y=alt.Y("park:N", sort=order), x=alt.datum(100), text="label:N",
    )
    ref_colours = {t("occupancy.ref_city_average"): styling.REFERENCE_COLOURS["city_average"],
                   t("occupancy.ref_threshold"): styling.REFERENCE_COLOURS["threshold"]}
    rules = alt.Chart(refs).mark_rule(strokeWidth=2.5).encode(
        x="occupancy_pct:Q",
        color=alt.Color("colour_key:N", title=t("occupancy.reference_lines"),
                        scale=alt.Scale(domain=list(ref_colours), range=list(ref_colours.values()))),
        strokeDash=alt.condition(alt.datum.kind == "threshold", alt.value([8, 5]), alt.value([2, 3])),
        opacity=alt.condition(alt.datum.current, alt.value(1.0), alt.value(0.35)),
        tooltip=[alt.Tooltip("text:N", title=t("occupancy.reference_lines"))],
    )
    current = refs[refs["current"]]
    edge = {"y": alt.value(-6), "x": "occupancy_pct:Q", "text": "edge_text:N"}
    threshold_label = alt.Chart(current[current["kind"] == "threshold"]).mark_text(
        align="right", baseline="bottom", dx=-4, fontSize=SLIDE_FONT - 2, fontWeight="bold",
        color=styling.REFERENCE_COLOURS["threshold"]).encode(**edge)
    average_label = alt.Chart(current[current["kind"] != "threshold"]).mark_text(
        align="left", baseline="bottom", dx=4, fontSize=SLIDE_FONT - 2, fontWeight="bold",
        color=styling.REFERENCE_COLOURS["city_average"]).encode(**edge)
    return alt.layer(bar_layer, labels, rules, threshold_label, average_label).resolve_scale(
        color="independent").properties(
        height=max(360, 38 * len(bars)),
        padding={"left": 5, "top": 5, "bottom": 5, "right": VALUE_COLUMN_PX},
        title=alt.Title(t("occupancy.chart_title"), subtitle=[t("occupancy.sources_subtitle"),
                                                               *occupancy_sources(bars, lang)], offset=26),
    )


def occupancy_history_chart(points: pd.DataFrame, city: pd.DataFrame, park_name: str | None,
                            lang: str) -> Slide:
    """Occupancy over time: a line per park (:func:`heza_geo.analysis.charts.occupancy_points`, not
    empty), points shaped by basis and hollow for demo figures, the city average
    (:func:`heza_geo.analysis.charts.city_points`) and the 60% threshold.

    ``park_name`` is the one park shown (named in the title, no legend), or None for several.
    """
    t = i18n.translator(lang)
    basis_domain = [t.label("basis", b) for b in ("reported", "estimate", "synthetic demo")]
    tooltip = [alt.Tooltip("park:N", title=t("popup.park")), alt.Tooltip("date_text:N", title=t("occupancy.col_as_of")),
               alt.Tooltip("pct_text:N", title=t("popup.occupancy")),
               alt.Tooltip("basis_text:N", title=t("occupancy.col_basis")),
               alt.Tooltip("source_text:N", title=t("detail.source"))]
    x = alt.X("as_of:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    y = alt.Y("occupancy_pct:Q", title=t("occupancy.axis_pct"), scale=alt.Scale(domain=[0, 100]))
    single = park_name is not None
    park_colour = alt.Color("park:N", title=None, legend=None if single else alt.Legend(orient="right", columns=1))
    line = alt.Chart(points).mark_line(strokeWidth=2, opacity=0.7).encode(x=x, y=y, color=park_colour)
    marks = alt.Chart(points).mark_point(size=150, strokeWidth=2.5).encode(
        x=x, y=y, color=alt.Color("park:N", legend=None),
        shape=alt.Shape("basis_text:N", title=t("occupancy.col_basis"),
                        scale=alt.Scale(domain=basis_domain, range=["circle", "diamond", "triangle-up"])),
        fill=alt.condition(alt.datum.is_demo, alt.value("white"), alt.Color("park:N", legend=None)),
        tooltip=tooltip,
    )
    city_line = alt.Chart(city).mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeDash=[2, 3],
                                          color=styling.REFERENCE_COLOURS["city_average"]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("date_text:N", title=t("occupancy.col_as_of")),
                           alt.Tooltip("pct_text:N", title=t("popup.occupancy")),
                           alt.Tooltip("source_text:N", title=t("detail.source"))])
    threshold = alt.Chart(pd.DataFrame({"y": [NEW_PARK_THRESHOLD_PCT]})).mark_rule(
        strokeDash=[8, 5], strokeWidth=2, color=styling.REFERENCE_COLOURS["threshold"]).encode(y="y:Q")
    title = t("occupancy.history_title") + (f": {park_name}" if single else "")
    return alt.layer(line, marks, city_line, threshold).properties(
        height=360, title=alt.Title(title, subtitle=t("occupancy.history_subtitle")))


def park_history_chart(history: pd.DataFrame, lang: str) -> Slide:
    """A park's occupancy over time, small, for the map's park panel (not a slide), drawn as the
    occupancy page draws it: one line joins the park's figures in date order (a reported figure is
    not left alone beside a demo line), a point per figure shaped by its basis and hollow where it
    is synthetic demo; the legend (under the chart, one entry a line, so it fits a 400-px panel)
    names each basis and says that the line only joins the figures. The tooltip gives the date as
    precisely as it is known and the provenance (:func:`heza_geo.analysis.panels.park_history`)."""
    t = i18n.translator(lang)
    bases = [b for b in ("reported", "estimate", "synthetic demo") if b in set(history["basis"])]
    domain = [t.label("basis", b) for b in bases]
    shapes = {"reported": "circle", "estimate": "diamond", "synthetic demo": "triangle-up"}
    # a tick a quarter (the years on January's); the last month inside the panel; on a phone's narrow
    # chart every other label is left out where they would overlap (the years stay)
    x = alt.X("as_of:T", title=None, axis=alt.Axis(tickCount=alt.TimeIntervalStep(interval="month", step=3),
                                                   labelFlush=True, labelOverlap="greedy"))
    y = alt.Y("occupancy_pct:Q", title=None, scale=alt.Scale(domain=[0, 100]),
              axis=alt.Axis(tickCount=5, labelExpr="datum.label + '%'"))  # "%" on the labels: no title sideways
    colour = HISTORY_COLOUR
    line = alt.Chart(history).mark_line(strokeWidth=2, opacity=0.55, color=colour).encode(x=x, y=y)
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0, titleLimit=0, symbolStrokeColor=colour,
                        symbolStrokeWidth=2)
    points = alt.Chart(history).mark_point(size=90, strokeWidth=2, color=colour, opacity=1).encode(
        x=x, y=y,  # shape and fill on the same field: one legend, its symbols hollow where the points are
        shape=alt.Shape("basis_label:N", title=t("detail.history_legend"), legend=legend,
                        scale=alt.Scale(domain=domain, range=[shapes[b] for b in bases])),
        fill=alt.Fill("basis_label:N", title=t("detail.history_legend"), legend=legend,
                      scale=alt.Scale(domain=domain, range=["white" if b == "synthetic demo" else colour
                                                            for b in bases])),
        stroke=alt.Stroke("basis_label:N", title=t("detail.history_legend"), legend=legend,
                          scale=alt.Scale(domain=domain, range=[colour] * len(bases))),
        tooltip=[alt.Tooltip("date_text:N", title=" "), alt.Tooltip("occupancy_pct:Q", title="%"),
                 alt.Tooltip("provenance_text:N", title=" ")],
    )
    # the height is the plot area's (fit-x: the width fits the panel, the legend and axis add to the
    # height); Streamlit's default for a chart across its column fits both, and the legend under a
    # 170-px chart left its plot ~55 px
    return alt.layer(line, points).properties(  # room at the right for the last month's label
        height=150, padding={"left": 5, "top": 5, "bottom": 5, "right": 24},
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


# --- port -------------------------------------------------------------------------------------------
def berth_timeline(events: pd.DataFrame, spans: pd.DataFrame, as_of: date, lang: str) -> Slide:
    """Each berth's record over 2018–2030: a band per status (``spans``,
    :func:`heza_geo.analysis.charts.berth_spans`), a point per record (``events``,
    :func:`heza_geo.analysis.charts.berth_events`) shaped by the kind of its source (``source_kind``:
    a report a circle, news a diamond), and a rule at ``as_of``."""
    t = i18n.translator(lang)
    as_of_text = t.date(as_of)
    berth_order = [t("popup.berth_no", n=n) for n in sorted(events["berth_no"].unique())]
    status_domain = [berth_status_text(s, lang) for s in styling.BERTH_STATUS_COLOURS]
    kind_of = dict(zip(events["provenance_text"], events[kind_column("source")], strict=True))  # label -> kind
    shapes = {REPORT: "circle", NEWS: "diamond"}
    x = alt.X("as_of:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"),
              scale=alt.Scale(domain=[date(FIRST_YEAR, 1, 1).isoformat(), date(LAST_YEAR, 12, 31).isoformat()]))
    y = alt.Y("berth:N", sort=berth_order, title=None)
    tooltip = [alt.Tooltip("berth:N", title=t("popup.berth")), alt.Tooltip("date_text:N", title=t("port.col_date")),
               alt.Tooltip("status_text:N", title=t("popup.status")),
               alt.Tooltip("event_text:N", title=t("port.col_event")),
               alt.Tooltip("expected_text:N", title=t("popup.expected")),
               alt.Tooltip("source_text:N", title=t("detail.source"))]
    status_colour = alt.Color("status_text:N", title=t("legend.berth_status"), sort=status_domain,
                              scale=alt.Scale(domain=status_domain, range=list(styling.BERTH_STATUS_COLOURS.values())))
    bands = alt.Chart(spans).mark_bar(height=14, opacity=0.35).encode(x=x, x2="until:T", y=y, color=status_colour)
    points = alt.Chart(events).mark_point(size=170, filled=True, opacity=0.95, stroke="#222", strokeWidth=0.8).encode(
        x=x, y=y, color=status_colour,
        shape=alt.Shape("provenance_text:N", title=t("port.record_source"),
                        legend=alt.Legend(orient="right", columns=1, labelLimit=240),
                        scale=alt.Scale(domain=list(kind_of),
                                        range=[shapes.get(kind, "square") for kind in kind_of.values()])),
        tooltip=tooltip)
    today = pd.DataFrame({"as_of": [pd.Timestamp(as_of)], "text": [as_of_text]})
    now = alt.Chart(today).mark_rule(
        color=styling.REFERENCE_COLOURS["threshold"], strokeWidth=2.5, strokeDash=[6, 4]).encode(x="as_of:T")
    now_text = alt.Chart(today).mark_text(
        align="left", dx=5, dy=-6, fontSize=SLIDE_FONT - 1, fontWeight="bold",
        color=styling.REFERENCE_COLOURS["threshold"]).encode(x="as_of:T", y=alt.value(0), text="text:N")
    return alt.layer(bands, points, now, now_text).resolve_scale(color="shared").properties(
        height=34 * len(berth_order) + 40,
        title=alt.Title(t("port.timeline_chart_title"), subtitle=t("port.timeline_chart_subtitle")))
