"""The last good copy of the data, kept on disk so a restart on broken data still has a map to show.

After every successful load the app calls :func:`keep_files` (data directory: its files are copied)
or :func:`keep_dataset` (store: the public dataset is written out, GeoPackage + CSV, the layout of
``geodata/``). At start, when the configured data fails validation or the database cannot be
reached, :func:`load_last_good` reads that copy back, and :func:`broken_files` names the files to fix.

The copy lives under ``Settings.cache_dir`` (``HEZA_CACHE_DIR``, default ``.cache/last_good`` in the
repository), one folder per source. It is replaced atomically (written beside, then renamed), so a
crash while saving leaves the previous copy usable; a copy that no longer validates is ignored.

>>> keep_files(settings.data_dir, settings.cache_dir)                      # doctest: +SKIP
>>> data = load_last_good(settings.cache_dir, str(settings.data_dir))      # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from heza_geo.io import Dataset, fingerprint, load_dataset
from heza_geo.schema import LAYERS
from heza_geo.validation import DataError, Problem

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
