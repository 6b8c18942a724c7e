"""The map's controls: the legend, the offline mini-map, the fallback from failing tiles."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import folium
import folium.plugins as plugins
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from heza_geo import styling
from heza_geo.i18n import fmt_number, fmt_percent, label, t
from heza_geo.view import (
    MapView,
)

# --- controls ---------------------------------------------------------------------------------
#: a map at least this many CSS pixels wide and high (an export, a full window) opens with its legend
#: unfolded; a smaller one (the app's 640-px map) opens with it folded, so that it does not cover the
#: parks the map frames (the merged city spans 75 km, the former Hải Dương's parks on the left, where
#: the legend sits). A click unfolds it; a print always shows it unfolded.
ROOMY_PX = (900, 700)
_ROOMY_JS = f"(function(s) {{ return s.x >= {ROOMY_PX[0]} && s.y >= {ROOMY_PX[1]}; }})"


class TileFallback(MacroElement):
    """Removes an online tile layer that keeps failing, so the offline land shows through at once
    and the map stops asking an unreachable server (a presenter's laptop with no network)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var tiles = {{ this.tiles.get_name() }}, errors = 0, loaded = 0;
            tiles.on('tileload', function() { loaded++; });
            tiles.on('tileerror', function() {
                errors++;
                if (errors >= 3 && loaded === 0 && {{ this._parent.get_name() }}.hasLayer(tiles)) {
                    {{ this._parent.get_name() }}.removeLayer(tiles);
                    document.documentElement.classList.add('heza-offline');
                }
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, tiles: folium.TileLayer) -> None:
        super().__init__()
        self._name = "TileFallback"
        self.tiles = tiles


#: leaflet-measure 2.1.7's English words (its ``en`` locale), by the catalog key that translates them.
#: It bundles no vi, ko or ja words and keeps its own table private, so :class:`MeasureWords` swaps
#: them in the control and its result popups as they are drawn; its units are written as symbols.
MEASURE_WORDS: dict[str, str] = {
    "Measure distances and areas": "measure.title",
    "Create a new measurement": "measure.create",
    "Start creating a measurement by adding points to the map": "measure.start",
    "Finish measurement": "measure.finish",
    "Last point": "measure.last_point",
    "Path distance": "measure.path_distance",
    "Point location": "measure.point_location",
    "Area measurement": "measure.area_measurement",
    "Linear measurement": "measure.linear_measurement",
    "Center on this area": "measure.center_area",
    "Center on this line": "measure.center_line",
    "Center on this location": "measure.center_location",
    "Perimeter": "measure.perimeter",
    "Measure": "measure.button",
    "Cancel": "measure.cancel",
    "Delete": "measure.delete",
    "Area": "measure.area",
}
#: the units the map's measure control uses, as symbols in every language
_MEASURE_UNITS = {"Sq Meters": "m²", "Kilometers": "km", "Hectares": "ha", "Meters": "m"}


class MetricScale(MacroElement):
    """The map's scale bar in metres and kilometres only: Leaflet's default adds miles and feet,
    which no reader of the app measures in (``folium.Map(control_scale=True)`` cannot turn them off)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


class MeasureWords(MacroElement):
    """The measure control's words in the reader's language (leaflet-measure's own table has none
    for vi, ko and ja): each English text in the control and in its result popups is replaced as it
    is drawn, the longest first, so "Area measurement" is not read as "Area"."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var words = {{ this.words|tojson }};
            var english = Object.keys(words).sort(function (a, b) { return b.length - a.length; });
            function swap(text) {
                english.forEach(function (w) { text = text.split(w).join(words[w]); });
                return text;
            }
            function translate(root) {
                if (root.nodeType === 3) { root.nodeValue = swap(root.nodeValue); return; }
                if (root.nodeType !== 1) return;
                if (root.title) root.title = swap(root.title);
                root.childNodes.forEach(translate);
            }
            var map = {{ this._parent.get_name() }}.getContainer();
            function inMeasure(node) {
                var el = node.nodeType === 1 ? node : node.parentElement;
                return el && el.closest('.leaflet-control-measure, .leaflet-measure-resultpopup');
            }
            new MutationObserver(function (changes) {
                changes.forEach(function (c) {
                    c.addedNodes.forEach(function (n) { if (inMeasure(n)) translate(n); });
                });
            }).observe(map, {childList: true, subtree: true});
            map.querySelectorAll('.leaflet-control-measure').forEach(translate);
        })();
        {% endmacro %}
    """)

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "MeasureWords"
        self.words = {english: t(key, lang) for english, key in MEASURE_WORDS.items()} | _MEASURE_UNITS


class OfflineMiniMap(JSCSSMixin, MacroElement):
    """Leaflet-minimap over the offline land, so the overview works with no tile server.

    Top right: the corner the city's parks leave empty (north of the eastern parks, east of the
    former Hải Dương's), where the bottom right holds Đình Vũ and the port. It is never started
    minimized: leaflet-minimap then recentres the main map on the folded mini-map's centre at
    each move, and the map drifts off the city. It moves the main map only when the user moves the
    mini-map: leaflet-minimap keeps the two in step with a pair of flags that a move it did not see
    end (two in a row, an animation cut short) leaves out of step, and the main map then jumped to
    the mini-map's coarser centre, a few pixels off the view it had just been given (a pan
    twitched; a map opened on a link's view drifted off it). For the same reason its box is ``content-box``
    (``maps.build``'s CSS): under a page's ``border-box`` rule (streamlit-folium's Bootstrap, which
    loads after the map is drawn) its border would shrink the mini-map by 6 px at the first window
    resize, and leaflet-minimap would move the main map by 6 px × 2⁵ off the parks it had framed."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var layer = L.geoJSON({{ this.land|tojson }}, {style: {{ this.style|tojson }}, interactive: false});
            var control = new L.Control.MiniMap(layer, {position: 'topright', toggleDisplay: true, width: 150,
                                                        height: 150, zoomLevelOffset: -5})
                .addTo({{ this._parent.get_name() }});
            // Only the user's move of the mini-map moves the main map (leaflet-minimap 3.6's own
            // handler, _onMiniMapMoved, follows every mini-map move its two flags let through).
            var user = false;
            L.DomEvent.on(control._container, 'mousedown touchstart wheel dblclick keydown',
                          function () { user = true; });
            control._miniMap.off('moveend', control._onMiniMapMoved, control).on('moveend', function (e) {
                control._mainMapMoving = false;
                if (user) { user = false; control._onMiniMapMoved(e); }
            });
        })();
        {% endmacro %}
    """)
    default_js = plugins.MiniMap.default_js
    default_css = plugins.MiniMap.default_css

    def __init__(self, land: BaseGeometry) -> None:
        super().__init__()
        self._name = "OfflineMiniMap"
        self.land = shapely.geometry.mapping(shapely.set_precision(shapely.simplify(land, 0.01), 1e-3))
        self.style = {"fillColor": styling.LAND_COLOUR, "color": styling.LAND_OUTLINE, "weight": 1, "fillOpacity": 1}


class Legend(MacroElement):
    """The legend as a Leaflet control: it follows the map into fullscreen and into exports.

    ``fold``: the legend opens folded (its title alone, a click unfolds it) on a map smaller than
    :data:`ROOMY_PX`, so it does not hide the parks of a small map; unfolded otherwise."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function() {
                var div = L.DomUtil.create('div', 'heza-legend');
                div.innerHTML = {{ this.html|tojson }};
                {% if this.fold %}
                if (!{{ this.roomy }}(map.getSize())) { div.querySelector('details').open = false; }
                {% endif %}
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo(map);
        })();
        {% endmacro %}
    """)

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]], title: str,
                 fold: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        self.fold = fold
        self.roomy = _ROOMY_JS
        parts = []
        for heading, entries in sections:
            items = "".join(
                '<div class="heza-legend-item">'
                f'<span class="heza-swatch heza-swatch-{shape}" style="background:{colour}"></span>'
                f"{html.escape(text)}</div>"
                for colour, text, shape in entries
            )
            parts.append('<div class="heza-legend-section">'
                         f'<div class="heza-legend-title">{html.escape(heading)}</div>{items}</div>')
        self.html = (f'<details open><summary class="heza-legend-summary">{html.escape(title)}</summary>'
                     f'{"".join(parts)}</details>')


#: connectivity kinds the legend shows when the caller names none (the lines drawn most)
_CONNECTIVITY_DEFAULT = (("expressway", "line"),)


def connectivity_entries(features: Any) -> list[tuple[str, str]]:
    """``(kind, shape)`` of each connectivity kind ``features`` (a GeoDataFrame with ``kind``) draws:
    a point is a ``dot``, anything else a ``line``; for :func:`legend_sections`."""
    if features is None or len(features) == 0 or "kind" not in features:
        return []
    shapes = ["dot" if g == "Point" else "line" for g in features.geom_type]
    return list(dict.fromkeys(zip(features["kind"], shapes, strict=True)))


def legend_sections(view: MapView, berth_statuses: Iterable[str] = (),
                    connectivity: Iterable[tuple[str, str]] = ()) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The legend's sections: ``(heading, [(colour, text, shape)])``. ``connectivity`` names the
    ``(kind, shape)`` pairs the map draws (:func:`connectivity_entries`), so every marker drawn (an
    airport's dot) has its entry; none given: the expressway's line."""
    lang = view.lang
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    if "parks" in view.layers:
        if view.colour_by == "stage":
            entries = [(c, label("stage", s, lang), "box") for s, c in styling.STAGE_COLOURS.items()]
        else:
            entries = [(c, f"{fmt_number(lo, lang, 0)}–{fmt_percent(hi, lang, 0)}", "box")
                       for lo, hi, c in styling.occupancy_class_labels()]
            entries.append((styling.NO_DATA_COLOUR, t("legend.no_data", lang), "box"))
        sections.append((t("legend.stage" if view.colour_by == "stage" else "legend.occupancy", lang), entries))
    if "plots" in view.layers:
        sections.append((t("legend.plot_status", lang),
                         [(c, label("plot_status", s, lang), "box") for s, c in styling.PLOT_STATUS_COLOURS.items()]))
    if "berths" in view.layers:
        present = set(berth_statuses)
        shown = [s for s in styling.BERTH_STATUS_COLOURS if s in present] or list(styling.BERTH_STATUS_COLOURS)
        sections.append((t("legend.berth_status", lang),
                         [(styling.BERTH_STATUS_COLOURS[s], label("berth_status", s, lang), "line") for s in shown]))
    others = []
    if "zones" in view.layers:
        others += [(styling.ZONE_COLOURS[s], label("zone_status", s, lang), "line") for s in styling.ZONE_COLOURS]
    if "housing" in view.layers:
        others.append((styling.HOUSING_COLOUR, t("layer.housing", lang), "dot"))
    if "connectivity" in view.layers:
        others += [(styling.CONNECTIVITY_COLOURS.get(kind, "#555555"), label("connectivity_kind", kind, lang), shape)
                   for kind, shape in (list(dict.fromkeys(connectivity)) or _CONNECTIVITY_DEFAULT)]
    if others:
        sections.append((t("legend.other", lang), others))
    return sections




