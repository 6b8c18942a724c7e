"""The investor's whole journey in Korean (issue 17, "What must show"), on an app with a store of its own:

1. the investor states water ≥ 5,000 m³/day and a budget of 90 USD/m² on the land finder and sees
   dropped parks with their reasons and parks to confirm with HEZA;
2. shortlists two parks and sends an enquiry about them from under the shortlist;
3. a staff member signs in (in Korean), finds it in the inbox and moves it to "contacted";
4. a public session then finds no trace of it anywhere: the text of every page (and of the map's
   frames), the websocket frames the server sends, the responses the browser receives, the static
   files served, and every export (data formats, the map's HTML, the investor pack).

The enquiry's text is marked with :data:`MARK` (in the name, company, e-mail and message), so a
trace is any occurrence of it, in any case.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import (
    REPO_ROOT,
    choose_option,
    save_screenshot,
    scrolled_to,
    settled,
    sign_in,
    store_app,
    wait_for_app,
    warmed,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from heza_geo import i18n
from heza_geo.analysis import land_finder as finder
from heza_geo.export import DATA_FORMATS, export
from heza_geo.export.pack import pack_html, pack_pdf
from heza_geo.view import LAYER_NAMES, Filters, MapView

LANG = "ko"
WATER, BUDGET = 5_000, 90
MARK = "Zq7Journey"  # long enough never to occur by chance (in base64 images, say)
OFFICER, PASSWORD = "lan", "a-long-journey-password-2026"
#: how long an expectation waits for the run an action causes (a fresh server's first runs are slow)
RUN = 60_000
t = i18n.translator(LANG)


@pytest.fixture(scope="module")
def served(start_app, browser, tmp_path_factory):  # type: ignore[no-untyped-def]  # (base URL, store)
    url, store = store_app(start_app, tmp_path_factory.mktemp("journey"), {OFFICER: (PASSWORD, "staff")})
    return warmed(url, browser), store


@pytest.fixture(scope="module")
def ranked(data, overview):  # type: ignore[no-untyped-def]  # a GeoDataFrame of the ranked parks
    """The parks ranked for the needs this test types, by the data layer (the store is made from the same
    geodata/ as the ``data`` fixture)."""
    needs = finder.Needs(min_water_m3_day=WATER, max_price_usd_m2=BUDGET)
    expressways = data.connectivity[data.connectivity["kind"] == "expressway"]
    return finder.rank(overview, data.plots, needs, LANG, passports=data.passports, expressways=expressways,
                       today=date.today())


def new_page(browser, width: int = 1440, height: int = 900) -> Page:  # type: ignore[no-untyped-def]  # a Playwright browser
    """A page in a context of its own (its own cookies: a visitor, a staff member, another visitor)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def frame_contents(page: Page) -> list[tuple[str, str]]:
    """Each frame's URL and HTML. A frame detached while it is read (a component's frame replaced by a
    later run) is left out: it no longer shows anything."""
    contents = []
    for frame in page.frames:
        try:
            contents.append((frame.url, frame.content()))
        except PlaywrightError:
            if not frame.is_detached():
                raise
    return contents


def commit_number(page: Page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)


