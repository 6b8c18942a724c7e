"""The map's layers: one builder per layer, from a (Geo)DataFrame to a folium group.

GeoJSON carries only the properties the map needs (never confidential columns); the plots travel
packed (:mod:`heza_geo.maps.plots`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import folium
import folium.plugins as plugins
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from heza_geo import styling
from heza_geo.i18n import t
from heza_geo.maps.plots.layer import PLOTS_INTERACTIVE_ZOOM, PlotsLayer
from heza_geo.maps.popups import (
    berth_popup,
    berth_tooltip,
    connectivity_popup,
    housing_popup,
    park_popup,
    park_tooltip,
    zone_popup,
)
from heza_geo.maps.tree import walk
from heza_geo.view import (
    PlotSource,
    park_name,
)


# --- layers -----------------------------------------------------------------------------------
def is_placed(frame: gpd.GeoDataFrame) -> pd.Series:
    """Which records of ``frame`` have a position to draw: a geometry that is neither missing nor
    empty. A park no source places (``geometry_quality`` ``unplaced``, :data:`heza_geo.schema.UNPLACED`)
    has none: it is counted and listed, never drawn, framed or searched on a map."""
    geometry = frame.geometry
    return pd.Series(geometry.notna().to_numpy() & ~geometry.is_empty.to_numpy(), index=frame.index)


def placed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The records of ``frame`` a map can draw (:func:`is_placed`); ``frame`` itself when all are."""
    mask = is_placed(frame)
    return frame if bool(mask.all()) else frame.loc[mask]


def unplaced_count(frame: gpd.GeoDataFrame) -> int:
    """How many records of ``frame`` have no position (the map page says so under the map)."""
    return int((~is_placed(frame)).sum())


def feature_collection(frame: gpd.GeoDataFrame, properties: pd.DataFrame, precision: int = 6) -> dict:
    """GeoJSON with only the properties the map needs (never confidential columns); a record with no
    geometry (an unplaced park) is left out: a map draws only what has a position."""
    geometry = shapely.set_precision(frame.geometry.values, 10.0**-precision) if precision else frame.geometry.values
    features = [
        {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        for props, geom in zip(properties.to_dict("records"), geometry, strict=True)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _geojson(
    frame: gpd.GeoDataFrame,
    name: str,
    properties: pd.DataFrame,
    style: Callable[[dict], dict],
    tooltip: bool = True,
    popup: bool = True,
    **kwargs: Any,  # more of folium.GeoJson's options, passed on as they are
) -> folium.GeoJson:
    return folium.GeoJson(
        feature_collection(frame, properties),
        name=name,
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "color": styling.SELECTED_COLOUR},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True) if tooltip else None,
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420) if popup else None,
        zoom_on_click=False,
        **kwargs,
    )


def zones_layer(zones: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("layer.zones", lang))
    if zones.empty:
        return group
    props = pd.DataFrame({
        "layer": "zone",
        "zone_id": zones["zone_id"].values,
        "status": zones["status"].values,
        "tooltip": [html.escape(park_name(r, lang)) for _, r in zones.iterrows()],
        "popup": [zone_popup(r, lang) for _, r in zones.iterrows()],
        "search": [search_label(r, lang) for _, r in zones.iterrows()],
        "at": inside_points(zones),
    })
    _geojson(zones, "zones", props, lambda f: styling.zone_style(f["properties"]["status"]).leaflet()).add_to(group)
    return group


def parks_layer(parks: gpd.GeoDataFrame, lang: str, colour_by: str, selected: str | None = None) -> folium.FeatureGroup:
    """The parks that have a position (an unplaced park has no feature, popup, tooltip or search entry)."""
    group = folium.FeatureGroup(name=t("layer.parks", lang))
    parks = placed(parks)
    if parks.empty:
        return group
    props = pd.DataFrame({
        "layer": "park",
        "park_id": parks["park_id"].values,
        "stage": parks["stage"].values,
        "occupancy_pct": parks["occupancy_pct"].astype("float64").round(2).values,
        "search": [search_label(r, lang) for _, r in parks.iterrows()],
        "at": inside_points(parks),
        "tooltip": [park_tooltip(r, lang) for _, r in parks.iterrows()],
        "popup": [park_popup(r, lang) for _, r in parks.iterrows()],
    })
    props["occupancy_pct"] = props["occupancy_pct"].astype(object).where(props["occupancy_pct"].notna(), None)

    def style(feature: dict) -> dict:
        p = feature["properties"]
        return styling.park_style(colour_by, p["stage"], p["occupancy_pct"], p["park_id"] == selected).leaflet()

    _geojson(parks, "parks", props, style).add_to(group)
    return group


#: the connectivity kinds the map's search finds, drawn as a point or an area (an expressway or a
#: bridge is not a place one looks for)
SEARCHED_POINTS = ("port", "terminal", "airport")


