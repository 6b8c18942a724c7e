"""The embedded store: one GeoPackage file, written with Python's sqlite3 (no SpatiaLite needed).

The file is a real GeoPackage 1.3 (``application_id`` GPKG, ``gpkg_spatial_ref_sys``,
``gpkg_contents``, ``gpkg_geometry_columns``, geometry as GeoPackage binary), so QGIS or GDAL open
its layers directly; ``changesets`` and ``versions`` are registered as attribute tables, so the
history can be browsed there too. Accounts and sessions are plain tables that GIS tools do not list.

Writes take SQLite's write lock at once (``BEGIN IMMEDIATE``) and use a rollback journal, so a
change set that fails leaves the file byte-for-byte as it was. There is no R-tree spatial index:
GDAL's index triggers need SpatiaLite-style functions that plain sqlite3 lacks, and a few
thousand features need none.

A damaged file (overwritten, cut short by a full disk, emptied: sqlite3's "file is not a database",
"database disk image is malformed", "no such table") is a store outage like a database that
cannot be reached: every sqlite3 error from it becomes :class:`StoreError`, the one error pages
treat as "show the last good copy, read-only, refuse edits". Two kinds stay what they are:
``IntegrityError`` (a concurrent insert: :meth:`SqlStore.apply` makes it a ConflictError) and
``ProgrammingError`` (a mistake in our own SQL or its parameters, not a property of the file).
"""

from __future__ import annotations

import logging
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from heza_geo.errors import StoreError
from heza_geo.schema import LayerSchema
from heza_geo.store.sql import SqlStore, now_utc

log = logging.getLogger(__name__)

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3
SRS_ID = 4326
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
    'AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_CORE_DDL = (
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
       organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
       description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
       identifier TEXT UNIQUE, description TEXT DEFAULT '',
       last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
       min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
       CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
       geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
       CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
       CONSTRAINT uk_gc_table_name UNIQUE (table_name),
       CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
       CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
)
_SRS_ROWS = (
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", SRS_ID, "EPSG", 4326, _WGS84_WKT,
     "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
)
_TYPES = {"str": "TEXT", "text": "TEXT", "float": "REAL", "int": "INTEGER", "date": "DATE", "bool": "BOOLEAN",
          "timestamp": "DATETIME", "json": "TEXT"}
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
#: tables GIS users may browse; the others (accounts, sessions) stay unregistered and unlisted
_REGISTERED_SYSTEM_TABLES = ("changesets", "versions")


def encode_gpkg(wkb: bytes) -> bytes:
    """GeoPackage binary: header (magic, flags, SRS id, XY envelope) + little-endian WKB."""
    import shapely

    geom = shapely.from_wkb(wkb)
    wkb = shapely.to_wkb(geom, byte_order=1, output_dimension=2)
    if geom.is_empty:
        return b"GP" + bytes([0, 0b00010001]) + struct.pack("<i", SRS_ID) + wkb
    minx, miny, maxx, maxy = geom.bounds
    return b"GP" + bytes([0, 0b00000011]) + struct.pack("<i4d", SRS_ID, minx, maxx, miny, maxy) + wkb


