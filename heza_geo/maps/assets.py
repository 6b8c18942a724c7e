"""The map's JavaScript and CSS, served from this machine instead of CDNs.

folium declares what each map element needs as data: ``default_js`` and ``default_css``
lists of ``(name, url)`` pairs on the class, pointing at jsDelivr, cdnjs and so on. With no
internet those URLs fail and the map is a blank box. This module is the one place that knows
where each of those named files lives once ``make setup`` (``npm ci`` + ``python -m
heza_geo.maps.assets install``) has copied it from ``node_modules/`` into ``static/vendor/``,
which Streamlit serves at ``/app/static/vendor/...``.

Typical use in a page::

    from heza_geo.maps import assets

    if missing := assets.missing_assets():
        st.error(f"Map files are not installed ({len(missing)} missing): run `make setup`.")
    m = folium.Map(location=[20.85, 106.75], zoom_start=11, tiles=None)
    ...                                   # add layers and plugins first,
    assets.localize(m)                    # then point every asset at /app/static/vendor
    st_folium(m, ...)

``inline_html(m)`` gives a standalone HTML file (all JS/CSS inlined, fonts and images as
``data:`` URIs) for export. Nothing here imports Streamlit.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from branca.element import Html

from heza_geo.config import REPO_ROOT, VENDOR_DIR
from heza_geo.errors import AssetError
from heza_geo.maps.tree import walk

NODE_MODULES = REPO_ROOT / "node_modules"
BASE_URL = "/app/static/vendor"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Package:
    """An npm package pinned in package.json, and what of it is copied to static/vendor."""

    name: str
    version: str
    files: tuple[str, ...]  # files or folders inside the package, copied keeping their paths


# Versions are the ones folium 0.20 itself loads from CDNs (see folium.Map.default_js and
# folium.plugins.*.default_js), so localized maps behave exactly as folium's own output.
PACKAGES: tuple[Package, ...] = (
    Package("leaflet", "1.9.3", ("dist/leaflet.js", "dist/leaflet.css", "dist/images")),
    Package("jquery", "3.7.1", ("dist/jquery.min.js",)),
    Package("bootstrap", "5.2.2", ("dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css")),
    Package("@fortawesome/fontawesome-free", "6.2.0", ("css/all.min.css", "webfonts")),
    # folium's glyphicons CSS is Bootstrap 3's; this package is exactly its glyphicon rules.
    Package("glyphicons-only-bootstrap", "1.0.1", ("css/bootstrap.min.css", "fonts")),
    # cdnjs serves 2.0.2, which never reached npm; 2.0.5 is the same plugin (same API).
    Package(
        "leaflet.awesome-markers",
        "2.0.5",
        ("dist/leaflet.awesome-markers.js", "dist/leaflet.awesome-markers.css", "dist/images"),
    ),
    Package(
        "leaflet.fullscreen",
        "3.0.0",
        ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
    ),
    Package(
        "leaflet-minimap",
        "3.6.1",
        ("dist/Control.MiniMap.min.js", "dist/Control.MiniMap.min.css", "dist/images"),
    ),
    Package(
        "leaflet-measure",
        "2.1.7",
        ("dist/leaflet-measure.min.js", "dist/leaflet-measure.css", "dist/images"),
    ),
    # npm wrapper of ardhi/Leaflet.MousePosition, the source folium.plugins.MousePosition uses.
    Package(
        "leaflet-mouse-position",
        "1.2.0",
        ("src/L.Control.MousePosition.js", "src/L.Control.MousePosition.css"),
    ),
    Package(
        "leaflet-search",
        "2.9.7",
        ("dist/leaflet-search.min.js", "dist/leaflet-search.min.css", "images"),
    ),
    Package(
        "leaflet.markercluster",
        "1.1.0",
        (
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
        ),
    ),
    # branca's colormap legend (and so folium.Choropleth) loads d3 3.5.5.
    Package("d3", "3.5.5", ("d3.min.js",)),
    # The offline basemap: Natural Earth land and countries as TopoJSON, and its decoder.
    Package("topojson-client", "3.1.0", ("dist/topojson-client.min.js",)),
    Package(
        "world-atlas",
        "2.0.2",
        ("land-10m.json", "countries-10m.json", "land-50m.json", "countries-50m.json"),
    ),
)

# Files made by ``install`` rather than copied: folium's rotation classes for awesome-markers
# (``Icon(angle=...)``) live only in folium's GitHub tree, so they are generated here.
ROTATE_CSS = "folium/leaflet.awesome.rotate.min.css"

# folium's asset name -> file under static/vendor. Names are folium's own keys (the first
# item of each (name, url) pair), which is what ``localize`` matches on.
FOLIUM_ASSETS: dict[str, str] = {
    # folium.Map
    "leaflet": "leaflet/dist/leaflet.js",
    "jquery": "jquery/dist/jquery.min.js",
    "bootstrap": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "awesome_markers": "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "bootstrap_css": "bootstrap/dist/css/bootstrap.min.css",
    "glyphicons_css": "glyphicons-only-bootstrap/css/bootstrap.min.css",
    "awesome_markers_font_css": "@fortawesome/fontawesome-free/css/all.min.css",
    "awesome_markers_css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
    "awesome_rotate_css": ROTATE_CSS,
    # folium.plugins.Fullscreen
    "Control.Fullscreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    # folium.plugins.MiniMap
    "Control_MiniMap_js": "leaflet-minimap/dist/Control.MiniMap.min.js",
    "Control_MiniMap_css": "leaflet-minimap/dist/Control.MiniMap.min.css",
    # folium.plugins.MeasureControl
    "leaflet_measure_js": "leaflet-measure/dist/leaflet-measure.min.js",
    "leaflet_measure_css": "leaflet-measure/dist/leaflet-measure.css",
    # folium.plugins.MousePosition
    "Control_MousePosition_js": "leaflet-mouse-position/src/L.Control.MousePosition.js",
    "Control_MousePosition_css": "leaflet-mouse-position/src/L.Control.MousePosition.css",
    # folium.plugins.Search
    "Leaflet.Search.js": "leaflet-search/dist/leaflet-search.min.js",
    "Leaflet.Search.css": "leaflet-search/dist/leaflet-search.min.css",
    # folium.plugins.MarkerCluster
    "markerclusterjs": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    # branca.colormap.ColorMap (added to the figure header at render time)
    "d3": "d3/d3.min.js",
}

# Files the app may load itself (not folium asset names): the offline basemap.
EXTRA_ASSETS: dict[str, str] = {
    "topojson_client": "topojson-client/dist/topojson-client.min.js",
    "world_land_10m": "world-atlas/land-10m.json",
    "world_countries_10m": "world-atlas/countries-10m.json",
    "world_land_50m": "world-atlas/land-50m.json",
    "world_countries_50m": "world-atlas/countries-50m.json",
}

# Friendly names for the groups a caller thinks in; each maps to folium's own names.
ALIASES: dict[str, tuple[str, ...]] = {
    "leaflet": ("leaflet", "leaflet_css"),
    "jquery": ("jquery",),
    "bootstrap": ("bootstrap", "bootstrap_css", "glyphicons_css"),
    "fontawesome": ("awesome_markers_font_css",),
    "awesome_markers": ("awesome_markers", "awesome_markers_css", "awesome_rotate_css"),
    "fullscreen": ("Control.Fullscreen.js", "Control.FullScreen.css"),
    "minimap": ("Control_MiniMap_js", "Control_MiniMap_css"),
    "measure": ("leaflet_measure_js", "leaflet_measure_css"),
    "mouse_position": ("Control_MousePosition_js", "Control_MousePosition_css"),
    "search": ("Leaflet.Search.js", "Leaflet.Search.css"),
    "marker_cluster": ("markerclusterjs", "markerclustercss", "markerclusterdefaultcss"),
    "d3": ("d3",),
}

ALL_ASSETS: dict[str, str] = {**FOLIUM_ASSETS, **EXTRA_ASSETS}

# CDN URLs some libraries hard-code instead of declaring them by name.
_KNOWN_CDN_URLS: dict[str, str] = {
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3",
}


def path(name: str, vendor_dir: Path = VENDOR_DIR) -> Path:
    """Where asset ``name`` (a folium asset name or an EXTRA_ASSETS key) is on disk."""
    try:
        return vendor_dir / ALL_ASSETS[name]
    except KeyError:
        raise AssetError(f"unknown asset {name!r}; known: {sorted(ALL_ASSETS)}") from None


def url(name: str, base_url: str = BASE_URL) -> str:
    """The URL the browser loads asset ``name`` from, e.g. ``/app/static/vendor/leaflet/dist/leaflet.js``."""
    try:
        return f"{base_url.rstrip('/')}/{ALL_ASSETS[name]}"
    except KeyError:
        raise AssetError(f"unknown asset {name!r}; known: {sorted(ALL_ASSETS)}") from None


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Files under ``vendor_dir`` that the map needs but that are not installed.

    Empty once ``make setup`` has run. A page should check this before drawing a map and,
    if not empty, tell the user to run ``make setup`` rather than show a blank box.
    """
    wanted = set(ALL_ASSETS.values())
    for package in PACKAGES:
        wanted.update(f"{package.name}/{item}" for item in package.files)
    return sorted(rel for rel in wanted if not (vendor_dir / rel).exists())


