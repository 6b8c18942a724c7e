"""What a reader needs to trust a figure, in words: its provenance, and the notes on its sources.

Every figure on a page carries a line such as "Official figure – HEZA report (001) · as of
14/10/2023 · Estimate": the badge of its provenance (:func:`heza_geo.i18n.badge`), the short
reference a reader can follow (the report's number, the news site and date), then its date and
its basis where they say something (a ``reported`` basis goes without saying, so it is left out).

The notes of ``source_notes`` say where sources disagree (003 counts 8 operating berths, 001
counts 2); each is shown in the reader's data language (``note_vi`` or ``note_en``, through
:func:`heza_geo.i18n.data_column`) with its source cited.

Decisions a reader must know
----------------------------
* A provenance is a :class:`heza_geo.schema.Provenance` (a kind and a reference), read from its
  two columns by :func:`heza_geo.schema.provenance_of`; nothing here guesses a kind from text.
* Free text the data hold only in English is shown marked as the English original in every other
  language (:func:`english_text`), never machine-translated.
* Everything here returns plain text: a chart's tooltip or a table cell shows it as it is, and
  whoever renders Markdown escapes it (:func:`heza_geo.text.md_escape`).
* A date is written no more precisely than it is known (``precision``: "as of 2018").
* A reader never sees the store's machine references (issue 16): a report is named by its date and
  title, "HEZA report of 14/10/2023 (Oct 2023 review)" (:func:`source_name`), never by its file
  (``001_7f014fdbc8afe3e1.txt``), and the project's reference notes are named for what they are
  (public maps and news, positions approximate), never "GEOREF.md". Free text that cites either
  (a note, an approximation's method, old records) is renamed when shown (:func:`readable_text`);
  the data keep their references, which GIS staff, the store and the imports read.

Examples
--------
>>> from heza_geo.schema import Provenance
>>> provenance(Provenance("report", "001_7f014fdbc8afe3e1.txt"), "en", as_of="2023-10-14", basis="estimate")
'Official figure – HEZA report (001) · as of 14 Oct 2023 · Estimate'
>>> provenance(Provenance("approximate", "a share of the 6,100 ha of 002"), "en")
'Approximate – not a published figure'
>>> source_name(Provenance("report", "001_7f014fdbc8afe3e1.txt"), "en")
'HEZA report of 14 Oct 2023 (Oct 2023 review)'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from heza_geo import i18n
from heza_geo.schema import (
    APPROXIMATE,
    NEWS,
    REPORT,
    REPORT_DATE_PRECISION,
    REPORT_FILE_IN_TEXT,
    REPORT_FILES,
    SYNTHETIC,
    Provenance,
    provenance_of,
    provenances,
)

#: the project's notes of reference positions and sizes from public sources (``GEOREF.md``), however
#: a text cites them ("GEOREF.md", "GEOREF lists …")
_GEOREF = re.compile(r"\bGEOREF(\.md)?\b")


def _report_name(file: str, lang: str) -> str:
    """"HEZA report of 14 Oct 2023 (Oct 2023 review)": a known report by its date, written no more
    precisely than the report gives it (:data:`heza_geo.schema.REPORT_DATE_PRECISION`), and its short
    title from the catalogs (``source.report_title.<number>``); a file we do not know, as "HEZA report"."""
    if file not in REPORT_FILES:
        return i18n.label("provenance", REPORT, lang)
    when = i18n.fmt_date(REPORT_FILES[file], lang, REPORT_DATE_PRECISION.get(file))
    return i18n.t("source.report_named", lang, date=when, title=i18n.t(f"source.report_title.{file[:3]}", lang))


def readable_text(text: Any, lang: str) -> str:
    """Free text (a note, an approximation's method) as a reader may see it: each report file it cites
    named as :func:`source_name` names the report, each mention of ``GEOREF.md`` as what it is (public
    maps and news compiled by the project, positions approximate); "" for a missing cell.

    The data are not rewritten: a note keeps its citation, and is renamed only where it is shown.

    >>> readable_text("In operation since 2018 (001_7f014fdbc8afe3e1.txt).", "en")
    'In operation since 2018 (HEZA report of 14 Oct 2023 (Oct 2023 review)).'
    >>> readable_text("opened May 2018 (GEOREF.md)", "en")
    'opened May 2018 (public maps and news compiled by the project (positions approximate))'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):  # a cell: None, NaN, NA
        return ""
    named = REPORT_FILE_IN_TEXT.sub(lambda m: _report_name(m.group(0).removesuffix(".txt") + ".txt", lang), str(text))
    return _GEOREF.sub(lambda _: i18n.t("source.georef", lang), named)


