"""The app's HTTP front: Streamlit's ASGI ``st.App`` with HEZA's sign-in routes and guards.

``python -m heza_geo run`` (:mod:`heza_geo.cli.run`; ``make run``, ``python -m heza_geo serve``,
the browser tests) serves ``app.py`` through :mod:`heza_geo.ui.asgi`, which builds the app with
this module's :class:`Guard`. Decisions:

* **Staff sign-in is an HTTP form, bound to an HttpOnly cookie.** The sign-in form on the staff
  page posts to :data:`SIGNIN_PATH`; the route checks the password (:func:`heza_geo.store.auth.login`,
  throttled in the store) and answers with a ``heza_session`` cookie that is HttpOnly,
  ``SameSite=Strict`` and ``Secure`` when the visitor came over HTTPS. The token is random and the
  store keeps only its SHA-256. Every run of the staff page reads the cookie of the websocket
  that runs it (``st.context.cookies``), so a Streamlit session id replayed from a log or a
  shoulder attaches a visitor to a page that asks for a cookie they do not have: they see the
  sign-in form. The password never travels through the websocket and never sits in
  ``st.session_state``.
* **Uploads only for signed-in staff.** ``/_stcore/upload_file`` answers 403 without a live
  staff cookie, 411 without a length, 413 above ``max_upload_mb`` and 429 above
  :data:`UPLOADS_PER_WINDOW` files per account and :data:`UPLOAD_WINDOW_S` (counted per process).
* **No visitor empties the shared caches.** Streamlit's "clear cache" message (sent by the
  toolbar menu or key ``c``) empties every cache of the process for everyone; one client sending
  it twice a second made every visitor wait seconds. The websocket guard drops that message;
  the caches are keyed on the data's version, so a stale cache is never the cure.
* **No metrics for the public.** ``/_stcore/metrics`` (cache sizes, sessions) answers 404.
* **The page's layout is in the page as sent.** Every HTML page Streamlit serves (its
  ``index.html``, for "/" and each page's path) gets :data:`heza_geo.ui.layout.STYLE` in its head,
  so the first paint already has the app's layout (a style a page draws comes a paint late: the
  title jumped). Such a request asks for no compression and no revalidation (the page is a few
  kB; its ETag named the file without the style), and its answer carries no ETag.

Under a bare ``streamlit run app.py`` none of this exists: :func:`guarded` is False there and
the staff page says how to start the app instead of offering a sign-in it cannot protect.
"""

from __future__ import annotations

import collections
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse

from heza_geo.config import Settings, load_settings
from heza_geo.store import auth
from heza_geo.ui import layout

log = logging.getLogger(__name__)

SESSION_COOKIE = "heza_session"
SIGNIN_PATH = "/heza/auth/signin"
SIGNOUT_PATH = "/heza/auth/signout"
UPLOAD_PREFIX = "/_stcore/upload_file/"
CLOSED_PATHS = ("/_stcore/metrics",)
UPLOADS_PER_WINDOW = 30
UPLOAD_WINDOW_S = 600.0
#: what a multipart upload adds to the file itself (boundaries, headers)
MULTIPART_SLACK = 64 * 1024
#: a sign-in form is a few hundred bytes; anything larger is not one
MAX_FORM_BYTES = 8 * 1024
#: the outcome of a sign-in, in the page's URL (``?signin=``), for the page to say in its language
SIGNIN_OUTCOMES = ("failed", "locked", "busy", "offline", "refused")
#: paths that are never one of the app's pages (Streamlit's routes, static files, components, ours)
NOT_PAGES = ("/_stcore/", "/static/", "/component/", "/media/", "/app/static/", "/heza/")
#: request headers a page's request goes without (see :func:`_page_scope`)
_PAGE_DROPPED = (b"accept-encoding", b"if-none-match", b"if-modified-since")
#: answer headers a page's answer goes without: the length is counted again, the file's validators
#: no longer name what is sent
_PAGE_ANSWER_DROPPED = (b"content-length", b"etag", b"last-modified")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_guarded = False


def guarded() -> bool:
    """Whether this process serves the app through :mod:`heza_geo.ui.asgi` (sign-in and guards on)."""
    return _guarded


# --- the store the routes use -------------------------------------------------------------------
class _Stores:
    """One store per process for the routes (the pages keep their own, cached by Streamlit)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        from heza_geo.store import is_configured, open_store

        if not is_configured(self.settings):
            return None
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            return self._store


def staff_session(store: Any, token: str | None) -> auth.Session | None:
    """The live session of a cookie's token whose role may import, or None."""
    if store is None or not token:
        return None
    session = auth.session_for(store, token)
    return session if session is not None and auth.can(session.role, "import") else None


