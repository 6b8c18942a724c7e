"""The staff page's tables, from problems, change sets, versions and history entries written here
(the store's own behaviour is tested in tests/store/), and the occupancy form's starting figure on
the tiny dataset (tests/conftest.py: park A 60% on 31/12/2022, then 71.4% on 14/10/2023 from 001).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.staff import (
    accounts_table,
    changes_table,
    conflict_lines,
    contact_record,
    date_text,
    field_changes,
    history_table,
    incentive_record,
    latest_occupancy,
    new_contact_id,
    new_incentive_id,
    parks_by_name,
    parks_recently_changed_first,
    parse_date,
    problem_lines,
    problems_csv,
    problems_table,
    provenance_problem,
    revert_choices,
    versions_table,
)
from heza_geo.errors import Conflict, Problem
from heza_geo.schema import LAYERS
from heza_geo.store.base import Change, ChangeSet, VersionEntry, VersionInfo

AT = datetime(2026, 11, 29, 14, 5, 59, tzinfo=UTC)
NAMES = {"dv": "Dinh Vu", "an": "An Duong", "tt": "Trang Due"}


def entry(version: int, park_id: str | None, op: str = "update", before: dict | None = None,
          after: dict | None = None) -> VersionEntry:
    return VersionEntry(id=version, version=version, layer="plots", record_id=f"{park_id}-1", park_id=park_id, op=op,
                        author="lan", at=AT, comment="survey", before=before, after=after)


def test_problems_are_listed_with_blanks_where_they_name_no_row_record_or_field():
    table = problems_table([Problem("plots.csv", "plots", "area_ha must be above 0", row=3, field="area_ha",
                                    record_id="P-3"),
                            Problem("plots.csv", "plots", "no geometry column")], "en")
    assert list(table.columns) == [i18n.t(k, "en") for k in ("dm.col_file", "dm.col_row", "dm.col_record",
                                                             "dm.col_field", "dm.col_problem")]
    assert table.to_numpy().tolist() == [["plots.csv", 3, "P-3", "area_ha", "area_ha must be above 0"],
                                         ["plots.csv", "", "", "", "no geometry column"]]


def test_an_imports_changes_say_the_operation_in_words_and_the_fields_it_touches():
    changes = ChangeSet((
        Change("plots", "P-1", "update", after={"plot_id": "P-1", "status": "leased", "tenant": "Co"},
               before={"plot_id": "P-1", "status": "available", "tenant": "Co"}),
        Change("plots", "P-2", "insert", after={"plot_id": "P-2", "status": "available"}),
    ))
    table = changes_table(changes, LAYERS["plots"], "vi")
    assert table.iloc[:, 0].tolist() == [i18n.t("op.update", "vi"), i18n.t("op.insert", "vi")]
    assert table[i18n.t("dm.col_record", "vi")].tolist() == ["P-1", "P-2"]
    assert table[i18n.t("dm.col_fields", "vi")].tolist() == ["status", "plot_id, status"]
    assert table["status"].tolist() == ["leased", "available"]  # then the record's values


def test_versions_are_written_to_the_minute_newest_first_as_given():
    table = versions_table([VersionInfo(2, AT, "lan", "survey 2025", "import", changes=3),
                            VersionInfo(1, AT, "admin", "initial", "import", changes=120)], "en")
    assert table.to_numpy().tolist() == [[2, "2026-11-29 14:05", "lan", 3, "survey 2025"],
                                         [1, "2026-11-29 14:05", "admin", 120, "initial"]]


def test_a_parks_history_says_each_fields_value_before_and_after_in_the_readers_words():
    table = history_table([entry(3, "dv", before={"status": "available", "tenant": None, "area_ha": 2.5},
                                 after={"status": "leased", "tenant": "Công ty C", "area_ha": 2.5})], "vi")
    row = table.iloc[0]
    assert row[i18n.t("dm.col_op", "vi")] == i18n.t("op.update", "vi")
    assert row[i18n.t("dm.col_layer", "vi")] == i18n.t("layer.plots", "vi")
    assert row[i18n.t("dm.col_changes", "vi")] == (
        f"{i18n.t('column.status', 'vi')}: {i18n.label('plot_status', 'available', 'vi')} → "
        f"{i18n.label('plot_status', 'leased', 'vi')}; {i18n.t('column.tenant', 'vi')}: — → Công ty C")
    assert row[i18n.t("dm.col_at", "vi")] == "2026-11-29 14:05"


def test_a_new_record_in_the_history_lists_its_values_and_an_outline_only_that_it_changed():
    added = entry(4, "dv", op="insert", after={"occupancy_pct": 97.5, "basis": "reported"})
    assert field_changes(added, "en") == "Occupancy (%): 97.5; Basis: Reported"
    moved = entry(5, "dv", before={"geometry": "0101000000000000000000f03f000000000000f03f"},
                  after={"geometry": "010100000000000000000000400000000000000040"})
    assert field_changes(moved, "en") == i18n.t("dm.outline_changed", "en")


def test_the_first_version_which_the_app_wrote_is_named_in_the_readers_words():
    first = VersionEntry(id=1, version=1, layer="plots", record_id="dv-1", park_id="dv", op="insert", author="system",
                         at=AT, comment="initial load from geodata/", before=None, after={"tenant": None})
    table = history_table([first], "ko")
    assert list(table[i18n.t("dm.col_author", "ko")]) == [i18n.t("dm.author_system", "ko")]
    assert list(table[i18n.t("dm.col_comment", "ko")]) == [i18n.t("dm.initial_load", "ko")]
    loaded = i18n.t("dm.initial_load", "ja")
    assert revert_choices([first], "ja") == {1: f"1 · {i18n.t('dm.author_system', 'ja')}, 2026-11-29 14:05 · {loaded}"}
    versions = versions_table([VersionInfo(1, AT, "system", "initial load from geodata/", "initial", 12)], "zh")
    assert versions.iloc[0].tolist() == [1, "2026-11-29 14:05", i18n.t("dm.author_system", "zh"), 12,
                                         i18n.t("dm.initial_load", "zh")]


def test_the_revert_list_starts_at_the_newest_version_and_names_who_when_and_why():
    choices = revert_choices([entry(3, "dv"), entry(7, "dv"), entry(7, "an")], "en")
    assert list(choices) == [7, 3]
    assert choices[7] == "7 · lan, 2026-11-29 14:05 · survey"


def test_a_conflict_names_who_changed_the_record_when_and_its_values_now():
    other = Conflict("plots", "dv-1", "changed", "changed", 9, "minh", AT, {"tenant": "Minh's", "status": "leased"})
    [line] = conflict_lines([other], "lan", "en", ("status", "tenant"))
    assert line == ("Plots dv-1: changed by minh at 2026-11-29 14:05 (UTC), version 9. "
                    "Now: Status: Leased; Tenant: Minh's")
    [own] = conflict_lines([other._replace(author="lan")], "lan", "vi")
    assert own.startswith(f"{i18n.t('layer.plots', 'vi')} dv-1: chính bạn (lan)")
    [gone] = conflict_lines([Conflict("plots", "dv-1", "no longer exists", "removed")], "lan", "en")
    assert gone == "Plots dv-1: " + i18n.t("dm.conflict_removed", "en")


def test_accounts_show_the_role_in_words_and_the_day_they_were_made():
    accounts = pd.DataFrame({"name": ["admin", "lan"], "role": ["admin", "staff"],
                             "created_at": ["2026-11-01T08:00:00+00:00", "2026-11-02T09:30:00+00:00"],
                             "disabled": [False, True]})
    table = accounts_table(accounts, "en")
    assert table.to_numpy().tolist() == [["admin", i18n.t("role.admin", "en"), "2026-11-01", False],
                                         ["lan", i18n.t("role.staff", "en"), "2026-11-02", True]]


def test_parks_are_offered_by_name_and_in_the_history_lately_changed_ones_first():
    assert parks_by_name(NAMES) == ["an", "dv", "tt"]
    recent = [entry(5, "tt"), entry(4, None), entry(3, "elsewhere"), entry(2, "tt")]
    assert parks_recently_changed_first(NAMES, recent) == ["tt", "an", "dv"]


def test_the_occupancy_form_says_the_parks_latest_figure(tiny_shared):
    line = latest_occupancy(tiny_shared.occupancy_history, "A", "en")
    assert line == i18n.t("dm.latest", "en", value="71.4%", date="14 Oct 2023",
                          source=f"{i18n.badge('report', 'en')} (001)")


def test_the_occupancy_form_writes_a_date_no_more_precisely_than_it_is_known(tiny_shared):
    history = tiny_shared.occupancy_history.assign(as_of_precision=None)
    history.loc[1, ["as_of", "as_of_precision"]] = [pd.Timestamp("2023-01-01"), "year"]
    history.loc[1, ["source_kind", "source"]] = [
        "approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)"]
    line = latest_occupancy(history, "A", "vi")
    assert line == i18n.t("dm.latest", "vi", value="71,4%", date="năm 2023", source=i18n.badge("approximate", "vi"))


@pytest.mark.parametrize(("kind", "reference", "field"), [
    ("report", "001_7f014fdbc8afe3e1.txt", None),
    ("news", "vietnam.vn 20/07/2025", None),
    ("synthetic demo", "", None),
    ("report", "the 2023 report", "dm.source"),
    ("news", "", "dm.source"),
    ("approximate", "  ", "dm.source"),
    ("rumour", "heard it", "column.source_kind"),
])
def test_a_provenance_staff_give_an_edit_is_checked_naming_its_field(kind, reference, field):
    problem = provenance_problem(kind, reference, "en")
    if field is None:
        assert problem is None
    else:
        assert problem is not None and problem.startswith(f"{i18n.t(field, 'en')}: ")


def test_the_occupancy_form_says_nothing_of_a_latest_figure_for_a_park_without_figures(tiny_shared):
    assert latest_occupancy(tiny_shared.occupancy_history, "C", "en") is None


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_keyed_problem_is_listed_in_the_readers_language(lang):
    from heza_geo.io.validation import problem

    found = problem("plots.csv", "plots", "problem.above_max", 3, "occupancy_pct", value="171.4", max="100")
    said = problems_table([found], lang)[i18n.t("dm.col_problem", lang)].tolist()
    assert said == [i18n.t("problem.above_max", lang, value="171.4", max="100")]
    assert (said[0] == "171.4 is above the maximum 100") == (lang == "en")


def test_the_problems_download_holds_every_message_whole_and_opens_in_excel():
    long = "x" * 400
    data = problems_csv([Problem("p.csv", "plots", long, row=2, field="area_ha"),
                         Problem("p.csv", "plots", "thiếu cột 'kind'")], "vi")
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 with its byte-order mark
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert table[i18n.t("dm.col_problem", "vi")].tolist() == [long, "thiếu cột 'kind'"]


# --- the passport, contact and incentive forms (issue 17) -------------------------------------------------
@pytest.mark.parametrize(("lang", "typed", "expected"), [
    ("vi", "30/11/2026", ("2026-11-30", "day")), ("en", "11/2026", ("2026-11", "month")),
    ("ko", "2026. 11. 30.", ("2026-11-30", "day")), ("ja", "2026/11", ("2026-11", "month")),
    ("zh", "2026年11月30日", ("2026-11-30", "day")), ("ko", "2026", ("2026", "year")),
    ("vi", "2026-11-30", ("2026-11-30", "day")),  # ISO in any language
])
def test_a_date_is_read_in_the_order_of_the_readers_date_fields_and_as_precisely_as_typed(lang, typed, expected):
    assert parse_date(typed, lang) == expected


@pytest.mark.parametrize("typed", ["31/02/2026", "13/2026", "2026/13", "next year", "1/2/3/4", "26"])
def test_a_date_that_does_not_exist_or_is_not_one_is_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed, "vi")


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh"])
@pytest.mark.parametrize(("stored", "precision"), [("2025-04-05", "day"), ("2027-06-01", "month"),
                                                   ("2025-01-01", "year")])
def test_a_stored_date_reads_back_as_it_was_known(lang, stored, precision):
    iso, read = parse_date(date_text(stored, precision, lang), lang)
    assert (pd.Timestamp(iso), read) == (pd.Timestamp(stored), precision)


def test_the_history_of_a_passport_says_dates_as_known_and_lists_by_their_labels():
    entry = VersionEntry(id=9, version=9, layer="passports", record_id="A", park_id="A", op="update",
                         author="lan", at=AT, comment="zoning map",
                         before={"permitted_sectors": "electronics", "readiness": "ready",
                                 "planning_as_of": "2025-01-01", "planning_as_of_precision": "year"},
                         after={"permitted_sectors": "electronics;logistics", "readiness": "infrastructure_under_way",
                                "planning_as_of": "2026-06-01", "planning_as_of_precision": "month"})
    said = field_changes(entry, "en")
    assert f"{i18n.t('column.permitted_sectors', 'en')}: Electronics → Electronics, Logistics" in said
    assert (f"{i18n.t('column.readiness', 'en')}: {i18n.t('readiness.ready', 'en')} → "
            f"{i18n.t('readiness.infrastructure_under_way', 'en')}") in said
    assert f"{i18n.t('column.planning_as_of', 'en')}: 2025 → Jun 2026" in said


def test_a_contacts_languages_are_named_in_the_readers_language():
    entry = VersionEntry(id=3, version=3, layer="contacts", record_id="A-sales", park_id="A", op="insert",
                         author="lan", at=AT, comment="new", before=None, after={"languages": "vi;ko"})
    assert field_changes(entry, "vi") == f"{i18n.t('column.languages', 'vi')}: Tiếng Việt, Tiếng Hàn"  # CLDR's names


def test_the_desk_and_a_parks_sales_office_are_found_and_new_ones_named(tiny_shared):
    contacts = tiny_shared.contacts
    assert contact_record(contacts, None)["contact_id"] == "heza-desk"
    assert contact_record(contacts, "A")["contact_id"] == "A-sales"
    assert contact_record(contacts, "B") is None and new_contact_id("B") == "B-sales"
    assert incentive_record(tiny_shared.incentives, "Z1")["incentive_id"] == "ez-Z1"
    assert incentive_record(tiny_shared.incentives, None) is None and new_incentive_id(None) == "industrial-parks"


def test_a_refused_form_names_each_field_as_the_form_labels_it():
    found = [Problem("form", "passports", "no kind", field="land_source_kind"),
             Problem("form", "passports", "too much", field="water_free_m3_day")]
    lines = problem_lines(found, "en", {"land_source_kind": "Kind of source"})
    assert lines == ["Kind of source: no kind", f"{i18n.t('column.water_free_m3_day', 'en')}: too much"]
