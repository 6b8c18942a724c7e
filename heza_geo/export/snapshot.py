"""The map of an export: the app's own folium map, framed with title, date, sources and a north arrow.

Both renderers start from here: the browser screenshots :func:`snapshot_map`'s HTML, the static
renderer draws the same :class:`Caption` and :func:`park_labels`. The standalone HTML export is
:func:`standalone_html`.

Decisions (issue 16): a printed map (PNG, PDF) writes each park's name on it, as the reader's
language names the park (:func:`heza_geo.view.park_name`, the name its popup shows), at a point
inside the park. Names never overlap: the larger park's name is placed first and a name that would
cover one already placed, or run off the map, is left out (the PDF's table and atlas name every
park). The interactive HTML file has no fixed names: its parks are named on hover and click.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import date

import folium
from branca.element import MacroElement
from folium.template import Template

from heza_geo import i18n, styling
from heza_geo.analysis.selection import Selection
from heza_geo.export import tables
from heza_geo.export.core import Size
from heza_geo.i18n import fmt_date, t
from heza_geo.maps import assets
from heza_geo.maps.build import OFFLINE_ATTRIBUTION, TILES, build_map
from heza_geo.maps.layers import placed
from heza_geo.view import MapView, park_name


@dataclass(frozen=True)
class Caption:
    """The words around an exported map, already in the export's language."""

    title: str
    subtitle: str
    date: str
    sources: str
    attribution: str
    north: str


def export_view(view: MapView) -> MapView:
    """The view an export draws: "auto" means the offline basemap (tiles may not load), no
    park highlighted unless one was chosen."""
    return replace(view, basemap="offline") if view.basemap == "auto" else view


def attribution(view: MapView) -> str:
    """Who made the basemap: Natural Earth always (the offline land), plus the tiles' owner."""
    basemap = export_view(view).basemap
    if basemap == "offline":
        return OFFLINE_ATTRIBUTION
    return f"{TILES[basemap][1]}; {OFFLINE_ATTRIBUTION}"


def caption(selection: Selection, zone_names: dict[str, str], exported: date | None = None,
            title: str | None = None) -> Caption:
    lang = selection.view.lang
    parks = selection.parks
    counts = t("card.parks_detail", lang, established=int((parks["status"] == "established").sum()),
               planned=int((parks["status"] == "planned").sum()))
    subtitle = " · ".join(p for p in (tables.filters_line(selection, zone_names),
                                      f"{t('card.parks', lang)}: {len(parks)} ({counts})") if p)
    frames = tables.layer_frames(selection)
    return Caption(
        title=title or t("app.title", lang),
        subtitle=subtitle,
        date=t("export.exported_on", lang, date=fmt_date(exported or tables.today(), lang)),
        sources=t("export.sources", lang, sources=tables.sources_line(frames, lang) or i18n.MISSING),
        attribution=t("export.basemap", lang, attribution=attribution(selection.view)),
        north=t("export.north", lang),
    )


