"""Parks side by side: the figures an investor or a HEZA officer weighs, each with its provenance.

:func:`comparison_data` gives one row per park with raw numbers (for charts and the XLSX data
sheet); :func:`comparison_table` the transposed, formatted view (one row per figure, one column
per park) with a short provenance badge beside every figure (:func:`provenance`, explained in
full by :func:`provenance_legend`); :func:`to_xlsx` writes both to a
workbook and :func:`to_csv` the table to CSV. Housing "nearby" is every housing project within
:data:`HOUSING_RADIUS_KM` of the park boundary (straight line, EPSG:32648), planned ones included,
since HEZA's reports list mostly projects under way.

With the parks' passports (:mod:`heza_geo.analysis.passport`, ``passports=``), the table adds the
figures an investor weighs (price range, term end and years left, smallest plot, power, water and
wastewater free, readiness, permitted sectors, incentives, contacts), each with its group's date and
badge as the other rows have theirs; a figure not published reads so, never 0. The data sheet adds
their raw values (``passport_frame=``), with each group's date, precision and kind of source.

A park no source places (no outline, ``geometry_quality`` ``unplaced``) is compared like any
other: its figures are shown, and what needs a position (distances, housing nearby) is "—",
never 0 or a made-up value; the table says where each park's position comes from (its outline's
quality: "No position yet").

A badge is read from the figure's provenance columns (the kind beside the reference,
:func:`heza_geo.schema.provenance_of`): an approximate area whose method cites a report stays
"Approximate", never "HEZA report".

Park names, developers and sources are data: the downloads neutralise text that would start a
spreadsheet formula, and the page shows :func:`display_table` (``st.table`` renders Markdown in
every cell and header) and :func:`map_key`, where they are escaped (:mod:`heza_geo.text`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date

import geopandas as gpd
import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.indicators import HOUSING_RADIUS_KM, distance_km, placed
from heza_geo.analysis.passport import Group, Passport, years_left
from heza_geo.links import BadParam
from heza_geo.schema import NEWS, NO_SOURCE, REPORT, SYNTHETIC, Provenance, precision_column, provenance_of, provenances
from heza_geo.text import csv_bytes, md_escape, write_sheet

MIN_PARKS = 2
MAX_PARKS = 5


def parse_park_ids(raw: object, known: Iterable[str]) -> tuple[tuple[str, ...], tuple[BadParam, ...]]:
    """Park ids from a ``compare=a,b`` link value (or a list): unknown ids and those past
    :data:`MAX_PARKS` are dropped and reported; duplicates are dropped silently."""
    items = raw if isinstance(raw, (list, tuple)) else [] if raw is None else [raw]
    values = [v.strip() for item in items for v in str(item).split(",") if v.strip()]
    known_list = list(known)
    known_set = set(known_list)
    ids = tuple(dict.fromkeys(v for v in values if v in known_set))
    kept = ids[:MAX_PARKS]
    problems: list[BadParam] = []
    bad = [v for v in values if v not in known_set]
    if bad:
        shown = ", ".join(known_list[:8]) + (", …" if len(known_list) > 8 else "")
        problems.append(BadParam("compare", ",".join(bad), shown, ",".join(kept)))
    if len(ids) > MAX_PARKS:
        problems.append(BadParam("compare", ",".join(ids), f"≤ {MAX_PARKS}", ",".join(kept)))
    return kept, tuple(problems)


def housing_nearby(parks: gpd.GeoDataFrame, housing: gpd.GeoDataFrame,
                   radius_km: float = HOUSING_RADIUS_KM) -> pd.DataFrame:
    """Per park_id: ``housing_count`` and ``housing_capacity`` (people, known capacities summed)
    of housing projects within ``radius_km``, and their ``housing_sources`` (a tuple of their
    distinct :class:`~heza_geo.schema.Provenance`, by kind and reference). A park with no position
    has neither (``<NA>`` and NaN: unknown, not none)."""
    rows = []
    for (_, park), has_position in zip(parks.iterrows(), placed(parks), strict=True):
        if not has_position:
            rows.append({"park_id": park["park_id"], "housing_count": pd.NA, "housing_capacity": float("nan"),
                         "housing_sources": ()})
            continue
        here = parks.loc[[park.name]]
        near = housing[distance_km(housing, here) <= radius_km] if not housing.empty else housing
        rows.append({
            "park_id": park["park_id"],
            "housing_count": len(near),
            "housing_capacity": float(near["capacity_people"].astype("float64").sum()) if len(near) else 0.0,
            "housing_sources": _distinct(provenances(near)) if len(near) else (),
        })
    columns = ["park_id", "housing_count", "housing_capacity", "housing_sources"]
    out = pd.DataFrame(rows, columns=columns).set_index("park_id")
    out["housing_count"] = out["housing_count"].astype("Int64")
    out["housing_capacity"] = out["housing_capacity"].astype("float64")
    return out


def comparison_data(overview: gpd.GeoDataFrame, housing: gpd.GeoDataFrame, park_ids: Iterable[str],
                    radius_km: float = HOUSING_RADIUS_KM) -> gpd.GeoDataFrame:
    """One row per park of ``park_ids`` (in that order) with the compared figures as raw values.

    ``overview`` comes from :func:`heza_geo.analysis.joins.parks_overview`. Raises ``ValueError`` naming
    the ids it does not know.
    """
    ids = list(dict.fromkeys(park_ids))
    unknown = [p for p in ids if p not in set(overview["park_id"])]
    if unknown:
        raise ValueError(f"park_ids: unknown park(s) {unknown}")
    rows = overview.set_index("park_id").loc[ids].reset_index()
    rows = gpd.GeoDataFrame(rows, geometry=overview.geometry.name, crs=overview.crs)
    near = housing_nearby(rows, housing, radius_km)
    return rows.join(near, on="park_id")


def _given(p: Provenance) -> bool:
    """Whether a provenance says anything (a kind or a reference)."""
    return p.kind != NO_SOURCE or bool(p.ref)


def _distinct(items: Iterable[Provenance]) -> tuple[Provenance, ...]:
    """The provenances that say something, each once, by kind and reference."""
    return tuple(sorted({p for p in items if _given(p)}, key=lambda p: (p.kind, p.ref)))


def provenance(p: Provenance, lang: str) -> str:
    """A short provenance badge a reader can follow: the kind, plus the report number or the news
    site and date ("HEZA report (001)", "Public news (vccinews.com 05/04/2025)", "Synthetic demo").

    Only the kind decides the badge: an approximation keeps its badge whatever its method cites.

    >>> provenance(Provenance("approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)"), "en")
    'Approximate'
    """
    short = i18n.label("provenance", p.kind if p.kind in i18n.LABEL_VALUES["provenance"] else NO_SOURCE, lang)
    return f"{short} ({p.short})" if p.kind in (REPORT, NEWS) and p.ref else short


def provenance_legend(table: pd.DataFrame, lang: str) -> str:
    """What each short badge in ``table`` means, in full ("Synthetic demo: … not an official figure")."""
    text = " ".join(str(v) for v in table.to_numpy().ravel())
    kinds = [k for k in i18n.LABEL_VALUES["provenance"] if i18n.label("provenance", k, lang) in text]
    return " · ".join(f"{i18n.label('provenance', k, lang)}: {i18n.badge(k, lang)}" for k in kinds)


def _with(value: str, *notes: str) -> str:
    return " · ".join([value, *[n for n in notes if n]]) if value != i18n.MISSING else value


#: the passport rows compare shows (:func:`passport_cells`), in order: ``passport.row.<key>`` labels them
PASSPORT_ROWS = ("lease_price", "term_end", "min_plot", "power_available", "water_free", "wastewater_free",
                 "readiness", "permitted_sectors", "incentives", "contacts")


#: the group of each passport row compare shows
_GROUP_OF = {"lease_price": "land", "term_end": "land", "min_plot": "land", "power_available": "utilities",
             "water_free": "utilities", "wastewater_free": "utilities", "readiness": "planning",
             "permitted_sectors": "planning"}


def _group_note(group: Group, lang: str) -> list[str]:
    return [group.as_of, provenance(group.provenance, lang) if _given(group.provenance) else ""]


def passport_cells(passport: Passport, lang: str) -> tuple[list[str], list[Provenance]]:
    """A park's cells of :data:`PASSPORT_ROWS`: each value with its group's date and short badge (the
    wastewater's with its discharge standard; incentives as whose text they are; contacts as their
    organisations, each with its badge), "not published" where the park's passport has nothing; and the
    provenances the cells cite, for the sources row."""
    cells: list[str] = []
    cited: list[Provenance] = []
    for key in PASSPORT_ROWS:
        if key in ("incentives", "contacts"):
            group = passport.group(key)
            if group.empty:
                cells.append(group.empty)
            elif key == "incentives":
                cells.append(_with(group.rows[0].label, *_group_note(group, lang)))
                cited.append(group.provenance)
            else:
                cells.append("; ".join(_with(c.organisation, provenance(c.provenance, lang) if _given(c.provenance)
                                             else "") for c in group.contacts))
                cited.extend(c.provenance for c in group.contacts)
            continue
        group = passport.group(_GROUP_OF[key])
        if group.empty:
            cells.append(i18n.t("passport.not_published", lang))
            continue
        row = group.row(key)
        value = row.value
        if key == "wastewater_free" and row.published and group.row("wastewater_standard").published:
            value = f"{value} · {group.row('wastewater_standard').value}"
        cells.append(_with(value, *_group_note(group, lang)) if row.published else value)
        if row.published:
            cited.append(group.provenance)
    return cells, cited



def comparison_table(overview: gpd.GeoDataFrame, housing: gpd.GeoDataFrame, park_ids: Iterable[str], lang: str,
                     radius_km: float = HOUSING_RADIUS_KM,
                     passports: Mapping[str, Passport] | None = None) -> pd.DataFrame:
    """The transposed comparison: one row per figure (labels in ``lang``), one column per park
    (named in ``lang``), every cell a formatted string with its as-of date and provenance badge;
    with ``passports`` (park id → :func:`heza_geo.analysis.passport.passport` in ``lang``) the
    passport's rows (:data:`PASSPORT_ROWS`) before the sources."""
    data = comparison_data(overview, housing, park_ids, radius_km)
    t = i18n.translator(lang)
    demo = provenance(Provenance(SYNTHETIC), lang)
    radius = i18n.fmt_km(radius_km, lang, None)
    columns: dict[str, list[str]] = {}
    for _, park in data.iterrows():
        has_plots = bool(park.get("plots", 0))
        housing_known = not pd.isna(park["housing_count"])
        area, stage = provenance_of(park, "area_source"), provenance_of(park, "stage_source")
        occupancy = provenance_of(park, "occupancy_source")
        occupancy_as_of = (t("text.as_of", date=t.date(park["occupancy_as_of"],
                                                       park.get(precision_column("occupancy_as_of"))))
                           if pd.notna(park["occupancy_as_of"]) else "")
        investor, cited = (passport_cells(passports[park["park_id"]], lang) if passports is not None
                           else ([], []))
        sources = dict.fromkeys(
            provenance(p, lang)
            for p in (area, stage, occupancy, provenance_of(park),
                      Provenance(SYNTHETIC) if has_plots else Provenance(NO_SOURCE), *park["housing_sources"],
                      *cited)
            if _given(p)
        )
        quality = park.get("geometry_quality")
        cells = [
            i18n.other_name(park, lang),
            t.label("province", park["province_before_2025"]),
            str(park["district"]) if pd.notna(park["district"]) else i18n.MISSING,
            t.label("geometry_quality", quality) if isinstance(quality, str) else i18n.MISSING,
            _with(t.label("stage", park["stage"]), provenance(stage, lang) if _given(stage) else ""),
            _with(t.area_ha(park["area_ha"], None), provenance(area, lang)),
            _with(t.area_ha(park["available_ha"], 1), demo) if has_plots else i18n.MISSING,
            _with(t.percent(park["occupancy_pct"]), occupancy_as_of,
                  provenance(occupancy, lang) if _given(occupancy) else ""),
            str(park["developer"]) if pd.notna(park["developer"]) else i18n.MISSING,
            t.km(park["distance_to_berth_km"]),
            t.km(park["distance_to_airport_km"]),
            t.number(park["housing_count"], 0) if housing_known else i18n.MISSING,
            (_with(t("popup.people", n=t.number(park["housing_capacity"], 0)),
                   *dict.fromkeys(provenance(s, lang) for s in park["housing_sources"]))
             if housing_known and park["housing_count"] else i18n.MISSING),
            *investor,
            "; ".join(sources),
        ]
        title = i18n.name(park, lang)
        columns[title if title not in columns else f"{title} ({park['park_id']})"] = cells
    index = [
        t("compare.row.other_name"),
        t("filter.region"),
        t("column.district"),
        t("column.geometry_quality"),
        t("popup.stage"),
        t("popup.area"),
        t("popup.available"),
        t("popup.occupancy"),
        t("popup.developer"),
        t("popup.distance_to_berth"),
        t("popup.distance_to_airport"),
        t("compare.row.housing_count", km=radius),
        t("compare.row.housing_capacity", km=radius),
        *([t(f"passport.row.{key}") for key in PASSPORT_ROWS] if passports is not None else []),
        t("compare.row.sources"),
    ]
    table = pd.DataFrame(columns, index=index)
    table.index.name = t("detail.figure")
    return table


