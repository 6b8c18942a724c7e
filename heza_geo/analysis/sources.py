"""What a reader needs to trust a figure, in words: its provenance, and the notes on its sources.

Every figure on a page carries a line such as "Official figure – HEZA report (001) · as of
14/10/2023 · Estimate": the badge of its ``source`` (:func:`heza_geo.i18n.badge`), the short
reference a reader can follow (the report's number, the news site), then its date and its basis
where they say something (a ``reported`` basis goes without saying, so it is left out).

The notes of ``source_notes`` say where sources disagree (003 counts 8 operating berths, 001
counts 2); each is shown in the reader's data language (``note_vi`` or ``note_en``, through
:func:`heza_geo.i18n.data_column`) with its source cited.

Decisions a reader must know
----------------------------
* Everything here returns plain text: a chart's tooltip or a table cell shows it as it is, and
  whoever renders Markdown escapes it (:func:`heza_geo.text.md_escape`).
* A missing source (None, NaN, "") reads as "other": no reference, never a guess.

Examples
--------
>>> source_ref("001_7f014fdbc8afe3e1.txt"), source_ref("news: vnexpress.net"), source_ref("approximate")
('001', 'vnexpress.net', 'approximate')
>>> provenance("001_7f014fdbc8afe3e1.txt", "en", as_of="2023-10-14", basis="estimate")
'Official figure – HEZA report (001) · as of 14 Oct 2023 · Estimate'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from heza_geo import i18n
from heza_geo.schema import provenance_kind


def _text(source: Any) -> str:
    return "" if source is None or (not isinstance(source, str) and pd.isna(source)) else str(source)


def source_ref(source: Any) -> str:
    """A short reference for a caption: the report's number ("001"), the news site, or the text."""
    text = _text(source)
    kind = provenance_kind(text)
    if kind == "report":
        return text[:3]
    if kind == "news":
        return text.removeprefix("news:").strip()
    return text


def _badge(source: Any, lang: str) -> str:
    """The badge with the reference of a report or a news site: "Official figure – HEZA report (001)"."""
    text = _text(source) or None
    ref = source_ref(text)
    return i18n.badge(text, lang) + (f" ({ref})" if ref and provenance_kind(text) in ("report", "news") else "")


def _as_of(as_of: Any, lang: str) -> list[str]:
    return [] if as_of is None or pd.isna(as_of) else [i18n.t("text.as_of", lang, date=i18n.fmt_date(as_of, lang))]


def _basis(basis: Any, lang: str) -> list[str]:
    return [i18n.label("basis", basis, lang)] if basis and basis != "reported" else []


def provenance(source: Any, lang: str, as_of: Any = None, basis: Any = None) -> str:
    """"Official figure – HEZA report (001) · as of 14/10/2023 · Estimate": the badge first, as the
    occupancy, investment and port pages write it under a figure and in their tables.

    Parameters
    ----------
    source : str or None
        The record's ``source`` (a report file, ``news: <site>``, ``approximate``, ``synthetic demo``).
    lang : str
        The reader's language.
    as_of : date-like, optional
        The figure's date; left out when None or missing.
    basis : str, optional
        ``reported``, ``estimate`` or ``synthetic demo``; ``reported`` (and None) is left out.
    """
    return " · ".join([_badge(source, lang), *_as_of(as_of, lang), *_basis(basis, lang)])


def dated_provenance(as_of: Any, source: Any, basis: Any, lang: str) -> str:
    """"as of 14/10/2023 · Official figure – HEZA report (001) · Estimate": the date first, as the
    map page's cards and park panel caption a figure (same parts as :func:`provenance`)."""
    return " · ".join([*_as_of(as_of, lang), _badge(source, lang), *_basis(basis, lang)])


def sources_line(rows: pd.DataFrame, lang: str, label_of: Callable[[str], str] | None = None) -> str:
    """One caption for a chart's rows: each badge once, then its references, e.g.
    "Official figure – HEZA report: 001 (10 months 2023), 002 (11 months 2024, Estimate)".

    ``label_of`` writes a row's ``period`` in the reader's language (e.g.
    :func:`heza_geo.analysis.investment.period_label`); without it, references carry no period.
    """
    groups: dict[str, list[str]] = {}
    for _, row in rows.iterrows():
        source = row["source"]
        badge = i18n.badge(source if isinstance(source, str) else None, lang)
        extra = [label_of(row["period"])] if label_of is not None and "period" in row else []
        if row.get("basis") not in (None, "reported") and not pd.isna(row.get("basis")):
            extra.append(i18n.label("basis", row["basis"], lang))
        item = source_ref(source) + (f" ({', '.join(extra)})" if extra else "")
        if item not in groups.setdefault(badge, []):
            groups[badge].append(item)
    return " · ".join(f"{badge}: {', '.join(items)}" for badge, items in groups.items())


# --- source notes ---------------------------------------------------------------------------------
def _note(row: pd.Series, lang: str) -> str:
    return f"{row[i18n.data_column('note', lang)]}"


def park_notes(notes: pd.DataFrame, park_id: str, lang: str) -> list[str]:
    """The notes about one park, "<note> (<source>)", in the reader's data language (the park panel)."""
    rows = notes[notes["subject_id"] == park_id]
    return [f"{_note(row, lang)} ({row['source']})" for _, row in rows.iterrows()]


def city_notes(notes: pd.DataFrame, lang: str) -> list[str]:
    """The notes about no one subject (the city's figures), "<note> (<source>)" (the map's city panel)."""
    rows = notes[notes["subject_id"].isna()]
    return [f"{_note(row, lang)} ({row['source']})" for _, row in rows.iterrows()]


def occupancy_notes(notes: pd.DataFrame, lang: str) -> list[str]:
    """The notes of topic ``occupancy``, "<note> (<report number or site>)" (the occupancy page)."""
    rows = notes[notes["topic"] == "occupancy"]
    return [f"{_note(row, lang)} ({source_ref(row['source'])})" for _, row in rows.iterrows()]


def port_note_lines(port_notes: pd.DataFrame, lang: str) -> list[str]:
    """Notes about the port (:func:`heza_geo.analysis.port.port_notes`), "<note> — <provenance>"."""
    return [f"{_note(row, lang)} — {provenance(row['source'], lang)}" for _, row in port_notes.iterrows()]
