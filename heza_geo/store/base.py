"""What a store is: versioned, all-or-nothing changes to the layers of :mod:`heza_geo.schema`.

A store holds every layer and table of the schema, one row per record, each record named by a
``record_id`` (its id columns joined with ``|``: ``"A-1"`` for a plot, ``"park|A|2023-10-14|001_…"``
for an occupancy row) and stamped with ``row_version``, the version that last wrote it.

Every write is a :class:`ChangeSet` applied in one transaction: either every change lands, as one
new *version* (who, when, why, and for each record its value before and after), or none does.
Each change carries the ``row_version`` its author saw; if the record changed since, the whole
change set is refused with :class:`ConflictError`, so the second of two concurrent writers is told
and nothing is overwritten silently. A version can be reverted, as a new version.

Backends: :mod:`heza_geo.store.gpkg` (a GeoPackage file, the embedded default) and
:mod:`heza_geo.store.postgis` (PostgreSQL/PostGIS, for several app servers). Both pass the same
tests (``tests/store``).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pandas as pd

from heza_geo.io import Dataset

Op = Literal["insert", "update", "delete"]
#: the comment of the first version, ``folder`` the data directory's name (the staff page says it in
#: its reader's language, :func:`heza_geo.analysis.staff.comment_text`)
INITIAL_COMMENT = "initial load from {folder}/"
#: a record as JSON-safe values: schema columns, plus ``geometry`` (hex WKB, WGS84) for layers
Snapshot = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One record's change. ``expected_version`` is the ``row_version`` the author saw (None for an insert).

    ``after`` is the new snapshot (None for a delete); ``before`` is what the author saw, kept for
    previews only: the store records the value it actually replaces.
    """

    layer: str
    record_id: str
    op: Op
    after: Snapshot | None = None
    before: Snapshot | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ChangeSet:
    """Changes applied together or not at all."""

    changes: tuple[Change, ...] = ()

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def count(self, op: Op) -> int:
        return sum(1 for c in self.changes if c.op == op)

    @property
    def layers(self) -> list[str]:
        return sorted({c.layer for c in self.changes})


@dataclass(frozen=True)
class VersionEntry:
    """One record's line in the history: version ``version`` did ``op`` to it."""

    id: int
    version: int
    layer: str
    record_id: str
    park_id: str | None
    op: Op
    author: str
    at: datetime
    comment: str
    before: Snapshot | None
    after: Snapshot | None


@dataclass(frozen=True)
class VersionInfo:
    """A version as a whole: one import, edit or revert."""

    version: int
    at: datetime
    author: str
    comment: str
    kind: str
    changes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Store(abc.ABC):
    """The storage interface the app, the command line and the staff page use."""

    #: "gpkg" or "postgis"
    backend: str = ""

    # --- reading ----------------------------------------------------------------------------
    @abc.abstractmethod
    def current_version(self) -> int:
        """The latest version number (0 for an empty store): a cheap cache key."""

    @abc.abstractmethod
    def read_layer(self, name: str, public: bool = False) -> pd.DataFrame:
        """One layer, validated and typed (WGS84), with ``record_id`` and ``row_version`` columns.

        ``public=True`` drops the schema's confidential columns (see :func:`heza_geo.store.auth.public_view`).
        """

    @abc.abstractmethod
    def read_dataset(self, public: bool = False) -> Dataset:
        """Every layer as a :class:`heza_geo.io.Dataset` (without the store's bookkeeping columns)."""

    # --- writing ----------------------------------------------------------------------------
    @abc.abstractmethod
    def apply(self, change_set: ChangeSet | Iterable[Change], author: str, comment: str, kind: str = "import") -> int:
        """Apply every change in one transaction and return the new version number.

        Raises :class:`ConflictError` (nothing written) when a record changed since its
        ``expected_version``, an inserted record exists already or an updated one is gone.
        """

    @abc.abstractmethod
    def revert(self, version: int, author: str, comment: str, only: tuple[str, str] | None = None) -> int:
        """Undo ``version`` as a new version; :class:`ConflictError` if a later version changed its records.

        ``only`` (a layer and a record id) undoes that record's change alone, the version's other
        changes staying as they are."""

    @abc.abstractmethod
    def edit_record(
        self, layer: str, record_id: str, values: Mapping[str, Any], expected_version: int, author: str, comment: str
    ) -> int:
        """Change some fields of one record, validated like an import, if it is still at ``expected_version``."""

    @abc.abstractmethod
    def add_record(self, layer: str, values: Mapping[str, Any], author: str, comment: str) -> int:
        """Add one record (e.g. an occupancy figure), validated like an import."""

    # --- history ----------------------------------------------------------------------------
    @abc.abstractmethod
    def history(
        self, layer: str | None = None, record_id: str | None = None, park_id: str | None = None, limit: int = 500
    ) -> list[VersionEntry]:
        """Record changes, newest first, filtered by layer/record and/or by the park they concern."""

    @abc.abstractmethod
    def versions(self, limit: int = 100) -> list[VersionInfo]:
        """Versions, newest first."""

    # --- accounts (used by heza_geo.store.auth) ----------------------------------------------------
    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement on the store's own tables (accounts, sessions, ...) in its own transaction.

        ``sql`` uses ``?`` placeholders on every backend. Returns the rows, if any.
        """

    def close(self) -> None:  # noqa: B027 - optional for backends that keep no connection
        """Release connections, if the backend keeps any."""
