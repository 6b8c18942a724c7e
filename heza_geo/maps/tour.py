"""Presentation mode: a guided tour of the parks and the port, for an event screen.

:func:`tour_stops` turns the data into stops (bounds, title, figure lines already formatted in
the tour's language, each figure with its as-of date and provenance badge); :class:`Tour` is a
map element that draws the overlay card and flies from stop to stop with Leaflet's
``flyToBounds``, advancing on a timer or on →/←/space, all in the browser (no server round
trip per stop). :func:`presentation_url` gives the link to the tour itself (for another
screen); each stop's QR code carries :func:`stop_links` (the map on a visitor's phone at that
stop's park, at an address a phone can open: :func:`heza_geo.links.share_base`), made here
without any network (:func:`qr_svg`).

Order of the stops: first the overview (the whole city: every placed park, the economic zones and
the port, with the city's park count and declared area, and whatever city figures the page passes,
each with its provenance; its QR code opens the map with no park selected), then the established
parks from west to east (by the easting of their centroid in EPSG:32648: the audience follows the
merged city from the former Hải Dương's parks, through An Dương and Tràng Duệ, out to Đình Vũ and
the islands), then the Lạch Huyện port. A park with no position yet is not a stop.

What the screen shows besides the card (all drawn from our own data, with no network): a compact
legend of the park stages drawn (:func:`tour_legend`), place labels (:func:`place_labels`: the
city at :data:`heza_geo.view.HAI_PHONG_CENTER`, the port and the airport of the connectivity
layer, the parks' names only once zoomed in to :data:`PARK_LABEL_ZOOM` or at the current stop, a
label that would overlap one drawn before it hidden), and next/back buttons in the card beside the
keys a clicker sends.

Flights draw no half-drawn frame: Leaflet's SVG renderer draws the vector layers (the land, the
zones, the parks) over the viewport plus a margin and draws them again only at ``moveend``; in a
zoom-out flight the drawing shrinks with the zoom and leaves water where land should be. The tour
redraws the renderer at every step of its own flights (``_reset``, what Leaflet does at a
``viewreset``: a projection of a few thousand points per frame), so any frame shows the land
over the whole screen.
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
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n, styling
from heza_geo.analysis.cards import Card, selection_cards
from heza_geo.analysis.indicators import distance_km
from heza_geo.links import BadParam, int_param, map_link
from heza_geo.maps.layers import berths_layer, offline_land_layer, parks_layer, placed, zones_layer
from heza_geo.schema import METRIC_CRS, NO_SOURCE, SYNTHETIC, WGS84, precision_column, provenance_of, provenances
from heza_geo.view import HAI_PHONG_CENTER, park_name

DEFAULT_SECONDS = 12
MAX_SECONDS = 600
PAGE_PATH = "presentation"
#: a port feature this close to the berths (km) names the port stop
_PORT_NAME_RADIUS_KM = 5.0
#: the overview stop's key (its QR code opens the map with no park selected)
OVERVIEW = "overview"
#: parks are named on the map from this zoom in (at the overview's ~10 their names would pile up);
#: the current stop's park is named at any zoom
PARK_LABEL_ZOOM = 12


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


def _gateway_port(berths: gpd.GeoDataFrame, connectivity: gpd.GeoDataFrame | None) -> pd.Series | None:
    """The connectivity layer's port nearest the berths, if within :data:`_PORT_NAME_RADIUS_KM`."""
    if connectivity is None or connectivity.empty or berths.empty:
        return None
    ports = connectivity[connectivity["kind"] == "port"]
    if ports.empty:
        return None
    near = ports.assign(km=distance_km(ports, berths)).sort_values("km")
    return near.iloc[0] if near["km"].iloc[0] <= _PORT_NAME_RADIUS_KM else None


def _port_stop(berths: gpd.GeoDataFrame, connectivity: gpd.GeoDataFrame | None, lang: str) -> TourStop:
    t = i18n.translator(lang)
    title, subtitle = t("layer.berths"), ""
    port = _gateway_port(berths, connectivity)
    if port is not None:
        title, subtitle = park_name(port, lang), i18n.other_name(port, lang)
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


