"""A park on a phone (issue 15): a visitor at an investment event scans the QR code and lands on the
map at 390×844, touch only.

Before: at the opening zoom (the merged city, zoom 9) parks are 3–15 px, and a tap on Đình Vũ hit
the port's 26-px marker (its popup opened, no park was selected); a tapped park opened a popup that
covered most of the small map, with nothing to take the visitor to the park's panel below the map
or to the park itself. Now a tap on or near a park selects it, and a sheet at the bottom of the map
shows its key figures, a Details button and a Directions (``geo:``) link (:mod:`heza_geo.maps.phone`).
"""

from __future__ import annotations

import re

import pytest
from conftest import MAP_IFRAME, click_park, map_frame, open_map, save_screenshot, wait_for_app
from playwright.sync_api import expect
from shapely.geometry import Point

from heza_geo.analysis.joins import parks_overview
from heza_geo.io import load_dataset

#: Đình Vũ (under the port's marker), VSIP, and Đại An of the former Hải Dương (4 px wide at the opening zoom)
PARKS = ("dinh-vu", "vsip-hai-phong", "dai-an")


@pytest.fixture(scope="module")
def parks():
    return parks_overview(load_dataset("geodata")).set_index("park_id")


#: the element is on screen, in the screen's top third (under Streamlit's header)
TOWARDS_THE_TOP = """(el) => { const r = el.getBoundingClientRect();
    const top = document.querySelector('[data-testid="stHeader"]');
    return r.top >= (top ? top.getBoundingClientRect().bottom : 0) && r.bottom <= innerHeight / 3; }"""


def reference(parks, park_id: str) -> tuple[float, float]:
    """The park's reference point from the data: (lat, lon) of shapely's point on its surface."""
    point = parks.loc[park_id].geometry.point_on_surface()
    return point.y, point.x


def screen_point(page, frame, lat: float, lon: float, dy: float = 0) -> tuple[float, float]:
    """Where (lat, lon) is on the page, ``dy`` CSS px lower."""
    inner = frame.evaluate("([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
                           " const r = map_div.getContainer().getBoundingClientRect();"
                           " return {x: r.x + p.x, y: r.y + p.y}; }", [lat, lon])
    origin = page.locator(MAP_IFRAME).first.bounding_box()
    return origin["x"] + inner["x"], origin["y"] + inner["y"] + dy


def tap_park(page, frame, parks, park_id: str) -> None:
    page.touchscreen.tap(*screen_point(page, frame, *reference(parks, park_id)))


