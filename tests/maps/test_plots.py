"""The fast plots path draws what the naive one draws: same plots, colours, shapes, popups.

The browser code (heza_geo/maps/plots/plots.js) runs here in Node, on the packed data, and is compared with
the naive layer (``folium.GeoJson`` of the frame, heza_geo.cli.bench.naive_plots_layer) and with the
app's own popup and tooltip (heza_geo.maps.popups.plot_popup / plot_tooltip). No timing assertions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from heza_geo import i18n, styling
from heza_geo.analysis.filters import apply
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.analysis.selection import select
from heza_geo.cli.bench import naive_plots_layer
from heza_geo.links import ViewState, decode, encode
from heza_geo.maps.build import build_map, feature_counts, focus_bounds
from heza_geo.maps.plots.layer import PlotsLayer, view_script, view_state, write_plot_files
from heza_geo.maps.plots.pack import (
    centi_hectares,
    encode_json,
    gzip_json,
    mask_rows,
    pack,
    plot_labels,
    plot_styles,
    unpack,
    visible_mask,
)
from heza_geo.maps.popups import plot_popup, plot_tooltip
from heza_geo.view import Filters, MapLayers, MapView, park_name

LIBRARY = Path(__file__).resolve().parents[2] / "heza_geo" / "maps" / "plots" / "plots.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js not installed (scripts/setup.sh installs it with npm)")


def run_js(body: str, payload: object) -> object:
    """Run ``body`` in Node with ``H`` (plots.js) and ``input`` (``payload``); it prints JSON."""
    code = (f"const H = require({json.dumps(str(LIBRARY))});\n"
            f"const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n{body}")
    done = subprocess.run([NODE, "-e", code], input=json.dumps(payload), capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def demo():
    """The shipped demo data: 1,359 plots in 14 parks."""
    from heza_geo.io import load_dataset

    data = load_dataset(Path(__file__).resolve().parents[2] / "geodata")
    return data, parks_overview(data)


def odd_plots() -> gpd.GeoDataFrame:
    """Shapes and values the demo lacks: a multipolygon with a hole, missing tenant and sector,
    markup in a tenant name, an area on a rounding tie."""
    square = Polygon([(106.70, 20.80), (106.71, 20.80), (106.71, 20.81), (106.70, 20.81)],
                     [[(106.703, 20.803), (106.706, 20.803), (106.706, 20.806), (106.703, 20.806)]])
    far = Polygon([(106.72, 20.82), (106.725, 20.82), (106.725, 20.825)])
    return gpd.GeoDataFrame({
        "plot_id": ["X-1", "X-2", "Y-10"],
        "park_id": ["A", "A", "B"],
        "status": ["leased", "available", "infrastructure"],
        "area_ha": [2.125, 1234.5, 0.005],
        "tenant": ["<b>Cty & Co</b> 'Ltd'", None, None],
        "sector": ["electronics", None, None],
        "tenant_contact": ["secret@example.vn", None, None],
        "price_usd_m2": [99.0, None, None],
        "source_kind": ["synthetic demo", "synthetic demo", "approximate"],
        "source": [None, None, "survey 2024 (002_03c113ee68876e37.txt)"],  # a method citing a report
    }, geometry=[MultiPolygon([square, far]), square, far], crs="EPSG:4326")


# --- packing ----------------------------------------------------------------------------------------
def test_packed_plots_decode_to_the_same_plots(demo):
    data, _ = demo
    for plots in (data.plots, odd_plots()):
        back = unpack(pack(plots))
        assert list(back["plot_id"]) == list(plots["plot_id"])
        assert list(back["status"]) == list(plots["status"]) and list(back["park_id"]) == list(plots["park_id"])
        assert list(back["tenant"].fillna("-")) == list(plots["tenant"].fillna("-"))
        assert list(back.get("geom_type", back.geom_type)) == list(plots.geom_type)
        assert shapely.hausdorff_distance(back.geometry.values, plots.geometry.values).max() <= 1e-5


def test_confidential_columns_are_never_packed():
    text = encode_json(pack(odd_plots())).decode()
    assert "secret@example.vn" not in text and "99.0" not in text


def test_compact_plots_are_a_fraction_of_the_naive_geojson(demo):
    data, _ = demo
    naive = json.dumps(naive_plots_layer(data.plots).data)
    assert len(gzip_json(pack(data.plots))) * 10 < len(naive)
    assert len(encode_json(pack(data.plots))) * 3 < len(naive)


def test_visible_mask_keeps_exactly_the_filtered_plots(demo):
    data, overview = demo
    _, leased = apply(overview, data.plots, Filters(plot_statuses=("leased",)))
    rows = mask_rows(visible_mask(data.plots, leased), len(data.plots))
    assert list(data.plots["plot_id"].iloc[rows]) == list(leased["plot_id"])
    assert visible_mask(data.plots, data.plots) is None


# --- the browser code against the naive layer and the Python popups ------------------------------------
@needs_node
def test_browser_draws_the_naive_layers_plots_colours_and_shapes(demo):
    data, _ = demo
    plots = data.plots.iloc[::17]
    packed = pack(plots)
    drawn = run_js("""
        const d = H.decode(input.packed);
        console.log(JSON.stringify([...Array(d.n).keys()].map(i => {
            const f = H.feature(d, i);
            return {id: f.properties.plot_id, park: f.properties.park_id, status: f.properties.status,
                    fill: input.styles[d.status[i]].fillColor, className: input.styles[d.status[i]].className,
                    geometry: f.geometry};
        })));""", {"packed": packed, "styles": plot_styles(packed["statuses"])})
    naive = naive_plots_layer(plots)
    features = naive.data["features"]
    assert [d["id"] for d in drawn] == [f["properties"]["plot_id"] for f in features]
    for ours, theirs in zip(drawn, features, strict=True):
        assert ours["park"] == theirs["properties"]["park_id"] and ours["status"] == theirs["properties"]["status"]
        assert ours["fill"] == naive.style_function(theirs)["fillColor"]
        assert ours["className"] == "heza-plot"
        gap = shapely.hausdorff_distance(shapely.geometry.shape(ours["geometry"]),
                                         shapely.geometry.shape(theirs["geometry"]))
        assert gap <= 1e-5


@needs_node
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_popups_and_tooltips_built_in_the_browser_read_as_the_apps(demo, lang):
    data, overview = demo
    names = {row["park_id"]: park_name(row, lang) for _, row in overview.iterrows()}
    for plots in (data.plots.iloc[::53], odd_plots()):
        packed = pack(plots)
        shown = run_js("""
            const d = H.decode(input.packed);
            console.log(JSON.stringify([...Array(d.n).keys()].map(
                i => [H.popup(d, i, input.labels), H.tooltip(d, i, input.labels)])));
            """, {"packed": packed, "labels": plot_labels(lang, names, packed)})
        for (popup, tooltip), (_, row) in zip(shown, plots.iterrows(), strict=True):
            assert popup == plot_popup(row, lang, names.get(row["park_id"], row["park_id"]))
            assert tooltip == plot_tooltip(row, lang)
    tenant = {"vi": "Nhà đầu tư thứ cấp", "en": "Tenant"}[lang]  # the odd plot with a tenant, escaped once
    assert f"<th>{tenant}</th><td>&lt;b&gt;Cty &amp; Co&lt;/b&gt; &#x27;Ltd&#x27;</td>" in shown[0][0]


@needs_node
def test_areas_are_written_as_fmt_area_ha_writes_them():
    values = [0.0, 0.004, 0.005, 0.015, 1.015, 2.125, 4.705, 12.345, 999.995, 1234.5, 1234567.891, None]
    rng = np.random.default_rng(1)
    values += [float(x) for x in np.round(rng.uniform(0, 3000, 300), 4)]
    formats = {lang: plot_labels(lang, {}, pack(odd_plots()))["number"] for lang in i18n.LANGUAGES}
    written = run_js("console.log(JSON.stringify(Object.fromEntries(Object.entries(input.formats).map(([l, f]) =>"
                     " [l, input.centi.map(c => H.formatArea(c, f))]))));",
                     {"formats": formats, "centi": [centi_hectares(v) for v in values]})
    for lang in i18n.LANGUAGES:
        assert written[lang] == [i18n.fmt_area_ha(v, lang) for v in values], lang


# --- the layer in a map -------------------------------------------------------------------------------
def test_map_counts_its_plots_and_draws_them_from_one_layer(tiny_data):
    overview = parks_overview(tiny_data)
    berths = berth_status(tiny_data.berths, tiny_data.berth_status_history)
    layers = MapLayers(overview, tiny_data.plots, tiny_data.zones, berths, tiny_data.housing, tiny_data.connectivity,
                       None, dict(zip(overview.park_id, overview.name_vi, strict=True)))
    m = build_map(layers, MapView())
    assert feature_counts(m)["plot"] == len(tiny_data.plots)
    html = m.get_root().render()
    assert html.count("new HezaPlots.Layer(") == 1 and "HezaPlots.applyView" in html


def test_plots_layer_refuses_an_unknown_renderer(tiny_data):
    with pytest.raises(ValueError, match="renderer must be one of auto, svg, canvas"):
        PlotsLayer(tiny_data.plots, "en", {}, renderer="webgl")


def test_plot_files_are_named_by_content_and_old_ones_pruned(tmp_path):
    first = write_plot_files(pack(odd_plots()), tmp_path, "/app/static/cache", keep=2)
    again = write_plot_files(pack(odd_plots()), tmp_path, "/app/static/cache", keep=2)
    assert first.url == again.url
    assert first.url.startswith("/app/static/cache/plots-") and first.url.endswith(".json.gz")
    for i in range(3):
        write_plot_files(pack(odd_plots().iloc[: i + 1]), tmp_path, "/x", keep=2)
    assert len(list(tmp_path.glob("plots-*.json.gz"))) == 2 and len(list(tmp_path.glob("plots-*.json"))) == 2
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_filter_sends_the_parks_and_plots_it_keeps_and_where_to_frame(tiny_data):
    overview = parks_overview(tiny_data)
    view = MapView(lang="en")
    selection = select(tiny_data, Filters(stages=("full",)), view, overview=overview, land=None)
    state = view_state(tiny_data.plots, selection.plots, overview, selection.parks, focus_bounds(selection.parks, view))
    assert state["parks"] == list(selection.parks["park_id"]) and len(state["parks"]) < len(overview)
    rows = mask_rows(state["plots"], len(tiny_data.plots))
    assert list(tiny_data.plots["plot_id"].iloc[rows]) == list(selection.plots["plot_id"])
    (south, west), (north, east) = state["fit"]
    minx, miny, maxx, maxy = selection.parks.total_bounds
    assert (south, west, north, east) == pytest.approx((miny, minx, maxy, maxx))
    everything = view_state(tiny_data.plots, tiny_data.plots, overview, overview)
    outline = {"on": styling.park_outline(True), "off": styling.park_outline(False)}
    assert everything == {"parks": None, "plots": None, "fit": None, "select": {"id": None, **outline}}
    assert view_script(everything).startswith('HezaPlots.applyView(window.map, {"parks":null,"plots":null,"fit":null,')


def test_a_click_outlines_the_park_through_the_filter_script_not_a_new_map(tiny_data):
    """The map is cached without the selected park (one map for every click); the script outlines it."""
    overview = parks_overview(tiny_data)
    view = MapView(lang="en", selected_park="A")
    selection = select(tiny_data, Filters(), view, overview=overview, land=None)
    state = view_state(tiny_data.plots, selection.plots, overview, selection.parks, focus_bounds(selection.parks, view),
                       view.selected_park)
    assert state["select"]["id"] == "A"
    assert state["select"]["on"]["color"] == styling.SELECTED_COLOUR
    assert state["select"]["off"] == styling.park_outline(False) != state["select"]["on"]
    minx, miny, maxx, maxy = overview[overview.park_id == "A"].total_bounds
    assert state["fit"][0] + state["fit"][1] == pytest.approx([miny, minx, maxy, maxx])


def test_a_selected_park_is_framed_whatever_the_view_centre(tiny_data):
    overview = parks_overview(tiny_data)
    assert focus_bounds(overview, MapView(center=(20.8, 106.7), zoom=12)) is None
    framed = focus_bounds(overview, MapView(center=(20.8, 106.7), zoom=12, selected_park="A"))
    minx, miny, maxx, maxy = overview[overview.park_id == "A"].total_bounds
    assert framed is not None and framed[0] + framed[1] == pytest.approx([miny, minx, maxy, maxx])


def test_styles_come_from_the_one_home_of_colours():
    assert [s["fillColor"] for s in plot_styles(["leased", "available"])] == [
        styling.PLOT_STATUS_COLOURS["leased"], styling.PLOT_STATUS_COLOURS["available"]]


# --- the page's map: built once, sent as st_folium would send it --------------------------------------
def test_cached_map_is_sent_as_st_folium_sends_it(tiny_data, monkeypatch, tmp_path):
    import streamlit_folium as sf

    from heza_geo.ui import fastmap

    monkeypatch.setattr(fastmap, "PLOT_CACHE_DIR", tmp_path)
    overview = parks_overview(tiny_data)
    berths = berth_status(tiny_data.berths, tiny_data.berth_status_history)
    view = MapView(lang="en")
    calls: list[dict] = []
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: calls.append(kwargs))

    sf.st_folium(fastmap.base_map(tiny_data, view, overview, berths, None), key="main_map", height=640,
                 use_container_width=True, returned_objects=list(fastmap.RETURNED))
    selection = select(tiny_data, Filters(plot_statuses=("leased",)), view, overview=overview, berths=berths, land=None)
    fastmap.show_map(tiny_data, selection, view, parks_all=overview, berths=berths, land=None, key="main_map")

    plain, fast = calls
    assert fast["key"] == plain["key"]  # st_folium's identity of a map: its script, random ids left out
    plain["header"] += fastmap.FILL_FRAME  # the one addition: the map fills the frame the page sizes
    for name in ("script", "header", "html"):
        assert _no_ids(fast[name]) == _no_ids(plain[name]), name
    for name in ("height", "width", "returned_objects", "default", "css_links", "js_links", "return_on_hover",
                 "layer_control", "pixelated", "wrap_longitude", "zoom", "center"):
        assert fast[name] == plain[name], name
    assert "plots-" in fast["script"] and list(tmp_path.glob("plots-*.json.gz"))  # the plots come from a file
    state = fastmap.filter_state(tiny_data, selection, view, overview)
    assert fast["feature_group"] == view_script(state | {"page": ""}, follow=True) and state["plots"] is not None
    assert fast["returned_objects"] == [] and fast["default"] == {}  # streamlit-folium reports nothing: no run


@needs_node
def test_the_view_the_browser_writes_is_the_view_the_links_module_reads():
    """The map writes lat/lon/z into the page's URL itself (no run per pan): in the format
    heza_geo.links encodes and decodes, every other parameter kept as it was written."""
    written = run_js("""console.log(JSON.stringify(input.map(c => H.withView(c.search, c.lat, c.lon, c.z))));""",
                     [{"search": "?lang=vi&zone=a,b&lat=1&z=3", "lat": 20.8612345, "lon": 106.7, "z": 11.0},
                      {"search": "", "lat": -1.5, "lon": 2, "z": 9}])
    assert written == ["?lang=vi&zone=a,b&lat=20.86123&lon=106.70000&z=11", "?lat=-1.50000&lon=2.00000&z=9"]
    state = decode(parse_qs(written[0].lstrip("?")))
    assert state.view.center == (20.86123, 106.7) and state.view.zoom == 11 and state.filters.zones == ("a", "b")
    assert run_js("""console.log(JSON.stringify([H.urlView('?lat=20.5&lon=106.25&z=10'), H.urlView('?lat=x&z=3'),
                                                  H.urlView(encode)]));""".replace("encode", "'?" + urlencode(
        encode(ViewState(view=MapView(center=(20.1, 106.2), zoom=12)))) + "'"), None) == [
        {"lat": 20.5, "lon": 106.25, "z": 10}, None, {"lat": 20.1, "lon": 106.2, "z": 12}]


def test_a_click_the_map_sends_is_taken_once_by_the_run_it_causes(monkeypatch):
    from heza_geo.ui import fastmap

    session: dict[str, object] = {}
    monkeypatch.setattr(fastmap.st, "session_state", session)
    fastmap._clicked("main_map", {"park_id": "A", "plot_id": None, "layer": "park", "n": 2})
    fastmap._clicked("other", {"n": 1})  # nothing with a park: no click
    assert fastmap.take_click("main_map") == {"park_id": "A", "plot_id": None, "layer": "park", "n": 2}
    assert fastmap.take_click("main_map") is None and fastmap.take_click("other") is None


def _no_ids(text: str) -> str:
    """Without folium's random element ids (as streamlit_folium.generate_js_hash compares scripts)."""
    return re.sub(r"_[a-z0-9]+", "", text)
