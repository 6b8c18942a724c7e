"""The park panel's rows as HTML that wraps, from the frames of :mod:`heza_geo.analysis.panels`.

``st.dataframe`` draws on a canvas with fixed column widths: in a 330-px panel a source, a
developer's name or a distance needed sideways scrolling. These builders return HTML strings
(``st.html`` draws them; the styles are :data:`heza_geo.ui.layout.STYLE`, in the page as sent):

* :func:`facts` — figure, value and source as a definition list: the figure left, the value right
  and its source under it, small; every line wraps.
* :func:`nearby` — a feature per row: its name and kind, its distance at the right, never wrapped.
* :func:`table` — a frame as a table whose cells wrap, in a box that scrolls down (never sideways).

Every text is the data's or the catalog's, escaped here (:func:`html.escape`): a name with ``<`` is
shown as its characters. Nothing here imports Streamlit, so the markup can be read in a test.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

NUM = ' class="num"'


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(value))


def facts(frame: pd.DataFrame) -> str:
    """The facts of :func:`heza_geo.analysis.panels.park_facts` (figure, value, source) as a
    definition list; a row with no source has no source line."""
    rows = []
    for figure, value, source in frame.itertuples(index=False, name=None):
        note = f"<small>{_text(source)}</small>" if _text(source) else ""
        rows.append(f"<div><dt>{_text(figure)}</dt><dd><span>{_text(value)}</span>{note}</dd></div>")  # the value alone
    return f'<dl class="heza-facts">{"".join(rows)}</dl>'


def nearby(names: Iterable[object], kinds: Iterable[object], distances: Iterable[str]) -> str:
    """Features nearby, one row each: the name (and its kind, small, under it) and the distance
    (text, e.g. "2.3 km") at the right."""
    rows = [f"<li><span>{_text(n)}<small>{_text(k)}</small></span><b>{_text(d)}</b></li>"
            for n, k, d in zip(names, kinds, distances, strict=True)]
    return f'<ul class="heza-near">{"".join(rows)}</ul>'


def table(frame: pd.DataFrame, numeric: Iterable[str] = ()) -> str:
    """``frame`` (cells already text, the headers a reader sees) as a table whose cells wrap, in a
    box that scrolls down; the ``numeric`` columns right-aligned."""
    right = set(numeric)
    head = "".join(f"<th{NUM if c in right else ''}>{_text(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td{NUM if c in right else ''}>{_text(v)}</td>"
                         for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False, name=None))
    return f'<div class="heza-scroll"><table class="heza-table"><thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table></div>"
