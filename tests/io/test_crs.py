"""VN-2000 and UTM 48N to WGS84: PROJ (as the importer uses it) checked against independent sources.

1. Published pairs: Circular 37/2019/TT-BGTVT lists the Lý Sơn port-water corners in both WGS-84
   and VN-2000 geographic coordinates; the datum shift PROJ applies must reproduce them.
2. An independent implementation of the chain (7-parameter Helmert of Decision 05/2007/QĐ-BTNMT,
   coordinate-frame rotations, then the transverse Mercator by Krüger's series) written here
   with numpy only, for points in Hai Phong, on the Hai Phong zone (105°45') and on UTM 48N.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod, Transformer

from heza_geo.io import crs

A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
#: VN-2000 -> WGS 84, Decision 05/2007/QĐ-BTNMT: metres, arc-seconds, ppm
TX, TY, TZ = -191.90441429, -39.30318279, -111.45032835
RX, RY, RZ = -0.00928836, 0.01975479, -0.00427372
SCALE_PPM = 0.252906278
_geod = Geod(ellps="WGS84")


def metres_apart(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return abs(_geod.inv(lon1, lat1, lon2, lat2)[2])


def dms(d: int, m: int, s: float) -> float:
    return d + m / 60 + s / 3600


def to_ecef(lat: float, lon: float) -> np.ndarray:
    phi, lam = math.radians(lat), math.radians(lon)
    n = A / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    return np.array([n * math.cos(phi) * math.cos(lam), n * math.cos(phi) * math.sin(lam),
                     n * (1 - E2) * math.sin(phi)])


def from_ecef(xyz: np.ndarray) -> tuple[float, float]:
    x, y, z = xyz
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - E2))
    for _ in range(10):
        n = A / math.sqrt(1 - E2 * math.sin(lat) ** 2)
        h = p / math.cos(lat) - n
        lat = math.atan2(z, p * (1 - E2 * n / (n + h)))
    return math.degrees(lat), math.degrees(lon)


def _rotation() -> np.ndarray:
    rx, ry, rz = (math.radians(r / 3600) for r in (RX, RY, RZ))
    # coordinate-frame convention (EPSG method 9607/1032)
    return np.array([[1, rz, -ry], [-rz, 1, rx], [ry, -rx, 1]])


def wgs84_to_vn2000_geographic(lat: float, lon: float) -> tuple[float, float]:
    wgs = to_ecef(lat, lon)
    vn = np.linalg.solve((1 + SCALE_PPM * 1e-6) * _rotation(), wgs - np.array([TX, TY, TZ]))
    return from_ecef(vn)


def vn2000_to_wgs84_geographic(lat: float, lon: float) -> tuple[float, float]:
    wgs = np.array([TX, TY, TZ]) + (1 + SCALE_PPM * 1e-6) * _rotation() @ to_ecef(lat, lon)
    return from_ecef(wgs)


def transverse_mercator(lat: float, lon: float, lon0: float, k0: float,
                        false_easting: float = 500000.0) -> tuple[float, float]:
    """Krüger's series to n^4 (sub-millimetre within a few degrees of the meridian)."""
    n = F / (2 - F)
    big_a = A / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    alpha = [n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180,
             13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440,
             61 * n**3 / 240 - 103 * n**4 / 140,
             49561 * n**4 / 161280]
    phi, dlam = math.radians(lat), math.radians(lon - lon0)
    e = math.sqrt(E2)
    t = math.sinh(math.atanh(math.sin(phi)) - e * math.atanh(e * math.sin(phi)))
    xi = math.atan2(t, math.cos(dlam))
    eta = math.atanh(math.sin(dlam) / math.sqrt(1 + t * t))
    x = eta + sum(a * math.cos(2 * (j + 1) * xi) * math.sinh(2 * (j + 1) * eta) for j, a in enumerate(alpha))
    y = xi + sum(a * math.sin(2 * (j + 1) * xi) * math.cosh(2 * (j + 1) * eta) for j, a in enumerate(alpha))
    return false_easting + k0 * big_a * x, k0 * big_a * y


