"""Importing a file into the store: read it safely, validate everything, preview, then apply at once.

Formats: GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, CSV (a WKT ``geometry``/``wkt`` column,
``lat``/``lon`` columns in degrees, or ``x``/``y`` in metres) and XLSX (the same columns, first
sheet). :func:`prepare_import` reads the upload, settles its coordinate system (see
:mod:`heza_geo.io.crs`), checks it against the schema (:func:`heza_geo.io.validation.validate_frame`) and
against the store (unknown parks, plots far from their park, records still referred to), and
computes the :class:`~heza_geo.store.base.ChangeSet`; nothing is written. Every problem names the
file, the row or feature and the field. :func:`apply_import` writes the change set in one
transaction, refused if any record changed since the preview.

The command line (``python -m heza_geo import FILE --layer plots``) and the staff page both use
these two functions, so the rules are the same.

Provenance: a file with the kind columns (``source_kind`` beside ``source``, ``area_source_kind``
beside ``area_source``…) is validated as it is. A file without one (made before kinds had a column,
or by hand) still imports where each ``source`` text says its kind unambiguously, as the old data
wrote it: a report file name alone, ``news: <site>``, ``approximate: <method>``, ``synthetic demo``
(:func:`heza_geo.schema.legacy_provenance`); the kind is filled in, the prefix dropped from the
reference (``news: vietnam.vn`` → kind ``news``, reference ``vietnam.vn``) and the preview says so in
one note per column (each note, like each problem, a catalog message the staff page shows in its
reader's language: :func:`heza_geo.io.validation.note`). A text that could be read two ways is
refused, row by row: one that names a report file inside other words (the report, or an estimate
made from it?), one that starts like a news site or a kind but not in its form (``vietnam.vn
20/07/2025``, ``report 001``), an empty one where a source is required. Nothing is ever promoted:
free text otherwise reads as approximate.

Safety (see :mod:`heza_geo.io.safefiles`): size cap, zip-bomb and path-traversal checks before
extraction, KML parsed with defusedxml (no DTD, no entity expansion) before GDAL's LIBKML reads it.
Each format is read by its own GDAL driver only, after its content was checked to be that format
(GeoJSON: JSON with a GeoJSON ``type``; Shapefile: the file code 9994 in the .shp and .shx;
GeoPackage: an SQLite file opened as ``GPKG:``; KML: a ``<kml>`` root), so a VRT document or a plain
SQLite database disguised as an accepted format is refused before GDAL reads it, and GDAL never
reads another file or a URL on an upload's behalf (links in KML are not followed, a GeoJSON ``crs``
given as a link is refused). Cost is capped before any expensive work: the XML of an XLSX sheet or a
KMZ's KML (:attr:`Limits.max_xml_bytes`) and the vertices of each feature and of the file
(:attr:`Limits.max_vertices_per_feature`, :attr:`Limits.max_vertices_total`), counted from the JSON,
the KML or the Shapefile's record headers before GDAL parses the geometry, and right after reading for
GeoPackage, CSV and XLSX. An XLSX formula without a saved value is reported, never read as a blank.
Messages name the uploaded file, never a path on the server.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import posixpath
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as safe_iterparse

from heza_geo.errors import Note, Problem, ReadError, UnsafeFile
from heza_geo.io import crs as crsmod
from heza_geo.io.safefiles import (
    GEOJSON,
    GPKG,
    SHAPEFILE,
    Limits,
    check_geojson,
    check_size,
    check_vector_file,
    check_xml,
    check_zip,
    extract_zip,
    gdal_name,
    megabytes,
    read_member,
    remove_folder,
)
from heza_geo.io.validation import (
    first_line,
    note,
    problem,
    refusal,
    refusal_problem,
    sort_problems,
    validate_frame,
)
from heza_geo.schema import (
    APPROXIMATE,
    FOREIGN_KEYS,
    LAYERS,
    METRIC_CRS,
    NEWS,
    NO_SOURCE,
    PROVENANCE_KINDS,
    REPORT,
    REPORT_FILES,
    WGS84,
    LayerSchema,
    Provenance,
    kind_column,
    legacy_provenance,
)
from heza_geo.store.base import ChangeSet, Store
from heza_geo.store.diff import diff_layer

FORMATS: dict[str, str] = {
    ".geojson": "GeoJSON", ".json": "GeoJSON", ".zip": "zipped Shapefile", ".gpkg": "GeoPackage",
    ".kml": "KML", ".kmz": "KMZ", ".csv": "CSV", ".xlsx": "XLSX",
}  # fmt: skip
#: a plot further than this from its park's polygon is refused. The shipped plots (geodata/, 1,359) all lie
#: inside their parks (distance 0 m, every vertex within 2e-9 m); park outlines are approximate, so a surveyed
#: plot may overhang one by some hundred metres. A wrong CRS moves data by tens of km, a typing slip by km.
MAX_PLOT_DISTANCE_KM = 1.0
_WKT_COLUMNS = ("geometry", "wkt", "geom")
_LAT = ("lat", "latitude")
_LON = ("lon", "lng", "long", "longitude")
_X = ("x", "easting")
_Y = ("y", "northing")
#: fields GDAL's KML readers add that are never data
_KML_NOISE = {"id", "name", "description", "timestamp", "begin", "end", "altitudemode", "tessellate", "extrude",
              "visibility", "draworder", "icon", "snippet"}
_LISTED = 20  # problems listed per kind before "... and N more"
#: the message of an archive that fails its checksums or inflates to garbage, by suffix
_DAMAGED = {".zip": "problem.damaged_shapefile_zip", ".kmz": "problem.damaged_kmz", ".xlsx": "problem.damaged_xlsx"}
#: a kind word at the start of a text, in any case (``News: …``), for the forms above
_KIND_WORD = re.compile(r"^\s*(report|news|approximate|synthetic demo)\b", re.IGNORECASE)
#: the note of a file that changes nothing (the staff page says it in its own words, once)
NOTHING_CHANGES = "note.nothing_changes"
#: the note of a file read as degrees for want of a declared CRS (the staff page says it in the
#: line naming the CRS used, ``dm.crs_from_assumed``)
DEGREES_ASSUMED = "note.no_crs_degrees"
#: the notes a page that says the same in its own words leaves out
SAID_BY_THE_PAGE = (NOTHING_CHANGES, DEGREES_ASSUMED)


@dataclass
class PreparedImport:
    """Everything a person needs to decide: problems, notes, the CRS used, and what would change."""

    file: str
    layer: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    crs: str | None = None
    crs_from: str = ""  # "file", "choice", "assumed" (degrees without a declared CRS)
    needs_crs: bool = False
    candidates: list[crsmod.Candidate] = field(default_factory=list)
    change_set: ChangeSet | None = None
    base_version: int = 0
    replace: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.change_set is not None

    @property
    def suggested_crs(self) -> str | None:
        fitting = [c for c in self.candidates if c.fits]
        return fitting[0].crs if fitting else None

    def summary(self) -> dict[str, int]:
        cs = self.change_set or ChangeSet()
        return {"insert": cs.count("insert"), "update": cs.count("update"), "delete": cs.count("delete"),
                "rows": 0 if self.frame is None else len(self.frame)}


# --- reading ------------------------------------------------------------------------------------
def _decode_text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise refusal(ReadError, "problem.not_utf8_line", byte=f"{content[exc.start]:#04x}", line=line) from None


def _gdal_message(exc: BaseException, folder: Path) -> str:
    """GDAL's first line, without the temporary folder's path (messages never show a server path)."""
    text = first_line(exc)
    return re.sub(rf"(?:(?:{GEOJSON}|{GPKG}):)?{re.escape(str(folder))}/?", "", text)


def _read_vector(source: str, folder: Path, layer: str | None = None, encoding: str | None = None) -> gpd.GeoDataFrame:
    """``source`` read by the driver it names (see :func:`heza_geo.io.safefiles.gdal_name`)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", UserWarning)  # pyogrio: "could not parse column as JSON"
            frame = pyogrio.read_dataframe(source, layer=layer, encoding=encoding)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError, pyogrio.errors.CRSError, pyogrio.errors.FeatureError) as exc:
        raise refusal(ReadError, "problem.gdal_cannot_read", library=_gdal_message(exc, folder)) from None
    except shapely.errors.GEOSException as exc:  # e.g. a polygon ring that is not closed
        raise ReadError(problems=[problem("", "", "problem.malformed_geometry",
                                          library=_gdal_message(exc, folder))]) from None
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame)), crs=None)
    return frame


