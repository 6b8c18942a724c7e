"""Data text is data, wherever it goes.

* Spreadsheets: a tenant "=cmd|' /C calc'!A0" (or any text cell starting with = + - @, tab or CR)
  reaches every CSV with a leading quote and every XLSX as a string cell, never a formula; real
  numbers stay numbers (OWASP CSV injection).
* Screens: a park named "[click](http://evil.example/x) ![i](http://evil.example/i.png) <img src=x>"
  is shown as those characters on every page (Markdown), in the map's popups and search (HTML)
  and in the PDF (matplotlib text), never as a link or an image fetched from that host. The same
  goes for zone, tenant, berth and housing names, notes, sources and values read from a link.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import streamlit_folium
from pypdf import PdfReader
from shapely.geometry import Point

from heza_geo.analysis import compare
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.analysis.land_finder import Needs, candidate_sites, rank, results_table, sites_table
from heza_geo.analysis.selection import select
from heza_geo.export import ExportOptions, export, tables
from heza_geo.export import data as data_export
from heza_geo.io import load_dataset
from heza_geo.maps.build import build_map
from heza_geo.maps.popups import park_popup, park_tooltip
from heza_geo.maps.tour import presentation_map, tour_stops
from heza_geo.text import csv_bytes
from heza_geo.view import Filters, MapView
from tests.conftest import tiny_frames, write_dataset
from tests.test_text import ATTACKS, EVIL, live_markup, unescape

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def static_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEZA_EXPORT_RENDERER", "static")


# --- spreadsheets -------------------------------------------------------------------------------
@pytest.fixture
def attack_data(tiny_data):
    """The tiny dataset with the attacks as the tenants of plots A-1…A-5 and B-1."""
    plots = tiny_data.plots.copy()
    ids = ["A-1", "A-2", "A-3", "A-4", "A-5", "B-1"]
    plots["tenant"] = plots["tenant"].astype(object)
    for plot_id, attack in zip(ids, ATTACKS, strict=True):
        plots.loc[plots["plot_id"] == plot_id, "tenant"] = attack
    return replace(tiny_data, plots=plots), dict(zip(ids, ATTACKS, strict=True))


def csv_rows(payload: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload, newline="")))


def test_csv_export_quotes_every_cell_that_would_start_a_formula(attack_data, tmp_path):
    data, attacks = attack_data
    out = tmp_path / "plots.csv"
    export(data, Filters(), MapView(layers=("plots",)), "csv", out)
    rows = {r["plot_id"]: r for r in csv_rows(out.read_bytes().decode("utf-8-sig"))}
    for plot_id, attack in attacks.items():
        assert rows[plot_id]["tenant"] == "'" + attack
    assert rows["A-1"]["area_ha"] == "30.0" and float(rows["A-1"]["lon"]) > 100  # numbers stay numbers


def test_csv_zip_export_quotes_formulas_in_every_file(attack_data, tmp_path):
    data, attacks = attack_data
    out = tmp_path / "data.zip"
    export(data, Filters(), MapView(layers=("parks", "plots")), "csv", out)
    with zipfile.ZipFile(out) as archive:
        rows = {r["plot_id"]: r for r in csv_rows(archive.read("plots.csv").decode("utf-8-sig"))}
    assert [rows[p]["tenant"] for p in attacks] == ["'" + a for a in attacks.values()]


def test_xlsx_export_writes_formulas_as_plain_text(attack_data, tmp_path):
    data, attacks = attack_data
    out = tmp_path / "data.xlsx"
    export(data, Filters(), MapView(layers=("plots",)), "xlsx", out)
    book = openpyxl.load_workbook(out)
    sheet = book["plots"]
    header = [c.value for c in sheet[1]]  # the labels of the file's language (issue 16)
    header = [dict(zip(*[[c.value for c in col] for col in book["codes"].iter_cols(2, 3)], strict=True)).get(h, h)
              for h in header]
    rows = {row[header.index("plot_id")].value: row for row in sheet.iter_rows(min_row=2)}
    for plot_id, attack in attacks.items():
        cell = rows[plot_id][header.index("tenant")]
        # XML reads a carriage return back as a line feed: "\r=1" returns as "'\n=1", still text
        assert cell.data_type == "s" and cell.value == ("'" + attack).replace("\r", "\n")
    assert rows["A-1"][header.index("area_ha")].data_type == "n"
    assert not [c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_negative_numbers_stay_numbers_in_csv_and_xlsx(tmp_path):
    frame = gpd.GeoDataFrame({"label": ["-2+3", "fine"], "delta": [-2.5, -1.0], "count": [-3, 4]},
                             geometry=[Point(106.7, 20.8), Point(106.8, 20.9)], crs=4326)
    sources = tables.sources({"t": frame}, "en")
    data_export.write_csv({"t": frame}, sources, tmp_path / "t.csv")
    rows = csv_rows((tmp_path / "t.csv").read_bytes().decode("utf-8-sig"))
    assert [(r["label"], r["delta"], r["count"]) for r in rows] == [("'-2+3", "-2.5", "-3"), ("fine", "-1.0", "4")]
    data_export.write_xlsx({"t": frame}, sources, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert [(c.value, c.data_type) for c in sheet[2][:3]] == [("'-2+3", "s"), (-2.5, "n"), (-3, "n")]


@pytest.fixture
def formula_park(tiny_data):
    """Park A named like a formula, in both languages."""
    parks = tiny_data.parks.copy()
    parks.loc[parks["park_id"] == "A", ["name_vi", "name_en"]] = ["=cmd|' /C calc'!A0", "@SUM(A1)"]
    data = replace(tiny_data, parks=parks)
    return data, parks_overview(data)


def test_compare_downloads_quote_a_park_named_like_a_formula(formula_park):
    data, overview = formula_park
    table = compare.comparison_table(overview, data.housing, ["A", "B"], "en")
    sheet_data = compare.data_sheet(compare.comparison_data(overview, data.housing, ["A", "B"]), "en")
    book = openpyxl.load_workbook(io.BytesIO(compare.to_xlsx({"Compare": table, "Data": sheet_data})))
    header = book["Compare"][1]
    assert (header[1].value, header[1].data_type) == ("'@SUM(A1)", "s")
    other_name = next(row for row in book["Compare"].iter_rows() if row[0].value == table.index[0])
    assert (other_name[1].value, other_name[1].data_type) == ("'=cmd|' /C calc'!A0", "s")
    assert book["Data"]["B2"].value == "'=cmd|' /C calc'!A0"
    assert not [c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    lines = list(csv.reader(io.StringIO(compare.to_csv(table).decode("utf-8-sig"), newline="")))
    assert lines[0][1] == "'@SUM(A1)" and lines[1][1] == "'=cmd|' /C calc'!A0"


def test_land_finder_downloads_quote_a_park_named_like_a_formula(formula_park):
    data, overview = formula_park
    ranked = rank(overview, data.plots, Needs(area_ha=5.0), "en")
    rows = list(csv.reader(io.StringIO(csv_bytes(results_table(ranked, "en")).decode("utf-8-sig"), newline="")))
    assert "'@SUM(A1)" in [r[1] for r in rows]
    names = dict(zip(overview["park_id"], overview["name_en"], strict=True))
    sites = candidate_sites(data.plots, 5.0)
    rows = list(csv.reader(io.StringIO(csv_bytes(sites_table(sites, names, "en")).decode("utf-8-sig"), newline="")))
    assert "'@SUM(A1)" in [r[0] for r in rows]


# --- the map, the tour and the PDF ----------------------------------------------------------------
@pytest.fixture
def evil_park(tiny_data):
    parks = tiny_data.parks.copy()
    parks.loc[parks["park_id"] == "A", ["name_vi", "name_en"]] = [EVIL, EVIL]
    data = replace(tiny_data, parks=parks)
    return data, parks_overview(data)


def test_popup_and_tooltip_show_the_name_as_text(evil_park):
    _, overview = evil_park
    row = overview.set_index("park_id").loc["A"].copy()
    row["park_id"] = "A"
    for shown in (park_popup(row, "en"), park_tooltip(row, "en")):
        assert EVIL not in shown and html.escape(EVIL) in shown


def test_compare_table_and_map_key_show_names_as_text(evil_park):
    """``st.table`` renders Markdown in every cell and header: the page shows ``display_table``."""
    data, overview = evil_park
    table = compare.comparison_table(overview, data.housing, ["A", "B"], "vi")
    shown = compare.display_table(table)
    key = compare.map_key({"A": "A", "B": "B"}, {"A": EVIL, "B": "KCN Bình Minh"})
    assert unescape(shown.columns[0]) == EVIL and unescape(shown.iloc[0, 0]) == EVIL  # park A: column, other name
    assert unescape(key) == f"A = {EVIL} · B = KCN Bình Minh"
    texts = [*shown.columns, *shown.index, *shown.to_numpy().ravel(), key]
    assert not [t for t in texts if live_markup(t)]
    assert [unescape(t) for t in shown.to_numpy().ravel()] == list(table.to_numpy().ravel())  # same text, literal


def test_the_map_search_lists_names_as_text(evil_park):
    """leaflet-search writes each match with ``innerHTML`` (a stored XSS for a park named
    "<img src=x onerror=…>"): the control makes every match a text node, in the standalone page
    and in what streamlit-folium sends to the app's pages (each element's own script)."""
    data, overview = evil_park
    selection = select(data, Filters(), MapView(lang="en", layers=("parks",)), overview=overview, land=None)
    standalone = build_map(selection.map_layers(), selection.view).get_root().render()
    in_app = streamlit_folium._get_map_string(build_map(selection.map_layers(), selection.view))
    for page in (standalone, in_app):
        control = page[page.index("new L.Control.Search("):page.index("map.addControl(control)")]
        tips = re.search(r"buildTip: function \(text\) \{(.*?)\}", control, re.S)
        assert tips and "textContent = text" in tips.group(1) and "innerHTML" not in control


def test_the_tour_card_shows_the_name_as_text(evil_park):
    data, overview = evil_park
    berths = berth_status(data.berths, data.berth_status_history)
    stops = tour_stops(overview, berths, "en")
    assert EVIL in [s.title for s in stops]  # the card sets it with textContent
    page = presentation_map(overview, berths, None, stops, "en", 10, "http://localhost/p").get_root().render()
    assert "<img src=x>" not in page and "node.textContent = text" in page


def test_pdf_prints_a_name_with_dollar_signs_as_written(tiny_data, tmp_path):
    """matplotlib reads "$…$" as mathematics: a name must never be parsed (nor fail the export)."""
    parks = tiny_data.parks.copy()
    parks.loc[parks["park_id"] == "A", ["name_vi", "name_en"]] = ["KCN $5 to $10", "Park $5 to $10"]
    data = replace(tiny_data, parks=parks)
    out = tmp_path / "atlas.pdf"
    export(data, Filters(parks=("A",)), MapView(lang="en"), "pdf", out, ExportOptions(atlas=True))
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Park $5 to $10" in text
    out = tmp_path / "odd.pdf"
    parks.loc[parks["park_id"] == "A", "name_en"] = r"Park $\frac{$"  # not valid mathematics
    export(replace(tiny_data, parks=parks), Filters(parks=("A",)), MapView(lang="en"), "pdf", out)
    assert r"Park $\frac{$" in " ".join(page.extract_text() for page in PdfReader(out).pages)


# --- the pages, as a visitor sees them (Streamlit's AppTest, no browser) ---------------------------
#: a news reference: the site first (as validation requires), then markup
NEWS = "example.vn [n](http://evil.example/n) ![o](http://evil.example/o.png)"
BAD_LINK = "[u](http://evil.example/u)"


def evil_frames() -> dict[str, pd.DataFrame]:
    """The tiny dataset with markup in every kind of text a page shows."""
    frames = tiny_frames()
    frames["parks"].loc[0, ["name_vi", "name_en", "developer"]] = [EVIL, EVIL, f"Dev {EVIL}"]
    frames["parks"]["district"] = ["D1 [d](http://evil.example/d)", "D1 [d](http://evil.example/d)", "D2"]
    frames["parks"].loc[0, "area_source"] = f"a share of the total {EVIL}"  # an approximation's method
    frames["zones"].loc[0, ["name_vi", "name_en"]] = [f"Zone {EVIL}", f"Zone {EVIL}"]
    frames["plots"].loc[0, "tenant"] = f"Tenant {EVIL}"
    frames["berths"].loc[0, ["terminal", "operator"]] = [f"T {EVIL}", f"Op {EVIL}"]
    frames["berth_status_history"].loc[2, ["source_kind", "source", "event"]] = ["news", NEWS, f"event {EVIL}"]
    frames["berth_status_history"].loc[1, "expected"] = f"end-2024 {EVIL}"
    frames["housing"].loc[0, ["name_vi", "name_en"]] = [f"Housing {EVIL}", f"Housing {EVIL}"]
    frames["connectivity"].loc[0, ["name_vi", "name_en"]] = [f"Airport {EVIL}", f"Airport {EVIL}"]
    occupancy = frames["occupancy_history"]
    occupancy.loc[occupancy.index[2], ["source_kind", "source"]] = ["news", NEWS]  # park B's figure
    investment = frames["investment"]
    investment.loc[investment.index[2], ["period", "note"]] = [f"2023 {BAD_LINK}", f"note {EVIL}"]
    investment.loc[investment.index[1], ["source_kind", "source"]] = ["news", NEWS]
    frames["enterprise"].loc[0, ["source_kind", "source"]] = ["news", NEWS]
    notes = frames["source_notes"]
    frames["source_notes"] = pd.concat([notes, pd.DataFrame({
        "topic": ["occupancy", "berth_note", "park"],
        "subject_id": [None, None, "A"],
        "note_vi": [f"ghi chú {EVIL}"] * 3,
        "note_en": [f"note {EVIL}"] * 3,
        "source_kind": ["news"] * 3,
        "source": [NEWS] * 3,
    })], ignore_index=True)
    return frames


@pytest.fixture(scope="module")
def evil_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = write_dataset(tmp_path_factory.mktemp("evil") / "data", evil_frames())
    load_dataset(directory)  # the attack is valid data: names and notes are free text
    return directory


@pytest.fixture
def app_env(monkeypatch, tmp_path, evil_dir):
    import streamlit as st

    st.cache_resource.clear()  # a fresh app process: settings and data are cached per process
    monkeypatch.setenv("HEZA_DATA_DIR", str(evil_dir))
    monkeypatch.setenv("HEZA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HEZA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    for name in ("HEZA_STORE_PATH", "HEZA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    st.cache_resource.clear()


def shown_markdown(app) -> list[str]:  # an AppTest
    """Every text the page renders as Markdown: bodies, captions, alerts, headings, labels,
    metric values, radio options and every cell, header and index of ``st.table``."""
    texts = [m.value for m in app.markdown if not m.allow_html]
    for kind in ("caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        texts += [e.value for e in getattr(app, kind)]
    texts += [v for m in app.metric for v in (m.label, m.value)]
    texts += [o for r in app.radio for o in [r.label, *r.options]]
    texts += [e.label for kind in ("button", "selectbox", "multiselect", "number_input", "checkbox", "slider",
                                   "text_input", "expander") for e in getattr(app, kind)]
    for table in app.table:
        frame = table.value
        texts += [str(v) for v in [*frame.columns, *frame.index, *frame.to_numpy().ravel()]]
    return [str(t) for t in texts if t]


PAGES = [
    pytest.param("map.py", {"selected": "A", "stage": BAD_LINK}, id="map-park-detail"),
    pytest.param("map.py", {"stage": BAD_LINK}, id="map-city-cards"),
    pytest.param("occupancy.py", {"park": "A", "colour": BAD_LINK}, id="occupancy"),
    pytest.param("investment.py", {"period": BAD_LINK}, id="investment"),
    pytest.param("port.py", {"year": "2025", "km": BAD_LINK}, id="port"),
    pytest.param("land_finder.py", {"need_ha": "5", "compare": BAD_LINK}, id="land_finder"),
    pytest.param("compare.py", {"compare": f"A,B,{BAD_LINK}"}, id="compare"),
    pytest.param("export.py", {"district": "D1 [d](http://evil.example/d)", "park": "A"}, id="export"),
    pytest.param("presentation.py", {"seconds": BAD_LINK}, id="presentation"),
]


@pytest.mark.parametrize("page, params", PAGES)
def test_page_shows_names_notes_sources_and_link_values_as_text(app_env, page, params):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)  # with the navigation, as served
    app.switch_page(f"pages/{page}")
    for key, value in {"lang": "en", **params}.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    texts = shown_markdown(app)
    assert any("evil.example" in unescape(t) for t in texts), "the attack should reach the page, as text"
    live = {t: live_markup(t) for t in texts if live_markup(t)}
    assert not live, live
    assert not [t for t in texts if "\\" in unescape(t)], "escaped twice: a reader would see backslashes"
