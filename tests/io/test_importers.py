"""Importers: every format, every coordinate system, every bad input with its message.

Files are made here from the tiny dataset's geometry (park A is the UTM 48N square
x 650,000-651,000, y 2,300,000-2,301,000); the store is the GeoPackage backend (the import
round-trip and the all-or-nothing rule are tested on both backends in tests/store).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Polygon, box
from test_crs import independent_vn2000_hai_phong, metres_apart

from heza_geo import i18n
from heza_geo.io import crs
from heza_geo.io.importers import apply_import, prepare_import
from heza_geo.io.safefiles import Limits
from heza_geo.schema import METRIC_CRS, PROVENANCE_KINDS, WGS84, Provenance, provenance_of, provenances
from heza_geo.store.diff import changed_fields
from heza_geo.store.gpkg import GeoPackageStore

X0, Y0 = 650_000, 2_300_000  # park A of the tiny dataset (tests/conftest.py) starts here, in UTM 48N
NEW_PLOT = box(X0 + 600, Y0 + 100, X0 + 690, Y0 + 900)  # inside park A, clear of A-1..A-5
TO_WGS = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)


@pytest.fixture
def store(tiny_dir: Path, tmp_path: Path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "store.gpkg")
    s.initialise_from(tiny_dir)
    return s


def plot_rows(**overrides) -> dict:
    row = {"plot_id": "A-6", "park_id": "A", "status": "available", "area_ha": 7.2, "tenant": "", "sector": "",
           "source_kind": "approximate", "source": "HEZA survey 2025", "geometry_quality": "surveyed"}
    return {**row, **overrides}


def utm_frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=METRIC_CRS)


def geojson(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_crs(WGS84).to_json().encode()


def messages(prepared) -> str:
    return "\n".join(str(p) for p in prepared.problems)


def wgs84_corners(geom) -> list[tuple[float, float]]:
    return [TO_WGS.transform(x, y) for x, y in geom.exterior.coords]


def assert_lands_on(prepared, utm_geom) -> None:
    assert prepared.ok, messages(prepared)
    got = prepared.frame.set_index("plot_id").geometry["A-6"]
    landed = list(got.exterior.coords)  # ring order may differ (Shapefiles turn rings clockwise)
    for lon, lat in wgs84_corners(utm_geom):
        assert min(metres_apart(lon, lat, glon, glat) for glon, glat in landed) < 1.0


# --- formats --------------------------------------------------------------------------------------
def test_geojson_plot_file_previews_one_addition_and_one_change(store):
    frame = utm_frame([plot_rows(), plot_rows(plot_id="A-3", status="leased", tenant="New Tenant", area_ha=10.0,
                                              source_kind="synthetic demo", source="",
                                              geometry_quality="synthetic demo")],
                      [NEW_PLOT, box(X0 + 200, Y0, X0 + 290, Y0 + 900)])
    prepared = prepare_import("plots.geojson", geojson(frame), "plots", store)
    assert prepared.ok, messages(prepared)
    assert prepared.crs_from == "file" and prepared.summary() == {"insert": 1, "update": 1, "delete": 0, "rows": 2}
    update = next(c for c in prepared.change_set if c.op == "update")
    assert update.before["status"] == "available" and update.after["tenant"] == "New Tenant"
    version = apply_import(store, prepared, "lan", "survey 2025")
    assert store.read_layer("plots").set_index("record_id").loc["A-3", "tenant"] == "New Tenant"
    assert version == 2


def test_vn2000_csv_without_crs_asks_for_a_choice_then_lands_within_a_metre(store):
    corners = [independent_vn2000_hai_phong(*TO_WGS.transform(x, y)) for x, y in NEW_PLOT.exterior.coords]
    csv = pd.DataFrame([{**plot_rows(), "wkt": Polygon(corners).wkt}]).to_csv(index=False).encode()
    first = prepare_import("plots.csv", csv, "plots", store)
    assert first.needs_crs and first.suggested_crs == crs.VN2000_HAI_PHONG
    assert "no coordinate reference system" in messages(first) and "fit EPSG:9210" in messages(first)
    chosen = prepare_import("plots.csv", csv, "plots", store, crs="EPSG:9210")
    assert chosen.crs_from == "choice"
    assert_lands_on(chosen, NEW_PLOT)


def test_zipped_shapefile_in_vn2000_uses_its_prj(store, tmp_path: Path):
    frame = utm_frame([plot_rows(tenant="Công ty Đình Vũ")], [NEW_PLOT]).to_crs(crs.VN2000_HAI_PHONG)
    folder = tmp_path / "shp"
    folder.mkdir()
    with pytest.warns((UserWarning, RuntimeWarning)):  # names cut to 10 characters, as ArcGIS and QGIS do
        frame.to_file(folder / "plots.shp", encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    prepared = prepare_import("plots.zip", buffer.getvalue(), "plots", store)
    assert prepared.crs_from == "file" and "9210" in prepared.crs
    assert_lands_on(prepared, NEW_PLOT)
    assert prepared.frame["tenant"].iloc[0] == "Công ty Đình Vũ"


def test_geopackage_in_utm_48n(store, tmp_path: Path):
    path = tmp_path / "upload.gpkg"
    utm_frame([plot_rows()], [NEW_PLOT]).to_file(path, layer="plots", driver="GPKG")
    prepared = prepare_import("upload.gpkg", path.read_bytes(), "plots", store)
    assert prepared.crs_from == "file" and "32648" in prepared.crs
    assert_lands_on(prepared, NEW_PLOT)


def test_kml_and_kmz_read_extended_data(store):
    coords = " ".join(f"{lon},{lat},0" for lon, lat in wgs84_corners(NEW_PLOT))
    data = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in plot_rows().items())
    kml = (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
           f"<name>A-6</name><ExtendedData>{data}</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>"
           f"{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>").encode()
    assert_lands_on(prepare_import("plots.kml", kml, "plots", store), NEW_PLOT)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", kml)
    assert_lands_on(prepare_import("plots.kmz", buffer.getvalue(), "plots", store), NEW_PLOT)


def test_csv_lat_lon_and_xlsx_tables(store):
    lon, lat = TO_WGS.transform(X0 + 1500, Y0 + 500)
    housing = pd.DataFrame([{"housing_id": "H2", "name_vi": "Nhà ở xã hội", "name_en": "Social housing",
                             "kind": "social_housing", "status": "preparing", "as_of": "2025-05-01", "location": "",
                             "park_id": "A", "capacity_people": "2000", "area_ha": "", "status_note": "",
                             "source": "HEZA", "geometry_quality": "approximate", "lat": lat, "lon": lon}])
    prepared = prepare_import("housing.csv", housing.to_csv(index=False).encode(), "housing", store)
    assert prepared.ok, messages(prepared)
    assert prepared.crs_from == "assumed" and prepared.summary()["insert"] == 1
    occupancy = pd.DataFrame([{"scope": "park", "park_id": "B", "as_of": "2025-06-30", "occupancy_pct": "31.5",
                               "basis": "reported", "source": "HEZA report Q2 2025", "note": ""}])
    buffer = io.BytesIO()
    occupancy.to_excel(buffer, index=False)
    prepared = prepare_import("occupancy.xlsx", buffer.getvalue(), "occupancy_history", store)
    assert prepared.ok, messages(prepared)
    assert prepared.summary()["insert"] == 1


# --- bad input: each gives its message -----------------------------------------------------------
def test_each_bad_feature_is_listed_with_its_row_and_reason(store):
    bowtie = Polygon([(X0 + 600, Y0 + 100), (X0 + 690, Y0 + 900), (X0 + 690, Y0 + 100), (X0 + 600, Y0 + 900)])
    far_away = box(200_000, 1_200_000, 200_100, 1_200_100)  # UTM 48N, in the Gulf of Thailand
    rows = [plot_rows(plot_id="P1"), plot_rows(plot_id="P2"), plot_rows(plot_id="P3"), plot_rows(plot_id="P3"),
            plot_rows(plot_id="P5", park_id="ZZ"), plot_rows(plot_id="P6", status="sold"),
            plot_rows(plot_id="P7", area_ha="lots")]
    geoms = [bowtie, far_away, NEW_PLOT, NEW_PLOT, NEW_PLOT, NEW_PLOT, NEW_PLOT]
    before = store.path.read_bytes()
    prepared = prepare_import("bad.geojson", geojson(utm_frame(rows, geoms)), "plots", store)
    text = messages(prepared)
    assert not prepared.ok and prepared.change_set is None
    assert ("bad.geojson, layer 'plots', row 1 (plot_id=P1), field 'geometry': invalid geometry: "
            "Self-intersection") in text
    assert "row 2 (plot_id=P2), field 'geometry': geometry lies outside Hai Phong" in text
    assert "row 4 (plot_id=P3): duplicate id" in text
    assert "row 7 (plot_id=P7), field 'area_ha': 'lots' is not a valid float" in text
    assert ("row 6 (plot_id=P6), field 'status': 'sold' is not one of leased, available, reserved, "
            "infrastructure") in text
    assert store.path.read_bytes() == before


def test_unknown_park_and_plot_far_from_its_park(store):
    far = box(X0 + 20_000, Y0, X0 + 20_090, Y0 + 900)  # 20 km east of park A, still in Hai Phong
    frame = utm_frame([plot_rows(plot_id="P1", park_id="ZZ"), plot_rows(plot_id="P2")], [NEW_PLOT, far])
    text = messages(prepare_import("plots.geojson", geojson(frame), "plots", store))
    assert "row 1, field 'park_id': 'ZZ' is not a known park_id of layer 'parks' (unknown park)" in text
    assert ("row 2 (P2), field 'geometry': lies 19.0 km from its park 'A' (at most 1 km is accepted): "
            "wrong coordinates or wrong coordinate system?") in text


def test_missing_column_and_occupancy_out_of_range(store):
    frame = utm_frame([plot_rows()], [NEW_PLOT]).drop(columns=["status"])
    assert "missing column 'status'" in messages(prepare_import("p.geojson", geojson(frame), "plots", store))
    csv = b"scope,park_id,as_of,occupancy_pct,basis,source,note\npark,A,2025-06-30,104.5,reported,HEZA,\n"
    text = messages(prepare_import("occ.csv", csv, "occupancy_history", store))
    assert "occ.csv, layer 'occupancy_history', row 1" in text
    assert "field 'occupancy_pct': 104.5 is above the maximum 100" in text


def test_text_not_in_utf8_is_refused_with_a_hint(store):
    csv = "scope,park_id,as_of,occupancy_pct,basis,source,note\npark,A,2025-06-30,50,reported,HEZA,Hà Nam\n"
    text = messages(prepare_import("occ.csv", csv.encode("cp1258"), "occupancy_history", store))
    assert "occ.csv, layer 'occupancy_history': is not UTF-8 text" in text and "line 2" in text


def test_projected_coordinates_declared_as_wgs84_are_refused_with_a_hint(store):
    frame = utm_frame([plot_rows()], [NEW_PLOT])
    raw = json.loads(frame.to_json())
    raw.pop("crs", None)  # UTM metres in a GeoJSON without a crs member, which GDAL reads as WGS84
    prepared = prepare_import("p.geojson", json.dumps(raw).encode(), "plots", store)
    assert prepared.needs_crs and "declares WGS84 (degrees) but its coordinates are in metres" in messages(prepared)
    assert prepared.suggested_crs == crs.UTM_48N
    assert_lands_on(prepare_import("p.geojson", json.dumps(raw).encode(), "plots", store, crs="EPSG:32648"), NEW_PLOT)


def test_a_wrong_crs_guess_is_caught(store):
    csv = pd.DataFrame([{**plot_rows(), "wkt": NEW_PLOT.wkt}]).to_csv(index=False).encode()  # UTM metres
    prepared = prepare_import("p.csv", csv, "plots", store, crs="EPSG:9210")
    assert "read as EPSG:9210 the features lie" in messages(prepared)
    assert "choose EPSG:32648" in messages(prepared)


# --- unsafe files ------------------------------------------------------------------------------------
def shapefile_zip(frame: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        with pytest.warns((UserWarning, RuntimeWarning)):  # names cut to 10 characters
            frame.to_file(Path(folder) / "plots.shp", encoding="UTF-8")
        return zip_bytes({p.name: p.read_bytes() for p in Path(folder).iterdir()})


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bombs_traversal_and_oversize_uploads_are_refused(store):
    bomb = zip_bytes({"plots.shp": b"\0" * 50_000_000})
    assert "looks like a zip bomb" in messages(prepare_import("p.zip", bomb, "plots", store))
    small_cap = Limits(max_bytes=10_000_000, max_uncompressed=1_000_000)
    stored = zip_bytes({"a.shp": b"x" * 2_000_000}, zipfile.ZIP_STORED)
    assert "would expand to" in messages(prepare_import("p.zip", stored, "plots", store, limits=small_cap))
    evil = zip_bytes({"../../etc/cron.d/evil.shp": b"x"})
    assert "path traversal" in messages(prepare_import("p.zip", evil, "plots", store))
    many = zip_bytes({f"f{i}.txt": b"x" for i in range(300)})
    assert "300 files" in messages(prepare_import("p.zip", many, "plots", store))
    big = prepare_import("p.geojson", b" " * 2_000_000, "plots", store, limits=Limits(max_bytes=1_000_000))
    assert "uploads are limited to 1 MB" in messages(big)
    assert "unsupported type '.exe'" in messages(prepare_import("p.exe", b"MZ", "plots", store))


def test_a_kml_naming_an_unknown_encoding_is_refused_in_one_line(store):
    """Found by the fuzz test: ``encoding="U-TF-8"`` made the XML parser raise LookupError."""
    kml = (b'<?xml version="1.0" encoding="U-TF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
           b"<Point><coordinates>106.7,20.8</coordinates></Point></Placemark></kml>")
    prepared = prepare_import("plots.kml", kml, "plots", store)
    assert "encoding" in messages(prepared) and "UTF-8" in messages(prepared)


def test_kml_entities_are_never_expanded(store, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&x;</name><Point><coordinates>106.7,20.8'
           "</coordinates></Point></Placemark></kml>").encode()
    laughs = (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&b;</name></Placemark></kml>')
    for payload in (xxe, laughs):
        prepared = prepare_import("evil.kml", payload, "housing", store)
        assert "declares a DTD or entities" in messages(prepared) and "TOP-SECRET" not in messages(prepared)


# --- plausibility: distance to the park, swapped coordinates, formulas -----------------------------------------------
def test_a_plot_3_km_outside_its_park_is_refused_and_one_at_its_edge_is_not(store):
    """The shipped plots lie inside their parks (0 m); park outlines are approximate, so 1 km is tolerated."""
    three_km = box(X0 + 4000, Y0 + 100, X0 + 4090, Y0 + 900)  # park A ends at X0 + 1000
    frame = utm_frame([plot_rows(plot_id="P1")], [three_km])
    text = messages(prepare_import("plots.geojson", geojson(frame), "plots", store))
    assert ("plots.geojson, layer 'plots', row 1 (P1), field 'geometry': lies 3.0 km from its park 'A' (at most 1 km "
            "is accepted): wrong coordinates or wrong coordinate system?") in text
    at_the_edge = box(X0 + 1200, Y0 + 100, X0 + 1290, Y0 + 900)  # 200 m outside the approximate outline
    assert prepare_import("plots.geojson", geojson(utm_frame([plot_rows()], [at_the_edge])), "plots", store).ok


def test_swapped_latitude_and_longitude_are_named_as_such(store):
    lon, lat = TO_WGS.transform(X0 + 1500, Y0 + 500)
    housing = pd.DataFrame([{"housing_id": "H2", "name_vi": "Nhà ở", "name_en": "Housing", "kind": "social_housing",
                             "status": "preparing", "as_of": "2025-05-01", "source": "HEZA",
                             "geometry_quality": "approximate", "lat": lon, "lon": lat}])  # the values swapped
    prepared = prepare_import("housing.csv", housing.to_csv(index=False).encode(), "housing", store)
    text = messages(prepared)
    assert ("housing.csv, layer 'housing', field 'geometry': latitude and longitude look swapped: read the other way "
            "round the features lie in Hai Phong; swap the lat and lon columns (or the coordinate order) and upload "
            "again") in text
    assert "metres" not in text and "VN-2000" not in text and not prepared.needs_crs
    frame = utm_frame([plot_rows()], [NEW_PLOT]).to_crs(WGS84)
    raw = json.loads(frame.to_json())
    polygon = raw["features"][0]["geometry"]
    polygon["coordinates"] = [[[y, x] for x, y in ring] for ring in polygon["coordinates"]]
    text = messages(prepare_import("plots.geojson", json.dumps(raw).encode(), "plots", store))
    assert "latitude and longitude look swapped" in text and "metres" not in text


def test_an_xlsx_formula_without_a_saved_value_is_reported_not_blanked(store):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["scope", "park_id", "as_of", "occupancy_pct", "basis", "source", "note"])
    sheet.append(["park", "B", "2025-06-30", "=60/2", "reported", "HEZA report Q2 2025", ""])
    sheet.append(["park", "A", "2025-06-30", 55.0, "reported", "HEZA report Q2 2025", "=\"see \"&B2"])
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl saves formulas without a computed value, as any script does
    prepared = prepare_import("occupancy.xlsx", buffer.getvalue(), "occupancy_history", store)
    assert [str(p) for p in prepared.problems] == [
        "occupancy.xlsx, layer 'occupancy_history', row 1, field 'occupancy_pct': a formula without a saved value: "
        "open the file in Excel and save it, or type the value",
        "occupancy.xlsx, layer 'occupancy_history', row 2, field 'note': a formula without a saved value: "
        "open the file in Excel and save it, or type the value",
    ]


# --- cost caps: expanded XLSX, vertices ---------------------------------------------------------------------------
def xlsx_with_big_sheet(megabytes: float) -> bytes:
    """A valid workbook whose first sheet's XML expands to about ``megabytes`` (one data row, repeated)."""
    occupancy = pd.DataFrame([{"scope": "park", "park_id": "B", "as_of": "2025-06-30", "occupancy_pct": "31.5",
                               "basis": "reported", "source": "HEZA report Q2 2025", "note": ""}])
    buffer = io.BytesIO()
    occupancy.to_excel(buffer, index=False)
    with zipfile.ZipFile(buffer) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    head, rest = sheet.split("<sheetData>")
    rows, tail = rest.split("</sheetData>")
    header, data = rows.split("</row>")[:2]
    cells = re.sub(r' r="[A-Z]+2"', "", data.split(">", 1)[1])  # a cell's reference is optional
    count = int(megabytes * 1024 * 1024 / len(f'<row r="100000">{cells}</row>'))
    body = "".join(f'<row r="{n}">{cells}</row>' for n in range(2, count + 2))
    members["xl/worksheets/sheet1.xml"] = f"{head}<sheetData>{header}</row>{body}</sheetData>{tail}".encode()
    return zip_bytes(members)


