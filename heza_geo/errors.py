"""Every error heza-geo raises on purpose, under one root: :class:`HezaError`.

As in ``rasterio/errors.py`` (``RasterioIOError(RasterioError, OSError)``), each error also
subclasses the builtin it resembles, so ``except ValueError`` around a parse still works, and
``except HezaError`` catches every refusal the app can explain. A page or a command catches the
root and shows ``str(error)``: one line (or one line per :class:`Problem`) that says what is
wrong, where, and what to do, in words a user can act on, never a traceback, a server path or a
database address.

Examples
--------
>>> issubclass(StoreError, HezaError) and issubclass(ConfigError, ValueError)
True
>>> print(DataError([Problem("parks.geojson", "parks", "area_ha must be above 0", row=3, field="area_ha")]))
parks.geojson, layer 'parks', row 3, field 'area_ha': area_ha must be above 0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

__all__ = [
    "AssetError",
    "AuthError",
    "BrowserUnavailable",
    "Busy",
    "ClusterError",
    "ConfigError",
    "Conflict",
    "ConflictError",
    "DataError",
    "ExportError",
    "HezaError",
    "LockedOut",
    "Note",
    "Problem",
    "ReadError",
    "RenderFailed",
    "StoreError",
    "UnsafeFile",
]


class HezaError(Exception):
    """The root: a refusal or failure heza-geo can explain in one message."""


# --- settings -----------------------------------------------------------------------------------
class ConfigError(HezaError, ValueError):
    """A setting is missing or malformed; the message names the setting and where it came from."""


# --- data -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input. ``row`` is 1-based: the n-th feature or data row.

    ``key`` names the message in the catalogs (``problem.above_max``) and ``params`` fills its
    placeholders, so a page shows the problem in its reader's language
    (:func:`heza_geo.i18n.problem_text`); ``message`` is the English text, for the command line and
    the logs. Problems are made with :func:`heza_geo.io.validation.problem`, which takes ``message``
    from the English catalog: a rule is worded once, in the catalogs, in every language
    (``tests/test_errors.py`` refuses a key missing from one). A problem without a key (made
    by hand, as in a test) shows its ``message`` in every language.

    A parameter named ``library`` holds words the app does not write and cannot translate: a
    library's own reason (GDAL's first line, GEOS's, PROJ's, the JSON or XML parser's), or the text
    of an error without a key. It is English; :func:`~heza_geo.i18n.problem_text` shows it to any
    other reader marked as the English original (``text.in_english``), and the message around it
    names the library ("không đọc được tệp; thông báo của GDAL: (Bản gốc tiếng Anh) “…”").
    """

    file: str
    layer: str
    message: str
    row: int | None = None
    field: str | None = None
    record_id: str | None = None
    key: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = [self.file] + ([f"layer '{self.layer}'"] if self.layer else [])
        if self.row is not None:
            where.append(f"row {self.row}" + (f" ({self.record_id})" if self.record_id else ""))
        if self.field:
            where.append(f"field '{self.field}'")
        return ", ".join(where) + f": {self.message}"


class Note(str):
    """Something a person should know about an import that is not wrong: a link not followed, columns
    ignored, the coordinate system assumed, kinds derived from the text, nothing to change.

    A note is its English text (a ``str``: the command line prints it, a test reads it), and, like a
    :class:`Problem`, a catalog message: ``key`` (``note.columns_ignored``) and ``params`` say it in
    a page's language (:func:`heza_geo.i18n.problem_text`, by the same rules). Notes are made with
    :func:`heza_geo.io.validation.note`, which takes the English text from the catalog
    (``tests/test_errors.py`` refuses a note made of plain text). A note without a key (made by
    hand, as in a test) shows its English text in every language.

    >>> found = Note("nothing would change", "note.nothing_changes")
    >>> found == "nothing would change", found.key, found.message
    (True, 'note.nothing_changes', 'nothing would change')
    """

    key: str
    params: tuple[tuple[str, str], ...]

    def __new__(cls, message: str, key: str = "", params: Iterable[tuple[str, str]] = ()) -> Note:
        made = super().__new__(cls, message)
        made.key = key
        made.params = tuple(params)
        return made

    @property
    def message(self) -> str:
        """The English text, as a :class:`Problem`'s ``message``."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Note({str.__repr__(self)}, key={self.key!r})"


class DataError(HezaError, ValueError):
    """Input that fails validation; ``problems`` lists each problem, ``str()`` gives them one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnsafeFile(HezaError, ValueError):
    """The upload is refused; the message says why, for the person who uploaded it.

    Like a :class:`Problem`, the refusal is a catalog message: ``key`` (``problem.zip_ratio``) and
    ``params`` say it in the uploader's language, ``str()`` is the English text, for the command line
    and the logs. Made with :func:`heza_geo.io.validation.refusal`, which takes the English text from
    the catalog; :func:`heza_geo.io.validation.refusal_problem` turns it into the :class:`Problem` a
    page lists.
    """

    def __init__(self, message: str = "", *, key: str = "", params: Iterable[tuple[str, str]] = ()) -> None:
        self.key = key
        self.params = tuple(params)
        super().__init__(message)


