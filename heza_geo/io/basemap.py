"""The offline basemap: land and sea from Natural Earth, drawn without any tile server.

Natural Earth's 1:10m land (public domain) comes from the npm package ``world-atlas``, installed
at set-up into ``static/vendor/world-atlas``. It is TopoJSON; :func:`decode_topojson` turns it into
shapely geometry so the map, the static exporter and the tests all draw the same coastline.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from heza_geo.config import VENDOR_DIR

LAND_FILE = VENDOR_DIR / "world-atlas" / "land-10m.json"
#: lon/lat window of the offline basemap: the merged city of Hai Phong (``schema.HAI_PHONG_BOUNDS``: the
#: former Hai Duong ~50 km west, lon 106.1-106.6, included) and its neighbours, with room to pan.
WINDOW: tuple[float, float, float, float] = (105.0, 19.8, 108.5, 21.9)


def _decode_arcs(topology: dict) -> list[np.ndarray]:
    arcs = topology["arcs"]
    transform = topology.get("transform")
    decoded = []
    for arc in arcs:
        points = np.asarray(arc, dtype="float64")
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        decoded.append(points)
    return decoded


def _ring(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for k, index in enumerate(indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts)


def decode_topojson(
    topology: dict, object_name: str, window: tuple[float, float, float, float] | None = None
) -> BaseGeometry:
    """The polygons of one TopoJSON object, clipped to ``window`` (lon/lat) when given.

    Polygons wholly outside the window are skipped before any geometry work: the world's
    1:10m land takes 20 s to validate, the window a fraction of a second.
    """
    arcs = _decode_arcs(topology)
    obj = topology["objects"][object_name]
    geometries = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
    polygons = []
    for geometry in geometries:
        rings_sets = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for rings in rings_sets:
            shell = _ring(rings[0], arcs)
            if window is not None and not _overlaps(shell, window):
                continue
            polygon = shapely.make_valid(shapely.Polygon(shell, [_ring(r, arcs) for r in rings[1:]]))
            polygons.append(shapely.clip_by_rect(polygon, *window) if window else polygon)
    merged = shapely.union_all([p for p in polygons if not p.is_empty])
    return shapely.union_all([p for p in shapely.get_parts(merged) if p.geom_type in ("Polygon", "MultiPolygon")])


def _overlaps(points: np.ndarray, window: tuple[float, float, float, float]) -> bool:
    minx, miny = points.min(axis=0)
    maxx, maxy = points.max(axis=0)
    return not (maxx < window[0] or minx > window[2] or maxy < window[1] or miny > window[3])


@lru_cache(maxsize=4)
def offline_land(window: tuple[float, float, float, float] = WINDOW,
                 land_file: Path = LAND_FILE) -> BaseGeometry | None:
    """Land inside ``window`` (lon/lat), or ``None`` when the set-up has not installed the data."""
    if not land_file.is_file():
        return None
    topology = json.loads(land_file.read_text(encoding="utf-8"))
    return decode_topojson(topology, "land", window)
