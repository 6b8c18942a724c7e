"""Streamlit glue shared by every page: cached data, language, URL state, the filter sidebar.

Pages stay thin: read widgets, call ``heza_geo``, draw. Data is loaded once per data version and
shared by all sessions (``st.cache_resource``); when the data directory breaks, the last good
version stays on screen with a notice naming the broken file.

Notices are public: they name a file by its base name only and never a database's address, user
or password (:func:`heza_geo.io.resilience.public_text`); the full detail (path, host, the driver's
message) goes to the server log, once per process until it changes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

import geopandas as gpd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.config import PAGES_DIR, Settings, load_settings
from heza_geo.errors import DataError, StoreError
from heza_geo.io import Dataset, fingerprint, load_dataset, resilience
from heza_geo.io.basemap import offline_land
from heza_geo.links import BadParam, ViewState, decode, encode
from heza_geo.schema import PARK_STAGE, PLOT_STATUS, PROVINCE_BEFORE_2025, SECTORS
from heza_geo.store import Store, is_configured, open_store
from heza_geo.store.auth import public_dataset
from heza_geo.text import md_format
from heza_geo.view import Filters, MapView

log = logging.getLogger(__name__)

#: app.py marks the runs it routes, so a page can tell when Streamlit ran it alone (see :func:`_routed`)
_frame = threading.local()

#: the pages app.py navigates to: (script under pages/, title key, url path); the first is the default
PAGES: tuple[tuple[str, str, str], ...] = (
    ("map.py", "page.map", "map"),
    ("occupancy.py", "page.occupancy", "occupancy"),
    ("investment.py", "page.investment", "investment"),
    ("port.py", "page.port", "port"),
    ("land_finder.py", "page.land_finder", "land_finder"),
    ("compare.py", "page.compare", "compare"),
    ("presentation.py", "page.presentation", "presentation"),
    ("export.py", "page.export", "export"),
    ("data_management.py", "page.data_management", "data_management"),
)


def page_style() -> None:
    """The app's layout style (:data:`heza_geo.ui.layout.STYLE`) drawn by the page, where no guard
    put it into the page as sent (a bare ``streamlit run app.py``); nothing otherwise."""
    from heza_geo.ui import guard, layout  # guard: the app's HTTP front, loaded by the server already

    if not guard.guarded():
        st.html(layout.STYLE)


def navigation(lang: str) -> list[st.Page]:
    """The app's pages, titled in ``lang``, for ``st.navigation``."""
    return [st.Page(str(PAGES_DIR / script), title=i18n.t(title, lang), url_path=url, default=k == 0)
            for k, (script, title, url) in enumerate(PAGES)]


@contextmanager
def framed() -> Iterator[None]:
    """app.py runs inside this (picker, navigation, the chosen page): a page knows app.py routed it."""
    _frame.active = True
    st.session_state.pop("_heza_rerouted", None)  # the reroute (if any) reached app.py
    st.session_state["_heza_framed"] = True  # this session's process has left the legacy mode (see _routed)
    try:
        yield
    finally:
        _frame.active = False


@contextmanager
def logged_run(page: str, fragment: bool = False) -> Iterator[None]:
    """Two lines in the ``run_log`` setting's file per script run: ``<time> <page> <kind>`` when it
    starts, kind ``page`` for a run of app.py (every full run) and ``fragment`` for a fragment
    running alone, and ``<time> <page> done`` when it ends (drawn, stopped, rerun or failed). A
    fragment wraps its body in this with ``fragment=True``; drawn within a full run, it is part of
    that run and writes nothing. How ``bench --pages`` and the browser tests count the runs an
    action causes and tell the server's share of it from the browser's; nothing is written when
    ``run_log`` is unset (the default)."""
    alone = not (fragment and getattr(_frame, "active", False))
    if alone:
        _log_line(page, "fragment" if fragment else "page")
    try:
        yield
    finally:
        if alone:
            _log_line(page, "done")


def _log_line(page: str, kind: str) -> None:
    path = settings().run_log
    if path is None:
        return
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{time.time():.3f} {page} {kind}\n")


