"""Import templates: per layer, a file to fill (GeoJSON, CSV, XLSX) that the importer takes as it is.

:func:`template` gives a file name, its bytes and its MIME type, for a download button on the staff
page. Decisions a reader must know:

* **The columns are the importer's.** Every column of the layer's :class:`~heza_geo.schema.LayerSchema`,
  in the schema's order and spelt as the schema spells them, optional ones included (the
  ``required`` column of the description says which may be left out or left empty). Nothing here
  lists a column: the schema does, and a test checks that each example has exactly its columns.
* **Coordinates.** GeoJSON carries the geometry itself, in WGS84 (RFC 7946 has no other CRS, so
  the file declares none and GDAL reads it as WGS84). In CSV and XLSX a layer whose only geometry
  type is ``Point`` (housing) gets ``lon`` and ``lat`` columns in degrees; every other layer a
  ``geometry`` column of WKT in degrees, longitude first. The importer reads both without a
  declared CRS as WGS84 degrees (:mod:`heza_geo.io.importers`, "no coordinate reference system
  declared" in its notes); metres (VN-2000, UTM) stay possible through the page's CRS choice, but
  the template shows the one form that needs no choice.
* **Tables have no GeoJSON template.** A layer without geometry (``LAYERS[name].is_table``:
  occupancy, berth status, investment, enterprise, investors, source notes, passports, incentives,
  contacts) comes as CSV or XLSX only; asking for GeoJSON raises :class:`~heza_geo.errors.ExportError`
  naming the two formats.
* **One EXAMPLE row** (:data:`EXAMPLES`) that passes the importer's own checks. It is marked as an
  example where the text allows it (ids ``example-…``, notes and methods starting ``EXAMPLE``), so
  a row imported by mistake is easy to find and delete (plots, which have no ``note``, say it in
  ``internal_note``). Its provenance is ``approximate`` with a method, the one kind that is honest
  for a made-up figure (``report`` would call it official, ``news`` would cite a page that does not
  say it). Contacts and prices are left empty: an example never invents a contact or a price.
* **Example geometry** lies inside the real Đình Vũ industrial park (``dinh-vu``, DEEP C I, in the
  shipped ``geodata/``): a 100 m × 150 m rectangle drawn in UTM 48N (1.5 ha, the ``area_ha`` of the
  example) and rounded to 6 decimals of a degree (about 0.1 m); points lie at its centre; the
  berth example is a quay line continuing the Lạch Huyện quay south-east of berth 12.
* **References.** The park examples name ``dinh-vu`` and its zone ``dinh-vu-cat-hai``, so a plot
  passes the "plot far from its park" check against the shipped data. The berth status example
  names berth 99, the berths template's example berth: a status row for a real berth would change
  what the port page says if it were imported by mistake, so it is refused until berth 99 exists.
  For the same reason the passport and contact examples name the parks template's example park
  (``example-park``) and the incentive example the zones template's example zone (``example-zone``):
  a park has one passport, and an example imported by mistake would overwrite Đình Vũ's. Their
  prices, tariffs, phone, e-mail and person are left empty (an example never invents them).
  Against a store without these records (the tests' tiny dataset) the only problems are those
  unknown references.
* **Writers.** GeoJSON is one feature, written with :mod:`json` (a FeatureCollection of one
  feature needs no GDAL driver and comes out byte-for-byte the same each time). CSV is UTF-8 with a
  byte order mark and CRLF line ends, which Excel opens with the diacritics intact. XLSX is written
  with openpyxl: the sheet ``data`` first (the importer reads the first sheet), the header and the
  example row, values typed (numbers as numbers, dates as ISO text so no locale reformats them);
  then the sheet ``columns`` describing each column in the reader's language: name, label
  (``column.<name>``), type, whether required, allowed values (raw and labelled, via
  :func:`heza_geo.i18n.label`) or range, unit and a one-line meaning (``template.about.<name>``).
* **Made once.** A template is made once per process for each layer, format and language (all
  three formats of a layer take about 60 ms), as the catalogs are read once: a page can offer the
  downloads on every run without making them again.
* **Units** are read off the column names, the schema's convention (``area_ha``, ``quay_m``,
  ``amount_musd``, ``price_usd_m2``, ``capacity_people``, ``occupancy_pct``, ``pct_of_plan``; the
  passport's ``_usd_m2_month``, ``_usd_m2_year``, ``_usd_kwh``, ``_usd_m3``, ``_m3_day``, ``_kv``, ``_mw``, ``_m2``);
  ``value`` and ``plan`` carry theirs in the ``unit`` column. A ``unit`` field of
  :class:`~heza_geo.schema.Column` would be their better home.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from shapely.geometry import LineString, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from heza_geo import i18n
from heza_geo.errors import ExportError
from heza_geo.schema import APPROXIMATE, FOREIGN_KEYS, LAYERS, Column, LayerSchema, precision_column

__all__ = ["EXAMPLES", "FORMATS", "MIME_TYPES", "data_columns", "describe_columns", "formats", "template"]

Format = Literal["geojson", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("geojson", "csv", "xlsx")
MIME_TYPES: dict[str, str] = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: the sheets of the XLSX template, in order (the importer reads the first)
DATA_SHEET, COLUMNS_SHEET = "data", "columns"

#: the real park the examples lie in and refer to (geodata/: Đình Vũ, DEEP C I), and its zone
EXAMPLE_PARK, EXAMPLE_ZONE = "dinh-vu", "dinh-vu-cat-hai"
#: 100 m × 150 m in UTM 48N around x 684,760, y 2,303,330 (inside ``dinh-vu``), 1.5 ha, in degrees
EXAMPLE_POLYGON = Polygon([(106.774942, 20.8201), (106.775903, 20.82009), (106.775919, 20.821445),
                           (106.774958, 20.821455), (106.774942, 20.8201)])
EXAMPLE_POINT = Point(106.77543, 20.820773)
#: the Lạch Huyện quay continued south-east from the end of berth 12, about 450 m
EXAMPLE_QUAY = LineString([(106.93194, 20.7599), (106.93432, 20.75651)])
EXAMPLE_BERTH = 99
_EXAMPLE_AREA_HA = 1.5
_NOTE = "EXAMPLE row: replace it with your data or delete it before importing"
_METHOD = "EXAMPLE: say how the figure was made, e.g. measured on the 2025 land-use plan"

_SOURCE = {"source_kind": APPROXIMATE, "source": _METHOD}
#: the parks and zones templates' own examples: a passport, contact or incentive example names them, so one
#: imported by mistake is refused until its park or zone exists, and never changes what a real park shows
EXAMPLE_NEW_PARK, EXAMPLE_NEW_ZONE = "example-park", "example-zone"


def _group_source(group: str) -> dict[str, object]:
    """A passport group's date (to the year) and its provenance, an approximation with its EXAMPLE method."""
    return {f"{group}_as_of": "2025", f"{group}_as_of_precision": "year", f"{group}_source_kind": APPROXIMATE,
            f"{group}_source": _METHOD}

