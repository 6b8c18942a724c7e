"""The investor's tables in the store: passports, incentives and contacts are stored, imported, edited and
kept in the history like every other layer, and a store made before them gains them when opened.

The tiny dataset (tests/conftest.py) has passports for parks A and B (C has none), one incentive text for
zone Z1 and two contacts.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from heza_geo.errors import DataError
from heza_geo.io.importers import apply_import, prepare_import
from heza_geo.store.gpkg import GeoPackageStore
from heza_geo.store.sql import SqlStore
from tests.conftest import tiny_frames

INVESTOR_TABLES = ("passports", "incentives", "contacts")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def test_the_store_holds_the_tiny_passports_incentives_and_contacts(store: SqlStore):
    data = store.read_dataset()
    assert sorted(data.passports["park_id"]) == ["A", "B"]
    b = data.passports.set_index("park_id").loc["B"]
    assert (b["water_capacity_m3_day"], b["water_free_m3_day"], b["readiness"]) == (
        20_000.0, 12_000.0, "infrastructure_under_way")
    assert (str(b["ready_by"].date()), b["ready_by_precision"]) == ("2027-06-01", "month")
    assert pd.isna(b["power_available_mw"])  # not published: empty, not 0
    assert list(data.incentives["zone_id"]) == ["Z1"]
    assert sorted(data.contacts["contact_id"]) == ["A-sales", "heza-desk"]


def test_a_passports_csv_imports_as_a_change_set_applied_and_read_back(store: SqlStore):
    passports = tiny_frames()["passports"]
    passports.loc[1, "water_free_m3_day"] = 10_000.0  # B: an update
    c = passports.iloc[[0]].assign(park_id="C", lease_price_min_usd_m2=90.0, lease_price_max_usd_m2=95.0,
                                   utilities_source_kind="synthetic demo", utilities_source=None)
    upload = pd.concat([passports, c], ignore_index=True)
    prepared = prepare_import("passports.csv", csv_bytes(upload), "passports", store)
    assert prepared.ok, [str(p) for p in prepared.problems]
    assert prepared.summary() == {"insert": 1, "update": 1, "delete": 0, "rows": 3}
    changed = {change.record_id: change.op for change in prepared.change_set}
    assert changed == {"B": "update", "C": "insert"}
    version = apply_import(store, prepared, "tester", "passports of B and C")
    back = store.read_layer("passports").set_index("park_id")
    assert back.loc["B", "water_free_m3_day"] == 10_000.0
    assert (back.loc["C", "lease_price_min_usd_m2"], back.loc["C", "lease_price_max_usd_m2"]) == (90.0, 95.0)
    assert {(e.layer, e.record_id, e.op) for e in store.history(layer="passports")
            if e.version == version} == {("passports", "B", "update"), ("passports", "C", "insert")}


def test_a_passport_import_that_breaks_a_rule_is_refused_with_the_row_and_field(store: SqlStore):
    passports = tiny_frames()["passports"]
    passports.loc[0, "lease_price_max_usd_m2"] = 90.0
    prepared = prepare_import("passports.csv", csv_bytes(passports), "passports", store)
    assert [(p.row, p.field, p.key) for p in prepared.problems] == [
        (1, "lease_price_max_usd_m2", "problem.max_below_min")]


def test_a_passport_edit_shows_in_the_parks_history(store: SqlStore):
    version = store.edit_record("passports", "A", {"power_available_mw": 25.0}, 1, "staff", "new feeder")
    entries = [e for e in store.history(park_id="A") if e.layer == "passports"]
    assert [(e.version, e.record_id, e.op, e.comment) for e in entries] == [(version, "A", "update", "new feeder")]
    assert (entries[0].before["power_available_mw"], entries[0].after["power_available_mw"]) == (20.0, 25.0)


def test_a_passport_edit_that_breaks_a_rule_is_refused(store: SqlStore):
    with pytest.raises(DataError) as refused:
        store.edit_record("passports", "A", {"water_free_m3_day": 11_000.0}, 1, "staff", "typo")
    assert [(p.field, p.key) for p in refused.value.problems] == [("water_free_m3_day", "problem.free_above_capacity")]


def test_a_contact_edit_of_a_parks_sales_office_shows_in_the_parks_history(store: SqlStore):
    store.edit_record("contacts", "A-sales", {"languages": "vi;en;ko"}, 1, "staff", "speaks Korean")
    assert [(e.layer, e.record_id) for e in store.history(park_id="A")] == [("contacts", "A-sales")]


def test_a_store_made_before_the_investor_tables_gains_them_when_opened(tmp_path: Path, tiny_dir: Path):
    path = tmp_path / "old.gpkg"
    GeoPackageStore(path).initialise_from(tiny_dir)
    with sqlite3.connect(path) as conn:  # the store as the schema before issue 17 made it
        for name in INVESTOR_TABLES:
            conn.execute(f'DROP TABLE "{name}"')
            conn.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    reopened = GeoPackageStore(path)
    data = reopened.read_dataset()
    assert all(getattr(data, name).empty for name in INVESTOR_TABLES)
    assert sorted(data.parks["park_id"]) == ["A", "B", "C"]  # nothing else lost
    prepared = prepare_import("passports.csv", csv_bytes(tiny_frames()["passports"]), "passports", reopened)
    assert prepared.ok and prepared.summary()["insert"] == 2
    apply_import(reopened, prepared, "tester", "the passports, after the upgrade")
    assert sorted(reopened.read_layer("passports")["park_id"]) == ["A", "B"]
    with sqlite3.connect(path) as conn:
        registered = {row[0] for row in conn.execute("SELECT table_name FROM gpkg_contents")}
    assert set(INVESTOR_TABLES) <= registered


def test_the_staff_history_of_a_passport_edit_reads_in_the_readers_language(store: SqlStore):
    from heza_geo import i18n
    from heza_geo.analysis.staff import history_table

    store.edit_record("passports", "A", {"readiness": "not_handed_over"}, 1, "staff", "land returned")
    table = history_table([e for e in store.history(park_id="A") if e.layer == "passports"], "ko")
    row = table.iloc[0]
    assert row[i18n.t("dm.col_layer", "ko")] == i18n.label("layer", "passports", "ko")
    assert row[i18n.t("dm.col_changes", "ko")] == (
        f"{i18n.label('column', 'readiness', 'ko')}: {i18n.label('readiness', 'ready', 'ko')} → "
        f"{i18n.label('readiness', 'not_handed_over', 'ko')}")
