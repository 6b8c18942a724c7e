"""scripts/load_test.py's protocol driver against the real app, without a browser.

It must be a faithful visitor, or its figures mean nothing: every rerun it asks for is answered,
nothing fails, and a park click really opens that park's panel. No time is asserted: a load test
reports, it does not judge (and this machine is shared).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import pytest
from conftest import REPO_ROOT, run_apart


@pytest.fixture
def load_test(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(REPO_ROOT / "scripts"))
    return importlib.import_module("load_test")


def test_protocol_driver_answers_every_rerun_and_a_park_click_opens_its_panel(
    start_app: Callable[..., str], load_test: ModuleType
) -> None:
    url = start_app()  # its own server with the embedded data (geodata/)
    report = run_apart(load_test.run_protocol(url, sessions=2, duration=8, pids=[], think=(0.1, 0.3)))

    assert report["errors"] == []
    assert report["sessions_completed"] == 2
    assert report["reruns"] == report["reruns_sent"] > 0  # every rerun answered
    assert report["by_action"]["filter"]["count"] >= 1
    assert report["by_action"]["park click"]["count"] >= 1
    # the clicked park's name became a heading (its panel) that the page did not show before
    assert report["park_clicks_shown"] == report["park_clicks"] >= 1


def test_the_flags_cannot_leave_loopback_or_ask_for_nonsense(load_test: ModuleType) -> None:
    assert load_test.main(["--url", "http://example.com:8501"]) == 2
    assert load_test.parse_think("2-6") == (2.0, 6.0) and load_test.parse_think("0") == (0.0, 0.0)
    with pytest.raises(Exception, match="MIN-MAX"):
        load_test.parse_think("6-2")


def test_each_session_sends_its_own_cookies_back_on_the_websocket_handshake(load_test: ModuleType) -> None:
    """Behind a sticky proxy (heza_geo.cli.serve: a route cookie on the first response), each session
    must come back with the route it was given, and with the XSRF token as Streamlit expects it."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit_client import StreamlitSession
    from websockets.asyncio.server import serve

    handshakes: list[dict[str, str | None]] = []
    query_strings: list[str] = []
    routes = iter(["backend-a", "backend-b"])

    def process_request(connection, request):  # websockets' hook
        """A proxy's first answer sets the route; /_stcore/health sets the XSRF cookie."""
        path = request.path.split("?")[0]
        if path == "/_stcore/stream":
            handshakes.append({name: request.headers.get(name)
                               for name in ("Cookie", "Sec-WebSocket-Protocol", "Origin")})
            return None
        response = connection.respond(200, "ok")
        if "heza_route=" not in (request.headers.get("Cookie") or ""):
            response.headers["Set-Cookie"] = f"heza_route={next(routes)}; Path=/; HttpOnly; SameSite=Lax"
        if path == "/_stcore/health":
            response.headers["Set-Cookie"] = "_streamlit_xsrf=2|0a1b|c2d3|1795964772; Path=/; SameSite=Lax"
        return response

    async def streamlit(websocket) -> None:
        async for data in websocket:
            message = BackMsg()
            message.ParseFromString(data)
            query_strings.append(message.rerun_script.query_string)
            for reply in (ForwardMsg(new_session={"page_script_hash": "abc"}), ForwardMsg(script_finished=0)):
                await websocket.send(reply.SerializeToString())

    async def two_sessions() -> list[bool]:
        async with serve(streamlit, "127.0.0.1", 0, process_request=process_request,
                         subprotocols=["streamlit"]) as server:
            port = server.sockets[0].getsockname()[1]
            sessions = [StreamlitSession(f"http://127.0.0.1:{port}", "lang=en") for _ in range(2)]
            runs = [await session.open(timeout=10) for session in sessions]
            for session in sessions:
                await session.close()
            return [run.ok for run in runs]

    assert run_apart(two_sessions()) == [True, True]
    cookies = [dict(pair.split("=", 1) for pair in h["Cookie"].split("; ")) for h in handshakes]
    assert [c["heza_route"] for c in cookies] == ["backend-a", "backend-b"]  # each its own route
    assert all(c["_streamlit_xsrf"] == "2|0a1b|c2d3|1795964772" for c in cookies)
    assert all(h["Sec-WebSocket-Protocol"] == "streamlit, 2|0a1b|c2d3|1795964772" for h in handshakes)
    assert all(h["Origin"] == handshakes[0]["Origin"].rstrip("/") for h in handshakes)
    assert handshakes[0]["Origin"].startswith("http://127.0.0.1:")
    assert query_strings == ["lang=en", "lang=en"]
