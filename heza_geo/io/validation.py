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

Every problem of a frame is found in one pass: a missing column is reported and read as empty, so
the rows are still checked, each rule on the columns the file has; the problems come file-wide
first, then row by row (:func:`sort_problems`), and the frame is refused (None) when a column is missing.

Coordinates beyond longitude ±180 or latitude ±90 are out of range and said so, row by row, with
the likely cause when it can be told: latitude and longitude swapped (read the other way round the
feature lies in Hai Phong), or metres (both numbers beyond 1,000, as in every projected system used
in Vietnam) in a file that declares degrees. A longitude of 206 is neither: it is a typing slip.

Some layers have rules across their columns (:data:`_LAYER_RULES`). A park's passport: each group of
figures (land, utilities, planning: :data:`heza_geo.schema.PASSPORT_FIELDS`) with any figure says its
date and the kind of its source (a group with none may say neither), the lowest lease price is not
above the highest, the free water and wastewater capacity not above the capacity, the permitted
sectors are the schema's (``;``-separated), and a ready-by date goes with infrastructure under way
only. A contact's e-mail, phone, website and languages (ISO 639-1, ``;``-separated) have their shapes;
a **synthetic demo contact carries no phone and only an e-mail at a domain reserved by RFC 2606/6761**
(example.com/.net/.org, ``*.example``, ``*.invalid``, ``*.test``), so a demo can never reach anyone;
a developer's sales contact names its park. An incentive is written in at least one language.

Each problem is a message key with parameters (:func:`problem`); its English text comes from the
catalog, so a new rule is written in every language or the catalog tests fail. A file refused before
it is read (:class:`~heza_geo.errors.ReadError`, :class:`~heza_geo.errors.UnsafeFile`) is refused the
same way (:func:`refusal`), and becomes a problem with its key (:func:`refusal_problem`). What an
import tells without refusing (a column ignored, the coordinate system assumed) is a note
(:func:`note`), a catalog message too.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from babel import Locale
from pyproj import CRS
from pyproj.exceptions import CRSError

