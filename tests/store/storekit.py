"""Helpers for the store tests (a plain module: ``conftest`` names clash across test folders)."""

from __future__ import annotations

from heza_geo.store.sql import SqlStore


def fingerprint(store: SqlStore) -> str:
    """Everything the store holds, as a digest: the file's bytes (GeoPackage) or a dump of every table."""
    import hashlib

    if store.backend == "gpkg":
        return hashlib.sha256(store.path.read_bytes()).hexdigest()  # type: ignore[attr-defined]  # a GeoPackageStore
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(store.url) as conn:  # type: ignore[attr-defined]  # a PostGISStore
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").fetchall()]
        for table in tables:
            digest.update(table.encode())
            rows = conn.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1')  # noqa: S608 - names from pg_tables
            for (row,) in rows.fetchall():
                digest.update(row.encode())
    return digest.hexdigest()