def _vertex_problems(counts: Sequence[int] | np.ndarray, limits: Limits) -> list[Problem]:
    """Features with more vertices than :attr:`Limits.max_vertices_per_feature` (``counts`` in row order),
    or else a file with more than :attr:`Limits.max_vertices_total`; file and layer are filled in later."""
    counts = np.asarray(counts, dtype=np.int64)
    cap = limits.max_vertices_per_feature
    over = np.flatnonzero(counts > cap)
    problems = [problem("", "", "problem.too_many_vertices", int(i) + 1, "geometry", n=f"{counts[i]:,}",
                        cap=f"{cap:,}") for i in over[:_LISTED]]
    if len(over) > _LISTED:
        problems.append(problem("", "", "problem.more_vertices", None, "geometry", n=len(over) - _LISTED))
    if not problems and counts.sum() > limits.max_vertices_total:
        problems.append(problem("", "", "problem.too_many_vertices_total", n=f"{counts.sum():,}",
                                cap=f"{limits.max_vertices_total:,}"))
    return problems


def _check_vertices(counts: Sequence[int] | np.ndarray, limits: Limits) -> None:
    problems = _vertex_problems(counts, limits)
    if problems:
        raise ReadError(problems=problems)


def _geojson_vertices(document: dict) -> list[int]:
    """Vertices of each feature in the order GDAL reads them (a bare Feature or geometry is one feature)."""
    if document.get("type") == "FeatureCollection":
        features = document.get("features")
        geometries = ([f.get("geometry") if isinstance(f, dict) else None for f in features]
                      if isinstance(features, list) else [])
    elif document.get("type") == "Feature":
        geometries = [document.get("geometry")]
    else:
        geometries = [document]
    counts = []
    for geometry in geometries:
        count, stack = 0, [geometry]
        while stack:  # no recursion: the nesting is the uploader's choice
            node = stack.pop()
            if isinstance(node, dict):
                stack += [node.get("coordinates"), node.get("geometries")]
            elif isinstance(node, list) and node:
                if isinstance(node[0], (int, float)):
                    count += 1  # a position
                else:
                    stack += node
        counts.append(count)
    return counts


def _read_geojson(content: bytes, folder: Path, limits: Limits) -> gpd.GeoDataFrame:
    _decode_text(content)
    _check_vertices(_geojson_vertices(check_geojson(content)), limits)
    path = folder / "upload.geojson"
    path.write_bytes(content)
    return _read_vector(gdal_name(path, GEOJSON), folder)


