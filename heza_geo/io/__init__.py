"""Reading and checking data: layers and tables from a data directory, validated against the schema.

Modules: ``dataset`` (a data directory's layers as a :class:`Dataset`), ``validation`` (a frame
against its schema, every :class:`Problem` found), ``safefiles`` (opening untrusted files: size
caps, content checks, the GDAL drivers allowed), ``crs`` (which coordinate system a file uses),
``importers`` (a file into the store: read, validate, preview, apply), ``templates`` (a
fillable import template per layer: GeoJSON, CSV, XLSX), ``resilience`` (the last
good copy on disk), ``synthetic`` (demo and benchmark plots), ``basemap`` (Natural Earth's land
for the offline map). Nothing here imports folium or Streamlit.
"""

from heza_geo.errors import DataError, Problem
from heza_geo.io.dataset import (
    Dataset,
    Source,
    empty_frame,
    find_sources,
    fingerprint,
    load_dataset,
    load_layer,
    read_source,
)

__all__ = [
    "DataError",
    "Dataset",
    "Problem",
    "Source",
    "empty_frame",
    "find_sources",
    "fingerprint",
    "load_dataset",
    "load_layer",
    "read_source",
]
