"""The frames the slide-ready charts of the occupancy, investment and port pages draw.

Each function takes rows from :mod:`heza_geo.analysis.occupancy`, :mod:`heza_geo.analysis.investment`
or :mod:`heza_geo.analysis.port` and adds the text a chart shows in the reader's language: labels
on the bars, tooltips (value, plan, % of plan, date, provenance) and legend classes. The charts
themselves (marks, scales, colours) are :mod:`heza_geo.ui.charts`; nothing here draws.

Decisions a reader must know
----------------------------
* Numbers are formatted here, with Babel (:mod:`heza_geo.i18n`), so "3.037" on a Vietnamese slide
  reads as three thousand: the chart shows ``*_text`` columns and only positions bars by numbers.
* A missing figure is "—" in a tooltip and never a zero bar, except on the occupancy chart, where
  a park without a figure keeps a zero-length bar (its row and label "no figure" stay on the
  slide, sorted last).
* Every point and bar carries its provenance (``source_text``), read from the kind and reference
  columns (:func:`heza_geo.schema.provenances`), so a demo or estimated figure says so where it
  is read; every date is written as precisely as it is known ("2018", not "1 Jan 2018").
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.investment import period_label
from heza_geo.analysis.occupancy import colour_classes, occupancy_over_time, reference_lines
from heza_geo.analysis.port import LAST_YEAR, berth_status_text, timeline
from heza_geo.analysis.sources import english_text, provenance, reference
from heza_geo.schema import (
    APPROXIMATE,
    NEWS,
    NO_SOURCE,
    REPORT,
    SYNTHETIC,
    Provenance,
    precision_column,
    provenance_of,
    provenances,
)


def source_refs(rows: pd.DataFrame, lang: str, column: str = "source") -> str:
    """The short references of the provenances of ``rows`` (their ``column`` and its kind), each
    once, in order: "001, 002, vnexpress.net 05/04/2025"; demo data and missing sources add none
    (:func:`heza_geo.analysis.sources.reference`, in ``lang``)."""
    return ", ".join(dict.fromkeys(r for r in (reference(p, lang) for p in provenances(rows, column)) if r))


def precisions(rows: pd.DataFrame, date_column: str) -> list[object]:
    """The precision of each date of ``date_column`` (its ``<date_column>_precision``; None, read as a
    day, where the frame has no such column)."""
    column = precision_column(date_column)
    return list(rows[column]) if column in rows else [None] * len(rows)


def date_texts(rows: pd.DataFrame, date_column: str, lang: str) -> list[str]:
    """Each date of ``date_column`` in the reader's language, no more precise than it is known:
    "2018" (vi "năm 2018") for a date of precision ``year``, "—" where missing."""
    return [i18n.fmt_date(d, lang, p) for d, p in zip(rows[date_column], precisions(rows, date_column), strict=True)]


def _provenance_texts(rows: pd.DataFrame, lang: str, column: str = "source", basis: str | None = None) -> list[str]:
    """:func:`heza_geo.analysis.sources.provenance` of each row's ``column`` (with its ``basis``)."""
    bases = list(rows[basis]) if basis else [None] * len(rows)
    return [provenance(p, lang, None, b) for p, b in zip(provenances(rows, column), bases, strict=True)]


# --- investment -----------------------------------------------------------------------------------
def flow_bars(flows: pd.DataFrame, flow: str, period: str, lang: str) -> pd.DataFrame:
    """One flow's rows of :func:`heza_geo.analysis.investment.flows` (``fdi`` or ``ddi``), with the
    period, value, plan and % of plan as text, a bar label "3.037 (151,9%)", the provenance, and
    ``chosen`` marking the reader's ``period``. Empty when the flow has no figure."""
    t = i18n.translator(lang)
    rows = flows[flows["flow"] == flow]
    unit = str(rows["unit"].iloc[0]) if not rows.empty else ""
    return rows.assign(
        period_text=[period_label(p, lang) for p in rows["period"]],
        value_text=[t.number(v, None) for v in rows["value"]],
        label=[t.number(v, 0) + (f" ({t.percent(p, None)})" if pd.notna(p) else "")
               for v, p in zip(rows["value"], rows["pct_of_plan"], strict=True)],
        plan_text=[t.money(v, unit) if pd.notna(v) else i18n.MISSING for v in rows["plan"]],
        pct_text=[t.percent(v, None) if pd.notna(v) else i18n.MISSING for v in rows["pct_of_plan"]],
        source_text=_provenance_texts(rows, lang, basis="basis"),
        chosen=rows["period"] == period,
    )