class ExportFrame(MacroElement):
    """Title above the map, date/sources/basemap below it, a north arrow on it; for a print,
    the interactive controls are hidden and ``window.hezaExportReady`` is set once the map has
    drawn (and tiles, if any, have loaded or failed), so a screenshot never waits a fixed time."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <script>
          window.__hezaErrors = [];
          window.addEventListener('error', function(e) { window.__hezaErrors.push(e.message); });
        </script>
        <style>
          body { display: flex; flex-direction: column; background: #fff;
                 font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK JP", sans-serif; }
          #{{ this._parent.get_name() }} { flex: 1 1 auto; height: auto !important; min-height: 0; }
          #{{ this._parent.get_name() }}.leaflet-container { background: {{ this.water }}; }
          .heza-export-header { order: -1; padding: 10px 18px 8px; border-bottom: 2px solid #1f4e79; }
          .heza-export-title { font-size: 22px; font-weight: 700; color: #1f4e79; }
          .heza-export-subtitle { font-size: 13px; color: #333; margin-top: 2px; }
          .heza-export-footer { order: 2; padding: 6px 18px; font-size: 11px; color: #333;
                                border-top: 1px solid #bbb; line-height: 1.4; }
          .heza-north { background: rgba(255,255,255,.85); border-radius: 6px; padding: 2px 4px;
                        box-shadow: 0 1px 4px rgba(0,0,0,.3); }
          .leaflet-control-scale-line { font-size: 12px; background: rgba(255,255,255,.85); }
          {% if this.for_print %}
          .leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-measure,
          .leaflet-control-mouseposition, .leaflet-control-minimap, .leaflet-control-search,
          .leaflet-control-zoom-fullscreen, .fullscreen-icon { display: none !important; }
          .heza-legend { max-height: none !important; }
          .heza-park-label-icon { pointer-events: none; }
          .heza-park-label { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
                             font-size: 12px; font-weight: 700; color: #1b1b1b;
                             text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
          {% endif %}
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        {% if this.frame %}
        <div class="heza-export-header">
          <div class="heza-export-title">{{ this.caption.title|e }}</div>
          <div class="heza-export-subtitle">{{ this.caption.subtitle|e }}</div>
        </div>
        <div class="heza-export-footer">{{ this.caption.date|e }} · {{ this.caption.sources|e }}
          · {{ this.caption.attribution|e }}</div>
        {% endif %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            map.attributionControl.addAttribution({{ this.attribution|tojson }});
            var north = L.control({position: 'topright'});
            north.onAdd = function() {
                var div = L.DomUtil.create('div', 'heza-north');
                div.innerHTML = {{ this.north_svg|tojson }};
                return div;
            };
            north.addTo(map);
            var started = Date.now();
            function tilesBusy() {
                var busy = false;
                map.eachLayer(function(layer) { if (layer.isLoading && layer.isLoading()) { busy = true; } });
                return busy && Date.now() - started < {{ this.tile_timeout_ms }};
            }
            function moving() {  // the opening fitBounds animates; a screenshot mid-zoom is blown up
                return map._animatingZoom || (map._panAnim && map._panAnim._inProgress);
            }
            function declutter() {  // larger parks' names come first (park_labels); one that would
                // cover a name already shown, or run off the map, is hidden
                var frame = map.getContainer().getBoundingClientRect(), shown = [];
                document.querySelectorAll('.heza-park-label').forEach(function(label) {
                    label.style.visibility = 'visible';
                    var r = label.getBoundingClientRect();
                    var off = r.left < frame.left || r.right > frame.right
                              || r.top < frame.top || r.bottom > frame.bottom;
                    var clash = shown.some(function(s) {
                        return r.left < s.right + 4 && r.right + 4 > s.left && r.top < s.bottom && r.bottom > s.top;
                    });
                    if (off || clash) { label.style.visibility = 'hidden'; } else { shown.push(r); }
                });
            }
            function settle() {
                if (tilesBusy() || moving()) { setTimeout(settle, 100); return; }
                declutter();
                requestAnimationFrame(function() { requestAnimationFrame(function() {
                    window.hezaExportFeatures = document.querySelectorAll('path.heza-park').length;
                    window.hezaExportReady = true;
                }); });
            }
            {% if this.for_print %}
            // a print has no click to unfold the legend: always unfolded (maps.controls.Legend)
            document.querySelectorAll('.heza-legend details').forEach(function(d) { d.open = true; });
            {% endif %}
            map.whenReady(function() { (document.fonts ? document.fonts.ready : Promise.resolve()).then(settle); });
            // The atlas: zoom to one park and highlight it, on the page already loaded.
            window.hezaFocus = function(parkId) {
                window.hezaExportReady = false;
                var target = null;
                map.eachLayer(function(layer) {
                    var p = layer.feature && layer.feature.properties;
                    if (p && p.layer === 'park' && layer.setStyle) {
                        layer.setStyle(p.park_id === parkId ? {{ this.selected_style|tojson }}
                                                             : {{ this.plain_style|tojson }});
                        if (p.park_id === parkId) { target = layer; }
                    }
                });
                if (target) { map.fitBounds(target.getBounds(), {padding: [30, 30], animate: false}); }
                started = Date.now();
                settle();
                return target !== null;
            };
        })();
        {% endmacro %}
    """)

    def __init__(self, caption: Caption, frame: bool = True, for_print: bool = True,
                 tile_timeout_ms: int = 15000) -> None:
        super().__init__()
        self._name = "ExportFrame"
        self.caption = caption
        self.frame = frame
        self.for_print = for_print
        self.tile_timeout_ms = tile_timeout_ms
        self.attribution = caption.attribution
        self.north_svg = north_arrow_svg(caption.north)
        self.water = styling.WATER_COLOUR
        self.selected_style, self.plain_style = styling.park_outline(True), styling.park_outline(False)


