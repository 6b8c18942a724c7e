"""What a reader of each language sees where the unit tests read only the server's side (issue 16):
the month names on a chart's time axis, the order of a date field's day, month and year, and the
words of the map's measure tool.

Month names and date orders are written here as a reader of the language writes them ("7월",
"tháng 7", "30/11/2026"), not read from the code that makes them; the measure tool is checked first
for any of leaflet-measure's English left, then for the catalog's words. Screens are saved to
tests/artifacts/reader-*.png.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import MAP_IFRAME, PHONE, choose_option, open_map, save_screenshot, sign_in, store_app, wait_for_app
from playwright.sync_api import Page, expect

from heza_geo import i18n
from heza_geo.store.gpkg import GeoPackageStore

DESKTOP = {"width": 1440, "height": 900}
ENGLISH_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                           r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
ENGLISH_DAY = re.compile(r"\b(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b")


# --------------------------------------------------------------------------- a chart's months

#: July as each reader's calendar names it on an axis (the park histories run 2021-12 to 2023-10)
JULY = {"ko": "7월", "ja": "7月", "zh": "七月", "vi": "tháng 7", "en": "July"}
#: the x axis of the park panel's history chart: Vega's description of it and its tick labels
X_AXIS = """c => { const axis = Array.from(c.querySelectorAll('g.role-axis'))
        .find(g => (g.getAttribute('aria-label') || '').startsWith('X-axis'));
    return axis && {description: axis.getAttribute('aria-label'),
                    labels: Array.from(axis.querySelectorAll('.role-axis-label text')).map(t => t.textContent)}; }"""


def history_axis(page: Page, url: str, lang: str, name: str) -> dict[str, object]:
    """Open the map at ``url`` with VSIP Hải Phòng's panel in ``lang``; the x axis of its occupancy
    history chart once drawn, after a screenshot of the chart (``name``)."""
    page.goto(f"{url}/?lang={lang}&selected=vsip-hai-phong")
    wait_for_app(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for()
    page.wait_for_function(f"() => {{ const c = document.querySelector('[data-testid=\"stVegaLiteChart\"]');"
                           f" const a = c && ({X_AXIS})(c); return !!a && a.labels.length > 2; }}")
    chart.scroll_into_view_if_needed()
    save_screenshot(page, name)
    return chart.evaluate(X_AXIS)


@pytest.mark.parametrize("lang", ["ko", "ja", "zh", "vi", "en"])
def test_the_park_panels_history_chart_names_the_months_in_the_readers_language(page, app_server, lang):
    """A park's panel on the map shows its occupancy over time; between the years the axis names
    the months as the reader does ("7월", "7月", "七月", "tháng 7"), never Vega's English "July";
    a screen reader's description of the axis has no English month or day either. English keeps "July"."""
    page.set_viewport_size(DESKTOP)
    axis = history_axis(page, app_server, lang, f"reader-chart-months-{lang}")
    labels = axis["labels"]
    assert {"2022", "2023"} <= set(labels), labels  # the years, and between them the months
    assert JULY[lang] in labels, labels
    if lang != "en":
        assert [label for label in labels if ENGLISH_MONTH.search(label)] == [], labels
        assert not ENGLISH_MONTH.search(axis["description"]), axis["description"]
        assert not ENGLISH_DAY.search(axis["description"]), axis["description"]


def test_on_a_phone_the_park_panels_chart_names_the_months_in_vietnamese(browser, app_server):
    """A visitor who scanned the QR code (390×844, touch) reads the same Vietnamese months."""
    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        axis = history_axis(phone, app_server, "vi", "reader-chart-months-vi-phone")
        assert JULY["vi"] in axis["labels"], axis["labels"]
        assert [label for label in axis["labels"] if ENGLISH_MONTH.search(label)] == [], axis["labels"]
    finally:
        context.close()


# --------------------------------------------------------------------------- a date field's order

