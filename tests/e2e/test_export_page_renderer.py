"""The Export page says which renderer drew a PNG or PDF (issue 16).

Where Chromium is installed the page's own exports must be drawn by it, as the command line's
are: a progress report from the browser's worker thread once broke every in-page export into the
built-in renderer ("NoSessionContext"), and no browser test looked at which renderer drew. Where
Chromium is absent (the setting ``chromium`` points nowhere) the built-in renderer takes over and
the page says so in the visitor's language, with no server path or Python exception in the text.

One app server per case, on the tiny dataset; each test makes real files in the real browser.

The PNG has the parks' names (issue 16): no OCR is installed here, so the names are read where the
browser draws them, as elements of the map page the browser renderer screenshots
(``heza_geo.export.snapshot.snapshot_html``, the page the Export page's PNG is taken of), loaded in
Chromium at the PNG's size.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import CHROMIUM, choose_option, save_screenshot, wait_for_app, warmed
from playwright.sync_api import expect

from heza_geo.analysis.selection import select
from heza_geo.export import SIZES, snapshot
from heza_geo.io import load_dataset
from heza_geo.maps import assets
from heza_geo.view import Filters, MapView
from tests.conftest import write_dataset

if TYPE_CHECKING:  # the unit tests run where Playwright is not installed (conftest skips these)
    from playwright.sync_api import Page

pytestmark = pytest.mark.skipif(bool(assets.missing_assets()), reason="static/vendor not installed (make setup)")

EXPORT_TIMEOUT_MS = 120_000  # an A4 sheet at 300 dpi on a busy two-core machine
DRAWN_BY_BROWSER = "The map was drawn by the browser (Chromium)."
ALERTS = '[data-testid="stAlert"], [data-testid="stCaptionContainer"]'


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("tiny") / "data")


@pytest.fixture(scope="module")
def app_with_chromium(tiny_data, start_app, browser) -> str:
    return warmed(start_app(env={"HEZA_DATA_DIR": str(tiny_data), "HEZA_EXPORT_RENDERER": "auto",
                                "HEZA_CHROMIUM": str(CHROMIUM)}), browser)


@pytest.fixture(scope="module")
def app_without_chromium(tiny_data, start_app, browser, tmp_path_factory) -> tuple[str, Path]:
    """The app's URL and where its setting ``chromium`` points (nothing is there)."""
    nowhere = tmp_path_factory.mktemp("no-browser") / "chromium"
    return warmed(start_app(env={"HEZA_DATA_DIR": str(tiny_data), "HEZA_EXPORT_RENDERER": "auto",
                                "HEZA_CHROMIUM": str(nowhere)}), browser), nowhere


def make_file(page: Page, button: str, download: str) -> str:
    """Press ``button``, wait for the download button, return the notices shown with the result."""
    page.get_by_role("button", name=button).click()
    page.get_by_role("button", name=download).wait_for(timeout=EXPORT_TIMEOUT_MS)
    wait_for_app(page)
    return "\n".join(page.locator(ALERTS).all_inner_texts())


def test_png_and_pdf_made_on_the_export_page_are_drawn_by_the_browser(app_with_chromium, page):
    page.goto(f"{app_with_chromium}/export?lang=en")
    wait_for_app(page)

    notices = make_file(page, "Create the file", "Download heza-map-")
    assert DRAWN_BY_BROWSER in notices, notices
    assert "could not draw" not in notices and "NoSessionContext" not in notices
    expect(page.locator('[data-testid="stImage"]')).to_have_count(1)  # the PNG is shown under its download button
    page.set_viewport_size({"width": 1440, "height": 900})
    save_screenshot(page, "export_page_png_browser")

    page.get_by_text("Map sheet with indicators and sources (PDF)").click()
    # the PNG's result is gone once the page has answered the choice (a count read at once could
    # read the page before the click's run began)
    expect(page.get_by_role("button", name="Download heza-map-")).to_have_count(0)
    expect(page.locator(ALERTS).filter(has_text=DRAWN_BY_BROWSER)).to_have_count(0)
    notices = make_file(page, "Create the file", "Download heza-map-")
    assert page.get_by_role("button", name="Download heza-map-").inner_text().endswith(".pdf")
    assert DRAWN_BY_BROWSER in notices, notices
    assert "could not draw" not in notices
    assert page.locator('[data-testid="stException"]').count() == 0


def test_without_chromium_the_page_says_in_the_visitors_language_that_the_built_in_renderer_drew_it(
        app_without_chromium, page):
    url, nowhere = app_without_chromium
    page.goto(f"{url}/export?lang=vi")
    wait_for_app(page)
    choose_option(page, page.get_by_label("Ngôn ngữ của tệp"), "English")  # the file in English, the page in Vietnamese
    wait_for_app(page)

    fallback = ("Trình duyệt không vẽ được bản đồ nên bản đồ đã được vẽ bằng bộ vẽ dự phòng, "
                "không có ảnh nền trực tuyến.")
    for file_format in ("PNG", "PDF"):
        if file_format == "PDF":
            page.get_by_text("Trang bản đồ kèm chỉ tiêu và nguồn (PDF)").click()
            expect(page.get_by_role("button", name="Tải xuống heza-map-")).to_have_count(0)  # the PNG's result gone
        notices = make_file(page, "Tạo tệp", "Tải xuống heza-map-")
        assert page.get_by_role("button", name="Tải xuống heza-map-").inner_text().endswith(f".{file_format.lower()}")
        assert fallback in notices, notices
        assert "The browser could not draw" not in notices  # the visitor's language, not the file's
        assert str(nowhere.parent) not in notices and nowhere.parent.name not in notices  # no server path
        assert "not installed" not in notices and "Error" not in notices  # no exception text (it is logged)
        if file_format == "PNG":
            save_screenshot(page, "export_page_png_fallback_vi")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_map_the_browser_screenshots_for_a_png_names_each_park_without_overlaps(tiny_data, page, tmp_path):
    selection = select(load_dataset(tiny_data), Filters(), MapView(lang="en"))
    html_file = tmp_path / "map.html"
    html_file.write_text(snapshot.snapshot_html(selection, snapshot.caption(selection, {})), encoding="utf-8")
    width, height, _scale = snapshot.layout(SIZES["1920x1080"])
    page.set_viewport_size({"width": width, "height": height})
    page.goto(html_file.as_uri())
    page.wait_for_function("() => window.hezaExportReady === true", timeout=EXPORT_TIMEOUT_MS)

    labels = page.locator(".leaflet-marker-pane .heza-park-label")
    shown = {labels.nth(i).inner_text(): labels.nth(i).bounding_box() for i in range(labels.count())
             if labels.nth(i).is_visible()}
    assert set(shown) == {"Anh Duong IP", "Binh Minh IP", "New Cat Hai IP"}, shown
    frame = page.locator(".folium-map").bounding_box()
    boxes = list(shown.values())
    for box in boxes:  # on the map, none covering another
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                    or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]), (a, b)
    legend = page.locator(".heza-legend").inner_text()
    assert "Airport" in legend and "Housing" in legend  # every kind of marker drawn has its entry
    page.screenshot(path=str(tmp_path / "map.png"))
    save_screenshot(page, "export_map_park_names")
