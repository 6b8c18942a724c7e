"""No reader sees an internal name (issue 16): a HEZA report's file name ("001_7f014fdbc8afe3e1.txt")
or "GEOREF.md", the project's notes of reference positions.

The walk: the default dataset, plus the texts stores made from older data still hold (notes citing
"GEOREF.md", a method naming the report file it was derived from, notes citing a report by its file),
drawn in every place a reader sees a source or a note (:func:`tests.reader_places.places`: the maps'
popups, their badges' tooltips too, the park panel, the tables, captions and notes of the occupancy, port
and investment pages, compare, the cards, the export's sources line, the PNG's footer), in every
language, and the PDF's text (pypdf) and every cell of the XLSX (openpyxl). Nothing may match :data:`INTERNAL`.

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

from heza_geo.analysis import sources
from heza_geo.analysis.selection import select
from heza_geo.config import LANGUAGES
from heza_geo.export import export
from heza_geo.export.core import ExportOptions
from heza_geo.io import Dataset, load_dataset
from heza_geo.view import Filters, MapView
from tests.reader_places import places

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
