"""``python -m heza_geo import`` and ``user``: the same rules as the staff page, from a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from heza_geo.cli import main
from heza_geo.store.gpkg import GeoPackageStore

HEADER = "scope,park_id,as_of,occupancy_pct,basis,source_kind,source,note\n"
GOOD = HEADER + "park,B,2025-06-30,31.5,reported,news,haiphong.gov.vn 30/06/2025,\n"
BAD = (HEADER + "park,ZZ,2025-06-30,31.5,reported,news,haiphong.gov.vn,\n"
       "park,A,2025-06-30,131.5,reported,news,haiphong.gov.vn,\n")


@pytest.fixture
def store_env(monkeypatch: pytest.MonkeyPatch, tiny_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("HEZA_STORE_PATH", str(path))
    monkeypatch.delenv("HEZA_DATABASE_URL", raising=False)
    monkeypatch.setenv("HEZA_CONFIG", str(tmp_path / "none.toml"))
    return path


def test_import_of_a_bad_file_lists_every_problem_and_writes_nothing(store_env: Path, tmp_path: Path, capsys):
    bad = tmp_path / "occupancy.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["import", str(bad), "--layer", "occupancy_history"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "occupancy.csv, layer 'occupancy_history', row 2 (scope=park, park_id=A, as_of=2025-06-30, " \
           "source=haiphong.gov.vn), field 'occupancy_pct': 131.5 is above the maximum 100" in err
    assert any("row 1, field 'park_id': 'ZZ' is not a known park_id" in line for line in err)
    assert err[-1] == "occupancy.csv: 2 problem(s); nothing was imported"
    assert GeoPackageStore(store_env).current_version() == 1


def test_import_dry_run_then_for_real(store_env: Path, tmp_path: Path, capsys):
    good = tmp_path / "occupancy.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["import", str(good), "--layer", "occupancy_history", "--dry-run"]) == 0
    assert "1 to add, 0 to change, 0 to remove" in capsys.readouterr().out
    assert GeoPackageStore(store_env).current_version() == 1
    assert main(["import", str(good), "--layer", "occupancy_history", "--author", "lan", "--comment", "Q2"]) == 0
    assert "imported as version 2 by lan" in capsys.readouterr().out
    [entry] = GeoPackageStore(store_env).history(park_id="B")
    assert (entry.author, entry.comment, entry.after["occupancy_pct"]) == ("lan", "Q2", 31.5)


def test_the_first_admin_is_made_on_the_command_line(store_env: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.delenv("HEZA_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["user", "add", "admin", "--role", "admin"]) == 1
    assert "no password: set HEZA_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("HEZA_PASSWORD", "a-long-admin-password")
    assert main(["user", "add", "admin", "--role", "admin"]) == 0
    assert main(["user", "list"]) == 0
    assert "admin admin" in " ".join(capsys.readouterr().out.split())
