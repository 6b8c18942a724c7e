"""Data exports of a selection: CSV, XLSX, GeoJSON, GeoPackage.

Choices, so scripts can rely on them:

* Column names are the schema's ids (``park_id``, ``name_vi``, ``occupancy_pct``); values are
  the data's own (Vietnamese names byte-exact, UTF-8). Dates are ISO ``YYYY-MM-DD``, the first day
  of their period where a ``<date>_precision`` column beside them says ``month`` or ``year``.
* A provenance is two columns, its kind just before its reference (``source_kind``, ``source``;
  ``area_source_kind``, ``area_source``), in the layers and in the ``sources`` table, so a script
  reads the kind (``report``, ``news``, ``approximate``, ``synthetic demo``) and never parses text.
* **CSV**, **GeoJSON** and **GeoPackage** keep the store's references (a report's file,
  ``001_7f014fdbc8afe3e1.txt``), which scripts and the imports read; their ``sources`` table names
  each one for a reader too (``named``: "HEZA report of 14 Oct 2023 (Oct 2023 review)").
* **XLSX** is the workbook people open, so it speaks the export's language (issue 16): each header
  is the column's label (``column.<name>``: "Park ID", "Mã KCN"), each allowed value its label
  (:func:`heza_geo.i18n.value_kind` says which columns hold them: a stage reads "Building
  infrastructure", not ``building_infrastructure``), numbers are rounded as the pages write them
  (:data:`DISPLAY_DECIMALS`: areas to 0.01 ha, percents and kilometres to 0.1; money and counts as
  given) and stay numbers. No machine reference shows: each reference cell holds the source as a
  reader names it (:func:`heza_geo.analysis.sources.source_name`), any report file or ``GEOREF.md``
  a text cell cites is renamed alike (:func:`heza_geo.analysis.sources.readable_text`), and the
  ``sources`` sheet lists the names without the references. Sheet names stay the layers' ids
  (``parks``, ``plots``, ``sources``), and a ``codes`` sheet lists, per sheet and column, the
  header shown and the column's name, and per labelled value its code, so GIS staff map the
  workbook back to the data (:func:`codes_table`).
* **CSV**, **GeoJSON** and **GeoPackage** are machine formats: headers are the column names and
  values the raw codes (``park_id``, ``building_infrastructure``), numbers unrounded, in every
  language of the export.
* **CSV** and **XLSX** are tables for people: the attributes, and ``lon``/``lat`` of a point inside
  each feature instead of its geometry. CSV is UTF-8 with a byte-order mark, so Excel reads the
  Vietnamese right. One layer gives one ``.csv``; several give a ``.zip`` of ``<layer>.csv`` plus
  ``sources.csv``. XLSX has one sheet per layer and a ``sources`` sheet.
* **GeoJSON** is one FeatureCollection (WGS84); each feature's ``layer`` property names its
  layer (``parks``, ``plots``, …), and the collection's ``sources`` member lists the sources.
* **GeoPackage** has one layer per layer, same names, and a ``sources`` table without geometry.
* **The investor's tables.** An export with the parks adds their passports, their contacts (with HEZA's
  desk) and the incentives of their zones or regime (:func:`heza_geo.export.tables.investor_tables`):
  public, nothing in them is confidential. They are tables: a sheet each in XLSX, a ``.csv`` each in
  the zip (a single layer's ``.csv`` is that layer alone), an attribute table each in GeoPackage, and
  in GeoJSON a member each of the collection (``passports``, ``contacts``, ``incentives``: lists of
  records), as ``sources`` is.
* In **CSV** and **XLSX** no text cell is ever a formula: one starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading ``'``, and XLSX text cells are strings
  (:mod:`heza_geo.text`, the rule every spreadsheet of the app follows). Numbers stay numbers.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from heza_geo import i18n
from heza_geo.analysis.sources import readable_text, source_name
from heza_geo.errors import ExportError
from heza_geo.schema import Provenance, kind_column
from heza_geo.text import csv_bytes, write_sheet


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, so every format writes them the same way."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").astype(object).where(out[column].notna(), None)
    return out


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """Attributes and a ``lon``/``lat`` point inside each feature (no geometry); a table (no geometry) as it is."""
    if not isinstance(frame, gpd.GeoDataFrame):
        return _plain(frame)
    out = _plain(pd.DataFrame(frame.drop(columns=frame.geometry.name)))
    if not frame.empty:
        points = frame.geometry.representative_point()
        out["lon"], out["lat"] = points.x.round(6).values, points.y.round(6).values
    else:
        out["lon"], out["lat"] = pd.Series(dtype="float64"), pd.Series(dtype="float64")
    return out


def write_csv(frames: dict[str, pd.DataFrame], sources: pd.DataFrame, out: Path) -> str:
    """One layer: a CSV file (named ``.csv``, the layer alone: its tables need the zip); several, or a layer
    and its tables named ``.zip``: a zip of CSVs and ``sources.csv``. Returns the media kind."""
    layers = [name for name, frame in frames.items() if isinstance(frame, gpd.GeoDataFrame)]
    if len(frames) == 1 or (len(layers) == 1 and out.suffix.lower() == ".csv"):
        if out.suffix.lower() == ".zip":
            raise ExportError(f"{out.name}: one layer is written as .csv, not .zip")
        out.write_bytes(csv_bytes(table(frames[layers[0]] if layers else next(iter(frames.values())))))
        return "csv"
    if out.suffix.lower() == ".csv":
        raise ExportError(f"{out.name}: {len(layers)} layers ({', '.join(layers)}) make a .zip of CSV files: "
                          "name the output .zip, or choose one layer (--layers parks)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in frames.items():
            archive.writestr(f"{name}.csv", csv_bytes(table(frame)))
        archive.writestr("sources.csv", csv_bytes(sources))
    out.write_bytes(buffer.getvalue())
    return "zip"


def for_readers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with nothing a reader cannot read: each reference column (one with its kind column
    beside it) holds the source as a reader names it in ``lang``, and every other text cell has any
    report file or ``GEOREF.md`` it cites renamed (:mod:`heza_geo.analysis.sources`). A copy; the kind
    columns and every other value are kept.

    >>> for_readers(pd.DataFrame({"source_kind": ["report"], "source": ["001_7f014fdbc8afe3e1.txt"],
    ...                           "note": ["see 001_7f014fdbc8afe3e1.txt"]}), "en").iloc[0].tolist()
    ['report', 'HEZA report of 14 Oct 2023 (Oct 2023 review)', 'see HEZA report of 14 Oct 2023 (Oct 2023 review)']
    """
    out = frame.copy()
    references = [c for c in out.columns if kind_column(c) in out.columns]
    for column in references:
        names = {pair: source_name(Provenance.of(*pair), lang) or None
                 for pair in zip(out[kind_column(column)], out[column], strict=True)}
        out[column] = [names[pair] for pair in zip(out[kind_column(column)], out[column], strict=True)]
    for column in out.columns.difference(references):
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = [readable_text(v, lang) if isinstance(v, str) else v for v in out[column]]
    return out


