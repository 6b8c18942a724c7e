"""Headless page tests: the real ``app.py`` under Streamlit's ``AppTest``, no browser, no server.

``demo_app`` makes ``AppTest`` run the app as ``make run`` serves it; ``landed`` shares the runs of
:data:`appkit.LANDINGS` between the tests that only read them. The helpers that open pages and
read them are in ``appkit.py`` (``from appkit import open_page, shown``).

Why ``AppTest`` needs one adjustment here
-----------------------------------------
Streamlit decides once per process whether an app uses the legacy "pages/ folder" navigation:
``PagesManager.uses_pages_directory`` is None until the first session, then True when the main
script has a ``pages/`` folder beside it, and ``st.navigation`` sets it to False for good. Our
``app.py`` has both (STYLE.md: ``pages/`` holds the page scripts), so a server's very first run
is a legacy one, which the app leaves by itself (``heza_geo.ui.common._routed``: the public
``st.navigation``, then a rerun through app.py; ``tests/e2e`` checks it on a fresh server).

``AppTest`` (1.67) sets ``uses_pages_directory`` back to None before *every* run
(streamlit/streamlit#14217), so every run is a process's first run again, and the app's reroute
costs that run its widget events (a click would be lost, which never happens on a server after
its first run). The fixture therefore starts every ``AppTest`` run as a server's later runs
start, with the flag False, which is what ``st.navigation`` itself sets. Only ``AppTest``'s own
construction of its ``PagesManager`` is changed; the app and Streamlit's server code are not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from appkit import LANDINGS, open_page
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

from heza_geo.config import DEFAULT_DATA_DIR

#: settings that would point the app elsewhere than the embedded demo (heza_geo.config)
_SETTINGS_ENV = ("HEZA_DATABASE_URL", "HEZA_STORE_PATH", "HEZA_LANGUAGE", "HEZA_PUBLIC_URL", "HEZA_MAX_UPLOAD_MB",
                 "HEZA_SESSION_HOURS")


class _NavigationPagesManager(PagesManager):
    """``AppTest``'s pages manager, in the state a server is in once ``st.navigation`` has run."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # AppTest passes PagesManager's own arguments
        PagesManager.uses_pages_directory = False


@pytest.fixture(scope="package", autouse=True)
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The app as ``make run`` starts it: the embedded demo data (``geodata/``), no store, no
    ``heza.toml``, Vietnamese by default; its last good copy goes to a temporary directory.

    Streamlit's ``st.cache_resource`` (settings, data, store) lives as long as the process, as in
    a real server: it is cleared before the first and after the last test of this folder, so the
    tests here see a fresh app process and leave none behind. The environment is restored after.
    """
    with pytest.MonkeyPatch.context() as patch:
        for name in _SETTINGS_ENV:
            patch.delenv(name, raising=False)
        here = tmp_path_factory.mktemp("app")
        patch.setenv("HEZA_CONFIG", str(here / "absent-heza.toml"))  # no such file: no heza.toml is read
        patch.setenv("HEZA_DATA_DIR", str(DEFAULT_DATA_DIR))
        patch.setenv("HEZA_CACHE_DIR", str(here / "last_good"))
        patch.setattr(app_test, "PagesManager", _NavigationPagesManager)
        st.cache_resource.clear()
        yield
        st.cache_resource.clear()
    PagesManager.uses_pages_directory = None  # as AppTest leaves it for the next AppTest user


@pytest.fixture(scope="package")
def landed() -> Callable[[str, str], AppTest]:
    """``landed(name, lang)``: the page of :data:`appkit.LANDINGS` ``name`` opened by its link with
    ``lang=``, run once for all the tests that read it (they must not change it)."""
    runs: dict[tuple[str, str], AppTest] = {}

    def land(name: str, lang: str) -> AppTest:
        if (name, lang) not in runs:
            page, params, _ = LANDINGS[name]
            runs[name, lang] = open_page(page, lang=lang, **params)
        return runs[name, lang]

    return land
