"""What an import would change: a :class:`ChangeSet` from the store's layer and a validated new frame.

Records are matched by ``record_id`` (the schema's id columns). A record in the file and not in
the store is added; one in both that differs (a value, or the geometry by more than ~0.1 mm) is
changed, carrying the ``row_version`` read now so that a concurrent edit made between preview
and confirm makes the import fail instead of being overwritten. With ``replace=True`` records
absent from the file are removed; by default they are kept (a file may update a few records).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from heza_geo.schema import LayerSchema
from heza_geo.store.base import Change, ChangeSet
from heza_geo.store.records import GEOMETRY, record_id, same_record, snapshots


def diff_layer(current: pd.DataFrame, new: pd.DataFrame, schema: LayerSchema, replace: bool = False) -> ChangeSet:
    """Changes that turn ``current`` (from :meth:`Store.read_layer`, with ``record_id``/``row_version``)
    into ``new`` (typed by :func:`heza_geo.io.validation.validate_frame`)."""
    existing: dict[str, tuple[int, dict]] = {}
    if len(current):
        rows = zip(current["record_id"], current["row_version"], snapshots(current, schema), strict=True)
        for rid, version, snap in rows:
            existing[str(rid)] = (int(version), snap)
    changes: list[Change] = []
    seen: set[str] = set()
    for snap in snapshots(new, schema):
        rid = record_id(schema, snap)
        seen.add(rid)
        if rid not in existing:
            changes.append(Change(schema.name, rid, "insert", after=snap))
            continue
        version, old = existing[rid]
        if schema.is_table is False and snap.get(GEOMETRY) is None:
            snap = {**snap, GEOMETRY: old.get(GEOMETRY)}
        if not same_record(old, snap):
            changes.append(Change(schema.name, rid, "update", after=snap, before=old, expected_version=version))
    if replace:
        for rid, (version, old) in existing.items():
            if rid not in seen:
                changes.append(Change(schema.name, rid, "delete", before=old, expected_version=version))
    return ChangeSet(tuple(changes))


def changed_fields(change: Change) -> list[str]:
    """The fields an update changes (all present fields for an insert or delete)."""
    if change.op != "update" or change.before is None or change.after is None:
        snap = change.after or change.before or {}
        return [k for k, v in snap.items() if v is not None and k != GEOMETRY]
    fields = [k for k in change.after
              if k != GEOMETRY and not same_record({k: change.before.get(k)}, {k: change.after.get(k)})]
    if not same_record({GEOMETRY: change.before.get(GEOMETRY)}, {GEOMETRY: change.after.get(GEOMETRY)}):
        fields.append(GEOMETRY)
    return fields


def change_table(change_set: ChangeSet, schema: LayerSchema) -> pd.DataFrame:
    """One row per change: op, record id, changed fields, and the new (or removed) values."""
    rows = []
    for change in change_set:
        snap = change.after if change.after is not None else (change.before or {})
        row: dict[str, object] = {"op": change.op, "record_id": change.record_id,
                                  "fields": ", ".join(changed_fields(change))}
        row.update({c: snap.get(c) for c in schema.column_names})
        rows.append(row)
    return pd.DataFrame(rows, columns=["op", "record_id", "fields", *schema.column_names])


def change_geometries(change_set: ChangeSet, schema: LayerSchema) -> gpd.GeoDataFrame | None:
    """The changed features (new geometry, or the old one for a removal) with ``op``, for a preview map."""
    if schema.is_table:
        return None
    import shapely

    ops: list[str] = []
    ids: list[str] = []
    geoms: list[BaseGeometry] = []
    for change in change_set:
        snap = change.after if change.after is not None else (change.before or {})
        wkb: str | None = snap.get(GEOMETRY)  # hex WKB
        if wkb is None:
            continue
        ops.append(change.op)
        ids.append(change.record_id)
        geoms.append(shapely.from_wkb(wkb))
    return gpd.GeoDataFrame({"op": ops, "record_id": ids}, geometry=geoms, crs="EPSG:4326")
