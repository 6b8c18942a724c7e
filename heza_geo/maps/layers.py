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
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from heza_geo import styling
from heza_geo.i18n import t
from heza_geo.maps.plots.layer import PlotsLayer
from heza_geo.maps.popups import (
    berth_popup,
    berth_tooltip,
    connectivity_popup,
    housing_popup,
    park_popup,
    park_tooltip,
    zone_popup,
)
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
        "search": [f"{r['name_vi']} · {r['name_en']}" for _, r in parks.iterrows()],
        "tooltip": [park_tooltip(r, lang) for _, r in parks.iterrows()],
        "popup": [park_popup(r, lang) for _, r in parks.iterrows()],
    })
    props["occupancy_pct"] = props["occupancy_pct"].astype(object).where(props["occupancy_pct"].notna(), None)

    def style(feature: dict) -> dict:
        p = feature["properties"]
        return styling.park_style(colour_by, p["stage"], p["occupancy_pct"], p["park_id"] == selected).leaflet()

    _geojson(parks, "parks", props, style).add_to(group)
    return group


class TextSearch(plugins.Search):
    """folium's park search, whose list of matches shows every name as text.

    leaflet-search writes each match into its list with ``innerHTML``: a park named
    "<img src=x onerror=…>" would run in the browser of whoever types its first letters. Each
    match is a text node instead (the name a user picks is the same text, so finding it still
    works). The option is set in the control's own script, which is what streamlit-folium sends
    (it takes each element's script, not the page's)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.Control.Search.mergeOptions({
            buildTip: function(text) { var tip = L.DomUtil.create('li', ''); tip.textContent = text; return tip; }
        });
        {{ this.search_script(kwargs) }}
        {% endmacro %}
    """)

    def search_script(self, kwargs: object = None) -> str:
        """folium's own script of the control."""
        return plugins.Search._template.module.script(self, kwargs or {})


def search_control(group: folium.FeatureGroup, lang: str) -> plugins.Search | None:
    """Search by park name (Vietnamese or English); it must hang on the map itself, not a group."""
    layers = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    if not layers:
        return None
    return TextSearch(layer=layers[0], search_label="search", placeholder=t("map.search_park", lang),
                      collapsed=True, position="topleft", search_zoom=14)


def plots_layer(plots: gpd.GeoDataFrame, lang: str, park_names: dict[str, str],
                source: PlotSource | None = None, renderer: str = "auto") -> folium.FeatureGroup:
    """Plots coloured by status, with popups and tooltips built in the browser from compact data
    (:class:`heza_geo.maps.plots.layer.PlotsLayer`): SVG paths ``path.heza-plot`` up to
    ``plotlayer.CANVAS_ABOVE`` plots, one canvas above (tens of thousands stay fast)."""
    group = folium.FeatureGroup(name=t("layer.plots", lang))
    PlotsLayer(plots, lang, park_names, source, renderer).add_to(group)
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


