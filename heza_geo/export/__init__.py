"""Exports of what the map shows: snapshots (PNG, PDF, standalone HTML) and data (CSV, XLSX,
GeoJSON, GeoPackage), for the Export page and ``python -m heza_geo export``.

Modules, one concept each: ``core`` (formats, sizes, options, errors), ``tables`` (the frames an
export writes, sources, the indicator table), ``data`` (data file writers), ``snapshot`` (the
framed folium map), ``browser`` (headless Chromium screenshots), ``static`` (matplotlib renderer,
no browser needed), ``pdf`` (the A4/A3 sheet and park atlas), ``api`` (:func:`export`).

Example::

    from heza_geo.export import ExportOptions, export, parse_size
    export(data, Filters(districts=("Hải An",)), MapView(lang="en"), "png", "map.png",
           ExportOptions(size=parse_size("a4")))
"""

from heza_geo.export.api import default_filename, export, renderer_mode
from heza_geo.export.core import (
    DATA_FORMATS,
    FORMATS,
    MEDIA_TYPES,
    SIZES,
    SNAPSHOT_FORMATS,
    ExportError,
    ExportOptions,
    ExportResult,
    Progress,
    Size,
    parse_size,
)

__all__ = [
    "DATA_FORMATS",
    "FORMATS",
    "MEDIA_TYPES",
    "SIZES",
    "SNAPSHOT_FORMATS",
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "Progress",
    "Size",
    "default_filename",
    "export",
    "parse_size",
    "renderer_mode",
]