def _card_figure(card: Card) -> tuple[str, str, str]:
    """A page's indicator card as a figure line; the reports' own figure under a newer one stays."""
    return card.title, card.value, _note(card.note or "", card.report or "")


def _overview_stop(overview: gpd.GeoDataFrame, berths: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None,
                   city: Sequence[Card], lang: str) -> TourStop:
    """The whole city: the map page's park count and declared area (every park, placed or not; how
    many the map draws; the area's provenance badges), the ``city`` cards the page passes (its
    average occupancy, dated and badged), and each economic zone's area with its badge."""
    t = i18n.translator(lang)
    on_map = placed(overview)
    count, area = selection_cards(overview, pd.DataFrame({"park_id": [], "status": [], "area_ha": []}), lang)[:2]
    with_area = overview[overview["area_ha"].notna()]
    badges = dict.fromkeys(t.badge(p) for p in provenances(with_area, "area_source") if p.kind != NO_SOURCE)
    figures = [(count.title, count.value, _note(count.note or "", t("tour.on_map", n=len(on_map)))),
               (area.title, area.value, _note(area.note or "", *badges)),
               *(_card_figure(card) for card in city)]
    frames = [on_map.geometry.to_crs(WGS84)]
    if zones is not None and not zones.empty:
        for _, zone in zones.iterrows():
            note = _note(t.label("zone_status", zone["status"]),
                         t.badge(provenance_of(zone, "area_source")) if pd.notna(zone.get("area_ha")) else "")
            figures.append((park_name(zone, lang), t.area_ha(zone.get("area_ha"), 0), note))
        frames.append(placed(zones).geometry.to_crs(WGS84))
    if not berths.empty:
        frames.append(berths.geometry.to_crs(WGS84))
    everything = gpd.GeoDataFrame(geometry=pd.concat(frames, ignore_index=True), crs=WGS84)
    return TourStop(OVERVIEW, t("tour.overview_title"),
                    t("tour.overview_subtitle", n=len(placed(overview[overview["status"] == "established"]))),
                    tuple(figures), _bounds(everything))


def tour_stops(overview: gpd.GeoDataFrame, berths: gpd.GeoDataFrame, lang: str,
               connectivity: gpd.GeoDataFrame | None = None, zones: gpd.GeoDataFrame | None = None,
               city: Sequence[Card] = ()) -> list[TourStop]:
    """The tour: the overview, then established parks west → east, then the port (if there are berths).

    ``overview`` from :func:`heza_geo.analysis.joins.parks_overview`, ``berths`` from
    :func:`heza_geo.analysis.joins.berth_status`; ``connectivity`` (optional) names the port stop;
    ``zones`` (optional) are framed by the overview and listed on its card with ``city``, the
    page's indicator cards (:func:`heza_geo.analysis.cards.city_cards`) the overview shows.
    Every text is in ``lang``; figures carry their as-of date and provenance badge. A park with no
    position (unplaced) has no stop: the tour flies to places. No placed park: no overview either.
    """
    parks = placed(overview[overview["status"] == "established"])
    easting = parks.geometry.to_crs(METRIC_CRS).centroid.x
    parks = parks.assign(_x=easting.round(1)).sort_values(["_x", "park_id"])
    stops = [_park_stop(row, parks.loc[[index]], lang) for index, row in parks.iterrows()]
    if stops:
        stops.insert(0, _overview_stop(overview, berths, zones, city, lang))
    if not berths.empty:
        stops.append(_port_stop(berths, connectivity, lang))
    return stops


# --- what the screen shows besides the card: labels and the legend -------------------------------
@dataclass(frozen=True)
class PlaceLabel:
    """A name drawn on the map at ``(lat, lon)``; ``kind`` is city, port, airport or park (``key``
    the park's id: the current stop's park is named at any zoom)."""

    text: str
    lat: float
    lon: float
    kind: str
    key: str | None = None

    def as_data(self) -> dict:
        return {"text": self.text, "lat": self.lat, "lon": self.lon, "kind": self.kind, "key": self.key}


