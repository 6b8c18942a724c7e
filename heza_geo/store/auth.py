"""Who may do what: public readers, staff who edit and import, admins who manage accounts.

* **public** (investors, anyone without a login): read-only, and never sees a column the schema
  marks ``confidential`` (tenant contacts, negotiated prices, internal notes): every public read
  goes through :func:`public_view` / :func:`public_dataset`.
* **staff**: edit records and import files. **admin**: staff, plus managing accounts.

Accounts live in the store (table ``accounts``) with argon2id password hashes; there is no
default account and no secret in the repository: the first admin is made on the command line,
``python -m heza_geo user add NAME --role admin`` (password from a prompt or ``HEZA_PASSWORD``).

Logins are throttled per account and client address, in the store so that several app servers
share the count: the :data:`FREE_FAILURES`-th failed attempt locks that pair out, and each further
attempt after a lock makes the next lock twice as long (from :data:`BASE_LOCK_S`, at most
:data:`MAX_LOCK_S`).

The throttle holds when sign-ins arrive in parallel (from several threads or app servers):

* **Count first, then decide, then check.** Every attempt is counted *before* its password is
  checked, by one statement that increments and returns the count (``INSERT … ON CONFLICT
  ("throttle_key") DO UPDATE SET "failures" = "failures" + 1 … RETURNING``, SQLite ≥ 3.35 and
  PostgreSQL), so parallel attempts get distinct numbers and none is lost. The count is of
  attempts since the last successful login, including ones refused while locked out, and the
  lock after attempt *n* is :func:`lock_seconds` (*n*): hammering a locked pair only makes its
  next lock longer. A success deletes the count (and with it any lock).
* **The lock is decided before the check.** An attempt while the pair is locked is refused with
  :class:`LockedOut` without any argon2 check (even with the right password). The first
  :data:`FREE_FAILURES` - 1 attempts are checked freely; from attempt :data:`FREE_FAILURES` on,
  an attempt is checked only if it wins the lock for itself first: a conditional ``UPDATE`` that
  sets ``locked_until`` only where no lock is running, so of any number of parallel attempts one
  gets a check per lock period (at most :data:`FREE_FAILURES` checks until the first lock).
* **At most** :data:`MAX_PARALLEL_CHECKS` **password checks run at once in a process** (each
  argon2 check takes 64 MiB). An attempt that cannot start its check within :data:`BUSY_WAIT_S`
  is refused with :class:`Busy` ("busy, try again in a moment"), without a check. A busy refusal
  *is* counted: it was counted before it queued, and taking the count back would reopen the
  race this design closes; the cost is that a user who meets a busy server spends one of their
  free attempts.
* Unknown accounts are counted, locked and checked (against a dummy hash) exactly like known
  ones, and get the same message as a wrong password.

A login opens a server-side session: a random token (only its SHA-256 is stored) that expires
after ``Settings.session_hours``.

A deployment with an identity provider can use Streamlit's OIDC login instead
(``st.login``, configured in ``.streamlit/secrets.toml`` under ``[auth]``); see
``pages/data_management.py``.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from heza_geo.errors import AuthError, Busy, LockedOut
from heza_geo.schema import LAYERS, LayerSchema

if TYPE_CHECKING:
    from heza_geo.io import Dataset
    from heza_geo.store.base import Store

Role = Literal["public", "staff", "admin"]
#: the author of the store's first version, the data it was initialised from: the app, not a person,
#: so no account may take the name (the staff page names it in its reader's language)
SYSTEM_AUTHOR = "system"
ROLES: tuple[Role, ...] = ("public", "staff", "admin")
ACCOUNT_ROLES: tuple[Role, ...] = ("staff", "admin")
_PERMISSIONS: dict[str, tuple[Role, ...]] = {
    "read": ("public", "staff", "admin"),
    "read_confidential": ("staff", "admin"),
    "edit": ("staff", "admin"),
    "import": ("staff", "admin"),
    "manage_accounts": ("admin",),
}
MIN_PASSWORD_LENGTH = 10
FREE_FAILURES = 5
BASE_LOCK_S = 30.0
MAX_LOCK_S = 3600.0
#: password checks (argon2, 64 MiB each) that may run at the same time in one process
MAX_PARALLEL_CHECKS = 2
#: how long a sign-in waits for a free password check before it is refused as :class:`Busy`
BUSY_WAIT_S = 2.0

#: the store's tables for accounts (created by the store, see heza_geo.store.sql)
AUTH_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "accounts": (("name", "text"), ("role", "text"), ("password_hash", "text"), ("created_at", "timestamp"),
                 ("disabled", "int")),
    "sessions": (("token_hash", "text"), ("account", "text"), ("created_at", "timestamp"), ("expires_at", "timestamp")),
    "login_failures": (("throttle_key", "text"), ("failures", "int"), ("locked_until", "timestamp"),
                       ("last_at", "timestamp")),
}
#: the column of each auth table that is unique
AUTH_UNIQUE: dict[str, str] = {"accounts": "name", "sessions": "token_hash", "login_failures": "throttle_key"}

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password: equalises the time of unknown-account logins")
_checks = threading.BoundedSemaphore(MAX_PARALLEL_CHECKS)


@dataclass(frozen=True)
class Session:
    token: str
    account: str
    role: Role
    expires_at: datetime


def can(role: str | None, action: str) -> bool:
    """Whether ``role`` (None = public) may ``action`` (read, read_confidential, edit, import, manage_accounts)."""
    if action not in _PERMISSIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(_PERMISSIONS)}")
    return (role or "public") in _PERMISSIONS[action]


# --- what the public may see ------------------------------------------------------------------
def public_view(frame: pd.DataFrame, schema: LayerSchema) -> pd.DataFrame:
    """``frame`` without the schema's confidential columns (the only view a public session gets)."""
    hidden = [c for c in schema.confidential_columns if c in frame.columns]
    return frame.drop(columns=hidden) if hidden else frame


