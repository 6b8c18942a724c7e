"""Load test: N browser sessions on a running app, like a promotion-event crowd.

    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8501 --sessions 30 --duration 60 --pid <app pid>

One headless Chromium (Debian's /usr/bin/chromium) opens N contexts, each a real Streamlit
websocket session on the map page. Each session loops until the time is up: change the minimum
available area filter, click a park on the map, clear the filter. A rerun is timed from the action
until Streamlit's "running" indicator is gone; an action whose indicator never appears within 1 s
counts as answered in under 1 s (timed as such). Errors: any Streamlit exception box, page error or
rerun not answered within 30 s. Memory: the app's RSS (with its children) when one session is open
and when all are, from /proc/<pid>.

Loopback only, bounded: at most 40 sessions and 120 s of load (the flags cannot raise the caps).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

MAX_SESSIONS = 40
MAX_DURATION_S = 120.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-dev-shm-usage"]
RUNNING = '[data-testid="stStatusWidget"]'
ANSWER_TIMEOUT_MS = 30_000


@dataclass
class Tally:
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sessions_ok: int = 0
    skipped_clicks: int = 0


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


try:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
except ImportError:  # reported by run()
    PlaywrightTimeout = TimeoutError  # noqa: N816


async def timed(page, action) -> float:  # noqa: ANN001
    """Run ``action`` and wait for the rerun it causes to finish; seconds."""
    start = time.perf_counter()
    await action()
    try:
        await page.wait_for_selector(RUNNING, state="attached", timeout=1000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: the rerun finished before we looked
        return time.perf_counter() - start
    await page.wait_for_selector(RUNNING, state="detached", timeout=ANSWER_TIMEOUT_MS)
    return time.perf_counter() - start


async def open_session(browser, url: str, tally: Tally, n: int):  # noqa: ANN001, ANN201
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.on("pageerror", lambda exc: tally.errors.append(f"session {n}: page error: {exc}"))
    await page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    await page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=90_000)
    await page.wait_for_selector(RUNNING, state="detached", timeout=90_000)
    return context, page


async def crowd(page, deadline: float, tally: Tally, n: int) -> None:  # noqa: ANN001
    rng = random.Random(n)
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
                    tally.reruns.append(await timed(page, lambda: target.click(force=True, timeout=5000)))
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


async def run(url: str, sessions: int, duration: float, pid: int | None) -> dict[str, object]:
    from playwright.async_api import async_playwright

    tally = Tally()
    load = os.getloadavg()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        first = await open_session(browser, url, tally, 0)
        rss_one = rss_mb(pid) if pid else None
        opened = [first]
        for batch in range(1, sessions, 5):  # open the rest five at a time, as a crowd arriving
            opened += await asyncio.gather(*(open_session(browser, url, tally, n)
                                             for n in range(batch, min(batch + 5, sessions))), return_exceptions=True)
        pages = []
        for n, item in enumerate(opened):
            if isinstance(item, BaseException):
                tally.errors.append(f"session {n}: did not open: {type(item).__name__}: {str(item).splitlines()[0][:160]}")
            else:
                pages.append(item[1])
        rss_opened = rss_mb(pid) if pid else None
        deadline = time.monotonic() + duration
        await asyncio.gather(*(crowd(page, deadline, tally, n) for n, page in enumerate(pages)))
        rss_all = max(rss_mb(pid), rss_opened) if pid else None
        await browser.close()
    times = sorted(tally.reruns)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] if times else float("nan")
    return {
        "sessions": sessions, "sessions_completed": tally.sessions_ok, "duration_s": duration,
        "reruns": len(times), "p50_s": statistics.median(times) if times else float("nan"), "p95_s": p95,
        "max_s": times[-1] if times else float("nan"), "errors": tally.errors,
        "skipped_clicks": tally.skipped_clicks,
        "rss_one_session_mb": rss_one, "rss_all_sessions_mb": rss_all,
        "mb_per_extra_session": (rss_all - rss_one) / max(sessions - 1, 1) if pid else None,
        "load_average_before": load, "load_average_after": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501", help="the running app (loopback only)")
    parser.add_argument("--sessions", type=int, default=30, help=f"concurrent sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--duration", type=float, default=60.0, help=f"seconds of load (at most {MAX_DURATION_S:.0f})")
    parser.add_argument("--pid", type=int, help="the app process, to report its memory")
    args = parser.parse_args(argv)
    host = urlparse(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"--url must be on loopback (127.0.0.1), got {host!r}", file=sys.stderr)
        return 2
    sessions = max(1, min(args.sessions, MAX_SESSIONS))
    duration = max(1.0, min(args.duration, MAX_DURATION_S))
    report = asyncio.run(run(args.url, sessions, duration, args.pid))
    fmt = lambda v: "n/a" if v is None else f"{v:.1f}"  # noqa: E731
    print(f"sessions: {report['sessions']} opened, {report['sessions_completed']} ran to the end "
          f"({report['duration_s']:.0f} s of load)")
    print(f"reruns answered: {report['reruns']}; p50 {report['p50_s']:.2f} s, p95 {report['p95_s']:.2f} s, "
          f"max {report['max_s']:.2f} s")
    print(f"errors: {len(report['errors'])} (park clicks skipped because the map was redrawing: {report['skipped_clicks']})")
    for line in report["errors"][:20]:
        print(f"  {line}")
    print(f"app RSS: {fmt(report['rss_one_session_mb'])} MB with 1 session, {fmt(report['rss_all_sessions_mb'])} MB "
          f"with {report['sessions']}; {fmt(report['mb_per_extra_session'])} MB per extra session")
    print("load average (1/5/15 min) before: " + " ".join(f"{v:.2f}" for v in report["load_average_before"])
          + "; after: " + " ".join(f"{v:.2f}" for v in report["load_average_after"]))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
