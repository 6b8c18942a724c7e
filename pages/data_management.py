"""Staff page: sign in, import a file (check → preview → confirm), edit records, history and revert.

Everything that decides goes through ``heza_geo``: :mod:`heza_geo.io.importers` validates and diffs,
the store (:mod:`heza_geo.store`) writes all or nothing and refuses stale edits, and
:mod:`heza_geo.store.auth` checks passwords, throttles and expires sessions. Signing in is an HTTP form
that posts to the app's own route (:mod:`heza_geo.ui.guard`), which answers with an HttpOnly cookie;
every run reads that cookie from the visitor's connection, so the signed-in state cannot be taken
with a Streamlit session id. The password and the token never pass through ``st.session_state``
or the URL.

Single sign-on: when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's OIDC
settings: ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
``server_metadata_url``), a "Sign in with the HEZA identity provider" button calls ``st.login``;
the identity's e-mail must match an account name (created with ``python -m heza_geo user add``),
whose role applies. Without that section only the password form is shown.

The page is a function per tab (:func:`import_tab`, :func:`edit_tab`, :func:`history_tab`,
:func:`accounts_tab`; the inbox of investors' enquiries is :func:`heza_geo.ui.inbox.inbox_tab`) under a
short top level: who is signed in, then the tabs their role allows.
The tables come from :mod:`heza_geo.analysis.staff`; a refusal of the store (any
:class:`heza_geo.errors.HezaError`) is shown in one line, or as the problems it lists.
"""

from __future__ import annotations

import html
import logging
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from heza_geo import i18n
from heza_geo.analysis.staff import (
    PARKLESS_LAYERS,
    SPOKEN_LANGUAGES,
    accounts_table,
    changes_table,
    conflict_lines,
    contact_record,
    date_text,
    differing_fields,
    group_columns,
    history_table,
    incentive_record,
    language_name,
    latest_occupancy,
    list_values,
    new_contact_id,
    new_incentive_id,
    parks_by_name,
    parks_recently_changed_first,
    parse_date,
    problem_lines,
    problems_csv,
    problems_table,
    provenance_problem,
    revert_choices,
    versions_table,
    without_park,
)
from heza_geo.config import LANGUAGES
from heza_geo.errors import ConflictError, DataError, HezaError, StoreError
from heza_geo.io import resilience, templates
from heza_geo.io.crs import CANDIDATES
from heza_geo.io.importers import FORMATS, SAID_BY_THE_PAGE, apply_import, prepare_import
from heza_geo.io.safefiles import Limits
from heza_geo.maps import assets
from heza_geo.maps.changes import change_map
from heza_geo.maps.picker import picked, plot_picker_map
from heza_geo.schema import (
    FIGURE_BASIS,
    LAYERS,
    PASSPORT_FIELDS,
    PASSPORT_GROUPS,
    PLOT_STATUS,
    PROVENANCE_KINDS,
    SECTORS,
    precision_column,
)
from heza_geo.store import auth
from heza_geo.store.diff import change_geometries
from heza_geo.text import md_escape, md_format
from heza_geo.ui import common, inbox
from heza_geo.ui import guard as web
from heza_geo.ui.common import tr

log = logging.getLogger(__name__)
lang = common.lang()
settings = common.settings()
st.markdown(f"### {tr('page.data_management')}")

try:
    store = common.store()
    if store is not None:
        store.current_version()  # a database that went away: say so before any form is shown
except StoreError as exc:
    log.warning("staff page: the store is offline: %s", exc)  # the address and cause: server log only
    st.error(tr("dm.store_offline"))
    st.stop()
except DataError as exc:
    log.warning("staff page: the data cannot be loaded: %s", exc)
    st.error(md_format(tr("msg.load_error", error="{error}"),
                       error=resilience.public_text(str(exc), [settings.data_dir])))
    st.stop()
if store is None:
    st.info(tr("dm.no_store"))
    st.stop()


def _crs_label(code: str) -> str:
    """A coordinate system's name in the page's language. It reads the run's ``lang``, not the session's: a
    widget's format function is also called outside the run (AppTest calls it from the test's thread, where the
    session of another app's run was still current and named another language)."""
    return i18n.t("dm.crs_auto" if not code else "crs.epsg_" + code.split(":")[-1], lang)


def _show_refusal(exc: HezaError, account: str, fields: tuple[str, ...] = ()) -> None:
    """A refused write in one message of the page's language: a conflict names who changed each
    record and when (``account``, the writer, is told it was their own change) and the values of
    ``fields`` now; invalid input lists its problems."""
    if isinstance(exc, ConflictError):
        lines = conflict_lines(exc.conflicts, account, lang, fields)
        st.error(tr("dm.conflict") + "\n\n" + "\n".join(f"- {md_escape(line)}" for line in lines))
    elif isinstance(exc, DataError):
        st.error(tr("dm.invalid"))
        st.table(problems_table(exc.problems, lang), hide_index=True)
    elif isinstance(exc, StoreError):
        log.warning("staff page: the store refused a write: %s", exc)
        st.error(tr("dm.store_offline"))
    else:
        st.error(md_escape(str(exc)))


def _reset(values: dict[str, object]) -> None:
    """Put form fields (by key) to these values before they are drawn: a form starts afresh after a
    save, or from the record it edits. Set, not deleted, so the browser shows them too."""
    for key, value in values.items():
        st.session_state[key] = value


def _flash() -> None:
    if message := st.session_state.pop("_dm_flash", None):
        st.success(message)