def _read_gpkg(content: bytes, layer: str, folder: Path) -> gpd.GeoDataFrame:
    if not content.startswith(b"SQLite format 3\x00"):
        raise refusal(ReadError, "problem.not_gpkg")
    path = folder / "upload.gpkg"
    path.write_bytes(content)
    source = gdal_name(path, GPKG)  # the GPKG driver only: neither plain SQLite tables nor VirtualOGR
    try:
        layers = [str(n) for n in pyogrio.list_layers(source)[:, 0]]
    except pyogrio.errors.DataSourceError as exc:
        raise refusal(ReadError, "problem.gpkg_unopenable", library=_gdal_message(exc, folder)) from None
    if layer in layers:
        return _read_vector(source, folder, layer)
    if len(layers) == 1:
        return _read_vector(source, folder, layers[0])
    if not layers:
        raise refusal(ReadError, "problem.gpkg_no_layers", layer=layer)
    raise refusal(ReadError, "problem.gpkg_no_such_layer", layers=", ".join(layers), layer=layer)


def _read_i4(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The little-endian int32 at each position of ``data`` (bytes); -1 where it lies beyond the end."""
    inside = (at >= 0) & (at + 4 <= len(data))
    if not inside.any():
        return np.full(len(at), -1, dtype=np.int64)
    index = np.where(inside, at, 0)[:, None] + np.arange(4)
    values = np.ascontiguousarray(data[index]).view("<i4").ravel()
    return np.where(inside, values, -1)


def _shapefile_vertices(shp: Path, shx: Path) -> np.ndarray:
    """Vertices of each record, from the record headers the .shx points to; no geometry is parsed.

    A record's content starts with its shape type; points have one vertex, multipoints give their count
    after the bounding box (byte 36), lines, polygons and multipatches after the number of parts (byte 40).
    """
    index = np.fromfile(shx, dtype=">i4", offset=100) if shx.stat().st_size > 100 else np.zeros(0, ">i4")
    starts = index[: len(index) // 2 * 2][0::2].astype(np.int64) * 2 + 8  # offsets are in 16-bit words
    data = np.memmap(shp, dtype=np.uint8, mode="r") if shp.stat().st_size else np.zeros(0, np.uint8)
    try:
        kinds = _read_i4(data, starts)
        counts = np.where(np.isin(kinds, (1, 11, 21)), 1, 0).astype(np.int64)
        for kinds_with_count, at in (((8, 18, 28), 36), ((3, 5, 13, 15, 23, 25, 31), 40)):
            chosen = np.isin(kinds, kinds_with_count)
            counts[chosen] = np.maximum(_read_i4(data, starts[chosen] + at), 0)
    finally:
        del data
    return counts


def _read_shapefile_zip(content: bytes, folder: Path, limits: Limits) -> gpd.GeoDataFrame:
    files = extract_zip(content, folder, limits)
    shps = [p for p in files if p.suffix.lower() == ".shp"]
    if not shps:
        raise refusal(ReadError, "problem.zip_no_shp")
    if len(shps) > 1:
        raise refusal(ReadError, "problem.zip_several_shp", found=", ".join(p.name for p in shps))
    shp = shps[0]
    siblings = {p.suffix.lower(): p for p in files if p.stem == shp.stem}
    missing = [s for s in (".shx", ".dbf") if s not in siblings]
    if missing:
        raise refusal(ReadError, "problem.shp_without", shp=shp.name, files=", ".join(missing))
    check_vector_file(shp, SHAPEFILE, shp.name, index=siblings[".shx"])
    _check_vertices(_shapefile_vertices(shp, siblings[".shx"]), limits)
    encoding = None
    if ".cpg" in siblings:
        encoding = siblings[".cpg"].read_text(encoding="ascii", errors="replace").strip() or None
    else:
        dbf = siblings[".dbf"].read_bytes()
        try:
            dbf.decode("utf-8")
            encoding = "UTF-8"
        except UnicodeDecodeError as exc:
            raise refusal(ReadError, "problem.dbf_not_utf8", dbf=f"{shp.stem}.dbf",
                          byte=f"{dbf[exc.start]:#04x}") from None
    return _read_vector(str(shp), folder, encoding=encoding)  # no prefix exists: the file code check above


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _check_kml(content: bytes, limits: Limits, notes: list[Note]) -> None:
    """A KML document within the XML cap, with a ``<kml>`` root, and no feature with too many vertices."""
    if len(content) > limits.max_xml_bytes:
        raise refusal(ReadError, "problem.kml_too_big", size=megabytes(len(content)),
                      cap=megabytes(limits.max_xml_bytes))
    root = check_xml(content)
    if _local(root.tag) != "kml":
        raise refusal(ReadError, "problem.not_kml", root=_local(root.tag))
    counts = []
    for placemark in (node for node in root.iter() if _local(node.tag) == "Placemark"):
        count = 0
        for node in placemark.iter():
            name = _local(node.tag)
            count += len((node.text or "").split()) if name == "coordinates" else int(name == "coord")  # gx:coord
        counts.append(count)
    _check_vertices(counts, limits)
    if any(_local(node.tag) == "NetworkLink" for node in root.iter()):
        notes.append(note("note.network_link"))


def _read_kml(content: bytes, folder: Path, limits: Limits, notes: list[Note]) -> gpd.GeoDataFrame:
    _check_kml(content, limits, notes)
    path = folder / "upload.kml"
    path.write_bytes(content)
    frames = []
    try:  # LIBKML: GDAL has no prefix for it; the <kml> root leaves no other driver to claim the file
        layers = [str(n) for n in pyogrio.list_layers(str(path))[:, 0]]
    except pyogrio.errors.DataSourceError as exc:
        raise refusal(ReadError, "problem.gdal_cannot_read", library=_gdal_message(exc, folder)) from None
    for name in layers:
        frame = _read_vector(str(path), folder, name)
        if len(frame):
            frames.append(frame)
    if not frames:
        raise refusal(ReadError, "problem.kml_no_placemarks")
    frame = pd.concat(frames, ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)  # KML is WGS84 by definition
    return frame.drop(columns=[c for c in frame.columns if c.lower() in _KML_NOISE and c != "geometry"])


def _read_kmz(content: bytes, folder: Path, limits: Limits, notes: list[Note]) -> gpd.GeoDataFrame:
    archive = check_zip(content, limits)
    with archive:
        kmls = [n for n in archive.namelist() if n.lower().endswith(".kml")]
        if not kmls:
            raise refusal(ReadError, "problem.kmz_no_kml")
        main = "doc.kml" if "doc.kml" in kmls else kmls[0]
        size = archive.getinfo(main).file_size
        if size > limits.max_xml_bytes:
            raise refusal(ReadError, "problem.kmz_too_big", size=megabytes(size), cap=megabytes(limits.max_xml_bytes))
        return _read_kml(read_member(archive, main, limits), folder, limits, notes)


def _first_sheet(archive: zipfile.ZipFile, limits: Limits) -> str:
    """The member holding the workbook's first sheet, the one pandas reads (workbook.xml and its relations)."""
    try:
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            size = archive.getinfo(name).file_size
            if size > limits.max_xml_bytes:
                raise refusal(ReadError, "problem.xlsx_part_too_big", part=name, size=megabytes(size))
        workbook = check_xml(read_member(archive, "xl/workbook.xml", limits))
        first = next(node for node in workbook.iter() if _local(node.tag) == "sheet")
        rid = next(value for key, value in first.attrib.items() if _local(key) == "id")
        relations = check_xml(read_member(archive, "xl/_rels/workbook.xml.rels", limits))
        target = next(node.get("Target", "") for node in relations.iter() if node.get("Id") == rid)
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    except (KeyError, StopIteration, UnsafeFile):
        member = "xl/worksheets/sheet1.xml"  # where every writer puts it
    if member not in archive.namelist():
        raise refusal(ReadError, "problem.xlsx_no_sheet")
    return member


def _column_index(reference: str) -> int:
    """0 for column A of a cell reference such as "D12", 3 for D, 26 for AA."""
    index = 0
    for letter in re.split(r"[^A-Za-z]", reference, maxsplit=1)[0].upper():  # the leading letters
        index = index * 26 + ord(letter) - 64
    return index - 1


def _formulas_without_value(sheet_xml: bytes) -> list[tuple[int, int]]:
    """(sheet row, column index) of each cell holding a formula but no saved value.

    Excel computes a formula and saves its value next to it; openpyxl and other scripts save the formula
    alone, and pandas then reads a blank. A formula whose value is the empty text keeps ``t="str"``.
    """
    if not re.search(rb"<(?:\w+:)?f[\s/>]", sheet_xml):  # no formula at all: no need to parse the sheet twice
        return []
    found: list[tuple[int, int]] = []
    row = 0
    for _, node in safe_iterparse(io.BytesIO(sheet_xml), events=("end",), forbid_dtd=True):
        if not (node.tag == "row" or node.tag.endswith("}row")):
            continue
        namespace = node.tag[:-3]
        row, column = int(node.get("r")) if str(node.get("r")).isdigit() else row + 1, -1
        for cell in node:
            column = _column_index(cell.get("r")) if cell.get("r") else column + 1
            if cell.find(namespace + "f") is not None:
                value = cell.find(namespace + "v")
                if value is None or (not value.text and cell.get("t") != "str"):
                    found.append((row, column))
        node.clear()
    return found


def _read_xlsx(content: bytes, limits: Limits) -> pd.DataFrame:
    """The first sheet as text (openpyxl parses its XML with defusedxml), after the cap on its expanded XML;
    formulas without a saved value are refused with their rows and fields."""
    with check_zip(content, limits) as archive:
        sheet = _first_sheet(archive, limits)
        members = [sheet, *(["xl/sharedStrings.xml"] if "xl/sharedStrings.xml" in archive.namelist() else [])]
        size = sum(archive.getinfo(name).file_size for name in members)
        if size > limits.max_xml_bytes:
            raise refusal(ReadError, "problem.xlsx_sheet_too_big", size=megabytes(size),
                          cap=megabytes(limits.max_xml_bytes))
        try:
            formulas = _formulas_without_value(read_member(archive, sheet, limits))
        except (SyntaxError, DefusedXmlException) as exc:  # ElementTree's ParseError is a SyntaxError
            raise refusal(ReadError, "problem.xlsx_sheet_malformed", library=exc) from None
    try:
        frame = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl", keep_default_na=False)
    except (ValueError, KeyError, OSError, SyntaxError, TypeError) as exc:  # bad XML; openpyxl: unknown attributes
        raise refusal(ReadError, "problem.xlsx_unreadable", library=first_line(exc)) from None
    if formulas:  # the header is the sheet's first row (pandas keeps blank rows)
        problems = [problem("", "", "problem.formula", row - 1 if row > 1 else None,
                            str(frame.columns[column]) if 0 <= column < len(frame.columns) else None)
                    for row, column in formulas[:_LISTED]]
        if len(formulas) > _LISTED:
            problems.append(problem("", "", "problem.more_formulas", n=len(formulas) - _LISTED))
        raise ReadError(problems=problems)
    return frame


def _read_csv(content: bytes) -> pd.DataFrame:
    text = _decode_text(content)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, ValueError, csv.Error) as exc:
        raise refusal(ReadError, "problem.csv_unreadable", library=first_line(exc)) from None


