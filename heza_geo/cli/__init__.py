"""Command line: ``python -m heza_geo validate [DIR_OR_FILE]`` and friends.

One module per command that needs more than a few lines: ``data`` (import, user), ``export``,
``pack`` (the investor pack), ``run``, ``serve`` (several processes behind nginx), ``bench``,
``sync`` (an offline laptop's enquiries to the shared store); this package holds the parser,
``validate`` and :func:`main`.

Each command prints what a person needs on one screen and exits non-zero on bad input, with one
line per problem and no traceback.

``validate FILE`` checks a file of a format the importer reads by the importer's own rules
(:func:`heza_geo.io.importers.prepare_import` without a store: columns matched as the import matches
them, kinds derived from source texts, the same coordinate checks), so a file that validates imports,
short of the checks against the store's records; a bare ``.shp`` or ``.fgb`` is read as a data
directory's layer. A directory is loaded as the app loads it.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from heza_geo.cli import data as datacli
from heza_geo.config import load_settings
from heza_geo.errors import ConfigError, DataError, HezaError
from heza_geo.io import Dataset, find_sources, load_dataset, load_layer
from heza_geo.io.importers import FORMATS, prepare_import
from heza_geo.io.safefiles import Limits
from heza_geo.schema import LAYERS, NO_SOURCE, PROVENANCE_KINDS, provenances

__all__ = ["COMMANDS", "main", "summary", "validate"]

Command = Callable[[argparse.Namespace], int]


def summary(data: Dataset) -> str:
    lines = [f"data directory: {data.data_dir}  (version {data.version})"]
    for name in LAYERS:
        frame = data.layer(name)
        where = data.sources.get(name)
        lines.append(f"  {name:<22} {len(frame):>6} {'rows' if LAYERS[name].is_table else 'features'}"
                     f"  {where if where else '(not provided)'}")
    parks = data.parks
    established = parks[parks["status"] == "established"]
    regions = parks["province_before_2025"].value_counts()
    unplaced = int(parks.geometry.isna().sum() + parks.geometry.is_empty.sum()) if len(parks) else 0
    lines.append(f"parks: {len(parks)} in {len(regions)} region(s) by province before 2025 ("
                 + ", ".join(f"{region} {n}" for region, n in regions.items())
                 + f"); {unplaced} with no position yet")
    lines.append(
        f"parks: {len(established)} established ({established['area_ha'].sum():,.2f} ha declared), "
        f"{len(parks) - len(established)} planned; plots: {len(data.plots)} ({data.plots['area_ha'].sum():,.2f} ha)"
    )
    held = data.plots[data.plots["status"] == "not_handed_over"]
    if len(held):
        lines.append(f"land not handed over (not leasable): {len(held)} plots ({held['area_ha'].sum():,.2f} ha) in "
                     f"{held['park_id'].nunique()} park(s)")
    lines.append("provenances: " + _provenance_counts(data))
    return "\n".join(lines)


def _provenance_counts(data: Dataset) -> str:
    """How many figures of each kind the dataset holds, over every provenance column of every layer."""
    counts = dict.fromkeys((*PROVENANCE_KINDS, NO_SOURCE), 0)
    for name, schema in LAYERS.items():
        frame = data.layer(name)
        for column in schema.provenance_columns:
            for found in provenances(frame, column):
                counts[found.kind] = counts.get(found.kind, 0) + 1
    return ", ".join(f"{n} {'without a source' if kind == NO_SOURCE else kind}" for kind, n in counts.items() if n)


def _add_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path,
                        help="a data directory or one file (default: the configured data directory)")
    parser.add_argument("--layer", choices=sorted(LAYERS),
                        help="the layer a single file holds (default: from its name)")


def validate(args: argparse.Namespace) -> int:
    path: Path = args.path or load_settings().data_dir
    if path.is_dir():
        print(summary(load_dataset(path)))
        return 0
    if not path.is_file():
        print(f"{path}: no such file or directory", file=sys.stderr)
        return 2
    layers = [args.layer] if args.layer else [path.stem] if path.stem in LAYERS else [
        name for name, src in find_sources(path.parent)[0].items() if src.path == path
    ]
    if not layers:
        print(f"{path}: cannot tell which layer this file holds; name it after a layer or pass --layer "
              f"({', '.join(LAYERS)})", file=sys.stderr)
        return 2
    failed = False
    for name in layers:
        if path.suffix.lower() in FORMATS:
            prepared = prepare_import(path.name, path.read_bytes(), name, None,
                                      limits=Limits.from_megabytes(load_settings().max_upload_mb))
            for note in prepared.notes:
                print(f"note: {note}")
            for found in prepared.problems:  # named by the path given, as a directory's files are
                print(dataclasses.replace(found, file=str(path)), file=sys.stderr)
            if prepared.problems or prepared.frame is None:
                failed = True
                continue
            rows = len(prepared.frame)
        else:
            rows = len(load_layer(path, name, None if path.suffix.lower() != ".gpkg" or path.stem == name else name))
        print(f"{path}: layer '{name}' is valid: {rows} {'rows' if LAYERS[name].is_table else 'features'}")
    return 1 if failed else 0


#: name -> (help, add its arguments, run it)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Command]] = {
    "validate": ("check a data directory or file against the schema", _add_validate, validate),
    "import": ("validate a file and import it into the store, all or nothing", datacli.add_import_arguments,
               datacli.run_import),
    "user": ("manage staff and admin accounts of the store", datacli.add_user_arguments, datacli.run_user),
    "export": ("write the map (png, pdf, html) or the selected data (csv, xlsx, geojson, gpkg) to a file",
               lambda parser: _module("export").add_arguments(parser), lambda args: _module("export").run(args)),
    "pack": ("write the investor pack of a shortlist of parks (pdf or standalone html) in one language",
             lambda parser: _module("pack").add_arguments(parser), lambda args: _module("pack").run(args)),
    "run": ("serve the app in this process, behind its guard (staff sign-in cookie, upload gate)",
            lambda parser: _module("run").add_arguments(parser), lambda args: _module("run").run(args)),
    "serve": ("serve the app as several processes behind nginx (sticky sessions), sharing the store",
              lambda parser: _module("serve").add_arguments(parser), lambda args: _module("serve").run(args)),
    "sync": ("send this machine's enquiries (its GeoPackage store) to the shared PostGIS store, once",
             lambda parser: _module("sync").add_arguments(parser), lambda args: _module("sync").run(args)),
    "bench": ("measure the map with N synthetic plots, ours against the naive folium.GeoJson path",
              lambda parser: _module("bench").add_arguments(parser), lambda args: _module("bench").run(args)),
}


def _module(name: str) -> Any:
    """A command's module, imported when the parser is built or the command runs (not on import)."""
    return importlib.import_module(f"heza_geo.cli.{name}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heza_geo", description="HEZA GIS data tools")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    run = COMMANDS[args.command][2]
    try:
        return run(args)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    except HezaError as exc:  # every refusal the package can explain: one line, no traceback
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