# --- who is this? --------------------------------------------------------------------------------
def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def current_session() -> auth.Session | None:
    """The signed-in staff member of this connection: the ``heza_session`` cookie its browser sent
    (HttpOnly, set by the sign-in route), or an OIDC identity with an account; else None."""
    token = st.context.cookies.get(web.SESSION_COOKIE)
    if isinstance(token, str) and token:
        session = auth.session_for(store, token)
        if session is None:
            st.warning(tr("dm.session_expired"))
        return session
    if _oidc_configured() and st.user.is_logged_in:
        name = str(st.user.get("email") or "")
        role = auth.account_role(store, name)
        if role is None:
            st.error(md_format(tr("dm.no_account_for_identity", name="{name}"), name=name))
            return None
        expires = auth.oidc_expiry(st.user.get("iat"), settings.session_hours)
        if expires is None or expires <= datetime.now(UTC):
            st.warning(tr("dm.session_expired"))
            st.button(tr("dm.sign_in_oidc"), on_click=st.login)
            st.stop()
        return auth.Session("", name, role, expires)
    return None


def _signin_message() -> None:
    """What the sign-in route answered (``?signin=`` in the URL), said once in the page's language."""
    outcome = st.query_params.get("signin")
    if outcome not in web.SIGNIN_OUTCOMES:
        return
    if outcome == "locked":
        retry = st.query_params.get("retry", "")
        st.error(tr("dm.locked", seconds=int(retry) if retry.isdigit() else 60))
    else:
        st.error(tr({"failed": "dm.bad_login", "busy": "dm.signin_busy", "offline": "dm.signin_offline",
                     "refused": "dm.signin_refused"}[outcome]))
    for key in ("signin", "retry"):
        if key in st.query_params:
            del st.query_params[key]


_FORM_STYLE = """<style>
.heza-form {display: flex; flex-direction: column; gap: .5rem; max-width: 24rem; padding: 1rem;
  border: 1px solid rgba(49, 51, 63, .2); border-radius: .5rem;}
.heza-form label {display: flex; flex-direction: column; gap: .25rem; font-size: .875rem;}
.heza-form input {font: inherit; padding: .45rem .6rem; border: 1px solid rgba(49, 51, 63, .3);
  border-radius: .4rem;}
.heza-form button, .heza-signout button {font: inherit; padding: .4rem .9rem; border-radius: .5rem; cursor: pointer;
  border: 1px solid rgb(255, 75, 75); background: rgb(255, 75, 75); color: white; align-self: flex-start;}
.heza-signout button {background: transparent; color: inherit; border-color: rgba(49, 51, 63, .3);}
</style>"""


def _here() -> str:
    """Where the sign-in route sends the browser back: this page, in this language."""
    return f"/data_management?lang={lang}"


def login_form() -> None:
    """A plain HTML form posting to :data:`heza_geo.ui.guard.SIGNIN_PATH` (a browser's password manager
    fills it; the route sets the cookie and sends the browser back here)."""
    st.caption(tr("dm.public_note"))
    _signin_message()
    if not web.guarded():
        st.warning(tr("dm.needs_server"))
    else:
        e = html.escape
        st.html(f"""{_FORM_STYLE}
<form class="heza-form" method="post" action="{web.SIGNIN_PATH}">
  <strong>{e(tr('dm.login_title'))}</strong>
  <label>{e(tr('dm.account'))}<input name="account" autocomplete="username" required
     aria-label="{e(tr('dm.account'))}"></label>
  <label>{e(tr('dm.password'))}<input name="password" type="password" autocomplete="current-password" required
     aria-label="{e(tr('dm.password'))}"></label>
  <input type="hidden" name="next" value="{e(_here())}">
  <button type="submit">{e(tr('dm.sign_in'))}</button>
</form>""")
    if _oidc_configured():
        st.button(tr("dm.sign_in_oidc"), on_click=st.login)


def sign_out_button(where) -> None:  # noqa: ANN001 - a Streamlit container
    """Sign out: the password session through the route (it clears the cookie), OIDC through Streamlit."""
    if session.token:
        e = html.escape
        with where:
            st.html(f"""{_FORM_STYLE}<form class="heza-signout" method="post" action="{web.SIGNOUT_PATH}">
<input type="hidden" name="next" value="{e(_here())}"><button type="submit">{e(tr('dm.sign_out'))}</button></form>""")
    elif where.button(tr("dm.sign_out"), key="sign_out"):
        st.logout()


