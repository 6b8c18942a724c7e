"""Attacks on the running app, as the security review made them (heza_geo.ui.guard's guard).

One app server for the module on a GeoPackage store with one staff account; the staff member
uses Chromium, the attacker speaks Streamlit's websocket protocol (scripts/streamlit_client.py)
and plain HTTP, as a script would.
"""

from __future__ import annotations

import asyncio
import http.client
import select
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import run_apart, save_screenshot, sign_in, store_app, wait_for_app
from streamlit_client import StreamlitSession  # scripts/, on the tests' path (pyproject.toml)

PASSWORD = "mật-khẩu-an-toàn-2026"


@pytest.fixture(scope="module")
def guarded_app(start_app, tmp_path_factory) -> str:
    url, _store = store_app(start_app, tmp_path_factory.mktemp("store"), {"lan": (PASSWORD, "staff")},
                            HEZA_MAX_UPLOAD_MB="1")
    return url


def _status(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _upload_session_id(page) -> str:  # a Playwright page on the staff page
    """Upload a file as the staff member and return the session id its upload URL carries
    (what nginx wrote into its access log before)."""
    with page.expect_request(lambda request: "/_stcore/upload_file/" in request.url) as upload:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "plots.csv", "mimeType": "text/csv", "buffer": b"plot_id,park_id\n"}])
    urls = [upload.value.url]
    return urls[0].split("/_stcore/upload_file/")[1].split("/")[0]


def test_a_replayed_session_id_does_not_attach_to_a_signed_in_staff_session(page, guarded_app):
    sign_in(page, guarded_app, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    session_id = _upload_session_id(page)

    async def attack() -> tuple[bool, bool]:
        thief = StreamlitSession(guarded_app, "lang=en", "data_management", resume=session_id)
        run = await thief.open()
        await thief.close()
        return run.shows("Signed in as lan"), thief.session_id == session_id

    shown, same_session = run_apart(attack())
    assert not shown, "the session id alone gave the attacker the staff page"
    # the staff member's own tab is still signed in (the cookie, not the session, is what counts)
    page.reload()
    wait_for_app(page)
    page.get_by_text("Signed in as lan").wait_for()
    del same_session  # Streamlit may or may not hand over the session; either way nothing is shown


def test_the_session_cookie_is_httponly_strict_and_the_password_never_reaches_the_websocket(page, guarded_app):
    frames: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(payload)))
    sign_in(page, guarded_app, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    [cookie] = [c for c in page.context.cookies() if c["name"] == "heza_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("heza_session") == -1  # no script can read it
    assert not any(PASSWORD.encode() in (f if isinstance(f, bytes) else f.encode()) for f in frames)
    save_screenshot(page, "security_signed_in")

    page.get_by_role("button", name="Sign out").click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Password").wait_for()
    assert not [c for c in page.context.cookies() if c["name"] == "heza_session" and c["value"]]


def test_a_wrong_password_says_so_in_the_visitors_language(page, guarded_app):
    page.goto(f"{guarded_app}/data_management?lang=vi")
    wait_for_app(page)
    page.get_by_role("textbox", name="Tài khoản").fill("lan")
    page.get_by_role("textbox", name="Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    wait_for_app(page)
    page.get_by_text("Sai tên tài khoản hoặc mật khẩu.").wait_for()
    assert "signin=" not in page.url  # said once, not again on a reload or a copied link


def test_a_public_session_cannot_upload(guarded_app):
    async def attack() -> int:
        visitor = StreamlitSession(guarded_app, "lang=en", "map")
        await visitor.open()
        status = await asyncio.to_thread(visitor.upload, "f1", "big.bin", b"x" * 200_000)
        await visitor.close()
        return status

    assert run_apart(attack()) == 403


def test_a_staff_upload_above_the_cap_is_refused_before_it_is_read(page, guarded_app):
    sign_in(page, guarded_app, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    session_id = _upload_session_id(page)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "heza_session")
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    body = b"x" * (2 * 1024 * 1024)  # HEZA_MAX_UPLOAD_MB is 1
    parts = urllib.parse.urlsplit(guarded_app)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("PUT", f"/_stcore/upload_file/{session_id}/f2")
    for name, value in {"Cookie": f"heza_session={token}; _streamlit_xsrf={xsrf}", "X-Xsrftoken": xsrf,
                        "Content-Type": "application/octet-stream", "Content-Length": str(len(body))}.items():
        connection.putheader(name, value)
    connection.endheaders()
    # refused before it is read: the answer comes to the headers alone, no byte of the body sent
    # (sending it anyway raced the server's close of the connection: a broken pipe under load)
    answered, _, _ = select.select([connection.sock], [], [], 10)
    assert answered, "the server waited for the body of an upload its headers say is too large"
    status = connection.getresponse().status
    connection.close()
    assert status == 413


def test_the_metrics_endpoint_is_closed(guarded_app):
    assert _status(f"{guarded_app}/_stcore/metrics") == 404
    assert _status(f"{guarded_app}/_stcore/health") == 200


def test_a_clear_cache_flood_from_a_visitor_leaves_the_app_answering(guarded_app):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    async def flood() -> bool:
        visitor = StreamlitSession(guarded_app, "lang=en", "map")
        await visitor.open()
        message = BackMsg()
        message.clear_cache = True
        for _ in range(20):
            await visitor.send(message)
        run = await visitor.rerun()
        await visitor.close()
        return run.ok

    assert run_apart(flood())  # that nothing was cleared: tests/store/test_web_guard.py
