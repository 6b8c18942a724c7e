"""The staff page's passport, contact and incentive forms (issue 17), signed in, on a store of the tiny
dataset (tests/conftest.py: park A's land 100–120 USD/m² as of 2025, synthetic demo; A's utilities
water 10,000 / 3,000 m³/day from news of 05/04/2025; park C has no passport; HEZA's desk and Dev A's
sales office are the contacts; zone Z1 has an incentive text, the parks outside a zone none).

``AppTest`` cannot send the sign-in cookie (``appkit``), so the officer signs in the other way the page
accepts: a single-sign-on identity (``st.user``, with an ``[auth]`` section in the secrets) whose
e-mail is an account of the store. The page runs alone (``tests/apps/data_management_probe.py``), in
English (``HEZA_LANGUAGE``), on a GeoPackage store of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from appkit import STAFF_OFFICER as OFFICER
from appkit import plain
from appkit import signed_in_staff as signed_in
from streamlit.testing.v1 import AppTest

from heza_geo import i18n
from heza_geo.store import auth
from heza_geo.store.gpkg import GeoPackageStore


def en(key: str, **params: object) -> str:
    return i18n.t(key, "en", **params)


@pytest.fixture
def store(tiny_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GeoPackageStore]:
    """A store made from the tiny dataset with one staff account, which the page is pointed at."""
    made = GeoPackageStore(tmp_path / "store.gpkg")
    made.initialise_from(tiny_dir)
    auth.add_account(made, OFFICER, "a-long-test-password-2026", "staff")
    monkeypatch.setenv("HEZA_STORE_PATH", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    st.cache_resource.clear()
    yield made
    st.cache_resource.clear()



def field(at: AppTest, key: str):
    """The widget keyed ``key`` (the first generation of a record's fields: ``dm_<form>_<record>_0_<field>``)."""
    for kind in (at.number_input, at.text_input, at.text_area, at.selectbox, at.multiselect):
        found = [w for w in kind if w.key == key]
        if found:
            return found[0]
    raise KeyError(key)


def press(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def errors(at: AppTest) -> str:
    return "\n".join(plain(e.value) for e in at.error)


def passport(store: GeoPackageStore, park: str) -> pd.Series:
    rows = store.read_layer("passports").set_index("park_id")
    return rows.loc[park]


def open_passport(at: AppTest, park: str, group: str) -> str:
    """Choose the park and the group; the prefix of the form's field keys."""
    at.selectbox(key="dm_pp_park").set_value(park).run()
    at.selectbox(key="dm_pp_group").set_value(group).run()
    assert not at.exception, [e.message for e in at.exception]
    return f"dm_pp_{park}_{group}_0_"


# --- the passport ---------------------------------------------------------------------------------
def test_a_land_group_is_saved_with_its_source_and_a_date_typed_as_a_year_is_kept_as_a_year(store):
    at = signed_in()
    p = open_passport(at, "A", "land")
    assert field(at, p + "lease_price_min_usd_m2").value == 100.0  # the form starts from the stored figures
    assert field(at, p + "as_of").value == "2025"  # a year stays a year
    assert field(at, p + "rbf_free_m2").value is None  # not published: empty, not 0
    field(at, p + "lease_price_max_usd_m2").set_value(130.0)
    field(at, p + "as_of").set_value("2026")
    field(at, p + "source_kind").set_value("news")
    field(at, p + "source").set_value("example.vn 12/01/2026")
    field(at, p + "comment").set_value("price list of January")
    press(at, en("dm.save_passport"))
    assert not at.exception and not at.error, errors(at)
    assert [plain(s.value) for s in at.success] == [en("dm.saved", version=store.current_version())]
    row = passport(store, "A")
    assert (row["lease_price_min_usd_m2"], row["lease_price_max_usd_m2"]) == (100.0, 130.0)
    assert row["land_as_of"] == pd.Timestamp("2026-01-01") and row["land_as_of_precision"] == "year"
    assert (row["land_source_kind"], row["land_source"]) == ("news", "example.vn 12/01/2026")
    assert row["utilities_source"] == "example.vn 05/04/2025"  # the other groups are as they were


def test_a_date_typed_to_the_month_in_the_readers_order_is_stored_as_a_month(store):
    at = signed_in()
    p = open_passport(at, "B", "utilities")
    field(at, p + "water_free_m3_day").set_value(11_000.0)
    field(at, p + "as_of").set_value("06/2026")  # English fields are day/month/year
    field(at, p + "comment").set_value("developer's brochure")
    press(at, en("dm.save_passport"))
    assert not at.error, errors(at)
    row = passport(store, "B")
    assert row["water_free_m3_day"] == 11_000.0
    assert (row["utilities_as_of"], row["utilities_as_of_precision"]) == (pd.Timestamp("2026-06-01"), "month")


def test_a_refused_save_keeps_every_typed_value_and_names_each_field(store):
    """A lowest price above the highest and no kind of source: both said, each with its field's label,
    and every value typed is still in the form; nothing is written."""
    before = store.current_version()
    at = signed_in()
    p = open_passport(at, "A", "land")
    field(at, p + "lease_price_min_usd_m2").set_value(150.0)
    field(at, p + "land_term_end_year").set_value(2060)
    field(at, p + "as_of").set_value("2026")
    field(at, p + "source_kind").set_value("")
    field(at, p + "comment").set_value("new price list")
    press(at, en("dm.save_passport"))
    said = errors(at)
    assert en("column.lease_price_max_usd_m2") + ":" in said
    assert en("column.source_kind") + ":" in said
    assert field(at, p + "lease_price_min_usd_m2").value == 150.0
    assert field(at, p + "land_term_end_year").value == 2060
    assert field(at, p + "as_of").value == "2026"
    assert field(at, p + "comment").value == "new price list"
    assert store.current_version() == before


def test_a_date_that_does_not_exist_and_a_missing_comment_are_said_together_before_the_store_sees_them(store):
    before = store.current_version()
    at = signed_in()
    p = open_passport(at, "A", "planning")
    field(at, p + "as_of").set_value("31/02/2026")
    press(at, en("dm.save_passport"))
    assert f"{en('column.planning_as_of')}: '31/02/2026'" in errors(at)
    assert f"{en('dm.comment')}: {en('problem.needs_comment')}" in errors(at)
    assert field(at, p + "as_of").value == "31/02/2026"
    assert store.current_version() == before


def test_a_stale_edit_is_refused_naming_who_changed_the_park_and_saving_again_replaces_it(store):
    at = signed_in()
    p = open_passport(at, "A", "utilities")
    seen = int(store.read_layer("passports").set_index("park_id").loc["A", "row_version"])
    other = store.edit_record("passports", "A", {"water_free_m3_day": 2_500.0}, seen, "minh", "phone call")
    field(at, p + "water_free_m3_day").set_value(4_000.0)
    field(at, p + "comment").set_value("site visit")
    press(at, en("dm.save_passport"))
    said = errors(at)
    assert "minh" in said and f"version {other}" in said
    assert f"{en('column.water_free_m3_day')}: 2,500" in said  # what the other officer saved, where the entry differs
    assert field(at, p + "water_free_m3_day").value == 4_000.0  # the entry is kept
    assert passport(store, "A")["water_free_m3_day"] == 2_500.0
    press(at, en("dm.save_passport"))  # knowingly, again
    assert not at.error, errors(at)
    assert passport(store, "A")["water_free_m3_day"] == 4_000.0


def test_a_park_without_a_passport_gets_one_on_its_first_save(store):
    at = signed_in()
    p = open_passport(at, "C", "planning")
    assert any(en("dm.record_new", record="").split(":")[0] in c.value or "nothing stored yet" in c.value
               for c in at.caption)
    field(at, p + "permitted_sectors").set_value(["logistics", "electronics"])
    field(at, p + "readiness").set_value("infrastructure_under_way")
    field(at, p + "ready_by").set_value("2028")
    field(at, p + "as_of").set_value("2026")
    field(at, p + "source_kind").set_value("synthetic demo")
    field(at, p + "comment").set_value("demo planning of C")
    press(at, en("dm.save_passport"))
    assert not at.error, errors(at)
    row = passport(store, "C")
    assert row["permitted_sectors"] == "electronics;logistics"  # in the schema's order
    assert (row["readiness"], row["ready_by"], row["ready_by_precision"]) == (
        "infrastructure_under_way", pd.Timestamp("2028-01-01"), "year")
    assert pd.isna(row["lease_price_min_usd_m2"]) and pd.isna(row["land_source_kind"])  # other groups: nothing


def test_the_parks_history_shows_a_passport_edit_field_by_field_in_the_readers_words(store):
    at = signed_in()
    p = open_passport(at, "A", "utilities")
    field(at, p + "water_free_m3_day").set_value(4_000.0)
    field(at, p + "comment").set_value("site visit")
    press(at, en("dm.save_passport"))
    at.selectbox(key="dm_hist_park").set_value("A").run()
    [history] = [d.value for d in at.dataframe if en("dm.col_changes") in d.value.columns]
    changes = " ".join(history[en("dm.col_changes")])
    assert f"{en('column.water_free_m3_day')}: 3,000 → 4,000" in changes
    assert en("layer.passports") in set(history[en("dm.col_layer")])


# --- contacts ----------------------------------------------------------------------------------------
def test_a_demo_contact_with_a_real_looking_phone_and_e_mail_is_refused_each_field_named(store):
    at = signed_in()
    at.selectbox(key="dm_ct_whom").set_value("").run()  # HEZA's desk
    p = "dm_ct_desk_0_"
    assert field(at, p + "email").value == "desk@example.com"
    field(at, p + "phone").set_value("+84 225 3836 123")
    field(at, p + "email").set_value("xuctien@heza.gov.vn")
    field(at, p + "comment").set_value("desk phone")
    press(at, en("dm.save_contact"))
    said = errors(at)
    assert en("column.phone") + ":" in said and en("column.email") + ":" in said
    assert field(at, p + "phone").value == "+84 225 3836 123"
    assert store.read_layer("contacts").set_index("contact_id").loc["heza-desk", "email"] == "desk@example.com"


def test_a_parks_first_sales_contact_is_added_with_its_languages(store):
    at = signed_in()
    at.selectbox(key="dm_ct_whom").set_value("B").run()
    p = "dm_ct_B_0_"
    field(at, p + "organisation").set_value("Dev B")
    field(at, p + "email").set_value("sales@devb.example")
    field(at, p + "languages").set_value(["vi", "ko"])
    field(at, p + "as_of").set_value("2026")
    field(at, p + "source_kind").set_value("synthetic demo")
    field(at, p + "comment").set_value("demo contact of B")
    press(at, en("dm.save_contact"))
    assert not at.error, errors(at)
    row = store.read_layer("contacts").set_index("contact_id").loc["B-sales"]
    assert (row["park_id"], row["role"], row["languages"]) == ("B", "developer_sales", "vi;ko")
    assert row["as_of_precision"] == "year"


# --- incentives --------------------------------------------------------------------------------------
def test_a_zones_incentives_are_edited_in_each_language_and_the_parks_outside_a_zone_get_theirs(store):
    at = signed_in()
    at.selectbox(key="dm_inc_for").set_value("Z1").run()
    p = "dm_inc_Z1_0_"
    assert field(at, p + "text_ko").value == "테스트 경제구역 인센티브"
    field(at, p + "text_ko").set_value("법인세 감면 (테스트)")
    field(at, p + "comment").set_value("Korean text")
    press(at, en("dm.save_incentives"))
    assert not at.error, errors(at)
    assert store.read_layer("incentives").set_index("incentive_id").loc["ez-Z1", "text_ko"] == "법인세 감면 (테스트)"
    at.selectbox(key="dm_inc_for").set_value("").run()
    p = "dm_inc_outside_0_"
    field(at, p + "text_en").set_value("Test incentives outside a zone")
    field(at, p + "as_of").set_value("2025")
    field(at, p + "source_kind").set_value("synthetic demo")
    field(at, p + "comment").set_value("first text")
    press(at, en("dm.save_incentives"))
    assert not at.error, errors(at)
    row = store.read_layer("incentives").set_index("incentive_id").loc["industrial-parks"]
    assert (row["regime"], row["text_en"]) == ("industrial_park", "Test incentives outside a zone")
    assert pd.isna(row["zone_id"]) and pd.isna(row["text_vi"])


def test_the_desks_and_the_incentives_changes_are_in_the_history_under_no_park(store):
    at = signed_in()
    at.selectbox(key="dm_ct_whom").set_value("").run()
    field(at, "dm_ct_desk_0_website").set_value("desk.example")
    field(at, "dm_ct_desk_0_comment").set_value("new site")
    press(at, en("dm.save_contact"))
    assert not at.error, errors(at)
    at.selectbox(key="dm_hist_park").set_value("").run()
    [history] = [d.value for d in at.dataframe if en("dm.col_changes") in d.value.columns]
    assert f"{en('column.website')}: heza.example → desk.example" in " ".join(history[en("dm.col_changes")])
    assert set(history[en("dm.col_layer")]) == {en("layer.contacts")}