class ReadError(HezaError, ValueError):
    """The file cannot be read; the message is for the person who uploaded it.

    ``problems`` names the rows and fields when the reason lies in particular rows (a feature with too
    many vertices, a formula without a saved value); their file and layer are filled in by :func:`read_upload`.
    Otherwise ``key`` and ``params`` give the reason as a catalog message, as :class:`UnsafeFile` does.
    """

    def __init__(self, message: str = "", problems: Sequence[Problem] = (), *, key: str = "",
                 params: Iterable[tuple[str, str]] = ()) -> None:
        self.problems = list(problems)
        self.key = key
        self.params = tuple(params)
        super().__init__(message or "\n".join(str(p) for p in self.problems))


# --- the store and accounts ---------------------------------------------------------------------
class StoreError(HezaError, RuntimeError):
    """The store cannot be opened or used (not configured, unreachable, not a store)."""


class Conflict(NamedTuple):
    """One record a write could not change: where, why (one English line), and, when another
    version changed it since it was read, that version, its author and time and the record's values
    now, so a page can say who changed what and when (it may be the writer's own earlier save)."""

    layer: str
    record_id: str
    why: str
    #: "changed" (since it was read), "exists" (added meanwhile), "removed" (meanwhile), "race" (written
    #: at the same moment by another writer)
    kind: str = "race"
    version: int | None = None
    author: str | None = None
    at: datetime | None = None
    current: Mapping[str, Any] | None = None


class ConflictError(StoreError):
    """A record changed since the writer read it (or was added or removed meanwhile): nothing was written.

    ``conflicts`` lists a :class:`Conflict` for each record concerned (a plain
    ``(layer, record_id, why)`` is taken as one).
    """

    def __init__(self, conflicts: Sequence[Conflict | tuple[str, str, str]]) -> None:
        self.conflicts = [c if isinstance(c, Conflict) else Conflict(*c) for c in conflicts]
        lines = [f"layer '{c.layer}', record {c.record_id}: {c.why}" for c in self.conflicts[:20]]
        if len(self.conflicts) > 20:
            lines.append(f"... and {len(self.conflicts) - 20} more records")
        super().__init__("\n".join(lines))


class AuthError(HezaError, ValueError):
    """A login or account operation was refused; the message can be shown as it is (English, for the
    command line and the log). ``reasons`` holds each thing wrong as a catalog key (``auth.*``) and
    its parameters, so a page says it in its reader's language."""

    def __init__(self, message: str, reasons: Sequence[tuple[str, Mapping[str, object]]] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)


class LockedOut(AuthError):
    """Too many failed logins for this account from this address."""

    def __init__(self, retry_after_s: float) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"too many failed logins: try again in {int(retry_after_s) + 1} s")


class Busy(AuthError):
    """Too many password checks are running in this process; this attempt was counted but not checked."""

    def __init__(self) -> None:
        super().__init__("the server is busy checking other sign-ins: try again in a moment")


# --- maps, exports and serving ------------------------------------------------------------------
class AssetError(HezaError, RuntimeError):
    """An asset is unknown, not installed, or a map still refers to the internet."""


class ExportError(HezaError, RuntimeError):
    """An export could not be made; the message names the reason (shown to users as it is)."""


class BrowserUnavailable(HezaError, RuntimeError):
    """No browser could be started here; the message says why (the static renderer takes over)."""


class RenderFailed(HezaError, RuntimeError):
    """The browser started but the map did not draw; the message says why."""


class ClusterError(HezaError, RuntimeError):
    """The proxy or an app process could not start; the message says which and why."""
