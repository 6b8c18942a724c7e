"""The shape of every layer and table, in one place.

The loader, the validators, the importers, the exports and the generator of the demo data all
read these definitions; nothing else in the package spells out a column list or an allowed value.

Conventions
-----------
* Geometry is stored in WGS84 (EPSG:4326); areas and distances are computed in UTM zone 48N
  (EPSG:32648), which covers Hai Phong (106-108 E).
* Every record carries its provenance in two columns: ``source_kind`` (``report``, ``news``,
  ``approximate`` or ``synthetic demo``) and ``source``, the reference (a HEZA report file such as
  ``001_7f014fdbc8afe3e1.txt``, the news site and date ``vietnam.vn 20/07/2025``, the method of an
  approximation). Figures with their own source have their own pair (``area_source_kind`` and
  ``area_source``). Geometry also carries ``geometry_quality``. See :class:`Provenance`.
* A date is known to the day, the month or the year. A table whose dates can be coarser than a day
  has a ``<column>_precision`` column (``day``, ``month``, ``year``); the date itself is the first
  day of the period, so rows sort by it among full dates, and the app writes it no more precisely
  than its source ("since 2018").
* Occupancy is ``leased / leasable`` where leasable = leased + available + reserved plots;
  ``infrastructure`` plots (roads, green, utilities) are not leasable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:32648"

#: lon/lat envelope of Hai Phong after the 2025 merger with Hai Duong, with a margin; a feature
#: outside it is almost always swapped lat/lon or a projected CRS read as degrees.
HAI_PHONG_BOUNDS: tuple[float, float, float, float] = (105.9, 20.4, 107.3, 21.3)

#: the HEZA reports a ``report`` provenance may cite, with the date each speaks of
REPORT_FILES: dict[str, str] = {
    "000_0348db918e8c2867.txt": "2024-10-21",
    "001_7f014fdbc8afe3e1.txt": "2023-10-14",
    "002_03c113ee68876e37.txt": "2024-11-30",
    "003_c29c595c5ac2d704.txt": "2023-12-18",
    "004_7c364edc3c1b17af.txt": "2023-02-03",
}
#: how precisely a report's date in :data:`REPORT_FILES` is known, where not to the day: 002 answers a
#: letter of 05/11/2024 about the first 11 months of 2024 and bears no day, so it is "Nov 2024"
#: (30/11 is only the end of its period). The others give a day: 000, 004 and the news item 003 their
#: own; 001 leaves its day blank and gives its figures "as of 14/10/2023", the date it is known by.
REPORT_DATE_PRECISION: dict[str, str] = {"002_03c113ee68876e37.txt": "month"}
#: a report file's name as it may appear inside a text (a note, an approximation's method): the
#: three-digit number, ``_``, sixteen hex digits, ``.txt`` (sometimes left out). Shown to a reader, it
#: is replaced by the report's name (:func:`heza_geo.analysis.sources.readable_text`)
REPORT_FILE_IN_TEXT = re.compile(r"\b\d{3}_[0-9a-f]{16}(?:\.txt)?\b")
REPORT = "report"
NEWS = "news"
APPROXIMATE = "approximate"
SYNTHETIC = "synthetic demo"
#: where a figure comes from: a HEZA report, public news (site and date), our own approximation
#: (the reference says how it was made) or synthetic demo data made up to exercise the app
PROVENANCE_KINDS: tuple[str, ...] = (REPORT, NEWS, APPROXIMATE, SYNTHETIC)
ProvenanceKind = Literal["report", "news", "approximate", "synthetic demo", "none"]
#: the kind of a figure whose source is not given (a planned park's stage, say)
NO_SOURCE = "none"
_SITE = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?(?=$|[\s,;(])", re.UNICODE)
_LEGACY_PREFIX = re.compile(r"^(news|approximate|synthetic demo)\s*(:|$)")


@dataclass(frozen=True)
class Provenance:
    """Where one figure comes from: a ``kind`` (:data:`PROVENANCE_KINDS`) and a ``ref``.

    The reference is the report file for a ``report``, the site and date for ``news``
    (``"vietnam.vn 20/07/2025"``), the method for ``approximate`` and, optionally, what was
    made up for ``synthetic demo``. The kind is stored in its own column (``source_kind`` beside
    ``source``, ``area_source_kind`` beside ``area_source``): it is never read out of the text,
    so a method that mentions a report ("a share of the total of 002") stays approximate.

    >>> Provenance("report", "001_7f014fdbc8afe3e1.txt").short, Provenance("news", "vietnam.vn 20/07/2025").short
    ('001', 'vietnam.vn 20/07/2025')
    >>> Provenance.of(float("nan"), None)
    Provenance(kind='none', ref='')
    """

    kind: str
    ref: str = ""

    @classmethod
    def of(cls, kind: object, ref: object) -> Provenance:
        """From two cells, either perhaps missing (None, NaN, ""): no kind reads as :data:`NO_SOURCE`."""
        return cls(_cell(kind) or NO_SOURCE, _cell(ref))

    @property
    def short(self) -> str:
        """The reference as a caption gives it: the report's number ("001"), else the reference."""
        return self.ref[:3] if self.kind == REPORT and self.ref in REPORT_FILES else self.ref

    @property
    def report_date(self) -> str | None:
        """The date of the cited report (``REPORT_FILES``), for a ``report``; else None."""
        return REPORT_FILES.get(self.ref) if self.kind == REPORT else None

    def problem(self) -> tuple[str, str, dict[str, str]] | None:
        """What is wrong with this provenance, or None: the field that says it (``"kind"`` or ``"ref"``),
        and the message key and parameters of the catalogs (``problem.provenance_*``).

        >>> Provenance("news", "public reports").problem()
        ('ref', 'problem.provenance_news_site', {'ref': 'public reports'})
        """
        kinds = ", ".join(PROVENANCE_KINDS)
        if self.kind == NO_SOURCE:
            return ("ref", "problem.provenance_no_kind", {"ref": self.ref, "kinds": kinds}) if self.ref else None
        if self.kind not in PROVENANCE_KINDS:
            return "kind", "problem.not_allowed", {"value": self.kind, "allowed": kinds}
        if self.kind == REPORT and self.ref not in REPORT_FILES:
            return "ref", "problem.provenance_unknown_report", {"ref": self.ref, "files": ", ".join(REPORT_FILES)}
        if self.kind == NEWS and not _SITE.match(self.ref):
            return "ref", "problem.provenance_news_site", {"ref": self.ref}
        if self.kind == APPROXIMATE and not self.ref:
            return "ref", "problem.provenance_no_method", {}
        return None


