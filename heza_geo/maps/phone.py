"""The map on a phone (issue 15): taps that hit parks, and a bottom sheet instead of a park's popup.

A visitor who scans the event's QR code lands on the map at 390×844. At the opening zoom (the
merged city, zoom 9) a park is 3–15 px wide and the port's and the airport's markers (26 px) sit on
Đình Vũ; a finger is about 40 px wide.

Taps (decided here, :data:`TAP_MAX_ZOOM`, :data:`TAP_TOLERANCE_PX`): on a narrow map or for a touch
tap, at zoom ``TAP_MAX_ZOOM`` or less, a tap is resolved in the map's container pixels to the
nearest park shown (0 px inside its outline) within ``TAP_TOLERANCE_PX``: parks win over
everything drawn above them at that zoom (the port and airport markers, housing dots, berth and
road lines, plots, which are sub-pixel there). The tap is taken in the capture phase, before any of
those sees it, and the park layer's own ``click`` is fired (propagated to its GeoJSON group), so the
selection goes the way a click goes: ``plots.js``'s ``hookClicks`` sends it, one script run. A tap
farther than the tolerance from every park, and any tap above that zoom (parks then are 100 px and
more), goes where Leaflet sends it (a marker's popup). Taps on the map's controls, popups and the
sheet are never taken, nor a tap on a marker that is no place's (the measure tool's, while measuring).

The sheet (:class:`PhoneSheet`): on a narrow map (in a page at most :data:`PHONE_PAGE_PX` wide, the
page's phone layout; a map on its own at most :data:`NARROW_PX` wide), a tapped park opens a
sheet at the bottom of the map instead of its popup (which covered most of the small map): the
park's name, occupancy with its date and badge, available area, area and distance to the port's
berths, formatted and badged as the popup formats them (:mod:`heza_geo.maps.popups`), a note when
its position is approximate (``geometry_quality``), and two large buttons: *Details* scrolls the
page to the park's panel below the map (``.st-key-park_panel``, else the map area's last column)
and *Directions* is a ``geo:`` link to the park's reference point, a point on its surface
(:func:`shapely.point_on_surface` of its geometry; never a position of ours). The sheet follows
the selection the map's filter script outlines (``path.heza-park-selected``): a park selected by
the link (``selected=``) opens its sheet when the map opens; a selection cleared closes it. A
park the sheet would hide is framed again in the part of the map above it. Its
data depends on the language only, never on the selection: the main map is cached per data
version and view without the selected park.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from heza_geo.i18n import fmt_area_ha, fmt_km, fmt_percent, t
from heza_geo.maps.layers import placed
from heza_geo.maps.popups import PLOTS_PROVENANCE, dated_figure, figure, rows_table
from heza_geo.schema import APPROXIMATE, provenance_of
from heza_geo.view import park_name

#: a page at most this many CSS pixels wide is in its phone layout (:mod:`heza_geo.ui.layout`: the map first,
#: the park's panel below it): its map gets the sheet instead of a park's popup
PHONE_PAGE_PX = 640
#: a map in no page of the app (an export) gets the sheet when it is at most this wide: a phone's (371 px at
#: 390 px), not a desktop's (a desktop map beside the sidebar is 631 px at 1400 px); ``maps.build``'s CSS
#: hides the mini-map under the same width
NARROW_PX = 520
#: a tap this close to a park's outline (CSS px) selects it: about half a fingertip
TAP_TOLERANCE_PX = 20
#: taps are resolved to parks up to this zoom; above it a park is 100 px or more and Leaflet's own hit test serves
TAP_MAX_ZOOM = 12
#: decimals of the reference point's degrees (0.1 m)
_DECIMALS = 6


def reference_point(geometry: Any) -> tuple[float, float] | None:
    """``(lat, lon)`` of a point on the park's surface (inside it, unlike a centroid), or None with no geometry."""
    if geometry is None or geometry.is_empty:
        return None
    point = geometry.point_on_surface()
    return round(float(point.y), _DECIMALS), round(float(point.x), _DECIMALS)


def directions_link(lat: float, lon: float, name: str) -> str:
    """A ``geo:`` URI (RFC 5870, with Android's ``q=lat,lon(label)``) a phone opens in its maps app."""
    return f"geo:{lat},{lon}?q={lat},{lon}({quote(name, safe='')})"