_EXAMPLE_NAMES = {"name_vi": "Công ty Ví dụ", "name_en": "Example Co., Ltd."}

#: one example row per layer, every column of the schema (None: left empty)
EXAMPLES: dict[str, dict[str, object]] = {
    "zones": {
        "zone_id": "example-zone", "name_vi": "Khu kinh tế Ví dụ", "name_en": "Example Economic Zone",
        "name_short": "Example", "status": "proposed", "area_ha": _EXAMPLE_AREA_HA,
        "area_source_kind": APPROXIMATE, "area_source": "EXAMPLE: measured on the outline in EPSG:32648",
        "decision": None, "note": _NOTE, **_SOURCE, "geometry_quality": "approximate",
    },
    "parks": {
        "park_id": "example-park", "name_vi": "KCN Ví dụ", "name_en": "Example Industrial Park",
        "name_short": "Example", "zone_id": EXAMPLE_ZONE, "province_before_2025": "Hải Phòng", "district": "Hải An",
        "commune": None, "status": "planned", "stage": "planned", "stage_source_kind": None, "stage_source": None,
        "area_ha": _EXAMPLE_AREA_HA, "area_source_kind": APPROXIMATE,
        "area_source": "EXAMPLE: measured on the outline in EPSG:32648", "developer": _EXAMPLE_NAMES["name_en"],
        "developer_contact": None, "note": _NOTE, **_SOURCE, "geometry_quality": "approximate",
    },
    "plots": {
        "plot_id": "example-plot-1", "park_id": EXAMPLE_PARK, "status": "leased", "area_ha": _EXAMPLE_AREA_HA,
        "tenant": _EXAMPLE_NAMES["name_en"], "sector": "electronics", "tenant_contact": None, "price_usd_m2": None,
        "internal_note": _NOTE, **_SOURCE, "geometry_quality": "approximate",
    },
    "berths": {
        "berth_no": EXAMPLE_BERTH, "terminal": "EXAMPLE terminal", "operator": _EXAMPLE_NAMES["name_en"],
        "quay_m": 450.0, "note": _NOTE, **_SOURCE, "geometry_quality": "approximate",
    },
    "housing": {
        "housing_id": "example-housing", "name_vi": "Nhà ở công nhân Ví dụ", "name_en": "Example worker housing",
        "kind": "worker_housing", "location": "EXAMPLE: phường Đông Hải 2, quận Hải An", "park_id": EXAMPLE_PARK,
        "capacity_people": 1000, "area_ha": None, "status": "proposed", "status_note": _NOTE,
        "as_of": "2025-06-30", **_SOURCE, "geometry_quality": "approximate",
    },
    "connectivity": {
        "feature_id": "example-terminal", "kind": "terminal", "name_vi": "Cảng cạn Ví dụ",
        "name_en": "Example inland container depot", "note": _NOTE, **_SOURCE, "geometry_quality": "approximate",
    },
    "occupancy_history": {
        "scope": "park", "park_id": EXAMPLE_PARK, "as_of": "2025-06", "as_of_precision": "month",
        "occupancy_pct": 80.0, "basis": "estimate", "note": _NOTE, **_SOURCE,
    },
    "berth_status_history": {
        "berth_no": EXAMPLE_BERTH, "as_of": "2025", "as_of_precision": "year", "status": "planned",
        "event": "EXAMPLE: investment policy approved", "expected": "EXAMPLE: construction to start in 2026",
        **_SOURCE,
    },
    "investment": {
        "period": "EXAMPLE 6 months 2025", "period_end": "2025-06-30", "metric": "fdi_new_projects", "value": 12.0,
        "unit": "projects", "plan": None, "pct_of_plan": None, "basis": "estimate", "park_id": None, "note": _NOTE,
        **_SOURCE,
    },
    "enterprise": {
        "period": "EXAMPLE year 2025", "period_end": "2025-12-31", "metric": "workers", "value": 1000.0,
        "unit": "people", "plan": None, "pct_of_plan": None, "basis": "estimate", "park_id": None, "note": _NOTE,
        **_SOURCE,
    },
    "source_notes": {
        "topic": "example", "subject_id": EXAMPLE_PARK,
        "note_vi": "VÍ DỤ: hai nguồn cho diện tích khác nhau; hãy thay bằng ghi chú của bạn",
        "note_en": "EXAMPLE: two sources give different areas; replace it with your note", **_SOURCE,
    },
    "investors": {
        "investor_id": "example-co", **_EXAMPLE_NAMES, "country": "VN", "kind": "new_project", "amount_musd": 10.0,
        "period": "EXAMPLE year 2025", "period_end": "2025-12-31", "park_id": EXAMPLE_PARK, "note": _NOTE, **_SOURCE,
    },
    "passports": {
        "park_id": EXAMPLE_NEW_PARK, "lease_price_min_usd_m2": None, "lease_price_max_usd_m2": None,
        "land_term_end_year": 2058, "min_plot_ha": 1.0, "rbf_free_m2": None, "rbf_rent_usd_m2_month": None,
        "management_fee_usd_m2_year": None, **_group_source("land"),
        "power_substation_kv": 110.0, "power_available_mw": 10.0, "power_tariff_usd_kwh": None,
        "water_capacity_m3_day": 10000.0, "water_free_m3_day": 2000.0, "water_tariff_usd_m3": None,
        "wastewater_capacity_m3_day": 8000.0, "wastewater_free_m3_day": 1000.0, "wastewater_standard": "A",
        "wastewater_fee_usd_m3": None, **_group_source("utilities"),
        "permitted_sectors": "electronics;logistics", "readiness": "infrastructure_under_way", "ready_by": "2027-06",
        "ready_by_precision": "month", "ground_level_m": None, "flood_note": None, **_group_source("planning"),
        "note": _NOTE,
    },
    "incentives": {
        "incentive_id": "example-incentive", "regime": "economic_zone", "zone_id": EXAMPLE_NEW_ZONE,
        "text_vi": "VÍ DỤ: ưu đãi của khu kinh tế; hãy thay bằng nội dung của bạn",
        "text_en": "EXAMPLE: the economic zone's incentives; replace them with your text",
        "text_ko": None, "text_ja": None, "text_zh": None, "as_of": "2025", "as_of_precision": "year", **_SOURCE,
    },
    "contacts": {
        "contact_id": "example-contact", "park_id": EXAMPLE_NEW_PARK, "role": "developer_sales",
        "organisation": f"{_EXAMPLE_NAMES['name_en']} (EXAMPLE sales office)", "person": None, "phone": None,
        "email": None, "website": None, "languages": "vi;en", "as_of": "2025", "as_of_precision": "year", **_SOURCE,
    },
}  # fmt: skip

