"""Faults on a real store: a database that stops mid-session, an import killed half-way.

The PostGIS tests run on a cluster of their own (``pgcluster.Cluster``), which they stop and start
with ``pg_ctl``; the shared one of ``conftest.py`` stays up for the other tests.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import Cluster, throwaway
from storekit import fingerprint

from heza_geo.errors import StoreError
from heza_geo.store.postgis import PostGISStore

REPO_ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count()


class PausableCluster(Cluster):
    """A cluster the test can stop and start again on the same port, keeping its data."""

    def pause(self) -> None:
        """Stop the server, closing every session (fast: with synchronous_commit off, an immediate stop
        could lose the last commits, which is a durability setting of these tests, not the fault tested)."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "-o", options, "start")


@pytest.fixture(scope="module")
def cluster() -> Iterator[PausableCluster]:
    with throwaway("POSTGIS FAULTS", PausableCluster) as running:
        yield running  # type: ignore[misc]  # throwaway() gives back the PausableCluster it made


@pytest.fixture
def pg_store(cluster: PausableCluster, tiny_dir: Path) -> PostGISStore:
    import psycopg

    name = f"faults_{os.getpid()}_{next(_names)}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE heza_template')
    store = PostGISStore(cluster.url(name), connect_timeout_s=3)
    store.initialise_from(tiny_dir)
    return store


def test_a_stopped_database_refuses_reads_and_edits_with_a_store_error_then_recovers(cluster, pg_store):
    before = fingerprint(pg_store)
    cluster.pause()
    try:
        with pytest.raises(StoreError, match="cannot connect"):
            pg_store.current_version()
        with pytest.raises(StoreError):
            pg_store.read_dataset(public=True)
        with pytest.raises(StoreError):
            pg_store.edit_record("plots", "A-3", {"tenant": "While down"}, 1, "lan", "phone call")
    finally:
        cluster.resume()
    # the same store object works again: no restart needed, and nothing was half-written
    assert pg_store.current_version() == 1
    assert fingerprint(pg_store) == before
    assert pg_store.edit_record("plots", "A-3", {"tenant": "After"}, 1, "lan", "phone call") == 2


def test_a_database_that_stops_inside_an_edit_writes_nothing(cluster, pg_store, monkeypatch):
    before = fingerprint(pg_store)
    fetch = type(pg_store)._fetch

    def fetch_then_die(self, cur, *args, **kwargs):
        rows = fetch(self, cur, *args, **kwargs)
        cluster.pause()  # the server goes away with the transaction open
        return rows

    monkeypatch.setattr(type(pg_store), "_fetch", fetch_then_die)
    try:
        with pytest.raises(StoreError, match="connection lost, nothing was written"):
            pg_store.edit_record("plots", "A-3", {"tenant": "Half"}, 1, "lan", "phone call")
    finally:
        monkeypatch.undo()
        cluster.resume()
    assert fingerprint(pg_store) == before
    assert pg_store.current_version() == 1


