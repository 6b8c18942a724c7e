"""The data exports carry the investor's tables of the exported parks: passports, contacts, incentives.

Tiny dataset (tests/conftest.py): passports for A and B; HEZA's desk (every park) and Dev A's sales office
(park A); one incentive text, for zone Z1 (parks A and C). All public: exported without any login.
"""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pyogrio
import pytest

from heza_geo import i18n
from heza_geo.export import export
from heza_geo.schema import CONTACTS, INCENTIVES, PASSPORTS
from heza_geo.view import Filters, MapView

TABLES = ("passports", "contacts", "incentives")


@pytest.fixture(autouse=True)
def static_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEZA_EXPORT_RENDERER", "static")


def export_of(tiny_data, tmp_path, fmt: str, name: str, filters: Filters = Filters(),
              layers: tuple[str, ...] = ("parks", "plots"), lang: str = "en"):
    out = tmp_path / name
    export(tiny_data, filters, MapView(lang=lang, layers=layers), fmt, out)
    return out


def test_a_csv_zip_of_the_parks_holds_their_passports_contacts_and_incentives(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "csv", "data.zip")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted(["parks.csv", "plots.csv", "sources.csv",
                                                      *(f"{t}.csv" for t in TABLES)])
        passports = pd.read_csv(archive.open("passports.csv"), encoding="utf-8-sig")
        contacts = pd.read_csv(archive.open("contacts.csv"), encoding="utf-8-sig")
        incentives = pd.read_csv(archive.open("incentives.csv"), encoding="utf-8-sig")
        sources = pd.read_csv(archive.open("sources.csv"), encoding="utf-8-sig")
    assert sorted(passports["park_id"]) == ["A", "B"]
    assert list(passports.columns[:3]) == ["park_id", "lease_price_min_usd_m2", "lease_price_max_usd_m2"]
    assert set(passports.columns) == set(PASSPORTS.column_names)
    assert passports.set_index("park_id").loc["A", "water_free_m3_day"] == 3_000.0
    assert sorted(contacts["contact_id"]) == ["A-sales", "heza-desk"] and set(contacts.columns) == set(
        CONTACTS.column_names)
    assert list(incentives["incentive_id"]) == ["ez-Z1"] and set(incentives.columns) == set(INCENTIVES.column_names)
    assert "example.vn 05/04/2025" in set(sources["source"])  # A's utilities are news: listed with the rest


def test_the_tables_follow_the_exported_parks(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "csv", "b.zip", Filters(parks=("B",)))
    with zipfile.ZipFile(out) as archive:
        passports = pd.read_csv(archive.open("passports.csv"))
        contacts = pd.read_csv(archive.open("contacts.csv"))
        incentives = pd.read_csv(archive.open("incentives.csv"))
    assert list(passports["park_id"]) == ["B"]
    assert list(contacts["contact_id"]) == ["heza-desk"]  # HEZA's desk is every park's; Dev A's is A's
    assert incentives.empty  # B lies in no zone, and no text is written for parks outside one


def test_without_the_parks_layer_no_investor_table_is_exported(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "csv", "z.zip", layers=("zones", "plots"))
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["plots.csv", "sources.csv", "zones.csv"]


def test_a_single_layer_csv_is_that_layer_alone(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "csv", "parks.csv", layers=("parks",))
    assert "park_id" in pd.read_csv(out, encoding="utf-8-sig").columns


def test_xlsx_has_a_labelled_sheet_per_table_in_the_readers_language(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "xlsx", "data.xlsx", lang="ko")
    book = pd.read_excel(out, sheet_name=None)
    assert list(book)[:5] == ["parks", "plots", "passports", "contacts", "incentives"]
    passports = book["passports"]
    readiness = i18n.label("column", "readiness", "ko")
    assert sorted(passports[readiness]) == sorted([i18n.label("readiness", "ready", "ko"),
                                                   i18n.label("readiness", "infrastructure_under_way", "ko")])
    assert i18n.label("column", "water_free_m3_day", "ko") in passports.columns
    contacts = book["contacts"]
    assert set(contacts[i18n.label("column", "role", "ko")]) == {i18n.label("contact_role", "heza_desk", "ko"),
                                                                 i18n.label("contact_role", "developer_sales", "ko")}


def test_geojson_carries_the_tables_as_members_beside_the_sources(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "geojson", "data.geojson")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert {f["properties"]["layer"] for f in document["features"]} == {"parks", "plots"}
    assert sorted(row["park_id"] for row in document["passports"]) == ["A", "B"]
    b = next(row for row in document["passports"] if row["park_id"] == "B")
    assert (b["ready_by"], b["ready_by_precision"], b["power_available_mw"]) == ("2027-06-01", "month", None)
    assert sorted(row["contact_id"] for row in document["contacts"]) == ["A-sales", "heza-desk"]
    assert [row["zone_id"] for row in document["incentives"]] == ["Z1"]


def test_a_geopackage_has_an_attribute_table_per_investor_table(tiny_data, tmp_path):
    out = export_of(tiny_data, tmp_path, "gpkg", "data.gpkg")
    layers = dict(pyogrio.list_layers(out))
    assert {name: layers[name] for name in TABLES} == dict.fromkeys(TABLES)  # no geometry
    passports = pyogrio.read_dataframe(out, layer="passports")
    assert sorted(passports["park_id"]) == ["A", "B"]
    assert pyogrio.read_dataframe(out, layer="incentives")["text_ko"].tolist() == ["테스트 경제구역 인센티브"]
