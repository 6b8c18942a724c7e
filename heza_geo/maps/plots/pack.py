"""Plots in a compact form for the browser: ids and codes, not HTML; coordinates as integers.

Drawing tens of thousands of plots through ``folium.GeoJson`` sends every coordinate with 15
digits and a popup's HTML per plot: 26 MB for 50,000 plots. Here the plots become columns of
small integers and front-coded strings, with coordinates rounded to 1e-5° (about 1 m) and
delta-encoded; the popups and tooltips are built in the browser (``plots.js``) from a small
per-language dictionary, :func:`plot_labels`. 50,000 plots take about 3 MB of JSON, 0.8 MB
gzipped. :func:`unpack` decodes in Python exactly as ``plots.js`` does in the browser (tests
compare both with the frame).

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> plots = gpd.GeoDataFrame(
...     {"plot_id": ["A-1", "A-2"], "park_id": ["A", "A"], "status": ["leased", "available"],
...      "sector": ["logistics", None], "tenant": ["Demo Tenant", None], "area_ha": [1.5, 2.25],
...      "source_kind": ["synthetic demo", "synthetic demo"], "source": [None, None]},
...     geometry=[box(106.70, 20.80, 106.71, 20.81), box(106.71, 20.80, 106.72, 20.81)], crs="EPSG:4326")
>>> packed = pack(plots)
>>> packed["ids"], packed["status"], packed["statuses"], packed["area"]
([0, 'A-1', 2, '2'], [0, 1], ['leased', 'available'], [150, 225])
>>> labels = plot_labels("en", {"A": "Anh Duong IP"}, packed)
>>> labels["parks"], labels["statuses"], packed["sources"]
(['Anh Duong IP'], ['Leased', 'Available'], [['synthetic demo', '']])
>>> unpack(packed)["plot_id"].tolist()
['A-1', 'A-2']
>>> visible_mask(plots, plots[plots.status == "leased"])  # bit 0 of the first byte: the first plot
'AQ=='
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heza_geo import i18n, schema, styling
from heza_geo.maps.popups import badge  # the popup's own badge markup

#: 2: ``sources`` holds each distinct provenance as ``[kind, reference]`` (1: the source text)
FORMAT_VERSION = 2
#: coordinates are stored as integers of 1e-5 degree (about 1.1 m at Hai Phong's latitude)
SCALE = 100_000

__all__ = [
    "FORMAT_VERSION",
    "SCALE",
    "encode_json",
    "gzip_json",
    "pack",
    "plot_labels",
    "plot_styles",
    "unpack",
    "visible_mask",
]


# --- packing ----------------------------------------------------------------------------------
def _front_code(values: Iterable[Any]) -> list[int | str]:
    """``[k0, s0, k1, s1, ...]``: each string as the length it shares with the previous one and
    the rest; ``k = -1`` for a missing value. Sorted-ish ids ("park-P0001", "park-P0002") shrink
    to a digit or two each."""
    out: list[int | str] = []
    prev = ""
    for value in values:  # cells, perhaps NaN
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out += [-1, ""]
            continue
        text = str(value)
        limit = min(len(text), len(prev))
        k = 0
        while k < limit and text[k] == prev[k]:
            k += 1
        out += [k, text[k:]]
        prev = text
    return out


def _front_decode(coded: Sequence[int | str]) -> list[str | None]:
    out: list[str | None] = []
    prev = ""
    for k, rest in zip(coded[0::2], coded[1::2], strict=True):
        if k == -1:
            out.append(None)
            continue
        prev = prev[: int(k)] + str(rest)
        out.append(prev)
    return out


def _codes(series: pd.Series) -> tuple[list[int], list[str]]:
    """Index of each value in the list of distinct values (-1 for missing)."""
    values = series.astype(object).where(series.notna(), None)
    keys = list(dict.fromkeys(v for v in values if v is not None))
    index = {k: i for i, k in enumerate(keys)}
    return [index[v] if v is not None else -1 for v in values], [str(k) for k in keys]


def _provenance_codes(plots: pd.DataFrame) -> tuple[list[int], list[list[str]]]:
    """Index of each plot's provenance (``source_kind``, ``source``) in the list of distinct ones,
    each ``[kind, reference]``; -1 for a plot with no provenance (kind ``none``: no badge)."""
    kind_name = schema.kind_column("source")
    kinds = plots[kind_name] if kind_name in plots else pd.Series(None, index=plots.index, dtype=object)
    refs = plots["source"] if "source" in plots else pd.Series(None, index=plots.index, dtype=object)
    raw = list(zip(kinds.astype(object).where(kinds.notna(), "").tolist(),
                   refs.astype(object).where(refs.notna(), "").tolist(), strict=True))
    index: dict[tuple[object, object], int] = {}
    distinct: list[list[str]] = []
    for pair in dict.fromkeys(raw):  # a few distinct pairs among tens of thousands of plots
        p = schema.Provenance.of(*pair)
        if p.kind == schema.NO_SOURCE:
            index[pair] = -1
            continue
        index[pair] = len(distinct)
        distinct.append([p.kind, p.ref])
    return [index[pair] for pair in raw], distinct


def centi_hectares(area_ha: Any) -> int:
    """``area_ha`` in hundredths of a hectare, rounded as :func:`heza_geo.i18n.fmt_area_ha` shows
    it (Babel: the float's shortest decimal form, half to even); -1 for a missing area."""
    if area_ha is None or pd.isna(area_ha):
        return -1
    try:
        return int(Decimal(str(float(area_ha))).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) * 100)
    except (InvalidOperation, ValueError, OverflowError):
        return -1