# --- import: check -> preview -> confirm ---------------------------------------------------------
def import_tab(session: auth.Session, parks: pd.DataFrame) -> None:
    """Choose a layer, a file and its CRS; check it; see what it would change (counts, a map, a
    table); confirm with a comment. Nothing is written before the confirmation."""
    layer = st.selectbox(tr("dm.layer"), list(LAYERS), key="dm_layer", format_func=lambda n: i18n.t(f"layer.{n}", lang))
    st.caption(tr("template.caption"))
    for column, fmt in zip(st.columns(3), templates.formats(layer), strict=False):
        name, content, mime = templates.template(layer, fmt, lang)
        column.download_button(tr("template.download", fmt=FORMATS[f".{fmt}"]), content, file_name=name, mime=mime,
                               key=f"dm_template_{fmt}", on_click="ignore")
    upload = st.file_uploader(tr("dm.file", mb=f"{settings.max_upload_mb:g}"), key="dm_upload",
                              help=tr("dm.file_help", mb=f"{settings.max_upload_mb:g}"),  # Streamlit's own words
                              type=[s.lstrip(".") for s in FORMATS], max_upload_size=int(settings.max_upload_mb))
    choice = st.selectbox(tr("dm.crs"), ["", *CANDIDATES], key="dm_crs", format_func=_crs_label)
    replace = st.checkbox(tr("dm.replace"), key="dm_replace")
    ticket = (upload.file_id if upload else None, layer, choice, replace)
    if st.button(tr("dm.check"), key="dm_check", disabled=upload is None):
        st.session_state["_dm_prepared"] = (ticket, prepare_import(
            upload.name, upload.getvalue(), layer, store, crs=choice or None, replace=replace,
            limits=Limits.from_megabytes(settings.max_upload_mb)))
    held = st.session_state.get("_dm_prepared")
    prepared = held[1] if held and held[0] == ticket else None
    if prepared is None:
        return
    if prepared.problems:
        st.error(tr("dm.problems", n=len(prepared.problems)))
        st.table(problems_table(prepared.problems, lang), hide_index=True, height=400)  # wraps long messages
        st.download_button(tr("dm.problems_csv"), problems_csv(prepared.problems, lang),
                           f"{prepared.file}.problems.csv", "text/csv", key="dm_problems_csv")
        if prepared.suggested_crs:
            st.info(tr("dm.suggested_crs", crs=_crs_label(prepared.suggested_crs)))
        return
    for note in prepared.notes:  # in the reader's language; what the page says below in its own words, once
        if note.key not in SAID_BY_THE_PAGE:
            st.caption(f"ⓘ {md_escape(i18n.problem_text(note, lang))}")
    schema = LAYERS[prepared.layer]
    if prepared.crs:
        st.caption(tr("dm.crs_used", crs=prepared.crs, how=tr(f"dm.crs_from_{prepared.crs_from}")))
    if not len(prepared.change_set):
        st.info(tr("dm.nothing_changes"))
        return
    st.markdown(f"**{tr('dm.preview')}**")
    counts = prepared.summary()
    for column, op in zip(st.columns(3), ("insert", "update", "delete"), strict=True):
        column.metric(i18n.t(f"op.{op}", lang), i18n.fmt_number(counts[op], lang, 0))
    geoms = change_geometries(prepared.change_set, schema)
    if geoms is not None and not geoms.empty:
        preview = change_map(geoms, lang, parks, common.land())
        st_folium(assets.localize(preview), height=380, width="stretch", key="dm_preview_map", returned_objects=[])
        st.caption(tr("dm.changes_map"))
    st.dataframe(changes_table(prepared.change_set, schema, lang), hide_index=True, width="stretch", height=260,
                 key="dm_changes")
    with st.form("dm_confirm"):
        comment = st.text_input(tr("dm.comment"), key="dm_comment")
        confirmed = st.form_submit_button(tr("dm.confirm_import", n=len(prepared.change_set)), type="primary")
    if not confirmed:
        return
    if not comment.strip():
        st.error(tr("dm.need_comment"))
        return
    try:
        version = apply_import(store, prepared, session.account, comment)
    except HezaError as exc:
        st.session_state.pop("_dm_prepared", None)
        _show_refusal(exc, session.account)
    else:
        st.session_state.pop("_dm_prepared", None)
        st.session_state["_dm_flash"] = tr("dm.imported", version=version)
        st.rerun()


# --- edit one record -----------------------------------------------------------------------------
def edit_tab(session: auth.Session, parks: pd.DataFrame, names: dict[str, str], tab_open: bool) -> None:
    """Two forms side by side: a park's new occupancy figure, and one plot's status, tenant and sector;
    ``tab_open``: whether this tab is the one open (see :func:`plot_form`). Below them what an investor
    reads of a park: its passport beside its contacts, then the incentives."""
    occupancy_column, plot_column = st.columns(2, gap="large")
    with occupancy_column:
        occupancy_form(session, names)
    with plot_column:
        plot_form(session, parks, names, tab_open)
    st.divider()
    passport_column, contact_column = st.columns(2, gap="large")
    with passport_column:
        passport_form(session, names)
    with contact_column:
        contact_form(session, names)
    st.divider()
    incentives_form(session)


#: the occupancy form's fields and what each starts from
_OCCUPANCY_FRESH: dict[str, object] = {"dm_occ_pct": None, "dm_occ_source": "", "dm_occ_comment": ""}


def occupancy_form(session: auth.Session, names: dict[str, str]) -> None:
    """Add a park's occupancy figure (a new dated row: the history keeps the old ones), with its
    provenance: a kind chosen from the list and its reference (report file, news site and date, or
    the method of an approximation); a provenance that will not do is refused before the store sees it.

    The figure starts empty, the park's latest shown above it: the form never fills a field from the
    server after the officer chose the park, so a figure typed at once is the one saved. Every field
    has a key of its own (its identity does not follow the park), so a refused save keeps what was
    typed; a saved one empties the form for the next figure."""
    st.markdown(f"**{tr('dm.edit_occupancy')}**")
    if st.session_state.pop("_dm_occ_saved", False):
        _reset(_OCCUPANCY_FRESH)
    park = st.selectbox(tr("dm.park"), parks_by_name(names), key="dm_occ_park", format_func=lambda p: names[p])
    latest = latest_occupancy(store.read_layer("occupancy_history"), park, lang)
    st.caption(latest or tr("dm.no_latest"))
    with st.form("dm_occupancy"):
        pct = st.number_input(tr("dm.occupancy_pct"), min_value=0.0, max_value=100.0, step=0.1, value=None,
                              format="%g", help=i18n.decimal_input_help(lang), key="dm_occ_pct")
        as_of = st.date_input(tr("dm.as_of"), value=date.today(), format=i18n.date_input_format(lang),
                              help=i18n.date_input_help(lang),
                              key="dm_occ_as_of")
        basis = st.selectbox(tr("dm.basis"), list(FIGURE_BASIS), key="dm_occ_basis",
                             format_func=lambda b: i18n.label("basis", b, lang))
        source_kind = st.selectbox(tr("column.source_kind"), list(PROVENANCE_KINDS), key="dm_occ_source_kind",
                                   format_func=lambda k: i18n.label("provenance", k, lang))
        source = st.text_input(tr("dm.source"), key="dm_occ_source")
        why = st.text_input(tr("dm.comment"), key="dm_occ_comment")
        add = st.form_submit_button(tr("dm.save_occupancy"), type="primary")
    if not add:
        return
    problems = [tr("dm.need_figure")] if pct is None else []
    if problem := provenance_problem(source_kind, source, lang):
        problems.append(problem)
    if problems:
        st.error(f"{tr('dm.invalid')}\n\n" + "\n".join(f"- {md_escape(p)}" for p in problems))
        return
    try:
        version = store.add_record("occupancy_history", {
            "scope": "park", "park_id": park, "as_of": as_of, "as_of_precision": "day", "occupancy_pct": pct,
            "basis": basis, "source_kind": source_kind, "source": source.strip() or None, "note": why},
            session.account, why)
    except HezaError as exc:
        _show_refusal(exc, session.account)
    else:
        st.session_state["_dm_occ_saved"] = True
        st.session_state["_dm_flash"] = tr("dm.saved", version=version)
        st.rerun()