def _routed() -> None:
    """Make sure app.py routes this run, with its language picker, layout and navigation.

    Until ``st.navigation`` has run once in a process, Streamlit treats a ``pages/`` folder beside
    the main script the legacy way: the first visit after a restart to ``/presentation`` (the QR
    code's link) or ``/land_finder`` runs that page alone. Such a page calls the public
    ``st.navigation`` with the app's own pages (which ends the legacy mode for the process, and
    keeps this URL's page as the one to run) and reruns, so app.py routes this very request.
    A page whose reroute did not reach app.py (one run alone on purpose, as a test's
    ``AppTest.from_file("pages/…")``) draws as it is instead of rerouting again. Nor is a session
    app.py has routed before: a fragment rerunning alone runs outside app.py's frame, and was
    rerouted into a second, full run after every fragment run.
    """
    if getattr(_frame, "active", False) or st.session_state.get("_heza_rerouted") or st.session_state.get(
            "_heza_framed"):
        return
    st.session_state["_heza_rerouted"] = True
    st.navigation(navigation(settings().default_language), position="hidden")
    st.rerun()


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, Dataset]:
    return {}


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(data_dir: str, signature: str) -> Dataset:
    data = public_dataset(load_dataset(data_dir))
    _keep(resilience.keep_files, data_dir, settings().cache_dir)
    return data


def _keep(save: Callable[..., object], *args: object) -> None:
    """Save the last good copy (heza_geo.io.resilience); a cache that cannot be written only costs the fallback."""
    try:
        save(*args)
    except OSError as exc:
        logging.getLogger(__name__).warning("last good copy not saved in %s: %s", settings().cache_dir, exc)


def _fallback(key: str) -> Dataset | None:
    """The last good data: this process's, else the copy on disk from an earlier run."""
    data = _last_good().get(key)
    if data is None:
        data = resilience.load_last_good(settings().cache_dir, key)
        if data is not None:
            _last_good()[key] = data
    return data


@st.cache_resource(show_spinner=False)
def _open_store(key: str) -> Store:
    return open_store(settings())


def store() -> Store | None:
    """The configured store (heza_geo.store), or None when the app reads a data directory read-only."""
    configured = settings()
    if not is_configured(configured):
        return None
    return _open_store(configured.database_url or str(configured.store_path))


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_store(key: str, version: int) -> Dataset:
    data = store().read_dataset(public=True)  # type: ignore[union-attr]  # called only when a store is configured
    _keep(resilience.keep_dataset, data, settings().cache_dir, key)
    return data


@dataclass(frozen=True)
class Loaded:
    data: Dataset | None
    #: what keeps the new data out, as a visitor may read it (no server path, no database address)
    problems: tuple[str, ...] = ()
    #: the database is unreachable: the data shown is the last good, read-only
    offline: bool = False
    #: names of the files that keep the new data out
    broken: tuple[str, ...] = ()


def dataset() -> Loaded:
    """The current data, or the last good data with the problems that keep the new one out.

    Public: confidential columns are dropped here, so no page or export can show them. Read from
    the store when one is configured (cached per store version), else from the data directory.
    """
    _routed()
    if is_configured(settings()):
        key = settings().database_url or str(settings().store_path)
        try:
            data = _load_store(key, store().current_version())  # type: ignore[union-attr]  # called only when a store is configured
        except DataError as exc:
            _log_problem(key, "the store's data does not validate; the last good data is shown", str(exc))
            return Loaded(_fallback(key), _public(exc.problems))
        except StoreError as exc:
            # the visitor reads only "cannot be reached": the message holds the host and user (or the path)
            _log_problem(key, "the store cannot be used; the last good data is shown, read-only", str(exc))
            return Loaded(_fallback(key), offline=True)
        _last_good()[key] = data
        _log_recovery(key)
        return Loaded(data)
    data_dir = settings().data_dir
    try:
        data = _load(str(data_dir), fingerprint(data_dir))
    except DataError as exc:
        _log_problem(str(data_dir), f"{data_dir} does not load; the last good data is shown", str(exc))
        return Loaded(_fallback(str(data_dir)), _public(exc.problems),
                      broken=tuple(resilience.broken_files(exc.problems)))
    _last_good()[str(data_dir)] = data
    _log_recovery(str(data_dir))
    return Loaded(data)


