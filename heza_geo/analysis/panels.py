"""The rows of the pages' panels: a park's detail panel beside the map, a flow's headline on the
investment page. Each function returns plain frames and text in the reader's language, with the
column headers a reader sees; ``st.dataframe`` shows them as they are.

Decisions a reader must know
----------------------------
* A park's panel gives each figure with its provenance, read from its kind and reference columns
  (:func:`heza_geo.schema.provenance_of`; an approximate area stays approximate whatever its method
  cites): the stage and area with their source's badge, the occupancy figure with its date and
  source, the land of its plots with the demo badge (the plots are synthetic), land not yet handed
  over on a line of its own where a park has any, distances without a badge (computed here from
  approximate outlines).
* A park no source places (no outline) has no distances ("—"), no plots (its land is "—", with no
  badge: nothing is known of it, and nothing is made up) and no features nearby; its panel says
  "No position yet". A park's region (east: old Hải Phòng, west: former Hải Dương) and former
  district are on its panel.
* "Nearby" is the five features nearest the park's edge, straight line in UTM 48N
  (:func:`heza_geo.analysis.indicators.distance_km`), whatever their distance.
* A flow's headline is the period's total with its plan and % of plan as the report gives them
  (:func:`heza_geo.analysis.investment.metric_rows`), and its parts in report order; counts of
  projects are numbers, amounts are money in their unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.charts import date_texts
from heza_geo.analysis.indicators import distance_km, placed
from heza_geo.analysis.investment import FLOW_TOTALS, period_figures
from heza_geo.analysis.sources import dated_provenance, provenance, row_provenance
from heza_geo.schema import NO_SOURCE, SYNTHETIC, UNPLACED, precision_column, provenance_of, provenances

DEMO = SYNTHETIC
#: how many features the park panel lists as nearby
NEARBY = 5


def park_facts(row: pd.Series, lang: str) -> pd.DataFrame:
    """A park's figures (a row of :func:`heza_geo.analysis.joins.parks_overview`): figure, value and
    where it comes from, one line each (land not yet handed over only where the park has some; its
    position only where it has none; its land "—" where it has no plots)."""
    t = i18n.translator(lang)
    demo = t.badge(DEMO)
    not_handed_over = row.get("not_handed_over_ha")
    if row.get("plots", 1) and pd.notna(row.get("plots", 1)):
        land = [(t("popup.leased"), t.area_ha(row["leased_ha"]), demo),
                (t("popup.available"), t.area_ha(row["available_ha"]), demo)]
    else:  # no plots: nothing is known of its land
        land = [(t("popup.leased"), i18n.MISSING, ""), (t("popup.available"), i18n.MISSING, "")]
    if not_handed_over is not None and pd.notna(not_handed_over) and not_handed_over > 0:
        land.append((t.label("plot_status", "not_handed_over"), t.area_ha(not_handed_over), demo))
    district = row.get("district")
    where = [(t("filter.region"), t.label("province", row.get("province_before_2025")), ""),
             (t("column.district"), str(district) if isinstance(district, str) else i18n.MISSING, "")]
    if row.get("geometry_quality") == UNPLACED:
        where.append((t("column.geometry_quality"), t.label("geometry_quality", UNPLACED), ""))
    return pd.DataFrame(
        [
            (t("popup.stage"), t.label("stage", row["stage"]), t.badge(provenance_of(row, "stage_source"))),
            (t("popup.area"), t.area_ha(row["area_ha"]),
             t.badge(provenance_of(row, "area_source")) if pd.notna(row["area_ha"]) else ""),
            *where,
            (t("popup.occupancy"), t.percent(row["occupancy_pct"]),
             dated_provenance(row["occupancy_as_of"], provenance_of(row, "occupancy_source"), None, lang,
                              row.get(precision_column("occupancy_as_of")))),
            *land,
            (t("popup.developer"), row["developer"] if pd.notna(row["developer"]) else i18n.MISSING, ""),
            (t("popup.distance_to_berth"), t.km(row["distance_to_berth_km"]), ""),
            (t("popup.distance_to_airport"), t.km(row["distance_to_airport_km"]), ""),
        ],
        columns=[t("detail.figure"), t("detail.value"), t("detail.source")],
    )


def park_history(history: pd.DataFrame, park_id: str, lang: str) -> pd.DataFrame:
    """A park's occupancy figures over time (rows of ``occupancy_history``), with ``basis_label``,
    the basis in the reader's language (the chart's legend), ``date_text`` (no more precise than
    the date is known) and ``provenance_text`` (the badge and its reference), for the tooltip."""
    rows = history[history["park_id"] == park_id].copy()
    rows["basis_label"] = rows["basis"].map(lambda b: i18n.label("basis", b, lang))
    rows["date_text"] = date_texts(rows, "as_of", lang)
    rows["provenance_text"] = [provenance(p, lang) for p in provenances(rows)]
    return rows


def park_plots(plots: pd.DataFrame, park_id: str, lang: str) -> pd.DataFrame:
    """A park's plots: id, status, area (ha, 2 decimals), sector and tenant (blank where none)."""
    t = i18n.translator(lang)
    rows = plots[plots["park_id"] == park_id]
    return pd.DataFrame({
        t("popup.plot_id"): rows["plot_id"],
        t("popup.status"): rows["status"].map(lambda s: t.label("plot_status", s)),
        t("popup.area"): rows["area_ha"].round(2),
        t("popup.sector"): rows["sector"].map(lambda s: t.label("sector", s)),
        t("popup.tenant"): rows["tenant"].fillna(""),
    })


