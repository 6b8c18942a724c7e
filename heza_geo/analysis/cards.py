"""The indicator cards of the pages: a title, a value and the note under it, in the reader's language.

A :class:`Card` is plain text, ready to draw (``heza_geo.ui.cards``): the figure formatted as the
language writes it, and under it what a reader needs to trust it (its provenance, its period, or
the demo badge where the figure comes from synthetic plots).

Decisions a reader must know
----------------------------
* Land figures of a selection (leased, available, occupancy) add up the **plots**, which are
  synthetic: they carry the demo badge whatever the parks' own figures say.
* City figures (average occupancy, FDI, workers) are the latest of their table
  (:func:`heza_geo.analysis.joins.latest_figure`), each with its date, source and basis; a figure
  the data does not have is shown as "—" with an empty note, never as 0.
* Where the latest figure is not the HEZA reports' (public news of January 2025 gives the full
  year 2024; the reports stop at 11 months), the reports' latest figure stays on the card, on a
  line of its own (``Card.report``): "HEZA report 002 (11 months 2024): 2,869". Neither replaces
  the other: the reader sees both, each with its date and source.
* Totals count every park, those with no position (no outline: never drawn, never measured) and
  those with no published area too; a park without an area adds nothing to the declared area,
  and the note says how many have none.
* A provenance is read from the kind and reference columns (:func:`heza_geo.schema.provenance_of`),
  never from the text of the reference: an approximate figure whose method cites a report is badged
  approximate.
* A card's ``note`` is None when the page shows nothing under the value (the port's counts), and
  "" when it shows an empty line (a city figure missing from the data), as the cards always did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.indicators import land_summary
from heza_geo.analysis.investment import CUMULATIVE, ENTERPRISE_INDICATORS, FLOW_TOTALS, period_label
from heza_geo.analysis.joins import Figure, city_occupancy, latest_figure, report_beside
from heza_geo.analysis.occupancy import NEW_PARK_THRESHOLD_PCT, THRESHOLD, city_meets_threshold, reference_lines
from heza_geo.analysis.port import operating
from heza_geo.analysis.sources import dated_provenance, provenance, row_provenance
from heza_geo.io import Dataset
from heza_geo.schema import NO_SOURCE, REPORT, SYNTHETIC, precision_column, provenance_of

DEMO = SYNTHETIC


@dataclass(frozen=True)
class Card:
    """One indicator: ``title`` and ``value`` (ours, plain text) and the ``note`` under it (may quote
    data such as a source or a period: escape it where Markdown renders it); None = no note.
    ``report`` is the HEZA reports' own figure under a newer one from another source (None where
    the value is the reports' figure, or they give none)."""

    title: str
    value: str
    note: str | None = None
    report: str | None = None


def selection_cards(parks: pd.DataFrame, plots: pd.DataFrame, lang: str) -> list[Card]:
    """The map page's first row: how many parks are selected, their declared area, and the land of
    their plots (leased, available, occupancy), for the parks ``parks`` and all ``plots``."""
    t = i18n.translator(lang)
    land = land_summary(plots[plots["park_id"].isin(parks["park_id"])])
    demo = t.badge(DEMO)
    established, planned = (parks["status"] == "established").sum(), (parks["status"] == "planned").sum()
    no_area = int(parks["area_ha"].isna().sum())
    area_note = t("card.declared_area") + (f" · {t('card.area_not_given', n=no_area)}" if no_area else "")
    return [
        Card(t("card.parks"), t.number(len(parks), 0),
             t("card.parks_detail", established=established, planned=planned)),
        Card(t("card.total_area"), t.area_ha(parks["area_ha"].sum(min_count=1), 0), area_note),
        Card(t("card.leased_area"), t.area_ha(land.leased_ha, 0), demo),
        Card(t("card.available_area"), t.area_ha(land.available_ha, 0), demo),
        Card(t("card.occupancy"), t.percent(land.occupancy_pct), demo),
    ]


def _report_line(report: str, when: str, value: str, basis: object, lang: str) -> str:
    """"HEZA report 002 (11 months 2024): 2,869 · Estimate": a report's figure, its period or date,
    and its basis where it is not ``reported``."""
    shown = value + (f" · {i18n.label('basis', basis, lang)}" if basis != "reported" else "")
    return i18n.t("card.report_figure", lang, report=report, when=when, value=shown)


