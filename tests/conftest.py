"""A tiny hand-made dataset whose indicators can be computed on paper.

Geometry is drawn in UTM 48N metres and converted to WGS84, so distances are round numbers:
park A is the 1 km square x 650,000–651,000, y 2,300,000–2,301,000; the airport is 2 km east
of its east edge; berth 1 (operating) lies 5 km east of it.

Land (ha):              leased   available  reserved  infrastructure  leasable  occupancy
  A (zone Z1, D1, full)   30+20      10        10          10            70      50/70 = 71.43%
  B (no zone, D1, site)    5         15         0           0            20       5/20 = 25%
  C (Z1, D2, planned)     —          —          —           —             0       None

Passports (investor's figures; C has none):
  A: lease 100–120 USD/m², term ends 2058, 110 kV and 20 MW, water 10,000 / 3,000 free, wastewater 8,000 / 2,000
     free (standard A), sectors electronics and logistics, ready to build
  B: lease 60–80 USD/m², term ends 2070, power not published, water 20,000 / 12,000 free, wastewater not published,
     sectors not published, infrastructure under way, ready 2027-06
Land and planning are synthetic demo (as of 2025); A's utilities are news (example.vn 05/04/2025), B's synthetic.
Incentives: one text for the economic zone Z1 (parks A and C); none for parks outside a zone (B).
Contacts: HEZA's desk (every park) and Dev A's sales office (park A), all synthetic demo at example domains.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from heza_geo.schema import METRIC_CRS, WGS84

X0, Y0 = 650_000, 2_300_000


def _utm(geoms: list) -> gpd.GeoSeries:
    return gpd.GeoSeries(geoms, crs=METRIC_CRS).to_crs(WGS84)


def tiny_frames() -> dict[str, pd.DataFrame]:
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["Z1"],
            "name_vi": ["KKT Thử"],
            "name_en": ["Test EZ"],
            "status": ["established"],
            "area_ha": [5000.0],
            "area_source_kind": ["approximate"],
            "area_source": ["drawn for the tests"],
            "decision": [None],
            "note": [None],
            "source_kind": ["approximate"],
            "source": ["drawn for the tests"],
            "geometry_quality": ["approximate"],
        },
        geometry=_utm([box(X0 - 5000, Y0 - 5000, X0 + 15000, Y0 + 5000)]),
    )
    parks = gpd.GeoDataFrame(
        {
            "park_id": ["A", "B", "C"],
            "name_vi": ["KCN Ánh Dương", "KCN Bình Minh", "KCN Cát Hải Mới"],
            "name_en": ["Anh Duong IP", "Binh Minh IP", "New Cat Hai IP"],
            "zone_id": ["Z1", None, "Z1"],
            "province_before_2025": ["Hải Phòng"] * 3,
            "district": ["D1", "D1", "D2"],
            "commune": [None] * 3,
            "status": ["established", "established", "planned"],
            "stage": ["full", "site_clearance", "planned"],
            "stage_source_kind": ["report", None, None],
            "stage_source": ["001_7f014fdbc8afe3e1.txt", None, None],
            "area_ha": [100.0, 20.0, 30.0],
            "area_source_kind": ["approximate"] * 3,
            "area_source": ["drawn for the tests"] * 3,
            "developer": ["Dev A", None, None],
            "developer_contact": [None] * 3,
            "note": [None] * 3,
            "source_kind": ["approximate"] * 3,
            "source": ["drawn for the tests"] * 3,
            "geometry_quality": ["approximate"] * 3,
        },
        geometry=_utm(
            [
                box(X0, Y0, X0 + 1000, Y0 + 1000),
                box(X0 - 3000, Y0, X0 - 2000, Y0 + 200),
                box(X0, Y0 + 3000, X0 + 500, Y0 + 3600),
            ]
        ),
    )
    plot_rows = [
        ("A-1", "A", "leased", 30.0, "Demo 1", "electronics"),
        ("A-2", "A", "leased", 20.0, "Demo 2", "logistics"),
        ("A-3", "A", "available", 10.0, None, None),
        ("A-4", "A", "reserved", 10.0, None, None),
        ("A-5", "A", "infrastructure", 10.0, None, None),
        ("B-1", "B", "leased", 5.0, "Demo 3", "electronics"),
        ("B-2", "B", "available", 15.0, None, None),
    ]
    plots = gpd.GeoDataFrame(
        pd.DataFrame(plot_rows, columns=["plot_id", "park_id", "status", "area_ha", "tenant", "sector"]).assign(
            source_kind="synthetic demo", source=None, geometry_quality="synthetic demo"
        ),
        geometry=_utm(
            [box(X0 + 100 * i, Y0, X0 + 100 * i + 90, Y0 + 900) for i in range(5)]
            + [box(X0 - 3000 + 400 * i, Y0, X0 - 2700 + 400 * i, Y0 + 150) for i in range(2)]
        ),
    )
    berths = gpd.GeoDataFrame(
        {
            "berth_no": [1, 2],
            "terminal": ["T1", "T1"],
            "operator": ["Op", None],
            "quay_m": [375.0, 375.0],
            "note": [None, None],
            "source_kind": ["approximate"] * 2,
            "source": ["drawn for the tests"] * 2,
            "geometry_quality": ["approximate"] * 2,
        },
        geometry=_utm(
            [
                LineString([(X0 + 6000, Y0), (X0 + 6000, Y0 + 1000)]),
                LineString([(X0 + 9000, Y0), (X0 + 9000, Y0 + 1000)]),
            ]
        ),
    )
    berth_history = pd.DataFrame(
        {
            "berth_no": [1, 2, 2],
            "as_of": ["2018", "2022-01-01", "2025-04-05"],
            "as_of_precision": ["year", None, None],
            "status": ["operating", "under_construction", "operating"],
            "event": ["opened", "construction started", "inaugurated"],
            "expected": [None, "end-2024", None],
            "source_kind": ["report", "report", "news"],
            "source": ["001_7f014fdbc8afe3e1.txt", "001_7f014fdbc8afe3e1.txt", "example.vn 05/04/2025"],
        }
    )
    connectivity = gpd.GeoDataFrame(
        {
            "feature_id": ["airport"],
            "kind": ["airport"],
            "name_vi": ["Sân bay"],
            "name_en": ["Airport"],
            "note": [None],
            "source_kind": ["approximate"],
            "source": ["drawn for the tests"],
            "geometry_quality": ["approximate"],
        },
        geometry=_utm([Point(X0 + 3000, Y0 + 500)]),
    )
    housing = gpd.GeoDataFrame(
        {
            "housing_id": ["H1"],
            "name_vi": ["Nhà ở công nhân"],
            "name_en": ["Worker housing"],
            "kind": ["worker_housing"],
            "location": [None],
            "park_id": ["A"],
            "capacity_people": [1000],
            "area_ha": [None],
            "status": ["proposed"],
            "status_note": [None],
            "as_of": ["2023-10-14"],
            "source_kind": ["report"],
            "source": ["001_7f014fdbc8afe3e1.txt"],
            "geometry_quality": ["approximate"],
        },
        geometry=_utm([Point(X0 + 1500, Y0 + 500)]),
    )
    occupancy = pd.DataFrame(
        {
            "scope": ["park", "park", "park", "city"],
            "park_id": ["A", "A", "B", None],
            "as_of": ["2022-12-31", "2023-10-14", "2023-10-14", "2023-10-14"],
            "occupancy_pct": [60.0, 71.4, 25.0, 63.25],
            "basis": ["synthetic demo", "reported", "synthetic demo", "reported"],
            "note": [None] * 4,
            "source_kind": ["synthetic demo", "report", "synthetic demo", "report"],
            "source": [None, "001_7f014fdbc8afe3e1.txt", None, "001_7f014fdbc8afe3e1.txt"],
        }
    )
    investment = pd.DataFrame(
        {
            "period": ["10 months 2023", "11 months 2024", "year 2023"],
            "period_end": ["2023-10-14", "2024-11-30", "2023-12-31"],
            "metric": ["fdi_total_musd", "fdi_total_musd", "fdi_total_musd"],
            "value": [3037.0, 2869.0, 3500.0],
            "unit": ["million USD"] * 3,
            "plan": [2000.0, 2000.0, None],
            "pct_of_plan": [151.85, 143.5, 175.0],
            "basis": ["reported", "reported", "estimate"],
            "note": [None] * 3,
            "source_kind": ["report"] * 3,
            "source": ["001_7f014fdbc8afe3e1.txt", "002_03c113ee68876e37.txt", "003_c29c595c5ac2d704.txt"],
        }
    )
    enterprise = pd.DataFrame(
        {
            "period": ["2023"],
            "period_end": ["2023-12-31"],
            "metric": ["workers"],
            "value": [180753.0],
            "unit": ["people"],
            "plan": [None],
            "pct_of_plan": [None],
            "basis": ["estimate"],
            "note": [None],
            "source_kind": ["report"],
            "source": ["001_7f014fdbc8afe3e1.txt"],
        }
    )
    notes = pd.DataFrame(
        {
            "topic": ["berth_count"],
            "subject_id": [None],
            "note_vi": ["003 nói 8 bến đang khai thác"],
            "note_en": ["003 says 8 berths operate"],
            "source_kind": ["report"],
            "source": ["003_c29c595c5ac2d704.txt"],
        }
    )
    nan = None
    passports = pd.DataFrame(
        {
            "park_id": ["A", "B"],
            "lease_price_min_usd_m2": [100.0, 60.0],
            "lease_price_max_usd_m2": [120.0, 80.0],
            "land_term_end_year": [2058, 2070],
            "min_plot_ha": [1.0, nan],
            "rbf_free_m2": [nan, nan],
            "rbf_rent_usd_m2_month": [nan, nan],
            "management_fee_usd_m2_year": [0.5, nan],
            "land_as_of": ["2025", "2025"],
            "land_as_of_precision": ["year", "year"],
            "land_source_kind": ["synthetic demo"] * 2,
            "land_source": [None] * 2,
            "power_substation_kv": [110.0, nan],
            "power_available_mw": [20.0, nan],
            "power_tariff_usd_kwh": [nan, nan],
            "water_capacity_m3_day": [10_000.0, 20_000.0],
            "water_free_m3_day": [3_000.0, 12_000.0],
            "water_tariff_usd_m3": [nan, nan],
            "wastewater_capacity_m3_day": [8_000.0, nan],
            "wastewater_free_m3_day": [2_000.0, nan],
            "wastewater_standard": ["A", None],
            "wastewater_fee_usd_m3": [nan, nan],
            "utilities_as_of": ["2025-04-05", "2025"],
            "utilities_as_of_precision": [None, "year"],
            "utilities_source_kind": ["news", "synthetic demo"],
            "utilities_source": ["example.vn 05/04/2025", None],
            "permitted_sectors": ["electronics;logistics", None],
            "readiness": ["ready", "infrastructure_under_way"],
            "ready_by": [None, "2027-06"],
            "ready_by_precision": [None, "month"],
            "ground_level_m": [3.5, nan],
            "flood_note": [None, None],
            "planning_as_of": ["2025", "2025"],
            "planning_as_of_precision": ["year", "year"],
            "planning_source_kind": ["synthetic demo"] * 2,
            "planning_source": [None] * 2,
            "note": [None, None],
        }
    )
    incentives = pd.DataFrame(
        {
            "incentive_id": ["ez-Z1"],
            "regime": ["economic_zone"],
            "zone_id": ["Z1"],
            "text_vi": ["Ưu đãi thử của KKT Thử"],
            "text_en": ["Test incentives of the Test EZ"],
            "text_ko": ["테스트 경제구역 인센티브"],
            "text_ja": ["テスト経済区の優遇"],
            "text_zh": ["测试经济区优惠"],
            "as_of": ["2024"],
            "as_of_precision": ["year"],
            "source_kind": ["synthetic demo"],
            "source": [None],
        }
    )
    contacts = pd.DataFrame(
        {
            "contact_id": ["heza-desk", "A-sales"],
            "park_id": [None, "A"],
            "role": ["heza_desk", "developer_sales"],
            "organisation": ["HEZA test desk", "Dev A"],
            "person": [None, "Sales team"],
            "phone": [None, None],
            "email": ["desk@example.com", "sales@example.com"],
            "website": ["heza.example", "deva.example"],
            "languages": ["vi;en;ja;ko", "vi;en"],
            "as_of": ["2025", "2025"],
            "as_of_precision": ["year", "year"],
            "source_kind": ["synthetic demo"] * 2,
            "source": [None] * 2,
        }
    )
    return {
        "zones": zones,
        "parks": parks,
        "plots": plots,
        "berths": berths,
        "housing": housing,
        "connectivity": connectivity,
        "occupancy_history": occupancy,
        "berth_status_history": berth_history,
        "investment": investment,
        "enterprise": enterprise,
        "source_notes": notes,
        "passports": passports,
        "incentives": incentives,
        "contacts": contacts,
    }


def write_dataset(directory: Path, frames: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write layers into ``heza.gpkg`` and tables as CSV, the layout of the default data."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in (frames or tiny_frames()).items():
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(directory / "heza.gpkg", layer=name, driver="GPKG")
        else:
            frame.to_csv(directory / f"{name}.csv", index=False)
    return directory


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture
def tiny_data(tiny_dir: Path):
    from heza_geo.io import load_dataset

    return load_dataset(tiny_dir)


@pytest.fixture(scope="module")
def tiny_shared(tmp_path_factory: pytest.TempPathFactory):
    """The tiny dataset loaded once per test module, for tests that only read it (faster than
    ``tiny_data``; a test that modifies frames must copy them or use ``tiny_data``)."""
    from heza_geo.io import load_dataset

    return load_dataset(write_dataset(tmp_path_factory.mktemp("tiny") / "data"))
