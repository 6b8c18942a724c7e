"""Small maps of single-purpose pages, built on :func:`heza_geo.maps.build.build_map`.

* :func:`park_map`: one park and its plots (the occupancy page's "see it on the map").
* :func:`port_map`: the Lạch Huyện berths as of a date, the area within N km of the operating
  ones, and the parks in it highlighted (the port page).

They reuse the main map's basemap, legend and layer builders, and add only what the page needs;
features keep the CSS classes tests look for (``path.heza-park``, ``path.heza-berth``) plus
``heza-berth-<status>`` and ``heza-park-near``.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from heza_geo import schema, styling
from heza_geo.analysis.port import NOT_YET_PLANNED, berth_status_text
from heza_geo.i18n import fmt_km, label, t
from heza_geo.io import empty_frame
from heza_geo.maps.build import build_map, fit_view
from heza_geo.maps.controls import Legend
from heza_geo.maps.layers import add_berth_labels, parks_layer, placed
from heza_geo.maps.popups import badge, dated_figure, note_cell, row_date, rows_table, text_cell
from heza_geo.view import MapLayers, MapView, park_name


def _empty(layer: schema.LayerSchema) -> gpd.GeoDataFrame:
    frame = empty_frame(layer)
    if not isinstance(frame, gpd.GeoDataFrame):  # a table: never one of a map's layers
        raise TypeError(f"{layer.name} is a table, not a map layer")
    return frame


def park_map(overview: gpd.GeoDataFrame, plots: gpd.GeoDataFrame, park_id: str, lang: str,
             land: BaseGeometry | None = None) -> folium.Map:
    """The park ``park_id`` of ``overview`` (``joins.parks_overview``) with its plots, zoomed on it (a
    park with no position yet draws nothing: the map opens on the city, no error)."""
    park = overview[overview["park_id"] == park_id]
    if park.empty:
        raise ValueError(f"park_id {park_id!r} is not in the parks overview")
    layers = MapLayers(park, plots[plots["park_id"] == park_id], _empty(schema.ZONES), _empty(schema.BERTHS),
                       _empty(schema.HOUSING), _empty(schema.CONNECTIVITY), land,
                       {park_id: park_name(park.iloc[0], lang)})
    view = MapView(lang=lang, layers=("parks", "plots"), colour_by="occupancy", basemap="auto", selected_park=park_id)
    return build_map(layers, view)


def _berth_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.terminal", lang), text_cell(row["terminal"])),
        (t("popup.operator", lang), text_cell(row["operator"])),
        (t("popup.status", lang), dated_figure(html.escape(berth_status_text(row.get("status"), lang)), row,
                                                "status_as_of", "status_source", lang)),
        (t("popup.construction_start", lang), row_date(row, "construction_start", lang)),
        (t("popup.operating_since", lang), row_date(row, "operating_since", lang)),
        (t("popup.expected", lang), note_cell(row.get("expected"), lang)),
        (t("popup.geometry", lang), badge(schema.provenance_of(row), lang)),
    ]
    title = html.escape(t("popup.berth_no", lang, n=int(row["berth_no"])))
    return f'<div class="heza-popup-title">{title}</div>{rows_table(rows)}'


def port_berths_layer(status: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """Berths coloured by their status as of the page's date; class ``heza-berth heza-berth-<status>``."""
    group = folium.FeatureGroup(name=t("layer.berths", lang))
    if status.empty:
        return group
    shown = status["display_status"].astype(str)
    props = pd.DataFrame({
        "layer": "berth",
        "berth_no": status["berth_no"].astype(int).values,
        "status": shown.values,
        "tooltip": [f"{html.escape(t('popup.berth_no', lang, n=int(n)))} · {html.escape(berth_status_text(s, lang))}"
                    for n, s in zip(status["berth_no"], shown, strict=True)],
        "popup": [_berth_popup(r, lang) for _, r in status.iterrows()],
    })

    def style(feature: dict) -> dict:
        value = feature["properties"]["status"]
        base = styling.berth_style(None if value == NOT_YET_PLANNED else value).leaflet()
        return {**base, "className": f"heza-berth heza-berth-{value.replace('_', '-')}"}

    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": shapely.geometry.mapping(g)}
        for p, g in zip(props.to_dict("records"), status.geometry, strict=True)
    ]}
    folium.GeoJson(
        features, name="berths", style_function=style,
        highlight_function=lambda _: {"weight": 10, "color": styling.SELECTED_COLOUR},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420),
    ).add_to(group)
    add_berth_labels(status, group)
    return group


