"""Indicators against the hand-computed figures of tests/conftest.py."""

from __future__ import annotations

import pytest

from heza_geo.analysis.indicators import distance_km, land_by, land_by_park, land_summary


def test_city_land_summary(tiny_data):
    s = land_summary(tiny_data.plots)
    assert (s.total_ha, s.leasable_ha, s.leased_ha, s.available_ha, s.reserved_ha, s.infrastructure_ha) == (
        100.0, 90.0, 55.0, 25.0, 10.0, 10.0,
    )
    assert s.occupancy_pct == pytest.approx(100 * 55 / 90)


def test_land_not_yet_handed_over_is_counted_apart_never_leasable_nor_available(tiny_data):
    plots = tiny_data.plots.copy()
    plots.loc[plots["plot_id"] == "B-2", "status"] = "not_handed_over"  # B's 15 ha available plot
    s = land_summary(plots)
    assert (s.total_ha, s.leasable_ha, s.available_ha, s.not_handed_over_ha) == (100.0, 75.0, 10.0, 15.0)
    t = land_by_park(plots)
    assert (t.loc["B", "available_ha"], t.loc["B", "leasable_ha"], t.loc["B", "not_handed_over_ha"]) == (0, 5, 15)
    assert t.loc["B", "total_ha"] == 20 and t.loc["B", "plots_occupancy_pct"] == pytest.approx(100.0)
    assert t.loc["A", "not_handed_over_ha"] == 0
    city = land_by(tiny_data.parks, plots, "city")
    assert (city.loc["city", "available_ha"], city.loc["city", "not_handed_over_ha"]) == (10, 15)


def test_empty_selection_has_no_occupancy(tiny_data):
    s = land_summary(tiny_data.plots.iloc[0:0])
    assert s.total_ha == 0 and s.occupancy_pct is None


def test_land_by_park(tiny_data):
    t = land_by_park(tiny_data.plots)
    assert t.loc["A", "leasable_ha"] == 70 and t.loc["A", "plots_occupancy_pct"] == pytest.approx(100 * 50 / 70)
    assert t.loc["B", "leased_ha"] == 5 and t.loc["B", "plots_occupancy_pct"] == pytest.approx(25.0)
    assert "C" not in t.index


def test_land_by_district(tiny_data):
    t = land_by(tiny_data.parks, tiny_data.plots, "district")
    assert t.loc["D1", "parks"] == 2 and t.loc["D1", "leased_ha"] == 55 and t.loc["D1", "declared_ha"] == 120
    assert t.loc["D1", "occupancy_pct"] == pytest.approx(100 * 55 / 90)
    assert t.loc["D2", "parks"] == 1 and t.loc["D2", "total_ha"] == 0
    assert t["occupancy_pct"].isna()["D2"]


def test_land_by_zone_puts_parks_outside_zones_apart(tiny_data):
    t = land_by(tiny_data.parks, tiny_data.plots, "zone")
    assert t.loc["Z1", "leased_ha"] == 50 and t.loc["", "leased_ha"] == 5


def test_land_by_city(tiny_data):
    t = land_by(tiny_data.parks, tiny_data.plots, "city")
    assert t.loc["city", "parks"] == 3 and t.loc["city", "leasable_ha"] == 90


def test_land_by_rejects_unknown_grouping(tiny_data):
    with pytest.raises(ValueError, match="by must be one of park, district, zone, region, province, city, got 'ward'"):
        land_by(tiny_data.parks, tiny_data.plots, "ward")


def test_distance_to_airport_is_metric(tiny_data):
    airport = tiny_data.connectivity
    d = distance_km(tiny_data.parks, airport)
    assert d.iloc[0] == pytest.approx(2.0, abs=1e-3)  # A's east edge to 2 km east
    assert d.iloc[1] == pytest.approx((5000**2 + 300**2) ** 0.5 / 1000, abs=1e-3)  # B's corner, diagonally


def test_distance_without_targets_is_nan(tiny_data):
    assert distance_km(tiny_data.parks, tiny_data.connectivity.iloc[0:0]).isna().all()
