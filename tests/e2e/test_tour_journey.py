"""The presentation tour as a presenter and a visitor go through it (issue 15): the overview of the
city first, the legend and the place labels on screen, next/back buttons in the card, flights
that never show half-drawn land, and the card on a phone.

The stops are built as the page builds them (heza_geo on the same data directory), so every text
checked here is the data's and the catalogs', never typed in the test.
"""

from __future__ import annotations

import io

import pytest
import zxingcpp
from conftest import map_frame, save_screenshot, wait_for_app
from PIL import Image

from heza_geo import i18n, links
from heza_geo.analysis.cards import city_cards
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.maps import tour as tour_map

MAP = "Object.values(window).find(v => v instanceof L.Map)"
#: every animation frame of the next flight (started by ``key``, as a clicker sends it), until it
#: lands: the map container's box and the box the SVG renderer has drawn the vector layers in (the
#: land, the zones, the parks), both in the frame's pixels, and the map's zoom
SAMPLE_FLIGHT = """(key) => new Promise((resolve) => {
    const map = MAP;
    const container = map.getContainer();
    const samples = [];
    let landed = false;
    map.once('moveend', () => { landed = true; });
    function sample() {
        const svg = container.querySelector('.leaflet-overlay-pane svg');
        const a = container.getBoundingClientRect(), b = svg.getBoundingClientRect();
        samples.push({zoom: map.getZoom(), map: [a.left, a.top, a.right, a.bottom],
                      drawn: [b.left, b.top, b.right, b.bottom],
                      land: !!svg.querySelector('path.heza-land')});
        if (landed) { resolve(samples); } else { requestAnimationFrame(sample); }
    }
    document.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true}));
    requestAnimationFrame(sample);
})""".replace("MAP", MAP)


@pytest.fixture(scope="module")
def stops(data):
    """The page's stops in each language the tests read: the overview (with the city's average
    occupancy card and the zones), the parks west to east, the port."""
    berths = berth_status(data.berths, data.berth_status_history)
    overview = parks_overview(data)
    return {lang: tour_map.tour_stops(overview, berths, lang, data.connectivity, data.zones,
                                      city_cards(data, lang)[:1])
            for lang in ("en", "vi")}


def open_tour(page, url: str, lang: str = "en", size: tuple[int, int] = (1920, 1080)):  # type: ignore[no-untyped-def] - a Playwright page, untyped like the other e2e helpers
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{url}/presentation?lang={lang}&seconds=0")
    wait_for_app(page)
    frame = map_frame(page)
    frame.locator(".heza-tour-title").wait_for()
    return frame


def landed(frame) -> None:  # type: ignore[no-untyped-def]  # a Playwright frame
    """Until the tour's flight has landed (the tour marks its map while it flies)."""
    frame.wait_for_function("() => !document.querySelector('.heza-tour-flying')")


def has_title(frame, title: str) -> None:  # type: ignore[no-untyped-def]  # a Playwright frame
    frame.wait_for_function("t => document.querySelector('.heza-tour-title').textContent === t", arg=title)


def box(locator) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]  # a Playwright locator
    b = locator.bounding_box()
    assert b is not None
    return b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def qr_text(frame) -> str:  # type: ignore[no-untyped-def]  # a Playwright frame
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(frame.locator("img.heza-qr").screenshot())))
    assert len(found) == 1
    return found[0].text


def test_the_tour_opens_on_the_whole_city_with_its_figures_legend_and_labels(page, app_server, data, stops):
    frame = open_tour(page, app_server)
    first = stops["en"][0]
    assert first.key == tour_map.OVERVIEW
    assert frame.locator(".heza-tour-title").inner_text() == first.title
    assert frame.locator(".heza-tour-subtitle").inner_text() == first.subtitle
    assert frame.locator(".heza-tour-label").all_inner_texts() == [f[0] for f in first.figures]
    assert frame.locator(".heza-tour-value").all_inner_texts() == [f[1] for f in first.figures]
    assert frame.locator(".heza-tour-note").all_inner_texts() == [f[2] for f in first.figures if f[2]]
    landed(frame)

    # the compact legend: the stages drawn, in the tour's language, clear of the card and the QR code
    legend = frame.locator(".heza-tour-legend")
    title, entries = tour_map.tour_legend(parks_overview(data), data.zones, "en")
    assert frame.locator(".heza-tour-legend-title").inner_text() == title
    assert frame.locator(".heza-tour-legend-item").all_inner_texts() == [text for _, text, _ in entries]
    card = box(frame.locator(".heza-tour-card"))
    assert not overlap(box(legend), card)
    if links.lan_address() is not None:  # the overview's QR code opens the map with no park selected
        assert qr_text(frame).endswith("/?lang=en")
        assert not overlap(box(legend), box(frame.locator(".heza-tour-qr")))

    # place labels from the data: the city, the port, the airport; no pile of park names at this zoom
    assert frame.locator(".heza-place-city").inner_text() == i18n.t("tour.city", "en")
    assert frame.locator(".heza-place-city .heza-place-text").is_visible()
    port = data.connectivity[data.connectivity["name_en"].str.contains("Lach Huyen")].iloc[0]
    assert frame.locator(".heza-place-port").inner_text() == port["name_en"]
    airport = data.connectivity[data.connectivity["kind"] == "airport"].iloc[0]
    assert frame.locator(".heza-place-airport").inner_text() == airport["name_en"]
    assert frame.locator(".heza-place-park:not(.heza-place-hidden)").count() == 0
    shown = frame.locator(".heza-place:not(.heza-place-hidden) .heza-place-text")
    boxes = [box(shown.nth(i)) for i in range(shown.count())]
    assert len(boxes) >= 2 and not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    save_screenshot(page, "issue15-tour-overview-1920x1080")

    page.keyboard.press("PageDown")  # a clicker: the first park, named on the map
    has_title(frame, stops["en"][1].title)
    landed(frame)
    assert frame.locator(".heza-place-current .heza-place-text").inner_text() == next(
        label.text for label in tour_map.place_labels(parks_overview(data), berth_status(
            data.berths, data.berth_status_history), data.connectivity, "en") if label.key == stops["en"][1].park_id)
    save_screenshot(page, "issue15-tour-park-1920x1080")


