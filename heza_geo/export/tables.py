"""The tables an export writes: public layer frames, the sources list, the indicator table.

Functions from a :class:`~heza_geo.analysis.selection.Selection` to frames. Confidential columns
(``schema.Column.confidential``) never leave here unless the caller asks for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import geopandas as gpd
import pandas as pd

from heza_geo import i18n, schema
from heza_geo.analysis.selection import Selection
from heza_geo.i18n import fmt_area_ha, fmt_date, fmt_percent, label, t
from heza_geo.view import park_name

#: every column some layer marks confidential
CONFIDENTIAL_COLUMNS = frozenset(c.name for layer in schema.LAYERS.values() for c in layer.columns if c.confidential)
#: provenance column -> the figure it vouches for (a ``column.*`` label; ``source`` = the outline)
_PROVENANCE_OF = {
    "stage_source": "stage",
    "area_source": "area_ha",
    "occupancy_source": "occupancy_pct",
    "status_source": "status",
}
_KIND_ORDER = {"report": 0, "news": 1, "approximate": 2, "synthetic demo": 3, "other": 4}


def public(frame: gpd.GeoDataFrame, include_confidential: bool = False) -> gpd.GeoDataFrame:
    """``frame`` without confidential columns (unless ``include_confidential``)."""
    if include_confidential:
        return frame
    return frame.drop(columns=[c for c in frame.columns if c in CONFIDENTIAL_COLUMNS])


def layer_frames(selection: Selection, include_confidential: bool = False,
                 layers: tuple[str, ...] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The selection's layers (the view's, or ``layers``) as they are exported, index reset."""
    chosen = selection.layers() if layers is None else {name: selection.layer(name) for name in layers}
    return {name: public(frame, include_confidential).reset_index(drop=True) for name, frame in chosen.items()}


def source_label(source: str, lang: str, short: bool = False) -> str:
    """A short name of a source: "HEZA report 001 (14/10/2023)" (``short``: without the date),
    "vietnamplus.vn", or the provenance badge of approximate and demo values."""
    kind = schema.provenance_kind(source)
    if kind == "report":
        name = next(n for n in schema.REPORT_FILES if n in source)
        if short:
            return t("export.report_short", lang, number=name[:3])
        return t("export.report_ref", lang, number=name[:3], date=fmt_date(schema.REPORT_FILES[name], lang))
    if kind == "news":
        return source.removeprefix("news:").strip()
    if kind in ("approximate", "synthetic demo"):
        return i18n.badge(source, lang)
    return source


def sources(frames: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per source found in ``frames``: what kind it is, its date, what it covers.

    ``covers`` reads like "Industrial parks: Stage (7), Occupancy (%) (9)": the layer, the figure
    the source vouches for and how many records, in ``lang``.
    """
    covers: dict[str, dict[str, int]] = {}
    for name, frame in frames.items():
        for column in [c for c in frame.columns if c == "source" or c in _PROVENANCE_OF]:
            figure = t("popup.geometry", lang) if column == "source" else label("column", _PROVENANCE_OF[column], lang)
            if column == "source" and name in ("occupancy_history", "berth_status_history"):
                figure = label("layer", name, lang)
            for value, count in frame[column].dropna().astype(str).value_counts().items():
                key = f"{label('layer', name, lang)}: {figure}"
                counts = covers.setdefault(str(value), {})
                counts[key] = counts.get(key, 0) + int(count)
    rows = []
    for source, parts in covers.items():
        kind = schema.provenance_kind(source)
        report = next((n for n in schema.REPORT_FILES if n in source), None)
        rows.append({
            "source": source,
            "kind": i18n.badge(source, lang),
            "date": schema.REPORT_FILES[report] if report else None,
            "covers": "; ".join(f"{k} ({v})" for k, v in parts.items()),
            "_order": (_KIND_ORDER[kind], source),
        })
    if not rows:
        return pd.DataFrame(columns=["source", "kind", "date", "covers"])
    return pd.DataFrame(rows).sort_values("_order").drop(columns="_order").reset_index(drop=True)


def sources_line(frames: Mapping[str, pd.DataFrame], lang: str, max_items: int = 8) -> str:
    """The sources of ``frames`` in one line for a map's footer: HEZA reports first, then the
    others up to ``max_items`` in all, then "+N" (the PDF and data exports list them all)."""
    table = sources(frames, lang)
    labels = list(dict.fromkeys(source_label(s, lang) for s in table["source"]))
    reports = sum(schema.provenance_kind(s) == "report" for s in table["source"])
    shown = labels[: max(max_items, reports)]
    more = len(labels) - len(shown)
    return ", ".join(shown) + (f", +{more}" if more else "")


def indicator_table(parks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The PDF's table: one row per park, every figure as the language writes it.

    Leased and available land come from the plots (synthetic demo), marked ``*``; occupancy keeps
    its as-of date and source.
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
        source = row.get("occupancy_source")
        rows.append({
            "park": park_name(row, lang),
            "stage": label("stage", row["stage"], lang),
            "area": fmt_area_ha(row["area_ha"], lang, 0),
            "leased": fmt_area_ha(row["leased_ha"], lang, 0) if has_plots else i18n.MISSING,
            "available": fmt_area_ha(row["available_ha"], lang, 0) if has_plots else i18n.MISSING,
            "occupancy": fmt_percent(row.get("occupancy_pct"), lang),
            "as_of": fmt_date(row.get("occupancy_as_of"), lang),
            "source": (i18n.MISSING if source is None or pd.isna(source)
                       else source_label(str(source), lang, short=True)),
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