PASSWORD = "mật-khẩu-thử-nghiệm-2026"
#: each language's short date, as i18n.date_input_format's documentation promises it
DATE_ORDER = {"vi": "%d/%m/%Y", "en": "%d/%m/%Y", "ko": "%Y.%m.%d", "ja": "%Y/%m/%d", "zh": "%Y/%m/%d"}


@pytest.fixture(scope="module")
def staff(start_app, tmp_path_factory) -> tuple[str, GeoPackageStore]:
    """An app server on a GeoPackage store of its own (made from geodata/), with one staff account."""
    return store_app(start_app, tmp_path_factory.mktemp("store"), {"lan": (PASSWORD, "staff")})


def occupancy_form(page: Page, url: str, lang: str):
    """Sign in as lan in ``lang`` and open the Edit tab; its occupancy form."""
    sign_in(page, url, "lan", PASSWORD, lang)
    page.get_by_role("tab", name=i18n.t("dm.tab_edit", lang)).click()
    wait_for_app(page)
    return page.locator('[data-testid="stForm"]').filter(has_text=i18n.t("dm.save_occupancy", lang))


def shown_date(form, lang: str) -> str:
    """The "as of" field's day, month and year as drawn, with their separators."""
    field = form.get_by_role("group", name=i18n.t("dm.as_of", lang))
    return "".join(field.inner_text().split())


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh"])
def test_the_occupancy_forms_date_shows_today_in_the_readers_order(page, staff, lang):
    """The officer reads today's date as their language writes it: 30/11/2026 in Vietnamese and
    English (day first), 2026.11.30 in Korean, 2026/11/30 in Japanese and Chinese."""
    url, _store = staff
    page.set_viewport_size(DESKTOP)
    form = occupancy_form(page, url, lang)
    field = form.get_by_role("group", name=i18n.t("dm.as_of", lang))
    field.scroll_into_view_if_needed()
    expect(field).to_be_visible()
    save_screenshot(page, f"reader-date-field-{lang}")
    assert shown_date(form, lang) == date.today().strftime(DATE_ORDER[lang])


def test_a_vietnamese_officer_types_the_date_day_first_and_that_date_is_saved(page, staff):
    """Typed as a Vietnamese writes it, 01/07/2025 is the first of July, not the seventh of January."""
    url, store = staff
    page.set_viewport_size(DESKTOP)
    form = occupancy_form(page, url, "vi")
    panel = page.locator('[data-testid="stTabs"] [role="tabpanel"]:visible')
    choose_option(page, panel.get_by_label(i18n.t("dm.park", "vi")).first, "KCN Nam Sách")
    form.get_by_label(i18n.t("dm.occupancy_pct", "vi"), exact=True).fill("55")
    field = form.get_by_role("group", name=i18n.t("dm.as_of", "vi"))
    field.get_by_role("spinbutton").first.click()  # the first part of the date, as a person starts typing
    page.keyboard.type("01072025")
    assert shown_date(form, "vi") == "01/07/2025"
    save_screenshot(page, "reader-date-typed-vi")
    choose_option(page, form.get_by_label(i18n.t("column.source_kind", "vi")), i18n.label("provenance", "news", "vi"))
    form.get_by_label(i18n.t("dm.source", "vi")).fill("baohaiduong.vn 01/07/2025")
    form.get_by_label(i18n.t("dm.comment", "vi")).fill("tin tháng 7 năm 2025")
    form.get_by_role("button", name=i18n.t("dm.save_occupancy", "vi")).click()
    page.get_by_text(re.compile(r"^Đã lưu thành phiên bản \d+")).wait_for()
    rows = store.read_layer("occupancy_history")
    saved = rows[(rows["park_id"] == "nam-sach") & (rows["note"] == "tin tháng 7 năm 2025")]
    assert [d.date() for d in saved["as_of"]] == [date(2025, 7, 1)]


# --------------------------------------------------------------------------- the measure tool

