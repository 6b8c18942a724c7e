"""Data text stays text: on screen (Markdown) and in spreadsheets (CSV, XLSX).

Names of parks, zones, tenants and berths, notes, sources and values read from a link are data:
whoever typed them (a data file, a staff edit, a crafted link) must not get to decide how the app
or a spreadsheet reads them. Two rules, each in one place, used by every page and every writer:

* **Markdown.** Streamlit renders GitHub-flavoured Markdown (plus its ``:red[…]`` and
  ``:material/…:`` directives and ``$…$`` maths) in ``st.markdown``, ``st.caption``, alerts,
  headings, ``st.table`` cells, metric labels and values, radio options and every widget label.
  :func:`md_escape` backslash-escapes every ASCII punctuation character (CommonMark lets any of
  them be escaped, and an escaped one is shown as itself), so "[click](http://x)" is shown as
  those characters and never becomes a link, an image fetched from another host, HTML or a
  heading. Escapes are not enough for GFM's *autolinks*: they are found in the text after the
  escapes are read, so a bare "http://…", "www.…" or "a@b.c" would still become a link. An
  invisible word joiner (U+2060) goes into each of them, after "scheme:", "www" and "@": the
  reader sees the same characters, the autolinker no longer sees an address (a copied name
  carries the invisible character along). Line breaks become spaces: a name or a note in a
  caption is one paragraph, and a line break could start a block (a list, a heading) of its
  own. Pages escape the data they put into Markdown, never the translations around it
  (:func:`md_format` does both at once). HTML (folium popups and tooltips) is escaped with
  :func:`html.escape` where it is built (:mod:`heza_geo.maps.build`); ``st.dataframe``, ``st.code``
  and ``st.selectbox``/``st.multiselect`` options render plain text and need nothing.
* **Spreadsheets.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is read as a formula by Excel or LibreOffice (a tenant "=cmd|' /C calc'!A0" runs a
  program when the file is opened). :func:`sheet_cell` prefixes such a cell with a single quote,
  as OWASP advises for CSV injection; numbers (numeric columns) are never touched, so a column of
  negative figures stays a column of numbers. :func:`sheet_safe` applies it to a whole table:
  cells, column headers and index labels. :func:`csv_bytes` and :func:`write_sheet` are the only
  CSV and XLSX writers of the app and the command line; :func:`write_sheet` also marks every text
  cell as a string (openpyxl ``data_type`` ``"s"``), so no cell of an exported workbook is ever a
  formula.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pandas as pd

log = logging.getLogger(__name__)

#: ASCII punctuation: every character CommonMark lets a backslash escape
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
#: where GFM's autolinker would see an address: "scheme://", "www.", "name@domain"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
#: invisible, not a space, not punctuation: it breaks an address without changing what is shown
WORD_JOINER = "\u2060"
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
#: the first characters that make a spreadsheet read a text cell as a formula (OWASP)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def md_escape(value: Any) -> str:
    r"""``value`` as Markdown that shows exactly its characters; ``None``/NaN give "".

    >>> md_escape("[click](http://evil.example/x) <img src=x>")
    '\\[click\\]\\(http\\:\u2060\\/\\/evil\\.example\\/x\\) \\<img src\\=x\\>'
    >>> md_escape("www.evil.example, a@evil.example")  # no autolink: a word joiner in each
    'www\u2060\\.evil\\.example\\, a\\@\u2060evil\\.example'
    >>> md_escape("KCN Đình Vũ – Cát Hải")  # letters, digits, spaces and non-ASCII are kept
    'KCN Đình Vũ – Cát Hải'
    >>> md_escape("**1.** two\nlines")
    '\\*\\*1\\.\\*\\* two lines'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = _AUTOLINK.sub(WORD_JOINER, _LINE_BREAK.sub(" ", str(value)))
    return _MD_PUNCTUATION.sub(r"\\\1", text)


def md_format(template: str, /, **values: object) -> str:
    r"""``template`` (ours: Markdown allowed) filled with ``values`` (data: escaped).

    Like :func:`heza_geo.i18n.t`, a placeholder that cannot be filled leaves the template as it
    is (logged, never raised), so a translation with a typo cannot break a page.

    >>> md_format("**{rank}. {name}**", rank=1, name="[x](y)")
    '**1. \\[x\\]\\(y\\)**'
    """
    try:
        return template.format(**{key: md_escape(value) for key, value in values.items()})
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        log.warning("md_format: cannot fill %r: %r", template, exc)
        return template


# --- spreadsheets -------------------------------------------------------------------------------
def sheet_cell(value: Any) -> Any:
    """``value`` as a spreadsheet must hold it: text that would start a formula gets a leading
    single quote; anything else (numbers, dates, None, other text) is returned as it is.

    >>> sheet_cell("=cmd|' /C calc'!A0"), sheet_cell("-2+3"), sheet_cell(-2.5), sheet_cell("Công ty")
    ("'=cmd|' /C calc'!A0", "'-2+3", -2.5, 'Công ty')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text_like(values: pd.Series | pd.Index) -> bool:
    return pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)


def sheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, column headers and index labels pass :func:`sheet_cell`.

    Numeric, boolean and date columns are left as they are (a number is never a formula), so they
    stay numbers in the file.
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if _text_like(column):
            out.isetitem(position, column.map(sheet_cell, na_action="ignore").astype(object).to_numpy())
    out.columns = pd.Index([sheet_cell(c) for c in out.columns], name=sheet_cell(out.columns.name))
    if _text_like(out.index):
        out.index = pd.Index([sheet_cell(v) for v in out.index], name=sheet_cell(out.index.name))
    else:
        out.index = out.index.rename(sheet_cell(out.index.name))
    return out


def csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """``frame`` as CSV for people: UTF-8 with a byte-order mark (Excel reads Vietnamese right),
    formulas neutralised (:func:`sheet_safe`), RFC 4180 line ends (CRLF). With CRLF, Python's
    CSV writer quotes every field holding a carriage return or a line feed, so such a field stays
    one cell (with ``\\n`` line ends a lone ``\\r`` went out unquoted and split the row)."""
    return sheet_safe(frame).to_csv(index=index, lineterminator="\r\n").encode("utf-8-sig")


def write_sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, name: str, index: bool = False) -> Any:
    """Write ``frame`` to the sheet ``name`` (cut to Excel's 31 characters) of an openpyxl
    ``writer``, formulas neutralised and every text cell stored as a string; returns the
    worksheet, for the caller's widths and frozen panes."""
    sheet_name = name[:31]
    sheet_safe(frame).to_excel(writer, sheet_name=sheet_name, index=index)
    sheet = writer.sheets[sheet_name]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    return sheet
