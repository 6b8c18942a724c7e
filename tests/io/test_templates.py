"""Import templates: each one goes through the importer's own checks, and describes its columns.

Two stores: the tiny dataset (tests/conftest.py), which has none of the records the examples refer
to, so the only problems allowed there are unknown references; and the shipped data (geodata/),
where every example refers to real records (park ``dinh-vu``, zone ``dinh-vu-cat-hai``) and passes
clean, but for the berth status example, which names the berths template's example berth 99 on
purpose (see the module docstring of heza_geo.io.templates). Nothing is applied: prepare_import
writes nothing, so the stores are shared.
"""

from __future__ import annotations

import csv
import doctest
import io
import json
import string
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely import wkt
from shapely.geometry import shape

from heza_geo import i18n
from heza_geo.config import LANGUAGES
from heza_geo.errors import ExportError, HezaError
from heza_geo.io import templates
from heza_geo.io.importers import PreparedImport, apply_import, prepare_import
from heza_geo.io.templates import EXAMPLES, data_columns, describe_columns, formats, template
from heza_geo.schema import HAI_PHONG_BOUNDS, LAYERS, METRIC_CRS, WGS84, provenance_of
from heza_geo.store.gpkg import GeoPackageStore

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
CASES = [(layer, fmt) for layer in LAYERS for fmt in formats(layer)]
IDS = [f"{layer}.{fmt}" for layer, fmt in CASES]
#: examples that name another template's example record (berth 99, example-park, example-zone), by the field
#: naming it: refused until that record exists, so one imported by mistake changes nothing real
EXAMPLE_REFERENCES = {"berth_status_history": "berth_no", "passports": "park_id", "contacts": "park_id",
                      "incentives": "zone_id"}
#: problems a store without the examples' records may add: the records they refer to do not exist there
UNKNOWN_REFERENCE = {"problem.unknown_park", "problem.unknown_reference"}


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> GeoPackageStore:
    from tests.conftest import write_dataset

    folder = tmp_path_factory.mktemp("tiny")
    store = GeoPackageStore(folder / "store.gpkg")
    store.initialise_from(write_dataset(folder / "data"))
    return store


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> GeoPackageStore:
    store = GeoPackageStore(tmp_path_factory.mktemp("shipped") / "store.gpkg")
    store.initialise_from(GEODATA)
    return store


@pytest.fixture(scope="module")
def on_tiny(tiny_store):
    """``on_tiny(layer, fmt)``: the template prepared against the tiny store, once per module (in Vietnamese:
    the data do not depend on the language)."""
    done: dict[tuple[str, str], PreparedImport] = {}

    def prepare(layer: str, fmt: str) -> PreparedImport:
        if (layer, fmt) not in done:
            name, content, _ = template(layer, fmt, "vi")
            done[layer, fmt] = prepare_import(name, content, layer, tiny_store)
        return done[layer, fmt]
    return prepare


def problems(prepared) -> str:
    return "\n".join(str(p) for p in prepared.problems)


# --- the importer takes every template --------------------------------------------------------------
@pytest.mark.parametrize("layer,fmt", CASES, ids=IDS)
def test_each_template_passes_the_importer_on_the_tiny_store_but_for_unknown_references(on_tiny, layer, fmt):
    prepared = on_tiny(layer, fmt)
    assert {p.key for p in prepared.problems} <= UNKNOWN_REFERENCE, problems(prepared)
    assert prepared.frame is not None and len(prepared.frame) == 1
    if not prepared.problems:
        assert prepared.summary()["insert"] == 1


@pytest.mark.parametrize("layer,fmt", CASES, ids=IDS)
def test_each_template_imports_clean_into_the_shipped_data_as_one_new_record(shipped_store, layer, fmt):
    name, content, _ = template(layer, fmt, "en")
    prepared = prepare_import(name, content, layer, shipped_store)
    if layer in EXAMPLE_REFERENCES:  # the example berth, park or zone of another template, on purpose
        field = EXAMPLE_REFERENCES[layer]
        assert [(p.key, p.field) for p in prepared.problems] == [
            ("problem.unknown_park" if field == "park_id" else "problem.unknown_reference", field)]
        return
    assert prepared.ok, problems(prepared)
    assert prepared.summary() == {"insert": 1, "update": 0, "delete": 0, "rows": 1}


