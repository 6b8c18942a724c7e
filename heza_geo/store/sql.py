"""The store's logic, written once in SQL both backends understand.

:class:`SqlStore` implements :class:`~heza_geo.store.base.Store` over a DB-API connection; a
backend supplies the dialect: how to connect and lock, column types, and how geometry and JSON
travel (GeoPackage binary in a BLOB for SQLite, ``geometry(…, 4326)`` via WKB for PostGIS).
Statements are written with ``?`` placeholders; :meth:`SqlStore._sql` adapts them.

Tables: one per schema layer (``fid``, ``geom`` for layers, ``record_id`` unique, ``row_version``,
then the schema's columns), ``changesets`` (one row per version: who, when, why, kind) and
``versions`` (one row per changed record: layer, record_id, park_id, op, author, at, comment,
before and after as JSON), plus ``accounts``, ``sessions`` and ``login_failures`` for
:mod:`heza_geo.store.auth`, and ``enquiries`` (one row per investor's enquiry, unique by its
client-made ``uuid``) with ``enquiry_events`` (its history) for :mod:`heza_geo.enquiries`. None of
these is a layer of :data:`heza_geo.schema.LAYERS`, so no public read, export or file sees them; the
GeoPackage registers only ``changesets`` and ``versions`` for GIS users to browse.

Upgrades: :meth:`SqlStore.ensure_schema` adds the columns a grown schema has and the store lacks. A
provenance kind column (``source_kind`` beside ``source``…) is filled at once, in the same
transaction, from the text the store kept before (:func:`heza_geo.store.records.migrated_provenance`:
``news: vietnam.vn`` → kind ``news``, reference ``vietnam.vn``), so an upgraded store loads as it
did; a date's precision column stays empty (a day). A revert of a change made before the upgrade
upgrades the snapshots it writes back the same way.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from heza_geo.enquiries.model import (
    ENQUIRER,
    LIMIT_WINDOW,
    MAX_CHARS,
    RETENTION,
    STATUSES,
    Enquiry,
    Event,
    Limit,
    clean_text,
    limit_problem,
    note_problem,
)
from heza_geo.errors import Conflict, ConflictError, DataError, Problem, StoreError
from heza_geo.io import Dataset, load_dataset
from heza_geo.io.validation import problem, validate_frame
from heza_geo.schema import FOREIGN_KEYS, LAYERS, NO_SOURCE, LayerSchema, kind_column
from heza_geo.store.auth import AUTH_TABLES, AUTH_UNIQUE, SYSTEM_AUTHOR, public_view
from heza_geo.store.base import (
    INITIAL_COMMENT,
    Change,
    ChangeSet,
    Snapshot,
    Store,
    VersionEntry,
    VersionInfo,
)
from heza_geo.store.records import (
    GEOMETRY,
    json_value,
    migrated_provenance,
    record_id,
    snapshots,
    typed_frame,
    upgrade_snapshot,
    wkb_hex,
)

_CHUNK = 500

#: the store's own tables, with their columns as (name, portable type)
SYSTEM_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "changesets": (("at", "timestamp"), ("author", "text"), ("comment", "text"), ("kind", "text")),
    "versions": (
        ("version", "int"), ("layer", "text"), ("record_id", "text"), ("park_id", "text"), ("op", "text"),
        ("author", "text"), ("at", "timestamp"), ("comment", "text"), ("before", "json"), ("after", "json"),
    ),
    # investors' enquiries: confidential, staff only (never a layer: no public read, export or file sees them)
    "enquiries": (
        ("uuid", "text"), ("submitted_at", "timestamp"), ("name", "text"), ("company", "text"), ("country", "text"),
        ("email", "text"), ("phone", "text"), ("sector", "text"), ("land_ha", "float"), ("timeframe", "text"),
        ("language", "text"), ("message", "text"), ("consent_notice", "text"), ("parks", "json"), ("plots", "json"),
        ("status", "text"), ("assignee", "text"), ("session_hash", "text"), ("address_hash", "text"),
    ),
    "enquiry_events": (("uuid", "text"), ("at", "timestamp"), ("author", "text"), ("kind", "text"), ("value", "text")),
    # what is left of an erased enquiry: no personal data, only enough that a later sync does not bring it back
    "enquiry_erasures": (("uuid", "text"), ("at", "timestamp"), ("author", "text"), ("reason", "text")),
}  # fmt: skip
#: the column of each system table that is unique
SYSTEM_UNIQUE: dict[str, str] = {"enquiries": "uuid", "enquiry_erasures": "uuid"}


def now_utc() -> datetime:
    return datetime.now(UTC)


def _park_of(layer: str, snap: Snapshot | None) -> str | None:
    if snap is None:
        return None
    if layer == "parks":
        return snap.get("park_id")
    value = snap.get("park_id")
    return str(value) if value is not None else None


class SqlStore(Store):
    """Shared implementation; subclasses provide the dialect hooks below."""

    #: SQL for a geometry parameter and for selecting the geometry column as WKB
    geom_param = "?"
    geom_select = '"geom"'
    json_param = "?"
    for_update = ""
    integrity_errors: tuple[type[BaseException], ...] = ()

    # --- dialect hooks ----------------------------------------------------------------------
    @abc.abstractmethod
    def _connect(self) -> Any:
        """A new DB-API connection, not in a transaction."""

    @abc.abstractmethod
    def _begin(self, conn: Any) -> None:
        """Start a write transaction (SQLite: take the write lock now)."""

    @abc.abstractmethod
    def _column_type(self, dtype: str) -> str:
        """SQL type of a schema dtype or a portable type (text, int, float, date, bool, timestamp, json)."""

    @abc.abstractmethod
    def _create_layer_table(self, cur: Any, schema: LayerSchema) -> None:
        """CREATE TABLE for a layer, with its geometry column and the backend's registration."""

    @abc.abstractmethod
    def _create_system_table(self, cur: Any, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """CREATE TABLE for a bookkeeping table (id primary key + columns)."""

    @abc.abstractmethod
    def _existing_columns(self, cur: Any, table: str) -> list[str] | None:
        """The table's columns, or None if it does not exist."""

    @abc.abstractmethod
    def _encode_geometry(self, wkb: bytes) -> Any:
        """The parameter value that stores a WKB geometry."""

    @abc.abstractmethod
    def _decode_geometry(self, value: Any) -> bytes | None:
        """WKB from the selected geometry value."""

    def _lock_store(self, cur: Any) -> None:
        """Serialise schema creation and the first load (PostGIS: an advisory lock)."""

    def _after_write(self, cur: Any, layers: Iterable[str]) -> None:
        """Backend bookkeeping after a change set (GeoPackage: gpkg_contents.last_change)."""

    def _sql(self, text: str) -> str:
        return text

    def _load_json(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    # --- plumbing -----------------------------------------------------------------------------
    @contextmanager
    def _faults(self) -> Iterator[None]:
        """Where a backend turns its driver's errors that mean "this store cannot be used now" (a lost
        connection, a damaged file) into :class:`StoreError`, around every transaction and read: the
        transaction did not commit, so nothing was written, and the app falls back to its last good data."""
        yield

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._faults():
            conn = self._connect()
            try:
                self._begin(conn)
                cur = conn.cursor()
                try:
                    yield cur
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
            finally:
                conn.close()

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._faults():
            conn = self._connect()
            try:
                yield conn.cursor()
            finally:
                conn.rollback()
                conn.close()

    def _run(self, cur: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._transaction() as cur:
            self._run(cur, sql, params)
            return [tuple(r) for r in cur.fetchall()] if cur.description else []

    def ensure_schema(self) -> None:
        """Create missing tables and add missing columns (a schema that grew since the store was made);
        a provenance kind column added is filled from the text kept before (module docstring)."""
        with self._transaction() as cur:
            self._lock_store(cur)
            for name, schema in LAYERS.items():
                existing = self._existing_columns(cur, name)
                if existing is None:
                    self._create_layer_table(cur, schema)
                    continue
                for column in schema.columns:
                    if column.name not in existing:
                        column_type = self._column_type(column.dtype)
                        self._run(cur, f'ALTER TABLE "{name}" ADD COLUMN "{column.name}" {column_type}')
                filled = [source for source in schema.provenance_columns
                          if kind_column(source) not in existing and source in existing]
                for source in filled:
                    self._fill_kind(cur, schema, source)
                if set(filled) & set(schema.id_columns):
                    self._rekey(cur, schema)
            uniques = {**SYSTEM_UNIQUE, **AUTH_UNIQUE}
            for name, columns in {**SYSTEM_TABLES, **AUTH_TABLES}.items():
                if self._existing_columns(cur, name) is None:
                    self._create_system_table(cur, name, columns)
                    if name in uniques:
                        unique = uniques[name]
                        self._run(cur, f'CREATE UNIQUE INDEX "{name}_{unique}" ON "{name}" ("{unique}")')
                    if name == "enquiry_events":
                        self._run(cur, 'CREATE INDEX "enquiry_events_uuid" ON "enquiry_events" ("uuid")')

    def _fill_kind(self, cur: Any, schema: LayerSchema, source: str) -> None:
        """Each row's new kind of ``source``, and its reference without the prefix, from its old text."""
        kind = kind_column(source)
        required = not schema.column(kind).nullable
        self._run(cur, f'SELECT "fid", "{source}" FROM "{schema.name}"')  # noqa: S608 - names from the schema (LAYERS)
        rows = []
        for fid, text in cur.fetchall():
            found = migrated_provenance(text, required)
            rows.append((None if found.kind == NO_SOURCE else found.kind, found.ref or None, fid))
        if rows:
            cur.executemany(self._sql(f'UPDATE "{schema.name}" SET "{kind}" = ?, "{source}" = ? WHERE "fid" = ?'),  # noqa: S608 - names from the schema (LAYERS), values as parameters
                            rows)

    def _rekey(self, cur: Any, schema: LayerSchema) -> None:
        """Record ids made of a reference that the upgrade rewrote (``…|news: vietnam.vn`` → ``…|vietnam.vn``),
        made again from the values, in the layer and in its history: an import or a form matches the
        record instead of adding it twice, and the history and a revert still find it."""
        columns = ", ".join(f'"{c}"' for c in schema.id_columns)
        self._run(cur, f'SELECT "fid", "record_id", {columns} FROM "{schema.name}"')  # noqa: S608 - names from the schema (LAYERS)
        rows = [(record_id(schema, dict(zip(schema.id_columns, values, strict=True))), rid, fid)
                for fid, rid, *values in cur.fetchall()]
        changed = [(new, fid) for new, old, fid in rows if new != old]
        if changed:
            cur.executemany(self._sql(f'UPDATE "{schema.name}" SET "record_id" = ? WHERE "fid" = ?'), changed)  # noqa: S608 - names from the schema (LAYERS), values as parameters
        if self._existing_columns(cur, "versions") is None:
            return  # no history yet (it is created after the layers)
        self._run(cur, 'SELECT "id", "record_id", "before", "after" FROM "versions" WHERE "layer" = ?', (schema.name,))
        history = []
        for vid, rid, before, after in cur.fetchall():
            snap = self._load_json(after if after is not None else before)
            new = record_id(schema, upgrade_snapshot(schema, snap)) if isinstance(snap, dict) else rid
            if new != rid:
                history.append((new, vid))
        if history:
            cur.executemany(self._sql('UPDATE "versions" SET "record_id" = ? WHERE "id" = ?'), history)

    # --- reading ----------------------------------------------------------------------------
    def current_version(self) -> int:
        with self._reading() as cur:
            self._run(cur, 'SELECT COALESCE(MAX("id"), 0) FROM "changesets"')
            return int(cur.fetchone()[0])

    def _select_columns(self, schema: LayerSchema) -> str:
        cols = ['"record_id"', '"row_version"', *(f'"{c}"' for c in schema.column_names)]
        if not schema.is_table:
            cols.append(self.geom_select)
        return ", ".join(cols)

    def _row_dict(self, schema: LayerSchema, row: Sequence[Any]) -> dict[str, Any]:
        names = ["record_id", "row_version", *schema.column_names]
        out = dict(zip(names, row, strict=False))
        for column in schema.columns:
            if column.dtype == "bool" and isinstance(out.get(column.name), int):
                out[column.name] = bool(out[column.name])
        if not schema.is_table:
            out[GEOMETRY] = self._decode_geometry(row[len(names)])
        return out

    def _read_rows(self, cur: Any, schema: LayerSchema) -> list[dict[str, Any]]:
        sql = f'SELECT {self._select_columns(schema)} FROM "{schema.name}" ORDER BY "fid"'  # noqa: S608 - names from the schema (LAYERS), values as parameters
        self._run(cur, sql)
        return [self._row_dict(schema, r) for r in cur.fetchall()]

    def _frame(self, schema: LayerSchema, rows: list[dict[str, Any]], public: bool) -> pd.DataFrame:
        if not schema.is_table:
            wkbs = [r[GEOMETRY] for r in rows]
            geoms: Iterable[BaseGeometry | None] = shapely.from_wkb(wkbs) if wkbs else []
            rows = [{**r, GEOMETRY: g} for r, g in zip(rows, geoms, strict=True)]
        frame = typed_frame(schema, rows, f"{self.describe()} (layer {schema.name})")
        return public_view(frame, schema) if public else frame

    def read_layer(self, name: str, public: bool = False) -> pd.DataFrame:
        schema = _schema(name)
        with self._reading() as cur:
            rows = self._read_rows(cur, schema)
        return self._frame(schema, rows, public)

    def read_dataset(self, public: bool = False) -> Dataset:
        with self._reading() as cur:
            self._run(cur, 'SELECT COALESCE(MAX("id"), 0) FROM "changesets"')
            version = int(cur.fetchone()[0])
            raw = {name: self._read_rows(cur, schema) for name, schema in LAYERS.items()}
        problems: list[Problem] = []
        frames: dict[str, pd.DataFrame] = {}
        for name, schema in LAYERS.items():
            try:
                frames[name] = self._frame(schema, raw[name], public).drop(columns=["record_id", "row_version"])
            except DataError as exc:
                problems += exc.problems
        if problems:
            raise DataError(problems)
        return Dataset(**frames,  # type: ignore[arg-type]  # a frame per layer, with geometry where its schema has one
                       data_dir=None, sources={}, version=f"{self.backend}-v{version}")

    def describe(self) -> str:
        """Where the store is, for messages (never a password)."""
        return self.backend

    # --- writing ----------------------------------------------------------------------------
    def _fetch(self, cur: Any, layer: str, ids: Sequence[str], lock: bool) -> dict[str, tuple[int, Snapshot]]:
        """Current (row_version, snapshot) of the records ``ids`` that exist; locked for update if asked."""
        schema = _schema(layer)
        found: dict[str, tuple[int, Snapshot]] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start:start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f'SELECT {self._select_columns(schema)} FROM "{layer}" WHERE "record_id" IN ({marks})'  # noqa: S608 - names from the schema (LAYERS), values as parameters
            self._run(cur, sql + (self.for_update if lock else ""), chunk)
            for row in cur.fetchall():
                values = self._row_dict(schema, row)
                snap: Snapshot = {c: json_value(values[c]) for c in schema.column_names}
                if not schema.is_table:
                    wkb = values[GEOMETRY]
                    snap[GEOMETRY] = None if wkb is None else bytes(wkb).hex()
                found[values["record_id"]] = (int(values["row_version"]), snap)
        return found

    def _write_params(self, schema: LayerSchema, snap: Snapshot) -> list[Any]:
        params: list[Any] = [snap.get(c) for c in schema.column_names]
        if not schema.is_table:
            wkb = snap.get(GEOMETRY)
            params.append(None if wkb is None else self._encode_geometry(bytes.fromhex(wkb)))
        return params

    def _conflict(self, cur: Any, layer: str, rid: str, kind: str, why: str, now: tuple[int, Snapshot]) -> Conflict:
        """A conflict with the version that last wrote the record (``now``: its row version and values):
        who wrote it and when, read in the same transaction."""
        self._run(cur, 'SELECT "author", "at" FROM "changesets" WHERE "id" = ?', (now[0],))
        row = cur.fetchone()
        author, at = (None, None) if row is None else (row[0], _as_datetime(row[1]))
        return Conflict(layer, rid, why, kind, now[0], author, at, {k: v for k, v in now[1].items() if k != GEOMETRY})

    def _apply_in(self, cur: Any, changes: Sequence[Change], author: str, comment: str, kind: str) -> int:
        at = now_utc()
        self._run(cur, 'INSERT INTO "changesets" ("at", "author", "comment", "kind") VALUES (?, ?, ?, ?) '
                       'RETURNING "id"', (at.isoformat(), author, comment, kind))
        version = int(cur.fetchone()[0])
        conflicts: list[Conflict] = []
        by_layer: dict[str, list[Change]] = {}
        for change in changes:
            by_layer.setdefault(change.layer, []).append(change)
        history: list[tuple[Any, ...]] = []
        for layer, layer_changes in by_layer.items():
            schema = _schema(layer)
            current = self._fetch(cur, layer, [c.record_id for c in layer_changes], lock=True)
            inserts, updates, deletes = [], [], []
            for change in layer_changes:
                now = current.get(change.record_id)
                if change.op == "insert":
                    if now is not None:
                        conflicts.append(self._conflict(cur, layer, change.record_id, "exists",
                                                        f"already exists (added in version {now[0]})", now))
                        continue
                    inserts.append([change.record_id, version, *self._write_params(schema, change.after or {})])
                    current[change.record_id] = (version, change.after or {})
                else:
                    if now is None:
                        conflicts.append(Conflict(layer, change.record_id,
                                                  "no longer exists (removed by another change)", "removed"))
                        continue
                    if change.expected_version is not None and now[0] != change.expected_version:
                        conflicts.append(self._conflict(cur, layer, change.record_id, "changed",
                                                        f"was changed by version {now[0]} since you read version "
                                                        f"{change.expected_version}", now))
                        continue
                    if change.op == "update":
                        updates.append([version, *self._write_params(schema, change.after or {}), change.record_id])
                        current[change.record_id] = (version, change.after or {})
                    else:
                        deletes.append([change.record_id])
                        current.pop(change.record_id)
                before = None if now is None else now[1]
                after = None if change.op == "delete" else change.after
                history.append((version, layer, change.record_id, _park_of(layer, after) or _park_of(layer, before),
                                change.op, author, at.isoformat(), comment,
                                None if before is None else json.dumps(before, ensure_ascii=False),
                                None if after is None else json.dumps(after, ensure_ascii=False)))
            if conflicts:
                continue
            cols = ", ".join(f'"{c}"' for c in schema.column_names)
            geom_col, geom_mark = ("", "") if schema.is_table else (', "geom"', f", {self.geom_param}")
            marks = ", ".join("?" * (2 + len(schema.column_names)))
            if deletes:
                cur.executemany(self._sql(f'DELETE FROM "{layer}" WHERE "record_id" = ?'), deletes)  # noqa: S608 - names from the schema (LAYERS), values as parameters
            if updates:
                sets = ", ".join([f'"{c}" = ?' for c in schema.column_names]
                                 + ([] if schema.is_table else [f'"geom" = {self.geom_param}']))
                sql = f'UPDATE "{layer}" SET "row_version" = ?, {sets} WHERE "record_id" = ?'  # noqa: S608 - names from the schema (LAYERS), values as parameters
                cur.executemany(self._sql(sql), updates)
            if inserts:
                cur.executemany(self._sql(f'INSERT INTO "{layer}" ("record_id", "row_version", {cols}{geom_col}) '  # noqa: S608 - names from the schema (LAYERS), values as parameters
                                          f"VALUES ({marks}{geom_mark})"), inserts)
        if conflicts:
            raise ConflictError(conflicts)
        if history:
            cur.executemany(self._sql(
                'INSERT INTO "versions" ("version", "layer", "record_id", "park_id", "op", "author", "at", "comment", '  # noqa: S608 - json_param is the dialect's placeholder, values as parameters
                f'"before", "after") VALUES (?, ?, ?, ?, ?, ?, ?, ?, {self.json_param}, {self.json_param})'), history)
        self._after_write(cur, by_layer)
        return version

    def apply(self, change_set: ChangeSet | Iterable[Change], author: str, comment: str, kind: str = "import") -> int:
        changes = list(change_set)
        if not changes:
            raise StoreError("nothing to apply: the change set is empty")
        _check_who(author, comment)
        for change in changes:
            _schema(change.layer)
        try:
            with self._transaction() as cur:
                return self._apply_in(cur, changes, author.strip(), comment.strip(), kind)
        except self.integrity_errors as exc:  # a concurrent insert of the same record won the race
            raise ConflictError([("?", "?", f"another change was written at the same time: {exc}")]) from exc

    def revert(self, version: int, author: str, comment: str, only: tuple[str, str] | None = None) -> int:
        _check_who(author, comment)
        with self._reading() as cur:
            self._run(cur, 'SELECT "layer", "record_id", "op", "before", "after" FROM "versions" '
                           'WHERE "version" = ? ORDER BY "id" DESC', (version,))
            rows = cur.fetchall()
        if only is not None:
            rows = [r for r in rows if (r[0], r[1]) == only]
        if not rows:
            if only is not None:
                raise StoreError(f"version {version} did not change record {only[1]} of layer '{only[0]}'")
            raise StoreError(f"version {version} changed no record that can be reverted (unknown or the initial load)")
        inverse: list[Change] = []
        for layer, rid, op, before, after in rows:
            before, after = (None if snap is None else upgrade_snapshot(_schema(layer), snap)
                             for snap in (self._load_json(before), self._load_json(after)))
            if op == "insert":
                inverse.append(Change(layer, rid, "delete", before=after, expected_version=version))
            elif op == "update":
                inverse.append(Change(layer, rid, "update", after=before, before=after, expected_version=version))
            else:
                inverse.append(Change(layer, rid, "insert", after=before))
        try:
            with self._transaction() as cur:
                return self._apply_in(cur, inverse, author.strip(), comment.strip(), f"revert {version}")
        except self.integrity_errors as exc:
            raise ConflictError([("?", "?", f"another change was written at the same time: {exc}")]) from exc

    # --- single-record edits ------------------------------------------------------------------
    def _validated(self, layer: str, snap: Snapshot, where: str) -> Snapshot:
        schema = _schema(layer)
        values = {c: snap.get(c) for c in schema.column_names}
        frame = pd.DataFrame([values])
        if not schema.is_table:
            import geopandas as gpd

            wkb = snap.get(GEOMETRY)
            geometry = gpd.GeoSeries([None if wkb is None else shapely.from_wkb(wkb)])  # type: ignore[arg-type]  # the stubs leave out None
            frame = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
        typed, problems = validate_frame(frame, schema, where)
        if typed is not None and not problems:
            problems = self._missing_references(layer, values, where)
        if problems or typed is None:
            raise DataError(problems)
        return snapshots(typed, schema)[0]

    def _missing_references(self, layer: str, values: Mapping[str, Any], where: str) -> list[Problem]:
        problems = []
        with self._reading() as cur:
            for (source, column), (target, target_column) in FOREIGN_KEYS.items():
                value = values.get(column)
                if source != layer or value is None or value == "":
                    continue
                sql = f'SELECT 1 FROM "{target}" WHERE "{target_column}" = ?'  # noqa: S608 - names from the schema (FOREIGN_KEYS), the value as a parameter
                self._run(cur, sql, (value,))
                if cur.fetchone() is None:
                    problems.append(problem(where, layer, "problem.unknown_reference", None, column, value=value,
                                            column=target_column, target=target))
        return problems

    def edit_record(
        self, layer: str, record_id: str, values: Mapping[str, Any], expected_version: int, author: str, comment: str
    ) -> int:
        schema = _schema(layer)
        _check_who(author, comment)
        with self._reading() as cur:
            found = self._fetch(cur, layer, [record_id], lock=False).get(record_id)
        if found is None:
            raise ConflictError([Conflict(layer, record_id, "no longer exists (removed by another change)", "removed")])
        unknown = set(values) - set(schema.column_names) - {GEOMETRY}
        if unknown:
            raise DataError([problem("form", layer, "problem.unknown_fields", fields=", ".join(sorted(unknown)))])
        ids = [c for c in schema.id_columns if c in values and json_value(values[c]) != found[1].get(c)]
        if ids:
            raise DataError([problem("form", layer, "problem.id_not_editable", None, ids[0])])
        merged = {**found[1], **{k: json_value(v) for k, v in values.items()}}
        after = self._validated(layer, merged, "form")
        change = Change(layer, record_id, "update", after=after, before=found[1],
                        expected_version=int(expected_version))
        return self.apply([change], author, comment, kind="edit")

    def add_record(self, layer: str, values: Mapping[str, Any], author: str, comment: str) -> int:
        schema = _schema(layer)
        _check_who(author, comment)
        snap = {c: json_value(values.get(c)) for c in schema.column_names}
        if not schema.is_table:
            geom = values.get(GEOMETRY)
            snap[GEOMETRY] = geom.lower() if isinstance(geom, str) else wkb_hex(geom)
        after = self._validated(layer, snap, "form")
        change = Change(layer, record_id(schema, after), "insert", after=after)
        return self.apply([change], author, comment, kind="edit")

    # --- history ------------------------------------------------------------------------------
    def history(
        self, layer: str | None = None, record_id: str | None = None, park_id: str | None = None, limit: int = 500
    ) -> list[VersionEntry]:
        where, params = [], []
        for column, value in (("layer", layer), ("record_id", record_id), ("park_id", park_id)):
            if value is not None:
                where.append(f'"{column}" = ?')
                params.append(value)
        sql = ('SELECT "id", "version", "layer", "record_id", "park_id", "op", "author", "at", "comment", "before", '  # noqa: S608 - fixed columns, values as parameters
               '"after" FROM "versions"' + (" WHERE " + " AND ".join(where) if where else "")
               + ' ORDER BY "id" DESC LIMIT ?')
        with self._reading() as cur:
            self._run(cur, sql, [*params, int(limit)])
            rows = cur.fetchall()
        return [VersionEntry(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6], _as_datetime(r[7]), r[8],
                             self._load_json(r[9]) if r[9] is not None else None,
                             self._load_json(r[10]) if r[10] is not None else None) for r in rows]

    def versions(self, limit: int = 100) -> list[VersionInfo]:
        sql = ('SELECT c."id", c."at", c."author", c."comment", c."kind", '
               '(SELECT COUNT(*) FROM "versions" v WHERE v."version" = c."id") '
               'FROM "changesets" c ORDER BY c."id" DESC LIMIT ?')
        with self._reading() as cur:
            self._run(cur, sql, (int(limit),))
            rows = cur.fetchall()
        return [VersionInfo(int(r[0]), _as_datetime(r[1]), r[2], r[3], r[4], int(r[5])) for r in rows]

    # --- enquiries (confidential: staff only, see heza_geo.enquiries) ---------------------------
    _ENQUIRY_COLUMNS = tuple(c for c, _ in SYSTEM_TABLES["enquiries"] if not c.endswith("_hash"))

    def add_enquiry(self, enquiry: Enquiry, session_hash: str | None = None, address_hash: str | None = None,
                    limits: Sequence[Limit] = (), now: datetime | None = None) -> bool:
        """Store ``enquiry`` with its history (or, when it has none, a "submitted" event) in one
        transaction; False when an enquiry with its uuid is stored already (the same form sent twice,
        a second sync): nothing is written then.

        ``limits`` are checked first, against the enquiries stored from the same session or address
        within each window: :class:`DataError` with the visitor's problem when one is reached, nothing
        written. Enquiries are serialised by the store's lock, so parallel sends are counted one by one.
        Client hashes older than the longest window, and enquiries past :data:`RETENTION`, are erased
        here (:mod:`heza_geo.enquiries.model`).
        """
        now = (now or now_utc()).astimezone(UTC)
        hashes = {"session": session_hash, "address": address_hash}
        with self._transaction() as cur:
            self._lock_store(cur)
            self._purge(cur, now)
            self._run(cur, 'SELECT 1 FROM "enquiries" WHERE "uuid" = ? UNION ALL '
                           'SELECT 1 FROM "enquiry_erasures" WHERE "uuid" = ?', (enquiry.uuid, enquiry.uuid))
            if cur.fetchone() is not None:
                return False
            for limit in limits:
                value = hashes.get(limit.scope)
                if not value:
                    continue
                self._run(cur, f'SELECT COUNT(*) FROM "enquiries" WHERE "{limit.scope}_hash" = ? '  # noqa: S608 - scope from RATE_LIMITS, values as parameters
                               'AND "submitted_at" > ?', (value, _iso(now - limit.window)))
                if int(cur.fetchone()[0]) >= limit.count:
                    raise DataError([limit_problem(limit)])
            self._run(cur, 'UPDATE "enquiries" SET "session_hash" = NULL, "address_hash" = NULL '
                           'WHERE "submitted_at" < ?', (_iso(now - LIMIT_WINDOW),))
            values = [enquiry.uuid, _iso(enquiry.submitted_at), enquiry.name, enquiry.company, enquiry.country,
                      enquiry.email, enquiry.phone, enquiry.sector, enquiry.land_ha, enquiry.timeframe,
                      enquiry.language, enquiry.message, enquiry.consent_notice, json.dumps(list(enquiry.parks)),
                      json.dumps(list(enquiry.plots)), enquiry.status, enquiry.assignee, session_hash, address_hash]
            columns = ", ".join(f'"{c}"' for c, _ in SYSTEM_TABLES["enquiries"])
            marks = ", ".join(self.json_param if t == "json" else "?" for _, t in SYSTEM_TABLES["enquiries"])
            self._run(cur, f'INSERT INTO "enquiries" ({columns}) VALUES ({marks})', values)  # noqa: S608 - fixed columns, values as parameters
            history = enquiry.history or (Event(enquiry.submitted_at, ENQUIRER, "submitted"),)
            cur.executemany(self._sql('INSERT INTO "enquiry_events" ("uuid", "at", "author", "kind", "value") '
                                      "VALUES (?, ?, ?, ?, ?)"),
                            [(enquiry.uuid, _iso(e.at), e.author, e.kind, e.value) for e in history])
        return True

    def enquiries(self, status: str | None = None, park: str | None = None, assignee: str | None = None,
                  since: datetime | None = None, history: bool = False) -> list[Enquiry]:
        """The stored enquiries, newest first, filtered by status, park (an enquiry about a plot names
        its park too, :func:`heza_geo.enquiries.model.check`), assignee and submitted time (``since``
        included); with their history if asked."""
        where, params = [], []
        for column, value in (("status", status), ("assignee", assignee)):
            if value is not None:
                where.append(f'"{column}" = ?')
                params.append(value)
        if since is not None:
            where.append('"submitted_at" >= ?')
            params.append(_iso(since))
        columns = ", ".join(f'"{c}"' for c in self._ENQUIRY_COLUMNS)
        sql = (f'SELECT {columns} FROM "enquiries"' + (" WHERE " + " AND ".join(where) if where else "")  # noqa: S608 - fixed columns, values as parameters
               + ' ORDER BY "submitted_at" DESC, "id" DESC')
        with self._reading() as cur:
            self._run(cur, sql, params)
            rows = cur.fetchall()
            events: dict[str, list[Event]] = {}
            if history and rows:
                self._run(cur, 'SELECT "uuid", "at", "author", "kind", "value" FROM "enquiry_events" ORDER BY "id"')
                for uid, at, author, kind, value in cur.fetchall():
                    events.setdefault(uid, []).append(Event(_as_datetime(at), author, kind, value or ""))
        found = [self._enquiry(row, events.get(row[0], ())) for row in rows]
        if park is not None:
            found = [e for e in found if park in e.parks]
        return found

    def _enquiry(self, row: Sequence[Any], history: Iterable[Event]) -> Enquiry:
        values = dict(zip(self._ENQUIRY_COLUMNS, row, strict=True))
        return Enquiry(
            uuid=values["uuid"], name=values["name"] or "", email=values["email"] or "", phone=values["phone"] or "",
            company=values["company"] or "", country=values["country"] or "", sector=values["sector"] or "",
            land_ha=None if values["land_ha"] is None else float(values["land_ha"]),
            timeframe=values["timeframe"] or "", language=values["language"] or "", message=values["message"] or "",
            consent_notice=values["consent_notice"] or "", parks=tuple(self._load_json(values["parks"]) or ()),
            plots=tuple(self._load_json(values["plots"]) or ()), submitted_at=_as_datetime(values["submitted_at"]),
            status=values["status"] or "new", assignee=values["assignee"] or "", history=tuple(history))

    def enquiry(self, uuid: str) -> Enquiry | None:
        """One enquiry with its history, or None."""
        columns = ", ".join(f'"{c}"' for c in self._ENQUIRY_COLUMNS)
        with self._reading() as cur:
            self._run(cur, f'SELECT {columns} FROM "enquiries" WHERE "uuid" = ?', (uuid,))  # noqa: S608 - fixed columns, values as parameters
            row = cur.fetchone()
            if row is None:
                return None
            self._run(cur, 'SELECT "at", "author", "kind", "value" FROM "enquiry_events" WHERE "uuid" = ? '
                           'ORDER BY "id"', (uuid,))
            events = [Event(_as_datetime(at), author, kind, value or "") for at, author, kind, value in cur.fetchall()]
        return self._enquiry(row, events)

    def update_enquiry(self, uuid: str, author: str, status: str | None = None, assignee: str | None = None,
                       note: str | None = None, now: datetime | None = None) -> Enquiry:
        """Change an enquiry's status and/or assignee and/or add an internal note, each recorded in its
        history with ``author`` and the time, all in one transaction; the enquiry as it is then.

        :class:`DataError` (nothing written) for a status not in :data:`STATUSES`, an empty note or one too
        long, an assignee too long, no author or nothing to change; :class:`StoreError` for an unknown uuid.
        """
        problems = []
        if not (author or "").strip():
            problems.append(note_problem("problem.needs_author", "author"))
        if status is not None and status not in STATUSES:
            problems.append(note_problem("enquiry.problem.bad_choice", "status", value=str(status)[:40]))
        if note is not None:
            note = clean_text(note, one_line=False)
            if not note:
                problems.append(note_problem("enquiry.problem.required", "note"))
            elif len(note) > MAX_CHARS["note"]:
                problems.append(note_problem("enquiry.problem.too_long", "note", n=len(note), max=MAX_CHARS["note"]))
        if assignee is not None:
            assignee = clean_text(assignee)
            if len(assignee) > MAX_CHARS["assignee"]:
                problems.append(note_problem("enquiry.problem.too_long", "assignee", n=len(assignee),
                                             max=MAX_CHARS["assignee"]))
        if status is None and assignee is None and note is None:
            problems.append(note_problem("enquiry.problem.nothing_to_change", "status"))
        if problems:
            raise DataError(problems)
        at = _iso((now or now_utc()).astimezone(UTC))
        with self._transaction() as cur:
            self._run(cur, f'SELECT "status", "assignee" FROM "enquiries" WHERE "uuid" = ?{self.for_update}',  # noqa: S608 - the dialect's FOR UPDATE, the value as a parameter
                      (uuid,))
            row = cur.fetchone()
            if row is None:
                raise StoreError(f"no enquiry {uuid!r} in {self.describe()}")
            events = []
            if status is not None and status != row[0]:
                self._run(cur, 'UPDATE "enquiries" SET "status" = ? WHERE "uuid" = ?', (status, uuid))
                events.append((uuid, at, author.strip(), "status", status))
            if assignee is not None and assignee != (row[1] or ""):
                self._run(cur, 'UPDATE "enquiries" SET "assignee" = ? WHERE "uuid" = ?', (assignee, uuid))
                events.append((uuid, at, author.strip(), "assignee", assignee))
            if note:
                events.append((uuid, at, author.strip(), "note", note))
            if events:
                cur.executemany(self._sql('INSERT INTO "enquiry_events" ("uuid", "at", "author", "kind", "value") '
                                          "VALUES (?, ?, ?, ?, ?)"), events)
        found = self.enquiry(uuid)
        if found is None:  # erased by another staff member since
            raise StoreError(f"no enquiry {uuid!r} in {self.describe()}")
        return found

    def erase_enquiry(self, uuid: str, author: str, now: datetime | None = None) -> None:
        """Delete an enquiry and its history at the enquirer's request (the privacy notice's right to
        deletion); only its uuid, the time and ``author`` stay, so a later sync does not bring it back.

        :class:`DataError` without an author; :class:`StoreError` for an unknown uuid."""
        if not (author or "").strip():
            raise DataError([note_problem("problem.needs_author", "author")])
        at = (now or now_utc()).astimezone(UTC)
        with self._transaction() as cur:
            self._lock_store(cur)
            self._run(cur, 'SELECT 1 FROM "enquiries" WHERE "uuid" = ?', (uuid,))
            if cur.fetchone() is None:
                raise StoreError(f"no enquiry {uuid!r} in {self.describe()}")
            self._erase(cur, [uuid], at, author.strip(), "request")

    def purge_enquiries(self, now: datetime | None = None) -> int:
        """Delete the enquiries whose last event (the last contact) is older than :data:`RETENTION`, as
        the privacy notice promises; how many were deleted."""
        with self._transaction() as cur:
            self._lock_store(cur)
            return self._purge(cur, (now or now_utc()).astimezone(UTC))

    def _purge(self, cur: Any, now: datetime) -> int:
        self._run(cur, 'SELECT "uuid" FROM "enquiry_events" GROUP BY "uuid" HAVING MAX("at") < ?',
                  (_iso(now - RETENTION),))
        expired = [row[0] for row in cur.fetchall()]
        self._erase(cur, expired, now, "heza-geo", "retention")
        return len(expired)

    def _erase(self, cur: Any, uuids: Sequence[str], at: datetime, author: str, reason: str) -> None:
        for uuid in uuids:
            self._run(cur, 'DELETE FROM "enquiry_events" WHERE "uuid" = ?', (uuid,))
            self._run(cur, 'DELETE FROM "enquiries" WHERE "uuid" = ?', (uuid,))
            self._run(cur, 'INSERT INTO "enquiry_erasures" ("uuid", "at", "author", "reason") VALUES (?, ?, ?, ?)',
                      (uuid, _iso(at), author, reason))

    # --- first run ----------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.current_version() == 0

    def initialise_from(self, data_dir: Path | str, author: str = SYSTEM_AUTHOR) -> int:
        """Load a data directory (validated by :func:`heza_geo.io.load_dataset`) into an empty store."""
        data = load_dataset(data_dir)
        with self._transaction() as cur:
            self._lock_store(cur)
            self._run(cur, 'SELECT COUNT(*) FROM "changesets"')
            if int(cur.fetchone()[0]):
                raise StoreError(f"{self.describe()} already holds data; it is only initialised once")
            at = now_utc().isoformat()
            comment = INITIAL_COMMENT.format(folder=Path(data_dir).name)
            self._run(cur, 'INSERT INTO "changesets" ("at", "author", "comment", "kind") VALUES (?, ?, ?, ?) '
                           'RETURNING "id"', (at, author, comment, "initial"))
            version = int(cur.fetchone()[0])
            for name, schema in LAYERS.items():
                frame = data.layer(name)
                if frame.empty:
                    continue
                cols = ", ".join(f'"{c}"' for c in schema.column_names)
                geom_col, geom_mark = ("", "") if schema.is_table else (', "geom"', f", {self.geom_param}")
                marks = ", ".join("?" * (2 + len(schema.column_names)))
                rows = [[record_id(schema, s), version, *self._write_params(schema, s)]
                        for s in snapshots(frame, schema)]
                cur.executemany(self._sql(f'INSERT INTO "{name}" ("record_id", "row_version", {cols}{geom_col}) '  # noqa: S608 - names from the schema (LAYERS), values as parameters
                                          f"VALUES ({marks}{geom_mark})"), rows)
            self._after_write(cur, LAYERS)
        return version


def _schema(name: str) -> LayerSchema:
    try:
        return LAYERS[name]
    except KeyError:
        raise StoreError(f"unknown layer {name!r}; known: {', '.join(LAYERS)}") from None


def _check_who(author: str, comment: str) -> None:
    problems = []
    if not (author or "").strip():
        problems.append(problem("change", "", "problem.needs_author", None, "author"))
    if not (comment or "").strip():
        problems.append(problem("change", "", "problem.needs_comment", None, "comment"))
    if problems:
        raise DataError(problems)


def _iso(moment: datetime) -> str:
    """A UTC time as text of one fixed shape, so that SQLite compares stored times as text correctly."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