def decode_gpkg(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage binary geometry."""
    if blob is None:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise StoreError("not a GeoPackage geometry (bad magic bytes)")
    envelope = (blob[3] >> 1) & 0b111
    return blob[8 + _ENVELOPE_BYTES.get(envelope, 0):]


def _geometry_type_name(schema: LayerSchema) -> str:
    types = {t.upper() for t in schema.geometry_types or ()}
    if len(types) == 1:
        return types.pop()
    bases = {t.removeprefix("MULTI") for t in types}
    if len(bases) == 1:
        return "MULTI" + bases.pop()  # a Polygon in a MULTIPOLYGON layer is read fine by GDAL/QGIS
    return "GEOMETRY"


class GeoPackageStore(SqlStore):
    """A store in one GeoPackage file; see the module docstring."""

    backend = "gpkg"
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: Path | str, timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        if self.path.exists() and not self._is_geopackage():
            raise StoreError(f"{self.path} exists but is not a GeoPackage store")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            with self._transaction() as cur:
                cur.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                cur.execute(f"PRAGMA user_version = {USER_VERSION}")
                for ddl in _CORE_DDL:
                    cur.execute(ddl)
                cur.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _SRS_ROWS)
        self._keep_private()
        self.ensure_schema()

    def _keep_private(self) -> None:
        """The store holds password hashes and confidential columns: readable by its owner only
        (mode 0600; SQLite gives its journal files the database file's mode)."""
        try:
            if self.path.stat().st_mode & 0o077:
                self.path.chmod(0o600)
        except OSError as exc:  # another user's file, a read-only mount: said, not fatal
            log.warning("store %s: cannot make it private (mode 0600): %s", self.path.name, exc)

    def describe(self) -> str:
        return str(self.path)

    def _is_geopackage(self) -> bool:
        try:
            with self.path.open("rb") as handle:
                header = handle.read(100)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot be read: {exc.strerror or exc}") from exc
        return header[:16] == b"SQLite format 3\x00" and header[68:72] == struct.pack(">I", APPLICATION_ID)

    # --- dialect ------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open: {exc}") from exc
        conn.execute("PRAGMA journal_mode = DELETE")
        return conn

    @contextmanager
    def _faults(self) -> Iterator[None]:
        """A file sqlite3 cannot use (damaged, not a store, still locked after ``timeout_s``) is a
        :class:`StoreError`: the transaction did not commit, so nothing was written (module docstring)."""
        try:
            yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot be used (damaged?), nothing was written: "
                             f"{str(exc).strip() or type(exc).__name__}") from exc

    def _begin(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def _column_type(self, dtype: str) -> str:
        return _TYPES[dtype]

    def _existing_columns(self, cur: Any, table: str) -> list[str] | None:
        cur.execute(f'PRAGMA table_info("{table}")')
        rows = cur.fetchall()
        return [r[1] for r in rows] if rows else None

    def _register(self, cur: Any, table: str, data_type: str, description: str) -> None:
        cur.execute("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, "
                    "last_change, srs_id) VALUES (?, ?, ?, ?, ?, ?)",
                    (table, data_type, table, description, _gpkg_now(), SRS_ID if data_type == "features" else None))

    def _create_layer_table(self, cur: Any, schema: LayerSchema) -> None:
        columns = [f'"{c.name}" {_TYPES[c.dtype]}' for c in schema.columns]
        geom = [] if schema.is_table else [f'"geom" {_geometry_type_name(schema)}']
        definitions = [*geom, '"record_id" TEXT NOT NULL UNIQUE', '"row_version" INTEGER NOT NULL', *columns]
        cur.execute(f'CREATE TABLE "{schema.name}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
                    + ", ".join(definitions) + ")")
        self._register(cur, schema.name, "attributes" if schema.is_table else "features", schema.description)
        if not schema.is_table:
            cur.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                        (schema.name, _geometry_type_name(schema), SRS_ID))

    def _create_system_table(self, cur: Any, name: str, columns: Sequence[tuple[str, str]]) -> None:
        cols = ", ".join(f'"{c}" {_TYPES[t]}' for c, t in columns)
        cur.execute(f'CREATE TABLE "{name}" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {cols})')
        if name == "versions":
            cur.execute('CREATE INDEX "versions_record" ON "versions" ("layer", "record_id")')
            cur.execute('CREATE INDEX "versions_park" ON "versions" ("park_id")')
            cur.execute('CREATE INDEX "versions_version" ON "versions" ("version")')
        if name in _REGISTERED_SYSTEM_TABLES:
            self._register(cur, name, "attributes", f"heza-geo store: {name}")

    def _encode_geometry(self, wkb: bytes) -> bytes:
        return encode_gpkg(wkb)

    def _decode_geometry(self, value: Any) -> bytes | None:
        return decode_gpkg(value)

    def _after_write(self, cur: Any, layers: Iterable[str]) -> None:
        stamp = _gpkg_now()
        cur.executemany("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?",
                        [(stamp, name) for name in [*layers, *_REGISTERED_SYSTEM_TABLES]])


def _gpkg_now() -> str:
    return now_utc().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