def test_korean_investor_finds_shortlists_and_asks_staff_follow_up_and_the_public_sees_no_trace(
        served, ranked, browser, tmp_path):
    url, store = served
    dropped = ranked[ranked["outcome"] == "dropped"]
    confirm = ranked[ranked["outcome"] == "to_confirm"]
    assert not dropped.empty and not confirm.empty, "the default data should drop and leave parks to confirm"

    # --- 1. needs: water and budget; dropped parks with reasons, parks to confirm ----------------------
    investor = new_page(browser)
    investor.goto(f"{url}/land_finder?lang={LANG}")
    wait_for_app(investor)
    commit_number(investor, t("finder.budget"), str(BUDGET))
    investor.locator("summary", has_text=t("finder.group.utilities")).click()
    commit_number(investor, t("finder.min_water"), str(WATER))
    expect(investor).to_have_url(re.compile(rf"max_usd_m2={BUDGET}.*min_water_m3={WATER}"))
    group = investor.locator(".st-key-finder_group_dropped")
    expect(group).to_contain_text(f"{t('finder.dropped_title')} ({len(dropped)})")
    reasons = [line for lines in dropped["reasons"] for line in lines if line.startswith("✗")]
    assert reasons and all(line in group.inner_text() for line in reasons)
    to_confirm = investor.locator(".st-key-finder_group_to_confirm")
    expect(to_confirm).to_contain_text(f"{t('finder.confirm_title')} ({len(confirm)})")

    # --- 2. shortlist two, send an enquiry about them ------------------------------------------------
    chosen = ranked.iloc[:2]
    names = [i18n.name(row, LANG) for row in chosen.to_dict("records")]
    picker = investor.locator(".st-key-finder_compare [role='combobox']").first
    for name in names:
        scrolled_to(investor, picker).click()
        investor.keyboard.type(name[:16])
        investor.get_by_role("option", name=name).first.click()
        wait_for_app(investor)
    investor.keyboard.press("Escape")
    ids = list(chosen["park_id"])
    expect(investor).to_have_url(re.compile(r"compare=" + "(,|%2C)".join(map(re.escape, ids))))

    form = investor.locator(".st-key-enquiry_finder")
    scrolled_to(investor, form.locator("summary")).click()
    expect(investor.locator(".st-key-enquiry_finder_name input")).to_be_visible()
    settled(investor)
    for name in names:
        expect(form).to_contain_text(name)  # the parks it is about, named
    investor.locator(".st-key-enquiry_finder_name input").fill(f"{MARK} 김민준")
    investor.locator(".st-key-enquiry_finder_company input").fill(f"{MARK} 한빛전자")
    investor.locator(".st-key-enquiry_finder_email input").fill(f"{MARK.lower()}@hanbit.example")
    choose_option(investor, investor.locator(".st-key-enquiry_finder_country input").first,
                  i18n.country_name("KR", LANG))
    investor.locator(".st-key-enquiry_finder_message textarea").fill(f"{MARK}: 20 MW 공장, 용수 5,000 m³/일")
    investor.locator(".st-key-enquiry_finder_consent label").click()
    send = investor.locator(".st-key-enquiry_finder_send button")
    send.scroll_into_view_if_needed()
    send.click()
    thanks = investor.locator(".st-key-enquiry_finder [data-testid='stAlertContentSuccess']")
    expect(thanks).to_have_text(t("enquiry.thanks"), timeout=RUN)
    thanks.scroll_into_view_if_needed()
    save_screenshot(investor, "issue17-journey-ko-sent")
    [stored] = store.enquiries()
    assert (stored.parks, stored.country, stored.language, stored.status) == (tuple(ids), "KR", LANG, "new")
    investor.context.close()

    # --- 3. staff: sign in, find it, move it to "contacted" ------------------------------------------
    staff = new_page(browser)
    sign_in(staff, url, OFFICER, PASSWORD, lang=LANG)
    staff.get_by_role("tab", name=t("inbox.tab")).click()
    panel = staff.locator('[data-testid="stTabs"] [role="tabpanel"]:visible')
    expect(panel.get_by_role("button", name=t("inbox.filter"), exact=True)).to_be_visible(timeout=RUN)
    expect(staff.locator(".st-key-inbox_list_box")).to_contain_text(f"{MARK} 김민준")
    choose_option(staff, panel.get_by_role("combobox", name=t("inbox.pick"), exact=True), f"{MARK} 김민준",
                  exact=False)
    follow_up = panel.locator('[data-testid="stForm"]').filter(has_text=t("inbox.save"))
    choose_option(staff, follow_up.get_by_role("combobox", name=t("enquiry.field.status"), exact=True),
                  t("enquiry.status.contacted"))
    follow_up.get_by_role("textbox", name=t("enquiry.field.note"), exact=True).fill("전화 완료, 12월 현장 방문")
    follow_up.get_by_role("button", name=t("inbox.save")).click()
    expect(staff.get_by_text(t("inbox.saved", status=t("enquiry.status.contacted")))).to_be_visible(timeout=RUN)
    assert store.enquiry(stored.uuid).status == "contacted"
    save_screenshot(staff, "issue17-journey-ko-inbox")
    staff.context.close()

    # --- 4. a public session: no trace anywhere ------------------------------------------------------
    public = new_page(browser)
    frames: list[bytes] = []
    bodies: list[tuple[str, bytes]] = []
    public.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload.encode() if isinstance(payload, str) else payload)))

    def keep_body(response) -> None:  # type: ignore[no-untyped-def]  # a Playwright response
        try:
            bodies.append((response.url, response.body()))
        except Exception:  # noqa: BLE001 - a redirect or a stream has no body to read
            return

    public.on("response", keep_body)
    shortlist = ",".join(ids)
    for path in (f"/?lang={LANG}&selected={ids[0]}", f"/land_finder?lang={LANG}&compare={shortlist}",
                 f"/compare?lang={LANG}&compare={shortlist}", f"/occupancy?lang={LANG}", f"/investment?lang={LANG}",
                 f"/port?lang={LANG}", f"/presentation?lang={LANG}&seconds=0", f"/export?lang={LANG}",
                 f"/data_management?lang={LANG}"):
        public.goto(url + path)
        wait_for_app(public)
        for url_of_frame, content in frame_contents(public):
            assert MARK.lower() not in content.lower(), (path, url_of_frame)
        assert MARK.lower() not in public.locator("body").inner_text().lower(), path
    # the form a public visitor opens under the same shortlist is empty: nothing of another session's
    public.goto(f"{url}/land_finder?lang={LANG}&compare={shortlist}")
    wait_for_app(public)
    public.locator(".st-key-enquiry_finder summary").click()
    expect(public.locator(".st-key-enquiry_finder_name input")).to_have_value("")
    expect(public.locator(".st-key-enquiry_finder_message textarea")).to_have_value("")
    assert frames, "the websocket's frames were seen"
    assert not [i for i, frame in enumerate(frames) if MARK.lower().encode() in frame.lower()]
    assert not [u for u, body in bodies if MARK.lower().encode() in body.lower()]
    public.context.close()

    for served_file in (REPO_ROOT / "static").rglob("*"):  # what /app/static serves
        if served_file.is_file():
            assert MARK.lower().encode() not in served_file.read_bytes().lower(), served_file
    data = store.read_dataset(public=True)
    everything = MapView(lang=LANG, layers=LAYER_NAMES)
    for fmt in (*DATA_FORMATS, "html"):
        out = tmp_path / f"all.{'zip' if fmt == 'csv' else fmt}"  # several layers of CSV: a zip
        export(data, Filters(), everything, fmt, out)
        assert MARK.lower().encode() not in _readable(out).lower(), fmt
    assert MARK.lower().encode() not in pack_pdf(data, ids, LANG).lower()
    assert MARK.lower() not in pack_html(data, ids, LANG).lower()


def _readable(path) -> bytes:  # type: ignore[no-untyped-def]  # a Path
    """A file's bytes, with the members of a zip (XLSX, a CSV zip) unpacked and a GeoPackage's text dumped."""
    import sqlite3
    import zipfile

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"".join(archive.read(member) for member in archive.namelist())
    if path.suffix == ".gpkg":
        with sqlite3.connect(path) as connection:
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            assert not [name for name in tables if "enquir" in name], tables
            return "\n".join(str(connection.execute(f'SELECT * FROM "{name}"').fetchall())  # noqa: S608 - names read from the file
                             for name in tables).encode()
    return path.read_bytes()
