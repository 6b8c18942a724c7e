"""The investor's enquiry form ("Ask HEZA about this park"), drawn where an investor decides:
the map's park panel, the land finder's shortlist and compare (issue 17 §3).

A page calls one function::

    enquiry.enquiry_form(data, parks=[park_id], plots=plot_ids, key="map", lang=lang,
                         title=tr("enquiry.form.title_park"))

Decisions a reader must know:

* **One run per action.** The fields are an ``st.form`` (typing reruns nothing); "Send" is one run,
  its callback (:func:`_send`) calling :func:`heza_geo.enquiries.submit` (the only way this app writes
  an enquiry) before the script draws the outcome. Everything sits in an ``st.expander`` closed by
  default, so a page costs no more to read than before.
* **Sending twice stores once.** A form id (:func:`heza_geo.enquiries.new_uuid`) is made once per
  opened form and travels *in* the form (a hidden field), so a double click, whose second submit the
  browser sends with the values it still shows, carries the same id: the store keeps one, and the
  second answer ("already") thanks the visitor like the first.
* **Refused: nothing typed is lost.** Each problem is shown in the reader's language above its field
  (those of no field above the form); no field is touched.
* **Accepted: nothing of the visitor's stays.** The thanks is shown, every field is emptied (set to its
  empty value through the session state, which the browser follows; a key merely dropped left the text
  on screen) and the form gets a new id; the thanks is said once (the next run no longer shows it).
* **The honeypot** (:data:`heza_geo.enquiries.HONEYPOT`) is a text field in a keyed container that CSS
  removes (``display: none``: out of sight, out of the keyboard's tab order and out of what a screen
  reader reads); a robot that fills it is thanked and nothing is stored.
* **Text is never markup**: a name, a message or a problem quoting a value is escaped
  (:func:`heza_geo.text.md_escape`).
* **Who sends.** The session is a random id kept in the browser session's state (:data:`SESSION`: a
  tab, as Streamlit's own session id, which only a private API gives); the address the one
  :func:`heza_geo.ui.guard.client_address` vouches for (the peer, or when the peer is the local proxy
  of ``serve``, the last ``X-Forwarded-For`` address it added), "" when unknown. Both are kept only as
  hashes, for the rate limits (:mod:`heza_geo.enquiries.model`).
* **No store, no form.** An app that reads files only (no store configured) cannot keep an enquiry:
  it says so and gives HEZA's desk as the data holds it (``contacts``, role ``heza_desk``), nothing
  invented.

Widget keys (for tests): the container ``enquiry_<key>``, the form ``enquiry_<key>_form``, the fields
``enquiry_<key>_<field>`` for ``name company country email phone sector land_ha timeframe language
message consent plots``, the hidden ``enquiry_<key>_uuid`` and ``enquiry_<key>_website`` (in
``enquiry_<key>_hidden``), the button ``enquiry_<key>_send``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from babel import Locale

from heza_geo import enquiries, i18n
from heza_geo.config import LANGUAGES
from heza_geo.enquiries.model import MAX_CHARS, MAX_LAND_HA, WHERE
from heza_geo.errors import Problem
from heza_geo.io.validation import problem
from heza_geo.schema import SECTORS
from heza_geo.store.sql import SqlStore
from heza_geo.text import md_escape
from heza_geo.ui import common, guard

if TYPE_CHECKING:
    from heza_geo.io import Dataset

#: the form's fields in the order drawn (the honeypot and the form id are hidden)
FIELDS: tuple[str, ...] = ("name", "company", "country", "email", "phone", "sector", "land_ha", "timeframe",
                           "language", "message", "consent")
#: every widget the form keys (emptied once an enquiry is accepted)
_WIDGETS = (*FIELDS, "plots", enquiries.HONEYPOT)
#: the session state's key of this browser session's id, for the rate limits
SESSION = "_enquiry_session"
#: the fields whose empty value is None (no choice made)
_CHOICES = ("country", "sector", "land_ha", "timeframe")


def _k(key: str, name: str) -> str:
    return f"enquiry_{key}_{name}"


@cache
def countries(lang: str) -> tuple[str, ...]:
    """ISO 3166 two-letter codes (those :func:`heza_geo.enquiries.check` accepts), ordered by their name
    in ``lang``, accents aside (Åland Islands after Afghanistan, as a reader looks for it).

    >>> countries("en")[:3], countries("vi").index("VN") > countries("vi").index("US")
    (('AF', 'AX', 'AL'), True)
    """
    codes = (str(code) for code in Locale.parse("en").territories)
    found = [code for code in codes if re.fullmatch(r"[A-Z]{2}", code)]
    return tuple(sorted(found, key=lambda code: _plain(i18n.country_name(code, lang))))


def _plain(name: str) -> str:
    """``name`` without its accents, case-folded: how a list of names is ordered for a reader."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def client_address() -> str:
    """The visitor's address as the guard sees it (module docstring), "" when unknown."""
    peer = st.context.ip_address  # None for a loopback peer (a local browser, or the proxy of ``serve``)
    forwarded = st.context.headers.get("X-Forwarded-For") or ""
    scope = {"type": "http", "client": (peer or "127.0.0.1", 0),
             "headers": [(b"x-forwarded-for", forwarded.encode("latin-1", "replace"))] if forwarded else []}
    address = guard.client_address(scope)
    return "" if address == "127.0.0.1" and not peer else address