def test_an_xlsx_that_expands_too_much_is_refused_before_it_is_parsed(store, monkeypatch):
    import time

    content = xlsx_with_big_sheet(60)
    assert len(content) < 5 * 1024 * 1024  # passes the upload size and the zip checks
    monkeypatch.setattr(pd, "read_excel", lambda *a, **k: pytest.fail("the sheet was parsed"))
    started = time.perf_counter()
    prepared = prepare_import("occupancy.xlsx", content, "occupancy_history", store)
    assert time.perf_counter() - started < 5
    assert messages(prepared) == (
        "occupancy.xlsx, layer 'occupancy_history': its first sheet expands to 60 MB of XML; at most 50 MB are read: "
        "delete unused rows and columns, split the file or save the sheet as CSV")


def jagged_polygon(vertices: int):
    """A polygon inside park A with ``vertices`` corners, jagged like an over-digitised outline (validity
    checks of such a ring take quadratic time: 600,000 vertices took 95 s)."""
    import numpy as np

    angle = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = 1 + 0.3 * np.random.default_rng(1).random(vertices)
    return Polygon(np.c_[X0 + 650 + 40 * radius * np.cos(angle), Y0 + 500 + 300 * radius * np.sin(angle)])


def test_a_feature_with_too_many_vertices_is_refused_before_any_geometry_work(store, monkeypatch):
    import heza_geo.io.importers as importers

    monkeypatch.setattr(importers, "validate_frame", lambda *a, **k: pytest.fail("the geometry was validated"))
    frame = utm_frame([plot_rows(plot_id="P1"), plot_rows(plot_id="P2")], [NEW_PLOT, jagged_polygon(60_000)])
    for name, content in {"plots.geojson": geojson(frame), "plots.zip": shapefile_zip(frame)}.items():
        assert messages(prepare_import(name, content, "plots", store)) == (
            f"{name}, layer 'plots', row 2, field 'geometry': has 60,001 vertices; at most 50,000 are accepted per "
            "feature: simplify it (e.g. QGIS: Vector > Geometry Tools > Simplify) and upload again")