@pytest.mark.parametrize("layer,fmt", CASES, ids=IDS)
def test_the_example_comes_out_of_the_importer_as_written(on_tiny, layer, fmt):
    row = on_tiny(layer, fmt).frame.iloc[0]
    schema = LAYERS[layer]
    for column in schema.columns:
        expected = EXAMPLES[layer][column.name]
        if expected is None:
            assert pd.isna(row[column.name]), column.name
        elif column.dtype == "date":
            assert row[column.name] == pd.Timestamp(str(expected)), column.name
        elif column.dtype in ("float", "int"):
            assert float(row[column.name]) == pytest.approx(float(expected)), column.name
        else:
            assert row[column.name] == expected, column.name
    if not schema.is_table:
        assert row.geometry.equals_exact(templates._example_geometry(schema), 1e-9)


def test_the_passport_contact_and_incentive_examples_import_once_their_example_park_and_zone_exist(tmp_path):
    store = GeoPackageStore(tmp_path / "store.gpkg")
    store.initialise_from(GEODATA)
    for layer in ("zones", "parks"):
        name, content, _ = template(layer, "geojson", "en")
        prepared = prepare_import(name, content, layer, store)
        assert prepared.ok, problems(prepared)
        apply_import(store, prepared, "tester", "the examples' park and zone")
    for layer in ("passports", "contacts", "incentives"):
        name, content, _ = template(layer, "csv", "en")
        prepared = prepare_import(name, content, layer, store)
        assert prepared.ok, problems(prepared)
        assert prepared.summary() == {"insert": 1, "update": 0, "delete": 0, "rows": 1}
    dinh_vu = store.read_layer("passports").set_index("park_id").loc["dinh-vu"]
    assert dinh_vu["land_source_kind"] == "synthetic demo"  # the example never touches a real park's passport


def test_unplaced_parks_need_no_geometry_but_the_example_has_one(on_tiny):
    prepared = on_tiny("parks", "csv")
    assert prepared.frame.iloc[0]["geometry_quality"] != "unplaced"
    assert prepared.frame.geometry.iloc[0].geom_type == "Polygon"


# --- the example ---------------------------------------------------------------------------------------
def test_every_example_has_exactly_the_schemas_columns():
    assert set(EXAMPLES) == set(LAYERS)
    for layer, example in EXAMPLES.items():
        assert list(example) == LAYERS[layer].column_names, layer


def test_every_example_provenance_is_a_valid_approximation_with_its_method():
    for layer, example in EXAMPLES.items():
        for column in LAYERS[layer].provenance_columns:
            found = provenance_of(example, column)
            assert found.problem() is None, (layer, column)
            if found.kind != "none":
                assert found.kind == "approximate" and found.ref.startswith("EXAMPLE"), (layer, column)


def test_examples_leave_contacts_and_prices_empty_and_say_they_are_examples():
    for layer, example in EXAMPLES.items():
        for column in LAYERS[layer].columns:
            if column.name.endswith("_contact") or column.name.startswith("price_"):
                assert example[column.name] is None, (layer, column.name)
        marked = [v for v in example.values() if isinstance(v, str) and ("EXAMPLE" in v or "VÍ DỤ" in v)]
        assert marked, layer


def test_the_example_polygon_lies_inside_the_real_dinh_vu_park_and_measures_its_area():
    parks = gpd.read_file(GEODATA / "heza.gpkg", layer="parks").set_index("park_id")
    assert parks.geometry["dinh-vu"].contains(templates.EXAMPLE_POLYGON)
    assert parks.geometry["dinh-vu"].contains(templates.EXAMPLE_POINT)
    metric = gpd.GeoSeries([templates.EXAMPLE_POLYGON, templates.EXAMPLE_QUAY], crs=WGS84).to_crs(METRIC_CRS)
    assert metric.iloc[0].area / 10_000 == pytest.approx(EXAMPLES["plots"]["area_ha"], abs=0.01)
    assert metric.iloc[1].length == pytest.approx(EXAMPLES["berths"]["quay_m"], abs=1)


