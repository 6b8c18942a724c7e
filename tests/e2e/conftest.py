"""Browser tests: the real app (``streamlit run app.py``) in Debian's Chromium, with no internet.

Fixtures
--------
start_app(env=None, script="app.py")
    Starts another app server (session-scoped factory) with extra environment variables, e.g.
    ``start_app(env={"HEZA_DATA_DIR": str(tmp)})``; returns its base URL. Servers stop at the
    end of the session.
app_server
    The base URL of the app started with the default environment, shared by the session.
browser
    Playwright's Chromium, launched from ``/usr/bin/chromium`` (never a downloaded browser).
desk
    A 1440x900 page in a context of its own (downloads accepted).
page
    A fresh 1400x900 page. Every request to a host other than 127.0.0.1/localhost is aborted
    and its URL appended to ``page.external_requests``, so a test can prove the app works
    offline. JavaScript errors are collected in ``page.console_errors``. If the test fails,
    a screenshot is saved to tests/artifacts/.

Helpers (import them: ``from conftest import map_frame, wait_for_app, save_screenshot``)
------------------------------------------------------------------------------------------
wait_for_app(page)      wait until Streamlit is connected and has finished running the script
map_frame(page)         the frame of the st_folium map, once Leaflet has drawn in it
choose_option(page, box, option)   pick an option of a select box, reopening it after a rerun
scrolled_to(page, box)  ``box`` scrolled to the window's middle (as a reader does) before a click
tab_panel(page)         the open tab's panel
settled(page)           wait until the page's animations (an expander opening) have ended or been cancelled
sign_in(page, url, account, password)   sign in on the Data management page (English)
save_screenshot(page, name)   tests/artifacts/<name>.png
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from heza_geo.cli.run import streamlit_command
from heza_geo.config import load_settings
from heza_geo.store import auth
from heza_geo.store.gpkg import GeoPackageStore

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = Path(os.environ.get("HEZA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    # Chromium 156 loads the address bar's suggestions as a web page of its own in every new context,
    # headless too: 8 contexts took 9.7 cpu-s with it, 6.9 without (tests open a context per visitor)
    "--disable-features=WebUIOmniboxPopup",
    # no internet: every host name but this machine's fails to resolve, as on a presenter's laptop
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
START_TIMEOUT_S = 60.0
MAP_IFRAME = 'iframe[title*="streamlit_folium"]'

try:  # The unit tests must still run where Playwright is not installed.
    from playwright.sync_api import Browser, Frame, Locator, Page, sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None  # type: ignore[assignment]  # no playwright: the browser tests skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark everything under tests/e2e as ``e2e`` (``pytest -m "not e2e"`` skips the browser)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the real app in a browser (tests/e2e)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Let fixtures see whether their test failed (``item.rep_call``)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- the app server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _python() -> str:
    venv = REPO_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _launch(env: Mapping[str, str] | None, script: str | Path, timeout: float) -> AppServer:
    if not (REPO_ROOT / script).is_file():  # an absolute ``script`` stays as it is
        pytest.fail(f"{script} not found in {REPO_ROOT}: nothing to test in the browser")
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / f"server-{port}.log"
    extra = dict(env or {})
    if Path(script) == Path("app.py"):  # the app as it is served: behind heza_geo.ui.guard's guard
        cmd = streamlit_command(port, settings=load_settings({**os.environ, **extra}), python=_python(),
                                extra=["--server.fileWatcherType", "none"])
    else:
        cmd = [
            _python(), "-m", "streamlit", "run", str(script),
            "--server.port", str(port),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env={**os.environ, **extra},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(f"http://127.0.0.1:{port}", process, log, extra)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode} before it was ready:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    server.stop()
    pytest.fail(f"the app was not healthy within {timeout:.0f} s; its log ({log}):\n{_tail(log)}")


@pytest.fixture(scope="session")
def start_app(request: pytest.FixtureRequest) -> Iterator[Callable[..., str]]:
    """Factory: ``start_app(env={...}, script="app.py", timeout=60) -> base URL``.

    ``env`` is added to this process's environment (e.g. ``{"HEZA_DATA_DIR": ...}``). The
    server runs in the repository root, so ``.streamlit/config.toml`` applies; ``script`` is
    relative to it or absolute (Streamlit serves ``static/`` from the script's folder).
    """
    servers: list[AppServer] = []

    def start(
        env: Mapping[str, str] | None = None,
        script: str | Path = "app.py",
        timeout: float = START_TIMEOUT_S,
    ) -> str:
        server = _launch(env, script, timeout)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()
    if request.session.testsfailed:
        for server in servers:
            print(f"\napp server log kept: {server.log}", file=sys.stderr)
    else:
        for server in servers:
            server.log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def app_server(start_app: Callable[..., str]) -> str:
    """Base URL (``http://127.0.0.1:<port>``) of ``app.py`` with the default environment."""
    if not (REPO_ROOT / "app.py").is_file():
        pytest.skip("app.py is not in this checkout yet")
    return start_app()


@pytest.fixture(scope="module")
def counted(start_app: Callable[..., str], tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """An app server of the module's own with a run log (the ``run_log`` setting): its base URL and the log's path,
    for a test that counts the script runs an action causes."""
    log = tmp_path_factory.mktemp("runs") / "runs.log"
    return start_app(env={"HEZA_RUN_LOG": str(log)}), log


def store_app(start_app: Callable[..., str], folder: Path, accounts: Mapping[str, tuple[str, str]],
              **env: str) -> tuple[str, GeoPackageStore]:
    """An app server on a GeoPackage store of its own in ``folder`` (made from ``geodata/``), with
    ``accounts`` (name → (password, role)) and no ``heza.toml``; ``env`` adds settings
    (``HEZA_MAX_UPLOAD_MB="1"``). Returns its base URL and the store, for a test to read what was saved."""
    store = GeoPackageStore(folder / "heza-store.gpkg")
    store.initialise_from(REPO_ROOT / "geodata")
    for name, (password, role) in accounts.items():
        auth.add_account(store, name, password, role)
    url = start_app(env={"HEZA_STORE_PATH": str(folder / "heza-store.gpkg"), "HEZA_CONFIG": str(folder / "none.toml"),
                         **env})
    return url, store


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.skip("playwright is not installed: run `make test`")
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: `apt-get install chromium` (make test does it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


#: the phone users have: 390×844, touch
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page on a :data:`PHONE`; the page's script errors are in ``phone.errors``."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined] - carried on the page for the tests
    yield page
    context.close()


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    """A 1440×900 page in a context of its own (its own cookies), downloads accepted."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def] - a Dataset (heza_geo.io), imported lazily like the app's
    """The app's default dataset, as the server under test loads it."""
    from heza_geo.io import load_dataset

    return load_dataset(load_settings().data_dir)


@pytest.fixture(scope="module")
def overview(data):  # type: ignore[no-untyped-def] - a GeoDataFrame of the parks
    """Every park with its figures (heza_geo.analysis.joins.parks_overview) of :func:`data`."""
    from heza_geo.analysis.joins import parks_overview

    return parks_overview(data)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A 1400x900 page that cannot reach the internet (see ``page.external_requests``)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    external: list[str] = []
    console_errors: list[str] = []

    def record(request) -> None:  # type: ignore[no-untyped-def]  # a Playwright request
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about", "chrome-extension") and parts.hostname not in LOCAL_HOSTS:
            external.append(request.url)

    # No page.route(): Playwright's request interception stalls Streamlit's lazily loaded widget
    # code (widgets stay grey skeletons). The internet is cut at DNS level instead (CHROMIUM_ARGS),
    # and every request that tried to leave the machine is recorded here.
    context.on("request", record)
    page = context.new_page()
    page.external_requests = external  # type: ignore[attr-defined]  # carried on the page for the tests
    page.console_errors = console_errors  # type: ignore[attr-defined]  # carried on the page for the tests
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))
    page.set_default_timeout(30_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            shot = save_screenshot(page, f"FAILED-{request.node.name}")
            print(f"\nscreenshot: {shot}\nexternal requests: {external}\nconsole errors: {console_errors}")
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
            print(f"\n(no screenshot: {exc})")
    context.close()


# --------------------------------------------------------------------------- helpers


def wait_for_app(page: Page, timeout: float = 60_000) -> None:
    """Wait until Streamlit is connected and the script has finished running (no "Running...")."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const state = app && app.getAttribute('data-test-script-state');
            return (state === 'notRunning' || state === 'compilationError')
                && !document.querySelector('[data-testid="stStatusWidget"]');
        }""",
        timeout=timeout,
    )


def warmed(url: str, browser: Browser) -> str:
    """``url`` after opening its "/" once: a fresh Streamlit server runs its first script in the
    legacy pages/-folder mode (every file of pages/ in the sidebar) until some run has called
    ``st.navigation``; opening "/" first makes a module independent of which ran before."""
    context = browser.new_context()
    warm = context.new_page()
    warm.goto(url)
    wait_for_app(warm)
    context.close()
    return url


def wait_for_tour_title(page: Page, title: str) -> None:
    """Until the presentation's tour card shows ``title``, read from the page (a language switch
    draws the tour's frame again, so a frame found before it would be gone)."""
    page.wait_for_function("""(t) => { const f = document.querySelector('iframe[title*="streamlit_folium"]');
        const e = f && f.contentDocument && f.contentDocument.querySelector('.heza-tour-title');
        return !!e && e.textContent === t; }""", arg=title)


def map_frame(page: Page, index: int = 0, timeout: float = 30_000) -> Frame:
    """The frame of the ``index``-th st_folium map, after Leaflet has created its container.

    streamlit-folium renders in a component iframe whose title is
    ``streamlit_folium.st_folium``; the map itself is ``#map_div.leaflet-container`` inside.
    """
    iframe = page.locator(MAP_IFRAME).nth(index)
    iframe.wait_for(state="attached", timeout=timeout)
    frame = iframe.element_handle(timeout=timeout).content_frame()
    assert frame is not None, "the st_folium iframe has no frame"
    frame.wait_for_selector(".leaflet-container", timeout=timeout)
    return frame


def open_map(page: Page, base_url: str, query: str = "") -> Frame:
    """Open the map page at ``query`` (e.g. ``"?lang=en"``); its map's frame once the parks are drawn."""
    page.goto(f"{base_url}/{query}")
    wait_for_app(page)
    frame = map_frame(page)
    frame.wait_for_selector("path.heza-park", state="attached")
    return frame


def click_park(page: Page, frame: Frame, park_id: str) -> None:
    """One real mouse click at the centre of the park's polygon; its popup opens.

    The map is scrolled fully into view first: focusing a half-visible iframe scrolls the page
    between mouse-down and mouse-up, which turns the click into a tiny drag.
    """
    iframe = page.locator(MAP_IFRAME).first
    iframe.scroll_into_view_if_needed()
    box = frame.evaluate(
        """(id) => { let found = null;
            map_div.eachLayer(l => { if (!found && l.feature && l.feature.properties.layer === 'park'
                                          && l.feature.properties.park_id === id) found = l; });
            const r = found._path.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }""",
        park_id,
    )
    origin = iframe.bounding_box()
    assert origin is not None, "the map's frame is not on screen"
    page.mouse.click(origin["x"] + box["x"], origin["y"] + box["y"])
    frame.wait_for_selector(".leaflet-popup")


def save_screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """Save a PNG of the page to tests/artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def scrolled_to(page: Page, box: Locator) -> Locator:
    """``box`` in the middle of the window, as a reader scrolls to a picker and its list before
    clicking, the page's scroll event delivered (it is, before the next frame's callbacks).
    Streamlit's multiselect closes its list on a scroll of the page, and Playwright scrolls as it
    clicks, in one frame, which no reader can: the scroll, delivered after the click, closed the
    list just opened (4 of 9 first clicks on the land finder's picker, measured under three
    browsers at once), and a picker at the window's bottom edge opened its list below it, where
    the click on an option scrolled again (1 run in 8)."""
    box.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
    return box


def settled(page: Page) -> None:
    """Wait until the page's running animations (an expander opening: its height grows, and what is under
    it still moves) have ended. An animation cancelled on the way (a run redrew its element) has ended
    too: its ``finished`` promise rejects with an AbortError, which is not a failure here (it was one,
    once, in a whole-suite CI run)."""
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"
                  ".then(() => true)")


def tab_panel(page: Page) -> Locator:
    """The open tab's panel (every tab's widgets are on the page; the others are hidden)."""
    return page.locator('[data-testid="stTabs"] [role="tabpanel"]:visible')


def choose_option(page: Page, box: Locator, option: str, exact: bool = True) -> None:
    """Open the select ``box``, type ``option`` to find it (a list of every park is longer than the
    dropdown shows) and pick it, once, as a user does: scrolled to first (:func:`scrolled_to`), so the
    list opens in the window (a box at its bottom edge opened its list below it, out of reach: seen on the
    staff page in a loaded whole-suite run)."""
    scrolled_to(page, box).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=exact).first.click()


def run_apart(coroutine: Coroutine[object, object, object]) -> object:
    """``asyncio.run`` in a thread of its own: in a whole-suite run Playwright's sync API already
    runs an event loop in this thread (the browser tests), and asyncio.run refuses to nest."""
    outcome: list[object] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(asyncio.run(coroutine))
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return outcome[0]


def sign_in(page: Page, url: str, account: str, password: str, lang: str = "en") -> None:
    """Open the Data management page in ``lang`` and sign in with the password form (its labels
    read from the catalog, as the page writes them)."""
    from heza_geo import i18n

    page.goto(f"{url}/data_management?lang={lang}")
    wait_for_app(page)
    page.get_by_role("textbox", name=i18n.t("dm.account", lang)).fill(account)
    page.get_by_role("textbox", name=i18n.t("dm.password", lang)).fill(password)
    page.get_by_role("button", name=i18n.t("dm.sign_in", lang)).click()
    wait_for_app(page)
