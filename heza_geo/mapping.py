"""The interactive map: one builder per layer, a legend, controls and an offline basemap.

Builders are functions from a (Geo)DataFrame to a folium layer. Popups and tooltips are built
here, in the chosen language, from already-validated frames; every figure in them carries its
provenance badge. Nothing here imports Streamlit, so exports and tests build the very same map.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import folium
import folium.plugins as plugins
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n, styling
from heza_geo.i18n import fmt_area_ha, fmt_date, fmt_km, fmt_number, fmt_percent, label, t
from heza_geo.plotlayer import PlotSource, PlotsLayer

LAYER_NAMES = ("zones", "parks", "plots", "berths", "housing", "connectivity")
DEFAULT_LAYERS = LAYER_NAMES
BASEMAPS = ("auto", "offline", "street", "satellite", "light")
COLOUR_BY = ("occupancy", "stage")
HAI_PHONG_CENTER = (20.84, 106.72)
DEFAULT_ZOOM = 10

#: online tile layers: (URL template, attribution)
TILES: dict[str, tuple[str, str]] = {
    "street": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "satellite": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Imagery © Esri, Maxar, Earthstar Geographics",
    ),
    "light": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
}
OFFLINE_ATTRIBUTION = "Natural Earth (public domain)"


@dataclass(frozen=True)
class MapView:
    """What the user chose: everything that changes how the map looks (and lives in the URL)."""

    lang: str = "vi"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    colour_by: str = "occupancy"
    basemap: str = "auto"
    selected_park: str | None = None
    center: tuple[float, float] | None = None
    zoom: int | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.layers if name not in LAYER_NAMES]
        if unknown:
            raise ValueError(f"layers: unknown {unknown}; known: {', '.join(LAYER_NAMES)}")
        if self.colour_by not in COLOUR_BY:
            raise ValueError(f"colour_by must be one of {', '.join(COLOUR_BY)}, got {self.colour_by!r}")
        if self.basemap not in BASEMAPS:
            raise ValueError(f"basemap must be one of {', '.join(BASEMAPS)}, got {self.basemap!r}")


@dataclass(frozen=True)
class MapLayers:
    """The frames to draw, already filtered; ``parks`` from ``joins.parks_overview``, ``berths``
    from ``joins.berth_status``."""

    parks: gpd.GeoDataFrame
    plots: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    berths: gpd.GeoDataFrame
    housing: gpd.GeoDataFrame
    connectivity: gpd.GeoDataFrame
    land: BaseGeometry | None = None
    park_names: dict[str, str] = field(default_factory=dict)
    #: where the browser fetches the packed plots (the app's cache); None: inline in the map
    plot_source: PlotSource | None = None


# --- popups -----------------------------------------------------------------------------------
def park_name(row: pd.Series | dict, lang: str) -> str:
    """Vietnamese names for Vietnamese readers, English names for everyone else."""
    return str(row["name_vi"] if lang == "vi" else row["name_en"])


def _badge(source: object, lang: str) -> str:
    kind = i18n.schema.provenance_kind(None if pd.isna(source) else str(source))
    return (f'<span class="heza-badge heza-badge-{kind.replace(" ", "-")}" title="{html.escape(str(source))}">'
            f"{html.escape(i18n.badge(None if pd.isna(source) else str(source), lang))}</span>")


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows if v not in (None, ""))
    return f'<table class="heza-popup">{body}</table>'


def _text(value: object) -> str:
    return i18n.MISSING if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def _figure(value: str, as_of: object, source: object, lang: str) -> str:
    parts = [value]
    if as_of is not None and not pd.isna(as_of):
        parts.append(f'<span class="heza-asof">{html.escape(t("text.as_of", lang, date=fmt_date(as_of, lang)))}</span>')
    if source is not None and not pd.isna(source):
        parts.append(_badge(source, lang))
    return " ".join(parts)


def park_popup(row: pd.Series, lang: str) -> str:
    other = row["name_en"] if lang == "vi" else row["name_vi"]
    plots_source = "synthetic demo" if row.get("plots", 0) else None
    rows = [
        (t("popup.stage", lang), _figure(html.escape(label("stage", row["stage"], lang)), None, row.get("stage_source"), lang)),
        (t("popup.area", lang), _figure(fmt_area_ha(row["area_ha"], lang), None, row["area_source"], lang)),
        (t("popup.occupancy", lang), _figure(fmt_percent(row.get("occupancy_pct"), lang),
                                             row.get("occupancy_as_of"), row.get("occupancy_source"), lang)),
    ]
    if row.get("plots", 0):
        rows += [
            (t("popup.leased", lang), _figure(fmt_area_ha(row["leased_ha"], lang), None, plots_source, lang)),
            (t("popup.available", lang), _figure(fmt_area_ha(row["available_ha"], lang), None, plots_source, lang)),
        ]
    rows += [
        (t("popup.developer", lang), _text(row.get("developer"))),
        (t("popup.distance_to_berth", lang), fmt_km(row.get("distance_to_berth_km"), lang)),
        (t("popup.distance_to_airport", lang), fmt_km(row.get("distance_to_airport_km"), lang)),
        (t("popup.geometry", lang), _badge(row["source"], lang)),
    ]
    return (f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>'
            f'<div class="heza-popup-sub">{html.escape(str(other))}</div>{_rows(rows)}')


def park_tooltip(row: pd.Series, lang: str) -> str:
    return f"{html.escape(park_name(row, lang))} · {fmt_percent(row.get('occupancy_pct'), lang)}"


def plot_popup(row: pd.Series, lang: str, park: str) -> str:
    rows = [
        (t("popup.park", lang), html.escape(park)),
        (t("popup.area", lang), fmt_area_ha(row["area_ha"], lang)),
        (t("popup.status", lang), html.escape(label("plot_status", row["status"], lang))),
        (t("popup.sector", lang), html.escape(label("sector", row["sector"], lang)) if pd.notna(row["sector"]) else ""),
        (t("popup.tenant", lang), _text(row["tenant"]) if pd.notna(row["tenant"]) else ""),
        (t("text.source", lang, source=""), _badge(row["source"], lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(t("popup.plot_id", lang))} {html.escape(str(row["plot_id"]))}</div>{_rows(rows)}'


def plot_tooltip(row: pd.Series, lang: str) -> str:
    return f"{html.escape(str(row['plot_id']))} · {fmt_area_ha(row['area_ha'], lang)} · {html.escape(label('plot_status', row['status'], lang))}"


def berth_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.terminal", lang), _text(row["terminal"])),
        (t("popup.operator", lang), _text(row["operator"])),
        (t("popup.status", lang), _figure(html.escape(label("berth_status", row.get("status"), lang)),
                                          row.get("status_as_of"), row.get("status_source"), lang)),
        (t("popup.construction_start", lang), fmt_date(row.get("construction_start"), lang)),
        (t("popup.operating_since", lang), fmt_date(row.get("operating_since"), lang)),
        (t("popup.expected", lang), _text(row.get("expected")) if pd.notna(row.get("expected")) else ""),
        (t("popup.quay", lang), f"{fmt_number(row['quay_m'], lang, 0)} m" if pd.notna(row["quay_m"]) else ""),
        (t("popup.geometry", lang), _badge(row["source"], lang)),
    ]
    title = t("popup.berth_no", lang, n=int(row["berth_no"]))
    return f'<div class="heza-popup-title">{html.escape(title)}</div>{_rows(rows)}'


def berth_tooltip(row: pd.Series, lang: str) -> str:
    return f"{html.escape(t('popup.berth_no', lang, n=int(row['berth_no'])))} · {html.escape(label('berth_status', row.get('status'), lang))}"


def zone_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.status", lang), html.escape(label("zone_status", row["status"], lang))),
        (t("popup.area", lang), _figure(fmt_area_ha(row["area_ha"], lang), None, row["area_source"], lang)),
        (t("popup.decision", lang), _text(row["decision"]) if pd.notna(row["decision"]) else ""),
        (t("popup.geometry", lang), _badge(row["source"], lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{_rows(rows)}'


def housing_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.kind", lang), html.escape(label("housing_kind", row["kind"], lang))),
        (t("popup.capacity", lang), t("popup.people", lang, n=fmt_number(row["capacity_people"], lang, 0))
         if pd.notna(row["capacity_people"]) else ""),
        (t("popup.area", lang), fmt_area_ha(row["area_ha"], lang) if pd.notna(row["area_ha"]) else ""),
        (t("popup.status", lang), _figure(html.escape(label("housing_status", row["status"], lang)), row["as_of"], row["source"], lang)),
        (t("popup.location", lang), _text(row["location"]) if pd.notna(row["location"]) else ""),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{_rows(rows)}'


def connectivity_popup(row: pd.Series, lang: str) -> str:
    rows = [
        (t("popup.kind", lang), html.escape(label("connectivity_kind", row["kind"], lang))),
        (t("popup.note", lang), _text(row["note"]) if pd.notna(row["note"]) else ""),
        (t("popup.geometry", lang), _badge(row["source"], lang)),
    ]
    return f'<div class="heza-popup-title">{html.escape(park_name(row, lang))}</div>{_rows(rows)}'


# --- layers -----------------------------------------------------------------------------------
def _feature_collection(frame: gpd.GeoDataFrame, properties: pd.DataFrame, precision: int = 6) -> dict:
    """GeoJSON with only the properties the map needs (never confidential columns)."""
    geometry = shapely.set_precision(frame.geometry.values, 10.0**-precision) if precision else frame.geometry.values
    features = [
        {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        for props, geom in zip(properties.to_dict("records"), geometry)
    ]
    return {"type": "FeatureCollection", "features": features}


def _geojson(
    frame: gpd.GeoDataFrame,
    name: str,
    properties: pd.DataFrame,
    style: Callable[[dict], dict],
    tooltip: bool = True,
    popup: bool = True,
    **kwargs: object,
) -> folium.GeoJson:
    return folium.GeoJson(
        _feature_collection(frame, properties),
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
    group = folium.FeatureGroup(name=t("layer.parks", lang))
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
    (:class:`heza_geo.plotlayer.PlotsLayer`): SVG paths ``path.heza-plot`` up to
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
    for _, row in berths.iterrows():
        point = row.geometry.interpolate(0.5, normalized=True)
        folium.Marker(
            (point.y, point.x),
            icon=folium.DivIcon(html=f'<div class="heza-berth-label">{int(row["berth_no"])}</div>',
                                icon_size=(18, 18), icon_anchor=(-6, 9)),
            interactive=False,
        ).add_to(group)
    return group


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
        _geojson(shapes, "connectivity", props, lambda f: styling.connectivity_style(f["properties"]["kind"]).leaflet()).add_to(group)
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


# --- controls ---------------------------------------------------------------------------------
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

    def __init__(self, tiles: folium.TileLayer):
        super().__init__()
        self._name = "TileFallback"
        self.tiles = tiles


class OfflineMiniMap(JSCSSMixin, MacroElement):
    """Leaflet-minimap over the offline land, so the overview works with no tile server."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var layer = L.geoJSON({{ this.land|tojson }}, {style: {{ this.style|tojson }}, interactive: false});
            new L.Control.MiniMap(layer, {position: 'bottomright', toggleDisplay: true, width: 150, height: 150,
                                          zoomLevelOffset: -5}).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)
    default_js = plugins.MiniMap.default_js
    default_css = plugins.MiniMap.default_css

    def __init__(self, land: BaseGeometry):
        super().__init__()
        self._name = "OfflineMiniMap"
        self.land = shapely.geometry.mapping(shapely.set_precision(shapely.simplify(land, 0.01), 1e-3))
        self.style = {"fillColor": styling.LAND_COLOUR, "color": styling.LAND_OUTLINE, "weight": 1, "fillOpacity": 1}


