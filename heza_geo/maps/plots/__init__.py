"""The plots layer: tens of thousands of plots drawn in the browser from packed columns.

``pack`` turns plots into ids, codes and integer coordinates (no HTML); ``layer`` is the folium
element and the cached files the browser fetches; ``plots.js`` draws them in Leaflet's idiom.
"""

from heza_geo.maps.plots.layer import CANVAS_ABOVE, PlotsLayer, install_key, write_plot_files
from heza_geo.maps.plots.pack import pack

__all__ = ["CANVAS_ABOVE", "PlotsLayer", "install_key", "pack", "write_plot_files"]