def english_text(text: Any, lang: str) -> str:
    """Free text the data hold in English only (a figure's ``note``, a berth's ``event`` and
    ``expected``; a ``source_notes`` row's ``note_en`` read in ko, ja or zh), as
    :func:`readable_text` shows it, marked for any reader but an English one as the English original
    (``text.in_english``, "(영어 원문) “…”", quoted so that a reader sees where the original ends): a
    Korean investor is told the text is not a missing translation but the source's own words, which
    the app does not translate by machine; "" for a missing cell.

    >>> english_text("Percentage as reported.", "en")
    'Percentage as reported.'
    >>> english_text("Percentage as reported.", "ko")
    '(영어 원문) “Percentage as reported.”'
    """
    shown = readable_text(text, lang)
    return i18n.t("text.in_english", lang, text=shown) if shown else ""


def source_name(p: Provenance, lang: str) -> str:
    """A provenance as a reader names it, in ``lang``: the one name every page, popup and export shows.

    * a HEZA report by its date and short title, "HEZA report of 14 Oct 2023 (Oct 2023 review)"
      (vi "Báo cáo của Ban Quản lý KKT Hải Phòng, 14/10/2023 (đánh giá tháng 10/2023)"), its date as
      the app writes dates and no more precise than the report gives it (002: "Nov 2024");
    * news by its site and date as given, "vietnam.vn 20/07/2025";
    * an approximation as "Approximate: <method>", any report file or ``GEOREF.md`` in the method
      named as above, the method (English in the data) marked as the English original for other
      readers (:func:`english_text`);
    * synthetic demo data as synthetic demo ("Synthetic demo"); no source as "" (or its text, renamed).

    >>> source_name(Provenance("report", "002_03c113ee68876e37.txt"), "vi")
    'Báo cáo của Ban Quản lý KKT Hải Phòng, tháng 11/2024 (hội nhập quốc tế năm 2024)'
    >>> source_name(Provenance("approximate", "a share of the 6,100 ha total"), "en")
    'Approximate: a share of the 6,100 ha total'
    """
    if p.kind == REPORT:
        return _report_name(p.ref, lang)
    if p.kind == APPROXIMATE:
        return i18n.t("source.approximate", lang, method=english_text(p.ref, lang))
    if p.kind == SYNTHETIC:
        return i18n.label("provenance", SYNTHETIC, lang)
    return readable_text(p.ref, lang)


def reference(p: Provenance, lang: str) -> str:
    """The short reference a reader can follow: the report's number ("001"), the news site and date;
    the method of an approximation, which the data hold in English only (marked as the English
    original for other readers, :func:`english_text`); "" for synthetic demo data or no source.

    >>> reference(Provenance("approximate", "the dataset's own count"), "ko")
    "(영어 원문) “the dataset's own count”"
    """
    if p.kind == REPORT and p.ref in REPORT_FILES:
        return p.short
    if p.kind == APPROXIMATE:
        return english_text(p.ref, lang)
    return readable_text(p.ref, lang) if p.kind in (REPORT, NEWS) else ""


def badge(p: Provenance, lang: str) -> str:
    """The badge with the reference of a report or a news site: "Official figure – HEZA report (001)"."""
    ref = reference(p, lang)
    return i18n.badge(p, lang) + (f" ({ref})" if ref and p.kind in (REPORT, NEWS) else "")


def _as_of(as_of: Any, lang: str, precision: Any = None) -> list[str]:
    if as_of is None or pd.isna(as_of):
        return []
    return [i18n.t("text.as_of", lang, date=i18n.fmt_date(as_of, lang, precision))]


def _basis(basis: Any, lang: str) -> list[str]:
    return [i18n.label("basis", basis, lang)] if isinstance(basis, str) and basis != "reported" else []


