"""An investor's enquiry: what it holds, what makes it acceptable, and the limits against abuse.

Decisions a reader must know:

* **Text is data, never markup.** Every field is kept exactly as typed (only invisible control
  characters are dropped) and must be shown as plain text everywhere: ``st.text``/``st.dataframe``,
  or :func:`heza_geo.text.md_escape` in Markdown, :func:`html.escape` in HTML, the e-mail is
  ``text/plain``, the staff export goes through :mod:`heza_geo.text`'s spreadsheet rules. A
  message "<script>…" comes back as those characters (``tests/enquiries/test_model.py``).
* **One problem per field, in the visitor's language.** :func:`check` returns every problem at once,
  each a :class:`~heza_geo.errors.Problem` with a catalog key (``enquiry.problem.*``) and the field
  it is about, so a form shows each next to its widget and loses nothing typed.
* **Consent names the notice.** The visitor agrees to :data:`PRIVACY_NOTICE`, a catalog key whose
  text (five languages) says who processes the data, why (answering this enquiry), how long it is
  kept, the visitor's rights and whom to ask, as Vietnam's Decree 13/2023/NĐ-CP on personal data
  asks. A changed notice gets a new key (``…v2``), so each enquiry keeps the text it agreed to.
* **A honeypot** field (:data:`HONEYPOT`, hidden from people by the form) filled in means a robot:
  the enquiry is dropped without a word of why; the visitor sees the same thanks as anyone.
* **Rate limits** (:data:`RATE_LIMITS`) per browser session and per client address are counted in the
  store, so several app servers share them. Session and address are kept only as hashes
  (:func:`client_hash`), and only while a limit can still need them: an IPv4 address's hash can be
  reversed by trying every address, so the store erases the hashes once :data:`LIMIT_WINDOW` has passed.
* **Kept no longer than promised.** The notice says "at most 24 months after our last contact, then
  deleted": the store deletes an enquiry and its history once :data:`RETENTION` has passed since its
  last event (``purge_enquiries``, run when an enquiry comes in and when the inbox opens), and staff
  erase one at the enquirer's request (``erase_enquiry``). Only the uuid, the time, who and why stay
  (``enquiry_erasures``), so a laptop's copy synced later does not bring it back.
* **Status** moves along :data:`STATUSES` (new → contacted → site_visit → won / lost); staff may set any
  of them (a mistake is put right by another change), and each change, assignment and internal note is
  an :class:`Event` of the enquiry's history, with its author and time.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import uuid as uuidlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from babel import Locale

from heza_geo.config import LANGUAGES
from heza_geo.errors import Problem
from heza_geo.io.validation import problem
from heza_geo.schema import SECTORS

if TYPE_CHECKING:
    from heza_geo.io import Dataset

#: where an enquiry's problems say they come from (``Problem.file``)
WHERE = "enquiry"
#: the pipeline of an enquiry, in order
STATUSES: tuple[str, ...] = ("new", "contacted", "site_visit", "won", "lost")
#: when the investor means to start
TIMEFRAMES: tuple[str, ...] = ("under_6_months", "6_to_12_months", "1_to_2_years", "over_2_years", "undecided")
#: the catalog key of the privacy notice a visitor consents to (its text is the version: change it, add v2)
PRIVACY_NOTICE = "enquiry.privacy.v1"
#: the form's hidden field: people leave it empty, form-filling robots do not
HONEYPOT = "website"
#: who the first event of an enquiry is by: the visitor, through the form
ENQUIRER = "enquirer"
#: kinds of history event
EVENT_KINDS: tuple[str, ...] = ("submitted", "status", "assignee", "note")

#: the longest text each field takes (characters); a message of about two pages
MAX_CHARS: dict[str, int] = {"name": 120, "company": 200, "country": 2, "email": 254, "phone": 32,
                             "message": 5000, "note": 5000, "assignee": 64}
#: all text fields of one enquiry together: less than the fields' limits added up, so a full message leaves
#: room for a name, a company and an address but not for every field at its longest
MAX_TOTAL_CHARS = 5400
#: how many parks and plots one enquiry may be about
MAX_PLACES = 20
#: the most land an enquiry may ask for (ha): more than the whole economic zone is a typo
MAX_LAND_HA = 10_000.0


@dataclass(frozen=True)
class Limit:
    """At most ``count`` enquiries per ``window`` from one ``scope`` ("session" or "address"); ``key``
    is the catalog message the refused visitor reads (parameters ``n`` and ``minutes``)."""

    scope: str
    count: int
    window: timedelta
    key: str


#: Rate limits: 3 enquiries per 10 minutes from one browser session (a person with a second thought
#: gets through; a script does not), 10 per hour from one address (a trade fair's shared Wi-Fi lets a
#: queue of visitors through; a flood from one host stops). Counted over stored enquiries.
RATE_LIMITS: tuple[Limit, ...] = (
    Limit("session", 3, timedelta(minutes=10), "enquiry.problem.rate_session"),
    Limit("address", 10, timedelta(hours=1), "enquiry.problem.rate_address"),
)
#: how long a client hash may be needed: the longest window; older hashes are erased
LIMIT_WINDOW = max(limit.window for limit in RATE_LIMITS)
#: how long an enquiry is kept after its last event (the last contact): the privacy notice's "at most
#: 24 months", counted as 730 days so that no enquiry outlives the promise by a leap day
RETENTION = timedelta(days=730)
#: why an enquiry was erased: the enquirer asked (a staff member erased it), or :data:`RETENTION` ran out
ERASURE_REASONS: tuple[str, ...] = ("request", "retention")

_EMAIL = re.compile(r"^[^@\s<>\"(),;:\\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{6,32}$")
_TEXT_FIELDS = ("name", "company", "country", "email", "phone", "message")


@dataclass(frozen=True)
class Event:
    """One line of an enquiry's history: ``kind`` (submitted, status, assignee, note) and its value."""

    at: datetime
    author: str
    kind: str
    value: str = ""


