"""Enquiries in the store (GeoPackage and PostGIS): stored once, followed up with a history, confidential.

The tiny dataset has parks A, B, C and plots A-1…A-5, B-1, B-2 (``tests/conftest.py``).
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from heza_geo import enquiries
from heza_geo.config import REPO_ROOT, Settings
from heza_geo.enquiries.model import RATE_LIMITS, client_hash
from heza_geo.errors import DataError, StoreError
from heza_geo.export import DATA_FORMATS, export
from heza_geo.view import LAYER_NAMES, Filters, MapView

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SECRET = "Zq7-secret-plan <script>alert('x')</script>"


def form(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {"uuid": enquiries.new_uuid(), "name": "Kim Min-jun", "company": "Hanbit Electronics",
                                 "country": "KR", "email": "kim@hanbit.example", "sector": "electronics",
                                 "land_ha": 12, "timeframe": "6_to_12_months", "language": "ko",
                                 "message": SECRET, "consent": True, "parks": ["A"], "plots": ["B-2"]}
    return {**values, **changes}


def submit(store, tiny_data, now=T0, session="s1", address="10.0.0.1", **changes):
    return enquiries.submit(store, form(**changes), tiny_data, session, address, Settings(), now=now)


@pytest.fixture
def tiny_data(store):
    return store.read_dataset()


def test_an_enquiry_is_stored_with_its_places_and_its_text_verbatim(store, tiny_data):
    sent = submit(store, tiny_data)
    assert sent.outcome == "stored" and sent.accepted and not sent.emailed  # no smtp_url: the inbox alone
    found = store.enquiry(sent.enquiry.uuid)
    assert found.message == SECRET  # "<script>" comes back as those characters: text, never markup
    assert found.parks == ("A", "B") and found.plots == ("B-2",)  # the plot's park is named too
    assert found.submitted_at == T0 and found.status == "new" and found.land_ha == 12.0
    assert [(e.kind, e.author, e.at) for e in found.history] == [("submitted", "enquirer", T0)]


def test_the_same_form_sent_twice_is_stored_once(store, tiny_data):
    same = form()
    first = enquiries.submit(store, same, tiny_data, "s1", "10.0.0.1", Settings(), now=T0)
    again = enquiries.submit(store, same, tiny_data, "s1", "10.0.0.1", Settings(), now=T0 + timedelta(seconds=2))
    assert (first.outcome, again.outcome, again.accepted) == ("stored", "already", True)
    assert len(store.enquiries()) == 1


def test_a_filled_honeypot_stores_nothing_but_thanks_the_robot_like_anyone(store, tiny_data):
    sent = submit(store, tiny_data, website="http://spam.example")
    assert sent.outcome == "spam" and sent.accepted and sent.message_key == "enquiry.thanks"
    assert store.enquiries() == []


def test_a_refused_form_stores_nothing_and_names_each_field(store, tiny_data):
    sent = submit(store, tiny_data, email="", phone="", consent=False, parks=["Z"])
    assert sent.outcome == "refused" and sent.message_key == "enquiry.refused"
    assert {(p.field, p.key) for p in sent.problems} == {
        ("email", "enquiry.problem.no_contact"), ("consent", "enquiry.problem.no_consent"),
        ("parks", "enquiry.problem.unknown_place")}
    assert store.enquiries() == []


def test_the_session_limit_refuses_the_fourth_enquiry_in_ten_minutes_then_lets_one_through(store, tiny_data):
    session_limit = RATE_LIMITS[0]
    assert (session_limit.scope, session_limit.count, session_limit.window) == ("session", 3, timedelta(minutes=10))
    outcomes = [submit(store, tiny_data, now=T0 + timedelta(minutes=i), address=f"10.0.0.{i}").outcome
                for i in range(4)]
    assert outcomes == ["stored", "stored", "stored", "refused"]
    refused = submit(store, tiny_data, now=T0 + timedelta(minutes=3))
    assert [p.key for p in refused.problems] == ["enquiry.problem.rate_session"]
    assert dict(refused.problems[0].params) == {"n": "3", "minutes": "10"}
    # ten minutes after the first, one of the three has left the window
    assert submit(store, tiny_data, now=T0 + timedelta(minutes=10)).outcome == "stored"


def test_the_address_limit_refuses_the_eleventh_enquiry_in_an_hour_from_one_address(store, tiny_data):
    outcomes = [submit(store, tiny_data, now=T0 + timedelta(minutes=i), session=f"s{i}").outcome for i in range(11)]
    assert outcomes == ["stored"] * 10 + ["refused"]
    assert submit(store, tiny_data, now=T0 + timedelta(minutes=11), session="s11",
                  address="10.0.0.2").outcome == "stored"


def test_visitors_whose_address_is_unknown_do_not_share_one_address_limit(store, tiny_data):
    """An app that cannot tell a client's address (no peer given) counts each session alone: an unknown
    address is no address, not one address that every visitor of the site shares."""
    outcomes = [submit(store, tiny_data, now=T0 + timedelta(minutes=i), session=f"s{i}", address="").outcome
                for i in range(12)]
    assert outcomes == ["stored"] * 12
    assert store.execute('SELECT COUNT(*) FROM "enquiries" WHERE "address_hash" IS NOT NULL') == [(0,)]


def test_client_hashes_are_kept_only_while_a_limit_may_need_them(store, tiny_data):
    submit(store, tiny_data, now=T0, session="browser-1", address="203.0.113.7")
    rows = store.execute('SELECT "session_hash", "address_hash" FROM "enquiries"')
    assert rows == [(client_hash("browser-1"), client_hash("203.0.113.7"))]
    assert "203.0.113.7" not in str(store.execute('SELECT * FROM "enquiries"'))
    submit(store, tiny_data, now=T0 + timedelta(hours=1, minutes=1), session="browser-2", address="198.51.100.1")
    rows = store.execute('SELECT "session_hash" FROM "enquiries" ORDER BY "submitted_at"')
    assert rows == [(None,), (client_hash("browser-2"),)]


def test_staff_change_status_assignee_and_notes_each_recorded_with_author_and_time(store, tiny_data):
    uuid = submit(store, tiny_data).enquiry.uuid
    at = T0 + timedelta(days=1)
    store.update_enquiry(uuid, "lan", status="contacted", assignee="minh", now=at)
    found = store.update_enquiry(uuid, "minh", note="Called Mr Kim: visit on 12/5", now=at + timedelta(hours=2))
    assert (found.status, found.assignee) == ("contacted", "minh")
    assert [(e.kind, e.author, e.value, e.at) for e in found.history[1:]] == [
        ("status", "lan", "contacted", at), ("assignee", "lan", "minh", at),
        ("note", "minh", "Called Mr Kim: visit on 12/5", at + timedelta(hours=2))]
    assert [n.value for n in found.notes] == ["Called Mr Kim: visit on 12/5"]


def test_a_bad_staff_change_writes_nothing_and_says_what(store, tiny_data):
    uuid = submit(store, tiny_data).enquiry.uuid
    with pytest.raises(DataError) as caught:
        store.update_enquiry(uuid, " ", status="sold", note="   ")
    assert {(p.field, p.key) for p in caught.value.problems} == {
        ("author", "problem.needs_author"), ("status", "enquiry.problem.bad_choice"),
        ("note", "enquiry.problem.required")}
    assert len(store.enquiry(uuid).history) == 1
    with pytest.raises(StoreError, match="no enquiry"):
        store.update_enquiry("00000000-0000-4000-8000-000000000000", "lan", status="won")


def test_the_inbox_filters_by_status_park_assignee_and_time(store, tiny_data):
    first = submit(store, tiny_data, now=T0, parks=["A"], plots=[]).enquiry.uuid
    second = submit(store, tiny_data, now=T0 + timedelta(days=1), session="s2", parks=["C"], plots=[]).enquiry.uuid
    third = submit(store, tiny_data, now=T0 + timedelta(days=2), session="s3", parks=[], plots=["B-1"]).enquiry.uuid
    store.update_enquiry(second, "lan", status="contacted", assignee="minh")

    def uuids(**filters):
        return [e.uuid for e in store.enquiries(**filters)]

    assert uuids() == [third, second, first]  # newest first
    assert uuids(status="new") == [third, first]
    assert uuids(park="B") == [third] and uuids(park="A") == [first]
    assert uuids(assignee="minh") == [second]
    assert uuids(since=T0 + timedelta(days=1)) == [third, second]
    assert store.enquiries(history=True)[1].history[-1].kind == "assignee"


def _texts_of(path: Path) -> bytes:
    """A file's bytes, or the bytes of each member of a zip (XLSX, a CSV bundle)."""
    raw = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as bundle:
            return b"".join(bundle.read(name) for name in bundle.namelist())
    return raw


