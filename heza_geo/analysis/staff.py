"""The staff page's tables: an import's problems and what it will change, the store's versions, a
park's history of edits, the accounts; and the figures an edit form starts from.

Each function turns what :mod:`heza_geo.store` and :mod:`heza_geo.io.importers` return (problems,
change sets, version and history entries, the accounts frame) into a frame with the headers and
words of the reader's language; nothing here reads or writes the store.

Decisions a reader must know
----------------------------
* Times are the store's UTC times, to the minute ("2026-11-29 14:05"), as the command line's
  ``history`` writes them, so staff reading both see the same time.
* A park's history says, per record, each field a change touched with its value before and after
  ("Tenant: Công ty C → Công ty D"), in the reader's words: the field's column label, allowed values
  labelled, numbers and dates as the pages write them, "—" for no value. A new or removed record
  lists its values; an outline says only that it changed (coordinates are for the map, not a table).
* Who made a version and why are shown as the author typed them; the first version, which the app
  wrote when it loaded the data, is said in the reader's words (:func:`author_name`, :func:`comment_text`).
* In the history's park list, the parks changed most recently come first (among the last 50
  record changes), then the others, each group by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd
from babel import Locale

from heza_geo import i18n
from heza_geo.analysis.sources import badge
from heza_geo.errors import Conflict, Problem
from heza_geo.schema import (
    DATE_PRECISION,
    LAYERS,
    LayerSchema,
    Provenance,
    kind_column,
    precision_column,
    provenance_of,
    written_precision,
)
from heza_geo.store.auth import SYSTEM_AUTHOR
from heza_geo.store.base import INITIAL_COMMENT, Change, ChangeSet, VersionEntry, VersionInfo
from heza_geo.store.diff import change_table, changed_fields
from heza_geo.store.records import GEOMETRY

#: how a version's time is written in the staff page's tables
TIME_FORMAT = "%Y-%m-%d %H:%M"


def problems_table(problems: Sequence[Problem], lang: str) -> pd.DataFrame:
    """One line per problem of a file or an edit: file, row, record, field and what is wrong in the
    reader's language (:func:`heza_geo.i18n.problem_text`), blank where the problem has no row,
    record or field; in the order given (importers list file-wide problems first, then by row)."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.col_file"): [p.file for p in problems],
        t("dm.col_row"): [p.row if p.row is not None else "" for p in problems],
        t("dm.col_record"): [p.record_id or "" for p in problems],
        t("dm.col_field"): [p.field or "" for p in problems],
        t("dm.col_problem"): [i18n.problem_text(p, lang) for p in problems],
    })


def problems_csv(problems: Sequence[Problem], lang: str) -> bytes:
    """:func:`problems_table` as CSV to download, every message whole: UTF-8 with a byte-order mark,
    so Excel opens Vietnamese, Korean, Japanese and Chinese text as it is."""
    return problems_table(problems, lang).to_csv(index=False).encode("utf-8-sig")


def changes_table(change_set: ChangeSet, schema: LayerSchema, lang: str) -> pd.DataFrame:
    """What an import will do, one line per record (:func:`heza_geo.store.diff.change_table`): the
    operation in words, the record, the fields it changes, then the record's new (or removed) values."""
    t = i18n.translator(lang)
    table = change_table(change_set, schema)
    table["op"] = table["op"].map(lambda op: t(f"op.{op}"))
    return table.rename(columns={"op": t("dm.col_op"), "record_id": t("dm.col_record"), "fields": t("dm.col_fields")})


#: the first version's comment as the store writes it (:data:`heza_geo.store.base.INITIAL_COMMENT`)
_INITIAL_COMMENT = re.compile(re.escape(INITIAL_COMMENT).replace(re.escape("{folder}"), ".+"))


def author_name(author: str, lang: str) -> str:
    """Who made a version, as the staff page says it: an account by its name; the app, which loaded
    the data first (:data:`heza_geo.store.auth.SYSTEM_AUTHOR`), in the reader's words.

    >>> author_name("lan", "vi"), author_name("system", "vi")
    ('lan', 'Ứng dụng (lần nạp dữ liệu đầu tiên)')
    """
    return i18n.t("dm.author_system", lang) if author == SYSTEM_AUTHOR else author


