"""The pages of the merged city (Hải Phòng with the former Hải Dương since 1 July 2025), on the
demo data: every park is listed, counted and comparable, placed or not; the region (east: old Hải
Phòng, west: former Hải Dương) finds a park; the latest figures stand beside the HEZA reports'.

Parks with no position (``geometry_quality`` "unplaced") and the regions are read from the
demo's GeoPackage without the app (SQLite), as :func:`appkit.park_ids` does.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from appkit import open_page, park_ids, plain
from streamlit.testing.v1 import AppTest

from heza_geo import i18n
from heza_geo.config import DEFAULT_DATA_DIR
from heza_geo.schema import UNPLACED


def _parks(where: str = "1 = 1", *args: object) -> list[tuple[str, str, str, str]]:
    """(park_id, name_vi, name_en, province_before_2025) of the demo's parks matching ``where``."""
    with closing(sqlite3.connect(DEFAULT_DATA_DIR / "heza.gpkg")) as db:
        query = f"SELECT park_id, name_vi, name_en, province_before_2025 FROM parks WHERE {where}"  # noqa: S608 - our own condition, values bound as parameters
        return sorted(db.execute(query, args))


def unplaced() -> list[tuple[str, str, str, str]]:
    return _parks("geometry_quality = ?", UNPLACED)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def captions(at: AppTest) -> list[str]:
    """The captions as read on screen (pages escape the data they quote)."""
    return [plain(str(c.value)) for c in at.caption]


def test_the_demo_has_parks_with_no_position_in_both_regions():
    regions = {region for *_, region in unplaced()}
    assert regions == {"Hải Phòng", "Hải Dương"}, "the tests below need unplaced parks east and west"


# --- occupancy ----------------------------------------------------------------------------------------------
def test_the_occupancy_table_lists_every_park_with_its_region_placed_or_not():
    at = open_page("occupancy", lang="en")
    no_exception(at)
    table = at.dataframe(key="occ_table").value
    assert len(table) == len(park_ids())
    names = set(table["park"])
    assert {name_en for _, _, name_en, _ in unplaced()} <= names
    assert set(table["region"]) == {i18n.label("province", r, "en") for r in ("Hải Phòng", "Hải Dương")}
    assert i18n.t("map.unplaced", "en", n=len(unplaced())) in "\n".join(captions(at))


def test_the_occupancy_page_shows_a_park_with_no_position_without_a_map():
    park_id = unplaced()[0][0]
    at = open_page("occupancy", park=park_id, lang="en")
    no_exception(at)
    assert not at.warning  # a known park: the link is good
    assert at.selectbox(key="occ_park").value == park_id
    assert i18n.t("occupancy.unplaced_park", "en") in [i.value for i in at.info]


def test_the_occupancy_page_says_that_the_sources_count_the_parks_differently():
    at = open_page("occupancy", lang="en")
    text = "\n".join(captions(at))
    for site in ("vietnam.vn 20/07/2025", "vietnam.vn 27/08/2025", "vtcnews.vn 27/09/2025"):
        assert site in text  # the three sources of the park count, each cited


def test_a_news_figure_of_the_west_is_dated_as_precisely_as_the_news_gives_it():
    at = open_page("occupancy", lang="en")
    table = at.dataframe(key="occ_table").value.set_index("park")
    [(_, _, name_en, region)] = _parks("park_id = ?", "lai-vu")
    lai_vu = table.loc[name_en]
    assert region == "Hải Dương" and lai_vu["region"] == i18n.label("province", region, "en")
    assert lai_vu["as_of"] == "2024"  # "2024" from vietnam.vn, no day made up
    assert lai_vu["source"].startswith(i18n.badge("news", "en"))


