"""Lạch Huyện port over time: berth status as of a year, the record of each berth, and the parks near it.

The port page's time slider asks "what did the port look like at the end of year Y?": the status
of each berth is the latest record of ``berth_status_history`` on or before 31 December of Y
(:func:`heza_geo.analysis.joins.berth_status`). A berth with no record yet is *not yet planned* as far as
the data knows. Distances are straight lines in EPSG:32648, to the nearest point of the quay of
a berth operating at that date.

Every record keeps the kind of its source beside it (``source_kind``, ``status_source_kind``:
``report`` for HEZA's reports, ``news`` for later public news) and every date its precision
(``as_of_precision``, ``status_as_of_precision``, ``operating_since_precision``…): berths 1–2 are
known to operate "since 2018", with no day, and are never shown with one.

Usage, on a loaded :class:`~heza_geo.io.Dataset` ``data``::

    status = status_as_of_year(data.berths, data.berth_status_history, 2024)
    parks_within(data.parks, status, km=10.0)[["park_id", "distance_km", "nearest_berth"]]
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heza_geo import i18n
from heza_geo.analysis.joins import berth_status, with_provenance_columns
from heza_geo.schema import METRIC_CRS, WGS84, kind_column, precision_column

FIRST_YEAR = 2018
LAST_YEAR = 2030
OPERATING = "operating"
#: shown for a berth with no status record on or before the date; not a value of the data
NOT_YET_PLANNED = "not_yet_planned"
#: statuses that say where a berth stands in the approval of its investment
APPROVAL_STATUSES = ("awaiting_approval", "approved")
#: distances are compared after rounding to a metre, so a park drawn exactly N km away counts as
#: within N km whatever the floating-point noise of the WGS84 round trip
_KM_DECIMALS = 3


def year_end(year: int) -> date:
    """31 December of ``year``: the date the slider's year stands for."""
    return date(int(year), 12, 31)


def status_as_of_year(berths: gpd.GeoDataFrame, history: pd.DataFrame, year: int) -> gpd.GeoDataFrame:
    """Every berth with its status on 31 December of ``year``.

    Returns :func:`heza_geo.analysis.joins.berth_status` columns (the status record's provenance in
    ``status_source_kind`` and ``status_source``, each date with its precision) plus
    ``display_status`` (the status, or :data:`NOT_YET_PLANNED` where no record exists yet) and
    ``approval_stage`` / ``approval_as_of`` / ``approval_as_of_precision`` (the latest of
    :data:`APPROVAL_STATUSES` recorded by then, if any). Sorted by berth number.
    """
    as_of = year_end(year)
    out = berth_status(berths, history, as_of).sort_values("berth_no").reset_index(drop=True)
    out["display_status"] = out["status"].where(out["status"].notna(), NOT_YET_PLANNED).astype(object)
    records = with_provenance_columns(history)
    approvals = records[(records["as_of"] <= pd.Timestamp(as_of)) & records["status"].isin(APPROVAL_STATUSES)]
    latest = approvals.sort_values(["berth_no", "as_of"], kind="mergesort").groupby("berth_no").tail(1)
    latest = latest.set_index("berth_no")
    out["approval_stage"] = out["berth_no"].map(latest["status"]).astype(object)
    out["approval_as_of"] = pd.to_datetime(out["berth_no"].map(latest["as_of"].to_dict()))
    out[precision_column("approval_as_of")] = out["berth_no"].map(latest[precision_column("as_of")].to_dict())
    out[precision_column("approval_as_of")] = out[precision_column("approval_as_of")].astype(object)
    return out


def berth_status_text(status: object, lang: str) -> str:
    """A berth's status in the reader's language, or "not yet planned" where the data has no record yet."""
    if not isinstance(status, str) or status == NOT_YET_PLANNED:
        return i18n.t("port.not_yet_planned", lang)
    return i18n.label("berth_status", status, lang)


