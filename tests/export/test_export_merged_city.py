"""Exports of the merged city: parks with no position are in every table, with an empty geometry, and
never drawn; maps frame the placed parks, east and west.

Dataset: ``merged`` (tests/maps/conftest.py): the tiny city plus W (placed, 40 km west), U (established,
stage approved, no position, no area) and V (planned, no position). Snapshots use the static renderer;
tests/e2e/test_export_html.py draws in the browser.
"""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from PIL import Image
from pypdf import PdfReader

from heza_geo import styling
from heza_geo.analysis.selection import select
from heza_geo.export import ExportOptions, export, parse_size, static
from heza_geo.maps import assets
from heza_geo.view import Filters, MapView
from tests.conftest import write_dataset
from tests.export.test_data import raw_sheet
from tests.maps.conftest import UNPLACED_IDS, merged_frames

ALL_PARKS = ["A", "B", "C", "W", "U", "V"]


@pytest.fixture(scope="module")
def merged_dir_cli(tmp_path_factory: pytest.TempPathFactory):
    return write_dataset(tmp_path_factory.mktemp("merged") / "data", merged_frames())


@pytest.fixture(scope="module")
def merged(merged_dir_cli):
    from heza_geo.io import load_dataset

    return load_dataset(merged_dir_cli)


@pytest.fixture(autouse=True)
def static_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEZA_EXPORT_RENDERER", "static")


PARKS = MapView(lang="en", layers=("parks",))


def test_csv_lists_every_park_and_leaves_the_position_of_an_unplaced_one_empty(merged, tmp_path):
    out = tmp_path / "parks.csv"
    export(merged, Filters(), PARKS, "csv", out)
    table = pd.read_csv(io.BytesIO(out.read_bytes()), encoding="utf-8-sig")
    assert sorted(table["park_id"]) == sorted(ALL_PARKS)
    unplaced = table[table["park_id"].isin(UNPLACED_IDS)]
    assert unplaced["lon"].isna().all() and unplaced["lat"].isna().all()
    assert set(unplaced["geometry_quality"]) == {"unplaced"}
    assert table.loc[table["park_id"] == "W", "lon"].notna().all()


def test_csv_zip_of_several_layers_keeps_the_unplaced_parks(merged, tmp_path):
    out = tmp_path / "data.zip"
    export(merged, Filters(), MapView(lang="en", layers=("parks", "plots")), "csv", out)
    with zipfile.ZipFile(out) as archive:
        parks = pd.read_csv(io.BytesIO(archive.read("parks.csv")), encoding="utf-8-sig")
    assert set(UNPLACED_IDS) <= set(parks["park_id"])


def test_xlsx_lists_every_park_with_an_empty_position_where_there_is_none(merged, tmp_path):
    out = tmp_path / "parks.xlsx"
    export(merged, Filters(), PARKS, "xlsx", out)
    parks = raw_sheet(out, "parks")
    assert sorted(parks["park_id"]) == sorted(ALL_PARKS)
    assert parks.loc[parks["park_id"].isin(UNPLACED_IDS), ["lon", "lat"]].isna().all().all()
    assert parks.loc[parks["park_id"] == "U", "area_ha"].isna().all()


