"""The staff inbox of investors' enquiries (issue 17 §3): a tab of the Data management page.

What a staff member sees, top to bottom: the count of enquiries per status, a form of filters (status,
park, assignee, received since), the list newest first with its CSV and Excel copies, then the chosen
enquiry: every field, the privacy notice it agreed to, a form to follow it up (status, assignee, an
internal note) and its history.

Decisions a reader must know:

* **Confidential, checked here too.** The page shows the tab only to a role that may
  ``read_confidential`` (:func:`heza_geo.store.auth.can`); :func:`inbox_tab` checks again before it
  reads anything, so a page that forgot the check still shows nothing.
* **What investors typed is text, never markup** (:mod:`heza_geo.enquiries.model`): it is shown with
  ``st.text``, ``st.dataframe`` and select-box options, which draw characters as they are; a name
  "<b>x</b>" reads "<b>x</b>". Markdown carries only our own words.
* **One run per action.** The filters are a form (one run when applied), the enquiry is one select
  box, the follow-up is a form; downloads do not rerun (``on_click="ignore"``), and their files are
  written only when asked for (a callable ``data``), not on every run of the page.
* **The store decides** what a follow-up is: the form sends only what differs from the enquiry as
  shown (:func:`changes`), and the store refuses nothing at all ("nothing to change"), an empty or
  too long note, with each problem said in the reader's language; the form keeps what was typed (the
  note has no ``max_chars``, which would cut a long paste without a word: the store says how long).
  A save starts the form afresh from the stored enquiry (its fields are keyed by a generation) and
  the message of success is shown above the list.
* **Deleted when promised.** The first time a staff session opens the inbox, enquiries past the privacy
  notice's retention are deleted (``purge_enquiries``); an enquiry is erased at the enquirer's request
  behind a confirming box (``erase_enquiry``: only its id, the time and who stay).
* **No export but the safe ones.** ``st.dataframe``'s own "Download as CSV" would write what investors typed
  as it is (a formula for a spreadsheet): its button is hidden in the inbox's tables (:data:`NO_GRID_EXPORT`).
* **Times are UTC**, as the export and the page's other tables write them (the column names say so),
  dates in the reader's format.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import TypedDict

import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.staff import language_name, parks_by_name
from heza_geo.enquiries import STATUSES, Enquiry, Event, staffexport
from heza_geo.enquiries.model import ENQUIRER
from heza_geo.errors import DataError, StoreError
from heza_geo.store import Store, auth
from heza_geo.store.sql import SqlStore
from heza_geo.text import md_escape

log = logging.getLogger(__name__)

#: where the message of a saved follow-up waits for the next run
FLASH = "_inbox_flash"
#: whether this staff session has deleted the enquiries past their retention (once per session)
PURGED = "_inbox_purged"
#: each enquiry's form generation: a save starts its form afresh from the stored values
GENERATION = "_inbox_generation"
#: the tables' own "Download as CSV" (a toolbar button of ``st.dataframe``) is hidden in the inbox: its file
#: would carry a company typed as ``=HYPERLINK(…)`` as a formula; the inbox's exports are the safe ones
NO_GRID_EXPORT = ('<style>[class*="st-key-inbox_"] [data-testid="stElementToolbarButton"]'
                  ':has(button[aria-label^="Download"]) {display: none;}</style>')
#: the columns of the list, in order (each headed ``enquiry.field.<name>``)
LIST_COLUMNS = ("submitted_at", "status", "name", "company", "country", "parks", "land_ha", "timeframe", "assignee")


class Filters(TypedDict):
    """The store's arguments the filter form stands for (None: any)."""

    status: str | None
    park: str | None
    assignee: str | None
    since: datetime | None


class Changes(TypedDict, total=False):
    """What a follow-up asks the store to change (:meth:`heza_geo.store.sql.SqlStore.update_enquiry`)."""

    status: str
    assignee: str
    note: str


def when(at: datetime, lang: str) -> str:
    """A moment in UTC: the date in the reader's format and the time.

    >>> when(datetime(2026, 5, 4, 9, 5, tzinfo=UTC), "en"), when(datetime(2026, 5, 4, 9, 5, tzinfo=UTC), "ko")
    ('4 May 2026 09:05', '2026. 5. 4. 09:05')
    """
    at = at.astimezone(UTC)
    return f"{i18n.fmt_date(at, lang)} {at:%H:%M}"