#: the JavaScript of :class:`OverlayClearance`, run once per page (``window.HezaFit``)
_CLEARANCE_JS = """
(function (root) {
  if (root.HezaFit) { return; }
  var CORNERS = ['topleft', 'topright', 'bottomleft', 'bottomright'], GAP = 6;

  /* The extent of each corner's controls from the map's edges, in CSS pixels: {w, h} (0, 0 when
   * the corner is empty or hidden). Read from the page as drawn: a folded legend, a minimised
   * mini-map and a phone's hidden controls take what they take now. */
  function corners(map) {
    var c = map.getContainer().getBoundingClientRect(), out = {};
    CORNERS.forEach(function (name) {
      var w = 0, h = 0, corner = map._controlCorners && map._controlCorners[name];
      if (corner) {
        Array.prototype.forEach.call(corner.children, function (el) {
          var r = el.getBoundingClientRect();
          if (!r.width || !r.height) { return; }
          w = Math.max(w, name.indexOf('left') >= 0 ? r.right - c.left : c.right - r.left);
          h = Math.max(h, name.indexOf('top') === 0 ? r.bottom - c.top : c.bottom - r.top);
        });
      }
      out[name] = { w: w ? w + GAP : 0, h: h ? h + GAP : 0 };
    });
    return out;
  }

  /* Padding that keeps a box clear of every corner's controls: each corner is cleared either
   * sideways (by its width) or up-and-down (by its height); ``choice`` says which, a bit per
   * corner (1: sideways). */
  function padding(box, choice, margin) {
    var p = { l: margin, t: margin, r: margin, b: margin };
    CORNERS.forEach(function (name, k) {
      var b = box[name], side = (choice >> k) & 1;
      if (!b.w) { return; }
      if (side) { var x = name.indexOf('left') >= 0 ? 'l' : 'r'; p[x] = Math.max(p[x], b.w); }
      else { var y = name.indexOf('top') === 0 ? 't' : 'b'; p[y] = Math.max(p[y], b.h); }
    });
    return p;
  }

  var H = {};
  /* Frame ``bounds`` in the part of the map its controls leave free, at the largest zoom any
   * way of clearing the corners allows (of equal zooms, the one that gives up the fewest pixels).
   * The view framed is kept (map._hezaFramed) so that a resize frames it again. */
  H.fit = function (map, bounds, options) {
    options = options || {};
    var margin = options.margin === undefined ? 12 : options.margin, size = map.getSize();
    var b = L.latLngBounds(bounds), best = null;
    if (size.x <= 2 * margin || size.y <= 2 * margin) {  // a frame not sized yet (no zoom fits: NaN): framed once it is
      map._hezaFramed = { bounds: b, options: options, pending: true };
      map.once('resize', function () {
        var f = map._hezaFramed;
        if (f && f.pending && f.bounds === b) { H.fit(map, b, options); }
      });
      return { l: margin, t: margin, r: margin, b: margin };
    }
    var box = corners(map);
    for (var choice = 0; choice < 16; choice++) {
      var p = padding(box, choice, margin);
      if (p.l + p.r >= size.x - 40 || p.t + p.b >= size.y - 40) { continue; }
      var z = map.getBoundsZoom(b, false, L.point(p.l + p.r, p.t + p.b));
      var lost = (p.l + p.r) * size.y + (p.t + p.b) * size.x;
      if (options.maxZoom !== undefined && options.maxZoom !== null) { z = Math.min(z, options.maxZoom); }
      if (!best || z > best.z || (z === best.z && lost < best.lost)) { best = { z: z, p: p, lost: lost }; }
    }
    var p0 = best ? best.p : { l: margin, t: margin, r: margin, b: margin };
    map.fitBounds(b, { paddingTopLeft: [p0.l, p0.t], paddingBottomRight: [p0.r, p0.b], animate: false,
                       maxZoom: options.maxZoom || undefined });
    map._hezaFramed = { bounds: b, options: options, center: map.getCenter(), zoom: map.getZoom() };
    // a popup open (the park just clicked, framed now) is brought back clear of the controls
    if (map._popup && map.hasLayer(map._popup)) { map._popup._adjustPan(); }
    return p0;
  };

  /* Is the map still where H.fit framed it (nobody moved it since)? */
  H.framed = function (map) {
    var f = map._hezaFramed;
    if (f && f.pending) { return true; }
    if (!f || f.zoom !== map.getZoom()) { return false; }
    var a = map.project(f.center), c = map.project(map.getCenter());
    return Math.abs(a.x - c.x) < 2 && Math.abs(a.y - c.y) < 2;
  };

  /* A popup's auto-pan padding for a popup of w x h pixels: of the ways of clearing the corners,
   * one that leaves it room, giving up the fewest pixels; when none does (a popup taller than the
   * space the controls leave), the one that leaves it the most room. */
  H.popupPadding = function (map, w, h) {
    var box = corners(map), size = map.getSize(), best = null;
    for (var choice = 0; choice < 16; choice++) {
      var q = padding(box, choice, 5), lost = (q.l + q.r) * size.y + (q.t + q.b) * size.x;
      var over = Math.max(0, q.l + q.r + w - size.x) + Math.max(0, q.t + q.b + h - size.y);
      if (!best || over < best.over || (over === best.over && lost < best.lost)) {
        best = { p: q, over: over, lost: lost };
      }
    }
    return { tl: L.point(best.p.l, best.p.t), br: L.point(best.p.r, best.p.b) };
  };

  /* Leaflet's auto-pan, with that padding, and made at once rather than animated: an animated pan
   * moves on animation frames, and a later auto-pan (the page framing the park it selected, a control
   * that grew) stopped it half-way and started again from there; in a loaded browser the last one
   * stalled for seconds with the popup still under the controls. */
  var adjust = L.Popup.prototype._adjustPan;
  L.Popup.prototype._adjustPan = function () {
    var map = this._map;
    if (!map) { return adjust.apply(this, arguments); }
    if (this.options.autoPan && this._container) {
      var p = H.popupPadding(map, this._container.offsetWidth, this._container.offsetHeight);
      this.options.autoPanPaddingTopLeft = p.tl;
      this.options.autoPanPaddingBottomRight = p.br;
    }
    map.panBy = function (offset, options) {
      return L.Map.prototype.panBy.call(map, offset, L.extend({}, options, { animate: false }));
    };
    try { return adjust.apply(this, arguments); } finally { delete map.panBy; }
  };

  /* Does the open popup overlap one of the map's controls? */
  function covered(map, popup) {
    var r = popup._container.getBoundingClientRect(), hit = false;
    Array.prototype.forEach.call(map.getContainer().querySelectorAll('.leaflet-control'), function (el) {
      var q = el.getBoundingClientRect();
      if (q.width && q.height && Math.min(r.right, q.right) > Math.max(r.left, q.left)
          && Math.min(r.bottom, q.bottom) > Math.max(r.top, q.top)) { hit = true; }
    });
    return hit;
  }

  /* A popup auto-pans once, as it opens, against the controls as they are then. A control that grows
   * afterwards (the mini-map unfolded, a control drawn late) or a popup whose content grows would cover
   * it: both are watched (ResizeObserver on the four corners and on the open popup), and a popup a
   * control now covers is auto-panned again, in the next frame. Not after the reader dragged the map:
   * a popup they moved under a control stays where they put it. */
  H.watchPopups = function (map) {
    if (map._hezaPopupWatch || typeof ResizeObserver === 'undefined') { return; }
    var queued = false, dragged = false;
    var observer = new ResizeObserver(function () {
      if (queued) { return; }
      queued = true;
      requestAnimationFrame(function () {
        queued = false;
        var popup = map._popup;
        if (!dragged && popup && map.hasLayer(popup) && popup._container && covered(map, popup)) {
          popup._adjustPan();
        }
      });
    });
    CORNERS.forEach(function (name) {
      if (map._controlCorners && map._controlCorners[name]) { observer.observe(map._controlCorners[name]); }
    });
    map.on('popupopen', function (e) {
      dragged = false;
      if (e.popup._container) { observer.observe(e.popup._container); }
    });
    map.on('popupclose', function (e) { if (e.popup._container) { observer.unobserve(e.popup._container); } });
    map.on('dragstart', function () { dragged = true; });
    map._hezaPopupWatch = observer;
  };
  root.HezaFit = H;
})(window);
"""