#: the order a park's plots are grouped in on its panel: what an investor can take first
PLOT_GROUP_ORDER = ("available", "reserved", "not_handed_over", "leased", "infrastructure")


@dataclass(frozen=True)
class PlotGroup:
    """A park's plots of one status: ``title`` (status, count and area, in the reader's language) and
    ``table`` (:func:`park_plots`' rows of that status, without the status column)."""

    status: str
    title: str
    table: pd.DataFrame


def plot_groups(plots: pd.DataFrame, park_id: str, lang: str) -> list[PlotGroup]:
    """A park's plots by status, in :data:`PLOT_GROUP_ORDER` (a status no plot has: no group), each
    titled like "Available (101) · 462.8 ha"."""
    t = i18n.translator(lang)
    rows = plots[plots["park_id"] == park_id]
    table = park_plots(rows, park_id, lang)  # the park's rows, in the same order as ``rows``
    status_column = t("popup.status")
    groups = []
    for status in PLOT_GROUP_ORDER:
        mine = (rows["status"] == status).to_numpy()
        if not mine.any():
            continue
        title = t("detail.plot_group", status=t.label("plot_status", status),
                  n=i18n.fmt_number(int(mine.sum()), lang, 0),
                  area=i18n.fmt_area_ha(float(rows.loc[mine, "area_ha"].sum()), lang, 1))
        groups.append(PlotGroup(status, title, table[mine].drop(columns=status_column)))
    return groups


def nearest(features: gpd.GeoDataFrame, park: gpd.GeoDataFrame, n: int = NEARBY,
            within_km: float | None = None) -> gpd.GeoDataFrame:
    """The features nearest the park (a one-row frame), nearest first, with ``km``: the ``n``
    nearest, or with ``within_km`` every one within that distance (housing nearby:
    :data:`heza_geo.analysis.indicators.HOUSING_RADIUS_KM`, as compare counts it); none for a park
    with no position (nothing is near a park no one has placed)."""
    if not placed(park).any():
        return features.iloc[0:0].assign(km=pd.Series(dtype="float64"))
    near = features.assign(km=distance_km(features, park)).sort_values("km")
    return near[near["km"] <= within_km] if within_km is not None else near.head(n)


def nearby_table(near: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """Features from :func:`nearest` as the panel lists them: name, kind and distance (km, 1 decimal).

    ``kind`` names the labels of the features' ``kind`` column: ``housing_kind`` or ``connectivity_kind``.
    """
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("detail.name"): [str(v) for v in near[i18n.data_column("name", lang)]],
        t("popup.kind"): near["kind"].map(lambda k: t.label(kind, k)),
        t("detail.distance_km"): near["km"].round(1),
    })


@dataclass(frozen=True)
class FlowHeadline:
    """A flow's figures for one period, as text: the total (``value``), its % of plan (None when the
    report gives none) and plan ("—" when none), the total's provenance, and its parts (None when the
    report gives none)."""

    value: str
    pct_of_plan: str | None
    plan: str
    provenance: str
    parts: pd.DataFrame | None