class Legend(MacroElement):
    """The legend as a Leaflet control: it follows the map into fullscreen and into exports."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function() {
                var div = L.DomUtil.create('div', 'heza-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]], title: str):
        super().__init__()
        self._name = "Legend"
        parts = []
        for heading, entries in sections:
            items = "".join(
                f'<div class="heza-legend-item"><span class="heza-swatch heza-swatch-{shape}" style="background:{colour}"></span>'
                f"{html.escape(text)}</div>"
                for colour, text, shape in entries
            )
            parts.append(f'<div class="heza-legend-section"><div class="heza-legend-title">{html.escape(heading)}</div>{items}</div>')
        self.html = f'<details open><summary class="heza-legend-summary">{html.escape(title)}</summary>{"".join(parts)}</details>'


def legend_sections(view: MapView, berth_statuses: Iterable[str] = ()) -> list[tuple[str, list[tuple[str, str, str]]]]:
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
        shown = [s for s in styling.BERTH_STATUS_COLOURS if s in set(berth_statuses)] or list(styling.BERTH_STATUS_COLOURS)
        sections.append((t("legend.berth_status", lang),
                         [(styling.BERTH_STATUS_COLOURS[s], label("berth_status", s, lang), "line") for s in shown]))
    others = []
    if "zones" in view.layers:
        others += [(styling.ZONE_COLOURS[s], label("zone_status", s, lang), "line") for s in styling.ZONE_COLOURS]
    if "housing" in view.layers:
        others.append((styling.HOUSING_COLOUR, t("layer.housing", lang), "dot"))
    if "connectivity" in view.layers:
        others.append((styling.CONNECTIVITY_COLOURS["expressway"], label("connectivity_kind", "expressway", lang), "line"))
    if others:
        sections.append((t("legend.other", lang), others))
    return sections


_CSS = f"""
<style>
html body .leaflet-container {{ background: {styling.WATER_COLOUR}; font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; }}
.heza-legend {{ background: rgba(255,255,255,.92); padding: 8px 10px; border-radius: 6px; font-size: 12px;
  line-height: 1.35; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 60vh; overflow-y: auto; }}
