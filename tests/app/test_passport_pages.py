"""The park passport on the map page's panel and on compare, as a visitor reads them (AppTest, the
default data). The figures themselves are tested on the tiny dataset (tests/analysis/test_passport.py);
here: the panel shows the key facts with their dates and badges and one closed group per section, and
compare shows the passport's rows, in the reader's language.
"""

from __future__ import annotations

from html import unescape

import pytest
from appkit import open_page, plain

from heza_geo import i18n

#: a park of the default data with a passport (price, term, power, water, readiness)
PARK = "dinh-vu"
#: one whose water free is not published
PARK_NO_WATER = "dai-an"


def _html(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


@pytest.mark.parametrize("lang", ["ko", "vi"])
def test_the_panel_shows_the_key_facts_and_each_group_closed_in_one_element(lang):
    at = open_page("map", lang=lang, selected=PARK)
    assert not at.exception, [e.message for e in at.exception]
    html = _html(at)
    assert 'class="heza-facts heza-passport"' in html
    for key in ("lease_price", "years_left", "power_available", "water_free", "readiness"):
        assert i18n.t(f"passport.row.{key}", lang) in html
    assert "USD/m²" in html and i18n.badge("synthetic demo", lang) in html
    # the groups: native <details> in the key facts' own element (a Streamlit expander each drew ten
    # elements more on every park click); the enquiry form is the panel's one expander
    passport = next(str(h.proto.body) for h in at.get("html") if "heza-passport" in str(h.proto.body))
    labels = [unescape(s.split("</summary>")[0]) for s in passport.split('<details class="heza-group"><summary>')[1:]]
    titles = [i18n.label("passport_group", g, lang) for g in ("land", "utilities", "planning")]
    titles += [i18n.t("passport.group.incentives", lang), i18n.t("passport.group.contacts", lang)]
    assert [label.split(" · ")[0] for label in labels] == titles
    assert [plain(e.label) for e in at.expander] == [i18n.t("enquiry.form.title_park", lang)]
    assert html.index("heza-passport") > html.index(i18n.t("popup.occupancy", lang))  # the facts stay first


def test_a_figure_not_published_says_so_on_the_panel():
    html = _html(open_page("map", lang="ko", selected=PARK_NO_WATER))
    water = html.split(i18n.t("passport.row.water_free", "ko"), 1)[1].split("</div>", 1)[0]
    assert i18n.t("passport.not_published", "ko") in water


def test_compare_shows_the_passport_rows_in_the_readers_language():
    at = open_page("compare", lang="ko", compare=f"{PARK},{PARK_NO_WATER}")
    assert not at.exception, [e.message for e in at.exception]
    table = at.table[0].value.map(plain)
    table.index = [plain(label) for label in table.index]
    rows = [i18n.t(f"passport.row.{key}", "ko") for key in ("lease_price", "term_end", "min_plot",
                                                            "power_available", "water_free", "wastewater_free",
                                                            "readiness", "permitted_sectors", "incentives",
                                                            "contacts")]
    assert all(row in table.index for row in rows)
    assert table.loc[i18n.t("passport.row.water_free", "ko")].iloc[1] == i18n.t("passport.not_published", "ko")
    assert "USD/m²" in table.loc[i18n.t("passport.row.lease_price", "ko")].iloc[0]