def cumulative_bars(cumulative: pd.DataFrame, flow: str, lang: str) -> pd.DataFrame:
    """One flow's cumulative capital at each period end (from
    :func:`heza_geo.analysis.investment.cumulative`), labelled with the capital and the number of
    projects of the same period ("—" where the report gives no count), and its note as a reader may
    see it (``note_text``, :func:`heza_geo.analysis.sources.english_text`). Empty without capital."""
    t = i18n.translator(lang)
    rows = cumulative[cumulative["flow"] == flow]
    capital = rows[rows["measure"] == "capital"]
    projects = rows[rows["measure"] == "projects"].set_index("period")["value"]
    return capital.assign(
        period_text=[period_label(p, lang) for p in capital["period"]],
        label=[t("investment.cumulative_label", capital=t.number(v, 0), projects=t.number(projects.get(p), 0))
               for p, v in zip(capital["period"], capital["value"], strict=True)],
        capital_text=[t.number(v, 0) for v in capital["value"]],
        projects_text=[t("investment.projects_n", n=t.number(projects.get(p), 0)) for p in capital["period"]],
        date_text=[t.date(d) for d in capital["period_end"]],
        source_text=_provenance_texts(capital, lang, basis="basis"),
        note_text=[english_text(n, lang) for n in capital["note"]],
    )


