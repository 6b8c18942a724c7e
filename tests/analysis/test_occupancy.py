"""The occupancy table and its reference lines on the tiny dataset (tests/conftest.py).

Park A: declared 100 ha; plots 70 ha leasable, 50 leased, 10 available → 71.43% from the plots;
its reported figure is 71.4% (001, 14/10/2023), after a demo 60% at the end of 2022. Park B: 25%
(demo). Park C is planned: no plots, no figure. City average 63.25% (001).
"""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo import styling
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.occupancy import (
    NEW_PARK_THRESHOLD_PCT,
    city_meets_threshold,
    colour_classes,
    occupancy_over_time,
    occupancy_table,
    reference_lines,
)


@pytest.fixture
def table(tiny_data) -> pd.DataFrame:
    return occupancy_table(parks_overview(tiny_data))


def test_occupancy_table_lists_every_park_fullest_first_and_unknown_last(table):
    assert list(table["park_id"]) == ["A", "B", "C"]
    assert list(table["occupancy_pct"].fillna(-1)) == [71.4, 25.0, -1]


def test_occupancy_table_keeps_the_reported_figure_apart_from_the_plot_figure(table):
    a = table.set_index("park_id").loc["A"]
    assert a["area_ha"] == 100.0  # declared, not the sum of plots
    assert (a["leasable_ha"], a["leased_ha"], a["available_ha"]) == pytest.approx((70.0, 50.0, 10.0))
    assert a["occupancy_pct"] == 71.4
    assert a["occupancy_basis"] == "reported"
    assert (a["occupancy_source_kind"], a["occupancy_source"]) == ("report", "001_7f014fdbc8afe3e1.txt")
    assert a["occupancy_as_of"] == pd.Timestamp("2023-10-14") and a["occupancy_as_of_precision"] == "day"
    assert a["plots_occupancy_pct"] == pytest.approx(100 * 50 / 70)
    assert a["land_source_kind"] == "synthetic demo" and pd.isna(a["land_source"])
    assert a["stage"] == "full"
    assert (a["stage_source_kind"], a["stage_source"]) == ("report", "001_7f014fdbc8afe3e1.txt")
    assert (a["area_source_kind"], a["area_source"]) == ("approximate", "drawn for the tests")
    assert a["not_handed_over_ha"] == 0


def test_a_planned_park_has_no_land_figures_rather_than_zeros(table):
    c = table.set_index("park_id").loc["C"]
    assert pd.isna(c["leasable_ha"]) and pd.isna(c["available_ha"]) and pd.isna(c["plots_occupancy_pct"])
    assert pd.isna(c["land_source_kind"]) and pd.isna(c["land_source"]) and pd.isna(c["not_handed_over_ha"])
    assert c["area_ha"] == 30.0


def test_land_not_yet_handed_over_is_neither_leasable_nor_available(tiny_data):
    from dataclasses import replace

    plots = tiny_data.plots.copy()
    plots.loc[plots["plot_id"] == "A-3", "status"] = "not_handed_over"  # A's 10 ha available plot
    a = occupancy_table(parks_overview(replace(tiny_data, plots=plots))).set_index("park_id").loc["A"]
    assert (a["leasable_ha"], a["leased_ha"], a["available_ha"], a["not_handed_over_ha"]) == pytest.approx(
        (60.0, 50.0, 0.0, 10.0))
    assert a["plots_occupancy_pct"] == pytest.approx(100 * 50 / 60)


def test_reference_lines_are_the_city_average_and_the_60_percent_threshold(tiny_data):
    lines = reference_lines(tiny_data.occupancy_history)
    assert list(zip(lines["kind"], lines["occupancy_pct"], lines["basis"], strict=True)) == [
        ("city_average", 63.25, "reported"), ("threshold", NEW_PARK_THRESHOLD_PCT, "reported")]
    assert lines.loc[0, "as_of"] == pd.Timestamp("2023-10-14")
    assert lines.loc[0, "source_kind"] == "report"
    assert (lines.loc[1, "source_kind"], lines.loc[1, "source"]) == (
        "report", "002_03c113ee68876e37.txt")  # the report quoting Decree 35/2022
    assert pd.isna(lines.loc[1, "as_of"])


def test_city_meets_the_threshold_only_at_60_percent_or_more(tiny_data):
    history = tiny_data.occupancy_history
    assert city_meets_threshold(history) is True
    lower = history.assign(occupancy_pct=history["occupancy_pct"].where(history["scope"] != "city", 59.9))
    assert city_meets_threshold(lower) is False
    assert city_meets_threshold(history[history["scope"] == "park"]) is None
    assert city_meets_threshold(history, as_of="2023-01-01") is None  # no city figure yet then


def test_occupancy_over_time_tells_demo_points_from_reported_ones(tiny_data):
    rows = occupancy_over_time(tiny_data.occupancy_history, ["A"])
    assert list(rows["as_of"].dt.strftime("%Y-%m-%d")) == ["2022-12-31", "2023-10-14"]
    assert list(rows["is_demo"]) == [True, False]
    demo_kind = tiny_data.occupancy_history.assign(basis="estimate")  # a demo by its provenance alone
    assert list(occupancy_over_time(demo_kind, ["A"])["is_demo"]) == [True, False]
    assert set(occupancy_over_time(tiny_data.occupancy_history)["park_id"]) == {"A", "B"}


def test_bars_take_the_map_occupancy_classes_or_stage_colours(table):
    classes, pairs = colour_classes(table, "occupancy", "vi")
    assert list(classes) == ["70–90%", "0–25%", "Chưa có số liệu"]
    colours = dict(pairs)
    assert colours["70–90%"] == styling.occupancy_colour(71.4)
    assert colours["Chưa có số liệu"] == styling.NO_DATA_COLOUR
    classes, pairs = colour_classes(table, "stage", "en")
    assert dict(pairs)[classes[0]] == styling.STAGE_COLOURS["full"]
    with pytest.raises(ValueError, match="colour_by"):
        colour_classes(table, "sector", "en")
