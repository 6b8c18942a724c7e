"""Checks a frame against its schema and returns typed data, or every problem found.

Validation happens once, where data enters (a file, an upload, a form). A :class:`Problem`
names the file, the layer, the row or feature, the field and what is wrong, on one line.

Numbers must be finite (``inf``, ``Infinity``, ``1e309`` are refused: one reached the public map as
"Leased area ∞ ha") and within the column's range from the schema; every number column has one, and
the messages say it (a value out of range names the bound it passes, a value that is not finite gets
the whole range). Integers beyond ±2^53 are not integers a float can hold and are
refused as such (pandas could not even convert them).

A provenance is checked as a pair (:class:`heza_geo.schema.Provenance`): a kind the schema does not
know, a ``report`` that cites no known report file, ``news`` without its site, an ``approximate``
figure without its method, each one line naming the row and the field.

A date may be given to the year (``2018``) or the month (``2018-05``) where the table has a
precision column: the date becomes the first day of the period and the precision says what is
known. A day given with a coarser precision (``2018-05-13``, ``year``) is refused: one of the two is wrong.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from heza_geo.errors import Problem
from heza_geo.schema import (
    DATE_PRECISION,
    FOREIGN_KEYS,
    HAI_PHONG_BOUNDS,
    UNPLACED,
    WGS84,
    Column,
    LayerSchema,
    Provenance,
    kind_column,
    precision_column,
    written_precision,
)

_MAX_PER_RULE = 20  # a file with 10,000 bad rows gets a readable report, not 10,000 lines


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _show(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bound(value: float) -> str:
    """A range bound as people write it: 5,000 and 0.5 (not 5000.0 or 1e+09)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _range(column: Column) -> str:
    if column.min is None or column.max is None:
        return ""
    return f" (the accepted range is {_bound(column.min)} to {_bound(column.max)})"


def _record_ids(frame: pd.DataFrame, schema: LayerSchema) -> list[str | None]:
    cols = [c for c in schema.id_columns if c in frame.columns]
    if not cols:
        return [None] * len(frame)
    out: list[str | None] = []
    for values in frame[cols].itertuples(index=False):
        parts = [f"{c}={_show(v)}" for c, v in zip(cols, values, strict=True) if not _is_missing(v)]
        out.append(", ".join(parts) or None)
    return out