def test_next_and_back_buttons_move_the_card_and_name_the_park(page, app_server, stops):
    frame = open_tour(page, app_server, size=(1440, 900))
    tour = stops["en"]
    next_button = frame.get_by_role("button", name=i18n.t("tour.next_stop", "en"))
    back_button = frame.get_by_role("button", name=i18n.t("tour.previous_stop", "en"))
    assert next_button.inner_text().startswith(i18n.t("tour.next", "en"))
    assert back_button.inner_text().endswith(i18n.t("tour.back", "en"))
    assert next_button.bounding_box()["height"] >= 44  # a finger's size

    next_button.click()
    has_title(frame, tour[1].title)
    assert frame.locator(".heza-tour-progress").inner_text().startswith(f"2 / {len(tour)}")
    landed(frame)
    park = frame.locator(f".heza-place-park[data-park='{tour[1].park_id}']")
    assert "heza-place-current" in park.get_attribute("class")
    assert park.locator(".heza-place-text").is_visible()
    if links.lan_address() is not None:
        assert qr_text(frame).endswith(f"?lang=en&selected={tour[1].park_id}")
    save_screenshot(page, "issue15-tour-park-1440x900")

    back_button.click()
    has_title(frame, tour[0].title)
    page.keyboard.press("PageDown")  # a clicker's keys still work beside the buttons
    has_title(frame, tour[1].title)
    page.keyboard.press("PageUp")
    has_title(frame, tour[0].title)


def test_a_flight_shows_the_land_drawn_over_the_whole_screen_at_every_frame(page, app_server):
    """Leaflet's SVG renderer drew the land over the screen plus a tenth and only again when a move
    ended: a zoom-out flight shrank the drawing and showed bare water where land was. Every frame
    of a park-to-park flight and of the flight back out to the city must show it drawn everywhere."""
    frame = open_tour(page, app_server)
    page.keyboard.press("ArrowRight")  # the second stop: a park (f291b27, with no overview: the second park)
    landed(frame)
    # next park; back to the first stop (the city) and round to the port, far east; out to the city again
    for key in ("ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowRight"):
        samples = frame.evaluate(SAMPLE_FLIGHT, key)
        zooms = [s["zoom"] for s in samples]
        assert len(samples) >= 3 and max(zooms) > min(zooms)  # a flight, seen as it went
        for s in samples:
            (left, top, right, bottom), drawn = s["map"], s["drawn"]
            assert s["land"]
            assert drawn[0] <= left + 1 and drawn[1] <= top + 1 and drawn[2] >= right - 1 and drawn[3] >= bottom - 1, s


def test_on_a_phone_the_card_shows_every_value_whole_and_nothing_covers_it(phone, app_server):
    phone.goto(f"{app_server}/presentation?lang=vi&seconds=0")
    wait_for_app(phone)
    frame = map_frame(phone)
    title = frame.locator(".heza-tour-title")
    first = title.inner_text()

    def check() -> None:
        landed(frame)
        values = frame.locator(".heza-tour-value")
        assert values.count() > 0
        clipped = frame.evaluate("""() => [...document.querySelectorAll('.heza-tour-value')]
            .filter(v => v.scrollWidth > v.clientWidth).map(v => v.textContent)""")
        assert clipped == []
        card = frame.locator(".heza-tour-card")
        assert card.evaluate("c => c.scrollWidth <= c.clientWidth")
        nav = box(frame.locator(".heza-tour-nav"))  # the buttons in reach, not scrolled away
        assert nav[1] >= box(card)[1] and nav[3] <= box(card)[3]
        card_box = box(card)  # the map's frame covers the page from its top left: one set of pixels
        assert card_box[0] >= 0 and card_box[2] <= 390 and card_box[3] <= 844
        assert card_box[3] - card_box[1] <= 844 / 2 + 1  # half the screen at most: the map shows above
        assert not frame.locator(".heza-tour-qr").is_visible()  # the phone is the visitor's own
        others = [frame.locator(".heza-tour-legend"), phone.locator(".st-key-tour_settings button").first,
                  phone.locator('[data-testid="stToast"]'), phone.locator(".st-key-tour_problems")]
        for other in others:
            for i in range(other.count()):
                if other.nth(i).is_visible():
                    assert not overlap(box(other.nth(i)), card_box), other

    check()
    save_screenshot(phone, "issue15-tour-overview-390x844")
    frame.get_by_role("button", name=i18n.t("tour.next_stop", "vi")).tap()  # a finger, not a clicker
    frame.wait_for_function("t => document.querySelector('.heza-tour-title').textContent !== t", arg=first)
    check()
    save_screenshot(phone, "issue15-tour-park-390x844")
    frame.get_by_role("button", name=i18n.t("tour.previous_stop", "vi")).tap()
    has_title(frame, first)
