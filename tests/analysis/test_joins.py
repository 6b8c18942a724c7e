"""Joins keep every figure's date, basis and source."""

from __future__ import annotations

import pandas as pd
import pytest

from heza_geo.analysis.joins import (
    berth_status,
    city_occupancy,
    latest_figure,
    latest_occupancy,
    park_investment,
    parks_overview,
)
from heza_geo.schema import Provenance


def test_latest_occupancy_per_park(tiny_data):
    occ = latest_occupancy(tiny_data.occupancy_history)
    assert occ.loc["A", "occupancy_pct"] == 71.4 and occ.loc["A", "occupancy_basis"] == "reported"
    assert occ.loc["A", "occupancy_source"] == "001_7f014fdbc8afe3e1.txt"
    assert occ.loc["A", "occupancy_source_kind"] == "report"
    assert occ.loc["A", "occupancy_as_of_precision"] == "day"
    assert occ.loc["B", "occupancy_basis"] == "synthetic demo"
    assert occ.loc["B", "occupancy_source_kind"] == "synthetic demo" and pd.isna(occ.loc["B", "occupancy_source"])


def test_occupancy_as_of_an_earlier_date(tiny_data):
    occ = latest_occupancy(tiny_data.occupancy_history, as_of="2023-01-01")
    assert occ.loc["A", "occupancy_pct"] == 60.0 and "B" not in occ.index


def test_reported_figure_wins_a_tie_with_a_demo_value(tiny_data):
    extra = pd.DataFrame(
        {"scope": ["park"], "park_id": ["A"], "as_of": [pd.Timestamp("2023-10-14")], "occupancy_pct": [10.0],
         "basis": ["synthetic demo"], "note": [None], "source_kind": ["synthetic demo"], "source": [None]}
    )
    occ = latest_occupancy(pd.concat([extra, tiny_data.occupancy_history]))
    assert occ.loc["A", "occupancy_pct"] == 71.4


def test_a_figure_dated_to_the_month_sorts_by_its_first_day_and_keeps_its_precision(tiny_data):
    month = pd.DataFrame(
        {"scope": ["park"], "park_id": ["A"], "as_of": [pd.Timestamp("2023-11-01")], "as_of_precision": ["month"],
         "occupancy_pct": [75.0], "basis": ["reported"], "note": [None], "source_kind": ["news"],
         "source": ["vietnam.vn 20/11/2023"]}
    )
    history = pd.concat([tiny_data.occupancy_history, month], ignore_index=True)
    occ = latest_occupancy(history)
    assert (occ.loc["A", "occupancy_pct"], occ.loc["A", "occupancy_as_of_precision"]) == (75.0, "month")
    assert occ.loc["A", "occupancy_source_kind"] == "news"
    assert latest_occupancy(history, as_of="2023-10-31").loc["A", "occupancy_pct"] == 71.4
    same_day = month.assign(as_of=pd.Timestamp("2023-10-01"), occupancy_pct=70.0)
    day = month.assign(as_of=pd.Timestamp("2023-10-01"), as_of_precision="day", occupancy_pct=72.0)
    assert latest_occupancy(pd.concat([day, same_day])).loc["A", "occupancy_pct"] == 72.0  # the precise one is later


def test_city_occupancy(tiny_data):
    assert city_occupancy(tiny_data.occupancy_history)["occupancy_pct"] == 63.25
    assert city_occupancy(tiny_data.occupancy_history, as_of="2020-01-01") is None


def test_berth_status_now_and_then(tiny_data):
    now = berth_status(tiny_data.berths, tiny_data.berth_status_history).set_index("berth_no")
    assert now.loc[1, "status"] == "operating" and now.loc[2, "status"] == "operating"
    assert now.loc[1, "operating_since"] == pd.Timestamp("2018-01-01")  # "since 2018": the first day of the year
    assert now.loc[1, "operating_since_precision"] == "year" and now.loc[1, "status_as_of_precision"] == "year"
    assert now.loc[2, "construction_start"] == pd.Timestamp("2022-01-01")
    assert now.loc[2, "construction_start_precision"] == "day"
    assert (now.loc[2, "status_source_kind"], now.loc[2, "status_source"]) == ("news", "example.vn 05/04/2025")
    then = berth_status(tiny_data.berths, tiny_data.berth_status_history, as_of="2023-06-30").set_index("berth_no")
    assert then.loc[2, "status"] == "under_construction" and pd.isna(then.loc[2, "operating_since"])
    assert then.loc[2, "expected"] == "end-2024"
    before = berth_status(tiny_data.berths, tiny_data.berth_status_history, as_of="2017-01-01")
    assert before["status"].isna().all()


def test_parks_overview_joins_land_occupancy_and_distances(tiny_data):
    parks = parks_overview(tiny_data).set_index("park_id")
    assert parks.loc["A", "leased_ha"] == 50 and parks.loc["A", "available_ha"] == 10
    assert parks.loc["A", "not_handed_over_ha"] == 0 and parks.loc["C", "not_handed_over_ha"] == 0
    assert parks.loc["A", "occupancy_source_kind"] == "report" and parks.loc["A", "area_source_kind"] == "approximate"
    assert parks.loc["A", "occupancy_pct"] == 71.4
    assert parks.loc["A", "plots_occupancy_pct"] == pytest.approx(71.43, abs=0.01)
    assert parks.loc["C", "plots"] == 0 and parks.loc["C", "leasable_ha"] == 0
    assert pd.isna(parks.loc["C", "occupancy_pct"])
    assert parks.loc["A", "distance_to_airport_km"] == pytest.approx(2.0, abs=1e-3)
    # berths 1 and 2 both operate now; berth 1 is 5 km east of A's east edge
    assert parks.loc["A", "distance_to_berth_km"] == pytest.approx(5.0, abs=1e-3)


def test_parks_overview_measures_to_operating_berths_as_of_the_date(tiny_data):
    from dataclasses import replace

    history = tiny_data.berth_status_history
    only_berth_2 = replace(tiny_data, berth_status_history=history[history["berth_no"] == 2])
    now = parks_overview(only_berth_2).set_index("park_id")
    assert now.loc["A", "distance_to_berth_km"] == pytest.approx(8.0, abs=1e-3)  # berth 2 is 8 km east of A
    before_any = parks_overview(only_berth_2, as_of="2023-01-01").set_index("park_id")
    assert before_any.loc["A", "distance_to_berth_km"] == pytest.approx(5.0, abs=1e-3)  # none operate: nearest of all


def test_latest_figure_prefers_the_latest_period(tiny_data):
    fig = latest_figure(tiny_data.investment, "fdi_total_musd")
    assert (fig.value, fig.period, fig.plan, fig.pct_of_plan, fig.provenance) == (
        2869.0, "11 months 2024", 2000.0, 143.5, Provenance("report", "002_03c113ee68876e37.txt"))
    assert latest_figure(tiny_data.investment, "ddi_total_bvnd") is None


def test_park_investment_is_empty_for_city_wide_reports(tiny_data):
    assert park_investment(tiny_data).empty