def desk_contact(data: Dataset, lang: str) -> list[str]:
    """HEZA's investment-promotion desk as the data holds it (organisation, then phone, e-mail, website:
    those given), each line as Markdown that shows its text; [] when the data names no desk."""
    contacts = data.contacts
    desk = contacts[(contacts["role"] == "heza_desk") & contacts["park_id"].isna()]
    lines: list[str] = []
    for _, row in desk.iterrows():
        lines.append(f"**{md_escape(row['organisation'])}**")
        for column in ("phone", "email", "website"):
            value = row.get(column)
            if value is not None and not pd.isna(value) and str(value).strip():
                lines.append(f"{i18n.t(f'column.{column}', lang)}: {md_escape(str(value).strip())}")
    return lines


def _send(data: Dataset, key: str, parks: tuple[str, ...], lang: str) -> None:
    """The send button's callback, before the run it causes: submit, then keep the outcome for the run
    to show; on acceptance empty the form and give it a new id."""
    state = st.session_state
    form = {name: state.get(_k(key, name)) for name in _WIDGETS}
    form["uuid"] = state.get(_k(key, "uuid"))
    form["parks"], form["plots"] = list(parks), list(state.get(_k(key, "plots")) or [])
    store = common.store()
    if not isinstance(store, SqlStore):  # the form is not drawn without a store; a store gone since
        state[_k(key, "outcome")] = [problem(WHERE, "", "enquiry.form.no_store")]
        return
    session = state.setdefault(SESSION, enquiries.new_uuid())  # this browser tab's, for the limits
    sent = enquiries.submit(store, form, data, session=session, address=client_address(),
                            settings=common.settings())
    if sent.accepted:  # each widget set (not dropped from the state: the browser would keep showing its text)
        empty: dict[str, object] = {"consent": False, "plots": [], "language": lang}
        for name in _WIDGETS:
            state[_k(key, name)] = empty.get(name, None if name in _CHOICES else "")
        state[_k(key, "uuid")] = enquiries.new_uuid()
        state[_k(key, "outcome")] = sent.message_key
    else:
        state[_k(key, "outcome")] = sent.problems


def _problem_line(found: Problem, lang: str) -> str:
    """A problem as the visitor reads it: the field's name, then what is wrong (escaped: it may quote a value)."""
    text = i18n.problem_text(found, lang) if found.message else i18n.t(found.key, lang)
    if found.field and found.field in (*FIELDS, "parks", "plots") and found.field != "consent":  # consent: says it
        text = f"{i18n.t(f'enquiry.field.{found.field}', lang)}: {text}"
    return md_escape(text)