def test_no_public_path_shows_an_enquiry(store, tiny_data, tmp_path):
    """The public dataset, every data export (CSV, XLSX, GeoJSON, GeoPackage, all layers) and every
    static file served hold no trace of an enquiry's text."""
    submit(store, tiny_data, name="Zq7 Visitor", company="Zq7 Company")
    public = store.read_dataset(public=True)
    for name in _layers():
        frame = public.layer(name)
        assert not frame.astype(str).apply(lambda column: column.str.contains("Zq7")).any().any(), name
    everything = MapView(lang="en", layers=LAYER_NAMES)
    for fmt in DATA_FORMATS:
        out = tmp_path / f"all.{'zip' if fmt == 'csv' else fmt}"  # several layers of CSV: a zip
        export(public, Filters(), everything, fmt, out)
        assert b"Zq7" not in _texts_of(out), fmt
    for served in (REPO_ROOT / "static").rglob("*"):
        if served.is_file():
            assert b"Zq7" not in served.read_bytes(), served


def _layers() -> list[str]:
    from heza_geo.schema import LAYERS

    return list(LAYERS)


def test_parallel_sends_from_one_session_are_counted_one_by_one(store, tiny_data):
    """Six sends at the same moment from one session: the store's lock serialises them, so the limit
    lets exactly three through (none lost to a race, none over the limit)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda i: submit(store, tiny_data, address=f"10.0.1.{i}").outcome, range(6)))
    assert sorted(outcomes) == ["refused"] * 3 + ["stored"] * 3
    assert len(store.enquiries()) == 3


def test_gis_users_browsing_the_geopackage_are_not_offered_the_enquiries(store, tiny_data):
    """QGIS lists the tables of gpkg_contents: the enquiries are not among them (as accounts are not)."""
    if store.backend != "gpkg":
        pytest.skip("gpkg_contents is the GeoPackage's own list")
    submit(store, tiny_data)
    listed = {row[0] for row in store.execute("SELECT table_name FROM gpkg_contents")}
    assert "enquiries" not in listed and "enquiry_events" not in listed and "parks" in listed


def test_an_enquiry_is_deleted_24_months_after_the_last_contact_as_the_privacy_notice_promises(store, tiny_data):
    """The notice the visitor agreed to: "kept for at most 24 months after our last contact, then deleted".
    The clock runs from the enquiry's last event (a status change or a note is a contact)."""
    quiet = submit(store, tiny_data, now=T0, session="s1").enquiry.uuid
    followed = submit(store, tiny_data, now=T0, session="s2").enquiry.uuid
    store.update_enquiry(followed, "lan", note="Visit booked", now=T0 + timedelta(days=400))
    day_after = T0 + enquiries.RETENTION + timedelta(days=1)
    assert store.purge_enquiries(now=day_after) == 1
    assert store.enquiry(quiet) is None and store.enquiry(followed) is not None
    assert store.execute('SELECT COUNT(*) FROM "enquiry_events" WHERE "uuid" = ?', (quiet,)) == [(0,)]
    assert "Kim Min-jun" not in str(store.execute('SELECT * FROM "enquiry_erasures"'))  # no personal data kept
    assert store.purge_enquiries(now=day_after) == 0


def test_an_enquiry_erased_at_the_enquirers_request_is_gone_and_a_later_sync_does_not_bring_it_back(
        store, tiny_data):
    sent = submit(store, tiny_data)
    store.update_enquiry(sent.enquiry.uuid, "lan", note="Asked us to delete")
    store.erase_enquiry(sent.enquiry.uuid, "lan", now=T0 + timedelta(days=2))
    assert store.enquiries() == [] and store.enquiry(sent.enquiry.uuid) is None
    assert SECRET not in str(store.execute('SELECT * FROM "enquiry_events"'))
    assert store.execute('SELECT "author", "reason" FROM "enquiry_erasures"') == [("lan", "request")]
    assert store.add_enquiry(sent.enquiry) is False  # the laptop's copy, synced later: stays erased
    assert store.enquiries() == []
    with pytest.raises(StoreError, match="no enquiry"):
        store.erase_enquiry(sent.enquiry.uuid, "lan")
    with pytest.raises(DataError):
        store.erase_enquiry(submit(store, tiny_data, session="s9").enquiry.uuid, " ")