def comment_text(comment: str, lang: str) -> str:
    """A version's comment as its author typed it; the first version's, which the app wrote, in the
    reader's words (without the data folder's name: a server's directory is not the page's business).

    >>> comment_text("survey of 12/2026", "ko"), comment_text("initial load from geodata/", "ko")
    ('survey of 12/2026', '첫 데이터 적재')
    """
    return i18n.t("dm.initial_load", lang) if _INITIAL_COMMENT.fullmatch(comment or "") else comment


def versions_table(versions: Sequence[VersionInfo], lang: str) -> pd.DataFrame:
    """The store's versions (newest first, as given): number, time, author, records changed, comment."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.col_version"): [v.version for v in versions],
        t("dm.col_at"): [v.at.strftime(TIME_FORMAT) for v in versions],
        t("dm.col_author"): [author_name(v.author, lang) for v in versions],
        t("dm.col_records"): [v.changes for v in versions],
        t("dm.col_comment"): [comment_text(v.comment, lang) for v in versions],
    })


def field_value(layer: str, column: str, value: object, lang: str, precision: object = None) -> str:
    """One stored value as a reader reads it: an allowed value by its label, a number as the pages
    write it, a date as the pages write it and no more precisely than ``precision`` (its
    ``<column>_precision``), a ';'-list by its values' labels or names (:func:`list_text`), "—" for
    none; other values as written.

    >>> field_value("passports", "utilities_as_of", "2025-01-01", "en", "year")
    '2025'
    >>> field_value("passports", "permitted_sectors", "electronics;logistics", "en")
    'Electronics, Logistics'
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return i18n.MISSING
    kind = i18n.value_kind(layer, column)
    if kind is not None:
        return i18n.label(kind, value, lang)
    schema = LAYERS.get(layer)
    if schema is not None and column in schema.column_names and schema.column(column).dtype == "date":
        return i18n.fmt_date(value, lang, precision)
    if (listed := list_text(layer, column, value, lang)) is not None:
        return listed
    if isinstance(value, bool):
        return i18n.t("dm.yes" if value else "dm.no", lang)
    if isinstance(value, int | float):
        return i18n.fmt_number(value, lang, None)
    return str(value)


def field_changes(entry: VersionEntry, lang: str) -> str:
    """What one history entry did to its record, field by field: "Tenant: A → B" for a change, the
    values for a record added or removed; an outline as "Outline changed"."""
    t = i18n.translator(lang)
    change = Change(entry.layer, entry.record_id, entry.op, entry.after, entry.before)
    parts = []
    for column in changed_fields(change):
        if column == GEOMETRY:
            parts.append(t("dm.outline_changed"))
            continue
        label = i18n.label("column", column, lang)
        old, new = entry.before or {}, entry.after or {}
        precision = precision_column(column)
        if entry.op == "update":
            parts.append(f"{label}: {field_value(entry.layer, column, old.get(column), lang, old.get(precision))} → "
                         f"{field_value(entry.layer, column, new.get(column), lang, new.get(precision))}")
        else:
            shown = new if entry.op == "insert" else old
            parts.append(f"{label}: {field_value(entry.layer, column, shown.get(column), lang, shown.get(precision))}")
    return "; ".join(parts)


