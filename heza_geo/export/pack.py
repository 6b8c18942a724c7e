"""The investor pack: a shortlist of parks to take home, as a PDF and as one standalone HTML file.

:func:`pack_content` gathers what the pack says, in the investor's language, as plain data
(:class:`Pack`); :func:`pack_pdf` lays it out with the PDF sheet's planner
(:class:`heza_geo.export.pdf.Sheet`: text wrapped by its measured width, fonts embedded as TrueType)
and :func:`pack_html` writes the same content as one HTML file. The land finder's shortlist and
compare offer both (``heza_geo/ui/pack.py``); ``python -m heza_geo pack`` writes them from a script.

Decisions a reader must know
----------------------------
* **Contents.** A cover (title, the day it was made, the shortlisted parks, a map of them with the
  Lạch Huyện berths and Cát Bi airport, a note on how figures are marked), then one page (or more)
  per park, in the order given: its live-view QR code, its passport (land, utilities, planning: each
  group with its date and provenance badge; incentives; contacts), distances, land available and
  the sources and dates of all of it. The passport is :func:`heza_geo.analysis.passport.passport`,
  so the pack says what the park panel and compare say.
* **Nothing invented shows as official.** Every figure carries its badge as the app shows it; a figure
  not published reads "not published — ask HEZA", never 0; land available and the largest free area
  are added up from synthetic demo plots and say so; distances are straight lines from approximate
  outlines and carry the "approximate" badge; a park no source places has no distances and no map
  mark, and its page says so.
* **The date made** is the day (the day is what a reader needs to judge how fresh the figures are;
  a time of day would add nothing).
* **The cover map** is drawn by the static renderer's pieces (:mod:`heza_geo.export.static`: layers,
  park names, legend, north arrow, scale bar) on the offline land, framed on the shortlisted parks,
  the berths and the airport together (the export's own framing fits the parks alone). No tiles, no
  network.
* **The QR code and link** go to the map page with the park's panel open
  (:func:`heza_geo.links.map_link`) at ``base_url``: the ``public_url`` setting, the CLI's ``--url``,
  or the address the visitor's browser used. Without one, or with a loopback address (a phone or
  another computer cannot open ``127.0.0.1``), the pack has no QR and says to ask HEZA for the link
  (:func:`public_base`). The HTML shows the link as text, not as a hyperlink: the file makes no
  reference to any address outside itself, so it opens the same offline.
* **HTML.** One file: CSS inline, the cover map as a PNG data URI, QR codes as inline SVG, fonts from
  the reader's system by a CSS family list (the same families the PDF embeds, then generic ones).
  Every text is escaped (:func:`html.escape`): a park name is data, never markup.
* A park id the data does not have, more than :data:`MAX_PARKS` parks, none, or a language the app
  does not speak is refused with one line naming it and the allowed values (:class:`ExportError`).
"""

from __future__ import annotations

import base64
import html
import io
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import qrcode
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n
from heza_geo.analysis.compare import MAX_PARKS
from heza_geo.analysis.indicators import distance_km
from heza_geo.analysis.passport import Group, Passport, Row, passport
from heza_geo.analysis.selection import Selection, select
from heza_geo.analysis.sources import source_name
from heza_geo.config import LANGUAGES
from heza_geo.errors import ExportError
from heza_geo.export import pdf
from heza_geo.export.core import Size
from heza_geo.export.snapshot import Caption, attribution, layout
from heza_geo.export.static import MERCATOR, PT, TITLE_COLOUR, draw_map, font_families, fonts
from heza_geo.io import Dataset
from heza_geo.links import is_loopback, map_link
from heza_geo.maps.layers import placed
from heza_geo.maps.tour import qr_svg
from heza_geo.schema import APPROXIMATE, SYNTHETIC, UNPLACED
from heza_geo.view import Filters, MapView, park_name

__all__ = ["MAX_PARKS", "Line", "Pack", "ParkSheet", "check_request", "pack_content", "pack_html", "pack_pdf",
           "public_base"]

#: the layers of the cover map: the parks, the berths of the port, the airport and roads
COVER_LAYERS = ("parks", "berths", "connectivity")
#: the QR code's side on a park page (mm)
QR_MM = 32.0
#: the HTML's cover map, in pixels (a PNG data URI: about 300 kB)
HTML_MAP = Size("pack-html", 1600, 990, 192, None, 900)
_MARGIN_PX = 60
#: the strip at the map's left kept for the legend (CSS pixels), so it covers no park, berth or airport
LEGEND_PX = 300
#: a heading goes to the next page when less than this (mm) is left under it
KEEP_WITH_NEXT_MM = 30.0