def _public(problems: Iterable[object]) -> tuple[str, ...]:
    """Problems as a visitor may read them (see :func:`heza_geo.io.resilience.public_text`)."""
    known = [p for p in (settings().data_dir, settings().store_path, settings().cache_dir) if p]
    return tuple(resilience.public_text(str(p), known) for p in problems)


@st.cache_resource(show_spinner=False)
def _logged() -> dict[str, str]:
    return {}


def _log_problem(source: str, what: str, detail: str) -> None:
    """Log why the data is not current, once per process and detail: every page run of every session
    meets the same outage, and the log should say when it began, not repeat it. ``source`` (which may
    be a database URL with its password) is only a key here, never logged."""
    if _logged().get(source) != detail:
        _logged()[source] = detail
        log.warning("%s: %s", what, detail)


def _log_recovery(source: str) -> None:
    if _logged().pop(source, None) is not None:
        log.warning("the data loads again; the current version is shown")


#: how often an open page asks the store whether another process or session changed it
WATCH_SECONDS = 5


def watch_store() -> None:
    """Rerun this session when the store changes (an edit through another app process, another
    session, the import command) or comes back after an outage, so a screen nobody touches (an
    event's big screen, a staff member's tab) shows it within seconds. One cheap query per period."""
    if not is_configured(settings()):
        return
    try:
        seen: int | None = store().current_version()  # type: ignore[union-attr]  # called only when a store is configured
    except StoreError:
        seen = None  # offline: rerun as soon as it answers again
    _store_watch(seen)


@st.fragment(run_every=WATCH_SECONDS)
def _store_watch(seen: int | None) -> None:
    with logged_run("store-watch", fragment=True):
        try:
            now = store().current_version()  # type: ignore[union-attr]  # called only when a store is configured
        except StoreError:
            return
        if now != seen:
            st.rerun(scope="app")


@st.cache_resource(show_spinner=False, max_entries=8)
def overview(version: str, as_of: date | None, _data: Dataset) -> gpd.GeoDataFrame:
    return parks_overview(_data, as_of)


@st.cache_resource(show_spinner=False, max_entries=8)
def berths_now(version: str, as_of: date | None, _data: Dataset) -> gpd.GeoDataFrame:
    return berth_status(_data.berths, _data.berth_status_history, as_of)


@st.cache_resource(show_spinner=False)
def land():  # noqa: ANN201 - shapely geometry or None
    return offline_land()


# --- URL state -------------------------------------------------------------------------------
def view_state() -> ViewState:
    """The view named by the URL, read once per session; widgets take it from there."""
    if "_view_state" not in st.session_state:
        state = decode(_query(), settings().default_language)
        st.session_state["_view_state"] = state
        st.session_state["_lang"] = state.view.lang
    return st.session_state["_view_state"]


def publish(state: ViewState) -> str:
    """Write the view to the URL (so a copied link reproduces it) and remember it for the session;
    returns the view's query string (``urlencode`` of its parameters: a value that changes when the
    URL does, not the exact text Streamlit writes)."""
    st.session_state["_view_state"] = state
    params = encode(state)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return urlencode(params)


def map_position(view: MapView) -> MapView:
    """``view`` at the centre and zoom the URL has in this run (or none).

    The main map keeps its centre and zoom in the URL itself, from the browser (``HezaPlots.applyView``
    with ``following``), and never reports them (which would cost a run per pan): the server passes
    on the ``lat``, ``lon`` and ``z`` it was sent, so what it writes agrees with the URL and moves no map.
    """
    now = decode(_query(), settings().default_language).view
    return replace(view, center=now.center, zoom=now.zoom)


def _query() -> dict[str, object]:
    """The URL's query parameters, a repeated one as the list of its values."""
    return st.query_params.to_dict() | {k: st.query_params.get_all(k) for k in st.query_params}


