"""The investor pack's two downloads (PDF, standalone HTML) under a shortlist: the land finder's and
compare's (:mod:`heza_geo.export.pack`).

Decisions a reader must know
----------------------------
* A pack is built **when its button is clicked**, not on every rerun: ``st.download_button`` takes a
  callable for its data (Streamlit ≥ 1.50; the installed one runs it on click, on a separate thread).
  A pack once built is kept, per (dataset version, parks, language, address, day), in a small cache of
  this process (:data:`CACHE_SIZE` packs), so a second click or a second visitor with the same
  shortlist gets it at once; a staff edit changes the dataset's version and so the pack.
* The QR codes carry the ``public_url`` setting, else the address the visitor's browser used when it
  is not this machine's loopback (:func:`heza_geo.links.share_base`). Not this machine's address on
  the local network, which the presentation's QR uses: a pack is taken home, where that address
  opens nothing. With neither, the pack says to ask HEZA for the link.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date

import streamlit as st

from heza_geo import i18n
from heza_geo.io import Dataset
from heza_geo.links import share_base
from heza_geo.ui import common

#: packs kept in this process, most recently used last
CACHE_SIZE = 16
_cache: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()


def pack_base_url() -> str | None:
    """The address the pack's QR codes carry: the setting, else the browser's host if not loopback."""
    found = share_base(common.settings().public_url, dict(st.context.headers), lan=lambda: None)
    return found.url if found.source in ("setting", "request") else None


def cached_pack(data: Dataset, park_ids: Sequence[str], lang: str, fmt: str, base_url: str | None,
                today: date) -> bytes:
    """The pack in ``fmt`` (pdf, html), built once per (version, parks, language, address, day)."""
    from heza_geo.export.pack import pack_html, pack_pdf

    key = (data.version, tuple(park_ids), lang, fmt, base_url, today)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    if fmt == "pdf":
        payload = pack_pdf(data, park_ids, lang, today=today, base_url=base_url)
    else:
        payload = pack_html(data, park_ids, lang, today=today, base_url=base_url).encode("utf-8")
    with _lock:
        _cache[key] = payload
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return payload


def _builder(data: Dataset, park_ids: tuple[str, ...], lang: str, fmt: str, base_url: str | None,
             today: date) -> Callable[[], bytes]:
    return lambda: cached_pack(data, park_ids, lang, fmt, base_url, today)


def pack_downloads(data: Dataset, park_ids: Sequence[str], lang: str, key: str) -> None:
    """A line on what the pack holds, then two download buttons (PDF, HTML) for ``park_ids`` in ``lang``;
    ``key`` makes the buttons' keys unique on the page (``{key}_pack_pdf``, ``{key}_pack_html``)."""
    ids = tuple(park_ids)
    if not ids:
        return
    base, today = pack_base_url(), date.today()
    slug = "-".join(ids)
    st.caption(i18n.t("pack.downloads", lang))
    pdf_col, html_col, _ = st.columns([1, 1, 1])
    pdf_col.download_button(i18n.t("pack.download_pdf", lang), _builder(data, ids, lang, "pdf", base, today),
                            file_name=f"heza-investor-pack-{lang}-{slug}.pdf", mime="application/pdf",
                            key=f"{key}_pack_pdf", icon=":material/picture_as_pdf:", on_click="ignore")
    html_col.download_button(i18n.t("pack.download_html", lang), _builder(data, ids, lang, "html", base, today),
                             file_name=f"heza-investor-pack-{lang}-{slug}.html", mime="text/html",
                             key=f"{key}_pack_html", icon=":material/html:", on_click="ignore")