# --- compare and land finder -----------------------------------------------------------------------------
def test_a_park_with_no_position_can_be_compared_and_shows_dashes_for_its_distances():
    placed_park = next(p for p, *_ in _parks("geometry_quality != ?", UNPLACED))
    park_id, _, name_en, _ = unplaced()[0]
    at = open_page("compare", compare=f"{placed_park},{park_id}", lang="en")
    no_exception(at)
    [table] = at.table
    frame = table.value
    column = next(c for c in frame.columns if name_en in str(c))
    rows = {str(k): str(v) for k, v in frame[column].items()}
    for row in ("popup.distance_to_berth", "popup.distance_to_airport"):
        assert rows[i18n.t(row, "en")] == i18n.MISSING
    assert rows[i18n.t("column.geometry_quality", "en")] == i18n.label("geometry_quality", UNPLACED, "en")
    assert i18n.t("text.not_drawn", "en", names=name_en) in "\n".join(captions(at))


def test_the_land_finder_never_offers_the_land_of_a_park_with_no_position():
    """Issue 17: a park no source places has no plots, so its free land is to confirm with HEZA (a
    planned one: dropped); it is never kept, and no site of it is offered."""
    at = open_page("land_finder", need_ha="1")
    no_exception(at)
    results = "\n".join(plain(str(m.value)) for m in at.get("markdown"))
    groups = results.split(i18n.t("finder.how_ranked_text", "vi")[:40])[0]  # the page above "how it works"
    title = {group: i18n.t(f"finder.{group}_title", "vi") + " (" for group in ("kept", "confirm", "dropped")}
    kept, rest = groups.split(title["kept"])[1].split(title["confirm"])
    to_confirm, dropped = rest.split(title["dropped"])
    with closing(sqlite3.connect(DEFAULT_DATA_DIR / "heza.gpkg")) as db:
        stages = dict(db.execute("SELECT park_id, stage FROM parks"))
    for park_id, name_vi, _, _ in unplaced():
        assert f". {name_vi}**" not in kept, name_vi  # never listed as a fit
        assert f". {name_vi}**" in (dropped if stages[park_id] == "planned" else to_confirm), name_vi
    assert "? " + i18n.t("finder.reason.area_unknown", "vi") in to_confirm
    assert "✗ " + i18n.t("finder.reason.area_planned", "vi") in dropped
    [sites] = [d.value for d in at.dataframe if i18n.t("finder.col.site", "vi") in d.value.columns]
    assert not set(sites[i18n.t("finder.col.park", "vi")]) & {name_vi for _, name_vi, _, _ in unplaced()}


# --- investment --------------------------------------------------------------------------------------------
def test_the_investment_page_gives_the_latest_fdi_from_the_news_beside_the_reports_figure():
    at = open_page("investment", lang="en")
    no_exception(at)
    fdi = [m for m in at.metric if m.label == i18n.label("metric", "fdi_total_musd", "en")]
    assert fdi and fdi[0].value == "4,350"
    text = "\n".join(captions(at))
    assert "Public news (vneconomy.vn 07/01/2025)" in text
    assert i18n.t("card.report_figure", "en", report="002", when="11 months 2024",
                  value="2,869 · " + i18n.label("basis", "estimate", "en")) in text


# --- the sidebar: region and former district ----------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_sidebar_filters_by_region_and_names_the_former_district(lang):
    at = open_page("map", lang=lang)
    no_exception(at)
    assert at.multiselect(key="district").label == i18n.t("filter.district", lang) == i18n.t("column.district", lang)
    region = at.multiselect(key="region")
    assert region.label == i18n.t("filter.region", lang)
    assert len(at.multiselect(key="park").options) == len(park_ids())  # every park, placed or not
    region.set_value(["Hải Dương"]).run()
    no_exception(at)
    west = _parks("province_before_2025 = ?", "Hải Dương")
    [count] = [m.value for m in at.metric if m.label == i18n.t("card.parks", lang)]
    assert count == str(len(west))
    assert at.query_params["region"] == "Hải Dương"


def test_a_link_with_a_region_opens_the_sidebar_with_it_chosen():
    at = open_page("map", region="Hải Phòng", lang="en")
    no_exception(at)
    assert not at.warning
    assert at.multiselect(key="region").value == ["Hải Phòng"]
    east = _parks("province_before_2025 = ?", "Hải Phòng")
    [count] = [m.value for m in at.metric if m.label == i18n.t("card.parks", "en")]
    assert count == str(len(east))