def test_the_vertex_cap_holds_for_every_format(store, monkeypatch, tmp_path):
    import heza_geo.io.importers as importers

    monkeypatch.setattr(importers, "validate_frame", lambda *a, **k: pytest.fail("the geometry was validated"))
    frame = utm_frame([plot_rows(plot_id="P1"), plot_rows(plot_id="P2")], [NEW_PLOT, jagged_polygon(600)])
    wgs = frame.to_crs(WGS84)  # WKT of 601 vertices fits in an Excel cell (32,767 characters)
    coords = " ".join(f"{x},{y}" for x, y in wgs.geometry.iloc[1].exterior.coords)
    kml = (f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>ok</name><Point><coordinates>'
           f"106.7,20.8</coordinates></Point></Placemark><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>"
           f"{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>").encode()
    table = pd.DataFrame(wgs.drop(columns="geometry")).assign(wkt=wgs.geometry.to_wkt())
    xlsx = io.BytesIO()
    table.to_excel(xlsx, index=False)
    wgs.to_file(tmp_path / "plots.gpkg", layer="plots", driver="GPKG")
    uploads = {"plots.geojson": geojson(frame), "plots.zip": shapefile_zip(frame), "plots.kml": kml,
               "plots.kmz": zip_bytes({"doc.kml": kml}), "plots.csv": table.to_csv(index=False).encode(),
               "plots.xlsx": xlsx.getvalue(), "plots.gpkg": (tmp_path / "plots.gpkg").read_bytes()}
    for name, content in uploads.items():
        text = messages(prepare_import(name, content, "plots", store, limits=Limits(max_vertices_per_feature=500)))
        assert text.startswith(f"{name}, layer 'plots', row 2, field 'geometry': has 601 vertices; at most 500 "
                               "are accepted per feature"), (name, text)


