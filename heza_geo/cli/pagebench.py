"""``python -m heza_geo bench --pages``: the app's actions in the browser, against a floor app.

Two apps are started on free loopback ports: the **floor** (``scripts/floor_app.py``: a radio and
the choice written under it, the least a Streamlit page does) and the **app** as it is served
(:func:`heza_geo.cli.run.streamlit_command`, the ``--data`` directory, English by default, the
``run_log`` setting pointing at a temporary file). Headless Chromium (1440×900, the arguments of
``heza_geo.cli.bench.CHROMIUM_ARGS``, which ``bench`` passes to :func:`run`) drives both.

Each action is timed from its input event (one mouse click or key press; opening a list and typing
in it come before, untimed) to the screen showing its result **and** the script not running. The
floor's two figures are the baselines: ``floor_rerun`` (a click on the other radio option until the
text shows it) for every action, ``floor_first_paint`` (navigation until the text shows) for the
navigation. Targets: an action at most 2× the floor's rerun, the navigation at most 1.5× the
floor's first paint, and one script run per action.

A third app, the **floor with a map** (``scripts/floor_map_app.py``: the floor's radio and text and
an empty streamlit-folium map that the choice reaches as a script, the way a park click reaches
ours), is measured the same way and reported beside each action (``floor_map_s``): what a page costs
once it has a map, so the part of an action that is the page's own shows. Not a target.

Decisions:

* Timings are medians of ``--runs`` samples, after one warm-up sample per action that is not
  counted (the first visit of a server loads the data and builds the maps, as ``bench --plots``
  does with its run 0). A sample that ran out of time (``--timeout``) counts as infinitely slow
  and ends its action: the next samples would only wait as long again.
* Runs are counted on the server, from the ``run_log`` file: every line (page or fragment) whose
  time falls between the action's input event and its end plus :data:`GRACE_S`, so a late,
  unrequested rerun counts. The **maximum** over the samples is reported (a rerun that happens
  once in five is still a rerun); ``runs_each`` and ``samples_s`` list every sample's.
* Before each sample the page is settled: the script not running and no run for :data:`QUIET_S`.
  A sample that toggles (the language, the radio, the period, the year, the area) goes the other
  way next time (the language: the one the page's link does not name, so a switch that did not
  take is asked again); a park click and a park filter are undone (untimed) before the next one.
* A navigation (and the floor's first paint) opens a new tab in the app's browser context, so the
  browser's cache is warm and the Streamlit session is new, as a visitor opening a link again.
  It ends when the map is drawn with the script not running, counted to the moment it last got
  there: if a run follows within :data:`QUIET_S`, the wait goes on.
* ``within_target`` judges the time only (ratio against the target); runs are their own column, the
  target being 1. A benchmark, not a test: nothing here fails on a timing; the exit status is 0
  whenever it measured, 2 on bad arguments or without Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heza_geo.cli.run import streamlit_command
from heza_geo.config import REPO_ROOT, VENDOR_DIR, load_settings

if TYPE_CHECKING:  # Playwright is imported when the benchmark runs, not when the command line is built
    from playwright.sync_api import ViewportSize

FLOOR_SCRIPT = REPO_ROOT / "scripts" / "floor_app.py"
FLOOR_MAP_SCRIPT = REPO_ROOT / "scripts" / "floor_map_app.py"
#: the app server's output, kept after the run (beside it, the floor's): where a timed-out action's cause is
SERVER_LOG = Path(tempfile.gettempdir()) / "heza-pagebench-app.log"
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
#: a run this long after an action's end still counts as the action's
GRACE_S = 1.5
#: a page is settled when the script has not run for this long
QUIET_S = 1.5
#: the floor's radio options (scripts/floor_app.py)
FLOOR_OPTIONS = ("first", "second")
#: the two languages the language switch goes between
LANGUAGES = ("en", "vi")
#: the two areas (ha) the land finder's "area needed" goes between
FINDER_AREAS = (25.0, 60.0)
#: the port page opens on this year; the slider goes one year up, then back
PORT_YEAR = 2024
FLOOR_KINDS = {"rerun": "floor_rerun", "first paint": "floor_first_paint"}
#: the floor with a map's figure beside each floor figure
FLOOR_MAP_KINDS = {"rerun": "floor_map_rerun", "first paint": "floor_map_first_paint"}
TARGETS = {"rerun": 2.0, "first paint": 1.5}
RUNS_TARGET = 1
#: the kind of the run log's line that ends a run (heza_geo.ui.common.logged_run)
DONE = "done"


# --- the run log --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """One line of the ``run_log`` file: a script run of ``page`` that started at ``at`` (Unix time),
    ``kind`` ``page`` (app.py) or ``fragment``, or one that ended then (``kind`` ``done``)."""

    at: float
    page: str
    kind: str


def parse_run(line: str) -> Run | None:
    """A line of the run log, or None for one that is not ``<time> <page> <kind>`` (a line half
    written while it is read, say).

    >>> parse_run("1796005499.460 map page")
    Run(at=1796005499.46, page='map', kind='page')
    >>> parse_run("garbage") is None
    True
    """
    parts = line.split()
    if len(parts) != 3:
        return None
    try:
        return Run(float(parts[0]), parts[1], parts[2])
    except ValueError:
        return None


def read_runs(path: Path) -> list[Run]:
    """The runs the log holds (none when it does not exist yet), in the file's order."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [run for run in map(parse_run, text.splitlines()) if run is not None]


