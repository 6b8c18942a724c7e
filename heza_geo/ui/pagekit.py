"""Streamlit glue of the occupancy, investment and port pages: their link parameters, slide-ready
charts and provenance captions.

A page reads its own choices from the URL once (``initial``), keeps them in widgets, and writes
them back with the language on every run (``publish``), so a copied link reproduces the view.
Charts get large type, a title with the unit, and the language's number format.

:func:`provenance` and :func:`sources_line` return plain text (a chart's tooltip, a table cell
show it as it is); :func:`caption` shows such text, or a note, under a figure: Streamlit renders
captions as Markdown, so it is escaped there (:func:`heza_geo.text.md_escape`), like the link
values :func:`warn` quotes.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.links import BadParam
from heza_geo.schema import provenance_kind
from heza_geo.text import md_escape, md_format
from heza_geo.ui import common

#: number and date formats Vega uses for axes, per language (labels we format ourselves with Babel)
_VEGA_NUMBER = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", ""]},
}
_DEFAULT_NUMBER = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}
SLIDE_FONT = 15


def params() -> dict[str, str]:
    """The URL's query parameters (first value of each)."""
    return {key: st.query_params.get(key) for key in st.query_params}


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


def slide(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Large type for a projector, the language's number format, drawn as SVG (crisp when enlarged;
    its text can be read by tests and screen readers). Streamlit turns off Vega's export menu, so a
    presenter uses the chart's fullscreen button and a screenshot."""
    lang = common.lang()
    return (
        chart.configure(locale={"number": _VEGA_NUMBER.get(lang, _DEFAULT_NUMBER)})  # first: it replaces the config
        .configure_axis(labelFontSize=SLIDE_FONT - 1, titleFontSize=SLIDE_FONT, labelLimit=320)
        .configure_legend(labelFontSize=SLIDE_FONT - 1, titleFontSize=SLIDE_FONT, labelLimit=360, orient="bottom",
                          columns=3)
        .configure_title(fontSize=SLIDE_FONT + 5, anchor="start", subtitleFontSize=SLIDE_FONT - 1,
                         subtitleColor="#555", offset=14)
        .properties(usermeta={"embedOptions": {"renderer": "svg"}})
    )


def show(chart: alt.TopLevelMixin, key: str) -> None:
    st.altair_chart(slide(chart), width="stretch", key=key)


def source_ref(source: object) -> str:
    """A short reference for a caption: the report's number ("001"), the news site, or the text."""
    text = "" if source is None or (not isinstance(source, str) and pd.isna(source)) else str(source)
    kind = provenance_kind(text)
    if kind == "report":
        return text[:3]
    if kind == "news":
        return text.removeprefix("news:").strip()
    return text


def provenance(source: object, as_of: object = None, basis: str | None = None) -> str:
    """"Official figure – HEZA report (001) · as of 14/10/2023 · Estimate": what a reader needs to trust a figure."""
    lang = common.lang()
    text = None if source is None or (not isinstance(source, str) and pd.isna(source)) else str(source)
    ref = source_ref(text)
    parts = [i18n.badge(text, lang) + (f" ({ref})" if ref and provenance_kind(text) in ("report", "news") else "")]
    if as_of is not None and not pd.isna(as_of):
        parts.append(i18n.t("text.as_of", lang, date=i18n.fmt_date(as_of, lang)))
    if basis and basis != "reported":
        parts.append(i18n.label("basis", basis, lang))
    return " · ".join(parts)


def sources_line(rows: pd.DataFrame, label_of=None) -> str:  # noqa: ANN001 - label_of: period -> text
    """One caption for a chart's rows: each provenance badge once, then its references, e.g.
    "Official figure – HEZA report: 001 (10 months 2023), 002 (11 months 2024, estimate)"."""
    lang = common.lang()
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
