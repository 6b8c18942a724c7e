"""A throwaway PostgreSQL + PostGIS server for the tests, from Debian's binaries.

``Cluster.start()`` runs ``initdb`` into a temporary folder and ``pg_ctl start`` on a free
loopback port (as the ``postgres`` user when the tests run as root, since PostgreSQL refuses to
run as root), with durability switched off for speed; ``stop()`` removes it all. Set
``HEZA_TEST_DATABASE_URL`` to a server of your own (a role that may create databases) to skip this.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATE = "heza_template"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_binaries() -> tuple[Path | None, str]:
    """The newest ``/usr/lib/postgresql/<ver>/bin`` that has PostGIS installed, or None and why not."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(re.sub(r"\D", "", p.parts[-3]) or 0), reverse=True)
    if not found:
        return None, "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): run `make setup-test` as root"
    for initdb in found:
        version = initdb.parts[-3]
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return initdb.parent, ""
    return None, f"PostGIS is not installed for PostgreSQL {found[0].parts[-3]}: apt-get install postgresql-postgis"


@dataclass
class Cluster:
    bindir: Path
    port: int = field(default_factory=_free_port)
    folder: Path | None = None
    user: str = "heza"
    _as: list[str] = field(default_factory=list)

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120)
        if result.returncode:
            log = (self.folder / "server.log") if self.folder else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({result.returncode}): "
                               f"{result.stderr or result.stdout}\n{tail}")

    def start(self) -> Cluster:
        self.folder = Path(tempfile.mkdtemp(prefix="heza-pg-"))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"), "-w",
                  "-t", "60", "-o", options, "start")
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def make_template(admin_url: str) -> None:
    """A database with PostGIS that test databases are copied from (CREATE DATABASE … TEMPLATE is fast)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone():
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    with psycopg.connect(admin_url.rsplit("/", 1)[0] + f"/{TEMPLATE}", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


@contextmanager
def throwaway(what: str, kind: type[Cluster] = Cluster) -> Iterator[Cluster]:
    """A started cluster of ``kind`` with the PostGIS template, stopped on exit; skips the test
    (saying ``what`` is not tested, and why) when PostgreSQL/PostGIS is not installed."""
    import pytest

    bindir, why = find_binaries()
    if bindir is None:
        pytest.skip(f"{what} NOT TESTED: {why}")
    cluster = kind(bindir).start()
    try:
        make_template(cluster.url())
        yield cluster
    finally:
        cluster.stop()
