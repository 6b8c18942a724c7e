"""The browser half of ``python -m heza_geo bench``, once, on 200 plots: both variants drawn and
filtered in a real Streamlit app, every figure measured (none judged)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from heza_geo.cli import bench


def test_bench_measures_both_variants_in_the_browser(tiny_dir, tmp_path):
    data_dir = bench.bench_data(200, seed=3, source=tiny_dir, cache=tmp_path)
    counts = bench.expected_counts(bench.load_bench_data(data_dir))
    for variant in bench.VARIANTS:
        # in a thread of its own: the bench starts its own Playwright (sync API), which refuses to start in a
        # thread where the browser tests' Playwright already runs (a test module before this one in the run)
        log = Path(tmp_path) / f"{variant}.log"
        with bench.bench_app(data_dir, variant, log) as url, ThreadPoolExecutor(1) as apart:
            figures = apart.submit(bench.browser_figures, url, counts, runs=1, timeout_s=60).result()
        assert figures["first_s"] and figures["filter_s"], (variant, figures)  # no wait timed out
        assert figures["browser_bytes_first"] > 0 and figures["browser_bytes_filter"] > 0
        if variant == "ours":  # a filter change fetches no plots again
            assert figures["browser_bytes_filter"] < figures["browser_bytes_first"]
