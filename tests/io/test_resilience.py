"""The last good copy on disk: a restart on a corrupt or truncated file still has the map to show."""

from __future__ import annotations

from pathlib import Path

import pytest

from heza_geo.errors import DataError
from heza_geo.io import load_dataset, resilience


def _corrupt(path: Path, keep: float = 0.5) -> None:
    content = path.read_bytes()
    path.write_bytes(content[: int(len(content) * keep)])


def test_a_truncated_geopackage_after_a_restart_falls_back_to_the_last_good_copy(tiny_dir, tmp_path):
    cache = tmp_path / "cache"
    good = load_dataset(tiny_dir)
    resilience.keep_files(tiny_dir, cache)
    _corrupt(tiny_dir / "heza.gpkg")
    with pytest.raises(DataError) as broken:
        load_dataset(tiny_dir)
    # a new process knows nothing but the cache folder
    data = resilience.load_last_good(cache, str(tiny_dir))
    assert data is not None and sorted(data.parks["park_id"]) == sorted(good.parks["park_id"])
    assert resilience.broken_files(broken.value.problems) == ["heza.gpkg"]


def test_a_corrupt_csv_is_named_and_the_copy_keeps_the_good_table(tiny_dir, tmp_path):
    cache = tmp_path / "cache"
    resilience.keep_files(tiny_dir, cache)
    (tiny_dir / "occupancy_history.csv").write_bytes(b"\x00\xff\xfe not a table")
    with pytest.raises(DataError) as broken:
        load_dataset(tiny_dir)
    assert resilience.broken_files(broken.value.problems) == ["occupancy_history.csv"]
    data = resilience.load_last_good(cache, str(tiny_dir))
    kept = load_dataset(resilience.snapshot_folder(cache, str(tiny_dir)))
    assert len(data.occupancy_history) == len(kept.occupancy_history) > 0


def test_no_copy_means_no_fallback(tiny_dir, tmp_path):
    assert resilience.load_last_good(tmp_path / "cache", str(tiny_dir)) is None


def test_a_copy_that_no_longer_validates_is_ignored(tiny_dir, tmp_path):
    cache = tmp_path / "cache"
    folder = resilience.keep_files(tiny_dir, cache)
    _corrupt(folder / "heza.gpkg", 0.3)
    assert resilience.load_last_good(cache, str(tiny_dir)) is None


def test_the_copy_follows_the_data_and_is_not_rewritten_when_unchanged(tiny_dir, tmp_path):
    cache = tmp_path / "cache"
    folder = resilience.keep_files(tiny_dir, cache)
    stamp = (folder / "heza.gpkg").stat().st_mtime_ns
    assert resilience.keep_files(tiny_dir, cache) == folder
    assert (folder / "heza.gpkg").stat().st_mtime_ns == stamp
    (tiny_dir / "source_notes.csv").unlink(missing_ok=True)
    resilience.keep_files(tiny_dir, cache)
    assert not (folder / "source_notes.csv").exists()
    assert sorted(p.name for p in cache.iterdir()) == [folder.name]  # no leftovers from the swap


def test_a_dataset_read_from_a_store_is_kept_and_read_back(tiny_data, tmp_path):
    cache = tmp_path / "cache"
    resilience.keep_dataset(tiny_data, cache, "postgresql://heza@db/heza")
    back = resilience.load_last_good(cache, "postgresql://heza@db/heza")
    assert back is not None
    assert sorted(back.plots["plot_id"]) == sorted(tiny_data.plots["plot_id"])
    assert len(back.occupancy_history) == len(tiny_data.occupancy_history)