# --------------------------------------------------------------------------- localize


def _is_external(link: str) -> bool:
    return link.startswith(("http://", "https://", "//"))


ICON_PATH_ELEMENT = "heza_leaflet_icon_path"


def _icon_path_element(image_path: str) -> Any:
    """A map child whose script tells Leaflet where its default marker images are.

    Leaflet guesses the folder from leaflet.css; streamlit-folium loads that CSS after the
    markers are made, and Leaflet's fallback drops a slash (``.../distmarker-icon.png``), so
    default markers show as broken images. Setting ``L.Icon.Default.imagePath`` first avoids
    the guess. It leaves a path that is already set alone (``inline_html`` sets its own).
    """
    from branca.element import MacroElement
    from jinja2 import Template

    element: Any = MacroElement()  # with an attribute of ours, image_path, that its template reads
    element._name = "LeafletIconPath"
    element._template = Template(
        "{% macro script(this, kwargs) %}"
        "if (typeof L.Icon.Default.imagePath !== 'string') "
        "{ L.Icon.Default.imagePath = {{ this.image_path | tojson }}; }"
        "{% endmacro %}"
    )
    element.image_path = image_path
    return element


#: the name of the map child that keeps the map hidden until its stylesheets are in (:func:`_styled_element`)
STYLED_ELEMENT = "heza_shown_when_styled"
#: how long a map waits for a stylesheet that neither loads nor fails before it is shown anyway
STYLED_TIMEOUT_MS = 4000


