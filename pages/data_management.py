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
:func:`accounts_tab`) under a short top level: who is signed in, then the tabs their role allows.
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
    accounts_table,
    changes_table,
    conflict_lines,
    history_table,
    latest_occupancy,
    parks_by_name,
    parks_recently_changed_first,
    problems_csv,
    problems_table,
    provenance_problem,
    revert_choices,
    versions_table,
)
from heza_geo.errors import ConflictError, DataError, HezaError, StoreError
from heza_geo.io import resilience, templates
from heza_geo.io.crs import CANDIDATES
from heza_geo.io.importers import FORMATS, SAID_BY_THE_PAGE, apply_import, prepare_import
from heza_geo.io.safefiles import Limits
from heza_geo.maps import assets
from heza_geo.maps.changes import change_map
from heza_geo.maps.picker import picked, plot_picker_map
from heza_geo.schema import FIGURE_BASIS, LAYERS, PLOT_STATUS, PROVENANCE_KINDS, SECTORS
from heza_geo.store import auth
from heza_geo.store.diff import change_geometries
from heza_geo.text import md_escape, md_format
from heza_geo.ui import common
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
    return tr("dm.crs_auto") if not code else tr("crs.epsg_" + code.split(":")[-1])


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
    ``tab_open``: whether this tab is the one open (see :func:`plot_form`)."""
    occupancy_column, plot_column = st.columns(2, gap="large")
    with occupancy_column:
        occupancy_form(session, names)
    with plot_column:
        plot_form(session, parks, names, tab_open)


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


# --- history of a park, and revert -------------------------------------------------------------------
def history_tab(session: auth.Session, names: dict[str, str]) -> None:
    """The latest versions; a park's record changes with each field's value before and after (parks
    changed lately first); revert a version, or one record's change in it.

    The version to revert is chosen outside the form, so its button and the list of its records
    follow the choice; the list is keyed by the newest version, so it starts at the newest again
    after any new change."""
    st.markdown(f"**{tr('dm.recent_versions')}**")
    st.dataframe(versions_table(store.versions(limit=10), lang), hide_index=True, width="stretch", key="dm_versions")
    st.markdown(f"**{tr('dm.history_title')}**")
    park = st.selectbox(tr("dm.park"), parks_recently_changed_first(names, store.history(limit=50)),
                        key="dm_hist_park", format_func=lambda p: names[p])
    entries = store.history(park_id=park)
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
if auth.can(session.role, "manage_accounts"):
    tabs.append(tr("dm.tab_accounts"))
# keyed and tracked: the open tab is the officer's across reruns (a save, a flash above the tabs)
tab_import, tab_edit, tab_history, *tab_accounts = st.tabs(tabs, key="dm_tab", on_change="rerun")
with tab_import:
    import_tab(session, parks)
with tab_edit:
    edit_tab(session, parks, park_names, bool(tab_edit.open))
with tab_history:
    history_tab(session, park_names)
for tab in tab_accounts:
    with tab:
        accounts_tab(session)
