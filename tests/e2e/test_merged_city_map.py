"""The main page shows the merged city of Hải Phòng (since 1 July 2025): the former Hải Dương's parks,
~50 km west, are drawn and in the opening view with the old city's; parks with no position are
counted under the map, never drawn, never found by the map's search.

Expected parks come from the demo data itself (``placed``: the ones with a position). The screenshots
(1440×900, tests/artifacts/merged-city-map-<lang>.png) are what the issue's reviewers look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import map_frame, save_screenshot, wait_for_app
from playwright.sync_api import Browser, Page

from heza_geo import i18n
from heza_geo.analysis.joins import parks_overview
from heza_geo.io import load_dataset
from heza_geo.maps.layers import placed, unplaced_count

WEST = "Hải Dương"  # province_before_2025 of the parks west of the old city

#: each park feature on the map (streamlit-folium's ``map_div``): its id, whether its outline lies inside
#: the map's box, and its centre
_PARK_BOXES = """() => {
    const map = map_div.getContainer().getBoundingClientRect(), out = [];
    map_div.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.layer === 'park' && l._path) {
            const r = l._path.getBoundingClientRect();
            out.push({id: p.park_id, inside: r.left >= map.left && r.right <= map.right
                                             && r.top >= map.top && r.bottom <= map.bottom,
                      x: r.x + r.width / 2, y: r.y + r.height / 2});
        }
    });
    return out;
}"""


@pytest.fixture(scope="module")
def overview():
    return parks_overview(load_dataset("geodata"))


@pytest.fixture
def wide_page(browser: Browser) -> Iterator[Page]:
    """A 1440×900 page, the size of the issue's screenshots."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def open_map(page: Page, url: str):
    page.goto(url)
    wait_for_app(page)
    frame = map_frame(page)
    frame.wait_for_selector("path.heza-park", state="attached")
    page.wait_for_function("() => new URL(location.href).searchParams.has('z')")  # the first view, reported
    wait_for_app(page)
    return map_frame(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_map_opens_on_the_whole_merged_city_and_counts_the_parks_it_cannot_draw(wide_page, app_server,
                                                                                      overview, lang):
    page = wide_page
    frame = open_map(page, f"{app_server}/?lang={lang}")
    drawn = placed(overview)
    west = drawn[drawn["province_before_2025"] == WEST]
    assert len(west) >= 1 and len(drawn) > len(west)

    frame.wait_for_function(f"() => document.querySelectorAll('path.heza-park').length === {len(drawn)}")
    boxes = {b["id"]: b for b in frame.evaluate(_PARK_BOXES)}
    assert sorted(boxes) == sorted(drawn["park_id"])  # every placed park, none without a position
    assert [park for park, b in boxes.items() if not b["inside"]] == []  # all in the opening view, east and west
    assert frame.locator("path.heza-land").count() >= 1  # the offline land under them

    # a western park's own tooltip names it (its plots cover it: the mouse-over is the park's own)
    row = west.iloc[0]
    frame.evaluate("""(id) => map_div.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.layer === 'park' && p.park_id === id) {
            l.fire('mouseover', {latlng: l.getBounds().getCenter(), layer: l}, true); } })""", row["park_id"])
    frame.wait_for_selector(".leaflet-tooltip")
    assert i18n.name(row, lang) in frame.locator(".leaflet-tooltip").first.inner_text()
    frame.evaluate("() => map_div.eachLayer(l => { if (l.feature) { l.fire('mouseout', {layer: l}, true); } })")
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-tooltip').length === 0")

    # the parks with no position are said under the map
    note = i18n.t("map.unplaced", lang, n=i18n.fmt_number(unplaced_count(overview), lang, 0))
    page.get_by_text(note, exact=True).wait_for()
    page.locator('iframe[title*="streamlit_folium"]').first.scroll_into_view_if_needed()  # the map whole
    save_screenshot(page, f"merged-city-map-{lang}")


def test_the_maps_search_finds_a_western_park_and_never_one_without_a_position(page, app_server, overview):
    frame = open_map(page, f"{app_server}/?lang=en")
    drawn = placed(overview)
    west = drawn[drawn["province_before_2025"] == WEST].iloc[0]
    unplaced = overview[~overview["park_id"].isin(drawn["park_id"])].iloc[0]
    # unfold the search box (its button's own click handler: a pointer click there lands on the map's
    # drag handling first in headless Chromium and is lost)
    frame.locator(".leaflet-control-search .search-button").dispatch_event("click")
    search = frame.locator(".leaflet-control-search input.search-input")
    search.press_sequentially(west["name_vi"], delay=20)  # the search matches the start of "name_vi · name_en"
    frame.locator(".search-tooltip .search-tip").first.wait_for()
    tips = frame.locator(".search-tooltip .search-tip").all_inner_texts()
    assert any(west["name_vi"] in tip for tip in tips)
    search.fill("")
    search.press_sequentially(unplaced["name_vi"], delay=20)
    page.wait_for_timeout(800)  # leaflet-search answers after its typing delay
    tips = frame.locator(".search-tooltip .search-tip").all_inner_texts()
    assert not [tip for tip in tips if unplaced["name_vi"] in tip]


def test_a_park_with_no_position_opens_its_panel_and_leaves_the_map_on_the_city(page, app_server, overview):
    drawn = placed(overview)
    unplaced = overview[~overview["park_id"].isin(drawn["park_id"])].iloc[0]
    frame = open_map(page, f"{app_server}/?lang=en&selected={unplaced['park_id']}")
    page.get_by_role("heading", name=i18n.name(unplaced, "en")).wait_for()
    page.locator('[data-testid="stAlert"]').filter(has_text=i18n.label("geometry_quality", "unplaced", "en")).wait_for()
    assert frame.locator("path.heza-park-selected").count() == 0
    boxes = frame.evaluate(_PARK_BOXES)
    assert len(boxes) == len(drawn) and all(b["inside"] for b in boxes)  # no zoom: the whole city stays in view