@dataclass(frozen=True)
class Line:
    """A figure of a pack's section: label, value and where it comes from (badge, date, note)."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class ParkSheet:
    """What a park's page says: its names, whether it has a position, its passport, distances, land
    available, the sources and dates, and the live view's link (None: no public address known)."""

    park_id: str
    name: str
    other_name: str
    placed: bool
    passport: Passport
    distances: tuple[Line, ...]
    availability: tuple[Line, ...]
    sources: tuple[Line, ...]
    url: str | None


@dataclass(frozen=True)
class Pack:
    """A whole pack in one language: the cover's words, the parks' sheets and the cover map's frames."""

    lang: str
    title: str
    subtitle: str
    made: str
    truth_note: str
    map_caption: str
    parks: tuple[ParkSheet, ...]
    selection: Selection
    no_url: str
    made_on: date
    port: str
    airport: str


# --- the request ----------------------------------------------------------------------------------
def check_request(data: Dataset, park_ids: Sequence[str], lang: str) -> tuple[str, ...]:
    """The park ids to pack (duplicates dropped, order kept), or :class:`ExportError` with one line
    naming what is wrong and the allowed values."""
    if lang not in LANGUAGES:
        raise ExportError(f"unknown language '{lang}' (allowed: {', '.join(LANGUAGES)})")
    ids = tuple(dict.fromkeys(p.strip() for p in park_ids if p and p.strip()))
    known = list(data.parks["park_id"])
    unknown = [p for p in ids if p not in set(known)]
    if unknown:
        raise ExportError(f"unknown park id '{', '.join(unknown)}' (allowed: {', '.join(known)})")
    if not ids or len(ids) > MAX_PARKS:
        raise ExportError(f"{len(ids)} parks given: a pack holds 1 to {MAX_PARKS} parks")
    return ids


def public_base(url: str | None) -> str | None:
    """``url`` as the base of the pack's links: scheme and host kept, trailing slash dropped; None
    where none is given. A loopback address opens nothing on another device: :class:`ExportError`.

    >>> public_base("https://gis.heza.gov.vn/"), public_base(None)
    ('https://gis.heza.gov.vn', None)
    """
    if url is None or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExportError(f"--url {url}: give the app's public address, e.g. https://gis.heza.gov.vn")
    if is_loopback(parts.hostname):
        raise ExportError(f"--url {url}: this machine's own address opens nothing on another device; "
                          "give the app's public address")
    return url.strip().rstrip("/")


# --- the content ----------------------------------------------------------------------------------
def _distances(row: pd.Series, is_placed: bool, expressway_km: float, lang: str) -> tuple[Line, ...]:
    t = i18n.translator(lang)
    if not is_placed:
        missing = i18n.t("passport.not_published", lang)
        return tuple(Line(t(key), missing) for key in ("popup.distance_to_berth", "popup.distance_to_airport",
                                                      "pack.distance.expressway"))
    note = f"{t.badge(APPROXIMATE)} · {t('pack.distance_note')}"
    values = (row.get("distance_to_berth_km"), row.get("distance_to_airport_km"), expressway_km)
    return tuple(Line(t(key), t.km(km) if pd.notna(km) else i18n.t("passport.not_published", lang),
                      note if pd.notna(km) else "")
                 for key, km in zip(("popup.distance_to_berth", "popup.distance_to_airport",
                                     "pack.distance.expressway"), values, strict=True))


def _availability(row: pd.Series, sheet: Passport, lang: str) -> tuple[Line, ...]:
    t = i18n.translator(lang)
    demo = t.badge(SYNTHETIC)
    land_rows = {r.key: r for r in sheet.group("land").rows}  # none where the land group is not published
    largest = land_rows.get("largest_free") or Row("largest_free", t("passport.row.largest_free"),
                                                  i18n.t("passport.not_published", lang), published=False)
    if row.get("plots", 0) and pd.notna(row.get("plots")):
        land = (Line(t("popup.available"), t.area_ha(row["available_ha"]), demo),
                Line(t("popup.leased"), t.area_ha(row["leased_ha"]), demo))
    else:  # no plots: nothing is known of its land
        missing = i18n.t("passport.not_published", lang)
        land = (Line(t("popup.available"), missing), Line(t("popup.leased"), missing))
    return (*land, Line(largest.label, largest.value, largest.badge if largest.published else ""))