def sector_bars(parts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sector shares of :func:`heza_geo.analysis.investment.sector_mix`, with the sector's name
    and its share as a whole percentage."""
    return parts.assign(
        sector=[i18n.label("metric", m, lang) for m in parts["metric"]],
        label=[i18n.fmt_percent(v, lang, 0) for v in parts["value"]],
    )


def investor_bars(investors: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The named investors with an amount (from :func:`heza_geo.analysis.investment.named_investors`):
    name, kind, amount as money and provenance."""
    rows = investors[investors["amount_musd"].notna()]
    return rows.assign(
        name=[str(v) for v in rows[i18n.data_column("name", lang)]],
        kind_text=[i18n.label("investor_kind", k, lang) for k in rows["kind"]],
        label=[i18n.fmt_money(v, "million USD", lang) for v in rows["amount_musd"]],
        source_text=_provenance_texts(rows, lang),
    )


def enterprise_bars(enterprise: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The enterprise indicators with a % of plan (from
    :func:`heza_geo.analysis.investment.enterprise_against_plan`): indicator, period, % of plan,
    value, plan and provenance as text."""
    t = i18n.translator(lang)
    rows = enterprise[enterprise["pct_of_plan"].notna()]
    return rows.assign(
        indicator=[t.label("metric", m) for m in rows["metric"]],
        period_text=[period_label(p, lang) for p in rows["period"]],
        label=[t.percent(v, None) for v in rows["pct_of_plan"]],
        value_text=[t.money(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)],
        plan_text=[t.money(v, u) if pd.notna(v) else i18n.MISSING
                   for v, u in zip(rows["plan"], rows["unit"], strict=True)],
        source_text=_provenance_texts(rows, lang, basis="basis"),
    )


# --- occupancy ------------------------------------------------------------------------------------
def occupancy_bars(table: pd.DataFrame, colour_by: str, lang: str) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """A bar per park of ``table`` (:func:`heza_geo.analysis.tables.occupancy_rows`, in its order)
    and the legend's ``(class, colour)`` pairs.

    Parameters
    ----------
    table : DataFrame
        The parks with ``park`` (their name), ``occupancy_pct`` and its as-of, basis and source.
    colour_by : {"occupancy", "stage"}
        What colours the bars (:func:`heza_geo.analysis.occupancy.colour_classes`).
    lang : str
        The reader's language.

    Returns
    -------
    (DataFrame, list of (str, str))
        ``table`` with ``colour_class``, ``pct`` (0 where the park has no figure), the bar's
        ``label`` (its percentage, "—" without a figure) and the tooltip's ``pct_text``
        ("no figure" without one), ``basis_text``, ``as_of_text``, ``source_text``; the legend's pairs.
    """
    t = i18n.translator(lang)
    classes, pairs = colour_classes(table, colour_by, lang)
    bars = table.assign(
        colour_class=classes,
        pct=table["occupancy_pct"].fillna(0.0),
        pct_text=[t.percent(v) if pd.notna(v) else t("occupancy.no_figure") for v in table["occupancy_pct"]],
        label=[t.percent(v) if pd.notna(v) else i18n.MISSING for v in table["occupancy_pct"]],
        basis_text=[t.label("basis", b) for b in table["occupancy_basis"]],
        as_of_text=date_texts(table, "occupancy_as_of", lang),
        source_text=_provenance_texts(table, lang, "occupancy_source"),
    )
    return bars, pairs


#: the order the occupancy subtitle names the kinds of source in: official first, made-up last
_SOURCE_ORDER = (REPORT, NEWS, APPROXIMATE, SYNTHETIC, NO_SOURCE)


def _month_or_year(precision: object) -> str:
    """A subtitle's date precision: a month, or the year where only the year is known."""
    return "year" if precision == "year" else "month"


def _date_span(dates: pd.Series, precision: list[object], lang: str) -> str:
    """"Oct 2021 – 2025": the earliest and latest of ``dates``, each to the month (or its year
    where only the year is known); one date where both read the same."""
    t = i18n.translator(lang)
    known = [(d, p) for d, p in zip(dates, precision, strict=True) if pd.notna(d)]
    if not known:
        return i18n.MISSING
    (first, p_first), (last, p_last) = min(known, key=lambda x: x[0]), max(known, key=lambda x: x[0])
    start, end = t.date(first, _month_or_year(p_first)), t.date(last, _month_or_year(p_last))
    return start if start == end else t("occupancy.date_span", start=start, end=end)


def occupancy_sources(table: pd.DataFrame, lang: str) -> list[str]:
    """Where the figures of the occupancy chart's bars come from, a line of its subtitle each: the
    parks per kind of source (:data:`_SOURCE_ORDER`), with its references and span of dates, then
    those with no figure, e.g. "HEZA report 001 (Oct 2023): 9", "Public news (Oct 2021 – Jul 2025):
    10", "Synthetic demo (paler bars): 4", "no figure: 21".

    Decision: the subtitle is read from the rows shown (``occupancy_source_kind``,
    ``occupancy_source``, ``occupancy_as_of`` and its precision), never written once: a figure a
    staff member adds from the news is counted under news on the next run. A report is named by
    its number; news and approximations by their kind only (each bar's tooltip cites its article
    or method). Dates are given to the month at most, and to the year where only that is known.
    """
    t = i18n.translator(lang)
    shown = table[table["occupancy_pct"].notna()]
    kinds = pd.Series([p.kind for p in provenances(shown, "occupancy_source")], index=shown.index)
    groups = []
    for kind in sorted(set(kinds), key=lambda k: _SOURCE_ORDER.index(k) if k in _SOURCE_ORDER else len(_SOURCE_ORDER)):
        rows = shown[kinds == kind]
        n = len(rows)
        if kind == SYNTHETIC:
            groups.append(t("occupancy.source_group_demo", source=t.label("provenance", kind), n=n))
            continue
        refs = source_refs(rows, lang, "occupancy_source") if kind == REPORT else ""
        source = f"{t.label('provenance', kind)} {refs}".strip()
        dates = _date_span(rows["occupancy_as_of"], precisions(rows, "occupancy_as_of"), lang)
        groups.append(t("occupancy.source_group", source=source, dates=dates, n=n))
    if missing := int(table["occupancy_pct"].isna().sum()):
        groups.append(t("occupancy.source_group_none", n=missing))
    return groups


def reference_rules(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The occupancy chart's reference lines (:func:`heza_geo.analysis.occupancy.reference_lines`)
    with ``colour_key`` (the legend's entry) and ``text``, "City average: 63,25% (14/10/2023, 001, …)";
    a source with no reference to follow (demo data) is named by its kind. ``current`` marks the
    lines in force, the threshold and the latest city average, which the chart names at its edge
    with ``edge_text`` ("Threshold 60%", "City average 64.3%")."""
    t = i18n.translator(lang)
    lines = reference_lines(history)
    city = lines.index[lines["kind"] == "city_average"]  # oldest first
    current = (lines["kind"] != "city_average") | (lines.index == (city[-1] if len(city) else None))

    def cited(p: Provenance) -> str:
        return reference(p, lang) or t.label("provenance", p.kind)

    return lines.assign(
        colour_key=[t(f"occupancy.ref_{k}") for k in lines["kind"]],
        text=[t("occupancy.ref_line_label", what=t(f"occupancy.ref_{r['kind']}"),
                pct=t.percent(r["occupancy_pct"], None),
                date=t.date(r["as_of"], r.get(precision_column("as_of"))) if pd.notna(r["as_of"])
                else t("occupancy.decree"),
                source=cited(provenance_of(r)), basis=t.label("basis", r["basis"]))
              for _, r in lines.iterrows()],
        current=current,
        edge_text=[t(f"occupancy.ref_edge_{k}", pct=t.percent(v, None))
                   for k, v in zip(lines["kind"], lines["occupancy_pct"], strict=True)],
    )


def occupancy_points(history: pd.DataFrame, park_ids: list[str], names: dict[str, str], lang: str) -> pd.DataFrame:
    """The park figures over time of ``park_ids`` (:func:`heza_geo.analysis.occupancy.occupancy_over_time`)
    with the park's name (from ``names``) and the tooltip's text; empty when none has a figure."""
    t = i18n.translator(lang)
    rows = occupancy_over_time(history, park_ids)
    return rows.assign(
        park=rows["park_id"].map(names),
        basis_text=[t.label("basis", b) for b in rows["basis"]],
        pct_text=[t.percent(v) for v in rows["occupancy_pct"]],
        date_text=date_texts(rows, "as_of", lang),
        source_text=_provenance_texts(rows, lang),
    )


def city_points(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The city's average occupancy figures (scope ``city``), for the line beside the parks', with
    the tooltip's text."""
    t = i18n.translator(lang)
    city = history[history["scope"] == "city"]
    return city.assign(
        what=t("occupancy.ref_city_average"),
        pct_text=[t.percent(v, None) for v in city["occupancy_pct"]],
        date_text=date_texts(city, "as_of", lang),
        source_text=_provenance_texts(city, lang, basis="basis"),
    )


# --- port -------------------------------------------------------------------------------------------
def berth_events(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every berth status record (:func:`heza_geo.analysis.port.timeline`), oldest first, with the
    berth ("Berth 3"), status, kind of source (``provenance_text``), date (as precisely as it is
    known: "2018" for a berth known to operate since 2018), provenance, expected date and event as text."""
    t = i18n.translator(lang)
    events = timeline(history)
    return events.assign(
        berth=[t("popup.berth_no", n=int(n)) for n in events["berth_no"]],
        status_text=[berth_status_text(s, lang) for s in events["status"]],
        provenance_text=[t.label("provenance", p.kind) for p in provenances(events)],
        date_text=date_texts(events, "as_of", lang),
        source_text=_provenance_texts(events, lang),
        expected_text=[english_text(e, lang) or i18n.MISSING for e in events["expected"]],
        event_text=[english_text(e, lang) for e in events["event"]],
    )


def berth_spans(events: pd.DataFrame) -> pd.DataFrame:
    """Each status of a berth from its record to the next one (``until``; the last one runs to the
    end of :data:`heza_geo.analysis.port.LAST_YEAR`), for the timeline's bands."""
    return events.sort_values(["berth_no", "as_of"]).assign(
        until=lambda f: f.groupby("berth_no")["as_of"].shift(-1).fillna(pd.Timestamp(date(LAST_YEAR, 12, 31))))
