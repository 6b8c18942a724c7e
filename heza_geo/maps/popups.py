"""Popups and tooltips of the map's layers, in the reader's language, each figure with its provenance badge.

Built from already-validated frames; every value is HTML-escaped here, so a name typed by staff
stays text in the browser. A badge comes from the provenance's kind column
(:func:`heza_geo.schema.provenance_of`), never from its text; a date is written no more precisely
than its ``<column>_precision`` says ("2018", not "1 Jan 2018"). A badge's tooltip names its source
as a reader does ("HEZA report of 14 Oct 2023 (Oct 2023 review)",
:func:`heza_geo.analysis.sources.source_name`), never by the store's reference (the report's file);
a note is shown with any report file or ``GEOREF.md`` it cites renamed the same way (:func:`note_cell`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.passport import not_published, price_range, readiness_text
from heza_geo.analysis.sources import readable_text, source_name
from heza_geo.i18n import fmt_area_ha, fmt_date, fmt_km, fmt_number, fmt_percent, label, t
from heza_geo.schema import APPROXIMATE, NO_SOURCE, SYNTHETIC, Provenance, precision_column, provenance_of
from heza_geo.view import (
    park_name,
)

#: the provenance of the plots' figures (leased, available land): the plots are synthetic demo data
PLOTS_PROVENANCE = Provenance(SYNTHETIC)


def badge(p: Provenance, lang: str) -> str:
    """The badge of a provenance, class ``heza-badge-<kind>``, its source as a reader names it (if it has
    a reference) in the tooltip: "HEZA report of 14 Oct 2023 (Oct 2023 review)", never the report's file."""
    kind = p.kind if p.kind in i18n.LABEL_VALUES["provenance"] else NO_SOURCE
    title = f' title="{html.escape(source_name(p, lang))}"' if p.ref else ""
    return (f'<span class="heza-badge heza-badge-{kind.replace(" ", "-")}"{title}>'
            f"{html.escape(i18n.badge(p, lang))}</span>")


def _badge_if_any(p: Provenance, lang: str) -> str:
    """The badge, or "" for no provenance (the row is then left out, as the browser's plot popup does)."""
    return badge(p, lang) if p.kind != NO_SOURCE else ""


def rows_table(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows if v not in (None, ""))
    return f'<table class="heza-popup">{body}</table>'


def text_cell(value: Any) -> str:  # a cell, perhaps NaN
    return i18n.MISSING if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def note_cell(value: Any, lang: str) -> str:
    """A free-text cell (a note, an expected date) as a reader may see it, escaped: any report file or
    ``GEOREF.md`` it cites named as a reader names them (:func:`heza_geo.analysis.sources.readable_text`);
    "" for a missing cell, so its row is left out."""
    return html.escape(readable_text(value, lang))


def row_date(row: pd.Series, column: str, lang: str) -> str:
    """The date in ``column`` of a record, as precisely as its ``<column>_precision`` says."""
    return fmt_date(row.get(column), lang, row.get(precision_column(column)))


def figure(value: str, as_of: Any, p: Provenance | None, lang: str, precision: Any = None) -> str:
    """A value with its date ("as of 2018", to its ``precision``) and its provenance badge, if any.

    ``as_of`` and ``precision`` are cells, perhaps NaN; no badge for no provenance (kind ``none``)."""
    parts = [value]
    if as_of is not None and not pd.isna(as_of):
        when = t("text.as_of", lang, date=fmt_date(as_of, lang, precision))
        parts.append(f'<span class="heza-asof">{html.escape(when)}</span>')
    if p is not None and p.kind != NO_SOURCE:
        parts.append(badge(p, lang))
    return " ".join(parts)


def dated_figure(value: str, row: pd.Series, as_of: str, source: str, lang: str) -> str:
    """:func:`figure` of a record: its date column ``as_of`` (with its precision) and provenance ``source``."""
    return figure(value, row.get(as_of), provenance_of(row, source), lang, row.get(precision_column(as_of)))


def park_popup(row: pd.Series, lang: str) -> str:
    other = i18n.other_name(row, lang)
    rows = [
        (t("popup.stage", lang), figure(html.escape(label("stage", row["stage"], lang)), None,
                                        provenance_of(row, "stage_source"), lang)),
        (t("popup.area", lang), figure(fmt_area_ha(row["area_ha"], lang), None, provenance_of(row, "area_source"),
                                       lang)),
        (t("popup.occupancy", lang), dated_figure(fmt_percent(row.get("occupancy_pct"), lang), row,
                                                  "occupancy_as_of", "occupancy_source", lang)),
    ]
    if row.get("plots", 0):
        rows += [
            (t("popup.leased", lang), figure(fmt_area_ha(row["leased_ha"], lang), None, PLOTS_PROVENANCE, lang)),
            (t("popup.available", lang), figure(fmt_area_ha(row["available_ha"], lang), None, PLOTS_PROVENANCE,
                                                lang)),
        ]
        if row.get("not_handed_over_ha", 0) > 0:  # counted apart: never available (schema.PLOT_STATUS)
            rows.append((label("plot_status", "not_handed_over", lang),
                         figure(fmt_area_ha(row["not_handed_over_ha"], lang), None, PLOTS_PROVENANCE, lang)))
    rows += [
        (t("popup.developer", lang), text_cell(row.get("developer"))),
        (t("popup.distance_to_berth", lang), fmt_km(row.get("distance_to_berth_km"), lang)),
        (t("popup.distance_to_airport", lang), fmt_km(row.get("distance_to_airport_km"), lang)),
        (t("popup.geometry", lang), badge(provenance_of(row), lang)),
    ]
    return (f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>'
            f'<div class="heza-popup-sub">{html.escape(str(other))}</div>{rows_table(rows)}')