def _cell(value: object) -> str:
    """A cell as text: "" for None, NaN, pandas' NA and blanks."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return str(value).strip()


def kind_column(source_column: str) -> str:
    """The column holding the kind of the provenance in ``source_column``: ``area_source`` → ``area_source_kind``."""
    return f"{source_column}_kind"


def provenance_of(row: Mapping[str, object] | pd.Series, column: str = "source") -> Provenance:
    """The provenance of ``column`` in a record (a dict, a pandas row): its kind and reference."""
    return Provenance.of(row.get(kind_column(column)), row.get(column))


def provenances(frame: pd.DataFrame, column: str = "source") -> list[Provenance]:
    """The provenance of ``column`` on each row of ``frame`` (no kind column: every one :data:`NO_SOURCE`)."""
    kinds = frame[kind_column(column)] if kind_column(column) in frame else pd.Series(None, index=frame.index)
    return [Provenance.of(k, r) for k, r in zip(kinds, frame[column], strict=True)]


def legacy_provenance(text: object) -> Provenance:
    """A provenance from the single ``source`` text of data made before kinds had a column.

    Strict, so that nothing is promoted: a report only when the text *is* a report file name;
    ``news: <site>``, ``approximate[: method]`` and ``synthetic demo`` by their prefix; anything
    else is approximate, with the text as its method.

    >>> legacy_provenance("approximate: share of the 6,100 ha total (002_03c113ee68876e37.txt)").kind
    'approximate'
    >>> legacy_provenance("news: vietnam.vn"), legacy_provenance("001_7f014fdbc8afe3e1.txt").kind
    (Provenance(kind='news', ref='vietnam.vn'), 'report')
    """
    value = _cell(text)
    if not value:
        return Provenance(NO_SOURCE)
    if value in REPORT_FILES:
        return Provenance(REPORT, value)
    match = _LEGACY_PREFIX.match(value)
    if match:
        kind, ref = match.group(1), value[match.end():].strip()
        return Provenance(kind, ref or ("legacy record, no method given" if kind == APPROXIMATE else ""))
    return Provenance(APPROXIMATE, value)


# --- allowed values ---------------------------------------------------------------------------
#: ``unplaced``: a record with no known position (a park of the merged city that no source places): no
#: geometry, never drawn, still counted, listed, compared and exported (only the parks layer allows it)
UNPLACED = "unplaced"
GEOMETRY_QUALITY = ("surveyed", "digitised", "approximate", "synthetic demo", UNPLACED)
ZONE_STATUS = ("established", "proposed")
PARK_STATUS = ("established", "planned")
#: ``full`` = "cơ bản lấp đầy"; ``operating`` is for parks (e.g. of former Hai Duong) with no stage.
#: ``approved``: established by a decision, no work on the ground reported yet (Hoàng Diệu, 2025)
PARK_STAGE = ("full", "site_clearance", "building_infrastructure", "operating", "approved", "planned")
PROVINCE_BEFORE_2025 = ("Hải Phòng", "Hải Dương")
#: ``not_handed_over``: land of an established park not yet handed over or cleared ("chưa giao đất",
#: Tiên Thanh in 001): not leasable today, never offered as available
PLOT_STATUS = ("leased", "available", "reserved", "infrastructure", "not_handed_over")
LEASABLE_STATUS = ("leased", "available", "reserved")
SECTORS = (
    "electronics",
    "mechanical",
    "logistics",
    "chemicals",
    "textiles",
    "food",
    "materials",
    "energy",
    "other",
)
BERTH_STATUS = ("operating", "under_construction", "approved", "awaiting_approval", "planned")
OCCUPANCY_SCOPE = ("park", "city")
#: how far a park's land is from a factory being built on it (the investor's passport, :data:`PASSPORTS`):
#: ``ready`` to build, ``infrastructure_under_way`` (roads, power, water still being built; ``ready_by``
#: says when, where published), ``not_handed_over`` (land not yet cleared and handed to the developer)
PLOT_READINESS = ("ready", "infrastructure_under_way", "not_handed_over")
#: the column of QCVN 40:2011/BTNMT a park's treated wastewater meets (A is the stricter)
WASTEWATER_STANDARD = ("A", "B")
#: ``developer_sales``: the developer's sales office for its park; ``heza_desk``: HEZA's investment-promotion
#: desk (a row with no ``park_id`` is the desk for every park)
CONTACT_ROLE = ("developer_sales", "heza_desk")
#: an economic zone's incentives differ from those of an industrial park outside any zone
INCENTIVE_REGIME = ("economic_zone", "industrial_park")
#: the groups of a park's passport, each with its own date (``<group>_as_of``) and source (``<group>_source``)
PASSPORT_GROUPS = ("land", "utilities", "planning")
FIGURE_BASIS = ("reported", "estimate", "synthetic demo")
HOUSING_KIND = ("worker_housing", "social_housing", "dormitory")
HOUSING_STATUS = ("proposed", "preparing", "investor_selected", "under_construction", "completed")
CONNECTIVITY_KIND = ("airport", "port", "terminal", "expressway", "bridge", "road")
INVESTMENT_METRICS = (
    "fdi_new_projects",
    "fdi_new_capital_musd",
    "fdi_increase_projects",
    "fdi_increase_capital_musd",
    "fdi_share_purchase_projects",
    "fdi_share_purchase_musd",
    "fdi_total_musd",
    "ddi_new_projects",
    "ddi_new_capital_bvnd",
    "ddi_increase_projects",
    "ddi_increase_capital_bvnd",
    "ddi_total_bvnd",
    "fdi_cumulative_projects",
    "fdi_cumulative_musd",
    "ddi_cumulative_projects",
    "ddi_cumulative_bvnd",
    # share of the period's new projects by sector (%, 003 gives them for 2023)
    "sector_share_electronics_pct",
    "sector_share_logistics_infrastructure_pct",
    "sector_share_manufacturing_pct",
    "sector_share_high_tech_processing_logistics_pct",
)
#: investment metrics that split a period's new projects by sector, in the order the reports list them
SECTOR_SHARE_METRICS = tuple(m for m in INVESTMENT_METRICS if m.startswith("sector_share_"))
#: what a named investor's row records: a new project, a capital increase, investment certificates
#: handed over at an event, or an investor the reports mention without an amount
INVESTOR_KIND = ("new_project", "capital_increase", "certificates", "mentioned")
ENTERPRISE_METRICS = (
    "revenue_musd",
    "revenue_bvnd",
    "export_musd",
    "import_musd",
    "budget_bvnd",
    "workers",
    "workers_vn",
    "workers_foreign",
    "avg_income_mvnd_month",
)

Dtype = Literal["str", "float", "int", "date", "bool"]

# plausible ranges: every number column has both bounds; heza_geo.io.validation refuses values outside them
#: Hai Phong covers about 319,500 ha since the 2025 merger; no zone is larger than the city
MAX_ZONE_HA = 350_000.0
#: the largest Vietnamese industrial parks cover a few thousand ha (Đình Vũ - Cát Hải EZ: 22,540 ha in all)
MAX_PARK_HA = 10_000.0
#: a plot or a housing project is part of a park or a district (demo plots: 0.2-13.9 ha)
MAX_PLOT_HA = 5_000.0
#: industrial land in Vietnam rents for tens to a few hundred USD/m² (demo: 80-173)
MAX_PRICE_USD_M2 = 10_000.0
#: ready-built factory floor, water and wastewater capacities: the largest parks treat tens of thousands of m³/day
MAX_CAPACITY = 10_000_000.0
#: monthly rents, yearly fees and tariffs in USD per m², kWh or m³
MAX_FEE_USD = 1_000.0
#: indicators are counts and amounts (million USD, billion VND, people): the largest, 328,000 billion VND
MAX_INDICATOR = 1e9


@dataclass(frozen=True)
class Column:
    """One attribute. ``required`` columns must exist; ``nullable`` ones may hold no value."""

    name: str
    dtype: Dtype
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    required: bool = True
    confidential: bool = False
    description: str = ""


@dataclass(frozen=True)
class LayerSchema:
    """A layer (with geometry) or a table (``geometry_types is None``)."""

    name: str
    columns: tuple[Column, ...]
    id_columns: tuple[str, ...]
    geometry_types: tuple[str, ...] | None
    description: str = ""
    #: records may have no geometry (``geometry_quality`` ``unplaced``): parks no source places yet
    geometry_optional: bool = False

    @property
    def is_table(self) -> bool:
        return self.geometry_types is None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def provenance_columns(self) -> list[str]:
        """The reference columns of the layer's provenances (``source``, ``area_source``…)."""
        names = set(self.column_names)
        return [c.name for c in self.columns if kind_column(c.name) in names]

    @property
    def confidential_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.confidential]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"layer {self.name!r} has no column {name!r}")