def public_dataset(data: Dataset) -> Dataset:
    """Every layer of ``data`` through :func:`public_view`."""
    frames = {name: public_view(data.layer(name), schema) for name, schema in LAYERS.items()}
    return replace(data, **frames)  # type: ignore[arg-type]  # a frame per layer field, of the type it had


# --- passwords and accounts --------------------------------------------------------------------
def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    """A UTC time as text of one fixed shape, so that SQLite compares stored times as text correctly."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _ts(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _account_problems(name: str, password: str, role: str) -> list[tuple[str, str, dict[str, object]]]:
    """What is wrong with a new account: (English line, catalog key, parameters) for each."""
    problems: list[tuple[str, str, dict[str, object]]] = []
    if not name or not name.strip() or len(name.strip()) > 64 or any(ch.isspace() for ch in name.strip()):
        problems.append(("account name must be 1-64 characters without spaces", "auth.bad_name", {}))
    elif name.strip().casefold() == SYSTEM_AUTHOR:
        problems.append((f"the account name {SYSTEM_AUTHOR!r} is the app's own, for the data it loaded first",
                         "auth.reserved_name", {"name": name.strip()}))
    if role not in ACCOUNT_ROLES:
        problems.append((f"role must be one of {', '.join(ACCOUNT_ROLES)}", "auth.bad_role",
                         {"roles": ", ".join(ACCOUNT_ROLES)}))
    if len(password or "") < MIN_PASSWORD_LENGTH:
        problems.append((f"password must have at least {MIN_PASSWORD_LENGTH} characters", "auth.short_password",
                         {"n": MIN_PASSWORD_LENGTH}))
    return problems


def check_new_account(name: str, password: str, role: str) -> list[str]:
    """What is wrong with a new account (empty list = fine)."""
    return [english for english, _, _ in _account_problems(name, password, role)]


def add_account(store: Store, name: str, password: str, role: str, now: datetime | None = None) -> None:
    """Create an account; :class:`AuthError` if the name is taken or the input is not acceptable
    (every problem at once, each with its catalog key)."""
    problems = _account_problems(name, password, role)
    if problems:
        raise AuthError("; ".join(p[0] for p in problems), [(key, params) for _, key, params in problems])
    name = name.strip()
    if store.execute('SELECT 1 FROM "accounts" WHERE "name" = ?', (name,)):
        raise AuthError(f"account {name!r} exists already", [("auth.exists", {"name": name})])
    store.execute('INSERT INTO "accounts" ("name", "role", "password_hash", "created_at", "disabled") '
                  "VALUES (?, ?, ?, ?, 0)", (name, role, hash_password(password), _now(now).isoformat()))


def set_password(store: Store, name: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError(f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                        [("auth.short_password", {"n": MIN_PASSWORD_LENGTH})])
    _require_account(store, name)
    store.execute('UPDATE "accounts" SET "password_hash" = ? WHERE "name" = ?', (hash_password(password), name))
    store.execute('DELETE FROM "sessions" WHERE "account" = ?', (name,))


def set_role(store: Store, name: str, role: str) -> None:
    if role not in ACCOUNT_ROLES:
        raise AuthError(f"role must be one of {', '.join(ACCOUNT_ROLES)}")
    _require_account(store, name)
    store.execute('UPDATE "accounts" SET "role" = ? WHERE "name" = ?', (role, name))
    store.execute('DELETE FROM "sessions" WHERE "account" = ?', (name,))


def set_disabled(store: Store, name: str, disabled: bool) -> None:
    _require_account(store, name)
    store.execute('UPDATE "accounts" SET "disabled" = ? WHERE "name" = ?', (1 if disabled else 0, name))
    if disabled:
        store.execute('DELETE FROM "sessions" WHERE "account" = ?', (name,))


def _require_account(store: Store, name: str) -> None:
    if not store.execute('SELECT 1 FROM "accounts" WHERE "name" = ?', (name,)):
        raise AuthError(f"no account {name!r}", [("auth.no_account", {"name": name})])


def account_role(store: Store, name: str) -> Role | None:
    """The role of an active account, or None: how an identity from OIDC (``st.login``) maps to a role."""
    rows = store.execute('SELECT "role", "disabled" FROM "accounts" WHERE "name" = ?', ((name or "").strip(),))
    return rows[0][0] if rows and not rows[0][1] else None


def list_accounts(store: Store) -> pd.DataFrame:
    """Accounts without their hashes: name, role, created_at, disabled."""
    rows = store.execute('SELECT "name", "role", "created_at", "disabled" FROM "accounts" ORDER BY "name"')
    frame = pd.DataFrame(rows, columns=["name", "role", "created_at", "disabled"])
    frame["disabled"] = frame["disabled"].astype(bool)
    return frame


# --- logins and sessions ------------------------------------------------------------------------
def _throttle_key(name: str, client: str) -> str:
    return f"{name.strip().lower()}|{client or '?'}"


def lock_seconds(failures: int) -> float:
    """How long the ``failures``-th failure locks the pair out (0 while under :data:`FREE_FAILURES`)."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(BASE_LOCK_S * 2 ** (failures - FREE_FAILURES), MAX_LOCK_S)


