"""Reading layers and tables from a data directory, validated against the schema.

A data directory holds each layer as ``<layer>.gpkg``, ``<layer>.geojson`` or ``<layer>.csv``, or
as a layer of the same name inside any GeoPackage in the directory (the default data keeps the
vector layers in ``heza.gpkg`` and the tables as CSV). Only ``parks`` is required: a deployment
without housing data, say, still loads, with that layer empty.

Each file is read by the GDAL driver its suffix names, after its content was checked to be of that
format (:func:`heza_geo.io.safefiles.check_vector_file`): GDAL would otherwise choose the driver from
the content, and a VRT document named ``parks.geojson`` would read whatever file it names.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely

from heza_geo.errors import DataError, Problem, UnsafeFile
from heza_geo.io.safefiles import FLATGEOBUF, GEOJSON, GPKG, SHAPEFILE, check_vector_file, gdal_name
from heza_geo.io.validation import check_references, first_line, problem, refusal_problem, validate_frame
from heza_geo.schema import LAYERS, WGS84, LayerSchema

REQUIRED_LAYERS = ("parks",)
#: the GDAL driver that reads each vector file, by suffix (and no other driver)
_DRIVERS = {".gpkg": GPKG, ".geojson": GEOJSON, ".json": GEOJSON, ".shp": SHAPEFILE, ".fgb": FLATGEOBUF}
_VECTOR_SUFFIXES = tuple(_DRIVERS)


@dataclass(frozen=True)
class Source:
    """Where a layer was read from: a file, and the layer inside it for multi-layer files."""

    path: Path
    layer: str | None = None

    def __str__(self) -> str:
        return f"{self.path}" + (f" (layer {self.layer})" if self.layer else "")


@dataclass(frozen=True)
class Dataset:
    """Every layer and table, validated and typed; layers in WGS84."""

    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    plots: gpd.GeoDataFrame
    berths: gpd.GeoDataFrame
    housing: gpd.GeoDataFrame
    connectivity: gpd.GeoDataFrame
    occupancy_history: pd.DataFrame
    berth_status_history: pd.DataFrame
    investment: pd.DataFrame
    enterprise: pd.DataFrame
    source_notes: pd.DataFrame
    investors: pd.DataFrame
    passports: pd.DataFrame
    incentives: pd.DataFrame
    contacts: pd.DataFrame
    data_dir: Path | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    version: str = ""

    def layer(self, name: str) -> pd.DataFrame:
        if name not in LAYERS:
            raise KeyError(f"unknown layer {name!r}; known: {', '.join(LAYERS)}")
        return getattr(self, name)


def empty_frame(schema: LayerSchema) -> pd.DataFrame:
    """A frame with the schema's columns and no rows, for a layer the data directory does not provide."""
    frame = pd.DataFrame({c.name: pd.Series(dtype="object") for c in schema.columns})
    if schema.is_table:
        return frame
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)


def find_sources(data_dir: Path) -> tuple[dict[str, Source], list[Problem]]:
    """The file each layer is read from (a dedicated file wins over a layer inside a GeoPackage),
    and a problem for each GeoPackage that cannot even be opened."""
    found: dict[str, Source] = {}
    problems: list[Problem] = []
    for name in LAYERS:
        for suffix in (*_VECTOR_SUFFIXES, ".csv"):
            candidate = data_dir / f"{name}{suffix}"
            if candidate.is_file():
                found[name] = Source(candidate)
                break
    for gpkg in sorted(data_dir.glob("*.gpkg")):
        try:
            check_vector_file(gpkg, GPKG)
            layers = [str(name) for name in pyogrio.list_layers(gdal_name(gpkg, GPKG))[:, 0]]
        except UnsafeFile as exc:
            problems.append(refusal_problem(str(gpkg), "", exc))
            continue
        except (pyogrio.errors.DataSourceError, OSError) as exc:
            problems.append(problem(str(gpkg), "", "problem.not_a_geopackage", library=first_line(exc)))
            continue
        for layer in layers:
            if layer in LAYERS and layer not in found:
                found[layer] = Source(gpkg, layer)
    return found, problems