def _source(prefix: str = "", nullable: bool = False) -> tuple[Column, Column]:
    """The provenance pair of a record (``source_kind``, ``source``) or of one figure (``area_…``)."""
    name = f"{prefix}source"
    return (
        Column(kind_column(name), "str", nullable=nullable, allowed=PROVENANCE_KINDS,
               description="report, news, approximate or synthetic demo"),
        Column(name, "str", nullable=True,
               description="report file; news site and date; method of the approximation"),
    )


def _name_short() -> Column:
    return Column("name_short", "str", nullable=True, required=False,
                  description="the proper name alone, without diacritics ('Dai An'): ko/ja/zh add their word "
                              "for industrial park or economic zone to it")


#: precisions a date can have; a missing precision means ``day``
DATE_PRECISION = ("day", "month", "year")


def precision_column(date_column: str) -> str:
    """The column holding the precision of ``date_column``: ``as_of`` → ``as_of_precision``."""
    return f"{date_column}_precision"


def written_precision(text: object) -> str | None:
    """The precision an ISO date is written with: ``2018`` year, ``2018-05`` month; None for a full
    date (a day) or anything that is not an ISO year or month.

    >>> written_precision("2018"), written_precision("2018-05"), written_precision("2018-05-13")
    ('year', 'month', None)
    """
    value = str(text).strip()
    return {4: "year", 7: "month"}.get(len(value)) if value[:4].isdigit() else None