def runs_between(runs: Sequence[Run], start: float, end: float, grace: float = GRACE_S) -> int:
    """How many runs (page and fragment) started from ``start`` to ``end`` plus ``grace``."""
    return sum(start <= run.at <= end + grace and run.kind != DONE for run in runs)


def script_seconds(runs: Sequence[Run], start: float, end: float) -> float | None:
    """The server's share of an action from ``start`` to ``end``: from the first run that started
    in it to the last ``done`` in it (the script running, and Streamlit between two runs of one
    action); None when no run both started and ended in it.

    >>> script_seconds([Run(10.1, "map", "page"), Run(10.25, "map", DONE)], 10.0, 10.5)
    0.15...
    """
    starts = [r.at for r in runs if start <= r.at <= end and r.kind != DONE]
    ends = [r.at for r in runs if start <= r.at <= end and r.kind == DONE]
    if not starts or not ends or max(ends) < min(starts):
        return None
    return max(ends) - min(starts)


# --- the report ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """An action measured on the app, against the floor's ``floor`` ("rerun" or "first paint")."""

    name: str
    floor: str
    what: str


ACTIONS = (
    Action("park_click", "rerun", "map: click a park's polygon -> its panel drawn"),
    Action("park_filter", "rerun", "map: pick a park in the sidebar filter -> cards updated, map framed"),
    Action("finder_input", "rerun", "land finder: change the area needed -> results updated"),
    Action("language_switch", "rerun", "map: language en <-> vi -> title in the new language"),
    Action("language_switch_presentation", "rerun", "presentation: language en <-> vi -> tour title"),
    Action("investment_period", "rerun", "investment: another period -> chart redrawn"),
    Action("port_year", "rerun", "port: year +-1 on the slider -> berths and map redrawn"),
    Action("navigation_settled", "first paint", "open the map page -> parks drawn, no run for 1.5 s"),
)


def ratio(ours: float | None, floor: float | None) -> float | None:
    """``ours / floor``; None when either is missing (timed out) or the floor is not positive."""
    if ours is None or floor is None or floor <= 0:
        return None
    return ours / floor


def row(action: str, ours: float | None, floor_s: float | None, floor: str, runs: int | None,
        runs_each: Sequence[int] = (), samples: Sequence[float | None] = (), error: str | None = None,
        script_s: float | None = None, floor_map_s: float | None = None) -> dict[str, Any]:
    """One action's result, as ``--json`` prints it: the keys of the issue, the server's share of
    ``ours_s`` (``script_s``, median; the rest is the browser drawing and the wire), the same figure
    of the floor with a map (``floor_map_s``: what a page costs once it has a map; not a target), then each
    sample's runs and seconds (None: ran out of time) so the spread is there to see, and why the
    action could not be driven at all (``error``, else None).

    >>> row("park_click", 0.5, 0.2, "rerun", 1)["within_target"]
    False
    >>> row("navigation_settled", 1.2, 1.0, "first paint", 1)["target"]
    1.5
    """
    target = TARGETS[floor]
    r = ratio(ours, floor_s)
    return {"action": action, "ours_s": _round(ours), "floor_s": _round(floor_s), "floor": floor,
            "ratio": None if r is None else round(r, 2), "target": target,
            "within_target": r is not None and r <= target, "runs": runs, "script_s": _round(script_s),
            "floor_map_s": _round(floor_map_s), "runs_each": list(runs_each),
            "samples_s": [_round(s) for s in samples], "error": error}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def median(values: Sequence[float | None]) -> float | None:
    """Median, a missing (timed-out) value counting as infinitely slow; None if that is the median."""
    if not values:
        return None
    middle = statistics.median(float("inf") if v is None else v for v in values)
    return None if middle == float("inf") else middle


