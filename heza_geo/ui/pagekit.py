"""Streamlit glue of the occupancy, investment and port pages: their link parameters, charts on
screen, captions and source notes.

A page reads its own choices from the URL once (``initial``), keeps them in widgets, and writes
them back with the language on every run (``publish``), so a copied link reproduces the view.
Charts are built by :mod:`heza_geo.ui.slides` and drawn here (:func:`show`) as slides in the
session's language.

:func:`caption` shows plain text (a provenance from :mod:`heza_geo.analysis.sources`, a note from
the data) under a figure: Streamlit renders captions as Markdown, so it is escaped there
(:func:`heza_geo.text.md_escape`), like the link values :func:`warn` quotes and the source notes
:func:`notes` shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas as gpd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.indicators import placed
from heza_geo.links import BadParam
from heza_geo.text import md_escape, md_format
from heza_geo.ui import common, slides


def params() -> dict[str, str]:
    """The URL's query parameters (of a repeated one, the last value, as Streamlit reads it)."""
    return {key: st.query_params[key] for key in st.query_params}


def warn(problems: Iterable[BadParam | None]) -> None:
    """One warning per link parameter that was ignored, saying what was used instead."""
    for bad in problems:
        if bad is not None:  # the value comes from a link: shown as text
            st.warning(md_format(common.tr("msg.bad_link_param"), name=bad.name, value=bad.value, allowed=bad.allowed,
                                 default=bad.default or i18n.MISSING))


def caption(text: str, prefix: str = "") -> None:
    """``st.caption`` of plain ``text`` (a provenance, a sources line, a note from the data), shown
    as its characters; ``prefix`` (ours, e.g. "ⓘ ") is kept as Markdown."""
    st.caption(prefix + md_escape(text))


def notes(lines: Iterable[str], boxed: bool = False) -> None:
    """Source notes (plain text quoting the data, :mod:`heza_geo.analysis.sources`), each as an
    "ⓘ" caption, or in an info box where a page puts a caveat before its figures (``boxed``)."""
    for text in lines:
        if boxed:
            st.info(md_escape(text))
        else:
            caption(text, "ⓘ ")


def not_drawn(parks: gpd.GeoDataFrame, names: Mapping[str, str]) -> None:
    """Under a map of ``parks``: those it cannot draw, having no position yet (named, in the order
    given), so a reader does not look for them; nothing when every park is placed."""
    missing = [names.get(p, p) for p in parks.loc[~placed(parks), "park_id"]]
    if missing:
        caption(common.tr("text.not_drawn", names=", ".join(missing)))


def initial(key: str, value: object) -> None:
    """Give widget ``key`` its first value (from the URL) once per visit of the page."""
    if key not in st.session_state:
        st.session_state[key] = value


def publish(**choices: object) -> None:
    """Write the language and this page's choices (``None`` = left out) to the URL."""
    wanted = {"lang": common.lang()} | {k: _text(v) for k, v in choices.items() if v is not None}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def _text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def show(chart: slides.Slide, key: str) -> None:
    """A chart of :mod:`heza_geo.ui.slides` across the page, as a slide in the session's language."""
    st.altair_chart(slides.slide(chart, common.lang()), width="stretch", key=key)
