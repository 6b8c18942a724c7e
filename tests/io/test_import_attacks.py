"""Uploads that try to make the server read its own files or send requests: each is refused and reads nothing.

GDAL picks a driver by looking at a file's content, not its name. An OGR VRT document
(``<OGRVRTDataSource>``) names *another* data source: any file the app can read (a CSV, the
store's GeoPackage with its ``accounts`` table of argon2 hashes) or a URL (``/vsicurl/``). Sent as
a ``.geojson``, ``.json``, ``.kml``, ``.kmz`` or as the ``.shp`` of a zip, it used to be opened by
GDAL's VRT driver and its rows came back as the upload's rows. A plain SQLite file sent as
``.gpkg`` did the same through a ``VirtualOGR`` table. Every case here must be refused with a
message, and neither the secret nor a server path may appear in any frame, problem or note.

The network cases run a throwaway HTTP server on 127.0.0.1 and assert that it received nothing.
"""

from __future__ import annotations

import http.server
import io
import json
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from heza_geo.errors import ReadError, UnsafeFile
from heza_geo.io.importers import PreparedImport, prepare_import, read_upload
from heza_geo.schema import METRIC_CRS, WGS84
from heza_geo.store import auth
from heza_geo.store.gpkg import GeoPackageStore

X0, Y0 = 650_000, 2_300_000  # park A of the tiny dataset (tests/conftest.py), UTM 48N
PASSWD_SECRET = "TOP-SECRET-9f1c2e"  # a line of a server file the app can read
LAYER = "source_notes"  # a table: rows that pass validation would be published as they are
SHAPE = "SELECT 'leak' AS topic, {who} AS subject_id, {what} AS note_vi, {what} AS note_en, 'x' AS source FROM {table}"


# --- the secrets an attacker is after -------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GeoPackageStore:
    """The tiny dataset in a GeoPackage store with one admin account (an argon2id hash in ``accounts``)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("heza_tests_conftest", Path(__file__).parents[1] / "conftest.py")
    kit = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]  # an existing file's spec is never None
    spec.loader.exec_module(kit)  # type: ignore[union-attr]  # nor is its loader
    folder = tmp_path_factory.mktemp("attacks")
    store = GeoPackageStore(folder / "store.gpkg")
    store.initialise_from(kit.write_dataset(folder / "data"))
    auth.add_account(store, "chief-admin", "correct horse battery staple", "admin")
    return store


@pytest.fixture(scope="module")
def password_hash(store: GeoPackageStore) -> str:
    [(value,)] = store.execute('SELECT "password_hash" FROM "accounts" WHERE "name" = ?', ("chief-admin",))
    assert value.startswith("$argon2id$")
    return value


@pytest.fixture(scope="module")
def passwd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A server file that is not meant for anyone: read through GDAL's CSV driver, it has a header and one row."""
    path = tmp_path_factory.mktemp("server") / "passwd.csv"
    path.write_text(f"user,secret\nroot,{PASSWD_SECRET}\n", encoding="utf-8")
    return path


def vrt(source: str, sql: str) -> bytes:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="{LAYER}"><SrcDataSource>{source}</SrcDataSource>'
            f"<SrcSQL>{sql}</SrcSQL><GeometryType>wkbNone</GeometryType></OGRVRTLayer></OGRVRTDataSource>").encode()


def vrt_to_store(store: GeoPackageStore) -> bytes:
    return vrt(str(store.path), SHAPE.format(who="name", what="password_hash", table="accounts"))


def vrt_to_passwd(passwd: Path) -> bytes:
    return vrt(str(passwd), SHAPE.format(who="user", what="secret", table="passwd"))


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def as_shapefile_zip(document: bytes) -> bytes:
    """The document as the .shp of a zip, with the .shx and .dbf an honest Shapefile would have."""
    return zipped({"notes.shp": document, "notes.shx": document, "notes.dbf": b"\x03" + b"\0" * 31 + b"\r"})


def everything_returned(prepared: PreparedImport) -> str:
    frame = "" if prepared.frame is None else prepared.frame.to_csv()
    return "\n".join([frame, *map(str, prepared.problems), *prepared.notes])


def assert_refused_and_reads_nothing(name: str, content: bytes, store: GeoPackageStore, *secrets: str) -> str:
    """read_upload refuses the file and prepare_import reports it; no secret and no server path comes back."""
    with pytest.raises((ReadError, UnsafeFile)) as refused:
        frame = read_upload(name, content, LAYER)
        pytest.fail(f"{name} was read: {frame.to_dict('records')}")
    prepared = prepare_import(name, content, LAYER, store)
    assert not prepared.ok and prepared.problems and prepared.frame is None
    said = everything_returned(prepared) + "\n" + str(refused.value)
    for secret in secrets:
        assert secret not in said
    assert "/tmp" not in said and str(store.path.parent) not in said  # noqa: S108 - no server path either
    return str(prepared.problems[0])