def _near_layer(near: gpd.GeoDataFrame, lang: str, km: float) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("port.near_layer", lang, km=fmt_km(km, lang, None)))
    if near.empty:
        return group
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature",
         "properties": {"layer": "park-near", "park_id": pid,
                        "tooltip": f"{html.escape(park_name(r, lang))} · {fmt_km(r['distance_km'], lang)}"},
         "geometry": shapely.geometry.mapping(r.geometry)}
        for pid, (_, r) in zip(near["park_id"], near.iterrows(), strict=True)
    ]}
    style = {"fillColor": styling.SELECTED_COLOUR, "color": styling.SELECTED_COLOUR, "weight": 4, "fillOpacity": 0.15,
             "className": "heza-park-near"}
    folium.GeoJson(features, name="parks-near", style_function=lambda _f: style,
                   tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True)).add_to(group)
    return group


def _reach_layer(reach: gpd.GeoSeries, lang: str, km: float) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("port.reach_layer", lang, km=fmt_km(km, lang, None)))
    if reach.empty:
        return group
    colour = styling.BERTH_STATUS_COLOURS["operating"]
    style = {"fillColor": colour, "color": colour, "weight": 2, "fillOpacity": 0.04, "dashArray": "8 6",
             "interactive": False, "className": "heza-reach"}
    folium.GeoJson(shapely.geometry.mapping(reach.iloc[0]), name="reach", style_function=lambda _f: style,
                   control=False).add_to(group)
    return group


def port_legend(status: gpd.GeoDataFrame, lang: str, km: float) -> Legend:
    shown = set(status["display_status"])
    berth_entries = [(colour, label("berth_status", s, lang), "line")
                     for s, colour in styling.BERTH_STATUS_COLOURS.items() if s in shown]
    if NOT_YET_PLANNED in shown:
        berth_entries.append((styling.BERTH_UNKNOWN_COLOUR, t("port.not_yet_planned", lang), "line"))
    reach = [(styling.SELECTED_COLOUR, t("port.near_layer", lang, km=fmt_km(km, lang, None)), "box"),
             (styling.BERTH_STATUS_COLOURS["operating"], t("port.reach_layer", lang, km=fmt_km(km, lang, None)),
              "line")]
    stages = [(colour, label("stage", s, lang), "box") for s, colour in styling.STAGE_COLOURS.items()]
    return Legend([(t("legend.berth_status", lang), berth_entries), (t("port.legend_reach", lang), reach),
                   (t("legend.stage", lang), stages)], t("legend.title", lang))


def port_map(overview: gpd.GeoDataFrame, status: gpd.GeoDataFrame, connectivity: gpd.GeoDataFrame,
             near: pd.DataFrame, reach: gpd.GeoSeries, km: float, lang: str,
             land: BaseGeometry | None = None) -> folium.Map:
    """The port as of a date: parks by stage, the connectivity layer, berths by status, the area within
    ``km`` of the operating berths (``reach``) and the parks in it (``near``, from ``port.parks_within``)
    outlined; zoomed on the berths and those parks."""
    layers = MapLayers(overview, _empty(schema.PLOTS), _empty(schema.ZONES), _empty(schema.BERTHS),
                       _empty(schema.HOUSING), connectivity, land)
    m = build_map(layers, MapView(lang=lang, layers=("connectivity",), basemap="auto"))
    parks_layer(overview, lang, "stage").add_to(m)
    _reach_layer(reach, lang, km).add_to(m)
    near_parks = placed(overview[overview["park_id"].isin(near["park_id"])]).merge(
        near[["park_id", "distance_km"]], on="park_id")
    _near_layer(gpd.GeoDataFrame(near_parks, geometry="geometry", crs=overview.crs), lang, km).add_to(m)
    port_berths_layer(status, lang).add_to(m)
    for name, child in list(m._children.items()):  # the port's own legend replaces the map's: one, not two
        if isinstance(child, Legend):
            del m._children[name]
    m.add_child(port_legend(status, lang, km))
    focus = pd.concat([status.geometry, near_parks.geometry]) if not near_parks.empty else status.geometry
    if len(focus):
        fit_view(m, gpd.GeoSeries(focus, crs=schema.WGS84).total_bounds, padding=30)
    return m