def _precision(date_column: str) -> Column:
    return Column(precision_column(date_column), "str", nullable=True, required=False, allowed=DATE_PRECISION,
                  description=f"precision of {date_column}: day (default), month or year")


def _quality() -> Column:
    return Column("geometry_quality", "str", allowed=GEOMETRY_QUALITY)


_POLYGONS = ("Polygon", "MultiPolygon")

ZONES = LayerSchema(
    "zones",
    (
        Column("zone_id", "str"),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        _name_short(),
        Column("status", "str", allowed=ZONE_STATUS),
        Column("area_ha", "float", nullable=True, min=0, max=MAX_ZONE_HA),
        *_source("area_", nullable=True),
        Column("decision", "str", nullable=True),
        Column("note", "str", nullable=True),
        *_source(),
        _quality(),
    ),
    ("zone_id",),
    _POLYGONS,
    "Economic zones (KKT), established and proposed.",
)

PARKS = LayerSchema(
    "parks",
    (
        Column("park_id", "str"),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        _name_short(),
        Column("zone_id", "str", nullable=True, description="economic zone the park lies in"),
        Column("province_before_2025", "str", allowed=PROVINCE_BEFORE_2025),
        Column("district", "str", description="pre-2025 district, kept as a familiar grouping"),
        Column("commune", "str", nullable=True),
        Column("status", "str", allowed=PARK_STATUS),
        Column("stage", "str", allowed=PARK_STAGE),
        *_source("stage_", nullable=True),
        Column("area_ha", "float", nullable=True, min=0, max=MAX_PARK_HA,
               description="declared area (empty where no source gives one); the polygon is approximate"),
        *_source("area_", nullable=True),
        Column("developer", "str", nullable=True),
        Column("developer_contact", "str", nullable=True),
        Column("note", "str", nullable=True),
        *_source(),
        _quality(),
    ),
    ("park_id",),
    _POLYGONS,
    "Industrial parks (KCN), established and planned; any number of them. A park no source places has no "
    "geometry (geometry_quality 'unplaced'): it is counted, listed and compared, and not drawn.",
    geometry_optional=True,
)

