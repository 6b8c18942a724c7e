"""The language picker (sidebar) and ``?lang=``: the page's words follow the choice, the link
carries it, and it follows the visitor from page to page.

Words are checked against the catalogs (``heza_geo.i18n.t``), never written out here, so a
changed translation does not break a test. The browser tests check the map's legend and popups
(``tests/e2e/test_map_page.py``); these check the pages' own text.
"""

from __future__ import annotations

import re

import pytest
from appkit import LANDINGS, open_page, place_names, shown, texts

from heza_geo import i18n

#: three or more words of plain ASCII letters in a row: a sentence in English (Vietnamese words
#: carry diacritics, and the same text on the English page is required as well)
ENGLISH_WORDS = re.compile(r"[A-Za-z]+(?:[ ,;:']+[A-Za-z]+){2,}")


def map_words(lang: str) -> list[str]:
    return [i18n.t(key, lang) for key in ("app.title", "filter.title", "filter.layers", "card.parks",
                                          "detail.city_title")]


def test_the_language_picker_switches_the_map_between_vietnamese_english_and_japanese():
    at = open_page("map")
    assert at.selectbox(key="lang_picker").value == "vi"
    for lang in ("en", "ja", "vi"):
        at.selectbox(key="lang_picker").set_value(lang).run()
        assert not at.exception, [e.message for e in at.exception]
        text = shown(at)
        assert all(word in text for word in map_words(lang)), lang
        for other in {"vi", "en", "ja"} - {lang}:
            assert i18n.t("app.title", other) not in text
        assert at.query_params["lang"] == lang


def test_the_language_pickers_own_label_switches_with_the_page():
    at = open_page("map")
    at.selectbox(key="lang_picker").set_value("en").run()
    assert i18n.t("app.title", "en") in shown(at)
    assert at.selectbox(key="lang_picker").label == i18n.t("filter.language", "en")


def test_switching_the_language_on_the_port_page_keeps_its_year_and_distance():
    at = open_page("port", year="2024", km="10")
    for lang in ("en", "ja"):
        at.selectbox(key="lang_picker").set_value(lang).run()
        assert not at.exception, [e.message for e in at.exception]
        assert [t.value for t in at.title] == [i18n.t("page.port", lang)]
        assert at.slider(key="port_year").label == i18n.t("port.year", lang)
        assert i18n.t("port.intro", lang) in shown(at)
        assert (at.slider(key="port_year").value, at.slider(key="port_km").value) == (2024, 10)
        assert at.query_params == {"lang": lang, "year": "2024", "km": "10"}


@pytest.mark.parametrize("lang", ["en", "ja", "zh"])
def test_the_chosen_language_follows_the_visitor_to_the_other_pages(lang):
    at = open_page("map")
    at.selectbox(key="lang_picker").set_value(lang).run()
    # the last page is the one whose widgets follow the session (see appkit): nothing is sent from it
    for page, key in (("port", "port.intro"), ("compare", "compare.need_two"), ("data_management", "dm.no_store"),
                      ("land_finder", "finder.intro")):
        at.query_params.clear()  # a click in the navigation: the new page's link has no lang=
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert i18n.t(key, lang) in shown(at), page
        assert at.selectbox(key="lang_picker").value == lang


def test_a_lang_in_the_link_wins_over_the_default_language():
    at = open_page("investment", lang="ko")
    assert [t.value for t in at.title] == [i18n.t("page.investment", "ko")]
    assert i18n.t("investment.intro", "ko") in shown(at)
    assert i18n.t("investment.intro", "vi") not in shown(at)


def test_the_tours_language_picker_switches_the_presentation_language():
    at = open_page("presentation")
    at.selectbox(key="tour_lang").set_value("en").run()
    assert not at.exception
    assert at.number_input(key="tour_seconds").label == i18n.t("tour.seconds", "en")
    assert at.query_params["lang"] == "en"


# --- no English left on a Vietnamese page ------------------------------------------------------------------
@pytest.mark.parametrize("landing", LANDINGS)
def test_a_vietnamese_page_shows_no_english_sentence(landed, landing):
    """No text of the Vietnamese page is also on the English page as a run of English words: a
    hard-coded string, a missing translation, a note from the data in one language only (the
    English-only notes of investment.csv are shown marked as the English original,
    ``text.in_english``, so they differ from the English page's)."""
    english = set(texts(landed(landing, "en"))) - place_names()  # names are data, in both languages by design
    leaks = [text for text in texts(landed(landing, "vi")) if text in english and ENGLISH_WORDS.search(text)]
    assert not leaks
