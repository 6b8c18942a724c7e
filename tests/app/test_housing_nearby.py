"""One definition of "housing nearby" (issue 15): the map's park panel listed the 5 nearest housing
projects however far (Tiên Thanh: 5, the nearest tens of km away) while compare counted 0 within
10 km of the same park. Both now mean every project within ``HOUSING_RADIUS_KM`` of the boundary,
and the panel says so."""

from __future__ import annotations

import html
import re

import pytest
from appkit import open_page, shown

from heza_geo import i18n
from heza_geo.analysis.compare import housing_nearby
from heza_geo.analysis.indicators import HOUSING_RADIUS_KM, placed
from heza_geo.analysis.joins import parks_overview
from heza_geo.config import DEFAULT_DATA_DIR
from heza_geo.io import load_dataset


@pytest.fixture(scope="module")
def data():
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def counts(data) -> dict[str, int]:
    overview = parks_overview(data)
    return housing_nearby(overview[placed(overview)], data.housing)["housing_count"].astype(int).to_dict()


@pytest.mark.parametrize("park", ["tien-thanh", "nomura", "trang-due"])
def test_the_parks_panel_lists_the_housing_compare_counts(park, counts, data):
    at = open_page("map", lang="en", selected=park)
    assert not at.exception
    housing = set(data.housing[i18n.data_column("name", "en")].astype(str))
    rows = [row for block in at.html for row in re.findall(r"<li><span>(.*?)<small>", str(block.value))]
    assert sum(html.unescape(row) in housing for row in rows) == counts[park]  # the panel's rows (panelkit.nearby)
    text = shown(at)
    radius = i18n.fmt_km(HOUSING_RADIUS_KM, "en", None)
    assert i18n.t("compare.housing_note", "en", km=radius) in text  # what "nearby" means, in the panel
    if counts[park] == 0:
        assert i18n.t("detail.none_within", "en", km=radius) in text
