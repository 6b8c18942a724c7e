"""The investor's journey through the land finder, in Korean (issue 17, section 2): state needs, see
the parks kept, to confirm with HEZA and dropped with their reasons, shortlist two, and reload the
address bar's link to find the same needs and shortlist.

What the page should show is computed by the data layer (``land_finder.rank`` on the app's own
dataset and passports); screenshots at 1440×900 and on a phone go to
tests/artifacts/issue17-finder-*.png.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import save_screenshot, scrolled_to, wait_for_app, warmed
from playwright.sync_api import expect

from heza_geo import i18n
from heza_geo.analysis import land_finder as finder

LANG = "ko"
WATER, BUDGET = 5_000, 90


@pytest.fixture(scope="module")
def app(app_server, browser) -> str:
    """The shared app server, opened once at "/" (see test_pages_finder_compare_presentation)."""
    return warmed(app_server, browser)


@pytest.fixture(scope="module")
def expected(data, overview):  # type: ignore[no-untyped-def]  # a GeoDataFrame of the ranked parks
    """The parks ranked for the needs this test types, by the data layer, in Korean."""
    needs = finder.Needs(min_water_m3_day=WATER, max_price_usd_m2=BUDGET)
    expressways = data.connectivity[data.connectivity["kind"] == "expressway"]
    return finder.rank(overview, data.plots, needs, LANG, passports=data.passports, expressways=expressways,
                       today=date.today())


def commit_number(page, label: str, value: str) -> None:  # type: ignore[no-untyped-def]  # a Playwright page
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)


def test_needs_in_korean_give_kept_to_confirm_and_dropped_parks_and_the_link_keeps_needs_and_shortlist(
        app, page, phone, expected):
    t = i18n.translator(LANG)
    dropped = expected[expected["outcome"] == "dropped"]
    confirm = expected[expected["outcome"] == "to_confirm"]
    failing = dropped[dropped["missed"].map(lambda m: "water" in m or "price" in m)]
    assert not failing.empty and not confirm.empty, "the demo data should drop a park on water or price"

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app}/land_finder?lang={LANG}")
    wait_for_app(page)
    commit_number(page, t("finder.budget"), str(BUDGET))
    page.locator("summary", has_text=t("finder.group.utilities")).click()  # the utilities are in an expander
    commit_number(page, t("finder.min_water"), str(WATER))
    expect(page).to_have_url(re.compile(rf"max_usd_m2={BUDGET}.*min_water_m3={WATER}"))

    # dropped parks with their reasons in Korean, the figures in the investor's format
    group = page.locator(".st-key-finder_group_dropped")
    expect(group).to_contain_text(f"{t('finder.dropped_title')} ({len(dropped)})")
    text = group.inner_text()
    for _, park in failing.iterrows():
        for line in park["reasons"]:
            if line.startswith("✗"):
                assert line in text, line
    assert any("< 5,000 m³/일" in line or "> 90 USD/m²" in line for line in failing["reasons"].sum())
    # parks to confirm with HEZA: no need failed, at least one not published
    to_confirm = page.locator(".st-key-finder_group_to_confirm")
    expect(to_confirm).to_contain_text(f"{t('finder.confirm_title')} ({len(confirm)})")
    assert "? " in to_confirm.inner_text() and "HEZA에 확인 필요" in to_confirm.inner_text()

    # shortlist the two best-ranked parks
    first, second = expected.iloc[0], expected.iloc[1]
    shown = [i18n.name(row, LANG) for row in (first.to_dict(), second.to_dict())]
    picker = page.locator(".st-key-finder_compare [role='combobox']").first
    for name in shown:
        scrolled_to(page, picker).click()
        page.keyboard.type(name[:16])
        page.get_by_role("option", name=name).first.click()
        wait_for_app(page)
    page.keyboard.press("Escape")
    ids = f"{first['park_id']},{second['park_id']}"
    expect(page).to_have_url(re.compile(r"compare=" + re.escape(ids).replace(",", "(,|%2C)")))

    # the address bar's link, opened again, restores the needs and the shortlist
    link = page.url
    page.goto(link)
    wait_for_app(page)
    expect(page.get_by_label(t("finder.budget"), exact=True)).to_have_value(str(BUDGET))
    expect(page.get_by_label(t("finder.min_water"), exact=True)).to_have_value(str(WATER))
    chosen = page.locator(".st-key-finder_compare")
    for name in shown:
        expect(chosen).to_contain_text(name)
    expect(page.locator(".st-key-finder_group_dropped")).to_contain_text(f"({len(dropped)})")
    assert page.url == link
    save_screenshot(page, "issue17-finder-ko-1440x900")

    phone.goto(link)
    wait_for_app(phone)
    expect(phone.get_by_label(t("finder.min_water"), exact=True)).to_have_value(str(WATER))
    save_screenshot(phone, "issue17-finder-ko-phone")
    phone.locator(".st-key-finder_group_to_confirm").scroll_into_view_if_needed()
    save_screenshot(phone, "issue17-finder-ko-phone-results")
    assert phone.errors == []


def runs(log: Path) -> int:
    """The script runs started so far (the ``run_log`` setting writes a line per run, and ``… done``)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return sum(not line.endswith(" done") for line in lines)


def test_each_action_in_the_finder_costs_one_script_run(start_app, browser, tmp_path_factory):
    """Issue 14: a need typed, a group opened, a park shortlisted: one run each (a group opening: none).
    Each count is read when the next action has finished, so a late run would be counted."""
    log = tmp_path_factory.mktemp("runs") / "runs.log"
    url = warmed(start_app(env={"HEZA_RUN_LOG": str(log)}), browser)
    t = i18n.translator(LANG)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{url}/land_finder?lang={LANG}")
        wait_for_app(page)
        opened = runs(log)
        commit_number(page, t("finder.budget"), str(BUDGET))
        expect(page).to_have_url(re.compile(rf"max_usd_m2={BUDGET}"))
        page.locator("summary", has_text=t("finder.group.utilities")).click()
        commit_number(page, t("finder.min_water"), str(WATER))
        expect(page).to_have_url(re.compile(rf"min_water_m3={WATER}"))
        assert runs(log) - opened == 2
        first = page.locator(".st-key-finder_group_kept strong").first.inner_text().split(". ", 1)[1]
        scrolled_to(page, page.locator(".st-key-finder_compare [role='combobox']").first).click()
        page.keyboard.type(first[:16])
        page.get_by_role("option", name=first).first.click()
        wait_for_app(page)
        expect(page).to_have_url(re.compile(r"compare="))
        page.keyboard.press("Escape")
        commit_number(page, t("finder.area"), "5")
        expect(page).to_have_url(re.compile(r"need_ha=5(&|$)"))  # its run has ended (not only not yet begun)
        assert runs(log) - opened == 4
    finally:
        page.close()
