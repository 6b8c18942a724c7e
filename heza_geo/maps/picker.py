"""The staff page's plot picker: a small map of one park's plots, coloured by status, that a click
chooses a plot on.

A builder from frames to a folium map, like :mod:`heza_geo.maps.changes`; colours come from
:mod:`heza_geo.styling`. Each plot is a GeoJSON feature whose properties carry its ``record_id``:
streamlit-folium returns the clicked feature (``last_active_drawing``) and :func:`picked` reads the
id from it, so the page never parses a tooltip. Plots carry the CSS class ``heza-plot-pick`` and the
chosen one ``heza-plot-picked`` too, for a browser test (or a person with the inspector).
"""

from __future__ import annotations

import html
from collections.abc import Collection

import folium
import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n, styling
from heza_geo.maps.controls import MetricScale

PICKED_CLASS = "heza-plot-picked"


def plot_picker_map(plots: gpd.GeoDataFrame, lang: str, selected: str | None = None,
                    park: gpd.GeoDataFrame | None = None, land: BaseGeometry | None = None) -> folium.Map:
    """A map of ``plots`` (``record_id``, ``status``, geometry in WGS84) framed on them over the
    ``park``'s outline, each coloured by status with its id and status as tooltip; the ``selected``
    plot outlined thick in the selection colour."""
    from heza_geo.maps.build import fit_view
    from heza_geo.maps.layers import offline_land_layer, placed

    plots = placed(plots)
    m = folium.Map(tiles=None, prefer_canvas=False, zoom_control=True)
    m.add_child(MetricScale())
    if land is not None:
        offline_land_layer(land, "land").add_to(m)
    if park is not None and not placed(park).empty:
        outline = {"color": styling.CHANGE_CONTEXT_COLOUR, "weight": 2, "fill": False, "interactive": False}
        folium.GeoJson(placed(park)[["geometry"]].to_json(), style_function=lambda _f: outline).add_to(m)
    if not plots.empty:
        frame = plots[["record_id", "status", "geometry"]].assign(
            label=[f"{html.escape(str(rid))} · {html.escape(i18n.label('plot_status', s, lang))}"
                   for rid, s in zip(plots["record_id"], plots["status"], strict=True)])

        def style(feature: dict) -> dict[str, object]:
            props = feature["properties"]
            chosen = props["record_id"] == selected
            base = styling.plot_style(props["status"]).leaflet()
            return base | {"className": "heza-plot-pick" + (f" {PICKED_CLASS}" if chosen else ""),
                           "color": styling.SELECTED_COLOUR if chosen else "#555555",
                           "weight": 4 if chosen else 0.8}

        folium.GeoJson(frame.to_json(), style_function=style,
                       highlight_function=lambda _f: {"weight": 3, "color": "#111111"},
                       tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False)).add_to(m)
        fit_view(m, plots.total_bounds, padding=10, max_zoom=18)
    return m


def picked(value: object, ids: Collection[str]) -> str | None:
    """The plot a click on the picker chose: the ``record_id`` of the clicked feature
    (streamlit-folium's ``last_active_drawing``) when it is one of ``ids``; else None."""
    if not isinstance(value, dict):
        return None
    feature = value.get("last_active_drawing")
    props = feature.get("properties") if isinstance(feature, dict) else None
    rid = props.get("record_id") if isinstance(props, dict) else None
    return rid if isinstance(rid, str) and rid in ids else None
