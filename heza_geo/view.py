"""What the user sees, as plain data: the map's view, the filters, the layers to draw.

The view model is shared by every kind of code: the link parameters (:mod:`heza_geo.links`), the
analysis that selects frames (:mod:`heza_geo.analysis.selection`), the maps that draw them
(:mod:`heza_geo.maps`) and the exports. It imports neither folium nor Streamlit, so naming a layer
or checking a filter loads nothing heavy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n
from heza_geo.schema import PARK_STAGE, PLOT_STATUS, PROVINCE_BEFORE_2025, SECTORS

__all__ = [
    "BASEMAPS",
    "COLOUR_BY",
    "DEFAULT_LAYERS",
    "DEFAULT_ZOOM",
    "HAI_PHONG_CENTER",
    "LAYER_NAMES",
    "Filters",
    "MapLayers",
    "MapView",
    "PlotSource",
    "park_name",
]

LAYER_NAMES = ("zones", "parks", "plots", "berths", "housing", "connectivity")
DEFAULT_LAYERS = LAYER_NAMES
BASEMAPS = ("auto", "offline", "street", "satellite", "light")
COLOUR_BY = ("occupancy", "stage")
HAI_PHONG_CENTER = (20.84, 106.72)
DEFAULT_ZOOM = 10


@dataclass(frozen=True)
class Filters:
    zones: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    plot_statuses: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    min_available_ha: float = 0.0
    #: the regions HEZA reports by: the pre-2025 province ("Hải Phòng" east, "Hải Dương" west)
    regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_values("regions", self.regions, PROVINCE_BEFORE_2025)
        _check_values("stages", self.stages, PARK_STAGE)
        _check_values("plot_statuses", self.plot_statuses, PLOT_STATUS)
        _check_values("sectors", self.sectors, SECTORS)
        if not self.min_available_ha >= 0:
            raise ValueError(f"min_available_ha must be a number ≥ 0, got {self.min_available_ha!r}")

    @property
    def filters_plots(self) -> bool:
        return bool(self.plot_statuses or self.sectors)

    def as_dict(self) -> dict[str, object]:
        """Only the choices that differ from the default (what a URL needs to carry)."""
        default = Filters()
        values = zip(fields(self), asdict(self).values(), strict=True)
        return {f.name: v for f, v in values if v != getattr(default, f.name)}


def _check_values(name: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"{name}: unknown value(s) {unknown}; allowed: {', '.join(allowed)}")


@dataclass(frozen=True)
class PlotSource:
    """Packed plots the browser fetches from the app: a gzipped file (``url``), the same
    uncompressed for browsers without DecompressionStream (``json_url``), and the lists a label
    dictionary needs (``header``: n, parks, statuses, sectors, sources)."""

    url: str
    json_url: str
    header: Mapping[str, Any]
    gz_bytes: int
    json_bytes: int

    @property
    def n(self) -> int:
        return int(self.header["n"])


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
    #: the parks' passports (``schema.PASSPORTS``): a plot's popup adds its park's price and readiness
    passports: pd.DataFrame | None = None



def park_name(row: pd.Series | dict, lang: str) -> str:
    """Vietnamese names for Vietnamese readers, English names for everyone else."""
    return i18n.name(row, lang)


