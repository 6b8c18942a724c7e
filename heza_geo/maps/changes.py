"""The import preview's map: the features a change set adds, changes or removes, over the parks.

A builder from frames to a folium map, like :mod:`heza_geo.maps.build`; colours come from
:mod:`heza_geo.styling`. Features carry the CSS classes ``heza-change heza-change-<op>`` so a
browser test (or a person with the inspector) can tell them apart.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from heza_geo import styling
from heza_geo.i18n import t
from heza_geo.maps.controls import MetricScale

OPS = ("delete", "update", "insert")


def change_map(changes: gpd.GeoDataFrame, lang: str, context: gpd.GeoDataFrame | None = None,
               land: BaseGeometry | None = None) -> folium.Map:
    """A map of ``changes`` (``op``, ``record_id``, geometry in WGS84) framed on them, over ``context``
    outlines. A record with no geometry (an unplaced park's attributes changed) is not drawn."""
    from heza_geo.maps.layers import offline_land_layer, placed

    changes = placed(changes)
    context = placed(context) if context is not None else None
    m = folium.Map(tiles=None, prefer_canvas=False)
    m.add_child(MetricScale())
    if land is not None:
        offline_land_layer(land, "land").add_to(m)
    if context is not None and not context.empty:
        outline = {"color": styling.CHANGE_CONTEXT_COLOUR, "weight": 1, "fill": False, "interactive": False,
                   "className": "heza-change-context"}
        folium.GeoJson(context[["geometry"]].to_json(), style_function=lambda _f: outline, name="context").add_to(m)
    for op in OPS:
        subset = changes[changes["op"] == op]
        if subset.empty:
            continue
        colour = styling.CHANGE_COLOURS[op]
        style = {"color": colour, "fillColor": colour, "weight": 2, "fillOpacity": 0.35,
                 "className": f"heza-change heza-change-{op}"}
        labelled = subset.assign(label=subset["record_id"].map(html.escape) + " · " + t(f"op.{op}", lang))
        frame = labelled[["label", "op", "record_id", "geometry"]]
        folium.GeoJson(
            frame.to_json(), name=t(f"op.{op}", lang), style_function=lambda _f, s=style: s,
            marker=folium.CircleMarker(radius=6, fill=True, color=colour, fill_color=colour),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(m)
    shown = changes if not changes.empty else context if context is not None and not context.empty else None
    bounds = shown.total_bounds if shown is not None else None
    if bounds is not None:
        from heza_geo.maps.build import fit_view

        fit_view(m, bounds, padding=20, max_zoom=16)
    return m
