"""Presentation mode: a guided tour of the parks and the port, for an event screen.

:func:`tour_stops` turns the data into stops (bounds, title, figure lines already formatted in
the tour's language, each figure with its as-of date and provenance badge); :class:`Tour` is a
map element that draws the overlay card and flies from stop to stop with Leaflet's
``flyToBounds``, advancing on a timer or on →/←/space, all in the browser (no server round
trip per stop). :func:`presentation_url` gives the link to the tour itself (for another
screen); each stop's QR code carries :func:`stop_links` (the map on a visitor's phone at that
stop's park, at an address a phone can open: :func:`heza_geo.links.share_base`), made here
without any network (:func:`qr_svg`).

Order of the stops: established parks from west to east (by the easting of their centroid in
EPSG:32648: the audience follows the merged city from the former Hải Dương's parks, through An
Dương and Tràng Duệ, out to Đình Vũ and the islands), then the Lạch Huyện port. A park with no
position yet is not a stop.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import folium
import geopandas as gpd
import pandas as pd
import qrcode
import qrcode.image.svg
import shapely
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n, styling
from heza_geo.analysis.indicators import distance_km
from heza_geo.links import BadParam, int_param, map_link
from heza_geo.maps.layers import berths_layer, offline_land_layer, parks_layer, placed
from heza_geo.schema import METRIC_CRS, NO_SOURCE, SYNTHETIC, precision_column, provenance_of, provenances
from heza_geo.view import park_name

DEFAULT_SECONDS = 12
MAX_SECONDS = 600
PAGE_PATH = "presentation"
#: a port feature this close to the berths (km) names the port stop
_PORT_NAME_RADIUS_KM = 5.0


@dataclass(frozen=True)
class TourStop:
    """One stop: what the card shows and where the map flies. ``figures`` are (label, value, note)."""

    key: str
    title: str
    subtitle: str
    figures: tuple[tuple[str, str, str], ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    geometry: dict | None = field(default=None, compare=False)
    #: the park the stop shows (None for the port): its QR code opens the map at that park
    park_id: str | None = None

    def as_data(self) -> dict:
        return {"key": self.key, "title": self.title, "subtitle": self.subtitle,
                "figures": [list(f) for f in self.figures], "bounds": [list(b) for b in self.bounds],
                "geometry": self.geometry}


def _bounds(frame: gpd.GeoDataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    minx, miny, maxx, maxy = frame.to_crs("EPSG:4326").total_bounds
    return (round(float(miny), 6), round(float(minx), 6)), (round(float(maxy), 6), round(float(maxx), 6))


def _note(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _as_of(value: Any, lang: str, precision: Any = None) -> str:  # value, precision: cells, perhaps NaT/NaN
    if value is None or pd.isna(value):
        return ""
    return i18n.t("text.as_of", lang, date=i18n.fmt_date(value, lang, precision))


def _latest(rows: pd.DataFrame, column: str) -> tuple[Any, Any]:
    """The latest date of ``column`` among ``rows`` and its precision (that of the row it comes from)."""
    dated = rows.assign(_when=pd.to_datetime(rows[column]).to_numpy()).dropna(subset=["_when"])
    if dated.empty:
        return None, None
    latest: pd.Series = dated.sort_values("_when", kind="mergesort").iloc[-1]
    return latest[column], latest.get(precision_column(column))


def _park_stop(park: pd.Series, frame: gpd.GeoDataFrame, lang: str) -> TourStop:
    t = i18n.translator(lang)
    other = i18n.other_name(park, lang)
    occupancy = provenance_of(park, "occupancy_source")
    figures = [
        (t("popup.area"), t.area_ha(park["area_ha"], None), t.badge(provenance_of(park, "area_source"))),
        (t("popup.occupancy"), t.percent(park["occupancy_pct"]),
         _note(_as_of(park["occupancy_as_of"], lang, park.get(precision_column("occupancy_as_of"))),
               t.badge(occupancy) if occupancy.kind != NO_SOURCE else "")),
    ]
    if park.get("plots", 0):
        figures.append((t("popup.available"), t.area_ha(park["available_ha"], 1), t.badge(SYNTHETIC)))
    figures += [
        (t("popup.distance_to_berth"), t.km(park["distance_to_berth_km"]), ""),
        (t("popup.distance_to_airport"), t.km(park["distance_to_airport_km"]), ""),
    ]
    shape = shapely.set_precision(frame.to_crs("EPSG:4326").geometry.iloc[0], 1e-5)
    return TourStop(
        key=str(park["park_id"]),
        title=park_name(park, lang),
        subtitle=_note(str(other), t.label("stage", park["stage"])),
        figures=tuple(figures),
        bounds=_bounds(frame),
        geometry=shapely.geometry.mapping(shape),
        park_id=str(park["park_id"]),
    )


def _port_stop(berths: gpd.GeoDataFrame, connectivity: gpd.GeoDataFrame | None, lang: str) -> TourStop:
    t = i18n.translator(lang)
    title, subtitle = t("layer.berths"), ""
    if connectivity is not None and not connectivity.empty:
        ports = connectivity[connectivity["kind"] == "port"]
        if not ports.empty:
            near = ports.assign(km=distance_km(ports, berths)).sort_values("km")
            if near["km"].iloc[0] <= _PORT_NAME_RADIUS_KM:
                title = park_name(near.iloc[0], lang)
                subtitle = i18n.other_name(near.iloc[0], lang)
    figures = []
    total = len(berths)
    for status in ("operating", "under_construction", "approved", "awaiting_approval", "planned"):
        rows = berths[berths["status"] == status]
        if rows.empty:
            continue
        sources = dict.fromkeys(t.badge(p) for p in provenances(rows, "status_source") if p.kind != NO_SOURCE)
        latest, precision = _latest(rows, "status_as_of")
        figures.append((t.label("berth_status", status), f"{t.number(len(rows), 0)} / {t.number(total, 0)}",
                        _note(_as_of(latest, lang, precision), *sources)))
    operating = berths[berths["status"] == "operating"]
    if not operating.empty and operating["quay_m"].notna().any():
        figures.append((t("popup.quay"), i18n.fmt_quantity(operating["quay_m"].sum(), "m", lang, 0),
                        _note(t.label("berth_status", "operating"), t.badge(provenance_of(operating.iloc[0])))))
    hull = shapely.set_precision(berths.to_crs("EPSG:4326").geometry.union_all().convex_hull, 1e-5)
    return TourStop("port", str(title), str(subtitle), tuple(figures), _bounds(berths), shapely.geometry.mapping(hull))


def tour_stops(overview: gpd.GeoDataFrame, berths: gpd.GeoDataFrame, lang: str,
               connectivity: gpd.GeoDataFrame | None = None) -> list[TourStop]:
    """The tour: established parks west → east, then the port (if there are berths).

    ``overview`` from :func:`heza_geo.analysis.joins.parks_overview`, ``berths`` from
    :func:`heza_geo.analysis.joins.berth_status`; ``connectivity`` (optional) names the port stop.
    Every text is in ``lang``; figures carry their as-of date and provenance badge. A park with no
    position (unplaced) has no stop: the tour flies to places.
    """
    parks = placed(overview[overview["status"] == "established"])
    easting = parks.geometry.to_crs(METRIC_CRS).centroid.x
    parks = parks.assign(_x=easting.round(1)).sort_values(["_x", "park_id"])
    stops = [_park_stop(row, parks.loc[[index]], lang) for index, row in parks.iterrows()]
    if not berths.empty:
        stops.append(_port_stop(berths, connectivity, lang))
    return stops


# --- the shareable link and its QR code ---------------------------------------------------------
def presentation_url(base_url: str, lang: str, seconds: int) -> str:
    """The link that opens the same tour: ``{base}/presentation?lang=..&seconds=..``."""
    return f"{base_url.rstrip('/')}/{PAGE_PATH}?{urlencode({'lang': lang, 'seconds': int(seconds)})}"


def seconds_from_params(params: Mapping[str, object], default: int = DEFAULT_SECONDS) -> tuple[int, BadParam | None]:
    """Seconds per stop from ``seconds=`` (0 = advance by key only); an unusable value gives ``default``."""
    return int_param(params, "seconds", default, 0, MAX_SECONDS)


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as an SVG document (white background), made locally."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return image.to_string(encoding="unicode")


def qr_data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode("utf-8")).decode("ascii")


# --- the map element ----------------------------------------------------------------------------
class Tour(MacroElement):
    """The tour overlay: a large-type card per stop, progress, the QR code; flies with ``flyToBounds``.

    ``stops`` are :class:`TourStop`; ``seconds`` per stop (0 = keys only: →, space, PageDown next;
    ←, PageUp back). Keys work whether the map's frame or the page around it has focus.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var stops = {{ this.stops|tojson }};
            var opts = {{ this.options|tojson }};
            var style = document.createElement('style');
            style.textContent = {{ this.css|tojson }};
            document.head.appendChild(style);
            var root = map.getContainer();
            function el(tag, cls, text, parent) {
                var node = document.createElement(tag);
                if (cls) { node.className = cls; }
                if (text !== undefined && text !== null) { node.textContent = text; }
                if (parent) { parent.appendChild(node); }
                return node;
            }
            var card = el('div', 'heza-tour-card', null, root);
            var qr = null, qrImg = null, qrUrl = null;
            if (opts.links.length) {  // no link a phone can open: no QR code (the page says why)
                qr = el('div', 'heza-tour-qr', null, root);
                qrImg = el('img', 'heza-qr', null, qr);
                el('div', 'heza-qr-caption', opts.qr_caption, qr);
                qrUrl = el('div', 'heza-qr-url', '', qr);
            }
            [card, qr].filter(Boolean).forEach(function(node) {
                L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node);
            });
            var index = -1, timer = null, highlight = null;
            function render(stop) {
                card.innerHTML = '';
                el('div', 'heza-tour-progress', (index + 1) + ' / ' + stops.length + '   ' + opts.hint, card);
                el('div', 'heza-tour-title', stop.title, card);
                if (stop.subtitle) { el('div', 'heza-tour-subtitle', stop.subtitle, card); }
                var list = el('div', 'heza-tour-figures', null, card);
                stop.figures.forEach(function(f) {
                    var row = el('div', 'heza-tour-figure', null, list);
                    el('div', 'heza-tour-label', f[0], row);
                    el('div', 'heza-tour-value', f[1], row);
                    if (f[2]) { el('div', 'heza-tour-note', f[2], row); }
                });
            }
            function show(i) {
                if (!stops.length) { return; }
                index = (i + stops.length) % stops.length;
                var stop = stops[index];
                render(stop);
                if (qr) {  // the stop's own link: the map on a phone, at this park
                    var link = opts.links[index];  // one per stop
                    qrImg.src = opts.qrs[link]; qrImg.alt = link; qrUrl.textContent = link;
                }
                if (highlight) { map.removeLayer(highlight); highlight = null; }
                if (stop.geometry) {
                    highlight = L.geoJSON(stop.geometry, {style: opts.highlight, interactive: false}).addTo(map);
                }
                var pad = 40;
                map.flyToBounds(stop.bounds, {
                    paddingTopLeft: [card.offsetWidth + 2 * pad, pad],
                    paddingBottomRight: [(qr ? qr.offsetWidth : 0) + 2 * pad, pad],
                    maxZoom: opts.max_zoom, duration: opts.fly_seconds
                });
                restart();
            }
            function restart() {
                if (timer) { clearInterval(timer); timer = null; }
                if (opts.seconds > 0) { timer = setInterval(function() { show(index + 1); }, opts.seconds * 1000); }
            }
            function onKey(e) {
                var target = e.target || {};
                if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || '') || target.isContentEditable) { return; }
                if (e.key === 'ArrowRight' || e.key === ' ' || e.key === 'PageDown') {
                    show(index + 1); e.preventDefault();
                }
                else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { show(index - 1); e.preventDefault(); }
            }
            document.addEventListener('keydown', onKey);
            try {
                var host = window.parent;
                if (host && host !== window && host.document) {
                    var relay = function(e) {
                        if (!window.frameElement || !window.frameElement.isConnected) {
                            host.document.removeEventListener('keydown', relay);
                            return;
                        }
                        onKey(e);
                    };
                    if (host.__hezaTourKey) { host.document.removeEventListener('keydown', host.__hezaTourKey); }
                    host.__hezaTourKey = relay;
                    host.document.addEventListener('keydown', relay);
                }
            } catch (err) { /* another origin: keys work once the map has focus */ }
            window.addEventListener('resize', function() { map.invalidateSize(); });
            setTimeout(function() { map.invalidateSize(); show(0); }, 50);
        })();
        {% endmacro %}
    """)

    def __init__(self, stops: list[TourStop], seconds: int, links: Sequence[str], lang: str) -> None:
        super().__init__()
        self._name = "Tour"
        self.stops = [s.as_data() for s in stops]
        self.options = {
            "seconds": int(seconds),
            "fly_seconds": 2.5,
            "max_zoom": 13,
            "links": list(links),
            "qrs": {link: qr_data_uri(link) for link in links},
            "qr_caption": i18n.t("tour.qr_caption", lang),
            "hint": i18n.t("tour.keys_hint", lang),
            "highlight": styling.tour_highlight_style().leaflet(),
        }
        self.css = _CSS


_CSS = """
html, body, .folium-map, #map_div { height: 100vh !important; width: 100vw !important; margin: 0; }
.leaflet-container { background: %(water)s;
  font-family: "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif; }
.heza-tour-card { position: absolute; left: 28px; bottom: 28px; z-index: 1000; width: min(38vw, 640px);
  max-height: calc(100vh - 56px); overflow: hidden; background: rgba(255,255,255,.94); color: #111;
  border-radius: 14px; padding: 22px 28px; box-shadow: 0 4px 24px rgba(0,0,0,.35); }
.heza-tour-progress { font-size: 15px; color: #666; letter-spacing: .04em; white-space: pre; }
.heza-tour-title { font-size: clamp(28px, 3.2vw, 48px); font-weight: 800; line-height: 1.1; margin: 6px 0 4px; }
.heza-tour-subtitle { font-size: clamp(16px, 1.4vw, 22px); color: #444; margin-bottom: 10px; }
.heza-tour-figure { display: grid; grid-template-columns: 1fr auto; column-gap: 16px; align-items: baseline;
  border-top: 1px solid #ddd; padding: 8px 0 6px; }
.heza-tour-label { font-size: clamp(15px, 1.3vw, 20px); color: #333; }
.heza-tour-value { font-size: clamp(24px, 2.5vw, 40px); font-weight: 700; text-align: right; white-space: nowrap; }
.heza-tour-note { grid-column: 1 / span 2; font-size: clamp(12px, .95vw, 15px); color: #6b4e00; }
.heza-tour-qr { position: absolute; right: 28px; bottom: 28px; z-index: 1000; width: 200px; background: #fff;
  border-radius: 12px; padding: 12px; text-align: center; box-shadow: 0 4px 24px rgba(0,0,0,.35); }
.heza-qr { width: 176px; height: 176px; display: block; margin: 0 auto; }
.heza-qr-caption { font-size: 15px; font-weight: 600; margin-top: 6px; }
.heza-qr-url { font-size: 10px; color: #555; word-break: break-all; }
.heza-berth-label { font: 700 12px sans-serif; color: #111; text-shadow: 0 0 3px #fff; }
""" % {"water": styling.WATER_COLOUR}  # noqa: UP031 - CSS is all braces, which % leaves alone


def stop_links(stops: Sequence[TourStop], base: str | None, lang: str) -> list[str]:
    """The link each stop's QR code carries: the map in ``lang`` at ``base`` (a visitor's phone
    view), with the stop's park open; the port's, the map. None without a ``base`` a phone can
    reach (:func:`heza_geo.links.share_base`)."""
    return [] if base is None else [map_link(base, lang, stop.park_id) for stop in stops]


def presentation_map(overview: gpd.GeoDataFrame, berths: gpd.GeoDataFrame, land: BaseGeometry | None,
                     stops: list[TourStop], lang: str, seconds: int, links: Sequence[str]) -> folium.Map:
    """The full-screen tour map: offline land, parks coloured by stage, berths, and the :class:`Tour`
    with each stop's QR code of ``links`` (:func:`stop_links`; none, no QR code).

    No tile layer: it must work on a presenter's laptop with no network.
    """
    m = folium.Map(location=(20.84, 106.72), zoom_start=10, tiles=None, zoom_control=False, keyboard=False,
                   attribution_control=False)
    if land is not None:
        offline_land_layer(land, i18n.t("layer.offline", lang)).add_to(m)
    parks_layer(overview, lang, "stage").add_to(m)
    if not berths.empty:
        berths_layer(berths, lang).add_to(m)
    m.add_child(Tour(stops, seconds, links, lang))
    return m