def test_too_many_vertices_in_all_is_refused(store):
    boxes = [box(X0 + 600, Y0 + 100 + i, X0 + 690, Y0 + 101 + i) for i in range(30)]
    frame = utm_frame([plot_rows(plot_id=f"P{i}") for i in range(30)], boxes)
    limits = Limits(max_vertices_total=100)
    assert messages(prepare_import("plots.geojson", geojson(frame), "plots", store, limits=limits)) == (
        "plots.geojson, layer 'plots': the features have 150 vertices in all; at most 100 are accepted per file: "
        "split the file or simplify the geometry")


# --- provenance: kind columns, and files made before them ---------------------------------------------------------
OCCUPANCY_COLUMNS = "scope,park_id,as_of,occupancy_pct,basis,note"
REPORT_IN_A_METHOD = "share of the 6,100 ha total (002_03c113ee68876e37.txt)"


def occupancy_csv(sources: list[str], kinds: list[str] | None = None) -> bytes:
    """Occupancy rows of park A, one a month of 2025, with these sources (and kinds, if given)."""
    frame = pd.DataFrame({"scope": "park", "park_id": "A", "as_of": [f"2025-{m:02d}-01" for m in range(1, 13)][
        :len(sources)], "occupancy_pct": "50", "basis": "reported", "note": "", "source": sources})
    if kinds is not None:
        frame.insert(len(frame.columns) - 1, "source_kind", kinds)
    return frame.to_csv(index=False).encode()


