"""The joins the app draws from: parks ⨝ plots ⨝ occupancy ⨝ investment, berths ⨝ status history.

Figures keep their provenance through every join: each value comes with its as-of date (and how
precisely that date is known), basis (reported / estimate / synthetic demo) and source, the kind
beside the reference (``occupancy_source_kind`` next to ``occupancy_source``, see
:func:`heza_geo.schema.kind_column`), so a page can never show a demo number as official.

A date known only to the month or the year is stored as the first day of its period with a
``<date>_precision`` column (:data:`heza_geo.schema.DATE_PRECISION`); every derived date carries
its precision along (``occupancy_as_of_precision``, ``status_as_of_precision``,
``operating_since_precision``, ``construction_start_precision``), so a page writes "since 2018"
and never a day no source gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from heza_geo.analysis.indicators import AREA_COLUMNS, distance_km, land_by_park
from heza_geo.io import Dataset
from heza_geo.schema import REPORT, Provenance, kind_column, precision_column, provenance_of

_OPERATING = "operating"
#: among records of the same date, the more precisely dated one is the later ("2018-05-13" after "2018")
_PRECISION_RANK = {"year": 0, "month": 1}


def with_provenance_columns(frame: pd.DataFrame, date_column: str = "as_of") -> pd.DataFrame:
    """A copy of ``frame`` sure to have its ``source_kind`` and ``<date_column>_precision`` columns
    (empty where it had none, as in a frame built by hand), the precision filled with ``day`` where
    missing, as the schema reads a missing precision."""
    missing = {c: None for c in (kind_column("source"), precision_column(date_column)) if c not in frame.columns}
    out = frame.assign(**missing) if missing else frame.copy()
    out[precision_column(date_column)] = out[precision_column(date_column)].where(
        out[precision_column(date_column)].notna(), "day").astype("object")
    return out


def _precision_rank(frame: pd.DataFrame, date_column: str = "as_of") -> pd.Series:
    return frame[precision_column(date_column)].map(_PRECISION_RANK).fillna(2)


def _cutoff(frame: pd.DataFrame, as_of: date | str | pd.Timestamp | None) -> pd.DataFrame:
    if as_of is None:
        return frame
    return frame[frame["as_of"] <= pd.Timestamp(as_of)]


def latest_occupancy(history: pd.DataFrame, as_of: date | str | None = None) -> pd.DataFrame:
    """Each park's latest occupancy figure on or before ``as_of``, indexed by park_id.

    Columns: ``occupancy_pct``, ``occupancy_as_of`` and ``occupancy_as_of_precision`` (``day``,
    ``month`` or ``year``), ``occupancy_basis``, ``occupancy_source_kind``, ``occupancy_source``
    and ``occupancy_note``. Where two sources give a figure for the same date, a reported one wins
    over an estimate or a demo value, then the more precisely dated one.
    """
    rows = with_provenance_columns(_cutoff(history[history["scope"] == "park"], as_of))
    rank = rows["basis"].map({"reported": 0, "estimate": 1}).fillna(2)
    rows = rows.assign(_rank=rank, _precise=_precision_rank(rows)).sort_values(
        ["park_id", "as_of", "_rank", "_precise"], ascending=[True, True, False, True], kind="mergesort")
    latest = rows.groupby("park_id").tail(1).set_index("park_id")
    columns = ["occupancy_pct", "as_of", precision_column("as_of"), "basis", kind_column("source"), "source", "note"]
    return latest[columns].rename(columns=lambda c: c if c == "occupancy_pct" else f"occupancy_{c}")


def _of_kind(rows: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    """The rows whose source is of ``kind`` (all when None)."""
    return rows if kind is None else rows[rows[kind_column("source")] == kind]


def city_occupancy(history: pd.DataFrame, as_of: date | str | None = None, kind: str | None = None
                   ) -> pd.Series | None:
    """The latest city-wide average occupancy row on or before ``as_of`` (``None`` if there is none),
    of a source of ``kind`` only (e.g. :data:`heza_geo.schema.REPORT`) when given."""
    rows = _of_kind(with_provenance_columns(_cutoff(history[history["scope"] == "city"], as_of)), kind)
    rows = rows.assign(_precise=_precision_rank(rows)).sort_values(["as_of", "_precise"], kind="mergesort")
    return None if rows.empty else rows.iloc[-1].drop("_precise")


def berth_status(
    berths: gpd.GeoDataFrame, history: pd.DataFrame, as_of: date | str | None = None
) -> gpd.GeoDataFrame:
    """Berths with their status on ``as_of`` (default: the latest known).

    Adds ``status`` (None before the first record), ``status_as_of`` with its
    ``status_as_of_precision``, ``status_source_kind`` and ``status_source``, ``status_event``,
    ``expected``, and the milestones ``operating_since`` and ``construction_start`` as known then,
    each with its ``*_precision`` (berths 1–2 of Lạch Huyện: operating since 2018, precision
    ``year``). Every column is empty (None/NaT) for a berth with no record yet.
    """
    precision = precision_column("as_of")
    rows = with_provenance_columns(_cutoff(history, as_of))
    rows = rows.assign(_precise=_precision_rank(rows)).sort_values(["berth_no", "as_of", "_precise"], kind="mergesort")
    latest = rows.groupby("berth_no").tail(1).set_index("berth_no")
    out = berths.copy()
    key = out["berth_no"]

    def take(frame: pd.DataFrame, column: str) -> pd.Series:
        return key.map(frame[column].to_dict()).astype("object")

    out["status"] = take(latest, "status")
    out["status_as_of"] = pd.to_datetime(key.map(latest["as_of"].to_dict()))
    out[precision_column("status_as_of")] = take(latest, precision)
    out[kind_column("status_source")] = take(latest, kind_column("source"))
    out["status_source"] = take(latest, "source")
    out["status_event"] = take(latest, "event")
    out["expected"] = take(latest, "expected")
    for status, column in (("operating", "operating_since"), ("under_construction", "construction_start")):
        first = rows[rows["status"] == status].groupby("berth_no").head(1).set_index("berth_no")
        out[column] = pd.to_datetime(key.map(first["as_of"].to_dict()))
        out[precision_column(column)] = take(first, precision)
    return out


def parks_overview(data: Dataset, as_of: date | str | None = None) -> gpd.GeoDataFrame:
    """One row per park: its attributes, land from its plots, its latest occupancy figure and distances.

    Every park is a row, those no source places too (no geometry): their distances are NaN (no
    position is made up for them) and they have no plots (``plots`` 0).

    ``occupancy_pct`` is the park's figure from the occupancy table (reported, estimate or demo, see
    ``occupancy_basis``, with its date, precision and provenance as :func:`latest_occupancy` gives
    them); ``plots_occupancy_pct`` is what the plots add up to, and land not yet handed over
    (``not_handed_over_ha``) is neither leasable nor available.
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
    """A number with what a reader needs to trust it: its period, basis and provenance."""

    value: float
    unit: str
    period: str
    period_end: pd.Timestamp
    basis: str
    provenance: Provenance
    plan: float | None = None
    pct_of_plan: float | None = None
    note: str | None = None


