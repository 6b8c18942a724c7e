"""``python -m heza_geo bench --plots N``: the map's plots path against the naive one, side by side.

**naive** is the approach of most tutorials: the filtered plots GeoDataFrame straight into
``folium.GeoJson`` (styled by status, with a tooltip and a popup of its fields) on the app's map,
and ``st_folium`` given the whole map again on every rerun. **ours** is the app's own path
(``heza_geo/ui/fastmap.py``): the map built once per data version and view and cached, plots packed
(:mod:`heza_geo.maps.plots.pack`) in a file the app serves, a filter change sent as a small script.

Measured for each:

* server time of a cold load (a fresh process: the first visitor after a start or a data change)
  and of a rerun after a filter change, on the real code path (``scripts/bench_server.py``, one
  process per sample) -- from the filtered selection to the component's arguments serialised;
* bytes of the map sent to the browser: the component's arguments (script, header, html and the
  filter script) plus the plots file it fetches, on the first load and on a filter change;
* peak memory of a cold load (tracemalloc, in a process of its own);
* in headless Chromium, on a real Streamlit app (``scripts/bench_app.py``, loopback port): time
  from navigation to every plot drawn, and from a filter change (plot status: all <-> leased) to
  the map showing the new plots, and the bytes the browser received (websocket + fetched files).

N synthetic plots are generated inside the real park polygons (:func:`heza_geo.io.synthetic.
generate_plots_count`, smaller plots for larger N) and cached on disk. A benchmark, not a test:
nothing here fails on a timing. Timings are medians of ``--runs`` runs; the machine and its load
are printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd

from heza_geo import styling
from heza_geo.analysis.filters import apply
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.selection import Selection
from heza_geo.cli import pagebench
from heza_geo.cli.pagebench import median, python, served
from heza_geo.config import REPO_ROOT, load_settings
from heza_geo.io import Dataset, load_dataset
from heza_geo.maps.build import build_map
from heza_geo.maps.layers import placed
from heza_geo.schema import LEASABLE_STATUS
from heza_geo.view import LAYER_NAMES, Filters, MapView

DEFAULT_DATA = REPO_ROOT / "geodata"
DEFAULT_CACHE = REPO_ROOT / ".cache" / "bench"
SERVER_SCRIPT = REPO_ROOT / "scripts" / "bench_server.py"
APP_SCRIPT = REPO_ROOT / "scripts" / "bench_app.py"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
VARIANTS = ("naive", "ours")
#: the filter change of the benchmark: plot status "all" <-> "leased"
FILTERS = {"all": Filters(), "leased": Filters(plot_statuses=("leased",))}
VIEW = MapView(lang="en", layers=LAYER_NAMES, basemap="offline")
NAIVE_FIELDS = ["plot_id", "park_id", "status", "area_ha", "sector", "tenant", "source_kind", "source"]
SEED = 7
MB = 1_000_000


# --- the naive path -----------------------------------------------------------------------------
def naive_plots_layer(plots: gpd.GeoDataFrame) -> folium.GeoJson:
    """The tutorial way: the GeoDataFrame into ``folium.GeoJson``, coloured by status, with a
    tooltip and a popup listing its fields (public columns only)."""
    return folium.GeoJson(
        plots[[*NAIVE_FIELDS, "geometry"]],
        name="plots",
        style_function=lambda feature: styling.plot_style(feature["properties"]["status"]).leaflet(),
        highlight_function=lambda _: {"weight": 3, "color": styling.SELECTED_COLOUR},
        tooltip=folium.GeoJsonTooltip(["plot_id", "status"]),
        popup=folium.GeoJsonPopup(NAIVE_FIELDS),
    )


def naive_map(selection: Selection, view: MapView) -> folium.Map:
    """The app's map of ``selection`` with its plots drawn the naive way (built anew each rerun)."""
    from heza_geo.maps import assets

    m = build_map(selection.map_layers(), replace(view, layers=tuple(n for n in view.layers if n != "plots")))
    if "plots" in view.layers and not selection.plots.empty:
        naive_plots_layer(selection.plots).add_to(folium.FeatureGroup(name="plots").add_to(m))
    assets.localize(m)
    return m


# --- data ---------------------------------------------------------------------------------------
def occupancy_targets(data: Dataset) -> dict[str, float]:
    """Each established park's occupancy: its latest figure, else its plots' leased share."""
    overview = parks_overview(data)
    targets = {}
    for _, row in overview[overview["status"] == "established"].iterrows():
        pct = row.get("occupancy_pct")
        if pct is None or pct != pct:
            plots = data.plots[data.plots["park_id"] == row["park_id"]]
            leasable = plots[plots["status"].isin(LEASABLE_STATUS)]["area_ha"].sum()
            pct = 100 * plots[plots["status"] == "leased"]["area_ha"].sum() / leasable if leasable else 0.0
        targets[row["park_id"]] = float(pct)
    return targets