_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_usd_m2_month", "usd_m2_month"), ("_usd_m2_year", "usd_m2_year"), ("_usd_m2", "usd_m2"),
    ("_usd_kwh", "usd_kwh"), ("_usd_m3", "usd_m3"), ("_m3_day", "m3_day"), ("_kv", "kv"), ("_mw", "mw"),
    ("_m2", "m2"), ("_musd", "million_usd"), ("_ha", "ha"), ("_people", "people"), ("_m", "m"),
)  # fmt: skip
#: value and plan: their unit is the row's ``unit``
_UNIT_IN_COLUMN = ("value", "plan")


def formats(layer: str) -> tuple[Format, ...]:
    """The template formats of ``layer``: all three for a layer, CSV and XLSX for a table.

    >>> formats("plots"), formats("investment")
    (('geojson', 'csv', 'xlsx'), ('csv', 'xlsx'))
    """
    return FORMATS[1:] if _schema(layer).is_table else FORMATS


def data_columns(layer: str, fmt: str) -> list[str]:
    """The header of the ``fmt`` template: the schema's columns, then ``lon``/``lat`` (a point layer)
    or ``geometry`` (WKT; any other layer) in CSV and XLSX; GeoJSON keeps the geometry in the feature.

    >>> data_columns("housing", "csv")[-2:], data_columns("plots", "xlsx")[-1], data_columns("plots", "geojson")[-1]
    (['lon', 'lat'], 'geometry', 'geometry_quality')
    """
    schema = _schema(layer)
    return schema.column_names + ([] if fmt == "geojson" else _coordinate_columns(schema))