def _report_figure_line(figure: Figure | None, lang: str) -> str | None:
    """:func:`_report_line` of a figure of the reports (by its period), or None."""
    if figure is None:
        return None
    return _report_line(figure.provenance.short, period_label(figure.period, lang), _figure_value(figure, lang),
                        figure.basis, lang)


def _figure_note(figure: Figure, lang: str) -> str:
    """Under a figure: its % of plan (where given), its period, then its date and provenance."""
    t = i18n.translator(lang)
    parts = ([t("card.pct_of_plan_value", pct=t.percent(figure.pct_of_plan, None))]
             if figure.pct_of_plan is not None else [])
    return " · ".join([*parts, period_label(figure.period, lang),
                       dated_provenance(figure.period_end, figure.provenance, figure.basis, lang)])


def _figure_value(figure: Figure | None, lang: str) -> str:
    """A figure's value as the language writes it: counts (projects, people) whole, amounts with up to
    two decimals as the reports write them; "—" without a figure."""
    if figure is None:
        return i18n.MISSING
    return i18n.fmt_number(figure.value, lang, 0 if figure.unit in ("projects", "people") or figure.value >= 100
                           else None)


def city_cards(data: Dataset, lang: str) -> list[Card]:
    """The city's figures beside the map: average occupancy, cumulative and latest FDI, workers,
    each the latest the data has, with its date and provenance (the latest FDI also with its period
    and % of plan), and under a figure newer than the HEZA reports' the reports' own (``report``)."""
    t = i18n.translator(lang)
    city = city_occupancy(data.occupancy_history)
    fdi_cum = latest_figure(data.investment, "fdi_cumulative_musd")
    fdi_latest = latest_figure(data.investment, "fdi_total_musd")
    workers = latest_figure(data.enterprise, "workers")
    musd = i18n.unit_label("million USD", lang)
    latest_note = _figure_note(fdi_latest, lang) if fdi_latest else ""
    city_note = (dated_provenance(city["as_of"], provenance_of(city), city["basis"], lang,
                                  city.get(precision_column("as_of"))) if city is not None else "")
    city_report = None
    if city is not None and provenance_of(city).kind != REPORT:
        reported = city_occupancy(data.occupancy_history, kind=REPORT)
        if reported is not None:
            city_report = _report_line(provenance_of(reported).short,
                                       t.date(reported["as_of"], reported.get(precision_column("as_of"))),
                                       t.percent(reported["occupancy_pct"], None), reported["basis"], lang)

    def beside(table: pd.DataFrame, metric: str, latest: Figure | None) -> str | None:
        return _report_figure_line(report_beside(table, metric, latest), lang)

    return [
        Card(t("card.city_average_occupancy"), t.percent(city["occupancy_pct"] if city is not None else None, None),
             city_note, city_report),
        Card(f'{t("card.fdi_cumulative")} ({musd})', _figure_value(fdi_cum, lang),
             dated_provenance(fdi_cum.period_end, fdi_cum.provenance, fdi_cum.basis, lang) if fdi_cum else "",
             beside(data.investment, "fdi_cumulative_musd", fdi_cum)),
        Card(f'{t("card.fdi_latest")} ({musd})', _figure_value(fdi_latest, lang), latest_note,
             beside(data.investment, "fdi_total_musd", fdi_latest)),
        Card(t("card.workers"), _figure_value(workers, lang),
             dated_provenance(workers.period_end, workers.provenance, workers.basis, lang) if workers else "",
             beside(data.enterprise, "workers", workers)),
    ]


#: the indicators of the investment page's latest figures, in the order the reports give them
LATEST_INVESTMENT = (FLOW_TOTALS["fdi"], *reversed(CUMULATIVE["fdi"]), FLOW_TOTALS["ddi"], *reversed(CUMULATIVE["ddi"]))
LATEST_ENTERPRISE = (*ENTERPRISE_INDICATORS, "avg_income_mvnd_month")