def status_counts(enquiries: Sequence[Enquiry], lang: str) -> str:
    """How many enquiries are at each status, in pipeline order, statuses with none left out.

    >>> status_counts([Enquiry("1", "a"), Enquiry("2", "b", status="contacted"), Enquiry("3", "c")], "en")
    '2 New · 1 Contacted'
    """
    counts = Counter(e.status for e in enquiries)
    return " · ".join(i18n.t("inbox.count", lang, n=counts[s], status=i18n.t(f"enquiry.status.{s}", lang))
                      for s in STATUSES if counts[s])


def _places(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids)


def _land(enquiry: Enquiry, lang: str) -> str:
    return "" if enquiry.land_ha is None else i18n.fmt_number(enquiry.land_ha, lang, None)


def _timeframe(enquiry: Enquiry, lang: str) -> str:
    return i18n.t(f"enquiry.timeframe.{enquiry.timeframe}", lang) if enquiry.timeframe else ""


def _country(code: str, lang: str) -> str:
    return f"{i18n.country_name(code, lang)} ({code})" if code else ""


def inbox_table(enquiries: Sequence[Enquiry], lang: str, park_names: Mapping[str, str]) -> pd.DataFrame:
    """The list: one row per enquiry in the order given, headed in ``lang``, parks by their names."""
    rows = [{
        "submitted_at": when(e.submitted_at, lang),
        "status": i18n.t(f"enquiry.status.{e.status}", lang),
        "name": e.name,
        "company": e.company,
        "country": _country(e.country, lang),
        "parks": _places(e.parks, park_names),
        "land_ha": _land(e, lang),
        "timeframe": _timeframe(e, lang),
        "assignee": e.assignee,
    } for e in enquiries]
    frame = pd.DataFrame(rows, columns=list(LIST_COLUMNS))
    return frame.rename(columns={c: i18n.t(f"enquiry.field.{c}", lang) for c in LIST_COLUMNS})


def pick_label(enquiry: Enquiry, lang: str) -> str:
    """How an enquiry reads in the select box: received, name, company."""
    return " · ".join(part for part in (when(enquiry.submitted_at, lang), enquiry.name, enquiry.company) if part)