def history_table(entries: Sequence[VersionEntry], lang: str) -> pd.DataFrame:
    """A park's record changes (newest first, as given): version, time, author, operation, layer,
    record, what changed with the values before and after (:func:`field_changes`) and the comment."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.col_version"): [e.version for e in entries],
        t("dm.col_at"): [e.at.strftime(TIME_FORMAT) for e in entries],
        t("dm.col_author"): [author_name(e.author, lang) for e in entries],
        t("dm.col_op"): [t(f"op.{e.op}") for e in entries],
        t("dm.col_layer"): [t(f"layer.{e.layer}") for e in entries],
        t("dm.col_record"): [e.record_id for e in entries],
        t("dm.col_changes"): [field_changes(e, lang) for e in entries],
        t("dm.col_comment"): [comment_text(e.comment, lang) for e in entries],
    })


def revert_choices(entries: Sequence[VersionEntry], lang: str) -> dict[int, str]:
    """The versions a park's history can revert, newest first, each as the list shows it:
    "7 · lan, 2026-11-29 14:05 · tenant changed" (version, author, time, comment)."""
    seen: dict[int, str] = {}
    for e in sorted(entries, key=lambda e: e.version, reverse=True):
        if e.version not in seen:
            seen[e.version] = (f"{e.version} · {author_name(e.author, lang)}, {e.at.strftime(TIME_FORMAT)} · "
                               f"{comment_text(e.comment, lang)}").rstrip(" ·")
    return seen


def conflict_lines(conflicts: Sequence[Conflict], account: str, lang: str, fields: Sequence[str] = ()) -> list[str]:
    """One line per record a save could not change, in the reader's words: who changed or added it
    (the reader themself, from another tab or window, is told so), when, in which version, and the
    values of ``fields`` it holds now (the form's fields); or why else it could not be written."""
    t = i18n.translator(lang)
    lines = []
    for c in conflicts:
        where = f"{t(f'layer.{c.layer}')} {c.record_id}"
        if c.version is None or c.author is None or c.at is None:
            lines.append(f"{where}: {t('dm.conflict_' + ('removed' if c.kind == 'removed' else 'race'))}")
            continue
        if c.kind == "exists":
            key = "dm.conflict_added_by"
        else:
            key = "dm.conflict_by_you" if c.author == account else "dm.conflict_by"
        line = t(key, record=where, author=author_name(c.author, lang), at=c.at.strftime(TIME_FORMAT),
                 version=c.version)
        now = [f"{i18n.label('column', k, lang)}: {field_value(c.layer, k, (c.current or {}).get(k), lang)}"
               for k in fields]
        lines.append(line + (f" {t('dm.conflict_now')} " + "; ".join(now) if now else ""))
    return lines


def accounts_table(accounts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The accounts (:func:`heza_geo.store.auth.list_accounts`): name, role in words, the day it was
    created, whether it is blocked."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.account"): accounts["name"],
        t("dm.role"): accounts["role"].map(lambda r: t(f"role.{r}")),
        t("dm.created_at"): accounts["created_at"].astype(str).str[:10],
        t("dm.disabled"): accounts["disabled"],
    })


def parks_by_name(names: Mapping[str, str]) -> list[str]:
    """Park ids in the order of their names (``names``: id → name in the reader's language)."""
    return sorted(names, key=lambda p: names[p])


def parks_recently_changed_first(names: Mapping[str, str], recent: Iterable[VersionEntry]) -> list[str]:
    """Park ids for the history's park list: those ``recent`` entries concern first, then the others,
    each group by name (``names``: id → name; entries of parks not in it are ignored)."""
    changed = {e.park_id for e in recent if e.park_id in names}
    return sorted(names, key=lambda p: (p not in changed, names[p]))


def latest_occupancy(history: pd.DataFrame, park_id: str, lang: str) -> str | None:
    """The line the occupancy form shows above its empty figure: the park's latest figure in
    ``occupancy_history``, its date (as precisely as it is known) and its source's badge with the
    report's number or the news site; None when the park has no figure. The form does not start from
    it: a figure prefilled would be overwritten by the answer to a park pick (issue 16).

    >>> history = pd.DataFrame({"park_id": ["A"], "as_of": [pd.Timestamp("2024-01-01")], "as_of_precision": ["year"],
    ...                         "occupancy_pct": [90.0], "source_kind": ["news"], "source": ["vietnam.vn 2024"]})
    >>> latest_occupancy(history, "A", "en")
    'Latest figure: 90.0% as of 2024 (Public news (vietnam.vn 2024))'
    """
    rows = history[history["park_id"] == park_id].sort_values("as_of", kind="mergesort")
    if rows.empty:
        return None
    last = rows.iloc[-1]
    return i18n.t("dm.latest", lang, value=i18n.fmt_percent(last["occupancy_pct"], lang),
                  date=i18n.fmt_date(last["as_of"], lang, last.get(precision_column("as_of"))),
                  source=badge(provenance_of(last), lang))


def provenance_problem(kind: str, reference: str, lang: str) -> str | None:
    """What is wrong with the provenance a staff member gave an edit (a kind of
    :data:`heza_geo.schema.PROVENANCE_KINDS` and a reference), as one line naming the field in the
    reader's language; None when it will do (:meth:`heza_geo.schema.Provenance.problem`)."""
    found = Provenance.of(kind, reference).problem()
    if found is None:
        return None
    field, key, params = found
    return f"{i18n.t('column.source_kind' if field == 'kind' else 'dm.source', lang)}: {i18n.t(key, lang, **params)}"


# --- the passport, contacts and incentives forms -------------------------------------------------------
#: languages a contact may speak, offered by name (ISO 639-1 codes, stored ';'-separated); a code
#: already stored that is not here is offered too, so an edit never drops it
SPOKEN_LANGUAGES: tuple[str, ...] = ("vi", "en", "zh", "ko", "ja", "th", "fr", "de", "ru")


