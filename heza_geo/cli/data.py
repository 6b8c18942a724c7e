"""Command line for the store: ``python -m heza_geo import …`` and ``python -m heza_geo user …``.

Both use the configured store (``store_path`` / ``database_url``, see :mod:`heza_geo.config`).

    python -m heza_geo import plots.geojson --layer plots --author lan --comment "survey 2025"
    python -m heza_geo import plots_vn2000.csv --layer plots --crs EPSG:9210 --dry-run
    HEZA_PASSWORD=… python -m heza_geo user add admin --role admin

``import`` validates exactly as the staff page does and writes all or nothing; on bad input it
prints one line per problem and exits 1 (3 when a record changed meanwhile, 2 for usage errors).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from heza_geo.config import load_settings
from heza_geo.errors import ConflictError, HezaError, StoreError
from heza_geo.io.importers import FORMATS, apply_import, prepare_import
from heza_geo.io.safefiles import Limits
from heza_geo.schema import LAYERS
from heza_geo.store import auth, open_store


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help=f"the file to import ({', '.join(FORMATS)})")
    parser.add_argument("--layer", required=True, choices=sorted(LAYERS), help="the layer or table the file holds")
    parser.add_argument("--crs", help="coordinate system of a file that declares none, e.g. EPSG:9210 "
                        "(VN-2000 Hai Phong 105°45') or EPSG:32648 (UTM 48N)")
    parser.add_argument("--author", default=os.environ.get("USER") or getpass.getuser(), help="who makes the change")
    parser.add_argument("--comment", help="why (default: 'import FILE')")
    parser.add_argument("--replace", action="store_true", help="also remove records that are not in the file")
    parser.add_argument("--dry-run", action="store_true", help="validate and show what would change; write nothing")


def run_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    settings = load_settings()
    try:
        store = open_store(settings)
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return 2
    try:
        prepared = prepare_import(path.name, path.read_bytes(), args.layer, store, crs=args.crs, replace=args.replace,
                                  limits=Limits.from_megabytes(settings.max_upload_mb))
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return 2
    for note in prepared.notes:
        print(f"note: {note}")
    if prepared.problems:
        for problem in prepared.problems:
            print(problem, file=sys.stderr)
        if prepared.needs_crs:
            print("  pass --crs EPSG:… (e.g. " + (prepared.suggested_crs or "EPSG:9210") + ") to say which",
                  file=sys.stderr)
        print(f"{path.name}: {len(prepared.problems)} problem(s); nothing was imported", file=sys.stderr)
        return 1
    counts = prepared.summary()
    print(f"{path.name} -> layer '{args.layer}' ({prepared.crs or 'no geometry'}): {counts['rows']} rows; "
          f"{counts['insert']} to add, {counts['update']} to change, {counts['delete']} to remove")
    if args.dry_run or not len(prepared.change_set or ()):
        print("dry run: nothing written" if args.dry_run else "nothing to write")
        return 0
    try:
        version = apply_import(store, prepared, args.author, args.comment or f"import {path.name}")
    except ConflictError as exc:
        print(f"refused, records changed since they were read (nothing written):\n{exc}", file=sys.stderr)
        return 3
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return 2
    print(f"imported as version {version} by {args.author}")
    return 0


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="create an account (password from HEZA_PASSWORD or a prompt)")
    add.add_argument("name")
    add.add_argument("--role", choices=auth.ACCOUNT_ROLES, default="staff")
    sub.add_parser("list", help="list accounts")
    actions = (("passwd", "set a new password"), ("disable", "block an account"), ("enable", "unblock an account"))
    for action, text in actions:
        sub.add_parser(action, help=text).add_argument("name")
    role = sub.add_parser("role", help="change an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=auth.ACCOUNT_ROLES)


def _password() -> str:
    given = os.environ.get("HEZA_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        raise auth.AuthError("no password: set HEZA_PASSWORD or run in a terminal to be prompted")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise auth.AuthError("the two passwords differ")
    return first


def run_user(args: argparse.Namespace) -> int:
    try:
        store = open_store(load_settings())
        if args.action == "list":
            print(auth.list_accounts(store).to_string(index=False))
        elif args.action == "add":
            auth.add_account(store, args.name, _password(), args.role)
            print(f"account {args.name!r} ({args.role}) created")
        elif args.action == "passwd":
            auth.set_password(store, args.name, _password())
            print(f"password of {args.name!r} changed; its sessions are closed")
        elif args.action == "role":
            auth.set_role(store, args.name, args.role)
            print(f"{args.name!r} is now {args.role}")
        else:
            auth.set_disabled(store, args.name, args.action == "disable")
            print(f"{args.name!r} {args.action}d")
    except HezaError as exc:
        print(f"user {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0