def test_a_file_without_kind_columns_imports_when_each_source_says_its_kind(store):
    sources = ["news: vietnam.vn 20/07/2025", "001_7f014fdbc8afe3e1.txt", f"approximate: {REPORT_IN_A_METHOD}",
               "synthetic demo", "placed by hand from the master plan", "News: laodong.vn"]
    prepared = prepare_import("occ.csv", occupancy_csv(sources), "occupancy_history", store)
    assert prepared.ok, messages(prepared)
    assert provenances(prepared.frame) == [
        Provenance("news", "vietnam.vn 20/07/2025"), Provenance("report", "001_7f014fdbc8afe3e1.txt"),
        Provenance("approximate", REPORT_IN_A_METHOD), Provenance("synthetic demo"),
        Provenance("approximate", "placed by hand from the master plan"), Provenance("news", "laodong.vn")]
    derived = [n for n in prepared.notes if "source_kind" in n]
    assert derived == [  # the kinds by their labels, as the page's other languages say them
        "the file has no 'source_kind' column: the kind of each 'source' was derived from its text (Public news: 2, "
        "HEZA report: 1, Approximate: 2 and Synthetic demo: 1) and the prefix dropped from the reference; e.g. "
        "'news: vietnam.vn 20/07/2025' → Public news, 'vietnam.vn 20/07/2025'"]
    assert dict(derived[0].params)["kind_counts"] == "news=2;report=1;approximate=2;synthetic demo=1"  # the codes
    written = {c.after["as_of"]: c.after for c in prepared.change_set}
    assert (written["2025-03-01"]["source_kind"], written["2025-03-01"]["source"]) == ("approximate",
                                                                                       REPORT_IN_A_METHOD)


def test_a_method_naming_a_report_is_never_badged_as_the_report(store):
    """The bug of the text classifier: "approximate: … (002_….txt)" was badged "Official figure – HEZA report"."""
    with_kind = occupancy_csv([REPORT_IN_A_METHOD], ["approximate"])
    without = occupancy_csv([f"approximate: {REPORT_IN_A_METHOD}"])
    for name, content in (("with_kind.csv", with_kind), ("without.csv", without)):
        prepared = prepare_import(name, content, "occupancy_history", store)
        assert prepared.ok, messages(prepared)
        [found] = provenances(prepared.frame)
        assert found == Provenance("approximate", REPORT_IN_A_METHOD), name
        for lang in i18n.LANGUAGES:
            assert i18n.badge(found, lang) != i18n.badge("report", lang), (name, lang)


def test_a_source_that_reads_two_ways_is_refused_row_by_row(store):
    sources = ["vietnam.vn 20/07/2025", "001_7f014fdbc8afe3e1.txt, page 4", REPORT_IN_A_METHOD, "report 001", "",
               "synthetic demo data", "001_7f014fdbc8afe3e1.txt"]
    prepared = prepare_import("occ.csv", occupancy_csv(sources), "occupancy_history", store)
    said = [(p.file, p.row, p.field, p.message) for p in prepared.problems]
    assert len(said) == 6 and not prepared.ok, "\n".join(map(str, prepared.problems))  # the report file alone passes
    assert {(file, field) for file, _, field, _ in said} == {("occ.csv", "source")}  # the column the file has
    assert [row for _, row, _, _ in said] == [1, 2, 3, 4, 5, 6]
    messages_ = [message for *_, message in said]
    assert messages_[0].startswith("'vietnam.vn 20/07/2025' starts with a site: is it news")
    assert messages_[1].startswith("'001_7f014fdbc8afe3e1.txt, page 4' names a report file inside other words")
    assert messages_[2].startswith(f"'{REPORT_IN_A_METHOD}' names a report file")
    assert messages_[3].startswith("'report 001' starts with 'report' but is not in its form")
    assert messages_[4].startswith("is empty and the file has no kind column")
    assert messages_[5].startswith("'synthetic demo data' starts with 'synthetic demo'")
    assert all(m.endswith("or add a kind column (report, news, approximate, synthetic demo)") for m in messages_
               if not m.startswith("is empty"))
    assert "row 1 (scope=park, park_id=A, as_of=2025-01-01, source=vietnam.vn 20/07/2025), field 'source'" in str(
        prepared.problems[0])


def test_a_file_with_kind_columns_is_validated_as_it_is(store):
    sources = ["news: vietnam.vn", "vietnam.vn 20/07/2025", "001", "", "HEZA survey", "vietnam.vn"]
    kinds = ["news", "news", "report", "approximate", "official", ""]
    prepared = prepare_import("occ.csv", occupancy_csv(sources, kinds), "occupancy_history", store)
    assert not any("derived" in n for n in prepared.notes)
    assert sorted((p.row, p.field, p.message) for p in prepared.problems) == [
        (1, "source", "'news: vietnam.vn' does not start with the news site (e.g. 'vietnam.vn 20/07/2025')"),
        (3, "source", "'001' is not a known HEZA report file (000_0348db918e8c2867.txt, 001_7f014fdbc8afe3e1.txt, "
                      "002_03c113ee68876e37.txt, 003_c29c595c5ac2d704.txt, 004_7c364edc3c1b17af.txt)"),
        (4, "source", "an approximate figure needs its method (how it was placed or estimated)"),
        (5, "source_kind", "'official' is not one of report, news, approximate, synthetic demo"),
        (6, "source_kind", "is empty but required"),
    ]
    assert {p.file for p in prepared.problems} == {"occ.csv"}


