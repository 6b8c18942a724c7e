"""Open the app's pages under ``AppTest`` and read them as a visitor does.

Everything goes through ``app.py`` (page set-up, the language picker, ``st.navigation``), as a
browser does; nothing here imports ``pages`` or a ``heza_geo`` module other than ``i18n``,
``config`` and ``schema``, so the tests read the app from the outside.

- :func:`open_page` is a new visitor arriving by a link, ``/<page>?<params>``. A page reads its
  link parameters on arrival only, so each link gets its own session. The pages' url paths are
  their file names, so ``switch_page`` names the page before the first run, and that first run is
  the page itself, as in a browser (not the map first).
- :func:`texts` / :func:`shown` are every text on screen, with Markdown escapes removed (pages
  escape data and link values, :mod:`heza_geo.text`).
- :data:`LANDINGS` are the links every page is opened with in every language.
- :data:`DEFAULT_TIMEOUT` only turns a hung page into a failure; no test measures time.

What ``AppTest`` cannot do here, and how the tests live with it
-------------------------------------------------------------
- **The maps.** ``streamlit_folium`` is a component: an ``UnknownElement`` here, drawn only in a
  browser. The tests read everything around the maps; ``tests/e2e/`` reads the maps in Chromium.
- **Every run through app.py.** See ``conftest.py``: ``AppTest`` restarts Streamlit's legacy
  ``pages/`` mode before each run, which the ``demo_app`` fixture undoes.
- **Widgets whose labels follow the session.** Before a rerun ``AppTest`` formats each widget's
  value with the widget's ``format_func`` *outside* the script run, where ``st.session_state``
  is not available. A page whose ``format_func`` reads the session's language (``tr`` in
  ``heza_geo.ui.common``: the land finder's sector and readiness, the occupancy colour, the export
  format) then formats in the default language and ``AppTest`` cannot find the value among the
  options drawn in another language (``ValueError: '…' is not in list``). A real session runs
  ``format_func`` inside the script run, so this is ``AppTest``'s, not the app's: interactions on
  those pages are tested in Vietnamese, or the page is the last one a test leaves.
- **The staff page's sign-in.** It reads the ``heza_session`` cookie that ``heza_geo``'s guard
  sets (``st.context.cookies``), which ``AppTest`` cannot send, and needs a store. Here the page
  is tested as ``make run`` serves it (no store: it says how to configure one);
  ``tests/e2e/test_data_management.py`` and ``tests/e2e/test_security.py`` sign in for real.
"""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import closing

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as et

from heza_geo import i18n
from heza_geo.config import DEFAULT_DATA_DIR, LANGUAGES, REPO_ROOT

__all__ = ["APP", "DEFAULT_TIMEOUT", "LANDINGS", "LANGUAGES", "PAGES", "PAGE_TEXT", "notice_head", "open_page",
           "park_ids", "place_names", "plain", "shown", "texts", "warnings"]

APP = REPO_ROOT / "app.py"
#: the pages of app.py by url path (= their file name in pages/)
PAGES = ("map", "occupancy", "investment", "port", "land_finder", "compare", "presentation", "export",
         "data_management")
#: a catalog key whose text each page shows at the top, in its language, whatever the data
PAGE_TEXT = {
    "map": "app.title",
    "occupancy": "page.occupancy",
    "investment": "page.investment",
    "port": "page.port",
    "land_finder": "page.land_finder",
    "compare": "page.compare",
    "presentation": "tour.seconds",  # full screen: no heading, the tour's settings
    "export": "page.export",
    "data_management": "page.data_management",
}
#: seconds one script run may take before AppTest gives up: a hang detector, not a timing test
DEFAULT_TIMEOUT = 120.0


def park_ids() -> list[str]:
    """The demo dataset's park ids, sorted (``heza.gpkg`` is SQLite: read without the app's loader)."""
    with closing(sqlite3.connect(DEFAULT_DATA_DIR / "heza.gpkg")) as db:
        return sorted(row[0] for row in db.execute("SELECT park_id FROM parks"))


def place_names() -> set[str]:
    """The names of the demo dataset's parks and zones, in Vietnamese and English: data, shown in
    both languages on some pages (a park's other name under its own)."""
    with closing(sqlite3.connect(DEFAULT_DATA_DIR / "heza.gpkg")) as db:
        return {name for layer in ("parks", "zones")
                for row in db.execute(f"SELECT name_vi, name_en FROM {layer}")  # noqa: S608 - our two layer names
                for name in row if name}


