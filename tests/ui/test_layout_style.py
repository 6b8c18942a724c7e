"""The app's layout is in the page as sent (issue 15): a style a page draws arrives a paint late
(the title jumped ~60 px), so the guard writes :data:`heza_geo.ui.layout.STYLE` into every HTML
page Streamlit serves; and the park panel's rows (:mod:`heza_geo.ui.panelkit`) are escaped HTML."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd

from heza_geo.config import Settings
from heza_geo.ui import guard as web
from heza_geo.ui import layout, panelkit

PAGE = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body><div id=root></div></body></html>"


class Streamlit:
    """Streamlit's static files as the guard sees them: the page in two pieces, with the file's
    validators; it records the request headers it got."""

    def __init__(self, content_type: bytes = b"text/html; charset=utf-8", body: bytes = PAGE) -> None:
        self.content_type, self.body, self.headers = content_type, body, []

    async def __call__(self, scope, receive, send) -> None:
        self.headers.append(dict(scope["headers"]))
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", self.content_type), (b"content-length", str(len(self.body)).encode()),
            (b"etag", b'"abc"'), (b"last-modified", b"Sun, 29 Nov 2026 20:08:33 GMT"),
            (b"cache-control", b"no-cache")]})
        half = len(self.body) // 2
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:], "more_body": False})


def get(app: Streamlit, path: str, headers: dict[str, str] | None = None) -> tuple[dict[str, str], bytes]:
    guard = web.Guard(app, Settings(), stores=None)
    scope = {"type": "http", "method": "GET", "path": path, "scheme": "http", "client": ("203.0.113.9", 5555),
             "headers": [(k.encode(), v.encode()) for k, v in (headers or {}).items()]}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: Playwright may run a loop in this one
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    head = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    return head, b"".join(m.get("body", b"") for m in sent[1:])


def test_every_page_is_sent_with_the_layout_in_its_head_uncompressed_and_whole():
    for path in ("/", "/occupancy", "/map"):
        app = Streamlit()
        head, body = get(app, path, {"accept-encoding": "gzip, br", "if-none-match": '"abc"'})
        assert body.index(layout.STYLE.encode()) < body.index(b"</head>")
        assert body.count(b'id="heza-layout"') == 1
        assert int(head["content-length"]) == len(body)
        assert "etag" not in head and "last-modified" not in head  # they named the file without the style
        assert b"accept-encoding" not in app.headers[0] and b"if-none-match" not in app.headers[0]


def test_files_and_streamlits_routes_go_as_they_are():
    for path in ("/static/js/main.js", "/favicon.png", "/_stcore/health", "/component/x/index.html"):
        app = Streamlit()
        head, body = get(app, path, {"accept-encoding": "gzip"})
        assert body == PAGE and head["etag"] == '"abc"', path
        assert app.headers[0][b"accept-encoding"] == b"gzip"
    head, body = get(Streamlit(content_type=b"application/json", body=b'{"a": 1}'), "/data")
    assert body == b'{"a": 1}'


def test_the_style_keeps_the_phones_top_and_the_presentations_full_screen():
    style = layout.STYLE
    assert "!important" not in style.split(".st-key-map_area iframe")[0]  # the presentation's own rules win
    assert "@media (max-width: 640px)" in style and "padding-top: 3.75rem" in style  # the » button stays clear


def test_the_panels_rows_are_escaped_text_that_wraps():
    facts = pd.DataFrame([("Developer", "<b>Dev & Co</b>", ""), ("Stage", "Filled", "Official – HEZA report")],
                         columns=["Figure", "Value", "Source"])
    html = panelkit.facts(facts)
    assert "&lt;b&gt;Dev &amp; Co&lt;/b&gt;" in html and "<b>Dev" not in html
    assert "<small>Official – HEZA report</small>" in html and html.count("<small>") == 1  # no empty source line
    near = panelkit.nearby(["A <i>", "B"], ["Port", "Bridge"], ["0.8 km", "1.0 km"])
    assert "A &lt;i&gt;" in near and "<b>0.8 km</b>" in near
    table = panelkit.table(pd.DataFrame({"Plot": ["P1"], "Area": ["3.99"], "Tenant": ["<x>"]}), numeric=["Area"])
    assert '<td class="num">3.99</td>' in table and "&lt;x&gt;" in table


def test_a_panels_groups_are_closed_sections_titled_with_escaped_text_in_a_block_named_by_kind():
    block = panelkit.groups([("Land <b> · as of 2025", "<p>x</p>"), ("Contacts", "<p>y</p>")], "passport-groups")
    assert block.startswith('<div class="heza-groups heza-passport-groups">')
    assert block.count('<details class="heza-group"><summary>') == 2 and "<details open" not in block
    assert "<summary>Land &lt;b&gt; · as of 2025</summary><p>x</p>" in block  # the title is text, the body HTML
