"""``python -m heza_geo export``: the Export page's files from a script (e.g. the monthly report).

    python -m heza_geo export --format pdf --out report.pdf --district "Hải An" --lang en --atlas
    python -m heza_geo export --format xlsx --out parks.xlsx --layers parks,plots --stage full

Filters take the values the app's URL takes (region and district names, park ids, stage/status/sector ids);
each may be repeated or comma-separated. A bad argument exits 2 and a failed export 1, each with
one line on stderr naming the reason; success prints the file written.

The data is what the app shows (:func:`dataset`): the store's public dataset when a store is
configured (``store_path``/``database_url``), so staff edits made in the app are in the report;
else the configured data directory. ``--data DIR`` reads that directory instead, whatever is
configured. Confidential columns are dropped either way, as in the app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heza_geo import i18n
from heza_geo.analysis.selection import check_filters
from heza_geo.config import LANGUAGES, Settings, load_settings
from heza_geo.errors import ExportError, HezaError, StoreError
from heza_geo.export.core import FORMATS, SHEETS_MM, ExportOptions, parse_size
from heza_geo.io import Dataset, load_dataset
from heza_geo.schema import PARK_STAGE, PLOT_STATUS, PROVINCE_BEFORE_2025, SECTORS
from heza_geo.store import is_configured, open_store
from heza_geo.store.auth import public_dataset
from heza_geo.view import BASEMAPS, COLOUR_BY, LAYER_NAMES, Filters, MapView


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=FORMATS, help="file format")
    parser.add_argument("--out", required=True, type=Path, help="file to write (replaced if it exists)")
    parser.add_argument("--data", type=Path, help="read this data directory (default: what the app reads: the "
                        "configured store, else the configured data directory)")
    filters = parser.add_argument_group("filters (as on the map page; repeat or comma-separate values)")
    filters.add_argument("--region", action="append", default=[],
                         help=f"province before 2025 (the city's east, west): {', '.join(PROVINCE_BEFORE_2025)}")
    filters.add_argument("--park", action="append", default=[], metavar="ID", help="park id, e.g. dinh-vu")
    filters.add_argument("--district", action="append", default=[], help='district, e.g. "Hải An"')
    filters.add_argument("--zone", action="append", default=[], metavar="ID", help="economic zone id")
    filters.add_argument("--stage", action="append", default=[], help=f"park stage: {', '.join(PARK_STAGE)}")
    filters.add_argument("--status", action="append", default=[], help=f"plot status: {', '.join(PLOT_STATUS)}")
    filters.add_argument("--sector", action="append", default=[], help=f"plot sector: {', '.join(SECTORS)}")
    filters.add_argument("--min-available-ha", type=float, default=0.0, metavar="HA",
                         help="parks with at least this much available land")
    view = parser.add_argument_group("view")
    view.add_argument("--lang", choices=LANGUAGES, help="language of the file (default: the configured one)")
    view.add_argument("--layers", help=f"comma-separated layers (default: all): {', '.join(LAYER_NAMES)}")
    view.add_argument("--colour-by", choices=COLOUR_BY, default="occupancy", help="what the parks' colour shows")
    view.add_argument("--basemap", choices=BASEMAPS, default="auto",
                      help="auto = the offline basemap; an online one falls back to it when tiles fail")
    snap = parser.add_argument_group("snapshots (png, pdf)")
    snap.add_argument("--size", help="png: 1920x1080 (default), a4, a3 or WIDTHxHEIGHT; pdf: a4 (default) or a3")
    snap.add_argument("--atlas", action="store_true", help="pdf: add one page per park")
    snap.add_argument("--title", help="title on the map (default: the app's title)")
    snap.add_argument("--renderer", choices=("auto", "browser", "static"), default="auto",
                      help="auto: headless Chromium when installed, else the static renderer")


def _values(items: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in items for v in item.split(",") if v.strip())


def _options(args: argparse.Namespace) -> ExportOptions:
    size_text = args.size or ("a4" if args.format == "pdf" else "1920x1080")
    if args.format == "pdf":
        sheet = size_text.strip().lower()
        if sheet not in SHEETS_MM:
            raise ExportError(f"--size {size_text}: a PDF sheet is {' or '.join(SHEETS_MM)}")
        return ExportOptions(sheet=sheet, atlas=args.atlas, renderer=args.renderer)
    if args.atlas:
        raise ExportError("--atlas is for --format pdf")
    return ExportOptions(size=parse_size(size_text), renderer=args.renderer)


def dataset(settings: Settings, data_dir: Path | None = None) -> Dataset:
    """What the app shows (``heza_geo/ui/common.py``): ``data_dir`` if given; else the store's public
    dataset when a store is configured; else the configured data directory, confidential
    columns dropped. Raises :class:`StoreError` when the store cannot be read."""
    if data_dir is None and is_configured(settings):
        return open_store(settings).read_dataset(public=True)
    return public_dataset(load_dataset(data_dir or settings.data_dir))


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        filters = Filters(
            zones=_values(args.zone), districts=_values(args.district), parks=_values(args.park),
            stages=_values(args.stage), plot_statuses=_values(args.status), sectors=_values(args.sector),
            min_available_ha=args.min_available_ha, regions=_values(args.region),
        )
        layers = LAYER_NAMES if args.layers is None else _values([args.layers])
        view = MapView(lang=args.lang or settings.default_language, layers=layers, colour_by=args.colour_by,
                       basemap=args.basemap)
        options = _options(args)
    except (ValueError, HezaError) as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 2
    from heza_geo.export.api import export

    try:
        data = dataset(settings, args.data)
    except StoreError as exc:
        print(f"export: store: {exc}", file=sys.stderr)
        return 2
    if problems := check_filters(data, filters):
        print(f"export: {'; '.join(problems)}", file=sys.stderr)
        return 2
    try:
        result = export(data, filters, view, args.format, args.out, options, title=args.title)
    except ExportError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    if result.fallback_reason:  # staff at a terminal may read the reason (a path, an exception)
        warning = i18n.t("export.msg.static_fallback", view.lang, reason=result.fallback_reason)
        print(f"export: warning: {warning}", file=sys.stderr)
    for warning in result.warnings:
        print(f"export: warning: {warning}", file=sys.stderr)
    renderer = f", drawn by the {result.renderer} renderer" if result.renderer else ""
    print(f"wrote {result.path} ({result.path.stat().st_size:,} bytes{renderer})")
    return 0
