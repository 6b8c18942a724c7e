"""A HEZA officer edits a park's passport on the staff page (issue 17, section 1), in Chromium at
1440×900: the figure saved is the one the investor then reads in the park's panel on the map, and the
park's history shows it before and after.

One app server on a GeoPackage store of its own (made from geodata/, where Do Son's utilities say
4,000 m³/day of water free, a synthetic demo figure as of 2025), one staff account.
"""

from __future__ import annotations

import pytest
from conftest import choose_option, save_screenshot, sign_in, store_app, tab_panel, wait_for_app

from heza_geo import i18n

pytest.importorskip("playwright")
from playwright.sync_api import expect

PASSWORD = "mật-khẩu-thử-nghiệm-2026"
PARK, PARK_NAME = "do-son", "Do Son Hai Phong Industrial Park"
#: how long an expectation waits for the page's answer to a choice (the Edit tab's run reads six layers
#: and draws a map): a bound on a hang, not a measure
RERUN = 30_000


def en(key: str, **params: object) -> str:
    return i18n.t(key, "en", **params)


@pytest.fixture(scope="module")
def staff(start_app, tmp_path_factory):
    return store_app(start_app, tmp_path_factory.mktemp("store"), {"lan": (PASSWORD, "staff")})


def test_an_officer_saves_a_parks_free_water_and_the_investor_and_the_history_read_it(desk, staff):
    url, store = staff
    before = store.read_layer("passports").set_index("park_id").loc[PARK, "water_free_m3_day"]
    assert before == 4_000.0
    sign_in(desk, url, "lan", PASSWORD)
    desk.get_by_text("Signed in as lan").wait_for()
    desk.get_by_role("tab", name=en("dm.tab_edit")).click()

    form = desk.locator('[data-testid="stForm"]').filter(has_text=en("dm.save_passport"))
    choose_option(desk, tab_panel(desk).get_by_role("combobox", name=en("dm.park"), exact=True).nth(2), PARK_NAME)
    expect(form).to_contain_text(f"{PARK_NAME} · {en('passport_group.land')}", timeout=RERUN)
    choose_option(desk, tab_panel(desk).get_by_role("combobox", name=en("dm.passport_group"), exact=True),
                  en("passport_group.utilities"))
    expect(form).to_contain_text(f"{PARK_NAME} · {en('passport_group.utilities')}", timeout=RERUN)
    water_free = form.get_by_role("spinbutton", name=en("column.water_free_m3_day"), exact=True)
    expect(water_free).to_have_value("4000")  # the stored figure the form starts from
    water_free.fill("5500")
    form.get_by_role("textbox", name=en("dm.comment"), exact=True).fill("developer's letter of November")
    desk.get_by_text(en("dm.edit_passport"), exact=True).evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot(desk, "issue17-staff-passport-1440")  # the park and group chosen, the figures, the contact
    made = store.current_version() + 1
    form.get_by_role("button", name=en("dm.save_passport")).click()
    desk.get_by_text(en("dm.saved", version=made)).wait_for()
    saved = store.read_layer("passports").set_index("park_id").loc[PARK]
    assert saved["water_free_m3_day"] == 5_500.0
    assert (saved["utilities_source_kind"], saved["utilities_as_of_precision"]) == ("synthetic demo", "year")

    desk.get_by_role("tab", name=en("dm.tab_history"), exact=True).click()
    choose_option(desk, tab_panel(desk).get_by_label(en("dm.park")), PARK_NAME)
    history = tab_panel(desk).locator('[data-testid="stDataFrame"]').nth(1)  # after the latest versions
    expect(history).to_contain_text(f"{en('column.water_free_m3_day')}: 4,000 → 5,500", timeout=RERUN)

    desk.goto(f"{url}/?lang=en&selected={PARK}")  # the investor's view of the park
    wait_for_app(desk)
    expect(desk.locator(".st-key-passport")).to_contain_text("5,500", timeout=RERUN)