def _sources(sheet: Passport, lang: str) -> tuple[Line, ...]:
    """Each group's source by name, with its date and badge; then each contact's; then the computed ones."""
    t = i18n.translator(lang)
    lines = []
    for group in sheet.groups:
        if group.key == "contacts":
            lines += [Line(f"{group.title}: {c.organisation}", source_name(c.provenance, lang) if c.provenance.ref
                           else "", " · ".join(x for x in (c.as_of, c.badge) if x)) for c in group.contacts]
        elif group.as_of or group.badge:
            named = source_name(group.provenance, lang) if group.provenance.ref else ""
            lines.append(Line(group.title, named, " · ".join(x for x in (group.as_of, group.badge) if x)))
    lines.append(Line(t("pack.section.distances"), t("pack.distance_note"), t.badge(APPROXIMATE)))
    lines.append(Line(t("pack.section.availability"), "", t.badge(SYNTHETIC)))
    return tuple(lines)


def _gateway(data: Dataset, lang: str) -> tuple[str, str]:
    """The port's and the airport's names as the connectivity layer gives them ("" where absent)."""
    conn = data.connectivity
    airports = conn[conn["kind"] == "airport"]
    airport = park_name(airports.iloc[0], lang) if len(airports) else ""
    ports = conn[conn["kind"] == "port"]
    port = ""
    if len(ports) and not data.berths.empty:
        near = ports.assign(km=distance_km(ports, data.berths).to_numpy()).sort_values("km")
        port = park_name(near.iloc[0], lang)
    return port or i18n.t("layer.berths", lang), airport or i18n.label("connectivity_kind", "airport", lang)


def pack_content(data: Dataset, park_ids: Sequence[str], lang: str, today: date | None = None,
                 base_url: str | None = None) -> Pack:
    """What the pack of ``park_ids`` says in ``lang``: the cover's words and each park's sheet.

    ``today`` dates the pack and counts the years left on a land-use term (default: the system's
    date); ``base_url`` is the app's public address (:func:`public_base`; None: no QR)."""
    ids = check_request(data, park_ids, lang)
    base = public_base(base_url)
    today = today or date.today()
    t = i18n.translator(lang)
    view = MapView(lang=lang, layers=COVER_LAYERS, colour_by="stage", basemap="offline")
    selection = select(data, Filters(parks=ids), view)
    expressways = data.connectivity[data.connectivity["kind"] == "expressway"]
    express = distance_km(selection.parks, expressways)
    express.index = selection.parks["park_id"]
    sheets = []
    for park_id in ids:
        row = selection.parks[selection.parks["park_id"] == park_id].iloc[0]
        sheet = passport(data, park_id, lang, today)
        geometry = row.geometry
        is_placed = geometry is not None and not geometry.is_empty
        sheets.append(ParkSheet(
            park_id=park_id, name=park_name(row, lang), other_name=i18n.other_name(row, lang),
            placed=is_placed, passport=sheet,
            distances=_distances(row, is_placed, float(express.get(park_id, np.nan)), lang),
            availability=_availability(row, sheet, lang),
            sources=_sources(sheet, lang),
            url=map_link(base, lang, park_id) if base else None,
        ))
    port, airport = _gateway(data, lang)
    return Pack(lang=lang, title=t("pack.title"), subtitle=t("pack.subtitle"),
                made=t("pack.made", date=t.date(today)), truth_note=t("pack.truth_note"),
                map_caption=t("pack.map_caption", port=port, airport=airport), parks=tuple(sheets),
                selection=selection, no_url=t("pack.no_url"), made_on=today, port=port, airport=airport)


