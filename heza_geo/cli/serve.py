"""Several app processes behind nginx, sharing one store: ``python -m heza_geo serve``.

One Streamlit process uses about one core; an event server with more cores (or a crowd larger
than one process answers in time) runs several, each on its own loopback port, with nginx in
front. Streamlit keeps a visitor's session in the process that opened it (its websocket, uploads,
downloads), so the proxy must be **sticky**: open-source nginx has no ``sticky`` directive, so
the first response sets a ``heza_route`` cookie to the request's id and every later request
(the websocket included) is routed by ``hash`` of that cookie, i.e. to the same process.

The processes share data only through the store (``HEZA_DATABASE_URL``: PostGIS; or one
GeoPackage on this machine): an edit made through one process is seen by the others at their
next rerun, and pages left open rerun by themselves within seconds when the store's version
changes (``pages/common.watch_store``).

Plain Python (no Streamlit import): it writes nginx.conf and starts the processes.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from heza_geo.cli.run import streamlit_command
from heza_geo.config import REPO_ROOT, load_settings
from heza_geo.errors import ClusterError

ROUTE_COOKIE = "heza_route"
#: response header naming the app process that answered (tests and operators use it)
BACKEND_HEADER = "X-Heza-Backend"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
START_TIMEOUT_S = 90.0


def nginx_conf(listen: int, backends: Sequence[int], prefix: Path, host: str = "127.0.0.1",
               max_upload_mb: float = 50.0) -> str:
    """nginx.conf for ``backends`` (loopback ports) behind ``host:listen``, sticky by cookie.

    The access log holds no Streamlit session id (an upload's URL carries one, and a session id
    is enough to attach to that session): upload paths are logged as ``/_stcore/upload_file/-``,
    and no query string is logged. The log files are made by a process whose umask is 077
    (:class:`Cluster`), so only the app's user reads them. Bodies above ``max_upload_mb`` (plus a
    megabyte for the form around the file) are refused here before they reach an app process.
    """
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in backends)
    body_mb = math.ceil(max_upload_mb) + 1
    return f"""# written by heza_geo.cli.serve: {len(backends)} Streamlit processes behind one address
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    # $uri, not $request: no query string, and no session id in an upload's path
    map $uri $heza_log_uri {{
        ~^/_stcore/upload_file/  /_stcore/upload_file/-;
        default                  $uri;
    }}
    log_format heza '$remote_addr [$time_local] "$request_method $heza_log_uri" $status $body_bytes_sent '
                    '$request_time "$http_user_agent"';
    access_log {prefix}/access.log heza;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size {body_mb}m;  # the app checks max_upload_mb and who uploads, too (heza_geo.ui.guard)

    # Sticky sessions without nginx-plus: a visitor without the cookie is routed by the id of
    # this request, and gets that id as the cookie, so the hash routes all their requests alike.
    map $cookie_{ROUTE_COOKIE} $heza_route {{
        ""      $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    map $cookie_{ROUTE_COOKIE} $heza_set_route {{
        ""      "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}
    upstream heza_app {{
        hash $heza_route consistent;
{servers}
    }}
    server {{
        listen {host}:{listen};
        location / {{
            proxy_pass http://heza_app;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;  # with the port: the sign-in compares it with Origin
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1d;   # a session's websocket stays open all day on an event screen
            proxy_buffering off;
            add_header Set-Cookie $heza_set_route always;
            add_header {BACKEND_HEADER} $upstream_addr always;
        }}
    }}
}}
"""


def _private(path: Path, mode: str):  # noqa: ANN202 - a binary file object
    """``path`` opened for writing, readable by this user only (logs may name accounts and addresses)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    return os.fdopen(os.open(path, flags, 0o600), mode)


def find_nginx() -> str | None:
    for candidate in (shutil.which("nginx"), *NGINX_CANDIDATES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _wait_http(url: str, process: subprocess.Popen, what: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"{what} exited with code {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise ClusterError(f"{what} did not answer {url} within {timeout:.0f} s (log: {log})")


@dataclass
class Cluster(AbstractContextManager["Cluster"]):
    """``processes`` app processes and nginx in front, on loopback; stopped on exit.

    ``env`` is added to every app process's environment (e.g. ``HEZA_DATABASE_URL``).
    """

    processes: int = 2
    port: int = 0
    env: Mapping[str, str] = field(default_factory=dict)
    python: str = sys.executable
    workdir: Path | None = None
    backends: list[int] = field(default_factory=list)
    _children: list[subprocess.Popen] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pids(self) -> list[int]:
        """The app processes (not nginx), e.g. for their memory."""
        return [p.pid for p in self._children[: len(self.backends)]]

    def running(self) -> bool:
        """Every app process and nginx still up."""
        return bool(self._children) and all(child.poll() is None for child in self._children)

    def start(self) -> Cluster:
        nginx = find_nginx()
        if nginx is None:
            raise ClusterError("nginx is not installed (Debian: apt-get install nginx)")
        if self.processes < 1:
            raise ClusterError(f"--processes must be at least 1, got {self.processes}")
        if self.workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="heza-cluster-")
            self.workdir = Path(self._tmp.name)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o711)  # nginx's workers (user nobody under root) pass through; nobody lists it
        self.port = self.port or free_port()
        self.backends = [free_port() for _ in range(self.processes)]
        env = {**os.environ, **self.env}
        settings = load_settings(env)  # what every app process will read
        try:
            for index, port in enumerate(self.backends):
                log = self.workdir / f"app-{index + 1}.log"
                command = streamlit_command(port, settings=settings, python=self.python,
                                            extra=["--server.fileWatcherType", "none"])
                self._children.append(subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=_private(log, "wb"),
                                                       stderr=subprocess.STDOUT, start_new_session=True,
                                                       umask=0o077))
            for index, (port, child) in enumerate(zip(self.backends, self._children, strict=False)):
                _wait_http(f"http://127.0.0.1:{port}/_stcore/health", child, f"app process {index + 1}",
                           self.workdir / f"app-{index + 1}.log", START_TIMEOUT_S)
            conf = self.workdir / "nginx.conf"
            conf.write_text(nginx_conf(self.port, self.backends, self.workdir,
                                       max_upload_mb=settings.max_upload_mb), encoding="utf-8")
            log = self.workdir / "error.log"
            proxy = subprocess.Popen([nginx, "-p", str(self.workdir), "-c", str(conf)], stdout=_private(log, "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True, umask=0o077)
            self._children.append(proxy)
            _wait_http(f"{self.url}/_stcore/health", proxy, "nginx", log, 15.0)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for child in reversed(self._children):
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
        for child in self._children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self._children.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


# --- python -m heza_geo serve -------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2,
                        help="app processes behind nginx (default: one per core)")
    parser.add_argument("--port", type=int, default=8500, help="the address visitors open (default 8500)")
    parser.add_argument("--workdir", type=Path, help="where nginx.conf and the logs go (default: a temporary folder)")


def run(args: argparse.Namespace) -> int:
    cluster = Cluster(processes=args.processes, port=args.port, workdir=args.workdir)
    try:
        cluster.start()
    except ClusterError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2
    store = load_settings().database_url
    print(f"serving {cluster.url} : {args.processes} app processes on ports "
          f"{', '.join(map(str, cluster.backends))} behind nginx; logs in {cluster.workdir}")
    if args.processes > 1 and not store:
        print("note: no database_url (HEZA_DATABASE_URL or heza.toml): each process reads the data directory "
              "(or GeoPackage store) on this machine; set it to share a PostGIS database", file=sys.stderr)
    stop = {"now": False}
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.update(now=True))
    try:
        while not stop["now"]:
            if not cluster.running():
                print("serve: a process exited; stopping the others", file=sys.stderr)
                return 1
            time.sleep(1)
    finally:
        cluster.stop()
    return 0
