"""Provenance in words and the source notes, on the tiny dataset (tests/conftest.py).

Its one note (topic ``berth_count``, about no subject) reads "003 says 8 berths operate" in
English, "003 nói 8 bến đang khai thác" in Vietnamese, from report 003.
"""

from __future__ import annotations

import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.port import port_notes
from heza_geo.analysis.sources import (
    city_notes,
    dated_provenance,
    occupancy_notes,
    park_notes,
    port_note_lines,
    provenance,
    source_ref,
    sources_line,
)

REPORT_001 = "001_7f014fdbc8afe3e1.txt"
REPORT_003 = "003_c29c595c5ac2d704.txt"


def test_a_source_is_referred_to_by_its_report_number_or_news_site():
    assert source_ref(REPORT_001) == "001"
    assert source_ref("news: example.vn") == "example.vn"
    assert source_ref("approximate") == "approximate"
    assert source_ref(None) == source_ref(float("nan")) == ""


def test_provenance_gives_the_badge_with_its_reference_then_date_then_a_basis_that_is_not_reported():
    official = i18n.badge(REPORT_001, "en")
    assert provenance(REPORT_001, "en") == f"{official} (001)"
    assert provenance(REPORT_001, "en", "2023-10-14", "reported") == f"{official} (001) · as of 14 Oct 2023"
    assert provenance(REPORT_001, "vi", "2023-10-14", "estimate") == (
        f"{i18n.badge(REPORT_001, 'vi')} (001) · {i18n.t('text.as_of', 'vi', date='14/10/2023')} · "
        f"{i18n.label('basis', 'estimate', 'vi')}")
    assert provenance("news: example.vn", "en") == f"{i18n.badge('news: example.vn', 'en')} (example.vn)"


def test_a_missing_source_reads_as_another_source_without_a_reference():
    other = i18n.badge(None, "en")
    assert provenance(None, "en") == provenance(float("nan"), "en") == provenance("", "en") == other
    assert provenance("synthetic demo", "en") == i18n.badge("synthetic demo", "en")  # no reference to follow


def test_the_map_cards_write_the_date_first():
    assert dated_provenance("2023-10-14", REPORT_001, "estimate", "en") == (
        f"as of 14 Oct 2023 · {i18n.badge(REPORT_001, 'en')} (001) · {i18n.label('basis', 'estimate', 'en')}")
    assert dated_provenance(pd.NaT, REPORT_001, None, "en") == f"{i18n.badge(REPORT_001, 'en')} (001)"


def test_a_sources_line_names_each_badge_once_with_its_references_and_periods(tiny_shared):
    rows = tiny_shared.investment.sort_values("period_end")
    line = sources_line(rows, "en", lambda p: p.upper())
    official = i18n.badge(REPORT_001, "en")
    assert line == (f"{official}: 001 (10 MONTHS 2023), 003 (YEAR 2023, {i18n.label('basis', 'estimate', 'en')}), "
                    f"002 (11 MONTHS 2024)")
    assert sources_line(rows, "en") == f"{official}: 001, 003 ({i18n.label('basis', 'estimate', 'en')}), 002"


def test_notes_are_read_in_the_readers_data_language_with_their_source(tiny_shared):
    notes = tiny_shared.source_notes
    assert city_notes(notes, "vi") == [f"003 nói 8 bến đang khai thác ({REPORT_003})"]
    assert city_notes(notes, "ko") == [f"003 says 8 berths operate ({REPORT_003})"]  # no Korean data: English
    assert port_note_lines(port_notes(notes), "en") == [f"003 says 8 berths operate — {provenance(REPORT_003, 'en')}"]


def test_notes_about_a_park_or_occupancy_are_only_theirs(tiny_shared):
    notes = pd.concat([tiny_shared.source_notes, pd.DataFrame({
        "topic": ["occupancy"], "subject_id": ["A"], "note_vi": ["A: số liệu ước tính"],
        "note_en": ["A: an estimate"], "source": ["news: example.vn"]})], ignore_index=True)
    assert park_notes(notes, "A", "en") == ["A: an estimate (news: example.vn)"]
    assert park_notes(notes, "B", "en") == []
    assert occupancy_notes(notes, "vi") == ["A: số liệu ước tính (example.vn)"]
