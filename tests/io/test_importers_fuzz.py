"""Fuzzing every importer (hypothesis): random and mutated GeoJSON, KML, CSV, XLSX and zip uploads.

Whatever the bytes, :func:`heza_geo.io.importers.prepare_import` and ``python -m heza_geo import``
answer with a clear message (one line per problem, naming the file) or a correct import; never a
traceback. Inputs start from a valid file of the tiny dataset's park A and are mutated (bytes
flipped, cut, spliced; fields and coordinates replaced by random values), so most examples get past
the first parser and reach validation. Example counts are modest to keep CI fast.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from heza_geo.cli import main as cli_main
from heza_geo.io.importers import PreparedImport, prepare_import
from heza_geo.io.validation import validate_frame
from heza_geo.schema import LAYERS, METRIC_CRS, WGS84
from heza_geo.store.gpkg import GeoPackageStore

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
X0, Y0 = 650_000, 2_300_000


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GeoPackageStore:
    import importlib.util

    # the tests' own conftest, by path: "conftest" may name tests/store/conftest.py in a whole-suite run
    spec = importlib.util.spec_from_file_location("heza_tests_conftest", Path(__file__).parents[1] / "conftest.py")
    kit = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]  # an existing file's spec is never None
    spec.loader.exec_module(kit)  # type: ignore[union-attr]  # nor is its loader
    write_dataset = kit.write_dataset
    folder = tmp_path_factory.mktemp("fuzz")
    store = GeoPackageStore(folder / "store.gpkg")
    store.initialise_from(write_dataset(folder / "data"))
    return store


def _plots() -> gpd.GeoDataFrame:
    rows = [{"plot_id": f"A-{n}", "park_id": "A", "status": "available", "area_ha": 7.2, "tenant": "", "sector": "",
             "source": "HEZA survey 2025", "geometry_quality": "surveyed"} for n in (6, 7)]
    boxes = [box(X0 + 100 * n, Y0, X0 + 100 * n + 90, Y0 + 900) for n in (0, 5)]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=boxes, crs=METRIC_CRS).to_crs(WGS84)


def _geojson() -> bytes:
    return _plots().to_json().encode()


def _csv() -> bytes:
    frame = _plots()
    return pd.DataFrame(frame.drop(columns="geometry")).assign(wkt=frame.geometry.to_wkt()).to_csv(index=False).encode()


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def _kml(values: dict[str, str] | None = None, coords: str | None = None) -> bytes:
    values = values or {"plot_id": "A-6", "park_id": "A", "status": "available", "area_ha": "7.2",
                        "source": "HEZA survey 2025", "geometry_quality": "surveyed"}
    ring = coords or " ".join(f"{x},{y}" for x, y in _plots().geometry.iloc[0].exterior.coords)
    data = "".join(f'<SimpleData name="{k}">{v}</SimpleData>' for k, v in values.items())
    fields = "".join(f'<SimpleField name="{k}" type="string"/>' for k in values)
    return (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f'<Schema name="plots" id="plots">{fields}'
            f'</Schema><Placemark><ExtendedData><SchemaData schemaUrl="#plots">{data}</SchemaData></ExtendedData>'
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing></outerBoundaryIs>"
            f"</Polygon></Placemark></Document></kml>").encode()


def _shapefile_zip() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _plots().to_file(Path(folder) / "plots.shp")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, path.name)
        return buffer.getvalue()


# --- strategies ------------------------------------------------------------------------------------------
@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` flipped, cut, spliced or left alone."""
    content = bytearray(seed)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(len(content) - 1, 0)))
        if kind == "flip" and content:
            content[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del content[at:]
        elif kind == "insert":
            content[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif content:
            del content[at:at + draw(st.integers(1, 64))]
    return bytes(content)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                    st.sampled_from(["A", "A-1", "available", "leased", "", "NaN", "1e309", "-0"]))
coordinates = (st.floats(allow_nan=True, allow_infinity=True) | st.floats(-200, 200)
               | st.sampled_from([106.7, 20.8, 0.0]))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)


@st.composite
def geojson_documents(draw: st.DrawFn) -> bytes:
    document = json.loads(_geojson())
    for feature in document["features"]:
        for key in draw(st.lists(st.sampled_from([*LAYERS["plots"].column_names, "extra"]), max_size=3)):
            feature["properties"][key] = draw(scalars)
        if draw(st.booleans()):
            ring = feature["geometry"]["coordinates"][0]
            ring[draw(st.integers(0, len(ring) - 1))] = draw(st.lists(coordinates, min_size=0, max_size=4))
        if draw(st.integers(0, 9)) == 0:
            feature["geometry"] = draw(json_values)
    if draw(st.integers(0, 9)) == 0:
        document = draw(json_values)
    return json.dumps(document, allow_nan=True).encode()


