"""The tables of the occupancy, investment and port pages, as a reader sees them.

Each function returns a frame (or a pandas ``Styler`` where cells are formatted or coloured)
whose cells are text or numbers in the reader's language; where a page pins or sizes columns,
the frame keeps short column ids and a ``*_headers`` function gives their headers, so the page
only adds Streamlit's column settings.

Decisions a reader must know
----------------------------
* **Sortable numbers stay numbers.** The occupancy table keeps areas and percentages numeric so a
  click on a header sorts them; a missing figure is kept as 0 (it sorts with the smallest) and
  *shown* as "—", because Streamlit prints a missing number as "None" whatever a styler says.
* Land figures summed from plots are demo data: their headers say so ("· demo").
* Every row says where its figure comes from (:func:`heza_geo.analysis.sources.provenance`), read
  from the kind and reference columns; a row with no figure says "—" there. Every date is written
  as precisely as it is known (berths 1–2 operate "since 2018": the table says "2018").
* A note or an expected date is shown with any report file or ``GEOREF.md`` it cites named as a
  reader names them (:func:`heza_geo.analysis.sources.readable_text`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
from pandas.io.formats.style import Styler

from heza_geo import i18n, styling
from heza_geo.analysis.charts import date_texts, precisions
from heza_geo.analysis.investment import country_name, period_label
from heza_geo.analysis.occupancy import occupancy_table
from heza_geo.analysis.port import NOT_YET_PLANNED, berth_status_text
from heza_geo.analysis.sources import english_text, provenance
from heza_geo.schema import Provenance, provenances

#: the occupancy table's numeric columns; the first four are hectares
OCCUPANCY_NUMBERS = ("area_ha", "leasable_ha", "leased_ha", "available_ha", "occupancy_pct", "plots_occupancy_pct")


def _figure_provenance(figure: Any, p: Provenance, lang: str, as_of: Any = None, basis: Any = None,
                       precision: Any = None) -> str:
    """The provenance of a figure, or "—" where there is no figure (a park without an occupancy
    figure, a berth with no record yet)."""
    missing = figure is None or (not isinstance(figure, str) and bool(pd.isna(figure)))
    return i18n.MISSING if missing else provenance(p, lang, as_of, basis, precision)


# --- occupancy --------------------------------------------------------------------------------------
def occupancy_rows(overview: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """:func:`heza_geo.analysis.occupancy.occupancy_table` (fullest park first, every park, placed or
    not) with ``park``, each park's name in the reader's language (:func:`heza_geo.i18n.name`)."""
    table = occupancy_table(overview)
    table["park"] = [i18n.name(row, lang) for row in table.to_dict("records")]
    return table


def occupancy_shown(table: pd.DataFrame, lang: str) -> Styler:
    """The occupancy table as shown: one row per park of :func:`occupancy_rows`, in its order; the
    park's occupancy, its date, basis and source first, right after the name (what staff check park
    by park, in the first screen of the table at 1440 px: it was the ninth column, off-screen); stage,
    region (east: old Hải Phòng, west: former Hải Dương), former district, date, basis and sources as
    text; the :data:`OCCUPANCY_NUMBERS` numeric, formatted by the styler (hectares with one decimal,
    percentages as the language writes them), "—" where missing (a park without plots has no land
    figures, one with no published area no area, and neither has a source for it)."""
    shown = pd.DataFrame({
        "park": table["park"],
        "occupancy_pct": table["occupancy_pct"],
        "as_of": date_texts(table, "occupancy_as_of", lang),
        "basis": [i18n.label("basis", b, lang) for b in table["occupancy_basis"]],
        "source": [_figure_provenance(v, p, lang) for v, p in zip(
            table["occupancy_pct"], provenances(table, "occupancy_source"), strict=True)],
        "stage": [i18n.label("stage", s, lang) for s in table["stage"]],
        "region": [i18n.label("province", r, lang) for r in table["province_before_2025"]],
        "district": table["district"].fillna(i18n.MISSING),
        **{column: table[column] for column in OCCUPANCY_NUMBERS[:4]},
        "plots_occupancy_pct": table["plots_occupancy_pct"],
        "area_source": [_figure_provenance(v, p, lang) for v, p in zip(
            table["area_ha"], provenances(table, "area_source"), strict=True)],
    })
    numbers = list(OCCUPANCY_NUMBERS)
    missing = shown[numbers].isna()
    shown[numbers] = shown[numbers].fillna(0.0)
    styled = shown.style.format({
        **{column: (lambda v: i18n.fmt_number(v, lang, 1)) for column in OCCUPANCY_NUMBERS[:4]},
        "occupancy_pct": lambda v: i18n.fmt_percent(v, lang),
        "plots_occupancy_pct": lambda v: i18n.fmt_percent(v, lang),
    })
    for column in OCCUPANCY_NUMBERS:
        if missing[column].any():
            rows = missing.index[missing[column]]
            styled = styled.format(lambda _v: i18n.MISSING, subset=pd.IndexSlice[rows, [column]])
    return styled


def occupancy_headers(lang: str) -> dict[str, str]:
    """The headers of :func:`occupancy_shown`'s columns; those of land summed from plots end in "· demo"."""
    t = i18n.translator(lang)
    demo = f" · {t('occupancy.demo_short')}"
    return {
        "park": t("popup.park"),
        "occupancy_pct": t("occupancy.col_occupancy"),
        "as_of": t("occupancy.col_as_of"),
        "basis": t("occupancy.col_basis"),
        "source": t("detail.source"),
        "stage": t("popup.stage"),
        "region": t("filter.region"),
        "district": t("column.district"),
        "area_ha": t("occupancy.col_declared_area"),
        "leasable_ha": t("occupancy.col_leasable") + demo,
        "leased_ha": t("occupancy.col_leased") + demo,
        "available_ha": t("occupancy.col_available") + demo,
        "plots_occupancy_pct": t("occupancy.col_plots_occupancy") + demo,
        "area_source": t("occupancy.col_area_source"),
    }