def sheet_body(row: pd.Series, lang: str) -> str:
    """The sheet's figures for one park: the popup's, formatted and badged as it does them
    (:func:`heza_geo.maps.popups.park_popup`), with a note when the position is approximate."""
    rows = [
        (t("popup.occupancy", lang), dated_figure(fmt_percent(row.get("occupancy_pct"), lang), row,
                                                  "occupancy_as_of", "occupancy_source", lang)),
    ]
    if row.get("plots", 0):
        rows.append((t("popup.available", lang), figure(fmt_area_ha(row["available_ha"], lang), None,
                                                        PLOTS_PROVENANCE, lang)))
    rows += [
        (t("popup.area", lang), figure(fmt_area_ha(row["area_ha"], lang), None, provenance_of(row, "area_source"),
                                       lang)),
        (t("popup.distance_to_berth", lang), fmt_km(row.get("distance_to_berth_km"), lang)),
    ]
    note = (f'<div class="heza-sheet-note">{html.escape(t("sheet.approximate", lang))}</div>'
            if row.get("geometry_quality") == APPROXIMATE else "")
    return f'<div class="heza-sheet-title">{html.escape(park_name(row, lang))}</div>{rows_table(rows)}{note}'


def sheet_data(parks: gpd.GeoDataFrame, lang: str) -> dict[str, dict[str, object]]:
    """Per placed park (an unplaced one is never tapped): ``{"html", "name", "lat", "lon", "geo"}``,
    the sheet's body, the name as text, the reference point and its ``geo:`` link."""
    out: dict[str, dict[str, object]] = {}
    for _, row in placed(parks).iterrows():
        point = reference_point(row.geometry)
        if point is None:
            continue
        name = park_name(row, lang)
        out[str(row["park_id"])] = {"html": sheet_body(row, lang), "name": name, "lat": point[0], "lon": point[1],
                                    "geo": directions_link(point[0], point[1], name)}
    return out


