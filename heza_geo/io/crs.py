"""Coordinate systems an uploaded file may use, and how to tell which one it is.

Hai Phong's survey data is in **VN-2000**, the national system, on the city's 3° transverse
Mercator zone with central meridian 105°45' (EPSG:9210, "VN-2000 / TM-3 105-45"; Circular
973/2001/TT-TCĐC gives each province its meridian). The former Hai Duong, merged into Hai Phong
in 2025, used 105°30' (EPSG:9209). International consultants often deliver UTM zone 48N
(EPSG:32648). PROJ turns VN-2000 into WGS84 with EPSG's "VN-2000 to WGS 84 (2)", the seven
parameters of Decision 05/2007/QĐ-BTNMT (accuracy about 1 m).

A file that declares its CRS (a ``.prj``, a GeoPackage's SRS, a GeoJSON ``crs``) is reprojected
from it. A file that declares none is WGS84 if its numbers look like degrees; otherwise the user
must choose, and :func:`rank_candidates` suggests the candidate that puts the features in Hai
Phong (and, for plots, inside their parks). Degrees with latitude and longitude swapped (106.7 read
as a latitude is beyond ±90, so they look like metres) are recognised by :func:`looks_swapped`, and
the user is told to swap them rather than to choose a projected system. Numbers beyond the degree
range that are not metres (a longitude of 206: a typing slip) are neither: the file is read as degrees
and each such feature is reported as out of range (:func:`looks_projected`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError

from heza_geo.schema import HAI_PHONG_BOUNDS, METRIC_CRS, WGS84

#: a coordinate at least this far from zero on both axes is metres, not a mistyped degree
METRES_FROM = 1_000.0

VN2000_HAI_PHONG = "EPSG:9210"
VN2000_HAI_DUONG = "EPSG:9209"
VN2000_UTM_48N = "EPSG:3405"
UTM_48N = "EPSG:32648"
#: the systems offered when a file declares none, most likely first (i18n keys ``crs.<code>``)
CANDIDATES: tuple[str, ...] = (VN2000_HAI_PHONG, UTM_48N, VN2000_HAI_DUONG, VN2000_UTM_48N, WGS84)


def parse(user_input: str | CRS) -> CRS:
    """A CRS from ``EPSG:9210``, ``9210``, a PROJ/WKT string or a CRS; ValueError with a readable message."""
    text = str(user_input).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise ValueError(f"unknown coordinate reference system {user_input!r}: {exc}") from exc


def is_wgs84(crs: object) -> bool:
    return crs is not None and CRS.from_user_input(crs).equals(CRS.from_user_input(WGS84), ignore_axis_order=True)


def looks_projected(frame: gpd.GeoDataFrame) -> bool:
    """True when the coordinates look like metres of a projected CRS: every feature's x and y at least
    :data:`METRES_FROM` (1,000) from zero, as in every system used in Vietnam (VN-2000 and UTM eastings
    are hundreds of km, northings thousands). Numbers merely beyond ±180 / ±90 (a longitude of 206) are
    degrees out of range, reported row by row by :func:`heza_geo.io.validation.validate_frame`.

    >>> from shapely.geometry import Point
    >>> [looks_projected(gpd.GeoDataFrame(geometry=[Point(x, y)])) for x, y in [(650_000, 2_300_000), (206, 20.8)]]
    [True, False]
    """
    geoms = frame.geometry
    geoms = geoms[geoms.notna() & ~geoms.is_empty]  # type: ignore[assignment]  # pandas-stubs: a subset is a Series
    if geoms.empty:
        return False
    bounds = geoms.bounds.abs()
    return bool(((bounds[["minx", "maxx"]].min(axis=1) >= METRES_FROM)
                 & (bounds[["miny", "maxy"]].min(axis=1) >= METRES_FROM)).all())


def looks_swapped(frame: gpd.GeoDataFrame) -> bool:
    """True when the coordinates are latitude, longitude instead of longitude, latitude: read with x and y
    swapped, at least 95% of the features lie in Hai Phong, and read as they are, none does."""
    geoms = frame.geometry
    geoms = geoms[geoms.notna() & ~geoms.is_empty]  # type: ignore[assignment]  # pandas-stubs: a subset is a Series
    if geoms.empty:
        return False
    minx, miny, maxx, maxy = HAI_PHONG_BOUNDS
    bounds = geoms.bounds
    swapped = ((bounds.miny >= minx) & (bounds.maxy <= maxx) & (bounds.minx >= miny) & (bounds.maxx <= maxy)).mean()
    as_read = ((bounds.minx >= minx) & (bounds.maxx <= maxx) & (bounds.miny >= miny) & (bounds.maxy <= maxy)).any()
    return bool(swapped >= 0.95 and not as_read)


@dataclass(frozen=True)
class Candidate:
    """How well reading the coordinates in ``crs`` fits: share of features inside Hai Phong, and
    (with a reference, e.g. each plot's park) the median distance to it in km."""

    crs: str
    inside_share: float
    median_km: float | None = None

    @property
    def fits(self) -> bool:
        return self.inside_share >= 0.95 and (self.median_km is None or self.median_km <= 1.0)


def fit(frame: gpd.GeoDataFrame, crs: str, reference: gpd.GeoSeries | None = None) -> Candidate:
    """Read ``frame``'s raw coordinates as ``crs`` and measure the fit (see :class:`Candidate`)."""
    try:
        moved = frame.set_crs(crs, allow_override=True).to_crs(WGS84)
    except Exception:  # noqa: BLE001 - pyproj raises several types; all mean "does not fit"
        return Candidate(crs, 0.0)
    geoms = moved.geometry
    valid = geoms.notna() & ~geoms.is_empty
    if not valid.any():
        return Candidate(crs, 0.0)
    points = geoms[valid].representative_point()  # type: ignore[operator]  # pandas-stubs: a subset is a Series
    minx, miny, maxx, maxy = HAI_PHONG_BOUNDS
    inside = ((points.x >= minx) & (points.x <= maxx) & (points.y >= miny) & (points.y <= maxy)).mean()
    median = None
    if reference is not None:
        ref = reference[valid.to_numpy()]
        have = ref.notna().to_numpy()
        if have.any():
            metric = gpd.GeoSeries(np.asarray(points[have]), crs=WGS84).to_crs(METRIC_CRS)
            target = gpd.GeoSeries(np.asarray(ref[have]), crs=WGS84).to_crs(METRIC_CRS)
            with warnings.catch_warnings():  # coordinates read in a wrong CRS may be infinite
                warnings.simplefilter("ignore", RuntimeWarning)
                distances = metric.distance(target, align=False).to_numpy()
            finite = distances[np.isfinite(distances)]
            median = float(np.median(finite)) / 1000 if finite.size else float("inf")
    return Candidate(crs, float(inside), median)


def rank_candidates(frame: gpd.GeoDataFrame, reference: gpd.GeoSeries | None = None,
                    candidates: tuple[str, ...] = CANDIDATES) -> list[Candidate]:
    """Every candidate CRS, best fit first (ties keep the order of :data:`CANDIDATES`)."""
    scored = [fit(frame, crs, reference) for crs in candidates]
    order = {c: i for i, c in enumerate(candidates)}
    return sorted(scored, key=lambda c: (-c.inside_share, c.median_km if c.median_km is not None else 0.0,
                                         order[c.crs]))