@dataclass(frozen=True)
class Enquiry:
    """An enquiry as stored; built from a form by :func:`check`. Text fields are plain text (module docstring)."""

    uuid: str
    name: str
    email: str = ""
    phone: str = ""
    company: str = ""
    country: str = ""
    sector: str = ""
    land_ha: float | None = None
    timeframe: str = ""
    language: str = "vi"
    message: str = ""
    consent_notice: str = PRIVACY_NOTICE
    parks: tuple[str, ...] = ()
    plots: tuple[str, ...] = ()
    submitted_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    status: str = "new"
    assignee: str = ""
    history: tuple[Event, ...] = ()

    @property
    def notes(self) -> list[Event]:
        """The internal notes, oldest first."""
        return [e for e in self.history if e.kind == "note"]


class EnquiryStore(Protocol):
    """What :func:`heza_geo.enquiries.submit` needs of a store (:class:`heza_geo.store.sql.SqlStore` has it)."""

    def add_enquiry(self, enquiry: Enquiry, session_hash: str | None = None, address_hash: str | None = None,
                    limits: Sequence[Limit] = (), now: datetime | None = None) -> bool: ...


def new_uuid() -> str:
    """A client-generated id for a form: made once when the form opens, so sending twice stores once."""
    return str(uuidlib.uuid4())


def client_hash(value: str) -> str:
    """A session id or an address as kept for the rate limits: a SHA-256, never the value."""
    return hashlib.sha256(f"heza-enquiry|{value}".encode()).hexdigest()


def clean_text(value: object, one_line: bool = True) -> str:
    """``value`` as text without invisible control characters (a message keeps its line breaks and tabs),
    trimmed; None gives "". Nothing visible is changed: "<script>" stays "<script>".

    >>> clean_text("  Lan\\x00 <b>Ng</b>\\u200e "), clean_text("a\\r\\nb", one_line=False)
    ('Lan <b>Ng</b>', 'a\\nb')
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    keep = "\n\t" if not one_line else ""
    text = "".join(c for c in text if c in keep or unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(text.split()) if one_line else text.strip()


@cache
def _countries() -> frozenset[str]:
    """ISO 3166 two-letter codes Babel names (what :func:`heza_geo.i18n.country_name` can say)."""
    codes = (str(code) for code in Locale.parse("en").territories)
    return frozenset(code for code in codes if re.fullmatch(r"[A-Z]{2}", code))


def is_spam(form: Mapping[str, Any]) -> bool:
    """Whether the honeypot field was filled (then the enquiry is dropped quietly)."""
    return bool(str(form.get(HONEYPOT) or "").strip())


def _land(value: object) -> tuple[float | None, bool]:
    """The land asked for (ha), and whether the value was acceptable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)  # type: ignore[arg-type]  # float() says if not
    except (TypeError, ValueError):
        return None, False
    return (number, True) if math.isfinite(number) and 0 < number <= MAX_LAND_HA else (None, False)


def _ids(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[object] = [value] if isinstance(value, str) else value  # type: ignore[assignment]  # any iterable of ids
    return tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))