_PARK, _OTHER_PARK = park_ids()[:2]
#: name -> (page, link parameters, a catalog key the page then shows): each page as a link opens it,
#: those with a choice to make once with a choice made, so that every part of a page is drawn
LANDINGS: dict[str, tuple[str, dict[str, str], str]] = {
    "map": ("map", {}, "detail.city_title"),
    "map_with_a_park_open": ("map", {"selected": _PARK}, "detail.occupancy_history"),
    "occupancy_of_a_park": ("occupancy", {"park": _PARK}, "occupancy.col_plots_occupancy"),
    "investment": ("investment", {}, "investment.cumulative_title"),
    "port": ("port", {}, "port.timeline_title"),
    "land_finder": ("land_finder", {}, "finder.how_ranked"),
    "compare_two_parks": ("compare", {"compare": f"{_PARK},{_OTHER_PARK}"}, "compare.download_xlsx"),
    "presentation": ("presentation", {}, "tour.seconds"),
    "export": ("export", {}, "export.button"),
    "data_management": ("data_management", {}, "dm.no_store"),
}


def open_page(page: str, **params: str) -> AppTest:
    """A new session that lands on ``/<page>?<params>``, after its first run."""
    at = AppTest.from_file(APP, default_timeout=DEFAULT_TIMEOUT)
    at.query_params.update(params)
    if page != "map":  # the default page is "/"
        at.switch_page(f"pages/{page}.py")
    return at.run()


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def plain(markdown: str) -> str:
    """Markdown as read on screen: backslash escapes and invisible word joiners removed."""
    return _ESCAPED.sub(r"\1", markdown).replace("\u2060", "")


def _is_style(node: object) -> bool:
    """A ``<style>`` block (Markdown with HTML allowed): the page's CSS, not text anyone reads."""
    return isinstance(node, et.Markdown) and str(node.value).lstrip().startswith("<style")


def texts(at: AppTest) -> list[str]:
    """Every text a visitor reads, sidebar first: headings, Markdown, captions, alerts, metrics,
    widget labels, placeholders, help and options, and table headers (not table cells)."""
    out: list[str] = []

    def walk(node: object) -> None:
        for attr in ("label", "placeholder", "help"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value:
                out.append(plain(value))
        if isinstance(node, (et.Markdown, et.HeadingBase, et.AlertBase, et.Text, et.Metric)) and not _is_style(node):
            out.append(plain(str(node.value)))
        if isinstance(node, (et.Radio, et.Selectbox, et.Multiselect, et.ButtonGroup)):
            out.extend(plain(str(option)) for option in node.options)
        if isinstance(node, et.Table):  # st.table renders Markdown: its headers are escaped
            out.extend(plain(str(column)) for column in node.value.columns)
        if isinstance(node, et.Dataframe):
            out.extend(str(column) for column in node.value.columns)
        if isinstance(node, et.Block):
            for child in node.children.values():
                walk(child)

    walk(at.sidebar)
    walk(at.main)
    return out


def shown(at: AppTest) -> str:
    """:func:`texts` as one string, a line per text."""
    return "\n".join(texts(at))


def warnings(at: AppTest) -> list[str]:
    """The page's warnings as read on screen."""
    return [plain(w.value) for w in at.warning]


def notice_head(key: str, lang: str, name: str, value: str) -> str:
    """The start of the catalog's notice for an ignored link parameter (``msg.bad_link_param`` or
    ``msg.link_param_ignored``) in ``lang``, up to what is allowed: it names the parameter and
    quotes its value, as read on screen."""
    return i18n.t(key, lang, name=name, value=value, allowed="\0", default="").split("\0")[0]


#: the Data management page as a probe script: a staff member signed in through OIDC (``at.user``)
STAFF_PROBE = REPO_ROOT / "tests" / "apps" / "data_management_probe.py"
#: the account the OIDC test sign-in carries
STAFF_OFFICER = "lan@heza.example"
STAFF_SECRETS = {"auth": {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "test-only",
                          "client_id": "test", "client_secret": "test", "server_metadata_url": "http://localhost/none"}}


def signed_in_staff() -> AppTest:
    """The Data management page run once with :data:`STAFF_OFFICER` signed in (its caption says so)."""
    at = AppTest.from_file(str(STAFF_PROBE), default_timeout=DEFAULT_TIMEOUT)
    at.secrets.update(STAFF_SECRETS)
    at.user = {"is_logged_in": True, "email": STAFF_OFFICER, "iat": time.time()}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(STAFF_OFFICER in plain(c.value) for c in at.caption)  # "Signed in as …"
    return at