def login(store: Store, name: str, password: str, client: str, session_hours: float = 8.0,
          now: datetime | None = None) -> Session:
    """Check the password and open a session; :class:`AuthError` (same message for an unknown
    account and a wrong password), :class:`LockedOut` or :class:`Busy`. Safe to call from many
    threads and servers at once: see the module docstring for the order count, lock, check."""
    now = _now(now)
    key = _throttle_key(name, client)
    attempt, locked_until = _count_attempt(store, key, now)
    if locked_until is not None and locked_until > now:
        raise LockedOut((locked_until - now).total_seconds())
    lock = lock_seconds(attempt)
    if lock and not _claim_lock(store, key, now, now + timedelta(seconds=lock)):
        raise LockedOut(_lock_left(store, key, now))  # a parallel attempt took this lock period's check
    rows = store.execute('SELECT "password_hash", "role", "disabled" FROM "accounts" WHERE "name" = ?', (name.strip(),))
    ok = _check_password(rows[0][0] if rows else _DUMMY_HASH, password or "") and bool(rows) and not rows[0][2]
    if not ok:
        if lock:
            raise LockedOut(lock)
        raise AuthError("wrong account name or password")
    store.execute('DELETE FROM "login_failures" WHERE "throttle_key" = ?', (key,))
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=session_hours)
    store.execute('DELETE FROM "sessions" WHERE "expires_at" < ?', (now.isoformat(),))
    store.execute('INSERT INTO "sessions" ("token_hash", "account", "created_at", "expires_at") VALUES (?, ?, ?, ?)',
                  (_token_hash(token), name.strip(), now.isoformat(), expires.isoformat()))
    return Session(token, name.strip(), rows[0][1], expires)