def test_each_provenance_column_without_its_kind_gets_one_note(store):
    parks = store.read_layer("parks").drop(columns=["record_id", "row_version"])
    legacy = parks.assign(area_source=["news: vietnam.vn", "approximate: drawn for the tests",
                                       "003_c29c595c5ac2d704.txt"],
                          stage_source=["001_7f014fdbc8afe3e1.txt", None, None],
                          source="approximate").drop(columns=["source_kind", "area_source_kind", "stage_source_kind"])
    prepared = prepare_import("parks.geojson", legacy.to_json().encode(), "parks", store)
    assert prepared.ok, messages(prepared)
    derived = [n.split(":")[0] for n in prepared.notes if "derived" in n]
    assert derived == ["the file has no 'stage_source_kind' column", "the file has no 'area_source_kind' column",
                       "the file has no 'source_kind' column"]
    frame = prepared.frame.set_index("park_id")
    assert list(frame["stage_source_kind"].fillna("")) == ["report", "", ""]
    assert list(frame["area_source_kind"]) == ["news", "approximate", "report"]
    assert list(frame["area_source"]) == ["vietnam.vn", "drawn for the tests", "003_c29c595c5ac2d704.txt"]
    assert set(frame["source"]) == {"legacy record, no method given"} and set(frame["source_kind"]) == {"approximate"}


def zipped_shapefile(frame: gpd.GeoDataFrame, folder: Path, name: str) -> bytes:
    folder.mkdir()
    with pytest.warns((UserWarning, RuntimeWarning)):  # names cut to 10 characters, as ArcGIS and QGIS do
        frame.to_file(folder / f"{name}.shp", encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    return buffer.getvalue()


def test_a_shapefile_tells_a_kind_from_its_reference_though_their_names_are_cut_alike(store, tmp_path: Path):
    """``area_source_kind`` and ``area_source`` both become ``area_sourc`` (then ``area_sou_1``) in a .dbf."""
    parks = store.read_layer("parks").drop(columns=["record_id", "row_version"])
    parks["area_source_kind"] = ["news", "approximate", "report"]
    parks["area_source"] = ["vietnam.vn 01/02/2024", "drawn for the tests", "003_c29c595c5ac2d704.txt"]
    columns = list(parks.columns)
    swapped = [*columns[:columns.index("area_source_kind")], "area_source", "area_source_kind",
               *columns[columns.index("area_source") + 1:]]  # the reference written first: told apart by content
    for label, frame in (("schema order", parks), ("reference first", parks[swapped])):
        content = zipped_shapefile(frame, tmp_path / label.replace(" ", "_"), "parks")
        prepared = prepare_import("parks.zip", content, "parks", store)
        assert prepared.ok, (label, messages(prepared))
        assert not any("ignored" in note for note in prepared.notes), (label, prepared.notes)
        got = prepared.frame.set_index("park_id")
        assert list(got["area_source_kind"]) == ["news", "approximate", "report"], label
        assert list(got["area_source"]) == list(parks["area_source"]), label
        assert list(got["stage_source_kind"].fillna("")) == ["report", "", ""], label
        changed = {c.record_id: set(changed_fields(c)) - {"geometry"} for c in prepared.change_set}  # rings turn
        assert changed == {"A": {"area_source_kind", "area_source"}, "B": set(),  # clockwise in a Shapefile
                           "C": {"area_source_kind", "area_source"}}, label


def test_a_shapefile_made_before_kinds_imports_its_one_source_text(store, tmp_path: Path):
    parks = store.read_layer("parks").drop(columns=["record_id", "row_version", "source_kind", "area_source_kind",
                                                    "stage_source_kind"])
    parks["area_source"] = ["news: vietnam.vn", "approximate: drawn for the tests", "approximate: drawn for the tests"]
    parks["source"] = "approximate: drawn for the tests"
    content = zipped_shapefile(parks, tmp_path / "old", "parks")
    prepared = prepare_import("parks.zip", content, "parks", store)
    assert prepared.ok, messages(prepared)
    assert len([n for n in prepared.notes if "derived" in n]) == 3
    got = prepared.frame.set_index("park_id")
    assert provenance_of(got.loc["A"], "area_source") == Provenance("news", "vietnam.vn")
    assert provenance_of(got.loc["A"], "stage_source") == Provenance("report", "001_7f014fdbc8afe3e1.txt")


# --- every problem at once, in the reader's language (issue 16) -------------------------------------
def housing_csv(rows: list[dict], drop: tuple[str, ...] = ()) -> bytes:
    """A housing CSV with lon/lat columns: one row per dict over a valid row near park A."""
    lon, lat = TO_WGS.transform(X0 + 1500, Y0 + 500)
    base = {"housing_id": "H", "name_vi": "Nhà ở", "name_en": "Housing", "kind": "social_housing", "location": "",
            "park_id": "", "capacity_people": "500", "area_ha": "", "status": "preparing", "status_note": "",
            "as_of": "2025-05-01", "source_kind": "approximate", "source": "HEZA survey 2025",
            "geometry_quality": "approximate", "lon": lon, "lat": lat}
    return pd.DataFrame([{**base, **row} for row in rows]).drop(columns=list(drop)).to_csv(index=False).encode()


def test_a_file_with_three_kinds_of_row_errors_and_a_missing_column_lists_all_at_once_in_vietnamese(store):
    from heza_geo.analysis.staff import problems_table

    csv = housing_csv([{"housing_id": "H1", "as_of": "2025-13-45"}, {"housing_id": "H2", "status": "sold"},
                       {"housing_id": "H3", "capacity_people": "-5"}], drop=("kind",))
    prepared = prepare_import("housing.csv", csv, "housing", store)
    assert [(p.row, p.field, p.key) for p in prepared.problems] == [
        (None, None, "problem.missing_column"),  # the columns first, then every row, by row
        (1, "as_of", "problem.not_date"),
        (2, "status", "problem.not_allowed"),
        (3, "capacity_people", "problem.below_min"),
    ]
    table = problems_table(prepared.problems, "vi")
    said = table[i18n.t("dm.col_problem", "vi")].tolist()
    assert said[0].startswith("thiếu cột 'kind' (lớp này cần các cột housing_id, ")
    assert said[1:] == ["'2025-13-45' không phải là ngày hợp lệ",
                        "'sold' không thuộc các giá trị cho phép: proposed, preparing, investor_selected, "
                        "under_construction, completed",
                        "-5 nhỏ hơn giá trị tối thiểu 0"]
    assert table[i18n.t("dm.col_row", "vi")].tolist() == ["", 1, 2, 3]


def test_a_coordinate_system_still_to_choose_does_not_hide_the_rows_problems(store):
    frame = pd.DataFrame([{**plot_rows(status="sold"), "x": X0 + 600, "y": Y0 + 500}])
    prepared = prepare_import("plots.csv", frame.to_csv(index=False).encode(), "plots", store)
    assert prepared.needs_crs
    assert [p.key for p in prepared.problems] == ["problem.metres_without_crs_fit", "problem.not_allowed"]


def test_a_longitude_of_206_is_out_of_range_not_metres(store):
    prepared = prepare_import("housing.csv", housing_csv([{"housing_id": "H1"}, {"housing_id": "H2", "lon": 206}]),
                              "housing", store)
    text = messages(prepared)
    assert not prepared.needs_crs and "metres" not in text and "VN-2000" not in text
    assert [(p.row, p.key) for p in prepared.problems] == [(2, "problem.out_of_range")]
    assert "row 2 (housing_id=H2), field 'geometry': coordinates out of range (centre 206.0000, " in text


def test_a_swapped_point_out_of_range_is_told_to_swap_and_metres_are_still_metres(store):
    lon, lat = TO_WGS.transform(X0 + 1500, Y0 + 500)
    prepared = prepare_import("housing.csv", housing_csv([{"housing_id": "H1"}, {"housing_id": "H2", "lon": lat,
                                                                                  "lat": lon}]), "housing", store)
    assert [(p.row, p.key) for p in prepared.problems] == [(2, "problem.out_of_range_swapped")]
    assert "latitude and longitude look swapped" in messages(prepared)
    metres = prepare_import("housing.csv", housing_csv([{"lon": X0 + 1500, "lat": Y0 + 500}]), "housing", store)
    assert metres.needs_crs and [p.key for p in metres.problems] == ["problem.metres_without_crs_fit"]


# --- a refused file, in the reader's language -------------------------------------------------------------------
#: the names a refusal keeps in every language: formats, programs, libraries, units
NAMES = {"GeoPackage", "SQLite", "GeoJSON", "JSON", "XML", "KML", "CSV", "UTF", "Excel", "QGIS", "Shapefile",
         "GDAL", "GEOS", "PROJ", "MB", "zip", "shp", "EPSG", "crs", "type"}
READERS = ("vi", "ko", "ja", "zh")
#: a text marked as the English original (a library's words), from its opening to its closing quote
MARKED = {lang: re.compile(".*?".join(re.escape(part) for part in i18n.t("text.in_english", lang, text="\0")
                                      .split("\0"))) for lang in READERS}
_WORD = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])")