def table(rows: Sequence[dict[str, Any]], markdown: bool = False) -> str:
    """The rows as a text (or Markdown) table: ours, the floor, the ratio against its target, runs."""
    head = ("action", "ours (s)", "script (s)", "floor (s)", "floor", "ratio", "target", "runs", "floor + map (s)")

    def cells(r: dict[str, Any]) -> tuple[str, ...]:
        ours = ("failed" if r.get("error") else "timeout") if r["ours_s"] is None else f"{r['ours_s']:.2f}"
        floor = "timeout" if r["floor_s"] is None else f"{r['floor_s']:.2f}"
        rat = "—" if r["ratio"] is None else f"{r['ratio']:.1f}×"
        mark = "ok" if r["within_target"] else "over"
        runs = "—" if r["runs"] is None else f"{r['runs']}" + ("" if r["runs"] == RUNS_TARGET else " (over)")
        script = "—" if r.get("script_s") is None else f"{r['script_s']:.2f}"
        with_map = "—" if r.get("floor_map_s") is None else f"{r['floor_map_s']:.2f}"
        return (r["action"], ours, script, floor, r["floor"], rat, f"≤ {r['target']:g}× {mark}", runs, with_map)

    body = [cells(r) for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|---|---:|---|---:|---:|"]
        lines += ["| " + " | ".join(c) + " |" for c in body]
        return "\n".join(lines)
    widths = [max(len(x) for x in column) for column in zip(head, *body, strict=True)]
    return "\n".join("  ".join(c.ljust(w) if k in (0, 4, 6) else c.rjust(w) for k, (c, w)
                               in enumerate(zip(line, widths, strict=True))).rstrip()
                     for line in (head, *body))


def describe(info: dict[str, Any], runs: int, when: date | None = None) -> str:
    """The line saying when, on what and how the figures were measured."""
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    return (f"measured {(when or date.today()).isoformat()}, medians of {runs} runs (runs: the most of them); "
            f"viewport {VIEWPORT['width']}×{VIEWPORT['height']}\n"
            f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}, "
            f"{info['chromium'] or 'no chromium'}; {versions}; load average at start {info['load_avg']}")


