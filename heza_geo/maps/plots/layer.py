"""The plots layer of the map, drawn in the browser from compact data (``plots.js``).

Why not ``folium.GeoJson``: 50,000 plots as GeoJSON with a popup's HTML each are 26 MB and take
seconds to build, send and draw. :class:`PlotsLayer` sends the packed columns of
:mod:`heza_geo.maps.plots.pack` (inline, or as a gzipped file the app serves, under a secret-keyed name
and only for the current version, see :func:`write_plot_files`) and a per-language dictionary; the
browser builds popups and tooltips on demand and draws SVG paths (class ``heza-plot``, as before)
up to :data:`CANVAS_ABOVE` plots, one canvas above. :func:`view_state` is what a filter changes --
which parks and plots show, and where to frame -- sent to a map already drawn
(``HezaPlots.applyView``) instead of a new map.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from heza_geo import styling
from heza_geo.maps.plots.pack import encode_json, gzip_json, pack, plot_labels, plot_styles, visible_mask
from heza_geo.maps.popups import passport_rows
from heza_geo.view import PlotSource

#: the browser code, inlined in the map (so exported HTML works offline and standalone)
LIBRARY = Path(__file__).with_name("plots.js").read_text(encoding="utf-8")
#: above this many plots the browser draws one canvas instead of one SVG path per plot
CANVAS_ABOVE = 3000
#: from this zoom up plots answer the mouse (a click opens a plot's popup, a hover its tooltip and
#: outline); below it the park under them does. At zoom 14 the median demo plot (280 m across) is
#: about 30 px wide and the smallest tenth over 20 px, a target a mouse hits; at 13 they are half
#: that, and at the city's opening zoom (10-11) a few pixels: there a click meant the park, and
#: the plots drawn over it took it (the park's popup and panel never opened). The map's search
#: zooms a berth or a port to this zoom too.
PLOTS_INTERACTIVE_ZOOM = 14
RENDERERS = ("auto", "svg", "canvas")
#: the style of the plot under the mouse (as the GeoJSON layers' highlight)
HIGHLIGHT = {"weight": 3, "color": styling.SELECTED_COLOUR}
_HEADER_KEYS = ("n", "parks", "statuses", "sectors", "sources")

__all__ = [
    "CANVAS_ABOVE",
    "PLOTS_INTERACTIVE_ZOOM",
    "PlotSource",
    "PlotsLayer",
    "PlotsLibrary",
    "ViewFilter",
    "install_key",
    "view_script",
    "view_state",
    "write_plot_files",
]


def js_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


#: the key of :func:`write_plot_files` when it is given none: this process's, random
_PROCESS_KEY = secrets.token_bytes(32)
_KEY_BYTES = 32


def install_key(path: Path) -> bytes:
    """The install's secret for plot file names: read from ``path``, made there (32 random bytes,
    mode 0600) when it is missing.

    One key per install, not per process: the app's processes (``heza_geo.cli.serve``) share
    ``static/cache``, so they must name the same plots the same way, or each would prune the file
    the others serve. Keep ``path`` out of every served folder. Made race-free: written beside,
    then hard-linked into place (never seen half-written; a process that loses the race reads the
    winner's key). Raises OSError when it can be neither read nor made.
    """
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    if len(key) >= _KEY_BYTES:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(_KEY_BYTES))
        if key:  # a damaged key (cut short): replace it; names change once, old files are pruned
            Path(tmp).replace(path)
        else:
            with suppress(FileExistsError):  # another process made it first: use that one
                os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path.read_bytes()


def write_plot_files(packed: Mapping[str, Any], directory: Path, base_url: str, keep: int = 1,
                     secret: bytes | None = None) -> PlotSource:
    """Write the packed plots as ``plots-<name>.json.gz`` and ``.json`` in ``directory`` (which a
    web server serves at ``base_url``) and return where they are.

    The name is an HMAC of the content under ``secret`` (the install's :func:`install_key`; without
    one, a random key of this process): the same plots give the same file, and a browser may cache
    it, but nobody can work a name out from the data, a version number or an older name, so a file
    is only found through the page that links it. Files are written atomically (another session may
    be reading). Then every other plot file goes but the ``keep - 1`` newest: by default only this
    one stays, so the plots of a superseded version (a reverted edit) are not downloadable any
    more. Raises OSError when ``directory`` cannot be written (then draw inline).
    """
    raw = encode_json(packed)
    gz = gzip_json(packed)
    name = f"plots-{hmac.new(secret or _PROCESS_KEY, raw, hashlib.sha256).hexdigest()[:32]}"
    directory.mkdir(parents=True, exist_ok=True)
    for suffix, content in ((".json.gz", gz), (".json", raw)):
        target = directory / f"{name}{suffix}"
        if target.is_file() and target.stat().st_size == len(content):
            os.utime(target)
            continue
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".tmp-", delete=False) as tmp:
            tmp.write(content)
        Path(tmp.name).replace(target)
    _prune(directory, keep, name)
    base = base_url.rstrip("/")
    return PlotSource(f"{base}/{name}.json.gz", f"{base}/{name}.json", {k: packed[k] for k in _HEADER_KEYS},
                      len(gz), len(raw))


def _prune(directory: Path, keep: int, current: str) -> None:
    """Remove the plot files other than ``current`` and the ``keep - 1`` newest others (both suffixes)."""
    def age(name: str) -> float:
        try:
            return max(p.stat().st_mtime for p in directory.glob(f"{name}.json*"))
        except (ValueError, OSError):  # removed meanwhile by another process
            return 0.0

    others = {p.name.split(".", 1)[0] for p in directory.glob("plots-*.json*")} - {current}
    for old in sorted(others, key=age, reverse=True)[max(keep - 1, 0):]:
        for suffix in (".json.gz", ".json"):
            (directory / f"{old}{suffix}").unlink(missing_ok=True)


class PlotsLibrary(MacroElement):
    """``plots.js`` on its own, for a map whose filters are applied by :class:`ViewFilter` even
    when the plots layer is switched off (it defines ``HezaPlots.applyView``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.library }}
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "PlotsLibrary"
        self.library = LIBRARY


