"""The PDF sheet's tables: headers that do not run into each other, cells that wrap, never cut (issue 16)."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from heza_geo import i18n
from heza_geo.config import LANGUAGES
from heza_geo.export import pdf, tables
from heza_geo.export.static import fonts

#: the indicator table's columns, as :func:`heza_geo.export.pdf.plan` lays them out
INDICATOR_WIDTHS = pdf.INDICATOR_WIDTHS


def drawn_width_mm(text: str, size_pt: float, bold: bool, lang: str) -> float:
    """The width matplotlib draws ``text`` at, measured on a canvas (not by the sheet's own estimate)."""
    with fonts(lang):
        figure = Figure(dpi=72)
        canvas = FigureCanvasAgg(figure)
        artist = figure.text(0, 0, text, fontsize=size_pt, fontweight="bold" if bold else "normal")
        return artist.get_window_extent(canvas.get_renderer()).width * pdf.MM_PER_PT


@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicator_table_headers_fit_their_columns_in_every_language(tiny_data, lang):
    sheet = pdf.Sheet("a4", lang=lang)
    header = list(tables.indicator_table(tiny_data.parks, lang).columns)
    size = sheet.header_size(header, INDICATOR_WIDTHS, 7.5 - 0.5)
    for cell, share in zip(header, INDICATOR_WIDTHS, strict=True):
        width = share * sheet.content_width
        for line in sheet.cell_lines(cell, width, size, bold=True):
            assert drawn_width_mm(line, size, True, lang) <= width - 1, (cell, line)


def test_a_long_source_cell_wraps_onto_as_many_lines_as_it_needs_and_is_never_cut():
    sheet = pdf.Sheet("a4", lang="en")
    source = ("As of 14 Oct 2023 · HEZA report of 14 Oct 2023 (Oct 2023 review), and the approximate method: "
              "a share of the zone's total from the 2024 international integration report")
    width = 0.42 * sheet.content_width
    lines = sheet.cell_lines(source, width, 8, bold=False)
    assert len(lines) >= 3 and "…" not in "".join(lines)
    assert " ".join(lines).split() == source.split()
    for line in lines:
        assert drawn_width_mm(line, 8, False, "en") <= width - 1, line
    before = sheet.cursor
    sheet.table(pd.DataFrame({"a": ["x"], "b": ["y"], "c": [source]}), [0.28, 0.3, 0.42], numeric=set(), size_pt=8)
    assert sheet.cursor - before > 8 * pdf.MM_PER_PT * 1.25 * len(lines)  # the row is as tall as its lines


def test_the_indicator_tables_available_header_reads_whole(tiny_data, tmp_path):
    from pypdf import PdfReader

    from heza_geo.export import ExportOptions, export
    from heza_geo.view import Filters, MapView

    out = tmp_path / "sheet.pdf"
    export(tiny_data, Filters(), MapView(lang="vi"), "pdf", out, ExportOptions(renderer="static"))
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "…" not in text
    assert i18n.t("popup.available", "vi") + " *" in text or all(
        word in text for word in (i18n.t("popup.available", "vi") + " *").split())
