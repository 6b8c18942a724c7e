"""Screenshots of the map in headless Chromium (Debian's ``/usr/bin/chromium``, via Playwright).

The whole browser session runs in a worker thread of its own: Playwright's sync API refuses to
run where an asyncio loop is running (a Streamlit or test thread may have one).

Decision: the caller's ``done`` callback runs on the caller's thread, never on the worker. The
worker only puts each finished job's index on a queue, which the calling thread reads while it
waits. A Streamlit page's progress bar may only be touched from its script thread: called from
the worker it raised ``NoSessionContext``, and every PNG/PDF made on the Export page fell back to
the static renderer (issue 16), while the command line, which has no such rule, drew with Chromium.
"""

from __future__ import annotations

import queue
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from heza_geo.config import load_settings
from heza_geo.errors import BrowserUnavailable, RenderFailed
from heza_geo.export.core import Size, fit_exact
from heza_geo.export.snapshot import layout

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
READY_TIMEOUT_MS = 45_000


def chromium_path() -> Path:
    """The setting ``chromium`` (``HEZA_CHROMIUM``; Debian's ``/usr/bin/chromium`` by default)."""
    return load_settings().chromium


def unavailable_reason() -> str | None:
    """Why the browser renderer cannot be used, without starting it (``None``: worth trying)."""
    chromium = chromium_path()
    if not chromium.is_file():
        return f"{chromium} is not installed"
    try:
        import playwright.sync_api  # noqa: F401 - imported only to learn whether it is installed
    except ImportError:
        return "the playwright package is not installed"
    return None


@dataclass(frozen=True)
class Job:
    """One screenshot. ``html`` is the page to load; ``None`` keeps the previous job's page (same
    size), which ``focus`` then zooms to one park (``window.hezaFocus``): an atlas loads its map once."""

    html: str | None
    size: Size
    out: Path
    focus: str | None = None


def _render(jobs: Sequence[Job], done: Callable[[int], None], cancelled: threading.Event) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(chromium_path()), args=list(CHROMIUM_ARGS), headless=True)
        except PlaywrightError as exc:
            raise BrowserUnavailable(f"Chromium did not start: {str(exc).splitlines()[0]}") from exc
        try:
            with tempfile.TemporaryDirectory(prefix="heza-export-") as tmp:
                page = None
                for index, job in enumerate(jobs):
                    if cancelled.is_set():
                        return
                    if job.html is not None or page is None:
                        if page is not None:
                            page.close()
                        width, height, scale = layout(job.size)
                        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
                        html_file = Path(tmp) / f"map-{index}.html"
                        html_file.write_text(job.html or "", encoding="utf-8")
                        page.goto(html_file.as_uri(), wait_until="load")
                    if job.focus is not None:
                        page.evaluate("id => window.hezaFocus(id)", job.focus)
                    try:
                        page.wait_for_function("() => window.hezaExportReady === true", timeout=READY_TIMEOUT_MS)
                    except PlaywrightError as exc:
                        errors = page.evaluate("() => (window.__hezaErrors || []).join('; ')")
                        raise RenderFailed(f"the map did not finish drawing in {READY_TIMEOUT_MS // 1000} s"
                                           + (f" ({errors})" if errors else "")) from exc
                    page.screenshot(path=str(job.out), type="png")
                    fit_exact(job.out, job.size)
                    done(index)
        finally:
            browser.close()


#: put on the queue by the worker when it has finished, after the last job's index
_FINISHED = -1


def render(jobs: Sequence[Job], done: Callable[[int], None] = lambda _i: None) -> None:
    """Screenshot each job's HTML to its PNG with one browser; ``done(i)`` after each, called on
    this (the calling) thread.

    Raises :class:`BrowserUnavailable` when no browser can be started, :class:`RenderFailed`
    when a map does not draw. If ``done`` raises (a Streamlit script stopped by a rerun), the
    browser stops after the job in hand and the exception goes on.
    """
    reason = unavailable_reason()
    if reason:
        raise BrowserUnavailable(reason)
    failure: list[BaseException] = []
    finished: queue.SimpleQueue[int] = queue.SimpleQueue()
    cancelled = threading.Event()

    def run() -> None:
        try:
            _render(jobs, finished.put, cancelled)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread below
            failure.append(exc)
        finally:
            finished.put(_FINISHED)

    worker = threading.Thread(target=run, name="heza-export-browser", daemon=True)
    worker.start()
    try:
        while (index := finished.get()) != _FINISHED:
            done(index)
    finally:
        cancelled.set()
        worker.join()
    if failure:
        exc = failure[0]
        if isinstance(exc, (BrowserUnavailable, RenderFailed)):
            raise exc
        raise RenderFailed(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
