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
* Every row says where its figure comes from (:func:`heza_geo.analysis.sources.provenance`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
from pandas.io.formats.style import Styler

from heza_geo import i18n, styling
from heza_geo.analysis.investment import country_name, period_label
from heza_geo.analysis.occupancy import occupancy_table
from heza_geo.analysis.port import NOT_YET_PLANNED, berth_status_text
from heza_geo.analysis.sources import provenance

#: the occupancy table's numeric columns; the first four are hectares
OCCUPANCY_NUMBERS = ("area_ha", "leasable_ha", "leased_ha", "available_ha", "occupancy_pct", "plots_occupancy_pct")


def _provenance_or_missing(source: Any, lang: str, as_of: Any = None, basis: Any = None) -> str:
    return provenance(source, lang, as_of, basis) if isinstance(source, str) else i18n.MISSING


# --- occupancy --------------------------------------------------------------------------------------
def occupancy_rows(overview: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """:func:`heza_geo.analysis.occupancy.occupancy_table` (fullest park first) with ``park``, each
    park's name in the reader's language."""
    table = occupancy_table(overview)
    table["park"] = [str(v) for v in table[i18n.data_column("name", lang)]]
    return table


def occupancy_shown(table: pd.DataFrame, lang: str) -> Styler:
    """The occupancy table as shown: one row per park of :func:`occupancy_rows`, in its order; stage,
    date, basis and sources as text; the :data:`OCCUPANCY_NUMBERS` numeric, formatted by the styler
    (hectares with one decimal, percentages as the language writes them), "—" where missing."""
    shown = pd.DataFrame({
        "park": table["park"],
        "stage": [i18n.label("stage", s, lang) for s in table["stage"]],
        **{column: table[column] for column in OCCUPANCY_NUMBERS[:5]},
        "as_of": [i18n.fmt_date(d, lang) for d in table["occupancy_as_of"]],
        "basis": [i18n.label("basis", b, lang) for b in table["occupancy_basis"]],
        "source": [_provenance_or_missing(s, lang) for s in table["occupancy_source"]],
        "plots_occupancy_pct": table["plots_occupancy_pct"],
        "area_source": [provenance(s, lang) for s in table["area_source"]],
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
        "stage": t("popup.stage"),
        "area_ha": t("occupancy.col_declared_area"),
        "leasable_ha": t("occupancy.col_leasable") + demo,
        "leased_ha": t("occupancy.col_leased") + demo,
        "available_ha": t("occupancy.col_available") + demo,
        "occupancy_pct": t("occupancy.col_occupancy"),
        "as_of": t("occupancy.col_as_of"),
        "basis": t("occupancy.col_basis"),
        "source": t("detail.source"),
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
        t("detail.source"): [provenance(s, lang) for s in investors["source"]],
        t("popup.note"): investors["note"].fillna(""),
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
        t("detail.source"): [provenance(s, lang) for s in enterprise["source"]],
        t("popup.note"): enterprise["note"].fillna(""),
    })


# --- port -------------------------------------------------------------------------------------------
def berths_shown(status: gpd.GeoDataFrame, lang: str) -> Styler:
    """Every berth as of a date (:func:`heza_geo.analysis.port.status_as_of_year`): number, status
    (its cell tinted with the status's map colour), since when, provenance, terminal, milestones,
    expected date and approval stage."""
    t = i18n.translator(lang)
    table = pd.DataFrame({
        "berth": status["berth_no"].astype(int),
        "status": [berth_status_text(s, lang) for s in status["display_status"]],
        "since": [t.date(d) for d in status["status_as_of"]],
        "source": [_provenance_or_missing(s, lang) for s in status["status_source"]],
        "terminal": status["terminal"],
        "construction_start": [t.date(d) for d in status["construction_start"]],
        "operating_since": [t.date(d) for d in status["operating_since"]],
        "expected": status["expected"].fillna(i18n.MISSING),
        "approval": [t.label("berth_status", s) + f" ({t.date(d)})" if isinstance(s, str) else i18n.MISSING
                     for s, d in zip(status["approval_stage"], status["approval_as_of"], strict=True)],
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
        t("popup.park"): [str(v) for v in near[i18n.data_column("name", lang)]],
        t("port.col_distance"): [t.km(v) for v in near["distance_km"]],
        t("port.col_nearest"): [t("popup.berth_no", n=int(b)) for b in near["nearest_berth"]],
        t("popup.stage"): [t.label("stage", s) for s in near["stage"]],
        t("popup.area"): [t.area_ha(v, 1) for v in near["area_ha"]],
        t("popup.occupancy"): [t.percent(v) for v in near["occupancy_pct"]],
        t("detail.source"): [_provenance_or_missing(s, lang, d, b) for s, d, b in zip(
            near["occupancy_source"], near["occupancy_as_of"], near["occupancy_basis"], strict=True)],
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