class PhoneSheet(MacroElement):
    """Parks first for taps, and the bottom sheet of a tapped park on a narrow map (see the module)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .heza-sheet { position: absolute; left: 0; right: 0; bottom: 0; z-index: 1001; max-height: 55%;
          overflow-y: auto; background: #fff; border-radius: 12px 12px 0 0; box-shadow: 0 -2px 10px rgba(0,0,0,.3);
          padding: 6px 12px 10px; font-size: 14px; line-height: 1.35; box-sizing: border-box; cursor: auto; }
        .heza-sheet[hidden] { display: none; }
        .heza-sheet-head { display: flex; align-items: flex-start; gap: 8px; }
        .heza-sheet-body { flex: 1; min-width: 0; }
        .heza-sheet-title { font-weight: 700; font-size: 16px; margin: 10px 0 4px; }
        .heza-sheet table.heza-popup { font-size: 13px; }
        .heza-sheet-note { color: #78350f; font-size: 12px; margin-top: 4px; }
        .heza-sheet-close { flex: none; width: 44px; height: 44px; border: none; background: none; font-size: 26px;
          line-height: 1; color: #333; cursor: pointer; }
        .heza-sheet-actions { display: flex; gap: 10px; margin-top: 8px; }
        .heza-sheet-actions > * { flex: 1; min-height: 48px; display: flex; align-items: center;
          justify-content: center; border-radius: 8px; font: 600 15px "Noto Sans", sans-serif;
          text-decoration: none; box-sizing: border-box; cursor: pointer; }
        .heza-sheet-details { background: #1f4e79; color: #fff; border: none; }
        .heza-sheet-directions { background: #fff; color: #1f4e79 !important; border: 2px solid #1f4e79; }
        </style>
        {% endmacro %}

        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, parks = {{ this.parks|tojson }}, words = {{ this.words|tojson }};
            var PHONE_PAGE = {{ this.phone_page_px }}, NARROW = {{ this.narrow_px }};
            var TOLERANCE = {{ this.tolerance_px }}, MAX_ZOOM = {{ this.max_zoom }};
            var container = map.getContainer();
            var OWN_TAPS = '.leaflet-control, .leaflet-popup, .leaflet-tooltip, .heza-sheet';  // never taken
            function pageWindow() {  // the app's page around the map's frame, or null (an export, another origin)
                try {
                    var page = window.parent;
                    return page && page !== window && page.document ? page : null;
                } catch (e) { return null; }
            }
            function narrow() {  // the page in its phone layout; a map on its own: a phone's width
                var page = pageWindow();
                return page ? page.innerWidth <= PHONE_PAGE : map.getSize().x <= NARROW;
            }

            function parkLayers() {
                var out = [];
                map.eachLayer(function (l) {
                    var p = l.feature && l.feature.properties;
                    if (p && p.layer === 'park' && l.getLatLngs) { out.push(l); }
                });
                return out;
            }

            // --- taps: the nearest park, in container pixels --------------------------------------
            function rings(latlngs, out) {
                if (latlngs.length && latlngs[0] instanceof L.LatLng) { out.push(latlngs); return out; }
                latlngs.forEach(function (part) { rings(part, out); });
                return out;
            }
            function segment(p, a, b) {
                var dx = b.x - a.x, dy = b.y - a.y, k = 0;
                if (dx || dy) { k = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy); }
                k = Math.max(0, Math.min(1, k));
                return Math.sqrt(Math.pow(a.x + k * dx - p.x, 2) + Math.pow(a.y + k * dy - p.y, 2));
            }
            function distance(layer, p) {  // 0 inside the outline (even-odd over every ring)
                var inside = false, best = Infinity;
                rings(layer.getLatLngs(), []).forEach(function (ring) {
                    var pts = ring.map(function (ll) { return map.latLngToContainerPoint(ll); });
                    for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
                        var a = pts[i], b = pts[j];
                        if ((a.y > p.y) !== (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
                            inside = !inside;
                        }
                        best = Math.min(best, segment(p, a, b));
                    }
                });
                return inside ? 0 : best;
            }
            function nearest(p) {
                var found = null, least = TOLERANCE + 1e-9, smallest = Infinity;
                parkLayers().forEach(function (layer) {
                    var d = distance(layer, p);
                    if (d > least) { return; }
                    var b = layer.getBounds(), ne = map.latLngToContainerPoint(b.getNorthEast()),
                        sw = map.latLngToContainerPoint(b.getSouthWest()),
                        size = Math.abs((ne.x - sw.x) * (ne.y - sw.y));
                    if (d < least || size < smallest) {  // inside two parks: the smaller
                        found = layer; least = d; smallest = size;
                    }
                });
                return found;
            }
            container.addEventListener('click', function (e) {
                if (!(e.pointerType === 'touch' || narrow()) || map.getZoom() > MAX_ZOOM) { return; }
                if (map.dragging && map.dragging.moved()) { return; }
                var target = e.target;
                if (target.closest && target.closest(OWN_TAPS)) { return; }
                // a marker that is not a place's (the measure tool's capture layer while measuring): its own
                var icon = target.closest && target.closest('.leaflet-marker-icon');
                if (icon && !icon.querySelector('.heza-poi')) { return; }
                var point = map.mouseEventToContainerPoint(e), park = nearest(point);
                if (!park) { return; }
                e.stopImmediatePropagation();  // neither a marker, a line, a plot nor the map gets this tap
                e.preventDefault();
                map.eachLayer(function (l) {  // a finger's emulated mouseover opened the marker's tooltip
                    if (l.getTooltip && l.getTooltip() && l.isTooltipOpen()) { l.closeTooltip(); }
                });
                park.fire('click', {latlng: map.containerPointToLatLng(point), containerPoint: point,
                                    layerPoint: map.containerPointToLayerPoint(point), originalEvent: e}, true);
            }, true);

            // --- the sheet ------------------------------------------------------------------------
            var sheet = L.DomUtil.create('div', 'heza-sheet', container), shown = null;
            sheet.hidden = true;
            sheet.setAttribute('role', 'region');
            sheet.innerHTML = '<div class="heza-sheet-head"><div class="heza-sheet-body"></div>'
                + '<button type="button" class="heza-sheet-close">&times;</button></div>'
                + '<div class="heza-sheet-actions"><button type="button" class="heza-sheet-details"></button>'
                + '<a class="heza-sheet-directions" target="_blank" rel="noopener"></a></div>';
            var body = sheet.querySelector('.heza-sheet-body'),
                detailsButton = sheet.querySelector('.heza-sheet-details'),
                directions = sheet.querySelector('.heza-sheet-directions'),
                closeButton = sheet.querySelector('.heza-sheet-close');
            closeButton.setAttribute('aria-label', words.close);
            closeButton.title = words.close;
            detailsButton.textContent = words.details;
            directions.textContent = words.directions;
            L.DomEvent.disableClickPropagation(sheet);
            L.DomEvent.disableScrollPropagation(sheet);

            function pageDocument() {
                var page = pageWindow();
                return page ? page.document : null;
            }
            function panel() {  // the park's panel below the map: its container, else the map area's last column
                var doc = pageDocument();
                if (!doc) { return null; }
                var found = doc.querySelector('.st-key-park_panel'), area = doc.querySelector('.st-key-map_area');
                if (!found && area) {
                    var columns = area.querySelectorAll('[data-testid="stColumn"]');
                    found = columns.length ? columns[columns.length - 1] : area;
                }
                return found;
            }
            function open(id) {
                var p = parks[id];
                if (!p || !narrow()) { return; }
                shown = id;
                body.innerHTML = p.html;
                sheet.setAttribute('aria-label', p.name);
                sheet.setAttribute('data-park', id);
                directions.href = p.geo;
                detailsButton.hidden = !panel();  // a map alone (an export): nothing to scroll to
                sheet.hidden = false;
                map.closePopup();
                reveal(id);
            }
            // The park partly under the sheet: framed in the map above it, no closer than now. Called
            // from the selection's observer (a microtask after the filter script framed the park, before
            // the next paint), so the two frames show as one.
            function reveal(id) {
                var park = parkLayers().filter(function (l) { return l.feature.properties.park_id === id; })[0];
                if (!park || shown !== id) { return; }
                var size = map.getSize(), cover = sheet.offsetHeight, bounds = park.getBounds(),
                    bottom = map.latLngToContainerPoint(bounds.getSouthEast()).y;
                if (bottom <= size.y - cover || cover >= size.y - 80) { return; }
                map.fitBounds(park.getBounds(), {paddingTopLeft: [20, 20], paddingBottomRight: [20, cover + 20],
                                                 maxZoom: map.getZoom(), animate: false});
            }
            function close() {
                shown = null;
                sheet.hidden = true;
                sheet.removeAttribute('data-park');
            }
            closeButton.addEventListener('click', close);
            detailsButton.addEventListener('click', function () {
                var target = panel(), doc = pageDocument();
                if (!target) { return; }
                var header = doc.querySelector('[data-testid="stHeader"]');  // fixed over the page's top
                target.style.scrollMarginTop = ((header ? header.getBoundingClientRect().height : 0) + 8) + 'px';
                var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
                target.scrollIntoView({behavior: still ? 'auto' : 'smooth', block: 'start'});
            });

            // A park's click (a tap above, or Leaflet's own): on a narrow map its sheet, not its popup.
            map.eachLayer(function (group) {
                if (!(group instanceof L.GeoJSON) || !group.getLayers().some(function (l) {
                    return l.feature && l.feature.properties && l.feature.properties.layer === 'park'; })) { return; }
                if (group._popup) {
                    group.off('click', group._openPopup, group);
                    group.on('click', function (e) { if (!narrow()) { group._openPopup(e); } });
                }
                group.on('click', function (e) {
                    var p = e.layer && e.layer.feature && e.layer.feature.properties;
                    if (!p || p.layer !== 'park' || !narrow()) { return; }
                    group.closeTooltip();
                    open(p.park_id);
                });
            });

            // The selection the page's filter script outlines: opened (a link's park), or gone (closed).
            var last = null;
            function selected() {
                var id = null;
                parkLayers().forEach(function (l) {
                    if (l._path && L.DomUtil.hasClass(l._path, 'heza-park-selected')) {
                        id = l.feature.properties.park_id;
                    }
                });
                return id;
            }
            function follow() {
                var id = selected();
                if (id === last) { return; }
                last = id;
                if (id) { open(id); } else if (shown) { close(); }
            }
            new MutationObserver(follow).observe(map.getPanes().overlayPane,
                {attributes: true, attributeFilter: ['class'], subtree: true, childList: true});
            map.on('resize', function () { if (shown && !narrow()) { close(); } });
        })();
        {% endmacro %}
    """)

    def __init__(self, parks: gpd.GeoDataFrame, lang: str) -> None:
        super().__init__()
        self._name = "PhoneSheet"
        self.parks = sheet_data(parks, lang)
        self.words = {"details": t("sheet.details", lang), "directions": t("sheet.directions", lang),
                      "close": t("sheet.close", lang)}
        self.phone_page_px = PHONE_PAGE_PX
        self.narrow_px = NARROW_PX
        self.tolerance_px = TAP_TOLERANCE_PX
        self.max_zoom = TAP_MAX_ZOOM