#: the plot form's fields, the store's column each edits
_PLOT_FIELDS = {"dm_plot_status": "status", "dm_plot_tenant": "tenant", "dm_plot_sector": "sector"}


def _plot_values(record: pd.Series) -> dict[str, object]:
    return {key: (record[column] if pd.notna(record[column]) else "") for key, column in _PLOT_FIELDS.items()}


def plot_form(session: auth.Session, parks: pd.DataFrame, names: dict[str, str], tab_open: bool) -> None:
    """Edit one plot; the store refuses the save if someone changed the plot since this form showed it.

    The form is filled from the plot when it is chosen (and after each save), and remembers the
    version it showed. A refusal keeps what was typed: after a conflict the message says who
    changed the plot, when and what it holds now, the form keeps the officer's entry, and saving
    again (knowingly) replaces the other change.

    The park's small map is drawn only while the tab is open (``tab_open``; the tabs rerun the page
    when one is opened): made in a hidden tab, its box had no size and Leaflet framed it at its
    closest zoom on a corner of one plot."""
    st.markdown(f"**{tr('dm.edit_plot')}**")
    plot_park = st.selectbox(tr("dm.park"), parks_by_name(names), key="dm_plot_park", format_func=lambda p: names[p])
    plots = store.read_layer("plots")
    in_park = plots[plots["park_id"] == plot_park].set_index("record_id")
    if in_park.empty:
        st.caption(tr("dm.no_plots"))
        return
    map_key = f"dm_plot_map_{plot_park}"

    def pick() -> None:  # a click on the map chooses the plot, before the list below is drawn
        if chosen := picked(st.session_state.get(map_key), in_park.index):
            st.session_state["dm_plot"] = chosen

    if st.session_state.get("dm_plot") not in in_park.index:
        st.session_state["dm_plot"] = in_park.index[0]
    if tab_open:
        st_folium(assets.localize(plot_picker_map(in_park.reset_index(), lang, st.session_state["dm_plot"],
                                                  parks[parks["park_id"] == plot_park], common.land())),
                  key=map_key, height=280, width="stretch", returned_objects=["last_active_drawing"], on_change=pick)
        st.caption(tr("dm.pick_on_map"))
    plot_id = st.selectbox(tr("dm.plot"), list(in_park.index), key="dm_plot")
    record = in_park.loc[plot_id]
    shown = st.session_state.get("_dm_plot_shown")  # (plot, version) the form holds
    if st.session_state.pop("_dm_plot_saved", False) or shown is None or shown[0] != plot_id:
        shown = (plot_id, int(record["row_version"]))
        st.session_state["_dm_plot_shown"] = shown
        _reset(_plot_values(record) | {"dm_plot_comment": ""})
    sectors = ["", *SECTORS]
    with st.form("dm_plot_form"):
        st.caption(tr("dm.plot_shown", plot=plot_id, version=shown[1]))
        status = st.selectbox(tr("dm.status"), list(PLOT_STATUS), key="dm_plot_status",
                              format_func=lambda s: i18n.label("plot_status", s, lang))
        tenant = st.text_input(tr("dm.tenant"), key="dm_plot_tenant")
        sector = st.selectbox(tr("dm.sector"), sectors, key="dm_plot_sector",
                              format_func=lambda s: i18n.label("sector", s or None, lang))
        why = st.text_input(tr("dm.comment"), key="dm_plot_comment")
        save = st.form_submit_button(tr("dm.save_plot"), type="primary")
    if not save:
        return
    try:
        version = store.edit_record("plots", plot_id, {"status": status, "tenant": tenant.strip() or None,
                                                       "sector": sector or None}, shown[1], session.account, why)
    except HezaError as exc:
        if isinstance(exc, ConflictError):  # the next save is made knowing the version now stored
            now = [c.version for c in exc.conflicts if c.record_id == plot_id and c.version is not None]
            if now:
                st.session_state["_dm_plot_shown"] = (plot_id, now[0])
        _show_refusal(exc, session.account, tuple(_PLOT_FIELDS.values()))
        if isinstance(exc, ConflictError):
            st.info(tr("dm.conflict_save_again"))
    else:
        st.session_state["_dm_plot_saved"] = True
        st.session_state["_dm_flash"] = tr("dm.saved", version=version)
        st.rerun()