def _label_at(text: str, geometry: BaseGeometry, kind: str, key: str | None = None) -> PlaceLabel:
    point = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return PlaceLabel(text, round(point.y, 5), round(point.x, 5), kind, key)


def _short_name(park: pd.Series, lang: str) -> str:
    """A park's name on the map: the short proper name in English ("Trang Due", where the data has
    one), the reader's name otherwise ("KCN Tràng Duệ", "Trang Due 산업단지": already short)."""
    short = park.get("name_short")
    if i18n.normalize_lang(lang) == "en" and isinstance(short, str) and short.strip():
        return short.strip()
    return park_name(park, lang)


def place_labels(overview: gpd.GeoDataFrame, berths: gpd.GeoDataFrame, connectivity: gpd.GeoDataFrame | None,
                 lang: str) -> list[PlaceLabel]:
    """The map's labels, in the order they claim space (a later label overlapping an earlier one is
    hidden): the city, at :data:`heza_geo.view.HAI_PHONG_CENTER` (the position the app centres the
    city on; the data has no point of its own for the city), the port the port stop names and the
    airport(s) of the connectivity layer, then each placed park at a point inside it
    (:func:`_short_name`). Names are the data's, in the reader's language; nothing is invented."""
    labels = [PlaceLabel(i18n.t("tour.city", lang), HAI_PHONG_CENTER[0], HAI_PHONG_CENTER[1], "city")]
    port = _gateway_port(berths, connectivity)
    if port is not None:
        labels.append(_label_at(park_name(port, lang), port.geometry, "port"))
    if connectivity is not None and not connectivity.empty:
        airports = connectivity[connectivity["kind"] == "airport"].to_crs(WGS84)
        labels += [_label_at(park_name(row, lang), row.geometry, "airport") for _, row in airports.iterrows()]
    parks = placed(overview).to_crs(WGS84)
    labels += [_label_at(_short_name(row, lang), row.geometry, "park", str(row["park_id"]))
               for _, row in parks.iterrows()]
    return labels


