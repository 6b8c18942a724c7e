"""The land finder: which parks, and which sites in them, fit an investor's needs, and why.

An investor states :class:`Needs` (land, budget, term, power, water, wastewater, sector, a date,
distances); :func:`rank` checks every park against each stated need and gives each check one of
three outcomes, with one line in the investor's language: **pass** ("✓ 15.0 ha site ≥ 12 ha"),
**fail** ("✗ water 3,000 < 5,000 m³/day") or **unknown** ("? power available not published: to
confirm with HEZA"). An unknown value is neither a pass nor a fail. A park is then

* **kept** (``kept``): every stated need passes;
* **to confirm** (``to_confirm``): no need fails, at least one is unknown: ask HEZA;
* **dropped** (``dropped``): at least one need fails; *every* failing need is listed, never only
  the first.

:func:`candidate_sites` lists the sites that offer the area: single available plots, or -- where no
single plot is large enough -- adjacent available plots of the same park taken together;
:func:`site_outcomes` gives each site its park's outcome and drops the blocks too small, with why.

Decisions a reader must know
----------------------------
* **Area** is met when the park has one *contiguous* site of at least the area: an investor
  cannot build one factory on plots scattered across a park. The park's total available land is
  shown beside it. **Adjacent** means touching or closer than :data:`ADJACENCY_M` metres
  (EPSG:32648), same park; internal roads (~30 m) separate blocks, so a site never straddles a road.
  Only plots of status ``available`` are ever offered: land not yet handed over
  (``not_handed_over``) is not leasable, whatever its size, and reserved land is taken.
* A park **without plots** has no land data: its available land and largest site are NaN
  (shown "—"), never 0 ha and never free land, and no site of it is ever offered or drawn. Its
  area need is **unknown** ("no plot data: free land to confirm with HEZA"), since nobody has
  mapped its plots (a park no source places, an operating park of the former Hải Dương) -- except
  a ``planned`` park, which has no land on offer yet: there the area need **fails**. Before
  issue 17 a park without plots always missed its area need.
* **Budget** (USD/m² for the whole term) is compared with the *lowest* lease price the passport
  gives (``lease_price_min_usd_m2``, else its maximum): a park passes when some land there is
  within budget, and the line says so ("lease from 100 > 90 USD/m²"); no price published: unknown.
* **Years of term left** = ``land_term_end_year`` minus the year of ``today`` (injectable: ``rank(...,
  today=date(2026, 1, 1))``): "term ends 2058: 32 years < 40". Not published: unknown.
* **Power, water, wastewater** are the passport's *free* capacities (``power_available_mw``,
  ``water_free_m3_day``, ``wastewater_free_m3_day``) against the need (≥); not published: unknown.
* **Sector** is met when the passport's ``permitted_sectors`` lists it, fails when a published list
  does not; no list published: unknown. The cluster signal -- firms of that sector already leasing
  plots there -- is shown as information ("•"), never as a pass or a fail.
* **Ready by** (a date): a passport's ``ready`` passes; ``infrastructure_under_way`` passes when its
  ``ready_by`` is on or before the date, fails when after, is unknown when no date is published;
  ``not_handed_over`` passes or fails on its ``ready_by`` the same way, and **fails** without one
  (land not yet cleared and handed to the developer, with no date, cannot be promised for a date).
  A date known only to the month or the year counts as the last day of that month or year. A park
  with no readiness in its passport falls back on its stage from HEZA's reports: ``full`` and
  ``operating`` pass (infrastructure built), ``site_clearance``, ``building_infrastructure`` and
  ``approved`` are unknown (under way or decided, no date), ``planned`` fails. No date stated: no
  check (before issue 17 "any" still refused planned parks; a planned park now fails its area need
  instead, see above).
* Old links ``ready=now|soon|any`` (:data:`OLD_READY`) still open: ``now`` is ready by ``today``,
  ``soon`` ready by ``today`` + :data:`SOON_YEARS` years (a convention of this finder: the old
  choice meant "site clearance or infrastructure under way", which carried no date), ``any`` no
  date. The link is then rewritten with ``ready_by``.
* **Port** is the nearest *operating* Lạch Huyện berth, **airport** Cát Bi (distances from
  :func:`heza_geo.analysis.joins.parks_overview`), **expressway** the nearest feature of kind
  ``expressway`` in the connectivity layer (a junction is not mapped apart from its road, so this is
  the road itself: the distance to a junction is at least this). All three are straight lines from
  the park's edge, approximate (the outlines are); a park with no position has none: unknown.

Ranking (:func:`rank`): kept parks first, then those to confirm (fewer unknowns first), then the
dropped ones (fewer fails first, then fewer unknowns); then shorter distance to the port (unknown
last), then more available land, then ``park_id`` -- so the order is deterministic. ``score`` is
the share of the stated needs a park passes (0-1).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heza_geo import i18n
from heza_geo.analysis.indicators import distance_km
from heza_geo.links import BadParam, choice_param, float_param
from heza_geo.schema import MAX_CAPACITY, MAX_PRICE_USD_M2, METRIC_CRS, SECTORS, SYNTHETIC, WGS84, kind_column

#: plots closer than this (metres) count as adjacent: a survey gap, not a road
ADJACENCY_M = 5.0
#: the only plot status a site is made of
AVAILABLE = "available"
#: a need's outcome, and its mark in a reason line
PASS, FAIL, UNKNOWN, INFO = "pass", "fail", "unknown", "info"
MARKS = {PASS: "✓", FAIL: "✗", UNKNOWN: "?", INFO: "•"}
#: a park's outcome, in the order the results list them
KEPT, TO_CONFIRM, DROPPED = "kept", "to_confirm", "dropped"
OUTCOMES = (KEPT, TO_CONFIRM, DROPPED)
#: the needs a park is checked against, in the order their reasons are listed
NEED_NAMES = ("area", "price", "term", "power", "water", "wastewater", "sector", "ready", "port", "airport",
              "expressway")
#: an old link's ``ready=``: how many years from ``today`` it asks the land to be ready by (None: no date)
OLD_READY: dict[str, int | None] = {"now": 0, "soon": 2, "any": None}
SOON_YEARS = OLD_READY["soon"]
#: stages from HEZA's reports, for a park whose passport gives no readiness
BUILT_STAGES = ("full", "operating")
UNDATED_STAGES = ("site_clearance", "building_infrastructure", "approved")
#: what a link may ask for (larger values are typing errors, not needs)
MIN_AREA_HA, MAX_AREA_HA, MAX_DISTANCE_KM = 0.01, 100_000.0, 1_000.0
MAX_TERM_YEARS, MAX_POWER_MW = 150.0, 100_000.0
MIN_READY_BY, MAX_READY_BY = date(2000, 1, 1), date(2100, 12, 31)
#: each optional number of :class:`Needs`: (link parameter, largest value a link may carry)
NUMBER_PARAMS: dict[str, tuple[str, float]] = {
    "max_port_km": ("max_port_km", MAX_DISTANCE_KM),
    "max_airport_km": ("max_airport_km", MAX_DISTANCE_KM),
    "max_expressway_km": ("max_expressway_km", MAX_DISTANCE_KM),
    "max_price_usd_m2": ("max_usd_m2", MAX_PRICE_USD_M2),
    "min_term_years": ("min_years", MAX_TERM_YEARS),
    "min_power_mw": ("min_mw", MAX_POWER_MW),
    "min_water_m3_day": ("min_water_m3", MAX_CAPACITY),
    "min_wastewater_m3_day": ("min_wastewater_m3", MAX_CAPACITY),
}


@dataclass(frozen=True)
class Needs:
    """What an investor asks for; ``None`` means "no limit" / "any" (the need is not checked).

    Raises ``ValueError`` naming the field when a value is impossible (area ≤ 0, a negative or
    not-a-number limit, an unknown sector, a ready-by that is not a date).
    """

    area_ha: float = 10.0
    sector: str | None = None
    max_port_km: float | None = None
    max_airport_km: float | None = None
    ready_by: date | None = None
    max_price_usd_m2: float | None = None
    min_term_years: float | None = None
    min_power_mw: float | None = None
    min_water_m3_day: float | None = None
    min_wastewater_m3_day: float | None = None
    max_expressway_km: float | None = None

    def __post_init__(self) -> None:
        if not _is_number(self.area_ha) or not self.area_ha > 0:
            raise ValueError(f"area_ha must be a number > 0, got {self.area_ha!r}")
        for name in NUMBER_PARAMS:
            value = getattr(self, name)
            if value is not None and (not _is_number(value) or not value >= 0):
                raise ValueError(f"{name} must be a number ≥ 0 or None, got {value!r}")
        if self.sector is not None and self.sector not in SECTORS:
            raise ValueError(f"sector must be one of {', '.join(SECTORS)} or None, got {self.sector!r}")
        if self.ready_by is not None and not isinstance(self.ready_by, date):
            raise ValueError(f"ready_by must be a date or None, got {self.ready_by!r}")

    def stated(self) -> int:
        """How many needs are checked: the area always, each other one when given."""
        return 1 + sum(getattr(self, f.name) is not None for f in fields(self) if f.name != "area_ha")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and value == value


# --- URL ---------------------------------------------------------------------------------------
def needs_to_params(needs: Needs) -> dict[str, str]:
    """Query parameters for ``needs``; "no limit" and "any" are left out so links stay short.

    >>> needs_to_params(Needs(20, max_price_usd_m2=90, ready_by=date(2027, 6, 30)))
    {'need_ha': '20', 'max_usd_m2': '90', 'ready_by': '2027-06-30'}
    """
    params = {"need_ha": f"{needs.area_ha:g}"}
    if needs.sector:
        params["need_sector"] = needs.sector
    for attr, (param, _) in NUMBER_PARAMS.items():
        if getattr(needs, attr) is not None:
            params[param] = f"{getattr(needs, attr):g}"
    if needs.ready_by is not None:
        params["ready_by"] = needs.ready_by.isoformat()
    return dict(sorted(params.items(), key=lambda kv: _PARAM_ORDER.index(kv[0])))


_PARAM_ORDER = ["need_ha", "need_sector", "max_usd_m2", "min_years", "min_mw", "min_water_m3", "min_wastewater_m3",
                "max_port_km", "max_airport_km", "max_expressway_km", "ready_by"]


def years_later(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February).

    >>> years_later(date(2024, 2, 29), 2)
    datetime.date(2026, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def needs_from_params(params: Mapping[str, object], default: Needs = Needs(), today: date | None = None
                      ) -> tuple[Needs, tuple[BadParam, ...]]:
    """Needs read from query parameters; each unusable one is replaced by its default and reported.

    An old link's ``ready=now|soon|any`` becomes a ready-by date from ``today`` (:data:`OLD_READY`);
    a ``ready_by`` in the same link wins.
    """
    today = today or date.today()
    problems: list[BadParam | None] = []
    area, bad = float_param(params, "need_ha", default.area_ha, MIN_AREA_HA, MAX_AREA_HA)
    problems.append(bad)
    sector, bad = choice_param(params, "need_sector", default.sector, SECTORS)
    problems.append(bad)
    limits: dict[str, float | None] = {}
    for attr, (name, top) in NUMBER_PARAMS.items():
        fallback = getattr(default, attr)
        value, bad = float_param(params, name, 0.0, 0.0, top)
        given = params.get(name) not in (None, "", [], ())
        limits[attr] = value if given and bad is None else fallback
        problems.append(bad and BadParam(bad.name, bad.value, bad.allowed, "" if fallback is None else f"{fallback:g}"))
    ready_by = default.ready_by
    old, bad = choice_param(params, "ready", None, tuple(OLD_READY))
    problems.append(bad)
    if old is not None:
        years = OLD_READY[old]
        ready_by = None if years is None else years_later(today, years)
    raw = params.get("ready_by")
    raw = raw[0] if isinstance(raw, (list, tuple)) and raw else raw
    if raw not in (None, "", [], ()):
        try:
            day: date | None = date.fromisoformat(str(raw).strip())
        except ValueError:
            day = None
        if day is not None and MIN_READY_BY <= day <= MAX_READY_BY:
            ready_by = day
        else:
            fallback = "" if ready_by is None else ready_by.isoformat()
            problems.append(BadParam("ready_by", str(raw), f"YYYY-MM-DD, {MIN_READY_BY.year}–{MAX_READY_BY.year}",
                                     fallback))
    needs = Needs(area, sector, ready_by=ready_by, **limits)
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
Check = tuple[str, str, str]  # (need name, outcome, the line in the reader's language)


def _sector_firms(plots: pd.DataFrame, sector: str) -> pd.Series:
    leased = plots[(plots["status"] == "leased") & (plots["sector"] == sector)]
    firms = leased["tenant"].fillna(leased["plot_id"]) if "tenant" in leased.columns else leased["plot_id"]
    return firms.groupby(leased["park_id"]).nunique()


def _line(outcome: str, key: str, lang: str, **values: Any) -> str:
    return f"{MARKS[outcome]} {i18n.t(key, lang, **values)}"


def _known(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and not pd.isna(value)


def _distance_check(name: str, km: Any, limit: float, lang: str) -> Check:
    if not _known(km):
        return name, UNKNOWN, _line(UNKNOWN, f"finder.reason.{name}_unknown", lang)
    outcome = PASS if float(km) <= limit else FAIL
    return name, outcome, _line(outcome, f"finder.reason.{name}_{'ok' if outcome == PASS else 'miss'}", lang,
                                km=i18n.fmt_km(km, lang), limit=i18n.fmt_km(limit, lang, None))


def _at_least(name: str, value: Any, need: float, lang: str) -> Check:
    """A free capacity (MW, m³/day) against the need: ``value ≥ need``."""
    if not _known(value):
        return name, UNKNOWN, _line(UNKNOWN, f"finder.reason.{name}_unknown", lang)
    outcome = PASS if float(value) >= need else FAIL
    return name, outcome, _line(outcome, f"finder.reason.{name}_{'ok' if outcome == PASS else 'miss'}", lang,
                                value=i18n.fmt_number(value, lang, None), need=i18n.fmt_number(need, lang, None))


def _price_check(passport: Mapping[str, Any], budget: float, lang: str) -> Check:
    low: Any = passport.get("lease_price_min_usd_m2")
    low = low if _known(low) else passport.get("lease_price_max_usd_m2")
    if not _known(low):
        return "price", UNKNOWN, _line(UNKNOWN, "finder.reason.price_unknown", lang)
    outcome = PASS if float(low) <= budget else FAIL
    return "price", outcome, _line(outcome, f"finder.reason.price_{'ok' if outcome == PASS else 'miss'}", lang,
                                   price=i18n.fmt_number(low, lang, None), budget=i18n.fmt_number(budget, lang, None))


def _term_check(passport: Mapping[str, Any], years: float, today: date, lang: str) -> Check:
    end: Any = passport.get("land_term_end_year")
    if not _known(end):
        return "term", UNKNOWN, _line(UNKNOWN, "finder.reason.term_unknown", lang)
    left = int(end) - today.year
    outcome = PASS if left >= years else FAIL
    return "term", outcome, _line(outcome, f"finder.reason.term_{'ok' if outcome == PASS else 'miss'}", lang,
                                  year=str(int(end)), left=i18n.fmt_number(left, lang, 0),
                                  need=i18n.fmt_number(years, lang, None))


def _sector_check(passport: Mapping[str, Any], sector: str, lang: str) -> Check:
    label = i18n.label("sector", sector, lang)
    listed = passport.get("permitted_sectors")
    if not isinstance(listed, str) or not listed.strip():
        return "sector", UNKNOWN, _line(UNKNOWN, "finder.reason.sector_unknown", lang)
    outcome = PASS if sector in {s.strip() for s in listed.split(";")} else FAIL
    return "sector", outcome, _line(outcome, f"finder.reason.sector_{'ok' if outcome == PASS else 'miss'}", lang,
                                    sector=label)


def last_day(value: Any, precision: Any) -> date:
    """The last day a date known to the ``precision`` (``day``, ``month``, ``year``) may mean.

    >>> last_day(pd.Timestamp("2027-06-01"), "month"), last_day("2027", "year")
    (datetime.date(2027, 6, 30), datetime.date(2027, 12, 31))
    """
    stamp = pd.Timestamp(str(value)) if not isinstance(value, (pd.Timestamp, date)) else pd.Timestamp(value)
    if precision == "year" or (isinstance(value, str) and len(value.strip()) == 4):
        return date(stamp.year, 12, 31)
    if precision == "month" or (isinstance(value, str) and len(value.strip()) == 7):
        return (stamp + pd.offsets.MonthEnd(0)).date()
    return stamp.date()


def _ready_check(passport: Mapping[str, Any], stage: str, by: date, lang: str) -> Check:
    readiness = passport.get("readiness")
    need = i18n.fmt_date(by, lang)
    if readiness == "ready":
        return "ready", PASS, _line(PASS, "finder.reason.ready_now", lang)
    if readiness in ("infrastructure_under_way", "not_handed_over"):
        when = passport.get("ready_by")
        if not _known(when):
            if readiness == "not_handed_over":
                return "ready", FAIL, _line(FAIL, "finder.reason.not_handed_over", lang)
            return "ready", UNKNOWN, _line(UNKNOWN, "finder.reason.ready_by_unknown", lang)
        precision = passport.get("ready_by_precision")
        outcome = PASS if last_day(when, precision) <= by else FAIL
        return "ready", outcome, _line(outcome, f"finder.reason.ready_by_{'ok' if outcome == PASS else 'miss'}", lang,
                                       when=i18n.fmt_date(when, lang, precision if _known(precision) else None),
                                       need=need)
    stage_label = i18n.label("stage", stage, lang)
    if stage in BUILT_STAGES:
        return "ready", PASS, _line(PASS, "finder.reason.stage_built", lang, stage=stage_label)
    if stage in UNDATED_STAGES:
        return "ready", UNKNOWN, _line(UNKNOWN, "finder.reason.stage_undated", lang, stage=stage_label)
    return "ready", FAIL, _line(FAIL, "finder.reason.stage_planned", lang, stage=stage_label)


def _area_check(park: Mapping[str, Any], needs: Needs, lang: str) -> Check:
    if not _known(park["largest_site_ha"]):  # no plots: nothing is known of its land, nothing is offered
        if park["stage"] == "planned":
            return "area", FAIL, _line(FAIL, "finder.reason.area_planned", lang)
        return "area", UNKNOWN, _line(UNKNOWN, "finder.reason.area_unknown", lang)
    outcome = PASS if park["largest_site_ha"] >= needs.area_ha else FAIL
    return "area", outcome, _line(outcome, f"finder.reason.area_{'ok' if outcome == PASS else 'miss'}", lang,
                                  site=i18n.fmt_area_ha(park["largest_site_ha"], lang, 1),
                                  need=i18n.fmt_area_ha(needs.area_ha, lang, None),
                                  available=i18n.fmt_area_ha(park["available_ha"], lang, 1))


def check_park(park: Mapping[str, Any], passport: Mapping[str, Any], needs: Needs, lang: str,
               today: date) -> list[Check]:
    """Each stated need of ``needs`` checked for one park (a row of :func:`rank`'s frame, with
    ``largest_site_ha``, ``available_ha``, ``stage`` and the three distances) and its passport (a
    row of the ``passports`` table, or ``{}`` when it has none), in :data:`NEED_NAMES` order."""
    checks = [_area_check(park, needs, lang)]
    if needs.max_price_usd_m2 is not None:
        checks.append(_price_check(passport, needs.max_price_usd_m2, lang))
    if needs.min_term_years is not None:
        checks.append(_term_check(passport, needs.min_term_years, today, lang))
    for name, need, column in (("power", needs.min_power_mw, "power_available_mw"),
                               ("water", needs.min_water_m3_day, "water_free_m3_day"),
                               ("wastewater", needs.min_wastewater_m3_day, "wastewater_free_m3_day")):
        if need is not None:
            checks.append(_at_least(name, passport.get(column), need, lang))
    if needs.sector is not None:
        checks.append(_sector_check(passport, needs.sector, lang))
    if needs.ready_by is not None:
        checks.append(_ready_check(passport, str(park["stage"]), needs.ready_by, lang))
    for name, limit, column in (("port", needs.max_port_km, "distance_to_berth_km"),
                                ("airport", needs.max_airport_km, "distance_to_airport_km"),
                                ("expressway", needs.max_expressway_km, "distance_to_expressway_km")):
        if limit is not None:
            checks.append(_distance_check(name, park.get(column), limit, lang))
    return checks


def outcome_of(checks: list[Check]) -> str:
    """``dropped`` when a need fails, else ``to_confirm`` when one is unknown, else ``kept``."""
    outcomes = {outcome for _, outcome, _ in checks}
    return DROPPED if FAIL in outcomes else TO_CONFIRM if UNKNOWN in outcomes else KEPT


def rank(parks_overview: gpd.GeoDataFrame, plots: gpd.GeoDataFrame, needs: Needs, lang: str = "vi", *,
         passports: pd.DataFrame | None = None, expressways: gpd.GeoDataFrame | None = None,
         today: date | None = None) -> gpd.GeoDataFrame:
    """Every park checked against ``needs``, best fit first, with one reason per stated need in ``lang``.

    Parameters
    ----------
    parks_overview
        From :func:`heza_geo.analysis.joins.parks_overview` (needs ``available_ha``,
        ``distance_to_berth_km``, ``distance_to_airport_km``, ``stage``).
    plots
        The plots layer (sites are made of its ``available`` plots).
    passports
        The ``passports`` table (one row per park at most); a park without a row has every passport
        figure unknown.
    expressways
        The connectivity features of kind ``expressway``; none or empty: the distance is unknown.
    today
        The day "years of term left" counts from; the system's date when None.

    Added columns: ``rank`` (1 = best), ``outcome`` (:data:`OUTCOMES`), ``fits`` (kept),
    ``needs_checked``, ``needs_met`` (passes), ``missed`` and ``unknown`` (tuples of need names, see
    :data:`NEED_NAMES`), ``score`` (needs_met / needs_checked), ``largest_site_ha``, ``sites`` (how
    many candidate sites reach the area), ``sector_firms``, ``distance_to_expressway_km`` and
    ``reasons`` (tuple of "✓ …"/"✗ …"/"? …" lines, then "• …" information).
    """
    required = {"park_id", "stage", "available_ha", "distance_to_berth_km", "distance_to_airport_km"}
    missing = required - set(parks_overview.columns)
    if missing:
        raise ValueError(f"rank: parks_overview lacks column(s) {sorted(missing)} (pass joins.parks_overview)")
    today = today or date.today()
    blocks = contiguous_blocks(plots)
    largest = blocks.groupby("park_id")["area_ha"].max() if not blocks.empty else pd.Series(dtype=float)
    sites = candidate_sites(plots, needs.area_ha)
    site_counts = sites.groupby("park_id").size() if not sites.empty else pd.Series(dtype=int)
    firms = _sector_firms(plots, needs.sector) if needs.sector else pd.Series(dtype=int)
    by_park: dict[str, dict[str, Any]] = {}
    if passports is not None and not passports.empty:
        by_park = {str(row["park_id"]): {str(k): v for k, v in row.items()} for row in passports.to_dict("records")}

    out = parks_overview.copy()
    with_plots = out["park_id"].isin(plots["park_id"])
    out["available_ha"] = out["available_ha"].astype(float).where(with_plots)
    out["largest_site_ha"] = out["park_id"].map(largest).fillna(0.0).astype(float).where(with_plots)
    out["sites"] = out["park_id"].map(site_counts).fillna(0).astype(int)
    out["sector_firms"] = out["park_id"].map(firms).fillna(0).astype(int) if needs.sector else 0
    if expressways is not None and not expressways.empty:
        out["distance_to_expressway_km"] = distance_km(out, expressways).to_numpy()
    else:
        out["distance_to_expressway_km"] = np.nan
    reasons_col, outcome_col, missed_col, unknown_col, met_col = [], [], [], [], []
    for record in out.to_dict("records"):
        park = {str(k): v for k, v in record.items()}
        checks = check_park(park, by_park.get(str(park["park_id"]), {}), needs, lang, today)
        lines = [text for _, _, text in checks]
        if needs.sector:
            n = int(park["sector_firms"])
            lines.append(_line(INFO, "finder.info.sector_firms" if n else "finder.info.no_sector_firms", lang,
                               n=i18n.fmt_number(n, lang, 0), sector=i18n.label("sector", needs.sector, lang)))
        reasons_col.append(tuple(lines))
        outcome_col.append(outcome_of(checks))
        missed_col.append(tuple(name for name, outcome, _ in checks if outcome == FAIL))
        unknown_col.append(tuple(name for name, outcome, _ in checks if outcome == UNKNOWN))
        met_col.append(sum(outcome == PASS for _, outcome, _ in checks))
    out["reasons"] = reasons_col
    out["outcome"] = outcome_col
    out["missed"] = missed_col
    out["unknown"] = unknown_col
    out["needs_checked"] = needs.stated()
    out["needs_met"] = met_col
    out["fits"] = out["outcome"] == KEPT
    out["score"] = out["needs_met"] / out["needs_checked"]
    order = out.assign(
        _outcome=out["outcome"].map(OUTCOMES.index),
        _missed=out["missed"].map(len),
        _unknown=out["unknown"].map(len),
        _port=out["distance_to_berth_km"].astype(float).fillna(np.inf),
        _avail=-out["available_ha"].astype(float).fillna(0.0),
    ).sort_values(["_outcome", "_missed", "_unknown", "_port", "_avail", "park_id"], kind="mergesort")
    out = out.loc[order.index].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def site_outcomes(plots: gpd.GeoDataFrame, ranked: pd.DataFrame, needs: Needs, lang: str,
                  tolerance_m: float = ADJACENCY_M) -> gpd.GeoDataFrame:
    """Every site a park could offer, with its outcome and reasons in ``lang``.

    The candidate sites (:func:`candidate_sites`) inherit their park's ``outcome`` and ``reasons``
    (from :func:`rank`); each block of adjacent available plots that offers no site (too small,
    whatever its park's outcome) is ``dropped`` with "✗ site 4.0 ha < 12 ha" in place of its park's
    area line, then the park's other reasons. Columns as :func:`contiguous_blocks` plus ``outcome``
    and ``reasons``; in ``ranked``'s park order, offered sites before dropped blocks, largest first.
    """
    sites = candidate_sites(plots, needs.area_ha, tolerance_m)
    blocks = contiguous_blocks(plots, tolerance_m)
    offered = {plot for ids in sites["plot_ids"] for plot in ids}
    small = blocks[[not set(ids) & offered for ids in blocks["plot_ids"]]]
    park = ranked.set_index("park_id")
    outcome, reasons, order = park["outcome"].to_dict(), park["reasons"].to_dict(), park["rank"].to_dict()
    rows = [sites.assign(outcome=sites["park_id"].map(outcome),
                         reasons=[reasons.get(p, ()) for p in sites["park_id"]], _small=0)]
    if not small.empty:
        too_small = [_line(FAIL, "finder.reason.site_too_small", lang, site=i18n.fmt_area_ha(a, lang, 1),
                           need=i18n.fmt_area_ha(needs.area_ha, lang, None)) for a in small["area_ha"]]
        small_reasons: list[Any] = [  # the block's size replaces the park's area line
            (line, *reasons.get(p, ())[1:]) for line, p in zip(too_small, small["park_id"], strict=True)]
        rows.append(small.assign(outcome=DROPPED, _small=1, reasons=small_reasons))
    out = pd.concat(rows, ignore_index=True) if len(rows) > 1 else rows[0]
    out = out.assign(_rank=out["park_id"].map(order).fillna(len(order) + 1), _neg=-out["area_ha"].astype(float))
    out = out.sort_values(["_rank", "_small", "_neg", "site_id"], kind="mergesort")
    columns = [*_SITE_COLUMNS[:-1], "outcome", "reasons", "geometry"]
    return gpd.GeoDataFrame(out[columns].reset_index(drop=True), geometry="geometry", crs=WGS84)


# --- export ------------------------------------------------------------------------------------
def results_table(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked parks as a plain table in ``lang`` (numbers as numbers, empty where unknown: the land
    of a park without plots, the distances of a park with no position), with each park's outcome and
    every reason, for screen and CSV."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("finder.col.rank"): ranked["rank"].to_numpy(),
        t("finder.col.park"): [i18n.name(row, lang) for row in ranked.to_dict("records")],
        "park_id": ranked["park_id"].to_numpy(),
        t("finder.col.outcome"): [t(f"finder.outcome.{o}") for o in ranked["outcome"]],
        t("finder.col.needs_met"): [f"{m}/{c}"
                                    for m, c in zip(ranked["needs_met"], ranked["needs_checked"], strict=True)],
        t("popup.stage"): [t.label("stage", s) for s in ranked["stage"]],
        t("finder.col.available_ha"): ranked["available_ha"].astype(float).round(2).to_numpy(),
        t("finder.col.largest_site_ha"): ranked["largest_site_ha"].astype(float).round(2).to_numpy(),
        t("finder.col.sites"): ranked["sites"].to_numpy(),
        t("finder.col.port_km"): ranked["distance_to_berth_km"].astype(float).round(1).to_numpy(),
        t("finder.col.airport_km"): ranked["distance_to_airport_km"].astype(float).round(1).to_numpy(),
        t("finder.col.expressway_km"): ranked["distance_to_expressway_km"].astype(float).round(1).to_numpy(),
        t("finder.col.reasons"): [" · ".join(r) for r in ranked["reasons"]],
        t("finder.col.provenance"): t.badge(SYNTHETIC),
    })


def sites_table(sites: pd.DataFrame, park_names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Sites as a plain table in ``lang``; with the outcome and reasons of :func:`site_outcomes` where
    the frame has them."""
    t = i18n.translator(lang)
    table = pd.DataFrame({
        t("finder.col.park"): [park_names.get(p, p) for p in sites["park_id"]],
        t("finder.col.site"): sites["site_id"].to_numpy(),
        t("finder.col.kind"): [t("finder.site.merged", n=n) if m else t("finder.site.single")
                               for n, m in zip(sites["plots"], sites["merged"], strict=True)],
        t("finder.col.area_ha"): sites["area_ha"].astype(float).round(2).to_numpy(),
        t("finder.col.plot_ids"): [", ".join(ids) for ids in sites["plot_ids"]],
    })
    if "outcome" in sites.columns:
        table[t("finder.col.outcome")] = [t(f"finder.outcome.{o}") for o in sites["outcome"]]
        table[t("finder.col.reasons")] = [" · ".join(r) for r in sites["reasons"]]
    table[t("finder.col.provenance")] = t.badge(SYNTHETIC)
    return table


def to_geojson(ranked: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, needs: Needs, lang: str) -> str:
    """Every park with its outcome and reasons, and the sites of :func:`site_outcomes` with theirs, as
    one GeoJSON FeatureCollection (WGS84).

    Properties use English identifiers (machine-readable, ``outcome`` one of :data:`OUTCOMES`);
    ``reasons`` are in ``lang``. A park no source places has a null geometry. The land figures'
    provenance is a kind and a reference, as in the data (``land_source_kind`` and ``land_source`` of
    a park, ``source_kind`` and ``source`` of a site: ``synthetic demo``, no reference). Only public
    attributes go out: no tenant contact, price or internal note.
    """
    features = []
    for _, park in ranked.to_crs(WGS84).iterrows():
        features.append({
            "type": "Feature",
            "properties": {
                "kind": "park", "rank": int(park["rank"]), "park_id": park["park_id"],
                "name_vi": park["name_vi"], "name_en": park["name_en"], "stage": park["stage"],
                "outcome": park["outcome"], "missed": list(park["missed"]), "unknown": list(park["unknown"]),
                "available_ha": _round(park["available_ha"], 4),
                "largest_site_ha": _round(park["largest_site_ha"], 4),
                "distance_to_port_km": _round(park["distance_to_berth_km"]),
                "distance_to_airport_km": _round(park["distance_to_airport_km"]),
                "distance_to_expressway_km": _round(park.get("distance_to_expressway_km")),
                "reasons": list(park["reasons"]), kind_column("land_source"): SYNTHETIC, "land_source": None,
            },
            "geometry": shapely.geometry.mapping(park.geometry) if park.geometry is not None else None,
        })
    outcome = ranked.set_index("park_id")["outcome"]
    for _, site in sites.to_crs(WGS84).iterrows():
        features.append({
            "type": "Feature",
            "properties": {
                "kind": "site", "site_id": site["site_id"], "park_id": site["park_id"],
                "plot_ids": list(site["plot_ids"]), "area_ha": round(float(site["area_ha"]), 4),
                "merged": bool(site["merged"]),
                "outcome": site["outcome"] if "outcome" in site.index else outcome.get(site["park_id"]),
                "reasons": list(site["reasons"]) if "reasons" in site.index else [],
                kind_column("source"): SYNTHETIC, "source": None,
            },
            "geometry": shapely.geometry.mapping(site.geometry),
        })
    collection = {"type": "FeatureCollection", "needs": needs_to_params(needs), "features": features}
    return json.dumps(collection, ensure_ascii=False)


def _round(value: Any, digits: int = 2) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)