def provenance(p: Provenance, lang: str, as_of: Any = None, basis: Any = None, precision: Any = None) -> str:
    """"Official figure – HEZA report (001) · as of 14/10/2023 · Estimate": the badge first, as the
    occupancy, investment and port pages write it under a figure and in their tables.

    Parameters
    ----------
    p : Provenance
        The figure's provenance (:func:`heza_geo.schema.provenance_of`).
    lang : str
        The reader's language.
    as_of : date-like, optional
        The figure's date; left out when None or missing.
    basis : str, optional
        ``reported``, ``estimate`` or ``synthetic demo``; ``reported`` (and None) is left out.
    precision : str, optional
        ``day`` (default), ``month`` or ``year``: how precisely ``as_of`` is known.
    """
    return " · ".join([badge(p, lang), *_as_of(as_of, lang, precision), *_basis(basis, lang)])


def dated_provenance(as_of: Any, p: Provenance, basis: Any, lang: str, precision: Any = None) -> str:
    """"as of 14/10/2023 · Official figure – HEZA report (001) · Estimate": the date first, as the
    map page's cards and park panel caption a figure (same parts as :func:`provenance`)."""
    return " · ".join([*_as_of(as_of, lang, precision), badge(p, lang), *_basis(basis, lang)])


def row_provenance(row: Any, lang: str, column: str = "source", as_of: str | None = None,
                   basis: str | None = None) -> str:
    """:func:`provenance` of a record's ``column``, with its date (and precision) and basis columns if named."""
    when = row.get(as_of) if as_of else None
    precision = row.get(f"{as_of}_precision") if as_of else None
    return provenance(provenance_of(row, column), lang, when, row.get(basis) if basis else None, precision)


def sources_line(rows: pd.DataFrame, lang: str, label_of: Callable[[str], str] | None = None) -> str:
    """One caption for a chart's rows: each badge once, then its references, e.g.
    "Official figure – HEZA report: 001 (10 months 2023), 002 (11 months 2024, Estimate)".

    ``label_of`` writes a row's ``period`` in the reader's language (e.g.
    :func:`heza_geo.analysis.investment.period_label`); without it, references carry no period.
    """
    groups: dict[str, list[str]] = {}
    for (_, row), p in zip(rows.iterrows(), provenances(rows), strict=True):
        extra = [label_of(row["period"])] if label_of is not None and "period" in row else []
        extra += _basis(row.get("basis"), lang)
        item = reference(p, lang) + (f" ({', '.join(extra)})" if extra else "")
        if item not in groups.setdefault(i18n.badge(p, lang), []):
            groups[i18n.badge(p, lang)].append(item)
    return " · ".join(f"{name}: {', '.join(items)}" for name, items in groups.items())


# --- source notes ---------------------------------------------------------------------------------
def _note(row: pd.Series, lang: str) -> str:
    """The note in the reader's data language, any report file or ``GEOREF.md`` it cites renamed; the
    English note, marked as such, for a reader of a language the data are not written in."""
    column = i18n.data_column("note", lang)
    return (english_text if column == "note_en" else readable_text)(row[column], lang)


def _cited(row: pd.Series, lang: str) -> str:
    p = provenance_of(row)
    return f"{_note(row, lang)} ({reference(p, lang) or i18n.badge(p, lang)})"


def park_notes(notes: pd.DataFrame, park_id: str, lang: str) -> list[str]:
    """The notes about one park, "<note> (<reference>)", in the reader's data language (the park panel)."""
    return [_cited(row, lang) for _, row in notes[notes["subject_id"] == park_id].iterrows()]


def city_notes(notes: pd.DataFrame, lang: str) -> list[str]:
    """The notes about no one subject (the city's figures), "<note> (<reference>)" (the map's city panel)."""
    return [_cited(row, lang) for _, row in notes[notes["subject_id"].isna()].iterrows()]


#: the topics of ``source_notes`` the occupancy page shows under its table: the city's occupancy
#: figures, and how many parks the city has (sources disagree: 40, 42, 43, and the dataset's own count)
OCCUPANCY_TOPICS = ("occupancy", "park_count")


def occupancy_notes(notes: pd.DataFrame, lang: str) -> list[str]:
    """The notes of the topics :data:`OCCUPANCY_TOPICS`, in that order, "<note> (<report number or
    site>)" (the occupancy page)."""
    return [_cited(row, lang) for topic in OCCUPANCY_TOPICS
            for _, row in notes[notes["topic"] == topic].iterrows()]


def port_note_lines(port_notes: pd.DataFrame, lang: str) -> list[str]:
    """Notes about the port (:func:`heza_geo.analysis.port.port_notes`), "<note> — <provenance>"."""
    return [f"{_note(row, lang)} — {provenance(provenance_of(row), lang)}" for _, row in port_notes.iterrows()]
