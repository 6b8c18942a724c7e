"""Maps that point at a few parks: the land finder's candidates and sites, the compared parks.

Built on :func:`heza_geo.maps.build.build_map` (same basemap, layers, legend and controls as the main
map), with two layers on top: the highlighted parks (thick outline and a numbered label,
``path.heza-candidate``) and the candidate sites (``path.heza-site``), then zoomed on them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import folium
import geopandas as gpd
import pandas as pd

from heza_geo import i18n, schema, styling
from heza_geo.maps.build import build_map, fit_view, page
from heza_geo.maps.layers import feature_collection, placed
from heza_geo.view import MapLayers, MapView


def highlighted_parks_layer(parks: gpd.GeoDataFrame, labels: Mapping[str, str], lang: str) -> folium.FeatureGroup:
    """Outlines of ``parks`` with a label each (e.g. the rank), drawn above every other park; a park
    with no position (unplaced) has no outline and no label."""
    group = folium.FeatureGroup(name=i18n.t("map.highlighted", lang))
    parks = placed(parks)
    if parks.empty:
        return group
    names = [i18n.name(r, lang) for _, r in parks.iterrows()]
    props = pd.DataFrame({
        "layer": "candidate",
        "park_id": parks["park_id"].to_numpy(),
        "tooltip": [f"{html.escape(labels.get(p, ''))} · {html.escape(n)}"
                    for p, n in zip(parks["park_id"], names, strict=True)],
    })
    style = styling.candidate_park_style().leaflet()
    folium.GeoJson(
        feature_collection(parks, props),
        name="candidates",
        style_function=lambda _f: style,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        zoom_on_click=False,
    ).add_to(group)
    for (_, row), name in zip(parks.iterrows(), names, strict=True):
        point = row.geometry.representative_point()
        text = labels.get(row["park_id"], "")
        folium.Marker(
            (point.y, point.x),
            icon=folium.DivIcon(
                html=f'<div class="heza-candidate-label" title="{html.escape(name)}">{html.escape(text)}</div>',
                icon_size=(30, 30), icon_anchor=(15, 15)),
            tooltip=html.escape(name),
        ).add_to(group)
    return group


def sites_layer(sites: gpd.GeoDataFrame, lang: str, park_names: Mapping[str, str]) -> folium.FeatureGroup:
    """Candidate sites: one polygon each, with its plots and area in the tooltip."""
    group = folium.FeatureGroup(name=i18n.t("finder.sites_layer", lang))
    if sites.empty:
        return group
    t = i18n.translator(lang)
    tips = []
    for _, site in sites.iterrows():
        kind = t("finder.site.merged", n=site["plots"]) if site["merged"] else t("finder.site.single")
        park = html.escape(park_names.get(site["park_id"], site["park_id"]))
        tips.append(f"{park} · {html.escape(site['site_id'])} · {t.area_ha(site['area_ha'], 1)} · "
                    f"{html.escape(kind)} · {html.escape(t.badge(schema.SYNTHETIC))}")
    props = pd.DataFrame({"layer": "site", "site_id": sites["site_id"].to_numpy(),
                          "park_id": sites["park_id"].to_numpy(), "tooltip": tips})
    style = styling.site_style().leaflet()
    folium.GeoJson(
        feature_collection(sites, props),
        name="sites",
        style_function=lambda _f: style,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        zoom_on_click=False,
    ).add_to(group)
    return group


_CSS = f"""
<style>
.heza-candidate-label {{ width: 30px; height: 30px; border-radius: 50%; background: {styling.CANDIDATE_COLOUR};
  color: #fff; font: 700 14px sans-serif; display: flex; align-items: center; justify-content: center;
  border: 2px solid #fff; box-shadow: 0 1px 4px rgba(0,0,0,.45); }}
</style>
"""


def highlight_map(layers: MapLayers, view: MapView, highlighted: gpd.GeoDataFrame, labels: Mapping[str, str],
                  sites: gpd.GeoDataFrame | None = None) -> folium.Map:
    """The main map of ``layers``/``view`` with ``highlighted`` parks (labelled) and ``sites`` on top,
    zoomed on the highlighted parks that have a position (on all parks when none has)."""
    m = build_map(layers, view)
    page(m).header.add_child(folium.Element(_CSS))
    if sites is not None and not sites.empty:
        sites_layer(sites, view.lang, layers.park_names).add_to(m)
    if not highlighted.empty:
        highlighted_parks_layer(highlighted, labels, view.lang).add_to(m)
    if not (shown := placed(highlighted)).empty:
        fit_view(m, shown.to_crs("EPSG:4326").total_bounds, padding=40, max_zoom=14)
    return m