PLOTS = LayerSchema(
    "plots",
    (
        Column("plot_id", "str"),
        Column("park_id", "str"),
        Column("status", "str", allowed=PLOT_STATUS),
        Column("area_ha", "float", min=0, max=MAX_PLOT_HA, description="computed in EPSG:32648"),
        Column("tenant", "str", nullable=True),
        Column("sector", "str", nullable=True, allowed=SECTORS),
        Column("tenant_contact", "str", nullable=True, required=False, confidential=True),
        Column("price_usd_m2", "float", nullable=True, required=False, min=0, max=MAX_PRICE_USD_M2, confidential=True),
        Column("internal_note", "str", nullable=True, required=False, confidential=True),
        *_source(),
        _quality(),
    ),
    ("plot_id",),
    _POLYGONS,
    "Land-allocation plots inside parks.",
)

BERTHS = LayerSchema(
    "berths",
    (
        Column("berth_no", "int", min=1, max=1_000),
        Column("terminal", "str"),
        Column("operator", "str", nullable=True),
        Column("quay_m", "float", nullable=True, min=0, max=5_000, description="quay length of this berth"),
        Column("note", "str", nullable=True),
        *_source(),
        _quality(),
    ),
    ("berth_no",),
    ("LineString", "MultiLineString"),
    "Lạch Huyện berths along the quay; their status lives in berth_status_history.",
)