# --- the cover map --------------------------------------------------------------------------------
def _cover_window(selection: Selection, width_px: float, height_px: float) -> tuple[float, float, float, float]:
    """The Web Mercator window holding the shortlisted parks, the berths and the airport, with a margin."""
    shapes = [placed(selection.parks).to_crs(MERCATOR).geometry]
    if not selection.berths.empty:
        shapes.append(selection.berths.to_crs(MERCATOR).geometry)
    airports = selection.connectivity[selection.connectivity["kind"] == "airport"]
    if not airports.empty:
        shapes.append(airports.to_crs(MERCATOR).geometry)
    geoms = [g for series in shapes for g in series if g is not None and not g.is_empty]
    minx, miny, maxx, maxy = shapely.GeometryCollection(geoms).bounds if geoms else (0.0, 0.0, 1.0, 1.0)
    span_x, span_y = max(maxx - minx, 4000.0), max(maxy - miny, 4000.0)
    inner_w = max(width_px - LEGEND_PX - 2 * _MARGIN_PX, 1)
    res = max(span_x / inner_w, span_y / max(height_px - 2 * _MARGIN_PX, 1))
    left = (minx + maxx) / 2 - (inner_w / 2 + _MARGIN_PX + LEGEND_PX) * res  # the legend's strip stays clear
    cy = (miny + maxy) / 2
    return left, cy - height_px * res / 2, left + width_px * res, cy + height_px * res / 2


def _name_gateways(ax: object, selection: Selection, port: str, airport: str) -> None:
    """The port's name beside its berths and the airport's beside its mark."""
    # (point, text, offset in points, alignment): the port's name left of its berths, the airport's under it
    places: list[tuple[BaseGeometry, str, tuple[float, float], str]] = []
    if not selection.berths.empty:
        berths = selection.berths.to_crs(MERCATOR).geometry
        centre = berths.union_all().centroid
        places.append((shapely.Point(berths.total_bounds[0], centre.y), port, (-14 * PT, 0.0), "right"))
    airports = selection.connectivity[selection.connectivity["kind"] == "airport"]
    if not airports.empty:
        places.append((airports.to_crs(MERCATOR).geometry.iloc[0], airport, (0.0, -20 * PT), "center"))
    for point, text, offset, align in places:
        ax.annotate(text, (point.x, point.y), xytext=offset, textcoords="offset points",  # type: ignore[attr-defined]  # an Axes
                    fontsize=11 * PT, fontstyle="italic", fontweight="bold", color="#0b3d63", ha=align, va="center",
                    zorder=11, annotation_clip=True,
                    path_effects=[withStroke(linewidth=3 * PT, foreground="white")])


def cover_map(content: Pack, size: Size, out: Path | io.BytesIO) -> None:
    """Draw the cover map of ``content`` as a PNG of ``size`` pixels into ``out``."""
    selection, lang = content.selection, content.lang
    css_w, css_h, scale = layout(size)
    with fonts(lang):
        fig = Figure(figsize=(css_w / 96, css_h / 96), dpi=96 * scale, facecolor="white")
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        window = _cover_window(selection, css_w, css_h)
        caption = Caption(title="", subtitle="", date="", sources="", north=i18n.t("export.north", lang),
                          attribution=i18n.t("export.basemap", lang, attribution=attribution(selection.view)))
        draw_map(ax, selection, caption, css_w, css_h, i18n.t("legend.title", lang), window=window)
        _name_gateways(ax, selection, content.port, content.airport)
        fig.savefig(out, format="png", dpi=fig.dpi, facecolor="white")


