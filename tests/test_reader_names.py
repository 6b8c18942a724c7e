"""No reader sees an internal name (issue 16): a HEZA report's file name ("001_7f014fdbc8afe3e1.txt")
or "GEOREF.md", the project's notes of reference positions.

The walk: the default dataset, plus the texts stores made from older data still hold (notes citing
"GEOREF.md", a method naming the report file it was derived from, notes citing a report by its file),
drawn in every place a reader sees a source or a note, in every language: the map's popups (their
badges' tooltips too), the park panel, the tables and captions of the occupancy, port and investment
pages, the notes under them, compare, the cards, the export's sources line (the PNG's footer), the
PDF's text (pypdf) and every cell of the XLSX (openpyxl). Nothing may match :data:`INTERNAL`.

Before the fix the popups' badges carried the raw reference as their tooltip, the PDF listed its
sources by file name, the XLSX wrote the file names, and the notes showed what the data said.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from heza_geo.analysis import cards, charts, compare, investment, joins, panels, port, sources, tables
from heza_geo.analysis.selection import select
from heza_geo.config import LANGUAGES
from heza_geo.export import export, pdf
from heza_geo.export import tables as export_tables
from heza_geo.export.core import ExportOptions
from heza_geo.io import Dataset, load_dataset
from heza_geo.maps import popups, tour
from heza_geo.maps.build import build_map
from heza_geo.maps.pagemaps import port_map
from heza_geo.view import LAYER_NAMES, Filters, MapLayers, MapView

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
#: a HEZA report's file name, or the project's reference notes, however cited
INTERNAL = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?|GEOREF", re.IGNORECASE)
R001, R002 = "001_7f014fdbc8afe3e1.txt", "002_03c113ee68876e37.txt"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(GEODATA)


def with_legacy_texts(data: Dataset) -> Dataset:
    """``data`` with the texts of stores made from older data: notes citing GEOREF.md and report files,
    a method naming the report file it was derived from, an old news text migrated to an approximation."""
    parks = data.parks.copy()
    approximate = parks.index[parks["area_source_kind"] == "approximate"][:1]
    parks.loc[approximate, "area_source"] = f"a share of the 6,100 ha total ({R002})"
    parks.loc[parks.index[:2], "source"] = "news: public reports summarised in GEOREF.md"
    parks.loc[parks.index[:2], "source_kind"] = "approximate"
    parks.loc[parks.index[0], "note"] = f"Eco-industrial park pilot (report {R001})."
    connectivity = data.connectivity.assign(note="Reference point from public sources (GEOREF.md).")
    history = data.berth_status_history.copy()
    history["event"] = history["event"].fillna("") + " Opened May 2018 (GEOREF.md)."
    history["expected"] = f"operation Q4 2027 (GEOREF.md; {R001})"
    notes = data.source_notes.copy()
    notes["note_en"] = notes["note_en"] + f" (report {R001}; GEOREF.md)"
    notes["note_vi"] = notes["note_vi"] + f" (báo cáo {R001}; GEOREF.md)"
    invest = data.investment.assign(note=f"as {R002} gives it")
    investors = data.investors.assign(note=f"named in {R001}")
    enterprise = data.enterprise.assign(note=f"from {R001}")
    return replace(data, parks=parks, connectivity=connectivity, berth_status_history=history,
                   source_notes=notes, investment=invest, investors=investors, enterprise=enterprise)


@pytest.fixture(scope="module")
def legacy(data: Dataset) -> Dataset:
    return with_legacy_texts(data)


def places(data: Dataset, lang: str) -> Iterator[tuple[str, str]]:
    """(place, text) for every place a reader sees a source or a note, for every record of ``data``."""
    overview = joins.parks_overview(data)
    berths = joins.berth_status(data.berths, data.berth_status_history)
    for _, row in overview.iterrows():
        yield f"park popup {row.park_id}", popups.park_popup(row, lang)
        yield f"park panel {row.park_id}", panels.park_facts(row, lang).to_string()
        yield f"park cards {row.park_id}", repr(cards.park_occupancy_cards(row, lang))
        yield f"pdf park sheet {row.park_id}", pdf.park_figures(row, lang).to_string()
        yield f"park notes {row.park_id}", repr(sources.park_notes(data.source_notes, row.park_id, lang))
    for _, row in data.zones.iterrows():
        yield f"zone popup {row.zone_id}", popups.zone_popup(row, lang)
    for _, row in berths.iterrows():
        yield f"berth popup {row.berth_no}", popups.berth_popup(row, lang)
    for _, row in data.housing.iterrows():
        yield f"housing popup {row.housing_id}", popups.housing_popup(row, lang)
    for _, row in data.connectivity.iterrows():
        yield f"connectivity popup {row.feature_id}", popups.connectivity_popup(row, lang)
    for _, row in data.plots.head(20).iterrows():
        yield f"plot popup {row.plot_id}", popups.plot_popup(row, lang, "park")
    yield "tour", repr(tour.tour_stops(overview, berths, lang))
    layers = MapLayers(overview, data.plots.head(20), data.zones, berths, data.housing, data.connectivity, None)
    yield "main map", build_map(layers, MapView(lang=lang, layers=LAYER_NAMES)).get_root().render()
    status = port.status_as_of_year(data.berths, data.berth_status_history, 2025)
    near = port.parks_within(overview, status, 10.0)
    yield "port map", port_map(overview, status, data.connectivity, near, port.reach_area(status, 10.0), 10.0,
                               lang).get_root().render()
    yield "occupancy table", tables.occupancy_shown(tables.occupancy_rows(overview, lang), lang).data.to_string()
    yield "occupancy reference lines", repr(list(charts.reference_rules(data.occupancy_history, lang)["text"]))
    yield "occupancy notes", repr(sources.occupancy_notes(data.source_notes, lang))
    yield "city notes", repr(sources.city_notes(data.source_notes, lang))
    yield "port notes", repr(sources.port_note_lines(port.port_notes(data.source_notes), lang))
    for year in (2023, 2024, 2025):
        status = port.status_as_of_year(data.berths, data.berth_status_history, year)
        yield f"berth table {year}", tables.berths_shown(status, lang).data.to_string()
    events = charts.berth_events(data.berth_status_history, lang)
    yield "port timeline", tables.events_table(events, lang).to_string()
    yield "investors table", tables.investors_table(data.investors, data.parks, lang).to_string()
    yield "enterprise table", tables.enterprise_table(data.enterprise, lang).to_string()
    cumulative = investment.cumulative(data.investment)
    for flow in ("fdi", "ddi"):
        bars = charts.cumulative_bars(cumulative, flow, lang)
        yield f"investment {flow} notes", repr(list(bars["note_text"]))
        yield f"investment {flow} sources", sources.sources_line(bars, lang)
        yield f"investment {flow} references", charts.source_refs(bars, lang)
    ids = list(overview["park_id"])
    for start in range(0, len(ids), 4):
        table = compare.comparison_table(overview, data.housing, ids[start:start + 4], lang)
        yield f"compare {ids[start]}…", table.to_string() + compare.provenance_legend(table, lang)
    yield "city cards", repr(cards.city_cards(data, lang))
    frames = {name: getattr(data, name) for name in LAYER_NAMES}
    yield "export sources line (PNG footer)", export_tables.sources_line(frames, lang)
    yield "pdf sources list", "\n".join(pdf.source_line(row, lang)
                                        for _, row in export_tables.sources(frames, lang).iterrows())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_place_a_reader_sees_names_a_report_file_or_georef(legacy: Dataset, lang: str) -> None:
    leaks = {place: INTERNAL.search(text).group(0) for place, text in places(legacy, lang) if INTERNAL.search(text)}
    assert not leaks, f"internal names shown: {leaks}"


def test_the_walk_sees_the_legacy_texts_it_checks(legacy: Dataset) -> None:
    """The walk looks where the internal names were: each legacy text is shown somewhere, renamed."""
    shown = "\n".join(text for _, text in places(legacy, "en"))
    for renamed in ("HEZA report of 14 Oct 2023 (Oct 2023 review)", "public maps and news compiled by the project",
                    "HEZA report of Nov 2024 (2024 international integration)",
                    "Approximate: news: public reports summarised in public maps and news compiled by the project"):
        assert renamed in shown, renamed


def texts_of_xlsx(path: Path) -> Iterator[tuple[str, str]]:
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    yield sheet.title, value


@pytest.mark.parametrize("lang", ["en", "vi", "ja"])
def test_the_xlsx_names_each_source_as_a_reader_does(legacy: Dataset, lang: str, tmp_path: Path) -> None:
    out = tmp_path / "data.xlsx"
    export(legacy, Filters(), MapView(lang=lang), "xlsx", out, selection=select(legacy, Filters(), MapView(lang=lang),
                                                                                 land=None))
    leaks = [(sheet, text) for sheet, text in texts_of_xlsx(out) if INTERNAL.search(text)]
    assert not leaks, leaks[:5]
    cells = {text for _, text in texts_of_xlsx(out)}
    assert sources.source_name(sources.Provenance("report", R001), lang) in cells


def test_the_csv_and_geopackage_keep_the_stores_references_with_the_readers_name_beside(
        legacy: Dataset, tmp_path: Path) -> None:
    """Data files for scripts and imports keep the machine reference; the sources table names it too."""
    out = tmp_path / "data.zip"
    export(legacy, Filters(), MapView(lang="en", layers=("parks", "housing")), "csv", out)
    import io
    import zipfile
    with zipfile.ZipFile(out) as archive:
        listed = pd.read_csv(io.BytesIO(archive.read("sources.csv")), encoding="utf-8-sig")
        parks = pd.read_csv(io.BytesIO(archive.read("parks.csv")), encoding="utf-8-sig")
    report = listed[listed["source"] == R001].iloc[0]
    assert report["named"] == "HEZA report of 14 Oct 2023 (Oct 2023 review)"
    assert R001 in set(parks["stage_source"])


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_pdf_text_names_no_report_file_and_no_georef(legacy: Dataset, lang: str, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    view = MapView(lang=lang, selected_park=None)
    chosen = Filters(parks=tuple(legacy.parks["park_id"][:3]))
    export(legacy, chosen, view, "pdf", out, ExportOptions(atlas=True, renderer="static"),
           selection=select(legacy, chosen, view, land=None))
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert not INTERNAL.search(text), INTERNAL.search(text)
    if lang == "en":
        assert "HEZA report of 14 Oct 2023 (Oct 2023 review)" in " ".join(text.split())