def template(layer: str, fmt: str, lang: str) -> tuple[str, bytes, str]:
    """The import template of ``layer`` as a file: its name, its bytes and its MIME type.

    Parameters
    ----------
    layer
        A key of :data:`heza_geo.schema.LAYERS`.
    fmt
        ``"geojson"``, ``"csv"`` or ``"xlsx"``. Tables (layers without geometry) have CSV and XLSX
        only (:func:`formats`); GeoJSON for a table raises :class:`~heza_geo.errors.ExportError`.
    lang
        The reader's language, for the XLSX ``columns`` sheet (the data, and so CSV and GeoJSON, are
        the same in every language); an unknown code reads as English.

    >>> name, content, mime = template("plots", "csv", "vi")
    >>> name, mime, content[:3] == b"\\xef\\xbb\\xbf"
    ('heza_template_plots.csv', 'text/csv', True)
    """
    return _template(layer, fmt, i18n.normalize_lang(lang))


@functools.cache
def _template(layer: str, fmt: str, lang: str) -> tuple[str, bytes, str]:
    schema = _schema(layer)
    if fmt not in FORMATS:
        raise ExportError(f"no template format '{fmt}': choose {', '.join(FORMATS)}")
    if fmt not in formats(layer):
        raise ExportError(f"layer '{layer}' is a table without geometry: its template comes as "
                          f"{' or '.join(f.upper() for f in formats(layer))}, not {fmt.upper()}")
    if fmt == "geojson":
        content, name = _geojson(schema), f"heza_template_{layer}.geojson"
    elif fmt == "csv":
        content, name = _csv(schema), f"heza_template_{layer}.csv"
    else:
        content, name = _xlsx(schema, lang), f"heza_template_{layer}_{lang}.xlsx"
    return name, content, MIME_TYPES[fmt]


