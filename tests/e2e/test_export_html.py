"""Exports drawn by the real browser: the HTML file opens offline with its parks drawn, the
Chromium renderer makes PNGs and PDF atlases, and the Export page hands over a file.

Kept few and lean (CI budget): one dataset (the tiny one), one app server for the module.
"""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, save_screenshot, wait_for_app, warmed
from PIL import Image
from pypdf import PdfReader

from heza_geo import styling
from heza_geo.analysis.selection import select
from heza_geo.export import ExportOptions, export, parse_size
from heza_geo.io import load_dataset
from heza_geo.maps import assets
from heza_geo.view import Filters, MapView
from tests.conftest import write_dataset
from tests.export.test_data import raw_sheet

pytestmark = pytest.mark.skipif(bool(assets.missing_assets()), reason="static/vendor not installed (make setup)")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    directory = write_dataset(tmp_path_factory.mktemp("tiny") / "data")
    return directory, load_dataset(directory)


@pytest.fixture(autouse=True)
def browser_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEZA_EXPORT_RENDERER", raising=False)


def test_html_export_opens_offline_with_every_park_drawn(tiny, page, tmp_path):
    _, data = tiny
    out = tmp_path / "map.html"
    export(data, Filters(), MapView(lang="vi"), "html", out)

    page.goto(out.as_uri())
    page.wait_for_function("() => window.hezaExportReady === true")
    assert page.locator("path.heza-park").count() == 3
    assert page.locator("path.heza-plot").count() == 7
    assert page.locator(".heza-legend").count() == 1
    assert "Hải Phòng" in page.locator(".heza-export-title").inner_text()
    assert page.locator(".leaflet-control-zoom").is_visible()  # interactive, unlike a print
    save_screenshot(page, "export_html")
    assert [url for url in page.external_requests if not url.startswith("file:")] == []
    assert page.console_errors == []


def test_browser_png_has_the_size_and_the_parks_colours(tiny, tmp_path):
    _, data = tiny
    view = MapView(layers=("parks",), colour_by="stage")
    out = tmp_path / "map.png"
    result = export(data, Filters(), view, "png", out, ExportOptions(size=parse_size("1920x1080"), renderer="browser"),
                    selection=select(data, Filters(), view, land=None))
    assert result.renderer == "browser" and result.warnings == []
    image = Image.open(out).convert("RGB")
    assert image.size == (1920, 1080)
    water = tuple(int(styling.WATER_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    colours = {pixel: count for count, pixel in image.getcolors(maxcolors=1 << 24)}
    for stage in ("full", "site_clearance"):
        fill = tuple(int(styling.STAGE_COLOURS[stage][i:i + 2], 16) for i in (1, 3, 5))
        expected = tuple(round(0.75 * f + 0.25 * w) for f, w in zip(fill, water, strict=True))
        near = sum(n for pixel, n in colours.items()
                   if all(abs(a - b) <= 6 for a, b in zip(pixel, expected, strict=True)))
        assert near > 500, stage
    image.save(ARTIFACTS / "export_browser.png")


def test_browser_pdf_atlas_has_a_page_per_park(tiny, tmp_path):
    _, data = tiny
    out = tmp_path / "atlas.pdf"
    result = export(data, Filters(), MapView(lang="en"), "pdf", out, ExportOptions(atlas=True, renderer="browser"))
    assert result.renderer == "browser"
    reader = PdfReader(out)
    assert len(reader.pages) == 4
    assert "Anh Duong IP" in reader.pages[0].extract_text()
    assert [p.extract_text().split("\n")[0] for p in reader.pages[1:]] == ["Anh Duong IP", "Binh Minh IP",
                                                                           "New Cat Hai IP"]


@pytest.fixture(scope="module")
def tiny_app(tiny, start_app, browser) -> str:
    """The app on the tiny data, opened at "/" once: a fresh Streamlit server's first run would
    otherwise be in its legacy pages/-folder mode (see test_pages_finder_compare_presentation)."""
    directory, _ = tiny
    return warmed(start_app(env={"HEZA_DATA_DIR": str(directory), "HEZA_EXPORT_RENDERER": "static"}), browser)


def test_export_page_makes_a_file_to_download(tiny_app, page):
    page.goto(f"{tiny_app}/export?lang=en&district=D1")
    wait_for_app(page)
    assert page.get_by_text("The file holds the map page's current view: 2 parks").is_visible()
    page.get_by_text("Excel workbook, one sheet per layer (XLSX)").click()
    wait_for_app(page)
    page.get_by_role("button", name="Create the file").click()
    wait_for_app(page)
    download_button = page.get_by_role("button", name="Download heza-data-")
    download_button.wait_for()
    with page.expect_download() as info:
        download_button.click()
    path = info.value.path()
    parks = raw_sheet(path, "parks")  # headers in the file's language, mapped back through its codes sheet
    assert list(parks["name_vi"]) == ["KCN Ánh Dương", "KCN Bình Minh"]
    assert "--district D1" in page.locator("code").last.inner_text()
    save_screenshot(page, "export_page_en", full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_export_page_in_korean_renders_a_map_image(tiny_app, page):
    page.goto(f"{tiny_app}/export?lang=ko")
    wait_for_app(page)
    page.get_by_role("button", name="파일 만들기").click()
    page.get_by_role("button", name="heza-map-").wait_for(timeout=90_000)
    assert page.get_by_text("지도 이미지 (PNG)").is_visible()
    save_screenshot(page, "export_page_ko", full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
