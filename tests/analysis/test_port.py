"""The port page's logic on the tiny dataset (tests/conftest.py), against figures computed on paper.

Berth 1 (operating since 2018, no day known: as_of 2018-01-01, precision year) is the quay
x = X0 + 6 km, berth 2 (under construction from 2022-01-01, operating from 2025-04-05) is
x = X0 + 9 km, both y = Y0 … Y0 + 1 km. So:

  park   nearest point                 to berth 1        to berth 2
  A      east edge x = X0 + 1 km       5 km              8 km
  B      east edge x = X0 - 2 km       8 km              11 km
  C      corner (X0 + 0.5, Y0 + 3) km  √(5.5² + 2²) = 5.852 km   √(8.5² + 2²) = 8.732 km
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from heza_geo.analysis.port import (
    NOT_YET_PLANNED,
    parks_within,
    port_notes,
    reach_area,
    status_as_of_year,
    timeline,
    year_end,
)

C_TO_BERTH_1 = math.hypot(5.5, 2.0)
C_TO_BERTH_2 = math.hypot(8.5, 2.0)


def statuses(data, year: int) -> dict[int, str]:
    frame = status_as_of_year(data.berths, data.berth_status_history, year)
    return dict(zip(frame["berth_no"].astype(int), frame["display_status"], strict=True))


def test_year_stands_for_31_december():
    assert year_end(2024) == date(2024, 12, 31)


@pytest.mark.parametrize(
    "year, expected",
    [
        (2017, {1: NOT_YET_PLANNED, 2: NOT_YET_PLANNED}),
        (2018, {1: "operating", 2: NOT_YET_PLANNED}),
        (2021, {1: "operating", 2: NOT_YET_PLANNED}),
        (2022, {1: "operating", 2: "under_construction"}),
        (2024, {1: "operating", 2: "under_construction"}),
        (2025, {1: "operating", 2: "operating"}),
        (2030, {1: "operating", 2: "operating"}),
    ],
)
def test_time_slider_shows_each_berth_as_of_31_december(tiny_data, year, expected):
    assert statuses(tiny_data, year) == expected


def test_a_berth_with_no_record_yet_has_no_status_date_or_source(tiny_data):
    frame = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2018).set_index("berth_no")
    assert pd.isna(frame.loc[2, "status"]) and frame.loc[2, "display_status"] == NOT_YET_PLANNED
    assert pd.isna(frame.loc[2, "status_as_of"]) and pd.isna(frame.loc[2, "status_source"])
    assert pd.isna(frame.loc[2, "status_source_kind"]) and pd.isna(frame.loc[2, "status_as_of_precision"])
    assert frame.loc[1, "status_as_of"] == pd.Timestamp("2018-01-01")
    assert frame.loc[1, "status_as_of_precision"] == "year"
    assert frame.loc[1, "status_source_kind"] == "report"
    assert "provenance" not in frame.columns  # the kind is read from its column, never guessed from text


def test_operating_since_carries_the_precision_of_its_record(tiny_data):
    frame = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2025).set_index("berth_no")
    assert (frame.loc[1, "operating_since"], frame.loc[1, "operating_since_precision"]) == (
        pd.Timestamp("2018-01-01"), "year")
    assert (frame.loc[2, "operating_since"], frame.loc[2, "operating_since_precision"]) == (
        pd.Timestamp("2025-04-05"), "day")
    assert frame.loc[2, "construction_start_precision"] == "day"
    assert pd.isna(frame.loc[1, "construction_start"]) and pd.isna(frame.loc[1, "construction_start_precision"])


def test_milestones_are_those_known_at_the_chosen_date(tiny_data):
    y2024 = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2024).set_index("berth_no")
    assert y2024.loc[2, "construction_start"] == pd.Timestamp("2022-01-01")
    assert pd.isna(y2024.loc[2, "operating_since"])
    assert y2024.loc[2, "expected"] == "end-2024"
    y2025 = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2025).set_index("berth_no")
    assert y2025.loc[2, "operating_since"] == pd.Timestamp("2025-04-05")
    assert y2025.loc[2, "status_source"] == "example.vn 05/04/2025" and y2025.loc[2, "status_source_kind"] == "news"
    assert pd.isna(y2025.loc[2, "expected"])


def test_approval_stage_stays_known_after_construction_starts(tiny_data):
    approved = pd.DataFrame({"berth_no": [2], "as_of": [pd.Timestamp("2020-06-01")], "status": ["approved"],
                             "event": ["approved"], "expected": [None], "source_kind": ["report"],
                             "source": ["003_c29c595c5ac2d704.txt"], "as_of_precision": ["month"]})
    history = pd.concat([tiny_data.berth_status_history, approved], ignore_index=True)
    y2020 = status_as_of_year(tiny_data.berths, history, 2020).set_index("berth_no")
    assert y2020.loc[2, "display_status"] == "approved"
    y2023 = status_as_of_year(tiny_data.berths, history, 2023).set_index("berth_no")
    assert y2023.loc[2, "display_status"] == "under_construction"
    assert y2023.loc[2, "approval_stage"] == "approved"
    assert y2023.loc[2, "approval_as_of"] == pd.Timestamp("2020-06-01")
    assert y2023.loc[2, "approval_as_of_precision"] == "month"
    assert pd.isna(y2023.loc[1, "approval_stage"])


def within(data, year: int, km: float) -> list[tuple[str, float, int]]:
    status = status_as_of_year(data.berths, data.berth_status_history, year)
    near = parks_within(data.parks, status, km)
    rows = zip(near["park_id"], near["distance_km"], near["nearest_berth"], strict=True)
    return [(p, round(d, 3), int(b)) for p, d, b in rows]


@pytest.mark.parametrize(
    "km, expected",
    [
        (4.9, []),
        (5.0, [("A", 5.0, 1)]),  # exactly N km away counts as within N km
        (6.0, [("A", 5.0, 1), ("C", round(C_TO_BERTH_1, 3), 1)]),
        (8.0, [("A", 5.0, 1), ("C", round(C_TO_BERTH_1, 3), 1), ("B", 8.0, 1)]),
    ],
)
def test_parks_within_n_km_of_the_operating_berth_nearest_first(tiny_data, km, expected):
    assert within(tiny_data, 2024, km) == expected


def test_no_park_is_near_before_any_berth_operates(tiny_data):
    assert within(tiny_data, 2017, 50.0) == []


def test_a_berth_counts_only_once_it_operates(tiny_data):
    only_berth_2 = tiny_data.berth_status_history[tiny_data.berth_status_history["berth_no"] == 2]
    for year, expected in ((2024, []), (2025, [("A", 8.0, 2), ("C", round(C_TO_BERTH_2, 3), 2)])):
        status = status_as_of_year(tiny_data.berths, only_berth_2, year)
        near = parks_within(tiny_data.parks, status, 9.0)
        assert [(p, round(d, 3), int(b)) for p, d, b in
                zip(near["park_id"], near["distance_km"], near["nearest_berth"], strict=True)] == expected


def test_parks_within_keeps_the_parks_columns(tiny_data):
    status = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2024)
    near = parks_within(tiny_data.parks, status, 5.0)
    assert near.loc[0, "name_vi"] == "KCN Ánh Dương"
    assert "geometry" not in near.columns


def test_negative_distance_is_refused_by_name(tiny_data):
    status = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2024)
    with pytest.raises(ValueError, match="km must not be negative"):
        parks_within(tiny_data.parks, status, -1.0)


def test_reach_area_takes_in_the_parks_within_and_leaves_out_the_others(tiny_data):
    status = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2024)
    area = reach_area(status, 6.0).iloc[0]
    parks = tiny_data.parks.set_index("park_id").geometry
    assert area.intersects(parks["A"]) and area.intersects(parks["C"])
    assert not area.intersects(parks["B"])
    assert reach_area(status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2017), 6.0).empty


def test_timeline_lists_every_record_oldest_first_with_the_kind_of_its_source(tiny_data):
    events = timeline(tiny_data.berth_status_history)
    assert list(zip(events["berth_no"], events["as_of"].dt.strftime("%Y-%m-%d"), events["as_of_precision"],
                    events["status"], events["source_kind"], strict=True)) == [
        (1, "2018-01-01", "year", "operating", "report"),
        (2, "2022-01-01", "day", "under_construction", "report"),
        (2, "2025-04-05", "day", "operating", "news"),
    ]


def test_the_kind_of_a_records_source_is_its_column_not_its_text(tiny_data):
    """A news record whose reference names a report file is still news (and the reverse)."""
    history = tiny_data.berth_status_history.copy()
    history.loc[2, "source"] = "example.vn 05/04/2025, quoting 001_7f014fdbc8afe3e1.txt"
    assert timeline(history)["source_kind"].tolist() == ["report", "report", "news"]
    y2025 = status_as_of_year(tiny_data.berths, history, 2025).set_index("berth_no")
    assert y2025.loc[2, "status_source_kind"] == "news"


def test_port_notes_carry_the_berth_count_conflict(tiny_data):
    notes = port_notes(tiny_data.source_notes)
    assert list(notes["topic"]) == ["berth_count"]
    assert "8" in notes.iloc[0]["note_en"]
