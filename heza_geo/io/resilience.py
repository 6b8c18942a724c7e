"""The last good copy of the data, kept on disk so a restart on broken data still has a map to show.

After every successful load the app calls :func:`keep_files` (data directory: its files are copied)
or :func:`keep_dataset` (store: the public dataset is written out, GeoPackage + CSV, the layout of
``geodata/``). At start, when the configured data fails validation or the database cannot be
reached, :func:`load_last_good` reads that copy back, and :func:`broken_files` names the files to fix.
:func:`public_text` is what of a problem a visitor may read: file base names, no server path, no
database address (the full text belongs in the server log).

The copy lives under ``Settings.cache_dir`` (``HEZA_CACHE_DIR``, default ``.cache/last_good`` in the
repository), one folder per source. It is replaced atomically (written beside, then renamed), so a
crash while saving leaves the previous copy usable; a copy that no longer validates is ignored.

Examples
--------
The copy of a data directory is kept in a folder of its own; a copy that does not validate (here one
with no parks) is never used:

>>> import tempfile
>>> from pathlib import Path
>>> tmp = tempfile.TemporaryDirectory()
>>> data_dir, cache_dir = Path(tmp.name, "data"), Path(tmp.name, "cache")
>>> data_dir.mkdir()
>>> _ = (data_dir / "plots.csv").write_text("plot_id", encoding="utf-8")
>>> folder = keep_files(data_dir, cache_dir)
>>> folder == snapshot_folder(cache_dir, str(data_dir)), [path.name for path in folder.iterdir()]
(True, ['plots.csv'])
>>> print(load_last_good(cache_dir, str(data_dir)))
None
>>> tmp.cleanup()

What a visitor may read of a problem:

>>> public_text("/srv/heza/data/plots.geojson, row 3: cannot connect to postgresql://heza:secret@db:5432/heza")
'plots.geojson, row 3: cannot connect to <database>'
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from heza_geo.errors import DataError, Problem
from heza_geo.io import Dataset, fingerprint, load_dataset
from heza_geo.schema import LAYERS

_OLD = ".previous"


def snapshot_folder(cache_dir: Path | str, source: str) -> Path:
    """Where the last good copy of ``source`` (a data directory or a store URL/path) is kept."""
    return Path(cache_dir) / hashlib.sha256(source.encode()).hexdigest()[:16]


def _replace(folder: Path, filled: Path) -> None:
    old = folder.with_name(folder.name + _OLD)
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    filled.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _fresh(cache_dir: Path | str, source: str) -> tuple[Path, Path]:
    folder = snapshot_folder(cache_dir, source)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder, Path(tempfile.mkdtemp(prefix=folder.name + ".new-", dir=folder.parent))


def keep_files(data_dir: Path | str, cache_dir: Path | str) -> Path:
    """Copy the files of a data directory that just loaded without problems; a no-op if unchanged.

    Call it only after :func:`heza_geo.io.load_dataset` succeeded on ``data_dir``: the copy is
    trusted at start without a second look at the source.
    """
    folder = snapshot_folder(cache_dir, str(data_dir))
    if folder.is_dir() and fingerprint(folder) == fingerprint(data_dir):
        return folder
    folder, work = _fresh(cache_dir, str(data_dir))
    try:
        for path in sorted(Path(data_dir).glob("*")):
            if path.is_file():
                shutil.copy2(path, work / path.name)  # keeps mtimes, so the fingerprints match
        _replace(folder, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def keep_dataset(data: Dataset, cache_dir: Path | str, source: str) -> Path:
    """Write a dataset read from a store (layers to ``heza.gpkg``, tables to CSV) as its last good copy."""
    folder, work = _fresh(cache_dir, source)
    try:
        for name, schema in LAYERS.items():
            frame = data.layer(name)
            if frame is None or frame.empty:
                continue
            if schema.is_table or not isinstance(frame, gpd.GeoDataFrame):
                frame.to_csv(work / f"{name}.csv", index=False)
            else:
                frame.to_file(work / "heza.gpkg", layer=name, driver="GPKG")
        _replace(folder, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def load_last_good(cache_dir: Path | str, source: str) -> Dataset | None:
    """The last good copy of ``source``, or None when there is none (or it no longer validates)."""
    folder = snapshot_folder(cache_dir, source)
    for candidate in (folder, folder.with_name(folder.name + _OLD)):
        if candidate.is_dir():
            try:
                return load_dataset(candidate)
            except DataError:
                continue
    return None


def broken_files(problems: Iterable[Problem | str]) -> list[str]:
    """The file names the problems point at, in order, each once: what the notice tells people to fix."""
    names: dict[str, None] = {}
    for problem in problems:
        if isinstance(problem, Problem) and problem.file:
            names[Path(problem.file).name] = None
    return list(names)


#: a URL (``postgresql://user:password@host:5432/db``, ``sqlite:///…``) up to the next blank or quote
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s`'\"]*")
#: the folders of an absolute path (``/srv/heza/data/`` of ``/srv/heza/data/plots.geojson``); not after a
#: word character, so ``14/10/2023`` or ``A-1/2`` stay as they are
_FOLDERS = re.compile(r"(?<![\w.~-])(?:[A-Za-z]:)?[\\/](?:[^\s\\/'\"`]+[\\/])+(?=[^\s\\/'\"`])")
#: what a database address becomes in public text
DATABASE = "<database>"


def public_text(text: str, known_paths: Iterable[Path | str] = ()) -> str:
    """``text`` as a visitor may read it: every absolute path shortened to its base name, every URL
    (a database's, with its user, host and perhaps password) replaced by :data:`DATABASE`.

    Decision: a notice names what to fix (``plots.geojson``), not where the server keeps it; the full
    text goes to the server log. ``known_paths`` (the data directory, the store file: folders whose
    names may hold blanks, which the general rule cuts short) are shortened first, longest first.
    """
    for known in sorted({str(p).rstrip("/\\") for p in known_paths} - {"", "."}, key=len, reverse=True):
        text = text.replace(known + "/", "").replace(known, Path(known).name)
    return _FOLDERS.sub("", _URL.sub(DATABASE, text))
