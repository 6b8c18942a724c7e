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
