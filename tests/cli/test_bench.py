"""``python -m heza_geo bench``: reproducible data, both variants measured, every column printed.

No timing is asserted: a benchmark reports, it does not judge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import folium

from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.selection import select
from heza_geo.cli import bench
from heza_geo.cli.pagebench import median
from heza_geo.maps.build import feature_counts
from heza_geo.maps.tree import walk
from heza_geo.view import MapView

REPO = Path(__file__).resolve().parents[2]
SERVER_ROWS = [label for key, label, _, _ in bench.ROWS if not key.startswith(("first", "filter", "browser"))]


def test_bench_plots_are_reproducible_and_inside_the_parks(tiny_dir, tmp_path):
    first = bench.bench_data(200, seed=3, source=tiny_dir, cache=tmp_path / "a")
    again = bench.bench_data(200, seed=3, source=tiny_dir, cache=tmp_path / "b")
    one, two = bench.load_bench_data(first), bench.load_bench_data(again)
    assert list(one.plots["plot_id"]) == list(two.plots["plot_id"]) and 150 <= len(one.plots) <= 300
    parks = one.parks.set_index("park_id").geometry
    inside = [parks[p].buffer(1e-6).contains(g) for p, g in zip(one.plots["park_id"], one.plots.geometry, strict=True)]
    assert all(inside)
    assert bench.bench_data(200, seed=3, source=tiny_dir, cache=tmp_path / "a") == first  # cached, not remade


def test_naive_map_draws_every_filtered_plot_as_geojson(tiny_data):
    overview = parks_overview(tiny_data)
    selection = select(tiny_data, bench.FILTERS["leased"], bench.VIEW, overview=overview, land=None)
    m = bench.naive_map(selection, bench.VIEW)
    (plots,) = [e for e in walk(m) if isinstance(e, folium.GeoJson) and e.layer_name == "plots"]
    assert [f["properties"]["plot_id"] for f in plots.data["features"]] == list(selection.plots["plot_id"])
    assert len(selection.plots) == (tiny_data.plots["status"] == "leased").sum()
    assert "plot" not in feature_counts(m)  # no plots layer of the app's own
    naive = bench.naive_map(selection, MapView(layers=("parks",)))
    assert not [e for e in walk(naive) if getattr(e, "layer_name", "") == "plots"]


def test_bench_runs_end_to_end_without_a_browser_and_prints_every_column(tiny_dir, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "heza_geo", "bench", "--plots", "200", "--no-browser", "--runs", "1", "--json",
         "--data", str(tiny_dir), "--cache-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = json.loads(done.stdout)
    assert result["requested"] == 200 and result["counts"]["leased"] < result["counts"]["all"] == result["plots"]
    for variant in bench.VARIANTS:
        figures = result[variant]
        assert {"cold_s", "rerun_s", "bytes_first", "bytes_filter", "peak_mb"} <= set(figures)
        assert all(isinstance(figures[k], (int, float)) and figures[k] > 0 for k in figures)
    assert result["machine"]["cores"] and result["machine"]["python"]

    text = bench.table(result)
    header, *rows = text.splitlines()
    assert header.split()[-3:] == ["naive", "ours", "naive/ours"]
    assert [label for label in SERVER_ROWS if label not in text] == []
    for row in rows:  # a figure, then naive, ours and their ratio
        naive, ours, ratio = row.split()[-3:]
        assert float(naive.replace(",", "")) > 0 and float(ours.replace(",", "")) > 0 and ratio.endswith("×")
    markdown = bench.table(result, markdown=True)
    assert markdown.splitlines()[0] == "| figure | naive | ours | naive / ours |"
    assert "| server: cold load (s) |" in markdown


def test_a_timed_out_browser_wait_reads_as_more_than_the_timeout():
    result = {"timeout_s": 180.0, "naive": {"filter_s": None}, "ours": {"filter_s": 0.5}}
    row = bench.table(result).splitlines()[1]
    assert "> 180" in row and "> 360×" in row
    assert median([1.0, None, 2.0]) == 2.0 and median([None, None, 1.0]) is None
