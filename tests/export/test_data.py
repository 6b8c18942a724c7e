"""The XLSX workbook speaks its reader's language (issue 16); the machine formats keep raw codes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.export import export
from heza_geo.view import Filters, MapView


@pytest.fixture(autouse=True)
def static_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEZA_EXPORT_RENDERER", "static")


def raw_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """Sheet ``sheet`` of an XLSX export mapped back to column names and codes through its ``codes``
    sheet, as GIS staff would (the codes sheet's own headers are in the file's language: read by
    position, sheet, header, column, value, code)."""
    frame = pd.read_excel(path, sheet_name=sheet)
    codes = pd.read_excel(path, sheet_name="codes")
    codes.columns = ["sheet", "header", "column", "value", "code"]
    codes = codes[codes["sheet"] == sheet]
    columns = codes[codes["value"].isna()]
    frame = frame.rename(columns=dict(zip(columns["header"], columns["column"], strict=True)))
    for column, values in codes[codes["value"].notna()].groupby("column"):
        back = dict(zip(values["value"], values["code"], strict=True))
        frame[column] = [back.get(v, v) for v in frame[column]]
    return frame


def workbook(tiny_data, tmp_path, lang: str) -> dict[str, pd.DataFrame]:
    out = tmp_path / f"data-{lang}.xlsx"
    export(tiny_data, Filters(), MapView(lang=lang, layers=("parks", "plots")), "xlsx", out)
    return pd.read_excel(out, sheet_name=None)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_xlsx_headers_are_the_column_labels_of_the_files_language(tiny_data, tmp_path, lang):
    book = workbook(tiny_data, tmp_path, lang)
    parks, plots = book["parks"], book["plots"]
    for raw in ("park_id", "status", "area_ha", "source_kind", "occupancy_pct", "available_ha", "lon"):
        assert raw not in parks.columns, raw
    assert i18n.label("column", "park_id", lang) in parks.columns
    assert i18n.label("column", "area_ha", lang) in plots.columns
    assert len(set(parks.columns)) == len(parks.columns)  # no two headers read alike


def test_xlsx_values_are_labelled_and_numbers_rounded_as_the_pages_show_them(tiny_data, tmp_path):
    parks = workbook(tiny_data, tmp_path, "en")["parks"]
    stages = set(parks[i18n.label("column", "stage", "en")])
    assert stages <= {i18n.label("stage", s, "en") for s in i18n.LABEL_VALUES["stage"]}, stages
    kinds = set(parks[i18n.label("column", "source_kind", "en")])
    assert kinds <= {i18n.label("provenance", k, "en") for k in i18n.LABEL_VALUES["provenance"]}, kinds
    park_a = parks.iloc[0]
    assert park_a[i18n.t("column.plots_occupancy_pct", "en")] == 71.4  # 71.42857…: a percent to 0.1
    assert park_a[i18n.t("column.distance_to_berth_km", "en")] == 5.0  # 4.999999999999651 km: to 0.1 km


def test_xlsx_codes_sheet_maps_every_header_and_labelled_value_back_to_its_code(tiny_data, tmp_path):
    book = workbook(tiny_data, tmp_path, "vi")
    codes = book["codes"]
    t = i18n.translator("vi")
    sheet, header, column = t("export.codes.sheet"), t("export.codes.header"), t("export.codes.column")
    value, code = t("export.codes.value"), t("export.codes.code")
    headers = codes[codes[value].isna()]
    for name in ("parks", "plots"):
        listed = headers[headers[sheet] == name]
        assert list(listed[header]) == list(book[name].columns)  # every header, in the sheet's order
    park_id = headers[(headers[sheet] == "parks") & (headers[column] == "park_id")].iloc[0]
    assert park_id[header] == "Mã KCN"
    values = codes[codes[value].notna()]
    stage = values[(values[sheet] == "parks") & (values[column] == "stage") & (values[code] == "full")].iloc[0]
    assert stage[value] == i18n.label("stage", "full", "vi")


def test_csv_and_geojson_keep_the_raw_codes_for_machines(tiny_data, tmp_path):
    out = tmp_path / "data.geojson"
    export(tiny_data, Filters(), MapView(lang="vi", layers=("parks",)), "geojson", out)
    properties = json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert properties["stage"] in i18n.LABEL_VALUES["stage"] and "park_id" in properties
    csv = tmp_path / "parks.csv"
    export(tiny_data, Filters(), MapView(lang="vi", layers=("parks",)), "csv", csv)
    frame = pd.read_csv(csv, encoding="utf-8-sig")
    assert "park_id" in frame.columns and set(frame["stage"]) <= set(i18n.LABEL_VALUES["stage"])
