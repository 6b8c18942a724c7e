"""``python -m heza_geo pack``: the investor pack of a shortlist, from a script.

    python -m heza_geo pack --parks dinh-vu,vsip-hai-phong --lang ko --out pack.pdf
    python -m heza_geo pack --parks dinh-vu --lang vi --out pack.html --url https://gis.heza.example

``--format`` (pdf, html) defaults from the suffix of ``--out`` (``.html``/``.htm``: html), else pdf.
The QR codes carry ``--url``, else the ``public_url`` setting; with neither the pack says to ask
HEZA for the link (never a loopback address: :func:`heza_geo.export.pack.public_base`).

The data is what the app shows (:func:`heza_geo.cli.export.dataset`). A bad park id, language, format
or address exits 2 with exactly one line on stderr naming it and the allowed values (the arguments
are checked here, not by argparse, whose refusal is a usage block); a file that cannot be written
exits 1, one line too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heza_geo.config import LANGUAGES, load_settings
from heza_geo.errors import ExportError, StoreError

FORMATS = ("pdf", "html")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parks", required=True, metavar="ID,ID",
                        help="the shortlisted parks' ids, comma-separated (1 to 5), e.g. dinh-vu,vsip-hai-phong")
    parser.add_argument("--lang", help=f"the investor's language: {', '.join(LANGUAGES)} (default: the configured one)")
    parser.add_argument("--out", required=True, type=Path, help="file to write (replaced if it exists)")
    parser.add_argument("--format", help=f"{' or '.join(FORMATS)} (default: from --out's suffix, else pdf)")
    parser.add_argument("--url", help="the app's public address for the QR codes (default: the public_url setting)")
    parser.add_argument("--data", type=Path, help="read this data directory (default: what the app reads)")


def output_format(given: str | None, out: Path) -> str:
    """``given`` if one of :data:`FORMATS`; none given: html for an ``.html``/``.htm`` file, else pdf."""
    if given is None:
        return "html" if out.suffix.lower() in (".html", ".htm") else "pdf"
    if given.lower() not in FORMATS:
        raise ExportError(f"unknown format '{given}' (allowed: {', '.join(FORMATS)})")
    return given.lower()


def run(args: argparse.Namespace) -> int:
    from heza_geo.cli.export import dataset
    from heza_geo.export.pack import check_request, pack_html, pack_pdf, public_base

    settings = load_settings()
    lang = args.lang or settings.default_language
    ids = [p for p in args.parks.split(",") if p.strip()]
    try:
        fmt = output_format(args.format, args.out)
        if lang not in LANGUAGES:
            raise ExportError(f"unknown language '{lang}' (allowed: {', '.join(LANGUAGES)})")
        base = public_base(args.url if args.url is not None else settings.public_url)
        data = dataset(settings, args.data)
        check_request(data, ids, lang)
    except (ExportError, StoreError) as exc:
        print(f"pack: {exc}", file=sys.stderr)
        return 2
    try:
        if fmt == "pdf":
            pack_pdf(data, ids, lang, args.out, base_url=base)
        else:
            pack_html(data, ids, lang, args.out, base_url=base)
    except OSError as exc:
        print(f"pack: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {fmt}, {len(set(ids))} park(s), {lang})")
    return 0
