"""Every page draws in every language with the demo data: no exception, no error, its own words.

Each page is opened by a link (``/<page>?lang=…``) as a new visitor; the pages with a choice to
make are opened with one made (a park open on the map, two parks compared, a park on the
occupancy page), so that every part of them is drawn. The maps (``streamlit_folium``) draw in
the browser and are an unknown element here; ``tests/e2e/`` looks at them in Chromium.
"""

from __future__ import annotations

import pytest
from appkit import LANDINGS, LANGUAGES, PAGE_TEXT, shown

from heza_geo import i18n


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("landing", LANDINGS)
def test_every_page_draws_in_every_language_with_the_demo_data(landed, landing, lang):
    page, _, key = LANDINGS[landing]
    at = landed(landing, lang)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]  # a clean link: nothing to warn about
    text = shown(at)
    for expected in (PAGE_TEXT[page], key, "filter.language"):
        assert i18n.t(expected, lang) in text, expected
    if lang != "vi":
        assert i18n.t(PAGE_TEXT[page], "vi") not in text
    picker = at.selectbox(key="lang_picker")
    assert picker.value == lang
    assert at.query_params.get("lang", lang) == lang  # the link keeps the language when it is rewritten


# --- the map of the merged city: parks with no position --------------------------------------------
def _unplaced_parks() -> list[str]:
    """The demo's parks no source places (``geometry_quality`` "unplaced"), read without the app."""
    import sqlite3
    from contextlib import closing

    from heza_geo.config import DEFAULT_DATA_DIR
    from heza_geo.schema import UNPLACED

    with closing(sqlite3.connect(DEFAULT_DATA_DIR / "heza.gpkg")) as db:
        return sorted(r[0] for r in db.execute("SELECT park_id FROM parks WHERE geometry_quality = ?", (UNPLACED,)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_map_says_how_many_parks_it_cannot_draw(landed, lang):
    unplaced = _unplaced_parks()
    assert unplaced, "the demo data has parks with no position (the merged city)"
    text = shown(landed("map", lang))
    assert i18n.t("map.unplaced", lang, n=i18n.fmt_number(len(unplaced), lang, 0)) in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_park_with_no_position_opens_its_panel_saying_so(lang):
    from appkit import open_page

    at = open_page("map", lang=lang, selected=_unplaced_parks()[0])
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = shown(at)
    assert i18n.t("detail.occupancy_history", lang) in text  # the park's panel is open
    assert i18n.label("geometry_quality", "unplaced", lang) in [info.value for info in at.info]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_export_page_says_how_many_parks_its_maps_cannot_draw(landed, lang):
    text = shown(landed("export", lang))
    assert i18n.t("map.unplaced", lang, n=i18n.fmt_number(len(_unplaced_parks()), lang, 0)) in text