HOUSING = LayerSchema(
    "housing",
    (
        Column("housing_id", "str"),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        Column("kind", "str", allowed=HOUSING_KIND),
        Column("location", "str", nullable=True),
        Column("park_id", "str", nullable=True, description="park it serves, if any"),
        Column("capacity_people", "int", nullable=True, min=0, max=1_000_000),
        Column("area_ha", "float", nullable=True, min=0, max=MAX_PLOT_HA),
        Column("status", "str", allowed=HOUSING_STATUS),
        Column("status_note", "str", nullable=True),
        Column("as_of", "date"),
        *_source(),
        _quality(),
    ),
    ("housing_id",),
    ("Point",),
    "Worker and social housing projects.",
)

CONNECTIVITY = LayerSchema(
    "connectivity",
    (
        Column("feature_id", "str"),
        Column("kind", "str", allowed=CONNECTIVITY_KIND),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        Column("note", "str", nullable=True),
        *_source(),
        _quality(),
    ),
    ("feature_id",),
    ("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
    "Airport, ports, expressways, bridges.",
)

OCCUPANCY_HISTORY = LayerSchema(
    "occupancy_history",
    (
        Column("scope", "str", allowed=OCCUPANCY_SCOPE),
        Column("park_id", "str", nullable=True, description="empty for scope 'city'"),
        Column("as_of", "date"),
        _precision("as_of"),
        Column("occupancy_pct", "float", min=0, max=100),
        Column("basis", "str", allowed=FIGURE_BASIS),
        Column("note", "str", nullable=True),
        *_source(),
    ),
    ("scope", "park_id", "as_of", "source"),
    None,
    "Occupancy by park (and city average) and date.",
)

BERTH_STATUS_HISTORY = LayerSchema(
    "berth_status_history",
    (
        Column("berth_no", "int", min=1, max=1_000),
        Column("as_of", "date", description="date the status took effect (or was reported)"),
        _precision("as_of"),
        Column("status", "str", allowed=BERTH_STATUS),
        Column("event", "str", nullable=True),
        Column("expected", "str", nullable=True, description="expected next step, as worded"),
        *_source(),
    ),
    ("berth_no", "as_of", "source"),
    None,
    "Status of each berth over time; the latest row on or before a date is its status then.",
)


def _indicator_table(name: str, metrics: tuple[str, ...], description: str) -> LayerSchema:
    return LayerSchema(
        name,
        (
            Column("period", "str", description="e.g. '10 months 2023'"),
            Column("period_end", "date"),
            Column("metric", "str", allowed=metrics),
            Column("value", "float", min=0, max=MAX_INDICATOR),
            Column("unit", "str"),
            Column("plan", "float", nullable=True, min=0, max=MAX_INDICATOR),
            Column("pct_of_plan", "float", nullable=True, min=0, max=10_000),
            Column("basis", "str", allowed=FIGURE_BASIS),
            Column("park_id", "str", nullable=True, required=False, description="empty for city-wide figures"),
            Column("note", "str", nullable=True),
            *_source(),
        ),
        ("period", "metric", "park_id", "source"),
        None,
        description,
    )


INVESTMENT = _indicator_table(
    "investment", INVESTMENT_METRICS, "FDI (million USD) and DDI (billion VND) by period."
)
ENTERPRISE = _indicator_table(
    "enterprise", ENTERPRISE_METRICS, "Revenue, trade, budget and workers of enterprises in the zones."
)

INVESTORS = LayerSchema(
    "investors",
    (
        Column("investor_id", "str"),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        Column("country", "str", nullable=True, description="ISO 3166-1 alpha-2 code, e.g. KR"),
        Column("kind", "str", allowed=INVESTOR_KIND),
        Column("amount_musd", "float", nullable=True, min=0, max=100_000,
               description="million USD; empty if not reported"),
        Column("period", "str", description="as the report words it, e.g. 'year 2023', 'April 2024'"),
        Column("period_end", "date"),
        Column("park_id", "str", nullable=True, description="park of the project, where a source names it"),
        Column("note", "str", nullable=True),
        *_source(),
    ),
    ("investor_id", "period", "source"),
    None,
    "Investors the reports name, with the amount where given (new projects, capital increases, certificates).",
)

def _group(group: str) -> tuple[Column, ...]:
    """A passport group's date (as precise as its source) and provenance: ``land_as_of``, ``land_source``…"""
    return (
        Column(f"{group}_as_of", "date", nullable=True, description=f"when the {group} figures were published"),
        _precision(f"{group}_as_of"),
        *_source(f"{group}_", nullable=True),
    )


def _amount(name: str, maximum: float, description: str, dtype: Dtype = "float") -> Column:
    return Column(name, dtype, nullable=True, min=0, max=maximum, description=description)


PASSPORTS = LayerSchema(
    "passports",
    (
        Column("park_id", "str"),
        # land
        _amount("lease_price_min_usd_m2", MAX_PRICE_USD_M2, "lowest land lease price, USD/m² for the whole term"),
        _amount("lease_price_max_usd_m2", MAX_PRICE_USD_M2, "highest land lease price, USD/m² for the whole term"),
        Column("land_term_end_year", "int", nullable=True, min=1990, max=2150,
               description="the year the park's land-use term ends"),
        _amount("min_plot_ha", MAX_PLOT_HA, "smallest plot the developer leases, ha"),
        _amount("rbf_free_m2", MAX_CAPACITY, "ready-built factory floor free to rent, m²"),
        _amount("rbf_rent_usd_m2_month", MAX_FEE_USD, "ready-built factory rent, USD/m²/month"),
        _amount("management_fee_usd_m2_year", MAX_FEE_USD, "management fee, USD/m²/year"),
        *_group("land"),
        # utilities
        _amount("power_substation_kv", 1_000.0, "the park's substation voltage, kV"),
        _amount("power_available_mw", 100_000.0, "power available to new tenants, MW"),
        _amount("power_tariff_usd_kwh", MAX_FEE_USD, "power tariff as published, USD/kWh"),
        _amount("water_capacity_m3_day", MAX_CAPACITY, "water supply capacity, m³/day"),
        _amount("water_free_m3_day", MAX_CAPACITY, "water supply not yet taken, m³/day"),
        _amount("water_tariff_usd_m3", MAX_FEE_USD, "water tariff as published, USD/m³"),
        _amount("wastewater_capacity_m3_day", MAX_CAPACITY, "wastewater treatment capacity, m³/day"),
        _amount("wastewater_free_m3_day", MAX_CAPACITY, "wastewater treatment not yet taken, m³/day"),
        Column("wastewater_standard", "str", nullable=True, allowed=WASTEWATER_STANDARD,
               description="the QCVN 40:2011/BTNMT column the treated water meets"),
        _amount("wastewater_fee_usd_m3", MAX_FEE_USD, "wastewater fee as published, USD/m³"),
        *_group("utilities"),
        # planning
        Column("permitted_sectors", "str", nullable=True,
               description="the sectors the park's zoning admits, ';'-separated (schema SECTORS); "
                           "empty: not published"),
        Column("readiness", "str", nullable=True, allowed=PLOT_READINESS),
        Column("ready_by", "date", nullable=True, description="when the land will be ready to build, where not yet"),
        _precision("ready_by"),
        Column("ground_level_m", "float", nullable=True, min=-20, max=200,
               description="finished ground level, m above the national datum"),
        Column("flood_note", "str", nullable=True, description="flood risk or levelling, as worded by the source"),
        *_group("planning"),
        Column("note", "str", nullable=True),
    ),
    ("park_id",),
    None,
    "The investor's passport of each park: land (price, term, plots, ready-built factories, fees), utilities "
    "(power, water, wastewater) and planning (sectors, readiness, ground level), each group with its own date and "
    "source. An empty figure is not published: the app says so and offers to ask HEZA.",
)

#: the figures of each passport group (:data:`PASSPORT_GROUPS`): a row with any of them must say the group's
#: date (``<group>_as_of``) and the kind of its source (``<group>_source_kind``); a group with none may say neither
PASSPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "land": ("lease_price_min_usd_m2", "lease_price_max_usd_m2", "land_term_end_year", "min_plot_ha", "rbf_free_m2",
             "rbf_rent_usd_m2_month", "management_fee_usd_m2_year"),
    "utilities": ("power_substation_kv", "power_available_mw", "power_tariff_usd_kwh", "water_capacity_m3_day",
                  "water_free_m3_day", "water_tariff_usd_m3", "wastewater_capacity_m3_day", "wastewater_free_m3_day",
                  "wastewater_standard", "wastewater_fee_usd_m3"),
    "planning": ("permitted_sectors", "readiness", "ready_by", "ground_level_m", "flood_note"),
}