def latest_cards(investment: pd.DataFrame, enterprise: pd.DataFrame, lang: str) -> list[Card]:
    """The investment page's latest figures: each indicator of :data:`LATEST_INVESTMENT` and
    :data:`LATEST_ENTERPRISE` the data has, its latest value (whatever its source) with its % of
    plan, period, date and provenance, and the HEZA reports' latest value under it where the latest
    is not theirs (``Card.report``); indicators the data lacks are left out."""
    cards = []
    for table, metrics in ((investment, LATEST_INVESTMENT), (enterprise, LATEST_ENTERPRISE)):
        for metric in metrics:
            latest = latest_figure(table, metric)
            if latest is None:
                continue
            cards.append(Card(i18n.label("metric", metric, lang), _figure_value(latest, lang),
                              _figure_note(latest, lang), _report_figure_line(report_beside(table, metric, latest),
                                                                              lang)))
    return cards


def occupancy_reference_cards(history: pd.DataFrame, lang: str) -> list[Card]:
    """The occupancy page's first row: each city average figure, then the 60% threshold of
    Decree 35/2022, each with its provenance."""
    t = i18n.translator(lang)
    lines = reference_lines(history)
    cards = [Card(t("card.city_average_occupancy"), t.percent(row["occupancy_pct"], None),
                  row_provenance(row, lang, as_of="as_of", basis="basis"))
             for _, row in lines[lines["kind"] == "city_average"].iterrows()]
    return [*cards, Card(t("occupancy.threshold_card"), t.percent(NEW_PARK_THRESHOLD_PCT, 0),
                         provenance(THRESHOLD, lang))]


def threshold_verdict(history: pd.DataFrame, lang: str) -> tuple[bool, str] | None:
    """Whether the latest city average reaches the 60% threshold, and the sentence that says so with
    the figure and its date; None when the data has no city figure."""
    meets = city_meets_threshold(history)
    latest = city_occupancy(history)
    if meets is None or latest is None:
        return None
    return meets, i18n.t("occupancy.meets_threshold" if meets else "occupancy.below_threshold", lang,
                         pct=i18n.fmt_percent(latest["occupancy_pct"], lang, None),
                         date=i18n.fmt_date(latest["as_of"], lang, latest.get(precision_column("as_of"))))


def park_occupancy_cards(row: pd.Series, lang: str) -> list[Card]:
    """One park's figures beside its map on the occupancy page (a row of
    :func:`heza_geo.analysis.occupancy.occupancy_table`): its occupancy figure with provenance,
    what its plots add up to, its available land (with the land's provenance, demo; "—" without
    plots) and its stage."""
    t = i18n.translator(lang)
    demo = t.badge(DEMO)
    land = provenance_of(row, "land_source")
    return [
        Card(t("popup.occupancy"), t.percent(row["occupancy_pct"]),
             row_provenance(row, lang, "occupancy_source", as_of="occupancy_as_of", basis="occupancy_basis")),
        Card(t("occupancy.col_plots_occupancy"), t.percent(row["plots_occupancy_pct"]), demo),
        Card(t("occupancy.col_available"), t.area_ha(row["available_ha"], 1),
             t.badge(land) if land.kind != NO_SOURCE else i18n.MISSING),
        Card(t("popup.stage"), t.label("stage", row["stage"]), row_provenance(row, lang, "stage_source")),
    ]


def port_cards(status: gpd.GeoDataFrame, near: pd.DataFrame, km: float, as_of: date, lang: str) -> list[Card]:
    """The port page's counts at ``as_of`` (the end of the chosen year).

    Parameters
    ----------
    status : GeoDataFrame
        Every berth as of that date, from :func:`heza_geo.analysis.port.status_as_of_year`.
    near : DataFrame
        The parks within ``km`` of an operating berth, from :func:`heza_geo.analysis.port.parks_within`.
    km : float
        The distance the reader chose, named on the last card.
    as_of : date
        The date the counts stand for, named on the first card.
    lang : str
        The reader's language.

    Returns
    -------
    list of Card
        Berths operating (of all), under construction, in preparation (planned, awaiting approval,
        approved), and parks within ``km``; no notes.
    """
    t = i18n.translator(lang)
    counts = status["display_status"].value_counts()
    preparing = int(counts.get("approved", 0) + counts.get("awaiting_approval", 0) + counts.get("planned", 0))
    return [
        Card(t("port.operating_count", date=t.date(as_of)), f"{len(operating(status))} / {len(status)}"),
        Card(t.label("berth_status", "under_construction"), str(int(counts.get("under_construction", 0)))),
        Card(t("port.in_preparation"), str(preparing)),
        Card(t("port.parks_within_card", km=t.km(km, 0)), str(len(near))),
    ]
