"""The phone's park sheet (issue 15): its data is the popup's figures with their badges, a point on the
park's surface for directions, in the reader's language, and never depends on the selection (the
main map is cached without it)."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest
from shapely.geometry import Point

from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.maps import assets
from heza_geo.maps.build import build_map
from heza_geo.maps.phone import PhoneSheet, directions_link, reference_point, sheet_body, sheet_data
from heza_geo.maps.popups import park_popup
from heza_geo.maps.tree import walk
from heza_geo.view import MapLayers, MapView
from tests.maps.conftest import UNPLACED_IDS


@pytest.fixture(scope="module")
def overview(merged):
    return parks_overview(merged)


def cells(fragment: str) -> list[str]:
    """The <td> cells of a popup's or a sheet's table."""
    return re.findall(r"<td>(.*?)</td></tr>", fragment)


def test_every_placed_park_has_a_sheet_and_an_unplaced_one_none(overview):
    data = sheet_data(overview, "en")
    assert set(data) == set(overview["park_id"]) - set(UNPLACED_IDS)


def test_directions_lead_to_a_point_on_the_parks_surface_from_its_geometry(overview):
    data = sheet_data(overview, "en")
    for park_id, entry in data.items():
        geometry = overview.set_index("park_id").loc[park_id].geometry
        expected = geometry.point_on_surface()
        assert (entry["lat"], entry["lon"]) == pytest.approx((expected.y, expected.x), abs=1e-6)
        assert geometry.buffer(1e-6).contains(Point(entry["lon"], entry["lat"]))
        lat, lon = entry["lat"], entry["lon"]
        assert entry["geo"] == directions_link(lat, lon, str(entry["name"]))
        assert str(entry["geo"]).startswith(f"geo:{lat},{lon}?q={lat},{lon}(")
    assert reference_point(None) is None


def test_the_directions_label_is_the_name_encoded_so_no_character_breaks_the_link():
    link = directions_link(20.8, 106.7, "KCN (Đình Vũ) & <b>")
    label = link[link.index("(") + 1:-1]
    assert "(" not in label and ")" not in label and " " not in label and "<" not in label
    assert unquote(label) == "KCN (Đình Vũ) & <b>"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_sheets_figures_are_the_popups_with_their_badges(overview, lang):
    row = overview.set_index("park_id", drop=False).loc["A"]
    popup, body = park_popup(row, lang), sheet_body(row, lang)
    shown = cells(body)
    assert shown and all(figure in cells(popup) for figure in shown)  # nothing the popup does not show
    assert "heza-badge-" in body and "heza-asof" in body  # occupancy's date and badges kept
    assert html.escape(str(row["name_vi" if lang == "vi" else "name_en"])) in body


def test_a_park_without_plots_has_no_available_area_as_its_popup(overview):
    row = overview.set_index("park_id", drop=False).loc["W"]
    assert not row["plots"]
    assert "Available" not in sheet_body(row, "en") and "Available" not in park_popup(row, "en")


def test_the_sheet_says_when_the_position_is_approximate(overview):
    row = overview.set_index("park_id", drop=False).loc["A"].copy()
    assert row["geometry_quality"] == "approximate"
    assert html.escape("The park's position is approximate.") in sheet_body(row, "en")
    assert "gần đúng" in sheet_body(row, "vi")
    row["geometry_quality"] = "surveyed"
    assert "approximate" not in sheet_body(row, "en").replace("heza-badge-approximate", "")


def test_a_name_typed_by_staff_stays_text(overview):
    frame = overview.copy()
    frame.loc[frame["park_id"] == "A", "name_en"] = '<img src=x onerror="alert(1)"></script>'
    entry = sheet_data(frame, "en")["A"]
    assert "<img" not in entry["html"] and "&lt;img" in entry["html"]
    m = build_map(MapLayers(frame, frame.iloc[0:0], frame.iloc[0:0], frame.iloc[0:0], frame.iloc[0:0],
                            frame.iloc[0:0], None, {}), MapView(lang="en", layers=("parks",)))
    script = m.get_root().render()
    assert "</script>\"" not in script and '<img src=x onerror="alert(1)">' not in script


def test_the_map_carries_the_sheet_in_the_readers_language_whatever_park_is_selected(merged, overview):
    layers = MapLayers(overview, merged.plots, merged.zones, berth_status(merged.berths, merged.berth_status_history),
                       merged.housing, merged.connectivity, None, {})

    def sheet(**view) -> PhoneSheet:
        m = build_map(layers, MapView(**view))
        assets.localize(m)
        return next(e for e in walk(m) if isinstance(e, PhoneSheet))

    plain, chosen = sheet(lang="ko"), sheet(lang="ko", selected_park="A")
    assert plain.parks == chosen.parks and plain.words == chosen.words
    assert plain.words["details"] == "상세 정보" and plain.words["close"] == "닫기"