def north_arrow_svg(letter: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="34" height="50" viewBox="0 0 34 50">'
        '<text x="17" y="13" text-anchor="middle" font-size="13" font-weight="700" fill="#111">'
        f"{html.escape(letter)}</text>"
        '<polygon points="17,16 28,47 17,39 6,47" fill="#111"/><polygon points="17,16 17,39 6,47" fill="#777"/></svg>'
    )


def park_labels(selection: Selection) -> list[tuple[str, float, float]]:
    """``(name, lat, lon)`` of each placed park of ``selection`` the map names, largest park first
    (the order names are placed in, so a small park yields to a large one); none when the parks
    layer is off."""
    if "parks" not in selection.view.layers:
        return []
    parks = placed(selection.parks)
    if parks.empty:
        return []
    order = parks.to_crs(3857).area.sort_values(ascending=False, kind="stable").index
    points = parks.geometry.to_crs(4326).representative_point() if parks.crs else parks.geometry.representative_point()
    return [(park_name(parks.loc[i], selection.view.lang), float(points.loc[i].y), float(points.loc[i].x))
            for i in order]


def snapshot_map(selection: Selection, cap: Caption, frame: bool = True, for_print: bool = True) -> folium.Map:
    """The app's map of ``selection`` with the export frame around it; for print, with each park's
    name on it (:func:`park_labels`)."""
    m = build_map(selection.map_layers(), export_view(selection.view))
    if for_print:
        for name, lat, lon in park_labels(selection):
            folium.Marker((lat, lon), interactive=False, keyboard=False, icon=folium.DivIcon(
                html=f'<div class="heza-park-label">{html.escape(name)}</div>', icon_size=(0, 0),
                class_name="heza-park-label-icon")).add_to(m)
    m.add_child(ExportFrame(cap, frame=frame, for_print=for_print))
    return m


def snapshot_html(selection: Selection, cap: Caption, frame: bool = True) -> str:
    """Self-contained HTML of the framed map, ready for a headless browser to screenshot."""
    return assets.inline_html(snapshot_map(selection, cap, frame=frame, for_print=True))


def standalone_html(selection: Selection, cap: Caption) -> str:
    """The interactive map as one HTML file that opens offline: scripts, styles and fonts inside."""
    page = assets.inline_html(snapshot_map(selection, cap, frame=True, for_print=False))
    return page.replace("<head>", f"<head>\n<title>{html.escape(cap.title)}</title>", 1)


def layout(size: Size) -> tuple[int, int, float]:
    """CSS viewport (width, height) and device scale factor that make an image of ``size``: the
    page is laid out ``size.css_width`` wide and scaled up, so labels stay readable in print."""
    scale = size.width / size.css_width if size.width > size.css_width else 1.0
    return round(size.width / scale), round(size.height / scale), scale
