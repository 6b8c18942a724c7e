"""The investor's enquiry form on the map's park panel (issue 17 §3; heza_geo.ui.enquiry), on a store of the
tiny dataset (tests/conftest.py: parks A, B, C; park A's plots A-1 … A-5; HEZA's desk "HEZA test desk",
desk@example.com, heza.example).

Most tests open the map with park A's panel (``?selected=A``), fill the form's widgets by their keys
(``enquiry_map_<field>``), press "Send" (``enquiry_map_send``) and read the store back; the land finder's
shortlist and compare have the same form (``enquiry_finder_*``, ``enquiry_compare_*``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from appkit import open_page, plain, texts
from streamlit.testing.v1 import AppTest

from heza_geo import i18n
from heza_geo.store.gpkg import GeoPackageStore

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def store(tiny_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GeoPackageStore]:
    """A store made from the tiny dataset, which the app is pointed at."""
    made = GeoPackageStore(tmp_path / "store.gpkg")
    made.initialise_from(tiny_dir)
    monkeypatch.setenv("HEZA_STORE_PATH", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    st.cache_resource.clear()
    yield made
    st.cache_resource.clear()


def park_a(lang: str = "en") -> AppTest:
    at = open_page("map", selected="A", lang=lang)
    assert not at.exception, [e.message for e in at.exception]
    return at


def widget(at: AppTest, name: str, where: str = "map"):  # type: ignore[no-untyped-def]  # whichever AppTest widget
    key = f"enquiry_{where}_{name}"
    for kind in (at.text_input, at.text_area, at.selectbox, at.number_input, at.checkbox, at.multiselect):
        found = [w for w in kind if w.key == key]
        if found:
            return found[0]
    raise KeyError(key)


def fill(at: AppTest, where: str = "map", **values: object) -> None:
    for name, value in values.items():
        box = widget(at, name, where)
        if name == "consent":
            box.check() if value else box.uncheck()
        elif name in ("country", "sector", "timeframe", "language", "plots"):
            box.set_value(value)
        else:
            box.input(value) if name != "land_ha" else box.set_value(value)


def send(at: AppTest, where: str = "map") -> AppTest:
    [button] = [b for b in at.button if b.key == f"enquiry_{where}_send"]
    at = button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


GOOD = {"name": "Kim Min-ji", "company": "Hanbit Parts", "country": "KR", "email": "minji@example.com",
        "sector": "electronics", "land_ha": 12.5, "timeframe": "6_to_12_months", "language": "ko",
        "message": "Power for a 20 MW plant?", "consent": True}


def test_a_sent_form_stores_one_enquiry_about_the_park_and_its_chosen_plot_then_empties_itself(store):
    at = park_a()
    fill(at, **GOOD, plots=["A-3"])
    at = send(at)
    [stored] = store.enquiries()
    assert (stored.name, stored.company, stored.country, stored.email, stored.sector) == (
        "Kim Min-ji", "Hanbit Parts", "KR", "minji@example.com", "electronics")
    assert (stored.land_ha, stored.timeframe, stored.language, stored.message) == (
        12.5, "6_to_12_months", "ko", "Power for a 20 MW plant?")
    assert (stored.parks, stored.plots) == (("A",), ("A-3",))
    assert [plain(s.value) for s in at.success] == [i18n.t("enquiry.thanks", "en")]
    assert widget(at, "name").value == "" and widget(at, "message").value == ""
    assert widget(at, "consent").value is False and widget(at, "plots").value == []
    assert not any("Kim Min-ji" in text or "Hanbit" in text for text in texts(at))  # only the thanks is left


def test_a_refused_form_shows_each_problem_in_the_readers_language_and_keeps_everything_typed(store):
    at = park_a("vi")
    typed = {"name": "Lan", "company": "Công ty A", "email": "not-an-address", "phone": "12",
             "message": "Cần 10 ha", "land_ha": 3.0, "country": "JP"}
    fill(at, **typed)
    at = send(at)
    assert store.enquiries() == []
    errors = [plain(e.value) for e in at.error]
    assert errors[0] == i18n.t("enquiry.refused", "vi")
    for field, key in (("email", "enquiry.problem.bad_email"), ("phone", "enquiry.problem.bad_phone")):
        assert f"{i18n.t(f'enquiry.field.{field}', 'vi')}: {i18n.t(key, 'vi')}" in errors
    assert any(i18n.t("enquiry.problem.no_consent", "vi") in e for e in errors)
    assert {name: widget(at, name).value for name in typed} == typed


def test_sending_the_same_form_twice_stores_it_once_and_thanks_both_times(store):
    at = park_a()
    first_id = at.session_state["enquiry_map_uuid"]
    fill(at, **GOOD)
    at = send(at)
    assert at.session_state["enquiry_map_uuid"] != first_id  # a new form once accepted
    at.session_state["enquiry_map_uuid"] = first_id  # what a double click's second submit carries
    fill(at, **GOOD)
    at = send(at)
    assert [e.uuid for e in store.enquiries()] == [first_id]
    assert [plain(s.value) for s in at.success] == [i18n.t("enquiry.thanks", "en")]


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(store):
    at = park_a()
    fill(at, **GOOD, website="http://spam.example")
    at = send(at)
    assert store.enquiries() == []
    assert [plain(s.value) for s in at.success] == [i18n.t("enquiry.thanks", "en")]


def test_a_message_of_markup_is_stored_as_typed_and_shown_nowhere_as_markup(store):
    at = park_a()
    fill(at, **(GOOD | {"name": SCRIPT, "email": "bad", "message": SCRIPT}))
    at = send(at)  # refused (the e-mail): the page shows the form again with the message in it
    assert widget(at, "message").value == SCRIPT
    for element in (*at.markdown, *at.error, *at.caption, *at.success):
        assert "<script" not in element.value
    assert not any("<script" in html.proto.body for html in at.get("html"))
    fill(at, email="ok@example.com")
    at = send(at)
    assert [e.message for e in store.enquiries()] == [SCRIPT]


def test_the_thanks_and_the_form_speak_korean(store):
    at = park_a("ko")
    assert widget(at, "language").value == "ko"  # the page's language is the default preferred one
    [button] = [b for b in at.button if b.key == "enquiry_map_send"]
    assert button.label == i18n.t("enquiry.form.send", "ko")
    fill(at, **GOOD)
    at = send(at)
    assert [plain(s.value) for s in at.success] == [i18n.t("enquiry.thanks", "ko")]
    assert len(store.enquiries()) == 1


@pytest.mark.parametrize("page", ["land_finder", "compare"])
def test_the_shortlist_and_compare_send_an_enquiry_about_their_parks(store, page):
    where = "finder" if page == "land_finder" else "compare"
    # Vietnamese: outside a run AppTest formats the finder's own select boxes in the app's default language
    at = open_page(page, compare="A,B", lang="vi")
    assert not at.exception, [e.message for e in at.exception]
    assert [e for e in at.get("expander") if e.label == i18n.t("enquiry.form.title_parks", "vi")]
    fill(at, where, **GOOD)
    at = send(at, where)
    [stored] = store.enquiries()
    assert (stored.parks, stored.plots, stored.name) == (("A", "B"), (), "Kim Min-ji")
    assert [plain(s.value) for s in at.success] == [i18n.t("enquiry.thanks", "vi")]


def test_the_land_finder_offers_no_form_before_a_park_is_shortlisted(store):
    at = open_page("land_finder", lang="en")
    assert not [b for b in at.button if b.key == "enquiry_finder_send"]


def test_without_a_store_the_form_gives_hezas_desk_from_the_data_and_takes_nothing(tiny_dir, monkeypatch):
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    st.cache_resource.clear()
    try:
        at = park_a()
        assert not [b for b in at.button if b.key == "enquiry_map_send"]
        shown = " ".join(plain(m.value) for m in at.markdown)
        assert "HEZA test desk" in shown and "desk@example.com" in shown
        assert any(plain(i.value) == i18n.t("enquiry.form.no_store", "en") for i in at.info)
    finally:
        st.cache_resource.clear()


def click(at: AppTest, park: str, plot: str | None = None) -> AppTest:
    """A click on the map (a park, or a plot of it), as the map component reports it (heza_geo.ui.fastmap)."""
    at.session_state["main_map.click"] = {"park_id": park, "plot_id": plot, "layer": "plot" if plot else "parks",
                                          "n": 1}
    at = at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_plot_clicked_on_the_map_is_attached_to_the_enquiry(store):
    at = click(park_a(), "A", "A-2")
    assert widget(at, "plots").value == ["A-2"]
    at = click(at, "A", "A-4")  # a second plot of the same park joins the first
    assert widget(at, "plots").value == ["A-2", "A-4"]
    fill(at, **GOOD)
    send(at)
    assert store.enquiries()[0].plots == ("A-2", "A-4")


def test_opening_another_park_lets_go_of_the_first_parks_plots_and_keeps_what_was_typed(store):
    at = park_a()
    fill(at, **{**GOOD, "consent": False}, plots=["A-3"])
    at = send(at)  # refused (no consent): everything typed is kept, A-3 with it
    assert widget(at, "plots").value == ["A-3"] and not store.enquiries()
    at = click(at, "B")
    assert widget(at, "plots").value == []  # B's plots: A-3 is not one of them
    assert widget(at, "name").value == "Kim Min-ji"


def test_a_fourth_enquiry_from_one_browser_session_in_ten_minutes_is_refused_with_why_and_kept_typed(store):
    """The session limit (3 per 10 minutes, heza_geo.enquiries.model.RATE_LIMITS) counts this tab's sends;
    the refused fourth says why in the visitor's language and keeps the form as typed."""
    at = park_a("ko")
    for n in range(3):
        fill(at, **{**GOOD, "name": f"Kim {n}"})
        at = send(at)
    fill(at, **{**GOOD, "name": "Kim 3"})
    at = send(at)
    assert len(store.enquiries()) == 3
    refused = i18n.t("enquiry.problem.rate_session", "ko", n=3, minutes=10)
    assert any(refused in plain(e.value) for e in at.error), [plain(e.value) for e in at.error]
    assert widget(at, "name").value == "Kim 3"
    other = park_a("ko")  # another visitor (another browser session) is not held back by the first
    fill(other, **{**GOOD, "name": "Lee"})
    send(other)
    assert len(store.enquiries()) == 4