def _geometry(geoms: np.ndarray) -> dict[str, list[int]]:
    """Rings of every plot: polygons per plot, rings per polygon, points per ring (the closing
    point dropped) and the points as deltas of integer 1e-5° coordinates, x then y."""
    polygons = shapely.get_parts(geoms, return_index=True)
    parts, owner = polygons
    per_feature = np.bincount(owner, minlength=len(geoms)) if len(parts) else np.zeros(len(geoms), int)
    rings_per_polygon = shapely.get_num_interior_rings(parts) + 1 if len(parts) else np.zeros(0, int)
    rings = shapely.get_rings(parts) if len(parts) else np.empty(0, dtype=object)
    points_per_ring = shapely.get_num_coordinates(rings) - 1 if len(rings) else np.zeros(0, int)
    coords = shapely.get_coordinates(rings) if len(rings) else np.zeros((0, 2))
    if len(coords):
        keep = np.ones(len(coords), dtype=bool)
        keep[np.cumsum(points_per_ring + 1) - 1] = False  # the closing point of each ring
        ints = np.round(coords[keep] * SCALE).astype(np.int64)
        deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    else:
        deltas = np.zeros((0, 2), dtype=np.int64)
    out: dict[str, list[int]] = {"rl": points_per_ring.tolist(), "xy": deltas.ravel().tolist()}
    if len(per_feature) and (per_feature != 1).any():
        out["fp"] = per_feature.tolist()
    if len(rings_per_polygon) and (rings_per_polygon != 1).any():
        out["pr"] = rings_per_polygon.tolist()
    return out


def pack(plots: gpd.GeoDataFrame) -> dict[str, Any]:
    """The plots as JSON-ready columns, in the frame's row order (a mask refers to that order).

    Only what the map shows: id, park, status, sector, tenant, area (hundredths of a hectare, as
    displayed), provenance (``sources``: each distinct ``[kind, reference]``, so the browser's badge
    comes from the kind) and geometry; never the confidential columns. Geometry must be WGS84
    (Multi)Polygons; an empty geometry packs as a plot with no ring.
    """
    if plots.crs is not None and not plots.crs.equals(schema.WGS84):
        raise ValueError(f"pack: plots must be in {schema.WGS84}, got {plots.crs}")
    park, parks = _codes(plots["park_id"])
    status, statuses = _codes(plots["status"])
    sector, sectors = _codes(plots["sector"])
    source, sources = _provenance_codes(plots)
    return {
        "v": FORMAT_VERSION,
        "n": len(plots),
        "scale": SCALE,
        "ids": _front_code(plots["plot_id"]),
        "parks": parks,
        "park": park,
        "statuses": statuses,
        "status": status,
        "sectors": sectors,
        "sector": sector,
        "sources": sources,
        "source": source,
        "tenant": _front_code(plots["tenant"]),
        "area": [centi_hectares(a) for a in plots["area_ha"]],
        **_geometry(np.asarray(plots.geometry.values, dtype=object)),
    }


