"""The main page as a user meets it: drawn offline, filtered, clicked, shared by link, in other languages.

Expected counts come from the data layer itself (never a hard-coded 14: the city has ~40 parks since 2025);
the map draws the parks that have a position (``placed``), the cards count them all.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import click_park, map_frame, open_map, save_screenshot, wait_for_app

from heza_geo.analysis.filters import apply
from heza_geo.maps.layers import placed
from heza_geo.view import Filters

TILE_URL = re.compile(r"/\d+/\d+/\d+(@2x)?\.(png|jpe?g|webp)(\?.*)?$")


def card_value(page, title: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=title).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_map_draws_every_park_and_berth_offline(page, app_server, overview, data):
    frame = open_map(page, app_server)
    assert frame.locator("path.heza-park").count() == len(placed(overview))
    assert frame.locator("path.heza-berth").count() == len(data.berths)
    assert frame.locator("path.heza-land").count() >= 1  # the offline basemap
    assert frame.locator(".heza-legend").is_visible()
    assert [u for u in page.external_requests if not TILE_URL.search(u)] == []
    assert card_value(page, "Số KCN") == str(len(overview))
    assert page.get_by_text("11 tháng năm 2024", exact=False).count() >= 1  # the FDI period, in Vietnamese
    assert page.get_by_text("11 months", exact=False).count() == 0
    save_screenshot(page, "map-page-vi")


def test_filter_changes_features_and_cards(page, app_server, overview, data):
    expected, _ = apply(overview, data.plots, Filters(stages=("full",)))
    frame = open_map(page, app_server, "?lang=en&stage=full")
    frame.wait_for_function(
        f"() => document.querySelectorAll('path.heza-park').length === {len(placed(expected))}")
    assert card_value(page, "Industrial parks") == str(len(expected))
    # then widen the filter through the sidebar, as a user would
    page.get_by_role("button", name="Reset filters").click()
    wait_for_app(page)
    frame = map_frame(page)
    frame.wait_for_function(
        f"() => document.querySelectorAll('path.heza-park').length === {len(placed(overview))}")
    assert card_value(page, "Industrial parks") == str(len(overview))


def test_clicking_a_park_opens_its_panel_and_puts_it_in_the_link(page, app_server, overview):
    frame = open_map(page, app_server, "?lang=en&layers=parks")
    click_park(page, frame, "vsip-hai-phong")
    name = overview.set_index("park_id").loc["vsip-hai-phong", "name_en"]
    page.get_by_role("heading", name=name).wait_for(timeout=30_000)
    wait_for_app(page)
    assert parse_qs(urlsplit(page.url).query)["selected"] == ["vsip-hai-phong"]
    frame = map_frame(page)
    frame.wait_for_selector("path.heza-park-selected")
    assert frame.locator("path.heza-park-selected").count() == 1
    save_screenshot(page, "map-page-en-selected-park")

    # and back: the panel closes, the outline goes, the link forgets the park (and stays forgotten)
    page.get_by_role("button", name="Back to the city view").click()
    page.get_by_role("heading", name=name).wait_for(state="detached", timeout=30_000)
    wait_for_app(page)
    frame.wait_for_function("() => document.querySelectorAll('path.heza-park-selected').length === 0")
    assert "selected" not in parse_qs(urlsplit(page.url).query)
    assert page.get_by_role("heading", name=name).count() == 0


def test_shared_link_restores_the_view(page, app_server, overview, data):
    query = "?lang=en&stage=full&layers=parks,berths&basemap=offline&selected=dinh-vu&colour=stage"
    frame = open_map(page, app_server, query)
    expected, _ = apply(overview, data.plots, Filters(stages=("full",)))
    assert frame.locator("path.heza-park").count() == len(placed(expected))
    assert frame.locator("path.heza-plot").count() == 0 and frame.locator("path.heza-zone").count() == 0
    assert frame.locator("path.heza-park-selected").count() == 1
    name = overview.set_index("park_id").loc["dinh-vu", "name_en"]
    assert page.get_by_role("heading", name=name).is_visible()
    legend = frame.locator(".heza-legend")
    assert "Stage" not in legend.inner_text()  # a map narrower than 900 px opens with its legend folded
    legend.locator("summary").click()
    assert "Stage" in legend.inner_text()
    params = parse_qs(urlsplit(page.url).query)
    assert params["stage"] == ["full"] and params["selected"] == ["dinh-vu"] and params["lang"] == ["en"]
    save_screenshot(page, "map-page-en-shared-link")


@pytest.mark.parametrize("lang, legend, occupancy", [("en", "Legend", "Occupancy"), ("ko", "범례", "입주율")])
def test_language_changes_legend_and_popups(page, app_server, lang, legend, occupancy):
    frame = open_map(page, app_server, f"?lang={lang}&layers=parks")
    assert legend in frame.locator(".heza-legend").inner_text()
    click_park(page, frame, "dinh-vu")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=15_000)
    assert occupancy in popup.inner_text()
    if lang == "en":
        save_screenshot(page, "map-page-en-popup")
