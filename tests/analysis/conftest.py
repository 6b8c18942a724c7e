"""The tiny dataset of tests/conftest.py as the merged city has it: one more park, of the former Hải
Dương (the west region), that no source places.

Park U ("KCN Ươm Thử", district D3, stage ``operating``) has no geometry (``geometry_quality``
``unplaced``), no published area and no plots; public news gives it 90% occupancy for the year
2024 (an estimate, precision ``year``). Everything else is the tiny dataset: A, B (established)
and C (planned) in the east region (old Hải Phòng).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from heza_geo.schema import UNPLACED, WGS84
from tests.conftest import tiny_frames, write_dataset

UNPLACED_PARK = {
    "park_id": "U",
    "name_vi": "KCN Ươm Thử",
    "name_en": "Uom Thu IP",
    "name_short": "Uom Thu",
    "zone_id": None,
    "province_before_2025": "Hải Dương",
    "district": "D3",
    "commune": None,
    "status": "established",
    "stage": "operating",
    "stage_source_kind": "news",
    "stage_source": "example.vn 2024",
    "area_ha": None,
    "area_source_kind": None,
    "area_source": None,
    "developer": None,
    "developer_contact": None,
    "note": None,
    "source_kind": "news",
    "source": "example.vn 2024",
    "geometry_quality": UNPLACED,
}
#: U's occupancy figure: public news, known to the year
U_OCCUPANCY = {"scope": "park", "park_id": "U", "as_of": "2024-01-01", "as_of_precision": "year",
               "occupancy_pct": 90.0, "basis": "estimate", "note": None, "source_kind": "news",
               "source": "example.vn 2024"}


def merged_frames() -> dict[str, pd.DataFrame]:
    """:func:`tests.conftest.tiny_frames` with park U (no position, no area, no plots) and its figure."""
    frames = tiny_frames()
    parks = frames["parks"].assign(name_short=None)
    unplaced = gpd.GeoDataFrame([UNPLACED_PARK], geometry=gpd.GeoSeries([None], crs=WGS84), crs=WGS84)
    frames["parks"] = gpd.GeoDataFrame(pd.concat([parks, unplaced], ignore_index=True), geometry="geometry",
                                       crs=WGS84)
    history = frames["occupancy_history"].assign(as_of_precision=None)
    frames["occupancy_history"] = pd.concat([history, pd.DataFrame([U_OCCUPANCY])], ignore_index=True)
    return frames


@pytest.fixture(scope="module")
def merged_shared(tmp_path_factory: pytest.TempPathFactory):
    """:func:`merged_frames` written and loaded as the app loads data (validated), once per module;
    tests must not modify it."""
    from heza_geo.io import load_dataset

    return load_dataset(write_dataset(tmp_path_factory.mktemp("merged") / "data", merged_frames()))
