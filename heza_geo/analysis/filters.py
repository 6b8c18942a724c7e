"""Filtering parks and plots: functions from frames and a :class:`Filters` value to frames.

An empty choice means "all". Park-level choices (region, zone, former district, park, stage,
minimum available area) select parks; plot-level choices (status, sector) select plots, and a park stays in the
selection only if at least one of its plots matches them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from heza_geo.view import Filters

__all__ = ["Filters", "apply", "filter_parks", "filter_plots"]


def _member(series: pd.Series, choice: tuple[str, ...]) -> pd.Series:
    return series.isin(choice) if choice else pd.Series(True, index=series.index)


def filter_plots(plots: gpd.GeoDataFrame, filters: Filters, park_ids: pd.Series | None = None) -> gpd.GeoDataFrame:
    """Plots matching the plot-level choices, within ``park_ids`` when given."""
    mask = _member(plots["status"], filters.plot_statuses) & _member(plots["sector"], filters.sectors)
    if park_ids is not None:
        mask &= plots["park_id"].isin(park_ids)
    return plots[mask]


def filter_parks(parks: gpd.GeoDataFrame, plots: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    """Parks matching the park-level choices (and having a matching plot, if plot choices are set).

    ``parks`` needs ``available_ha`` when a minimum available area is asked for: pass the frame from
    :func:`heza_geo.analysis.joins.parks_overview`.
    """
    mask = (
        _member(parks["province_before_2025"], filters.regions)
        & _member(parks["zone_id"], filters.zones)
        & _member(parks["district"], filters.districts)
        & _member(parks["park_id"], filters.parks)
        & _member(parks["stage"], filters.stages)
    )
    if filters.min_available_ha > 0:
        if "available_ha" not in parks.columns:
            raise ValueError("filter_parks: a minimum available area needs parks with 'available_ha' "
                             "(see parks_overview)")
        mask &= parks["available_ha"] >= filters.min_available_ha
    if filters.filters_plots:
        mask &= parks["park_id"].isin(filter_plots(plots, filters)["park_id"])
    return parks[mask]


def apply(parks: gpd.GeoDataFrame, plots: gpd.GeoDataFrame,
          filters: Filters) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The selected parks and the plots to draw for them."""
    selected = filter_parks(parks, plots, filters)
    return selected, filter_plots(plots, filters, selected["park_id"])