def warn_link(problems: Iterable[BadParam | None]) -> None:
    """One warning per link parameter that was ignored, in the page's language, saying what is used instead (or,
    for one with no default, a map's centre or zoom, that it is left out)."""
    for bad in problems:
        if bad is not None:  # the value comes from a link: shown as text
            key = "msg.bad_link_param" if bad.default else "msg.bad_link_param_left_out"
            st.warning(md_format(tr(key), name=bad.name, value=bad.value, allowed=bad.allowed, default=bad.default))


def link_language() -> BadParam | None:
    """The URL's ``lang`` when the app has no such language (the page is drawn in the default one), named by
    app.py on every page. Read from the URL as this run has it: the page writes its language into the URL,
    so the notice goes with the visitor's next action."""
    bad = next((p for p in decode(_query(), settings().default_language).problems if p.name == "lang"), None)
    return bad and replace(bad, default=i18n.LANGUAGE_NAMES.get(bad.default, bad.default))  # "Tiếng Việt", not "vi"


def lang() -> str:
    _routed()
    return st.session_state.get("_lang") or view_state().view.lang


def tr(key: str, **kwargs: object) -> str:
    return i18n.t(key, lang(), **kwargs)


def _code(text: object) -> str:
    """``text`` as a Markdown code span, which renders nothing inside it; a backtick in the text
    (which would end the span, letting the rest render as Markdown) becomes a quote."""
    return "`" + str(text).replace("`", "'").replace("\n", " ") + "`"


def load_notice(loaded: Loaded, lang: str) -> tuple[str, str] | None:
    """The notice above a page whose data is not current: ``("warning", text)`` over the last good
    data, ``("error", text)`` when there is none, or None.

    Public: a store outage is told in a plain sentence (no address, no driver message); broken files
    and problems come from :attr:`Loaded.problems`, already free of server paths.
    """
    if not loaded.problems and not loaded.offline:
        return None
    lines = "\n".join(f"- {_code(p)}" for p in loaded.problems[:10])
    if loaded.broken:
        files = ", ".join(_code(name) for name in loaded.broken)
        lines = i18n.t("msg.broken_files", lang, files=files) + ("\n\n" + lines if lines else "")
    if loaded.data is None:
        reason = i18n.t("dm.store_offline", lang) if loaded.offline else ""
        return "error", i18n.t("msg.load_error", lang, error=reason) + ("\n\n" + lines if lines else "")
    head = i18n.t("msg.store_offline" if loaded.offline else "msg.showing_last_good", lang)
    return "warning", head + ("\n\n" + lines if lines else "")


def show_load_problems(loaded: Loaded) -> None:
    notice = load_notice(loaded, lang())
    if notice is None:
        return
    kind, text = notice
    if kind == "error":
        st.error(text)
        st.stop()
    st.warning(text)


# --- sidebar filters ---------------------------------------------------------------------------
def _multiselect(key: str, options: list[str], default: tuple[str, ...],
                 format_func: Callable[[str], str]) -> tuple[str, ...]:
    if key not in st.session_state:
        st.session_state[key] = [v for v in default if v in options]
    return tuple(st.multiselect(tr(f"filter.{key}"), options, key=key, format_func=format_func,
                                placeholder=tr("filter.all"), select_all=False))  # Streamlit's English "Select all"


_FILTER_KEYS = ("region", "zone", "district", "park", "stage", "plot_status", "sector")


def _reset_filters() -> None:
    for key in _FILTER_KEYS:
        st.session_state[key] = []
    st.session_state["min_available_ha"] = 0.0