def flow_headline(investment: pd.DataFrame, period: str, flow: str, lang: str) -> FlowHeadline | None:
    """The headline of ``flow`` (``fdi`` or ``ddi``) in ``period``; None when the period has no total.

    The parts table has an indicator, its value (a number of projects, or money in its unit) and
    its provenance.
    """
    t = i18n.translator(lang)
    figures = period_figures(investment, period).set_index("metric")
    total = FLOW_TOTALS[flow]
    if total not in figures.index:
        return None
    row = figures.loc[total]
    unit = str(row["unit"])
    has_pct = pd.notna(row["pct_of_plan"])
    parts = [(m, figures.loc[m]) for m in figures.index if m.startswith(flow) and m != total]
    table = pd.DataFrame({
        t("investment.col_indicator"): [t.label("metric", m) for m, _ in parts],
        t("investment.col_value"): [t.money(r["value"], r["unit"]) if r["unit"] != "projects"
                                    else t.number(r["value"], 0) for _, r in parts],
        t("detail.source"): [provenance(provenance_of(r), lang) for _, r in parts],
    }) if parts else None
    return FlowHeadline(
        value=t.money(row["value"], unit),
        pct_of_plan=t.percent(row["pct_of_plan"], None) if has_pct else None,
        plan=t.money(row["plan"], unit) if has_pct and pd.notna(row["plan"]) else i18n.MISSING,
        provenance=row_provenance(row, lang, as_of="period_end", basis="basis"),
        parts=table,
    )


#: how many of the best-ranked dropped parks the land finder outlines on its map when none is kept or to confirm
CLOSEST = 3


@dataclass(frozen=True)
class FinderResults:
    """What the land finder's result panel lists, from :func:`heza_geo.analysis.land_finder.rank`: the
    parks in its three groups (each in ``rank``'s order), what its map outlines and the sites it draws."""

    #: every stated need met
    kept: pd.DataFrame
    #: no need failed, at least one not published: to confirm with HEZA
    to_confirm: pd.DataFrame
    #: at least one need failed, with every reason
    dropped: pd.DataFrame
    #: the parks outlined on the map: those kept or to confirm, else the :data:`CLOSEST` best dropped
    shown: pd.DataFrame
    #: the sites offered in the parks kept or to confirm (each with its park's outcome); none else
    sites: gpd.GeoDataFrame

    @property
    def fits(self) -> pd.DataFrame:
        """The parks kept (the name before issue 17)."""
        return self.kept


def finder_results(ranked: pd.DataFrame, sites: gpd.GeoDataFrame) -> FinderResults:
    """Split the ranked parks (``rank``'s order) into the three groups of the result panel, and the
    ``sites`` (:func:`heza_geo.analysis.land_finder.site_outcomes`, or ``candidate_sites``) into those
    drawn: the sites offered (not dropped) in the parks kept or to confirm.

    Decision: a park to confirm is outlined and its sites drawn like a kept one (the list says which
    is which); a dropped park is outlined only when no park is kept or to confirm, so the map is never
    empty, and its sites are never drawn."""
    kept = ranked[ranked["outcome"] == "kept"]
    to_confirm = ranked[ranked["outcome"] == "to_confirm"]
    dropped = ranked[ranked["outcome"] == "dropped"]
    open_parks = ranked[ranked["outcome"] != "dropped"]
    shown = open_parks if not open_parks.empty else ranked.head(CLOSEST)
    drawn = sites[sites["park_id"].isin(open_parks["park_id"])]
    if "outcome" in drawn.columns:
        drawn = drawn[drawn["outcome"] != "dropped"]
    return FinderResults(kept=kept, to_confirm=to_confirm, dropped=dropped, shown=shown, sites=drawn)


#: which passport group each need of the land finder reads (needs on plots and distances read none)
_NEED_GROUPS = {"max_price_usd_m2": "land", "min_term_years": "land", "min_power_mw": "utilities",
                "min_water_m3_day": "utilities", "min_wastewater_m3_day": "utilities", "sector": "planning",
                "ready_by": "planning"}


def finder_sources(passports: pd.DataFrame, park_id: str, stated: Iterable[str], lang: str) -> str:
    """Where the passport figures behind a park's reasons come from, one line: each group the ``stated``
    needs (names of :class:`heza_geo.analysis.land_finder.Needs` fields with a value) read, with its date and
    badge ("Land: as of 2025 · Synthetic demo data – not an official figure"); "" where no stated need reads
    the passport or the park has no passport figure for them.

    A reason such as "lease from 80 ≤ 90 USD/m²" reads a figure; the figure's badge says whether HEZA
    published it, so a demo value is never read as an official one."""
    groups = [g for g in ("land", "utilities", "planning") if g in {_NEED_GROUPS.get(n) for n in stated}]
    rows = passports[passports["park_id"] == park_id] if "park_id" in passports.columns else passports.iloc[:0]
    if rows.empty or not groups:
        return ""
    row = rows.iloc[0]
    parts = []
    for group in groups:
        p = provenance_of(row, f"{group}_source")
        if p.kind == NO_SOURCE:
            continue
        as_of = f"{group}_as_of"
        where = dated_provenance(row.get(as_of), p, None, lang, row.get(precision_column(as_of)))
        parts.append(f"{i18n.label('passport_group', group, lang)}: {where}")
    return " · ".join(parts)
