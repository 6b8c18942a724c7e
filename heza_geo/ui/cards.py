"""Indicator cards on screen: a :class:`heza_geo.analysis.cards.Card` as ``st.metric`` with its note.

A card's title and value are ours (catalog text and formatted numbers) and are drawn as they are;
its note may quote data (a source, a period), so it is escaped (:func:`heza_geo.text.md_escape`):
Streamlit renders captions as Markdown. A card without a note (``note=None``) draws no caption.
A card whose figure is newer than the HEZA reports' draws the reports' own figure (``report``) on
a second caption, so both stay in view.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from heza_geo.analysis.cards import Card
from heza_geo.text import md_escape


def card(item: Card) -> None:
    """One card where the page is drawing: the metric, then its note as a caption, then the reports'
    figure (where the value is newer than it) as a second one."""
    st.metric(item.title, item.value)
    if item.note is not None:
        st.caption(md_escape(item.note))
    if item.report is not None:
        st.caption(md_escape(item.report))


def card_row(items: Sequence[Card], per_row: int | None = None, key: str | None = None) -> None:
    """``items`` side by side, ``per_row`` to a row (default: all in one row).

    ``key`` wraps the rows in a keyed container (its CSS class is ``st-key-<key>``), which the
    browser tests find the cards by.
    """
    if key is not None:
        with st.container(key=key):
            _rows(items, per_row or len(items))
    else:
        _rows(items, per_row or len(items))


def _rows(items: Sequence[Card], per_row: int) -> None:
    for start in range(0, len(items), per_row):
        for column, item in zip(st.columns(per_row), items[start:start + per_row], strict=False):
            with column:
                card(item)
