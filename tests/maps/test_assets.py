"""heza_geo.maps.assets: folium maps that load every JS/CSS file from static/vendor, not CDNs."""

from __future__ import annotations

import json
import re

import branca.colormap
import folium
import folium.plugins as plugins
import pytest

from heza_geo.maps import assets

SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc=["']([^"']+)["']""", re.I)
LINK_HREF = re.compile(r"""<link\b[^>]*\bhref=["']([^"']+)["']""", re.I)
EXTERNAL = ("http://", "https://", "//")

# The plugins the app uses; each must have local copies of everything it declares.
USED_PLUGINS = (
    plugins.Fullscreen,
    plugins.MiniMap,
    plugins.MeasureControl,
    plugins.MousePosition,
    plugins.Search,
    plugins.MarkerCluster,
)

needs_vendor = pytest.mark.skipif(
    bool(assets.missing_assets()), reason="static/vendor not installed: run `make setup`"
)


def hai_phong_map() -> folium.Map:
    """A map using folium.Map's own assets and every plugin in USED_PLUGINS."""
    m = folium.Map(location=[20.84, 106.70], zoom_start=10, tiles=None)
    parks = folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "KCN Đình Vũ"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[106.75, 20.82], [106.79, 20.82], [106.79, 20.85], [106.75, 20.82]]],
                    },
                }
            ],
        },
        name="parks",
    ).add_to(m)
    cluster = plugins.MarkerCluster().add_to(m)
    folium.Marker([20.84, 106.70]).add_to(cluster)
    folium.Marker([20.86, 106.72], icon=folium.Icon(icon="industry", prefix="fa", angle=45)).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap(tile_layer=folium.TileLayer("/tiles/{z}/{x}/{y}.png", attr="local")).add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.MousePosition().add_to(m)
    plugins.Search(layer=parks, search_label="name").add_to(m)
    return m


def links(html: str) -> list[str]:
    return SCRIPT_SRC.findall(html) + LINK_HREF.findall(html)


def test_unlocalized_map_loads_from_cdns():
    """The problem this module solves (if folium ever stops doing this, the test says so)."""
    html = hai_phong_map().get_root().render()
    assert any(link.startswith(EXTERNAL) for link in links(html))


def test_localized_map_html_has_no_internet_script_or_stylesheet():
    m = assets.localize(hai_phong_map())
    html = m.get_root().render()
    found = links(html)
    assert found, "expected <script src> and <link href> tags"
    assert [link for link in found if link.startswith(EXTERNAL)] == []
    assert all(link.startswith(assets.BASE_URL + "/") for link in found)


@needs_vendor
def test_every_localized_link_is_an_installed_file():
    html = assets.localize(hai_phong_map()).get_root().render()
    for link in links(html):
        assert (assets.VENDOR_DIR / link.removeprefix(assets.BASE_URL + "/")).is_file(), link


def test_localize_changes_the_instances_not_folium_classes():
    assets.localize(hai_phong_map())
    assert dict(folium.Map.default_js)["leaflet"].startswith("https://")
    assert dict(plugins.Fullscreen.default_js)["Control.Fullscreen.js"].startswith("https://")


def test_localize_twice_gives_the_same_links_and_one_icon_path_element():
    m = hai_phong_map()
    first = links(assets.localize(m).get_root().render())
    second = links(assets.localize(m).get_root().render())
    assert first == second
    assert list(m._children).count(assets.ICON_PATH_ELEMENT) == 1
    assert list(m._children).count(assets.STYLED_ELEMENT) == 1


def test_localize_sets_leaflet_icon_path_before_any_marker():
    m = assets.localize(hai_phong_map(), base_url="/assets")
    assert next(iter(m._children)) == assets.ICON_PATH_ELEMENT
    script = m.get_root().render()
    path_at = script.index('L.Icon.Default.imagePath = "/assets/leaflet/dist/images/"')
    assert path_at < script.index("L.marker(")


def test_localize_hides_the_map_until_its_stylesheets_are_in():
    """streamlit-folium runs the map's script without waiting for its stylesheets: the map is hidden
    by a rule in its header until the script's first lines see every stylesheet loaded (the browser
    test: test_map_desktop_journey, test_the_map_is_not_shown_before_its_stylesheets_have_arrived)."""
    m = assets.localize(hai_phong_map())
    html = m.get_root().render()
    assert f"html:not(.heza-styled) #{m.get_name()} {{ visibility: hidden; }}" in html
    assert html.index("classList.add('heza-styled')") < html.index("L.marker(")


def test_localize_uses_the_given_base_url():
    m = assets.localize(folium.Map(tiles=None), base_url="https://intranet.heza.example/vendor/")
    assert dict(m.default_js)["leaflet"] == "https://intranet.heza.example/vendor/leaflet/dist/leaflet.js"


def test_localize_rewrites_links_of_a_map_rendered_before():
    m = hai_phong_map()
    m.get_root().render()  # header now holds CDN links, added by name
    html = assets.localize(m).get_root().render()
    assert [link for link in links(html) if link.startswith(EXTERNAL)] == []