def encode_json(packed: Mapping[str, Any]) -> bytes:
    return json.dumps(packed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def gzip_json(packed: Mapping[str, Any], level: int = 6) -> bytes:
    """The packed plots as gzipped JSON, the file the map fetches (``mtime=0``: same bytes for
    the same plots, so the file name can be a hash of its content)."""
    return gzip.compress(encode_json(packed), compresslevel=level, mtime=0)


def unpack(packed: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """The frame :func:`pack` was given (map columns only; geometry rounded to 1e-5°), decoded
    the way ``plots.js`` decodes it."""
    n = int(packed["n"])
    scale = float(packed["scale"])

    def lookup(codes_key: str, values_key: str) -> list[Any]:
        values = packed[values_key]
        return [values[c] if c >= 0 else None for c in packed[codes_key]]

    xy = np.cumsum(np.asarray(packed["xy"], dtype=np.int64).reshape(-1, 2), axis=0) / scale
    ring_lengths = list(packed["rl"])
    per_polygon = list(packed.get("pr") or [1] * (len(ring_lengths)))
    per_feature = list(packed.get("fp") or [1] * n)
    geoms, point, ring, polygon = [], 0, 0, 0
    for count in per_feature:
        polys = []
        for _ in range(count):
            rings = []
            for _ in range(per_polygon[polygon]):
                pts = xy[point:point + ring_lengths[ring]]
                rings.append(np.vstack([pts, pts[:1]]))
                point += ring_lengths[ring]
                ring += 1
            polygon += 1
            polys.append(shapely.Polygon(rings[0], rings[1:]))
        geoms.append(polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys) if polys else shapely.Polygon())
    area = [c / 100 if c >= 0 else np.nan for c in packed["area"]]
    sources = lookup("source", "sources")
    return gpd.GeoDataFrame(
        {
            "plot_id": _front_decode(packed["ids"]),
            "park_id": lookup("park", "parks"),
            "status": lookup("status", "statuses"),
            "area_ha": area,
            "tenant": _front_decode(packed["tenant"]),
            "sector": lookup("sector", "sectors"),
            "source_kind": [s[0] if s else None for s in sources],
            "source": [(s[1] or None) if s else None for s in sources],
        },
        geometry=geoms,
        crs=schema.WGS84,
    )


# --- what the browser needs besides the data --------------------------------------------------
def plot_styles(statuses: Iterable[str]) -> list[dict[str, object]]:
    """Leaflet style of each status code, from :mod:`heza_geo.styling` (the one home of colours)."""
    return [styling.plot_style(s).leaflet() for s in statuses]


def _number_format(lang: str) -> dict[str, str]:
    """The language's separators and the place of the unit, read off Babel's own output so the
    browser writes areas exactly as :func:`heza_geo.i18n.fmt_area_ha` does."""
    sample = i18n.fmt_number(1234567.25, lang, 2)  # e.g. "1.234.567,25"
    marker = "\x00"
    quantity = i18n.t("format.quantity", lang, value=marker, unit=i18n.unit_label("ha", lang))
    prefix, _, suffix = quantity.partition(marker)
    return {"group": sample[1], "decimal": sample[-3], "prefix": prefix, "suffix": suffix,
            "missing": i18n.MISSING}


def plot_labels(lang: str, park_names: Mapping[str, str], packed: Mapping[str, Any],
                park_rows: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> dict[str, object]:
    """Everything a plot's popup and tooltip say besides its own values, in ``lang``, already
    HTML-escaped: row titles, park names, status and sector labels, the badge of each provenance
    (from its kind: a method that cites a report is still "approximate"), and per park the rows its
    passport adds (``park_rows``: park id → ``(title, HTML)`` of :func:`heza_geo.maps.popups.passport_rows`;
    once per park, however many plots it has).

    Mirrors :func:`heza_geo.maps.popups.plot_popup` and :func:`heza_geo.maps.popups.plot_tooltip`.
    """

    esc = html.escape
    parks = list(packed["parks"])
    return {
        "title": esc(i18n.t("popup.plot_id", lang)),
        "rows": {
            "park": esc(i18n.t("popup.park", lang)),
            "area": esc(i18n.t("popup.area", lang)),
            "status": esc(i18n.t("popup.status", lang)),
            "sector": esc(i18n.t("popup.sector", lang)),
            "tenant": esc(i18n.t("popup.tenant", lang)),
            "source": esc(i18n.t("text.source", lang, source="")),
        },
        "parks": [esc(str(park_names.get(p, p))) for p in parks],
        "passport": [[[esc(title), cell] for title, cell in (park_rows or {}).get(p, ())] for p in parks],
        "statuses": [esc(i18n.label("plot_status", s, lang)) for s in packed["statuses"]],
        "sectors": [esc(i18n.label("sector", s, lang)) for s in packed["sectors"]],
        "badges": [badge(schema.Provenance(kind, ref), lang) for kind, ref in packed["sources"]],
        "number": _number_format(lang),
    }


# --- what a filter shows ----------------------------------------------------------------------
def visible_mask(all_plots: pd.DataFrame, shown: pd.DataFrame) -> str | None:
    """Which rows of ``all_plots`` are in ``shown``, as base64 of a bitset (bit ``i % 8`` of byte
    ``i // 8`` for row ``i``); None when every plot is shown. 50,000 plots: 8.4 kB."""
    if len(shown) == len(all_plots):
        return None
    bits = all_plots["plot_id"].isin(shown["plot_id"]).to_numpy(dtype=bool)
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def mask_rows(mask: str | None, n: int) -> np.ndarray:
    """The row positions a :func:`visible_mask` keeps (for tests and the benchmark)."""
    if mask is None:
        return np.arange(n)
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask), dtype=np.uint8), bitorder="little")[:n]
    return np.flatnonzero(bits)
