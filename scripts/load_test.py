"""Load test: N concurrent sessions on a running app, like a promotion-event crowd.

    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8501 --sessions 10 --duration 30 --pid <app pid>
    .venv/bin/python scripts/load_test.py --driver browser --sessions 30 --duration 60 --pid <app pid>

Each session opens the map page (``--url`` is the app's base URL; its query string, ``lang=en`` by
default, is the page's) and loops until the time is up: change the minimum available area filter
(5, 10, 20 or 30 ha), click a park on the map, clear the filter. Two drivers:

``--driver protocol`` (default)
    Speaks Streamlit's websocket protocol directly (scripts/streamlit_client.py): per session a
    cookie jar, the page and ``/_stcore/health`` fetched as a browser does (so a proxy's sticky
    cookie and the XSRF cookie go back on the websocket handshake), then ``rerun_script`` messages
    carrying the widget values it changed, as the frontend sends them. A park click sets the map
    component's value to what the map's own script sends on a click (``HezaPlots``' hookClicks: a
    park from ``--data``, counted). A rerun is timed from the message sent until the script run ends
    (past any ``st.rerun()``). Between actions each visitor thinks for a random ``--think`` seconds
    (2-6 by default, a visitor on a phone). No browser: on a small machine the load generator no
    longer eats the CPU the app needs.
``--driver browser``
    One headless Chromium (Debian's /usr/bin/chromium), one context per session, no think time. A
    rerun is timed from the action until Streamlit's "running" indicator is gone; an action whose
    indicator never appears within 1 s counts as answered in under 1 s (timed as such). On two
    cores, thirty contexts eat the CPU the app needs: its times measure the browser as much.

Errors: an exception shown, a script run that ends other than successfully (protocol), a page
error (browser), or a rerun not answered within 30 s. Memory: the RSS of the app processes (each
``--pid``, several for several app processes behind a proxy, with their children, summed) when one
session is open, and the highest with all open (the protocol driver also samples it every second
of the load), from /proc.

Loopback only, bounded: at most 40 sessions and 120 s of load (the flags cannot raise the caps).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page
    from streamlit_client import Run  # beside this script, so on its path

MAX_SESSIONS = 40
MAX_DURATION_S = 120.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-dev-shm-usage"]
RUNNING = '[data-testid="stStatusWidget"]'
ANSWER_TIMEOUT_MS = 30_000
ANSWER_TIMEOUT_S = ANSWER_TIMEOUT_MS / 1000
OPEN_TIMEOUT_S = 90.0
DRIVERS = ("protocol", "browser")
DEFAULT_THINK = "2-6"
DEFAULT_QUERY = "lang=en"
FILTER_VALUES = (5, 10, 20, 30)
MIN_AREA_KEY = "min_available_ha"  # heza_geo/ui/common.py filter_sidebar: the number input's key
MAP_COMPONENT = "streamlit_folium.st_folium"


@dataclass
class Tally:
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sessions_ok: int = 0
    skipped_clicks: int = 0
    #: protocol driver: rerun requests sent, times by action, clicks whose park panel appeared
    reruns_sent: int = 0
    by_action: dict[str, list[float]] = field(default_factory=dict)
    clicks_shown: int = 0


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def rss_total_mb(pids: Iterable[int]) -> float | None:
    """Summed RSS of several app processes (each with its children); None when none is given."""
    pids = list(pids)
    return sum(rss_mb(pid) for pid in pids) if pids else None


def percentile_95(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, round(0.95 * len(times)) - 1)] if times else float("nan")


def summary(tally: Tally, sessions: int, duration: float, rss_one: float | None, rss_all: float | None,
            load: tuple[float, float, float]) -> dict[str, object]:
    """The report both drivers print."""
    times = sorted(tally.reruns)
    return {
        "sessions": sessions, "sessions_completed": tally.sessions_ok, "duration_s": duration,
        "reruns": len(times), "p50_s": statistics.median(times) if times else float("nan"),
        "p95_s": percentile_95(times), "max_s": times[-1] if times else float("nan"), "errors": tally.errors,
        "skipped_clicks": tally.skipped_clicks,
        "rss_one_session_mb": rss_one, "rss_all_sessions_mb": rss_all,
        "mb_per_extra_session": (rss_all - rss_one) / max(sessions - 1, 1) if rss_one is not None else None,
        "load_average_before": load, "load_average_after": os.getloadavg(),
    }

try:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
except ImportError:  # reported by run()
    PlaywrightTimeout = TimeoutError


async def timed(page: Page, action: Callable[[], Awaitable[object]]) -> float:
    """Run ``action`` and wait for the rerun it causes to finish; seconds."""
    start = time.perf_counter()
    await action()
    try:
        await page.wait_for_selector(RUNNING, state="attached", timeout=1000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: the rerun finished before we looked
        return time.perf_counter() - start
    await page.wait_for_selector(RUNNING, state="detached", timeout=ANSWER_TIMEOUT_MS)
    return time.perf_counter() - start


async def open_session(browser: Browser, url: str, tally: Tally, n: int) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.on("pageerror", lambda exc: tally.errors.append(f"session {n}: page error: {exc}"))
    await page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    await page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=90_000)
    await page.wait_for_selector(RUNNING, state="detached", timeout=90_000)
    return context, page


async def crowd(page: Page, deadline: float, tally: Tally, n: int) -> None:
    rng = random.Random(n)  # noqa: S311 - a visitor's choices, repeatable per session; no secret
    number = page.locator('[data-testid="stNumberInput"] input').first
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    while time.monotonic() < deadline:
        try:
            value = rng.choice([5, 10, 20, 30])

            async def set_filter(value: int = value) -> None:
                await number.fill(str(value))
                await number.press("Enter")

            tally.reruns.append(await timed(page, set_filter))
            parks = frame.locator("path.heza-park")
            count = await parks.count()
            if count:
                target = parks.nth(rng.randrange(count))
                try:
                    tally.reruns.append(await timed(page, partial(target.click, force=True, timeout=5000)))
                except PlaywrightTimeout:  # the map redrew under the pointer: not the server's fault
                    tally.skipped_clicks += 1

            async def clear() -> None:
                await number.fill("0")
                await number.press("Enter")

            tally.reruns.append(await timed(page, clear))
            if await page.locator('[data-testid="stException"]').count():
                tally.errors.append(f"session {n}: the page shows an exception")
                return
        except Exception as exc:  # noqa: BLE001 - any failure of a session is counted and reported
            tally.errors.append(f"session {n}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
            return
    tally.sessions_ok += 1


async def run_browser(url: str, sessions: int, duration: float, pids: list[int]) -> dict[str, object]:
    """The Chromium driver: one context per session, no think time."""
    from playwright.async_api import async_playwright

    tally = Tally()
    load = os.getloadavg()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        first = await open_session(browser, url, tally, 0)
        rss_one = rss_total_mb(pids)
        opened = [first]
        for batch in range(1, sessions, 5):  # open the rest five at a time, as a crowd arriving
            opened += await asyncio.gather(*(open_session(browser, url, tally, n)
                                             for n in range(batch, min(batch + 5, sessions))), return_exceptions=True)
        pages = []
        for n, item in enumerate(opened):
            if isinstance(item, BaseException):
                first_line = str(item).splitlines()[0][:160]
                tally.errors.append(f"session {n}: did not open: {type(item).__name__}: {first_line}")
            else:
                pages.append(item[1])
        rss_opened = rss_total_mb(pids)
        deadline = time.monotonic() + duration
        await asyncio.gather(*(crowd(page, deadline, tally, n) for n, page in enumerate(pages)))
        rss_all = max(rss_total_mb(pids), rss_opened) if pids else None
        await browser.close()
    return summary(tally, sessions, duration, rss_one, rss_all, load) | {"driver": "browser", "think_s": None}


# --------------------------------------------------------------------------- the protocol driver


@dataclass(frozen=True)
class Park:
    """A park a visitor clicks: what streamlit-folium returns for it, and the names its panel shows."""

    park_id: str
    names: tuple[str, ...]
    feature: dict[str, object]


def load_parks(data_dir: Path | str) -> list[Park]:
    """The parks of ``data_dir`` (the app's data) as GeoJSON features, as Leaflet hands them over."""
    from shapely.geometry import mapping

    from heza_geo.io import load_dataset

    parks = load_dataset(data_dir).parks
    return [
        Park(str(row["park_id"]), (str(row["name_en"]), str(row["name_vi"])), {
            "type": "Feature",
            "properties": {"layer": "park", "park_id": str(row["park_id"])},
            "geometry": json.loads(json.dumps(mapping(row.geometry))),
        })
        for _, row in parks.iterrows()
        if getattr(row.geometry, "is_empty", True) is False  # a park with no position (None, NaN) cannot be clicked
    ]


def click_value(park: Park, n: int) -> str:
    """The map component's value after the ``n``-th click, on ``park`` (heza_geo/ui/fastmap.py take_click)."""
    return json.dumps({"park_id": park.park_id, "plot_id": None, "layer": "park", "n": n})


def parse_think(text: str) -> tuple[float, float]:
    """``"2-6"`` -> (2.0, 6.0); ``"0"`` -> no think time."""
    low, _, high = text.partition("-")
    low_s, high_s = float(low), float(high or low)
    if low_s < 0 or high_s < low_s:
        raise argparse.ArgumentTypeError(f"--think wants MIN-MAX seconds, 0 <= MIN <= MAX, got {text!r}")
    return low_s, high_s


class Visitor:
    """One protocol session's loop: filter, click a park, clear the filter, thinking in between."""

    def __init__(self, n: int, url: str, parks: list[Park], think: tuple[float, float], tally: Tally) -> None:
        from streamlit_client import StreamlitSession

        parts = urlsplit(url)
        self.n, self.parks, self.think, self.tally = n, parks, think, tally
        self.rng = random.Random(n)  # noqa: S311 - a visitor's choices, repeatable per session; no secret
        self.session = StreamlitSession(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
                                        parts.query or DEFAULT_QUERY)
        self.last: Run | None = None  # the last run: where the widget ids are read from
        self.clicked: str | None = None
        self.clicks = 0  # the map counts its clicks: the same park clicked again is a new value
        self.alive = True  # False once a rerun went unanswered: the session was closed

    async def open(self) -> None:
        self.last = await self.session.open(OPEN_TIMEOUT_S)
        if not self.last.ok:
            raise RuntimeError("; ".join(self.last.problems))

    async def _act(self, action: str, deadline: float) -> bool:
        """Think, then rerun with the values just set; False when the time is up or no answer came."""
        await asyncio.sleep(self.rng.uniform(*self.think))
        if time.monotonic() >= deadline:
            return False
        self.tally.reruns_sent += 1
        run = await self.session.rerun(ANSWER_TIMEOUT_S)
        answered = self.alive = run.answered
        if answered:
            self.tally.reruns.append(run.seconds)
            self.tally.by_action.setdefault(action, []).append(run.seconds)
        self.tally.errors += [f"session {self.n}: {action}: {problem}" for problem in run.problems]
        previous, self.last = self.last, run
        if action == "park click" and answered:
            park = next(p for p in self.parks if p.park_id == self.clicked)
            if any(name in run.headings for name in park.names) and not any(name in previous.headings
                                                                             for name in park.names):
                self.tally.clicks_shown += 1
        return answered

    def _set_min_area(self, hectares: float) -> None:
        found = self.last.find("number_input", "-" + MIN_AREA_KEY)
        if found is None:
            raise RuntimeError("no minimum-area number input on the page")
        widget_id, widget = found
        if widget.data_type == widget.INT:
            self.session.set_widget(widget_id, int_value=int(hectares))
        else:
            self.session.set_widget(widget_id, double_value=float(hectares))

    def _click_park(self) -> None:
        found = self.last.find("component_instance", component_name=MAP_COMPONENT)
        if found is None:
            raise RuntimeError("no streamlit-folium map on the page")
        widget_id, _ = found
        park = self.rng.choice([p for p in self.parks if p.park_id != self.clicked])
        self.clicked = park.park_id
        self.clicks += 1
        self.session.set_widget(widget_id, json_value=click_value(park, self.clicks))

    async def crowd(self, deadline: float) -> None:
        """Filter, click, clear, until ``deadline``; stops early when a rerun is not answered."""
        from streamlit_client import SessionClosed

        prepare = {"filter": lambda: self._set_min_area(self.rng.choice(FILTER_VALUES)),
                   "park click": self._click_park,
                   "clear filter": lambda: self._set_min_area(0)}
        try:
            while self.alive and time.monotonic() < deadline:
                for action, set_values in prepare.items():
                    set_values()
                    if not await self._act(action, deadline):
                        break
            if self.alive:
                self.tally.sessions_ok += 1
        except (SessionClosed, RuntimeError) as exc:
            self.tally.errors.append(f"session {self.n}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        finally:
            await self.session.close()


async def run_protocol(url: str, sessions: int, duration: float, pids: list[int],
                       think: tuple[float, float] = (2.0, 6.0),
                       data_dir: Path | str = REPO_ROOT / "geodata") -> dict[str, object]:
    """The websocket driver: ``sessions`` visitors without a browser, ``think`` seconds between actions."""
    parks = load_parks(data_dir)
    tally = Tally()
    load = os.getloadavg()
    visitors = [Visitor(n, url, parks, think, tally) for n in range(sessions)]
    opened: list[Visitor] = []

    async def arrive(visitor: Visitor) -> None:
        try:
            await visitor.open()
            opened.append(visitor)
        except Exception as exc:  # noqa: BLE001 - any failure to open is counted and reported
            tally.errors.append(f"session {visitor.n}: did not open: {type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:160] if str(exc) else ''}")
            await visitor.session.close()

    await arrive(visitors[0])
    rss_one = rss_total_mb(pids)
    for batch in range(1, sessions, 5):  # the rest five at a time, as a crowd arriving
        await asyncio.gather(*(arrive(v) for v in visitors[batch:batch + 5]))
    rss_opened = rss_total_mb(pids)
    deadline = time.monotonic() + duration
    sampler = asyncio.create_task(_sample_rss(pids, deadline))
    await asyncio.gather(*(visitor.crowd(deadline) for visitor in opened))
    rss_peak = await sampler
    rss_all = max(rss_total_mb(pids), rss_opened, rss_peak) if pids else None
    report = summary(tally, sessions, duration, rss_one, rss_all, load)
    return report | {
        "driver": "protocol", "think_s": think, "reruns_sent": tally.reruns_sent,
        "by_action": {action: {"count": len(times), "p50_s": statistics.median(times), "p95_s": percentile_95(times)}
                      for action, times in tally.by_action.items()},
        "park_clicks": len(tally.by_action.get("park click", [])), "park_clicks_shown": tally.clicks_shown,
    }


async def _sample_rss(pids: list[int], deadline: float) -> float:
    """The highest summed RSS seen during the load, sampled every second."""
    peak = 0.0
    while pids and time.monotonic() < deadline:
        peak = max(peak, rss_total_mb(pids) or 0.0)
        await asyncio.sleep(1.0)
    return peak


# --------------------------------------------------------------------------- the command line


def print_report(report: dict[str, object]) -> None:
    def fmt(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.1f}"

    think = report["think_s"]
    think_text = "none" if think is None else f"{think[0]:g}-{think[1]:g} s between actions"
    print(f"driver: {report['driver']}; think time: {think_text}")
    print(f"sessions: {report['sessions']} opened, {report['sessions_completed']} ran to the end "
          f"({report['duration_s']:.0f} s of load)")
    sent = f" of {report['reruns_sent']} sent" if "reruns_sent" in report else ""
    print(f"reruns answered: {report['reruns']}{sent}; p50 {report['p50_s']:.2f} s, p95 {report['p95_s']:.2f} s, "
          f"max {report['max_s']:.2f} s")
    for action, figures in report.get("by_action", {}).items():
        print(f"  {action}: {figures['count']}; p50 {figures['p50_s']:.2f} s, p95 {figures['p95_s']:.2f} s")
    if report["driver"] == "protocol":
        print(f"park clicks: {report['park_clicks']}, of which opened that park's panel: {report['park_clicks_shown']}")
        print(f"errors: {len(report['errors'])}")
    else:
        print(f"errors: {len(report['errors'])} (park clicks skipped because the map was redrawing: "
              f"{report['skipped_clicks']})")
    for line in report["errors"][:20]:
        print(f"  {line}")
    print(f"app RSS: {fmt(report['rss_one_session_mb'])} MB with 1 session, {fmt(report['rss_all_sessions_mb'])} MB "
          f"with {report['sessions']}; {fmt(report['mb_per_extra_session'])} MB per extra session")
    print("load average (1/5/15 min) before: " + " ".join(f"{v:.2f}" for v in report["load_average_before"])
          + "; after: " + " ".join(f"{v:.2f}" for v in report["load_average_after"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501", help="the running app (loopback only); "
                        f"its query string is the page's (default {DEFAULT_QUERY}, protocol driver)")
    parser.add_argument("--driver", choices=DRIVERS, default="protocol",
                        help="protocol: Streamlit's websocket, no browser (default); browser: Chromium contexts")
    parser.add_argument("--sessions", type=int, default=30, help=f"concurrent sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--duration", type=float, default=60.0, help=f"seconds of load (at most {MAX_DURATION_S:.0f})")
    parser.add_argument("--think", type=parse_think, default=parse_think(DEFAULT_THINK),
                        help=f"MIN-MAX seconds a visitor waits between actions (protocol driver; "
                        f"default {DEFAULT_THINK})")
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="an app process, to report its memory; repeat it for several processes (summed)")
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "geodata",
                        help="the app's data directory: the parks to click (protocol driver)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    host = urlsplit(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"--url must be on loopback (127.0.0.1), got {host!r}", file=sys.stderr)
        return 2
    sessions = max(1, min(args.sessions, MAX_SESSIONS))
    duration = max(1.0, min(args.duration, MAX_DURATION_S))
    if args.driver == "browser":
        report = asyncio.run(run_browser(args.url, sessions, duration, args.pid))
    else:
        report = asyncio.run(run_protocol(args.url, sessions, duration, args.pid, args.think, args.data))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
