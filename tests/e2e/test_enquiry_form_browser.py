"""The enquiry form in a real browser (issue 17 §3; heza_geo.ui.enquiry): an investor opens a park on the
map, fills the form under its passport and is thanked, on a store of its own that then holds the
enquiry; on a phone the form opens and its send button can be reached. The headless checks (problems,
double sends, the honeypot, markup) are in tests/app/test_enquiry_form.py.
"""

from __future__ import annotations

import pytest
from conftest import map_frame, save_screenshot, settled, store_app, wait_for_app
from playwright.sync_api import Page, expect

from heza_geo import i18n

PARK = "dinh-vu"
#: how long an expectation waits for the run a click causes (a cold server's first park panel is slow)
RUN = 60_000


def en(key: str) -> str:
    return i18n.t(key, "en")


@pytest.fixture(scope="module")
def served(start_app, tmp_path_factory):  # type: ignore[no-untyped-def]  # (base URL, store)
    return store_app(start_app, tmp_path_factory.mktemp("enquiries"), {})


def open_form(page: Page, url: str, lang: str) -> None:
    """The map with the park's panel open (its link), then the form's expander opened by a click."""
    page.goto(f"{url}/?selected={PARK}&lang={lang}")
    wait_for_app(page)
    map_frame(page)  # the map drawn above the panel (on a phone, above the form): the page's height is settled
    summary = page.locator(".st-key-enquiry_map summary")
    expect(summary).to_contain_text(i18n.t("enquiry.form.title_park", lang), timeout=RUN)
    summary.scroll_into_view_if_needed()
    summary.click()
    expect(page.locator(".st-key-enquiry_map_name input")).to_be_visible()
    # the expander opens with an animation (its height grows): until it ends, what is under it still moves
    settled(page)


def test_an_investor_sends_an_enquiry_from_the_park_panel_and_is_thanked(served, desk: Page):
    url, store = served
    open_form(desk, url, "en")
    expect(desk.locator(".st-key-enquiry_map_hidden")).to_be_hidden()  # the honeypot: no person sees it
    desk.locator(".st-key-enquiry_map_name input").fill("Kim Min-ji")
    desk.locator(".st-key-enquiry_map_email input").fill("minji@example.com")
    desk.locator(".st-key-enquiry_map_message textarea").fill("Power for a 20 MW plant?")
    desk.locator(".st-key-enquiry_map_consent label").click()
    send = desk.locator(".st-key-enquiry_map_send button")
    send.scroll_into_view_if_needed()
    send.click()
    thanks = desk.locator(".st-key-enquiry_map [data-testid='stAlertContentSuccess']")
    expect(thanks).to_have_text(en("enquiry.thanks"), timeout=RUN)
    expect(desk.locator(".st-key-enquiry_map_name input")).to_have_value("")  # nothing of the visitor's stays
    thanks.scroll_into_view_if_needed()
    save_screenshot(desk, "issue17-enquiry-form-1440x900")
    [stored] = store.enquiries()
    assert (stored.name, stored.email, stored.parks, stored.language) == (
        "Kim Min-ji", "minji@example.com", (PARK,), "en")


def test_on_a_phone_the_form_opens_and_its_send_button_can_be_reached(served, phone: Page):
    url, _ = served
    phone.set_default_timeout(30_000)
    open_form(phone, url, "ko")
    send = phone.locator(".st-key-enquiry_map_send button")
    send.scroll_into_view_if_needed()
    expect(send).to_be_in_viewport()
    expect(send).to_have_accessible_name(i18n.t("enquiry.form.send", "ko"))
    box = send.bounding_box()
    assert box is not None and box["width"] >= 300  # the whole width of a 390 px screen, less margins
    save_screenshot(phone, "issue17-enquiry-form-390x844")
    assert not phone.errors  # type: ignore[attr-defined]  # carried on the page by the fixture