def describe_columns(layer: str, lang: str, fmt: str = "xlsx") -> list[dict[str, str]]:
    """One row per column of the ``fmt`` template, in ``lang``: the ``columns`` sheet of the XLSX.

    Keys: ``column`` (as in the header), ``label``, ``type``, ``required``, ``allowed`` (allowed
    values as ``raw: label``, one a line, or a number's range), ``unit`` and ``meaning`` (one line,
    then what the column refers to and whether it is confidential, each on its own line).
    """
    schema, code = _schema(layer), i18n.normalize_lang(lang)
    rows = [_describe(schema, column, code) for column in schema.columns]
    for name in ([] if fmt == "geojson" else _coordinate_columns(schema)):
        rows.append({
            "column": name, "label": i18n.t(f"template.column.{name}", code),
            "type": i18n.t("template.type_wkt" if name == "geometry" else "template.type_degrees", code),
            "required": i18n.t("template.required_column" if schema.geometry_optional else "template.required_value",
                               code),
            "allowed": "", "unit": "", "meaning": i18n.t(f"template.about.{name}", code),
        })  # fmt: skip
    return rows


# --- what each column says --------------------------------------------------------------------------------
def _schema(layer: str) -> LayerSchema:
    if layer not in LAYERS:
        raise ExportError(f"no layer '{layer}': choose one of {', '.join(LAYERS)}")
    return LAYERS[layer]


def _coordinate_columns(schema: LayerSchema) -> list[str]:
    if schema.is_table:
        return []
    return ["lon", "lat"] if schema.geometry_types == ("Point",) else ["geometry"]


def _unit(name: str, lang: str) -> str:
    if name in _UNIT_IN_COLUMN:
        return i18n.t("template.unit_in_column", lang)
    if name.endswith("_pct") or name.startswith("pct_"):
        return "%"
    slug = next((unit for suffix, unit in _UNIT_SUFFIXES if name.endswith(suffix)), None)
    return i18n.unit_label(slug, lang) if slug else ""


