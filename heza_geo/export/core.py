"""The vocabulary of exports: formats, sizes, options, progress, the result and the error."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from heza_geo.errors import ExportError

log = logging.getLogger("heza_geo.export")

SNAPSHOT_FORMATS = ("png", "pdf", "html")
DATA_FORMATS = ("csv", "xlsx", "geojson", "gpkg")
FORMATS = SNAPSHOT_FORMATS + DATA_FORMATS

#: What a file of each format is, for a download button.
MEDIA_TYPES = {
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}

#: ``progress(fraction 0–1, message)``; messages are in the export's language.
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Size:
    """A snapshot's size in pixels; ``sheet`` names the paper it prints on at ``dpi``."""

    name: str
    width: int
    height: int
    dpi: int = 96
    sheet: str | None = None
    #: CSS width the map is laid out at (labels keep their on-screen size relative to it)
    css_width: int = 1440

    @property
    def label(self) -> str:
        return f"{self.name} ({self.width}×{self.height} px)" if self.sheet else f"{self.width}×{self.height} px"


#: landscape sheets at 300 dpi: A4 297×210 mm, A3 420×297 mm
SIZES: dict[str, Size] = {
    "1920x1080": Size("1920x1080", 1920, 1080, 96),
    "a4": Size("A4", 3508, 2480, 300, "a4"),
    "a3": Size("A3", 4961, 3508, 300, "a3"),
}
#: paper sizes in millimetres (portrait), for the PDF sheet
SHEETS_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}
MAX_PIXELS = 8000


def parse_size(text: str) -> Size:
    """``"1920x1080"``, ``"a4"``, ``"A3"`` or any ``"WxH"`` up to 8000 px a side."""
    key = text.strip().lower().replace("×", "x")
    if key in SIZES:
        return SIZES[key]
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", key)
    if not match:
        raise ExportError(f"size {text!r}: use 1920x1080, a4, a3 or WIDTHxHEIGHT in pixels")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= MAX_PIXELS and 200 <= height <= MAX_PIXELS):
        raise ExportError(f"size {text!r}: each side must be 200–{MAX_PIXELS} px")
    return Size(f"{width}x{height}", width, height)


@dataclass(frozen=True)
class ExportOptions:
    """How to export. ``renderer`` is ``"auto"`` (headless Chromium, else static), ``"browser"`` or
    ``"static"``; the environment variable ``HEZA_EXPORT_RENDERER=static`` forces the static one.
    Confidential columns (``schema.Column.confidential``) are left out unless
    ``include_confidential`` is set by a caller that has checked the user may see them."""

    size: Size = SIZES["1920x1080"]
    sheet: str = "a4"
    atlas: bool = False
    include_confidential: bool = False
    renderer: str = "auto"

    def __post_init__(self) -> None:
        if self.sheet not in SHEETS_MM:
            raise ExportError(f"sheet must be one of {', '.join(SHEETS_MM)}, got {self.sheet!r}")
        if self.renderer not in ("auto", "browser", "static"):
            raise ExportError(f"renderer must be auto, browser or static, got {self.renderer!r}")


@dataclass
class ExportResult:
    """The file written, its media type, which renderer drew its maps and what a user should know.

    ``renderer`` is ``"browser"`` or ``"static"`` for a snapshot, ``None`` for data and HTML.
    ``fallback_reason`` says why the browser did not draw when it was meant to (``"auto"``) and
    the static renderer took over; it is server-side detail (a path, an exception) for the log and
    the command line, which a page does not show a visitor: the page says in the visitor's own
    language that the built-in renderer drew the map. ``warnings`` are other notes for the user.
    """

    path: Path
    media_type: str
    renderer: str | None = None
    warnings: list[str] = field(default_factory=list)
    fallback_reason: str | None = None


def report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)


def fit_exact(path: Path, size: Size) -> None:
    """Make the image exactly ``size`` (a device scale factor can round a pixel off) and record its dpi."""
    with Image.open(path) as opened:
        opened.load()
        image: Image.Image = opened
        if image.size != (size.width, size.height):
            image = image.resize((size.width, size.height), Image.Resampling.LANCZOS)
        image.convert("RGB").save(path, format="PNG", dpi=(size.dpi, size.dpi))
