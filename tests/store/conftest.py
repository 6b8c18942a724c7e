"""The ``store`` fixture: every test here runs against the GeoPackage and the PostGIS backend.

Both start from the tiny dataset of ``tests/conftest.py``. PostGIS runs in one throwaway cluster
per test session (``pgcluster.Cluster``); each test gets a fresh database copied from a template.
When PostgreSQL/PostGIS is not installed the PostGIS half is skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import TEMPLATE, make_template, throwaway  # beside this file, on the tests' path (pyproject.toml)

from heza_geo.store.sql import SqlStore

BACKENDS = ["gpkg", "postgis"]
_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL server (database ``postgres``) whose role may create databases."""
    given = os.environ.get("HEZA_TEST_DATABASE_URL")
    if given:
        make_template(given)
        yield given
        return
    with throwaway("POSTGIS BACKEND") as cluster:
        yield cluster.url()


@pytest.fixture
def postgis_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database with PostGIS; dropped after the test."""
    import psycopg

    admin = request.getfixturevalue("postgres_admin_url")
    name = f"heza_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> SqlStore:
    if backend == "gpkg":
        from heza_geo.store.gpkg import GeoPackageStore

        return GeoPackageStore(tmp_path / "store.gpkg")
    from heza_geo.store.postgis import PostGISStore

    return PostGISStore(request.getfixturevalue("postgis_url"))


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> SqlStore:
    """A store with the schema's tables and no data."""
    return make_store(request.param, request, tmp_path)


@pytest.fixture
def store(empty_store: SqlStore, tiny_dir: Path) -> SqlStore:
    """A store holding the tiny dataset (version 1)."""
    empty_store.initialise_from(tiny_dir)
    return empty_store