def search_label(row: pd.Series, lang: str) -> str:
    """What the map's search lists for a place: its name in the reader's language, then its
    Vietnamese name when that differs ("Dinh Vu Port · Cảng Đình Vũ"); matched without accents."""
    name, vietnamese = park_name(row, lang), str(row.get("name_vi") or "")
    return name if not vietnamese or vietnamese == name else f"{name} · {vietnamese}"


def inside_points(frame: gpd.GeoDataFrame) -> list[list[float] | None]:
    """``[lat, lon]`` of a point on each feature (inside a polygon, the middle of a line), where the
    search opens its popup; None for a feature with no position."""
    out: list[list[float] | None] = []
    for geom in frame.geometry:
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        line = geom.geom_type == "LineString"
        point = geom.interpolate(0.5, normalized=True) if line else geom.representative_point()
        out.append([round(point.y, 6), round(point.x, 6)])
    return out


class TextSearch(JSCSSMixin, MacroElement):
    """The map's search: parks, economic zones, berths, ports and the airport, by name in the
    reader's language or Vietnamese, accents optional (an investor types "Lach Huyen"); choosing a
    match opens it as a click would: a park's popup and panel (the map sends the page the same
    click), anything else its popup.

    It reads what to find from the map when the user types (every feature with a ``search``
    property, every marker with a ``search`` option, :func:`search_label`), so it finds what the
    map shows now (a filter's hidden parks are not listed) and layers added after it count.
    leaflet-search writes each match into its list with ``innerHTML``: a park named
    "<img src=x onerror=…>" would run in the browser of whoever types its first letters; each
    match is a text node instead. The script is the control's own, which is what streamlit-folium
    sends (it takes each element's script, not the page's)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            function plain(text) {  // "Lạch Huyện" -> "lach huyen"
                return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
                    .replace(/[đĐ]/g, 'd').toLowerCase();
            }
            function records() {
                var out = {};
                map.eachLayer(function (layer) {
                    var p = layer.feature && layer.feature.properties, label = p ? p.search : layer.options.search;
                    if (!label || out[label]) { return; }
                    var at = p && p.at ? L.latLng(p.at) : (layer.getLatLng ? layer.getLatLng()
                                                           : layer.getBounds().getCenter());
                    at.layer = layer;
                    out[label] = at;
                });
                return out;
            }
            var control = new L.Control.Search({
                sourceData: function (text, answer) { answer(records()); return {abort: function () {}}; },
                formatData: function (found) { return found; },
                filterData: function (text, found) {
                    var want = plain(text).trim(), first = {}, then = {};
                    if (!want) { return {}; }
                    Object.keys(found).forEach(function (label) {
                        var at = plain(label).indexOf(want);
                        if (at === 0) { first[label] = found[label]; } else if (at > 0) { then[label] = found[label]; }
                    });
                    return Object.assign(first, then);
                },
                buildTip: function (text) { var tip = L.DomUtil.create('li', ''); tip.textContent = text; return tip; },
                moveToLocation: function (at, title, map) {
                    var layer = at.layer;
                    if (layer.getBounds && layer.feature && layer.feature.properties.layer === 'park') {
                        window.HezaFit ? window.HezaFit.fit(map, layer.getBounds(), {maxZoom: {{ this.zoom }}})
                                       : map.fitBounds(layer.getBounds(), {maxZoom: {{ this.zoom }}, animate: false});
                    } else {
                        map.setView(at, Math.max(map.getZoom(), {{ this.zoom }}), {animate: false});
                    }
                },
                textPlaceholder: {{ this.placeholder|tojson }},
                textErr: {{ this.not_found|tojson }},
                collapsed: true, position: 'topleft', marker: false, initial: false, tooltipLimit: 12,
                autoCollapse: true, firstTipSubmit: true
            });
            control.on('search:locationfound', function (e) {
                // as a click there: its popup, and for a park the click the page reads (its panel)
                if (e.layer) { e.layer.fire('click', {latlng: e.latlng, originalEvent: null}, true); }
            });
            map.addControl(control);
        })();
        {% endmacro %}
    """)
    default_js = plugins.Search.default_js
    default_css = plugins.Search.default_css

    def __init__(self, placeholder: str, not_found: str, zoom: int = 14) -> None:
        super().__init__()
        self._name = "TextSearch"
        self.placeholder = placeholder
        self.not_found = not_found
        self.zoom = zoom


def search_control(m: folium.Map, lang: str) -> TextSearch | None:
    """The map's search (:class:`TextSearch`), when the map draws anything it finds."""
    if not any(isinstance(child, folium.GeoJson | folium.Marker) for child in walk(m)):
        return None
    return TextSearch(t("map.search_places", lang), t("map.search_none", lang), zoom=PLOTS_INTERACTIVE_ZOOM)


