"""The investor pack from the land finder's shortlist, in a browser, in Korean (issue 17 §4): with two
parks shortlisted the page offers the pack as a PDF and as an HTML file, and each downloads; the PDF
names both parks and, with no public address configured (the test server is on 127.0.0.1), says to ask
HEZA for the live map's link instead of printing a loopback QR code. Screenshot:
tests/artifacts/issue17-pack-finder-desk.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import save_screenshot, wait_for_app, warmed
from playwright.sync_api import expect
from pypdf import PdfReader

from heza_geo import i18n
from heza_geo.view import park_name

LANG = "ko"
PARKS = ("dinh-vu", "vsip-hai-phong")


@pytest.fixture(scope="module")
def app(app_server, browser) -> str:
    return warmed(app_server, browser)


def test_a_shortlist_of_two_offers_the_pack_as_pdf_and_html_and_both_download(app, page, data):
    names = [park_name(data.parks[data.parks["park_id"] == p].iloc[0], LANG) for p in PARKS]
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app}/land_finder?lang={LANG}&compare={','.join(PARKS)}")
    wait_for_app(page)
    pdf_button = page.get_by_role("button", name=i18n.t("pack.download_pdf", LANG))
    html_button = page.get_by_role("button", name=i18n.t("pack.download_html", LANG))
    pdf_button.scroll_into_view_if_needed()
    expect(pdf_button).to_be_visible()
    expect(html_button).to_be_visible()
    save_screenshot(page, "issue17-pack-finder-desk")

    with page.expect_download(timeout=120_000) as info:
        pdf_button.click()
    download = info.value
    assert download.suggested_filename == f"heza-investor-pack-{LANG}-{'-'.join(PARKS)}.pdf"
    path = Path(download.path())
    assert path.read_bytes()[:5] == b"%PDF-"
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)
    assert i18n.t("pack.title", LANG) in text
    for name in names:
        assert name in text, name
    assert i18n.t("pack.no_url", LANG) in text and "127.0.0.1" not in text

    with page.expect_download(timeout=120_000) as info:
        html_button.click()
    page_html = Path(info.value.path()).read_text(encoding="utf-8")
    assert page_html.startswith("<!DOCTYPE html>") and all(name in page_html for name in names)
    assert page.locator('[data-testid="stException"]').count() == 0
