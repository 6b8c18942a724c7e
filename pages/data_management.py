"""Staff page: sign in, import a file (check → preview → confirm), edit records, history and revert.

Everything that decides goes through ``heza_geo``: :mod:`heza_geo.importers` validates and diffs,
the store (:mod:`heza_geo.store`) writes all or nothing and refuses stale edits, and
:mod:`heza_geo.auth` checks passwords, throttles and expires sessions. The session token lives
in ``st.session_state`` (server side), never in the URL.

Single sign-on: when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's OIDC
settings: ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
``server_metadata_url``), a "Sign in with the HEZA identity provider" button calls ``st.login``;
the identity's e-mail must match an account name (created with ``python -m heza_geo user add``),
whose role applies. Without that section only the password form is shown.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from heza_geo import assets, auth, i18n
from heza_geo.changemap import change_map
from heza_geo.crs import CANDIDATES
from heza_geo.importers import FORMATS, apply_import, prepare_import
from heza_geo.safefiles import Limits
from heza_geo.schema import FIGURE_BASIS, LAYERS, PLOT_STATUS, SECTORS
from heza_geo.store import ConflictError, StoreError
from heza_geo.store.diff import change_geometries, change_table, changed_fields
from heza_geo.validation import DataError
from pages import common
from pages.common import tr

lang = common.lang()
settings = common.settings()
st.markdown(f"### {tr('page.data_management')}")

try:
    store = common.store()
    if store is not None:
        store.current_version()  # a database that went away: say so before any form is shown
except StoreError as exc:
    st.error(tr("dm.store_offline") + f"\n\n`{exc}`")
    st.stop()
except DataError as exc:
    st.error(tr("msg.load_error", error=str(exc)))
    st.stop()
if store is None:
    st.info(tr("dm.no_store"))
    st.stop()


def _crs_label(code: str) -> str:
    return tr("dm.crs_auto") if not code else tr("crs.epsg_" + code.split(":")[-1])


def _problem_table(problems) -> pd.DataFrame:  # noqa: ANN001 - list of validation.Problem
    return pd.DataFrame({
        tr("dm.col_file"): [p.file for p in problems],
        tr("dm.col_row"): [p.row if p.row is not None else "" for p in problems],
        tr("dm.col_record"): [p.record_id or "" for p in problems],
        tr("dm.col_field"): [p.field or "" for p in problems],
        tr("dm.col_problem"): [p.message for p in problems],
    })


def _show_refusal(exc: Exception) -> None:
    if isinstance(exc, ConflictError):
        st.error(tr("dm.conflict") + "\n\n" + "\n".join(f"- `{layer}` {rid}: {why}" for layer, rid, why in exc.conflicts))
    elif isinstance(exc, DataError):
        st.error(tr("dm.invalid"))
        st.dataframe(_problem_table(exc.problems), hide_index=True, width="stretch")
    elif isinstance(exc, StoreError):
        st.error(tr("dm.store_offline") + f"\n\n`{exc}`")
    else:
        st.error(str(exc))


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
    token = st.session_state.get("_staff_token")
    if token:
        session = auth.session_for(store, token)
        if session is None:
            st.session_state.pop("_staff_token", None)
            st.warning(tr("dm.session_expired"))
        return session
    if _oidc_configured() and st.user.is_logged_in:
        name = str(st.user.get("email") or "")
        role = auth.account_role(store, name)
        if role is None:
            st.error(tr("dm.no_account_for_identity", name=name))
            return None
        return auth.Session("", name, role, pd.Timestamp.max.to_pydatetime())
    return None


def login_form() -> None:
    st.caption(tr("dm.public_note"))
    with st.form("login", clear_on_submit=False):
        st.markdown(f"**{tr('dm.login_title')}**")
        name = st.text_input(tr("dm.account"), key="login_name")
        password = st.text_input(tr("dm.password"), type="password", key="login_password")
        submitted = st.form_submit_button(tr("dm.sign_in"), type="primary")
    if submitted:
        try:
            session = auth.login(store, name, password, st.context.ip_address or "?", settings.session_hours)
        except auth.LockedOut as exc:
            st.error(tr("dm.locked", seconds=int(exc.retry_after_s) + 1))
        except auth.AuthError:
            st.error(tr("dm.bad_login"))
        else:
            st.session_state["_staff_token"] = session.token
            st.rerun()
    if _oidc_configured():
        st.button(tr("dm.sign_in_oidc"), on_click=st.login)


session = current_session()
if session is None:
    login_form()
    st.stop()

who, sign_out = st.columns([4, 1])
who.caption(tr("dm.signed_in_as", name=session.account, role=i18n.t(f"role.{session.role}", lang)))
if sign_out.button(tr("dm.sign_out"), key="sign_out"):
    if session.token:
        auth.logout(store, session.token)
    st.session_state.pop("_staff_token", None)
    if not session.token:
        st.logout()
    st.rerun()
_flash()

parks = store.read_layer("parks")
park_names = dict(zip(parks["park_id"], parks["name_vi" if lang == "vi" else "name_en"]))
park_ids = sorted(park_names, key=lambda p: park_names[p])
tabs = [tr("dm.tab_import"), tr("dm.tab_edit"), tr("dm.tab_history")]
if auth.can(session.role, "manage_accounts"):
    tabs.append(tr("dm.tab_accounts"))
tab_import, tab_edit, tab_history, *tab_accounts = st.tabs(tabs)

# --- import: check -> preview -> confirm ---------------------------------------------------------
with tab_import:
    layer = st.selectbox(tr("dm.layer"), list(LAYERS), key="dm_layer", format_func=lambda n: i18n.t(f"layer.{n}", lang))
    upload = st.file_uploader(tr("dm.file", mb=f"{settings.max_upload_mb:g}"), key="dm_upload",
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
    if prepared is not None and prepared.problems:
        st.error(tr("dm.problems", n=len(prepared.problems)))
        st.dataframe(_problem_table(prepared.problems), hide_index=True, width="stretch", key="dm_problems")
        if prepared.suggested_crs:
            st.info(tr("dm.suggested_crs", crs=_crs_label(prepared.suggested_crs)))
    elif prepared is not None:
        for note in prepared.notes:
            st.caption(f"ⓘ {note}")
        schema = LAYERS[prepared.layer]
        if prepared.crs:
            st.caption(tr("dm.crs_used", crs=prepared.crs, how=tr(f"dm.crs_from_{prepared.crs_from}")))
        if not len(prepared.change_set):
            st.info(tr("dm.nothing_changes"))
        else:
            st.markdown(f"**{tr('dm.preview')}**")
            counts = prepared.summary()
            for column, op in zip(st.columns(3), ("insert", "update", "delete")):
                column.metric(i18n.t(f"op.{op}", lang), i18n.fmt_number(counts[op], lang, 0))
            geoms = change_geometries(prepared.change_set, schema)
            if geoms is not None and not geoms.empty:
                preview = change_map(geoms, lang, parks, common.land())
                st_folium(assets.localize(preview), height=380, width="stretch", key="dm_preview_map",
                          returned_objects=[])
                st.caption(tr("dm.changes_map"))
            table = change_table(prepared.change_set, schema)
            table["op"] = table["op"].map(lambda op: i18n.t(f"op.{op}", lang))
            table = table.rename(columns={"op": tr("dm.col_op"), "record_id": tr("dm.col_record"),
                                          "fields": tr("dm.col_fields")})
            st.dataframe(table, hide_index=True, width="stretch", height=260, key="dm_changes")
            with st.form("dm_confirm"):
                comment = st.text_input(tr("dm.comment"), key="dm_comment")
                confirmed = st.form_submit_button(tr("dm.confirm_import", n=len(prepared.change_set)), type="primary")
            if confirmed:
                if not comment.strip():
                    st.error(tr("dm.need_comment"))
                else:
                    try:
                        version = apply_import(store, prepared, session.account, comment)
                    except (ConflictError, DataError, StoreError) as exc:
                        st.session_state.pop("_dm_prepared", None)
                        _show_refusal(exc)
                    else:
                        st.session_state.pop("_dm_prepared", None)
                        st.session_state["_dm_flash"] = tr("dm.imported", version=version)
                        st.rerun()

# --- edit one record -----------------------------------------------------------------------------
with tab_edit:
    occupancy_column, plot_column = st.columns(2, gap="large")
    with occupancy_column:
        st.markdown(f"**{tr('dm.edit_occupancy')}**")
        park = st.selectbox(tr("dm.park"), park_ids, key="dm_occ_park", format_func=lambda p: park_names[p])
        history = store.read_layer("occupancy_history")
        mine = history[history["park_id"] == park].sort_values("as_of")
        latest_pct = 0.0
        if not mine.empty:
            last = mine.iloc[-1]
            latest_pct = float(last["occupancy_pct"])
            st.caption(tr("dm.latest", value=i18n.fmt_percent(last["occupancy_pct"], lang),
                          date=i18n.fmt_date(last["as_of"], lang), source=i18n.badge(last["source"], lang)))
        with st.form("dm_occupancy", clear_on_submit=True):
            pct = st.number_input(tr("dm.occupancy_pct"), min_value=0.0, max_value=100.0, step=0.1, value=latest_pct)
            as_of = st.date_input(tr("dm.as_of"), value=date.today(), key="dm_occ_as_of")
            basis = st.selectbox(tr("dm.basis"), list(FIGURE_BASIS), key="dm_occ_basis",
                                 format_func=lambda b: i18n.label("basis", b, lang))
            source = st.text_input(tr("dm.source"), key="dm_occ_source")
            why = st.text_input(tr("dm.comment"), key="dm_occ_comment")
            add = st.form_submit_button(tr("dm.save_occupancy"), type="primary")
        if add:
            try:
                version = store.add_record("occupancy_history", {
                    "scope": "park", "park_id": park, "as_of": as_of, "occupancy_pct": pct, "basis": basis,
                    "source": source, "note": why}, session.account, why)
            except (ConflictError, DataError, StoreError) as exc:
                _show_refusal(exc)
            else:
                st.session_state["_dm_flash"] = tr("dm.saved", version=version)
                st.rerun()
    with plot_column:
        st.markdown(f"**{tr('dm.edit_plot')}**")
        plot_park = st.selectbox(tr("dm.park"), park_ids, key="dm_plot_park", format_func=lambda p: park_names[p])
        plots = store.read_layer("plots")
        in_park = plots[plots["park_id"] == plot_park].set_index("record_id")
        plot_id = st.selectbox(tr("dm.plot"), list(in_park.index), key="dm_plot")
        if plot_id:
            record = in_park.loc[plot_id]
            seen_key = f"_dm_seen_{plot_id}"
            seen = st.session_state.setdefault(seen_key, int(record["row_version"]))  # what this person saw
            with st.form("dm_plot_form"):
                status = st.selectbox(tr("dm.status"), list(PLOT_STATUS), index=list(PLOT_STATUS).index(record["status"]),
                                      format_func=lambda s: i18n.label("plot_status", s, lang))
                tenant = st.text_input(tr("dm.tenant"), value=record["tenant"] if pd.notna(record["tenant"]) else "")
                sectors = ["", *SECTORS]
                sector = st.selectbox(tr("dm.sector"), sectors, format_func=lambda s: i18n.label("sector", s or None, lang),
                                      index=sectors.index(record["sector"]) if pd.notna(record["sector"]) else 0)
                why = st.text_input(tr("dm.comment"), key="dm_plot_comment")
                save = st.form_submit_button(tr("dm.save_plot"), type="primary")
            if save:
                try:
                    version = store.edit_record("plots", plot_id, {"status": status, "tenant": tenant or None,
                                                                   "sector": sector or None}, seen, session.account, why)
                except (ConflictError, DataError, StoreError) as exc:
                    if isinstance(exc, ConflictError):
                        st.session_state.pop(seen_key, None)
                    _show_refusal(exc)
                else:
                    st.session_state.pop(seen_key, None)
                    st.session_state["_dm_flash"] = tr("dm.saved", version=version)
                    st.rerun()

# --- history of a park, and revert -------------------------------------------------------------------
with tab_history:
    recent = store.versions(limit=10)
    st.markdown(f"**{tr('dm.recent_versions')}**")
    st.dataframe(pd.DataFrame({
        tr("dm.col_version"): [v.version for v in recent],
        tr("dm.col_at"): [v.at.strftime("%Y-%m-%d %H:%M") for v in recent],
        tr("dm.col_author"): [v.author for v in recent],
        tr("dm.col_records"): [v.changes for v in recent],
        tr("dm.col_comment"): [v.comment for v in recent],
    }), hide_index=True, width="stretch", key="dm_versions")
    st.markdown(f"**{tr('dm.history_title')}**")
    changed_parks = {e.park_id for e in store.history(limit=50) if e.park_id in park_names}
    park = st.selectbox(tr("dm.park"), sorted(park_ids, key=lambda p: (p not in changed_parks, park_names[p])),
                        key="dm_hist_park", format_func=lambda p: park_names[p])
    entries = store.history(park_id=park)
    if not entries:
        st.caption(tr("dm.no_history"))
    else:
        from heza_geo.store.base import Change

        st.dataframe(pd.DataFrame({
            tr("dm.col_version"): [e.version for e in entries],
            tr("dm.col_at"): [e.at.strftime("%Y-%m-%d %H:%M") for e in entries],
            tr("dm.col_author"): [e.author for e in entries],
            tr("dm.col_op"): [i18n.t(f"op.{e.op}", lang) for e in entries],
            tr("dm.col_layer"): [i18n.t(f"layer.{e.layer}", lang) for e in entries],
            tr("dm.col_record"): [e.record_id for e in entries],
            tr("dm.col_fields"): [", ".join(changed_fields(Change(e.layer, e.record_id, e.op, e.after, e.before)))
                                  for e in entries],
            tr("dm.col_comment"): [e.comment for e in entries],
        }), hide_index=True, width="stretch", key="dm_history")
        versions = sorted({e.version for e in entries}, reverse=True)
        with st.form("dm_revert"):
            target = st.selectbox(tr("dm.revert_version"), versions, key="dm_revert_version")
            why = st.text_input(tr("dm.comment"), key="dm_revert_comment")
            revert = st.form_submit_button(tr("dm.revert", version=target))
        if revert:
            try:
                new = store.revert(int(target), session.account, why)
            except (ConflictError, DataError, StoreError) as exc:
                _show_refusal(exc)
            else:
                st.session_state["_dm_flash"] = tr("dm.reverted", version=target, new=new)
                st.rerun()

# --- accounts (admin) ----------------------------------------------------------------------------------
for tab in tab_accounts:
    with tab:
        accounts = auth.list_accounts(store)
        st.dataframe(pd.DataFrame({
            tr("dm.account"): accounts["name"],
            tr("dm.role"): accounts["role"].map(lambda r: i18n.t(f"role.{r}", lang)),
            tr("dm.created_at"): accounts["created_at"].astype(str).str[:10],
            tr("dm.disabled"): accounts["disabled"],
        }), hide_index=True, width="stretch", key="dm_accounts")
        with st.form("dm_new_account", clear_on_submit=True):
            st.markdown(f"**{tr('dm.new_account')}**")
            name = st.text_input(tr("dm.account"))
            role = st.selectbox(tr("dm.role"), list(auth.ACCOUNT_ROLES), format_func=lambda r: i18n.t(f"role.{r}", lang))
            password = st.text_input(tr("dm.password"), type="password")
            create = st.form_submit_button(tr("dm.create_account"))
        if create:
            try:
                auth.add_account(store, name, password, role)
            except auth.AuthError as exc:
                st.error(str(exc))
            else:
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
