"""The rules of the investor's tables across their columns (``heza_geo.io.validation``): passports,
contacts and incentives.

Each rule refuses in one line naming the file, the row, the field and what to do, in the reader's
language; the tiny dataset (tests/conftest.py) passes them all.
"""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.io.validation import is_reserved_email, validate_frame
from heza_geo.schema import CONTACTS, INCENTIVES, PASSPORT_FIELDS, PASSPORTS, LayerSchema
from tests.conftest import tiny_frames


def changed(layer: str, row: int = 0, **values: object) -> pd.DataFrame:
    """The tiny dataset's ``layer`` with row ``row`` changed."""
    frame = tiny_frames()[layer]
    for column, value in values.items():
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    return frame


def problems_of(frame: pd.DataFrame, schema: LayerSchema) -> list[str]:
    return [str(p) for p in validate_frame(frame, schema, f"{schema.name}.csv")[1]]


def keys_of(frame: pd.DataFrame, schema: LayerSchema) -> list[tuple[int | None, str | None, str | None]]:
    return [(p.row, p.field, p.key) for p in validate_frame(frame, schema, f"{schema.name}.csv")[1]]


# --- passports ----------------------------------------------------------------------------------------
def test_the_tiny_passports_contacts_and_incentives_pass():
    frames = tiny_frames()
    for schema in (PASSPORTS, CONTACTS, INCENTIVES):
        assert problems_of(frames[schema.name], schema) == []


def test_every_passport_column_is_a_figure_of_one_group_or_a_groups_date_and_source():
    figures = [name for fields in PASSPORT_FIELDS.values() for name in fields]
    meta = {f"{g}_{end}" for g in PASSPORT_FIELDS for end in ("as_of", "as_of_precision", "source_kind", "source")}
    assert len(figures) == len(set(figures))
    assert set(PASSPORTS.column_names) == {*figures, *meta, "park_id", "ready_by_precision", "note"}


def test_a_group_with_a_figure_needs_the_kind_of_its_source_and_its_date():
    frame = changed("passports", land_source_kind=None, land_as_of=None, land_as_of_precision=None)
    assert problems_of(frame, PASSPORTS) == [
        "passports.csv, layer 'passports', row 1 (park_id=A), field 'land_source_kind': is empty, but the row has "
        "figures of this group (lease_price_min_usd_m2, lease_price_max_usd_m2, land_term_end_year, min_plot_ha, "
        "management_fee_usd_m2_year): give the kind of their source (report, news, approximate or synthetic demo)",
        "passports.csv, layer 'passports', row 1 (park_id=A), field 'land_as_of': is empty, but the row has "
        "figures of this group (lease_price_min_usd_m2, lease_price_max_usd_m2, land_term_end_year, min_plot_ha, "
        "management_fee_usd_m2_year): give the date they refer to (a year such as 2025 is enough)",
    ]


def test_a_group_with_no_figure_may_have_neither_source_nor_date():
    utilities = [*PASSPORT_FIELDS["utilities"], "utilities_as_of", "utilities_as_of_precision",
                 "utilities_source_kind", "utilities_source"]
    frame = changed("passports", 1, **dict.fromkeys(utilities))
    assert problems_of(frame, PASSPORTS) == []


def test_a_groups_source_follows_the_provenance_rules():
    frame = changed("passports", utilities_source_kind="news", utilities_source=None)
    assert keys_of(frame, PASSPORTS) == [(1, "utilities_source", "problem.provenance_news_site")]
    frame = changed("passports", planning_source_kind="approximate", planning_source=None)
    assert keys_of(frame, PASSPORTS) == [(1, "planning_source", "problem.provenance_no_method")]


def test_the_highest_lease_price_cannot_be_below_the_lowest():
    frame = changed("passports", lease_price_max_usd_m2=90.0)
    assert problems_of(frame, PASSPORTS) == [
        "passports.csv, layer 'passports', row 1 (park_id=A), field 'lease_price_max_usd_m2': 90 is below the "
        "lowest price 100 (lease_price_min_usd_m2): the highest cannot be lower than the lowest"]
    assert problems_of(changed("passports", lease_price_max_usd_m2=100.0), PASSPORTS) == []


def test_free_water_and_wastewater_cannot_exceed_the_capacity():
    frame = changed("passports", 1, water_free_m3_day=20_001.0)
    assert problems_of(frame, PASSPORTS) == [
        "passports.csv, layer 'passports', row 2 (park_id=B), field 'water_free_m3_day': 20001 is above the "
        "capacity 20000 (water_capacity_m3_day): the free part cannot exceed the whole"]
    frame = changed("passports", wastewater_free_m3_day=9_000.0)
    assert keys_of(frame, PASSPORTS) == [(1, "wastewater_free_m3_day", "problem.free_above_capacity")]
    assert problems_of(changed("passports", water_free_m3_day=10_000.0), PASSPORTS) == []


def test_permitted_sectors_are_a_semicolon_list_of_the_schemas_sectors():
    assert problems_of(changed("passports", permitted_sectors=" electronics ; food "), PASSPORTS) == []
    problem = validate_frame(changed("passports", permitted_sectors="electronics;toys;Food"), PASSPORTS, "p.csv")[1]
    assert [(p.field, p.key, dict(p.params)["unknown"]) for p in problem] == [
        ("permitted_sectors", "problem.unknown_sectors", "toys, Food")]