def park_tooltip(row: pd.Series, lang: str) -> str:
    return f"{html.escape(park_name(row, lang))} · {fmt_percent(row.get('occupancy_pct'), lang)}"


def passport_rows(passport: pd.Series | None, lang: str) -> list[tuple[str, str]]:
    """What a plot's popup says of its park's passport (a row of ``passports``, None: the park has
    none), HTML: the lease price range with the land figures' date and badge, and the readiness with
    the planning figures' (left out where not published); a price not published says so, never 0.

    Built once per park, not per plot: the plots layer sends it per park (``plot_labels``)."""
    label = t("passport.row.lease_price", lang)
    if passport is None:
        return [(label, html.escape(not_published(lang)))]
    price = price_range(passport.get("lease_price_min_usd_m2"), passport.get("lease_price_max_usd_m2"), lang)
    rows = [(label, dated_figure(html.escape(price), passport, "land_as_of", "land_source", lang) if price
             else html.escape(not_published(lang)))]
    readiness = readiness_text(passport, lang)
    if readiness:
        rows.append((t("passport.row.readiness", lang),
                     dated_figure(html.escape(readiness), passport, "planning_as_of", "planning_source", lang)))
    return rows


def plot_popup(row: pd.Series, lang: str, park: str, passport: Iterable[tuple[str, str]] = ()) -> str:
    """A plot's popup: its park, then its park's passport (:func:`passport_rows`), then the plot's own
    figures. ``plots.js`` builds the same HTML in the browser (tests compare them)."""
    rows = [
        (t("popup.park", lang), html.escape(park)),
        *passport,
        (t("popup.area", lang), fmt_area_ha(row["area_ha"], lang)),
        (t("popup.status", lang), html.escape(label("plot_status", row["status"], lang))),
        (t("popup.sector", lang), html.escape(label("sector", row["sector"], lang)) if pd.notna(row["sector"]) else ""),
        (t("popup.tenant", lang), text_cell(row["tenant"]) if pd.notna(row["tenant"]) else ""),
        (t("text.source", lang, source=""), _badge_if_any(provenance_of(row), lang)),
    ]
    title = f'{html.escape(t("popup.plot_id", lang))} {html.escape(str(row["plot_id"]))}'
    return f'<div class="heza-popup-title">{title}</div>{rows_table(rows)}'


def plot_tooltip(row: pd.Series, lang: str) -> str:
    status = label("plot_status", row["status"], lang)
    return f"{html.escape(str(row['plot_id']))} · {fmt_area_ha(row['area_ha'], lang)} · {html.escape(status)}"


def berth_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.terminal", lang), text_cell(row["terminal"])),
        (t("popup.operator", lang), text_cell(row["operator"])),
        (t("popup.status", lang), dated_figure(html.escape(label("berth_status", row.get("status"), lang)), row,
                                                "status_as_of", "status_source", lang)),
        (t("popup.construction_start", lang), row_date(row, "construction_start", lang)),
        (t("popup.operating_since", lang), row_date(row, "operating_since", lang)),
        (t("popup.expected", lang), note_cell(row.get("expected"), lang)),
        (t("popup.quay", lang), f"{fmt_number(row['quay_m'], lang, 0)} m" if pd.notna(row["quay_m"]) else ""),
        (t("popup.geometry", lang), badge(provenance_of(row), lang)),
    ]
    title = t("popup.berth_no", lang, n=int(row["berth_no"]))
    return f'<div class="heza-popup-title">{html.escape(title)}</div>{rows_table(rows)}'


def berth_tooltip(row: pd.Series, lang: str) -> str:
    status = label("berth_status", row.get("status"), lang)
    return f"{html.escape(t('popup.berth_no', lang, n=int(row['berth_no'])))} · {html.escape(status)}"


def zone_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.status", lang), html.escape(label("zone_status", row["status"], lang))),
        (t("popup.area", lang), figure(fmt_area_ha(row["area_ha"], lang), None, provenance_of(row, "area_source"),
                                       lang)),
        (t("popup.decision", lang), text_cell(row["decision"]) if pd.notna(row["decision"]) else ""),
        (t("popup.geometry", lang), badge(provenance_of(row), lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}'


def geometry_cell(row: pd.Series, lang: str) -> str:
    """How well a feature is placed, from its ``geometry_quality``: an approximate or demo position gets
    that badge even where the record's figures come from a report (housing: 001 names the projects
    and their wards, the points are ours)."""
    quality = row.get("geometry_quality")
    if quality in (APPROXIMATE, SYNTHETIC):
        return badge(Provenance(str(quality), ""), lang)
    return html.escape(label("geometry_quality", quality, lang))


def housing_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.kind", lang), html.escape(label("housing_kind", row["kind"], lang))),
        (t("popup.capacity", lang), t("popup.people", lang, n=fmt_number(row["capacity_people"], lang, 0))
         if pd.notna(row["capacity_people"]) else ""),
        (t("popup.area", lang), fmt_area_ha(row["area_ha"], lang) if pd.notna(row["area_ha"]) else ""),
        (t("popup.status", lang), dated_figure(html.escape(label("housing_status", row["status"], lang)), row,
                                                "as_of", "source", lang)),
        (t("popup.location", lang), text_cell(row["location"]) if pd.notna(row["location"]) else ""),
        (t("popup.geometry", lang), geometry_cell(row, lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}'


def connectivity_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.kind", lang), html.escape(label("connectivity_kind", row["kind"], lang))),
        (t("popup.note", lang), note_cell(row["note"], lang)),
        (t("popup.geometry", lang), badge(provenance_of(row), lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}'


