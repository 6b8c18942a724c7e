"""The park panel's rows as HTML that wraps, from the frames of :mod:`heza_geo.analysis.panels`.

``st.dataframe`` draws on a canvas with fixed column widths: in a 330-px panel a source, a
developer's name or a distance needed sideways scrolling. These builders return HTML strings
(``st.html`` draws them; the styles are :data:`heza_geo.ui.layout.STYLE`, in the page as sent):

* :func:`facts` — figure, value and source as a definition list: the figure left, the value right
  and its source under it, small; every line wraps.
* :func:`nearby` — a feature per row: its name and kind, its distance at the right, never wrapped.
* :func:`table` — a frame as a table whose cells wrap, in a box that scrolls down (never sideways).
* :func:`groups` — sections, each a title a reader opens (a native ``<details>``) over its HTML: it
  opens in the browser with no run, and a closed one is not laid out (a park's 237 plots in one
  table made each click on that park 0.1 s slower, and the reader looks for the free ones first).
* :func:`key_facts`, :func:`passport_group` — a park's passport (:mod:`heza_geo.analysis.passport`):
  the key figures an investor scans first, each with its group's date and badge under it; a group's
  rows (a row's own badge under its value where it differs from the group's, as the largest free
  area's demo badge), its contacts, or the one line that says nothing of it is published.

Every text is the data's or the catalog's, escaped here (:func:`html.escape`): a name with ``<`` is
shown as its characters. Nothing here imports Streamlit, so the markup can be read in a test.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from heza_geo.analysis.passport import Group, Passport

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


def groups(sections: Iterable[tuple[str, str]], kind: str) -> str:
    """Each ``(title, body)`` of ``sections`` (``body`` HTML made here) as a closed ``<details>``
    titled ``title`` (text), in a block of class ``heza-groups heza-<kind>`` (a panel has more than one:
    the passport's, the plots')."""
    items = "".join(f'<details class="heza-group"><summary>{_text(title)}</summary>{body}</details>'
                    for title, body in sections)
    return f'<div class="heza-groups heza-{html.escape(kind)}">{items}</div>'


def _dl(rows: Iterable[tuple[object, object, object]], css: str = "heza-facts") -> str:
    items = []
    for label, value, note in rows:
        under = f"<small>{_text(note)}</small>" if _text(note) else ""
        items.append(f"<div><dt>{_text(label)}</dt><dd><span>{_text(value)}</span>{under}</dd></div>")
    return f'<dl class="{css}">{"".join(items)}</dl>'


def key_facts(passport: Passport) -> str:
    """The passport's key facts (price range, years left, power, water free, readiness) as a
    definition list, each with its group's date and badge under it ("" for a figure not published)."""
    return _dl(zip((f.label for f in passport.key_facts), (f.value for f in passport.key_facts),
                   passport.key_sources, strict=True), "heza-facts heza-passport")


def group_source(group: Group) -> str:
    """"as of 2025 · Synthetic demo data – not an official figure": a group's date and badge, as text."""
    return " · ".join(x for x in (group.as_of, group.badge) if x)


def passport_group(group: Group) -> str:
    """A passport group: its date and badge on top, then its rows (a row's own badge under its value
    where it differs from the group's), or its contacts (role, organisation, then the details given,
    each contact with its date and badge), or the one line that says nothing is published."""
    if group.empty:
        return f'<p class="heza-passport-empty">{_text(group.empty)}</p>'
    top = f"<p><small>{_text(group_source(group))}</small></p>" if group_source(group) else ""
    if group.contacts:
        rows = []
        for c in group.contacts:
            lines = "".join(f"<small>{_text(label)}: {_text(value)}</small>" for label, value in c.details)
            note = " · ".join(x for x in (c.as_of, c.badge) if x)
            rows.append(f"<div><dt>{_text(c.role)}</dt><dd><span>{_text(c.organisation)}</span>{lines}"
                        f"<small>{_text(note)}</small></dd></div>")
        return f'{top}<dl class="heza-facts heza-contacts">{"".join(rows)}</dl>'
    return top + _dl((r.label, r.value, r.badge if r.badge and r.badge != group.badge else "")
                     for r in group.rows)
