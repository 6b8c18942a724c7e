"""The map on a phone (issue 15): a visitor who scans the QR code lands on the map page at 390×844.
The map's first screen was five stacked cards; the map began 1.5 screens down, and on it the
mini-map and the pointer's position (a phone has no pointer) covered a fifth of it."""

from __future__ import annotations

from conftest import map_frame, save_screenshot, wait_for_app

#: the share of the window the map's frame covers, as first shown (no scrolling)
MAP_SHARE = """() => { const r = document.querySelector('iframe[title*="streamlit_folium"]').getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
    return w * h / (innerWidth * innerHeight); }"""


def test_on_a_phone_the_map_fills_most_of_the_first_screen(phone, app_server):
    phone.goto(f"{app_server}/?lang=en")
    wait_for_app(phone)
    frame = map_frame(phone)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached")
    assert phone.evaluate(MAP_SHARE) >= 0.6
    for control in (".leaflet-control-minimap", ".leaflet-control-mouseposition"):
        assert not frame.locator(control).first.is_visible(), control
    assert frame.locator(".heza-legend details:not([open]), .heza-legend").first.is_visible()
    # the cards follow the map, in one row that scrolls sideways
    cards = phone.locator(".st-key-cards [data-testid='stMetric']")
    tops = {round(cards.nth(k).bounding_box()["y"]) for k in range(cards.count())}
    assert len(tops) == 1
    save_screenshot(phone, "map-phone")


def test_on_a_desktop_the_map_keeps_its_panel_beside_it_and_its_mini_map(page, app_server):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_server}/?lang=en")
    wait_for_app(page)
    frame = map_frame(page)
    frame.locator(".leaflet-control-minimap").wait_for()
    assert frame.locator(".leaflet-control-minimap").is_visible()
    cards = page.locator(".st-key-cards").bounding_box()
    iframe = page.locator('iframe[title*="streamlit_folium"]').bounding_box()
    assert cards["y"] < iframe["y"]  # the cards above the map, as before