def _pick(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((columns[n] for n in names if n in columns), None)


def _geometry_from_columns(frame: pd.DataFrame, schema: LayerSchema,
                           file: str) -> tuple[gpd.GeoDataFrame | pd.DataFrame, list[Problem]]:
    """A table's rows with geometry from WKT, lat/lon or x/y columns (no CRS declared)."""
    if schema.is_table:
        return frame, []
    lower = {c.strip().lower(): c for c in frame.columns}
    problems: list[Problem] = []
    wkt = _pick(lower, _WKT_COLUMNS)
    if wkt:
        geoms = []
        for i, text in enumerate(frame.pop(wkt)):
            try:
                geoms.append(shapely.from_wkt(text) if isinstance(text, str) and text.strip() else None)
            except shapely.errors.GEOSException as exc:
                geoms.append(None)
                if len(problems) < 20:
                    problems.append(problem(file, schema.name, "problem.wkt_unreadable", i + 1, wkt,
                                            library=first_line(exc)))
        geometry = gpd.GeoSeries(geoms)  # type: ignore[arg-type]  # the stubs leave out None (a blank cell)
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=None), problems
    pairs = [(_pick(lower, _LON), _pick(lower, _LAT)), (_pick(lower, _X), _pick(lower, _Y))]
    for xcol, ycol in pairs:
        if xcol and ycol:
            x, y = _numbers(frame.pop(xcol)), _numbers(frame.pop(ycol))
            for i in np.flatnonzero((x.isna() | y.isna()).to_numpy())[:20]:
                problems.append(problem(file, schema.name, "problem.coordinates_missing", int(i) + 1, xcol,
                                        x=xcol, y=ycol))
            return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapely.points(x, y)), crs=None), problems
    raise refusal(ReadError, "problem.no_geometry_columns")