# --- the three formats ------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer", [name for name, s in LAYERS.items() if not s.is_table])
def test_geojson_is_one_wgs84_feature_inside_hai_phong(layer):
    name, content, mime = template(layer, "geojson", "en")
    document = json.loads(content)
    assert (name, mime) == (f"heza_template_{layer}.geojson", "application/geo+json")
    assert document["type"] == "FeatureCollection" and "crs" not in document  # RFC 7946: WGS84, no other
    (feature,) = document["features"]
    assert list(feature["properties"]) == LAYERS[layer].column_names
    minx, miny, maxx, maxy = HAI_PHONG_BOUNDS
    x0, y0, x1, y1 = shape(feature["geometry"]).bounds
    assert minx <= x0 <= x1 <= maxx and miny <= y0 <= y1 <= maxy
    assert shape(feature["geometry"]).geom_type in LAYERS[layer].geometry_types


@pytest.mark.parametrize("layer", [name for name, s in LAYERS.items() if s.is_table])
def test_a_table_has_no_geojson_template_and_the_error_names_the_formats_it_has(layer):
    assert formats(layer) == ("csv", "xlsx")
    with pytest.raises(ExportError, match=f"layer '{layer}' is a table without geometry: .*CSV or XLSX"):
        template(layer, "geojson", "en")


def test_unknown_layer_or_format_is_refused_with_the_choices():
    with pytest.raises(HezaError, match="choose one of zones, parks"):
        template("roads", "csv", "en")
    with pytest.raises(HezaError, match="choose geojson, csv, xlsx"):
        template("plots", "shp", "en")


@pytest.mark.parametrize("layer", list(LAYERS))
def test_csv_is_utf8_with_a_bom_for_excel_header_and_example_row(layer):
    name, content, mime = template(layer, "csv", "en")
    assert (name, mime) == (f"heza_template_{layer}.csv", "text/csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == data_columns(layer, "csv")
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])


def test_points_get_lon_lat_columns_and_other_shapes_a_wkt_geometry_column():
    assert data_columns("housing", "csv")[-2:] == ["lon", "lat"]
    for layer in ("zones", "parks", "plots", "berths", "connectivity"):
        assert data_columns(layer, "csv")[-1] == "geometry"
        _, content, _ = template(layer, "csv", "en")
        row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        assert wkt.loads(row["geometry"]).geom_type in LAYERS[layer].geometry_types
    assert data_columns("investment", "csv") == LAYERS["investment"].column_names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_has_the_data_sheet_first_and_the_columns_described_in_the_readers_language(lang):
    name, content, mime = template("plots", "xlsx", lang)
    assert name == f"heza_template_plots_{lang}.xlsx" and mime.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["data", "columns"]
    data = list(book["data"].iter_rows(values_only=True))
    assert list(data[0]) == data_columns("plots", "xlsx") and len(data) == 2
    described = list(book["columns"].iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in described] == data_columns("plots", "xlsx")
    by_name = {row[0]: row for row in described}
    assert by_name["tenant"][1] == i18n.label("column", "tenant", lang)
    assert f"leased: {i18n.label('plot_status', 'leased', lang)}" in by_name["status"][4]
    assert by_name["area_ha"][5] == i18n.unit_label("ha", lang)
    assert i18n.t("template.confidential", lang) in by_name["price_usd_m2"][6]
    assert i18n.label("layer", "parks", lang) in by_name["park_id"][6]  # it refers to the parks layer


def test_a_vietnamese_reader_gets_vietnamese_labels_and_the_heza_terms_for_values():
    rows = {row["column"]: row for row in describe_columns("parks", "vi")}
    assert "full: Cơ bản lấp đầy" in rows["stage"]["allowed"]
    assert rows["area_ha"]["allowed"] == "từ 0 đến 10.000"
    assert rows["district"]["required"] == "có: dòng nào cũng phải có giá trị"
    assert rows["name_short"]["required"] == "cột không bắt buộc"
    assert rows["geometry"]["required"] == "phải có cột; giá trị có thể để trống"  # an unplaced park has none


