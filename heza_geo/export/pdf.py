"""The PDF sheet: map snapshot, indicator table and sources on A4/A3; optionally a park atlas.

Drawn with matplotlib's PDF backend (no extra dependency), fonts embedded as TrueType so the
text (Vietnamese, Korean, Japanese, Chinese) can be searched and copied. Pages are planned first
(:class:`Sheet` collects drawing steps and breaks pages where the next block does not fit), then
drawn one at a time, so an atlas of many parks never holds all its images in memory.

Decisions (issue 16): text is laid out by its width in the font it is drawn in (measured with
matplotlib's own font metrics, the export language's fonts, :func:`heza_geo.export.static.fonts`),
not by a count of characters, which ran "Occupancy" into "Available *". A cell wraps onto as many
lines as it needs and its row grows; nothing is cut with "…" (a source is named whole). A table's
header wraps at spaces; where one word is still wider than its column, the whole header row is set
smaller (down to :data:`MIN_HEADER_PT`), and only below that is the word broken, so headers never
run into each other. Text without spaces (Japanese, Chinese) breaks between characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath
from PIL import Image

from heza_geo import i18n
from heza_geo.analysis.sources import reference, source_name
from heza_geo.export import tables
from heza_geo.export.core import SHEETS_MM, Size
from heza_geo.export.static import TITLE_COLOUR, font_families, fonts
from heza_geo.schema import APPROXIMATE, NO_SOURCE, SYNTHETIC, UNPLACED, precision_column, provenance_of

MM_PER_PT = 25.4 / 72
MARGIN_MM = 12.0
#: snapshot height as a share of its width
SNAPSHOT_ASPECT = 0.62
SNAPSHOT_DPI = 200
#: CSS width the PDF's map is laid out at: its labels print at about 7 pt
SNAPSHOT_CSS_WIDTH = 900

Draw = Callable[[Figure, float], None]  # (figure, top of the block in mm from the page top)


def snapshot_size(sheet: str) -> Size:
    """Pixel size of the map image that fills the sheet's width at 300 dpi."""
    width_mm = SHEETS_MM[sheet][0] - 2 * MARGIN_MM
    width = round(width_mm / 25.4 * SNAPSHOT_DPI)
    css = round(SNAPSHOT_CSS_WIDTH * width_mm / (SHEETS_MM["a4"][0] - 2 * MARGIN_MM))
    return Size(f"{sheet}-sheet", width, round(width * SNAPSHOT_ASPECT), SNAPSHOT_DPI, sheet, css)


#: the smallest size a table's header row is set at to keep its longest word within its column
MIN_HEADER_PT = 5.5
#: the indicator table's columns (shares of the content width): park, stage, area, leased,
#: available, occupancy, as of, source
INDICATOR_WIDTHS = [0.22, 0.14, 0.08, 0.09, 0.09, 0.1, 0.1, 0.18]
#: room between a cell's text and its column's edges (mm)
CELL_PAD_MM = 1.5
_TEXT_TO_PATH = TextToPath()


@lru_cache(maxsize=8192)
def _text_width_mm(text: str, size_pt: float, bold: bool = False, lang: str = "vi") -> float:
    """The width ``text`` is drawn at in ``lang``'s fonts (:func:`heza_geo.export.static.font_families`)."""
    prop = FontProperties(family=font_families(lang), size=size_pt, weight="bold" if bold else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width) * MM_PER_PT


