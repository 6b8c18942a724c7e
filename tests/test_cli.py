"""`python -m heza_geo validate`: a summary and exit 0, or one line per problem and exit 1."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "heza_geo", *args], capture_output=True, text=True, timeout=120)


def test_clean_directory_prints_a_summary(tiny_dir):
    result = run("validate", str(tiny_dir))
    assert result.returncode == 0, result.stderr
    assert "parks                       3 features" in result.stdout
    assert "parks: 2 established (120.00 ha declared), 1 planned; plots: 7 (100.00 ha)" in result.stdout


def test_broken_file_gives_one_precise_line_and_exit_1(tiny_dir):
    csv = tiny_dir / "occupancy_history.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("71.4", "171.4"), encoding="utf-8")
    result = run("validate", str(tiny_dir))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{csv}, layer 'occupancy_history', row 2 (scope=park, park_id=A, as_of=2023-10-14, "
        "source=001_7f014fdbc8afe3e1.txt), field 'occupancy_pct': 171.4 is above the maximum 100"
    ]
    assert "Traceback" not in result.stderr


def test_single_file_is_validated_by_its_name(tiny_dir):
    result = run("validate", str(tiny_dir / "berth_status_history.csv"))
    assert result.returncode == 0 and "layer 'berth_status_history' is valid: 3 rows" in result.stdout


def test_single_layer_of_a_geopackage(tiny_dir):
    result = run("validate", str(tiny_dir / "heza.gpkg"), "--layer", "plots")
    assert result.returncode == 0 and "layer 'plots' is valid: 7 features" in result.stdout


def test_missing_path(tmp_path):
    result = run("validate", str(tmp_path / "nothing.gpkg"))
    assert result.returncode == 2 and "no such file or directory" in result.stderr