def _styled_element() -> Any:
    """A map child that shows the map only once its stylesheets have arrived.

    streamlit-folium adds the map's ``<link rel=stylesheet>`` tags and runs the map's script
    without waiting for them: on a slow link (a phone at an event) or a loaded machine the map was
    drawn with its buttons in the page's flow, below the map, for up to a second, then they jumped
    into its corners; a pointer aimed at a button in that moment found nothing (seen in CI). So
    the map's ``div`` is hidden (``visibility``, so Leaflet still sizes it) until every stylesheet
    of the document has loaded or failed, or :data:`STYLED_TIMEOUT_MS` have passed: the page never
    stays blank. (The opening frame, measured around the controls, came out the same with
    leaflet.css 2.5 s late: Streamlit's sizing of the frame frames it again.) A standalone export
    has its styles inline: shown at once.
    """
    from branca.element import MacroElement
    from jinja2 import Template

    element: Any = MacroElement()
    element._name = "HezaShownWhenStyled"
    element._template = Template(
        "{% macro header(this, kwargs) %}"
        "<style>html:not(.heza-styled) #{{ this._parent.get_name() }} { visibility: hidden; }</style>"
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "(function () {"
        " var left = 0, show = function () { document.documentElement.classList.add('heza-styled'); };"
        " var one = function () { if (--left === 0) { show(); } };"
        " Array.prototype.forEach.call(document.querySelectorAll('link[rel=stylesheet]'), function (link) {"
        " if (link.sheet) { return; } left++;"  # not loaded yet (one that failed already waits for the timeout)
        " link.addEventListener('load', one, { once: true }); link.addEventListener('error', one, { once: true }); });"
        " if (!left) { show(); } else { setTimeout(show, {{ this.timeout_ms }}); }"
        "})();"
        "{% endmacro %}"
    )
    element.timeout_ms = STYLED_TIMEOUT_MS
    return element


