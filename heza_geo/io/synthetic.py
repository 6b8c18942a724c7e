"""Synthetic land-allocation plots for the embedded demo dataset and for benchmarks.

HEZA's real plot registry is confidential, yet the app needs plots to show occupancy on a map,
to exercise the roles feature (confidential columns) and to be benchmarked at scale. This module
cuts each park polygon into a plausible layout -- green buffer, internal road grid, blocks of
rectangular plots -- and assigns statuses so that every park's leased share of leasable land
matches a target occupancy (e.g. the reported figure). Nothing here is real: tenants are
``Demo Tenant NNNN``, every record has ``source_kind = geometry_quality = "synthetic demo"`` and no
``source`` reference (there is nothing to cite).

A park whose land has not been handed over yet (Tiên Thanh in 001, "chưa giao đất") gets the same
layout, but every plot that would be leasable is ``not_handed_over``: not leasable, never
``available``, with no tenant, sector or price (``generate_plots(..., not_handed_over={...})``).

All geometry work happens in metres (EPSG:32648) with vectorised shapely 2 operations, so that
50,000 plots take seconds; the result is returned in WGS84 like every layer of the dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from heza_geo import schema

__all__ = [
    "SECTOR_WEIGHTS",
    "Subdivision",
    "generate_plots",
    "generate_plots_count",
    "subdivide_park",
]

#: Sector mix of leased demo plots, after HEZA's 2023 mix of new projects (003: electronics 34%,
#: manufacturing 44%, logistics and infrastructure 15%); manufacturing is spread over its sectors.
SECTOR_WEIGHTS: dict[str, float] = {
    "electronics": 0.34,
    "mechanical": 0.14,
    "materials": 0.10,
    "textiles": 0.08,
    "food": 0.06,
    "chemicals": 0.06,
    "logistics": 0.15,
    "energy": 0.02,
    "other": 0.05,
}

#: Share of the park given to the green buffer / perimeter strip and to internal roads, as a
#: multiple of the typical plot side; together they leave ~12-18 % of a park as infrastructure.
_BUFFER_FACTOR = 0.06
_ROAD_FACTOR = 0.16
#: Pieces smaller than this share of the target plot area, or thinner than this compactness
#: (4*pi*area/perimeter**2; a 1:13 strip is ~0.2), are slivers and go to infrastructure.
_MIN_PLOT_SHARE = 0.2
_MIN_COMPACTNESS = 0.2
#: Reserved land held back in parks that are not yet full (share of leasable area).
_RESERVED_SHARE = 0.05
_RESERVED_BELOW_PCT = 95.0


class Subdivision(NamedTuple):
    """A park cut into leasable plots and infrastructure (roads, green buffer, leftovers)."""

    plots: list[Polygon]
    infrastructure: list[Polygon]


# --- geometry helpers ----------------------------------------------------------------------------


def _rotate(geoms: np.ndarray, angle: float, origin: tuple[float, float]) -> np.ndarray:
    """Rotate many geometries by ``angle`` radians about ``origin`` in one vectorised pass."""
    cos, sin = np.cos(angle), np.sin(angle)
    ox, oy = origin

    def transform(coords: np.ndarray) -> np.ndarray:
        dx, dy = coords[:, 0] - ox, coords[:, 1] - oy
        return np.column_stack((ox + dx * cos - dy * sin, oy + dx * sin + dy * cos))

    return shapely.transform(geoms, transform)


def _main_axis_angle(polygon: BaseGeometry) -> float:
    """Angle (radians) of the longer side of the polygon's minimum rotated rectangle."""
    rect = shapely.minimum_rotated_rectangle(polygon)
    coords = np.asarray(rect.exterior.coords) if isinstance(rect, Polygon) else np.zeros((3, 2))
    edges = np.diff(coords[:3], axis=0)
    longest = edges[np.argmax(np.hypot(edges[:, 0], edges[:, 1]))]
    return float(np.arctan2(longest[1], longest[0]))


def _polygon_parts(geoms: np.ndarray) -> np.ndarray:
    """Explode any mix of (multi)polygons / collections into an array of Polygons."""
    parts = shapely.get_parts(geoms)
    if parts.size:
        collections = shapely.get_type_id(parts) == 7
        if collections.any():
            parts = np.concatenate([parts[~collections], shapely.get_parts(parts[collections])])
    return parts[shapely.get_type_id(parts) == 3] if parts.size else parts