class OverlayClearance(MacroElement):
    """Keeps what the map frames and the popups it opens clear of the map's own controls.

    The city's parks span 75 km; on a desktop map (1440×900: about 650 px wide) the mini-map (top
    right, 150 px) covered Xuân Cầu and the berths, the buttons (top left) and the legend (bottom
    left) sat over parks and popups. Three choices were weighed: a minimised mini-map (it is
    useful on a desktop, and leaflet-minimap recentres the main map when started minimised, see
    :class:`OfflineMiniMap`), a legend always folded (it already folds on maps smaller than
    :data:`ROOMY_PX`; a reader needs it unfolded on a big map), and framing the parks in the part of
    the map the controls leave free. The last keeps every control where a daily user knows it and
    costs at most a zoom step, so ``window.HezaFit.fit`` frames bounds with padding measured from
    the controls as drawn (at run time: the page sizes the map from the window, the legend folds
    or not, a phone hides the mini-map), clearing each corner sideways or up-and-down, whichever
    gives the larger zoom. Popups auto-pan clear of the controls the same way, each corner cleared
    on the side that leaves the popup room. :class:`ClearFit` uses it for the map's opening frame; the page's filter
    script (``HezaPlots.applyView``) for the frames it sets, and again after a resize while the
    map still shows what it framed."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.code }}
        window.HezaFit.watchPopups({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "OverlayClearance"
        self.code = _CLEARANCE_JS


class ClearFit(folium.FitBounds):
    """``folium.FitBounds`` framed clear of the map's controls (:class:`OverlayClearance`, which must
    be on the map before it), without animation; ``padding`` is the margin around the bounds."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (window.HezaFit ? window.HezaFit.fit({{ this._parent.get_name() }}, {{ this.bounds|tojson }},
                                             {{ this.clear_options|tojson }})
                        : {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }},
                                                                  {{ this.options|tojson }}));
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], margin: int = 12, max_zoom: int | None = None) -> None:
        super().__init__(bounds, padding=(margin, margin), max_zoom=max_zoom)
        self._name = "ClearFit"
        self.options["animate"] = False
        self.clear_options = {"margin": margin, "maxZoom": max_zoom}