# --- small HTTP helpers (Starlette's parsers; the guard runs before any of Streamlit's routes) ----
def client_address(scope: Scope) -> str:
    """The visitor's address: the peer, or, when the peer is a proxy on loopback (nginx of
    ``serve``), the last address it added to ``X-Forwarded-For``."""
    peer = (scope.get("client") or ("?", 0))[0]
    forwarded = Headers(scope=scope).get("x-forwarded-for")
    try:
        from_proxy = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        from_proxy = False
    if from_proxy and forwarded:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def is_https(scope: Scope) -> bool:
    proto = Headers(scope=scope).get("x-forwarded-proto", "")
    return scope.get("scheme") == "https" or proto.lower() == "https"


def same_origin(scope: Scope) -> bool:
    """A form post from a page of this app (CSRF): its Origin (or Referer) names this host."""
    headers = Headers(scope=scope)
    source = headers.get("origin") or headers.get("referer")
    host = headers.get("host")
    return bool(source and host and urlsplit(source).netloc == host)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this app, never another site (open redirect)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n"):
        return "/data_management"
    return target


def with_outcome(target: str, outcome: str | None, **extra: str) -> str:
    """``target`` with ``signin=<outcome>`` (and ``extra``) in its query, earlier ones replaced."""
    parts = urlsplit(target)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items() if k not in ("signin", "retry")}
    if outcome:
        query["signin"] = outcome
    query.update(extra)
    return parts.path + (f"?{urlencode(query)}" if query else "")


def session_cookie(token: str, max_age: int, secure: bool) -> str:
    flags = f"; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
    return f"{SESSION_COOKIE}={token}{flags}"


async def _plain(scope: Scope, receive: Receive, send: Send, status: int, text: str,
                 headers: Mapping[str, str] | None = None) -> None:
    await PlainTextResponse(text, status_code=status, headers=headers)(scope, receive, send)


async def _redirect(scope: Scope, receive: Receive, send: Send, location: str, set_cookie: str | None = None) -> None:
    """303 to ``location`` (a path of this app), not cached, with ``set_cookie`` if given."""
    headers = {"cache-control": "no-store", **({"set-cookie": set_cookie} if set_cookie else {})}
    await RedirectResponse(location, status_code=303, headers=headers)(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) > limit:
            return None
        if not message.get("more_body"):
            return body


