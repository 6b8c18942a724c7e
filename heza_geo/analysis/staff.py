"""The staff page's tables: an import's problems and what it will change, the store's versions, a
park's history of edits, the accounts; and the figures an edit form starts from.

Each function turns what :mod:`heza_geo.store` and :mod:`heza_geo.io.importers` return (problems,
change sets, version and history entries, the accounts frame) into a frame with the headers and
words of the reader's language; nothing here reads or writes the store.

Decisions a reader must know
----------------------------
* Times are the store's UTC times, to the minute ("2026-11-29 14:05"), as the command line's
  ``history`` writes them, so staff reading both see the same time.
* A park's history names the fields each change touched (:func:`heza_geo.store.diff.changed_fields`),
  not their values: the values are in the store and in the export.
* In the history's park list, the parks changed most recently come first (among the last 50
  record changes), then the others, each group by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.sources import badge
from heza_geo.errors import Problem
from heza_geo.schema import LayerSchema, Provenance, precision_column, provenance_of
from heza_geo.store.base import Change, ChangeSet, VersionEntry, VersionInfo
from heza_geo.store.diff import change_table, changed_fields

#: how a version's time is written in the staff page's tables
TIME_FORMAT = "%Y-%m-%d %H:%M"


def problems_table(problems: Sequence[Problem], lang: str) -> pd.DataFrame:
    """One line per problem of a file or an edit: file, row, record, field and what is wrong
    (blank where the problem has no row, record or field)."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.col_file"): [p.file for p in problems],
        t("dm.col_row"): [p.row if p.row is not None else "" for p in problems],
        t("dm.col_record"): [p.record_id or "" for p in problems],
        t("dm.col_field"): [p.field or "" for p in problems],
        t("dm.col_problem"): [p.message for p in problems],
    })


def changes_table(change_set: ChangeSet, schema: LayerSchema, lang: str) -> pd.DataFrame:
    """What an import will do, one line per record (:func:`heza_geo.store.diff.change_table`): the
    operation in words, the record, the fields it changes, then the record's new (or removed) values."""
    t = i18n.translator(lang)
    table = change_table(change_set, schema)
    table["op"] = table["op"].map(lambda op: t(f"op.{op}"))
    return table.rename(columns={"op": t("dm.col_op"), "record_id": t("dm.col_record"), "fields": t("dm.col_fields")})


def versions_table(versions: Sequence[VersionInfo], lang: str) -> pd.DataFrame:
    """The store's versions (newest first, as given): number, time, author, records changed, comment."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.col_version"): [v.version for v in versions],
        t("dm.col_at"): [v.at.strftime(TIME_FORMAT) for v in versions],
        t("dm.col_author"): [v.author for v in versions],
        t("dm.col_records"): [v.changes for v in versions],
        t("dm.col_comment"): [v.comment for v in versions],
    })


def history_table(entries: Sequence[VersionEntry], lang: str) -> pd.DataFrame:
    """A park's record changes (newest first, as given): version, time, author, operation, layer,
    record, the fields changed and the comment."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("dm.col_version"): [e.version for e in entries],
        t("dm.col_at"): [e.at.strftime(TIME_FORMAT) for e in entries],
        t("dm.col_author"): [e.author for e in entries],
        t("dm.col_op"): [t(f"op.{e.op}") for e in entries],
        t("dm.col_layer"): [t(f"layer.{e.layer}") for e in entries],
        t("dm.col_record"): [e.record_id for e in entries],
        t("dm.col_fields"): [", ".join(changed_fields(Change(e.layer, e.record_id, e.op, e.after, e.before)))
                             for e in entries],
        t("dm.col_comment"): [e.comment for e in entries],
    })


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


def occupancy_to_edit(history: pd.DataFrame, park_id: str, lang: str) -> tuple[float, str | None]:
    """What the occupancy form starts from: the park's latest figure in ``occupancy_history`` (0 when
    it has none) and a line saying it, its date (as precisely as it is known) and its source's badge
    with the report's number or the news site (None when it has none)."""
    rows = history[history["park_id"] == park_id].sort_values("as_of", kind="mergesort")
    if rows.empty:
        return 0.0, None
    last = rows.iloc[-1]
    return float(last["occupancy_pct"]), i18n.t(
        "dm.latest", lang, value=i18n.fmt_percent(last["occupancy_pct"], lang),
        date=i18n.fmt_date(last["as_of"], lang, last.get(precision_column("as_of"))),
        source=badge(provenance_of(last), lang))


def provenance_problem(kind: str, reference: str, lang: str) -> str | None:
    """What is wrong with the provenance a staff member gave an edit (a kind of
    :data:`heza_geo.schema.PROVENANCE_KINDS` and a reference), as one line naming the field in the
    reader's language; None when it will do (:meth:`heza_geo.schema.Provenance.problem`)."""
    found = Provenance.of(kind, reference).problem()
    if found is None:
        return None
    field, message = found
    return f"{i18n.t('column.source_kind' if field == 'kind' else 'dm.source', lang)}: {message}"