_SLOW_IMPORT = """
import sys, time
import heza_geo.store.sql as sql
apply_in = sql.SqlStore._apply_in
def slow(self, cur, *args, **kwargs):
    version = apply_in(self, cur, *args, **kwargs)
    print("WRITTEN, NOT COMMITTED", flush=True)
    time.sleep(120)
    return version
sql.SqlStore._apply_in = slow
from heza_geo.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _plots_file(folder: Path) -> Path:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from heza_geo.schema import METRIC_CRS, WGS84

    rows = [{"plot_id": f"A-{n}", "park_id": "A", "status": "available", "area_ha": 7.2, "tenant": "", "sector": "",
             "source": "HEZA survey 2025", "geometry_quality": "surveyed"} for n in range(6, 9)]
    boxes = [box(650_000 + 100 * n, 2_300_000, 650_000 + 100 * n + 90, 2_300_900) for n in range(6, 9)]
    path = folder / "plots.geojson"
    path.write_text(gpd.GeoDataFrame(pd.DataFrame(rows), geometry=boxes, crs=METRIC_CRS).to_crs(WGS84).to_json())
    return path


def test_an_import_killed_half_way_leaves_the_store_as_it_was(store, tiny_dir, tmp_path):
    """The CLI process is killed (SIGKILL) after writing its rows, before the commit."""
    before = fingerprint(store)
    env = {**os.environ, "HEZA_DATA_DIR": str(tiny_dir)}
    if store.backend == "gpkg":
        env["HEZA_STORE_PATH"] = str(store.path)
        env.pop("HEZA_DATABASE_URL", None)
    else:
        env["HEZA_DATABASE_URL"] = store.url
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_IMPORT, "import", str(_plots_file(tmp_path)),
                             "--layer", "plots", "--author", "lan", "--comment", "killed"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:  # type: ignore[union-attr]  # stdout=PIPE: never None
            if line.startswith("WRITTEN"):
                break
        else:
            pytest.fail(f"the import never reached its write: {proc.stderr.read()}")  # type: ignore[union-attr]  # stderr=PIPE: never None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    # the next reader sees the store as before (SQLite rolls back its hot journal on open)
    assert store.current_version() == 1
    assert "A-6" not in set(store.read_dataset().plots["plot_id"])
    assert fingerprint(store) == before


# --- what a visitor sees (Streamlit's AppTest, no browser) ----------------------------------------------------
APPS = REPO_ROOT / "tests" / "apps"


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    import streamlit as st

    st.cache_resource.clear()  # a fresh app process: settings, store and data are cached per process
    monkeypatch.setenv("HEZA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    yield monkeypatch
    st.cache_resource.clear()


def test_the_map_keeps_the_last_good_data_read_only_while_the_database_is_down_and_recovers(cluster, pg_store, app_env):
    from streamlit.testing.v1 import AppTest

    from heza_geo import i18n

    app_env.setenv("HEZA_DATABASE_URL", pg_store.url)
    app = AppTest.from_file(str(APPS / "dataset_probe.py"), default_timeout=60).run()
    assert [m.value for m in app.markdown] == ["parks=3"] and not app.warning
    cluster.pause()
    try:
        app.run()
        assert [m.value for m in app.markdown] == ["parks=3"]
        [notice] = app.warning
        assert notice.value.startswith(i18n.t("msg.store_offline", "en"))
        assert not app.exception
    finally:
        cluster.resume()
    app.run()
    assert [m.value for m in app.markdown] == ["parks=3"] and not app.warning


def test_the_staff_page_refuses_edits_while_the_database_is_down(cluster, pg_store, app_env):
    from streamlit.testing.v1 import AppTest

    from heza_geo import i18n

    app_env.setenv("HEZA_DATABASE_URL", pg_store.url)
    cluster.pause()
    try:
        app = AppTest.from_file(str(APPS / "data_management_probe.py"), default_timeout=60).run()
    finally:
        cluster.resume()
    assert not app.exception
    [error] = app.error
    assert error.value.startswith(i18n.t("dm.store_offline", "en"))
    assert not app.text_input  # no login or edit form is offered


def test_a_restart_on_a_truncated_file_shows_the_last_good_data_and_names_the_file(tiny_dir, app_env):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from heza_geo import i18n

    app_env.delenv("HEZA_DATABASE_URL", raising=False)
    app_env.delenv("HEZA_STORE_PATH", raising=False)
    app_env.setenv("HEZA_DATA_DIR", str(tiny_dir))
    AppTest.from_file(str(APPS / "dataset_probe.py"), default_timeout=60).run()  # a good start keeps a copy
    gpkg = tiny_dir / "heza.gpkg"
    gpkg.write_bytes(gpkg.read_bytes()[: gpkg.stat().st_size // 2])
    st.cache_resource.clear()  # restart
    app = AppTest.from_file(str(APPS / "dataset_probe.py"), default_timeout=60).run()
    assert [m.value for m in app.markdown] == ["parks=3"]
    [notice] = app.warning
    assert notice.value.startswith(i18n.t("msg.showing_last_good", "en"))
    assert i18n.t("msg.broken_files", "en", files="`heza.gpkg`") in notice.value


# --- a damaged GeoPackage store is an outage, not a crash ---------------------------------------------------
#: how a store file gets damaged: overwritten (a bad copy, a disk error), cut short (a full disk), emptied
DAMAGE = ("overwritten with garbage", "truncated to half", "emptied")


def _damage(path: Path, how: str) -> None:
    content = path.read_bytes()
    if how == "overwritten with garbage":
        path.write_bytes((b"\x13\x37 not a database: what a bad copy or a failing disk leaves " * 4096)[: len(content)])
    elif how == "truncated to half":
        path.write_bytes(content[: len(content) // 2])
    else:
        path.write_bytes(b"")


@pytest.fixture
def gpkg_store(tiny_dir: Path, tmp_path: Path):
    from heza_geo.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "store" / "heza-store.gpkg")
    store.initialise_from(tiny_dir)
    return store


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_geopackage_store_raises_store_errors_not_sqlite_errors(gpkg_store, how):
    """Every way in (reads, writes, accounts, opening it again) says StoreError: the one error pages treat as an
    outage. The message names the file, for the server log."""
    from heza_geo.store.gpkg import GeoPackageStore

    assert gpkg_store.current_version() == 1
    _damage(gpkg_store.path, how)
    calls = {
        "current_version": gpkg_store.current_version,
        "read_dataset": lambda: gpkg_store.read_dataset(public=True),
        "read_layer": lambda: gpkg_store.read_layer("plots"),
        "history": gpkg_store.history,
        "versions": gpkg_store.versions,
        "execute": lambda: gpkg_store.execute('SELECT COUNT(*) FROM "accounts"'),
        "edit_record": lambda: gpkg_store.edit_record("plots", "A-3", {"tenant": "Bad disk"}, 1, "lan", "phone call"),
        "revert": lambda: gpkg_store.revert(1, "lan", "undo"),
        "open again": lambda: GeoPackageStore(gpkg_store.path),
    }
    for name, call in calls.items():
        try:
            call()
        except StoreError as exc:
            assert gpkg_store.path.name in str(exc), name
        except Exception as exc:  # noqa: BLE001 - the point: nothing else gets out
            pytest.fail(f"{name}: {type(exc).__module__}.{type(exc).__name__}: {exc}")
        else:
            pytest.fail(f"{name}: no error on a {how} store file")


def test_a_conflicting_insert_is_still_a_conflict_not_an_outage(gpkg_store, monkeypatch):
    """sqlite3.IntegrityError (a DatabaseError too) stays what the store makes of it: a ConflictError."""
    import sqlite3

    from heza_geo.errors import ConflictError
    from heza_geo.store.base import Change

    def racing(self, cur, *args, **kwargs):  # another writer's insert won the race
        raise sqlite3.IntegrityError("UNIQUE constraint failed: plots.record_id")

    monkeypatch.setattr(type(gpkg_store), "_apply_in", racing)
    with pytest.raises(ConflictError, match="at the same time"):
        gpkg_store.apply([Change("plots", "A-9", "insert", after={})], "lan", "race")


def _gpkg_app_env(app_env, tiny_dir: Path, store_path: Path) -> None:
    app_env.delenv("HEZA_DATABASE_URL", raising=False)
    app_env.setenv("HEZA_DATA_DIR", str(tiny_dir))  # fills the new store on first open
    app_env.setenv("HEZA_STORE_PATH", str(store_path))


@pytest.mark.parametrize("restart", [False, True], ids=["same process", "after a restart"])
@pytest.mark.parametrize("how", DAMAGE[:2])
def test_the_map_keeps_the_last_good_data_read_only_when_the_store_file_is_damaged(tiny_dir, tmp_path, app_env,
                                                                                   how, restart):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from heza_geo import i18n

    store_path = tmp_path / "store" / "heza-store.gpkg"
    _gpkg_app_env(app_env, tiny_dir, store_path)
    app = AppTest.from_file(str(APPS / "dataset_probe.py"), default_timeout=60).run()  # loads fine: a copy is kept
    assert [m.value for m in app.markdown] == ["parks=3"] and not app.warning and not app.exception
    _damage(store_path, how)
    if restart:
        st.cache_resource.clear()
        app = AppTest.from_file(str(APPS / "dataset_probe.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert [m.value for m in app.markdown] == ["parks=3"]
    [notice] = app.warning
    assert notice.value.startswith(i18n.t("msg.store_offline", "en"))
    assert str(store_path.parent) not in notice.value


@pytest.mark.parametrize("how", DAMAGE[:2])
def test_the_staff_page_refuses_edits_when_the_store_file_is_damaged(tiny_dir, tmp_path, app_env, how):
    from streamlit.testing.v1 import AppTest

    from heza_geo import i18n
    from heza_geo.store.gpkg import GeoPackageStore

    store_path = tmp_path / "store" / "heza-store.gpkg"
    _gpkg_app_env(app_env, tiny_dir, store_path)
    GeoPackageStore(store_path).initialise_from(tiny_dir)
    _damage(store_path, how)
    app = AppTest.from_file(str(APPS / "data_management_probe.py"), default_timeout=60).run()
    assert not app.exception
    [error] = app.error
    assert error.value.startswith(i18n.t("dm.store_offline", "en"))
    assert not app.text_input  # no login or edit form is offered