def _coerce(series: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    """The series as the column's type, and a mask of values that could not be converted."""
    missing = series.map(_is_missing).astype(bool)
    if column.dtype == "str":
        typed = series.map(lambda v: None if _is_missing(v) else str(v).strip()).astype("object")
        return typed, pd.Series(False, index=series.index)
    if column.dtype in ("float", "int"):
        typed = pd.to_numeric(series.where(~missing), errors="coerce").astype("float64")
        bad = typed.isna() & ~missing
        if column.dtype == "int":  # finite, a whole number, and one that int64 and float64 both hold exactly
            whole = np.isfinite(typed) & (typed.abs() <= 2**53)
            whole &= typed.where(whole, 0) % 1 == 0
            bad |= typed.notna() & ~whole
            typed = typed.where(whole).astype("Int64")
        return typed, bad
    if column.dtype == "date":
        typed = pd.to_datetime(series.where(~missing), errors="coerce", format="ISO8601")
        return typed, typed.isna() & ~missing
    if column.dtype == "bool":
        mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
        typed = series.map(lambda v: None if _is_missing(v) else mapping.get(str(v).strip().lower()))
        return typed.astype("boolean"), typed.isna() & ~missing
    raise ValueError(f"unknown dtype {column.dtype!r} for column {column.name!r}")


def _check_crs(frame: gpd.GeoDataFrame, schema: LayerSchema,
               file: str) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    if frame.crs is None:
        return None, [
            Problem(file, schema.name, "no coordinate reference system declared; expected WGS84 (EPSG:4326) "
                    "or a declared projected CRS such as VN-2000 or UTM 48N")
        ]
    try:
        crs = CRS.from_user_input(frame.crs)
    except CRSError as exc:
        return None, [Problem(file, schema.name, f"unreadable coordinate reference system: {exc}")]
    if crs.equals(CRS.from_user_input(WGS84), ignore_axis_order=True):
        return frame, []
    try:
        return frame.to_crs(WGS84), []
    except Exception as exc:  # noqa: BLE001 - pyproj raises several types; all mean "cannot reproject"
        return None, [Problem(file, schema.name, f"cannot reproject from {crs.to_string()} to WGS84: {exc}")]


def _check_geometry(frame: gpd.GeoDataFrame, schema: LayerSchema, file: str, ids: list[str | None]) -> list[Problem]:
    problems: list[Problem] = []
    geoms = frame.geometry.array
    allowed = schema.geometry_types or ()
    minx, miny, maxx, maxy = HAI_PHONG_BOUNDS
    counts: dict[str, int] = {}

    def add(i: int, message: str, rule: str) -> None:
        counts[rule] = counts.get(rule, 0) + 1
        if counts[rule] <= _MAX_PER_RULE:
            problems.append(Problem(file, schema.name, message, i + 1, "geometry", ids[i]))

    quality = frame["geometry_quality"] if "geometry_quality" in frame.columns else pd.Series(None, index=frame.index)
    for i, geom in enumerate(geoms):
        unplaced = quality.iloc[i] == UNPLACED
        if geom is None or geom.is_empty:
            if not (schema.geometry_optional and unplaced):
                add(i, "geometry is missing or empty" + (
                    f" (a record no source places has geometry_quality '{UNPLACED}')" if schema.geometry_optional
                    else ""), "missing")
            continue
        if unplaced:
            add(i, f"has a geometry but its geometry_quality says '{UNPLACED}'", "unplaced")
            continue
        if geom.geom_type not in allowed:
            add(i, f"geometry is a {geom.geom_type}; expected {' or '.join(allowed)}", "type")
            continue
        if not geom.is_valid:
            add(i, f"invalid geometry: {shapely.is_valid_reason(geom)}", "invalid")
            continue
        gx0, gy0, gx1, gy1 = geom.bounds
        if gx0 < minx or gx1 > maxx or gy0 < miny or gy1 > maxy:
            cx, cy = geom.centroid.x, geom.centroid.y
            hint = ""
            if minx <= cy <= maxx and miny <= cx <= maxy:
                hint = " (latitude and longitude look swapped)"
            elif abs(cx) > 180 or abs(cy) > 90:
                hint = " (coordinates look projected in metres but the file declares WGS84: declare its CRS)"
            add(i, f"geometry lies outside Hai Phong (centre {cx:.4f}, {cy:.4f}){hint}", "bounds")
    problems += [
        Problem(file, schema.name, f"... and {n - _MAX_PER_RULE} more geometry problems of the same kind")
        for n in counts.values()
        if n > _MAX_PER_RULE
    ]
    return problems


def validate_frame(
    frame: pd.DataFrame, schema: LayerSchema, file: str = "<memory>"
) -> tuple[pd.DataFrame | gpd.GeoDataFrame | None, list[Problem]]:
    """Check ``frame`` against ``schema``; return the typed frame (WGS84 for layers) and the problems.

    The typed frame is ``None`` when a problem makes it unusable. Columns that the schema does not
    know are kept, so nothing in the input is lost.
    """
    problems: list[Problem] = []
    layer = schema.name
    if not schema.is_table:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
            return None, [Problem(file, layer, "has no geometry; expected " + " or ".join(schema.geometry_types or ()))]
        checked, crs_problems = _check_crs(frame, schema, file)
        if checked is None:
            return None, crs_problems
        frame = checked
    missing_cols = [c.name for c in schema.columns if c.required and c.name not in frame.columns]
    if missing_cols:
        return None, [
            Problem(file, layer, f"missing column '{name}' (the layer needs {', '.join(schema.column_names)})")
            for name in missing_cols
        ]
    frame = frame.reset_index(drop=True).copy()
    ids = _record_ids(frame, schema)
    raw_dates = {c.name: frame[c.name].copy() for c in schema.columns if c.dtype == "date" and c.name in frame}
    unreadable_id = pd.Series(False, index=frame.index)  # an id that is not a valid value is not a duplicate either

    for column in schema.columns:
        if column.name not in frame.columns:
            frame[column.name] = pd.Series([None] * len(frame), dtype="object")
        typed, bad = _coerce(frame[column.name], column)
        if column.name in schema.id_columns:
            unreadable_id |= bad
        missing = frame[column.name].map(_is_missing).astype(bool)
        rules: list[tuple[pd.Series, str]] = [(bad, f"'{{v}}' is not a valid {column.dtype}")]
        if column.dtype == "float":
            infinite = pd.Series(np.isinf(typed.to_numpy()), index=typed.index)
            rules.append((infinite, f"'{{v}}' is not a finite number{_range(column)}"))
            typed = typed.where(~infinite)
        if not column.nullable:
            rules.append((missing, "is empty but required"))
        if column.allowed is not None:
            rules.append((~missing & ~bad & ~typed.isin(column.allowed),
                          f"'{{v}}' is not one of {', '.join(column.allowed)}"))
        if column.min is not None:
            rules.append((~bad & (typed < column.min).fillna(False).astype(bool),
                          f"{{v}} is below the minimum {_bound(column.min)}"))
        if column.max is not None:
            rules.append((~bad & (typed > column.max).fillna(False).astype(bool),
                          f"{{v}} is above the maximum {_bound(column.max)}"))
        for mask, template in rules:
            rows = list(mask[mask].index)
            for i in rows[:_MAX_PER_RULE]:
                value = frame[column.name].iloc[i]
                problems.append(Problem(file, layer, template.format(v=_show(value)), i + 1, column.name, ids[i]))
            if len(rows) > _MAX_PER_RULE:
                problems.append(Problem(file, layer, f"... and {len(rows) - _MAX_PER_RULE} more rows", None,
                                        column.name))
        frame[column.name] = typed

    problems += _check_provenance(frame, schema, file, ids)
    problems += _check_precision(frame, raw_dates, schema, file, ids)

    present_ids = [c for c in schema.id_columns if c in frame.columns]
    dup = frame.duplicated(subset=present_ids, keep="first") if present_ids else pd.Series(False, index=frame.index)
    dup &= ~unreadable_id
    for i in list(dup[dup].index)[:_MAX_PER_RULE]:
        problems.append(Problem(file, layer, f"duplicate id ({ids[i]}) already used by an earlier row", i + 1, None,
                                ids[i]))

    if not schema.is_table and isinstance(frame, gpd.GeoDataFrame):  # always one for a layer (checked above)
        problems += _check_geometry(frame, schema, file, ids)
    return frame, problems


def _check_provenance(frame: pd.DataFrame, schema: LayerSchema, file: str, ids: list[str | None]) -> list[Problem]:
    problems: list[Problem] = []
    for column in schema.provenance_columns:
        kinds, refs = frame[kind_column(column)], frame[column]
        kind_spec = schema.column(kind_column(column))
        found_here: list[Problem] = []
        for i, (kind, ref) in enumerate(zip(kinds, refs, strict=True)):
            if _is_missing(kind) and not kind_spec.nullable:
                continue  # reported as "is empty but required" already
            if not _is_missing(kind) and kind_spec.allowed is not None and kind not in kind_spec.allowed:
                continue  # reported as "is not one of …" already
            found = Provenance.of(kind, ref).problem()
            if found is not None:
                field, message = found
                name = kind_column(column) if field == "kind" else column
                found_here.append(Problem(file, schema.name, message, i + 1, name, ids[i]))
        problems += found_here[:_MAX_PER_RULE]
        if len(found_here) > _MAX_PER_RULE:
            problems.append(Problem(file, schema.name, f"... and {len(found_here) - _MAX_PER_RULE} more rows", None,
                                    column))
    return problems


def _check_precision(frame: pd.DataFrame, raw: dict[str, pd.Series], schema: LayerSchema, file: str,
                     ids: list[str | None]) -> list[Problem]:
    """Fill a missing precision from a date written coarser than a day; refuse the two disagreeing."""
    problems: list[Problem] = []
    names = set(schema.column_names)
    for column, values in raw.items():
        written = values.map(lambda v: None if _is_missing(v) else written_precision(v))
        if precision_column(column) not in names:
            for i in list(written[written.notna()].index)[:_MAX_PER_RULE]:
                problems.append(Problem(file, schema.name, f"'{values.iloc[i]}' is not a full date (YYYY-MM-DD)",
                                        i + 1, column, ids[i]))
            continue
        precision = frame[precision_column(column)]
        given = precision.map(lambda v: None if _is_missing(v) else str(v))
        frame[precision_column(column)] = given.where(given.notna(), written).astype("object")
        mismatched = 0
        for i, (date, stated) in enumerate(zip(frame[column], given, strict=True)):
            if stated not in DATE_PRECISION or pd.isna(date):
                continue
            coarse = {"year": str(date.year), "month": date.strftime("%Y-%m"), "day": date.strftime("%Y-%m-%d")}
            implied = written.iloc[i]
            stored_form = date == pd.Timestamp(coarse[stated])  # the first day of its period
            if (implied is not None and implied != stated) or (implied is None and not stored_form):
                mismatched += 1
                if mismatched <= _MAX_PER_RULE:
                    problems.append(Problem(file, schema.name, f"'{values.iloc[i]}' does not match its precision "
                                            f"'{stated}': give it as {coarse[stated]}", i + 1, column, ids[i]))
        if mismatched > _MAX_PER_RULE:
            problems.append(Problem(file, schema.name, f"... and {mismatched - _MAX_PER_RULE} more rows", None, column))
    return problems


def check_references(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Foreign keys across layers: a plot's park must exist, a history row's berth must exist, ..."""
    problems: list[Problem] = []
    for (layer, column), (target, target_column) in FOREIGN_KEYS.items():
        if layer not in frames or target not in frames:
            continue
        frame = frames[layer]
        known = set(frames[target][target_column].dropna())
        values = frame[column]
        unknown = values.notna() & ~values.isin(known)
        for i in list(unknown[unknown].index)[:_MAX_PER_RULE]:
            problems.append(
                Problem(files.get(layer, layer), layer,
                        f"'{values.iloc[i]}' is not a known {target_column} of layer '{target}'", i + 1, column)
            )
    hist = frames.get("occupancy_history")
    if hist is not None:
        for i in hist.index[(hist["scope"] == "park") & hist["park_id"].isna()][:_MAX_PER_RULE]:
            problems.append(Problem(files.get("occupancy_history", ""), "occupancy_history",
                                    "a row of scope 'park' needs a park_id", i + 1, "park_id"))
    return problems