def english_words(problem, lang: str) -> set[str]:
    """The words of the problem's English message (its catalog text, without the values filled in) that
    its text in ``lang`` still shows, outside the library's words marked as the English original and
    the names of formats and programs."""
    english = i18n.t(problem.key, "en", **{name: "" for name, _ in problem.params}) if problem.key else problem.message
    shown = MARKED[lang].sub(" ", i18n.problem_text(problem, lang))
    return (set(_WORD.findall(english)) & set(_WORD.findall(shown))) - NAMES


def assert_said_in_every_language(problem, *, library: str | None = None) -> None:
    """The problem reads in each reader's language; a library's words are there, marked as English."""
    assert problem.key, problem
    for lang in READERS:
        said = i18n.problem_text(problem, lang)
        assert not english_words(problem, lang), (lang, said)
        if library is not None:
            assert i18n.t("text.in_english", lang, text=library) in said, (lang, said)
            assert library in problem.message  # the command line and the log read it whole, in English


def test_a_file_that_is_not_a_geopackage_is_refused_in_the_readers_language(store):
    prepared = prepare_import("plots.gpkg", b"a spreadsheet renamed plots.gpkg", "plots", store)
    [refused] = prepared.problems
    assert str(refused) == "plots.gpkg, layer 'plots': is not a GeoPackage (not an SQLite file)"
    assert_said_in_every_language(refused)
    assert i18n.problem_text(refused, "vi") == "không phải là GeoPackage (không phải tệp SQLite)"


def test_an_upload_too_large_and_a_zip_bomb_are_refused_in_the_readers_language(store):
    big = prepare_import("p.geojson", b" " * 2_000_000, "plots", store, limits=Limits(max_bytes=1_000_000))
    bomb = prepare_import("p.zip", zip_bytes({"plots.shp": b"\0" * 50_000_000}), "plots", store)
    for prepared, key in ((big, "problem.too_big"), (bomb, "problem.zip_ratio")):
        [refused] = prepared.problems
        assert refused.key == key
        assert_said_in_every_language(refused)
    assert "1.9 MB" in i18n.problem_text(big.problems[0], "vi") and "tối đa 1 MB" in i18n.problem_text(
        big.problems[0], "vi")


def test_a_ring_that_is_not_closed_is_refused_with_geoss_words_marked_as_english(store):
    ring = [[106.70, 20.80], [106.71, 20.80], [106.71, 20.81], [106.70, 20.81]]  # the first point is not repeated
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": plot_rows(), "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    prepared = prepare_import("plots.geojson", json.dumps(document).encode(), "plots", store)
    [refused] = prepared.problems
    assert refused.key == "problem.malformed_geometry"
    library = dict(refused.params)["library"]
    assert "LinearRing" in library  # GEOS's own words, as GEOS wrote them
    assert_said_in_every_language(refused, library=library)
    assert i18n.problem_text(refused, "ko") == (
        f"형식이 잘못된 지오메트리가 있습니다. GEOS 메시지: (영어 원문) “{library}”")