def test_a_ready_by_date_goes_with_infrastructure_under_way_only():
    assert problems_of(changed("passports", 1, ready_by="2028-03"), PASSPORTS) == []  # B: under way
    assert problems_of(changed("passports", ready_by="2027-06"), PASSPORTS) == [
        "passports.csv, layer 'passports', row 1 (park_id=A), field 'ready_by': '2027-06': a ready-by date is only "
        "for land whose infrastructure is under way (readiness 'infrastructure_under_way'), but the readiness is "
        "'ready': empty the date or correct the readiness"]
    assert keys_of(changed("passports", 1, readiness=None), PASSPORTS) == [
        (2, "ready_by", "problem.ready_by_without_readiness")]


def test_a_passport_problem_reads_in_the_readers_language():
    found = validate_frame(changed("passports", lease_price_max_usd_m2=90.0), PASSPORTS, "p.csv")[1]
    assert i18n.problem_text(found[0], "ko") == (
        "90은(는) 최저가 100(lease_price_min_usd_m2)보다 낮습니다. 최고가는 최저가보다 낮을 수 없습니다")


# --- contacts -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("email", ["desk@example.com", "a.b+c@sub.example.org", "x@heza.example", "x@y.test"])
def test_a_well_formed_email_passes(email):
    assert problems_of(changed("contacts", email=email), CONTACTS) == []


@pytest.mark.parametrize("email", ["desk", "desk@example", "a b@example.com", "@example.com", "a@.com"])
def test_an_email_out_of_shape_is_refused(email):
    assert keys_of(changed("contacts", email=email, source_kind="news", source="example.vn 2025"), CONTACTS) == [
        (1, "email", "problem.email_shape")]


@pytest.mark.parametrize("website", ["heza.gov.vn", "https://heza.gov.vn", "http://www.deepc.vn/", "heza.example"])
def test_a_website_is_a_host_name_with_or_without_https(website):
    assert problems_of(changed("contacts", website=website), CONTACTS) == []


@pytest.mark.parametrize("website", ["heza", "https://", "heza gov.vn", "ftp://heza.gov.vn", "heza.gov.vn/lien-he"])
def test_a_website_out_of_shape_is_refused(website):
    assert keys_of(changed("contacts", website=website), CONTACTS) == [(1, "website", "problem.website_shape")]


def test_a_phone_has_digits_spaces_plus_minus_and_brackets():
    real = {"source_kind": "news", "source": "example.vn 2025", "email": None}
    assert problems_of(changed("contacts", phone="+84 (225) 383-1234", **real), CONTACTS) == []
    for phone in ("0225.383.1234", "call us", "+84 12"):
        assert keys_of(changed("contacts", phone=phone, **real), CONTACTS) == [(1, "phone", "problem.phone_shape")]


def test_languages_are_iso_639_1_codes_separated_by_semicolons():
    assert problems_of(changed("contacts", languages="vi; en;zh"), CONTACTS) == []
    found = validate_frame(changed("contacts", languages="vi;eng;xx"), CONTACTS, "c.csv")[1]
    assert [(p.field, p.key, dict(p.params)["unknown"]) for p in found] == [
        ("languages", "problem.languages_shape", "eng, xx")]


def test_a_demo_contact_can_never_reach_anyone():
    assert problems_of(changed("contacts", phone="+84 225 383 1234"), CONTACTS) == [
        "contacts.csv, layer 'contacts', row 1 (contact_id=heza-desk), field 'phone': '+84 225 383 1234': a synthetic "
        "demo contact carries no phone number, so that a demo can never reach anyone: leave it empty"]
    assert keys_of(changed("contacts", email="desk@heza.gov.vn"), CONTACTS) == [(1, "email", "problem.demo_email")]
    # the same address is fine for a contact from a real source
    assert problems_of(changed("contacts", email="desk@heza.gov.vn", source_kind="report",
                               source="001_7f014fdbc8afe3e1.txt"), CONTACTS) == []


@pytest.mark.parametrize("address,reserved", [
    ("a@example.com", True), ("a@example.net", True), ("a@EXAMPLE.org", True), ("a@sales.example.com", True),
    ("a@heza.example", True), ("a@x.invalid", True), ("a@x.test", True),
    ("a@example.com.vn", False), ("a@myexample.com", False), ("a@heza.gov.vn", False), ("a@testing.vn", False),
])
def test_reserved_domains_are_those_of_rfc_2606_and_6761(address, reserved):
    assert is_reserved_email(address) is reserved


def test_a_developers_sales_contact_names_its_park_and_hezas_desk_may_or_may_not():
    assert keys_of(changed("contacts", 1, park_id=None), CONTACTS) == [(2, "park_id", "problem.sales_needs_park")]
    assert problems_of(changed("contacts", 0, park_id="A"), CONTACTS) == []


# --- incentives ---------------------------------------------------------------------------------------
def test_an_incentive_needs_a_text_in_at_least_one_language():
    texts = [f"text_{lang}" for lang in ("vi", "en", "ko", "ja", "zh")]
    assert problems_of(changed("incentives", **dict.fromkeys(texts[:4])), INCENTIVES) == []
    assert problems_of(changed("incentives", **dict.fromkeys(texts)), INCENTIVES) == [
        "incentives.csv, layer 'incentives', row 1 (incentive_id=ez-Z1), field 'text_vi': has no text in any "
        "language: write the incentives in at least one of text_vi, text_en, text_ko, text_ja, text_zh"]