def _passport_sheet(data: pd.DataFrame, passport_frame: pd.DataFrame, lang: str, today: date) -> pd.DataFrame:
    """The passport's raw figures of each park of ``data`` (empty where not published), headed by the
    columns' labels (units in them), with the years left and each group's date, precision and kind."""
    t = i18n.translator(lang)
    rows = data[["park_id"]].merge(passport_frame, on="park_id", how="left")
    out = pd.DataFrame(index=data.index)
    for column in ("lease_price_min_usd_m2", "lease_price_max_usd_m2"):
        out[t(f"column.{column}")] = rows[column].astype(float).to_numpy()
    out[t("column.land_term_end_year")] = rows["land_term_end_year"].astype("Int64").to_numpy()
    out[t("passport.row.years_left")] = pd.array([years_left(y, today) for y in rows["land_term_end_year"]],
                                                 dtype="Int64")
    for column in ("min_plot_ha", "power_substation_kv", "power_available_mw", "water_capacity_m3_day",
                   "water_free_m3_day", "wastewater_capacity_m3_day", "wastewater_free_m3_day"):
        out[t(f"column.{column}")] = rows[column].astype(float).to_numpy()
    out[t("column.wastewater_standard")] = [t.label("wastewater_standard", s) if isinstance(s, str) else None
                                            for s in rows["wastewater_standard"]]
    out[t("column.readiness")] = [t.label("readiness", s) if isinstance(s, str) else None for s in rows["readiness"]]
    out[t("column.permitted_sectors")] = [
        ", ".join(t.label("sector", x) for x in s.split(";") if x) if isinstance(s, str) else None
        for s in rows["permitted_sectors"]]
    for group in ("land", "utilities", "planning"):
        as_of = f"{group}_as_of"
        out[t(f"column.{as_of}")] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in rows[as_of]]
        out[t(f"column.{as_of}_precision")] = [
            None if pd.isna(d) else (p if isinstance(p, str) else "day")
            for d, p in zip(rows[as_of], rows[f"{as_of}_precision"], strict=True)]
        out[t(f"column.{group}_source_kind")] = [t.label("provenance", p.kind) if _given(p) else None
                                                 for p in provenances(rows, f"{group}_source")]
        out[t(f"column.{group}_source")] = rows[f"{group}_source"].to_numpy()
    return out


