"""Filters: an empty choice means all; plot choices narrow the parks to those with a matching plot."""

from __future__ import annotations

import pytest

from heza_geo.analysis.filters import apply, filter_parks
from heza_geo.analysis.joins import parks_overview
from heza_geo.view import Filters


@pytest.fixture
def overview(tiny_data):
    return parks_overview(tiny_data)


def ids(frame, column="park_id"):
    return sorted(frame[column])


def test_no_filter_keeps_everything(overview, tiny_data):
    parks, plots = apply(overview, tiny_data.plots, Filters())
    assert ids(parks) == ["A", "B", "C"] and len(plots) == 7


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(zones=("Z1",)), ["A", "C"]),
        (Filters(districts=("D1",)), ["A", "B"]),
        (Filters(parks=("B",)), ["B"]),
        (Filters(stages=("full", "planned")), ["A", "C"]),
        (Filters(min_available_ha=12), ["B"]),
        (Filters(min_available_ha=10), ["A", "B"]),
        (Filters(sectors=("logistics",)), ["A"]),
        (Filters(plot_statuses=("reserved",)), ["A"]),
        (Filters(zones=("Z1",), sectors=("electronics",)), ["A"]),
        (Filters(districts=("D2",), plot_statuses=("available",)), []),
    ],
)
def test_park_selection(overview, tiny_data, filters, expected):
    assert ids(filter_parks(overview, tiny_data.plots, filters)) == expected


def test_plot_choices_select_plots_within_selected_parks(overview, tiny_data):
    parks, plots = apply(overview, tiny_data.plots, Filters(districts=("D1",), sectors=("electronics",)))
    assert ids(parks) == ["A", "B"] and ids(plots, "plot_id") == ["A-1", "B-1"]


def test_unknown_value_is_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match=r"plot_statuses: unknown value.*'sold'.*allowed: leased, available"):
        Filters(plot_statuses=("sold",))


def test_negative_minimum_area_is_refused():
    with pytest.raises(ValueError, match="min_available_ha must be a number ≥ 0, got -1"):
        Filters(min_available_ha=-1)


def test_minimum_area_needs_the_overview(tiny_data):
    with pytest.raises(ValueError, match="needs parks with 'available_ha'"):
        filter_parks(tiny_data.parks, tiny_data.plots, Filters(min_available_ha=1))


def test_as_dict_keeps_only_what_differs_from_default():
    assert Filters(parks=("A",), min_available_ha=5).as_dict() == {"parks": ("A",), "min_available_ha": 5}
