"""The maps: folium maps built from the view model and the analysis' frames (the only folium code
besides the exports' framing and the app's fast map).

Modules: ``build`` (:func:`build_map`, the whole interactive map), ``layers`` (one builder per
layer), ``popups`` (popups and tooltips with provenance badges), ``controls`` (legend, mini-map,
tile fallback), ``plots`` (the packed plots layer drawn in the browser), ``assets`` (the JS/CSS
served from this machine, never a CDN), ``tree`` (walking an element tree), ``pagemaps`` (the
occupancy and port pages' maps), ``highlight`` (the land finder's and compare's maps),
``changes`` (an import's preview), ``picker`` (the staff page's plot picker), ``tour`` (the presentation).
"""

from heza_geo.maps.build import OFFLINE_ATTRIBUTION, TILES, build_map, feature_counts, fit_view, focus_bounds
from heza_geo.maps.controls import Legend, legend_sections
from heza_geo.maps.tree import walk

__all__ = [
    "OFFLINE_ATTRIBUTION",
    "TILES",
    "Legend",
    "build_map",
    "feature_counts",
    "fit_view",
    "focus_bounds",
    "legend_sections",
    "walk",
]
