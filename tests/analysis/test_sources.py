"""Provenance in words and the source notes, on the tiny dataset (tests/conftest.py).

Its one note (topic ``berth_count``, about no subject) reads "003 says 8 berths operate" in
English, "003 nói 8 bến đang khai thác" in Vietnamese, from report 003.
"""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.port import port_notes
from heza_geo.analysis.sources import (
    city_notes,
    dated_provenance,
    occupancy_notes,
    park_notes,
    port_note_lines,
    provenance,
    readable_text,
    reference,
    row_provenance,
    source_name,
    sources_line,
)
from heza_geo.config import LANGUAGES
from heza_geo.schema import REPORT_FILES, Provenance

REPORT_001 = "001_7f014fdbc8afe3e1.txt"
REPORT_003 = "003_c29c595c5ac2d704.txt"
R001 = Provenance("report", REPORT_001)
NEWS = Provenance("news", "example.vn 05/04/2025")
#: an approximation whose method names the report it was derived from
APPROX_FROM_002 = Provenance("approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)")


def test_a_source_is_referred_to_by_its_report_number_or_news_site_and_date():
    assert reference(R001, "en") == "001"
    assert reference(NEWS, "en") == "example.vn 05/04/2025"
    # the method, not report 002; the file it cites named as a reader names the report
    assert reference(APPROX_FROM_002, "en") == (
        "share of the 6,100 ha total (HEZA report of Nov 2024 (2024 international integration))")
    assert reference(Provenance("synthetic demo"), "en") == reference(Provenance.of(None, float("nan")), "en") == ""


def test_provenance_gives_the_badge_with_its_reference_then_date_then_a_basis_that_is_not_reported():
    official = i18n.badge("report", "en")
    assert provenance(R001, "en") == f"{official} (001)"
    assert provenance(R001, "en", "2023-10-14", "reported") == f"{official} (001) · as of 14 Oct 2023"
    assert provenance(R001, "vi", "2023-10-14", "estimate") == (
        f"{i18n.badge('report', 'vi')} (001) · {i18n.t('text.as_of', 'vi', date='14/10/2023')} · "
        f"{i18n.label('basis', 'estimate', 'vi')}")
    assert provenance(NEWS, "en") == f"{i18n.badge('news', 'en')} (example.vn 05/04/2025)"
    assert provenance(R001, "en", "2018-01-01", None, "year") == f"{official} (001) · as of 2018"


def test_an_approximation_citing_a_report_is_never_badged_as_the_report():
    assert provenance(APPROX_FROM_002, "en") == i18n.badge("approximate", "en")
    assert i18n.badge("report", "en") not in provenance(APPROX_FROM_002, "en", "2024-11-30", "estimate")


def test_a_missing_source_says_so_without_a_reference():
    none = i18n.badge("none", "en")
    assert provenance(Provenance.of(None, None), "en") == provenance(Provenance.of(float("nan"), ""), "en") == none
    assert provenance(Provenance("synthetic demo"), "en") == i18n.badge("synthetic demo", "en")  # nothing to follow


def test_a_records_provenance_is_read_from_its_kind_and_reference_columns_with_its_date():
    row = pd.Series({"occupancy_source_kind": "report", "occupancy_source": REPORT_001,
                     "as_of": pd.Timestamp("2018-01-01"), "as_of_precision": "year", "basis": "estimate"})
    assert row_provenance(row, "vi", "occupancy_source", as_of="as_of", basis="basis") == (
        provenance(R001, "vi", "2018-01-01", "estimate", "year"))
    assert "năm 2018" in row_provenance(row, "vi", "occupancy_source", as_of="as_of")


def test_the_map_cards_write_the_date_first():
    assert dated_provenance("2023-10-14", R001, "estimate", "en") == (
        f"as of 14 Oct 2023 · {i18n.badge('report', 'en')} (001) · {i18n.label('basis', 'estimate', 'en')}")
    assert dated_provenance(pd.NaT, R001, None, "en") == f"{i18n.badge('report', 'en')} (001)"


def test_a_sources_line_names_each_badge_once_with_its_references_and_periods(tiny_shared):
    rows = tiny_shared.investment.sort_values("period_end")
    line = sources_line(rows, "en", lambda p: p.upper())
    official = i18n.badge("report", "en")
    assert line == (f"{official}: 001 (10 MONTHS 2023), 003 (YEAR 2023, {i18n.label('basis', 'estimate', 'en')}), "
                    f"002 (11 MONTHS 2024)")
    assert sources_line(rows, "en") == f"{official}: 001, 003 ({i18n.label('basis', 'estimate', 'en')}), 002"


def test_notes_are_read_in_the_readers_data_language_with_their_source(tiny_shared):
    notes = tiny_shared.source_notes
    assert city_notes(notes, "vi") == ["003 nói 8 bến đang khai thác (003)"]
    # no Korean data: the English note, marked as the English original in Korean
    assert city_notes(notes, "ko") == [f"{i18n.t('text.in_english', 'ko', text='003 says 8 berths operate')} (003)"]
    assert city_notes(notes, "en") == ["003 says 8 berths operate (003)"]
    assert port_note_lines(port_notes(notes), "en") == [
        f"003 says 8 berths operate — {provenance(Provenance('report', REPORT_003), 'en')}"]


def test_notes_about_a_park_or_occupancy_are_only_theirs(tiny_shared):
    notes = pd.concat([tiny_shared.source_notes, pd.DataFrame({
        "topic": ["occupancy"], "subject_id": ["A"], "note_vi": ["A: số liệu ước tính"],
        "note_en": ["A: an estimate"], "source_kind": ["news"], "source": ["example.vn 05/04/2025"]})],
        ignore_index=True)
    assert park_notes(notes, "A", "en") == ["A: an estimate (example.vn 05/04/2025)"]
    assert park_notes(notes, "B", "en") == []
    assert occupancy_notes(notes, "vi") == ["A: số liệu ước tính (example.vn 05/04/2025)"]


