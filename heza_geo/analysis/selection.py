"""What the user sees: the frames of a view, filtered once, for the map page and every export.

The map page, the PNG/PDF/HTML snapshots and the data exports all draw from :func:`select`, so an
export always holds exactly what the map shows for the same filters and view.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from heza_geo.analysis.filters import apply
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.io import Dataset
from heza_geo.io.basemap import offline_land
from heza_geo.links import BadParam, choice_param
from heza_geo.view import LAYER_NAMES, Filters, MapLayers, MapView, park_name


class _NotGiven(enum.Enum):
    """The type of :data:`_NOT_GIVEN`: one member, so ``land is _NOT_GIVEN`` narrows ``land``."""

    TOKEN = enum.auto()


#: ``select(land=...)`` not passed (``None`` means "no land data", so it cannot mark "not passed")
_NOT_GIVEN: Final = _NotGiven.TOKEN


@dataclass(frozen=True)
class Selection:
    """The frames drawn for one (filters, view): parks from ``joins.parks_overview`` and their
    plots, filtered; zones, berths (with their status), housing and connectivity as the map shows
    them (context layers are not filtered)."""

    filters: Filters
    view: MapView
    parks: gpd.GeoDataFrame
    plots: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    berths: gpd.GeoDataFrame
    housing: gpd.GeoDataFrame
    connectivity: gpd.GeoDataFrame
    land: BaseGeometry | None
    park_names: dict[str, str]
    as_of: date | None = None
    #: the parks' passports, for the plots' popups (the park's price and readiness)
    passports: pd.DataFrame | None = None

    def map_layers(self) -> MapLayers:
        return MapLayers(self.parks, self.plots, self.zones, self.berths, self.housing, self.connectivity,
                         self.land, self.park_names, passports=self.passports)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """One of :data:`heza_geo.view.LAYER_NAMES`."""
        if name not in LAYER_NAMES:
            raise KeyError(f"unknown layer {name!r}; known: {', '.join(LAYER_NAMES)}")
        return getattr(self, name)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers the view shows, in drawing order of :data:`LAYER_NAMES`."""
        return {name: self.layer(name) for name in LAYER_NAMES if name in self.view.layers}


def check_filters(data: Dataset, filters: Filters) -> list[str]:
    """Choices that name no park, district, zone or region of ``data``, one line each (empty: all known).

    The URL drops such values quietly; a script (``python -m heza_geo export``) must hear about a
    mistyped park id instead of getting an empty report.
    """
    problems = []
    for attr, column, frame, what in (
        ("parks", "park_id", data.parks, "park"),
        ("districts", "district", data.parks, "district"),
        ("zones", "zone_id", data.zones, "zone"),
        ("regions", "province_before_2025", data.parks, "region"),
    ):
        known = set(frame[column].dropna())
        unknown = [v for v in getattr(filters, attr) if v not in known]
        if unknown:
            problems.append(f"unknown {what} {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}")
    return problems


def known_filters(data: Dataset, filters: Filters) -> Filters:
    """``filters`` without the parks, districts, zones and regions ``data`` does not have (as the
    map's widgets drop them), for a view that came from a link."""

    def known(values: tuple[str, ...], frame: gpd.GeoDataFrame, column: str) -> tuple[str, ...]:
        present = set(frame[column].dropna())
        return tuple(v for v in values if v in present)

    return replace(filters, parks=known(filters.parks, data.parks, "park_id"),
                   districts=known(filters.districts, data.parks, "district"),
                   zones=known(filters.zones, data.zones, "zone_id"),
                   regions=known(filters.regions, data.parks, "province_before_2025"))


def unknown_in_link(data: Dataset, filters: Filters, selected: str | None = None) -> tuple[BadParam, ...]:
    """What a link named that ``data`` does not have, each as the parameter it came in with what is used
    instead: parks, districts, zones and regions (which :func:`known_filters` drops) and the ``selected``
    park (the map then opens on the city)."""
    kept = known_filters(data, filters)
    problems = []
    for attr, name, frame, column in (("parks", "park", data.parks, "park_id"),
                                      ("districts", "district", data.parks, "district"),
                                      ("zones", "zone", data.zones, "zone_id"),
                                      ("regions", "region", data.parks, "province_before_2025")):
        given, known = getattr(filters, attr), getattr(kept, attr)
        if bad := [v for v in given if v not in known]:
            _, problem = choice_param({name: ", ".join(bad)}, name, ", ".join(known),
                                      sorted(frame[column].dropna().astype(str).unique()))
            problems.append(problem)
    if selected:
        problems.append(choice_param({"selected": selected}, "selected", None, list(data.parks["park_id"]))[1])
    return tuple(p for p in problems if p is not None)


def select(
    data: Dataset,
    filters: Filters,
    view: MapView,
    *,
    as_of: date | None = None,
    overview: gpd.GeoDataFrame | None = None,
    berths: gpd.GeoDataFrame | None = None,
    land: BaseGeometry | _NotGiven | None = _NOT_GIVEN,
) -> Selection:
    """The frames ``view`` draws for ``filters``.

    ``overview`` (``parks_overview(data, as_of)``), ``berths`` (``berth_status(...)``) and ``land``
    (``basemap.offline_land()``) may be passed when the caller has them cached, as the app does.
    """
    parks_all = parks_overview(data, as_of) if overview is None else overview
    parks, plots = apply(parks_all, data.plots, filters)
    return Selection(
        filters=filters,
        view=view,
        parks=parks,
        plots=plots,
        zones=data.zones,
        berths=berth_status(data.berths, data.berth_status_history, as_of) if berths is None else berths,
        housing=data.housing,
        connectivity=data.connectivity,
        land=offline_land() if land is _NOT_GIVEN else land,
        park_names={row["park_id"]: park_name(row, view.lang) for _, row in parks_all.iterrows()},
        as_of=as_of,
        passports=data.passports,
    )