# --- the VRT document, disguised as every accepted format -----------------------------------------------------
def test_a_vrt_disguised_as_geojson_is_refused_and_reads_nothing(store, password_hash, passwd):
    for document in (vrt_to_store(store), vrt_to_passwd(passwd)):
        said = assert_refused_and_reads_nothing("notes.geojson", document, store, password_hash, PASSWD_SECRET)
        assert "notes.geojson, layer 'source_notes': is not GeoJSON" in said


def test_a_vrt_disguised_as_json_is_refused_and_reads_nothing(store, password_hash, passwd):
    for document in (vrt_to_store(store), vrt_to_passwd(passwd)):
        said = assert_refused_and_reads_nothing("notes.json", document, store, password_hash, PASSWD_SECRET)
        assert "is not GeoJSON" in said


def test_a_vrt_disguised_as_kml_is_refused_and_reads_nothing(store, password_hash, passwd):
    for document in (vrt_to_store(store), vrt_to_passwd(passwd)):
        said = assert_refused_and_reads_nothing("notes.kml", document, store, password_hash, PASSWD_SECRET)
        assert "is not a KML document" in said and "OGRVRTDataSource" in said


def test_a_vrt_disguised_as_kmz_is_refused_and_reads_nothing(store, password_hash, passwd):
    for document in (vrt_to_store(store), vrt_to_passwd(passwd)):
        said = assert_refused_and_reads_nothing("notes.kmz", zipped({"doc.kml": document}), store, password_hash,
                                                PASSWD_SECRET)
        assert "is not a KML document" in said


def test_a_vrt_disguised_as_the_shp_of_a_zip_is_refused_and_reads_nothing(store, password_hash, passwd):
    for document in (vrt_to_store(store), vrt_to_passwd(passwd)):
        said = assert_refused_and_reads_nothing("notes.zip", as_shapefile_zip(document), store, password_hash,
                                                PASSWD_SECRET)
        assert "notes.shp is not a Shapefile" in said


def test_a_plain_sqlite_file_sent_as_a_geopackage_cannot_read_other_files(store, passwd, tmp_path):
    """SQLite's VirtualOGR module (GDAL's SQLite driver) reads any file GDAL can open; a GeoPackage is opened
    with the GPKG driver only, which neither lists plain SQLite tables nor offers VirtualOGR."""
    path = tmp_path / "notes.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)",
                   (LAYER, LAYER, f"CREATE VIRTUAL TABLE {LAYER} USING VirtualOGR('{passwd}')"))
    said = assert_refused_and_reads_nothing("notes.gpkg", path.read_bytes(), store, PASSWD_SECRET)
    assert "is not a GeoPackage" in said


def test_a_geopackage_view_cannot_reach_other_files_or_the_network(store, passwd, tmp_path, listener):
    """Inside a real GeoPackage, a layer that is a view over a VirtualOGR table or calls GDAL's SQL functions
    (ogr_geocode fetches a URL) is refused by GDAL's GPKG driver; SpatiaLite's file functions are not loaded."""
    url, received = listener
    for name, sql in {"virtual": f"CREATE VIRTUAL TABLE leak USING VirtualOGR('{passwd}')",
                      "geocode": f"CREATE VIEW leak AS SELECT ogr_geocode('{url}/geocode') AS note_vi",
                      "blob": f"CREATE VIEW leak AS SELECT CAST(BlobFromFile('{passwd}') AS TEXT) AS note_vi"}.items():
        path = tmp_path / f"{name}.gpkg"
        gpd.GeoDataFrame({"a": [1]}, geometry=[box(106.7, 20.8, 106.71, 20.81)], crs=WGS84).to_file(path, layer="base")
        with sqlite3.connect(path) as db:
            if name == "virtual":
                db.execute("PRAGMA writable_schema = ON")
                db.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', 'leak', "
                           "'leak', 0, ?)", (sql,))
                db.execute("PRAGMA writable_schema = OFF")
            else:
                db.execute(sql)
        with sqlite3.connect(path) as db:
            db.execute(f"CREATE VIEW {LAYER} AS SELECT 'leak' AS topic, 'x' AS subject_id, * FROM leak")  # noqa: S608 - the attack under test
            db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (?, 'attributes', ?)",
                       (LAYER, LAYER))
        assert_refused_and_reads_nothing(f"{name}.gpkg", path.read_bytes(), store, PASSWD_SECRET)
    assert received == []


def test_content_of_another_format_is_refused_with_a_clear_message(store):
    cases = {
        "p.geojson": (b'{"features": []}', "is not GeoJSON: it has no GeoJSON \"type\""),
        "p.json": (b"[1, 2, 3]", "is not GeoJSON"),
        "p.kml": (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>',
                  "is not a KML document (its root element is <gpx>"),
        "p.zip": (as_shapefile_zip(b"PK\x03\x04 not a shapefile at all"), "notes.shp is not a Shapefile"),
        "p.gpkg": (b"SQLite format 3\x00" + b"\0" * 200, "is not a GeoPackage"),
    }
    for name, (content, expected) in cases.items():
        prepared = prepare_import(name, content, "plots", store)
        assert expected in str(prepared.problems[0]), (name, prepared.problems)