# --- what an investor reads of a park: its passport, whom to call, the incentives -------------------
def _held(form: str, target: str, version: int | None) -> tuple[str, int | None]:
    """The key prefix of a record form's fields and the version of the record the form shows.

    Each record a form edits (a park's group of figures, a contact, a zone's incentives) has fields
    keyed by its name, so no answer of the server ever writes into a field the officer may be
    typing in: the fields start from the stored record when they are first drawn, keep what was
    typed across reruns and refusals, and after a save the next fields (a new generation of keys)
    start from the record saved. The version is the one the fields started from; after a conflict,
    the one stored since, so that saving again knowingly replaces it."""
    held = st.session_state.setdefault("_dm_held", {})
    generation, shown = held.get((form, target), (0, None))
    prefix = f"dm_{form}_{target}_{generation}"
    if f"{prefix}_comment" not in st.session_state:  # fresh fields: the record as stored now
        shown = version
        held[form, target] = (generation, shown)
    return prefix, shown


def _form_problems(kind: str, source: str, why: str) -> list[str]:
    """What a record form can tell before the store sees the record: a provenance that will not do
    (:func:`provenance_problem`), no comment (the store would refuse the record for it alone, and say
    nothing else)."""
    problems = [found] if (found := provenance_problem(kind, source, lang)) else []
    if not why.strip():
        problems.append(f"{tr('dm.comment')}: {tr('problem.needs_comment')}")
    return problems


def _show_problems(lines: list[str]) -> None:
    st.error(f"{tr('dm.invalid')}\n\n" + "\n".join(f"- {md_escape(line)}" for line in lines))


def _stored(record: pd.Series | None, column: str) -> object:
    """A field's stored value, None for no record or an empty cell."""
    if record is None or column not in record.index:
        return None
    value = record[column]
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _date_examples() -> dict[str, str]:
    return {p: date_text("2026-11-30", p, lang) for p in ("day", "month", "year")}


def _date_field(label: str, record: pd.Series | None, column: str, key: str, help_key: str | None = None) -> str:
    """A date typed as precisely as its source: the day, the month or the year (:func:`parse_date`)."""
    help_text = tr("dm.date_help", **_date_examples())
    return st.text_input(label, value=date_text(_stored(record, column), _stored(record, precision_column(column)),
                                                 lang),
                         help=f"{tr(help_key)} {help_text}" if help_key else help_text, key=key)


def _parsed_dates(typed: dict[str, tuple[str, str]], values: dict[str, object], problems: list[str]) -> None:
    """Put each typed date (column → (label, text)) and its precision into ``values``, or a problem
    naming its field into ``problems``."""
    for column, (label, text) in typed.items():
        try:
            parsed = parse_date(text, lang)
        except ValueError:
            problems.append(tr("dm.bad_date", field=label, value=text.strip(), **_date_examples()))
            continue
        values[column], values[precision_column(column)] = parsed if parsed else (None, None)


def _figure_field(layer: str, column: str, record: pd.Series | None, key: str) -> object:
    """One figure of a record: a number (empty: not published), an allowed value (empty: none), a
    list of sectors, or text; labelled with its column's label (which carries the unit), its
    template's explanation as help."""
    spec = LAYERS[layer].column(column)
    label = i18n.label("column", column, lang)
    value = _stored(record, column)
    about = i18n.t(f"template.about.{column}", lang) if i18n.has_translation(f"template.about.{column}", lang) else None
    if column == "permitted_sectors":
        return st.multiselect(label, list(SECTORS), default=[s for s in list_values(value) if s in SECTORS],
                              format_func=lambda s: i18n.label("sector", s, lang), help=about, key=key,
                              placeholder=tr("dm.none_chosen"), select_all=False)
    if spec.dtype in ("int", "float"):
        integer = spec.dtype == "int"
        number = None if value is None else (int(value) if integer else float(value))  # type: ignore[call-overload]  # a stored number
        wide = spec.max is not None and spec.max >= 1e6  # "%g" would write a million as 1e+06
        hint = None if integer else i18n.decimal_input_help(lang)
        return st.number_input(label, value=number, step=1 if integer else (1.0 if wide else None),
                               format="%d" if integer else ("%.0f" if wide else "%g"),
                               help="\n\n".join(h for h in (about, hint) if h) or None, key=key)
    if spec.allowed:
        kind = i18n.value_kind(layer, column)
        options = ["", *spec.allowed]
        return st.selectbox(label, options, index=options.index(value) if value in options else 0,
                            format_func=lambda v: i18n.label(kind, v or None, lang) if kind else (v or i18n.MISSING),
                            help=about, key=key)
    return st.text_input(label, value="" if value is None else str(value), help=about, key=key)


def _provenance_fields(record: pd.Series | None, kind_column_name: str, source_column: str,
                       prefix: str) -> tuple[str, str]:
    kinds = ["", *PROVENANCE_KINDS]
    stored = _stored(record, kind_column_name)
    kind = st.selectbox(tr("column.source_kind"), kinds, index=kinds.index(stored) if stored in kinds else 0,
                        format_func=lambda k: i18n.label("provenance", k or None, lang), key=f"{prefix}_source_kind")
    source = st.text_input(tr("dm.source"), value=str(_stored(record, source_column) or ""), key=f"{prefix}_source")
    return kind, source


