"""Records as the store keeps them: an id string, JSON-safe values, and back to typed frames.

A snapshot is what the history keeps for a record before and after a change; it holds every
schema column (dates as ``YYYY-MM-DD``, missing values as ``None``) and, for a layer, the
geometry as hex WKB in WGS84, so a revert restores it exactly.

Records written before provenance kinds had a column hold one ``source`` text ("news: vietnam.vn").
:func:`migrated_provenance` reads such a text as the store's upgrade does (never failing: what cannot
be read as a valid provenance is an approximation, its text the method), and
:func:`upgrade_snapshot` applies it to a snapshot of the history, so reverting a change made before
the upgrade writes a record that still loads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from heza_geo.errors import DataError
from heza_geo.io.validation import validate_frame
from heza_geo.schema import APPROXIMATE, NO_SOURCE, WGS84, LayerSchema, Provenance, kind_column, legacy_provenance
from heza_geo.store.base import Snapshot

GEOMETRY = "geometry"
BOOKKEEPING = ("record_id", "row_version")
#: the method given to a required provenance that an old record left empty
NO_SOURCE_GIVEN = "legacy record, no source given"


def migrated_provenance(text: object, required: bool = True) -> Provenance:
    """The provenance of a ``source`` text written before kinds had a column, always a valid one.

    :func:`heza_geo.schema.legacy_provenance` reads the text (nothing is promoted: a report only when
    the text is a report file name). A reading that would not pass validation (``news:`` with no site)
    becomes an approximation with the whole text as its method; an empty text stays without a source,
    or is an approximation saying so where the column requires a source.

    >>> migrated_provenance("news: vietnam.vn"), migrated_provenance("news: public reports")
    (Provenance(kind='news', ref='vietnam.vn'), Provenance(kind='approximate', ref='news: public reports'))
    >>> migrated_provenance("approximate: 1/3 of zones I+II (002_03c113ee68876e37.txt)").kind
    'approximate'
    >>> migrated_provenance(None, required=False), migrated_provenance("").ref
    (Provenance(kind='none', ref=''), 'legacy record, no source given')
    """
    found = legacy_provenance(text)
    if found.kind == NO_SOURCE:
        return Provenance(APPROXIMATE, NO_SOURCE_GIVEN) if required else found
    if found.problem() is not None:
        return Provenance(APPROXIMATE, str(text).strip())
    return found


def upgrade_snapshot(schema: LayerSchema, snapshot: Snapshot) -> Snapshot:
    """A snapshot kept before kinds had a column, with each missing kind filled from its ``source``
    text (:func:`migrated_provenance`) and the reference cleaned; a newer snapshot comes back as it is."""
    out = dict(snapshot)
    for column in schema.provenance_columns:
        kind = kind_column(column)
        if kind in out or column not in out:
            continue
        found = migrated_provenance(out[column], required=not schema.column(kind).nullable)
        out[kind] = None if found.kind == NO_SOURCE else found.kind
        out[column] = found.ref or None
    return out


def json_value(value: Any) -> Any:
    """A cell as JSON: None for missing values, ISO text for dates, plain int/float/str/bool."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return json_value(value.item())
    return value


def record_id(schema: LayerSchema, values: Mapping[str, Any]) -> str:
    """The record's id: its id columns' values joined with ``|`` (empty for a missing value)."""
    parts = []
    for column in schema.id_columns:
        value = json_value(values.get(column))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        parts.append("" if value is None else str(value))
    return "|".join(parts)


def snapshots(frame: pd.DataFrame, schema: LayerSchema) -> list[Snapshot]:
    """Each row of a typed frame (as :func:`heza_geo.io.validation.validate_frame` returns it) as a snapshot."""
    columns = schema.column_names
    present = [c for c in columns if c in frame.columns]
    out: list[Snapshot] = []
    records = frame[present].to_dict("records")
    geoms = None if schema.is_table else [wkb_hex(g) for g in frame.geometry.array]
    for i, row in enumerate(records):
        snap: Snapshot = {c: json_value(row.get(c)) for c in columns}
        if geoms is not None:
            snap[GEOMETRY] = geoms[i]
        out.append(snap)
    return out


def wkb_hex(geom: shapely.Geometry | None) -> str | None:
    """A geometry as lower-case hex WKB (2D, little-endian), the form snapshots keep."""
    if geom is None:
        return None
    return shapely.to_wkb(geom, hex=True, output_dimension=2, byte_order=1).lower()


def geometry_of(snapshot: Snapshot) -> shapely.Geometry | None:
    wkb = snapshot.get(GEOMETRY)
    return None if wkb is None else shapely.from_wkb(wkb)


def same_record(a: Snapshot, b: Snapshot, tolerance: float = 1e-9) -> bool:
    """True when nothing a person would notice differs: values equal, geometry within ``tolerance`` degrees."""
    keys = (set(a) | set(b)) - {GEOMETRY}
    for key in keys:
        x, y = a.get(key), b.get(key)
        if isinstance(x, float) and isinstance(y, (int, float)) and not isinstance(y, bool):
            if not math.isclose(x, float(y), rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif x != y:
            return False
    ga, gb = a.get(GEOMETRY), b.get(GEOMETRY)
    if ga == gb:
        return True
    if ga is None or gb is None:
        return False
    return bool(shapely.equals_exact(shapely.from_wkb(ga), shapely.from_wkb(gb), tolerance=tolerance))


def typed_frame(schema: LayerSchema, rows: Iterable[Mapping[str, Any]], where: str) -> pd.DataFrame:
    """Rows read from a store (schema columns, ``geometry`` as a shapely geometry, bookkeeping
    columns) as a validated, typed frame; raises :class:`DataError` if the store holds bad data
    (e.g. a record edited by hand in QGIS)."""
    rows = list(rows)
    columns = [*BOOKKEEPING, *schema.column_names]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    if not schema.is_table:
        geoms = [r.get(GEOMETRY) for r in rows]
        geometry = gpd.GeoSeries(geoms, crs=WGS84)  # type: ignore[arg-type]  # the stubs leave out None
        frame = gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)
    typed, problems = validate_frame(frame, schema, where)
    if problems or typed is None:
        raise DataError(problems)
    typed["row_version"] = typed["row_version"].astype("int64")
    return typed
