"""One Streamlit session spoken over its own websocket protocol, without a browser.

A load generator made of Chromium tabs costs more CPU than the app it measures on a small machine;
this client costs a few protobufs per rerun, so the figures it reports are the server's.

It does what Streamlit 1.67's frontend does (read from its bundle and from
``streamlit/web/server/starlette/starlette_websocket.py``):

* GET the page, then ``/_stcore/health``, which sets the XSRF cookie ``_streamlit_xsrf``; cookies
  are kept per session, so a sticky-route cookie set by a reverse proxy on the first response is
  sent back on the websocket handshake and the session stays on one app process;
* open ``/_stcore/stream`` with the subprotocols ``["streamlit", <xsrf token>]`` (the frontend
  sends ``PLACEHOLDER_AUTH_TOKEN`` when there is no cookie), the cookies and an ``Origin``;
* send ``BackMsg.rerun_script`` with a ``ClientState`` (query string, widget states, page script
  hash, context) and read ForwardMsgs until the run ends. ``FINISHED_EARLY_FOR_RERUN`` is not the
  end: ``st.rerun()`` starts the next run at once, as the browser sees it.

The widget states sent are those the client has set (the frontend sends the values it holds, and
forgets the widgets that are gone from the page); keyed widgets that were never touched keep the
value the server holds for them. No ``cached_message_hashes`` are sent, so every delta comes in
full (a browser with a warm message cache receives a little less).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import re
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

STREAM_PATH = "/_stcore/stream"
HEALTH_PATH = "/_stcore/health"
XSRF_COOKIE = "_streamlit_xsrf"
NO_XSRF_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # noqa: S105 - what the frontend sends without the cookie: no secret
USER_AGENT = "heza-geo load_test (protocol driver)"
#: the element types whose text the client keeps, to tell what a run put on the page
TEXT_ELEMENTS = ("heading", "markdown", "alert", "text")

_OK_STATUSES = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def plain(markdown: str) -> str:
    """Markdown source with the characters a reader sees: the backslash escapes and word joiners that
    ``heza_geo.text.md_escape`` writes into data text are dropped.

    >>> plain("Nam \\(Khu 1\\) www\u2060\\.heza\\.vn")
    'Nam (Khu 1) www.heza.vn'
    """
    return _ESCAPED.sub(r"\1", markdown).replace("\u2060", "")


class SessionClosed(Exception):
    """The server closed the websocket, or the session gave up after a run that never ended."""


@dataclass
class Run:
    """What one rerun request got back: its time and what the final script run put on the page."""

    seconds: float
    #: False when no end of the run came in time (the session is then closed)
    answered: bool = True
    #: exceptions shown, a status other than success, a compilation error, "no answer within N s"
    problems: list[str] = field(default_factory=list)
    #: widgets and components of the final run, by element id (e.g. ``number_input``, ``component_instance``)
    elements: dict[str, tuple[str, object]] = field(default_factory=dict)
    #: the bodies of headings, markdown, alerts and text of the final run
    texts: list[str] = field(default_factory=list)
    #: the headings of the final run (e.g. the selected park's name over its panel)
    headings: list[str] = field(default_factory=list)
    #: script runs it took (2 when the script called ``st.rerun()``)
    script_runs: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def find(self, kind: str, id_suffix: str = "", **match: object) -> tuple[str, object] | None:
        """The first element of ``kind`` whose id ends with ``id_suffix`` (a widget's key) and whose
        fields equal ``match`` (e.g. ``component_name="streamlit_folium.st_folium"``)."""
        for element_id, (element_kind, element) in self.elements.items():
            if element_kind == kind and element_id.endswith(id_suffix) and all(
                getattr(element, name) == value for name, value in match.items()
            ):
                return element_id, element
        return None

    def shows(self, text: str) -> bool:
        return any(text in body for body in self.texts)


class StreamlitSession:
    """A browser tab as the server sees it: its cookies, its websocket, its widget values."""

    def __init__(self, url: str, query_string: str = "", page_name: str = "", *,
                 timezone: str = "Asia/Ho_Chi_Minh", locale: str = "en-US", resume: str | None = None) -> None:
        parts = urlsplit(url)
        self.base_path = parts.path.rstrip("/")
        self.http_base = urlunsplit((parts.scheme, parts.netloc, self.base_path, "", ""))
        self.ws_url = urlunsplit(("wss" if parts.scheme == "https" else "ws", parts.netloc,
                                  self.base_path + STREAM_PATH, "", ""))
        self.query_string = query_string
        self.page_name = page_name
        self.page_script_hash = ""  # "" on the first request: the server picks the page by page_name
        self.timezone, self.locale = timezone, locale
        self.cookies = http.cookiejar.CookieJar()
        self.widget_values: dict[str, WidgetState] = {}
        self._http = urllib.request.build_opener(urllib.request.ProxyHandler({}),  # loopback: never a proxy
                                                 urllib.request.HTTPCookieProcessor(self.cookies))
        self._ws: ClientConnection | None = None
        #: a session id to reconnect to (as the frontend does after a dropped connection)
        self.resume = resume
        #: the server's id of this session (from its first message)
        self.session_id: str | None = None

    # --- connection ------------------------------------------------------------------------
    def _get(self, path: str) -> None:
        request = urllib.request.Request(self.http_base + path, headers={"User-Agent": USER_AGENT})  # noqa: S310 - the app's http(s) URL
        with self._http.open(request, timeout=30) as response:
            response.read()

    def cookie_header(self) -> str | None:
        """The ``Cookie`` header a browser would send to the websocket URL (path and domain rules apply)."""
        request = urllib.request.Request(self.http_base + STREAM_PATH)  # noqa: S310 - the app's http(s) URL
        self.cookies.add_cookie_header(request)
        return request.get_header("Cookie")

    def xsrf_token(self) -> str:
        return next((c.value for c in self.cookies if c.name == XSRF_COOKIE and c.value), NO_XSRF_TOKEN)

    async def open(self, timeout: float = 60.0) -> Run:
        """Load the page as a browser does and run the script once; the first run's result."""
        page = "/" + self.page_name + (f"?{self.query_string}" if self.query_string else "")
        await asyncio.to_thread(self._get, page)
        await asyncio.to_thread(self._get, HEALTH_PATH)
        headers = {"Cookie": cookie} if (cookie := self.cookie_header()) else {}
        self._ws = await connect(
            self.ws_url, subprotocols=["streamlit", self.xsrf_token(), *([self.resume] if self.resume else [])],
            origin=self.http_base_origin,
            additional_headers=headers, user_agent_header=USER_AGENT, proxy=None, max_size=None,
            open_timeout=timeout,
        )
        return await self.rerun(timeout)

    @property
    def http_base_origin(self) -> str:
        parts = urlsplit(self.http_base)
        return f"{parts.scheme}://{parts.netloc}"

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def send(self, message: BackMsg) -> None:
        """Send any BackMsg as it is (e.g. ``clear_cache``, which the frontend's menu sends)."""
        if self._ws is None:
            raise SessionClosed("the session is not open")
        await self._ws.send(message.SerializeToString())

    def upload(self, file_id: str, name: str, content: bytes) -> int:
        """PUT a file to this session's upload URL as the frontend does; the HTTP status."""
        import urllib.error
        import uuid

        boundary = uuid.uuid4().hex
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n")
        body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 - the app's http(s) URL
            f"{self.http_base}/_stcore/upload_file/{self.session_id}/{file_id}", data=body, method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "User-Agent": USER_AGENT,
                     "X-Xsrftoken": self.xsrf_token(), "Origin": self.http_base_origin})
        try:
            with self._http.open(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    # --- widgets ---------------------------------------------------------------------------
    def set_widget(self, widget_id: str, **value: object) -> None:
        """Hold a widget's value, as the frontend does when the user changes it, e.g.
        ``set_widget(id, double_value=5.0)`` or ``set_widget(id, json_value='{...}')``."""
        state = WidgetState(id=widget_id)
        for name, item in value.items():
            setattr(state, name, item)
        self.widget_values[widget_id] = state

    def _forget_widgets_not_in(self, element_ids: Iterable[str]) -> None:
        """Drop the values of widgets the last run did not draw (the frontend's ``removeInactive``)."""
        keep = set(element_ids)
        self.widget_values = {k: v for k, v in self.widget_values.items() if k in keep}

    # --- reruns ----------------------------------------------------------------------------
    def _rerun_message(self) -> bytes:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            state.page_name = self.page_name
        state.widget_states.widgets.extend(self.widget_values.values())
        context = state.context_info
        context.timezone, context.locale = self.timezone, self.locale
        context.url = f"{self.http_base}/{self.page_name}" + (f"?{self.query_string}" if self.query_string else "")
        context.is_embedded = False
        context.color_scheme = "light"
        return message.SerializeToString()

    async def rerun(self, timeout: float = 30.0) -> Run:
        """Send ``rerun_script`` with the held widget values; wait for the run to end (``timeout`` s).

        A run that does not end in time is reported as a problem and the session closed: its late
        messages would be mistaken for the next run's.
        """
        if self._ws is None:
            raise SessionClosed("the session is not open")
        start = time.perf_counter()
        run = Run(0.0)
        try:
            await self._ws.send(self._rerun_message())
            async with asyncio.timeout(timeout):
                while not await self._read(run):
                    pass
        except TimeoutError:
            run.answered = False
            run.problems.append(f"no answer within {timeout:.0f} s")
            await self.close()
        except Exception as exc:  # websockets.ConnectionClosed and friends: the session is over
            await self.close()
            raise SessionClosed(f"{type(exc).__name__}: {exc}") from exc
        run.seconds = time.perf_counter() - start
        if run.ok:
            self._forget_widgets_not_in(run.elements)
        return run

    async def _read(self, run: Run) -> bool:
        """Read one ForwardMsg into ``run``; True when the script run it belongs to has ended."""
        message = ForwardMsg()
        message.ParseFromString(await self._ws.recv())  # type: ignore[union-attr]  # open() connected it
        kind = message.WhichOneof("type")
        if kind == "new_session":  # a script run starts: the page is drawn again from scratch
            run.elements.clear()
            run.texts.clear()
            run.headings.clear()
            run.script_runs += 1
            if message.new_session.initialize.session_id:
                self.session_id = message.new_session.initialize.session_id
            if message.new_session.page_script_hash:
                self.page_script_hash = message.new_session.page_script_hash
        elif kind == "navigation" and message.navigation.page_script_hash:
            self.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":  # st.query_params changed: the frontend updates its URL
            self.query_string = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._take_element(message.delta.new_element, run)
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            run.problems.append("compilation error: " + message.session_event.script_compilation_exception.message)
        elif kind == "page_not_found":
            run.problems.append(f"page not found: {message.page_not_found.page_name!r}")
        elif kind == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return False
            if status not in _OK_STATUSES:
                run.problems.append(f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(status)}")
            return True
        return False

    @staticmethod
    def _take_element(element: Element, run: Run) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "exception":
            first_line = body.message.splitlines()[0][:160] if body.message else ""
            run.problems.append(f"exception shown: {body.type}: {first_line}")
        elif kind in TEXT_ELEMENTS:
            run.texts.append(plain(body.body))
            if kind == "heading":
                run.headings.append(plain(body.body))
        elif getattr(body, "id", ""):
            run.elements[body.id] = (kind, body)
