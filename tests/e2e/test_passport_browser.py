"""A park's passport where an investor looks, in Korean, in Chromium (issue 17, section 1).

The map page: a park clicked opens its panel with the key facts (price range, years left, power,
water free, readiness), each with its date and badge, in one script run; a group opens in the browser
(no run); a figure not published says so. Compare shows the passport's rows. A plot's popup names
its park's lease price and readiness with their badge. The expected texts come from
:func:`heza_geo.analysis.passport.passport` on the default data, so the test reads what the model says.

The runs are counted by the server (the ``run_log`` setting), never timed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import PHONE, click_park, map_frame, open_map, save_screenshot, wait_for_app

from heza_geo import i18n
from heza_geo.analysis.passport import passport
from heza_geo.analysis.selection import select
from heza_geo.maps import assets
from heza_geo.maps.build import build_map
from heza_geo.maps.plots.layer import PlotsLibrary
from heza_geo.view import Filters, MapView

pytest.importorskip("playwright")
from playwright.sync_api import expect

KOREAN = "?lang=ko&layers=parks"
#: a park with a passport (price, term, power, water, readiness)
WITH = "dinh-vu"
#: a park whose water free is not published
WITHOUT_WATER = "dai-an"
PANEL = ".st-key-passport"


def runs(log: Path) -> int:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return sum(not line.endswith(" done") for line in lines)


def test_a_park_click_shows_its_price_years_left_and_water_with_badges_in_one_run(desk, counted, data):
    url, log = counted
    investor = passport(data, WITH, "ko", date.today())
    facts = {f.key: (f.value, source) for f, source in zip(investor.key_facts, investor.key_sources, strict=True)}
    frame = open_map(desk, url, KOREAN)
    wait_for_app(desk)
    before = runs(log)

    click_park(desk, frame, WITH)
    panel = desk.locator(PANEL)
    expect(panel).to_contain_text(i18n.t("passport.title", "ko"))
    for key in ("lease_price", "years_left", "water_free"):
        value, source = facts[key]
        expect(panel).to_contain_text(value)
        expect(panel).to_contain_text(source)  # its date and badge
    assert facts["lease_price"][0].endswith("USD/m²") and "년" in facts["years_left"][0]
    wait_for_app(desk)
    assert runs(log) - before == 1

    land = panel.locator("summary").first  # a group opens in the browser: no run
    land.click()
    expect(panel).to_contain_text(i18n.t("passport.row.largest_free", "ko"))
    wait_for_app(desk)
    assert runs(log) - before == 1
    panel.evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot(desk, "issue17-passport-panel-ko-desk")


def test_a_figure_not_published_says_so_in_the_panel(desk, counted, data):
    url, log = counted
    investor = passport(data, WITHOUT_WATER, "ko", date.today())
    assert not investor.row("water_free").published
    frame = open_map(desk, url, KOREAN)
    before = runs(log)
    click_park(desk, frame, WITHOUT_WATER)
    fact = desk.locator(f"{PANEL} .heza-passport > div").filter(has_text=i18n.t("passport.row.water_free", "ko"))
    expect(fact).to_contain_text(i18n.t("passport.not_published", "ko"))
    wait_for_app(desk)
    assert runs(log) - before == 1


def test_the_panel_in_vietnamese_and_on_a_phone(browser, app_server, data):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{app_server}/?lang=vi&selected={WITH}")
    map_frame(page).wait_for_selector("path.heza-park-selected", state="attached")  # drawn before the screenshot
    wait_for_app(page)
    panel = page.locator(PANEL)
    expect(panel).to_contain_text(passport(data, WITH, "vi", date.today()).key_facts[0].value)
    panel.evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot(page, "issue17-passport-panel-vi-desk")
    context.close()

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{app_server}/?lang=ko&selected={WITH}")
    wait_for_app(page)
    panel = page.locator(PANEL)
    expect(panel).to_contain_text(passport(data, WITH, "ko", date.today()).key_facts[0].value)
    panel.locator(".heza-passport").evaluate("e => e.scrollIntoView({block: 'center'})")  # title clear of the bar
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"]  # nothing wider than the phone
    save_screenshot(page, "issue17-passport-panel-ko-phone")
    context.close()


def test_compare_shows_the_passports_rows_in_korean(desk, app_server, data):
    desk.goto(f"{app_server}/compare?lang=ko&compare={WITH},{WITHOUT_WATER}")
    wait_for_app(desk)
    table = desk.locator(".st-key-compare_table")
    for key in ("lease_price", "term_end", "water_free", "readiness", "contacts"):
        expect(table).to_contain_text(i18n.t(f"passport.row.{key}", "ko"))
    expect(table).to_contain_text(passport(data, WITH, "ko", date.today()).row("lease_price").value)
    expect(table).to_contain_text(i18n.t("passport.not_published", "ko"))  # dai-an's water free
    table.get_by_text(i18n.t("passport.row.lease_price", "ko")).evaluate("e => e.scrollIntoView({block: 'center'})")
    save_screenshot(desk, "issue17-passport-compare-desk")


def test_a_plots_popup_names_its_parks_price_and_readiness_with_the_badge(browser, tmp_path, tiny_data):
    """The map as the app builds it, standalone (no server), on the tiny dataset: plot A-1's popup, in Korean."""
    view = MapView(lang="ko", layers=("parks", "plots"), center=(20.795, 106.457), zoom=16)
    m = build_map(select(tiny_data, Filters(), view, land=None).map_layers(), view)
    m.add_child(PlotsLibrary())
    html = tmp_path / "plots.html"
    html.write_text(assets.inline_html(m), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(html.as_uri())
    page.wait_for_function("() => window.hezaPlotCount !== undefined")
    plot = tiny_data.plots.set_index("plot_id").loc["A-1"].geometry.representative_point()
    xy = page.evaluate("([lat, lng]) => { const m = Object.values(window).find(v => v instanceof L.Map);"
                       " m.setView([lat, lng], 16, {animate: false});"
                       " const p = m.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }", [plot.y, plot.x])
    box = page.locator(".leaflet-container").first.bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(i18n.t("passport.row.lease_price", "ko"))
    expect(popup).to_contain_text("100–120 USD/m²")
    expect(popup).to_contain_text(i18n.label("readiness", "ready", "ko"))
    expect(popup.locator(".heza-badge-synthetic-demo").first).to_be_visible()
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in: the screenshot reads it
    save_screenshot(page, "issue17-passport-popup-desk")
    page.close()