def operating(status: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The berths of a :func:`status_as_of_year` frame that are operating."""
    return status[status["status"] == OPERATING]


def parks_within(parks: gpd.GeoDataFrame, status: gpd.GeoDataFrame, km: float) -> pd.DataFrame:
    """Parks within ``km`` of a berth operating in ``status``, nearest first.

    Parameters
    ----------
    parks : GeoDataFrame
        Parks (or ``parks_overview`` rows) with ``park_id`` and a geometry in any CRS.
    status : GeoDataFrame
        Berths with a ``status`` column, e.g. from :func:`status_as_of_year`.
    km : float
        Largest straight-line distance, edge of the park to the quay; must not be negative.

    Returns
    -------
    DataFrame
        The parks' own columns (geometry dropped) plus ``distance_km`` and ``nearest_berth``;
        empty when no berth operates.
    """
    if km < 0:
        raise ValueError(f"km must not be negative, got {km}")
    distances = distance_to_operating(parks, status)
    near = distances[distances["distance_km"].round(_KM_DECIMALS) <= km]
    frame = pd.DataFrame(parks.drop(columns=parks.geometry.name)).loc[near.index]
    frame = frame.join(near)
    return frame.sort_values(["distance_km", "park_id"]).reset_index(drop=True)


def distance_to_operating(parks: gpd.GeoDataFrame, status: gpd.GeoDataFrame) -> pd.DataFrame:
    """``distance_km`` to the nearest operating berth and its number (``nearest_berth``), per park.

    Both are missing when no berth operates.
    """
    berths = operating(status)
    out = pd.DataFrame(index=parks.index, columns=["distance_km", "nearest_berth"])
    out["distance_km"] = np.nan
    out["nearest_berth"] = pd.array([pd.NA] * len(parks), dtype="Int64")
    if berths.empty or parks.empty:
        return out
    park_geoms = np.asarray(parks.geometry.to_crs(METRIC_CRS).to_numpy(), dtype=object)
    berth_geoms = np.asarray(berths.geometry.to_crs(METRIC_CRS).to_numpy(), dtype=object)
    matrix = shapely.distance(park_geoms[:, None], berth_geoms[None, :]) / 1000.0
    nearest = matrix.argmin(axis=1)
    out["distance_km"] = matrix[np.arange(len(parks)), nearest]
    out["nearest_berth"] = pd.array(berths["berth_no"].to_numpy()[nearest], dtype="Int64")
    return out


def reach_area(status: gpd.GeoDataFrame, km: float) -> gpd.GeoSeries:
    """The area within ``km`` of an operating berth, in WGS84 (empty when none operates): drawn on the map
    so a reader sees why a park is in or out."""
    berths = operating(status)
    if berths.empty or km <= 0:
        return gpd.GeoSeries([], crs=WGS84)
    area = berths.geometry.to_crs(METRIC_CRS).buffer(km * 1000.0, quad_segs=32).union_all()
    return gpd.GeoSeries([area], crs=METRIC_CRS).to_crs(WGS84)


def timeline(history: pd.DataFrame) -> pd.DataFrame:
    """Every status record as an event, oldest first, with its provenance.

    Columns: ``berth_no``, ``as_of``, ``as_of_precision`` (``day`` where the record gives none),
    ``status``, ``event``, ``expected``, ``source_kind`` (``report`` for HEZA reports 000–004,
    ``news`` for later public news…, as the record states it) and ``source``, so a chart can tell
    the official record from the news one and write each date as precisely as it is known.
    """
    columns = ["berth_no", "as_of", precision_column("as_of"), "status", "event", "expected", kind_column("source"),
               "source"]
    events = with_provenance_columns(history)[columns]
    return events.sort_values(["as_of", "berth_no", "source"], kind="mergesort").reset_index(drop=True)


def port_notes(notes: pd.DataFrame) -> pd.DataFrame:
    """Caveats about the port in ``source_notes`` (e.g. 003's "8 berths operating" against 001)."""
    topic = notes["topic"].astype(str)
    subject = notes["subject_id"].astype(object)
    return notes[topic.str.startswith("berth") | (subject == "lach-huyen")]
