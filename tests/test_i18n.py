"""Catalog completeness, labels of every schema value, fallbacks and locale formats."""

from __future__ import annotations

import logging
import re
import string
from datetime import date, datetime
from pathlib import Path
from typing import get_args

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from heza_geo import i18n, schema
from heza_geo.config import LANGUAGES
from heza_geo.i18n import (
    LABEL_VALUES,
    MISSING,
    badge,
    extra_keys,
    fmt_area_ha,
    fmt_date,
    fmt_km,
    fmt_money,
    fmt_number,
    fmt_percent,
    has_translation,
    label,
    label_key,
    missing_keys,
    t,
    template_keys,
    translator,
)

#: each label kind and the schema values it must cover, read from the schema itself
SCHEMA_KINDS: dict[str, tuple[str, ...]] = {
    "stage": schema.PARK_STAGE,
    "park_status": schema.PARK_STATUS,
    "zone_status": schema.ZONE_STATUS,
    "plot_status": schema.PLOT_STATUS,
    "sector": schema.SECTORS,
    "berth_status": schema.BERTH_STATUS,
    "housing_kind": schema.HOUSING_KIND,
    "housing_status": schema.HOUSING_STATUS,
    "connectivity_kind": schema.CONNECTIVITY_KIND,
    "provenance": get_args(schema.ProvenanceKind),  # the kinds, and "none" (no source given)
    "precision": schema.DATE_PRECISION,
    "basis": schema.FIGURE_BASIS,
    "geometry_quality": schema.GEOMETRY_QUALITY,
    "occupancy_scope": schema.OCCUPANCY_SCOPE,
    "province": schema.PROVINCE_BEFORE_2025,
    "metric": schema.INVESTMENT_METRICS + schema.ENTERPRISE_METRICS,
    "investor_kind": schema.INVESTOR_KIND,
    "readiness": schema.PLOT_READINESS,
    "wastewater_standard": schema.WASTEWATER_STANDARD,
    "contact_role": schema.CONTACT_ROLE,
    "incentive_regime": schema.INCENTIVE_REGIME,
    "passport_group": schema.PASSPORT_GROUPS,
    "layer": (*schema.LAYERS, "offline", "street", "satellite", "light"),
    "column": tuple({c.name for layer in schema.LAYERS.values() for c in layer.columns}),
}
SCHEMA_LABELS = [(kind, value) for kind, values in SCHEMA_KINDS.items() for value in sorted(values)]

#: strings that may legitimately stay in Latin script in Korean, Japanese and Chinese
LATIN_OK = {"format.quantity", "unit.ha", "unit.km", "unit.m", "unit.usd_m2", "unit.m2", "unit.kv", "unit.mw",
            "unit.usd_kwh", "unit.usd_m3",
            "detail.plot_group"}  # a format: "{status} ({n}) · {area}", no word of its own


@pytest.fixture
def fresh_catalogs():
    i18n.clear_cache()
    yield
    i18n.clear_cache()


# --- catalogs ----------------------------------------------------------------------------------
def test_every_template_key_is_translated_in_every_language():
    assert missing_keys() == {lang: [] for lang in LANGUAGES}


def test_catalogs_hold_no_key_absent_from_template():
    assert extra_keys() == {lang: [] for lang in LANGUAGES}


def test_template_has_one_entry_per_key_and_no_translations():
    keys = template_keys()
    assert len(keys) == len(set(keys)) > 200
    with (i18n.LOCALES_DIR / "heza.pot").open("rb") as fh:
        assert [m.id for m in read_po(fh) if m.id and m.string] == []


def test_placeholders_are_the_same_in_every_language():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    for key in template_keys():
        english = fields(t(key, "en"))
        for lang in LANGUAGES:
            assert fields(t(key, lang)) == english, (lang, key)


@pytest.mark.parametrize("lang", ["ko", "ja", "zh"])
def test_cjk_catalogs_are_not_left_in_english(lang):
    untranslated = [k for k in template_keys() if k not in LATIN_OK and t(k, lang).isascii()]
    assert untranslated == []


def test_vietnamese_catalog_is_not_left_in_english():
    same = [k for k in template_keys() if t(k, "vi") == t(k, "en") and k not in LATIN_OK]
    assert same == ["sector.logistics"]


def test_language_names_cover_configured_languages():
    assert set(i18n.LANGUAGE_NAMES) == set(LANGUAGES)
    assert i18n.LANGUAGE_NAMES["vi"] == "Tiếng Việt"


# --- labels of schema values -------------------------------------------------------------------
@pytest.mark.parametrize("kind,value", SCHEMA_LABELS, ids=[f"{k}.{v}" for k, v in SCHEMA_LABELS])
def test_every_schema_value_has_a_label_in_every_language(kind, value):
    key = label_key(kind, value)
    assert key in template_keys()
    for lang in LANGUAGES:
        assert has_translation(key, lang), (lang, key)
        assert label(kind, value, lang) not in ("", key)


def test_label_kinds_match_the_schema():
    assert {k: set(v) for k, v in LABEL_VALUES.items()} == {k: set(v) for k, v in SCHEMA_KINDS.items()}


