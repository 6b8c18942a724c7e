"""Occupancy by park: the table staff sort and compare, and the reference lines they judge it by.

Two occupancy figures per park, never mixed: ``occupancy_pct`` is the park's figure in
``occupancy_history`` (reported by HEZA, or a demo value where no figure exists, see
``occupancy_basis``); ``plots_occupancy_pct`` is what the plots add up to, and the plots are
synthetic demo data. Leasable, leased and available land also come from the plots; land not yet
handed over (``not_handed_over_ha``) is counted apart, neither leasable nor available.

The reference lines are the city's average occupancy (each figure of scope ``city`` in
``occupancy_history``) and the 60% threshold of Decree 35/2022, art. 9(6): a new park may be
proposed only when the city's average occupancy is at least 60% (quoted in report 002, so its
provenance is that report: :data:`THRESHOLD`).

Every park is in the table, those no source places too (``placed`` False: no outline, so no plots:
their land columns are empty, never 0), with its region (``province_before_2025``: east = old Hải
Phòng, west = former Hải Dương) and its former district.

Every source column keeps its kind beside it (``occupancy_source_kind``, ``land_source_kind``…,
see :func:`heza_geo.schema.kind_column`), and every date its precision.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from heza_geo import i18n, styling
from heza_geo.analysis.indicators import placed
from heza_geo.analysis.joins import city_occupancy
from heza_geo.schema import PARK_STAGE, REPORT, SYNTHETIC, Provenance, kind_column, precision_column

#: Decree 35/2022/NĐ-CP art. 9(6), as report 002 quotes it
NEW_PARK_THRESHOLD_PCT = 60.0
THRESHOLD_SOURCE = "002_03c113ee68876e37.txt"
#: the threshold's provenance: report 002, which quotes the decree
THRESHOLD = Provenance(REPORT, THRESHOLD_SOURCE)

TABLE_COLUMNS = (
    "park_id",
    "name_vi",
    "name_en",
    "name_short",
    "province_before_2025",
    "district",
    "placed",
    "status",
    "stage",
    "stage_source_kind",
    "stage_source",
    "area_ha",
    "area_source_kind",
    "area_source",
    "leasable_ha",
    "leased_ha",
    "available_ha",
    "not_handed_over_ha",
    "land_source_kind",
    "land_source",
    "occupancy_pct",
    "occupancy_as_of",
    "occupancy_as_of_precision",
    "occupancy_basis",
    "occupancy_source_kind",
    "occupancy_source",
    "plots_occupancy_pct",
)
#: the land columns summed from the plots: empty for a park without plots
LAND_COLUMNS = ("leasable_ha", "leased_ha", "available_ha", "not_handed_over_ha")


def occupancy_table(overview: pd.DataFrame) -> pd.DataFrame:
    """One row per park of ``overview`` (from :func:`heza_geo.analysis.joins.parks_overview`), fullest first.

    Parks without an occupancy figure (planned ones) come last, in name order. The land figures
    (:data:`LAND_COLUMNS`) add up the plots: their provenance ``land_source_kind`` is ``synthetic
    demo`` (``land_source``, the reference, is empty) for parks with plots, and both are empty for
    parks without (no land figures, rather than zeros).
    """
    table = pd.DataFrame(overview.drop(columns=overview.geometry.name, errors="ignore")).copy()
    table["placed"] = placed(overview).to_numpy() if isinstance(overview, gpd.GeoDataFrame) else True
    if "name_short" not in table.columns:
        table["name_short"] = None
    has_plots = table["plots"].fillna(0) > 0
    table[kind_column("land_source")] = pd.Series(SYNTHETIC, index=table.index, dtype=object).where(has_plots, None)
    table["land_source"] = pd.Series(None, index=table.index, dtype=object)
    for column in LAND_COLUMNS:
        table[column] = table[column].where(has_plots)
    table = table.sort_values(["occupancy_pct", "name_vi"], ascending=[False, True], na_position="last")
    return table.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


def reference_lines(history: pd.DataFrame) -> pd.DataFrame:
    """The horizontal lines of the occupancy chart: each city average figure, then the 60% threshold.

    Columns: ``kind`` (``city_average`` or ``threshold``), ``occupancy_pct``, ``as_of``,
    ``as_of_precision``, ``basis``, ``source_kind`` and ``source``; the threshold is a rule and has
    no date, and its provenance is :data:`THRESHOLD`.
    """
    precision, source_kind = precision_column("as_of"), kind_column("source")
    city = history[history["scope"] == "city"].sort_values("as_of", kind="mergesort")
    rows = [
        {"kind": "city_average", "occupancy_pct": float(r["occupancy_pct"]), "as_of": r["as_of"],
         precision: r.get(precision), "basis": r["basis"], source_kind: r.get(source_kind), "source": r["source"]}
        for _, r in city.iterrows()
    ]
    rows.append({"kind": "threshold", "occupancy_pct": NEW_PARK_THRESHOLD_PCT, "as_of": pd.NaT, precision: None,
                 "basis": "reported", source_kind: THRESHOLD.kind, "source": THRESHOLD.ref})
    frame = pd.DataFrame(rows, columns=["kind", "occupancy_pct", "as_of", precision, "basis", source_kind, "source"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def city_meets_threshold(history: pd.DataFrame, as_of: date | str | None = None) -> bool | None:
    """Whether the latest city average (on or before ``as_of``) reaches the 60% threshold;
    ``None`` when there is no city figure."""
    latest = city_occupancy(history, as_of)
    return None if latest is None else bool(latest["occupancy_pct"] >= NEW_PARK_THRESHOLD_PCT)


def occupancy_over_time(history: pd.DataFrame, park_ids: list[str] | None = None) -> pd.DataFrame:
    """Every park figure of ``occupancy_history`` (for ``park_ids``, default all), by park and date,
    with ``is_demo`` telling synthetic demo points (by their basis or their provenance) from
    reported and estimated ones."""
    rows = history[history["scope"] == "park"]
    if park_ids is not None:
        rows = rows[rows["park_id"].isin(park_ids)]
    rows = rows.sort_values(["park_id", "as_of"], kind="mergesort").reset_index(drop=True)
    kinds = rows[kind_column("source")] if kind_column("source") in rows else pd.Series(None, index=rows.index)
    return rows.assign(is_demo=(rows["basis"] == SYNTHETIC) | (kinds == SYNTHETIC))


def colour_classes(table: pd.DataFrame, colour_by: str, lang: str) -> tuple[pd.Series, list[tuple[str, str]]]:
    """The legend class of each park's bar and the ``(class, colour)`` pairs, colours from :mod:`styling`.

    ``colour_by`` is ``occupancy`` (the map's occupancy classes, on ``occupancy_pct``) or ``stage``.
    """
    if colour_by == "stage":
        pairs = [(i18n.label("stage", s, lang), styling.STAGE_COLOURS[s]) for s in PARK_STAGE]
        classes = table["stage"].map(lambda s: i18n.label("stage", s, lang))
    elif colour_by == "occupancy":
        bounds = styling.occupancy_class_labels()
        names = [f"{i18n.fmt_number(lo, lang, 0)}–{i18n.fmt_percent(hi, lang, 0)}" for lo, hi, _ in bounds]
        pairs = [(name, colour) for name, (_, _, colour) in zip(names, bounds, strict=True)]
        no_data = i18n.t("legend.no_data", lang)
        pairs.append((no_data, styling.NO_DATA_COLOUR))

        def which(pct: Any) -> str:
            if pct is None or pd.isna(pct):
                return no_data
            colour = styling.occupancy_colour(float(pct))
            return next(name for name, c in pairs if c == colour)

        classes = table["occupancy_pct"].map(which)
    else:
        raise ValueError(f"colour_by must be 'occupancy' or 'stage', got {colour_by!r}")
    used = set(classes)
    return classes, [(name, colour) for name, colour in pairs if name in used]