INCENTIVES = LayerSchema(
    "incentives",
    (
        Column("incentive_id", "str"),
        Column("regime", "str", allowed=INCENTIVE_REGIME),
        Column("zone_id", "str", nullable=True,
               description="the economic zone the text is for; empty: every park of the regime"),
        *(Column(f"text_{lang}", "str", nullable=True, description=f"the incentives, in {lang}, as staff wrote them")
          for lang in ("vi", "en", "ko", "ja", "zh")),
        Column("as_of", "date"),
        _precision("as_of"),
        *_source(),
    ),
    ("incentive_id",),
    None,
    "The incentive regime of an economic zone or of the industrial parks outside one, as text in each language.",
)

CONTACTS = LayerSchema(
    "contacts",
    (
        Column("contact_id", "str"),
        Column("park_id", "str", nullable=True, description="empty: for every park (HEZA's investment-promotion desk)"),
        Column("role", "str", allowed=CONTACT_ROLE),
        Column("organisation", "str"),
        Column("person", "str", nullable=True),
        Column("phone", "str", nullable=True),
        Column("email", "str", nullable=True),
        Column("website", "str", nullable=True),
        Column("languages", "str", nullable=True, description="languages spoken, ';'-separated ISO 639-1 codes"),
        Column("as_of", "date", nullable=True),
        _precision("as_of"),
        *_source(),
    ),
    ("contact_id",),
    None,
    "Whom an investor calls: each park developer's sales office and HEZA's investment-promotion desk.",
)