async def _posted_form(scope: Scope, receive: Receive, send: Send) -> dict[str, str] | None:
    """The fields of a posted form (``{"\\0": ""}`` when the body is too large or cut off), or None
    after answering 405 to any other method."""
    if scope.get("method") != "POST":
        await _plain(scope, receive, send, 405, "Method not allowed", {"allow": "POST"})
        return None
    body = await _read_body(receive, MAX_FORM_BYTES)
    if body is None:
        return {"\0": ""}
    return {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


# --- the guard --------------------------------------------------------------------------------------
class Guard:
    """ASGI middleware in front of Streamlit: sign-in routes, upload gate, clear-cache filter."""

    def __init__(self, app: ASGIApp, settings: Settings | None = None, stores: _Stores | None = None) -> None:
        global _guarded
        self.app = app
        self.settings = settings or load_settings()
        self.stores = stores or _Stores(self.settings)
        self._uploads: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._uploads_lock = threading.Lock()
        _guarded = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, _without_clear_cache(receive), send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path in CLOSED_PATHS:
            await _plain(scope, receive, send, 404, "Not found")
        elif path == SIGNIN_PATH:
            await self._signin(scope, receive, send)
        elif path == SIGNOUT_PATH:
            await self._signout(scope, receive, send)
        elif path.startswith(UPLOAD_PREFIX) and scope.get("method") in ("PUT", "POST"):
            refusal = await self._upload_refusal(scope)
            if refusal:
                await _plain(scope, receive, send, *refusal)
            else:
                await self.app(scope, receive, send)
        elif _may_be_page(scope):
            await self.app(_page_scope(scope), receive, _with_layout(send))
        else:
            await self.app(scope, receive, send)

    # -- sign-in / sign-out
    async def _signin(self, scope: Scope, receive: Receive, send: Send) -> None:
        form = await _posted_form(scope, receive, send)
        if form is None:
            return
        target = safe_next(form.get("next"))
        if "\0" in form or not same_origin(scope):
            await _redirect(scope, receive, send, with_outcome(target, "refused"))
            return
        store = self.stores.get()
        if store is None:
            await _redirect(scope, receive, send, with_outcome(target, "offline"))
            return
        try:
            session = await run_in_threadpool(auth.login, store, form.get("account", ""), form.get("password", ""),
                                       client_address(scope), self.settings.session_hours)
        except auth.LockedOut as exc:
            await _redirect(scope, receive, send, with_outcome(target, "locked", retry=str(int(exc.retry_after_s) + 1)))
            return
        except auth.Busy:
            await _redirect(scope, receive, send, with_outcome(target, "busy"))
            return
        except auth.AuthError:
            await _redirect(scope, receive, send, with_outcome(target, "failed"))
            return
        except Exception:
            log.exception("sign-in failed on the store")
            await _redirect(scope, receive, send, with_outcome(target, "offline"))
            return
        max_age = max(1, math.floor(self.settings.session_hours * 3600))
        log.info("staff sign-in: %s from %s", session.account, client_address(scope))
        cookie = session_cookie(session.token, max_age, is_https(scope))
        await _redirect(scope, receive, send, with_outcome(target, None), cookie)

    async def _signout(self, scope: Scope, receive: Receive, send: Send) -> None:
        form = await _posted_form(scope, receive, send)
        if form is None:
            return
        target = safe_next(form.get("next"))
        token = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
        store = self.stores.get()
        if token and store is not None and same_origin(scope):
            try:
                await run_in_threadpool(auth.logout, store, token)
            except Exception:
                log.exception("sign-out could not reach the store")
        await _redirect(scope, receive, send, with_outcome(target, None), session_cookie("", 0, is_https(scope)))

    # -- uploads
    async def _upload_refusal(self, scope: Scope) -> tuple[int, str] | None:
        """Why this upload is refused (status, text), or None to let Streamlit take it."""
        try:
            session = await run_in_threadpool(staff_session, self.stores.get(),
                                              HTTPConnection(scope).cookies.get(SESSION_COOKIE))
        except Exception:
            log.exception("upload refused: the store could not check the sign-in")
            session = None
        if session is None:
            return 403, "Uploads are for signed-in staff."
        length = Headers(scope=scope).get("content-length")
        if length is None or not length.isdigit():
            return 411, "An upload must state its length."
        cap = int(self.settings.max_upload_mb * 1024 * 1024)
        if int(length) > cap + MULTIPART_SLACK:
            return 413, f"Uploads are limited to {self.settings.max_upload_mb:g} MB."
        now = time.monotonic()
        with self._uploads_lock:
            recent = self._uploads[session.account]
            while recent and recent[0] < now - UPLOAD_WINDOW_S:
                recent.popleft()
            if len(recent) >= UPLOADS_PER_WINDOW:
                return 429, f"At most {UPLOADS_PER_WINDOW} uploads in {UPLOAD_WINDOW_S / 60:.0f} minutes."
            recent.append(now)
        return None


# --- the layout in the page as sent --------------------------------------------------------------
def _may_be_page(scope: Scope) -> bool:
    """A GET whose answer may be Streamlit's ``index.html`` (a page's path, not a file's)."""
    path: str = scope.get("path", "")
    return scope.get("method") == "GET" and not path.startswith(NOT_PAGES) and "." not in path.rsplit("/", 1)[-1]


def _page_scope(scope: Scope) -> Scope:
    """``scope`` asking for the page uncompressed and in full (no 304), sent in ordinary messages."""
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in _PAGE_DROPPED]
    extensions = {k: v for k, v in (scope.get("extensions") or {}).items()
                  if k not in ("http.response.pathsend", "http.response.zerocopy")}
    return {**scope, "headers": headers, "extensions": extensions}


def _with_layout(send: Send) -> Send:
    """``send`` for a page's answer: an HTML answer is held until complete and sent with the
    layout's style in its head (:func:`heza_geo.ui.layout.with_style`); any other goes as it is."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def sending(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            headers = Headers(raw=list(message.get("headers", [])))
            if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
                start = message
                return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = layout.with_style(b"".join(chunks))
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _PAGE_ANSWER_DROPPED]
        await send({**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return sending


def _without_clear_cache(receive: Receive) -> Receive:
    """``receive`` of a websocket, less Streamlit's "clear cache" messages."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    said = False

    async def filtered() -> Message:
        nonlocal said
        while True:
            message = await receive()
            data = message.get("bytes") if message.get("type") == "websocket.receive" else None
            if data:
                try:
                    kind = BackMsg.FromString(data).WhichOneof("type")
                except Exception:  # noqa: BLE001 - not ours to judge; Streamlit answers it
                    kind = None
                if kind == "clear_cache":
                    if not said:  # once per connection: a flood must not flood the log too
                        log.warning("dropped a clear_cache message (and any more on this connection)")
                        said = True
                    continue
            return message

    return filtered