def read_source(source: Source, schema: LayerSchema) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one file into an untyped frame; a file that cannot be read becomes one Problem."""
    path, file = source.path, str(source.path)
    try:
        if path.suffix.lower() == ".csv":
            frame = read_csv(path, schema)
        else:
            driver = _DRIVERS.get(path.suffix.lower())
            if driver is None:
                return None, [problem(file, schema.name, "problem.unsupported_type", suffix=path.suffix,
                                      formats=", ".join([*_DRIVERS, ".csv"]))]
            check_vector_file(path, driver)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                frame = pyogrio.read_dataframe(gdal_name(path, driver), layer=source.layer)
            if not isinstance(frame, gpd.GeoDataFrame):
                frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame)), crs=None)
            if schema.is_table and "geometry" in frame.columns:
                frame = pd.DataFrame(frame.drop(columns="geometry"))
    except UnsafeFile as exc:
        return None, [refusal_problem(file, schema.name, exc)]
    except UnicodeDecodeError as exc:
        return None, [problem(file, schema.name, "problem.not_utf8", byte=f"{exc.object[exc.start]:#04x}",
                              offset=exc.start)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError, pyogrio.errors.CRSError, pyogrio.errors.FeatureError) as exc:
        return None, [problem(file, schema.name, "problem.cannot_read_as", kind=path.suffix.lstrip("."),
                              library=first_line(exc))]
    except shapely.errors.GEOSException as exc:  # e.g. a polygon ring that is not closed
        return None, [problem(file, schema.name, "problem.malformed_geometry", library=first_line(exc))]
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        return None, [problem(file, schema.name, "problem.cannot_read", library=first_line(exc))]
    return frame, []


def read_csv(path: Path, schema: LayerSchema) -> pd.DataFrame:
    """A CSV table, or a CSV layer with a WKT ``geometry`` column or ``lon``/``lat`` columns (WGS84)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if schema.is_table:
        return frame
    if "geometry" in frame.columns:
        geometry = shapely.from_wkt(frame.pop("geometry").replace("", None), on_invalid="warn")
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)
    if {"lon", "lat"} <= set(frame.columns):
        lon = pd.to_numeric(frame.pop("lon"), errors="coerce")
        lat = pd.to_numeric(frame.pop("lat"), errors="coerce")
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    raise ValueError("a CSV layer needs a WKT 'geometry' column or 'lon' and 'lat' columns")


def _version(sources: dict[str, Source]) -> str:
    digest = hashlib.sha256()
    for name in sorted(sources):
        path = sources[name].path
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def fingerprint(data_dir: Path | str) -> str:
    """A cheap signature of the directory's files (names, sizes, modification times): the cache key
    under which a loaded dataset stays valid, checked on every page run without reading the data."""
    digest = hashlib.sha256()
    for path in sorted(Path(data_dir).glob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def load_layer(path: Path, layer: str, source_layer: str | None = None) -> pd.DataFrame:
    """One layer from one file, validated; raises :class:`DataError` listing every problem."""
    schema = LAYERS[layer]
    raw, problems = read_source(Source(Path(path), source_layer), schema)
    if raw is None:
        raise DataError(problems)
    frame, problems = validate_frame(raw, schema, str(path))
    if problems or frame is None:
        raise DataError(problems)
    return frame


def load_dataset(data_dir: Path | str) -> Dataset:
    """Every layer of ``data_dir``, validated and cross-checked; raises :class:`DataError` on any problem.

    Nothing is returned half-loaded: either the whole directory is valid or the caller keeps what
    it had and shows the problems.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([problem(str(data_dir), "", "problem.not_a_directory")])
    sources, problems = find_sources(data_dir)
    for name in REQUIRED_LAYERS:
        if name not in sources and not problems:
            problems.append(problem(str(data_dir), name, "problem.no_layer_file", name=name))
    frames: dict[str, pd.DataFrame] = {}
    for name, schema in LAYERS.items():
        if name not in sources:
            frames[name] = empty_frame(schema)
            continue
        raw, read_problems = read_source(sources[name], schema)
        problems += read_problems
        if raw is None:
            continue
        frame, frame_problems = validate_frame(raw, schema, str(sources[name]))
        problems += frame_problems
        if frame is not None:
            frames[name] = frame
    if not problems:
        problems += check_references(frames, {k: str(v) for k, v in sources.items()})
    if problems:
        raise DataError(problems)
    return Dataset(**frames,  # type: ignore[arg-type]  # a frame per layer, with geometry where its schema has one
                   data_dir=data_dir, sources=sources, version=_version(sources))
