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

import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.sources import badge
from heza_geo.errors import Conflict, Problem
from heza_geo.schema import LayerSchema, Provenance, precision_column, provenance_of
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


def field_value(layer: str, column: str, value: object, lang: str) -> str:
    """One stored value as a reader reads it: an allowed value by its label, a number as the pages
    write it, "—" for none; other values as written."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return i18n.MISSING
    kind = i18n.value_kind(layer, column)
    if kind is not None:
        return i18n.label(kind, value, lang)
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
        before, after = ((entry.before or {}).get(column), (entry.after or {}).get(column))
        if entry.op == "update":
            parts.append(f"{label}: {field_value(entry.layer, column, before, lang)} → "
                         f"{field_value(entry.layer, column, after, lang)}")
        else:
            shown = after if entry.op == "insert" else before
            parts.append(f"{label}: {field_value(entry.layer, column, shown, lang)}")
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
