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

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import geopandas as gpd
import streamlit as st

from heza_geo.analysis.indicators import placed
from heza_geo.text import md_escape
from heza_geo.ui import common, slides


def params() -> dict[str, str]:
    """The URL's query parameters (of a repeated one, the last value, as Streamlit reads it)."""
    return {key: st.query_params[key] for key in st.query_params}


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


def show(build: Callable[..., slides.Slide], *args: object, key: str, as_slide: bool = True) -> None:
    """The chart ``build(*args)`` of :mod:`heza_geo.ui.slides` across the page, as a slide in the
    session's language (``as_slide``; else as built, a panel's small chart).

    Decision: the Vega-Lite specification is built once per builder, arguments and language
    (:func:`_spec`, cached) and drawn with ``st.vega_lite_chart``. Building it with Altair and
    validating it took most of a run of the investment page; a run that changes one chart's input
    (another period) now builds that chart only, and a rerun that changes nothing builds none."""
    st.vega_lite_chart(spec=_spec(build.__name__, args, common.lang(), as_slide), width="stretch", key=key)


@st.cache_data(max_entries=256, show_spinner=False)
def _spec(build: str, args: tuple[object, ...], lang: str, as_slide: bool) -> dict[str, Any]:
    """The Vega-Lite dict of ``slides.<build>(*args)``, made a slide in ``lang`` (``as_slide``; else
    as built, with the language's numbers and month names). Cached on the arguments' values
    (frames by content); the data is in the dict, inline."""
    chart = getattr(slides, build)(*args)
    return (slides.slide if as_slide else slides.localized)(chart, lang).to_dict()
