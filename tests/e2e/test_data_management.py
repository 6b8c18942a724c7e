"""The staff page as a HEZA officer uses it: sign in, upload plots, read the check, confirm, see the map.

One app server for the module, on a GeoPackage store in a temporary folder (made from geodata/),
with one staff account created the way an admin would (heza_geo.store.auth, as the CLI does).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from conftest import choose_option, map_frame, save_screenshot, sign_in, store_app, wait_for_app
from shapely.geometry import box

from heza_geo.schema import METRIC_CRS, WGS84

PASSWORD = "mật-khẩu-thử-nghiệm-2026"
NEW_PLOT = "E2E-1"


@pytest.fixture(scope="module")
def staff_app(start_app, tmp_path_factory) -> tuple[str, Path, gpd.GeoDataFrame]:
    folder = tmp_path_factory.mktemp("store")
    url, store = store_app(start_app, folder, {"lan": (PASSWORD, "staff")})
    return url, folder, store.read_layer("parks")


def plot_file(folder: Path, park: gpd.GeoSeries) -> Path:
    centre = gpd.GeoSeries([park.geometry.representative_point()], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    frame = gpd.GeoDataFrame(
        {"plot_id": [NEW_PLOT], "park_id": [park["park_id"]], "status": ["leased"], "area_ha": [1.0],
         "tenant": ["Công ty Thử nghiệm"], "sector": ["electronics"], "source": ["HEZA survey 2025"],
         "geometry_quality": ["surveyed"]},
        geometry=[box(centre.x - 50, centre.y - 50, centre.x + 50, centre.y + 50)], crs=METRIC_CRS,
    ).to_crs(WGS84)
    path = folder / "new_plots.geojson"
    path.write_text(frame.to_json(), encoding="utf-8")
    return path


def test_a_wrong_password_is_refused(page, staff_app):
    url, _, _ = staff_app
    sign_in(page, url, "lan", "not-the-password")
    page.get_by_text("Wrong account name or password.").wait_for()
    assert page.get_by_role("tab", name="Import a file").count() == 0


def test_staff_upload_check_preview_confirm_then_the_map_shows_it(page, staff_app):
    url, folder, parks = staff_app
    park = parks[parks["status"] == "established"].iloc[0]
    sign_in(page, url, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()

    page.get_by_label("Layer or table").click()
    page.get_by_role("option", name="Plots", exact=False).first.click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(plot_file(folder, park)))
    page.get_by_text("new_plots.geojson").wait_for()
    page.get_by_role("button", name="Check the file").click()
    wait_for_app(page)

    page.get_by_text("Preview: what the import will change").wait_for()
    added = page.locator('[data-testid="stMetric"]').filter(has_text="added")
    assert added.locator('[data-testid="stMetricValue"]').inner_text() == "1"
    preview = map_frame(page)
    preview.wait_for_selector("path.heza-change-insert", state="attached")
    save_screenshot(page, "data_management_preview", full_page=True)

    confirm = page.locator('[data-testid="stForm"]').filter(has_text="Confirm: import")
    confirm.get_by_role("textbox", name="Why (kept in the history)").fill("survey 2025: new plot")
    page.get_by_role("button", name="Confirm: import 1 change(s)").click()
    wait_for_app(page)
    page.get_by_text("Imported as version 2").wait_for()

    page.goto(f"{url}/map?lang=en&park={park['park_id']}")
    wait_for_app(page)
    frame = map_frame(page)
    frame.wait_for_selector("path.heza-plot", state="attached")
    found = frame.evaluate(
        """(id) => { let found = null;
            map_div.eachLayer(l => {
                if (l.feature && l.feature.properties.plot_id === id) found = l.feature.properties;
            });
            return found; }""",
        NEW_PLOT,
    )
    assert found is not None and found["park_id"] == park["park_id"]
    assert "tenant_contact" not in found


def test_staff_add_an_occupancy_figure_to_a_park_with_no_position(page, staff_app):
    """Nam Sách (former Hải Dương) has no outline: staff still pick it among every park and add its
    figure, which the occupancy page then shows."""
    url, _, parks = staff_app
    assert parks.set_index("record_id").loc["nam-sach", "geometry_quality"] == "unplaced"
    sign_in(page, url, "lan", PASSWORD)
    page.get_by_text("Signed in as lan").wait_for()
    page.get_by_role("tab", name="Edit records").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Add the occupancy figure")
    choose_option(page, page.get_by_label("Park").first, "Nam Sach Industrial Park")  # among every park
    wait_for_app(page)
    form.get_by_label("Occupancy (%)").fill("97.5")
    choose_option(page, form.get_by_label("Kind of source"), "Public news")
    form.get_by_label("Reference (report file, news site and date, or method)").fill("baohaiduong.vn 01/07/2025")
    form.get_by_label("Why (kept in the history)").fill("news of July 2025")
    form.get_by_role("button", name="Add the occupancy figure").click()
    wait_for_app(page)
    page.get_by_text("Saved as version").wait_for()

    page.goto(f"{url}/occupancy?lang=en&park=nam-sach")
    wait_for_app(page)
    page.get_by_text("This park has no position yet", exact=False).first.wait_for()
    assert "97.5%" in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    save_screenshot(page, "data_management_unplaced_park", full_page=True)
