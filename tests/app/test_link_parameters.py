"""A link with a value the page cannot use: the page names the parameter in a warning, in the
page's language, draws with the default instead, and writes the repaired link back to the URL.

Each test is a visitor arriving by that link (a new session). What the browser tests already
check (``tests/e2e/test_pages_occupancy_investment_port.py``: ``park=atlantis`` and
``year=1999&km=abc`` in English) is checked here in Vietnamese, the default language, and on
every other page that reads its own parameters.
"""

from __future__ import annotations

from datetime import date

import pytest
from appkit import PAGE_TEXT, PAGES, notice_head, open_page, park_ids, shown, warnings
from streamlit.testing.v1 import AppTest

from heza_geo import i18n

NOTICES = ("msg.bad_link_param", "msg.link_param_ignored")


def names_in_its_language(warning: str, lang: str, name: str, value: str) -> bool:
    """``warning`` is one of the catalog's notices for link parameter ``name`` = ``value`` in ``lang``."""
    return any(warning.startswith(notice_head(key, lang, name, value)) for key in NOTICES)


def the_one_warning_about(at: AppTest, name: str, value: str, lang: str = "vi") -> str:
    about = [w for w in warnings(at) if names_in_its_language(w, lang, name, value)]
    assert len(about) == 1, (name, warnings(at))
    return about[0]


def draws(at: AppTest, page: str, lang: str = "vi") -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert i18n.t(PAGE_TEXT[page], lang) in shown(at)


# --- port: year and km -------------------------------------------------------------------------------------
def test_a_bad_year_and_distance_in_the_link_are_named_and_the_port_page_still_draws():
    at = open_page("port", year="1999", km="abc")
    draws(at, "port")
    year, km = at.slider(key="port_year"), at.slider(key="port_km")
    assert year.min <= year.value <= year.max and km.value == 15  # the defaults: this year (in range), 15 km
    assert warnings(at) == [
        i18n.t("msg.bad_link_param", "vi", name="year", value="1999", allowed=f"{year.min:g}–{year.max:g}",
               default=str(year.value)),
        i18n.t("msg.bad_link_param", "vi", name="km", value="abc", allowed=f"{km.min:g}–{km.max:g}", default="15"),
    ]
    assert at.query_params == {"lang": "vi", "year": str(year.value), "km": "15"}  # the link is repaired
    assert len(at.metric) == 4


def test_a_good_year_and_distance_in_the_link_are_taken_without_a_warning():
    at = open_page("port", year="2024", km="10", lang="en")
    draws(at, "port", "en")
    assert not at.warning
    assert (at.slider(key="port_year").value, at.slider(key="port_km").value) == (2024, 10)
    assert at.metric[0].value == "2 / 12"  # berths 1 and 2 operating at the end of 2024 (as tests/e2e)


# --- occupancy: park and colour ----------------------------------------------------------------------------
def test_an_unknown_park_and_colour_in_the_link_are_named_and_the_occupancy_page_still_draws():
    at = open_page("occupancy", park="atlantis", colour="pink")
    draws(at, "occupancy")
    the_one_warning_about(at, "park", "atlantis")
    assert the_one_warning_about(at, "colour", "pink") == i18n.t(
        "msg.bad_link_param", "vi", name="colour", value="pink", allowed="occupancy, stage", default="occupancy")
    assert at.selectbox(key="occ_park").value is None
    assert at.radio(key="occ_colour").value == "occupancy"
    assert i18n.t("occupancy.pick_park_hint", "vi") in [i.value for i in at.info]
    assert at.query_params == {"lang": "vi"}


def test_a_known_park_and_colour_in_the_link_are_taken_without_a_warning():
    park = park_ids()[0]
    at = open_page("occupancy", park=park, colour="stage")
    draws(at, "occupancy")
    assert not at.warning
    assert at.selectbox(key="occ_park").value == park and at.radio(key="occ_colour").value == "stage"
    assert at.query_params == {"lang": "vi", "park": park, "colour": "stage"}


# --- investment: period ------------------------------------------------------------------------------------
def test_an_unknown_period_in_the_link_is_named_and_the_investment_page_shows_the_latest():
    latest = open_page("investment").radio(key="inv_period").value
    at = open_page("investment", period="2099")
    draws(at, "investment")
    warning = the_one_warning_about(at, "period", "2099")
    assert latest in warning.rsplit(")", 1)[-1]  # after the allowed periods: "…; showing <latest>."
    assert at.radio(key="inv_period").value == latest
    assert at.query_params == {"lang": "vi", "period": latest}


# --- land finder: the needs and the shortlist --------------------------------------------------------------
BAD_NEEDS = {"need_ha": "-5", "max_port_km": "x", "max_airport_km": "9999", "need_sector": "toys", "ready": "maybe",
             "min_water_m3": "-1", "max_usd_m2": "cheap", "ready_by": "2027-02-30"}
