"""The event's QR code, read as a phone reads it (issue 15): the image on the tour is decoded
(zxing-cpp) and must be a link a phone in the room can open, the map at the stop's park in the
tour's language (the overview's: the map with no park selected); never the presenter's loopback
(it encoded ``http://127.0.0.1:…/presentation``). A language switch redraws everything on screen
in the new language: the card, the legend, the place labels, the buttons and the QR code.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from conftest import map_frame, save_screenshot, wait_for_app, wait_for_tour_title
from PIL import Image

from heza_geo import i18n, links
from heza_geo.analysis.cards import city_cards
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.io import load_dataset
from heza_geo.maps.tour import place_labels, tour_stops

PUBLIC = "https://gis.heza.example.vn"


@pytest.fixture(scope="module")
def stops():
    data = load_dataset("geodata")
    berths = berth_status(data.berths, data.berth_status_history)
    overview = parks_overview(data)
    return {lang: tour_stops(overview, berths, lang, data.connectivity, data.zones, city_cards(data, lang)[:1])
            for lang in ("en", "ja")}


def qr_text(page) -> str:
    """The tour's QR code as a phone's camera reads it: the image decoded, not its alt text."""
    image = map_frame(page).locator("img.heza-qr")
    image.wait_for()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def open_tour(page, url: str, lang: str = "en") -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{url}/presentation?lang={lang}&seconds=0")
    wait_for_app(page)
    map_frame(page).locator(".heza-tour-title").wait_for()


def test_without_public_url_the_qr_code_opens_the_map_at_this_machines_network_address(page, app_server, stops):
    open_tour(page, app_server)
    lan = links.lan_address()
    if lan is None:  # a machine with no network: no QR code a phone cannot open, and the presenter is told
        assert map_frame(page).locator("img.heza-qr").count() == 0
        page.get_by_text("No link a phone can open", exact=False).wait_for()
        return
    port = urlsplit(app_server).port
    assert stops["en"][0].park_id is None  # the overview: the map with no park selected
    assert qr_text(page) == f"http://{lan}:{port}/?lang=en"
    assert not links.is_loopback(urlsplit(qr_text(page)).hostname or "")
    # the presenter is told that this link needs the same Wi-Fi, and how to set one for anywhere
    page.get_by_text("public_url", exact=False).first.wait_for()
    save_screenshot(page, "presentation-qr-lan")

    page.keyboard.press("ArrowRight")  # the next stop's park
    map_frame(page).wait_for_function("t => document.querySelector('.heza-tour-title').textContent === t",
                                      arg=stops["en"][1].title)
    assert qr_text(page).endswith(f"?lang=en&selected={stops['en'][1].park_id}")


@pytest.fixture(scope="module")
def public_app(start_app) -> str:
    return start_app(env={"HEZA_PUBLIC_URL": PUBLIC + "/"})


@pytest.fixture(scope="module")
def data_for_labels():
    data = load_dataset("geodata")
    return parks_overview(data), berth_status(data.berths, data.berth_status_history), data.connectivity


def test_the_qr_code_carries_public_url_and_follows_the_tours_language(page, public_app, stops, data_for_labels):
    open_tour(page, public_app)
    assert qr_text(page) == f"{PUBLIC}/?lang=en"  # the overview's: no park selected
    assert page.get_by_text("public_url", exact=False).count() == 0  # set: nothing to warn about
    settings = page.locator(".st-key-tour_settings button").first
    assert "⚙" not in settings.inner_text()  # no emoji: a Material icon and words
    assert i18n.t("tour.settings", "en") in settings.inner_text()

    settings.click()
    page.locator(".st-key-tour_lang [role='combobox']").first.click()
    page.get_by_role("option", name="日本語", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('lang') === 'ja'")
    page.keyboard.press("Escape")
    wait_for_tour_title(page, stops["ja"][0].title)
    assert qr_text(page) == f"{PUBLIC}/?lang=ja"
    frame = map_frame(page)  # everything on screen in the new language
    assert frame.locator(".heza-tour-legend-title").inner_text() == i18n.t("legend.stage", "ja")
    assert i18n.label("stage", "operating", "ja") in frame.locator(".heza-tour-legend").inner_text()
    assert frame.locator(".heza-place-city").inner_text() == i18n.t("tour.city", "ja")
    assert frame.locator(".heza-tour-progress").inner_text().endswith(i18n.t("tour.keys_hint", "ja"))
    assert [f[0] for f in stops["ja"][0].figures] == frame.locator(".heza-tour-label").all_inner_texts()
    back = frame.get_by_role("button", name=i18n.t("tour.previous_stop", "ja"))
    assert i18n.t("tour.back", "ja") in back.inner_text()
    assert i18n.t("tour.settings", "ja") in page.locator(".st-key-tour_settings button").first.inner_text()
    next_button = frame.get_by_role("button", name=i18n.t("tour.next_stop", "ja"))
    assert i18n.t("tour.next", "ja") in next_button.inner_text()
    next_button.click()
    wait_for_tour_title(page, stops["ja"][1].title)
    assert qr_text(page) == f"{PUBLIC}/?lang=ja&selected={stops['ja'][1].park_id}"
    names = {label.key: label.text for label in place_labels(*data_for_labels, "ja") if label.key}
    current = frame.locator(f".heza-place-current[data-park='{stops['ja'][1].park_id}'] .heza-place-text")
    current.wait_for()  # named, and shown
    assert current.inner_text() == names[stops["ja"][1].park_id]
    save_screenshot(page, "presentation-qr-ja")
    save_screenshot(page, "issue15-tour-park-ja-1920x1080")