def test_geojson_gives_an_unplaced_park_a_null_geometry(merged, tmp_path):
    out = tmp_path / "parks.geojson"
    export(merged, Filters(), PARKS, "geojson", out)
    features = {f["properties"]["park_id"]: f for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert sorted(features) == sorted(ALL_PARKS)
    for park_id in UNPLACED_IDS:
        assert features[park_id]["geometry"] is None
        assert features[park_id]["properties"]["geometry_quality"] == "unplaced"
    assert features["W"]["geometry"]["type"] == "Polygon"


def test_geopackage_keeps_an_unplaced_park_with_a_null_geometry(merged, tmp_path):
    out = tmp_path / "parks.gpkg"
    export(merged, Filters(), PARKS, "gpkg", out)
    parks = gpd.read_file(out, layer="parks")
    assert sorted(parks["park_id"]) == sorted(ALL_PARKS)
    assert parks.loc[parks["park_id"].isin(UNPLACED_IDS)].geometry.isna().all()
    assert parks.loc[~parks["park_id"].isin(UNPLACED_IDS)].geometry.notna().all()
    assert [name for name, _ in pyogrio.list_layers(out)] == ["parks", "passports", "contacts", "incentives", "sources"]


def test_a_geopackage_of_only_unplaced_parks_is_still_written(merged, tmp_path):
    out = tmp_path / "unplaced.gpkg"
    export(merged, Filters(parks=UNPLACED_IDS), PARKS, "gpkg", out)
    parks = gpd.read_file(out, layer="parks")
    assert sorted(parks["park_id"]) == sorted(UNPLACED_IDS) and parks.geometry.isna().all()


def test_the_static_map_frames_the_placed_parks_east_and_west(merged):
    selection = select(merged, Filters(), MapView(lang="en"), land=None)
    minx, _, maxx, _ = static.extent(selection, 1440, 900)
    placed = selection.parks.dropna(subset=["geometry"]).to_crs(static.MERCATOR).total_bounds
    assert minx < placed[0] and maxx > placed[2]
    assert np.isfinite([minx, maxx]).all()


def test_a_png_of_only_unplaced_parks_draws_the_city_without_error(merged, tmp_path):
    out = tmp_path / "map.png"
    view = MapView(lang="en", colour_by="stage")
    export(merged, Filters(parks=UNPLACED_IDS), view, "png", out, ExportOptions(size=parse_size("800x600")),
           selection=select(merged, Filters(parks=UNPLACED_IDS), view, land=None))
    assert Image.open(out).size == (800, 600)


def test_a_png_of_a_selected_unplaced_park_draws_the_placed_parks(merged, tmp_path):
    out = tmp_path / "map.png"
    view = MapView(lang="en", layers=("parks",), colour_by="stage", selected_park="U")
    export(merged, Filters(), view, "png", out, ExportOptions(size=parse_size("800x600")),
           selection=select(merged, Filters(), view, land=None))
    image = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3)
    operating = np.array([int(styling.STAGE_COLOURS["operating"][i:i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(image.astype(int) - operating).sum(axis=1) < 60).sum() > 20  # W, coloured by its stage


def test_pdf_atlas_gives_an_unplaced_park_a_page_without_a_map(merged, tmp_path):
    out = tmp_path / "atlas.pdf"
    view = MapView(lang="en")
    export(merged, Filters(parks=("W", "U")), view, "pdf", out, ExportOptions(atlas=True),
           selection=select(merged, Filters(parks=("W", "U")), view, land=None))
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) == 3
    west, unplaced = pages[1:]
    assert west.startswith("West IP") and "No position yet" not in west
    assert unplaced.startswith("Unplaced IP") and "No position yet" in unplaced
    assert "Established, no work reported yet" in unplaced  # its stage, approved


def test_pdf_sheet_lists_every_park_in_its_table(merged, tmp_path):
    out = tmp_path / "sheet.pdf"
    view = MapView(lang="en")
    export(merged, Filters(), view, "pdf", out, selection=select(merged, Filters(), view, land=None))
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for name in ("West IP", "Unplaced IP", "Planned Unplaced IP"):
        assert name in text


def test_standalone_html_draws_only_placed_parks(merged, tmp_path):
    if assets.missing_assets():
        pytest.skip("static/vendor not installed (make setup)")
    out = tmp_path / "map.html"
    export(merged, Filters(), MapView(lang="en"), "html", out)
    page = out.read_text(encoding="utf-8")
    assert "West IP" in page and "Unplaced IP" not in page


def test_a_print_unfolds_the_legend_the_app_folds_on_a_small_map(merged):
    from heza_geo.export import snapshot

    selection = select(merged, Filters(), MapView(lang="en"), land=None)
    cap = snapshot.caption(selection, {})
    printed = snapshot.snapshot_map(selection, cap, for_print=True).get_root().render()
    interactive = snapshot.snapshot_map(selection, cap, for_print=False).get_root().render()
    assert ".open = false" in printed and ".open = true" in printed  # folded when small, then unfolded for print
    assert ".open = true" not in interactive


def test_the_cli_exports_one_region_of_the_merged_city(merged_dir_cli, tmp_path, capsys):
    from heza_geo import cli

    out = tmp_path / "west.geojson"
    args = ["export", "--data", str(merged_dir_cli), "--format", "geojson", "--out", str(out), "--layers", "parks",
            "--region", "Hải Dương", "--lang", "en"]
    assert cli.main(args) == 0, capsys.readouterr().err
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["park_id"] for f in features) == ["U", "V", "W"]  # unplaced ones too


def test_the_cli_refuses_a_region_that_is_not_one(merged_dir_cli, tmp_path, capsys):
    from heza_geo import cli

    args = ["export", "--data", str(merged_dir_cli), "--format", "csv", "--out", str(tmp_path / "x.csv"),
            "--layers", "parks", "--region", "Hà Nội"]
    assert cli.main(args) == 2
    assert "regions" in capsys.readouterr().err


def test_the_filters_line_names_the_region_in_the_readers_words(merged):
    from heza_geo.export import tables

    selection = select(merged, Filters(regions=("Hải Dương",)), MapView(lang="en"), land=None)
    assert tables.filters_line(selection, {}) == "Region: West (former Hai Duong)"
    selection = select(merged, Filters(regions=("Hải Dương",)), MapView(lang="vi"), land=None)
    assert tables.filters_line(selection, {}).endswith("Miền Tây (Hải Dương cũ)")