#: the land finder's needs as widgets (the ready-by date is checked apart)
FINDER_NUMBERS = ("finder_area", "finder_budget", "finder_years", "finder_power", "finder_water", "finder_wastewater",
                  "finder_port", "finder_airport", "finder_expressway")


@pytest.fixture(scope="module")
def finder_defaults():
    return open_page("land_finder")


@pytest.fixture(scope="module")
def finder_with_bad_needs():
    return open_page("land_finder", **BAD_NEEDS)


def test_every_bad_need_in_the_link_is_named_and_the_land_finder_ranks_with_the_defaults(finder_defaults,
                                                                                        finder_with_bad_needs):
    at = finder_with_bad_needs
    draws(at, "land_finder")
    for name, value in BAD_NEEDS.items():
        the_one_warning_about(at, name, value)
    assert len(at.warning) == len(BAD_NEEDS)
    for key in FINDER_NUMBERS:
        assert at.number_input(key=key).value == finder_defaults.number_input(key=key).value, key
    assert at.selectbox(key="finder_sector").value == finder_defaults.selectbox(key="finder_sector").value
    assert at.date_input(key="finder_ready_by").value is finder_defaults.date_input(key="finder_ready_by").value is None
    assert at.query_params == finder_defaults.query_params  # the link is repaired to the defaults


def test_a_bad_distance_need_falls_back_to_no_limit_and_says_so(finder_with_bad_needs):
    warning = the_one_warning_about(finder_with_bad_needs, "max_port_km", "x")
    assert warning.endswith(i18n.t("finder.no_limit", "vi") + ".")
    assert finder_with_bad_needs.number_input(key="finder_port").value is None


def test_an_unknown_park_in_the_land_finders_shortlist_link_is_named():
    at = open_page("land_finder", compare="atlantis")
    draws(at, "land_finder")
    the_one_warning_about(at, "compare", "atlantis")
    assert at.multiselect(key="finder_compare").value == []


def test_an_unknown_park_in_the_land_finders_shortlist_link_is_not_called_no_limit():
    at = open_page("land_finder", compare="atlantis")
    warning = the_one_warning_about(at, "compare", "atlantis")
    assert i18n.t("finder.no_limit", "vi") not in warning
    assert warning.endswith(i18n.t("finder.no_shortlist", "vi") + ".")


def test_a_link_with_every_need_and_a_shortlist_opens_with_both_and_keeps_them_in_the_address_bar():
    first, second = park_ids()[:2]
    link = {"need_ha": "5", "need_sector": "electronics", "max_usd_m2": "90", "min_years": "40", "min_mw": "10",
            "min_water_m3": "5000", "min_wastewater_m3": "1000", "max_port_km": "30", "max_airport_km": "40",
            "max_expressway_km": "8", "ready_by": "2027-06-30", "compare": f"{first},{second}"}
    at = open_page("land_finder", **link)
    draws(at, "land_finder")
    assert not at.warning
    values = {key: at.number_input(key=key).value for key in FINDER_NUMBERS}
    assert values == {"finder_area": 5, "finder_budget": 90, "finder_years": 40, "finder_power": 10,
                      "finder_water": 5000, "finder_wastewater": 1000, "finder_port": 30, "finder_airport": 40,
                      "finder_expressway": 8}
    assert at.date_input(key="finder_ready_by").value == date(2027, 6, 30)
    assert at.selectbox(key="finder_sector").value == "electronics"
    assert at.multiselect(key="finder_compare").value == [first, second]
    assert at.query_params == {"lang": "vi", **link}


def test_an_old_ready_link_opens_with_a_ready_by_date_and_the_address_bar_says_which():
    at = open_page("land_finder", ready="now")
    draws(at, "land_finder")
    assert not at.warning
    assert at.date_input(key="finder_ready_by").value == date.today()
    assert at.query_params["ready_by"] == date.today().isoformat() and "ready" not in at.query_params


# --- compare: the parks ------------------------------------------------------------------------------------
def test_an_unknown_park_in_the_compare_link_is_named_and_the_known_one_kept():
    park = park_ids()[0]
    at = open_page("compare", compare=f"atlantis,{park}")
    draws(at, "compare")
    the_one_warning_about(at, "compare", "atlantis")
    assert at.multiselect(key="compare_pick").value == [park]
    assert i18n.t("compare.need_two", "vi") in [i.value for i in at.info]
    assert at.query_params == {"lang": "vi", "compare": park}


def test_more_parks_than_the_comparison_holds_are_named_and_the_first_five_compared():
    parks = park_ids()[:7]
    at = open_page("compare", compare=",".join(parks))
    draws(at, "compare")
    [warning] = warnings(at)
    assert names_in_its_language(warning, "vi", "compare", ",".join(parks))
    assert at.multiselect(key="compare_pick").value == parks[:5]
    [table] = at.table
    assert table.value.shape[1] == 5  # a column per park
    assert at.query_params == {"lang": "vi", "compare": ",".join(parks[:5])}