# --- a source as a reader names it (issue 16: no report file name, no "GEOREF.md") ----------------
#: report 001 as each language names it: its date as the app writes dates, its short title
REPORT_001_NAMED = {
    "en": "HEZA report of 14 Oct 2023 (Oct 2023 review)",
    "vi": "Báo cáo của Ban Quản lý KKT Hải Phòng, 14/10/2023 (đánh giá tháng 10/2023)",
    "ko": "2023. 10. 14. HEZA 보고서(2023년 10월 실적 평가)",
    "ja": "2023/10/14付 HEZA報告書（2023年10月の実績評価）",  # noqa: RUF001 (ja and zh write fullwidth brackets)
    "zh": "HEZA 2023年10月14日报告（2023年10月工作评估）",  # noqa: RUF001 (ja and zh write fullwidth brackets)
}
#: report 002 gives no day (11 months of 2024, answering a letter of 05/11/2024): named to the month
REPORT_002_NAMED = {
    "en": "HEZA report of Nov 2024 (2024 international integration)",
    "vi": "Báo cáo của Ban Quản lý KKT Hải Phòng, tháng 11/2024 (hội nhập quốc tế năm 2024)",
    "ko": "2024년 11월 HEZA 보고서(2024년 국제 통합)",
    "ja": "2024年11月付 HEZA報告書（2024年の国際統合）",  # noqa: RUF001 (ja and zh write fullwidth brackets)
    "zh": "HEZA 2024年11月报告（2024年国际一体化）",  # noqa: RUF001 (ja and zh write fullwidth brackets)
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_report_is_named_by_its_date_and_title_never_by_its_file(lang):
    assert source_name(R001, lang) == REPORT_001_NAMED[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_report_known_only_to_the_month_is_named_no_more_precisely(lang):
    assert source_name(Provenance("report", "002_03c113ee68876e37.txt"), lang) == REPORT_002_NAMED[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_report_has_a_title_of_its_own_in_every_language(lang):
    names = [source_name(Provenance("report", file), lang) for file in REPORT_FILES]
    assert len(set(names)) == len(REPORT_FILES)
    for file, name in zip(REPORT_FILES, names, strict=True):
        assert file not in name and ".txt" not in name and i18n.has_translation(f"source.report_title.{file[:3]}", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_news_is_named_by_its_site_and_date_as_given(lang):
    assert source_name(NEWS, lang) == "example.vn 05/04/2025"


def test_an_approximation_is_named_by_its_method_marked_as_english_and_a_report_file_in_it_by_the_report():
    # the data write every method in English: another reader is told so, not shown it as if translated
    assert source_name(APPROX_FROM_002, "en") == f"Approximate: share of the 6,100 ha total ({REPORT_002_NAMED['en']})"
    assert source_name(APPROX_FROM_002, "vi") == (
        f"Gần đúng: (Bản gốc tiếng Anh) “share of the 6,100 ha total ({REPORT_002_NAMED['vi']})”")
    marked = i18n.t("text.in_english", "zh", text=f"share of the 6,100 ha total ({REPORT_002_NAMED['zh']})")
    assert source_name(APPROX_FROM_002, "zh") == f"近似值：{marked}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_reference_position_from_the_projects_georef_notes_is_named_as_what_it_is(lang):
    named = source_name(Provenance("approximate", "reference point from public sources (GEOREF.md)"), lang)
    assert "GEOREF" not in named and i18n.t("source.georef", lang) in named
    assert source_name(Provenance("approximate", "reference point from public sources (GEOREF.md)"), "en") == (
        "Approximate: reference point from public sources "
        "(public maps and news compiled by the project (positions approximate))")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_synthetic_demo_is_named_synthetic_demo_and_no_source_names_nothing(lang):
    assert source_name(Provenance("synthetic demo"), lang) == i18n.label("provenance", "synthetic demo", lang)
    assert source_name(Provenance.of(None, None), lang) == ""


def test_a_note_citing_a_report_file_reads_the_report_as_a_reader_names_it():
    note = "In operation since 2018 (report 001_7f014fdbc8afe3e1.txt); opened May 2018 (GEOREF.md)."
    assert readable_text(note, "en") == (
        f"In operation since 2018 (report {REPORT_001_NAMED['en']}); opened May 2018 "
        "(public maps and news compiled by the project (positions approximate)).")
    assert readable_text(note, "ja").startswith(f"In operation since 2018 (report {REPORT_001_NAMED['ja']})")
    assert readable_text("003 says 8 berths operate", "en") == "003 says 8 berths operate"  # nothing to name
    assert readable_text(None, "en") == readable_text(float("nan"), "en") == ""
    assert readable_text("see 009_0000000000000000.txt", "en") == "see HEZA report"  # not a report we know: no file
    assert readable_text("as 001_7f014fdbc8afe3e1 says", "en") == f"as {REPORT_001_NAMED['en']} says"  # no .txt


def test_source_notes_citing_a_report_file_are_shown_with_the_report_named(tiny_shared):
    notes = tiny_shared.source_notes.assign(note_en="8 berths operate (003_c29c595c5ac2d704.txt)",
                                            note_vi="8 bến đang khai thác (GEOREF.md)")
    assert city_notes(notes, "en") == [
        "8 berths operate (HEZA report of 18 Dec 2023 (2023 year-end conference)) (003)"]
    assert city_notes(notes, "vi") == [f"8 bến đang khai thác ({i18n.t('source.georef', 'vi')}) (003)"]
    assert "003_c29c595c5ac2d704" not in port_note_lines(port_notes(notes), "en")[0]