# --- the servers --------------------------------------------------------------------------------------
def python() -> str:
    """The repository's virtualenv Python, else this one: what the benchmarks start their servers with."""
    venv = REPO_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(command: Callable[[int], list[str]], env: dict[str, str], log: Path,
           start_timeout: float = 120.0) -> Iterator[str]:
    """``command(port)`` run from the repository (its ``.streamlit/config.toml`` applies) on a free
    loopback port until it answers ``/_stcore/health``; yields its URL and stops it afterwards."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(command(port), cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command(port)[3:5]} exited with {process.returncode}; see {log}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:  # noqa: S310 - our http://127.0.0.1 server
                    if resp.read().strip() == b"ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start within {start_timeout:.0f} s; see {log}")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def floor_command(port: int, script: Path = FLOOR_SCRIPT) -> list[str]:
    return [python(), "-m", "streamlit", "run", str(script), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false"]


def floor_map_command(folder: Path) -> Callable[[int], list[str]]:
    """The floor with a map (``scripts/floor_map_app.py``) served from ``folder``: Streamlit serves
    ``/app/static`` from beside the main script (and not through a link), so the script and a copy of
    ``static/vendor`` (the map's Leaflet files) go there."""
    shutil.copy2(FLOOR_MAP_SCRIPT, folder / FLOOR_MAP_SCRIPT.name)
    shutil.copytree(VENDOR_DIR, folder / "static" / VENDOR_DIR.name)
    return lambda port: floor_command(port, folder / FLOOR_MAP_SCRIPT.name)


def app_command(env: dict[str, str]) -> Callable[[int], list[str]]:
    settings = load_settings(env)
    return lambda port: streamlit_command(port, "127.0.0.1", settings, python=python(),
                                          extra=["--server.fileWatcherType", "none"])


# --- what the pages show ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Expected:
    """What the app's pages show, from the data layer: the park to click and filter (placed, its
    name), and the titles each language draws."""

    parks: list[dict[str, Any]]
    titles: dict[str, str]
    tour_titles: dict[str, str]


def expected(data_dir: Path) -> Expected:
    """The parks the map can draw, largest first, each with a point inside it; the map page's title
    and the tour's first title in each of :data:`LANGUAGES`."""
    from heza_geo import i18n
    from heza_geo.analysis.joins import berth_status, parks_overview
    from heza_geo.io import load_dataset
    from heza_geo.maps.layers import placed
    from heza_geo.maps.tour import tour_stops

    data = load_dataset(data_dir)
    overview = parks_overview(data)
    shown = placed(overview)
    shown = shown.assign(_area=shown.geometry.to_crs(shown.geometry.estimate_utm_crs()).area).sort_values(
        "_area", ascending=False)
    points = shown.geometry.representative_point()
    parks = [{"id": r["park_id"], "name": i18n.name(r, "en"), "lat": float(lat), "lng": float(lng)}
             for (_, r), lat, lng in zip(shown.iterrows(), points.y, points.x, strict=True)]
    berths = berth_status(data.berths, data.berth_status_history)
    tours = {lang: tour_stops(overview, berths, lang, data.connectivity) for lang in LANGUAGES}
    return Expected(parks, {lang: i18n.t("app.title", lang) for lang in LANGUAGES},
                    {lang: stops[0].title if stops else "" for lang, stops in tours.items()})


# --- the browser --------------------------------------------------------------------------------------
#: helpers every wait can use: idle() (connected, the script not running), map() (the first
#: streamlit-folium frame's window, if it has its Leaflet map), param(name) (the page URL's)
_PRELUDE = """
const idle = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]');
};
const map = () => {
    const frame = document.querySelector('iframe[title*="streamlit_folium"]');
    const w = frame && frame.contentWindow;
    return w && w.document && w.map_div && w.document.querySelector('.leaflet-container') ? w : null;
};
const param = (name) => new URL(location.href).searchParams.get(name);
const text = (selector) => Array.from(document.querySelectorAll(selector)).map(e => e.textContent).join('\\n');
"""


def _predicate(body: str) -> str:
    """A page function of ``arg`` true when ``body`` (an expression) is, with the script idle."""
    return f"(arg) => {{ {_PRELUDE} try {{ return idle() && ({body}); }} catch (e) {{ return false; }} }}"


IDLE = _predicate("true")


@dataclass
class Sample:
    seconds: float | None
    runs: int
    #: the server's share of ``seconds`` (:func:`script_seconds`); the rest is the browser and the wire
    script_s: float | None = None


@dataclass
class Measured:
    """The samples of one action (or floor figure)."""

    samples: list[Sample] = field(default_factory=list)
    #: why the action could not be driven (a selector that no longer finds its widget), if it could not
    error: str | None = None

    def add(self, k: int, sample: Sample) -> bool:
        """Keep sample ``k`` (0, the warm-up, is dropped unless it ran out of time); False when it ran
        out of time: the action stops there (its other samples would only wait as long again)."""
        if k or sample.seconds is None:
            self.samples.append(sample)
        return sample.seconds is not None

    @property
    def seconds(self) -> float | None:
        return median([s.seconds for s in self.samples])

    @property
    def runs(self) -> int | None:
        return max((s.runs for s in self.samples), default=None)

    @property
    def script_s(self) -> float | None:
        return median([s.script_s for s in self.samples if s.script_s is not None])


class Driver:
    """One tab of an app: waits, settling, and a timed action with the runs it caused."""

    def __init__(self, page: Any, log: Path | None, timeout_s: float) -> None:
        self.page = page
        self.log = log
        self.timeout_ms = timeout_s * 1000

    def runs(self) -> list[Run]:
        return read_runs(self.log) if self.log else []

    def wait(self, predicate: str, arg: object = None, timeout_s: float | None = None) -> bool:
        """Until ``predicate`` of ``arg`` holds (checked every frame); False if it did not in time."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        timeout = self.timeout_ms if timeout_s is None else timeout_s * 1000
        try:
            self.page.wait_for_function(predicate, arg=arg, polling="raf", timeout=timeout)
        except PlaywrightTimeout:
            return False
        return True

    def settle(self, predicate: str = IDLE, arg: object = None) -> None:
        """Until ``predicate`` holds with the script idle and no run has started for :data:`QUIET_S`."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        while time.monotonic() < deadline:
            self.wait(predicate, arg)
            last = max((r.at for r in self.runs()), default=0.0)
            quiet = last + QUIET_S - time.time()
            if quiet <= 0:
                return
            time.sleep(quiet)

    def timed(self, act: Callable[[], object], predicate: str, arg: object = None,
              settled: bool = False) -> Sample:
        """``act`` (the input event) until ``predicate`` holds with the script idle; with ``settled``,
        until it still holds after :data:`QUIET_S` with no new run (counted to when it last got
        there). Then waits out :data:`GRACE_S` and counts the runs."""
        wall, start = time.time(), time.perf_counter()
        act()
        ok = self.wait(predicate, arg)
        end, end_wall = time.perf_counter(), time.time()
        while ok and settled:
            time.sleep(QUIET_S)
            if not any(r.at > end_wall for r in self.runs()):
                break
            ok = self.wait(predicate, arg)
            end, end_wall = time.perf_counter(), time.time()
        time.sleep(max(0.0, end_wall + GRACE_S - time.time()))
        runs = self.runs()
        return Sample(end - start if ok else None, runs_between(runs, wall, end_wall),
                      script_seconds(runs, wall, end_wall) if ok else None)

    # --- input, each a single event ---
    def centre(self, locator: Any) -> tuple[float, float]:
        locator.scroll_into_view_if_needed(timeout=self.timeout_ms)
        box = locator.bounding_box(timeout=self.timeout_ms)
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def click_at(self, point: tuple[float, float]) -> Callable[[], None]:
        return lambda: self.page.mouse.click(*point)

    def press(self, key: str) -> Callable[[], None]:
        return lambda: self.page.keyboard.press(key)

    def open_option(self, box: Any, option: str) -> tuple[float, float]:
        """Open the select ``box``, type ``option`` and return where its option is (not clicked)."""
        box.click(timeout=self.timeout_ms)
        self.page.keyboard.type(option)
        choice = self.page.get_by_role("option", name=option, exact=True).first
        choice.wait_for(timeout=self.timeout_ms)
        return self.centre(choice)


# --- the floor ---------------------------------------------------------------------------------------
_FLOOR_SHOWS = "text('[data-testid=\"stMarkdownContainer\"] p').includes('chosen: ' + arg)"
#: the floor with a map: the text, and the map drawn with the choice applied (its script run)
_FLOOR_MAP_SHOWS = f"{_FLOOR_SHOWS} && map() !== null && map().hezaFloorChoice === arg"


def measure_floor(context: Any, url: str, runs: int, timeout_s: float,
                  progress: Callable[[str], None], prefix: str = "floor") -> dict[str, Measured]:
    """``floor_rerun`` and ``floor_first_paint`` of the floor app at ``url``; with ``prefix`` ``floor_map``,
    of the floor with a map (``scripts/floor_map_app.py``), whose map must show the choice too."""
    shows = _FLOOR_SHOWS if prefix == "floor" else _FLOOR_MAP_SHOWS
    results = {f"{prefix}_rerun": Measured(), f"{prefix}_first_paint": Measured()}
    page = context.new_page()
    drive = Driver(page, None, timeout_s)
    page.goto(url)
    drive.settle(_predicate(shows), FLOOR_OPTIONS[0])
    for k in range(runs + 1):
        other = FLOOR_OPTIONS[(k + 1) % 2]
        point = drive.centre(page.get_by_test_id("stRadio").get_by_text(other, exact=True))
        sample = drive.timed(drive.click_at(point), _predicate(shows), other)
        drive.settle()
        if not results[f"{prefix}_rerun"].add(k, sample):
            break
    page.close()
    for k in range(runs + 1):
        page = context.new_page()
        drive = Driver(page, None, timeout_s)
        sample = drive.timed(_navigate(page, url), _predicate(shows), FLOOR_OPTIONS[0], settled=True)
        page.close()
        if not results[f"{prefix}_first_paint"].add(k, sample):
            break
    for name, measured in results.items():
        progress(f"  {name}: {_fmt(measured.seconds)}")
    return results


def _navigate(page: Any, url: str) -> Callable[[], None]:
    """The input event of a navigation: ``url`` asked for (the wait ends when the page shows it)."""
    return lambda: page.goto(url, wait_until="commit")


def _fmt(seconds: float | None) -> str:
    return "timeout" if seconds is None else f"{seconds:.2f} s"


# --- the app's actions -------------------------------------------------------------------------------
_PARKS_DRAWN = "map() !== null && map().document.querySelectorAll('path.heza-park').length > 0"

#: the first park of ``arg`` (a list of {id, lat, lng}) whose point inside it is, on the map's
#: screen, a park's or a plot's path (not under a control, the minimap or a popup): its page
#: coordinates (the frame's offset added by the caller) and id, or null
_PARK_POINT = """(parks) => {
    const m = window.map_div;
    m.closePopup();
    const box = m.getContainer().getBoundingClientRect();
    for (const park of parks) {
        const p = m.latLngToContainerPoint([park.lat, park.lng]);
        if (p.x < 70 || p.y < 70 || p.x > box.width - 70 || p.y > box.height - 70) continue;
        const x = box.x + p.x, y = box.y + p.y, hit = document.elementFromPoint(x, y);
        const cls = hit && hit.getAttribute && (hit.getAttribute('class') || '');
        if (cls && (cls.includes('heza-park') || cls.includes('heza-plot'))) return {x: x, y: y, id: park.id};
    }
    return null;
}"""


class App:
    """The app's actions, each measured in a tab of its own (see the module's doc for the method)."""

    def __init__(self, context: Any, url: str, log: Path, want: Expected, timeout_s: float) -> None:
        self.context, self.url, self.log, self.want, self.timeout_s = context, url, log, want, timeout_s

    def open(self, path: str, ready: str = IDLE, arg: object = None) -> Driver:
        """A new tab on ``path``, settled with ``ready`` (of ``arg``) holding."""
        page = self.context.new_page()
        page.goto(f"{self.url}/{path}")
        drive = Driver(page, self.log, self.timeout_s)
        drive.settle(ready, arg)
        return drive

    def warm(self) -> None:
        """The map opened once and left to settle: a server's first visit loads the data and builds
        the map, which no action should pay."""
        self.open("", _predicate(_PARKS_DRAWN)).page.close()

    def other_language(self, drive: Driver) -> str:
        """Of :data:`LANGUAGES`, the one the page's link does not name (the page writes its language there)."""
        now = drive.page.evaluate("() => new URL(location.href).searchParams.get('lang')") or LANGUAGES[0]
        return LANGUAGES[1] if now == LANGUAGES[0] else LANGUAGES[0]

    def frame(self, drive: Driver) -> Any:
        iframe = drive.page.locator('iframe[title*="streamlit_folium"]').first
        iframe.wait_for(state="attached", timeout=drive.timeout_ms)
        return iframe.element_handle().content_frame(), iframe

    def park_click(self, runs: int) -> Measured:
        drive = self.open("", _predicate(_PARKS_DRAWN))
        measured = Measured()
        for k in range(runs + 1):
            frame, iframe = self.frame(drive)
            iframe.scroll_into_view_if_needed(timeout=drive.timeout_ms)
            spot = None
            for _ in range(20):  # a map still being sized or framed has no park where it will be
                spot = frame.evaluate(_PARK_POINT, self.want.parks)
                if spot is not None:
                    break
                time.sleep(0.5)
            if spot is None:
                raise RuntimeError("no park of the map can be clicked: none is in view, uncovered")
            origin = iframe.bounding_box()
            name = next(p["name"] for p in self.want.parks if p["id"] == spot["id"])
            sample = drive.timed(drive.click_at((origin["x"] + spot["x"], origin["y"] + spot["y"])),
                                 _predicate("text('h3').split('\\n').includes(arg)"), name)
            if not measured.add(k, sample):
                break
            drive.page.locator(".st-key-clear_selection button").click(timeout=drive.timeout_ms)
            drive.settle(_predicate(f"!text('h3').split('\\n').includes(arg) && {_PARKS_DRAWN}"), name)
        drive.page.close()
        return measured

    def park_filter(self, runs: int) -> Measured:
        drive = self.open("", _predicate(_PARKS_DRAWN))
        measured = Measured()
        park = self.want.parks[0]
        done = _predicate("map() !== null && map().document.querySelectorAll('path.heza-park').length === 1 "
                          "&& map().map_div._hezaFit && map().map_div._hezaFit !== arg.fit "
                          "&& text('[data-testid=\"stMetricValue\"]') !== arg.cards")
        for k in range(runs + 1):
            before = drive.page.evaluate(f"() => {{ {_PRELUDE} return {{fit: map() && map().map_div._hezaFit, "
                                         "cards: text('[data-testid=\"stMetricValue\"]')}; }")
            point = drive.open_option(drive.page.locator(".st-key-park [role='combobox']").first, park["name"])
            sample = drive.timed(drive.click_at(point), done, before)
            if not measured.add(k, sample):
                break
            drive.page.keyboard.press("Escape")
            every = _predicate("map() !== null && map().document.querySelectorAll('path.heza-park').length > 1")
            for _ in range(3):  # right after a pick, the first click outside the list only closes it
                drive.page.locator(".st-key-reset_filters button").click(timeout=drive.timeout_ms)
                if drive.wait(every, timeout_s=5):
                    break
            drive.settle(every)
        drive.page.close()
        return measured

    def finder_input(self, runs: int) -> Measured:
        drive = self.open("land_finder")
        measured = Measured()
        box = drive.page.locator(".st-key-finder_area input").first
        for k in range(runs + 1):
            current = float(box.input_value() or 0)
            area = FINDER_AREAS[1] if current == FINDER_AREAS[0] else FINDER_AREAS[0]
            box.fill(f"{area:g}")
            sample = drive.timed(drive.press("Enter"), _predicate("param('need_ha') === arg"),
                                 f"{area:g}")
            if not measured.add(k, sample):
                break
            drive.settle()
        drive.page.close()
        return measured

    def language_switch(self, runs: int) -> Measured:
        from heza_geo import i18n

        drive = self.open("", _predicate(_PARKS_DRAWN))
        measured = Measured()
        for k in range(runs + 1):
            lang = self.other_language(drive)
            point = drive.open_option(drive.page.locator(".st-key-lang_picker [role='combobox']").first,
                                      i18n.LANGUAGE_NAMES[lang])
            sample = drive.timed(drive.click_at(point), _predicate("text('h3').split('\\n').includes(arg)"),
                                 self.want.titles[lang])
            if not measured.add(k, sample):
                break
            drive.settle(_predicate(_PARKS_DRAWN))
        drive.page.close()
        return measured

    def language_switch_presentation(self, runs: int) -> Measured:
        from heza_geo import i18n

        title = ("map() !== null && map().document.querySelector('.heza-tour-title') !== null "
                 "&& map().document.querySelector('.heza-tour-title').textContent === arg")
        drive = self.open("presentation?seconds=0", _predicate(title), self.want.tour_titles[LANGUAGES[0]])
        measured = Measured()
        for k in range(runs + 1):
            lang = self.other_language(drive)
            settings = drive.page.locator(".st-key-tour_lang [role='combobox']").first
            if not settings.is_visible():
                drive.page.locator(".st-key-tour_settings button").first.click(timeout=drive.timeout_ms)
            point = drive.open_option(settings, i18n.LANGUAGE_NAMES[lang])
            sample = drive.timed(drive.click_at(point), _predicate(title), self.want.tour_titles[lang])
            if not measured.add(k, sample):
                break
            drive.page.keyboard.press("Escape")
            drive.settle()
        drive.page.close()
        return measured

    def investment_period(self, runs: int) -> Measured:
        charts = ("document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length > 0 && Array.from(document"
                  ".querySelectorAll('[data-testid=\"stVegaLiteChart\"]')).every(c => c.querySelector('svg text'))")
        first_chart = "(document.querySelector('[data-testid=\"stVegaLiteChart\"] svg') || {}).innerHTML"
        drive = self.open("investment", _predicate(charts))
        measured = Measured()
        options = drive.page.locator(".st-key-inv_period [data-testid='stRadioOption']")
        for k in range(runs + 1):
            labels = options.all_inner_texts()
            checked = drive.page.evaluate("() => Array.from(document.querySelectorAll('.st-key-inv_period input'))"
                                          ".findIndex(i => i.checked)")
            other = len(labels) - 2 if checked == len(labels) - 1 else len(labels) - 1
            before = {"param": drive.page.evaluate("() => new URL(location.href).searchParams.get('period')"),
                      "chart": drive.page.evaluate(f"() => {first_chart}")}
            point = drive.centre(options.nth(other))
            sample = drive.timed(drive.click_at(point), _predicate(
                f"param('period') !== arg.param && {charts} && {first_chart} !== arg.chart"), before)
            if not measured.add(k, sample):
                break
            drive.settle(_predicate(charts))
        drive.page.close()
        return measured

    def port_year(self, runs: int) -> Measured:
        berths = "map() !== null && map().document.querySelectorAll('path.heza-berth').length > 0"
        drive = self.open(f"port?year={PORT_YEAR}", _predicate(berths))
        measured = Measured()
        slider = drive.page.locator(".st-key-port_year input[type='range']").first
        for k in range(runs + 1):
            key, year = ("ArrowRight", PORT_YEAR + 1) if k % 2 == 0 else ("ArrowLeft", PORT_YEAR)
            slider.focus(timeout=drive.timeout_ms)
            drive.page.evaluate(f"() => {{ {_PRELUDE} const w = map(); if (w) w.document.querySelector("
                                "'.leaflet-container').dataset.benchOld = '1'; }")
            done = _predicate(f"param('year') === arg && {berths} "
                              "&& !map().document.querySelector('.leaflet-container').dataset.benchOld")
            sample = drive.timed(drive.press(key), done, str(year))
            if not measured.add(k, sample):
                break
            drive.settle(_predicate(berths))
        drive.page.close()
        return measured

    def navigation_settled(self, runs: int) -> Measured:
        measured = Measured()
        for k in range(runs + 1):
            page = self.context.new_page()
            drive = Driver(page, self.log, self.timeout_s)
            sample = drive.timed(_navigate(page, f"{self.url}/"), _predicate(_PARKS_DRAWN), settled=True)
            page.close()
            if not measured.add(k, sample):
                break
        return measured


def measure_app(context: Any, url: str, log: Path, want: Expected, runs: int, timeout_s: float,
                progress: Callable[[str], None], only: Sequence[str] = ()) -> dict[str, Measured]:
    app = App(context, url, log, want, timeout_s)
    app.warm()
    results = {}
    for action in ACTIONS:
        if only and action.name not in only:
            continue
        measure: Callable[[int], Measured] = getattr(app, action.name)
        try:
            results[action.name] = measure(runs)
        except Exception as exc:  # noqa: BLE001 - one action's broken selector must not lose the others
            error = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
            progress(f"  {action.name}: failed: {error} (server log: {SERVER_LOG})")
            results[action.name] = Measured(error=error)
            continue
        each = [s.runs for s in results[action.name].samples]
        progress(f"  {action.name}: {_fmt(results[action.name].seconds)}, runs {each}")
    return results


# --- the command ---------------------------------------------------------------------------------------
def measure(args: argparse.Namespace, chromium_args: Sequence[str],
            progress: Callable[[str], None]) -> list[dict[str, Any]]:
    """Both apps served and driven in Chromium started with ``chromium_args``; the rows of the report."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="heza-pagebench-") as tmp:
        folder = Path(tmp)
        run_log = folder / "runs.log"
        env = {**os.environ, "HEZA_DATA_DIR": str(args.data.resolve()), "HEZA_RUN_LOG": str(run_log),
               "HEZA_LANGUAGE": LANGUAGES[0]}
        progress("reading the data for what the pages should show ...")
        want = expected(args.data)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(load_settings().chromium), headless=True,
                                         args=list(chromium_args))
            try:
                progress("floor app ...")
                with served(floor_command, {**os.environ}, SERVER_LOG.with_name("heza-pagebench-floor.log")) as url:
                    context = browser.new_context(viewport=VIEWPORT)
                    floor = measure_floor(context, url, args.runs, args.timeout, progress)
                    context.close()
                progress("floor app with a map ...")
                (folder / "floor_map").mkdir()
                with served(floor_map_command(folder / "floor_map"), {**os.environ},
                            SERVER_LOG.with_name("heza-pagebench-floor-map.log")) as url:
                    context = browser.new_context(viewport=VIEWPORT)
                    floor |= measure_floor(context, url, args.runs, args.timeout, progress, prefix="floor_map")
                    context.close()
                progress("the app ...")
                with served(app_command(env), env, SERVER_LOG) as url:
                    context = browser.new_context(viewport=VIEWPORT)
                    ours = measure_app(context, url, run_log, want, args.runs, args.timeout, progress,
                                       only=args.action)
                    context.close()
            finally:
                browser.close()
    rows = []
    for action in ACTIONS:
        if action.name not in ours:  # not asked for (--action)
            continue
        measured = ours[action.name]
        rows.append(row(action.name, measured.seconds, floor[FLOOR_KINDS[action.floor]].seconds, action.floor,
                        measured.runs, [s.runs for s in measured.samples], [s.seconds for s in measured.samples],
                        measured.error, measured.script_s, floor[FLOOR_MAP_KINDS[action.floor]].seconds))
    return rows


def run(args: argparse.Namespace, chromium_args: Sequence[str], machine: Callable[[], dict[str, Any]]) -> int:
    """``bench --pages``: exit 2 on bad arguments or without Chromium or Playwright, else 0.

    :mod:`heza_geo.cli.bench` calls it with its browser arguments and its ``machine()`` (the two
    benchmarks run the same browser and say the same about the machine; passed in, so that this
    module does not import the one that imports it)."""
    if args.runs < 1:
        print("--runs must be at least 1", file=sys.stderr)
        return 2
    chromium = load_settings().chromium
    if not chromium.exists():
        print(f"{chromium} not found: install chromium (the page benchmark needs a browser)", file=sys.stderr)
        return 2
    try:
        import playwright.sync_api  # noqa: F401 - only whether it is there
    except ImportError:
        print("playwright is not installed: pip install -r requirements-dev.txt", file=sys.stderr)
        return 2
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.json else (lambda m: print(m, flush=True))
    info = machine()
    rows = measure(args, chromium_args, progress)
    if args.json:
        progress(describe(info, args.runs))
        print(json.dumps(rows, indent=2))
        return 0
    print()
    print(describe(info, args.runs))
    print(table(rows, markdown=args.markdown))
    return 0
