"""Accounts, logins and what a public session may read, on both backends."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from heza_geo.errors import AuthError, LockedOut
from heza_geo.store import auth

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


@pytest.mark.parametrize("name", ["system", "System"])
def test_no_account_takes_the_name_the_history_gives_the_apps_first_data_load(accounts, name):
    with pytest.raises(AuthError) as refused:
        auth.add_account(accounts, name, PASSWORD, "staff")
    assert refused.value.reasons == [("auth.reserved_name", {"name": name})]


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
            auth.login(accounts, "lan", f"guess-{attempt}", "203.0.113.9", now=T0)
    with pytest.raises(LockedOut) as locked:
        auth.login(accounts, "lan", "one-more-guess", "203.0.113.9", now=T0)
    assert locked.value.retry_after_s == auth.BASE_LOCK_S
    # while locked even the right password is refused, from that address
    with pytest.raises(LockedOut):
        auth.login(accounts, "lan", PASSWORD, "203.0.113.9", now=T0 + timedelta(seconds=10))
    # another address is not locked out, and a second app server sees the same count (it is in the store)
    assert auth.login(accounts, "lan", PASSWORD, "10.0.0.7", now=T0).account == "lan"
    # each further attempt doubles the wait: the refused one during the lock (6th) counted too, so the 7th locks 4x
    later = T0 + timedelta(seconds=auth.BASE_LOCK_S + 1)
    with pytest.raises(LockedOut) as again:
        auth.login(accounts, "lan", "still-guessing", "203.0.113.9", now=later)
    assert again.value.retry_after_s == 4 * auth.BASE_LOCK_S
    ok_time = later + timedelta(seconds=4 * auth.BASE_LOCK_S + 1)
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
    from heza_geo.view import Filters, MapView

    # even an export that asks for confidential columns finds none in a public read
    out = tmp_path / "export.geojson"
    export.export(public, Filters(), MapView(lang="en"), "geojson", out,
                  export.ExportOptions(include_confidential=True))
    text = out.read_text(encoding="utf-8")
    assert secret not in text and "do not publish" not in text


# --- sign-in throttling under parallel attempts ---------------------------------------------------
CLIENT = "203.0.113.9"


class CountingHasher:
    """The real hasher, with its ``verify`` counted and timed: how many password checks ran, and
    how many ran at the same moment (each check holds ``hold_s`` longer, so parallel ones overlap)."""

    def __init__(self, real, hold_s: float = 0.0):
        self.real, self.hold_s = real, hold_s
        self.calls = self.running = self.max_running = 0
        self._lock = threading.Lock()

    def verify(self, hash_, password):
        with self._lock:
            self.calls += 1
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            time.sleep(self.hold_s)
            return self.real.verify(hash_, password)
        finally:
            with self._lock:
                self.running -= 1

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def checks(monkeypatch):
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


def in_parallel(count: int, attempt) -> list[object]:
    """``attempt(i)`` in ``count`` threads released together; each one's result or exception."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = attempt(i)
        except BaseException as exc:  # noqa: BLE001 - the test looks at every outcome
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a sign-in hung"
    return outcomes


def only_refusals(outcomes: list[object]) -> None:
    unexpected = [repr(o) for o in outcomes if not isinstance(o, AuthError)]
    assert not unexpected, f"{len(unexpected)} attempts ended otherwise than refused: {unexpected[:3]}"


def recorded_failures(store, name: str = "lan", client: str = CLIENT) -> int:
    rows = store.execute('SELECT "failures" FROM "login_failures" WHERE "throttle_key" = ?',
                         (auth._throttle_key(name, client),))
    return int(rows[0][0]) if rows else 0


def test_twenty_parallel_wrong_passwords_get_at_most_five_password_checks(accounts, checks):
    outcomes = in_parallel(20, lambda i: auth.login(accounts, "lan", f"guess-{i}", CLIENT, now=T0))
    only_refusals(outcomes)
    assert checks.calls <= auth.FREE_FAILURES
    assert recorded_failures(accounts) == 20
    assert sum(isinstance(o, LockedOut) for o in outcomes) >= 20 - auth.FREE_FAILURES + 1


def test_sixty_one_wrong_passwords_in_turn_and_in_parallel_are_all_counted(accounts, checks):
    outcomes = []
    for i in range(21):
        try:
            auth.login(accounts, "lan", f"guess-{i}", CLIENT, now=T0)
        except BaseException as exc:  # noqa: BLE001 - the test looks at every outcome
            outcomes.append(exc)
    assert checks.calls == auth.FREE_FAILURES
    # once a lock has run out, a parallel batch gets one password check (and a new, longer lock), not twenty
    after_first_lock = T0 + timedelta(seconds=auth.BASE_LOCK_S + 1)
    outcomes += in_parallel(20, lambda i: auth.login(accounts, "lan", f"again-{i}", CLIENT, now=after_first_lock))
    assert checks.calls == auth.FREE_FAILURES + 1
    after_second_lock = after_first_lock + timedelta(seconds=auth.MAX_LOCK_S + 1)
    outcomes += in_parallel(20, lambda i: auth.login(accounts, "lan", f"more-{i}", CLIENT, now=after_second_lock))
    only_refusals(outcomes)
    assert len(outcomes) == 61 and recorded_failures(accounts) == 61
    assert checks.calls == auth.FREE_FAILURES + 2