def _count_attempt(store: Store, key: str, now: datetime) -> tuple[int, datetime | None]:
    """Count one attempt of ``key`` atomically: (its number since the last success, the lock it met)."""
    rows = store.execute(
        'INSERT INTO "login_failures" ("throttle_key", "failures", "locked_until", "last_at") VALUES (?, 1, NULL, ?) '
        'ON CONFLICT ("throttle_key") DO UPDATE SET "failures" = "login_failures"."failures" + 1, '
        '"last_at" = excluded."last_at" RETURNING "failures", "locked_until"', (key, _iso(now)))
    return int(rows[0][0]), _ts(rows[0][1])


def _claim_lock(store: Store, key: str, now: datetime, until: datetime) -> bool:
    """Lock ``key`` until ``until`` if no lock is running; whether this call set it (then its attempt is checked)."""
    return bool(store.execute(
        'UPDATE "login_failures" SET "locked_until" = ? WHERE "throttle_key" = ? '
        'AND ("locked_until" IS NULL OR "locked_until" <= ?) RETURNING "failures"', (_iso(until), key, _iso(now))))


def _lock_left(store: Store, key: str, now: datetime) -> float:
    rows = store.execute('SELECT "locked_until" FROM "login_failures" WHERE "throttle_key" = ?', (key,))
    until = _ts(rows[0][0]) if rows else None
    return max((until - now).total_seconds(), 1.0) if until else 1.0


def _check_password(password_hash: str, password: str) -> bool:
    """One argon2 check, at most :data:`MAX_PARALLEL_CHECKS` at once; :class:`Busy` after :data:`BUSY_WAIT_S`."""
    if not _checks.acquire(timeout=BUSY_WAIT_S):
        raise Busy()
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    finally:
        _checks.release()


def session_for(store: Store, token: str | None, now: datetime | None = None) -> Session | None:
    """The live session of ``token`` (with the account's current role), or None if unknown or expired."""
    if not token:
        return None
    rows = store.execute('SELECT s."account", s."expires_at", a."role", a."disabled" FROM "sessions" s '
                         'JOIN "accounts" a ON a."name" = s."account" WHERE s."token_hash" = ?', (_token_hash(token),))
    if not rows:
        return None
    account, expires, role, disabled = rows[0]
    expires_at = _ts(expires)
    if disabled or expires_at is None or expires_at <= _now(now):
        logout(store, token)
        return None
    return Session(token, account, role, expires_at)


def logout(store: Store, token: str) -> None:
    store.execute('DELETE FROM "sessions" WHERE "token_hash" = ?', (_token_hash(token),))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def oidc_expiry(issued_at: object, session_hours: float) -> datetime | None:
    """When a single-sign-on (OIDC, ``st.login``) session ends: ``session_hours`` after the identity
    token was issued (its ``iat`` claim, seconds since 1970), as for a password session. None when
    the provider sent no usable ``iat``: such an identity is not accepted (it would never expire).

    >>> oidc_expiry(0, 8.0).isoformat()
    '1970-01-01T08:00:00+00:00'
    >>> oidc_expiry("not a time", 8.0) is None
    True
    """
    try:
        issued = datetime.fromtimestamp(float(issued_at), UTC)  # type: ignore[arg-type]  # what float() refuses is caught
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return issued + timedelta(hours=session_hours)