def test_every_allowed_tuple_of_the_schema_has_a_label_kind():
    covered = [set(values) for values in SCHEMA_KINDS.values()]
    tuples = {
        name: value
        for name, value in vars(schema).items()
        if name.isupper()
        and not name.startswith("_")
        and isinstance(value, tuple)
        and value
        and all(isinstance(v, str) for v in value)
    }
    tuples |= {f"{layer.name}.{c.name}": c.allowed for layer in schema.LAYERS.values() for c in layer.columns
               if c.allowed}
    uncovered = [name for name, values in tuples.items() if not any(set(values) <= c for c in covered)]
    assert uncovered == []


def test_labels_use_heza_terms():
    assert label("stage", "full", "vi") == "Cơ bản lấp đầy"
    assert label("stage", "site_clearance", "vi") == "Giải phóng mặt bằng"
    assert label("stage", "building_infrastructure", "vi") == "Xây dựng hạ tầng"
    assert label("plot_status", "leased", "en") == "Leased"
    assert label("layer", "parks", "ko") == "산업단지"
    assert label("layer", "parks", "ja") == "工業団地"
    assert label("layer", "parks", "zh") == "工业园区"
    assert label("basis", "synthetic demo", "en") == "Synthetic demo"
    assert label("province", "Hải Phòng", "en") == "East (old Hai Phong)"  # the region HEZA reports


def test_label_of_missing_value_is_a_dash():
    assert label("sector", None, "vi") == MISSING
    assert label("sector", float("nan"), "en") == MISSING


def test_provenance_labels_are_the_kinds_and_none():
    assert set(LABEL_VALUES["provenance"]) == {*schema.PROVENANCE_KINDS, schema.NO_SOURCE}
    assert "other" not in LABEL_VALUES["provenance"]
    assert label("provenance", "none", "en") == "No source"


def test_badge_follows_the_kind_of_a_provenance():
    assert badge(schema.Provenance("report", "001_7f014fdbc8afe3e1.txt"), "en") == "Official figure – HEZA report"
    assert badge("report", "en") == "Official figure – HEZA report"
    assert badge(schema.Provenance("news", "vietnamplus.vn 20/07/2025"), "en") == "Public news"
    assert badge("approximate", "en") == "Approximate – not a published figure"
    assert badge(schema.Provenance("synthetic demo"), "en") == "Synthetic demo data – not an official figure"
    for missing in (None, "", schema.Provenance.of(float("nan"), None)):
        assert badge(missing, "en") == "Source not given"


def test_a_source_text_is_never_read_for_its_kind():
    """A reference passed where a kind belongs badges as no source, never as what its text names."""
    for text in ("001_7f014fdbc8afe3e1.txt", "news: vietnamplus.vn", "approximate: … (002_03c113ee68876e37.txt)",
                 "other"):
        assert badge(text, "en") == "Source not given", text


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_an_approximation_naming_a_report_is_never_badged_as_the_report(lang):
    """The bug: "approximate: share of … (002_….txt)" was badged "Official figure – HEZA report"."""
    for ref in ("share of the 6,100 ha total (002_03c113ee68876e37.txt)", "002_03c113ee68876e37.txt",
                "… 002_03c113ee68876e37.txt …"):
        found = schema.Provenance("approximate", ref)
        assert badge(found, lang) != badge("report", lang)
        assert badge(found, lang) == badge("approximate", lang) == translator(lang).badge(found)


# --- fallbacks and placeholders ----------------------------------------------------------------
def test_unknown_key_falls_back_to_the_key_and_warns(caplog, fresh_catalogs):
    with caplog.at_level(logging.WARNING, logger="heza_geo.i18n"):
        assert t("no.such.key", "ko") == "no.such.key"
    assert "no.such.key" in caplog.text


def test_unknown_label_falls_back_to_the_raw_value():
    assert label("sector", "aerospace", "ja") == "aerospace"


def test_key_missing_in_a_language_falls_back_to_english(tmp_path: Path, monkeypatch, fresh_catalogs):
    for lang, body in {"en": 'msgid "x.only_en"\nmsgstr "English only"\n', "ko": ""}.items():
        path = tmp_path / lang / "LC_MESSAGES" / "heza.po"
        path.parent.mkdir(parents=True)
        path.write_text(body, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert t("x.only_en", "ko") == "English only"
    assert t("x.only_en", "ja") == "English only"  # no ja catalog at all


def test_unknown_language_falls_back_to_english(fresh_catalogs):
    assert t("layer.parks", "fr") == "Industrial parks"
    assert t("layer.parks", "ko-KR") == "산업단지"
    assert t("layer.parks", None) == "Khu công nghiệp"


def test_placeholders_render_in_every_language():
    assert t("text.as_of", "en", date="14 Oct 2023") == "as of 14 Oct 2023"
    assert t("text.as_of", "vi", date="14/10/2023") == "tính đến 14/10/2023"
    assert t("text.source", "ja", source="001") == "出典：001"
    assert t("msg.load_error", "en", error="disk full") == "Data could not be loaded: disk full"
    assert t("map.parks_shown", "vi", n=3, total=14) == "Số KCN hiển thị: 3/14"
    assert t("detail.title", "zh", park="VSIP Hai Phong") == "园区详情：VSIP Hai Phong"


def test_missing_placeholder_does_not_raise(fresh_catalogs):
    assert t("text.as_of", "en", source="x") == "as of {date}"


def test_translator_binds_a_language():
    tr = translator("vi")
    assert tr("layer.parks") == "Khu công nghiệp"
    assert tr.label("plot_status", "available") == "Còn trống"
    assert tr.area_ha(2591.74) == "2.591,74 ha"
    assert tr.percent(63.25, 2) == "63,25%"


# --- numbers and dates -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang,expected",
    [("vi", "2.591,74"), ("en", "2,591.74"), ("ko", "2,591.74"), ("ja", "2,591.74"), ("zh", "2,591.74")],
)
def test_number_uses_the_language_separators(lang, expected):
    assert fmt_number(2591.74, lang) == expected


