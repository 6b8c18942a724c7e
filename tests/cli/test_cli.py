"""`python -m heza_geo validate`: a summary and exit 0, or one line per problem and exit 1.
`python -m heza_geo export` reads what the app reads: the store when one is configured."""

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


def test_export_reads_the_store_the_app_reads_so_staff_edits_are_in_the_report(tiny_dir, tmp_path, monkeypatch, capsys):
    """A scripted monthly report must not miss what staff changed in the app (``store_path``/``database_url``)."""
    from heza_geo import cli
    from heza_geo.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "store.gpkg")
    store.initialise_from(tiny_dir)
    seen = int(store.read_layer("plots").set_index("record_id").loc["A-3", "row_version"])
    store.edit_record("plots", "A-3", {"status": "leased", "tenant": "Công ty Mới"}, seen, "lan", "lease signed")
    monkeypatch.setenv("HEZA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))  # the store's starting point, now out of date
    monkeypatch.setenv("HEZA_STORE_PATH", str(tmp_path / "store.gpkg"))
    monkeypatch.delenv("HEZA_DATABASE_URL", raising=False)

    out = tmp_path / "plots.csv"
    assert cli.main(["export", "--format", "csv", "--layers", "plots", "--out", str(out), "--lang", "en"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    rows = {line.split(",")[0]: line for line in out.read_text(encoding="utf-8-sig").splitlines()}
    assert "Công ty Mới" in rows["A-3"] and ",leased," in rows["A-3"]


def test_export_reads_the_data_directory_when_no_store_is_configured(tiny_dir, tmp_path, monkeypatch):
    from heza_geo import cli

    monkeypatch.setenv("HEZA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HEZA_DATA_DIR", str(tiny_dir))
    for name in ("HEZA_STORE_PATH", "HEZA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "plots.csv"
    assert cli.main(["export", "--format", "csv", "--layers", "plots", "--out", str(out)]) == 0
    assert "A-3" in out.read_text(encoding="utf-8-sig") and not (tmp_path / "store.gpkg").exists()


def feature_collection(geometry: dict, **properties) -> str:
    import json

    row = {"housing_id": "H9", "name_vi": "Nhà ở", "name_en": "Housing", "kind": "social_housing", "location": "",
           "park_id": "", "capacity_people": 500, "area_ha": None, "status": "preparing", "status_note": "",
           "as_of": "2025-05-01", "source_kind": "approximate", "source": "HEZA survey 2025",
           "geometry_quality": "approximate"}
    row = {k: v for k, v in {**row, **properties}.items() if v is not ...}
    return json.dumps({"type": "FeatureCollection",
                       "features": [{"type": "Feature", "properties": row, "geometry": geometry}]})


def test_an_unclosed_ring_gives_one_clear_line_and_no_traceback(tmp_path):
    path = tmp_path / "housing.geojson"
    path.write_text(feature_collection({"type": "Polygon", "coordinates": [[[106.7, 20.85], [106.71, 20.85],
                                                                            [106.71, 20.86]]]}), encoding="utf-8")
    result = run("validate", str(path), "--layer", "housing")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"{path}, layer 'housing': holds a malformed geometry: IllegalArgumentException: Points of "
        "LinearRing do not form a closed linestring"]


def test_validate_applies_the_import_rules_so_a_file_without_kind_columns_validates_as_it_imports(tmp_path):
    path = tmp_path / "housing.geojson"
    point = {"type": "Point", "coordinates": [106.7, 20.85]}
    path.write_text(feature_collection(point, source_kind=..., source="approximate: HEZA survey 2025"),
                    encoding="utf-8")
    result = run("validate", str(path), "--layer", "housing")
    assert result.returncode == 0, result.stderr
    assert "layer 'housing' is valid: 1 features" in result.stdout
    assert "the file has no 'source_kind' column" in result.stdout  # the importer's note, as the staff page shows it
