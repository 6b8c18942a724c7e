"""Land and distance indicators: functions from frames to numbers.

Occupancy is ``leased / leasable`` (leasable = leased + available + reserved); infrastructure
plots (roads, green buffers, utilities) are not leasable, and neither is land of an established park
not yet handed over (``not_handed_over``, Tiên Thanh in report 001): it is counted apart
(``not_handed_over_ha``), never as available. Areas come from the plots' ``area_ha``, which the
schema requires to be computed in a metric CRS.

A park no source places (``geometry_quality`` ``unplaced``, :data:`heza_geo.schema.UNPLACED`) has no
geometry: it counts in every total (``parks``, ``declared_ha``), has no plots and no distance (NaN,
never a position made up for it); :func:`placed` tells the parks that have a position.
A park with no published area (``area_ha`` empty) adds nothing to ``declared_ha``; a group whose
parks all lack one has no declared area (NaN), not 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from heza_geo.schema import LEASABLE_STATUS, METRIC_CRS, PLOT_STATUS

AREA_COLUMNS = ("total_ha", "leasable_ha", "leased_ha", "available_ha", "reserved_ha", "infrastructure_ha",
                "not_handed_over_ha")
#: ``region``: east (old Hải Phòng) or west (former Hải Dương), the pre-2025 province HEZA reports by
#: (shown with the label kind ``province``); ``province`` is the same grouping under its column's name
#: "Housing nearby", wherever it is shown (the map's park panel, compare): every housing project within
#: this distance of the park's boundary (straight line), nearest first; one definition, so the panel
#: and the comparison agree
HOUSING_RADIUS_KM = 10.0
GROUPINGS = {"park": "park_id", "district": "district", "zone": "zone_id", "region": "province_before_2025",
             "province": "province_before_2025"}


def placed(frame: gpd.GeoDataFrame) -> pd.Series:
    """Whether each record has a position (a geometry that is neither missing nor empty); a park no
    source places has none and is never drawn, measured or given plots."""
    return pd.Series([g is not None and not g.is_empty for g in frame.geometry], index=frame.index, dtype=bool)


@dataclass(frozen=True)
class LandSummary:
    total_ha: float
    leasable_ha: float
    leased_ha: float
    available_ha: float
    reserved_ha: float
    infrastructure_ha: float
    not_handed_over_ha: float
    plots: int

    @property
    def occupancy_pct(self) -> float | None:
        """``None`` where nothing is leasable: 0% would claim an empty park."""
        return 100.0 * self.leased_ha / self.leasable_ha if self.leasable_ha > 0 else None


def land_summary(plots: pd.DataFrame) -> LandSummary:
    by_status = plots.groupby("status")["area_ha"].sum() if len(plots) else pd.Series(dtype=float)
    ha = {s: float(by_status.get(s, 0.0)) for s in PLOT_STATUS}
    return LandSummary(
        total_ha=sum(ha.values()),
        leasable_ha=sum(ha[s] for s in LEASABLE_STATUS),
        leased_ha=ha["leased"],
        available_ha=ha["available"],
        reserved_ha=ha["reserved"],
        infrastructure_ha=ha["infrastructure"],
        not_handed_over_ha=ha["not_handed_over"],
        plots=len(plots),
    )


def land_by_park(plots: pd.DataFrame) -> pd.DataFrame:
    """One row per park_id with the AREA_COLUMNS, ``plots`` and ``plots_occupancy_pct``."""
    if plots.empty:
        return pd.DataFrame(columns=["park_id", *AREA_COLUMNS, "plots", "plots_occupancy_pct"]).set_index("park_id")
    table = plots.pivot_table(index="park_id", columns="status", values="area_ha", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=list(PLOT_STATUS), fill_value=0.0)
    out = pd.DataFrame(index=table.index)
    out["total_ha"] = table.sum(axis=1)
    out["leasable_ha"] = table[list(LEASABLE_STATUS)].sum(axis=1)
    out["leased_ha"] = table["leased"]
    out["available_ha"] = table["available"]
    out["reserved_ha"] = table["reserved"]
    out["infrastructure_ha"] = table["infrastructure"]
    out["not_handed_over_ha"] = table["not_handed_over"]
    out["plots"] = plots.groupby("park_id").size()
    out["plots_occupancy_pct"] = _occupancy(out)
    out.columns.name = None
    return out


def _occupancy(frame: pd.DataFrame) -> pd.Series:
    leasable = frame["leasable_ha"].where(frame["leasable_ha"] > 0)
    return 100.0 * frame["leased_ha"] / leasable


def land_by(parks: pd.DataFrame, plots: pd.DataFrame, by: str) -> pd.DataFrame:
    """Land totals by ``park``, ``district``, ``zone``, ``region`` (= ``province``) or ``city``, with occupancy %.

    Parks without plots (planned ones, parks with no position) count in ``parks`` and
    ``declared_ha`` but add no land; a park with no published area counts in ``parks`` only.
    """
    groups = list(dict.fromkeys(c for c in GROUPINGS.values() if c != "park_id"))
    per_park = parks[["park_id", "area_ha", *groups]].merge(
        land_by_park(plots).reset_index(), on="park_id", how="left"
    )
    per_park[list(AREA_COLUMNS)] = per_park[list(AREA_COLUMNS)].fillna(0.0)
    if by == "city":
        per_park["city"] = "city"
        key = "city"
    elif by in GROUPINGS:
        key = GROUPINGS[by]
    else:
        raise ValueError(f"by must be one of {', '.join([*GROUPINGS, 'city'])}, got {by!r}")
    grouped = per_park.groupby(per_park[key].fillna(""), sort=True)
    out = grouped[list(AREA_COLUMNS)].sum()
    out.insert(0, "declared_ha", grouped["area_ha"].sum(min_count=1))
    out.insert(0, "parks", grouped.size())
    out["occupancy_pct"] = _occupancy(out)
    out.index.name = key
    return out


def distance_km(features: gpd.GeoDataFrame, targets: gpd.GeoDataFrame) -> pd.Series:
    """Shortest straight-line distance (km) from each feature to the nearest target, in UTM 48N.

    Zero where a feature touches or contains a target; NaN when there is no target, and for a
    feature with no geometry (a park no source places): no distance is made up for it.
    """
    if targets.empty or features.empty:
        return pd.Series(float("nan"), index=features.index, dtype="float64")
    src = features.geometry.to_crs(METRIC_CRS)
    union = targets.geometry.to_crs(METRIC_CRS).union_all()
    return src.distance(union) / 1000.0