def filter_sidebar(parks: gpd.GeoDataFrame, initial: Filters) -> Filters:
    """The sidebar's filter widgets, initialised from the URL, returning the chosen filters.

    The region is the one HEZA reports by (east: old Hải Phòng, west: former Hải Dương, the label
    kind ``province``); the district is the pre-2025 one ("Former district"). Every park is listed,
    those with no position too (the map counts them without drawing them).
    """
    lg = lang()
    names = i18n.names(parks, "park_id", lg)
    zones = sorted(parks["zone_id"].dropna().unique())
    zone_names = st.session_state.get("_zone_names", {})
    present = set(parks["province_before_2025"].dropna())
    with st.sidebar:
        st.subheader(tr("filter.title"))
        regions = _multiselect("region", [r for r in PROVINCE_BEFORE_2025 if r in present], initial.regions,
                               lambda r: i18n.label("province", r, lg))
        chosen_zones = _multiselect("zone", zones, initial.zones, lambda z: zone_names.get(z, z))
        districts = _multiselect("district", sorted(parks["district"].dropna().unique()), initial.districts, str)
        park_ids = _multiselect("park", sorted(names, key=lambda p: names[p]), initial.parks, lambda p: names.get(p, p))
        stages = _multiselect("stage", [s for s in PARK_STAGE if s in set(parks["stage"])], initial.stages,
                              lambda s: i18n.label("stage", s, lg))
        statuses = _multiselect("plot_status", list(PLOT_STATUS), initial.plot_statuses,
                                lambda s: i18n.label("plot_status", s, lg))
        sectors = _multiselect("sector", list(SECTORS), initial.sectors, lambda s: i18n.label("sector", s, lg))
        if "min_available_ha" not in st.session_state:
            st.session_state["min_available_ha"] = float(initial.min_available_ha)
        min_ha = st.number_input(tr("filter.min_available_ha"), min_value=0.0, step=5.0, format="%g",  # "0", not "0.00"
                                 help=i18n.decimal_input_help(lg), key="min_available_ha")
        st.button(tr("filter.reset"), key="reset_filters", on_click=_reset_filters)
    return Filters(zones=chosen_zones, districts=districts, parks=park_ids, stages=stages, plot_statuses=statuses,
                   sectors=sectors, min_available_ha=float(min_ha), regions=regions)


# --- capped park pickers ---------------------------------------------------------------------------
def capped_multiselect(label: str, options: list[str], key: str, limit: int, format_func: Callable[[str], str],
                       placeholder: str) -> list[str]:
    """A multiselect of at most ``limit`` of ``options`` (the compare page's parks, the land finder's
    shortlist): no "Select all", and a choice past the limit refused with a warning, in the reader's
    language, naming what was not added; the first ``limit`` chosen stay.

    Decision: Streamlit's ``max_selections`` is not used. With it, the widget's "Select all" took
    the first ``limit`` options without a word, and its refusal of one more ("You can only select
    up to 5 options") is English on every page. The list of every park (44) stays a multiselect,
    where typing finds a park; as pills or checkboxes it would fill several screens of a phone.
    """
    st.multiselect(label, options, key=key, format_func=format_func, placeholder=placeholder, select_all=False,
                   on_change=_keep_first, args=(key, limit))
    if refused := st.session_state.pop(f"_{key}_refused", None):
        st.warning(md_format(tr("compare.cap_refused"), names=", ".join(format_func(v) for v in refused), max=limit))
    return list(st.session_state[key])


def _keep_first(key: str, limit: int) -> None:
    """Before the run: keep the first ``limit`` choices of widget ``key`` and note the rest."""
    chosen = list(st.session_state[key])
    if len(chosen) > limit:
        st.session_state[key] = chosen[:limit]
        st.session_state[f"_{key}_refused"] = chosen[limit:]


def language_picker() -> str:
    """The language selector; the choice goes into the URL with the rest of the view.

    The widget's default is the session's language rather than a preset widget state: on a cold
    start the first rerun can come (from the map component) before the lazily loaded selectbox
    has reported its value, and a preset state then fell back to the first option.
    """
    view_state()
    languages = list(settings().languages)
    current = lang()
    with st.sidebar:
        chosen = st.selectbox(
            i18n.t("filter.language", current),
            languages,
            index=languages.index(current) if current in languages else 0,
            key="lang_picker",
            format_func=lambda code: i18n.LANGUAGE_NAMES.get(code, code),
            on_change=_language_chosen,  # before the run: the picker's own label is drawn in the new language
        )
    st.session_state["_lang"] = chosen
    return chosen


def _language_chosen() -> None:
    st.session_state["_lang"] = st.session_state["lang_picker"]


def choose_language(code: str) -> None:
    """Switch the session to language ``code`` from a widget of a page's own (a callback): the
    sidebar's picker, drawn again this run, shows it; one run, in the new language."""
    st.session_state["_lang"] = code
    st.session_state.pop("lang_picker", None)  # drawn again with the session's language as its choice