def tour_legend(overview: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None,
                lang: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The compact legend: its title and ``(colour, text, shape)`` for each stage the map's parks
    have (in :data:`heza_geo.styling.STAGE_COLOURS`' order), then the economic zones' outline."""
    stages = set(placed(overview)["stage"])
    entries = [(colour, i18n.label("stage", stage, lang), "box")
               for stage, colour in styling.STAGE_COLOURS.items() if stage in stages]
    if zones is not None and not zones.empty:
        statuses = [s for s in styling.ZONE_COLOURS if s in set(zones["status"])]
        entries += [(styling.ZONE_COLOURS[s], i18n.t("layer.zones", lang) if len(statuses) == 1
                     else f'{i18n.t("layer.zones", lang)}: {i18n.label("zone_status", s, lang)}', "line")
                    for s in statuses]
    return i18n.t("legend.stage", lang), entries


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
    """The tour overlay: a large-type card per stop with next/back buttons, progress, the QR code,
    the compact legend and the place labels; flies with ``flyToBounds``.

    ``stops`` are :class:`TourStop`; ``seconds`` per stop (0 = keys only: →, space, PageDown next;
    ←, PageUp back: what a presenter's clicker sends). Keys work whether the map's frame or the page
    around it has focus; the card's buttons work by mouse and touch. ``labels``
    (:func:`place_labels`) and ``legend`` (:func:`tour_legend`) are drawn as they are given.

    The card never covers the legend (its height is capped below it) and, on a narrow screen (a
    visitor's phone), spans the width at the bottom, wraps its values rather than clipping them,
    and shows no QR code (the phone is the visitor's own).
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
            card.setAttribute('role', 'region');
            var body = el('div', 'heza-tour-body', null, card);
            var nav = el('div', 'heza-tour-nav', null, card);
            function button(cls, text, aria, step) {
                var b = el('button', 'heza-tour-button ' + cls, text, nav);
                b.type = 'button'; b.setAttribute('aria-label', aria); b.title = aria;
                L.DomEvent.on(b, 'click', function(e) { L.DomEvent.stop(e); show(index + step); });
                return b;
            }
            button('heza-tour-back', '\\u2190 ' + opts.words.back, opts.words.previous_stop, -1);
            button('heza-tour-next', opts.words.next + ' \\u2192', opts.words.next_stop, 1);
            var legend = el('div', 'heza-tour-legend', null, root);
            if (!opts.legend.entries.length) { legend.style.display = 'none'; }
            el('div', 'heza-tour-legend-title', opts.legend.title, legend);
            opts.legend.entries.forEach(function(entry) {
                var item = el('div', 'heza-tour-legend-item', null, legend);
                var swatch = el('span', 'heza-tour-swatch heza-tour-swatch-' + entry[2], null, item);
                swatch.style.background = entry[0];
                el('span', null, entry[1], item);
            });
            var qr = null, qrImg = null, qrUrl = null;
            if (opts.links.length) {  // no link a phone can open: no QR code (the page says why)
                qr = el('div', 'heza-tour-qr', null, root);
                qrImg = el('img', 'heza-qr', null, qr);
                el('div', 'heza-qr-caption', opts.qr_caption, qr);
                qrUrl = el('div', 'heza-qr-url', '', qr);
            }
            [card, qr, legend].filter(Boolean).forEach(function(node) {
                L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node);
            });
            // Place labels: plain text over the map, never clickable; decluttered at each step.
            var labels = opts.labels.map(function(p) {
                var icon = L.divIcon({className: 'heza-place heza-place-' + p.kind, iconSize: null,
                                      html: '<span class="heza-place-text"></span>'});
                var marker = L.marker([p.lat, p.lon], {icon: icon, interactive: false, keyboard: false}).addTo(map);
                var text = marker.getElement().firstChild;
                text.textContent = p.text;
                if (p.key) { marker.getElement().setAttribute('data-park', p.key); }
                return {spec: p, node: marker.getElement(), text: text};
            });
            var index = -1, timer = null, highlight = null;
            function overlaps(a, b, gap) {
                return a.left < b.right + gap && b.left < a.right + gap
                    && a.top < b.bottom + gap && b.top < a.bottom + gap;
            }
            function declutter() {  // the current park first, then the city, port, airport, parks; no overlaps
                var current = index >= 0 ? stops[index].key : null, zoom = map.getZoom(), taken = [];
                [card, qr, legend].forEach(function(n) {
                    if (n && n.offsetWidth) { taken.push(n.getBoundingClientRect()); }
                });
                var order = labels.filter(function(l) { return l.spec.key && l.spec.key === current; })
                    .concat(labels.filter(function(l) { return !(l.spec.key && l.spec.key === current); }));
                order.forEach(function(l) {
                    var wanted = l.spec.kind !== 'park' || l.spec.key === current || zoom >= opts.park_label_zoom;
                    l.node.classList.toggle('heza-place-current', !!current && l.spec.key === current);
                    if (!wanted) { l.node.classList.add('heza-place-hidden'); return; }
                    l.node.classList.remove('heza-place-hidden');
                    var box = l.text.getBoundingClientRect();
                    if (taken.some(function(r) { return overlaps(box, r, 4); })) {
                        l.node.classList.add('heza-place-hidden');
                    } else { taken.push(box); }
                });
            }
            // The vector layers (land, zones, parks) drawn again at every step of a flight: Leaflet's
            // SVG renderer otherwise draws them at moveend only, and a zoom-out shows half of them.
            var renderer = map.getRenderer(L.polyline([[0, 0], [0, 1]]));
            var flying = false;
            function fly(on) { flying = on; root.classList.toggle('heza-tour-flying', on); }
            map.on('move', function() {
                if (flying && renderer._reset) { renderer._reset(); }
                if (flying) { declutter(); }
            });
            map.on('moveend', function() { fly(false); declutter(); });
            function render(stop) {
                body.innerHTML = ''; body.scrollTop = 0;
                el('div', 'heza-tour-progress', (index + 1) + ' / ' + stops.length + '   ' + opts.hint, body);
                el('div', 'heza-tour-title', stop.title, body);
                if (stop.subtitle) { el('div', 'heza-tour-subtitle', stop.subtitle, body); }
                var list = el('div', 'heza-tour-figures', null, body);
                stop.figures.forEach(function(f) {
                    var row = el('div', 'heza-tour-figure', null, list);
                    el('div', 'heza-tour-label', f[0], row);
                    el('div', 'heza-tour-value', f[1], row);
                    if (f[2]) { el('div', 'heza-tour-note', f[2], row); }
                });
                card.setAttribute('aria-label', stop.title);
            }
            function narrow() { return card.offsetWidth > 0.6 * root.clientWidth; }
            function layout() {  // the card stays clear of the legend; on a phone, half the screen at most
                var gap = 12, top = legend.offsetTop + legend.offsetHeight + gap, height = root.clientHeight;
                var room = height - top - (narrow() ? 8 : 28);
                card.style.maxHeight = Math.max(160, narrow() ? Math.min(room, height / 2) : room) + 'px';
            }
            function show(i) {
                if (!stops.length) { return; }
                index = (i + stops.length) % stops.length;
                var stop = stops[index];
                render(stop);
                layout();
                if (qr) {  // the stop's own link: the map on a phone, at this park (the overview's: no park)
                    var link = opts.links[index];  // one per stop
                    qrImg.src = opts.qrs[link]; qrImg.alt = link; qrUrl.textContent = link;
                }
                if (highlight) { map.removeLayer(highlight); highlight = null; }
                if (stop.geometry) {
                    highlight = L.geoJSON(stop.geometry, {style: opts.highlight, interactive: false}).addTo(map);
                }
                var pad = 40, qrWidth = qr && qr.offsetWidth ? qr.offsetWidth + pad : 0;
                var padding = narrow()
                    ? {paddingTopLeft: [pad / 2, legend.offsetHeight + pad],
                       paddingBottomRight: [pad / 2, card.offsetHeight + pad]}
                    : {paddingTopLeft: [card.offsetWidth + 2 * pad, pad], paddingBottomRight: [qrWidth + pad, pad]};
                fly(true);
                map.flyToBounds(stop.bounds, L.extend(padding, {maxZoom: opts.max_zoom, duration: opts.fly_seconds}));
                declutter();
                restart();
            }
            function restart() {
                if (timer) { clearInterval(timer); timer = null; }
                if (opts.seconds > 0) { timer = setInterval(function() { show(index + 1); }, opts.seconds * 1000); }
            }
            function onKey(e) {
                var target = e.target || {};
                if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || '') || target.isContentEditable) { return; }
                // a focused button's own keys click it
                if (target.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) { return; }
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
            window.addEventListener('resize', function() { map.invalidateSize(); layout(); declutter(); });
            setTimeout(function() { map.invalidateSize(); show(0); }, 50);
        })();
        {% endmacro %}
    """)

    def __init__(self, stops: list[TourStop], seconds: int, links: Sequence[str], lang: str,
                 labels: Sequence[PlaceLabel] = (),
                 legend: tuple[str, list[tuple[str, str, str]]] = ("", [])) -> None:
        super().__init__()
        self._name = "Tour"
        self.stops = [s.as_data() for s in stops]
        self.options = {
            "seconds": int(seconds),
            "fly_seconds": 2.5,
            "max_zoom": 13,
            "park_label_zoom": PARK_LABEL_ZOOM,
            "links": list(links),
            "qrs": {link: qr_data_uri(link) for link in links},
            "qr_caption": i18n.t("tour.qr_caption", lang),
            "hint": i18n.t("tour.keys_hint", lang),
            "words": {key: i18n.t(f"tour.{key}", lang) for key in ("next", "back", "next_stop", "previous_stop")},
            "labels": [label.as_data() for label in labels],
            "legend": {"title": legend[0], "entries": [list(entry) for entry in legend[1]]},
            "highlight": styling.tour_highlight_style().leaflet(),
        }
        self.css = _CSS


#: a screen this narrow (CSS px) is a phone: the card spans the width and the QR code is hidden
NARROW_PX = 700

_CSS = """
html, body, .folium-map, #map_div { height: 100vh !important; width: 100vw !important; margin: 0; }
.leaflet-container { background: %(water)s;
  font-family: "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif; }
.heza-tour-card { position: absolute; left: 28px; bottom: 28px; z-index: 1000; width: min(38vw, 640px);
  max-height: calc(100vh - 56px); overflow: hidden; box-sizing: border-box; display: flex; flex-direction: column;
  background: rgba(255,255,255,.94); color: #111;
  border-radius: 14px; padding: 22px 28px 18px; box-shadow: 0 4px 24px rgba(0,0,0,.35); }
/* the figures scroll inside the card if they must; the buttons stay in reach below them */
.heza-tour-body { flex: 1 1 auto; min-height: 0; overflow-x: hidden; overflow-y: auto; }
.heza-tour-progress { font-size: 15px; color: #666; letter-spacing: .04em; white-space: pre-wrap; }
.heza-tour-title { font-size: clamp(28px, 3.2vw, 48px); font-weight: 800; line-height: 1.1; margin: 6px 0 4px; }
.heza-tour-subtitle { font-size: clamp(16px, 1.4vw, 22px); color: #444; margin-bottom: 10px; }
.heza-tour-figure { display: grid; grid-template-columns: minmax(0, 1fr) auto; column-gap: 16px;
  align-items: baseline; border-top: 1px solid #ddd; padding: 8px 0 6px; }
.heza-tour-label { font-size: clamp(15px, 1.3vw, 20px); color: #333; min-width: 0; }
.heza-tour-value { font-size: clamp(24px, 2.5vw, 40px); font-weight: 700; text-align: right; white-space: nowrap; }
.heza-tour-note { grid-column: 1 / span 2; font-size: clamp(12px, .95vw, 15px); color: #6b4e00; }
.heza-tour-nav { display: flex; flex: none; gap: 12px; margin-top: 12px; }
.heza-tour-button { flex: 1 1 0; min-height: 56px; padding: 8px 16px; border: 2px solid #1f4e79;
  border-radius: 10px; background: #fff; color: #1f4e79; font: inherit; font-size: clamp(18px, 1.4vw, 24px);
  font-weight: 700; cursor: pointer; touch-action: manipulation; }
.heza-tour-next { background: #1f4e79; color: #fff; }
.heza-tour-button:focus-visible { outline: 3px solid %(highlight)s; outline-offset: 2px; }
.heza-tour-legend { position: absolute; left: 12px; top: 12px; z-index: 1000; background: rgba(255,255,255,.88);
  color: #222; border-radius: 8px; padding: 6px 10px; font-size: 13px; line-height: 1.35;
  box-shadow: 0 1px 6px rgba(0,0,0,.3); max-width: 240px; }
.heza-tour-legend-title { font-weight: 700; margin-bottom: 2px; }
.heza-tour-legend-item { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.heza-tour-swatch { display: inline-block; width: 12px; height: 12px; flex: none; border: 1px solid #2b2b2b; }
.heza-tour-swatch-line { height: 3px; border: 0; }
.heza-tour-qr { position: absolute; right: 28px; bottom: 28px; z-index: 1000; width: 200px; background: #fff;
  border-radius: 12px; padding: 12px; text-align: center; box-shadow: 0 4px 24px rgba(0,0,0,.35); }
.heza-qr { width: 176px; height: 176px; display: block; margin: 0 auto; }
.heza-qr-caption { font-size: 15px; font-weight: 600; margin-top: 6px; }
.heza-qr-url { font-size: 10px; color: #555; word-break: break-all; }
.heza-berth-label { font: 700 12px sans-serif; color: #111; text-shadow: 0 0 3px #fff; }
.heza-place { pointer-events: none; }
.heza-place-text { position: absolute; transform: translate(-50%%, -50%%); white-space: nowrap; color: #1b1b1b;
  font-weight: 600; font-size: 14px;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.heza-place-city .heza-place-text { font-size: 26px; font-weight: 800; letter-spacing: .06em; color: #222; }
.heza-place-port .heza-place-text, .heza-place-airport .heza-place-text { font-size: 15px; color: #1f4e79;
  font-style: italic; }
.heza-place-park .heza-place-text { font-size: 13px; color: #333; }
/* the city's name above its point; the port's and the airport's beside a dot, off the parks */
.heza-place-city .heza-place-text { transform: translate(-50%%, -115%%); }
.heza-place-port::before, .heza-place-airport::before { content: ""; position: absolute; width: 8px; height: 8px;
  margin: -5px 0 0 -5px; border-radius: 50%%; background: #1f4e79; border: 1px solid #fff; }
.heza-place-port .heza-place-text { transform: translate(10px, -50%%); }
.heza-place-airport .heza-place-text { transform: translate(-50%%, 8px); }
.heza-place-current .heza-place-text { font-size: 16px; font-weight: 800; color: #111; }
.heza-place-hidden { visibility: hidden; }
@media (max-width: %(narrow)dpx) {
  .heza-tour-card { left: 8px; right: 8px; bottom: 8px; width: auto; padding: 12px 14px 10px; }
  .heza-tour-progress { font-size: 13px; }
  .heza-tour-title { font-size: 22px; }
  .heza-tour-subtitle { font-size: 14px; margin-bottom: 6px; }
  .heza-tour-figure { grid-template-columns: minmax(0, 1fr); padding: 5px 0 4px; }
  .heza-tour-label { font-size: 13px; }
  .heza-tour-value { font-size: 20px; text-align: left; white-space: normal; overflow-wrap: anywhere; }
  .heza-tour-note { grid-column: 1; font-size: 11px; }
  .heza-tour-nav { margin-top: 8px; }
  .heza-tour-button { min-height: 48px; font-size: 17px; }
  .heza-tour-qr { display: none; }
  .heza-tour-legend { left: 8px; top: 8px; font-size: 11px; padding: 4px 8px; max-width: 48vw; }
  .heza-tour-legend-item { white-space: normal; }
  .heza-place-city .heza-place-text { font-size: 18px; }
}
""" % {"water": styling.WATER_COLOUR, "highlight": styling.TOUR_HIGHLIGHT_COLOUR,  # noqa: UP031 - CSS is all braces
       "narrow": NARROW_PX}


def stop_links(stops: Sequence[TourStop], base: str | None, lang: str) -> list[str]:
    """The link each stop's QR code carries: the map in ``lang`` at ``base`` (a visitor's phone
    view), with the stop's park open; the overview's and the port's, the map with no park selected.
    None without a ``base`` a phone can reach (:func:`heza_geo.links.share_base`)."""
    return [] if base is None else [map_link(base, lang, stop.park_id) for stop in stops]


def presentation_map(overview: gpd.GeoDataFrame, berths: gpd.GeoDataFrame, land: BaseGeometry | None,
                     stops: list[TourStop], lang: str, seconds: int, links: Sequence[str],
                     zones: gpd.GeoDataFrame | None = None,
                     connectivity: gpd.GeoDataFrame | None = None) -> folium.Map:
    """The full-screen tour map: offline land, the economic zones, parks coloured by stage, berths,
    and the :class:`Tour` with each stop's QR code of ``links`` (:func:`stop_links`; none, no QR
    code), its legend (:func:`tour_legend`) and place labels (:func:`place_labels`).

    No tile layer: it must work on a presenter's laptop with no network.
    """
    m = folium.Map(location=HAI_PHONG_CENTER, zoom_start=10, tiles=None, zoom_control=False, keyboard=False,
                   attribution_control=False)
    if land is not None:
        offline_land_layer(land, i18n.t("layer.offline", lang)).add_to(m)
    if zones is not None and not zones.empty:
        zones_layer(zones, lang).add_to(m)
    parks_layer(overview, lang, "stage").add_to(m)
    if not berths.empty:
        berths_layer(berths, lang).add_to(m)
    m.add_child(Tour(stops, seconds, links, lang, place_labels(overview, berths, connectivity, lang),
                     tour_legend(overview, zones, lang)))
    return m
