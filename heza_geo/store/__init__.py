"""Versioned storage of the layers: a GeoPackage file by default, PostGIS when configured.

:func:`open_store` picks the backend from :class:`heza_geo.config.Settings`: ``database_url``
(PostGIS) wins over ``store_path`` (GeoPackage). An empty store is filled from ``data_dir`` on
first open, so a new deployment starts with the current data.

>>> import tempfile
>>> from pathlib import Path
>>> from heza_geo.config import Settings
>>> from heza_geo.io import load_dataset
>>> tmp = tempfile.TemporaryDirectory()
>>> settings = Settings(store_path=Path(tmp.name, "heza.gpkg"))   # data_dir: the shipped geodata/
>>> store = open_store(settings)                 # a new store: filled from data_dir, version 1
>>> data = store.read_dataset(public=True)       # the same Dataset as heza_geo.io.load_dataset
>>> store.current_version(), len(data.plots) == len(load_dataset(settings.data_dir).plots)
(1, True)
>>> store.close()
>>> tmp.cleanup()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heza_geo.config import Settings
from heza_geo.errors import ConflictError, StoreError
from heza_geo.store.base import Change, ChangeSet, Store, VersionEntry, VersionInfo

if TYPE_CHECKING:
    from heza_geo.store.sql import SqlStore

__all__ = [
    "Change",
    "ChangeSet",
    "ConflictError",
    "Store",
    "StoreError",
    "VersionEntry",
    "VersionInfo",
    "is_configured",
    "open_store",
]


def is_configured(settings: Settings) -> bool:
    """Whether the settings name a store (else the app reads ``data_dir`` read-only)."""
    return bool(settings.database_url or settings.store_path)


def open_store(settings: Settings, initialise: bool = True) -> Store:
    """The configured store, created and filled from ``settings.data_dir`` if it is empty.

    Raises :class:`StoreError` when no store is configured or it cannot be opened, and
    :class:`heza_geo.io.validation.DataError` when the initial data directory is invalid.
    """
    if settings.database_url:
        from heza_geo.store.postgis import PostGISStore

        store: SqlStore = PostGISStore(settings.database_url)
    elif settings.store_path:
        from heza_geo.store.gpkg import GeoPackageStore

        store = GeoPackageStore(settings.store_path)
    else:
        raise StoreError("no store is configured: set store_path (HEZA_STORE_PATH) to a GeoPackage file, "
                         "or database_url (HEZA_DATABASE_URL) to a PostGIS database")
    if initialise and store.is_empty():
        store.initialise_from(settings.data_dir)
    return store