def _save_record(session: auth.Session, form: str, target: str, layer: str, record_id: str,
                 values: dict[str, object], shown: int | None, why: str, labels: dict[str, str]) -> None:
    """Add the record (``shown`` None: the form showed none) or change it if it is still at version
    ``shown``; a refusal is said (a conflict names who changed it and what it holds now, a problem
    names its field as the form labels it) and the form keeps what was typed."""
    held = st.session_state["_dm_held"]
    generation = held[form, target][0]
    try:
        if shown is None:
            version = store.add_record(layer, values, session.account, why)
        else:
            version = store.edit_record(layer, record_id, values, shown, session.account, why)
    except ConflictError as exc:  # the next save is made knowing the version now stored
        now = [c.version for c in exc.conflicts if c.record_id == record_id and c.version is not None]
        if now:
            held[form, target] = (generation, now[0])
        current = next((c.current for c in exc.conflicts if c.record_id == record_id), None)
        _show_refusal(exc, session.account, differing_fields(layer, values, current))
        st.info(tr("dm.conflict_save_again"))
    except DataError as exc:
        _show_problems(problem_lines(exc.problems, lang, labels))
    except HezaError as exc:
        _show_refusal(exc, session.account)
    else:
        held[form, target] = (generation + 1, None)
        st.session_state["_dm_flash"] = tr("dm.saved", version=version)
        st.rerun()


def _form_labels(kind_column_name: str, source_column: str) -> dict[str, str]:
    """The labels a record form gives the fields the store may name in a problem."""
    return {kind_column_name: tr("column.source_kind"), source_column: tr("dm.source"), "comment": tr("dm.comment")}


def passport_form(session: auth.Session, names: dict[str, str]) -> None:
    """A park's passport, one group of figures at a time (land, utilities, planning), each with the
    date its source gives and that source. An empty figure is not published (never 0); a date is
    typed as precisely as the source gives it (a year is kept as a year). A park with no passport
    yet gets one on its first save; otherwise the save changes the row the form showed, and is
    refused if someone changed it since (:func:`_held`: what was typed stays)."""
    st.markdown(f"**{tr('dm.edit_passport')}**")
    park_column, group_column = st.columns([3, 2])
    park = park_column.selectbox(tr("dm.park"), parks_by_name(names), key="dm_pp_park", format_func=lambda p: names[p])
    group = group_column.selectbox(tr("dm.passport_group"), list(PASSPORT_GROUPS), key="dm_pp_group",
                                   format_func=lambda g: i18n.label("passport_group", g, lang))
    passports = store.read_layer("passports")
    rows = passports[passports["park_id"] == park]
    record = None if rows.empty else rows.iloc[0]
    target = f"{park}_{group}"
    prefix, shown = _held("pp", target, None if record is None else int(record["row_version"]))
    as_of, _, kind_name, source_name = group_columns(group)
    fields = PASSPORT_FIELDS[group]
    with st.form("dm_passport"):
        what = f"{names[park]} · {i18n.label('passport_group', group, lang)}"
        st.caption(tr("dm.record_new", record=what) if shown is None else tr("dm.record_shown", record=what,
                                                                               version=shown))
        st.caption(tr("dm.not_published_help"))
        typed: dict[str, object] = {}
        dates: dict[str, tuple[str, str]] = {}
        columns = st.columns(2)
        for i, column in enumerate(fields):
            with columns[i % 2]:
                if column == "ready_by":
                    label = i18n.label("column", column, lang)
                    dates[column] = (label, _date_field(label, record, column, f"{prefix}_{column}",
                                                        "dm.ready_by_help"))
                else:
                    typed[column] = _figure_field("passports", column, record, f"{prefix}_{column}")
        label = i18n.label("column", as_of, lang)
        dates[as_of] = (label, _date_field(label, record, as_of, f"{prefix}_as_of"))
        kind, source = _provenance_fields(record, kind_name, source_name, prefix)
        why = st.text_input(tr("dm.comment"), key=f"{prefix}_comment")
        save = st.form_submit_button(tr("dm.save_passport"), type="primary")
    if not save:
        return
    values: dict[str, object] = {"park_id": park}
    for column, value in typed.items():
        if column == "permitted_sectors":
            values[column] = ";".join(s for s in SECTORS if s in value) or None  # type: ignore[operator]  # a multiselect's list
        else:
            values[column] = (value.strip() or None) if isinstance(value, str) else value
    problems: list[str] = []
    _parsed_dates(dates, values, problems)
    problems += _form_problems(kind, source, why)
    if problems:
        _show_problems(problems)
        return
    values |= {kind_name: kind or None, source_name: source.strip() or None}
    _save_record(session, "pp", target, "passports", park, values, shown, why,
                 _form_labels(kind_name, source_name) | {precision_column(as_of): label})