class PlotsLayer(MacroElement):
    """The plots of ``plots`` (every one the map may show), with popups and tooltips in ``lang``.

    Parameters
    ----------
    plots : GeoDataFrame
        Plots in WGS84 with the columns of ``schema.PLOTS`` (confidential ones are never sent).
    lang : str
        Language of popups and tooltips.
    park_names : mapping
        park_id -> the name a popup shows.
    source : PlotSource, optional
        Where the browser fetches the packed ``plots`` (the app's cache); inline when None.
    renderer : {"auto", "svg", "canvas"}
        "auto": SVG paths up to :data:`CANVAS_ABOVE` plots, a canvas above.
    interactive_zoom : int
        Plots take clicks and hover from this zoom up (:data:`PLOTS_INTERACTIVE_ZOOM`); 0: always.
    passports : DataFrame, optional
        The parks' passports (:data:`heza_geo.schema.PASSPORTS`): a plot's popup adds its park's lease
        price and readiness with their date and badge (:func:`heza_geo.maps.popups.passport_rows`),
        sent once per park. None: the popups say nothing of it.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.library }}
        var {{ this.get_name() }} = new HezaPlots.Layer({{ this.options_json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(
        self,
        plots: gpd.GeoDataFrame,
        lang: str,
        park_names: Mapping[str, str],
        source: PlotSource | None = None,
        renderer: str = "auto",
        canvas_above: int = CANVAS_ABOVE,
        interactive_zoom: int = PLOTS_INTERACTIVE_ZOOM,
        passports: pd.DataFrame | None = None,
    ) -> None:
        super().__init__()
        if renderer not in RENDERERS:
            raise ValueError(f"renderer must be one of {', '.join(RENDERERS)}, got {renderer!r}")
        self._name = "PlotsLayer"
        packed: dict[str, Any] | None = None
        if source is None:  # drawn inline: the header is the packed plots themselves
            packed = pack(plots)
            header: Mapping[str, Any] = packed
        else:
            header = source.header
        self.count = int(header["n"])
        self.library = LIBRARY
        self.options_json = js_json({
            "renderer": renderer,
            "canvasAbove": canvas_above,
            "interactiveZoom": interactive_zoom,
            "styles": plot_styles(header["statuses"]),
            "highlight": HIGHLIGHT,
            "labels": plot_labels(lang, park_names, header, park_passport_rows(passports, header["parks"], lang)),
            "data": packed,
            "url": {"gz": source.url, "json": source.json_url} if source is not None else None,
        })


def park_passport_rows(passports: pd.DataFrame | None, parks: Iterable[str],
                       lang: str) -> dict[str, list[tuple[str, str]]]:
    """The rows each park's passport adds to its plots' popups (:func:`heza_geo.maps.popups.passport_rows`),
    for the parks that have plots; none without ``passports``."""
    if passports is None:
        return {}
    rows = {str(r["park_id"]): r for _, r in passports.iterrows()}
    return {str(p): passport_rows(rows.get(str(p)), lang) for p in parks}


def view_state(
    all_plots: pd.DataFrame,
    shown_plots: pd.DataFrame,
    all_parks: pd.DataFrame,
    shown_parks: pd.DataFrame,
    fit: list[list[float]] | None = None,
    selected: str | None = None,
) -> dict[str, object]:
    """What a filter shows of a map drawn with every park and plot: the park ids (None: all),
    the plots as a :func:`heza_geo.maps.plots.pack.visible_mask` of ``all_plots`` (None: all), the
    bounds to frame (``[[south, west], [north, east]]``, None: leave the view) and the park
    outlined as selected (None: none), so a click does not build another map."""
    parks = None if len(shown_parks) == len(all_parks) else [str(p) for p in shown_parks["park_id"]]
    return {"parks": parks, "plots": visible_mask(all_plots, shown_plots), "fit": fit,
            "select": {"id": selected, "on": styling.park_outline(True), "off": styling.park_outline(False)}}


def view_script(state: Mapping[str, object], follow: bool = False) -> str:
    """The JavaScript that applies ``state`` to the map of the page (``window.map``); with ``follow``,
    the page's main map: it sends a park's click to the page and keeps its view in the page's URL
    (``HezaPlots.applyView``'s ``following``)."""
    return f"HezaPlots.applyView(window.map, {js_json(dict(state))}{', true' if follow else ''});"


class ViewFilter(MacroElement):
    """:func:`view_script` as a map element, for ``st_folium(feature_group_to_add=...)``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {% endmacro %}
    """)

    def __init__(self, state: Mapping[str, object], follow: bool = False) -> None:
        super().__init__()
        self._name = "ViewFilter"
        self.code = view_script(state, follow)