def check(form: Mapping[str, Any], park_ids: Iterable[str], plot_parks: Mapping[str, str],
          now: datetime | None = None) -> tuple[Enquiry | None, list[Problem]]:
    """The enquiry a form describes and every problem with it (an enquiry only when there is none).

    Parameters
    ----------
    form
        The form's values by field name: ``uuid`` (from :func:`new_uuid`), ``name``, ``company``,
        ``country`` (ISO 3166 two-letter code), ``email``, ``phone``, ``sector`` (one of
        :data:`heza_geo.schema.SECTORS`), ``land_ha``, ``timeframe`` (one of :data:`TIMEFRAMES`),
        ``language`` (one of the app's languages), ``message``, ``consent`` (true), ``parks`` and
        ``plots`` (ids). The honeypot is not checked here: see :func:`is_spam`.
    park_ids, plot_parks
        The parks that exist, and each plot's park (the dataset's: :func:`places`), against which the
        parks and plots are checked. An enquiry about a plot is about its park too: the park is added
        to ``parks``, so the inbox finds it under the park.
    """
    problems: list[Problem] = []

    def refuse(key: str, field_name: str, **params: object) -> None:
        problems.append(problem(WHERE, "", key, None, field_name, None, **params))

    texts = {name: clean_text(form.get(name), one_line=name != "message") for name in _TEXT_FIELDS}
    texts["country"] = texts["country"].upper()
    for name, text in texts.items():
        if len(text) > MAX_CHARS[name]:
            refuse("enquiry.problem.too_long", name, n=len(text), max=MAX_CHARS[name])
    total = sum(len(text) for text in texts.values())
    if total > MAX_TOTAL_CHARS:
        refuse("enquiry.problem.total_too_long", "message", n=total, max=MAX_TOTAL_CHARS)
    if not texts["name"]:
        refuse("enquiry.problem.required", "name")
    if not texts["email"] and not texts["phone"]:
        refuse("enquiry.problem.no_contact", "email")
    if texts["email"] and len(texts["email"]) <= MAX_CHARS["email"] and not _EMAIL.match(texts["email"]):
        refuse("enquiry.problem.bad_email", "email")
    if texts["phone"] and len(texts["phone"]) <= MAX_CHARS["phone"] and (
            not _PHONE.match(texts["phone"]) or sum(c.isdigit() for c in texts["phone"]) < 6):
        refuse("enquiry.problem.bad_phone", "phone")
    if texts["country"] and texts["country"] not in _countries():
        refuse("enquiry.problem.bad_choice", "country", value=texts["country"])
    choices = {"sector": SECTORS, "timeframe": TIMEFRAMES, "language": LANGUAGES}
    chosen = {name: clean_text(form.get(name)) for name in choices}
    for name, allowed in choices.items():
        if chosen[name] and chosen[name] not in allowed:
            refuse("enquiry.problem.bad_choice", name, value=chosen[name][:40])
    land, ok = _land(form.get("land_ha"))
    if not ok:
        refuse("enquiry.problem.bad_land", "land_ha", max=f"{MAX_LAND_HA:,.0f}")
    if form.get("consent") is not True:
        refuse("enquiry.problem.no_consent", "consent")
    parks, plots = _ids(form.get("parks")), _ids(form.get("plots"))
    if len(parks) + len(plots) > MAX_PLACES:
        refuse("enquiry.problem.too_many_places", "parks", max=MAX_PLACES)
    else:
        known_parks = set(park_ids)
        for name, given, known in (("parks", parks, known_parks), ("plots", plots, set(plot_parks))):
            for unknown in [i for i in given if i not in known]:
                refuse("enquiry.problem.unknown_place", name, value=unknown[:40])
        parks = tuple(dict.fromkeys([*parks, *(plot_parks[p] for p in plots if plot_parks.get(p))]))
    uuid = clean_text(form.get("uuid"))
    try:
        uuid = str(uuidlib.UUID(uuid))
    except ValueError:
        refuse("enquiry.problem.bad_form", "uuid")
    if problems:
        return None, problems
    return Enquiry(uuid=uuid, name=texts["name"], email=texts["email"], phone=texts["phone"],
                   company=texts["company"], country=texts["country"], sector=chosen["sector"], land_ha=land,
                   timeframe=chosen["timeframe"], language=chosen["language"] or LANGUAGES[0],
                   message=texts["message"], consent_notice=PRIVACY_NOTICE, parks=parks, plots=plots,
                   submitted_at=(now or datetime.now(UTC)).astimezone(UTC)), []


def places(data: Dataset) -> tuple[list[str], dict[str, str]]:
    """The park ids and each plot's park in ``data``: what :func:`check` checks an enquiry's places against."""
    plots = data.plots
    return ([str(p) for p in data.parks["park_id"]],
            {str(plot): str(park) for plot, park in zip(plots["plot_id"], plots["park_id"], strict=True)})


def limit_problem(limit: Limit) -> Problem:
    """The problem a visitor sees when ``limit`` refuses an enquiry (in minutes, in their language)."""
    minutes = int(limit.window.total_seconds() // 60)
    return problem(WHERE, "", limit.key, None, None, None, n=limit.count, minutes=minutes)


def note_problem(key: str, field_name: str, **params: object) -> Problem:
    """A staff action's problem (an empty note, an unknown status), as :func:`check` says a form's."""
    return problem(WHERE, "", key, None, field_name, None, **params)