.heza-legend-summary {{ font-weight: 700; cursor: pointer; }}
.heza-legend-title {{ font-weight: 600; margin: 4px 0 2px; }}
.heza-legend-item {{ display: flex; align-items: center; gap: 6px; }}
.heza-swatch {{ display: inline-block; width: 14px; height: 11px; border: 1px solid #555; }}
.heza-swatch-line {{ height: 4px; border: none; }}
.heza-swatch-dot {{ width: 11px; border-radius: 50%; }}
.heza-popup-title {{ font-weight: 700; font-size: 14px; }}
.heza-popup-sub {{ color: #555; margin-bottom: 4px; }}
table.heza-popup th {{ text-align: left; padding-right: 8px; color: #444; font-weight: 500; vertical-align: top; }}
.heza-badge {{ display: inline-block; font-size: 10px; padding: 0 4px; border-radius: 3px; margin-left: 3px; }}
.heza-badge-report {{ background: #d8f0e0; color: #14532d; }}
.heza-badge-news {{ background: #dbeafe; color: #1e3a8a; }}
.heza-badge-approximate {{ background: #fef3c7; color: #78350f; }}
.heza-badge-synthetic-demo {{ background: #fde2e1; color: #7f1d1d; }}
.heza-badge-other {{ background: #eee; color: #333; }}
.heza-asof {{ color: #666; font-size: 11px; }}
.heza-berth-label {{ font: 700 11px sans-serif; color: #111; text-shadow: 0 0 3px #fff; }}
.heza-poi {{ width: 26px; height: 26px; border-radius: 50%; background: #1f4e79; color: #fff; display: flex;
  align-items: center; justify-content: center; font-size: 13px; border: 2px solid #fff; }}
</style>
"""


def build_map(layers: MapLayers, view: MapView) -> folium.Map:
    """The whole map for ``view``: basemap, data layers in drawing order, legend and controls."""
    lang = view.lang
    center = view.center or HAI_PHONG_CENTER
    m = folium.Map(location=center, zoom_start=view.zoom or DEFAULT_ZOOM, tiles=None, control_scale=True,
                   prefer_canvas=False, attribution_control=True)
    m.get_root().header.add_child(Element(_CSS))
    if layers.land is not None:
        offline_land_layer(layers.land, t("layer.offline", lang)).add_to(m)
    if view.basemap != "offline":
        url, attribution = TILES["street" if view.basemap == "auto" else view.basemap]
        tiles = folium.TileLayer(url, attr=attribution, name=t(f"layer.{'street' if view.basemap == 'auto' else view.basemap}", lang),
                                 max_zoom=19)
        tiles.add_to(m)
        m.add_child(TileFallback(tiles))
    builders: dict[str, Callable[[], folium.FeatureGroup]] = {
        "zones": lambda: zones_layer(layers.zones, lang),
        "parks": lambda: parks_layer(layers.parks, lang, view.colour_by, view.selected_park),
        "plots": lambda: plots_layer(layers.plots, lang, layers.park_names, layers.plot_source),
        "connectivity": lambda: connectivity_layer(layers.connectivity, lang),
        "housing": lambda: housing_layer(layers.housing, lang),
        "berths": lambda: berths_layer(layers.berths, lang),
    }
    for name in ("zones", "parks", "plots", "connectivity", "housing", "berths"):
        if name in view.layers:
            group = builders[name]()
            group.add_to(m)
            if name == "parks" and (search := search_control(group, lang)) is not None:
                search.add_to(m)
    m.add_child(Legend(legend_sections(view, layers.berths["status"].dropna() if "status" in layers.berths else ()),
                       t("legend.title", lang)))
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MeasureControl(position="topleft", primary_length_unit="kilometers", secondary_length_unit="meters",
                           primary_area_unit="hectares", secondary_area_unit="sqmeters").add_to(m)
    plugins.MousePosition(position="bottomright", separator=" · ", num_digits=5, prefix="WGS84").add_to(m)
    if layers.land is not None:
        m.add_child(OfflineMiniMap(layers.land))
    if (bounds := focus_bounds(layers.parks, view)) is not None:
        fit_view(m, bounds, padding=30)
    m.get_root().html.add_child(Element(f'<div class="heza-attribution" hidden>{html.escape(OFFLINE_ATTRIBUTION)}</div>'))
    return m


def fit_view(m: folium.Map, bounds: Sequence[Sequence[float]], padding: int = 30, max_zoom: int | None = None) -> None:
    """Frame ``bounds`` (``[[south, west], [north, east]]``, or a ``total_bounds``) at once: an
    animated opening zoom can be caught half-way by a screenshot or lose a race with later
    layers, and drawing straight at the right scale is what a user sees anyway."""
    if len(bounds) == 4:
        minx, miny, maxx, maxy = (float(v) for v in bounds)  # type: ignore[arg-type]
        bounds = [[miny, minx], [maxy, maxx]]
    fit = folium.FitBounds(bounds, padding=(padding, padding), max_zoom=max_zoom)
    fit.options["animate"] = False
    m.add_child(fit)


def focus_bounds(parks: gpd.GeoDataFrame, view: MapView) -> list[list[float]] | None:
    """What the map frames: the selected park if shown, else all ``parks`` when the view has no
    centre of its own; ``[[south, west], [north, east]]``, or None to keep the view's centre."""
    focus = parks
    if view.selected_park and view.selected_park in set(parks["park_id"]):
        focus = parks.loc[parks["park_id"] == view.selected_park]
    if focus.empty or (view.center is not None and focus is parks):
        return None
    minx, miny, maxx, maxy = (float(v) for v in focus.total_bounds)
    return [[miny, minx], [maxy, maxx]]


def feature_counts(m: folium.Map) -> dict[str, int]:
    """How many features of each ``layer`` property the map holds, for tests and exports."""
    counts: dict[str, int] = {}
    for child in _walk(m):
        if isinstance(child, PlotsLayer):
            counts["plot"] = counts.get("plot", 0) + child.count
        if isinstance(child, folium.GeoJson) and isinstance(child.data, dict):
            for feature in child.data.get("features", []):
                kind = feature.get("properties", {}).get("layer")
                if kind:
                    counts[kind] = counts.get(kind, 0) + 1
    return counts


def _walk(element: object) -> Iterable[object]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
