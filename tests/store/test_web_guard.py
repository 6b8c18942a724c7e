"""The app's HTTP guard (heza_geo.ui.guard.Guard) as ASGI, on both stores: sign-in cookie, uploads,
metrics and Streamlit's clear-cache message. The running app: tests/e2e/test_security.py."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from heza_geo.config import REPO_ROOT, Settings
from heza_geo.store import auth
from heza_geo.ui import guard as web

PASSWORD = "đúng-mật-khẩu-2026"
HOST = "gis.heza.example"


@dataclass
class Inner:
    """Streamlit as the guard sees it: records what reaches it and answers 200."""

    calls: list[str] = field(default_factory=list)
    received: list[Any] = field(default_factory=list)

    async def __call__(self, scope, receive, send) -> None:
        self.calls.append(scope["path"])
        if scope["type"] == "websocket":
            while (message := await receive())["type"] != "websocket.disconnect":
                self.received.append(message)
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


class OneStore:
    def __init__(self, store) -> None:
        self.store = store

    def get(self):
        return self.store


@dataclass
class Answer:
    status: int
    headers: dict[str, str]

    def cookie(self) -> str:
        return self.headers.get("set-cookie", "")


def _run(coroutine) -> None:
    """``asyncio.run`` in a thread of its own (in a whole-suite run the browser tests' Playwright
    keeps an event loop running in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def call(guard: web.Guard, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
         scheme: str = "http") -> Answer:
    head = {"host": HOST, **(headers or {})}
    scope = {"type": "http", "method": method, "path": path, "scheme": scheme, "client": ("203.0.113.9", 5555),
             "headers": [(k.lower().encode(), v.encode()) for k, v in head.items()]}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    _run(guard(scope, receive, send))
    start = sent[0]
    return Answer(start["status"], {k.decode(): v.decode() for k, v in start["headers"]})


def form(**values: str) -> bytes:
    return urlencode(values).encode()


SAME_ORIGIN = {"origin": f"http://{HOST}", "content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def guard(store) -> tuple[web.Guard, Inner]:
    auth.add_account(store, "lan", PASSWORD, "staff")
    inner = Inner()
    return web.Guard(inner, Settings(max_upload_mb=1.0, session_hours=8.0), stores=OneStore(store)), inner


def sign_in(guard: web.Guard) -> str:
    answer = call(guard, "POST", web.SIGNIN_PATH,
                  form(account="lan", password=PASSWORD, next="/data_management?lang=vi"), SAME_ORIGIN)
    return answer.cookie().split(";")[0].split("=", 1)[1]


# --- sign-in ------------------------------------------------------------------------------------
def test_a_right_password_answers_an_httponly_strict_cookie_and_goes_back_to_the_page(guard, store):
    guard, inner = guard
    answer = call(guard, "POST", web.SIGNIN_PATH,
                  form(account="lan", password=PASSWORD, next="/data_management?lang=vi"), SAME_ORIGIN)
    assert answer.status == 303 and answer.headers["location"] == "/data_management?lang=vi"
    cookie = answer.cookie()
    assert cookie.startswith("heza_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Max-Age=28800" in cookie and "Secure" not in cookie  # plain http on loopback
    token = cookie.split(";")[0].split("=", 1)[1]
    assert auth.session_for(store, token).account == "lan"
    assert not inner.calls  # Streamlit never saw the password


def test_the_cookie_is_secure_behind_an_https_proxy(guard):
    guard, _ = guard
    answer = call(guard, "POST", web.SIGNIN_PATH, form(account="lan", password=PASSWORD),
                  {**SAME_ORIGIN, "x-forwarded-proto": "https"})
    assert "; Secure" in answer.cookie()


def test_a_wrong_password_goes_back_with_the_outcome_and_no_cookie(guard):
    guard, _ = guard
    answer = call(guard, "POST", web.SIGNIN_PATH,
                  form(account="lan", password="wrong-password", next="/data_management?lang=en"), SAME_ORIGIN)
    assert answer.headers["location"] == "/data_management?lang=en&signin=failed"
    assert "set-cookie" not in answer.headers


def test_a_sign_in_posted_from_another_site_is_refused_without_a_password_check(guard, store):
    guard, _ = guard
    answer = call(guard, "POST", web.SIGNIN_PATH, form(account="lan", password=PASSWORD),
                  {"origin": "https://evil.example", "content-type": "application/x-www-form-urlencoded"})
    assert "signin=refused" in answer.headers["location"] and "set-cookie" not in answer.headers
    assert not store.execute('SELECT 1 FROM "login_failures"')


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "data_management"])
def test_after_sign_in_the_browser_is_never_sent_to_another_site(guard, target):
    guard, _ = guard
    answer = call(guard, "POST", web.SIGNIN_PATH, form(account="lan", password=PASSWORD, next=target), SAME_ORIGIN)
    assert answer.headers["location"] == "/data_management"


def test_sign_out_ends_the_session_in_the_store_and_clears_the_cookie(guard, store):
    guard, _ = guard
    token = sign_in(guard)
    answer = call(guard, "POST", web.SIGNOUT_PATH, form(next="/data_management?lang=en"),
                  {**SAME_ORIGIN, "cookie": f"heza_session={token}"})
    assert answer.headers["location"] == "/data_management?lang=en"
    assert answer.cookie().startswith("heza_session=;") and "Max-Age=0" in answer.cookie()
    assert auth.session_for(store, token) is None


# --- uploads and metrics -------------------------------------------------------------------------
UPLOAD = "/_stcore/upload_file/0f1e2d3c-session/file-1"


def test_a_public_upload_is_refused_before_streamlit_reads_it(guard):
    guard, inner = guard
    assert call(guard, "PUT", UPLOAD, b"x" * 1000, {"content-length": "1000"}).status == 403
    assert call(guard, "PUT", UPLOAD, b"x", {"content-length": "1", "cookie": "heza_session=made-up"}).status == 403
    assert not inner.calls


def test_a_staff_upload_passes_within_the_cap_and_is_refused_above_it(guard):
    guard, inner = guard
    cookie = {"cookie": f"heza_session={sign_in(guard)}"}
    assert call(guard, "PUT", UPLOAD, b"x" * 1000, {**cookie, "content-length": "1000"}).status == 200
    assert call(guard, "PUT", UPLOAD, b"", {**cookie, "content-length": str(2 * 1024 * 1024)}).status == 413
    assert call(guard, "PUT", UPLOAD, b"", cookie).status == 411  # no length: a stream without end
    assert inner.calls == [UPLOAD]


def test_uploads_are_counted_per_account(guard):
    guard, _ = guard
    cookie = {"cookie": f"heza_session={sign_in(guard)}", "content-length": "10"}
    statuses = [call(guard, "PUT", UPLOAD, b"x" * 10, cookie).status for _ in range(web.UPLOADS_PER_WINDOW + 1)]
    assert statuses[:-1] == [200] * web.UPLOADS_PER_WINDOW and statuses[-1] == 429


def test_the_metrics_endpoint_answers_not_found(guard):
    guard, inner = guard
    assert call(guard, "GET", "/_stcore/metrics").status == 404
    assert call(guard, "GET", "/_stcore/health").status == 200
    assert inner.calls == ["/_stcore/health"]


# --- the websocket ---------------------------------------------------------------------------------
def test_a_clear_cache_flood_never_reaches_streamlit_and_reruns_still_do(guard):
    guard, inner = guard
    clear, rerun = BackMsg(), BackMsg()
    clear.clear_cache = True
    rerun.rerun_script.query_string = "lang=en"
    stream = [{"type": "websocket.receive", "bytes": clear.SerializeToString()} for _ in range(100)]
    stream += [{"type": "websocket.receive", "bytes": rerun.SerializeToString()}, {"type": "websocket.disconnect"}]

    async def receive() -> dict[str, Any]:
        return stream.pop(0)

    async def send(message: dict[str, Any]) -> None:
        pass

    _run(guard({"type": "websocket", "path": "/_stcore/stream", "headers": []}, receive, send))
    kinds = [BackMsg.FromString(m["bytes"]).WhichOneof("type") for m in inner.received]
    assert kinds == ["rerun_script"]


# --- the staff page without the guard ------------------------------------------------------------
def test_under_a_bare_streamlit_run_the_staff_page_offers_no_sign_in_and_says_how_to_start(tmp_path, monkeypatch,
                                                                                             tiny_dir):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from heza_geo import i18n
    from heza_geo.store.gpkg import GeoPackageStore

    GeoPackageStore(tmp_path / "store.gpkg").initialise_from(tiny_dir)
    monkeypatch.setenv("HEZA_STORE_PATH", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("HEZA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    monkeypatch.setattr(web, "_guarded", False)
    st.cache_resource.clear()
    probe = REPO_ROOT / "tests" / "apps" / "data_management_probe.py"
    try:
        app = AppTest.from_file(str(probe), default_timeout=60).run()
    finally:
        st.cache_resource.clear()
    assert not app.exception
    assert [w.value for w in app.warning] == [i18n.t("dm.needs_server", "en")]
    assert not app.text_input


def test_a_geopackage_store_is_readable_by_its_owner_only(tmp_path, tiny_dir):
    from heza_geo.store.gpkg import GeoPackageStore

    path = tmp_path / "store.gpkg"
    GeoPackageStore(path).initialise_from(tiny_dir)
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)  # a store copied in by hand with the usual mode
    GeoPackageStore(path)
    assert path.stat().st_mode & 0o777 == 0o600