def test_dates_that_may_be_coarser_than_a_day_say_so_and_units_come_from_the_names():
    rows = {row["column"]: row for row in describe_columns("occupancy_history", "en")}
    assert rows["as_of"]["type"].startswith("date: YYYY-MM-DD, or YYYY-MM / YYYY")
    assert rows["occupancy_pct"]["unit"] == "%"
    investment = {row["column"]: row for row in describe_columns("investment", "en")}
    assert investment["value"]["unit"] == "see column “unit”"
    assert investment["pct_of_plan"]["unit"] == "%"
    assert {row["column"]: row["unit"] for row in describe_columns("berths", "en")}["quay_m"] == "m"


def test_the_passports_units_come_from_their_names_in_the_readers_language():
    units = {row["column"]: row["unit"] for row in describe_columns("passports", "ko")}
    assert {name: units[name] for name in ("lease_price_min_usd_m2", "rbf_free_m2", "rbf_rent_usd_m2_month",
                                           "management_fee_usd_m2_year", "power_substation_kv", "power_available_mw",
                                           "power_tariff_usd_kwh", "water_capacity_m3_day", "water_tariff_usd_m3",
                                           "min_plot_ha", "ground_level_m", "land_term_end_year")} == {
        "lease_price_min_usd_m2": "USD/m²", "rbf_free_m2": "m²", "rbf_rent_usd_m2_month": "USD/m²/월",
        "management_fee_usd_m2_year": "USD/m²/년", "power_substation_kv": "kV", "power_available_mw": "MW",
        "power_tariff_usd_kwh": "USD/kWh", "water_capacity_m3_day": "m³/일", "water_tariff_usd_m3": "USD/m³",
        "min_plot_ha": "ha", "ground_level_m": "m", "land_term_end_year": ""}
    readiness = {row["column"]: row for row in describe_columns("passports", "en")}["readiness"]
    assert readiness["allowed"] == ("ready: Ready to build\ninfrastructure_under_way: Infrastructure under way\n"
                                    "not_handed_over: Land not yet handed over")


def test_every_allowed_value_of_every_column_is_labelled():
    for layer, schema in LAYERS.items():
        for column in schema.columns:
            if column.allowed:
                assert i18n.value_kind(layer, column.name) is not None, (layer, column.name)


# --- its texts ------------------------------------------------------------------------------------------
def test_every_text_the_templates_use_is_in_every_catalog_with_the_same_placeholders():
    keys = [k for k in i18n.template_keys() if k.startswith("template.")]
    needed = {f"template.about.{c}" for s in LAYERS.values() for c in s.column_names}
    needed |= {f"template.{p}.{c}" for p in ("about", "column") for c in ("geometry", "lon", "lat")}
    needed |= {f"template.type_{dtype}" for s in LAYERS.values() for dtype in {c.dtype for c in s.columns}}
    assert needed <= set(keys)

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key in keys:
        for lang in LANGUAGES:
            assert i18n.has_translation(key, lang), (lang, key)
            assert fields(i18n.t(key, lang)) == fields(i18n.t(key, "en")), (lang, key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_description_falls_back_to_a_catalog_key(lang):
    for layer in LAYERS:
        for row in describe_columns(layer, lang):
            assert not any(str(v).startswith("template.") for v in row.values()), (layer, row)


def test_the_modules_examples_run():
    result = doctest.testmod(templates, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_a_template_is_made_once_and_an_unknown_language_reads_as_english():
    assert template("plots", "xlsx", "vi") is template("plots", "xlsx", "vi-VN")
    name, content, _ = template("plots", "xlsx", "fr")
    assert name == "heza_template_plots_en.xlsx"
    described = list(openpyxl.load_workbook(io.BytesIO(content))["columns"].iter_rows(min_row=4, max_row=4,
                                                                                      values_only=True))
    assert described[0][0] == "Column"
