"""``python -m heza_geo sync --to DATABASE_URL``: an offline laptop's enquiries to the shared store.

At a promotion event the presenter's laptop may have no network: visitors' enquiries go to its own
GeoPackage store (``store_path``). Back online, this command sends them to the shared PostGIS store:

    HEZA_STORE_PATH=~/heza.gpkg python -m heza_geo sync --to postgresql://heza@db.example/heza

Decisions a reader must know:

* **Once, idempotently.** An enquiry is known by the uuid its form made, so an enquiry the shared
  store holds already is left as it is there (staff may have followed it up since) and counted as
  "there already"; running the command twice sends nothing the second time.
* **As it was.** Each enquiry keeps its original submitted time, status, assignee and history (who
  changed what, when). The session and address hashes stay behind: they only served the laptop's limits.
* **One line.** It prints how many were sent and how many were there already; a bad URL or an
  unreachable database exits non-zero with one line, never a traceback, never the URL's password.
* Only enquiries travel; layers are the staff's imports and edits (``python -m heza_geo import``).
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from heza_geo.config import load_settings, redacted_url
from heza_geo.errors import HezaError
from heza_geo.store.sql import SqlStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, metavar="DATABASE_URL",
                        help="the shared PostGIS store, e.g. postgresql://heza@db.example/heza")


def copy_enquiries(source: SqlStore, target: SqlStore) -> tuple[int, int]:
    """Send every enquiry of ``source`` that ``target`` lacks, with its history: (sent, there already)."""
    sent = already = 0
    for enquiry in reversed(source.enquiries(history=True)):  # oldest first, as they came
        if target.add_enquiry(enquiry):
            sent += 1
        else:
            already += 1
    return sent, already


def _hidden(text: str, url: str) -> str:
    """``text`` with ``url`` and its password blotted out (a driver may echo a malformed URL)."""
    text = text.replace(url, redacted_url(url))
    try:
        secret = urlsplit(url).password
    except ValueError:
        secret = None
    if secret:
        text = text.replace(secret, "***")
    return " ".join(text.split())


def run(args: argparse.Namespace) -> int:
    import psycopg

    from heza_geo.store.gpkg import GeoPackageStore
    from heza_geo.store.postgis import PostGISStore

    settings = load_settings()
    path = settings.store_path
    if path is None or not path.is_file():
        print("sync: no local store to send from: set store_path (HEZA_STORE_PATH) to this machine's GeoPackage"
              + (f" ({path} does not exist)" if path else ""), file=sys.stderr)
        return 2
    url = str(args.to)
    try:
        if url.partition("://")[0] not in ("postgresql", "postgres"):
            print(f"sync: --to must be a PostGIS database URL, postgresql://user@host/database; got "
                  f"{_hidden(url, url)}", file=sys.stderr)
            return 2
        source = GeoPackageStore(path)
        target = PostGISStore(url)
        sent, already = copy_enquiries(source, target)
    except (HezaError, psycopg.Error, ValueError) as exc:
        print(f"sync: {_hidden(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, url)}",
              file=sys.stderr)
        return 1
    print(f"sync: {sent} enquiries sent to {target.describe()}, {already} there already")
    return 0