def _numbers(column: pd.Series) -> pd.Series:
    """Numbers from text cells, a decimal comma allowed; anything else (blank, missing, words) is NaN."""
    text = column.map(lambda v: v.replace(",", ".") if isinstance(v, str) else v)
    return pd.to_numeric(text, errors="coerce").astype(float)


def read_upload(name: str, content: bytes, layer: str, limits: Limits = Limits()) -> pd.DataFrame:
    """The file's rows (a GeoDataFrame with its declared CRS, or none), before any validation.

    Raises :class:`ReadError` (with ``problems`` when the reason lies in particular rows) or
    :class:`heza_geo.io.safefiles.UnsafeFile`, with a message for the user.
    """
    return _read(Path(name).name, content, layer, limits)[0]


def _read(file: str, content: bytes, layer: str, limits: Limits) -> tuple[pd.DataFrame, list[Note]]:
    """:func:`read_upload`, and the notes reading gave (links in a KML that were not followed)."""
    suffix = Path(file).suffix.lower()
    if suffix not in FORMATS:
        if not suffix:
            raise refusal(ReadError, "problem.no_type", formats=", ".join(FORMATS))
        raise refusal(ReadError, "problem.unsupported_type", suffix=suffix, formats=", ".join(FORMATS))
    check_size(content, limits)
    schema = LAYERS[layer]
    notes: list[Note] = []
    folder = Path(tempfile.mkdtemp(prefix="heza-import-"))
    try:
        if suffix in (".geojson", ".json"):
            frame = _read_geojson(content, folder, limits)
        elif suffix == ".gpkg":
            frame = _read_gpkg(content, layer, folder)
        elif suffix == ".zip":
            frame = _read_shapefile_zip(content, folder, limits)
        elif suffix == ".kml":
            frame = _read_kml(content, folder, limits, notes)
        elif suffix == ".kmz":
            frame = _read_kmz(content, folder, limits, notes)
        else:
            table = _read_xlsx(content, limits) if suffix == ".xlsx" else _read_csv(content)
            return table, notes  # geometry columns are turned into geometry by prepare_import
        _check_vertices(shapely.get_num_coordinates(frame.geometry.values), limits)
        if schema.is_table:
            return pd.DataFrame(frame.drop(columns=frame.geometry.name)), notes
        return frame, notes
    except ReadError as exc:
        if exc.problems:
            exc.problems = [dataclasses.replace(p, file=file, layer=layer) for p in exc.problems]
            exc.args = ("\n".join(str(p) for p in exc.problems),)
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a member that fails its CRC or inflates to garbage
        raise refusal(ReadError, _DAMAGED.get(suffix, "problem.damaged"), library=first_line(exc)) from None
    finally:
        remove_folder(folder)


# --- validation against the schema and the store ---------------------------------------------------
def _row_ids(frame: pd.DataFrame, schema: LayerSchema) -> list[str | None]:
    """Each row's id as problems name it (``plot_id=P1``), None where the id columns are blank."""
    columns = [c for c in schema.id_columns if c in frame.columns]
    ids: list[str | None] = []
    for values in frame[columns].itertuples(index=False):
        parts = [f"{c}={str(v).strip()}" for c, v in zip(columns, values, strict=True) if not _blank(v)]
        ids.append(", ".join(parts) or None)
    return ids