# --- investment -------------------------------------------------------------------------------------
def investors_table(investors: pd.DataFrame, parks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The named investors (:func:`heza_geo.analysis.investment.named_investors`): name, country,
    kind, amount, period, park (by name, "—" where none), provenance and note."""
    t = i18n.translator(lang)
    park_names = i18n.names(parks, "park_id", lang)
    return pd.DataFrame({
        t("investment.col_investor"): [str(v) for v in investors[i18n.data_column("name", lang)]],
        t("investment.col_country"): [country_name(c, lang) for c in investors["country"]],
        t("investment.col_kind"): [t.label("investor_kind", k) for k in investors["kind"]],
        t("investment.col_amount"): [t.money(v, "million USD") if pd.notna(v) else i18n.MISSING
                                     for v in investors["amount_musd"]],
        t("investment.period"): [period_label(p, lang) for p in investors["period"]],
        t("popup.park"): [park_names.get(p, i18n.MISSING) if isinstance(p, str) else i18n.MISSING
                          for p in investors["park_id"]],
        t("detail.source"): [provenance(p, lang) for p in provenances(investors)],
        t("popup.note"): [english_text(n, lang) for n in investors["note"]],
    })


def enterprise_table(enterprise: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every enterprise indicator (:func:`heza_geo.analysis.investment.enterprise_against_plan`):
    indicator, period, actual (workers as a count, the rest as money), plan, % of plan, basis,
    provenance and note."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("investment.col_indicator"): [t.label("metric", m) for m in enterprise["metric"]],
        t("investment.period"): [period_label(p, lang) for p in enterprise["period"]],
        t("investment.actual"): [t.money(v, u) if u != "people" else t.number(v, 0)
                                 for v, u in zip(enterprise["value"], enterprise["unit"], strict=True)],
        t("investment.plan"): [t.money(v, u) if pd.notna(v) else i18n.MISSING
                               for v, u in zip(enterprise["plan"], enterprise["unit"], strict=True)],
        t("card.pct_of_plan"): [t.percent(v, None) if pd.notna(v) else i18n.MISSING for v in enterprise["pct_of_plan"]],
        t("investment.col_basis"): [t.label("basis", b) for b in enterprise["basis"]],
        t("detail.source"): [provenance(p, lang) for p in provenances(enterprise)],
        t("popup.note"): [english_text(n, lang) for n in enterprise["note"]],
    })


# --- port -------------------------------------------------------------------------------------------
def berths_shown(status: gpd.GeoDataFrame, lang: str) -> Styler:
    """Every berth as of a date (:func:`heza_geo.analysis.port.status_as_of_year`): number, status
    (its cell tinted with the status's map colour), since when, provenance, terminal, milestones,
    expected date and approval stage; each date as precisely as it is known ("2018")."""
    t = i18n.translator(lang)
    approval_dates = date_texts(status, "approval_as_of", lang)
    table = pd.DataFrame({
        "berth": status["berth_no"].astype(int),
        "status": [berth_status_text(s, lang) for s in status["display_status"]],
        "since": date_texts(status, "status_as_of", lang),
        "source": [_figure_provenance(v, p, lang) for v, p in zip(
            status["status"], provenances(status, "status_source"), strict=True)],
        "terminal": status["terminal"],
        "construction_start": date_texts(status, "construction_start", lang),
        "operating_since": date_texts(status, "operating_since", lang),
        "expected": [english_text(e, lang) or i18n.MISSING for e in status["expected"]],
        "approval": [t.label("berth_status", s) + f" ({d})" if isinstance(s, str) else i18n.MISSING
                     for s, d in zip(status["approval_stage"], approval_dates, strict=True)],
    })
    colours = {berth_status_text(s, lang): c for s, c in styling.BERTH_STATUS_COLOURS.items()}
    colours[berth_status_text(NOT_YET_PLANNED, lang)] = styling.BERTH_UNKNOWN_COLOUR
    return table.style.map(lambda v: f"background-color: {colours[v]}33" if v in colours else "", subset=["status"])


def berth_headers(lang: str) -> dict[str, str]:
    """The headers of :func:`berths_shown`'s columns."""
    t = i18n.translator(lang)
    return {
        "berth": t("popup.berth"),
        "status": t("popup.status"),
        "since": t("port.col_since"),
        "source": t("detail.source"),
        "terminal": t("popup.terminal"),
        "construction_start": t("popup.construction_start"),
        "operating_since": t("popup.operating_since"),
        "expected": t("popup.expected"),
        "approval": t("port.col_approval"),
    }


def parks_near_table(near: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The parks within reach of an operating berth (:func:`heza_geo.analysis.port.parks_within`),
    nearest first: name, distance, nearest berth, stage, area, occupancy and its provenance."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("popup.park"): [i18n.name(row, lang) for row in near.to_dict("records")],
        t("port.col_distance"): [t.km(v) for v in near["distance_km"]],
        t("port.col_nearest"): [t("popup.berth_no", n=int(b)) for b in near["nearest_berth"]],
        t("popup.stage"): [t.label("stage", s) for s in near["stage"]],
        t("popup.area"): [t.area_ha(v, 1) for v in near["area_ha"]],
        t("popup.occupancy"): [t.percent(v) for v in near["occupancy_pct"]],
        t("detail.source"): [_figure_provenance(v, p, lang, d, b, precision) for v, p, d, b, precision in zip(
            near["occupancy_pct"], provenances(near, "occupancy_source"), near["occupancy_as_of"],
            near["occupancy_basis"], precisions(near, "occupancy_as_of"), strict=True)],
    })


def events_table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The berth records of :func:`heza_geo.analysis.charts.berth_events` as a list: date, berth,
    status, event, expected date and provenance."""
    t = i18n.translator(lang)
    return pd.DataFrame({
        t("port.col_date"): events["date_text"],
        t("popup.berth"): events["berth_no"].astype(int),
        t("popup.status"): events["status_text"],
        t("port.col_event"): events["event_text"],
        t("popup.expected"): events["expected_text"],
        t("detail.source"): events["source_text"],
    })