def test_number_decimals():
    assert fmt_number(180753, "vi", 0) == "180.753"
    assert fmt_number(3037, "en", 1) == "3,037.0"
    assert fmt_number(3037, "en", None) == "3,037"
    assert fmt_number(21.4, "vi", None) == "21,4"
    assert fmt_number(-0.001, "en") == "0.00"


@pytest.mark.parametrize(
    "lang,expected", [("vi", "76,6%"), ("en", "76.6%"), ("ko", "76.6%"), ("ja", "76.6%"), ("zh", "76.6%")]
)
def test_percent_takes_0_to_100(lang, expected):
    assert fmt_percent(76.6, lang) == expected


def test_percent_decimals():
    assert fmt_percent(63.25, "vi", 2) == "63,25%"
    assert fmt_percent(100, "en", 0) == "100%"


def test_area_distance_and_money_carry_translated_units():
    assert fmt_area_ha(2591.74, "vi") == "2.591,74 ha"
    assert fmt_area_ha(2591.74, "en") == "2,591.74 ha"
    assert fmt_area_ha(2591.74, "zh") == "2,591.74公顷"
    assert fmt_km(12.345, "en") == "12.3 km"
    assert fmt_money(3037, "million USD", "vi") == "3.037 triệu USD"
    assert fmt_money(1567.46, "million USD", "en") == "1,567.46 million USD"
    assert fmt_money(23762, "billion VND", "vi") == "23.762 tỷ đồng"
    assert fmt_money(3037, "million USD", "ja") == "3,037百万ドル"
    assert fmt_money(3037, "million USD", "ko") == "3,037 백만 달러"
    assert fmt_money(5, "bushels", "en") == "5 bushels"


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("vi", "14/10/2023"),
        ("en", "14 Oct 2023"),
        ("ko", "2023. 10. 14."),
        ("ja", "2023/10/14"),
        ("zh", "2023年10月14日"),
    ],
)
def test_date_format_per_language(lang, expected):
    assert fmt_date(date(2023, 10, 14), lang) == expected
    assert fmt_date("2023-10-14", lang) == expected
    assert fmt_date(datetime(2023, 10, 14, 9, 30), lang) == expected
    assert fmt_date(pd.Timestamp("2023-10-14"), lang) == expected


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_a_date_known_to_the_year_or_month_is_written_without_a_day(lang):
    day = date(2018, 5, 13)
    year = fmt_date(day, lang, "year")
    assert re.findall(r"\d+", year) == ["2018"], year
    assert fmt_date("2018-01-01", lang, "year") == fmt_date("2018", lang) == year
    assert translator(lang).date(pd.Timestamp("2018-01-01"), "year") == year
    month = fmt_date(day, lang, "month")
    assert "2018" in re.findall(r"\d+", month) and set(re.findall(r"\d+", month)) <= {"2018", "5", "05"}, month
    assert fmt_date("2018-05-01", lang, "month") == fmt_date("2018-05", lang) == month
    assert month != year and "13" not in month
    assert "13" in fmt_date(day, lang, "day") and fmt_date(day, lang, "day") == fmt_date(day, lang)
    assert fmt_date(day, lang, None) == fmt_date(day, lang, float("nan")) == fmt_date(day, lang)  # empty = a day


def test_a_year_reads_naturally():
    assert fmt_date("2018", "en") == "2018"
    assert fmt_date("2018", "vi") == "năm 2018"
    assert fmt_date("2018-05", "en", "month") == "May 2018"


def test_date_keeps_text_that_is_not_a_date():
    assert fmt_date("end-2024", "en") == "end-2024"


@pytest.mark.parametrize("empty", [None, float("nan"), pd.NA, pd.NaT])
def test_missing_values_format_as_a_dash(empty):
    for lang in LANGUAGES:
        assert fmt_number(empty, lang) == MISSING
        assert fmt_percent(empty, lang) == MISSING
        assert fmt_area_ha(empty, lang) == MISSING
        assert fmt_km(empty, lang) == MISSING
        assert fmt_money(empty, "million USD", lang) == MISSING
        assert fmt_date(empty, lang) == MISSING
