"""Popups and tooltips of the map's layers, in the reader's language, each figure with its provenance badge.

Built from already-validated frames; every value is HTML-escaped here, so a name typed by staff
stays text in the browser.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from heza_geo import i18n
from heza_geo.i18n import fmt_area_ha, fmt_date, fmt_km, fmt_number, fmt_percent, label, t
from heza_geo.view import (
    park_name,
)


def badge(source: Any, lang: str) -> str:  # source: a cell, perhaps NaN
    kind = i18n.schema.provenance_kind(None if pd.isna(source) else str(source))
    return (f'<span class="heza-badge heza-badge-{kind.replace(" ", "-")}" title="{html.escape(str(source))}">'
            f"{html.escape(i18n.badge(None if pd.isna(source) else str(source), lang))}</span>")


def rows_table(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows if v not in (None, ""))
    return f'<table class="heza-popup">{body}</table>'


def text_cell(value: Any) -> str:  # a cell, perhaps NaN
    return i18n.MISSING if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def figure(value: str, as_of: Any, source: Any, lang: str) -> str:  # as_of, source: cells, perhaps NaN
    parts = [value]
    if as_of is not None and not pd.isna(as_of):
        parts.append(f'<span class="heza-asof">{html.escape(t("text.as_of", lang, date=fmt_date(as_of, lang)))}</span>')
    if source is not None and not pd.isna(source):
        parts.append(badge(source, lang))
    return " ".join(parts)


def park_popup(row: pd.Series, lang: str) -> str:
    other = i18n.other_name(row, lang)
    plots_source = "synthetic demo" if row.get("plots", 0) else None
    rows = [
        (t("popup.stage", lang), figure(html.escape(label("stage", row["stage"], lang)), None, row.get("stage_source"),
                                        lang)),
        (t("popup.area", lang), figure(fmt_area_ha(row["area_ha"], lang), None, row["area_source"], lang)),
        (t("popup.occupancy", lang), figure(fmt_percent(row.get("occupancy_pct"), lang),
                                             row.get("occupancy_as_of"), row.get("occupancy_source"), lang)),
    ]
    if row.get("plots", 0):
        rows += [
            (t("popup.leased", lang), figure(fmt_area_ha(row["leased_ha"], lang), None, plots_source, lang)),
            (t("popup.available", lang), figure(fmt_area_ha(row["available_ha"], lang), None, plots_source, lang)),
        ]
    rows += [
        (t("popup.developer", lang), text_cell(row.get("developer"))),
        (t("popup.distance_to_berth", lang), fmt_km(row.get("distance_to_berth_km"), lang)),
        (t("popup.distance_to_airport", lang), fmt_km(row.get("distance_to_airport_km"), lang)),
        (t("popup.geometry", lang), badge(row["source"], lang)),
    ]
    return (f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>'
            f'<div class="heza-popup-sub">{html.escape(str(other))}</div>{rows_table(rows)}')


def park_tooltip(row: pd.Series, lang: str) -> str:
    return f"{html.escape(park_name(row, lang))} · {fmt_percent(row.get('occupancy_pct'), lang)}"


def plot_popup(row: pd.Series, lang: str, park: str) -> str:
    rows = [
        (t("popup.park", lang), html.escape(park)),
        (t("popup.area", lang), fmt_area_ha(row["area_ha"], lang)),
        (t("popup.status", lang), html.escape(label("plot_status", row["status"], lang))),
        (t("popup.sector", lang), html.escape(label("sector", row["sector"], lang)) if pd.notna(row["sector"]) else ""),
        (t("popup.tenant", lang), text_cell(row["tenant"]) if pd.notna(row["tenant"]) else ""),
        (t("text.source", lang, source=""), badge(row["source"], lang)),
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
        (t("popup.status", lang), figure(html.escape(label("berth_status", row.get("status"), lang)),
                                          row.get("status_as_of"), row.get("status_source"), lang)),
        (t("popup.construction_start", lang), fmt_date(row.get("construction_start"), lang)),
        (t("popup.operating_since", lang), fmt_date(row.get("operating_since"), lang)),
        (t("popup.expected", lang), text_cell(row.get("expected")) if pd.notna(row.get("expected")) else ""),
        (t("popup.quay", lang), f"{fmt_number(row['quay_m'], lang, 0)} m" if pd.notna(row["quay_m"]) else ""),
        (t("popup.geometry", lang), badge(row["source"], lang)),
    ]
    title = t("popup.berth_no", lang, n=int(row["berth_no"]))
    return f'<div class="heza-popup-title">{html.escape(title)}</div>{rows_table(rows)}'


def berth_tooltip(row: pd.Series, lang: str) -> str:
    status = label("berth_status", row.get("status"), lang)
    return f"{html.escape(t('popup.berth_no', lang, n=int(row['berth_no'])))} · {html.escape(status)}"


def zone_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.status", lang), html.escape(label("zone_status", row["status"], lang))),
        (t("popup.area", lang), figure(fmt_area_ha(row["area_ha"], lang), None, row["area_source"], lang)),
        (t("popup.decision", lang), text_cell(row["decision"]) if pd.notna(row["decision"]) else ""),
        (t("popup.geometry", lang), badge(row["source"], lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}'


def housing_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.kind", lang), html.escape(label("housing_kind", row["kind"], lang))),
        (t("popup.capacity", lang), t("popup.people", lang, n=fmt_number(row["capacity_people"], lang, 0))
         if pd.notna(row["capacity_people"]) else ""),
        (t("popup.area", lang), fmt_area_ha(row["area_ha"], lang) if pd.notna(row["area_ha"]) else ""),
        (t("popup.status", lang), figure(html.escape(label("housing_status", row["status"], lang)), row["as_of"],
                                          row["source"], lang)),
        (t("popup.location", lang), text_cell(row["location"]) if pd.notna(row["location"]) else ""),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}'


def connectivity_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.kind", lang), html.escape(label("connectivity_kind", row["kind"], lang))),
        (t("popup.note", lang), text_cell(row["note"]) if pd.notna(row["note"]) else ""),
        (t("popup.geometry", lang), badge(row["source"], lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}'