# --- the PDF --------------------------------------------------------------------------------------
def qr_matrix(text: str) -> np.ndarray:
    """The QR code of ``text`` as a boolean array (True: a dark module), with a two-module margin."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def _qr_block(sheet: pdf.Sheet, url: str | None, lang: str, no_url: str) -> None:
    """The live view: the QR code at the left, what it opens and the link at the right."""
    t = i18n.translator(lang)
    left = pdf.MARGIN_MM + QR_MM + 4
    width = sheet.content_width - QR_MM - 4
    def wrapped(text: str, size: float, colour: str) -> list[tuple[str, float, bool, str]]:
        return [(line, size, False, colour) for line in sheet.cell_lines(text, width + pdf.CELL_PAD_MM, size, False)]

    lines = [(t("pack.live_view"), 9.0, True, TITLE_COLOUR)]
    if url:
        lines += wrapped(url, 8.0, "#1b1b1b") + wrapped(t("pack.scan"), 7.5, "#333333")
    else:
        lines += wrapped(no_url, 8.0, "#7f1d1d")
    height = max(QR_MM if url else 0, sum(size * pdf.MM_PER_PT * 1.35 for _, size, _, _ in lines)) + 3

    def draw(fig: Figure, top: float) -> None:
        if url:
            ax = fig.add_axes((pdf.MARGIN_MM / sheet.width, 1 - (top + QR_MM) / sheet.height,
                               QR_MM / sheet.width, QR_MM / sheet.height))
            ax.imshow(~qr_matrix(url), cmap="gray", interpolation="nearest", vmin=0, vmax=1)
            ax.set_axis_off()
        y = top + 1 if url else top
        x = left if url else pdf.MARGIN_MM
        for text, size, bold, colour in lines:
            fig.text(x / sheet.width, 1 - y / sheet.height, text, fontsize=size, color=colour, ha="left", va="top",
                     fontweight="bold" if bold else "normal")
            y += size * pdf.MM_PER_PT * 1.35
    sheet.add(height, draw)


def _heading(sheet: pdf.Sheet, text: str) -> None:
    """A section's heading, on the next page where its first lines would not fit under it."""
    if sheet.room() < KEEP_WITH_NEXT_MM:
        sheet.new_page()
    sheet.text(text, 10.5, bold=True, colour=TITLE_COLOUR, gap=0.3)


def _group_block(sheet: pdf.Sheet, group: Group, lang: str) -> None:
    t = i18n.translator(lang)
    _heading(sheet, group.title)
    source = " · ".join(x for x in (group.as_of, group.badge) if x)
    if source:
        sheet.text(source, 7, colour="#555555", gap=0.8)
    if group.empty:
        sheet.text(group.empty, 8.5, colour="#7f1d1d", gap=2)
        return
    if group.contacts:
        for contact in group.contacts:
            sheet.text(f"{contact.role}: {contact.organisation}", 8.5, bold=True, gap=0.3)
            for label, value in contact.details:
                sheet.text(f"{label}: {value}", 8, gap=0.2)
            note = " · ".join(x for x in (contact.as_of, contact.badge) if x)
            if note:
                sheet.text(note, 7, colour="#7f1d1d" if contact.provenance.kind == SYNTHETIC else "#555555", gap=1.5)
        return
    if group.key == "incentives":
        for row in group.rows:
            sheet.text(row.label, 8.5, bold=True, gap=0.3)
            sheet.text(row.value, 8, gap=2)
        return
    _lines_table(sheet, [Line(r.label, r.value, r.badge if r.badge and r.badge != group.badge else "")
                         for r in group.rows], t)


def _lines_table(sheet: pdf.Sheet, lines: Sequence[Line], t: i18n.Translator) -> None:
    frame = pd.DataFrame([(line.label, line.value, line.note) for line in lines],
                         columns=[t("detail.figure"), t("detail.value"), t("detail.source")])
    sheet.table(frame, [0.34, 0.3, 0.36], numeric=set(), size_pt=8)


def shortlist_line(park: ParkSheet, lang: str) -> str:
    """"Dinh Vu IP — KCN Đình Vũ" as the cover lists it; for a park with no position, that it has none."""
    line = park.name + (f" — {park.other_name}" if park.other_name else "")
    return line if park.placed else f"{line} ({i18n.label('geometry_quality', UNPLACED, lang)})"


def plan_pdf(content: Pack, cover_png: Path, cover_size: Size) -> pdf.Sheet:
    """Lay the pack out on A4 pages: the cover, then each park from a new page."""
    lang = content.lang
    t = i18n.translator(lang)
    sheet = pdf.Sheet("a4", lang=lang)
    sheet.text(content.title, 20, bold=True, colour=TITLE_COLOUR, gap=0.5)
    sheet.text(content.subtitle, 10, gap=0.5)
    sheet.text(content.made, 8.5, colour="#555555", gap=0.5)
    sheet.rule()
    sheet.image(cover_png, cover_size)
    sheet.text(content.map_caption, 7, colour="#555555", gap=3)
    sheet.text(t("pack.shortlist"), 12, bold=True, colour=TITLE_COLOUR, gap=0.8)
    for number, park in enumerate(content.parks, start=1):
        sheet.text(f"{number}. {shortlist_line(park, lang)}", 9.5, gap=0.6)
    sheet.cursor += 3
    sheet.text(content.truth_note, 7.5, colour="#7f1d1d", gap=1)
    for park in content.parks:
        sheet.new_page()
        sheet.text(park.name, 16, bold=True, colour=TITLE_COLOUR, gap=0.3)
        if park.other_name:
            sheet.text(park.other_name, 9, colour="#555555", gap=0.3)
        sheet.text(content.made, 7.5, colour="#555555", gap=0.3)
        sheet.rule()
        _qr_block(sheet, park.url, lang, content.no_url)
        if not park.placed:
            sheet.text(t("pack.no_position"), 8.5, bold=True, colour="#7f1d1d", gap=2)
        for group in park.passport.groups:
            _group_block(sheet, group, lang)
            if group.key == "planning":  # the park's place and land before the incentives and contacts
                _heading(sheet, t("pack.section.distances"))
                _lines_table(sheet, park.distances, t)
                _heading(sheet, t("pack.section.availability"))
                _lines_table(sheet, park.availability, t)
        _heading(sheet, t("pack.section.sources"))
        for line in park.sources:
            sheet.text("• " + " — ".join(x for x in (line.label, line.value, line.note) if x), 7, gap=0.3)
    return sheet