def test_a_parsers_reason_is_marked_as_english_and_the_message_around_it_is_translated(store):
    cases = {"plots.json": (b'{"type": "FeatureCollection", features: []}', "problem.json_invalid"),
             "plots.kml": (b"<kml><Placemark></kml>", "problem.xml_malformed"),
             "plots.zip": (b"PK\x03\x04 cut short", "problem.not_a_zip")}
    for name, (content, key) in cases.items():
        [refused] = prepare_import(name, content, "plots", store).problems
        assert refused.key == key, (name, refused)
        assert_said_in_every_language(refused, library=dict(refused.params)["library"])


def test_an_unknown_coordinate_system_chosen_is_named_with_projs_reason_marked(store):
    frame = pd.DataFrame([{**plot_rows(), "x": X0 + 600, "y": Y0 + 500}])
    prepared = prepare_import("plots.csv", frame.to_csv(index=False).encode(), "plots", store, crs="EPSG:999999")
    [refused] = [p for p in prepared.problems if p.field == "geometry"]
    assert refused.key == "problem.unknown_crs"
    assert refused.message.startswith("unknown coordinate reference system 'EPSG:999999': ")
    assert_said_in_every_language(refused, library=dict(refused.params)["library"])


# --- an import's notes, in the reader's language ------------------------------------------------------------------
#: the names a note keeps in every language, besides those of :data:`NAMES`: a KML element
NOTE_NAMES = {"NetworkLink"}


def assert_notes_said_in(prepared, lang: str) -> list[str]:
    """Each note of the import, as the staff page shows it in ``lang``: a catalog message, with no word of its
    English text left (the file's columns, kinds, CRS codes and quoted text are values, not words)."""
    said = []
    for found in prepared.notes:
        assert found.key.startswith("note."), found
        text = i18n.problem_text(found, lang)
        assert not english_words(found, lang) - NOTE_NAMES, (lang, text)
        assert text != str(found), (lang, text)
        said.append(text)
    return said


def test_an_imports_notes_read_in_the_readers_language_with_only_the_files_names_left(store):
    """A CSV with an extra column, no declared CRS and no kind column: three notes, each said in Vietnamese
    and Korean; the kinds derived from the text are named in the reader's language, never in English."""
    csv = housing_csv([{"housing_id": "H1", "source": "news: vietnam.vn 20/07/2025", "remarks_2025": "x"},
                       {"housing_id": "H2", "source": "HEZA survey 2025", "remarks_2025": ""}], drop=("source_kind",))
    prepared = prepare_import("housing.csv", csv, "housing", store)
    assert prepared.ok, messages(prepared)
    assert [n.key for n in prepared.notes] == ["note.columns_ignored", "note.kinds_derived_example",
                                               "note.no_crs_degrees"]
    english = [i18n.label("provenance", kind, "en") for kind in PROVENANCE_KINDS]
    for lang in ("vi", "ko"):
        ignored, derived, degrees = assert_notes_said_in(prepared, lang)
        assert "remarks_2025" in ignored and "'housing'" in ignored  # the file's column and the layer, as codes
        assert "WGS84" in degrees
        assert not [word for word in english if word in derived], (lang, derived)
        for kind in ("news", "approximate"):
            assert i18n.label("provenance", kind, lang) in derived, (lang, derived)
    _, derived_ko, _ = assert_notes_said_in(prepared, "ko")
    assert "(언론 보도 1건 및 근사치 1건)" in derived_ko and "→ 언론 보도, 'vietnam.vn 20/07/2025'" in derived_ko
    # a note is still its English text wherever a string is expected: the command line prints it
    assert f"note: {prepared.notes[1]}".startswith("note: the file has no 'source_kind' column: the kind of each")


def test_every_note_an_import_gives_reads_in_every_readers_language(store, tmp_path: Path):
    coords = " ".join(f"{lon},{lat},0" for lon, lat in wgs84_corners(NEW_PLOT))
    data = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in plot_rows().items())
    kml = (f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><NetworkLink><name>more</name><Link><href>'
           f"more.kml</href></Link></NetworkLink><Placemark><name>A-6</name><ExtendedData>{data}</ExtendedData>"
           f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs>"
           f"</Polygon></Placemark></Document></kml>").encode()
    path = tmp_path / "upload.gpkg"
    utm_frame([plot_rows()], [NEW_PLOT]).to_file(path, layer="plots", driver="GPKG")
    linked = prepare_import("plots.kml", kml, "plots", store)
    declared = prepare_import("upload.gpkg", path.read_bytes(), "plots", store, crs="EPSG:9210")
    unchanged = prepare_import("plots.geojson", store.read_layer("plots").drop(columns=["record_id", "row_version"])
                               .to_json(drop_id=True).encode(), "plots", store)
    notes = {n.key: n for prepared in (linked, declared, unchanged) for n in prepared.notes}
    assert set(notes) == {"note.network_link", "note.crs_declared_not_chosen", "note.nothing_changes"}, notes
    assert unchanged.notes == ["the file matches the store: nothing would change"] and not len(unchanged.change_set)
    for found in notes.values():
        for lang in READERS:
            assert not english_words(found, lang) - NOTE_NAMES, (lang, i18n.problem_text(found, lang))
    assert "EPSG:32648" in i18n.problem_text(notes["note.crs_declared_not_chosen"], "vi")
    assert i18n.problem_text(notes["note.nothing_changes"], "vi") == (
        "tệp trùng khớp với dữ liệu đã lưu: sẽ không có gì thay đổi")


def test_a_derived_kind_note_with_no_source_says_so_in_the_readers_language(store):
    parks = store.read_layer("parks").drop(columns=["record_id", "row_version", "stage_source_kind"])
    prepared = prepare_import("parks.geojson", parks.assign(stage_source=None).to_json().encode(), "parks", store)
    assert prepared.ok, messages(prepared)
    [derived] = [n for n in prepared.notes if n.key.startswith("note.kinds_derived")]
    assert dict(derived.params)["kind_counts"] == ""
    assert "(no row with a source)" in derived
    assert "(không dòng nào có nguồn)" in i18n.problem_text(derived, "vi")
