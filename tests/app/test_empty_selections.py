"""Choices that leave nothing to show: the page says so, in its language, and draws the rest.

Compare with no park or one park, the land finder with needs no park meets, map filters that
select no park, and the export of such a view. Choices are made with the page's own widgets, as
a visitor makes them, except where a link is the way in.
"""

from __future__ import annotations

from appkit import open_page, park_ids, shown
from streamlit.testing.v1 import AppTest

from heza_geo import i18n


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def parks_card(at: AppTest, lang: str = "vi") -> str:
    [value] = [m.value for m in at.metric if m.label == i18n.t("card.parks", lang)]
    return value


# --- compare ------------------------------------------------------------------------------------------------
def test_compare_with_no_park_asks_for_two_and_offers_no_table_or_download():
    at = open_page("compare")
    no_exception(at)
    assert at.multiselect(key="compare_pick").value == []
    assert infos(at) == [i18n.t("compare.need_two", "vi")]
    assert not at.table and not at.get("download_button")
    assert at.query_params == {"lang": "vi"}


def test_compare_with_one_park_from_the_link_asks_for_a_second():
    park = park_ids()[0]
    at = open_page("compare", compare=park, lang="ja")
    no_exception(at)
    assert at.multiselect(key="compare_pick").value == [park]
    assert infos(at) == [i18n.t("compare.need_two", "ja")]
    assert not at.table


def test_picking_a_second_park_compares_them_and_dropping_one_asks_again():
    first, second = park_ids()[:2]
    at = open_page("compare", lang="en")
    at.multiselect(key="compare_pick").set_value([first, second]).run()
    no_exception(at)
    [table] = at.table
    assert table.value.shape[1] == 2
    assert i18n.t("compare.need_two", "en") not in infos(at)
    assert i18n.t("compare.download_csv", "en") in shown(at)
    assert at.query_params == {"lang": "en", "compare": f"{first},{second}"}

    at.multiselect(key="compare_pick").unselect(second).run()
    no_exception(at)
    assert infos(at) == [i18n.t("compare.need_two", "en")] and not at.table
    assert at.query_params == {"lang": "en", "compare": first}


# --- land finder --------------------------------------------------------------------------------------------
def test_a_need_no_park_meets_is_said_and_the_closest_parks_are_still_listed():
    at = open_page("land_finder", need_ha="100000")  # more land than any park has
    no_exception(at)
    assert not at.warning  # a need no park meets is not a bad link
    assert i18n.t("finder.no_fit", "vi") in infos(at)
    parks = len(park_ids())
    text = shown(at)
    # issue 17: every park with plots is dropped (no site that large); a park without plots is to confirm
    # (a planned one dropped), and each group says how many it lists
    assert i18n.t("finder.summary", "vi", parks=parks, kept=0, confirm="", dropped="", sites=0).split(" · ")[0] in text
    assert f"{i18n.t('finder.kept_title', 'vi')} (0)" in text
    assert i18n.t("finder.dropped_title", "vi") in text
    assert i18n.t("finder.sites_title", "vi") not in text


def test_tightening_a_need_until_no_park_meets_it_says_so_and_disables_the_comparison():
    at = open_page("land_finder")  # Vietnamese: see appkit, "Widgets whose labels follow the session"
    assert i18n.t("finder.no_fit", "vi") not in infos(at)
    at.number_input(key="finder_port").set_value(0.0).run()  # at the port itself: no park is
    no_exception(at)
    assert i18n.t("finder.no_fit", "vi") in infos(at)
    assert at.query_params["max_port_km"] == "0"
    assert at.button(key="finder_go_compare").disabled  # nothing shortlisted


def test_shortlisting_two_parks_in_the_land_finder_opens_them_in_the_comparison():
    first, second = park_ids()[:2]
    at = open_page("land_finder")
    at.multiselect(key="finder_compare").set_value([first, second]).run()
    assert not at.button(key="finder_go_compare").disabled
    at.button(key="finder_go_compare").click().run()
    no_exception(at)
    assert i18n.t("page.compare", "vi") in shown(at)
    assert at.multiselect(key="compare_pick").value == [first, second] and len(at.table) == 1
    assert at.query_params == {"lang": "vi", "compare": f"{first},{second}"}


# --- map and export -----------------------------------------------------------------------------------------
def test_a_map_filter_that_selects_no_park_says_so_and_reset_brings_every_park_back():
    at = open_page("map")
    everything = parks_card(at)
    assert everything == str(len(park_ids()))
    at.number_input(key="min_available_ha").set_value(100_000.0).run()
    no_exception(at)
    assert i18n.t("msg.no_match", "vi") in infos(at)
    assert parks_card(at) == "0"
    assert at.query_params["min_ha"] == "100000"

    at.button(key="reset_filters").click().run()
    no_exception(at)
    assert i18n.t("msg.no_match", "vi") not in infos(at)
    assert parks_card(at) == everything
    assert "min_ha" not in at.query_params


def test_filters_that_contradict_each_other_select_no_park_and_say_so():
    at = open_page("map", lang="en")
    at.multiselect(key="stage").set_value(["planned"]).run()  # planned parks have no plots yet …
    at.multiselect(key="plot_status").set_value(["leased"]).run()
    at.number_input(key="min_available_ha").set_value(1.0).run()  # … so no land available in them
    no_exception(at)
    assert i18n.t("msg.no_match", "en") in infos(at)
    assert parks_card(at, "en") == "0"


def test_a_link_whose_filters_select_no_park_opens_the_map_saying_so():
    at = open_page("map", min_ha="100000", lang="ko")
    no_exception(at)
    assert not at.warning  # the value is allowed; it only selects nothing
    assert i18n.t("msg.no_match", "ko") in infos(at)
    assert parks_card(at, "ko") == "0"


def test_the_export_of_a_view_with_no_park_says_the_file_will_have_none():
    at = open_page("map")
    at.number_input(key="min_available_ha").set_value(100_000.0).run()
    at.switch_page("pages/export.py").run()  # the same visitor, from the map to the export page
    no_exception(at)
    assert i18n.t("export.msg.no_parks", "vi") in infos(at)
    assert i18n.t("export.what", "vi", parks=0, layers="\0").split("\0")[0] in shown(at)
    assert "--min-available-ha 100000" in at.code[-1].value  # the same export from the command line
