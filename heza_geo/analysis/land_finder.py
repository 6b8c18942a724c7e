"""The land finder: which parks, and which sites in them, fit an investor's needs, and why.

An investor states :class:`Needs` (area, sector, distances, how soon); :func:`rank` checks every
park against each need and explains each check in one line ("✓ 24.3 ha site ≥ 20 ha",
"✗ 41.2 km to the port > 30 km"); :func:`candidate_sites` lists the sites that offer the area:
single available plots, or -- where no single plot is large enough -- adjacent available plots
of the same park taken together.

Decisions a reader must know
----------------------------
* **Area** is met when the park has one *contiguous* site of at least the area: an investor
  cannot build one factory on plots scattered across a park. The park's total available land is
  shown beside it.
* **Adjacent** means touching or closer than :data:`ADJACENCY_M` metres (EPSG:32648), same park;
  internal roads (~30 m) separate blocks, so a site never straddles a road.
* **Stage** ("how soon", :data:`READINESS`): *now* = parks whose infrastructure is built
  (``full``, ``operating``); *soon* = ``site_clearance`` and ``building_infrastructure``. Parks in
  site clearance count as *soon* even where they already host tenants (VSIP, Nam Cầu Kiền): HEZA's
  report 001 says their remaining land is still being cleared and handed to the developer, so
  the land on offer there is not ready to build on. Planned parks fit neither.
* **Port** is the nearest *operating* Lạch Huyện berth, **airport** Cát Bi (distances from
  :func:`heza_geo.analysis.joins.parks_overview`, straight line, park edge to target).
* **Sector** is met when the park already hosts firms of that sector (a cluster signal; parks
  publish no sector restrictions in the data).
* Only plots of status ``available`` are ever offered: land not yet handed over
  (``not_handed_over``) is not leasable, whatever its size, and reserved land is taken.
* A park without plots (a planned park, a park no source places: it has no outline, so no plots)
  has **no land data**: its available land and largest site are unknown (NaN, shown "—"), never
  0 ha and never free land; its area need is missed with a reason saying so, so it never fits,
  and its distances are unknown too (no position).

Ranking (:func:`rank`): parks meeting every need first, then fewer needs missed, then shorter
distance to the port (unknown last), then more available land, then ``park_id`` -- so the order
is deterministic. ``score`` is the share of the stated needs a park meets (0-1).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heza_geo import i18n
from heza_geo.links import BadParam, choice_param, float_param
from heza_geo.schema import METRIC_CRS, SECTORS, SYNTHETIC, WGS84, kind_column

#: plots closer than this (metres) count as adjacent: a survey gap, not a road
ADJACENCY_M = 5.0
#: park stages that satisfy each answer to "how soon do you need the land?"
READINESS: dict[str, tuple[str, ...]] = {
    "now": ("full", "operating"),
    "soon": ("site_clearance", "building_infrastructure"),
    "any": ("full", "operating", "site_clearance", "building_infrastructure"),
}
#: the only plot status a site is made of
AVAILABLE = "available"
#: the needs a park is checked against, in the order their reasons are listed
NEED_NAMES = ("area", "port", "airport", "stage", "sector")
#: what a link may ask for (larger values are typing errors, not needs)
MIN_AREA_HA, MAX_AREA_HA, MAX_DISTANCE_KM = 0.01, 100_000.0, 1_000.0


@dataclass(frozen=True)
class Needs:
    """What an investor asks for; ``None`` means "no limit" / "any".

    Raises ``ValueError`` naming the field when a value is impossible (area ≤ 0, a negative
    distance, an unknown sector or readiness).
    """

    area_ha: float = 10.0
    sector: str | None = None
    max_port_km: float | None = None
    max_airport_km: float | None = None
    ready: str = "any"

    def __post_init__(self) -> None:
        if not _is_number(self.area_ha) or not self.area_ha > 0:
            raise ValueError(f"area_ha must be a number > 0, got {self.area_ha!r}")
        for name in ("max_port_km", "max_airport_km"):
            value = getattr(self, name)
            if value is not None and (not _is_number(value) or not value >= 0):
                raise ValueError(f"{name} must be a number ≥ 0 or None, got {value!r}")
        if self.sector is not None and self.sector not in SECTORS:
            raise ValueError(f"sector must be one of {', '.join(SECTORS)} or None, got {self.sector!r}")
        if self.ready not in READINESS:
            raise ValueError(f"ready must be one of {', '.join(READINESS)}, got {self.ready!r}")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and value == value


# --- URL ---------------------------------------------------------------------------------------
def needs_to_params(needs: Needs) -> dict[str, str]:
    """Query parameters for ``needs``; "no limit" and "any" are left out so links stay short."""
    params = {"need_ha": f"{needs.area_ha:g}"}
    if needs.sector:
        params["need_sector"] = needs.sector
    for param, attr in (("max_port_km", "max_port_km"), ("max_airport_km", "max_airport_km")):
        if getattr(needs, attr) is not None:
            params[param] = f"{getattr(needs, attr):g}"
    if needs.ready != "any":
        params["ready"] = needs.ready
    return params


def needs_from_params(params: Mapping[str, object], default: Needs = Needs()) -> tuple[Needs, tuple[BadParam, ...]]:
    """Needs read from query parameters; each unusable one is replaced by its default and reported."""
    problems: list[BadParam | None] = []
    area, bad = float_param(params, "need_ha", default.area_ha, MIN_AREA_HA, MAX_AREA_HA)
    problems.append(bad)
    limits: dict[str, float | None] = {}
    for name in ("max_port_km", "max_airport_km"):
        fallback = getattr(default, name)
        value, bad = float_param(params, name, 0.0, 0.0, MAX_DISTANCE_KM)
        given = params.get(name) not in (None, "", [], ())
        limits[name] = value if given and bad is None else fallback
        problems.append(bad and BadParam(bad.name, bad.value, bad.allowed, "" if fallback is None else f"{fallback:g}"))
    sector, bad = choice_param(params, "need_sector", default.sector, SECTORS)
    problems.append(bad)
    ready, bad = choice_param(params, "ready", default.ready, tuple(READINESS))
    problems.append(bad)
    needs = Needs(area, sector, limits["max_port_km"], limits["max_airport_km"], ready)
    return needs, tuple(p for p in problems if p is not None)


# --- sites -------------------------------------------------------------------------------------
_SITE_COLUMNS = ["site_id", "park_id", "plot_ids", "plots", "area_ha", "merged", "geometry"]


def _components(available: gpd.GeoDataFrame, tolerance_m: float) -> np.ndarray:
    """Connected-component label of each plot: plots of one park within ``tolerance_m`` are linked."""
    metric = available.reset_index(drop=True).geometry.to_crs(METRIC_CRS)
    left, right = metric.sindex.query(metric, predicate="dwithin", distance=tolerance_m)
    parks = available["park_id"].to_numpy()
    keep = (left < right) & (parks[left] == parks[right])
    parent = np.arange(len(metric))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(left[keep], right[keep], strict=True):
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(i) for i in range(len(metric))])


def contiguous_blocks(plots: gpd.GeoDataFrame, tolerance_m: float = ADJACENCY_M) -> gpd.GeoDataFrame:
    """Every block of adjacent *available* plots (one row per block, any size), largest first per park.

    Columns: ``site_id`` (first plot id, "+n" for n more plots), ``park_id``, ``plot_ids`` (tuple, sorted),
    ``plots``, ``area_ha`` (sum of the plots' registered areas), ``merged`` (more than one plot),
    ``geometry`` (their union, WGS84).
    """
    available = plots[plots["status"] == AVAILABLE]
    if available.empty:
        return gpd.GeoDataFrame(columns=_SITE_COLUMNS, geometry="geometry", crs=WGS84)
    available = available.sort_values("plot_id").reset_index(drop=True)
    labels = _components(available, tolerance_m)
    return _sites(available, labels, tolerance_m)


def _sites(plots: gpd.GeoDataFrame, labels: np.ndarray, tolerance_m: float) -> gpd.GeoDataFrame:
    metric = plots.geometry.to_crs(METRIC_CRS).to_numpy()
    rows = []
    for label in pd.unique(labels):
        members = np.flatnonzero(labels == label)
        ids = tuple(sorted(plots["plot_id"].iloc[members]))
        shapes = metric[members]
        if len(members) == 1:
            shape = shapes[0]
        else:  # close the survey gaps between adjacent plots so the site draws as one shape
            half = tolerance_m / 2
            joined = shapely.union_all(shapely.buffer(shapes, half, join_style="mitre"))
            shape = joined.buffer(-half, join_style="mitre")
        rows.append({
            "site_id": ids[0] if len(ids) == 1 else f"{ids[0]}+{len(ids) - 1}",
            "park_id": plots["park_id"].iloc[members[0]],
            "plot_ids": ids,
            "plots": len(ids),
            "area_ha": float(plots["area_ha"].iloc[members].sum()),
            "merged": len(ids) > 1,
            "geometry": shape,
        })
    out = gpd.GeoDataFrame(rows, columns=_SITE_COLUMNS, geometry="geometry", crs=METRIC_CRS).to_crs(WGS84)
    out = out.assign(_neg=-out["area_ha"]).sort_values(["park_id", "_neg", "site_id"]).drop(columns="_neg")
    return out.reset_index(drop=True)


def candidate_sites(plots: gpd.GeoDataFrame, min_ha: float, tolerance_m: float = ADJACENCY_M) -> gpd.GeoDataFrame:
    """Sites of at least ``min_ha``: single available plots, or adjacent available plots together.

    Within each block of adjacent available plots (same park, gaps under ``tolerance_m``), every
    plot of ``min_ha`` or more is offered on its own; only where no plot of the block is large
    enough is the whole block offered as one merged site, if its total reaches ``min_ha``.
    Columns as :func:`contiguous_blocks`; largest first within each park.
    """
    if not min_ha > 0:
        raise ValueError(f"min_ha must be a number > 0, got {min_ha!r}")
    available = plots[plots["status"] == AVAILABLE]
    if available.empty:
        return gpd.GeoDataFrame(columns=_SITE_COLUMNS, geometry="geometry", crs=WGS84)
    available = available.sort_values("plot_id").reset_index(drop=True)
    labels = _components(available, tolerance_m)
    large = available["area_ha"].to_numpy() >= min_ha
    singles = np.flatnonzero(large)
    labels_with_large = set(labels[singles])
    merged_labels = [
        label for label in pd.unique(labels)
        if label not in labels_with_large and available["area_ha"].to_numpy()[labels == label].sum() >= min_ha
    ]
    site_labels = np.full(len(available), -1)
    site_labels[singles] = len(available) + singles  # each large plot its own site
    for label in merged_labels:
        site_labels[labels == label] = label
    chosen = site_labels >= 0
    if not chosen.any():
        return gpd.GeoDataFrame(columns=_SITE_COLUMNS, geometry="geometry", crs=WGS84)
    return _sites(available[chosen].reset_index(drop=True), site_labels[chosen], tolerance_m)


# --- ranking -----------------------------------------------------------------------------------
def _sector_firms(plots: pd.DataFrame, sector: str) -> pd.Series:
    leased = plots[(plots["status"] == "leased") & (plots["sector"] == sector)]
    firms = leased["tenant"].fillna(leased["plot_id"]) if "tenant" in leased.columns else leased["plot_id"]
    return firms.groupby(leased["park_id"]).nunique()


def _distance_check(name: str, km: Any, limit: float, lang: str) -> tuple[bool, str]:
    if km is None or pd.isna(km):
        return False, i18n.t(f"finder.reason.{name}_unknown", lang)
    ok = float(km) <= limit
    return ok, i18n.t(f"finder.reason.{name}_{'ok' if ok else 'miss'}", lang,
                      km=i18n.fmt_km(km, lang), limit=i18n.fmt_km(limit, lang, None))


def rank(parks_overview: gpd.GeoDataFrame, plots: gpd.GeoDataFrame, needs: Needs,
         lang: str = "vi") -> gpd.GeoDataFrame:
    """Every park checked against ``needs``, best fit first, with one reason per need in ``lang``.

    ``parks_overview`` comes from :func:`heza_geo.analysis.joins.parks_overview` (needs ``available_ha``,
    ``distance_to_berth_km``, ``distance_to_airport_km``, ``stage``). Added columns: ``rank``
    (1 = best), ``fits`` (meets every need), ``needs_checked``, ``needs_met``, ``missed`` (tuple of
    need names, see :data:`NEED_NAMES`), ``score`` (needs_met / needs_checked), ``largest_site_ha``,
    ``sites`` (how many candidate sites reach the area), ``sector_firms`` and ``reasons`` (tuple
    of "✓ …"/"✗ …" lines).
    """
    required = {"park_id", "stage", "available_ha", "distance_to_berth_km", "distance_to_airport_km"}
    missing = required - set(parks_overview.columns)
    if missing:
        raise ValueError(f"rank: parks_overview lacks column(s) {sorted(missing)} (pass joins.parks_overview)")
    blocks = contiguous_blocks(plots)
    largest = blocks.groupby("park_id")["area_ha"].max() if not blocks.empty else pd.Series(dtype=float)
    sites = candidate_sites(plots, needs.area_ha)
    site_counts = sites.groupby("park_id").size() if not sites.empty else pd.Series(dtype=int)
    firms = _sector_firms(plots, needs.sector) if needs.sector else pd.Series(dtype=int)
    ready_label = i18n.t(f"finder.ready.{needs.ready}", lang)

    out = parks_overview.copy()
    with_plots = out["park_id"].isin(plots["park_id"])
    out["available_ha"] = out["available_ha"].astype(float).where(with_plots)
    out["largest_site_ha"] = out["park_id"].map(largest).fillna(0.0).astype(float).where(with_plots)
    out["sites"] = out["park_id"].map(site_counts).fillna(0).astype(int)
    out["sector_firms"] = out["park_id"].map(firms).fillna(0).astype(int) if needs.sector else 0
    reasons_col, missed_col = [], []
    for _, park in out.iterrows():
        checks: list[tuple[str, bool, str]] = []
        if pd.isna(park["largest_site_ha"]):  # no plots: nothing is known of its land, nothing is offered
            checks.append(("area", False, i18n.t("finder.reason.area_unknown", lang)))
        else:
            site_ok = park["largest_site_ha"] >= needs.area_ha
            checks.append(("area", site_ok, i18n.t(
                f"finder.reason.area_{'ok' if site_ok else 'miss'}", lang,
                site=i18n.fmt_area_ha(park["largest_site_ha"], lang, 1),
                need=i18n.fmt_area_ha(needs.area_ha, lang, None),
                available=i18n.fmt_area_ha(park["available_ha"], lang, 1))))
        if needs.max_port_km is not None:
            checks.append(("port", *_distance_check("port", park["distance_to_berth_km"], needs.max_port_km, lang)))
        if needs.max_airport_km is not None:
            checks.append(("airport", *_distance_check("airport", park["distance_to_airport_km"],
                                                       needs.max_airport_km, lang)))
        stage_ok = park["stage"] in READINESS[needs.ready]
        checks.append(("stage", stage_ok, i18n.t(f"finder.reason.stage_{'ok' if stage_ok else 'miss'}", lang,
                                                 stage=i18n.label("stage", park["stage"], lang), ready=ready_label)))
        if needs.sector:
            n = int(park["sector_firms"])
            checks.append(("sector", n > 0, i18n.t(f"finder.reason.sector_{'ok' if n else 'miss'}", lang,
                                                   n=i18n.fmt_number(n, lang, 0),
                                                   sector=i18n.label("sector", needs.sector, lang))))
        reasons_col.append(tuple(text for _, _, text in checks))
        missed_col.append(tuple(name for name, ok, _ in checks if not ok))
    out["reasons"] = reasons_col
    out["missed"] = missed_col
    unchecked = (needs.max_port_km is None) + (needs.max_airport_km is None) + (needs.sector is None)
    out["needs_checked"] = len(NEED_NAMES) - unchecked
    out["needs_met"] = out["needs_checked"] - out["missed"].map(len)
    out["fits"] = out["needs_met"] == out["needs_checked"]
    out["score"] = out["needs_met"] / out["needs_checked"]
    port = out["distance_to_berth_km"].astype(float)
    order = out.assign(
        _missed=out["missed"].map(len),
        _port=port.fillna(np.inf),
        _avail=-out["available_ha"].astype(float).fillna(0.0),
    ).sort_values(["_missed", "_port", "_avail", "park_id"], kind="mergesort")
    out = out.loc[order.index].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


# --- export ------------------------------------------------------------------------------------
def results_table(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked parks as a plain table in ``lang`` (numbers as numbers, empty where unknown: the land
    of a park without plots, the distances of a park with no position), for screen and CSV."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("finder.col.rank"): ranked["rank"].to_numpy(),
        t("finder.col.park"): [i18n.name(row, lang) for row in ranked.to_dict("records")],
        "park_id": ranked["park_id"].to_numpy(),
        t("finder.col.fits"): np.where(ranked["fits"], "✓", "✗"),
        t("finder.col.needs_met"): [f"{m}/{c}"
                                    for m, c in zip(ranked["needs_met"], ranked["needs_checked"], strict=True)],
        t("popup.stage"): [t.label("stage", s) for s in ranked["stage"]],
        t("finder.col.available_ha"): ranked["available_ha"].astype(float).round(2).to_numpy(),
        t("finder.col.largest_site_ha"): ranked["largest_site_ha"].astype(float).round(2).to_numpy(),
        t("finder.col.sites"): ranked["sites"].to_numpy(),
        t("finder.col.port_km"): ranked["distance_to_berth_km"].astype(float).round(1).to_numpy(),
        t("finder.col.airport_km"): ranked["distance_to_airport_km"].astype(float).round(1).to_numpy(),
        t("finder.col.reasons"): [" · ".join(r) for r in ranked["reasons"]],
        t("finder.col.provenance"): t.badge(SYNTHETIC),
    })


def sites_table(sites: pd.DataFrame, park_names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Candidate sites as a plain table in ``lang``."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("finder.col.park"): [park_names.get(p, p) for p in sites["park_id"]],
        t("finder.col.site"): sites["site_id"].to_numpy(),
        t("finder.col.kind"): [t("finder.site.merged", n=n) if m else t("finder.site.single")
                               for n, m in zip(sites["plots"], sites["merged"], strict=True)],
        t("finder.col.area_ha"): sites["area_ha"].astype(float).round(2).to_numpy(),
        t("finder.col.plot_ids"): [", ".join(ids) for ids in sites["plot_ids"]],
        t("finder.col.provenance"): t.badge(SYNTHETIC),
    })


def to_geojson(ranked: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, needs: Needs, lang: str) -> str:
    """The fitting parks and their candidate sites as one GeoJSON FeatureCollection (WGS84).

    Properties use English identifiers (machine-readable); ``reasons`` are in ``lang``. The land
    figures' provenance is a kind and a reference, as in the data (``land_source_kind`` and
    ``land_source`` of a park, ``source_kind`` and ``source`` of a site: ``synthetic demo``, no
    reference). Only public attributes go out: no tenant contact, price or internal note.
    """
    fitting = ranked[ranked["fits"]]
    features = []
    for _, park in fitting.to_crs(WGS84).iterrows():
        features.append({
            "type": "Feature",
            "properties": {
                "kind": "park", "rank": int(park["rank"]), "park_id": park["park_id"],
                "name_vi": park["name_vi"], "name_en": park["name_en"], "stage": park["stage"],
                "available_ha": round(float(park["available_ha"]), 4),
                "largest_site_ha": round(float(park["largest_site_ha"]), 4),
                "distance_to_port_km": _round(park["distance_to_berth_km"]),
                "distance_to_airport_km": _round(park["distance_to_airport_km"]),
                "reasons": list(park["reasons"]), kind_column("land_source"): SYNTHETIC, "land_source": None,
            },
            "geometry": shapely.geometry.mapping(park.geometry) if park.geometry is not None else None,
        })
    for _, site in sites[sites["park_id"].isin(fitting["park_id"])].to_crs(WGS84).iterrows():
        features.append({
            "type": "Feature",
            "properties": {
                "kind": "site", "site_id": site["site_id"], "park_id": site["park_id"],
                "plot_ids": list(site["plot_ids"]), "area_ha": round(float(site["area_ha"]), 4),
                "merged": bool(site["merged"]), kind_column("source"): SYNTHETIC, "source": None,
            },
            "geometry": shapely.geometry.mapping(site.geometry),
        })
    collection = {"type": "FeatureCollection", "needs": needs_to_params(needs), "features": features}
    return json.dumps(collection, ensure_ascii=False)


def _round(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)