#: decimals a number keeps in the workbook, by the ending of its column's name: as the pages write
#: it (:func:`heza_geo.i18n.fmt_area_ha` 2, :func:`~heza_geo.i18n.fmt_percent` and
#: :func:`~heza_geo.i18n.fmt_km` 1); ``lon``/``lat`` keep the 6 of :func:`table`; money
#: (``price_usd_m2``, ``amount_musd``) and counts are written as given
DISPLAY_DECIMALS: dict[str, int] = {"_ha": 2, "_pct": 1, "_km": 1}


def _decimals(column: str) -> int | None:
    return next((d for end, d in DISPLAY_DECIMALS.items() if column.endswith(end)), None)


def _headers(columns: list[str], lang: str) -> dict[str, str]:
    """Each column's label in ``lang``; a label two columns would share gets the column's name
    after it, so no two headers read alike."""
    shown = {c: i18n.label("column", c, lang) for c in columns}
    taken = list(shown.values())
    return {c: (f"{h} ({c})" if taken.count(h) > 1 else h) for c, h in shown.items()}


def labelled(name: str, frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sheet ``name`` as a reader of ``lang`` reads it, and its rows of the ``codes`` sheet.

    Allowed values become their labels, numbers are rounded (:data:`DISPLAY_DECIMALS`), headers
    become the columns' labels. The codes rows (raw columns, see :func:`codes_table`) are one per
    column (``value`` empty) and one per labelled value found."""
    out = frame.copy()
    codes: list[dict[str, object]] = []
    headers = _headers(list(out.columns), lang)
    for column in out.columns:
        codes.append({"sheet": name, "header": headers[column], "column": column, "value": None, "code": None})
        kind = i18n.value_kind(name, column)
        decimals = _decimals(column)
        if kind is not None:
            found = [v for v in dict.fromkeys(out[column].dropna()) if isinstance(v, str)]
            labels = {v: i18n.label(kind, v, lang) for v in found}
            out[column] = [labels.get(v, v) if isinstance(v, str) else v for v in out[column]]
            codes += [{"sheet": name, "header": headers[column], "column": column, "value": labels[v], "code": v}
                      for v in found]
        elif decimals is not None and pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(decimals)
    return out.rename(columns=headers), pd.DataFrame(codes)


def codes_table(codes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``codes`` sheet: sheet, header shown, column name; value shown and its code (empty on a
    column's own row), headed in ``lang``; the column names and codes are the data's, as CSV,
    GeoJSON and GeoPackage write them."""
    t = i18n.translator(lang)
    return codes.rename(columns={"sheet": t("export.codes.sheet"), "header": t("export.codes.header"),
                                 "column": t("export.codes.column"), "value": t("export.codes.value"),
                                 "code": t("export.codes.code")})


def write_xlsx(frames: dict[str, pd.DataFrame], sources: pd.DataFrame, out: Path, lang: str | None = None) -> None:
    """One sheet per layer and a ``sources`` sheet; header row frozen, columns sized to fit.

    With ``lang``, the workbook is for readers of that language: headers, allowed values and sources
    as they read them, numbers rounded as displayed (:func:`labelled`, :func:`for_readers`), the
    ``sources`` sheet without the store's references, and a ``codes`` sheet last to map it all back
    (CSV, GeoJSON and GeoPackage keep the codes for GIS staff); without, written as they are."""
    sheets = {**{n: table(f) for n, f in frames.items()}, "sources": sources}
    if lang is not None:
        sheets = {n: for_readers(f.drop(columns=["source"]) if n == "sources" else f, lang)
                  for n, f in sheets.items()}
        parts = {n: labelled(n, f, lang) for n, f in sheets.items()}
        sheets = {n: part[0] for n, part in parts.items()}
        sheets["codes"] = codes_table(pd.concat([part[1] for part in parts.values()], ignore_index=True), lang)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = write_sheet(writer, frame, name)
            sheet.freeze_panes = "A2"
            for cells in sheet.columns:
                width = max((len(str(c.value)) for c in cells[:200] if c.value is not None), default=8)
                sheet.column_dimensions[cells[0].column_letter].width = min(60, max(8, width + 2))


def feature_collection(frames: dict[str, pd.DataFrame], sources: pd.DataFrame) -> dict:
    """All layers in one FeatureCollection, each feature tagged with its ``layer``; each table (no geometry:
    passports, contacts, incentives) a member of the collection beside ``sources``, a list of records."""
    features = []
    members = {name: json.loads(_plain(frame).to_json(orient="records", force_ascii=False))
               for name, frame in frames.items() if not isinstance(frame, gpd.GeoDataFrame)}
    for name, frame in frames.items():
        if not isinstance(frame, gpd.GeoDataFrame):
            continue
        plain = _plain(frame.to_crs(4326) if frame.crs is not None else frame)
        collection = json.loads(gpd.GeoDataFrame(plain, geometry=frame.geometry.name).to_json(na="null", drop_id=True))
        for feature in collection["features"]:
            feature["properties"] = {"layer": name, **feature["properties"]}
            features.append(feature)
    return {
        "type": "FeatureCollection",
        "sources": json.loads(sources.to_json(orient="records", force_ascii=False)),
        **members,
        "features": features,
    }


def write_geojson(frames: dict[str, pd.DataFrame], sources: pd.DataFrame, out: Path) -> None:
    out.write_text(json.dumps(feature_collection(frames, sources), ensure_ascii=False), encoding="utf-8")


def write_gpkg(frames: dict[str, pd.DataFrame], sources: pd.DataFrame, out: Path) -> None:
    """One GeoPackage layer per layer, an attribute table per table (passports, contacts, incentives) and a
    ``sources`` attribute table (the file is replaced)."""
    if out.exists():
        out.unlink()
    for name, frame in frames.items():
        pyogrio.write_dataframe(_plain(frame), out, layer=name, driver="GPKG")
    pyogrio.write_dataframe(sources, out, layer="sources", driver="GPKG")