@st.composite
def csv_documents(draw: st.DrawFn) -> bytes:
    frame = pd.read_csv(io.BytesIO(_csv()), dtype=str)
    columns = draw(st.lists(st.sampled_from([*frame.columns, "lat", "lon", "x", "y", "geometry"]), max_size=3))
    for column in columns:
        frame[column] = [str(draw(scalars)) for _ in range(len(frame))]
    separator = draw(st.sampled_from([",", ";", "\t"]))
    return frame.to_csv(index=False, sep=separator).encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))


@st.composite
def xlsx_documents(draw: st.DrawFn) -> bytes:
    frame = pd.read_csv(io.BytesIO(_csv()), dtype=str)
    for column in draw(st.lists(st.sampled_from([*frame.columns, "lat", "lon"]), max_size=3)):
        frame[column] = [draw(st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(-1e6, 1e6),
                                        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
                                                max_size=20)))
                         for _ in range(len(frame))]
    return _xlsx(frame)


@st.composite
def kml_documents(draw: st.DrawFn) -> bytes:
    names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
    values = draw(st.dictionaries(st.sampled_from(LAYERS["plots"].column_names) | names,
                                  st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<&"), max_size=20),
                                  max_size=8))
    coords = draw(st.none() | st.lists(st.tuples(coordinates, coordinates), max_size=6).map(
        lambda pts: " ".join(f"{x},{y}" for x, y in pts)))
    return _kml(values or None, coords)


@st.composite
def zip_documents(draw: st.DrawFn) -> bytes:
    members = draw(st.lists(st.tuples(st.sampled_from(["plots.shp", "plots.shx", "plots.dbf", "plots.prj", "plots.cpg",
                                                        "../evil.shp", "a/b.shp", "doc.kml", "x.txt"]),
                                      st.binary(max_size=200)), max_size=5))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


# --- what must hold ---------------------------------------------------------------------------------------
def answered_clearly(prepared: PreparedImport, name: str) -> None:
    """A clear message (one line per problem, naming the file, no traceback) or a correct import."""
    assert isinstance(prepared, PreparedImport)
    if prepared.problems:
        for problem in prepared.problems:
            text = str(problem)
            assert text.startswith(name) and "Traceback" not in text and text.strip() == text
        return
    if prepared.needs_crs:
        return
    assert prepared.ok and prepared.frame is not None
    typed, problems = validate_frame(prepared.frame, LAYERS["plots"], name)
    assert not problems and typed is not None and len(typed) == len(prepared.frame)


@FUZZ
@given(content=geojson_documents() | mutated(_geojson()))
def test_any_geojson_gets_a_clear_answer(store, content):
    answered_clearly(prepare_import("plots.geojson", content, "plots", store), "plots.geojson")


@FUZZ
@given(content=kml_documents() | mutated(_kml()))
def test_any_kml_gets_a_clear_answer(store, content):
    answered_clearly(prepare_import("plots.kml", content, "plots", store), "plots.kml")


@FUZZ
@given(content=csv_documents() | mutated(_csv()) | st.binary(max_size=300))
def test_any_csv_gets_a_clear_answer(store, content):
    answered_clearly(prepare_import("plots.csv", content, "plots", store), "plots.csv")


@FUZZ
@given(content=xlsx_documents() | mutated(_xlsx(pd.read_csv(io.BytesIO(_csv()), dtype=str))))
def test_any_xlsx_gets_a_clear_answer(store, content):
    answered_clearly(prepare_import("plots.xlsx", content, "plots", store), "plots.xlsx")


@FUZZ
@given(content=zip_documents() | mutated(_shapefile_zip()))
def test_any_zip_gets_a_clear_answer(store, content):
    answered_clearly(prepare_import("plots.zip", content, "plots", store), "plots.zip")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(suffix_content=st.sampled_from([".geojson", ".kml", ".csv", ".xlsx", ".zip", ".kmz", ".gpkg"]).flatmap(
    lambda suffix: st.tuples(st.just(suffix), mutated({".geojson": _geojson(), ".kml": _kml(), ".csv": _csv(),
                                                        ".zip": _shapefile_zip(), ".kmz": _shapefile_zip()}
                                                       .get(suffix, b"PK\x03\x04")))))
def test_the_command_line_never_shows_a_traceback(store, tmp_path, monkeypatch, capsys, suffix_content):
    suffix, content = suffix_content
    monkeypatch.setenv("HEZA_STORE_PATH", str(store.path))
    monkeypatch.delenv("HEZA_DATABASE_URL", raising=False)
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(content)
    code = cli_main(["import", str(path), "--layer", "plots", "--dry-run"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2) and "Traceback" not in out + err
    if code:
        assert err.strip() and "upload" in err
