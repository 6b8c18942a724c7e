"""The shape of every layer and table, in one place.

The loader, the validators, the importers, the exports and the generator of the demo data all
read these definitions; nothing else in the package spells out a column list or an allowed value.

Conventions
-----------
* Geometry is stored in WGS84 (EPSG:4326); areas and distances are computed in UTM zone 48N
  (EPSG:32648), which covers Hai Phong (106-108 E).
* Every record carries ``source``: a HEZA report file name (``001_7f014fdbc8afe3e1.txt``), a
  public-news citation (``news: vietnamplus.vn``), ``approximate`` (placed from public knowledge)
  or ``synthetic demo`` (made up to exercise the app). Geometry also carries ``geometry_quality``.
* Occupancy is ``leased / leasable`` where leasable = leased + available + reserved plots;
  ``infrastructure`` plots (roads, green, utilities) are not leasable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:32648"

#: lon/lat envelope of Hai Phong after the 2025 merger with Hai Duong, with a margin; a feature
#: outside it is almost always swapped lat/lon or a projected CRS read as degrees.
HAI_PHONG_BOUNDS: tuple[float, float, float, float] = (105.9, 20.4, 107.3, 21.3)

REPORT_FILES: dict[str, str] = {
    "000_0348db918e8c2867.txt": "2024-10-21",
    "001_7f014fdbc8afe3e1.txt": "2023-10-14",
    "002_03c113ee68876e37.txt": "2024-11-30",
    "003_c29c595c5ac2d704.txt": "2023-12-18",
    "004_7c364edc3c1b17af.txt": "2023-02-03",
}
APPROXIMATE = "approximate"
SYNTHETIC = "synthetic demo"

ProvenanceKind = Literal["report", "news", "approximate", "synthetic demo", "other"]


def provenance_kind(source: object) -> ProvenanceKind:
    """Classify a ``source`` value, so the app can badge official figures apart from demo ones.

    A missing source (None, an empty cell, a NaN read from a file) is "other", never an error.

    >>> provenance_kind(float("nan")), provenance_kind("synthetic demo")
    ('other', 'synthetic demo')
    """
    text = source.strip() if isinstance(source, str) else ""
    if not text:
        return "other"
    if any(name in text for name in REPORT_FILES):
        return "report"
    if text.startswith("news:"):
        return "news"
    if text == APPROXIMATE or text.startswith(APPROXIMATE):
        return "approximate"
    if text == SYNTHETIC or text.startswith(SYNTHETIC):
        return "synthetic demo"
    return "other"


# --- allowed values ---------------------------------------------------------------------------
GEOMETRY_QUALITY = ("surveyed", "digitised", "approximate", "synthetic demo")
ZONE_STATUS = ("established", "proposed")
PARK_STATUS = ("established", "planned")
#: ``full`` = "cơ bản lấp đầy"; ``operating`` is for parks (e.g. of former Hai Duong) with no stage.
PARK_STAGE = ("full", "site_clearance", "building_infrastructure", "operating", "planned")
PROVINCE_BEFORE_2025 = ("Hải Phòng", "Hải Dương")
PLOT_STATUS = ("leased", "available", "reserved", "infrastructure")
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

    @property
    def is_table(self) -> bool:
        return self.geometry_types is None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def confidential_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.confidential]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"layer {self.name!r} has no column {name!r}")


def _source() -> Column:
    return Column("source", "str", description="report file, 'news: site', 'approximate' or 'synthetic demo'")


def _quality() -> Column:
    return Column("geometry_quality", "str", allowed=GEOMETRY_QUALITY)


_POLYGONS = ("Polygon", "MultiPolygon")

ZONES = LayerSchema(
    "zones",
    (
        Column("zone_id", "str"),
        Column("name_vi", "str"),
        Column("name_en", "str"),
        Column("status", "str", allowed=ZONE_STATUS),
        Column("area_ha", "float", nullable=True, min=0, max=MAX_ZONE_HA),
        Column("area_source", "str", nullable=True),
        Column("decision", "str", nullable=True),
        Column("note", "str", nullable=True),
        _source(),
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
        Column("zone_id", "str", nullable=True, description="economic zone the park lies in"),
        Column("province_before_2025", "str", allowed=PROVINCE_BEFORE_2025),
        Column("district", "str", description="pre-2025 district, kept as a familiar grouping"),
        Column("commune", "str", nullable=True),
        Column("status", "str", allowed=PARK_STATUS),
        Column("stage", "str", allowed=PARK_STAGE),
        Column("stage_source", "str", nullable=True),
        Column("area_ha", "float", min=0, max=MAX_PARK_HA, description="declared area; the polygon is approximate"),
        Column("area_source", "str"),
        Column("developer", "str", nullable=True),
        Column("developer_contact", "str", nullable=True),
        Column("note", "str", nullable=True),
        _source(),
        _quality(),
    ),
    ("park_id",),
    _POLYGONS,
    "Industrial parks (KCN), established and planned; any number of them.",
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
        _source(),
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
        _source(),
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
        _source(),
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
        _source(),
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
        Column("occupancy_pct", "float", min=0, max=100),
        Column("basis", "str", allowed=FIGURE_BASIS),
        Column("note", "str", nullable=True),
        _source(),
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
        Column("status", "str", allowed=BERTH_STATUS),
        Column("event", "str", nullable=True),
        Column("expected", "str", nullable=True, description="expected next step, as worded"),
        _source(),
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
            _source(),
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
        _source(),
    ),
    ("investor_id", "period", "source"),
    None,
    "Investors the reports name, with the amount where given (new projects, capital increases, certificates).",
)

SOURCE_NOTES = LayerSchema(
    "source_notes",
    (
        Column("topic", "str"),
        Column("subject_id", "str", nullable=True),
        Column("note_vi", "str"),
        Column("note_en", "str"),
        _source(),
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
}