def _set_first_children(node: Any, image_path: str) -> None:
    """Make the icon-path and shown-when-styled elements ``node``'s first children, so they run
    before any marker or control is added."""
    first = {ICON_PATH_ELEMENT: _icon_path_element(image_path), STYLED_ELEMENT: _styled_element()}
    for element in first.values():
        element._parent = node
    others = [(k, v) for k, v in node._children.items() if k not in first]
    node._children.clear()
    node._children.update(first)
    node._children.update(others)


#: folium.Map's own assets, loaded for every map, that only some elements use (awesome-marker icons,
#: Bootstrap's glyphicons or components): left out of a map that has none of them (:func:`trim`)
_ICON_ASSETS = ("jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css", "awesome_markers_css",
                "awesome_rotate_css")
#: Font Awesome, which a ``DivIcon`` of ours may use (``<i class="fa fa-plane">``)
_FONT_AWESOME = "awesome_markers_font_css"


def trim(m: Any) -> Any:
    """Leave out of map ``m`` folium's default scripts and styles that nothing on it uses; return ``m``.

    Every ``folium.Map`` loads jQuery, Bootstrap's script and styles, the glyphicons, Font Awesome
    and the awesome-markers plugin, about 500 kB a map frame parses before it draws, for the
    ``folium.Icon`` markers only. A map with no ``folium.Icon`` keeps Leaflet's; it keeps jQuery when
    a popup's content is a branca ``Html`` (made with ``$(...)``), and Font Awesome when a
    ``DivIcon`` of its uses it (``fa-``). Set on the instance, like :func:`localize`.
    """
    nodes = list(walk(m))
    if any(isinstance(node, folium.Icon) for node in nodes):
        return m
    drop = set(_ICON_ASSETS)
    if any(isinstance(node, Html | folium.Popup) for node in nodes):
        drop.discard("jquery")  # branca's Html (a folium.Popup's content, kept outside the tree) is made with $(...)
    if not any(isinstance(node, folium.DivIcon) and "fa-" in str(node.options.get("html", "")) for node in nodes):
        drop.add(_FONT_AWESOME)
    for attr in ("default_js", "default_css"):
        pairs = getattr(m, attr, None) or ()
        setattr(m, attr, [(name, link) for name, link in pairs if name not in drop])
    return m


def localize(element: Any, base_url: str = BASE_URL) -> Any:
    """Point every JS/CSS asset of ``element``'s tree at the local copies; return ``element``.

    For each node (the map, its plugins, layers, and for a Figure its header), the ``(name,
    url)`` pairs of ``default_js``/``default_css`` whose name is in ``FOLIUM_ASSETS`` get the
    URL ``{base_url}/{path}``. The result is set on the instance, so the class (and other maps)
    are untouched. Call it after adding every layer and plugin, right before ``st_folium`` or
    rendering; calling it again is harmless. Links it does not know are left alone and logged:
    ``external_links`` lists them. Each ``folium.Map`` also gets a first child that sets
    ``L.Icon.Default.imagePath`` to the local Leaflet images (see ``_icon_path_element``), and a
    second that hides it until its stylesheets are in (see ``_styled_element``).
    """
    base = base_url.rstrip("/")
    for node in list(walk(element)):
        if any(name == "leaflet" for name, _ in getattr(node, "default_js", None) or ()):
            _set_first_children(node, f"{base}/leaflet/dist/images/")
        for attr in ("default_js", "default_css"):
            pairs = getattr(node, attr, None)
            if not isinstance(pairs, list | tuple):
                continue
            new = []
            for name, link in pairs:
                if name in FOLIUM_ASSETS:
                    link = f"{base}/{FOLIUM_ASSETS[name]}"
                elif _is_external(link):
                    log.warning("no local copy of %s asset %r (%s)", type(node).__name__, name, link)
                new.append((name, link))
            setattr(node, attr, new)
    # A figure that was rendered before keeps JavascriptLink/CssLink children in its header.
    root = element.get_root() if hasattr(element, "get_root") else element
    header = getattr(root, "header", None)
    for name, child in getattr(header, "_children", {}).items():
        link = getattr(child, "url", None)
        if isinstance(link, str):
            local = FOLIUM_ASSETS.get(name) or FOLIUM_ASSETS.get(_KNOWN_CDN_URLS.get(link, ""))
            if local:
                child.url = f"{base}/{local}"
    return element


