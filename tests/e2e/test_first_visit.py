"""A fresh server's first visitor lands on a page other than the map (the QR code's
``/presentation`` link, a shared ``/land_finder`` link) and gets the app as every later visitor
does: routed by app.py, with its navigation titles and language picker.

Streamlit 1.67 runs such a first run in its legacy "pages/ folder" mode (the page file alone, the
sidebar listing file names) until some run has called ``st.navigation``; the app leaves that mode
by itself with public calls only (``heza_geo.ui.common._routed``). Each test starts a server of
its own, so its request is that server's very first.
"""

from __future__ import annotations

import pytest
from conftest import save_screenshot, wait_for_app

from heza_geo import i18n

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["land_finder", "presentation"])
def test_the_first_visit_of_a_fresh_server_is_routed_by_the_app(start_app, page, path):
    url = start_app()
    page.goto(f"{url}/{path}?lang=en")
    wait_for_app(page)
    # app.py's navigation: the pages' titles in the visitor's language (legacy mode lists file names)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text(i18n.t("page.data_management", "en"), exact=True).wait_for(state="attached")
    assert nav.get_by_text(i18n.t("page.presentation", "en"), exact=True).count() == 1
    assert nav.get_by_text("app", exact=True).count() == 0
    assert page.url.split("?")[0].rstrip("/").endswith(f"/{path}")
    if path == "land_finder":  # the sidebar shows on this page: app.py's language picker is in it
        # drawn by the same run as the navigation, once Streamlit has loaded its select box's script
        # (loaded on first use: on a busy machine the count, taken at once, was 0)
        page.get_by_label(i18n.t("filter.language", "en")).first.wait_for()
        page.get_by_text(i18n.t("page.land_finder", "en")).first.wait_for()
    save_screenshot(page, f"first-visit-{path}")