def _blank(value: object) -> bool:
    """None, NaN, pandas' NA and NaT, or text of blanks: a cell that holds nothing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip())


def _legacy_reading(text: object, required: bool) -> tuple[Provenance, tuple[str, dict[str, str]] | None]:
    """The provenance a source text without a kind column says, or why it says none unambiguously
    (a message key and its parameters)."""
    value = "" if _blank(text) else str(text).strip()
    if not value:
        return Provenance(NO_SOURCE), (("problem.legacy_empty", {}) if required else None)
    word = _KIND_WORD.match(value)
    if word and value[word.end():word.end() + 1] in (":", "") and word.group(1).lower() != REPORT:
        value = word.group(1).lower() + value[word.end():]  # "News: vietnam.vn" is news
    found = legacy_provenance(value)
    if found.kind != APPROXIMATE or value.startswith(APPROXIMATE):
        return found, None  # a report file alone, or a kind by its prefix: what it says is what it is
    params = {"value": value, "kinds": ", ".join(PROVENANCE_KINDS)}
    if any(name in value for name in REPORT_FILES):
        return found, ("problem.legacy_report_inside", params)
    if Provenance(NEWS, value).problem() is None:
        return found, ("problem.legacy_site", params)
    if word:
        return found, ("problem.legacy_form", {**params, "word": word.group(1)})
    return found, None  # free text: approximate, its text the method (never promoted)


def _derive_kinds(frame: pd.DataFrame, schema: LayerSchema, prepared: PreparedImport) -> dict[str, set[int]]:
    """Fill each missing kind column from its source text (see the module docstring); refused rows
    become problems. Returns the rows refused per derived kind column (their "kind is empty" is not said twice)."""
    refused: dict[str, set[int]] = {}
    ids: list[str | None] | None = None
    for column in schema.provenance_columns:
        kind = kind_column(column)
        if kind in frame.columns or column not in frame.columns:
            continue  # validated as it is (or missing, which validation says)
        required = not schema.column(kind).nullable
        kinds: list[str | None] = []
        refs: list[str | None] = []
        counts: dict[str, int] = {}
        example: dict[str, str] = {}
        refused[kind] = set()
        for i, text in enumerate(frame[column]):
            found, why = _legacy_reading(text, required)
            if why is not None:
                ids = _row_ids(frame, schema) if ids is None else ids
                refused[kind].add(i + 1)
                if len(refused[kind]) <= _LISTED:
                    prepared.problems.append(problem(prepared.file, prepared.layer, why[0], i + 1, column, ids[i],
                                                     **why[1]))
                kinds.append(None)  # said once, here: validation finds neither a kind nor a reference to check
                refs.append(None)
                continue
            kinds.append(None if found.kind == NO_SOURCE else found.kind)
            refs.append(found.ref or None)
            if found.kind != NO_SOURCE:
                counts[found.kind] = counts.get(found.kind, 0) + 1
            if not example and found.ref and found.ref != str(text).strip():
                example = {"text": str(text).strip(), "provenance": found.kind, "ref": found.ref}
        if len(refused[kind]) > _LISTED:
            prepared.problems.append(problem(prepared.file, prepared.layer, "problem.more_legacy", None, column,
                                             n=len(refused[kind]) - _LISTED))
        frame[kind] = pd.Series(kinds, index=frame.index, dtype="object")
        frame[column] = pd.Series(refs, index=frame.index, dtype="object")
        prepared.notes.append(note("note.kinds_derived_example" if example else "note.kinds_derived",
                                   kind_column=kind, column=column,
                                   kind_counts=";".join(f"{k}={n}" for k, n in counts.items()), **example))
    return refused


def _shapefile_siblings(frame: pd.DataFrame, known: dict[str, str]) -> dict[object, str]:
    """Columns of a Shapefile whose names were cut to 10 characters that several schema columns share.

    GDAL keeps the first cut name and numbers the next (``area_sourc``, ``area_sou_1`` for
    ``area_source_kind`` and ``area_source``). A kind and its reference are told apart by what they
    hold (the kind column holds only kinds), and a lone ``area_sourc`` of a file made before kinds
    is the reference; other siblings are taken in the schema's order. A wrong guess is caught by
    validation: a reference is never a kind.
    """
    groups: dict[tuple[str, ...], list[object]] = {}
    for column in frame.columns:
        key = str(column).strip().lower()
        numbered = re.fullmatch(r"(.+)_\d+", key)
        for stem in (key, numbered.group(1) if numbered else None):
            candidates = tuple(c for k, c in known.items() if stem and len(key) == 10 and len(k) > 10
                               and k.startswith(stem))
            if len(candidates) > 1:
                groups.setdefault(candidates, []).append(column)
                break
    found: dict[object, str] = {}
    for candidates, columns in groups.items():
        if any(c in frame.columns for c in candidates):
            continue
        ref = next((c for c in candidates if kind_column(c) in candidates), None)
        if len(candidates) == 2 and ref is not None and len(columns) in (1, 2):
            holds_kinds = [column for column in columns
                           if frame[column].map(lambda v: _blank(v) or str(v).strip() in PROVENANCE_KINDS).all()
                           and not frame[column].map(_blank).all()]
            if len(columns) == 1:  # a file made before kinds had a column: its one text is the reference
                found[columns[0]] = kind_column(ref) if holds_kinds else ref
                continue
            if len(holds_kinds) == 1:
                other = next(c for c in columns if c != holds_kinds[0])
                found.update({holds_kinds[0]: kind_column(ref), other: ref})
                continue
        if len(columns) == len(candidates):
            found.update(zip(columns, candidates, strict=True))
    return found


def _normalise_columns(frame: pd.DataFrame, schema: LayerSchema, notes: list[Note]) -> pd.DataFrame:
    known = {c.lower(): c for c in schema.column_names}
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    siblings = _shapefile_siblings(frame, known)
    renames, drops = {}, []
    for column in frame.columns:
        if column == geometry:
            continue
        key = str(column).strip().lower()
        truncated = [c for k, c in known.items() if len(key) == 10 and k.startswith(key)]  # Shapefile: 10 characters
        if key in known:
            renames[column] = known[key]
        elif column in siblings:
            renames[column] = siblings[column]
        elif len(truncated) == 1 and truncated[0] not in frame.columns:
            renames[column] = truncated[0]
        else:
            drops.append(column)
    if drops:
        notes.append(note("note.columns_ignored", layer=schema.name, columns=", ".join(map(str, drops))))
    return frame.rename(columns=renames).drop(columns=drops)


def _park_reference(frame: pd.DataFrame, parks: pd.DataFrame | None) -> gpd.GeoSeries | None:
    """Each row's park polygon (None for an unknown park); ``parks`` is the store's layer, a GeoDataFrame."""
    if parks is None or "park_id" not in frame.columns or parks.empty:
        return None
    polygons = dict(zip(parks["park_id"], parks.geometry, strict=True))
    found = [polygons.get(str(p).strip()) if p is not None else None for p in frame["park_id"]]
    return gpd.GeoSeries(found, crs=WGS84)  # type: ignore[arg-type]  # the stubs leave out None (an unknown park)


def _settle_crs(prepared: PreparedImport, frame: gpd.GeoDataFrame, choice: str | None,
                reference: gpd.GeoSeries | None) -> gpd.GeoDataFrame | None:
    """The frame in WGS84, or None with a problem saying which CRS to choose (and the best guess)."""
    file, layer = prepared.file, prepared.layer
    declared = frame.crs
    if (declared is None or crsmod.is_wgs84(declared)) and crsmod.looks_swapped(frame):
        prepared.problems.append(problem(file, layer, "problem.swapped", None, "geometry"))
        return None
    projected = crsmod.looks_projected(frame)
    source: str | None = None
    if choice:
        try:
            chosen = crsmod.parse(choice).to_string()
        except ValueError as exc:  # a choice PROJ does not know: PROJ's reason is the error's cause
            prepared.problems.append(problem(file, layer, "problem.unknown_crs", None, "geometry", crs=choice,
                                             library=first_line(exc.__cause__ or exc)))
            return None
        if declared is None or (crsmod.is_wgs84(declared) and projected):
            source, prepared.crs_from = chosen, "choice"
        else:
            source, prepared.crs_from = crsmod.parse(declared).to_string(), "file"
            if not crsmod.parse(declared).equals(crsmod.parse(chosen)):
                prepared.notes.append(note("note.crs_declared_not_chosen", crs=source, chosen=chosen))
    elif declared is None:
        if projected:
            keys = ("problem.metres_without_crs", "problem.metres_without_crs_fit")
        else:
            source, prepared.crs_from = WGS84, "assumed"
            prepared.notes.append(note(DEGREES_ASSUMED))
    elif crsmod.is_wgs84(declared) and projected:
        keys = ("problem.metres_declared_wgs84", "problem.metres_declared_wgs84_fit")
    else:
        source, prepared.crs_from = crsmod.parse(declared).to_string(), "file"
    if source is None:  # metres in no (or a wrong) declared system: the person must choose
        prepared.needs_crs = True
        prepared.candidates = crsmod.rank_candidates(frame, reference)
        if prepared.suggested_crs:
            prepared.problems.append(problem(file, layer, keys[1], None, "geometry", crs=prepared.suggested_crs))
        else:
            prepared.problems.append(problem(file, layer, keys[0], None, "geometry"))
        return None
    prepared.crs = source
    if projected or not crsmod.is_wgs84(source):
        own = crsmod.fit(frame, source, reference)
        if not own.fits:
            others = [c for c in crsmod.rank_candidates(frame, reference) if c.fits and c.crs != source]
            prepared.candidates = [own, *others]
            if others:
                if own.median_km is not None and own.inside_share >= 0.95:
                    prepared.problems.append(problem(file, layer, "problem.wrong_crs_far", None, "geometry",
                                                     crs=source, km=f"{own.median_km:.0f}", other=others[0].crs))
                else:
                    prepared.problems.append(problem(file, layer, "problem.wrong_crs_outside", None, "geometry",
                                                     crs=source, other=others[0].crs))
                return None
    try:
        return frame.set_crs(source, allow_override=True).to_crs(WGS84)
    except Exception as exc:  # noqa: BLE001 - pyproj raises several types; all mean "cannot reproject"
        prepared.problems.append(problem(file, layer, "problem.cannot_reproject", None, "geometry", crs=source,
                                         library=first_line(exc)))
        return None


def _reference_problems(prepared: PreparedImport, typed: pd.DataFrame,
                        store_frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    file, layer = prepared.file, prepared.layer
    for (source, column), (target, target_column) in FOREIGN_KEYS.items():
        if source == layer and column in typed.columns and target in store_frames:
            known = set(store_frames[target][target_column].dropna().astype(str))
            if target == layer:
                known |= set(typed[target_column].dropna().astype(str))
            values = typed[column]
            bad = values.notna() & ~values.astype(str).isin(known)
            for i in np.flatnonzero(bad.to_numpy())[:20]:
                problems.append(problem(file, layer, "problem.unknown_park" if target == "parks"
                                        else "problem.unknown_reference", int(i) + 1, column,
                                        value=values.iloc[i], column=target_column, target=target))
    if layer == "occupancy_history" and "scope" in typed.columns:
        missing = (typed["scope"] == "park") & typed["park_id"].isna()
        for i in np.flatnonzero(missing.to_numpy())[:20]:
            problems.append(problem(file, layer, "problem.scope_park_needs_park", int(i) + 1, "park_id"))
    if layer == "plots" and "parks" in store_frames and not typed.empty:
        reference = _park_reference(typed, store_frames["parks"])
        if reference is not None:
            metric = gpd.GeoSeries(typed.geometry.representative_point().to_numpy(), crs=WGS84).to_crs(METRIC_CRS)
            parks = reference.to_crs(METRIC_CRS)
            km = metric.distance(parks, align=False).to_numpy() / 1000  # NaN where the park is unknown (None)
            far = np.flatnonzero(np.nan_to_num(km, nan=0.0) > MAX_PLOT_DISTANCE_KM)
            for i in far[:20]:
                problems.append(problem(file, layer, "problem.plot_far_from_park", int(i) + 1, "geometry",
                                        str(typed["plot_id"].iloc[i]), km=f"{km[i]:.1f}",
                                        park=typed["park_id"].iloc[i], max=f"{MAX_PLOT_DISTANCE_KM:g}"))
    return problems


def _removal_problems(prepared: PreparedImport, store_frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    if prepared.change_set is None:
        return problems
    removed = [c for c in prepared.change_set if c.op == "delete"]
    for (source, column), (target, target_column) in FOREIGN_KEYS.items():
        if target != prepared.layer or source not in store_frames or source == target:
            continue
        gone = {str((c.before or {}).get(target_column)) for c in removed}
        users = store_frames[source][store_frames[source][column].astype(str).isin(gone)]
        for value in sorted(set(users[column].astype(str)))[:20]:
            count = int((users[column].astype(str) == value).sum())
            problems.append(problem(prepared.file, prepared.layer, "problem.still_referred_to", None, target_column,
                                    column=target_column, value=value, n=count, source=source))
    return problems


def prepare_import(name: str, content: bytes, layer: str, store: Store | None, crs: str | None = None,
                   replace: bool = False, limits: Limits = Limits()) -> PreparedImport:
    """Read, validate and diff an upload against ``store``; nothing is written (see the module docstring).

    Every problem of the file is found in one pass and listed file-wide first, then by row
    (:func:`heza_geo.io.validation.sort_problems`): missing columns do not hide the rows' problems, nor
    does a coordinate system still to choose hide those of the attributes. Without a ``store`` (the
    ``validate`` command) the file is checked by the same rules, less those against the store's
    records (unknown parks, plots far from their park, records still referred to), and nothing is diffed.
    """
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; known: {', '.join(LAYERS)}")
    prepared = PreparedImport(Path(name).name, layer, replace=replace)
    _prepare(prepared, content, store, crs, limits)
    prepared.problems = sort_problems(prepared.problems)
    return prepared


def _not_said_before(problems: list[Problem], refused: dict[str, set[int]]) -> list[Problem]:
    """Validation's problems less those of the rows whose kind could not be derived (see
    :func:`_derive_kinds`): their "kind is empty" was said, once, as why."""
    return [p for p in problems if p.field not in refused or p.row not in {None, *refused[p.field]}]


def _prepare(prepared: PreparedImport, content: bytes, store: Store | None, crs: str | None, limits: Limits) -> None:
    file, layer, replace = prepared.file, prepared.layer, prepared.replace
    schema = LAYERS[layer]
    try:
        raw, prepared.notes = _read(file, content, layer, limits)
        if not isinstance(raw, gpd.GeoDataFrame):
            raw, problems = _geometry_from_columns(raw, schema, file)
            prepared.problems += problems
            if isinstance(raw, gpd.GeoDataFrame):  # WKT or coordinates from a table: counted before any geometry work
                too_many = _vertex_problems(shapely.get_num_coordinates(raw.geometry.values), limits)
                if too_many:
                    prepared.problems += [dataclasses.replace(p, file=file, layer=layer) for p in too_many]
                    return
    except ReadError as exc:
        prepared.problems += exc.problems or [refusal_problem(file, layer, exc)]
        return
    except (UnsafeFile, ValueError) as exc:  # ValueError: a library's, unforeseen (every refusal has a key)
        prepared.problems.append(refusal_problem(file, layer, exc))
        return
    raw = _normalise_columns(raw, schema, prepared.notes)
    refused = _derive_kinds(raw, schema, prepared)
    store_frames = {} if store is None else {name: store.read_layer(name) for name in {"parks", "berths", "zones",
                                                                                         layer}}
    if isinstance(raw, gpd.GeoDataFrame):
        raw = raw.set_geometry(shapely.force_2d(raw.geometry.values), crs=raw.crs)
        try:
            moved = _settle_crs(prepared, raw, crs, _park_reference(raw, store_frames.get("parks")))
        except ValueError as exc:  # a library's, unforeseen (an unknown choice is a problem of its own)
            prepared.problems.append(refusal_problem(file, layer, exc))
            moved = None
        if moved is None:  # the attributes are checked all the same, as a table's
            attributes = pd.DataFrame(raw.drop(columns=raw.geometry.name))
            _, problems = validate_frame(attributes, dataclasses.replace(schema, geometry_types=None), file)
            prepared.problems += _not_said_before(problems, refused)
            return
        raw = moved
    typed, problems = validate_frame(raw, schema, file, partial=True)
    prepared.problems += _not_said_before(problems, refused)
    if typed is None:
        return
    typed = typed[[*schema.column_names, *([] if schema.is_table else [typed.geometry.name])]]
    prepared.problems += _reference_problems(prepared, typed, store_frames)
    prepared.frame = typed
    if prepared.problems or store is None:
        return
    current = store_frames[layer]
    prepared.base_version = store.current_version()
    prepared.change_set = diff_layer(current, typed, schema, replace=replace)
    prepared.problems += _removal_problems(prepared, {**store_frames, **{
        src: store.read_layer(src) for (src, _), (tgt, _) in FOREIGN_KEYS.items() if tgt == layer and replace}})
    if not prepared.problems and not len(prepared.change_set):
        prepared.notes.append(note(NOTHING_CHANGES))


def apply_import(store: Store, prepared: PreparedImport, author: str, comment: str) -> int:
    """Write a prepared import (all or nothing) and return the new version.

    Raises ValueError if the import has problems or changes nothing, and
    :class:`~heza_geo.store.base.ConflictError` if a record changed since the preview.
    """
    if prepared.problems or prepared.change_set is None:
        raise ValueError(f"{prepared.file}: the import has problems and cannot be applied")
    if not len(prepared.change_set):
        raise ValueError(f"{prepared.file}: nothing to import, the store already holds this data")
    return store.apply(prepared.change_set, author, comment, kind=f"import {prepared.layer}")
