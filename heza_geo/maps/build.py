"""The interactive map: basemap, data layers in drawing order, legend and controls, in one call.

Nothing here imports Streamlit, so exports and tests build the very same map as the app.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import replace

import folium
import folium.plugins as plugins
import geopandas as gpd
import numpy as np
from branca.element import Element, Figure

from heza_geo import styling
from heza_geo.i18n import number_separators, t
from heza_geo.maps import assets, phone
from heza_geo.maps.controls import (
    ClearFit,
    Legend,
    MeasureWords,
    MetricScale,
    OfflineMiniMap,
    OverlayClearance,
    TileFallback,
    connectivity_entries,
    legend_sections,
)
from heza_geo.maps.layers import (
    berths_layer,
    connectivity_layer,
    housing_layer,
    offline_land_layer,
    parks_layer,
    placed,
    plots_layer,
    search_control,
    zones_layer,
)
from heza_geo.maps.plots.layer import PlotsLayer
from heza_geo.maps.tree import walk
from heza_geo.view import (
    DEFAULT_ZOOM,
    HAI_PHONG_CENTER,
    MapLayers,
    MapView,
)

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



_CSS = f"""
<style>
html body .leaflet-container {{ background: {styling.WATER_COLOUR};
  font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; }}
.heza-legend {{ background: rgba(255,255,255,.92); padding: 8px 10px; border-radius: 6px; font-size: 12px;
  line-height: 1.35; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 60vh; overflow-y: auto; }}