# --- presentation: seconds per stop ------------------------------------------------------------------------
def test_a_bad_number_of_seconds_in_the_link_is_named_and_the_tour_keeps_its_pace():
    at = open_page("presentation", seconds="forever")
    draws(at, "presentation")
    seconds = at.number_input(key="tour_seconds")
    assert warnings(at) == [i18n.t("msg.link_param_ignored", "vi", name="seconds", value="forever",
                                   allowed=f"{seconds.min:g}–{seconds.max:g}", default=str(seconds.value))]
    assert seconds.value == open_page("presentation").number_input(key="tour_seconds").value
    assert at.query_params == {"lang": "vi", "seconds": str(seconds.value)}


# --- map: the view -----------------------------------------------------------------------------------------
BAD_VIEW = {"stage": "bogus", "min_ha": "abc", "z": "99", "layers": "parks,nope", "colour": "pink", "basemap": "moon"}


@pytest.fixture(scope="module")
def map_defaults():
    return open_page("map")


@pytest.fixture(scope="module")
def map_with_a_bad_view():
    return open_page("map", **BAD_VIEW)


def test_every_bad_view_parameter_is_named_and_the_map_draws_with_its_defaults(map_defaults, map_with_a_bad_view):
    at = map_with_a_bad_view
    draws(at, "map")
    shown_warnings = warnings(at)
    for name, value in BAD_VIEW.items():
        bad = value.split(",")[-1]
        assert [w for w in shown_warnings if f"'{name}'" in w and bad in w], (name, shown_warnings)
    assert len(shown_warnings) == len(BAD_VIEW)
    assert at.multiselect(key="stage").value == [] and at.number_input(key="min_available_ha").value == 0
    assert at.button_group(key="layers").value == ["parks"]  # the layer it could use is kept
    assert at.radio(key="colour_by").value == map_defaults.radio(key="colour_by").value
    assert at.selectbox(key="basemap").value == map_defaults.selectbox(key="basemap").value
    parks = i18n.t("card.parks", "vi")
    assert [m.value for m in at.metric if m.label == parks] == [str(len(park_ids()))]  # every park, unfiltered
    assert at.query_params == {"lang": "vi", "layers": "parks"}


def test_the_maps_link_warnings_are_in_the_pages_language(map_with_a_bad_view):
    for name, value in BAD_VIEW.items():
        bad = value.split(",")[-1]
        the_one_warning_about(map_with_a_bad_view, name, bad)


@pytest.fixture(scope="module")
def map_with_an_unknown_park():
    return open_page("map", selected="atlantis")


def test_an_unknown_selected_park_in_the_link_opens_the_map_with_no_park_panel(map_with_an_unknown_park):
    at = map_with_an_unknown_park
    draws(at, "map")
    assert i18n.t("detail.city_title", "vi") in shown(at)  # the city's figures, where a park's would be
    assert "selected" not in at.query_params


def test_an_unknown_selected_park_in_the_link_is_named(map_with_an_unknown_park):
    assert [w for w in warnings(map_with_an_unknown_park) if "selected" in w and "atlantis" in w]


@pytest.fixture(scope="module")
def export_with_bad_filters():
    return open_page("export", stage="bogus", park="atlantis")


def test_bad_filters_in_the_export_link_leave_every_park_in_the_file(export_with_bad_filters):
    at = export_with_bad_filters
    draws(at, "export")
    assert i18n.t("export.msg.no_parks", "vi") not in [i.value for i in at.info]
    assert i18n.t("export.what", "vi", parks=len(park_ids()), layers="\0").split("\0")[0] in shown(at)


def test_bad_filters_in_the_export_link_are_named(export_with_bad_filters):
    assert [w for w in warnings(export_with_bad_filters) if "stage" in w and "bogus" in w]
    assert [w for w in warnings(export_with_bad_filters) if "park" in w and "atlantis" in w]


# --- an unknown language -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def in_french():
    runs = {}

    def run(page: str) -> AppTest:
        if page not in runs:
            runs[page] = open_page(page, lang="fr")
        return runs[page]

    return run


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_language_in_the_link_draws_the_page_in_vietnamese(in_french, page):
    at = in_french(page)
    draws(at, page, "vi")
    assert at.selectbox(key="lang_picker").value == "vi"


def test_an_unknown_language_in_the_map_link_is_named(in_french):
    assert [w for w in warnings(in_french("map")) if "'lang'" in w and "fr" in w]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "map"])
def test_an_unknown_language_in_the_link_is_named(in_french, page):
    assert [w for w in warnings(in_french(page)) if "lang" in w and "fr" in w]
