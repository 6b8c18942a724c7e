"""The tables an export writes: public layer frames, the investor's tables of the exported parks, the
sources list, the indicator table.

Functions from a :class:`~heza_geo.analysis.selection.Selection` to frames. Confidential columns
(``schema.Column.confidential``) never leave here unless the caller asks for them. A provenance is
read from its kind column (``source_kind`` beside ``source``, ``area_source_kind`` beside
``area_source``: :func:`heza_geo.schema.provenance_of`), never guessed from its reference, and an
exported frame keeps each kind column just before its reference and each date's precision just
after the date.

The references are the store's (a report's file, ``001_7f014fdbc8afe3e1.txt``): scripts and the
imports read them. Whatever a reader sees names a source as :func:`heza_geo.analysis.sources.source_name`
does ("HEZA report of 14 Oct 2023 (Oct 2023 review)"): the ``named`` column of :func:`sources`, the
sources line of a map's footer, the PDF's list and tables (issue 16).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from heza_geo import i18n, schema
from heza_geo.analysis.selection import Selection
from heza_geo.analysis.sources import source_name
from heza_geo.i18n import fmt_area_ha, fmt_date, fmt_percent, label, t
from heza_geo.io import Dataset
from heza_geo.schema import NEWS, NO_SOURCE, REPORT, Provenance, kind_column, precision_column, provenances
from heza_geo.view import park_name

#: a layer's frame (a GeoDataFrame) or a table's (a DataFrame): what the helpers below give back is what they get
FrameT = TypeVar("FrameT", bound=pd.DataFrame)
#: every column some layer marks confidential
CONFIDENTIAL_COLUMNS = frozenset(c.name for layer in schema.LAYERS.values() for c in layer.columns if c.confidential)
#: provenance column -> the figure it vouches for (a ``column.*`` label; ``source`` = the outline)
_PROVENANCE_OF = {
    "stage_source": "stage",
    "area_source": "area_ha",
    "occupancy_source": "occupancy_pct",
    "status_source": "status",
}
#: the order of the sources table: HEZA reports first, then news, approximations, demo data
_KIND_ORDER = {kind: i for i, kind in enumerate((*schema.PROVENANCE_KINDS, NO_SOURCE))}
#: the columns of :func:`sources`: the provenance (its kind beside its reference, as in the layers),
#: the source as a reader names it, the kind's badge in the reader's language, the report's date
#: (its day, as the store keeps it), what the source vouches for
SOURCES_COLUMNS = ["source_kind", "source", "named", "kind", "date", "covers"]


def public(frame: FrameT, include_confidential: bool = False) -> FrameT:
    """``frame`` without confidential columns (unless ``include_confidential``)."""
    if include_confidential:
        return frame
    return frame.drop(columns=[c for c in frame.columns if c in CONFIDENTIAL_COLUMNS])


def _paired(frame: FrameT) -> FrameT:
    """``frame`` with each kind column just before its reference (``source_kind``, ``source``) and
    each precision column just after its date (``occupancy_as_of``, ``occupancy_as_of_precision``)."""
    moved = {kind_column(c) for c in frame.columns if kind_column(c) in frame.columns}
    moved |= {precision_column(c) for c in frame.columns if precision_column(c) in frame.columns}
    order: list[str] = []
    for column in frame.columns:
        if column in moved:
            continue
        order += [kind_column(column)] if kind_column(column) in moved else []
        order.append(column)
        order += [precision_column(column)] if precision_column(column) in moved else []
    order += [c for c in frame.columns if c not in order]  # a pair whose partner is itself moved
    return frame if order == list(frame.columns) else frame[order]


def layer_frames(selection: Selection, include_confidential: bool = False,
                 layers: tuple[str, ...] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The selection's layers (the view's, or ``layers``) as they are exported, index reset, each
    provenance's kind beside its reference."""
    chosen = selection.layers() if layers is None else {name: selection.layer(name) for name in layers}
    return {name: _paired(public(frame, include_confidential)).reset_index(drop=True)
            for name, frame in chosen.items()}


#: the investor's tables a data export adds to its parks (:func:`investor_tables`), in this order
INVESTOR_TABLES = ("passports", "contacts", "incentives")


