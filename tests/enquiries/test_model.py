"""An enquiry's checks: every problem at once, each with its field and a message in the visitor's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heza_geo import i18n
from heza_geo.config import LANGUAGES
from heza_geo.enquiries.model import (
    HONEYPOT,
    MAX_CHARS,
    MAX_TOTAL_CHARS,
    PRIVACY_NOTICE,
    check,
    is_spam,
    new_uuid,
)

PARKS = ["A", "B", "C"]
PLOTS = {"A-1": "A", "A-3": "A", "B-2": "B"}
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def form(**changes: object) -> dict[str, object]:
    return {"uuid": new_uuid(), "name": "Nguyễn Thị Lan", "email": "lan@congty.example", "consent": True,
            "parks": ["A"], **changes}


def problems_of(**changes: object) -> set[tuple[str | None, str]]:
    enquiry, problems = check(form(**changes), PARKS, PLOTS, now=T0)
    assert (enquiry is None) == bool(problems)
    return {(p.field, p.key) for p in problems}


def test_a_minimal_enquiry_is_accepted_with_the_notice_it_consented_to():
    enquiry, problems = check(form(phone="", plots=["B-2", "B-2"]), PARKS, PLOTS, now=T0)
    assert problems == [] and enquiry is not None
    assert (enquiry.parks, enquiry.plots, enquiry.consent_notice) == (("A", "B"), ("B-2",), PRIVACY_NOTICE)
    assert enquiry.submitted_at == T0 and enquiry.status == "new" and enquiry.language == LANGUAGES[0]


def test_text_is_kept_as_typed_never_as_markup():
    typed = "<script>alert('x')</script> **bold** [link](http://evil.example)\nline two"
    enquiry, _ = check(form(message=typed, company="<b>ACME</b>"), PARKS, PLOTS)
    assert enquiry is not None and enquiry.message == typed and enquiry.company == "<b>ACME</b>"


def test_either_an_email_or_a_phone_is_enough_but_one_is_needed():
    assert problems_of(email="", phone="+84 225 3823 000") == set()
    assert problems_of(email="", phone="") == {("email", "enquiry.problem.no_contact")}


@pytest.mark.parametrize("email", ["lan", "lan@", "lan@congty", "lan @congty.vn", "a@b.c\nBcc: x@y.z", "<a@b.vn>"])
def test_a_malformed_email_is_refused(email):
    assert problems_of(email=email) == {("email", "enquiry.problem.bad_email")}


@pytest.mark.parametrize("phone", ["12345", "call me", "+84 (225) abc", "=1+2"])
def test_a_malformed_phone_is_refused(phone):
    assert problems_of(phone=phone) == {("phone", "enquiry.problem.bad_phone")}


def test_every_problem_is_named_with_its_field_at_once():
    found = problems_of(name=" ", consent=False, sector="mining", timeframe="soon", language="fr", country="XX",
                        land_ha="-3", parks=["A", "Z"], plots=["Q-9"], uuid="not-a-uuid")
    assert found == {
        ("name", "enquiry.problem.required"), ("consent", "enquiry.problem.no_consent"),
        ("sector", "enquiry.problem.bad_choice"), ("timeframe", "enquiry.problem.bad_choice"),
        ("language", "enquiry.problem.bad_choice"), ("country", "enquiry.problem.bad_choice"),
        ("land_ha", "enquiry.problem.bad_land"), ("parks", "enquiry.problem.unknown_place"),
        ("plots", "enquiry.problem.unknown_place"), ("uuid", "enquiry.problem.bad_form")}


def test_consent_must_be_given_explicitly():
    assert problems_of(consent="yes") == {("consent", "enquiry.problem.no_consent")}


def test_sizes_are_limited_per_field_and_in_all():
    assert problems_of(name="x" * (MAX_CHARS["name"] + 1)) == {("name", "enquiry.problem.too_long")}
    assert problems_of(message="x" * MAX_CHARS["message"]) == set()
    full = {"message": "x" * MAX_CHARS["message"], "company": "y" * 200, "name": "z" * 120,
            "email": "e" * 60 + "@congty.example", "phone": "+84 225 3823 000"}
    assert problems_of(**full) == {("message", "enquiry.problem.total_too_long")}
    fields_at_most = sum(MAX_CHARS[f] for f in ("name", "company", "country", "email", "phone", "message"))
    assert fields_at_most > MAX_TOTAL_CHARS


def test_land_takes_a_decimal_comma_and_refuses_nonsense():
    enquiry, _ = check(form(land_ha="12,5"), PARKS, PLOTS)
    assert enquiry is not None and enquiry.land_ha == 12.5
    assert problems_of(land_ha="nan") == {("land_ha", "enquiry.problem.bad_land")}
    assert problems_of(land_ha="") == set()


def test_invisible_control_characters_are_dropped_visible_text_kept():
    enquiry, _ = check(form(name="Lan\u0000\u200e Nguyễn", message="a\r\nb\tc"), PARKS, PLOTS)
    assert enquiry is not None and (enquiry.name, enquiry.message) == ("Lan Nguyễn", "a\nb\tc")


def test_the_honeypot_marks_a_robot():
    assert is_spam({HONEYPOT: "http://spam.example"}) and not is_spam({HONEYPOT: ""}) and not is_spam({})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_problem_and_the_privacy_notice_read_in_the_visitors_language(lang):
    _, problems = check(form(email="", consent=False, land_ha="x"), PARKS, PLOTS)
    texts = [i18n.problem_text(p, lang) for p in problems]
    assert len(texts) == 3 and all(text and not text.startswith("enquiry.") for text in texts)
    notice = i18n.t(PRIVACY_NOTICE, lang)
    assert "13/2023/NĐ-CP" in notice and "HEZA" in notice and "24" in notice
