"""The map draws with no internet: every script, stylesheet and font comes from the app itself.

The ``page`` fixture aborts every request that leaves 127.0.0.1 and records it in
``page.external_requests``. Map tiles are the one kind of request allowed to be external
(a tile basemap degrades to a grey background offline; the polygons still draw): these tests
fail on any external script, stylesheet, font or data request, and on any external request at
all from the HTML export.
"""

from __future__ import annotations

import os
import re
import urllib.request

import folium
import folium.plugins as plugins
import pytest
from conftest import REPO_ROOT, map_frame, save_screenshot, wait_for_app

from heza_geo.maps import assets

# The smallest app that uses the set-up end to end: static serving, assets.localize, st_folium.
# It runs from a temporary folder (with static/ linked to the repository's), so it tests the
# harness and the offline assets whatever state app.py is in.
PLACEHOLDER_APP = """
import folium
import folium.plugins
import streamlit as st
from streamlit_folium import st_folium

from heza_geo.maps import assets

st.set_page_config(page_title="HEZA GIS test", layout="wide")
if missing := assets.missing_assets():
    st.error(f"{len(missing)} map files missing: run make setup")
    st.stop()
m = folium.Map(location=[20.84, 106.70], zoom_start=10, tiles=None)
folium.Polygon([[20.80, 106.62], [20.90, 106.62], [20.90, 106.78], [20.80, 106.78]],
               color="#1f6feb", fill=True, tooltip="Hai Phong").add_to(m)
folium.Marker([20.84, 106.70]).add_to(m)
folium.plugins.Fullscreen().add_to(m)
st_folium(assets.localize(m), height=500, use_container_width=True, returned_objects=[])
"""

TILE_URL = re.compile(r"/\d+/\d+/\d+(@2x)?\.(png|jpe?g|webp|pbf)(\?.*)?$")


def not_tiles(urls: list[str]) -> list[str]:
    return [u for u in urls if not TILE_URL.search(u)]


def broken_images(frame) -> list[str]:  # type: ignore[no-untyped-def]  # a Playwright frame
    """The map's images (not tiles, which may be offline) that failed to load. An image still loading
    is not broken: its outcome is awaited (a loaded marker was reported broken on a busy machine)."""
    images = ("() => Array.from(document.images)"
              ".filter(img => !img.src.match(/\\/\\d+\\/\\d+\\/\\d+/))")  # tiles may be offline
    frame.wait_for_function(f"() => ({images})().every(img => img.complete)")
    return frame.evaluate(f"() => ({images})().filter(img => img.naturalWidth === 0).map(img => img.src)")


@pytest.fixture(scope="module")
def placeholder_app(start_app, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("placeholder_app")
    (folder / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
    (folder / "placeholder_app.py").write_text(PLACEHOLDER_APP, encoding="utf-8")
    pythonpath = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return start_app(script=folder / "placeholder_app.py", env={"PYTHONPATH": pythonpath})


def assert_map_draws_offline(base_url: str, page, screenshot: str) -> None:  # type: ignore[no-untyped-def]  # a Playwright page
    page.goto(base_url)
    wait_for_app(page)
    frame = map_frame(page)

    assert frame.locator(".leaflet-container").count() >= 1
    frame.wait_for_selector("path.leaflet-interactive", state="attached")
    assert frame.locator("path.leaflet-interactive").count() >= 1
    assert frame.evaluate("() => typeof L === 'object' && L.version") == "1.9.3"
    assert broken_images(frame) == []
    save_screenshot(page, screenshot)

    assert not_tiles(page.external_requests) == []
    assert page.locator('[data-testid="stException"]').count() == 0


def test_placeholder_map_draws_with_no_internet(placeholder_app, page):
    assert_map_draws_offline(placeholder_app, page, "offline_map_placeholder")
    frame = map_frame(page)
    assert frame.locator("img.leaflet-marker-icon").count() == 1
    assert frame.locator(".leaflet-control-zoom-fullscreen").count() == 1
    assert page.external_requests == []  # no tile layer: nothing at all leaves the machine


def test_app_map_draws_with_no_internet(app_server, page):
    assert_map_draws_offline(app_server, page, "offline_map")


def test_static_vendor_is_served_with_a_javascript_type(placeholder_app):
    with urllib.request.urlopen(f"{placeholder_app}{assets.url('leaflet')}", timeout=10) as resp:
        assert resp.status == 200
        assert "javascript" in resp.headers["Content-Type"]
        assert b"Leaflet" in resp.read(2000)


def test_html_export_draws_with_no_request_at_all(page):
    m = folium.Map(location=[20.84, 106.70], zoom_start=11, tiles=None)
    folium.Polygon([[20.80, 106.62], [20.90, 106.62], [20.90, 106.78]], color="#d9480f").add_to(m)
    folium.Marker([20.84, 106.70]).add_to(m)
    folium.Marker([20.86, 106.74], icon=folium.Icon(icon="industry", prefix="fa")).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MousePosition().add_to(m)

    page.set_content(assets.inline_html(m), wait_until="load")
    page.wait_for_selector("path.leaflet-interactive", state="attached")
    page.wait_for_function("() => document.fonts.status === 'loaded'")

    assert page.evaluate("() => L.version") == "1.9.3"
    assert page.locator("img.leaflet-marker-icon").count() == 1  # Leaflet's default marker
    assert page.locator(".awesome-marker .fa-industry").count() == 1
    assert broken_images(page) == []
    assert page.evaluate("() => document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    save_screenshot(page, "html_export")
    assert page.external_requests == []
    assert page.console_errors == []