def investor_tables(data: Dataset, parks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The investor's tables of the exported ``parks``: their passports, their contacts and HEZA's desk (a
    contact with no park is every park's), and the incentives of their zones and those written for every park
    of a regime they belong to (an economic zone's, or the parks' outside any zone). All public: none holds a
    confidential column, and each keeps its kind beside its reference like the layers.

    Parameters
    ----------
    data
        The dataset the export is made of.
    parks
        The exported parks (a ``park_id`` and a ``zone_id`` column).
    """
    chosen, zones = set(parks["park_id"]), set(parks["zone_id"].dropna())
    regimes = {"economic_zone"} if zones else set()
    regimes |= {"industrial_park"} if parks["zone_id"].isna().any() else set()
    contacts, incentives = data.contacts, data.incentives
    frames = {
        "passports": data.passports[data.passports["park_id"].isin(chosen)],
        "contacts": contacts[contacts["park_id"].isin(chosen) | contacts["park_id"].isna()],
        "incentives": incentives[incentives["zone_id"].isin(zones)
                                 | (incentives["zone_id"].isna() & incentives["regime"].isin(regimes))],
    }
    return {name: _paired(public(frame)).reset_index(drop=True) for name, frame in frames.items()}


def source_label(p: Provenance, lang: str, short: bool = False) -> str:
    """A provenance where space is short (a table's cell, a map's footer): a report or news as a reader
    names it (:func:`heza_geo.analysis.sources.source_name`: "HEZA report of 14/10/2023 (Oct 2023
    review)", "vietnamplus.vn 20/07/2025"; ``short``: a report by its number alone, "HEZA report 001"),
    or the badge of an approximate or demo value (by its kind: an approximation whose method cites a
    report is still an approximation, and its method is too long for a cell); :data:`heza_geo.i18n.MISSING`
    for no provenance."""
    if p.kind == REPORT and p.report_date is not None:
        return t("export.report_short", lang, number=p.short) if short else source_name(p, lang)
    if p.kind == NEWS and p.ref:
        return source_name(p, lang)
    if p.kind == NO_SOURCE:
        return source_name(p, lang) or i18n.MISSING
    return i18n.badge(p, lang)


def _source_columns(frame: pd.DataFrame) -> list[str]:
    """The reference columns of ``frame``'s provenances: ``source``, the figures' own, any with a kind."""
    return [c for c in frame.columns if c == "source" or c in _PROVENANCE_OF or kind_column(c) in frame.columns]


def _provenance_counts(frame: pd.DataFrame, column: str) -> dict[Provenance, int]:
    """How many records of ``frame`` have each provenance in ``column`` (none: left out)."""
    pairs = pd.DataFrame({"kind": frame.get(kind_column(column)),
                          "ref": frame[column]}, index=frame.index).astype(object)
    counts: dict[Provenance, int] = {}
    tally = pairs.where(pairs.notna(), "").value_counts(sort=False)
    for (kind, ref), count in zip(tally.index.tolist(), tally.tolist(), strict=True):
        p = Provenance.of(kind, ref)
        if p != Provenance(NO_SOURCE):
            counts[p] = counts.get(p, 0) + int(count)
    return counts


def sources(frames: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per provenance found in ``frames``: its kind and reference, its name for a reader, the
    kind's badge, the report's date, what it covers (:data:`SOURCES_COLUMNS`).

    ``covers`` reads like "Industrial parks: Stage (7), Occupancy (%) (9)": the layer, the figure
    the source vouches for and how many records, in ``lang``. A figure with no source (a planned
    park's stage) is left out.
    """
    covers: dict[Provenance, dict[str, int]] = {}
    for name, frame in frames.items():
        for column in _source_columns(frame):
            figure = (t("popup.geometry", lang) if column == "source"
                      else label("column", _PROVENANCE_OF.get(column, column), lang))
            if column == "source" and name in ("occupancy_history", "berth_status_history"):
                figure = label("layer", name, lang)
            key = f"{label('layer', name, lang)}: {figure}"
            for p, count in _provenance_counts(frame, column).items():
                counts = covers.setdefault(p, {})
                counts[key] = counts.get(key, 0) + count
    rows = [{
        "source_kind": p.kind,
        "source": p.ref or None,
        "named": source_name(p, lang) or None,
        "kind": i18n.badge(p, lang),
        "date": p.report_date,
        "covers": "; ".join(f"{k} ({v})" for k, v in parts.items()),
        "_order": (_KIND_ORDER.get(p.kind, len(_KIND_ORDER)), p.ref),
    } for p, parts in covers.items()]
    table = (pd.DataFrame(rows).sort_values("_order").drop(columns="_order").reset_index(drop=True) if rows
             else pd.DataFrame(columns=SOURCES_COLUMNS))
    return table


def sources_line(frames: Mapping[str, pd.DataFrame], lang: str, max_items: int = 8) -> str:
    """The sources of ``frames`` in one line for a map's footer: HEZA reports first, then the
    others up to ``max_items`` in all, then "+N" (the PDF and data exports list them all)."""
    table = sources(frames, lang)
    labels = list(dict.fromkeys(source_label(p, lang) for p in provenances(table)))
    reports = int((table["source_kind"] == REPORT).sum())
    shown = labels[: max(max_items, reports)]
    more = len(labels) - len(shown)
    return ", ".join(shown) + (f", +{more}" if more else "")


def indicator_table(parks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The PDF's table: one row per park, every figure as the language writes it.

    Leased and available land come from the plots (synthetic demo), marked ``*``; occupancy keeps
    its as-of date (as precisely as it is known) and source.
    """
    columns = {
        "park": t("popup.park", lang),
        "stage": t("popup.stage", lang),
        "area": t("popup.area", lang),
        "leased": t("popup.leased", lang) + " *",
        "available": t("popup.available", lang) + " *",
        "occupancy": t("popup.occupancy", lang),
        "as_of": t("export.as_of", lang),
        "source": t("column.source", lang),
    }
    rows = []
    for _, row in parks.iterrows():
        has_plots = bool(row.get("plots", 0))
        rows.append({
            "park": park_name(row, lang),
            "stage": label("stage", row["stage"], lang),
            "area": fmt_area_ha(row["area_ha"], lang, 0),
            "leased": fmt_area_ha(row["leased_ha"], lang, 0) if has_plots else i18n.MISSING,
            "available": fmt_area_ha(row["available_ha"], lang, 0) if has_plots else i18n.MISSING,
            "occupancy": fmt_percent(row.get("occupancy_pct"), lang),
            "as_of": fmt_date(row.get("occupancy_as_of"), lang, row.get(precision_column("occupancy_as_of"))),
            "source": source_label(schema.provenance_of(row, "occupancy_source"), lang, short=True),
        })
    return pd.DataFrame(rows, columns=list(columns)).rename(columns=columns)


def totals_row(parks: pd.DataFrame, lang: str) -> dict[str, str]:
    """The table's last line: the selection's declared, leased and available area."""
    return {
        "park": t("export.total", lang, n=i18n.fmt_number(len(parks), lang, 0)),
        "area": fmt_area_ha(parks["area_ha"].sum(), lang, 0),
        "leased": fmt_area_ha(parks["leased_ha"].sum(), lang, 0),
        "available": fmt_area_ha(parks["available_ha"].sum(), lang, 0),
    }


def filters_line(selection: Selection, zone_names: dict[str, str]) -> str:
    """The filters in words ("District: Hải An · Stage: Basically full"); empty when none is set."""
    lang = selection.view.lang
    f = selection.filters
    parts = []
    # (catalog key, the values chosen, how a value reads)
    chosen: tuple[tuple[str, tuple[str, ...], Callable[[str], str]], ...] = (
        ("filter.region", f.regions, lambda v: label("province", v, lang)),
        ("filter.zone", f.zones, lambda v: zone_names.get(v, v)),
        ("filter.district", f.districts, str),
        ("filter.park", f.parks, lambda v: selection.park_names.get(v, v)),
        ("filter.stage", f.stages, lambda v: label("stage", v, lang)),
        ("filter.plot_status", f.plot_statuses, lambda v: label("plot_status", v, lang)),
        ("filter.sector", f.sectors, lambda v: label("sector", v, lang)),
    )
    for key, values, show in chosen:
        if values:
            parts.append(f"{t(key, lang)}: {', '.join(show(v) for v in values)}")
    if f.min_available_ha:
        parts.append(f"{t('filter.min_available_ha', lang)}: {fmt_area_ha(f.min_available_ha, lang, None)}")
    return " · ".join(parts)


def today() -> date:
    return date.today()
