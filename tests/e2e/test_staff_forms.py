"""The staff page's forms as a HEZA officer fills them (issue 16): what is typed is never lost, the
page stays where the officer works, the revert list starts at the newest version, a conflict says
who changed the record and when, and the history shows each field's value before and after.

One app server for the module, on a GeoPackage store in a temporary folder (made from geodata/),
with two staff accounts. Each test works on a park or plot of its own, so their order does not matter.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import MAP_IFRAME, choose_option, save_screenshot, sign_in, store_app, tab_panel, wait_for_app
from playwright.sync_api import Page, expect

from heza_geo.store.gpkg import GeoPackageStore

PASSWORD = "mật-khẩu-thử-nghiệm-2026"
OTHER_PASSWORD = "một-mật-khẩu-khác-2026"


@pytest.fixture(scope="module")
def staff(start_app, tmp_path_factory) -> tuple[str, GeoPackageStore]:
    return store_app(start_app, tmp_path_factory.mktemp("store"), {
        "lan": (PASSWORD, "staff"), "minh": (OTHER_PASSWORD, "staff"), "hoa": (OTHER_PASSWORD, "admin")})


def _edit_tab(page: Page, url: str) -> None:
    sign_in(page, url, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    page.get_by_role("tab", name="Edit records").click()


def _occupancy_form(page: Page):
    return page.locator('[data-testid="stForm"]').filter(has_text="Add the occupancy figure")


def _add_occupancy(page: Page, park: str, figure: str, kind: str, why: str, reference: str | None = None):
    """Choose ``park`` and fill in its occupancy figure as an officer does, field after field with no
    pause (``reference`` left empty when None), then press the button; the form, for what follows."""
    form = _occupancy_form(page)
    choose_option(page, tab_panel(page).get_by_label("Park").first, park)
    form.get_by_label("Occupancy (%)").fill(figure)  # no wait: a person types as soon as the list closes
    choose_option(page, form.get_by_label("Kind of source"), kind)
    if reference is not None:
        form.get_by_label("Reference (report file, news site and date, or method)").fill(reference)
    form.get_by_label("Why (kept in the history)").fill(why)
    form.get_by_role("button", name="Add the occupancy figure").click()
    return form


def _plot_form(page: Page):
    return page.locator('[data-testid="stForm"]').filter(has_text="Save the plot")


def _selected_tab(page: Page) -> str:
    return page.get_by_role("tab", selected=True).inner_text()


def test_the_figure_typed_right_after_choosing_the_park_is_the_one_saved(page, staff):
    """An officer picks the park and types at once, before the page has answered the pick: the
    answer must not overwrite the figure (main prefilled the park's latest figure and lost 97.5)."""
    url, store = staff
    _edit_tab(page, url)
    _add_occupancy(page, "Nam Sach Industrial Park", "97.5", "Public news", "news of July 2025",
                   reference="baohaiduong.vn 01/07/2025")
    page.get_by_text("Saved as version").wait_for()
    rows = store.read_layer("occupancy_history")
    saved = rows[(rows["park_id"] == "nam-sach") & (rows["note"] == "news of July 2025")]
    assert saved["occupancy_pct"].tolist() == [97.5]


def test_a_refused_save_keeps_what_was_typed_on_the_same_tab(page, staff):
    """A report named without its file is refused: the message says what is missing, and the
    figure, the kind of source and the comment are still there to correct."""
    url, _store = staff
    _edit_tab(page, url)
    form = _add_occupancy(page, "Trang Due Industrial Park", "12.5", "HEZA report", "checked on site")
    wait_for_app(page)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text("Reference")
    assert _selected_tab(page) == "Edit records"
    assert form.get_by_label("Occupancy (%)").input_value() == "12.5"  # format "%g": no trailing zero
    assert form.get_by_label("Why (kept in the history)").input_value() == "checked on site"
    expect(form.get_by_label("Kind of source")).to_have_value("HEZA report")
    save_screenshot(page, "staff_refused_save_keeps_input", full_page=True)


def test_after_a_save_the_page_stays_on_its_tab_and_the_form_is_ready_for_the_next(page, staff):
    url, _store = staff
    _edit_tab(page, url)
    form = _add_occupancy(page, "Do Son Hai Phong Industrial Park", "61", "Public news", "city news",
                          reference="haiphong.gov.vn 03/2025")
    page.get_by_text("Saved as version").wait_for()
    wait_for_app(page)
    assert _selected_tab(page) == "Edit records"
    assert form.get_by_label("Occupancy (%)").input_value() == ""  # the next figure is typed afresh
    assert form.get_by_label("Why (kept in the history)").input_value() == ""
    expect(tab_panel(page)).to_contain_text("Latest figure: 61")  # the saved figure is now the latest


def _open_plot(page: Page, park: str, plot: str) -> None:
    """Choose the park, then one of its plots once the plot list is the park's (it comes with the
    page's answer to the park; a plot id starts with its park's id)."""
    choose_option(page, tab_panel(page).get_by_label("Park").nth(1), park)
    plot_field = tab_panel(page).get_by_label("Plot", exact=True)
    expect(plot_field).to_have_value(re.compile("^" + re.escape(plot.rsplit("-P", 1)[0]) + "-P"))
    choose_option(page, tab_panel(page).get_by_label("Plot", exact=True), plot)
    expect(_plot_form(page)).to_contain_text(plot)


def _save_tenant(page: Page, store: GeoPackageStore, park: str, plot: str, tenant: str, why: str) -> None:
    """Give ``plot`` a tenant and save it, until the page says the version this save made: an earlier
    save's "Saved as version …" stays on screen until the next run, so only the new number is this save's."""
    form = _plot_form(page)
    _open_plot(page, park, plot)
    form.get_by_label("Tenant").fill(tenant)
    form.get_by_label("Why (kept in the history)").fill(why)
    made = store.current_version() + 1
    form.get_by_role("button", name="Save the plot").click()
    page.get_by_text(f"Saved as version {made}.").wait_for()


def test_an_officer_edits_the_same_plot_twice_in_a_row(page, staff):
    """The second save of one's own plot is not a conflict: the form reads the version it wrote."""
    url, store = staff
    _edit_tab(page, url)
    _save_tenant(page, store, "Dai An Industrial Park", "dai-an-P0002", "Công ty A", "first tenant")
    _save_tenant(page, store, "Dai An Industrial Park", "dai-an-P0002", "Công ty B", "tenant changed")
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    assert store.read_layer("plots").set_index("record_id").loc["dai-an-P0002", "tenant"] == "Công ty B"


def test_a_conflict_names_who_changed_the_plot_and_when_and_keeps_the_entry(page, staff):
    url, store = staff
    _edit_tab(page, url)
    form = _plot_form(page)
    _open_plot(page, "Lai Vu Industrial Park", "lai-vu-P0003")
    seen = int(store.read_layer("plots").set_index("record_id").loc["lai-vu-P0003", "row_version"])
    other = store.edit_record("plots", "lai-vu-P0003", {"tenant": "Minh's tenant"}, seen, "minh", "phone call")
    form.get_by_label("Tenant").fill("Lan's tenant")
    form.get_by_label("Why (kept in the history)").fill("contract signed")
    form.get_by_role("button", name="Save the plot").click()
    wait_for_app(page)
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text("minh")
    expect(error).to_contain_text(f"version {other}")
    expect(error).to_contain_text("Minh's tenant")  # what the other person saved
    assert form.get_by_label("Tenant").input_value() == "Lan's tenant"  # the entry is kept
    save_screenshot(page, "staff_conflict_names_author", full_page=True)
    form.get_by_role("button", name="Save the plot").click()  # saving again, knowingly, replaces it
    page.get_by_text("Saved as version").wait_for()
    assert store.read_layer("plots").set_index("record_id").loc["lai-vu-P0003", "tenant"] == "Lan's tenant"


def test_the_history_shows_values_before_and_after_and_the_revert_list_starts_at_the_newest(page, staff):
    url, store = staff
    _edit_tab(page, url)
    _save_tenant(page, store, "Lai Cach Industrial Park", "lai-cach-P0004", "Công ty C", "tenant one")
    page.get_by_role("tab", name="History", exact=True).click()
    expect(tab_panel(page).get_by_label("Version to revert")).to_be_visible()  # the History panel is the one open
    choose_option(page, tab_panel(page).get_by_label("Park"), "Lai Cach Industrial Park")
    expect(tab_panel(page).get_by_label("Park")).to_have_value("Lai Cach Industrial Park")
    history = tab_panel(page).locator('[data-testid="stDataFrame"]').nth(1)  # after the latest versions
    expect(history).to_contain_text("tenant one")
    first = int(tab_panel(page).get_by_label("Version to revert").input_value().split()[0])
    page.get_by_role("tab", name="Edit records").click()
    _save_tenant(page, store, "Lai Cach Industrial Park", "lai-cach-P0004", "Công ty D", "tenant two")
    page.get_by_role("tab", name="History", exact=True).click()
    expect(history).to_contain_text("tenant two")
    expect(history).to_contain_text("Công ty C → Công ty D")
    expect(tab_panel(page).get_by_label("Version to revert")).to_have_value(re.compile(f"^{first + 1}\\b"))
    save_screenshot(page, "staff_history_before_after", full_page=True)


def test_a_plot_is_picked_by_clicking_it_on_the_parks_small_map(page, staff):
    """The officer clicks the plot on the map of the park instead of hunting its id in a list."""
    url, _store = staff
    _edit_tab(page, url)
    choose_option(page, tab_panel(page).get_by_label("Park").nth(1), "An Phat High-Tech Industrial Park")
    expect(tab_panel(page).get_by_label("Plot", exact=True)).to_have_value(re.compile("^an-phat-P"))
    iframe = tab_panel(page).locator(MAP_IFRAME).first
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_selector("path.heza-plot-pick", state="attached")
    box = frame.evaluate(
        """(id) => { let found = null;
            map_div.eachLayer(l => { if (l.feature && l.feature.properties.record_id === id) found = l; });
            const r = found._path.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }""", "an-phat-P0007")
    origin = iframe.bounding_box()
    page.mouse.click(origin["x"] + box["x"], origin["y"] + box["y"])
    expect(tab_panel(page).get_by_label("Plot", exact=True)).to_have_value("an-phat-P0007")
    expect(_plot_form(page)).to_contain_text("an-phat-P0007")
    picked = tab_panel(page).locator(MAP_IFRAME).first.content_frame.locator("path.heza-plot-picked")
    expect(picked).to_have_count(1)
    save_screenshot(page, "staff_plot_picked_on_map", full_page=True)


def test_an_account_refused_on_the_vietnamese_page_says_every_problem_in_vietnamese_and_keeps_the_name(page, staff):
    """An admin creating an account with a space in its name and a short password reads both
    problems at once, in Vietnamese, and corrects them without typing the name again."""
    url, _store = staff
    sign_in(page, url, "hoa", OTHER_PASSWORD, "vi")
    page.get_by_text("Đang đăng nhập: hoa").wait_for()
    page.get_by_role("tab", name="Tài khoản").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Tạo tài khoản")
    form.get_by_label("Tài khoản").fill("nguyen van a")
    form.get_by_label("Mật khẩu").fill("ngắn")
    form.get_by_role("button", name="Tạo tài khoản").click()
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text("Tên tài khoản: từ 1 đến 64 ký tự")
    expect(error).to_contain_text("Mật khẩu: ít nhất 10 ký tự")
    expect(error).not_to_contain_text("password")
    assert form.get_by_label("Tài khoản").input_value() == "nguyen van a"
    assert _selected_tab(page) == "Tài khoản"


def test_a_file_with_a_missing_column_and_three_kinds_of_row_errors_lists_them_all_at_once_in_vietnamese(
        page, staff, tmp_path):
    """Issue 16: the check reports the missing column and every row's problem in one pass, in the
    page's language, whole (not cut), and offers them as a CSV."""
    url, _store = staff
    rows = [{"housing_id": h, "name_vi": "Nhà ở", "name_en": "Housing", "location": "", "park_id": "",
             "capacity_people": c, "area_ha": "", "status": st, "status_note": "", "as_of": d,
             "source_kind": "approximate", "source": "HEZA survey 2025", "geometry_quality": "approximate",
             "lon": 106.70, "lat": 20.85}
            for h, c, st, d in (("H1", "500", "preparing", "2025-13-45"), ("H2", "500", "sold", "2025-05-01"),
                                ("H3", "-5", "preparing", "2025-05-01"))]
    path = tmp_path / "nha-o.csv"
    pd.DataFrame(rows).to_csv(path, index=False)  # no "kind" column
    sign_in(page, url, "lan", PASSWORD, "vi")
    page.get_by_text("Đang đăng nhập: lan").wait_for()
    choose_option(page, page.get_by_label("Lớp hoặc bảng dữ liệu"), "Nhà ở")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("nha-o.csv").wait_for()
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_text("Phát hiện 4 lỗi").wait_for()
    table = page.locator('[data-testid="stTable"]')
    for said in ("thiếu cột 'kind'", "'2025-13-45' không phải là ngày hợp lệ", "'sold' không thuộc các giá trị",
                 "-5 nhỏ hơn giá trị tối thiểu 0"):
        expect(table).to_contain_text(said)
    expect(page.get_by_role("button", name="Tải danh sách lỗi (CSV)")).to_be_visible()
    save_screenshot(page, "staff_import_all_problems_vi", full_page=True)


def test_the_plot_picker_shows_the_whole_park_when_its_tab_is_opened(page, staff):
    """The Edit tab is hidden while the officer reads Import: a map made then, in a box of no size,
    was framed at its closest zoom on one corner of a plot (seen when the map had loaded before the
    tab was opened). No map is drawn in a hidden tab; opened, it shows every plot of the park."""
    url, _store = staff
    sign_in(page, url, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    wait_for_app(page)
    assert page.locator(MAP_IFRAME).count() == 0, "a map is drawn in a tab that is not open"
    page.get_by_role("tab", name="Edit records").click()
    iframe = tab_panel(page).locator(MAP_IFRAME).first
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_selector("path.heza-plot-pick", state="attached")
    framed = frame.evaluate("""() => { const all = L.latLngBounds([]);
        map_div.eachLayer(l => { if (l.feature && l.feature.properties.record_id) all.extend(l.getBounds()); });
        return all.isValid() && map_div.getBounds().contains(all); }""")
    assert framed, "the picker does not show every plot of the park"
