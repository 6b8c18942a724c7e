"""Investors' enquiries: a visitor's form reaches HEZA's desk; staff follow it up in an inbox.

What callers use (a page is a few lines)::

    from heza_geo import enquiries
    sent = enquiries.submit(store, form, data, session=session_id, address=client_ip, settings=settings)
    for found in sent.problems:                  # each with its field, in the visitor's language
        st.error(i18n.problem_text(found, lang))
    if sent.accepted:
        st.success(i18n.t(sent.message_key, lang))

    inbox = store.enquiries(status="new", park="A")                  # staff only: see below
    store.update_enquiry(uuid, author="lan", status="contacted", note="called, visit on 12/5")
    store.erase_enquiry(uuid, author="lan")                           # the enquirer asked: gone
    store.purge_enquiries()                                           # older than RETENTION: gone
    data = enquiries.staffexport.to_xlsx(inbox, lang)                 # CSV too: to_csv

* :mod:`~heza_geo.enquiries.model`: the :class:`Enquiry`, :func:`check` (every problem of a form),
  the honeypot, the rate limits, the privacy notice the visitor consents to.
* The store keeps enquiries in its own tables (:mod:`heza_geo.store.sql`: ``add_enquiry``,
  ``enquiries``, ``enquiry``, ``update_enquiry``), never in a layer: no public read, export, static
  file or page sees them. Only a signed-in staff member (``auth.can(role, "read_confidential")``)
  may be shown the inbox; the page checks the role.
* :mod:`~heza_geo.enquiries.notify`: the desk's e-mail, when ``smtp_url`` is set, after storing.
* :mod:`~heza_geo.enquiries.staffexport`: the inbox as CSV/XLSX, safe against formula injection.
* An offline laptop's enquiries go to the shared store with ``python -m heza_geo sync --to URL``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from heza_geo import i18n
from heza_geo.enquiries import notify, staffexport
from heza_geo.enquiries.model import (
    HONEYPOT,
    PRIVACY_NOTICE,
    RATE_LIMITS,
    RETENTION,
    STATUSES,
    TIMEFRAMES,
    Enquiry,
    EnquiryStore,
    Event,
    Limit,
    check,
    client_hash,
    is_spam,
    new_uuid,
    places,
)
from heza_geo.errors import DataError, Problem

if TYPE_CHECKING:
    from heza_geo.config import Settings
    from heza_geo.io import Dataset

__all__ = [
    "HONEYPOT",
    "PRIVACY_NOTICE",
    "RATE_LIMITS",
    "RETENTION",
    "STATUSES",
    "TIMEFRAMES",
    "Enquiry",
    "EnquiryStore",
    "Event",
    "Limit",
    "Submission",
    "check",
    "client_hash",
    "is_spam",
    "new_uuid",
    "notify",
    "places",
    "staffexport",
    "submit",
]


@dataclass(frozen=True)
class Submission:
    """What became of a form: ``stored``, ``already`` (the same form sent again: stored once),
    ``spam`` (the honeypot: dropped, but the visitor is thanked like anyone) or ``refused``
    (``problems`` say why, each for its field; nothing stored)."""

    outcome: Literal["stored", "already", "spam", "refused"]
    problems: list[Problem] = field(default_factory=list)
    enquiry: Enquiry | None = None
    #: whether the desk was e-mailed (False without ``smtp_url``, or when the mail server failed: logged)
    emailed: bool = False

    @property
    def accepted(self) -> bool:
        """Whether the visitor is thanked (a robot caught by the honeypot is too, none the wiser)."""
        return self.outcome != "refused"

    @property
    def message_key(self) -> str:
        """The catalog key of what the visitor is told."""
        return "enquiry.thanks" if self.accepted else "enquiry.refused"


def submit(store: EnquiryStore, form: Mapping[str, Any], data: Dataset, session: str, address: str,
           settings: Settings, now: datetime | None = None) -> Submission:
    """Check ``form``, store the enquiry within the rate limits, then e-mail the desk if configured.

    ``session`` and ``address`` (the browser session's id and the client's address) are kept only as
    hashes, for the limits (:mod:`heza_geo.enquiries.model`); an empty one (unknown) is not counted: an
    unknown address is no address, not one that every visitor shares. The enquiry is stored before any
    e-mail is tried, so a mail server's failure loses nothing (:mod:`heza_geo.enquiries.notify`).
    """
    if is_spam(form):
        return Submission("spam")
    park_ids, plot_parks = places(data)
    enquiry, problems = check(form, park_ids, plot_parks, now=now)
    if enquiry is None:
        return Submission("refused", problems)
    try:
        added = store.add_enquiry(enquiry, client_hash(session) if session else None,
                                  client_hash(address) if address else None, RATE_LIMITS, now=now)
    except DataError as exc:
        return Submission("refused", exc.problems)
    if not added:
        return Submission("already", enquiry=enquiry)
    names = i18n.names(data.parks, "park_id", settings.enquiry_language)
    return Submission("stored", enquiry=enquiry, emailed=notify.send(enquiry, settings, names))
