"""Accounts, logins and what a public session may read, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from heza_geo import auth
from heza_geo.auth import AuthError, LockedOut

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PASSWORD = "đúng-mật-khẩu-2026"


@pytest.fixture
def accounts(store):
    auth.add_account(store, "lan", PASSWORD, "staff", now=T0)
    auth.add_account(store, "admin", "another-long-password", "admin", now=T0)
    return store


def test_passwords_are_stored_as_argon2_hashes_only(accounts):
    [(stored,)] = accounts.execute('SELECT "password_hash" FROM "accounts" WHERE "name" = ?', ("lan",))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(AuthError, match="exists already"):
        auth.add_account(accounts, "lan", PASSWORD, "staff")
    with pytest.raises(AuthError, match="at least 10 characters"):
        auth.add_account(accounts, "minh", "short", "staff")


def test_a_right_password_opens_a_session_that_expires(accounts):
    session = auth.login(accounts, "lan", PASSWORD, "10.0.0.7", session_hours=8, now=T0)
    assert (session.account, session.role) == ("lan", "staff")
    assert auth.session_for(accounts, session.token, now=T0 + timedelta(hours=7)).account == "lan"
    assert auth.session_for(accounts, session.token, now=T0 + timedelta(hours=8, seconds=1)) is None
    assert auth.session_for(accounts, session.token, now=T0) is None  # an expired session is gone for good
    assert auth.session_for(accounts, "forged-token") is None
    assert session.token not in str(accounts.execute('SELECT * FROM "sessions"'))  # only its hash is kept


def test_a_wrong_password_is_refused_and_then_throttled(accounts):
    for attempt in range(auth.FREE_FAILURES - 1):
        with pytest.raises(AuthError, match="wrong account name or password"):
            auth.login(accounts, "lan", "guess-%d" % attempt, "203.0.113.9", now=T0)
    with pytest.raises(LockedOut) as locked:
        auth.login(accounts, "lan", "one-more-guess", "203.0.113.9", now=T0)
    assert locked.value.retry_after_s == auth.BASE_LOCK_S
    # while locked even the right password is refused, from that address
    with pytest.raises(LockedOut):
        auth.login(accounts, "lan", PASSWORD, "203.0.113.9", now=T0 + timedelta(seconds=10))
    # another address is not locked out, and a second app server sees the same count (it is in the store)
    assert auth.login(accounts, "lan", PASSWORD, "10.0.0.7", now=T0).account == "lan"
    # each further failure doubles the wait
    later = T0 + timedelta(seconds=auth.BASE_LOCK_S + 1)
    with pytest.raises(LockedOut) as again:
        auth.login(accounts, "lan", "still-guessing", "203.0.113.9", now=later)
    assert again.value.retry_after_s == 2 * auth.BASE_LOCK_S
    ok_time = later + timedelta(seconds=2 * auth.BASE_LOCK_S + 1)
    assert auth.login(accounts, "lan", PASSWORD, "203.0.113.9", now=ok_time).role == "staff"


def test_unknown_accounts_and_disabled_ones_get_the_same_refusal(accounts):
    with pytest.raises(AuthError, match="wrong account name or password"):
        auth.login(accounts, "nobody", PASSWORD, "10.0.0.7", now=T0)
    session = auth.login(accounts, "lan", PASSWORD, "10.0.0.7", now=T0)
    auth.set_disabled(accounts, "lan", True)
    assert auth.session_for(accounts, session.token, now=T0) is None
    with pytest.raises(AuthError, match="wrong account name or password"):
        auth.login(accounts, "lan", PASSWORD, "10.0.0.7", now=T0)


def test_roles_decide_what_a_session_may_do(accounts):
    assert auth.can(None, "read") and not auth.can(None, "read_confidential") and not auth.can(None, "edit")
    assert auth.can("staff", "import") and not auth.can("staff", "manage_accounts")
    assert auth.can("admin", "manage_accounts")
    auth.set_role(accounts, "lan", "admin")
    assert auth.login(accounts, "lan", PASSWORD, "x", now=T0).role == "admin"
    listed = auth.list_accounts(accounts)
    assert list(listed.columns) == ["name", "role", "created_at", "disabled"]


def test_a_public_session_never_reads_a_confidential_field(store, tmp_path: Path):
    secret = "tenant-ceo@private.example"
    store.edit_record("plots", "A-1", {"tenant_contact": secret, "price_usd_m2": 131.5,
                                       "internal_note": "do not publish"}, 1, "lan", "contact details")
    public = store.read_dataset(public=True)
    for frame in (public.plots, store.read_layer("plots", public=True), auth.public_view(store.read_layer("plots"),
                                                                                      __import__("heza_geo").schema.PLOTS)):
        assert not {"tenant_contact", "price_usd_m2", "internal_note"} & set(frame.columns)
    assert secret not in public.plots.to_json()
    export = pytest.importorskip("heza_geo.export")
    from heza_geo.filters import Filters
    from heza_geo.mapping import MapView

    # even an export that asks for confidential columns finds none in a public read
    out = tmp_path / "export.geojson"
    export.export(public, Filters(), MapView(lang="en"), "geojson", out, export.ExportOptions(include_confidential=True))
    text = out.read_text(encoding="utf-8")
    assert secret not in text and "do not publish" not in text