def independent_vn2000_hai_phong(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 lon/lat -> VN-2000 / TM-3 105°45' easting/northing, without PROJ."""
    vlat, vlon = wgs84_to_vn2000_geographic(lat, lon)
    return transverse_mercator(vlat, vlon, 105.75, 0.9999)


#: places in Hai Phong (WGS84 lon, lat): Đình Vũ, Lạch Huyện, An Dương, and Thanh Hà (former Hai Duong)
PLACES = [(106.7720, 20.8347), (106.8950, 20.8110), (106.6040, 20.8730), (106.4300, 20.9000)]


def test_published_vn2000_and_wgs84_pairs_agree_within_a_metre():
    # Circular 37/2019/TT-BGTVT, Lý Sơn (points LS1-LS4): (VN-2000 lat, lon), (WGS-84 lat, lon)
    pairs = [
        (((15, 22, 32.7), (109, 6, 0.5)), ((15, 22, 29), (109, 6, 7))),
        (((15, 20, 35.7), (109, 5, 28.5)), ((15, 20, 32), (109, 5, 35))),
        (((15, 20, 13.7), (109, 6, 59.5)), ((15, 20, 10), (109, 7, 6))),
        (((15, 22, 27.7), (109, 7, 36.5)), ((15, 22, 24), (109, 7, 43))),
    ]
    to_wgs = Transformer.from_crs("EPSG:4756", "EPSG:4326", always_xy=True)
    for (vlat, vlon), (wlat, wlon) in pairs:
        lon, lat = to_wgs.transform(dms(*vlon), dms(*vlat))
        assert metres_apart(lon, lat, dms(*wlon), dms(*wlat)) < 1.0
        mine_lat, mine_lon = vn2000_to_wgs84_geographic(dms(*vlat), dms(*vlon))
        assert metres_apart(mine_lon, mine_lat, dms(*wlon), dms(*wlat)) < 1.0
    # without the datum shift the points would be ~200 m off: the check has teeth
    assert metres_apart(dms(*pairs[0][0][1]), dms(*pairs[0][0][0]), dms(*pairs[0][1][1]), dms(*pairs[0][1][0])) > 150


@pytest.mark.parametrize("lon,lat", PLACES)
def test_vn2000_hai_phong_zone_matches_an_independent_computation(lon: float, lat: float):
    to_vn = Transformer.from_crs("EPSG:4326", crs.VN2000_HAI_PHONG, always_xy=True)
    e, n = to_vn.transform(lon, lat)
    mine_e, mine_n = independent_vn2000_hai_phong(lon, lat)
    assert math.hypot(e - mine_e, n - mine_n) < 1.0
    back = Transformer.from_crs(crs.VN2000_HAI_PHONG, "EPSG:4326", always_xy=True).transform(mine_e, mine_n)
    assert metres_apart(*back, lon, lat) < 1.0


@pytest.mark.parametrize("lon,lat", PLACES)
def test_utm_48n_matches_an_independent_computation(lon: float, lat: float):
    e, n = Transformer.from_crs("EPSG:4326", crs.UTM_48N, always_xy=True).transform(lon, lat)
    mine_e, mine_n = transverse_mercator(lat, lon, 105.0, 0.9996)
    assert math.hypot(e - mine_e, n - mine_n) < 0.01


def test_candidate_ranking_tells_vn2000_from_utm():
    import geopandas as gpd
    from shapely.geometry import Point

    lon, lat = PLACES[0]
    e, n = independent_vn2000_hai_phong(lon, lat)
    frame = gpd.GeoDataFrame(geometry=[Point(e, n)], crs=None)
    assert crs.looks_projected(frame)
    # without a reference both read as "in Hai Phong"; with the park around the point only VN-2000 fits
    park = gpd.GeoSeries([Point(lon, lat).buffer(0.005)], crs="EPSG:4326")
    ranked = crs.rank_candidates(frame, park)
    assert ranked[0].crs == crs.VN2000_HAI_PHONG and ranked[0].fits
    assert not next(c for c in ranked if c.crs == crs.UTM_48N).fits