@pytest.mark.parametrize("cls", (folium.Map, *USED_PLUGINS), ids=lambda c: c.__name__)
def test_every_asset_folium_declares_has_a_local_path(cls):
    declared = [name for name, _ in [*cls.default_js, *cls.default_css]]
    assert declared, f"{cls.__name__} declares no assets any more"
    assert [name for name in declared if name not in assets.FOLIUM_ASSETS] == []


def test_aliases_name_only_known_assets():
    for alias, names in assets.ALIASES.items():
        assert set(names) <= set(assets.FOLIUM_ASSETS), alias


def test_every_asset_path_is_inside_a_pinned_package():
    packages = [p.name for p in assets.PACKAGES] + ["folium"]
    for name, rel in assets.ALL_ASSETS.items():
        assert any(rel.startswith(f"{pkg}/") for pkg in packages), (name, rel)


def test_package_json_and_lock_pin_the_versions_assets_expects():
    expected = {p.name: p.version for p in assets.PACKAGES}
    manifest = json.loads((assets.REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert manifest["dependencies"] == expected
    lock = json.loads((assets.REPO_ROOT / "package-lock.json").read_text(encoding="utf-8"))
    locked = {name: lock["packages"][f"node_modules/{name}"]["version"] for name in expected}
    assert locked == expected


def test_url_and_path_of_an_asset():
    assert assets.url("leaflet") == "/app/static/vendor/leaflet/dist/leaflet.js"
    assert assets.url("world_land_10m", base_url="/v/") == "/v/world-atlas/land-10m.json"
    assert assets.path("topojson_client") == assets.VENDOR_DIR / "topojson-client/dist/topojson-client.min.js"


def test_unknown_asset_name_is_an_error_naming_it():
    with pytest.raises(assets.AssetError, match="'leaflet-typo'"):
        assets.url("leaflet-typo")


def test_missing_assets_lists_what_is_not_installed(tmp_path):
    missing = assets.missing_assets(tmp_path)
    assert "leaflet/dist/leaflet.js" in missing
    assert "world-atlas/land-10m.json" in missing
    (tmp_path / "leaflet/dist").mkdir(parents=True)
    (tmp_path / "leaflet/dist/leaflet.js").write_text("//", encoding="utf-8")
    assert "leaflet/dist/leaflet.js" not in assets.missing_assets(tmp_path)


def test_missing_assets_is_empty_after_setup():
    assert assets.missing_assets() == [], "run `make setup` (npm ci + python -m heza_geo.maps.assets install)"


@pytest.mark.skipif(not (assets.NODE_MODULES / "leaflet").is_dir(), reason="node_modules not installed")
def test_install_copies_everything_from_node_modules(tmp_path):
    problems = assets.install(vendor_dir=tmp_path / "vendor")
    assert problems == []
    assert assets.missing_assets(tmp_path / "vendor") == []
    assert (tmp_path / "vendor/leaflet/dist/images/marker-icon.png").is_file()
    assert (tmp_path / "vendor/@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2").is_file()


def test_install_reports_packages_npm_did_not_install(tmp_path):
    problems = assets.install(node_modules=tmp_path / "empty", vendor_dir=tmp_path / "vendor")
    assert any("leaflet: not in" in p for p in problems)


def test_rotate_css_has_a_class_per_degree():
    css = assets.rotate_css()
    assert ".fa-rotate-0{transform:rotate(0deg)}" in css
    assert ".fa-rotate-359{transform:rotate(359deg)}" in css
    assert ".fa-rotate-360" not in css


def test_external_links_is_empty_for_a_localized_map():
    assert assets.external_links(assets.localize(hai_phong_map())) == []


def test_external_links_names_unknown_assets_and_colormaps():
    m = assets.localize(hai_phong_map())
    m.add_child(branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=100))
    plugins.Draw().add_to(m)
    found = assets.external_links(m)
    assert any("leaflet_draw_js" in f for f in found)
    assert any("LinearColormap" in f for f in found)


@needs_vendor
def test_inline_html_needs_no_other_file():
    html = assets.inline_html(hai_phong_map())
    assert SCRIPT_SRC.findall(html) == []
    assert list(LINK_HREF.findall(html)) == []
    assert "L.Icon.Default.imagePath = ''" in html
    css = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert urls, "expected the CSS to refer to fonts and images"
    assert [u for u in urls if not u.startswith(("data:", "#"))] == []
    assert "font/ttf" not in html  # woff2 only
    assert len(html) < 4_000_000


@needs_vendor
def test_inline_html_embeds_d3_for_a_colormap():
    m = hai_phong_map()
    m.add_child(branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=100))
    html = assets.inline_html(m)
    assert "cdnjs" not in "".join(SCRIPT_SRC.findall(html))
    assert "/* d3/d3.min.js */" in html


def test_inline_html_refuses_a_map_that_would_still_use_the_internet():
    m = hai_phong_map()
    plugins.Draw().add_to(m)  # leaflet.draw has no local copy
    with pytest.raises(assets.AssetError, match=r"leaflet.draw"):
        assets.inline_html(m)
