"""The shared store: PostgreSQL with PostGIS, for several app servers on one database.

Selected when ``database_url`` (``HEZA_DATABASE_URL``) is set, e.g.
``postgresql://heza:…@db.example/heza``. Layers are tables with a real PostGIS column
(``geometry(Point, 4326)``, or ``geometry(Geometry, 4326)`` where a layer mixes types, each
with a GiST index), so QGIS, ``ogr2ogr`` or SQL can read them. The connecting role needs the
``postgis`` extension created (or the right to create it) and the right to create tables on first run.

Concurrency: a change set locks the records it touches (``SELECT … FOR UPDATE``) and checks their
``row_version``; an insert that races another insert of the same record hits the ``record_id``
unique constraint. Either way the transaction rolls back and the writer gets a
:class:`~heza_geo.store.base.ConflictError`. Schema creation and the first load hold an advisory
lock, so app servers starting together do not trip over each other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from heza_geo.errors import StoreError
from heza_geo.schema import LayerSchema
from heza_geo.store.sql import SqlStore

_TYPES = {"str": "text", "text": "text", "float": "double precision", "int": "bigint", "date": "date",
          "bool": "boolean", "timestamp": "timestamptz", "json": "jsonb"}
_LOCK_KEY = 0x4E5A6E6F  # advisory lock id for schema creation and the first load


def _geometry_type(schema: LayerSchema) -> str:
    types = schema.geometry_types or ()
    return types[0] if len(types) == 1 else "Geometry"


class PostGISStore(SqlStore):
    """A store in a PostgreSQL/PostGIS database; see the module docstring."""

    backend = "postgis"
    geom_param = "ST_GeomFromWKB(?, 4326)"
    geom_select = 'ST_AsBinary("geom")'
    json_param = "CAST(? AS jsonb)"
    for_update = " FOR UPDATE"
    integrity_errors = (psycopg.errors.IntegrityError,)

    def __init__(self, url: str, connect_timeout_s: int = 10) -> None:
        self.url = url
        self.connect_timeout_s = connect_timeout_s
        with self._transaction() as cur:
            cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            if cur.fetchone() is None:
                try:
                    cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                except psycopg.Error as exc:
                    raise StoreError(f"{self.describe()}: the postgis extension is missing and cannot be created "
                                     f"({exc.diag.message_primary or exc}); run CREATE EXTENSION postgis as a "
                                     "superuser") from exc
        self.ensure_schema()

    def describe(self) -> str:
        try:
            parts = conninfo_to_dict(self.url)
        except psycopg.ProgrammingError:
            return "postgresql (unparsable URL)"
        return (f"postgresql://{parts.get('user', '')}@{parts.get('host', '')}:{parts.get('port', '5432')}"
                f"/{parts.get('dbname', '')}")

    # --- dialect ------------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.url, autocommit=False, connect_timeout=self.connect_timeout_s)
        except psycopg.Error as exc:
            raise StoreError(f"{self.describe()}: cannot connect: {str(exc).strip().splitlines()[0]}") from exc

    @contextmanager
    def _faults(self) -> Iterator[None]:
        """A server that stops mid-statement is a :class:`StoreError` like one that cannot be reached:
        the transaction did not commit, so nothing was written, and the app falls back to its last good data."""
        try:
            yield
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{self.describe()}: connection lost, nothing was written: {first}") from exc

    def _begin(self, conn: psycopg.Connection) -> None:
        """psycopg opens the transaction with the first statement."""

    def _lock_store(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))

    def _sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def _column_type(self, dtype: str) -> str:
        return _TYPES[dtype]

    def _existing_columns(self, cur: Any, table: str) -> list[str] | None:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                    "AND table_name = %s ORDER BY ordinal_position", (table,))
        rows = cur.fetchall()
        return [r[0] for r in rows] if rows else None

    def _create_layer_table(self, cur: Any, schema: LayerSchema) -> None:
        columns = [f'"{c.name}" {_TYPES[c.dtype]}' for c in schema.columns]
        geom = [] if schema.is_table else [f'"geom" geometry({_geometry_type(schema)}, 4326)']
        definitions = [*geom, '"record_id" text NOT NULL UNIQUE', '"row_version" bigint NOT NULL', *columns]
        cur.execute(f'CREATE TABLE "{schema.name}" ("fid" bigserial PRIMARY KEY, ' + ", ".join(definitions) + ")")
        if not schema.is_table:
            cur.execute(f'CREATE INDEX "{schema.name}_geom" ON "{schema.name}" USING gist ("geom")')

    def _create_system_table(self, cur: Any, name: str, columns: Sequence[tuple[str, str]]) -> None:
        cols = ", ".join(f'"{c}" {_TYPES[t]}' for c, t in columns)
        cur.execute(f'CREATE TABLE "{name}" ("id" bigserial PRIMARY KEY, {cols})')
        if name == "versions":
            cur.execute('CREATE INDEX "versions_record" ON "versions" ("layer", "record_id")')
            cur.execute('CREATE INDEX "versions_park" ON "versions" ("park_id")')
            cur.execute('CREATE INDEX "versions_version" ON "versions" ("version")')

    def _encode_geometry(self, wkb: bytes) -> bytes:
        return wkb

    def _decode_geometry(self, value: Any) -> bytes | None:
        return None if value is None else bytes(value)
