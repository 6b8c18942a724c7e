"""The park passport on the tiny dataset (tests/conftest.py, figures on paper in its docstring).

A: 100–120 USD/m² to 2058 (32 years left in 2026), 110 kV / 20 MW, water 10,000 / 3,000 m³/day,
wastewater 8,000 / 2,000 (column A), electronics and logistics, ready; utilities news of 05/04/2025.
B: 60–80 USD/m² to 2070 (44 years left), power and wastewater not published, water 20,000 / 12,000,
sectors not published, infrastructure under way until June 2027. C: no passport at all.
Largest free block: A's only available plot is A-3 (10 ha); B's is B-2 (15 ha); C has no plots.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.passport import GROUPS, incentive_text, largest_free_ha, passport, years_left
from heza_geo.config import LANGUAGES

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def data(tiny_shared):
    return tiny_shared


def test_groups_come_in_the_order_an_investor_asks(data):
    assert [g.key for g in passport(data, "A", "en", TODAY).groups] == list(GROUPS)
    assert GROUPS == ("land", "utilities", "planning", "incentives", "contacts")


def test_park_a_reads_its_figures_with_units_dates_and_badges(data):
    p = passport(data, "A", "en", TODAY)
    land, utilities, planning = p.group("land"), p.group("utilities"), p.group("planning")
    assert land.row("lease_price").value == "100–120 USD/m²"
    assert land.row("term_end").value == "2058 (32 years left)"
    assert land.row("min_plot").value == "1 ha"
    assert land.row("management_fee").value == "0.5 USD/m²/year"
    assert land.as_of == "as of 2025"  # known to the year: never "1 Jan 2025"
    assert land.badge.startswith(i18n.badge("synthetic demo", "en"))
    assert utilities.row("power_substation").value == "110 kV"
    assert utilities.row("power_available").value == "20 MW"
    assert utilities.row("water_capacity").value == "10,000 m³/day"
    assert utilities.row("water_free").value == "3,000 m³/day"
    assert utilities.row("wastewater_free").value == "2,000 m³/day"
    assert utilities.row("wastewater_standard").value == i18n.label("wastewater_standard", "A", "en")
    assert utilities.as_of == "as of 5 Apr 2025"
    assert utilities.badge == "Public news (example.vn 05/04/2025)"
    assert planning.row("permitted_sectors").value == "Electronics, Logistics"
    assert planning.row("readiness").value == i18n.label("readiness", "ready", "en")


def test_numbers_are_written_as_the_readers_language_writes_them(data):
    vi = passport(data, "A", "vi", TODAY).group("utilities")
    assert vi.row("water_capacity").value.startswith("10.000 ")
    assert passport(data, "A", "vi", TODAY).group("land").row("management_fee").value.startswith("0,5 ")


def test_park_b_unpublished_figures_read_not_published_never_zero(data):
    p = passport(data, "B", "en", TODAY)
    unknown = "Not published — ask HEZA"
    utilities = p.group("utilities")
    for key in ("power_substation", "power_available", "wastewater_capacity", "wastewater_free",
                "wastewater_standard"):
        assert utilities.row(key).value == unknown and not utilities.row(key).published
    assert p.group("land").row("min_plot").value == unknown
    assert p.group("planning").row("permitted_sectors").value == unknown
    assert utilities.row("water_free").value == "12,000 m³/day"
    assert all("0 " not in r.value for g in p.groups for r in g.rows if not r.published)


def test_park_b_readiness_says_when_it_will_be_ready_to_the_month(data):
    readiness = passport(data, "B", "en", TODAY).group("planning").row("readiness").value
    assert readiness == f"{i18n.label('readiness', 'infrastructure_under_way', 'en')} — ready Jun 2027"


def test_park_c_has_no_passport_and_each_of_its_groups_says_so_in_one_line(data):
    p = passport(data, "C", "en", TODAY)
    assert not p.exists
    for key in ("land", "utilities", "planning"):
        group = p.group(key)
        assert group.rows == () and group.empty == "Nothing published yet — ask HEZA"
        assert group.badge == "" and group.as_of == ""
    assert all(not f.published for f in p.key_facts)


def test_years_left_count_from_the_year_of_today():
    assert years_left(2058, TODAY) == 32
    assert years_left(2058, date(2030, 1, 1)) == 28
    assert years_left(2000, TODAY) == 0
    assert years_left(None, TODAY) is None


def test_key_facts_give_price_years_left_power_water_and_readiness_with_their_group_dates(data):
    p = passport(data, "A", "en", TODAY)
    assert [f.key for f in p.key_facts] == ["lease_price", "years_left", "power_available", "water_free",
                                            "readiness"]
    assert [f.value for f in p.key_facts][:4] == ["100–120 USD/m²", "32 years", "20 MW", "3,000 m³/day"]
    assert p.key_sources[2] == "as of 5 Apr 2025 · Public news (example.vn 05/04/2025)"
    assert p.key_sources[0].startswith("as of 2025 · ")
    b = passport(data, "B", "en", TODAY)
    assert b.row("power_available").value == "Not published — ask HEZA" and b.key_sources[2] == ""


def test_largest_free_area_is_the_largest_block_of_available_plots(data):
    assert largest_free_ha(data.plots, "A") == 10.0  # only A-3 is available
    assert largest_free_ha(data.plots, "B") == 15.0  # B-2
    assert largest_free_ha(data.plots, "C") is None  # no plots: unknown
    leased = data.plots.assign(status="leased")
    assert largest_free_ha(leased, "A") == 0.0  # plots, none free


def test_largest_free_area_is_badged_as_the_demo_plots_are(data):
    row = passport(data, "A", "en", TODAY).group("land").row("largest_free")
    assert row.value == "10 ha" and row.badge.startswith(i18n.badge("synthetic demo", "en"))
    assert passport(data, "B", "en", TODAY).group("land").row("largest_free").value == "15 ha"


def test_incentives_of_a_park_in_a_zone_are_its_zones_text_in_the_readers_language(data):
    for lang, text in (("en", "Test incentives of the Test EZ"), ("ko", "테스트 경제구역 인센티브"),
                       ("vi", "Ưu đãi thử của KKT Thử")):
        group = passport(data, "A", lang, TODAY).group("incentives")
        assert group.rows[0].value == text
        assert group.as_of == i18n.t("text.as_of", lang, date=i18n.fmt_date("2024", lang))
    assert passport(data, "C", "en", TODAY).group("incentives").rows[0].value == "Test incentives of the Test EZ"


def test_a_park_outside_a_zone_with_no_text_for_its_regime_reads_not_published(data):
    group = passport(data, "B", "en", TODAY).group("incentives")
    assert group.rows == () and group.empty == "Nothing published yet — ask HEZA"


def test_a_park_outside_a_zone_reads_the_industrial_parks_general_text(data):
    general = pd.DataFrame([{**data.incentives.iloc[0].to_dict(), "incentive_id": "ip", "regime": "industrial_park",
                             "zone_id": None, "text_en": "IP rules", "text_ko": None}])
    frames = data.incentives.assign(zone_id=data.incentives["zone_id"].astype(object))
    with_general = replace(data, incentives=pd.concat([frames, general], ignore_index=True))
    group = passport(with_general, "B", "ko", TODAY).group("incentives")
    assert group.rows[0].value == i18n.t("text.in_english", "ko", text="IP rules")  # marked as the original
    assert group.rows[0].label == i18n.label("incentive_regime", "industrial_park", "ko")


def test_a_language_with_no_text_shows_the_english_or_vietnamese_original_marked():
    row = pd.Series({"text_vi": "Ưu đãi", "text_en": "Incentives", "text_ko": None, "text_ja": None, "text_zh": None})
    assert incentive_text(row, "ja") == i18n.t("text.in_english", "ja", text="Incentives")
    only_vi = row.copy()
    only_vi["text_en"] = None
    assert incentive_text(only_vi, "ko") == "(베트남어 원문) “Ưu đãi”"
    assert incentive_text(only_vi, "en") == "(Vietnamese original) “Ưu đãi”"
    assert incentive_text(only_vi, "vi") == "Ưu đãi"


def test_contacts_are_the_developers_office_then_hezas_desk_for_every_park(data):
    a = passport(data, "A", "en", TODAY).group("contacts").contacts
    assert [c.organisation for c in a] == ["Dev A", "HEZA test desk"]
    assert a[0].role == i18n.label("contact_role", "developer_sales", "en")
    details = dict(a[0].details)
    assert details["E-mail"] == "sales@example.com" and details["Website"] == "deva.example"
    assert i18n.t("column.phone", "en") not in details  # none given: none shown, none invented
    b = passport(data, "B", "en", TODAY).group("contacts").contacts
    assert [c.organisation for c in b] == ["HEZA test desk"]


def test_a_demo_contact_is_badged_synthetic_demo(data):
    for contact in passport(data, "A", "ko", TODAY).group("contacts").contacts:
        assert contact.badge.startswith(i18n.badge("synthetic demo", "ko"))
        assert contact.as_of == "2025년 기준"


def test_languages_spoken_are_named_in_the_readers_language(data):
    desk = passport(data, "B", "ko", TODAY).group("contacts").contacts[0]
    assert dict(desk.details)[i18n.t("column.languages", "ko")] == "베트남어, 영어, 일본어 및 한국어"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_is_translated_in_every_language(data, lang):
    p = passport(data, "A", lang, TODAY)
    for key in ["passport.group.incentives", "passport.group.contacts", "passport.not_published",
                "passport.group_not_published", *(f"passport_group.{g}" for g in GROUPS[:3])]:
        assert i18n.has_translation(key, lang)
    for group in p.groups:
        for row in group.rows:
            if row.key != "incentives":
                assert i18n.has_translation(f"passport.row.{row.key}", lang), (lang, row.key)
    if lang != "en":  # the words are the language's own, not English
        assert p.group("land").title != i18n.label("passport_group", "land", "en")
        assert p.group("land").row("lease_price").label != "Land lease price (whole term)"


def test_an_unknown_park_is_refused(data):
    with pytest.raises(KeyError):
        passport(data, "nope", "en", TODAY)