def pack_pdf(data: Dataset, park_ids: Sequence[str], lang: str, out: Path | None = None, *,
             today: date | None = None, base_url: str | None = None) -> bytes:
    """The investor pack of ``park_ids`` in ``lang`` as PDF bytes, also written to ``out`` if given.

    Raises :class:`ExportError` for an unknown park or language, or a loopback ``base_url``."""
    content = pack_content(data, park_ids, lang, today, base_url)
    size = pdf.snapshot_size("a4")
    with tempfile.TemporaryDirectory(prefix="heza-pack-") as work:
        cover = Path(work) / "cover.png"
        cover_map(content, size, cover)
        sheet = plan_pdf(content, cover, size)
        target = Path(work) / "pack.pdf"
        pdf.write(sheet, target, f"{content.title} — HEZA", content.made_on)
        payload = target.read_bytes()
    if out is not None:
        Path(out).write_bytes(payload)
    return payload


# --- the HTML -------------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _inline_svg(svg: str) -> str:
    """An SVG document as an element to put inside HTML (its XML declaration dropped)."""
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)


def _css(lang: str) -> str:
    families = ", ".join(f'"{f}"' for f in font_families(lang))
    return f"""
body {{ font-family: {families}, system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 60rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }}
h1, h2, h3 {{ color: {TITLE_COLOUR}; margin-bottom: .3rem; }}
h1 {{ font-size: 2rem; }} h2 {{ font-size: 1.5rem; }} h3 {{ font-size: 1.1rem; margin-top: 1.2rem; }}
.muted {{ color: #555; font-size: .9rem; margin: .2rem 0; }}
.warn {{ color: #7f1d1d; }}
figure {{ margin: 1rem 0; }} figure img {{ width: 100%; height: auto; border: 1px solid #999; }}
figcaption {{ color: #555; font-size: .85rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .92rem; table-layout: fixed; }}
th:nth-child(1) {{ width: 34%; }} th:nth-child(2) {{ width: 30%; }}
th, td {{ text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e3e3e3; }}
th {{ background: #dfe8f1; }} td.note {{ color: #555; font-size: .85rem; }}
.live {{ display: flex; gap: 1rem; align-items: flex-start; margin: 1rem 0; }}
.live svg {{ width: 8rem; height: 8rem; flex: none; }}
.url {{ font-family: ui-monospace, monospace; word-break: break-all; }}
.park {{ border-top: 3px solid {TITLE_COLOUR}; margin-top: 2.5rem; padding-top: 1rem; }}
@media print {{ .park {{ break-before: page; border-top: none; }} }}
"""


