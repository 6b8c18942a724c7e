"""Who may do what: public readers, staff who edit and import, admins who manage accounts.

* **public** (investors, anyone without a login): read-only, and never sees a column the schema
  marks ``confidential`` (tenant contacts, negotiated prices, internal notes): every public read
  goes through :func:`public_view` / :func:`public_dataset`.
* **staff**: edit records and import files. **admin**: staff, plus managing accounts.

Accounts live in the store (table ``accounts``) with argon2id password hashes; there is no
default account and no secret in the repository: the first admin is made on the command line,
``python -m heza_geo user add NAME --role admin`` (password from a prompt or ``HEZA_PASSWORD``).

Logins are throttled per account and client address, in the store so that several app servers
share the count: after :data:`FREE_FAILURES` failures each further failure locks that pair out
for twice as long as the one before (from :data:`BASE_LOCK_S`, at most :data:`MAX_LOCK_S`).
A login opens a server-side session: a random token (only its SHA-256 is stored) that expires
after ``Settings.session_hours``.

A deployment with an identity provider can use Streamlit's OIDC login instead
(``st.login``, configured in ``.streamlit/secrets.toml`` under ``[auth]``); see
``pages/data_management.py``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from heza_geo.schema import LAYERS, LayerSchema

if TYPE_CHECKING:
    from heza_geo.io import Dataset
    from heza_geo.store.base import Store

Role = Literal["public", "staff", "admin"]
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


class AuthError(ValueError):
    """A login or account operation was refused; the message can be shown as it is."""


class LockedOut(AuthError):
    """Too many failed logins for this account from this address."""

    def __init__(self, retry_after_s: float):
        self.retry_after_s = retry_after_s
        super().__init__(f"too many failed logins: try again in {int(retry_after_s) + 1} s")


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
    return replace(data, **{name: public_view(data.layer(name), schema) for name, schema in LAYERS.items()})


# --- passwords and accounts --------------------------------------------------------------------
def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _ts(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_new_account(name: str, password: str, role: str) -> list[str]:
    """What is wrong with a new account (empty list = fine)."""
    problems = []
    if not name or not name.strip() or len(name.strip()) > 64 or any(ch.isspace() for ch in name.strip()):
        problems.append("account name must be 1-64 characters without spaces")
    if role not in ACCOUNT_ROLES:
        problems.append(f"role must be one of {', '.join(ACCOUNT_ROLES)}")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        problems.append(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return problems


def add_account(store: Store, name: str, password: str, role: str, now: datetime | None = None) -> None:
    """Create an account; :class:`AuthError` if the name is taken or the input is not acceptable."""
    problems = check_new_account(name, password, role)
    if problems:
        raise AuthError("; ".join(problems))
    name = name.strip()
    if store.execute('SELECT 1 FROM "accounts" WHERE "name" = ?', (name,)):
        raise AuthError(f"account {name!r} exists already")
    store.execute('INSERT INTO "accounts" ("name", "role", "password_hash", "created_at", "disabled") VALUES (?, ?, ?, ?, 0)',
                  (name, role, hash_password(password), _now(now).isoformat()))


def set_password(store: Store, name: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
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
        raise AuthError(f"no account {name!r}")


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
    account and a wrong password) or :class:`LockedOut`."""
    now = _now(now)
    key = _throttle_key(name, client)
    throttle = store.execute('SELECT "failures", "locked_until" FROM "login_failures" WHERE "throttle_key" = ?', (key,))
    failures = int(throttle[0][0]) if throttle else 0
    locked_until = _ts(throttle[0][1]) if throttle else None
    if locked_until is not None and locked_until > now:
        raise LockedOut((locked_until - now).total_seconds())
    rows = store.execute('SELECT "password_hash", "role", "disabled" FROM "accounts" WHERE "name" = ?', (name.strip(),))
    ok = False
    try:
        ok = _hasher.verify(rows[0][0] if rows else _DUMMY_HASH, password or "") and bool(rows) and not rows[0][2]
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        failures += 1
        lock = lock_seconds(failures)
        until = (now + timedelta(seconds=lock)).isoformat() if lock else None
        if throttle:
            store.execute('UPDATE "login_failures" SET "failures" = ?, "locked_until" = ?, "last_at" = ? '
                          'WHERE "throttle_key" = ?', (failures, until, now.isoformat(), key))
        else:
            store.execute('INSERT INTO "login_failures" ("throttle_key", "failures", "locked_until", "last_at") '
                          'VALUES (?, ?, ?, ?)', (key, failures, until, now.isoformat()))
        if lock:
            raise LockedOut(lock)
        raise AuthError("wrong account name or password")
    if throttle:
        store.execute('DELETE FROM "login_failures" WHERE "throttle_key" = ?', (key,))
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=session_hours)
    store.execute('DELETE FROM "sessions" WHERE "expires_at" < ?', (now.isoformat(),))
    store.execute('INSERT INTO "sessions" ("token_hash", "account", "created_at", "expires_at") VALUES (?, ?, ?, ?)',
                  (_token_hash(token), name.strip(), now.isoformat(), expires.isoformat()))
    return Session(token, name.strip(), rows[0][1], expires)


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