def data_sheet(data: pd.DataFrame, lang: str, passport_frame: pd.DataFrame | None = None,
               today: date | None = None) -> pd.DataFrame:
    """The raw figures of :func:`comparison_data` as a flat table with column headers in ``lang``.

    The occupancy figure's date is a date; its precision (``day``, ``month`` or ``year``) is beside
    it, and its source is given as its kind (in ``lang``) and its reference. With ``passport_frame``
    (the ``passports`` table) the passport's raw figures follow (:func:`_passport_sheet`; the years
    left counted from ``today``, default today)."""
    if passport_frame is not None:
        base = data_sheet(data, lang)
        extra = _passport_sheet(data, passport_frame, lang, today or date.today())
        return pd.concat([base, extra.set_axis(base.index)], axis=1)
    t = i18n.translator(lang)
    precision = precision_column("occupancy_as_of")
    known = data[precision] if precision in data else pd.Series(None, index=data.index, dtype=object)
    return pd.DataFrame({
        "park_id": data["park_id"],
        t("column.name_vi"): data["name_vi"],
        t("column.name_en"): data["name_en"],
        t("column.province_before_2025"): [t.label("province", r) for r in data["province_before_2025"]],
        t("column.district"): data["district"],
        t("column.geometry_quality"): [t.label("geometry_quality", q) if isinstance(q, str) else None
                                       for q in data["geometry_quality"]],
        t("column.stage"): [t.label("stage", s) for s in data["stage"]],
        t("column.area_ha"): data["area_ha"].astype(float),
        t("finder.col.available_ha"): data["available_ha"].astype(float).round(4),
        t("column.occupancy_pct"): data["occupancy_pct"].astype(float),
        t("column.as_of"): [None if pd.isna(d) else pd.Timestamp(d).date() for d in data["occupancy_as_of"]],
        t("column.as_of_precision"): [None if pd.isna(d) else (p if isinstance(p, str) else "day")
                                      for d, p in zip(data["occupancy_as_of"], known, strict=True)],
        t("column.basis"): [t.label("basis", b) for b in data["occupancy_basis"]],
        t("column.source_kind"): [t.label("provenance", p.kind) if _given(p) else None
                                  for p in provenances(data, "occupancy_source")],
        t("column.source"): data["occupancy_source"],
        t("finder.col.port_km"): data["distance_to_berth_km"].astype(float).round(2),
        t("finder.col.airport_km"): data["distance_to_airport_km"].astype(float).round(2),
        t("compare.col.housing_count"): data["housing_count"].astype("Int64"),
        t("compare.col.housing_capacity"): data["housing_capacity"].astype(float),
    })


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`comparison_table` as ``st.table`` must get it: every cell, column header (park names)
    and index label escaped, so a name shows as its characters, never as a link or an image."""
    shown = table.map(md_escape)
    shown.columns = pd.Index([md_escape(c) for c in table.columns])
    shown.index = pd.Index([md_escape(v) for v in table.index], name=md_escape(table.index.name))
    return shown


def map_key(labels: Mapping[str, str], names: Mapping[str, str]) -> str:
    """The caption under the map, "A = KCN Đình Vũ · B = …", with the names escaped for Markdown."""
    return " · ".join(f"{md_escape(label)} = {md_escape(names.get(park_id, park_id))}"
                      for park_id, label in labels.items())


def to_csv(table: pd.DataFrame) -> bytes:
    """:func:`comparison_table` as CSV (figures as rows, with their labels), formulas neutralised."""
    return csv_bytes(table, index=True)


def to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook (openpyxl) with one sheet per entry; text, Vietnamese included, kept as Unicode.

    Sheet names are cut to Excel's 31 characters; the index is written only where it carries
    labels (a named index, as in :func:`comparison_table`). Text cells are strings, never
    formulas (:func:`heza_geo.text.write_sheet`).
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = write_sheet(writer, frame, name, index=frame.index.name is not None)
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    return buffer.getvalue()
