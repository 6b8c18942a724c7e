"""The nginx configuration of several app processes (the processes themselves: tests/e2e/test_cluster.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from heza_geo.cli.serve import BACKEND_HEADER, ROUTE_COOKIE, Cluster, find_nginx, nginx_conf
from heza_geo.errors import ClusterError


def test_every_process_is_an_upstream_and_visitors_stick_to_one_by_cookie(tmp_path: Path):
    conf = nginx_conf(8500, [8601, 8602, 8603], tmp_path)
    assert conf.count("server 127.0.0.1:86") == 3
    assert "hash $heza_route consistent;" in conf
    assert f"map $cookie_{ROUTE_COOKIE} $heza_route" in conf  # the route: the cookie, or this request's id
    assert f'"{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax"' in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf  # Streamlit's websocket
    assert f"add_header {BACKEND_HEADER} $upstream_addr always;" in conf
    assert "listen 127.0.0.1:8500;" in conf


@pytest.mark.skipif(find_nginx() is None, reason="NGINX NOT INSTALLED: apt-get install nginx")
def test_nginx_accepts_the_configuration(tmp_path: Path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(8500, [8601, 8602], tmp_path), encoding="utf-8")
    result = subprocess.run([find_nginx(), "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_cluster_without_processes_is_refused_with_the_reason():
    if find_nginx() is None:
        pytest.skip("NGINX NOT INSTALLED")
    with pytest.raises(ClusterError, match="at least 1"):
        Cluster(processes=0).start()