def _html_lines(lines: Sequence[Line], t: i18n.Translator) -> str:
    head = "".join(f"<th>{_e(t(k))}</th>" for k in ("detail.figure", "detail.value", "detail.source"))
    body = "".join(f"<tr><td>{_e(x.label)}</td><td>{_e(x.value)}</td><td class=\"note\">{_e(x.note)}</td></tr>"
                   for x in lines)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_group(group: Group, t: i18n.Translator) -> str:
    parts = [f"<h3>{_e(group.title)}</h3>"]
    source = " · ".join(x for x in (group.as_of, group.badge) if x)
    if source:
        parts.append(f'<p class="muted">{_e(source)}</p>')
    if group.empty:
        parts.append(f'<p class="warn">{_e(group.empty)}</p>')
    elif group.contacts:
        for c in group.contacts:
            details = "".join(f"<li>{_e(label)}: {_e(value)}</li>" for label, value in c.details)
            note = " · ".join(x for x in (c.as_of, c.badge) if x)
            css = "muted warn" if c.provenance.kind == SYNTHETIC else "muted"
            parts.append(f"<p><strong>{_e(c.role)}: {_e(c.organisation)}</strong></p><ul>{details}</ul>"
                         f'<p class="{css}">{_e(note)}</p>')
    elif group.key == "incentives":
        parts += [f"<p><strong>{_e(r.label)}</strong></p><p>{_e(r.value)}</p>" for r in group.rows]
    else:
        parts.append(_html_lines([Line(r.label, r.value, r.badge if r.badge and r.badge != group.badge else "")
                                  for r in group.rows], t))
    return "".join(parts)


def _html_park(park: ParkSheet, content: Pack, t: i18n.Translator) -> str:
    parts = [f'<section class="park" id="park-{_e(park.park_id)}"><h2>{_e(park.name)}</h2>']
    if park.other_name:
        parts.append(f'<p class="muted">{_e(park.other_name)}</p>')
    if park.url:
        parts.append(f'<div class="live" role="img" aria-label="{_e(t("pack.live_view"))}: {_e(park.url)}">'
                     f"{_inline_svg(qr_svg(park.url))}<div><strong>{_e(t('pack.live_view'))}</strong>"
                     f'<p class="url">{_e(park.url)}</p><p class="muted">{_e(t("pack.scan"))}</p></div></div>')
    else:
        parts.append(f'<p class="warn">{_e(content.no_url)}</p>')
    if not park.placed:
        parts.append(f'<p class="warn"><strong>{_e(t("pack.no_position"))}</strong></p>')
    for group in park.passport.groups:
        parts.append(_html_group(group, t))
        if group.key == "planning":
            parts.append(f"<h3>{_e(t('pack.section.distances'))}</h3>{_html_lines(park.distances, t)}")
            parts.append(f"<h3>{_e(t('pack.section.availability'))}</h3>{_html_lines(park.availability, t)}")
    items = "".join("<li>" + _e(" — ".join(x for x in (line.label, line.value, line.note) if x)) + "</li>"
                    for line in park.sources)
    parts.append(f"<h3>{_e(t('pack.section.sources'))}</h3><ul class=\"muted\">{items}</ul></section>")
    return "".join(parts)


def render_html(content: Pack, cover_png: bytes) -> str:
    """The pack as one HTML document that needs nothing outside itself."""
    t = i18n.translator(content.lang)
    image = "data:image/png;base64," + base64.b64encode(cover_png).decode("ascii")
    shortlist = "".join(f"<li>{_e(shortlist_line(p, content.lang))}</li>" for p in content.parks)
    parks = "".join(_html_park(p, content, t) for p in content.parks)
    return (f'<!DOCTYPE html>\n<html lang="{_e(content.lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(content.title)} — HEZA</title><style>{_css(content.lang)}</style></head><body>"
            f'<section class="cover"><h1>{_e(content.title)}</h1><p>{_e(content.subtitle)}</p>'
            f'<p class="muted">{_e(content.made)}</p>'
            f'<figure><img src="{image}" alt="{_e(content.map_caption)}"><figcaption>{_e(content.map_caption)}'
            f"</figcaption></figure><h2>{_e(t('pack.shortlist'))}</h2><ol>{shortlist}</ol>"
            f'<p class="warn">{_e(content.truth_note)}</p></section>{parks}</body></html>\n')


def pack_html(data: Dataset, park_ids: Sequence[str], lang: str, out: Path | None = None, *,
              today: date | None = None, base_url: str | None = None) -> str:
    """The investor pack of ``park_ids`` in ``lang`` as one standalone HTML document, also written
    to ``out`` (UTF-8) if given. Raises as :func:`pack_pdf`."""
    content = pack_content(data, park_ids, lang, today, base_url)
    buffer = io.BytesIO()
    cover_map(content, HTML_MAP, buffer)
    text = render_html(content, buffer.getvalue())
    if out is not None:
        Path(out).write_text(text, encoding="utf-8")
    return text