def latest_figure(table: pd.DataFrame, metric: str, park_id: str | None = None, kind: str | None = None
                  ) -> Figure | None:
    """The most recent value of ``metric`` (city-wide unless ``park_id``); reported beats estimate on a tie.

    ``kind`` keeps the figures of one kind of source only: ``latest_figure(t, m, kind=REPORT)`` is
    the HEZA reports' latest figure, which a newer one from the news does not replace on a page.
    """
    rows = _of_kind(with_provenance_columns(table, "period_end"), kind)
    rows = rows[rows["metric"] == metric]
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
        provenance=provenance_of(row),
        plan=None if pd.isna(row["plan"]) else float(row["plan"]),
        pct_of_plan=None if pd.isna(row["pct_of_plan"]) else float(row["pct_of_plan"]),
        note=None if pd.isna(row["note"]) else str(row["note"]),
    )


def report_beside(table: pd.DataFrame, metric: str, latest: Figure | None) -> Figure | None:
    """The HEZA reports' latest figure of ``metric`` where ``latest`` comes from elsewhere (news, an
    estimate of ours): the page shows it beside the newer one; None where ``latest`` is the
    reports' own figure or the reports give none."""
    if latest is None or latest.provenance.kind == REPORT:
        return None
    return latest_figure(table, metric, kind=REPORT)


def park_investment(data: Dataset) -> pd.DataFrame:
    """Investment rows that name a park, joined with the park's names (empty for the HEZA reports,
    which give city-wide figures only; real per-park data joins here unchanged)."""
    inv = data.investment
    if "park_id" not in inv.columns:
        return inv.iloc[0:0]
    rows = inv[inv["park_id"].notna()]
    return rows.merge(data.parks[["park_id", "name_vi", "name_en"]], on="park_id", how="left")
