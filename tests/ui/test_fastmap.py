"""The plot files the app serves from ``static/cache``: the current version's only, under a name nobody can work out.

Served files are public to whoever knows the URL. A reverted version (a wrong tenant, a plot that was
never to be shown) must not stay downloadable, and no one should find an old file by trying names.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from heza_geo.maps.plots.layer import write_plot_files
from heza_geo.maps.plots.pack import encode_json, pack

URL = "/app/static/cache"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("plots-*"))


def _name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


@pytest.fixture
def versions(tiny_shared):  # the plots of versions 1, 2 (an edit) and 3 (its revert)
    v1 = tiny_shared.plots
    v2 = v1.copy()
    v2.loc[v2["plot_id"] == "A-3", ["status", "tenant"]] = ["leased", "Tenant who must not leak"]
    return v1, v2, v1.copy()


# --- heza_geo.maps.plots.layer.write_plot_files --------------------------------------------------------------
def test_writing_a_new_versions_file_removes_the_superseded_ones(versions, tmp_path):
    v1, v2, _ = versions
    first = write_plot_files(pack(v1), tmp_path, URL)
    second = write_plot_files(pack(v2), tmp_path, URL)
    assert first.url != second.url
    assert _files(tmp_path) == sorted([_name(second.url), _name(second.json_url)])


def test_a_file_name_is_keyed_by_the_install_secret_not_derived_from_public_data(versions, tmp_path):
    v1, _, _ = versions
    raw = encode_json(pack(v1))
    here = write_plot_files(pack(v1), tmp_path / "a", URL, secret=b"install A's secret")
    there = write_plot_files(pack(v1), tmp_path / "b", URL, secret=b"install B's secret")
    assert here.url != there.url  # the same data in two installs: two names
    assert write_plot_files(pack(v1), tmp_path / "a", URL, secret=b"install A's secret").url == here.url  # stable
    name = _name(here.url).removeprefix("plots-").removesuffix(".json.gz")
    assert len(name) >= 20  # 80 bits and more: not found by trying
    for public in (hashlib.sha256(raw).hexdigest(), hashlib.sha1(raw, usedforsecurity=False).hexdigest(),
                   hashlib.md5(raw, usedforsecurity=False).hexdigest()):
        assert name not in public  # knowing the data is not enough to know the name
    for version in ("1", "v1", "gpkg-v1"):
        assert version not in _name(here.url).removeprefix("plots-").split(".")[0].split("-")


def test_the_install_key_is_made_once_kept_private_and_read_back(tmp_path):
    from heza_geo.maps.plots.layer import install_key

    path = tmp_path / "private" / "plot-cache.key"
    key = install_key(path)
    assert len(key) >= 32 and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert install_key(path) == key  # another process of this install: the same names, no file churn
    assert install_key(tmp_path / "elsewhere.key") != key  # another install


# --- heza_geo/ui/fastmap.py: what the page serves ------------------------------------------------------------
@pytest.fixture
def fastmap(monkeypatch, tmp_path):  # the page module with its own cache folder and key
    from heza_geo.ui import fastmap

    monkeypatch.setattr(fastmap, "PLOT_CACHE_DIR", tmp_path / "static" / "cache")
    monkeypatch.setattr(fastmap, "PLOT_KEY_FILE", tmp_path / "private" / "plot-cache.key", raising=False)
    fastmap._plot_source.clear()
    yield fastmap
    fastmap._plot_source.clear()


def _served(fastmap, url: str) -> Path:
    assert url.startswith(fastmap.PLOT_CACHE_URL + "/")
    return fastmap.PLOT_CACHE_DIR / _name(url)


def test_after_a_revert_the_reverted_versions_file_is_gone_and_the_current_one_served(fastmap, versions):
    v1, v2, v3 = versions
    one = fastmap.plot_source("gpkg-v1", v1)
    two = fastmap.plot_source("gpkg-v2", v2)  # an edit
    assert _served(fastmap, two.url).is_file() and not _served(fastmap, one.url).exists()
    three = fastmap.plot_source("gpkg-v3", v3)  # its revert
    assert _served(fastmap, three.url).is_file() and _served(fastmap, three.json_url).is_file()
    assert not _served(fastmap, two.url).exists() and not _served(fastmap, two.json_url).exists()
    assert _files(fastmap.PLOT_CACHE_DIR) == sorted([_name(three.url), _name(three.json_url)])
    assert not (fastmap.PLOT_CACHE_DIR.parent / "plot-cache.key").exists()  # the key is never served
    assert not list(fastmap.PLOT_CACHE_DIR.parent.rglob("*.key"))


def test_the_page_writes_its_file_again_when_another_process_pruned_it_and_keeps_the_newer_one(fastmap, versions):
    """A process still on version 1 restores its file without deleting version 2's, which another process
    serves; once it moves on to version 2 too, version 1's file goes."""
    v1, v2, _ = versions
    one = fastmap.plot_source("gpkg-v1", v1)
    key = fastmap.PLOT_KEY_FILE.read_bytes()
    two = write_plot_files(pack(v2), fastmap.PLOT_CACHE_DIR, fastmap.PLOT_CACHE_URL, secret=key)  # another process
    assert not _served(fastmap, one.url).exists()
    assert fastmap.plot_source("gpkg-v1", v1).url == one.url and _served(fastmap, one.url).is_file()
    assert _served(fastmap, two.url).is_file()
    assert fastmap.plot_source("gpkg-v2", v2).url == two.url  # the same key: the same name in every process
    assert _files(fastmap.PLOT_CACHE_DIR) == sorted([_name(two.url), _name(two.json_url)])


# --- the merged city: what a filter or a selection frames -----------------------------------------
@pytest.fixture(scope="module")
def merged_city(tmp_path_factory):
    from heza_geo.analysis.joins import parks_overview
    from heza_geo.io import load_dataset
    from tests.conftest import write_dataset
    from tests.maps.conftest import merged_frames

    data = load_dataset(write_dataset(tmp_path_factory.mktemp("merged") / "data", merged_frames()))
    return data, parks_overview(data)


def test_selecting_a_park_without_a_position_outlines_nothing_and_leaves_the_view(fastmap, merged_city):
    from heza_geo.analysis.selection import select
    from heza_geo.view import Filters, MapView

    data, overview = merged_city
    view = MapView(lang="en", selected_park="U")
    state = fastmap.filter_state(data, select(data, Filters(), view, overview=overview, land=None), view, overview)
    assert state["fit"] is None and state["select"]["id"] == "U"


def test_the_first_view_of_the_map_frames_the_placed_parks_east_and_west(fastmap, merged_city):
    from heza_geo.analysis.selection import select
    from heza_geo.view import Filters, MapView

    data, overview = merged_city
    view = MapView(lang="en")
    state = fastmap.filter_state(data, select(data, Filters(), view, overview=overview, land=None), view, overview)
    (south, west), (north, east) = state["fit"]
    placed = overview.dropna(subset=["geometry"]).total_bounds
    assert (west, south, east, north) == pytest.approx(tuple(placed))


def test_the_cached_map_of_the_merged_city_draws_its_placed_parks(fastmap, merged_city):
    from heza_geo.maps.build import feature_counts
    from heza_geo.view import MapView

    data, overview = merged_city
    m = fastmap.base_map(data, MapView(lang="vi", layers=("parks",)), overview, data.berths.iloc[0:0], None)
    assert feature_counts(m)["park"] == 4  # A, B, C and W; U and V have no position
    assert fastmap.payload(m).script