.heza-legend-summary {{ font-weight: 700; cursor: pointer; }}
.heza-legend-title {{ font-weight: 600; margin: 4px 0 2px; }}
.heza-legend-item {{ display: flex; align-items: center; gap: 6px; }}
.heza-swatch {{ display: inline-block; width: 14px; height: 11px; border: 1px solid #555; }}
.heza-swatch-line {{ height: 4px; border: none; }}
.heza-swatch-dot {{ width: 11px; border-radius: 50%; }}
.heza-popup-title {{ font-weight: 700; font-size: 14px; }}
.heza-popup-sub {{ color: #555; margin-bottom: 4px; font-size: 12px; }}
table.heza-popup th {{ text-align: left; padding-right: 8px; color: #444; font-weight: 500; vertical-align: top; }}
/* the popup's own size, whatever the page around the map styles tables with (streamlit-folium loads
   Bootstrap after the map is drawn, and its 16-px rows made a park's popup taller than a desktop map) */
table.heza-popup {{ font-size: 12px; line-height: 1.35; border-collapse: collapse; }}
table.heza-popup th, table.heza-popup td {{ padding: 1px 8px 1px 0; }}
.heza-badge {{ display: inline-block; font-size: 10px; padding: 0 4px; border-radius: 3px; margin-left: 3px; }}
.heza-badge-report {{ background: #d8f0e0; color: #14532d; }}
.heza-badge-news {{ background: #dbeafe; color: #1e3a8a; }}
.heza-badge-approximate {{ background: #fef3c7; color: #78350f; }}
.heza-badge-synthetic-demo {{ background: #fde2e1; color: #7f1d1d; }}
.heza-badge-none {{ background: #eee; color: #333; }}
.heza-asof {{ color: #666; font-size: 11px; }}
.heza-berth-label {{ font: 700 11px sans-serif; color: #111; text-shadow: 0 0 3px #fff; }}
.leaflet-control-minimap {{ box-sizing: content-box; }}
/* the search's list stays inside the map, over the mini-map, its long names wrapped (maps.layers.TextSearch) */
.leaflet-top.leaflet-left {{ z-index: 1001; }}
.leaflet-control-search .search-tooltip {{ max-width: calc(100vw - 70px); max-height: 45vh; }}
.leaflet-control-search .search-tip {{ white-space: normal; }}
/* a phone-wide map: the mini-map and the pointer's position (there is no pointer) would cover it */
@media (max-width: 520px) {{ .leaflet-control-minimap, .leaflet-control-mouseposition {{ display: none !important; }} }}
.heza-poi {{ width: 26px; height: 26px; border-radius: 50%; background: #1f4e79; color: #fff; display: flex;
  align-items: center; justify-content: center; font-size: 13px; border: 2px solid #fff; }}
</style>
"""


def build_map(layers: MapLayers, view: MapView) -> folium.Map:
    """The whole map for ``view``: basemap, data layers in drawing order, legend and controls."""
    lang = view.lang
    center = view.center or HAI_PHONG_CENTER
    m = folium.Map(location=center, zoom_start=view.zoom or DEFAULT_ZOOM, tiles=None, prefer_canvas=False,
                   attribution_control=True)
    m.add_child(MetricScale())
    page(m).header.add_child(Element(_CSS))
    if layers.land is not None:
        offline_land_layer(layers.land, t("layer.offline", lang)).add_to(m)
    if view.basemap != "offline":
        url, attribution = TILES["street" if view.basemap == "auto" else view.basemap]
        basemap = "street" if view.basemap == "auto" else view.basemap
        tiles = folium.TileLayer(url, attr=attribution, name=t(f"layer.{basemap}", lang), max_zoom=19)
        tiles.add_to(m)
        m.add_child(TileFallback(tiles))
    builders: dict[str, Callable[[], folium.FeatureGroup]] = {
        "zones": lambda: zones_layer(layers.zones, lang),
        "parks": lambda: parks_layer(layers.parks, lang, view.colour_by, view.selected_park),
        "plots": lambda: plots_layer(layers.plots, lang, layers.park_names, layers.plot_source,
                                     passports=layers.passports),
        "connectivity": lambda: connectivity_layer(layers.connectivity, lang),
        "housing": lambda: housing_layer(layers.housing, lang),
        "berths": lambda: berths_layer(layers.berths, lang),
    }
    for name in ("zones", "parks", "plots", "connectivity", "housing", "berths"):
        if name in view.layers:
            group = builders[name]()
            group.add_to(m)
    search = search_control(m, lang)  # what it finds is read from the map when the user types
    if search is not None:
        search.add_to(m)
    m.add_child(Legend(legend_sections(view, layers.berths["status"].dropna() if "status" in layers.berths else (),
                                       connectivity_entries(layers.connectivity)),
                       t("legend.title", lang), fold=True))
    m.add_child(phone.PhoneSheet(layers.parks, lang))  # phones: taps hit parks; a park's sheet, not its popup
    plugins.Fullscreen(position="topleft").add_to(m)
    decimal_sep, group_sep = number_separators(lang)  # "16,94 km (16.940 m)" for a Vietnamese reader
    plugins.MeasureControl(position="topleft", primary_length_unit="kilometers", secondary_length_unit="meters",
                           primary_area_unit="hectares", secondary_area_unit="sqmeters", dec_point=decimal_sep,
                           thousands_sep=group_sep).add_to(m)
    m.add_child(MeasureWords(lang))
    plugins.MousePosition(position="bottomright", separator=" · ", num_digits=5, prefix="WGS84",
                          empty_string=t("map.position_unavailable", lang)).add_to(m)
    if layers.land is not None:
        m.add_child(OfflineMiniMap(layers.land))
    bounds = focus_bounds(layers.parks, view)
    if bounds is None and view.center is None:  # a selected park with no position: all the parks instead
        bounds = focus_bounds(layers.parks, replace(view, selected_park=None))
    m.add_child(OverlayClearance())  # parks and popups clear of the controls (its docstring says why)
    if bounds is not None:
        fit_view(m, bounds, padding=12, clear=True)
    page(m).html.add_child(Element(f'<div class="heza-attribution" hidden>{html.escape(OFFLINE_ATTRIBUTION)}</div>'))
    return assets.trim(m)  # only the scripts and styles the map uses


def page(m: folium.Map) -> Figure:
    """The HTML page ``m`` draws into (folium gives every map one): CSS goes in its ``header``,
    markup in its ``html``."""
    root = m.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"the map is not on a page: its root is a {type(root).__name__}")
    return root


def fit_view(m: folium.Map, bounds: Sequence[Sequence[float]] | np.ndarray, padding: int = 30,
             max_zoom: int | None = None, clear: bool = False) -> None:
    """Frame ``bounds`` (``[[south, west], [north, east]]``, or a ``total_bounds``) at once: an
    animated opening zoom can be caught half-way by a screenshot or lose a race with later
    layers, and drawing straight at the right scale is what a user sees anyway. With ``clear``
    (a map with :class:`~heza_geo.maps.controls.OverlayClearance`), framed in the part of the map
    its controls leave free, ``padding`` around it."""
    corners: Sequence[Sequence[float]]
    if len(bounds) == 4:  # a total_bounds: minx, miny, maxx, maxy
        minx, miny, maxx, maxy = (float(v) for v in np.ravel(bounds))
        corners = [[miny, minx], [maxy, maxx]]
    else:
        corners = bounds.tolist() if isinstance(bounds, np.ndarray) else bounds
    if clear:
        m.add_child(ClearFit([list(c) for c in corners], margin=padding, max_zoom=max_zoom))
        return
    fit = folium.FitBounds(corners, padding=(padding, padding), max_zoom=max_zoom)
    fit.options["animate"] = False
    m.add_child(fit)


def focus_bounds(parks: gpd.GeoDataFrame, view: MapView) -> list[list[float]] | None:
    """What the map frames: the selected park if shown, else all ``parks`` when the view has no
    centre of its own; ``[[south, west], [north, east]]``, or None to keep the view's centre.

    Only parks with a position count (:func:`heza_geo.maps.layers.placed`): a selected park with
    none (unplaced) keeps the view where it is, and the parks' frame is that of the placed ones.
    """
    if view.selected_park and view.selected_park in set(parks["park_id"]):
        focus = placed(parks.loc[parks["park_id"] == view.selected_park])
    elif view.center is not None:
        return None
    else:
        focus = placed(parks)
    if focus.empty:
        return None
    minx, miny, maxx, maxy = (float(v) for v in focus.total_bounds)
    return [[miny, minx], [maxy, maxx]]


def feature_counts(m: folium.Map) -> dict[str, int]:
    """How many features of each ``layer`` property the map holds, for tests and exports."""
    counts: dict[str, int] = {}
    for child in walk(m):
        if isinstance(child, PlotsLayer):
            counts["plot"] = counts.get("plot", 0) + child.count
        if isinstance(child, folium.GeoJson) and isinstance(child.data, dict):
            for feature in child.data.get("features", []):
                kind = feature.get("properties", {}).get("layer")
                if kind:
                    counts[kind] = counts.get(kind, 0) + 1
    return counts