def contact_form(session: auth.Session, names: dict[str, str]) -> None:
    """Whom an investor calls: a park's developer sales office, or HEZA's investment-promotion desk
    (for every park): organisation, person, phone, e-mail, website, languages spoken, with the date
    and source. Only what the organisation publishes; the store refuses a demo contact that could
    reach someone (:mod:`heza_geo.io.validation`), each problem naming its field."""
    st.markdown(f"**{tr('dm.edit_contact')}**")
    whom = st.selectbox(tr("dm.contact_whom"), ["", *parks_by_name(names)], key="dm_ct_whom",
                        format_func=lambda p: i18n.t("dm.contact_sales", lang, park=names[p]) if p
                        else i18n.t("dm.contact_desk", lang))
    park = whom or None
    record = contact_record(store.read_layer("contacts"), park)
    record_id = new_contact_id(park) if record is None else str(record["contact_id"])
    target = whom or "desk"
    prefix, shown = _held("ct", target, None if record is None else int(record["row_version"]))
    with st.form("dm_contact"):
        what = i18n.t("dm.contact_sales", lang, park=names[whom]) if whom else tr("dm.contact_desk")
        st.caption(tr("dm.record_new", record=what) if shown is None else tr("dm.record_shown", record=what,
                                                                               version=shown))
        st.caption(tr("dm.contact_demo_help"))
        typed = {column: st.text_input(i18n.label("column", column, lang), value=str(_stored(record, column) or ""),
                                       key=f"{prefix}_{column}")
                 for column in ("organisation", "person", "phone", "email", "website")}
        spoken = list_values(_stored(record, "languages"))
        languages = st.multiselect(i18n.label("column", "languages", lang),
                                   list(dict.fromkeys([*SPOKEN_LANGUAGES, *spoken])), default=spoken,
                                   format_func=lambda code: language_name(code, lang), key=f"{prefix}_languages",
                                   placeholder=tr("dm.none_chosen"), select_all=False)
        label = i18n.label("column", "as_of", lang)
        typed_as_of = _date_field(label, record, "as_of", f"{prefix}_as_of")
        kind, source = _provenance_fields(record, "source_kind", "source", prefix)
        why = st.text_input(tr("dm.comment"), key=f"{prefix}_comment")
        save = st.form_submit_button(tr("dm.save_contact"), type="primary")
    if not save:
        return
    values: dict[str, object] = {"contact_id": record_id, "park_id": park,
                                 "role": "developer_sales" if park else "heza_desk",
                                 **{column: text.strip() or None for column, text in typed.items()},
                                 "languages": ";".join(languages) or None}
    _save_dated(session, ("ct", target), "contacts", record_id, values, shown, why, (label, typed_as_of),
                (kind, source))


def _save_dated(session: auth.Session, form: tuple[str, str], layer: str, record_id: str, values: dict[str, object],
                shown: int | None, why: str, as_of: tuple[str, str], provenance: tuple[str, str]) -> None:
    """Save a record with one date (``as_of``: its label and the text typed, stored with its precision) and one
    provenance (kind and reference), as the contacts and incentives forms do: every problem of the form said at
    once (the date, the provenance, the comment) before the store sees it; ``form`` is the form's tag and target."""
    label, typed = as_of
    kind, source = provenance
    problems: list[str] = []
    _parsed_dates({"as_of": (label, typed)}, values, problems)
    problems += _form_problems(kind, source, why)
    if problems:
        _show_problems(problems)
        return
    values |= {"source_kind": kind or None, "source": source.strip() or None}
    _save_record(session, *form, layer, record_id, values, shown, why,
                 _form_labels("source_kind", "source") | {"as_of_precision": label})


def incentives_form(session: auth.Session) -> None:
    """The incentives of an economic zone, or of the industrial parks outside any zone, as staff write
    them in each of the five languages, with the date and source."""
    st.markdown(f"**{tr('dm.edit_incentives')}**")
    zones = store.read_layer("zones")
    zone_names = i18n.names(zones, "zone_id", lang)
    choice = st.selectbox(tr("dm.incentive_for"), [*parks_by_name(zone_names), ""], key="dm_inc_for",
                          format_func=lambda z: zone_names[z] if z else i18n.label("incentive_regime",
                                                                                   "industrial_park", lang))
    zone = choice or None
    record = incentive_record(store.read_layer("incentives"), zone)
    record_id = new_incentive_id(zone) if record is None else str(record["incentive_id"])
    target = choice or "outside"
    prefix, shown = _held("inc", target, None if record is None else int(record["row_version"]))
    with st.form("dm_incentives"):
        what = zone_names[choice] if choice else i18n.label("incentive_regime", "industrial_park", lang)
        st.caption(tr("dm.record_new", record=what) if shown is None else tr("dm.record_shown", record=what,
                                                                               version=shown))
        st.caption(tr("dm.incentives_help"))
        columns = st.columns(len(LANGUAGES))
        texts = {}
        for column, code in zip(columns, LANGUAGES, strict=True):
            name = f"text_{code}"
            texts[name] = column.text_area(i18n.label("column", name, lang), value=str(_stored(record, name) or ""),
                                           height=160, key=f"{prefix}_{name}")
        date_column, kind_column_, source_column = st.columns([1, 1, 2])
        label = i18n.label("column", "as_of", lang)
        with date_column:
            typed_as_of = _date_field(label, record, "as_of", f"{prefix}_as_of")
        with kind_column_:
            kinds = ["", *PROVENANCE_KINDS]
            stored = _stored(record, "source_kind")
            kind = st.selectbox(tr("column.source_kind"), kinds, index=kinds.index(stored) if stored in kinds else 0,
                                format_func=lambda k: i18n.label("provenance", k or None, lang),
                                key=f"{prefix}_source_kind")
        with source_column:
            source = st.text_input(tr("dm.source"), value=str(_stored(record, "source") or ""), key=f"{prefix}_source")
        why = st.text_input(tr("dm.comment"), key=f"{prefix}_comment")
        save = st.form_submit_button(tr("dm.save_incentives"), type="primary")
    if not save:
        return
    values: dict[str, object] = {"incentive_id": record_id, "regime": "economic_zone" if zone else "industrial_park",
                                 "zone_id": zone, **{name: text.strip() or None for name, text in texts.items()}}
    _save_dated(session, ("inc", target), "incentives", record_id, values, shown, why, (label, typed_as_of),
                (kind, source))