def details(enquiry: Enquiry, lang: str, park_names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every field of the enquiry but its message, as (label, value) in ``lang``; "—" for one not given."""
    values = {
        "submitted_at": when(enquiry.submitted_at, lang),
        "status": i18n.t(f"enquiry.status.{enquiry.status}", lang),
        "assignee": enquiry.assignee,
        "name": enquiry.name,
        "company": enquiry.company,
        "country": _country(enquiry.country, lang),
        "email": enquiry.email,
        "phone": enquiry.phone,
        "language": language_name(enquiry.language, lang) if enquiry.language else "",
        "sector": i18n.label("sector", enquiry.sector, lang) if enquiry.sector else "",
        "land_ha": _land(enquiry, lang),
        "timeframe": _timeframe(enquiry, lang),
        "parks": _places(enquiry.parks, park_names),
        "plots": ", ".join(enquiry.plots),
        "uuid": enquiry.uuid,
    }
    return [(i18n.t(f"enquiry.field.{name}", lang), value or i18n.MISSING) for name, value in values.items()]


def event_text(event: Event, lang: str) -> str:
    """What an event of the history did, in ``lang`` (a note's text as written)."""
    if event.kind == "status":
        return i18n.t("inbox.event.status", lang, status=i18n.t(f"enquiry.status.{event.value}", lang))
    if event.kind == "assignee":
        return (i18n.t("inbox.event.assignee", lang, assignee=event.value) if event.value
                else i18n.t("inbox.event.unassigned", lang))
    if event.kind == "note":
        return i18n.t("inbox.event.note", lang, note=event.value)
    return i18n.t("inbox.event.submitted", lang)


def history_table(enquiry: Enquiry, lang: str) -> pd.DataFrame:
    """The enquiry's history, oldest first: when (UTC), who, what."""
    return pd.DataFrame({
        i18n.t("dm.col_at", lang): [when(e.at, lang) for e in enquiry.history],
        i18n.t("dm.col_author", lang): [i18n.t("inbox.author.enquirer", lang) if e.author == ENQUIRER else e.author
                                        for e in enquiry.history],
        i18n.t("inbox.col_what", lang): [event_text(e, lang) for e in enquiry.history],
    })


def changes(enquiry: Enquiry, status: str, assignee: str | None, note: str) -> Changes:
    """What a follow-up form asks the store to change: only what differs from ``enquiry``, and a note
    when one is written ({} when nothing: the store refuses that, in the reader's language).

    >>> e = Enquiry("1", "Kim", assignee="lan")
    >>> changes(e, "new", "lan", "  "), changes(e, "contacted", "", "called")
    ({}, {'status': 'contacted', 'assignee': '', 'note': 'called'})
    """
    found: Changes = {}
    if status != enquiry.status:
        found["status"] = status
    if (assignee or "").strip() != enquiry.assignee:
        found["assignee"] = (assignee or "").strip()
    if note.strip():
        found["note"] = note
    return found


def download_name(kind: str, today: date) -> str:
    """The file name of an export: ``heza-enquiries-2026-05-04.xlsx``."""
    return f"heza-enquiries-{today.isoformat()}.{kind}"


def inbox_tab(store: Store, session: auth.Session | None, lang: str, park_names: Mapping[str, str]) -> None:
    """The inbox, for a signed-in ``session`` whose role may read confidential data; nothing at all
    (no read of the store) otherwise. ``park_names``: park id → name in ``lang``."""
    if session is None or not auth.can(session.role, "read_confidential") or not isinstance(store, SqlStore):
        return
    t = i18n.translator(lang)
    if message := st.session_state.pop(FLASH, None):
        st.success(message)
    if not st.session_state.get(PURGED):  # the privacy notice's 24 months, once per staff session
        purged = store.purge_enquiries()
        st.session_state[PURGED] = True
        if purged:
            log.info("inbox: %d enquiries past their retention deleted", purged)
    everything = store.enquiries()
    if not everything:
        st.info(t("inbox.empty"))
        return
    st.markdown(f"**{md_escape(status_counts(everything, lang))}**")
    filters = _filters(everything, lang, park_names)
    found = store.enquiries(**filters, history=True)
    if not found:
        st.info(t("inbox.no_match"))
        return
    st.html(NO_GRID_EXPORT)
    st.container(key="inbox_list_box").dataframe(inbox_table(found, lang, park_names), hide_index=True,
                                                 width="stretch", key="inbox_list")
    _downloads(found, lang)
    labels = {e.uuid: pick_label(e, lang) for e in found}
    chosen = st.selectbox(t("inbox.pick"), list(labels), key="inbox_pick", help=t("inbox.pick_help"),
                          format_func=lambda u: labels.get(u, u))
    enquiry = next((e for e in found if e.uuid == chosen), found[0])
    shown, follow = st.columns([3, 2], gap="large")
    with shown:
        _details(enquiry, lang, park_names)
    with follow:
        _follow_up(store, session, enquiry, lang)
        _erase(store, session, enquiry, lang)
    st.markdown(f"**{t('inbox.history')}**")
    st.container(key="inbox_history_box").dataframe(history_table(enquiry, lang), hide_index=True, width="stretch",
                                                    key="inbox_history")


def _filters(everything: Sequence[Enquiry], lang: str, park_names: Mapping[str, str]) -> Filters:
    """The filter form (applied in one run by its button); the store's arguments it stands for."""
    t = i18n.translator(lang)
    everyone = t("inbox.all")
    assignees = sorted({e.assignee for e in everything if e.assignee})
    with st.form("inbox_filters"):
        status_column, park_column, assignee_column, since_column = st.columns(4)
        status = status_column.selectbox(t("enquiry.field.status"), ["", *STATUSES], key="inbox_status",
                                         format_func=lambda s: i18n.t(f"enquiry.status.{s}", lang) if s else everyone)
        park = park_column.selectbox(t("dm.park"), ["", *parks_by_name(park_names)], key="inbox_park",
                                     format_func=lambda p: park_names.get(p, p) if p else everyone)
        assignee = assignee_column.selectbox(t("enquiry.field.assignee"), ["", *assignees], key="inbox_assignee",
                                             format_func=lambda a: a or everyone)
        since = since_column.date_input(t("inbox.since"), value=None, key="inbox_since",
                                        format=i18n.date_input_format(lang), help=i18n.date_input_help(lang))
        st.form_submit_button(t("inbox.filter"))
    return {"status": status or None, "park": park or None, "assignee": assignee or None,
            "since": datetime.combine(since, time.min, UTC) if isinstance(since, date) else None}


def _downloads(found: Sequence[Enquiry], lang: str) -> None:
    """The listed enquiries as CSV and Excel (formulas neutralised: :mod:`heza_geo.enquiries.staffexport`),
    written when a button is pressed; no rerun."""
    t = i18n.translator(lang)
    rows = list(found)
    today = datetime.now(UTC).date()
    csv_column, xlsx_column, _ = st.columns([1, 1, 2])
    csv_column.download_button(t("inbox.download_csv", n=len(rows)), lambda: staffexport.to_csv(rows, lang),
                               file_name=download_name("csv", today), mime="text/csv", key="inbox_csv",
                               on_click="ignore")
    xlsx_column.download_button(t("inbox.download_xlsx", n=len(rows)), lambda: staffexport.to_xlsx(rows, lang),
                                file_name=download_name("xlsx", today), key="inbox_xlsx", on_click="ignore",
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.caption(t("inbox.export_note"))


def _details(enquiry: Enquiry, lang: str, park_names: Mapping[str, str]) -> None:
    """Every field as plain text, the message, and the privacy notice the investor agreed to."""
    t = i18n.translator(lang)
    st.markdown(f"**{t('inbox.details')}**")
    st.text("\n".join(f"{label}: {value}" for label, value in details(enquiry, lang, park_names)))
    st.text(f"{t('enquiry.field.message')}:\n{enquiry.message or i18n.MISSING}")
    st.text(t("inbox.notice_version", version=enquiry.consent_notice))
    with st.expander(t("inbox.notice_text")):
        st.text(i18n.t(enquiry.consent_notice, lang))


def _follow_up(store: SqlStore, session: auth.Session, enquiry: Enquiry, lang: str) -> None:
    """The follow-up form: status, assignee (an account, or a name typed), an internal note."""
    t = i18n.translator(lang)
    generations: dict[str, int] = st.session_state.setdefault(GENERATION, {})
    prefix = f"inbox_{enquiry.uuid}_{generations.get(enquiry.uuid, 0)}_"
    accounts = auth.list_accounts(store)
    names = [str(n) for n, off in zip(accounts["name"], accounts["disabled"], strict=True) if not off]
    choices = list(dict.fromkeys(["", *names, enquiry.assignee]))
    statuses = list(STATUSES)
    with st.form("inbox_follow_up"):
        st.markdown(f"**{t('inbox.follow_up')}**")
        status = st.selectbox(t("enquiry.field.status"), statuses, key=prefix + "status",
                              index=statuses.index(enquiry.status) if enquiry.status in statuses else 0,
                              format_func=lambda s: i18n.t(f"enquiry.status.{s}", lang))
        nobody = t("inbox.nobody")
        assignee = st.selectbox(t("enquiry.field.assignee"), choices, index=choices.index(enquiry.assignee),
                                key=prefix + "assignee", accept_new_options=True, help=t("inbox.assignee_help"),
                                format_func=lambda a: a or nobody)
        note = st.text_area(t("enquiry.field.note"), key=prefix + "note")  # no max_chars: a paste is never cut
        save = st.form_submit_button(t("inbox.save"), type="primary")
    if not save:
        return
    try:
        updated = store.update_enquiry(enquiry.uuid, author=session.account,
                                       **changes(enquiry, str(status), assignee, note))
    except DataError as exc:  # each problem in the reader's language; the form keeps what was typed
        st.error(t("inbox.refused") + "\n\n"
                 + "\n".join(f"- {md_escape(i18n.problem_text(p, lang))}" for p in exc.problems))
        return
    except StoreError as exc:
        log.warning("inbox: the store refused a follow-up of %s: %s", enquiry.uuid, exc)  # the cause: server log only
        st.error(t("inbox.gone") if _gone(store, enquiry.uuid) else t("dm.store_offline"))
        return
    generations[enquiry.uuid] = generations.get(enquiry.uuid, 0) + 1
    st.session_state[FLASH] = t("inbox.saved", status=i18n.t(f"enquiry.status.{updated.status}", lang))
    st.rerun()


def _erase(store: SqlStore, session: auth.Session, enquiry: Enquiry, lang: str) -> None:
    """Delete the enquiry at the enquirer's request (the privacy notice's right to deletion), once a box
    says so: :meth:`heza_geo.store.sql.SqlStore.erase_enquiry`."""
    t = i18n.translator(lang)
    with st.expander(t("inbox.erase_title"), icon=":material/delete:"), st.form(f"inbox_erase_{enquiry.uuid}"):
        st.caption(t("inbox.erase_help"))
        sure = st.checkbox(t("inbox.erase_confirm"), key=f"inbox_erase_sure_{enquiry.uuid}")
        erase = st.form_submit_button(t("inbox.erase_button"))
    if not erase:
        return
    if not sure:
        st.warning(t("inbox.erase_unconfirmed"))
        return
    try:
        store.erase_enquiry(enquiry.uuid, session.account)
    except StoreError as exc:
        log.warning("inbox: the store refused to erase %s: %s", enquiry.uuid, exc)  # the cause: server log only
        st.error(t("inbox.gone") if _gone(store, enquiry.uuid) else t("dm.store_offline"))
        return
    st.session_state[FLASH] = t("inbox.erased")
    st.rerun()


def _gone(store: SqlStore, uuid: str) -> bool:
    """Whether the enquiry is no longer in the store (False when the store cannot say: it is offline)."""
    try:
        return store.enquiry(uuid) is None
    except StoreError:
        return False
