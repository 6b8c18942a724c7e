"""``python -m heza_geo sync --to URL``: a laptop's enquiries reach the shared PostGIS once, as they were.

Runs against a throwaway PostgreSQL/PostGIS cluster (``tests/store/pgcluster.py``; skipped, saying so,
where PostgreSQL is not installed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pgcluster import TEMPLATE, throwaway  # tests/store, on the tests' path (pyproject.toml)

from heza_geo import enquiries
from heza_geo.config import REPO_ROOT, Settings
from heza_geo.store.gpkg import GeoPackageStore
from heza_geo.store.postgis import PostGISStore

#: a month ago: a synced enquiry past its retention (730 days after its last event) is deleted, so no fixed date
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with throwaway("SYNC TO POSTGIS") as started:
        yield started.url()


@pytest.fixture
def shared_url(cluster: str, request: pytest.FixtureRequest) -> str:
    import psycopg

    name = f"heza_sync_{request.node.name[:30].lower().replace('[', '_').replace(']', '')}"
    with psycopg.connect(cluster, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    return cluster.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def laptop(tiny_dir: Path, tmp_path: Path) -> GeoPackageStore:
    """The presenter's laptop after the event: two enquiries, one already followed up."""
    store = GeoPackageStore(tmp_path / "laptop.gpkg")
    store.initialise_from(tiny_dir)
    data = store.read_dataset()
    for i, name in enumerate(("Kim Min-jun", "Sato Haruka")):
        form = {"uuid": enquiries.new_uuid(), "name": name, "email": f"v{i}@example.com", "consent": True,
                "parks": ["A"], "message": "<script>alert(1)</script> 12 ha"}
        sent = enquiries.submit(store, form, data, f"s{i}", "10.0.0.1", Settings(), now=T0 + timedelta(minutes=i))
        assert sent.outcome == "stored"
    first = store.enquiries()[-1].uuid
    store.update_enquiry(first, "lan", status="contacted", note="met at the stand", now=T0 + timedelta(hours=1))
    return store


def sync(laptop: GeoPackageStore, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEZA_STORE_PATH": str(laptop.path), "HEZA_CONFIG": str(laptop.path.parent / "none.toml")}
    env.pop("HEZA_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "heza_geo", "sync", "--to", url], capture_output=True, text=True,
                          env=env, cwd=REPO_ROOT, timeout=120)


def test_sync_twice_sends_each_enquiry_once_with_its_time_and_history(laptop, shared_url):
    first = sync(laptop, shared_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("sync: 2 enquiries sent to postgresql://") and first.stdout.count("\n") == 1
    assert first.stdout.rstrip().endswith(", 0 there already")
    again = sync(laptop, shared_url)
    assert again.returncode == 0 and "sync: 0 enquiries sent" in again.stdout
    assert again.stdout.rstrip().endswith(", 2 there already")
    shared = PostGISStore(shared_url)
    assert [e.uuid for e in shared.enquiries()] == [e.uuid for e in laptop.enquiries()]
    for there, here in zip(shared.enquiries(history=True), laptop.enquiries(history=True), strict=True):
        assert there == here  # submitted time, status, notes and who did what, when: all as on the laptop
    followed = shared.enquiries(status="contacted", history=True)[0]
    assert followed.submitted_at == T0 and followed.message == "<script>alert(1)</script> 12 ha"
    assert [(e.kind, e.author, e.at) for e in followed.history] == [
        ("submitted", "enquirer", T0), ("status", "lan", T0 + timedelta(hours=1)),
        ("note", "lan", T0 + timedelta(hours=1))]
    assert shared.execute('SELECT COUNT(*) FROM "enquiries" WHERE "session_hash" IS NOT NULL') == [(0,)]
    shared.close()


def test_an_unreachable_database_exits_non_zero_with_one_line_and_no_password(laptop, cluster):
    port = cluster.rsplit(":", 1)[1].split("/")[0]
    done = sync(laptop, f"postgresql://heza:Zq7-secret@127.0.0.1:{int(port) + 1}/nowhere")
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.startswith("sync: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Zq7" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("url", ["postgresql://heza:Zq7-secret@127.0.0.1:notaport/x", "http://heza:Zq7-secret@host/x",
                                 "postgresql://heza:Zq7-secret@[::1/x"])
def test_a_bad_url_exits_non_zero_with_one_line_and_no_password(laptop, url):
    done = sync(laptop, url)
    assert done.returncode != 0 and done.stderr.startswith("sync: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Zq7" not in done.stderr and "Traceback" not in done.stderr


def test_without_a_local_store_it_says_what_to_set(tmp_path):
    env = {**os.environ, "HEZA_CONFIG": str(tmp_path / "none.toml")}
    env.pop("HEZA_STORE_PATH", None)
    done = subprocess.run([sys.executable, "-m", "heza_geo", "sync", "--to", "postgresql://heza@127.0.0.1/x"],
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 2 and "HEZA_STORE_PATH" in done.stderr and "Traceback" not in done.stderr