def external_links(element: Any) -> list[str]:
    """JS/CSS that ``element``'s tree would still load from the internet, as readable strings.

    Empty for a localized map built from folium.Map and the plugins in ``ALIASES``. A branca
    ``ColorMap`` (also inside ``folium.Choropleth``) is listed because streamlit-folium adds
    d3 from a CDN for it whatever its attributes say: draw legends another way in the app.
    """
    found: list[str] = []
    for node in walk(element):
        for attr in ("default_js", "default_css"):
            for name, link in getattr(node, attr, None) or ():
                if _is_external(link):
                    found.append(f"{type(node).__name__}.{attr}[{name!r}] = {link}")
        if type(node).__module__.startswith("branca.colormap"):
            found.append(f"{type(node).__name__}: streamlit-folium loads d3 from a CDN for colormaps")
    return found


# --------------------------------------------------------------------------- inline_html

_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*>\s*</script\s*>""", re.I)
_LINK_HREF = re.compile(r"""<link\b[^>]*\brel=["']stylesheet["'][^>]*\bhref=["']([^"']+)["'][^>]*/?>""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
_SRC_DECL = re.compile(r"\bsrc\s*:[^;}]*;?", re.I)


def _data_uri(file: Path) -> str:
    mime = mimetypes.guess_type(file.name)[0]
    if mime is None:
        mime = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}.get(
            file.suffix.lower(), "application/octet-stream"
        )
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


# Font Awesome 6's all.css also declares its fonts under the v4/v5 family names, for old
# stylesheets; folium's icons use the v6 names, so an export embeds each font once, not thrice.
_LEGACY_FONT_FAMILIES = re.compile(
    r"""font-family:\s*["']?(FontAwesome|Font Awesome 5 (Free|Brands))["']?\s*[;}]"""
)


def _woff2_only(css: str) -> str:
    """In each @font-face that offers woff2, drop the other formats (every browser reads woff2)."""

    def fix_face(match: re.Match[str]) -> str:
        face = match.group(0)
        if _LEGACY_FONT_FAMILIES.search(face):
            return ""
        if ".woff2" not in face:
            return face

        def fix_src(decl: re.Match[str]) -> str:
            text = decl.group(0)
            if ".woff2" not in text:
                return ""
            body = text.split(":", 1)[1].rstrip(";")
            entries = [e.strip() for e in re.split(r",(?=\s*url\()", body)]
            kept = [e for e in entries if ".woff2" in e]
            return f"src:{','.join(kept)};"

        return _SRC_DECL.sub(fix_src, face)

    return _FONT_FACE.sub(fix_face, css)


def _inline_css(css_file: Path) -> str:
    """The CSS with every relative ``url(...)`` replaced by a ``data:`` URI."""
    css = _woff2_only(css_file.read_text(encoding="utf-8"))

    def embed(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return match.group(0)
        target = (css_file.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            log.warning("%s refers to missing %s", css_file.name, ref)
            return match.group(0)
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(embed, css)


def _leaflet_icon_fix(vendor_dir: Path) -> str:
    """Leaflet finds its default marker images next to leaflet.css; inlined, give them directly."""
    images = vendor_dir / "leaflet/dist/images"
    options = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    return f"L.Icon.Default.imagePath = '';\nL.Icon.Default.mergeOptions({json.dumps(options)});"


def inline_html(element: Any, vendor_dir: Path = VENDOR_DIR, strict: bool = True) -> str:
    """A standalone HTML page of the map: every JS/CSS file inlined, no network needed.

    Fonts (Font Awesome, Glyphicons; woff2 only) and images referenced from the CSS are
    embedded as base64 ``data:`` URIs, so the single file works from a USB stick or an e-mail.
    Tiles of a tile layer are not files and are not embedded. With ``strict`` an ``AssetError``
    is raised if a ``<script src>`` or stylesheet would still be fetched from the internet, or
    if an asset is not installed.
    """
    localize(element, BASE_URL)
    root = element.get_root() if hasattr(element, "get_root") else element
    html = root.render()
    prefix = f"{BASE_URL}/"
    problems: list[str] = []

    def local_file(link: str) -> Path | None:
        if link in _KNOWN_CDN_URLS:
            return path(_KNOWN_CDN_URLS[link], vendor_dir)
        if link.startswith(prefix):
            return vendor_dir / link[len(prefix) :]
        return None

    def script(match: re.Match[str]) -> str:
        file = local_file(match.group(1))
        if file is None:
            if _is_external(match.group(1)):
                problems.append(match.group(1))
            return match.group(0)
        if not file.is_file():
            problems.append(f"{match.group(1)} (not installed: run make setup)")
            return match.group(0)
        code = re.sub(r"</(script)", r"<\\/\1", file.read_text(encoding="utf-8"), flags=re.I)
        if file.name == "leaflet.js":
            code += "\n" + _leaflet_icon_fix(vendor_dir)
        return f"<script>/* {file.relative_to(vendor_dir)} */\n{code}\n</script>"

    def stylesheet(match: re.Match[str]) -> str:
        file = local_file(match.group(1))
        if file is None:
            if _is_external(match.group(1)):
                problems.append(match.group(1))
            return match.group(0)
        if not file.is_file():
            problems.append(f"{match.group(1)} (not installed: run make setup)")
            return match.group(0)
        return f"<style>/* {file.relative_to(vendor_dir)} */\n{_inline_css(file)}\n</style>"

    html = _SCRIPT_SRC.sub(script, html)
    html = _LINK_HREF.sub(stylesheet, html)
    if problems and strict:
        raise AssetError("the exported map would still load: " + ", ".join(problems))
    return html


# --------------------------------------------------------------------------- install


def rotate_css() -> str:
    """``.fa-rotate-N`` for N in 0..359, as folium's leaflet.awesome.rotate.css defines them."""
    return "".join(f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(360)) + "\n"


def install(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Copy the files in ``PACKAGES`` from ``node_modules`` into ``vendor_dir``; return what is missing.

    Run by ``scripts/setup.sh`` after ``npm ci``. The vendor folder is rebuilt from scratch so a
    version change leaves no stale files behind.
    """
    problems: list[str] = []
    versions: dict[str, str | None] = {}
    if vendor_dir.exists():
        shutil.rmtree(vendor_dir)
    vendor_dir.mkdir(parents=True)
    for package in PACKAGES:
        src_root = node_modules / package.name
        manifest = src_root / "package.json"
        if not manifest.is_file():
            problems.append(f"{package.name}: not in {node_modules} (run npm ci)")
            continue
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if version != package.version:
            problems.append(
                f"{package.name}: node_modules has {version}, assets.py expects {package.version}"
            )
        versions[package.name] = version
        for item in package.files:
            src, dst = src_root / item, vendor_dir / package.name / item
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst)
            elif src.is_file():
                shutil.copy2(src, dst)
            else:
                problems.append(f"{package.name}: {item} not found in the npm package")
    rotate = vendor_dir / ROTATE_CSS
    rotate.parent.mkdir(parents=True, exist_ok=True)
    rotate.write_text(rotate_css(), encoding="utf-8")
    (vendor_dir / "VERSIONS.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return problems + [f"missing: {rel}" for rel in missing_assets(vendor_dir)]


def main(argv: list[str] | None = None) -> int:
    """``python -m heza_geo.maps.assets install|check|list``."""
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    if command == "install":
        problems = install()
        for problem in problems:
            print(f"heza_geo.maps.assets: {problem}", file=sys.stderr)
        if not problems:
            print(f"heza_geo.maps.assets: {len(ALL_ASSETS)} assets installed in {VENDOR_DIR}")
        return 1 if problems else 0
    if command == "check":
        missing = missing_assets()
        for rel in missing:
            print(f"missing: {VENDOR_DIR / rel}", file=sys.stderr)
        if missing:
            print("heza_geo.maps.assets: run `make setup` (or `make assets`)", file=sys.stderr)
        return 1 if missing else 0
    if command == "list":
        for name, rel in ALL_ASSETS.items():
            print(f"{name}\t{BASE_URL}/{rel}")
        return 0
    print("usage: python -m heza_geo.maps.assets [install|check|list]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
