"""Loading a data directory: the whole of it or nothing, with precise messages."""

from __future__ import annotations

import pytest

from heza_geo.errors import DataError
from heza_geo.io import find_sources, load_dataset, load_layer
from tests.conftest import tiny_frames, write_dataset


def test_loads_every_layer_typed_in_wgs84(tiny_data):
    assert len(tiny_data.parks) == 3 and len(tiny_data.plots) == 7
    assert str(tiny_data.plots.crs) == "EPSG:4326"
    assert tiny_data.berth_status_history["as_of"].dtype.kind == "M"
    assert tiny_data.berths["berth_no"].tolist() == [1, 2]
    assert tiny_data.sources["parks"].layer == "parks"


def test_version_changes_when_a_file_changes(tiny_dir):
    before = load_dataset(tiny_dir).version
    csv = tiny_dir / "occupancy_history.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("71.4", "72.0"), encoding="utf-8")
    assert load_dataset(tiny_dir).version != before


def test_dedicated_file_wins_over_the_geopackage_layer(tiny_dir):
    parks = tiny_frames()["parks"].iloc[:2]
    parks.to_file(tiny_dir / "parks.geojson", driver="GeoJSON")
    frames = dict(tiny_frames(), parks=parks)
    frames["plots"] = frames["plots"][frames["plots"]["park_id"] != "C"]
    assert find_sources(tiny_dir)[0]["parks"].path.name == "parks.geojson"
    assert len(load_dataset(tiny_dir).parks) == 2


def test_optional_layers_may_be_absent(tmp_path):
    frames = {k: v for k, v in tiny_frames().items() if k in ("parks", "zones")}
    data = load_dataset(write_dataset(tmp_path / "d", frames))
    assert len(data.parks) == 3 and data.housing.empty and "park_id" in data.plots.columns


def test_missing_parks_layer_is_reported(tmp_path):
    data_dir = write_dataset(tmp_path / "d", {"zones": tiny_frames()["zones"]})
    with pytest.raises(DataError) as err:
        load_dataset(data_dir)
    assert "layer 'parks': no file for this layer" in str(err.value)


def test_truncated_geopackage_gives_one_line_naming_the_file(tiny_dir):
    gpkg = tiny_dir / "heza.gpkg"
    gpkg.write_bytes(gpkg.read_bytes()[:3000])
    with pytest.raises(DataError) as err:
        load_dataset(tiny_dir)
    assert str(err.value).startswith(f"{gpkg}: cannot be read as a GeoPackage")
    assert "\n" not in str(err.value)


def test_broken_geojson_is_reported_with_its_name(tiny_dir):
    (tiny_dir / "housing.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(tiny_dir)
    assert str(err.value).startswith(f"{tiny_dir / 'housing.geojson'}, layer 'housing': cannot be read")
    assert "\n" not in str(err.value)


def test_non_utf8_csv_is_reported(tiny_dir):
    latin = "topic,subject_id,note_vi,note_en,source\nx,,café,port,a\n".encode("latin-1")
    (tiny_dir / "source_notes.csv").write_bytes(latin)
    with pytest.raises(DataError) as err:
        load_dataset(tiny_dir)
    assert "source_notes.csv, layer 'source_notes': is not UTF-8 text" in str(err.value)


def test_unknown_park_reference_is_reported(tiny_dir):
    csv = tiny_dir / "occupancy_history.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("park,B,", "park,Z9,"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(tiny_dir)
    assert str(err.value) == (
        f"{csv}, layer 'occupancy_history', row 3, field 'park_id': 'Z9' is not a known park_id of layer 'parks'"
    )


def test_failed_load_leaves_the_files_untouched(tiny_dir, tmp_path):
    csv = tiny_dir / "occupancy_history.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("63.25", "163.25"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tiny_dir.iterdir()}
    with pytest.raises(DataError):
        load_dataset(tiny_dir)
    assert {p.name: p.read_bytes() for p in tiny_dir.iterdir()} == before


def test_csv_layer_with_lat_lon_columns(tmp_path):
    path = tmp_path / "housing.csv"
    frame = tiny_frames()["housing"]
    table = frame.drop(columns="geometry").assign(lon=frame.geometry.x, lat=frame.geometry.y)
    table.to_csv(path, index=False)
    loaded = load_layer(path, "housing")
    assert loaded.geometry.iloc[0].distance(frame.geometry.iloc[0]) < 1e-9


def test_not_a_directory(tmp_path):
    with pytest.raises(DataError, match="is not a directory"):
        load_dataset(tmp_path / "nope")


def test_a_vrt_in_the_data_directory_is_not_followed(tiny_dir, tmp_path):
    """Each file is opened with the driver its name announces: a VRT named .geojson, .gpkg or .shp reads nothing."""
    from heza_geo.io import Source, read_source
    from heza_geo.schema import LAYERS

    secret = tmp_path / "secret.csv"
    secret.write_text("name,value\nroot,TOP-SECRET-io\n", encoding="utf-8")
    document = (f'<OGRVRTDataSource><OGRVRTLayer name="source_notes"><SrcDataSource>{secret}</SrcDataSource>'  # noqa: S608 - the attack under test
                "<SrcSQL>SELECT name AS topic, value AS note_vi FROM secret</SrcSQL></OGRVRTLayer></OGRVRTDataSource>")
    for name, expected in (("housing.geojson", "is not GeoJSON"), ("housing.gpkg", "is not a GeoPackage"),
                           ("housing.shp", "is not a Shapefile"), ("housing.fgb", "is not a FlatGeobuf file")):
        path = tiny_dir / name
        path.write_text(document, encoding="utf-8")
        frame, problems = read_source(Source(path), LAYERS["housing"])
        assert frame is None and expected in str(problems[0]) and "TOP-SECRET-io" not in str(problems[0]), name
        path.unlink()
    (tiny_dir / "housing.geojson").write_text(document, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(tiny_dir)
    assert "housing.geojson, layer 'housing': is not GeoJSON" in str(err.value)
    assert "TOP-SECRET-io" not in str(err.value)


def test_a_file_that_cannot_be_read_is_named_in_the_readers_language_with_gdals_words_marked(tiny_dir):
    from heza_geo import i18n
    from heza_geo.io import Source, read_source
    from heza_geo.schema import LAYERS

    gpkg = tiny_dir / "heza.gpkg"
    gpkg.write_bytes(gpkg.read_bytes()[:3000])
    [broken] = find_sources(tiny_dir)[1]
    gdal = dict(broken.params)["library"]
    assert broken.key == "problem.not_a_geopackage" and broken.message.endswith(gdal)
    assert i18n.problem_text(broken, "vi") == (
        f"không đọc được dưới dạng GeoPackage; chi tiết: (Bản gốc tiếng Anh) “{gdal}”")
    (tiny_dir / "housing.geojson").write_text("<OGRVRTDataSource/>", encoding="utf-8")
    _, [refused] = read_source(Source(tiny_dir / "housing.geojson"), LAYERS["housing"])
    assert refused.key == "problem.geojson_is_xml" and refused.message.startswith("is not GeoJSON")
    assert i18n.problem_text(refused, "vi").startswith("không phải là GeoJSON: đây là tài liệu XML")
