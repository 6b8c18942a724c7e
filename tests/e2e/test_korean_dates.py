"""Korean dates read as dates, not as Markdown lists (issue 15 reported "2024. 11. 30." at the start of
a caption drawn as an ordered list). Not reproduced on the pages as they are now: the data quoted
in captions is escaped (``text.md_escape``), and headings and metric labels take no lists. The port
page, whose headings and cards start with a Korean date, guards it."""

from __future__ import annotations

from conftest import wait_for_app

from heza_geo import i18n

LIST_IN_TEXT = """() => Array.from(document.querySelectorAll(
    '[data-testid="stHeading"], [data-testid="stMetricLabel"], [data-testid="stCaptionContainer"], '
    + '[data-testid="stMarkdownContainer"]')).filter(e => e.querySelector('ol, ul')).map(e => e.innerText)"""


def test_the_port_pages_korean_headings_and_cards_start_with_their_date(page, app_server):
    page.goto(f"{app_server}/port?lang=ko&year=2026")
    wait_for_app(page)
    date = i18n.fmt_date("2026-12-31", "ko")
    heading = page.get_by_role("heading", name=i18n.t("port.berths_title", "ko", date=date))
    heading.wait_for()
    assert page.evaluate(LIST_IN_TEXT) == []
    label = page.locator('[data-testid="stMetricLabel"]').first.inner_text()
    assert label.replace("\u00a0", " ").startswith("2026. 12. 31.")
