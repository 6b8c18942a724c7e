"""Opening untrusted files safely: size caps, zip archives, XML, and which GDAL driver may read them.

* Size: an upload larger than ``Limits.max_bytes`` is refused before it is parsed.
* Zip (zipped Shapefile, KMZ, XLSX): the archive's directory is checked before anything is
  read: at most ``max_members`` members, at most ``max_uncompressed`` bytes in total, no member
  compressed more than ``max_ratio`` times (zip bombs), no absolute path, ``..``, drive letter or
  symlink (path traversal), no encryption. Extraction streams each member with a hard cap (a
  member that inflates past its declared size is refused) into a fresh temporary folder.
* XML (KML, and the sheet of an XLSX): at most ``max_xml_bytes`` are parsed (a 37 MB workbook
  can expand to 417 MB of XML); parsed with ``defusedxml`` with DTDs forbidden, so no entity is
  ever expanded (no "billion laughs") and no external entity or DTD is fetched (no XXE); only a
  document that passes is handed to GDAL's KML reader.
* Geometry: at most ``max_vertices_per_feature`` vertices in one feature and
  ``max_vertices_total`` in a file, counted before any geometry work (GEOS's validity check takes
  quadratic time on a jagged ring: 95 s for one polygon of 600,000 vertices).
* GDAL drivers. GDAL chooses the driver from a file's *content*, so an OGR VRT document
  (``<OGRVRTDataSource>``) named ``plots.geojson`` or ``plots.shp`` was opened by the VRT
  driver, which reads any other file the app can read, or a URL. pyogrio (0.13) cannot restrict
  the drivers it tries (it passes no allowed-driver list to ``GDALOpenEx``), so:

  - each format's content is checked in Python before GDAL sees it (:func:`check_geojson`,
    :func:`check_vector_file`; the importers check KML's root element), so no other driver's
    signature can be in it;
  - GeoJSON and GeoPackage are opened through GDAL's connection prefix (``GeoJSON:<path>``,
    ``GPKG:<path>``, see :func:`gdal_name`), which makes GDAL use that driver and no other. GDAL
    has no such prefix for Shapefile, FlatGeobuf or LIBKML: there the content check (a binary
    magic number, a ``<kml>`` root) is what leaves no other driver to claim the file;
  - :func:`harden_gdal` (run on import of this module) removes, for the whole process, the
    drivers that follow references to other files, URLs or programs (:data:`UNSAFE_GDAL_DRIVERS`,
    GDAL's ``GDAL_SKIP``; the app uses none of them) and turns GDAL's network access off
    (:data:`GDAL_OPTIONS`: every ``/vsicurl/``-based virtual file, including ``/vsis3/`` and
    ``/vsiwebhdfs/``, refuses every URL). GDAL has no switch for its other HTTP client
    (``CPLHTTPFetch``): the one content-driven use of it found in the drivers above, a GeoJSON
    ``crs`` of type ``link``, is refused by :func:`check_geojson`. The settings are process-wide
    (GDAL's configuration is global, and imports run in several threads at once); the app reads
    nothing remote through GDAL.
"""

from __future__ import annotations

import io
import json
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import pyogrio
from defusedxml import DefusedXmlException

from heza_geo.errors import UnsafeFile
from heza_geo.io.validation import refusal


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_members: int = 200
    max_uncompressed: int = 500 * 1024 * 1024
    max_ratio: float = 200.0
    #: XML parsed from one upload (an XLSX's first sheet with its shared strings, a KMZ's KML)
    max_xml_bytes: int = 50 * 1024 * 1024
    #: a surveyed park outline has hundreds to a few thousand vertices; the demo plots at most 42
    max_vertices_per_feature: int = 50_000
    #: 1,359 demo plots have 9,779 vertices; a million keeps a whole province's plots importable
    max_vertices_total: int = 1_000_000

    @classmethod
    def from_megabytes(cls, max_upload_mb: float) -> Limits:
        size = int(max_upload_mb * 1024 * 1024)
        return cls(max_bytes=size, max_uncompressed=max(10 * size, 10 * 1024 * 1024),
                   max_xml_bytes=max(size, 10 * 1024 * 1024))


def megabytes(size: int) -> str:
    return f"{size / 1048576:.0f} MB" if size >= 1048576 else f"{size / 1048576:.1f} MB"


