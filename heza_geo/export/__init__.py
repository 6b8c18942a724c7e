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

from __future__ import annotations

from typing import Any

from heza_geo.errors import ExportError
from heza_geo.export.core import (
    DATA_FORMATS,
    FORMATS,
    MEDIA_TYPES,
    SIZES,
    SNAPSHOT_FORMATS,
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


def __getattr__(name: str) -> Any:
    """``export``, ``default_filename`` and ``renderer_mode`` load the renderers (matplotlib,
    folium) on first use, so ``python -m heza_geo validate`` stays quick."""
    if name in ("export", "default_filename", "renderer_mode"):
        from heza_geo.export import api

        return getattr(api, name)
    raise AttributeError(f"module 'heza_geo.export' has no attribute {name!r}")