def enquiry_form(data: Dataset, *, parks: Sequence[str], plots: Sequence[str] = (), key: str, lang: str,
                 title: str, clicked_plot: str | None = None) -> None:
    """The enquiry form about ``parks`` in an expander titled ``title``, in the keyed container
    ``enquiry_<key>``.

    Parameters
    ----------
    data
        The dataset shown (the parks' names; :func:`heza_geo.enquiries.submit` checks the ids against it).
    parks
        The parks the enquiry is about: listed by name and attached.
    plots
        Plot ids the visitor may attach (a multiselect, optional); none: no such field. Plots attached
        before that are not among them (another park's, chosen before the visitor opened this one) are let go.
    key
        Where the form is (``map``, ``finder``, ``compare``): its widgets' keys (module docstring).
    clicked_plot
        A plot the visitor has just clicked on the map (one of ``plots``): attached, so an enquiry about
        the plot whose popup is open needs no search in the list.
    lang
        The reader's language (labels, problems, the preferred language's default).
    title
        The expander's label.
    """
    state = st.session_state
    outcome = state.pop(_k(key, "outcome"), None)
    if _k(key, "uuid") not in state:
        state[_k(key, "uuid")] = enquiries.new_uuid()
    attached = [p for p in state.get(_k(key, "plots")) or [] if p in plots]
    if clicked_plot in plots and clicked_plot not in attached:
        attached.append(clicked_plot)
    state[_k(key, "plots")] = attached
    if _k(key, "language") not in state:  # the page's language, as a state (the form sets it again once sent)
        state[_k(key, "language")] = lang if lang in LANGUAGES else LANGUAGES[0]
    t = i18n.translator(lang)
    names = i18n.names(data.parks, "park_id", lang)
    # keyed: its identity (open, and what is typed in it but not yet sent) survives a run in which something
    # above it appeared or went (a rerun of the page's map, a warning), which would remount an unkeyed one closed
    with st.container(key=f"enquiry_{key}"), st.expander(title, icon=":material/mail:", key=_k(key, "open")):
        if not isinstance(common.store(), SqlStore):
            st.info(t("enquiry.form.no_store"))
            desk = desk_contact(data, lang)
            st.markdown("  \n".join(desk) if desk else t("passport.group_not_published"))
            return
        if isinstance(outcome, str):
            st.success(t(outcome))
        problems: list[Problem] = outcome if isinstance(outcome, list) else []
        if problems:
            st.error(t("enquiry.refused"))
            for found in problems:
                if found.field not in FIELDS:  # the form as a whole, the places, the limits
                    st.error(_problem_line(found, lang))
        about = ", ".join(md_escape(names.get(p, p)) for p in parks)
        st.markdown(f"**{t('enquiry.field.parks')}**: {about}")
        with st.form(_k(key, "form"), border=False, enter_to_submit=False):
            st.caption(t("enquiry.form.intro"))

            def field_problems(name: str) -> None:
                for found in problems:
                    if found.field == name:
                        st.error(_problem_line(found, lang))

            if plots:
                st.multiselect(t("enquiry.field.plots"), list(plots), key=_k(key, "plots"),
                               placeholder=t("enquiry.form.plots_placeholder"))
            choose = t("enquiry.form.choose")
            for name in FIELDS:
                field_problems(name)
                label = t(f"enquiry.field.{name}")
                widget = _k(key, name)
                if name in ("name", "company", "email", "phone"):
                    st.text_input(label + (" *" if name == "name" else ""), key=widget,
                                  max_chars=MAX_CHARS[name])
                elif name == "country":
                    st.selectbox(label, countries(lang), index=None, key=widget, placeholder=choose,
                                 format_func=lambda code: i18n.country_name(code, lang))
                elif name == "sector":
                    st.selectbox(label, SECTORS, index=None, key=widget, placeholder=choose,
                                 format_func=lambda s: i18n.label("sector", s, lang))
                elif name == "land_ha":
                    st.number_input(label, min_value=0.0, max_value=MAX_LAND_HA, value=None,
                                    step=1.0, key=widget)
                elif name == "timeframe":
                    st.selectbox(label, enquiries.TIMEFRAMES, index=None, key=widget, placeholder=choose,
                                 format_func=lambda f: t(f"enquiry.timeframe.{f}"))
                elif name == "language":
                    st.selectbox(label, LANGUAGES, key=widget,
                                 format_func=lambda code: i18n.LANGUAGE_NAMES.get(code, code))
                elif name == "message":
                    st.text_area(label, key=widget, max_chars=MAX_CHARS["message"], height=120)
                else:  # consent, under the notice it agrees to, in full
                    st.markdown(f"**{t('enquiry.form.privacy_title')}**")
                    st.caption(t(enquiries.PRIVACY_NOTICE))
                    st.checkbox(t("enquiry.consent") + " *", key=widget)
            with st.container(key=_k(key, "hidden")):  # out of sight, of the tab order and of screen readers
                st.html(f"<style>.st-key-{_k(key, 'hidden')} {{ display: none !important; }}</style>")
                st.text_input(t("enquiry.form.leave_empty"), key=_k(key, enquiries.HONEYPOT))
                st.text_input(t("enquiry.field.uuid"), key=_k(key, "uuid"), label_visibility="collapsed")
            st.form_submit_button(t("enquiry.form.send"), key=_k(key, "send"), type="primary",
                                  icon=":material/send:", width="stretch", on_click=_send,
                                  args=(data, key, tuple(parks), lang))
