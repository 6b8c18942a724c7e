#!/usr/bin/env python
"""Server side of ``python -m heza_geo bench``: one variant's map code path, timed in this process.

    python scripts/bench_server.py --data DIR --variant ours|naive --mode time|memory [--reruns 4]

``DIR`` is a directory made by ``heza_geo.cli.bench.bench_data`` (its ``dataset.pickle`` is read, so
validation is not timed). ``time``: the cold load (this process's first map: nothing cached, as
after a start or a data change), then ``--reruns`` reruns alternating the plot-status filter
between "leased" and "all", each timed from the filtered selection to the component's arguments
serialised as Streamlit sends them. ``memory``: the cold load under tracemalloc, its peak. Prints
one JSON line. Lives in scripts/ because it imports streamlit-folium (heza_geo must not).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

import streamlit_folium as sf

from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.analysis.selection import select
from heza_geo.cli import bench
from heza_geo.io.basemap import offline_land
from heza_geo.ui import fastmap


def component_args(payload: fastmap.Payload, feature_group: str | None) -> str:
    """The arguments of the st_folium component as JSON, what Streamlit serialises and sends."""
    return json.dumps({
        "script": payload.script, "header": payload.header, "html": payload.html, "id": payload.map_id,
        "height": 640, "width": None, "returned_objects": list(fastmap.RETURNED),
        "default": payload.defaults(fastmap.RETURNED), "zoom": None, "center": None, "feature_group": feature_group,
        "return_on_hover": False, "layer_control": None, "pixelated": False, "css_links": list(payload.css_links),
        "js_links": list(payload.js_links), "wrap_longitude": False,
    })


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--variant", choices=bench.VARIANTS, required=True)
    parser.add_argument("--mode", choices=("time", "memory"), default="time")
    parser.add_argument("--reruns", type=int, default=4)
    args = parser.parse_args()

    data = bench.load_bench_data(args.data)
    parks_all = parks_overview(data)  # the page has these cached (common.overview, common.land)
    berths = berth_status(data.berths, data.berth_status_history)
    land = offline_land()
    view = bench.VIEW
    fetched = {"bytes": 0}

    def page_run(filters_name: str) -> int:
        """One rerun of the map part of a page; returns the bytes of the map sent to the browser."""
        selection = select(data, bench.FILTERS[filters_name], view, overview=parks_all, berths=berths, land=land)
        if args.variant == "naive":
            payload, script = fastmap.payload(bench.naive_map(selection, view)), None
        else:
            payload = fastmap.base_payload(data.version, view, data, parks_all, berths, land)
            script = fastmap.view_script(fastmap.filter_state(data, selection, view, parks_all))
            source = fastmap.plot_source(data.version, data.plots)
            fetched["bytes"] = source.gz_bytes if source is not None else 0
        sf.generate_js_hash(payload.script, "bench_map", False)  # as st_folium / show_map on every run
        return len(component_args(payload, script).encode("utf-8"))

    if args.mode == "memory":
        tracemalloc.start()
        page_run("all")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(json.dumps({"peak_mb": peak / bench.MB}))
        return 0

    start = time.perf_counter()
    first = page_run("all")
    cold = time.perf_counter() - start
    plots_file = fetched["bytes"]
    reruns, sizes = [], []
    for i in range(args.reruns):
        start = time.perf_counter()
        sizes.append(page_run("leased" if i % 2 == 0 else "all"))
        reruns.append(time.perf_counter() - start)
    print(json.dumps({"cold_s": cold, "rerun_s": reruns, "bytes_first": first + plots_file,
                      "bytes_filter": sizes[0] if sizes else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