from heza_geo import i18n
from heza_geo.config import LANGUAGES
from heza_geo.errors import Note, Problem, ReadError, UnsafeFile
from heza_geo.io.crs import METRES_FROM
from heza_geo.schema import (
    DATE_PRECISION,
    FOREIGN_KEYS,
    HAI_PHONG_BOUNDS,
    PASSPORT_FIELDS,
    SECTORS,
    SYNTHETIC,
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
#: the keys of "... and N more" lines, listed after the rows they follow
MORE_KEYS = frozenset({"problem.more_rows", "problem.more_geometry", "problem.more_legacy",
                       "problem.more_vertices", "problem.more_formulas"})


#: the problem of a value that is not of its column's type, by type (text is always text)
_NOT_A = {"float": "problem.not_float", "int": "problem.not_int", "date": "problem.not_date",
          "bool": "problem.not_bool", "str": "problem.not_str"}


def problem(file: str, layer: str, key: str, row: int | None = None, field: str | None = None,
            record_id: str | None = None, **params: object) -> Problem:
    """A :class:`Problem` saying the catalog message ``key`` with ``params`` (text, numbers already
    formatted); its English ``message`` is the English catalog's text.

    >>> str(problem("parks.csv", "parks", "problem.empty_required", 2, "name_vi"))
    "parks.csv, layer 'parks', row 2, field 'name_vi': is empty but required"
    """
    return _keyed(file, layer, key, row, field, record_id, params)


def _keyed(file: str, layer: str, key: str, row: int | None, field: str | None, record_id: str | None,
           params: Mapping[str, object]) -> Problem:
    """:func:`problem`, its parameters in a mapping (a refusal's may be named as the problem's fields are)."""
    texts = _texts(params)
    return Problem(file, layer, i18n.keyed_text(key, texts, "en"), row, field, record_id, key, texts)


def _texts(params: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """A message's parameters as a problem, a note or a refusal keeps them: each as text."""
    return tuple((name, str(value)) for name, value in params.items())


def note(key: str, **params: object) -> Note:
    """A :class:`~heza_geo.errors.Note` saying the catalog message ``key`` with ``params`` (text, numbers
    already formatted; provenance kinds as codes, see :func:`heza_geo.i18n.problem_text`); its text
    (the ``str`` the command line prints) is the English catalog's.

    >>> found = note("note.columns_ignored", layer="plots", columns="colour, owner")
    >>> str(found), found.key
    ("columns not in the 'plots' schema are ignored: colour, owner", 'note.columns_ignored')
    """
    texts = _texts(params)
    return Note(i18n.keyed_text(key, texts, "en"), key, texts)


#: a refusal of a file before it is read
Refusal = TypeVar("Refusal", ReadError, UnsafeFile)


def refusal(error: type[Refusal], key: str, **params: object) -> Refusal:
    """``error`` saying the catalog message ``key`` with ``params``: its ``str()`` is the English text
    (for the command line and the logs), its ``key`` and ``params`` say it in a page's language.

    >>> refused = refusal(UnsafeFile, "problem.too_big", size="60.0", cap=50)
    >>> str(refused), refused.key, refused.params
    ('is 60.0 MB; uploads are limited to 50 MB', 'problem.too_big', (('size', '60.0'), ('cap', '50')))
    """
    texts = _texts(params)
    return error(i18n.keyed_text(key, texts, "en"), key=key, params=texts)


def refusal_problem(file: str, layer: str, error: Exception) -> Problem:
    """The problem a refusal (:func:`refusal`) of ``file`` says: its key and parameters, so a page
    shows it in its reader's language. An error without a key (a library's, a ValueError) says
    ``problem.read`` with its first line as the ``library`` parameter, shown as English (see
    :class:`~heza_geo.errors.Problem`).

    >>> str(refusal_problem("p.gpkg", "plots", refusal(ReadError, "problem.not_gpkg")))
    "p.gpkg, layer 'plots': is not a GeoPackage (not an SQLite file)"
    """
    if isinstance(error, (ReadError, UnsafeFile)) and error.key:
        return _keyed(file, layer, error.key, None, None, None, dict(error.params))
    return problem(file, layer, "problem.read", library=first_line(error))


def first_line(error: BaseException) -> str:
    """A library's reason as a problem's ``library`` parameter gives it: the first line of its error
    (or the error's type, when it says nothing).

    >>> first_line(ValueError("bad ring\\n  at line 3")), first_line(EOFError())
    ('bad ring', 'EOFError')
    """
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File-wide problems (columns, coordinate system) first, then by row; within a row, in the order
    found; each "... and N more" line after the rows it follows."""
    def order(found: Problem) -> tuple[int, int]:
        if found.key in MORE_KEYS:
            return 2, 0
        return (0, 0) if found.row is None else (1, found.row)
    return sorted(problems, key=order)


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
        return None, [problem(file, schema.name, "problem.no_crs")]
    try:
        crs = CRS.from_user_input(frame.crs)
    except CRSError as exc:
        return None, [problem(file, schema.name, "problem.unreadable_crs", library=exc)]
    if crs.equals(CRS.from_user_input(WGS84), ignore_axis_order=True):
        return frame, []
    try:
        return frame.to_crs(WGS84), []
    except Exception as exc:  # noqa: BLE001 - pyproj raises several types; all mean "cannot reproject"
        return None, [problem(file, schema.name, "problem.cannot_reproject", crs=crs.to_string(),
                              library=exc)]


def _check_geometry(frame: gpd.GeoDataFrame, schema: LayerSchema, file: str, ids: list[str | None]) -> list[Problem]:
    problems: list[Problem] = []
    geoms = frame.geometry.array
    allowed = schema.geometry_types or ()
    minx, miny, maxx, maxy = HAI_PHONG_BOUNDS
    counts: dict[str, int] = {}

    def add(i: int, key: str, rule: str, **params: object) -> None:
        counts[rule] = counts.get(rule, 0) + 1
        if counts[rule] <= _MAX_PER_RULE:
            problems.append(problem(file, schema.name, key, i + 1, "geometry", ids[i], **params))

    quality = frame["geometry_quality"] if "geometry_quality" in frame.columns else pd.Series(None, index=frame.index)
    for i, geom in enumerate(geoms):
        unplaced = quality.iloc[i] == UNPLACED
        if geom is None or geom.is_empty:
            if schema.geometry_optional:
                if not unplaced:
                    add(i, "problem.geometry_missing_unplaced", "missing", unplaced=UNPLACED)
            else:
                add(i, "problem.geometry_missing", "missing")
            continue
        if unplaced:
            add(i, "problem.geometry_but_unplaced", "unplaced", unplaced=UNPLACED)
            continue
        if geom.geom_type not in allowed:
            add(i, "problem.geometry_type", "type", found=geom.geom_type, expected=" / ".join(allowed))
            continue
        if not geom.is_valid:
            add(i, "problem.invalid_geometry", "invalid", library=shapely.is_valid_reason(geom))
            continue
        gx0, gy0, gx1, gy1 = geom.bounds
        if gx0 < minx or gx1 > maxx or gy0 < miny or gy1 > maxy:
            cx, cy = geom.centroid.x, geom.centroid.y
            where = {"x": f"{cx:.4f}", "y": f"{cy:.4f}"}
            swapped = minx <= cy <= maxx and miny <= cx <= maxy
            if min(abs(gx0), abs(gx1)) >= METRES_FROM and min(abs(gy0), abs(gy1)) >= METRES_FROM:
                add(i, "problem.metres_in_degrees", "bounds", **where)
            elif max(abs(gx0), abs(gx1)) > 180 or max(abs(gy0), abs(gy1)) > 90:
                add(i, "problem.out_of_range_swapped" if swapped else "problem.out_of_range", "bounds", **where)
            else:
                add(i, "problem.outside_swapped" if swapped else "problem.outside", "bounds", **where)
    problems += [problem(file, schema.name, "problem.more_geometry", n=n - _MAX_PER_RULE)
                 for n in counts.values() if n > _MAX_PER_RULE]
    return problems


def validate_frame(
    frame: pd.DataFrame, schema: LayerSchema, file: str = "<memory>", partial: bool = False
) -> tuple[pd.DataFrame | gpd.GeoDataFrame | None, list[Problem]]:
    """Check ``frame`` against ``schema``; return the typed frame (WGS84 for layers) and every problem,
    file-wide ones first, then by row (:func:`sort_problems`).

    The typed frame is ``None`` when a problem makes it unusable: no geometry, a coordinate system that
    cannot be read, a missing column (whose rows are checked all the same, the column read as empty).
    With ``partial`` a frame missing a column is returned all the same, for checks that follow (the
    importer's references to the store); its problems still say the column is missing.
    Columns that the schema does not know are kept, so nothing in the input is lost.
    """
    typed, problems, complete = _validate(frame, schema, file)
    return (typed if complete or partial else None), sort_problems(problems)


def _validate(frame: pd.DataFrame, schema: LayerSchema,
              file: str) -> tuple[pd.DataFrame | gpd.GeoDataFrame | None, list[Problem], bool]:
    """:func:`validate_frame`'s work: the typed frame (None if unusable), the problems, and whether
    every required column was there."""
    problems: list[Problem] = []
    layer = schema.name
    if not schema.is_table:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
            return None, [problem(file, layer, "problem.no_geometry",
                                  expected=" / ".join(schema.geometry_types or ()))], False
        checked, crs_problems = _check_crs(frame, schema, file)
        if checked is None:
            return None, crs_problems, False
        frame = checked
    missing_cols = [c.name for c in schema.columns if c.required and c.name not in frame.columns]
    if len(missing_cols) == 1:  # one problem for the columns a file lacks, however many: the list of all once
        problems.append(problem(file, layer, "problem.missing_column", column=missing_cols[0],
                                columns=", ".join(schema.column_names)))
    elif missing_cols:
        problems.append(problem(file, layer, "problem.missing_columns", n=len(missing_cols),
                                missing=", ".join(f"'{name}'" for name in missing_cols),
                                columns=", ".join(schema.column_names)))
    frame = frame.reset_index(drop=True).copy()
    ids = _record_ids(frame, schema)
    layer_rules = _LAYER_RULES.get(layer)
    raw = frame.copy() if layer_rules is not None else frame  # the values as written, for the layer's rules
    raw_dates = {c.name: frame[c.name].copy() for c in schema.columns if c.dtype == "date" and c.name in frame}
    unreadable_id = pd.Series(False, index=frame.index)  # an id that is not a valid value is not a duplicate either

    for column in schema.columns:
        if column.name not in frame.columns:
            frame[column.name] = pd.Series([None] * len(frame), dtype="object")
        typed, bad = _coerce(frame[column.name], column)
        if column.name in schema.id_columns:
            unreadable_id |= bad
        missing = frame[column.name].map(_is_missing).astype(bool)
        rules: list[tuple[pd.Series, str, dict[str, str]]] = [(bad, _NOT_A[column.dtype], {})]
        if column.dtype == "float":
            infinite = pd.Series(np.isinf(typed.to_numpy()), index=typed.index)
            if column.min is None or column.max is None:
                rules.append((infinite, "problem.not_finite", {}))
            else:
                rules.append((infinite, "problem.not_finite_in_range",
                              {"min": _bound(column.min), "max": _bound(column.max)}))
            typed = typed.where(~infinite)
        if not column.nullable and column.name not in missing_cols:  # a missing column is said once, above
            rules.append((missing, "problem.empty_required", {}))
        if column.allowed is not None:
            rules.append((~missing & ~bad & ~typed.isin(column.allowed), "problem.not_allowed",
                          {"allowed": ", ".join(column.allowed)}))
        if column.min is not None:
            rules.append((~bad & (typed < column.min).fillna(False).astype(bool), "problem.below_min",
                          {"min": _bound(column.min)}))
        if column.max is not None:
            rules.append((~bad & (typed > column.max).fillna(False).astype(bool), "problem.above_max",
                          {"max": _bound(column.max)}))
        for mask, key, params in rules:
            rows = list(mask[mask].index)
            for i in rows[:_MAX_PER_RULE]:
                value = _show(frame[column.name].iloc[i])
                problems.append(problem(file, layer, key, i + 1, column.name, ids[i], value=value, **params))
            if len(rows) > _MAX_PER_RULE:
                problems.append(problem(file, layer, "problem.more_rows", None, column.name,
                                        n=len(rows) - _MAX_PER_RULE))
        frame[column.name] = typed

    problems += _check_provenance(frame, schema, file, ids, set(missing_cols))
    problems += _check_precision(frame, raw_dates, schema, file, ids)
    if layer_rules is not None:
        problems += _capped(layer_rules(frame, raw, ids, _Say(file, layer)))

    present_ids = [c for c in schema.id_columns if c in frame.columns and c not in missing_cols]
    dup = frame.duplicated(subset=present_ids, keep="first") if present_ids else pd.Series(False, index=frame.index)
    dup &= ~unreadable_id
    for i in list(dup[dup].index)[:_MAX_PER_RULE]:
        problems.append(problem(file, layer, "problem.duplicate_id", i + 1, None, ids[i], id=ids[i]))

    if not schema.is_table and isinstance(frame, gpd.GeoDataFrame):  # always one for a layer (checked above)
        problems += _check_geometry(frame, schema, file, ids)
    return frame, problems, not missing_cols


def _check_provenance(frame: pd.DataFrame, schema: LayerSchema, file: str, ids: list[str | None],
                      missing: set[str]) -> list[Problem]:
    """Each provenance pair as one (see the module docstring); a pair with a missing column is not checked."""
    problems: list[Problem] = []
    for column in schema.provenance_columns:
        if column in missing or kind_column(column) in missing:
            continue
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
                field, key, params = found
                name = kind_column(column) if field == "kind" else column
                found_here.append(problem(file, schema.name, key, i + 1, name, ids[i], **params))
        problems += found_here[:_MAX_PER_RULE]
        if len(found_here) > _MAX_PER_RULE:
            problems.append(problem(file, schema.name, "problem.more_rows", None, column,
                                    n=len(found_here) - _MAX_PER_RULE))
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
                problems.append(problem(file, schema.name, "problem.not_full_date", i + 1, column, ids[i],
                                        value=values.iloc[i]))
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
                    problems.append(problem(file, schema.name, "problem.precision_mismatch", i + 1, column, ids[i],
                                            value=values.iloc[i], precision=stated, expected=coarse[stated]))
        if mismatched > _MAX_PER_RULE:
            problems.append(problem(file, schema.name, "problem.more_rows", None, column,
                                    n=mismatched - _MAX_PER_RULE))
    return problems


# --- the rules of one layer --------------------------------------------------------------------------
class _Say:
    """Makes the problems of one file's rules: ``say(i, field, key, record_id, **params)`` for row ``i``
    (0-based)."""

    def __init__(self, file: str, layer: str) -> None:
        self.file, self.layer = file, layer

    def __call__(self, i: int, field: str | None, key: str, record_id: str | None, **params: object) -> Problem:
        return problem(self.file, self.layer, key, i + 1, field, record_id, **params)


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most :data:`_MAX_PER_RULE` problems of each key, then one "... and N more" line per key."""
    counts: dict[tuple[str, str | None], int] = {}
    kept: list[Problem] = []
    for found in problems:
        rule = (found.key or "", found.field)
        counts[rule] = counts.get(rule, 0) + 1
        if counts[rule] <= _MAX_PER_RULE:
            kept.append(found)
    file, layer = (problems[0].file, problems[0].layer) if problems else ("", "")
    kept += [problem(file, layer, "problem.more_rows", None, field, n=n - _MAX_PER_RULE)
             for (_, field), n in counts.items() if n > _MAX_PER_RULE]
    return kept


def _present(frame: pd.DataFrame, column: str, i: int) -> bool:
    return column in frame.columns and not _is_missing(frame[column].iloc[i])


def _items(value: object) -> list[str]:
    """A ';'-separated list as its items, spaces around each dropped and empty ones ignored."""
    return [item.strip() for item in str(value).split(";") if item.strip()]


#: the readiness a ready-by date belongs to: land whose infrastructure is still being built
UNDER_WAY = "infrastructure_under_way"


def _passport_rules(frame: pd.DataFrame, raw: pd.DataFrame, ids: list[str | None], say: _Say) -> list[Problem]:
    """A passport: each group with a figure says its date and the kind of its source; lowest price ≤ highest;
    the free part of water and wastewater ≤ the capacity; sectors the schema knows; a ready-by date only for
    land whose infrastructure is under way."""
    problems: list[Problem] = []
    for i in range(len(frame)):
        for group, fields in PASSPORT_FIELDS.items():
            given = [name for name in fields if _present(raw, name, i)]
            if not given:
                continue
            for meta, key in ((f"{group}_source_kind", "problem.group_needs_source"),
                              (f"{group}_as_of", "problem.group_needs_date")):
                if meta in raw.columns and not _present(raw, meta, i):
                    problems.append(say(i, meta, key, ids[i], fields=", ".join(given)))
        for low, high, key in (("lease_price_min_usd_m2", "lease_price_max_usd_m2", "problem.max_below_min"),
                               ("water_capacity_m3_day", "water_free_m3_day", "problem.free_above_capacity"),
                               ("wastewater_capacity_m3_day", "wastewater_free_m3_day", "problem.free_above_capacity")):
            if low not in frame.columns or high not in frame.columns:
                continue
            first, second = frame[low].iloc[i], frame[high].iloc[i]
            if _is_missing(first) or _is_missing(second):
                continue
            wrong = second < first if key == "problem.max_below_min" else second > first
            if wrong:
                problems.append(say(i, high, key, ids[i], value=_show(float(second)), other=_show(float(first)),
                                    column=low))
        if _present(raw, "permitted_sectors", i):
            unknown = [s for s in _items(raw["permitted_sectors"].iloc[i]) if s not in SECTORS]
            if unknown:
                problems.append(say(i, "permitted_sectors", "problem.unknown_sectors", ids[i],
                                    value=raw["permitted_sectors"].iloc[i], unknown=", ".join(unknown),
                                    allowed=", ".join(SECTORS)))
        if _present(raw, "ready_by", i) and "readiness" in frame.columns:
            readiness = frame["readiness"].iloc[i]
            if _is_missing(readiness):
                problems.append(say(i, "ready_by", "problem.ready_by_without_readiness", ids[i],
                                    value=raw["ready_by"].iloc[i], under_way=UNDER_WAY))
            elif readiness != UNDER_WAY:
                problems.append(say(i, "ready_by", "problem.ready_by_not_under_way", ids[i],
                                    value=raw["ready_by"].iloc[i], readiness=readiness, under_way=UNDER_WAY))
    return problems


#: one label of a host name: letters, digits and hyphens, not at either end
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: an e-mail address as people write one: a name, @, a domain of at least two labels
_EMAIL = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
#: a phone number as published: digits, spaces, +, - and brackets, with at least six digits
_PHONE = re.compile(r"[0-9+()\- ]+")
#: a website: a host name of at least two labels, with or without http(s):// and a closing slash
_WEBSITE = re.compile(rf"(?:https?://)?(?:{_LABEL}\.)+[A-Za-z]{{2,63}}/?")
#: the domains RFC 2606 and RFC 6761 reserve: mail to them reaches no one
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "invalid", "test")


def is_reserved_email(address: str) -> bool:
    """Whether ``address`` is at a domain reserved for examples and tests (RFC 2606, RFC 6761), so no mail
    sent to it can reach anyone.

    >>> is_reserved_email("desk@example.com"), is_reserved_email("a@sales.example"), is_reserved_email("a@heza.gov.vn")
    (True, True, False)
    """
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    return (domain in RESERVED_DOMAINS or domain.endswith(tuple(f".{d}" for d in RESERVED_DOMAINS))
            or domain.rpartition(".")[2] in RESERVED_TLDS)


@functools.cache
def iso_639_1() -> frozenset[str]:
    """The two-letter ISO 639-1 language codes (CLDR's list, as Babel holds it)."""
    return frozenset(code for code in map(str, Locale("en").languages) if len(code) == 2 and code.isalpha())


def _contact_rules(frame: pd.DataFrame, raw: pd.DataFrame, ids: list[str | None], say: _Say) -> list[Problem]:
    """A contact: e-mail, phone, website and languages in their shapes; a synthetic demo contact carries no
    phone and only an e-mail at a reserved domain, so a demo never reaches anyone; a developer's sales
    contact names its park (HEZA's desk may or may not)."""
    problems: list[Problem] = []
    for i in range(len(frame)):
        value = {name: str(raw[name].iloc[i]).strip() for name in ("email", "phone", "website", "languages")
                 if _present(raw, name, i)}
        if "email" in value and not _EMAIL.fullmatch(value["email"]):
            problems.append(say(i, "email", "problem.email_shape", ids[i], value=value["email"]))
        if "phone" in value and (not _PHONE.fullmatch(value["phone"]) or sum(c.isdigit() for c in value["phone"]) < 6):
            problems.append(say(i, "phone", "problem.phone_shape", ids[i], value=value["phone"]))
        if "website" in value and not _WEBSITE.fullmatch(value["website"]):
            problems.append(say(i, "website", "problem.website_shape", ids[i], value=value["website"]))
        if "languages" in value:
            unknown = [code for code in _items(value["languages"]) if code not in iso_639_1()]
            if unknown or not _items(value["languages"]):
                problems.append(say(i, "languages", "problem.languages_shape", ids[i], value=value["languages"],
                                    unknown=", ".join(unknown)))
        if "source_kind" in frame.columns and frame["source_kind"].iloc[i] == SYNTHETIC:
            if "phone" in value:
                problems.append(say(i, "phone", "problem.demo_phone", ids[i], value=value["phone"]))
            if "email" in value and not is_reserved_email(value["email"]):
                problems.append(say(i, "email", "problem.demo_email", ids[i], value=value["email"]))
        if ("role" in frame.columns and frame["role"].iloc[i] == "developer_sales" and "park_id" in raw.columns
                and not _present(raw, "park_id", i)):
            problems.append(say(i, "park_id", "problem.sales_needs_park", ids[i]))
    return problems


def _incentive_rules(frame: pd.DataFrame, raw: pd.DataFrame, ids: list[str | None], say: _Say) -> list[Problem]:
    """An incentive text is written in at least one language."""
    texts = [f"text_{lang}" for lang in LANGUAGES]
    return [say(i, texts[0], "problem.incentive_no_text", ids[i], columns=", ".join(texts))
            for i in range(len(frame)) if not any(_present(raw, name, i) for name in texts)]


#: the rules beyond each column's type and range, by layer
_LAYER_RULES: dict[str, Callable[[pd.DataFrame, pd.DataFrame, list[str | None], _Say], list[Problem]]] = {
    "passports": _passport_rules, "contacts": _contact_rules, "incentives": _incentive_rules,
}


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
            problems.append(problem(files.get(layer, layer), layer, "problem.unknown_reference", i + 1, column,
                                    value=values.iloc[i], column=target_column, target=target))
    hist = frames.get("occupancy_history")
    if hist is not None:
        for i in hist.index[(hist["scope"] == "park") & hist["park_id"].isna()][:_MAX_PER_RULE]:
            problems.append(problem(files.get("occupancy_history", ""), "occupancy_history",
                                    "problem.scope_park_needs_park", i + 1, "park_id"))
    return problems
