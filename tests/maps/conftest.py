"""The tiny dataset (tests/conftest.py) as a merged city: a placed park far west, parks with no position.

Besides A, B (established) and C (planned) it holds:

- ``W``: an established park 40 km west of A (x 610-611 km), placed, no plots: the former Hải Dương.
- ``U``: an established park with no position (geometry None, ``geometry_quality`` "unplaced"), stage
  ``approved``, no declared area: counted and listed, never drawn.
- ``V``: a planned park with no position either.

Imported by the export and UI tests too (``from tests.maps.conftest import merged_frames``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from heza_geo.schema import METRIC_CRS, UNPLACED, WGS84
from tests.conftest import tiny_frames, write_dataset

X0, Y0 = 650_000, 2_300_000
WEST_KM = 40
#: the parks of :func:`merged_frames` with no position
UNPLACED_IDS = ("U", "V")


def merged_frames() -> dict[str, pd.DataFrame]:
    frames = tiny_frames()
    parks = frames["parks"]
    template = parks.iloc[[0]].drop(columns="geometry")
    extra = pd.concat([template] * 3, ignore_index=True)
    extra["park_id"] = ["W", "U", "V"]
    extra["name_vi"] = ["KCN Phía Tây", "KCN Chưa Định Vị", "KCN Dự Kiến Chưa Định Vị"]
    extra["name_en"] = ["West IP", "Unplaced IP", "Planned Unplaced IP"]
    extra["province_before_2025"] = "Hải Dương"
    extra["zone_id"] = None
    extra["district"] = "D9"
    extra["status"] = ["established", "established", "planned"]
    extra["stage"] = ["operating", "approved", "planned"]
    extra["stage_source_kind"] = ["news", "news", None]
    extra["stage_source"] = ["example.vn 01/07/2025", "example.vn 01/07/2025", None]
    extra["area_ha"] = [100.0, None, 50.0]
    extra["area_source_kind"] = ["news", None, "news"]
    extra["area_source"] = ["example.vn 01/07/2025", None, "example.vn 01/07/2025"]
    extra["developer"] = None
    extra["geometry_quality"] = ["approximate", UNPLACED, UNPLACED]
    west = gpd.GeoSeries([box(X0 - WEST_KM * 1000, Y0, X0 - WEST_KM * 1000 + 1000, Y0 + 1000)],
                         crs=METRIC_CRS).to_crs(WGS84)
    geometry = gpd.GeoSeries([west.iloc[0], None, None], crs=WGS84)
    frames["parks"] = gpd.GeoDataFrame(pd.concat([pd.DataFrame(parks.drop(columns="geometry")), extra],
                                                 ignore_index=True),
                                       geometry=pd.concat([parks.geometry, geometry], ignore_index=True).values,
                                       crs=WGS84)
    return frames


@pytest.fixture(scope="module")
def merged_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("merged") / "data", merged_frames())


@pytest.fixture(scope="module")
def merged(merged_dir: Path):
    """The merged tiny dataset, loaded (and validated) as the app loads it; read only."""
    from heza_geo.io import load_dataset

    return load_dataset(merged_dir)
