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
    reference,
    row_provenance,
    sources_line,
)
from heza_geo.schema import Provenance

REPORT_001 = "001_7f014fdbc8afe3e1.txt"
REPORT_003 = "003_c29c595c5ac2d704.txt"
R001 = Provenance("report", REPORT_001)
NEWS = Provenance("news", "example.vn 05/04/2025")
#: an approximation whose method names the report it was derived from
APPROX_FROM_002 = Provenance("approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)")


def test_a_source_is_referred_to_by_its_report_number_or_news_site_and_date():
    assert reference(R001) == "001"
    assert reference(NEWS) == "example.vn 05/04/2025"
    assert reference(APPROX_FROM_002) == APPROX_FROM_002.ref  # the method, not report 002
    assert reference(Provenance("synthetic demo")) == reference(Provenance.of(None, float("nan"))) == ""


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
    assert city_notes(notes, "ko") == ["003 says 8 berths operate (003)"]  # no Korean data: English
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