def _describe(schema: LayerSchema, column: Column, lang: str) -> dict[str, str]:
    names = set(schema.column_names)
    if column.dtype == "date" and precision_column(column.name) in names:
        kind = "template.type_date_coarse"
    else:
        kind = f"template.type_{column.dtype}"
    if not column.required:
        required = "template.optional"
    else:
        required = "template.required_column" if column.nullable else "template.required_value"
    label_kind = i18n.value_kind(schema.name, column.name)
    if label_kind is not None:
        allowed = "\n".join(f"{value}: {i18n.label(label_kind, value, lang)}" for value in column.allowed or ())
    elif column.min is not None and column.max is not None:
        allowed = i18n.t("template.range", lang, min=i18n.fmt_number(column.min, lang, None),
                         max=i18n.fmt_number(column.max, lang, None))
    else:
        allowed = ""
    meaning = [i18n.t(f"template.about.{column.name}", lang)]
    target = FOREIGN_KEYS.get((schema.name, column.name))
    if target is not None:
        meaning.append(i18n.t("template.refers_to", lang, column=target[1], layer=i18n.label("layer", target[0], lang)))
    if column.confidential:
        meaning.append(i18n.t("template.confidential", lang))
    return {"column": column.name, "label": i18n.label("column", column.name, lang), "type": i18n.t(kind, lang),
            "required": i18n.t(required, lang), "allowed": allowed, "unit": _unit(column.name, lang),
            "meaning": "\n".join(meaning)}


# --- the example row and its geometry -----------------------------------------------------------------
def _example_geometry(schema: LayerSchema) -> BaseGeometry:
    first = (schema.geometry_types or ("",))[0]
    return {"Polygon": EXAMPLE_POLYGON, "LineString": EXAMPLE_QUAY, "Point": EXAMPLE_POINT}[first]


def _example_row(schema: LayerSchema, fmt: str) -> list[object]:
    """The example's values in the order of :func:`data_columns` (None where left empty)."""
    example = EXAMPLES[schema.name]
    values = [example.get(name) for name in schema.column_names]
    coordinates = _coordinate_columns(schema) if fmt != "geojson" else []
    if coordinates == ["lon", "lat"]:
        point = _example_geometry(schema)
        values += [point.x, point.y]  # type: ignore[attr-defined]  # a Point for a point layer
    elif coordinates:
        values.append(_example_geometry(schema).wkt)
    return values


# --- writers ---------------------------------------------------------------------------------------------
def _geojson(schema: LayerSchema) -> bytes:
    properties = dict(zip(schema.column_names, _example_row(schema, "geojson"), strict=True))
    feature = {"type": "Feature", "properties": properties, "geometry": mapping(_example_geometry(schema))}
    document = {"type": "FeatureCollection", "features": [feature]}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv(schema: LayerSchema) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(data_columns(schema.name, "csv"))
    writer.writerow(["" if value is None else value for value in _example_row(schema, "csv")])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(schema: LayerSchema, lang: str) -> bytes:
    book = Workbook()
    data = book.worksheets[0]
    data.title = DATA_SHEET
    header = data_columns(schema.name, "xlsx")
    data.append(header)
    data.append(_example_row(schema, "xlsx"))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(header, start=1):
        data.column_dimensions[get_column_letter(index)].width = max(12, min(len(name) + 4, 40))
    data.freeze_panes = "A2"

    sheet = book.create_sheet(COLUMNS_SHEET)
    sheet.append([i18n.t("template.title", lang, layer=i18n.label("layer", schema.name, lang))])
    sheet.append([i18n.t("template.instructions", lang)])
    sheet.append([])
    keys = ("column", "label", "type", "required", "allowed", "unit", "meaning")
    sheet.append([i18n.t(f"template.col_{key}", lang) for key in keys])
    for row in describe_columns(schema.name, lang, "xlsx"):
        sheet.append([row[key] for key in keys])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for line in sheet.iter_rows(min_row=5):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (22, 26, 24, 24, 40, 14, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