def _band_edges(start: float, stop: float, sizes_fn: Callable[[], float], gap: float) -> np.ndarray:
    """(n, 2) array of [lo, hi) bands from ``start`` to ``stop``, separated by ``gap``."""
    edges: list[tuple[float, float]] = []
    pos = start
    while pos < stop:
        size = float(sizes_fn())
        edges.append((pos, pos + size))
        pos += size + gap
    return np.asarray(edges, dtype=float).reshape(-1, 2)


def _split_strips(
    x0: np.ndarray, x1: np.ndarray, n: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut each strip [x0, x1) into ``n`` pieces of random widths; returns (strip index, lo, hi)."""
    owner = np.repeat(np.arange(len(n)), n)
    weights = rng.uniform(0.55, 1.45, owner.size)
    cum = np.cumsum(weights)
    group_end = np.cumsum(n) - 1
    group_total = cum[group_end] - np.concatenate(([0.0], cum[group_end[:-1]]))
    before = np.concatenate(([0.0], cum[group_end[:-1]]))[owner]
    frac_hi = (cum - before) / group_total[owner]
    frac_lo = np.concatenate(([0.0], frac_hi[:-1]))
    first = np.concatenate(([True], owner[1:] != owner[:-1]))
    frac_lo[first] = 0.0
    frac_hi[group_end] = 1.0
    width = x1 - x0
    return owner, x0[owner] + frac_lo * width[owner], x0[owner] + frac_hi * width[owner]


def _subdivide(
    polygon_utm: Polygon, target_plot_ha: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Array version of :func:`subdivide_park`: (plots, infrastructure) as Polygon arrays."""
    area = target_plot_ha * 1e4
    side = float(np.sqrt(area))
    road = _ROAD_FACTOR * side
    buffer = _BUFFER_FACTOR * side

    origin = polygon_utm.centroid
    angle = _main_axis_angle(polygon_utm)
    park = _rotate(np.array([polygon_utm]), -angle, (origin.x, origin.y))[0]
    inner = park.buffer(-buffer, join_style="mitre")
    if inner.is_empty or inner.area < area:
        inner = park
    minx, miny, maxx, maxy = inner.bounds

    # Blocks: bands along y hold two back-to-back rows of plots (sometimes one); columns along x
    # are long blocks between cross roads. Offsets keep the grid from lining up with the buffer.
    rows = _band_edges(
        miny - rng.uniform(0, side), maxy, lambda: 2 * side * rng.uniform(0.75, 1.3), road
    )
    cols = _band_edges(minx - rng.uniform(0, 2 * side), maxx, lambda: side * rng.uniform(2.5, 5.0), road)
    grid_i, grid_j = np.meshgrid(np.arange(len(rows)), np.arange(len(cols)), indexing="ij")
    bi, bj = grid_i.ravel(), grid_j.ravel()
    by0, by1 = rows[bi, 0], rows[bi, 1]
    bx0, bx1 = cols[bj, 0], cols[bj, 1]
    blocks = shapely.box(bx0, by0, bx1, by1)
    keep = shapely.intersects(inner, blocks)
    by0, by1, bx0, bx1 = by0[keep], by1[keep], bx0[keep], bx1[keep]

    # Strips: each block is split into two rows at a jittered middle (or kept as one row).
    two_rows = ((by1 - by0) >= 1.8 * side) | (rng.random(by0.size) < 0.5)
    mid = by0 + (by1 - by0) * rng.uniform(0.42, 0.58, by0.size)
    sy0 = np.concatenate((by0, mid[two_rows]))
    sy1 = np.concatenate((np.where(two_rows, mid, by1), by1[two_rows]))
    sx0 = np.concatenate((bx0, bx0[two_rows]))
    sx1 = np.concatenate((bx1, bx1[two_rows]))

    # Plots: each strip is cut into pieces whose mean size varies per strip (1-15 ha at 5 ha);
    # a few strips stay whole as one large plot; no piece is much over three times the target.
    # Plots stay rectangular-ish: none narrower than about a quarter of its depth.
    strip_w, strip_d = sx1 - sx0, sy1 - sy0
    mean_area = area * np.exp(rng.normal(0.0, 0.35, strip_w.size))
    n = np.maximum(1, np.rint(strip_w * strip_d / mean_area))
    n = np.where(rng.random(n.size) < 0.08, 1, n)
    n = np.maximum(n, np.ceil(strip_w * strip_d / (2 * area)))
    n = np.minimum(n, np.maximum(1, np.floor(strip_w / (0.5 * strip_d)))).astype(int)
    owner, px0, px1 = _split_strips(sx0, sx1, n, rng)
    boxes = shapely.box(px0, sy0[owner], px1, sy1[owner])

    shapely.prepare(inner)
    inside = shapely.contains_properly(inner, boxes)
    clipped = _polygon_parts(shapely.intersection(boxes[~inside], inner))
    clipped = clipped[~shapely.is_empty(clipped)]
    areas = shapely.area(clipped)
    compact = 4 * np.pi * areas / np.maximum(shapely.length(clipped), 1e-9) ** 2
    clipped = clipped[(areas >= _MIN_PLOT_SHARE * area) & (compact >= _MIN_COMPACTNESS)]
    plots = np.concatenate((boxes[inside], clipped))

    # Infrastructure: everything of the park that is not a plot, cut by a coarse grid into pieces.
    infra = shapely.difference(park, shapely.union_all(plots)) if plots.size else park
    cell_x, cell_y = 4 * side + road, 2 * side + road
    pminx, pminy, pmaxx, pmaxy = park.bounds
    gx = np.arange(pminx, pmaxx + cell_x, cell_x)
    gy = np.arange(pminy, pmaxy + cell_y, cell_y)
    cx, cy = np.meshgrid(gx[:-1], gy[:-1])
    cells = shapely.box(cx.ravel(), cy.ravel(), cx.ravel() + cell_x, cy.ravel() + cell_y)
    shapely.prepare(infra)
    pieces = _polygon_parts(shapely.intersection(cells[shapely.intersects(infra, cells)], infra))
    pieces = pieces[shapely.area(pieces) >= 10.0]

    back = _rotate(np.concatenate((plots, pieces)), angle, (origin.x, origin.y))
    return back[: plots.size], back[plots.size :]


def subdivide_park(
    polygon_utm: BaseGeometry, target_plot_ha: float, rng: np.random.Generator
) -> Subdivision:
    """Cut a park polygon (EPSG:32648 metres) into a plausible plot layout.

    A green buffer along the boundary and an internal road grid aligned with the park's long axis
    are left as infrastructure (together ~12-18 % of the area); the blocks between roads are cut
    into rectangular plots of varying size (about 0.2-3x ``target_plot_ha``, i.e. 1-15 ha at the
    default 5 ha), clipped to the polygon, with slivers dropped into infrastructure. Plots and
    infrastructure do not overlap and together cover the park.

    Parameters
    ----------
    polygon_utm : Polygon or MultiPolygon
        The park, in metres (EPSG:32648); another geometry is refused (TypeError).
    target_plot_ha : float
        Typical plot size in hectares; the grid scales with it.
    rng : numpy.random.Generator
        Source of randomness; the same generator state gives the same layout.

    Returns
    -------
    Subdivision
        ``(plots, infrastructure)``, two lists of Polygons in EPSG:32648.

    Examples
    --------
    >>> import numpy as np; from shapely.geometry import box
    >>> plots, infra = subdivide_park(box(0, 0, 1000, 1000), 5.0, np.random.default_rng(1))
    >>> 10 < len(plots) < 30
    True
    """
    if not isinstance(polygon_utm, (Polygon, MultiPolygon)):
        raise TypeError(f"polygon_utm must be a Polygon or MultiPolygon, got {type(polygon_utm).__name__}")
    if not target_plot_ha > 0:
        raise ValueError(f"target_plot_ha must be positive, got {target_plot_ha!r}")
    plots: list[Polygon] = []
    infra: list[Polygon] = []
    for part in shapely.get_parts(polygon_utm):
        if part.is_empty or part.area <= 0:
            continue
        p, i = _subdivide(part, target_plot_ha, rng)
        plots.extend(p.tolist())
        infra.extend(i.tolist())
    return Subdivision(plots, infra)


# --- status assignment ---------------------------------------------------------------------------


def _cut(polygon: BaseGeometry, share: float, toward: np.ndarray) -> tuple[BaseGeometry, BaseGeometry]:
    """Cut ``polygon`` with a straight line across its long axis so the first piece has ``share``.

    The first piece is the end of the plot that ``toward`` points to (the leased side of the
    park). Binary search on the cut position: the area is monotone in it.
    """
    angle = _main_axis_angle(polygon)
    axis = np.array([np.cos(angle), np.sin(angle)])
    if axis @ toward > 0:  # the first piece is the low end along the axis
        axis = -axis
    normal = np.array([-axis[1], axis[0]])
    coords = shapely.get_coordinates(polygon)
    along, across = coords @ axis, coords @ normal
    lo, hi = float(along.min()), float(along.max())
    n_lo, n_hi = float(across.min()) - 1.0, float(across.max()) + 1.0
    target = share * polygon.area

    def half_plane(t: float) -> Polygon:
        # corners are axis * u + normal * v in an orthonormal frame: u is the position along the axis
        corners = ((lo - 1, n_lo), (t, n_lo), (t, n_hi), (lo - 1, n_hi))
        return Polygon([axis * u + normal * v for u, v in corners])

    a, b = lo, hi
    for _ in range(60):
        mid = 0.5 * (a + b)
        if polygon.intersection(half_plane(mid)).area < target:
            a = mid
        else:
            b = mid
        if b - a < 1e-4:
            break
    cut = half_plane(0.5 * (a + b))
    first = polygon.intersection(cut)
    second = polygon.difference(cut)
    return first, second


def _as_polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Keep only the polygonal part of an overlay result (drops stray lines / points)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = _polygon_parts(np.array([geom]))
    return parts[0] if len(parts) == 1 else MultiPolygon(list(parts))


def _assign_statuses(
    geoms: Sequence[BaseGeometry], occupancy_pct: float, rng: np.random.Generator
) -> tuple[list[BaseGeometry], list[str]]:
    """Statuses for a park's leasable plots so that leased / leasable == ``occupancy_pct``.

    Plots are leased in order along a random direction (so leased land forms a contiguous
    "developed" side); the plot where the cumulative area crosses the target is cut so the share
    is exact. Where that cut would leave a sliver, a nearby plot is cut instead (possibly giving
    back one leased plot). Parks below 95 % keep ~5 % of leasable land ``reserved``.
    """
    n = len(geoms)
    areas = shapely.area(np.asarray(geoms, dtype=object))
    total = float(areas.sum())
    status = np.array(["available"] * n, dtype=object)
    out = list(geoms)
    if n == 0 or total <= 0:
        return out, status.tolist()

    theta = rng.uniform(0, 2 * np.pi)
    direction = np.array([np.cos(theta), np.sin(theta)])
    cents = shapely.get_coordinates(shapely.centroid(np.asarray(geoms, dtype=object)))
    key = cents @ direction + rng.normal(0, np.sqrt(areas.mean()) * 0.5, n)
    order = np.argsort(key, kind="stable")

    target = occupancy_pct / 100.0 * total
    cum = np.cumsum(areas[order])
    k = int(np.searchsorted(cum, target + 1e-9 * total, side="right"))
    status[order[:k]] = "leased"
    rest = target - (cum[k - 1] if k else 0.0)
    if k < n and rest > 1e-9 * total:
        # choose the plot m to cut (and optionally a leased plot j to give back) so that the cut
        # share is as close to one half as possible: no slivers.
        best = (abs(rest / areas[order[k]] - 0.5), order[k], -1, rest / areas[order[k]])
        for j in [-1, *order[max(0, k - 8) : k][::-1]]:
            need = rest + (areas[j] if j >= 0 else 0.0)
            for m in order[k : k + 8]:
                share = need / areas[m]
                if 0.0 < share < 1.0 and abs(share - 0.5) < best[0]:
                    best = (abs(share - 0.5), m, j, share)
        _, m, j, share = best
        if j >= 0:
            status[j] = "available"
        leased_part, rest_part = _cut(geoms[m], share, toward=-direction)
        out[m] = _as_polygonal(leased_part)
        status[m] = "leased"
        areas[m] = out[m].area
        if not rest_part.is_empty:
            out.append(_as_polygonal(rest_part))
            status = np.append(status, "available")
            areas = np.append(areas, out[-1].area)

    if occupancy_pct < _RESERVED_BELOW_PCT:
        want = _RESERVED_SHARE * total
        held = 0.0
        for i in rng.permutation(np.flatnonzero(status == "available")):
            if held >= 0.8 * want:
                break
            if held + areas[i] <= 1.5 * want:
                status[i] = "reserved"
                held += areas[i]
    return out, status.tolist()


# --- public API ----------------------------------------------------------------------------------


def _check_inputs(parks: gpd.GeoDataFrame, occupancy: Mapping[str, float], held: Collection[str] = ()) -> None:
    if not isinstance(parks, gpd.GeoDataFrame):
        raise TypeError(f"parks must be a GeoDataFrame, got {type(parks).__name__}")
    if "park_id" not in parks.columns:
        raise ValueError(f"parks must have a 'park_id' column; it has {list(parks.columns)}")
    if parks.crs is None:
        raise ValueError("parks has no CRS; expected WGS84 (EPSG:4326)")
    if parks["park_id"].duplicated().any():
        dup = parks.loc[parks["park_id"].duplicated(), "park_id"].tolist()
        raise ValueError(f"parks has duplicate park_id values: {dup}")
    unknown = sorted(set(held) - set(parks["park_id"]))
    if unknown:
        raise ValueError(f"not_handed_over names park(s) that are not in parks: {unknown}")
    missing = [p for p in parks["park_id"] if p not in occupancy and p not in held]
    if missing:
        raise ValueError(f"occupancy has no target for park(s) {missing}")
    bad = {p: occupancy[p] for p in parks["park_id"] if p in occupancy and not 0 <= float(occupancy[p]) <= 100}
    if bad:
        raise ValueError(f"occupancy must be a percentage in [0, 100], got {bad}")


def generate_plots(
    parks: gpd.GeoDataFrame,
    occupancy: Mapping[str, float],
    seed: int,
    target_plot_ha: float = 5.0,
    id_prefix: str = "",
    not_handed_over: Collection[str] = (),
) -> gpd.GeoDataFrame:
    """Synthetic plots for every park, with each park's occupancy equal to its target.

    Parameters
    ----------
    parks : GeoDataFrame
        Park polygons (any CRS; normally WGS84) with a unique ``park_id`` column.
    occupancy : mapping of park_id to percent
        Target ``leased / (leased + available + reserved)`` area for each park, 0-100 (a park in
        ``not_handed_over`` needs none: it has no occupancy).
    seed : int
        The same seed (and inputs) gives the same plots on every run.
    target_plot_ha : float, default 5.0
        Typical plot size; the number of plots scales with park area / this.
    id_prefix : str, default ""
        Prepended to plot ids, which are ``<id_prefix><park_id>-P0001``.
    not_handed_over : collection of park_id, default ()
        Parks whose land has not been handed over: every plot that would be leasable is
        ``not_handed_over`` (no tenant, sector, contact, price or note); roads and buffer stay
        ``infrastructure``. The layout and the random stream are those of a park at 0 %, so the
        other parks' plots do not change when a park joins or leaves this set.

    Returns
    -------
    GeoDataFrame
        In WGS84, columns of ``schema.PLOTS`` in schema order (confidential ones included, with
        obviously fake values), ``area_ha`` computed in EPSG:32648, ``source_kind`` and
        ``geometry_quality`` both ``"synthetic demo"``, ``source`` empty.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> park = gpd.GeoDataFrame({"park_id": ["tt"]}, geometry=[box(700_000, 2_300_000, 701_000, 2_301_000)],
    ...                         crs=schema.METRIC_CRS)
    >>> plots = generate_plots(park, {}, seed=1, not_handed_over={"tt"})
    >>> sorted(set(plots["status"])), bool(plots["tenant"].isna().all())
    (['infrastructure', 'not_handed_over'], True)
    """
    held = frozenset(not_handed_over)
    _check_inputs(parks, occupancy, held)
    if not target_plot_ha > 0:
        raise ValueError(f"target_plot_ha must be positive, got {target_plot_ha!r}")
    rng = np.random.default_rng(seed)
    metric = parks.to_crs(schema.METRIC_CRS)

    geoms: list[BaseGeometry] = []
    park_ids: list[str] = []
    statuses: list[str] = []
    plot_ids: list[str] = []
    for park_id, polygon in zip(metric["park_id"], metric.geometry, strict=True):
        plots, infra = subdivide_park(polygon, target_plot_ha, rng)
        park_plots, status = _assign_statuses(plots, 0.0 if park_id in held else float(occupancy[park_id]), rng)
        if park_id in held:
            status = ["not_handed_over"] * len(status)
        park_geoms = park_plots + infra
        geoms.extend(park_geoms)
        statuses.extend(status + ["infrastructure"] * len(infra))
        park_ids.extend([park_id] * len(park_geoms))
        plot_ids.extend(f"{id_prefix}{park_id}-P{i:04d}" for i in range(1, len(park_geoms) + 1))

    status_arr = np.asarray(statuses, dtype=object)
    n = status_arr.size
    geom_arr = np.asarray(geoms, dtype=object) if n else np.empty(0, dtype=object)
    area_ha = np.round(shapely.area(geom_arr) / 1e4, 4) if n else np.empty(0)

    leased = status_arr == "leased"
    leasable = np.isin(status_arr, schema.LEASABLE_STATUS)
    tenant_no = np.cumsum(leased)
    tenant = [f"Demo Tenant {i:04d}" if on else None for on, i in zip(leased, tenant_no, strict=True)]
    contact = [f"contact@demo-tenant-{i:04d}.example" if on else None for on, i in zip(leased, tenant_no, strict=True)]
    sector_names = np.array(list(SECTOR_WEIGHTS), dtype=object)
    weights = np.array(list(SECTOR_WEIGHTS.values()))
    drawn = rng.choice(sector_names, size=n, p=weights / weights.sum())
    sector = [s if on else None for on, s in zip(leased, drawn, strict=True)]

    codes, park_index = np.unique(np.asarray(park_ids, dtype=object), return_inverse=True)
    base_price = rng.uniform(90.0, 160.0, len(codes))[park_index] if n else np.empty(0)
    price = np.round(base_price * rng.uniform(0.85, 1.15, n), 1)
    price = np.where(leasable, price, np.nan)
    notes = {
        "leased": "demo: land lease contract to 2070 (synthetic)",
        "available": "demo: serviced land, ready for handover (synthetic)",
        "reserved": "demo: held for an investor in negotiation (synthetic)",
        "infrastructure": None,
        "not_handed_over": None,
    }
    internal = [notes[s] for s in statuses]

    frame = pd.DataFrame(
        {
            "plot_id": plot_ids,
            "park_id": park_ids,
            "status": statuses,
            "area_ha": area_ha,
            "tenant": tenant,
            "sector": sector,
            "tenant_contact": contact,
            "price_usd_m2": price,
            "internal_note": internal,
            "source_kind": schema.SYNTHETIC,
            "source": None,
            "geometry_quality": schema.SYNTHETIC,
        }
    )
    for col in ("plot_id", "park_id", "status", "tenant", "sector", "tenant_contact", "internal_note", "source"):
        frame[col] = frame[col].astype(object)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geom_arr, crs=schema.METRIC_CRS))
    out = out.to_crs(schema.WGS84)
    return out[[*schema.PLOTS.column_names, "geometry"]]


def generate_plots_count(
    parks: gpd.GeoDataFrame,
    occupancy: Mapping[str, float],
    n_plots: int,
    seed: int,
    id_prefix: str = "",
    not_handed_over: Collection[str] = (),
) -> gpd.GeoDataFrame:
    """Like :func:`generate_plots`, but sized to give about ``n_plots`` rows in all.

    The plot size is total park area (in EPSG:32648) / ``n_plots``: infrastructure takes ~15 % of
    the area but adds about as many rows, so the count comes out close (on the shipped parks:
    ~1,100 rows for 1,000, ~49,000 for 50,000), not exact.
    """
    if n_plots < 1:
        raise ValueError(f"n_plots must be at least 1, got {n_plots!r}")
    _check_inputs(parks, occupancy, frozenset(not_handed_over))
    total_ha = float(parks.to_crs(schema.METRIC_CRS).area.sum()) / 1e4
    return generate_plots(parks, occupancy, seed, target_plot_ha=total_ha / n_plots, id_prefix=id_prefix,
                          not_handed_over=not_handed_over)