SOURCE_NOTES = LayerSchema(
    "source_notes",
    (
        Column("topic", "str"),
        Column("subject_id", "str", nullable=True),
        Column("note_vi", "str"),
        Column("note_en", "str"),
        *_source(),
    ),
    ("topic", "subject_id", "source"),
    None,
    "Caveats and conflicts between sources, shown next to the figures they concern.",
)

LAYERS: dict[str, LayerSchema] = {
    s.name: s
    for s in (
        ZONES,
        PARKS,
        PLOTS,
        BERTHS,
        HOUSING,
        CONNECTIVITY,
        OCCUPANCY_HISTORY,
        BERTH_STATUS_HISTORY,
        INVESTMENT,
        ENTERPRISE,
        SOURCE_NOTES,
        INVESTORS,
        PASSPORTS,
        INCENTIVES,
        CONTACTS,
    )
}

#: (layer, column) -> (referenced layer, referenced column); checked when a dataset is loaded.
FOREIGN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("parks", "zone_id"): ("zones", "zone_id"),
    ("plots", "park_id"): ("parks", "park_id"),
    ("housing", "park_id"): ("parks", "park_id"),
    ("occupancy_history", "park_id"): ("parks", "park_id"),
    ("berth_status_history", "berth_no"): ("berths", "berth_no"),
    ("investment", "park_id"): ("parks", "park_id"),
    ("investors", "park_id"): ("parks", "park_id"),
    ("passports", "park_id"): ("parks", "park_id"),
    ("incentives", "zone_id"): ("zones", "zone_id"),
    ("contacts", "park_id"): ("parks", "park_id"),
}
