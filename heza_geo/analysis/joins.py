"""The joins the app draws from: parks ⨝ plots ⨝ occupancy ⨝ investment, berths ⨝ status history.

Figures keep their provenance through every join: each value comes with its as-of date, basis
(reported / estimate / synthetic demo) and source, so a page can never show a demo number as official.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from heza_geo.analysis.indicators import AREA_COLUMNS, distance_km, land_by_park
from heza_geo.io import Dataset

_OPERATING = "operating"


def _cutoff(frame: pd.DataFrame, as_of: date | str | pd.Timestamp | None) -> pd.DataFrame:
    if as_of is None:
        return frame
    return frame[frame["as_of"] <= pd.Timestamp(as_of)]


def latest_occupancy(history: pd.DataFrame, as_of: date | str | None = None) -> pd.DataFrame:
    """Each park's latest occupancy figure on or before ``as_of``, indexed by park_id.

    Where two sources give a figure for the same date, a reported one wins over an estimate or a
    demo value.
    """
    rows = _cutoff(history[history["scope"] == "park"], as_of)
    rank = rows["basis"].map({"reported": 0, "estimate": 1}).fillna(2)
    rows = rows.assign(_rank=rank).sort_values(["park_id", "as_of", "_rank"], ascending=[True, True, False])
    latest = rows.groupby("park_id").tail(1).set_index("park_id")
    return latest[["occupancy_pct", "as_of", "basis", "source", "note"]].rename(
        columns={
            "as_of": "occupancy_as_of",
            "basis": "occupancy_basis",
            "source": "occupancy_source",
            "note": "occupancy_note",
        }
    )


def city_occupancy(history: pd.DataFrame, as_of: date | str | None = None) -> pd.Series | None:
    """The latest city-wide average occupancy row on or before ``as_of`` (``None`` if there is none)."""
    rows = _cutoff(history[history["scope"] == "city"], as_of).sort_values("as_of")
    return None if rows.empty else rows.iloc[-1]


def berth_status(
    berths: gpd.GeoDataFrame, history: pd.DataFrame, as_of: date | str | None = None
) -> gpd.GeoDataFrame:
    """Berths with their status on ``as_of`` (default: the latest known).

    Adds ``status`` (None before the first record), ``status_as_of``, ``status_source``,
    ``expected``, and the milestones ``operating_since`` and ``construction_start`` as known then.
    """
    rows = _cutoff(history, as_of).sort_values(["berth_no", "as_of"])
    latest = rows.groupby("berth_no").tail(1).set_index("berth_no")
    first = {
        status: rows[rows["status"] == status].groupby("berth_no")["as_of"].min()
        for status in ("operating", "under_construction")
    }
    out = berths.copy()
    key = out["berth_no"]
    out["status"] = key.map(latest["status"]).astype("object")
    out["status_as_of"] = pd.to_datetime(key.map(latest["as_of"].to_dict()))
    out["status_source"] = key.map(latest["source"]).astype("object")
    out["status_event"] = key.map(latest["event"]).astype("object")
    out["expected"] = key.map(latest["expected"]).astype("object")
    out["operating_since"] = pd.to_datetime(key.map(first["operating"].to_dict()))
    out["construction_start"] = pd.to_datetime(key.map(first["under_construction"].to_dict()))
    return out


def parks_overview(data: Dataset, as_of: date | str | None = None) -> gpd.GeoDataFrame:
    """One row per park: its attributes, land from its plots, its latest occupancy figure and distances.

    ``occupancy_pct`` is the park's figure from the occupancy table (reported, estimate or demo, see
    ``occupancy_basis``); ``plots_occupancy_pct`` is what the plots add up to.
    """
    parks = data.parks.copy()
    land = land_by_park(data.plots)
    parks = parks.merge(land, left_on="park_id", right_index=True, how="left")
    parks[list(AREA_COLUMNS)] = parks[list(AREA_COLUMNS)].fillna(0.0)
    parks["plots"] = parks["plots"].fillna(0).astype(int)
    occupancy = latest_occupancy(data.occupancy_history, as_of)
    parks = parks.merge(occupancy, left_on="park_id", right_index=True, how="left")
    berths = berth_status(data.berths, data.berth_status_history, as_of)
    operating = berths[berths["status"] == _OPERATING]
    parks["distance_to_berth_km"] = distance_km(parks, operating if not operating.empty else berths)
    airports = data.connectivity[data.connectivity["kind"] == "airport"]
    parks["distance_to_airport_km"] = distance_km(parks, airports)
    return gpd.GeoDataFrame(parks, geometry="geometry", crs=data.parks.crs)


@dataclass(frozen=True)
class Figure:
    """A number with what a reader needs to trust it."""

    value: float
    unit: str
    period: str
    period_end: pd.Timestamp
    basis: str
    source: str
    plan: float | None = None
    pct_of_plan: float | None = None
    note: str | None = None


def latest_figure(table: pd.DataFrame, metric: str, park_id: str | None = None) -> Figure | None:
    """The most recent value of ``metric`` (city-wide unless ``park_id``); reported beats estimate on a tie."""
    rows = table[table["metric"] == metric]
    if "park_id" in rows.columns:
        rows = rows[rows["park_id"].isna()] if park_id is None else rows[rows["park_id"] == park_id]
    if rows.empty:
        return None
    rank = rows["basis"].map({"reported": 0, "estimate": 1}).fillna(2)
    row = rows.assign(_rank=rank).sort_values(["period_end", "_rank"], ascending=[True, False]).iloc[-1]
    return Figure(
        value=float(row["value"]),
        unit=str(row["unit"]),
        period=str(row["period"]),
        period_end=row["period_end"],
        basis=str(row["basis"]),
        source=str(row["source"]),
        plan=None if pd.isna(row["plan"]) else float(row["plan"]),
        pct_of_plan=None if pd.isna(row["pct_of_plan"]) else float(row["pct_of_plan"]),
        note=None if pd.isna(row["note"]) else str(row["note"]),
    )


def park_investment(data: Dataset) -> pd.DataFrame:
    """Investment rows that name a park, joined with the park's names (empty for the HEZA reports,
    which give city-wide figures only; real per-park data joins here unchanged)."""
    inv = data.investment
    if "park_id" not in inv.columns:
        return inv.iloc[0:0]
    rows = inv[inv["park_id"].notna()]
    return rows.merge(data.parks[["park_id", "name_vi", "name_en"]], on="park_id", how="left")