@pytest.mark.parametrize("park_id", PARKS)
def test_a_tap_at_the_opening_view_selects_the_park_and_opens_its_sheet(phone, app_server, parks, park_id):
    name = str(parks.loc[park_id, "name_en"])
    frame = open_map(phone, app_server, "?lang=en")
    assert frame.evaluate("map_div.getZoom()") <= 10  # the city's opening view, parks a few px wide
    if park_id == "dinh-vu":  # the port's marker is on top of the park where the finger lands
        x, y = screen_point(phone, frame, *reference(parks, park_id))
        box = phone.locator(MAP_IFRAME).first.bounding_box()
        assert frame.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-marker-icon')",
                              [x - box["x"], y - box["y"]])
    tap_park(phone, frame, parks, park_id)
    expect(phone.get_by_role("heading", name=name)).to_be_attached()  # the page's run selected the park
    sheet = frame.locator(".heza-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator(".heza-sheet-title")).to_have_text(name)
    assert frame.locator(".leaflet-popup").count() == 0  # the sheet, not a popup over the small map
    for button in (".heza-sheet-details", ".heza-sheet-directions", ".heza-sheet-close"):
        assert sheet.locator(button).bounding_box()["height"] >= 44, button
    if park_id == "dinh-vu":
        save_screenshot(phone, "issue15-sheet-en-phone")
    assert not phone.errors  # type: ignore[attr-defined] - the fixture sets errors on the page


def test_a_tap_a_finger_short_of_a_park_selects_it(phone, app_server, parks):
    """12 px under VSIP's outline, on the airport's marker: VSIP is the nearest park."""
    frame = open_map(phone, app_server, "?lang=en")
    bottom = frame.evaluate("""() => { let found = null; map_div.eachLayer(l => { if (l.feature &&
        l.feature.properties.park_id === 'vsip-hai-phong') found = l; });
        const b = found.getBounds(); return [b.getSouth(), (b.getWest() + b.getEast()) / 2]; }""")
    x, y = screen_point(phone, frame, *bottom, dy=12)
    phone.touchscreen.tap(x, y)
    expect(phone.get_by_role("heading", name=str(parks.loc["vsip-hai-phong", "name_en"]))).to_be_attached()
    expect(frame.locator(".heza-sheet .heza-sheet-title")).to_have_text(str(parks.loc["vsip-hai-phong", "name_en"]))


def test_the_sheet_shows_the_popups_figures_and_its_buttons_lead_on(phone, app_server, parks):
    row = parks.loc["vsip-hai-phong"]
    frame = open_map(phone, app_server, "?lang=en")
    save_screenshot(phone, "issue15-opening-phone")
    tap_park(phone, frame, parks, "vsip-hai-phong")
    sheet = frame.locator(".heza-sheet")
    expect(sheet).to_be_visible()
    text = sheet.inner_text()
    for label in ("Occupancy", "Available", "Area", "Distance"):
        assert label in text, label
    assert "Approximate" in text or "approximate" in text  # its outline is drawn around a reference point
    assert sheet.locator(".heza-badge").count() >= 2  # the figures keep their provenance badges
    # Directions: a geo: link to the park's reference point, a point on its surface
    href = sheet.locator(".heza-sheet-directions").get_attribute("href")
    found = re.fullmatch(r"geo:(-?[\d.]+),(-?[\d.]+)\?q=(-?[\d.]+),(-?[\d.]+)\((.+)\)", href or "")
    assert found, href
    lat, lon = reference(parks, "vsip-hai-phong")
    assert float(found[1]) == pytest.approx(lat, abs=1e-6) and float(found[2]) == pytest.approx(lon, abs=1e-6)
    assert (float(found[3]), float(found[4])) == (float(found[1]), float(found[2]))
    assert row.geometry.contains(Point(float(found[2]), float(found[1])))
    # Details: the park's panel below the map comes into view
    heading = phone.get_by_role("heading", name=str(row["name_en"]))
    expect(heading).to_be_attached()
    assert heading.bounding_box()["y"] > 700  # below the map, at most peeking over the screen's bottom
    sheet.locator(".heza-sheet-details").tap()
    phone.wait_for_function(TOWARDS_THE_TOP, arg=heading.element_handle())
    expect(heading).to_be_in_viewport(ratio=1)
    save_screenshot(phone, "issue15-after-details-phone")


def test_a_link_to_a_park_opens_its_sheet_in_the_readers_language(phone, app_server, parks):
    frame = open_map(phone, app_server, "?lang=vi&selected=dinh-vu")
    sheet = frame.locator(".heza-sheet")
    expect(sheet.locator(".heza-sheet-title")).to_have_text(str(parks.loc["dinh-vu", "name_vi"]))
    expect(sheet.locator(".heza-sheet-details")).to_have_text("Chi tiết")
    expect(sheet.locator(".heza-sheet-directions")).to_have_text("Chỉ đường")
    expect(sheet).to_contain_text("Tỷ lệ lấp đầy")
    save_screenshot(phone, "issue15-sheet-vi-phone")
    # closed by its ×; the park stays selected, and a tap opens it again
    sheet.locator(".heza-sheet-close").tap()
    expect(sheet).to_be_hidden()


def test_the_sheet_closes_when_the_park_is_deselected(phone, app_server, parks):
    frame = open_map(phone, app_server, "?lang=en&selected=vsip-hai-phong")
    sheet = frame.locator(".heza-sheet")
    expect(sheet).to_be_visible()
    back = phone.get_by_role("button", name="Back to the city view")
    back.scroll_into_view_if_needed()
    back.tap()
    expect(sheet).to_be_hidden()
    expect(phone.get_by_role("heading", name="Hai Phong at a glance")).to_be_attached()


@pytest.mark.parametrize("width", [1440, 1400])  # at 1400 px the map beside the sidebar is 631 px wide
def test_on_a_desktop_a_park_opens_its_popup_and_no_sheet(page, app_server, parks, width):
    page.set_viewport_size({"width": width, "height": 900})
    frame = open_map(page, app_server, "?lang=en")
    click_park(page, frame, "vsip-hai-phong")
    expect(frame.locator(".leaflet-popup")).to_be_visible()
    expect(page.get_by_role("heading", name=str(parks.loc["vsip-hai-phong", "name_en"]))).to_be_visible()
    assert not frame.locator(".heza-sheet").is_visible()
    wait_for_app(page)
    assert map_frame(page).locator(".heza-sheet").is_hidden()