#: leaflet-measure's own English (2.1.7), and Leaflet.MousePosition's "Unavailable"
ENGLISH_MEASURE = ("Measure", "Create a new measurement", "Start creating a measurement", "Cancel",
                   "Finish measurement", "Last point", "Path distance", "Linear measurement",
                   "Center on this line", "Delete", "Kilometers", "Meters", "Unavailable")


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH_MEASURE if word in text]


def measure_a_line(page: Page, frame, name: str) -> dict[str, str]:
    """Open the measure tool by pointing at it, start a measurement, click two points on the map and
    finish: what the tool says at each step. Screenshots ``name``-measuring and ``name``-result."""
    control = frame.locator(".leaflet-control-measure")
    toggle = control.locator(".leaflet-control-measure-toggle")
    said = {"button": toggle.inner_text(), "button title": toggle.get_attribute("title") or ""}
    box = toggle.bounding_box()  # the page's coordinates, as a person's pointer
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    control.locator(".js-start").wait_for()
    said["opened"] = control.inner_text()
    control.locator(".js-start").click()
    control.locator(".js-starthelp").wait_for()
    said["started"] = control.inner_text()
    iframe = page.locator(MAP_IFRAME).first.bounding_box()
    for x, y in ((0.45, 0.5), (0.6, 0.6)):
        page.mouse.click(iframe["x"] + iframe["width"] * x, iframe["y"] + iframe["height"] * y)
    control.locator(".js-results").wait_for()
    said["measuring"] = control.inner_text()
    save_screenshot(page, f"{name}-measuring")
    control.locator(".js-finish").click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    frame.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    said["result"] = popup.inner_text()
    save_screenshot(page, f"{name}-result")
    return said


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_maps_measure_tool_speaks_the_readers_language(page, app_server, lang):
    """The ruler on the map is named in the reader's words, and so is every step of measuring a
    line: the prompt, the running distance, the result's popup and its buttons. Before the pointer
    is on the map, its position box says the reader's "unavailable"."""
    page.set_viewport_size(DESKTOP)
    frame = open_map(page, app_server, f"?lang={lang}&layers=parks")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    position = frame.locator(".leaflet-control-mouseposition").inner_text()  # before the pointer is on the map
    said = {"position": position, **measure_a_line(page, frame, f"reader-measure-{lang}")}
    assert {step: english_in(text) for step, text in said.items()} == {step: [] for step in said}
    words = {step: i18n.t(key, lang) for step, key in (
        ("position", "map.position_unavailable"),
        ("button", "measure.button"), ("button title", "measure.title"), ("opened", "measure.create"),
        ("started", "measure.finish"), ("measuring", "measure.path_distance"),
        ("result", "measure.linear_measurement"))}
    assert {step: said[step] for step, word in words.items() if word not in said[step]} == {}


def test_a_measured_distance_is_written_with_the_vietnamese_decimal_comma(page, app_server):
    """The page writes 12.105 ha and 70,7%; the measured line reads 16,94 km (16.940 m), not
    16.94 km (16,940 m), which a Vietnamese reader reads as 16.94 m (failed before the measure
    control was given the language's separators, ``i18n.number_separators``)."""
    page.set_viewport_size(DESKTOP)
    frame = open_map(page, app_server, "?lang=vi&layers=parks")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    result = measure_a_line(page, frame, "reader-measure-vi-numbers")["result"]
    assert re.search(r"\d+,\d+ km \(\d{1,3}(\.\d{3})* m\)", result), result



def test_the_maps_scale_bar_is_in_metres_and_kilometres_only(page, app_server):
    """Leaflet's scale bar adds miles and feet ("5 mi", "2000 ft") by default; no reader of the
    app measures in them (failed before the map drew its own metric scale)."""
    page.set_viewport_size(DESKTOP)
    frame = open_map(page, app_server, "?lang=vi&layers=parks")
    lines = frame.locator(".leaflet-control-scale-line")
    lines.first.wait_for()
    expect(lines).to_have_count(1)
    assert re.fullmatch(r"\d+ k?m", lines.first.inner_text().strip()), lines.first.inner_text()