def bench_data(n_plots: int, seed: int = SEED, source: Path = DEFAULT_DATA, cache: Path = DEFAULT_CACHE) -> Path:
    """A data directory: ``source`` with its plots replaced by about ``n_plots`` synthetic plots
    inside the established parks' polygons. Made once per (n, seed, source) and kept in ``cache``;
    a ``dataset.pickle`` beside it lets worker processes skip validation. Parks with no position get none."""
    from heza_geo.io import fingerprint, synthetic

    out = cache / f"plots-{n_plots}-seed{seed}-{fingerprint(source)}"
    if (out / "dataset.pickle").is_file():
        return out
    data = load_dataset(source)
    parks = placed(data.parks[data.parks["status"] == "established"])  # plots go inside a park's polygon
    plots = synthetic.generate_plots_count(parks, occupancy_targets(data), n_plots, seed)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + "-", dir=cache))
    for item in source.iterdir():
        if item.is_file() and item.name != "plots.gpkg":
            shutil.copy2(item, tmp / item.name)
    plots.to_file(tmp / "plots.fgb", driver="FlatGeobuf")
    loaded = load_dataset(tmp)
    with (tmp / "dataset.pickle").open("wb") as fh:
        pickle.dump(loaded, fh, protocol=pickle.HIGHEST_PROTOCOL)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def load_bench_data(directory: Path) -> Dataset:
    with (directory / "dataset.pickle").open("rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own cache, written by bench_data on this machine


def expected_counts(data: Dataset) -> dict[str, int]:
    """Plots each benchmark filter shows."""
    overview = parks_overview(data)
    return {name: len(apply(overview, data.plots, f)[1]) for name, f in FILTERS.items()}


# --- the machine ----------------------------------------------------------------------------------
def machine() -> dict[str, object]:
    """What the figures were measured on."""
    def first(path: str, key: str) -> str | None:
        try:
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            return None
        return None

    def version(package: str) -> str | None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as v
        try:
            return v(package)
        except PackageNotFoundError:
            return None

    mem = first("/proc/meminfo", "MemTotal")
    try:
        chromium = subprocess.run([str(load_settings().chromium), "--version"], capture_output=True, text=True,
                                  timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = None
    return {
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "ram_gb": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None,
        "load_avg": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {p: version(p) for p in ("streamlit", "folium", "streamlit-folium", "geopandas", "shapely",
                                             "playwright")},
        "chromium": chromium,
    }


# --- the server side: one process per sample --------------------------------------------------------
def _worker(data_dir: Path, variant: str, mode: str, reruns: int, timeout: float) -> dict:
    cmd = [python(), str(SERVER_SCRIPT), "--data", str(data_dir), "--variant", variant, "--mode", mode,
           "--reruns", str(reruns)]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{SERVER_SCRIPT.name} {variant} {mode} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_figures(data_dir: Path, variant: str, runs: int, timeout: float) -> dict[str, object]:
    """Cold load (median of ``runs`` fresh processes), reruns, bytes and peak memory."""
    samples = [_worker(data_dir, variant, "time", 4, timeout) for _ in range(runs)]
    memory = _worker(data_dir, variant, "memory", 0, timeout)
    return {
        "cold_s": statistics.median(s["cold_s"] for s in samples),
        "rerun_s": statistics.median(x for s in samples for x in s["rerun_s"]),
        "bytes_first": samples[0]["bytes_first"],
        "bytes_filter": samples[0]["bytes_filter"],
        "peak_mb": memory["peak_mb"],
    }


# --- the browser side ---------------------------------------------------------------------------------
@contextmanager
def bench_app(data_dir: Path, variant: str, log: Path, start_timeout: float = 120.0) -> Iterator[str]:
    """``scripts/bench_app.py`` served by Streamlit on a free loopback port; yields its URL.

    Streamlit serves ``static/`` beside the main script, so the app runs from a temporary folder
    holding a two-line launcher and a link to the repository's ``static/`` (map assets, plot cache).
    """
    with tempfile.TemporaryDirectory(prefix="heza-bench-app-") as tmp:
        folder = Path(tmp)
        (folder / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
        launcher = folder / "bench_app.py"
        launcher.write_text(f"import runpy\nrunpy.run_path({str(APP_SCRIPT)!r}, run_name='__main__')\n",
                            encoding="utf-8")
        env = {**os.environ, "HEZA_DATA_DIR": str(data_dir), "HEZA_BENCH_VARIANT": variant,
               "PYTHONPATH": str(REPO_ROOT)}

        def command(port: int) -> list[str]:
            return [python(), "-m", "streamlit", "run", str(launcher), "--server.port", str(port),
                    "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
                    "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"]

        with served(command, env, log, start_timeout) as url:
            yield url


_PROBE = """(expected) => {
    for (const frame of document.querySelectorAll('iframe[title*="streamlit_folium"]')) {
        const w = frame.contentWindow;
        if (!w || !w.document) continue;
        const n = w.hezaPlotCount !== undefined ? w.hezaPlotCount
                                                : w.document.querySelectorAll('path.heza-plot').length;
        if (n === expected) return true;
    }
    return false;
}"""


@dataclass
class _Bytes:
    """What the browser received: websocket message payloads and HTTP bodies (as transferred)."""

    ws: int = 0
    http: int = 0
    urls: dict[str, str] = field(default_factory=dict)

    def reset(self) -> None:
        self.ws = self.http = 0

    @property
    def total(self) -> int:
        return self.ws + self.http


def browser_figures(url: str, expected: dict[str, int], runs: int, timeout_s: float,
                    progress: Callable[[str], None] = lambda _m: None) -> dict[str, object]:
    """Navigation -> all plots drawn, and filter change -> map updated (medians), with the bytes
    received in each; ``None`` for a wait that ran out of time."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    first, change, bytes_first, bytes_change = [], [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(load_settings().chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            for run in range(runs + 1):  # run 0 warms the server (data loaded, caches filled)
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                counted = _Bytes()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")

                def frame(event: dict, counted: _Bytes = counted) -> None:
                    payload = event["response"]["payloadData"]
                    counted.ws += len(payload) * 3 // 4 if event["response"]["opcode"] == 2 else len(payload.encode())

                def response(event: dict, counted: _Bytes = counted) -> None:
                    counted.urls[event["requestId"]] = event["response"]["url"]

                def finished(event: dict, counted: _Bytes = counted) -> None:
                    if "/app/static/cache/" in counted.urls.get(event["requestId"], ""):
                        counted.http += int(event["encodedDataLength"])

                cdp.on("Network.webSocketFrameReceived", frame)
                cdp.on("Network.responseReceived", response)
                cdp.on("Network.loadingFinished", finished)

                def wait(count: int, start: float, page: Any = page) -> float | None:
                    """Seconds from ``start`` until the map shows ``count`` plots."""
                    try:
                        page.wait_for_function(_PROBE, arg=count, polling=50, timeout=timeout_s * 1000)
                    except PlaywrightTimeout:
                        return None
                    return time.perf_counter() - start

                def open_map(page: Any = page) -> object:
                    return page.goto(url, wait_until="commit", timeout=timeout_s * 1000)

                t_first = wait(expected["all"], _timed(open_map))
                page.wait_for_timeout(300)
                b_first = counted.total
                samples = []
                for choice in ("leased", "all"):
                    option = page.get_by_text(choice, exact=True).first
                    option.wait_for()
                    counted.reset()
                    samples.append(wait(expected[choice], _timed(option.click)))
                    page.wait_for_timeout(300)
                    b_change = counted.total
                context.close()
                if run:
                    first.append(t_first)
                    change.extend(samples)
                    bytes_first.append(b_first)
                    bytes_change.append(b_change)
                progress(f"    browser run {run}/{runs}: first map {_fmt_s(t_first)}, "
                         f"filter change {', '.join(_fmt_s(s) for s in samples)}")
        finally:
            browser.close()
    return {"first_s": median(first), "filter_s": median(change),
            "browser_bytes_first": median(bytes_first), "browser_bytes_filter": median(bytes_change)}


def _timed(action: Callable[[], object]) -> float:
    """Do ``action``; return the time it started."""
    start = time.perf_counter()
    action()
    return start


def _fmt_s(value: float | None) -> str:
    return "timeout" if value is None else f"{value:.2f} s"


# --- the report ---------------------------------------------------------------------------------------
#: (key, label, unit, scale): rows of the table
ROWS = (
    ("cold_s", "server: cold load", "s", 1.0),
    ("rerun_s", "server: rerun after a filter change", "s", 1.0),
    ("bytes_first", "map bytes sent, first load", "MB", MB),
    ("bytes_filter", "map bytes sent, filter change", "MB", MB),
    ("peak_mb", "peak memory, cold load", "MB", 1.0),
    ("first_s", "browser: navigation -> plots drawn", "s", 1.0),
    ("filter_s", "browser: filter change -> map updated", "s", 1.0),
    ("browser_bytes_first", "browser: bytes received, first load", "MB", MB),
    ("browser_bytes_filter", "browser: bytes received, filter change", "MB", MB),
)


def ratio(naive: float | None, ours: float | None) -> float | None:
    if naive is None or ours is None or ours <= 0:
        return None
    return naive / ours


def table(result: dict, markdown: bool = False) -> str:
    """The figures of one N as a text (or Markdown) table: naive, ours, naive/ours."""
    lines = []
    if markdown:
        lines += ["| figure | naive | ours | naive / ours |", "|---|---:|---:|---:|"]
    else:
        lines.append(f"{'figure':<44}{'naive':>12}{'ours':>12}{'naive/ours':>12}")
    for key, label, unit, scale in ROWS:
        naive, ours = result["naive"].get(key), result["ours"].get(key)
        if key not in result["naive"] and key not in result["ours"]:
            continue
        digits = 2 if unit != "MB" or max(v or 0 for v in (naive, ours)) / scale < 100 else 0

        def cell(v: float | None, digits: int = digits, scale: float = scale, key: str = key) -> str:
            if v is None:
                return f"> {result['timeout_s']:.0f}" if key.endswith("_s") else "—"
            if 0 < abs(v / scale) < 0.01:  # a rerun of a few milliseconds is not "0.00 s"
                return f"{v / scale:.1g}"
            return f"{v / scale:,.{digits}f}"

        r = ratio(naive, ours)
        if r is None and naive is None and ours is not None and key.endswith("_s"):
            r_text = f"> {result['timeout_s'] / ours:,.0f}×"
        else:
            r_text = "—" if r is None else f"{r:,.1f}×"
        name = f"{label} ({unit})"
        if markdown:
            lines.append(f"| {name} | {cell(naive)} | {cell(ours)} | {r_text} |")
        else:
            lines.append(f"{name:<44}{cell(naive):>12}{cell(ours):>12}{r_text:>12}")
    return "\n".join(lines)


def describe(result: dict) -> str:
    info = result["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    return (f"{result['plots']:,} plots (asked {result['requested']:,}; shown after the filter: "
            f"{result['counts']['leased']:,}), seed {result['seed']}, medians of {result['runs']} runs\n"
            f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}, "
            f"{info['chromium'] or 'no chromium'}; {versions}; load average at start {info['load_avg']}")


# --- the command ---------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plots", type=int, nargs="+", default=[10_000], metavar="N",
                        help="number(s) of synthetic plots (default 10000), e.g. --plots 1000 10000 50000")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (for the README)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; medians are shown (default 3)")
    parser.add_argument("--no-browser", action="store_true", help="server-side figures only (no Chromium)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the synthetic plots (default {SEED})")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data directory whose parks are used")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE,
                        help=f"generated data (default {DEFAULT_CACHE})")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds before a wait gives up (default 180)")
    parser.add_argument("--pages", action="store_true",
                        help="time the app's actions in the browser against a floor Streamlit app, with the "
                             "script runs each causes (heza_geo.cli.pagebench; --runs, --json, --markdown, "
                             "--data and --timeout apply)")
    parser.add_argument("--action", action="append", default=[], metavar="NAME",
                        choices=[a.name for a in pagebench.ACTIONS],
                        help="with --pages: time only this action (repeat for more; default all)")


def measure(n_plots: int, args: argparse.Namespace, progress: Callable[[str], None]) -> dict:
    progress(f"{n_plots:,} plots: generating (cached in {args.cache_dir}) ...")
    data_dir = bench_data(n_plots, args.seed, args.data, args.cache_dir)
    data = load_bench_data(data_dir)
    counts = expected_counts(data)
    result: dict = {"requested": n_plots, "plots": len(data.plots), "counts": counts, "seed": args.seed,
                    "runs": args.runs, "timeout_s": args.timeout, "machine": machine(), "data_dir": str(data_dir)}
    for variant in VARIANTS:
        progress(f"  {variant}: server side ...")
        result[variant] = server_figures(data_dir, variant, args.runs, timeout=max(600.0, 4 * args.timeout))
        if not args.no_browser:
            progress(f"  {variant}: browser ...")
            log = Path(tempfile.gettempdir()) / f"heza-bench-{variant}-{n_plots}.log"
            with bench_app(data_dir, variant, log) as url:
                result[variant].update(browser_figures(url, counts, args.runs, args.timeout, progress))
    return result


def run(args: argparse.Namespace) -> int:
    if getattr(args, "pages", False):  # the page benchmark gets this module's browser and machine from here
        return pagebench.run(args, CHROMIUM_ARGS, machine)
    if args.runs < 1:
        print("--runs must be at least 1", file=sys.stderr)
        return 2
    chromium = load_settings().chromium
    if not args.no_browser and not chromium.exists():
        print(f"{chromium} not found: install chromium or pass --no-browser", file=sys.stderr)
        return 2
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.json else (lambda m: print(m, flush=True))
    results = [measure(n, args, progress) for n in args.plots]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for result in results:
        print()
        print(describe(result))
        print(table(result, markdown=args.markdown))
    return 0
