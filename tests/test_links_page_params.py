"""A page's own link parameters: a usable value is taken, anything else falls back with a reason."""

from __future__ import annotations

import pytest

from heza_geo.links import BadParam, choice_param, float_param, int_param


def test_a_year_in_range_is_taken():
    assert int_param({"year": "2026"}, "year", 2025, 2018, 2030) == (2026, None)
    assert int_param({"year": ["2019"]}, "year", 2025, 2018, 2030) == (2019, None)


def test_an_absent_or_empty_parameter_gives_the_default_silently():
    assert int_param({}, "year", 2025, 2018, 2030) == (2025, None)
    assert int_param({"year": " "}, "year", 2025, 2018, 2030) == (2025, None)


@pytest.mark.parametrize("raw", ["2040", "1999", "twenty", "2024.5"])
def test_an_unusable_year_falls_back_and_says_why(raw):
    value, bad = int_param({"year": raw}, "year", 2025, 2018, 2030)
    assert value == 2025
    assert bad == BadParam("year", raw, "2018–2030", "2025")


@pytest.mark.parametrize("raw", ["nan", "inf", "-3", "abc", "61"])
def test_an_unusable_distance_falls_back(raw):
    value, bad = float_param({"km": raw}, "km", 15.0, 1.0, 60.0)
    assert value == 15.0 and bad is not None and bad.name == "km"


def test_a_distance_in_range_is_taken():
    assert float_param({"km": "7.5"}, "km", 15.0, 1.0, 60.0) == (7.5, None)


def test_a_choice_must_be_one_of_the_options():
    assert choice_param({"park": "A"}, "park", None, ["A", "B"]) == ("A", None)
    value, bad = choice_param({"park": "Z"}, "park", None, ["A", "B"])
    assert value is None and bad == BadParam("park", "Z", "A, B", "")