def group_columns(group: str) -> tuple[str, str, str, str]:
    """A passport group's date, its precision, its kind of source and its reference: ``land_as_of``…"""
    return (f"{group}_as_of", precision_column(f"{group}_as_of"), kind_column(f"{group}_source"), f"{group}_source")


_DATE_PARTS = re.compile(r"\d+")
_ISO_DATE = re.compile(r"^\d{4}(-\d{1,2}){0,2}$")


def parse_date(text: str, lang: str) -> tuple[str, str] | None:
    """A date as an officer types it, as precise as its source: the day, the month or the year, in the
    order of the language's date fields (:func:`heza_geo.i18n.date_input_format`: vi/en "05/04/2025",
    "04/2025"; ko "2025.04.05", ja/zh "2025/04"), or ISO ("2025-04-05"), or the year alone. Returns
    the ISO text of what was typed and its precision (the store keeps the first day of the period
    with it), or None for an empty field; raises ValueError for text that is not such a date.

    >>> parse_date("2025", "vi"), parse_date("04/2025", "en"), parse_date("2025. 4. 5.", "ko")
    (('2025', 'year'), ('2025-04', 'month'), ('2025-04-05', 'day'))
    >>> parse_date("2025-04-05", "vi"), parse_date("", "vi")
    (('2025-04-05', 'day'), None)
    """
    text = text.strip()
    if not text:
        return None
    parts = [int(p) for p in _DATE_PARTS.findall(text)]
    if not parts or len(parts) > 3 or re.search(r"[^\d\s./\-年月日년월일]", text):
        raise ValueError(text)
    year_first = _ISO_DATE.match(text) is not None or i18n.date_input_format(lang).startswith("Y")
    if not year_first:
        parts.reverse()  # day/month/year, month/year
    year, month, day = [*parts, 1, 1][:3]
    if not 1000 <= year <= 9999:
        raise ValueError(text)
    date(year, month, day)  # a day or month that does not exist raises ValueError
    precision = DATE_PRECISION[::-1][len(parts) - 1]
    return (f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}")[len(parts) - 1], precision


def date_text(value: object, precision: object, lang: str) -> str:
    """A stored date as its form field starts from: as precise as it is known, in the order the
    field is typed in (:func:`parse_date` reads it back); "" for none.

    >>> date_text("2025-04-05", None, "vi"), date_text("2027-06-01", "month", "en")
    ('05/04/2025', '06/2027')
    >>> date_text("2025-01-01", "year", "ko")
    '2025'
    >>> date_text("2025-04-05", "day", "ko"), date_text("2027-06-01", "month", "ja")
    ('2025.04.05', '2027/06')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]  # a cell
        return ""
    when = pd.Timestamp(str(value))
    pattern = i18n.date_input_format(lang)
    sep = next(c for c in pattern if not c.isalpha())
    known = str(precision) if precision in DATE_PRECISION else (written_precision(value) or "day")
    parts = {"year": [f"{when.year:04d}"], "month": [f"{when.month:02d}", f"{when.year:04d}"],
             "day": [f"{when.day:02d}", f"{when.month:02d}", f"{when.year:04d}"]}[known]
    return sep.join(parts[::-1] if pattern.startswith("Y") else parts)


def list_values(value: object) -> list[str]:
    """A ';'-separated cell (a park's permitted sectors, a contact's languages) as its values."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]  # a cell
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


def language_name(code: str, lang: str) -> str:
    """An ISO 639-1 language in the reader's language ("vi" is "tiếng Việt" to a Vietnamese reader,
    "베트남어" to a Korean one); the code itself if unknown.

    >>> language_name("vi", "en"), language_name("ko", "ja"), language_name("xx", "en")
    ('Vietnamese', '韓国語', 'xx')
    """
    return str(Locale.parse(i18n.normalize_lang(lang)).languages.get(code, code))


def list_text(layer: str, column: str, value: object, lang: str) -> str | None:
    """A ';'-separated cell as a reader reads it: permitted sectors by their labels, languages by
    their names; None for a column that holds no such list."""
    if (layer, column) == ("passports", "permitted_sectors"):
        return ", ".join(i18n.label("sector", v, lang) for v in list_values(value))
    if (layer, column) == ("contacts", "languages"):
        return ", ".join(language_name(v, lang) for v in list_values(value))
    return None