def check_size(content: bytes, limits: Limits) -> None:
    if len(content) > limits.max_bytes:
        raise refusal(UnsafeFile, "problem.too_big", size=f"{len(content) / 1048576:.1f}",
                      cap=f"{limits.max_bytes / 1048576:.0f}")


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """The catalog key of what is wrong with a member's name or kind (its ``member`` parameter is its name)."""
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        return "problem.zip_traversal"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "problem.zip_symlink"
    if info.flag_bits & 0x1:
        return "problem.zip_encrypted"
    return None


def check_zip(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, opened, after its directory passed every check; :class:`UnsafeFile` otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as exc:
        raise refusal(UnsafeFile, "problem.not_a_zip", library=exc) from None
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise refusal(UnsafeFile, "problem.zip_members", n=len(members), cap=limits.max_members)
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise refusal(UnsafeFile, "problem.zip_too_large", size=f"{total / 1048576:.0f}",
                      cap=f"{limits.max_uncompressed / 1048576:.0f}")
    for member in members:
        problem = _member_problem(member)
        if problem:
            raise refusal(UnsafeFile, problem, member=member.filename)
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio:
            raise refusal(UnsafeFile, "problem.zip_ratio", member=member.filename,
                          ratio=f"{member.file_size / member.compress_size:.0f}", cap=f"{limits.max_ratio:.0f}")
    return archive


def extract_zip(content: bytes, folder: Path, limits: Limits) -> list[Path]:
    """Extract every checked member under ``folder`` (which must be new and empty); returns the files."""
    archive = check_zip(content, limits)
    root = folder.resolve()
    written: list[Path] = []
    budget = limits.max_uncompressed
    with archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            target = (root / member.filename.replace("\\", "/")).resolve()
            if root not in target.parents:
                raise refusal(UnsafeFile, "problem.zip_traversal", member=member.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as out:
                copied = _copy_capped(source, out, min(member.file_size, budget))
            budget -= copied
            written.append(target)
    return written


def _copy_capped(source: IO[bytes], out: IO[bytes], cap: int) -> int:
    copied = 0
    while chunk := source.read(1 << 16):
        copied += len(chunk)
        if copied > cap:
            raise refusal(UnsafeFile, "problem.zip_inflates")
        out.write(chunk)
    return copied


def read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """One checked member's bytes, with the same cap as :func:`extract_zip`."""
    info = archive.getinfo(name)
    buffer = io.BytesIO()
    with archive.open(info) as source:
        _copy_capped(source, buffer, min(info.file_size, limits.max_uncompressed))
    return buffer.getvalue()


def check_xml(content: bytes) -> Element:
    """The document's root element; refuses XML with a DTD or entity declarations (never expanded, never
    fetched) or that is not well formed."""
    try:
        return SafeET.fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise refusal(UnsafeFile, "problem.xml_dtd", library=type(exc).__name__) from None
    except SafeET.ParseError as exc:
        raise refusal(UnsafeFile, "problem.xml_malformed", library=exc) from None
    except LookupError as exc:  # <?xml encoding="…"?> names an encoding Python does not know
        raise refusal(UnsafeFile, "problem.xml_encoding", library=exc) from None


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# --- GDAL: which driver opens a file, and nothing remote ----------------------------------------------
GEOJSON, GPKG, SHAPEFILE, FLATGEOBUF, LIBKML = "GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf", "LIBKML"
#: drivers GDAL lets a path name by a prefix ("GeoJSON:/path/x.geojson"): GDALOpenEx then tries that driver only
_PREFIXED = (GEOJSON, GPKG)
#: vector drivers that open what a file names (another file, a URL, a web service, a program); GDAL_SKIP
UNSAFE_GDAL_DRIVERS = ("OGR_VRT", "GDALG", "GPSBabel", "HTTP", "WFS", "OAPIF", "OGCAPI", "CSW", "EEDA", "PLSCENES",
                       "Elasticsearch", "Carto", "AmigoCloud", "NGW", "ADBC")
#: GDAL configuration for the whole process (checked by experiment; tests/test_import_attacks.py runs a
#: local HTTP server)
GDAL_OPTIONS = {
    # /vsicurl/, /vsicurl_streaming/, /vsis3/, /vsiwebhdfs/ ... accept only names ending so: none does
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".heza-gdal-network-access-is-off",
    "CPL_ALLOW_VSISTDIN": "NO",  # /vsistdin/ would read the server's standard input
    "LIBKML_RESOLVE_STYLE": "NO",  # a KML styleUrl pointing to another document is not fetched (GDAL's default)
}
_GEOJSON_TYPES = ("FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon", "GeometryCollection")
_SHAPEFILE_CODE = b"\x00\x00\x27\x0a"  # file code 9994, big-endian, opens every .shp and .shx
_FLATGEOBUF_MAGIC = b"fgb\x03"


def harden_gdal() -> None:
    """Apply :data:`GDAL_OPTIONS` and remove :data:`UNSAFE_GDAL_DRIVERS` from this process (idempotent).

    ``GDAL_SKIP`` is honoured when drivers are registered, so they are registered again (pyogrio's
    ``_register_drivers``, i.e. ``GDALAllRegister``, which drops the skipped ones).
    """
    skip = set((pyogrio.get_gdal_config_option("GDAL_SKIP") or "").replace(",", " ").split())
    pyogrio.set_gdal_config_options({**GDAL_OPTIONS, "GDAL_SKIP": " ".join(sorted(skip | set(UNSAFE_GDAL_DRIVERS)))})
    if set(UNSAFE_GDAL_DRIVERS) & set(pyogrio.list_drivers()):
        from pyogrio._ogr import _register_drivers

        _register_drivers()


def gdal_name(path: Path, driver: str) -> str:
    """The name under which GDAL opens ``path`` with ``driver`` alone where GDAL allows it (GeoJSON, GPKG);
    for the other drivers, :func:`check_vector_file` must have passed."""
    return f"{driver}:{path}" if driver in _PREFIXED else str(path)


def _zero(_text: str) -> int:
    return 0


def check_geojson(content: bytes) -> dict:
    """The parsed document, if it is GeoJSON: JSON with a GeoJSON ``type`` and no ``crs`` given by a link.

    Every number in it is parsed as 0 (GDAL reads the values; the structure is what is checked, and
    positions are counted): that halves the memory a large file takes here (40 MB: 180 MB, not 400 MB).
    """
    text = content.decode("utf-8-sig", errors="replace")
    try:
        document = json.loads(text, parse_float=_zero, parse_int=_zero, parse_constant=_zero)
    except RecursionError:
        raise refusal(UnsafeFile, "problem.json_too_deep") from None
    except ValueError as exc:
        if text.lstrip().startswith("<"):
            raise refusal(UnsafeFile, "problem.geojson_is_xml") from None
        raise refusal(UnsafeFile, "problem.json_invalid", library=exc) from None
    if not isinstance(document, dict) or document.get("type") not in _GEOJSON_TYPES:
        raise refusal(UnsafeFile, "problem.geojson_no_type")
    crs = document.get("crs")
    if isinstance(crs, dict) and str(crs.get("type", "")).lower() in ("link", "url"):
        raise refusal(UnsafeFile, "problem.geojson_crs_link", type=crs.get("type"))
    return document


def check_vector_file(path: Path, driver: str, label: str | None = None, index: Path | None = None) -> None:
    """Refuse a file whose content is not of ``driver``'s format, so that no other GDAL driver can claim it.

    A Shapefile's message starts with ``label`` when given (the .shp, a member of an archive, and its .shx
    by name), else with "is not" ("its .shx index is not"); a file of another format is the file the
    problem names. ``index`` is a Shapefile's .shx (default: next to the .shp), checked as well when it exists.
    """
    with path.open("rb") as handle:
        head = handle.read(16)
    if driver == GEOJSON:
        check_geojson(path.read_bytes())
    elif driver == GPKG and not head.startswith(b"SQLite format 3\x00"):
        raise refusal(UnsafeFile, "problem.not_gpkg")
    elif driver == SHAPEFILE:
        index = index or path.with_suffix(".shx" if path.suffix.islower() else ".SHX")
        if not head.startswith(_SHAPEFILE_CODE):
            raise (refusal(UnsafeFile, "problem.member_not_shapefile", member=label) if label
                   else refusal(UnsafeFile, "problem.not_shapefile"))
        if index.is_file():
            with index.open("rb") as handle:
                if handle.read(4) != _SHAPEFILE_CODE:
                    raise (refusal(UnsafeFile, "problem.member_not_shapefile_index", member=index.name) if label
                           else refusal(UnsafeFile, "problem.not_shapefile_index"))
    elif driver == FLATGEOBUF and not head.startswith(_FLATGEOBUF_MAGIC):
        raise refusal(UnsafeFile, "problem.not_flatgeobuf")


harden_gdal()