def test_honest_files_of_every_vector_format_still_import(store, tmp_path):
    """The driver checks refuse other formats, not the format itself (zipped Shapefile, GeoPackage, GeoJSON, KML)."""
    row = {"plot_id": "A-6", "park_id": "A", "status": "available", "area_ha": 7.2, "tenant": "", "sector": "",
           "source": "HEZA survey 2025", "geometry_quality": "surveyed"}
    frame = gpd.GeoDataFrame(pd.DataFrame([row]), geometry=[box(X0 + 600, Y0 + 100, X0 + 690, Y0 + 900)],
                             crs=METRIC_CRS).to_crs(WGS84)
    frame.to_file(tmp_path / "plots.gpkg", layer="plots", driver="GPKG")
    with pytest.warns((UserWarning, RuntimeWarning)):  # 'geometry_quality' is cut to 10 characters
        frame.to_file(tmp_path / "plots.shp", encoding="UTF-8")
    shp = zipped({p.name: p.read_bytes() for p in tmp_path.glob("plots.*") if p.suffix != ".gpkg"})
    ring = " ".join(f"{x},{y}" for x, y in frame.geometry.iloc[0].exterior.coords)
    data = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in row.items())
    kml = (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
           f"<ExtendedData>{data}</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>"
           "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>").encode()
    uploads = {"plots.gpkg": (tmp_path / "plots.gpkg").read_bytes(), "plots.zip": shp,
               "plots.geojson": frame.to_json().encode(), "plots.kml": kml, "plots.kmz": zipped({"doc.kml": kml})}
    for name, content in uploads.items():
        prepared = prepare_import(name, content, "plots", store)
        assert prepared.ok and prepared.summary()["insert"] == 1, (name, [str(p) for p in prepared.problems])


# --- no request ever leaves the server ----------------------------------------------------------------------------
@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A throwaway HTTP server on 127.0.0.1 that records every request and answers with a CSV."""
    received: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the http.server API
            received.append(f"GET {self.path}")
            body = f"user,secret\nroot,{PASSWD_SECRET}\n".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_HEAD(self):
            received.append(f"HEAD {self.path}")
            self.send_response(200)
            self.send_header("Content-Length", "30")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_a_vrt_pointing_at_a_url_is_refused_and_no_request_is_made(store, listener):
    url, received = listener
    document = vrt(f"/vsicurl/{url}/passwd.csv", SHAPE.format(who="user", what="secret", table="passwd"))
    for name, content in {"n.geojson": document, "n.json": document, "n.kml": document,
                          "n.kmz": zipped({"doc.kml": document}), "n.zip": as_shapefile_zip(document)}.items():
        assert_refused_and_reads_nothing(name, content, store, PASSWD_SECRET)
    assert received == []


def test_a_geojson_crs_given_as_a_link_is_refused_without_fetching_it(store, listener):
    url, received = listener
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [106.7, 20.8]}}
    for crs in ({"type": "link", "properties": {"href": f"{url}/crs.prj", "type": "proj4"}},
                {"type": "url", "properties": {"url": f"{url}/crs.wkt"}}):
        content = json.dumps({"type": "FeatureCollection", "crs": crs, "features": [point]}).encode()
        prepared = prepare_import("h.geojson", content, "housing", store)
        assert "declares its coordinate system by a link" in str(prepared.problems[0]), prepared.problems
    assert received == []


def test_a_geojson_crs_name_that_is_a_url_or_a_vsi_path_is_never_fetched(store, listener):
    url, received = listener
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [106.7, 20.8]}}
    for name in (f"{url}/crs", f"/vsicurl/{url}/crs", f"/vsicurl_streaming/{url}/crs"):
        content = json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
                              "features": [point]}).encode()
        prepare_import("h.geojson", content, "housing", store)
    assert received == []


def test_kml_links_to_other_documents_are_not_followed(store, listener):
    url, received = listener
    kml = (f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><NetworkLink><name>more</name><Link>'
           f"<href>{url}/more.kml</href></Link></NetworkLink><Style id='s'><IconStyle><Icon><href>{url}/icon.png</href>"
           f"</Icon></IconStyle></Style><Placemark><name>p</name><styleUrl>{url}/styles.kml#s</styleUrl>"
           "<Point><coordinates>106.7,20.8</coordinates></Point></Placemark></Document></kml>").encode()
    for name, content in {"links.kml": kml, "links.kmz": zipped({"doc.kml": kml})}.items():
        prepared = prepare_import(name, content, "housing", store)
        assert any("not followed" in note for note in prepared.notes), (prepared.notes, prepared.problems)
    assert received == []


def test_gdal_makes_no_request_and_opens_no_vrt_once_the_importers_are_loaded(listener):
    """The process-wide GDAL settings: curl-based virtual files refuse every URL, the VRT driver is gone."""
    url, received = listener
    for path in (f"/vsicurl/{url}/a.csv", f"/vsicurl_streaming/{url}/b.csv", f"/vsizip//vsicurl/{url}/c.zip/x.csv"):
        with pytest.raises(pyogrio.errors.DataSourceError):
            pyogrio.read_dataframe(f"CSV:{path}")
    assert received == []
    assert "OGR_VRT" not in pyogrio.list_drivers() and "GDALG" not in pyogrio.list_drivers()