# --- history of a park, and revert -------------------------------------------------------------------
def history_tab(session: auth.Session, names: dict[str, str]) -> None:
    """The latest versions; a park's record changes with each field's value before and after (parks
    changed lately first; last, the records of no park: HEZA's desk, the incentives); revert a
    version, or one record's change in it.

    The version to revert is chosen outside the form, so its button and the list of its records
    follow the choice; the list is keyed by the newest version, so it starts at the newest again
    after any new change."""
    st.markdown(f"**{tr('dm.recent_versions')}**")
    st.dataframe(versions_table(store.versions(limit=10), lang), hide_index=True, width="stretch", key="dm_versions")
    st.markdown(f"**{tr('dm.history_title')}**")
    park = st.selectbox(tr("dm.park"), [*parks_recently_changed_first(names, store.history(limit=50)), ""],
                        key="dm_hist_park",
                        format_func=lambda p: names[p] if p else i18n.t("dm.history_no_park", lang))
    entries = (store.history(park_id=park) if park
               else without_park(e for layer in PARKLESS_LAYERS for e in store.history(layer=layer)))
    if not entries:
        st.caption(tr("dm.no_history"))
        return
    st.dataframe(history_table(entries, lang), hide_index=True, width="stretch", key="dm_history",
                 column_config={tr("dm.col_changes"): st.column_config.TextColumn(width="large")})
    choices = revert_choices(entries, lang)
    newest = next(iter(choices))
    target = st.selectbox(tr("dm.revert_version"), list(choices), key=f"dm_revert_version_{newest}",
                          format_func=lambda v: choices[v])
    records = [(e.layer, e.record_id) for e in entries if e.version == target]
    whole = ("", "")
    only = st.selectbox(tr("dm.revert_what"), [whole, *records] if len(records) > 1 else records,
                        key=f"dm_revert_only_{newest}_{target}",
                        format_func=lambda r: tr("dm.revert_all", n=len(records)) if r == whole
                        else f"{i18n.t(f'layer.{r[0]}', lang)} {r[1]}")
    with st.form("dm_revert"):
        why = st.text_input(tr("dm.comment"), key="dm_revert_comment")
        revert = st.form_submit_button(tr("dm.revert", version=target))
    if revert:
        try:
            new = store.revert(int(target), session.account, why, only=None if only == whole else only)
        except HezaError as exc:
            _show_refusal(exc, session.account)
        else:
            st.session_state["_dm_flash"] = tr("dm.reverted", version=target, new=new)
            st.rerun()


# --- accounts (admin) ----------------------------------------------------------------------------------
def accounts_tab(session: auth.Session) -> None:
    """The accounts; create one (a refusal says every problem and keeps what was typed; a creation
    empties the form); block or unblock another (never one's own)."""
    if st.session_state.pop("_dm_account_created", False):
        _reset({"dm_new_name": "", "dm_new_password": ""})
    accounts = auth.list_accounts(store)
    st.dataframe(accounts_table(accounts, lang), hide_index=True, width="stretch", key="dm_accounts")
    with st.form("dm_new_account"):
        st.markdown(f"**{tr('dm.new_account')}**")
        name = st.text_input(tr("dm.account"), key="dm_new_name")
        role = st.selectbox(tr("dm.role"), list(auth.ACCOUNT_ROLES), key="dm_new_role",
                            format_func=lambda r: i18n.t(f"role.{r}", lang))
        password = st.text_input(tr("dm.password"), type="password", key="dm_new_password")
        create = st.form_submit_button(tr("dm.create_account"))
    if create:
        try:
            auth.add_account(store, name, password, role)
        except auth.AuthError as exc:  # each problem in the page's language (the English one is the log's)
            reasons = [i18n.t(key, lang, **params) for key, params in exc.reasons] or [tr("dm.account_refused")]
            st.error("\n".join(f"- {md_escape(reason)}" for reason in reasons))
        else:
            st.session_state["_dm_account_created"] = True
            st.session_state["_dm_flash"] = tr("dm.account_created", name=name)
            st.rerun()
    others = [n for n in accounts["name"] if n != session.account]
    if others:
        block_column, button_column = st.columns([3, 1])
        target = block_column.selectbox(tr("dm.toggle_block"), others, key="dm_block_target")
        if button_column.button(tr("dm.toggle_block"), key="dm_block"):
            blocked = bool(accounts.set_index("name").loc[target, "disabled"])
            auth.set_disabled(store, target, not blocked)
            st.rerun()


# --- the page: who is signed in, then a tab per task ------------------------------------------------
session = current_session()
if session is None:
    login_form()
    st.stop()

who, sign_out = st.columns([4, 1])
who.caption(md_format(tr("dm.signed_in_as", name="{name}", role="{role}"), name=session.account,
                      role=i18n.t(f"role.{session.role}", lang)))
sign_out_button(sign_out)
_flash()

parks = store.read_layer("parks")
park_names = i18n.names(parks, "park_id", lang)
tabs = [tr("dm.tab_import"), tr("dm.tab_edit"), tr("dm.tab_history")]
more = {name: label for name, label, action in (("inbox", tr("inbox.tab"), "read_confidential"),
                                                ("accounts", tr("dm.tab_accounts"), "manage_accounts"))
        if auth.can(session.role, action)}
# keyed and tracked: the open tab is the officer's across reruns (a save, a flash above the tabs)
tab_import, tab_edit, tab_history, *tabs_more = st.tabs([*tabs, *more.values()], key="dm_tab", on_change="rerun")
with tab_import:
    import_tab(session, parks)
with tab_edit:
    edit_tab(session, parks, park_names, bool(tab_edit.open))
with tab_history:
    history_tab(session, park_names)
for name, tab in zip(more, tabs_more, strict=True):
    with tab:
        if name == "inbox":
            inbox.inbox_tab(store, session, lang, park_names)
        else:
            accounts_tab(session)