def _break(word: str, width_mm: float, size_pt: float, bold: bool, lang: str) -> list[str]:
    """``word`` in pieces each within ``width_mm`` (at least one character a piece)."""
    pieces = []
    while len(word) > 1 and _text_width_mm(word, size_pt, bold, lang) > width_mm:
        cut = 1
        while cut < len(word) and _text_width_mm(word[:cut + 1], size_pt, bold, lang) <= width_mm:
            cut += 1
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def _wrap(text: str, width_mm: float, size_pt: float, bold: bool = False, lang: str = "vi") -> list[str]:
    """``text`` in lines within ``width_mm``, broken at spaces, a word too wide broken where it must."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if _text_width_mm(candidate, size_pt, bold, lang) <= width_mm:
                line = candidate
                continue
            if line:
                lines.append(line)
            *full, line = _break(word, width_mm, size_pt, bold, lang)
            lines += full
        lines.append(line)
    return lines or [""]


@dataclass
class Sheet:
    """Pages being planned: each page is a list of (top in mm, draw step)."""

    sheet: str
    pages: list[list[tuple[float, Draw]]] = field(default_factory=lambda: [[]])
    cursor: float = MARGIN_MM
    lang: str = "vi"

    @property
    def width(self) -> float:
        return SHEETS_MM[self.sheet][0]

    @property
    def height(self) -> float:
        return SHEETS_MM[self.sheet][1]

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN_MM

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
        self.cursor = MARGIN_MM

    def room(self) -> float:
        return self.height - MARGIN_MM - 8 - self.cursor  # 8 mm for the page footer

    def add(self, height: float, draw: Draw) -> None:
        """Put a block of ``height`` mm below the last one, on a new page if it does not fit."""
        if height > self.room() and self.pages[-1]:
            self.new_page()
        self.pages[-1].append((self.cursor, draw))
        self.cursor += height

    # --- blocks ------------------------------------------------------------------------------
    def text(self, text: str, size_pt: float, bold: bool = False, colour: str = "#222222", gap: float = 1.5) -> None:
        lines = _wrap(text, self.content_width, size_pt, bold, self.lang)
        line_h = size_pt * MM_PER_PT * 1.35
        for line in lines:
            self.add(line_h, self._text_step(line, size_pt, bold, colour))
        self.cursor += gap

    def _text_step(self, line: str, size_pt: float, bold: bool, colour: str) -> Draw:
        def draw(fig: Figure, top: float) -> None:
            fig.text(self._x(MARGIN_MM), self._y(top), line, fontsize=size_pt, fontweight="bold" if bold else "normal",
                     color=colour, ha="left", va="top")
        return draw

    def image(self, path: Path, size: Size) -> None:
        height = self.content_width * size.height / size.width

        def draw(fig: Figure, top: float) -> None:
            ax = fig.add_axes((self._x(MARGIN_MM), self._y(top + height), self.content_width / self.width,
                               height / self.height))
            with Image.open(path) as picture:
                ax.imshow(picture.convert("RGB"), interpolation="none", aspect="auto")
            ax.set_axis_off()
            fig.add_artist(Rectangle((self._x(MARGIN_MM), self._y(top + height)), self.content_width / self.width,
                                     height / self.height, fill=False, edgecolor="#999999", linewidth=0.5,
                                     transform=fig.transFigure))
        self.add(height + 3, draw)

    def table(self, frame: pd.DataFrame, widths: list[float], numeric: set[int], size_pt: float = 7.5,
              bold_last: bool = False, heading: str | None = None) -> None:
        """Rows of text in columns (``widths``: shares of the content width); a cell wraps onto as
        many lines as it needs; the header row, set small enough that each word fits its column
        (:meth:`header_size`), is repeated on every page the table spans."""
        line_h = size_pt * MM_PER_PT * 1.7
        header = list(frame.columns)
        header_pt = self.header_size(header, widths, size_pt - 0.5)
        rows = [list(map(str, r)) for r in frame.itertuples(index=False)]
        if heading:
            self.add(line_h * 1.4, self._text_step(heading, size_pt + 2.5, True, TITLE_COLOUR))
        if self.room() < line_h * 4:
            self.new_page()
        self._row(header, widths, numeric, header_pt, bold=True, shade="#dfe8f1")
        for index, row in enumerate(rows):
            last = bold_last and index == len(rows) - 1
            if self.room() < self._row_height(row, widths, size_pt, last):
                self.new_page()
                if heading:
                    self.add(line_h * 1.4, self._text_step(f"{heading} {i18n.t('export.continued', self.lang)}",
                                                           size_pt + 2.5, True, TITLE_COLOUR))
                self._row(header, widths, numeric, header_pt, bold=True, shade="#dfe8f1")
            self._row(row, widths, numeric, size_pt, bold=last, shade="#f3f3f3" if index % 2 else None)
        self.cursor += 2

    def header_size(self, header: list[str], widths: list[float], size_pt: float) -> float:
        """The largest size up to ``size_pt`` (by half points, not below :data:`MIN_HEADER_PT`) at
        which every word of every header fits its column."""
        def fits(size: float) -> bool:
            return all(_text_width_mm(word, size, True, self.lang) <= share * self.content_width - CELL_PAD_MM
                       for cell, share in zip(header, widths, strict=True) for word in cell.split())
        size = size_pt
        while size > MIN_HEADER_PT and not fits(size):
            size -= 0.5
        return size

    def cell_lines(self, cell: str, width: float, size_pt: float, bold: bool) -> list[str]:
        """The lines a cell of a column ``width`` mm wide is drawn in: all of them, none cut."""
        return _wrap(cell, width - CELL_PAD_MM, size_pt, bold, self.lang)

    def _row_height(self, cells: list[str], widths: list[float], size_pt: float, bold: bool) -> float:
        lines = max(len(self.cell_lines(c, w * self.content_width, size_pt, bold))
                    for c, w in zip(cells, widths, strict=True))
        return size_pt * MM_PER_PT * (1.7 if lines == 1 else 1.25 * lines + 0.5)

    def _row(self, cells: list[str], widths: list[float], numeric: set[int], size_pt: float, bold: bool,
             shade: str | None) -> None:
        row_h = self._row_height(cells, widths, size_pt, bold)

        def draw(fig: Figure, top: float) -> None:
            if shade:
                fig.add_artist(Rectangle((self._x(MARGIN_MM), self._y(top + row_h)), self.content_width / self.width,
                                         row_h / self.height, facecolor=shade, edgecolor="none",
                                         transform=fig.transFigure, zorder=0))
            x = MARGIN_MM
            for index, (cell, share) in enumerate(zip(cells, widths, strict=True)):
                width = share * self.content_width
                text = "\n".join(self.cell_lines(cell, width, size_pt, bold))
                right = index in numeric
                fig.text(self._x(x + width - 1 if right else x + 1), self._y(top + row_h / 2), text, fontsize=size_pt,
                         fontweight="bold" if bold else "normal", ha="right" if right else "left", va="center",
                         linespacing=1.15, multialignment="right" if right else "left")
                x += width
        self.add(row_h, draw)

    def rule(self) -> None:
        def draw(fig: Figure, top: float) -> None:
            fig.add_artist(Line2D([self._x(MARGIN_MM), self._x(self.width - MARGIN_MM)], [self._y(top)] * 2,
                                  color=TITLE_COLOUR, linewidth=1.2, transform=fig.transFigure))
        self.add(2.5, draw)

    # --- coordinates: mm from the top-left corner -> figure fractions -------------------------
    def _x(self, mm: float) -> float:
        return mm / self.width

    def _y(self, mm: float) -> float:
        return 1 - mm / self.height


@dataclass(frozen=True)
class ParkPage:
    """One atlas page: the park's map image (None: the park has no position, no map) and its
    figures (already formatted)."""

    title: str
    subtitle: str
    image: Path | None
    figures: pd.DataFrame
    plots: pd.DataFrame
    notes: list[str]


def plan(sheet_name: str, lang: str, title: str, subtitle: str, exported: str, image: Path, image_size: Size,
         indicators: pd.DataFrame, sources: pd.DataFrame, atlas: list[ParkPage]) -> Sheet:
    """Lay out the sheet: overview page(s), then one page per park."""
    def t(key: str, **kw: object) -> str:
        return i18n.t(key, lang, **kw)

    sheet = Sheet(sheet_name, lang=lang)
    sheet.text(title, 15, bold=True, colour=TITLE_COLOUR, gap=0.5)
    sheet.text(f"{subtitle} · {exported}", 8.5, gap=0.5)
    sheet.rule()
    sheet.image(image, image_size)
    sheet.table(indicators, INDICATOR_WIDTHS, numeric={2, 3, 4, 5}, bold_last=True,
                heading=t("export.indicators"))
    sheet.text(t("export.demo_note"), 7, colour="#7f1d1d", gap=3)
    sheet.text(t("export.sources_title"), 10, bold=True, colour=TITLE_COLOUR, gap=0.5)
    for _, row in sources.iterrows():
        sheet.text(f"• {source_line(row, lang)}", 7, gap=0.3)
    for park in atlas:
        sheet.new_page()
        sheet.text(park.title, 15, bold=True, colour=TITLE_COLOUR, gap=0.5)
        sheet.text(f"{park.subtitle} · {exported}", 8.5, gap=0.5)
        sheet.rule()
        if park.image is not None:
            sheet.image(park.image, image_size)
        else:  # an unplaced park: no map to show, and the page says why
            sheet.text(i18n.label("geometry_quality", UNPLACED, lang), 10, bold=True, colour="#7f1d1d", gap=2)
        sheet.table(park.figures, [0.28, 0.3, 0.42], numeric=set(), size_pt=8)
        if not park.plots.empty:
            sheet.table(park.plots, [0.4, 0.2, 0.4], numeric={1, 2}, size_pt=8, heading=t("legend.plot_status"))
            sheet.text(i18n.badge(SYNTHETIC, lang), 7, colour="#7f1d1d", gap=2)
        for note in park.notes:
            sheet.text(f"ⓘ {note}", 7.5, gap=0.5)
    return sheet


def source_line(row: pd.Series, lang: str) -> str:
    """A row of :func:`heza_geo.export.tables.sources` as the sheet lists it: "<the source as a reader
    names it> — <badge>: <what it covers>" ("HEZA report of 14 Oct 2023 (Oct 2023 review) — Official
    figure – HEZA report: …", never the report's file); an approximation by its method alone, since its
    badge says it is one; a source with no reference (demo data) starts with its badge."""
    p = provenance_of(row)
    named = reference(p, lang) if p.kind == APPROXIMATE else source_name(p, lang)
    lead = f"{named} — " if p.ref and named else ""
    return f"{lead}{row['kind']}: {row['covers']}"


def write(sheet: Sheet, out: Path, title: str, exported_on: date,
          progress: Callable[[int, int], None] | None = None) -> None:
    """Draw the planned pages into ``out``, with "Page n of N" at the foot of each."""
    total = len(sheet.pages)
    metadata = {"Title": title, "Author": "HEZA GIS", "Subject": title,
                "CreationDate": datetime(exported_on.year, exported_on.month, exported_on.day)}
    with fonts(sheet.lang), PdfPages(out, metadata=metadata) as pdf:
        for number, steps in enumerate(sheet.pages, start=1):
            fig = Figure(figsize=(sheet.width / 25.4, sheet.height / 25.4), dpi=SNAPSHOT_DPI)
            for top, draw in steps:
                draw(fig, top)
            fig.text(1 - MARGIN_MM / sheet.width, MARGIN_MM / 2 / sheet.height,
                     i18n.t("export.page", sheet.lang, n=number, total=total), fontsize=7, ha="right", va="bottom",
                     color="#555555")
            fig.text(MARGIN_MM / sheet.width, MARGIN_MM / 2 / sheet.height, title, fontsize=7, ha="left", va="bottom",
                     color="#555555")
            pdf.savefig(fig)
            if progress:
                progress(number, total)


def park_figures(row: pd.Series, lang: str) -> pd.DataFrame:
    """The atlas page's table: figure, value, source (as the map's detail panel shows them); each
    source named from its provenance's kind (:func:`heza_geo.export.tables.source_label`)."""
    def t(key: str, **kw: object) -> str:
        return i18n.t(key, lang, **kw)

    demo = i18n.badge(SYNTHETIC, lang)
    occ_note = tables.source_label(provenance_of(row, "occupancy_source"), lang)
    if pd.notna(row.get("occupancy_as_of")):
        when = i18n.fmt_date(row["occupancy_as_of"], lang, row.get(precision_column("occupancy_as_of")))
        occ_note = f"{t('text.as_of', date=when)} · {occ_note}"
    stage = provenance_of(row, "stage_source")
    has_plots = bool(row.get("plots", 0))
    rows = [
        (t("popup.stage"), i18n.label("stage", row["stage"], lang),
         tables.source_label(stage, lang) if stage.kind != NO_SOURCE else ""),
        (t("popup.area"), i18n.fmt_area_ha(row["area_ha"], lang),
         tables.source_label(provenance_of(row, "area_source"), lang)),
        (t("popup.occupancy"), i18n.fmt_percent(row.get("occupancy_pct"), lang), occ_note),
        (t("popup.leased"), i18n.fmt_area_ha(row["leased_ha"], lang) if has_plots else i18n.MISSING, demo),
        (t("popup.available"), i18n.fmt_area_ha(row["available_ha"], lang) if has_plots else i18n.MISSING, demo),
        (t("popup.developer"), str(row["developer"]) if pd.notna(row.get("developer")) else i18n.MISSING, ""),
        (t("popup.distance_to_berth"), i18n.fmt_km(row.get("distance_to_berth_km"), lang), ""),
        (t("popup.distance_to_airport"), i18n.fmt_km(row.get("distance_to_airport_km"), lang), ""),
    ]
    return pd.DataFrame(rows, columns=[t("detail.figure"), t("detail.value"), t("detail.source")])


def plots_by_status(plots: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Plot count and area by status, in the legend's order."""
    def t(key: str) -> str:
        return i18n.t(key, lang)

    columns = [t("popup.status"), t("detail.plots"), t("popup.area")]
    if plots.empty:
        return pd.DataFrame(columns=columns)
    grouped = plots.groupby("status")["area_ha"].agg(["count", "sum"])
    rows = [(i18n.label("plot_status", status, lang), i18n.fmt_number(grouped.loc[status, "count"], lang, 0),
             i18n.fmt_area_ha(grouped.loc[status, "sum"], lang, 1))
            for status in i18n.LABEL_VALUES["plot_status"] if status in grouped.index]
    return pd.DataFrame(rows, columns=columns)