def test_the_right_password_during_a_lock_is_refused_without_a_password_check(accounts, checks):
    for i in range(auth.FREE_FAILURES):
        with pytest.raises(AuthError):
            auth.login(accounts, "lan", f"guess-{i}", CLIENT, now=T0)
    assert checks.calls == auth.FREE_FAILURES
    with pytest.raises(LockedOut) as locked:
        auth.login(accounts, "lan", PASSWORD, CLIENT, now=T0 + timedelta(seconds=10))
    assert checks.calls == auth.FREE_FAILURES
    assert locked.value.retry_after_s == pytest.approx(auth.BASE_LOCK_S - 10)
    assert recorded_failures(accounts) == auth.FREE_FAILURES + 1


def test_a_right_password_after_the_lock_runs_out_signs_in_and_clears_the_count(accounts, checks):
    for i in range(auth.FREE_FAILURES):
        with pytest.raises(AuthError):
            auth.login(accounts, "lan", f"guess-{i}", CLIENT, now=T0)
    later = T0 + timedelta(seconds=auth.BASE_LOCK_S + 1)
    assert auth.login(accounts, "lan", PASSWORD, CLIENT, now=later).account == "lan"
    assert recorded_failures(accounts) == 0
    for i in range(auth.FREE_FAILURES - 1):  # a fresh allowance: plain refusals again, no lock
        with pytest.raises(AuthError, match="wrong account name or password"):
            auth.login(accounts, "lan", f"new-guess-{i}", CLIENT, now=later)
    assert checks.calls == 2 * auth.FREE_FAILURES


def test_an_unknown_account_costs_one_password_check_and_is_throttled_the_same(accounts, checks):
    for i in range(auth.FREE_FAILURES - 1):
        with pytest.raises(AuthError, match="wrong account name or password"):
            auth.login(accounts, "nobody", f"guess-{i}", CLIENT, now=T0)
    assert checks.calls == auth.FREE_FAILURES - 1  # the dummy hash: as slow as a real account
    with pytest.raises(LockedOut):
        auth.login(accounts, "nobody", "guess", CLIENT, now=T0)
    assert recorded_failures(accounts, "nobody") == auth.FREE_FAILURES


def test_forty_parallel_checks_never_run_more_than_the_cap_at_once(accounts, checks):
    checks.hold_s = 0.05
    outcomes = in_parallel(40, lambda i: auth.login(accounts, "lan", f"guess-{i}", f"198.51.100.{i}", now=T0))
    only_refusals(outcomes)
    assert checks.max_running == auth.MAX_PARALLEL_CHECKS
    assert all(recorded_failures(accounts, "lan", f"198.51.100.{i}") == 1 for i in range(40))


def test_a_sign_in_that_waits_too_long_for_a_check_is_refused_as_busy_and_counted(accounts, checks, monkeypatch):
    monkeypatch.setattr(auth, "BUSY_WAIT_S", 0.05)
    checks.hold_s = 2.0
    clients = [f"198.51.100.{i}" for i in range(auth.MAX_PARALLEL_CHECKS + 3)]
    outcomes = in_parallel(len(clients), lambda i: auth.login(accounts, "lan", PASSWORD, clients[i], now=T0))
    busy = [o for o in outcomes if isinstance(o, auth.Busy)]
    assert issubclass(auth.Busy, AuthError) and busy and "try again in a moment" in str(busy[0])
    assert checks.max_running <= auth.MAX_PARALLEL_CHECKS
    assert sum(isinstance(o, auth.Session) for o in outcomes) + len(busy) == len(clients)
    # a busy refusal was an attempt: it is counted (a success clears its client's count)
    assert sum(recorded_failures(accounts, "lan", c) for c in clients) == len(busy)


def test_a_refused_account_names_every_problem_with_its_catalog_key(store):
    from heza_geo import i18n

    with pytest.raises(AuthError) as refused:
        auth.add_account(store, "two words", "short", "guest")
    keys = [key for key, _ in refused.value.reasons]
    assert keys == ["auth.bad_name", "auth.bad_role", "auth.short_password"]
    assert all(i18n.has_translation(key, lang) for key in keys for lang in ("en", "vi", "ko", "ja", "zh"))
    assert i18n.t(*refused.value.reasons[2][:1], "vi", **refused.value.reasons[2][1]).startswith("Mật khẩu: ít nhất")