def problem_lines(problems: Sequence[Problem], lang: str, labels: Mapping[str, str] | None = None) -> list[str]:
    """The problems the store found in one form's record, one line each, the field first as the form
    names it (``labels``: column → the field's label on the form; another column by its column label),
    then what is wrong in the reader's language.

    >>> from heza_geo.io.validation import problem
    >>> problem_lines([problem("form", "contacts", "problem.needs_comment", None, "comment")], "en",
    ...               {"comment": "Why (kept in the history)"})
    ['Why (kept in the history): needs a comment saying why']
    """
    lines = []
    labels = labels or {}
    for found in problems:
        field = labels.get(found.field or "") or (i18n.label("column", found.field, lang) if found.field else "")
        text = i18n.problem_text(found, lang)
        lines.append(f"{field}: {text}" if field else text)
    return lines


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))  # type: ignore[call-overload]  # a cell


def contact_record(contacts: pd.DataFrame, park_id: str | None) -> pd.Series | None:
    """The contact a form edits: a park's developer sales office, or (``park_id`` None) HEZA's desk for
    every park (the row with no park); None when there is none yet (the first such row if several)."""
    if park_id is None:
        rows = contacts[(contacts["role"] == "heza_desk") & contacts["park_id"].map(_missing)]
    else:
        rows = contacts[(contacts["role"] == "developer_sales") & (contacts["park_id"] == park_id)]
    return None if rows.empty else rows.sort_values("contact_id").iloc[0]


def new_contact_id(park_id: str | None) -> str:
    """The id a new contact gets: ``heza-desk``, or ``<park>-sales`` for a park's sales office."""
    return "heza-desk" if park_id is None else f"{park_id}-sales"


def incentive_record(incentives: pd.DataFrame, zone_id: str | None) -> pd.Series | None:
    """The incentive text a form edits: an economic zone's, or (``zone_id`` None) that of the industrial
    parks outside any zone; None when there is none yet."""
    if zone_id is None:
        rows = incentives[(incentives["regime"] == "industrial_park") & incentives["zone_id"].map(_missing)]
    else:
        rows = incentives[(incentives["regime"] == "economic_zone") & (incentives["zone_id"] == zone_id)]
    return None if rows.empty else rows.sort_values("incentive_id").iloc[0]


def new_incentive_id(zone_id: str | None) -> str:
    """The id a new incentive text gets: ``ez-<zone>``, or ``industrial-parks`` outside a zone."""
    return "industrial-parks" if zone_id is None else f"ez-{zone_id}"


def _comparable(layer: str, column: str, value: object) -> object:
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):  # type: ignore[call-overload]  # a cell
        return None
    dtype = LAYERS[layer].column(column).dtype
    if dtype == "date":
        return pd.Timestamp(str(value)[:10])
    if dtype in ("int", "float"):
        return float(value)  # type: ignore[arg-type]  # a number cell
    return str(value)


def differing_fields(layer: str, entry: Mapping[str, object], current: Mapping[str, object] | None) -> tuple[str, ...]:
    """The fields of a form's entry whose value differs from the record as stored now (``current``,
    a snapshot): what a conflict shows, the values the officer's save would replace.

    >>> differing_fields("passports", {"park_id": "A", "water_free_m3_day": 4000.0, "utilities_as_of": "2025"},
    ...                  {"park_id": "A", "water_free_m3_day": 2500, "utilities_as_of": "2025-01-01"})
    ('water_free_m3_day',)
    """
    schema = LAYERS[layer]
    return tuple(column for column, value in entry.items()
                 if column in schema.column_names and column not in schema.id_columns
                 and _comparable(layer, column, value) != _comparable(layer, column, (current or {}).get(column)))


#: layers whose records may belong to no park (HEZA's desk for every park, a zone's incentives): the
#: history lists their changes under an entry of their own
PARKLESS_LAYERS = ("contacts", "incentives")


def without_park(entries: Iterable[VersionEntry]) -> list[VersionEntry]:
    """The record changes of :data:`PARKLESS_LAYERS` that concern no park, newest first: what the
    history shows under "No park's own" (a park's sales office is in its park's history)."""
    found = {e.id: e for e in entries if e.park_id is None and e.layer in PARKLESS_LAYERS}
    return sorted(found.values(), key=lambda e: e.id, reverse=True)