def plots_layer(plots: gpd.GeoDataFrame, lang: str, park_names: dict[str, str],
                source: PlotSource | None = None, renderer: str = "auto",
                passports: pd.DataFrame | None = None) -> folium.FeatureGroup:
    """Plots coloured by status, with popups and tooltips built in the browser from compact data
    (:class:`heza_geo.maps.plots.layer.PlotsLayer`): SVG paths ``path.heza-plot`` up to
    ``plotlayer.CANVAS_ABOVE`` plots, one canvas above (tens of thousands stay fast)."""
    group = folium.FeatureGroup(name=t("layer.plots", lang))
    PlotsLayer(plots, lang, park_names, source, renderer, passports=passports).add_to(group)
    return group


def berths_layer(berths: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("layer.berths", lang))
    if berths.empty:
        return group
    props = pd.DataFrame({
        "layer": "berth",
        "berth_no": berths["berth_no"].astype(int).values,
        "status": berths["status"].astype(object).where(berths["status"].notna(), None).values,
        "tooltip": [berth_tooltip(r, lang) for _, r in berths.iterrows()],
        "popup": [berth_popup(r, lang) for _, r in berths.iterrows()],
        "search": [f"{t('popup.berth_no', lang, n=int(r['berth_no']))} · {r['terminal']}"
                   if pd.notna(r.get("terminal")) else t("popup.berth_no", lang, n=int(r["berth_no"]))
                   for _, r in berths.iterrows()],
        "at": inside_points(berths),
    })
    _geojson(berths, "berths", props, lambda f: styling.berth_style(f["properties"]["status"]).leaflet()).add_to(group)
    add_berth_labels(berths, group)
    return group


def add_berth_labels(berths: gpd.GeoDataFrame, group: folium.FeatureGroup) -> None:
    """Each berth's number at its middle, as plain text (not clickable: the berth line is)."""
    for _, row in berths.iterrows():
        point = row.geometry.interpolate(0.5, normalized=True)
        folium.Marker(
            (point.y, point.x),
            icon=folium.DivIcon(html=f'<div class="heza-berth-label">{int(row["berth_no"])}</div>',
                                icon_size=(18, 18), icon_anchor=(-6, 9)),
            interactive=False,
        ).add_to(group)


def housing_layer(housing: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("layer.housing", lang))
    for _, row in housing.iterrows():
        folium.CircleMarker(
            (row.geometry.y, row.geometry.x),
            radius=7,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=styling.HOUSING_COLOUR,
            fill_opacity=0.95,
            class_name="heza-housing",
            tooltip=html.escape(park_name(row, lang)),
            popup=folium.Popup(housing_popup(row, lang), max_width=380),
        ).add_to(group)
    return group


def connectivity_layer(features: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("layer.connectivity", lang))
    points = features[features.geom_type == "Point"]
    shapes = features[features.geom_type != "Point"]
    if not shapes.empty:
        props = pd.DataFrame({
            "layer": "connectivity",
            "kind": shapes["kind"].values,
            "tooltip": [html.escape(park_name(r, lang)) for _, r in shapes.iterrows()],
            "popup": [connectivity_popup(r, lang) for _, r in shapes.iterrows()],
            # a port drawn as its area (Lạch Huyện) is a place to find; a road is not
            "search": [search_label(r, lang) if r["kind"] in SEARCHED_POINTS else None for _, r in shapes.iterrows()],
            "at": inside_points(shapes),
        })
        _geojson(shapes, "connectivity", props,
                 lambda f: styling.connectivity_style(f["properties"]["kind"]).leaflet()).add_to(group)
    for _, row in points.iterrows():
        icon = {"airport": "plane"}.get(row["kind"], "anchor")
        folium.Marker(
            (row.geometry.y, row.geometry.x),
            icon=folium.DivIcon(
                html=f'<div class="heza-poi heza-poi-{row["kind"]}"><i class="fa fa-{icon}"></i></div>',
                icon_size=(26, 26), icon_anchor=(13, 13)),
            tooltip=html.escape(park_name(row, lang)),
            popup=folium.Popup(connectivity_popup(row, lang), max_width=380),
            search=search_label(row, lang) if row["kind"] in SEARCHED_POINTS else None,  # an option the search reads
        ).add_to(group)
    return group


def offline_land_layer(land: BaseGeometry, name: str) -> folium.GeoJson:
    """Natural Earth land on the water-coloured map background; drawn under everything, never clickable."""
    style = {"fillColor": styling.LAND_COLOUR, "color": styling.LAND_OUTLINE, "weight": 1, "fillOpacity": 1,
             "interactive": False, "className": "heza-land"}
    return folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(shapely.set_precision(land, 1e-4))},
        name=name, style_function=lambda _: style, control=False,
    )


