"""Investment and enterprise figures as the investment page shows them: by period, against plan.

Everything here selects and orders rows of the ``investment``, ``enterprise`` and ``investors``
tables; no figure is computed except the share of a plan where a table gives plan and value but
no percentage (``pct_of_plan`` as reported wins). Each row keeps its ``basis`` and its provenance
(``source_kind`` and ``source``, :func:`heza_geo.schema.provenance_of`).

Usage, on a loaded :class:`~heza_geo.io.Dataset` ``data``::

    flows(data.investment).query("flow == 'fdi'")[["period", "value", "plan", "pct_of_plan"]]
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from heza_geo import i18n
from heza_geo.schema import SECTOR_SHARE_METRICS

#: the period total of each flow: FDI in million USD, DDI in billion VND
FLOW_TOTALS = {"fdi": "fdi_total_musd", "ddi": "ddi_total_bvnd"}
CUMULATIVE = {
    "fdi": ("fdi_cumulative_projects", "fdi_cumulative_musd"),
    "ddi": ("ddi_cumulative_projects", "ddi_cumulative_bvnd"),
}
#: the parts of a period's FDI and DDI, in the order the reports give them
FLOW_PARTS = {
    "fdi": ("fdi_new_projects", "fdi_new_capital_musd", "fdi_increase_projects", "fdi_increase_capital_musd",
            "fdi_share_purchase_projects", "fdi_share_purchase_musd"),
    "ddi": ("ddi_new_projects", "ddi_new_capital_bvnd", "ddi_increase_projects", "ddi_increase_capital_bvnd"),
}
#: the enterprise indicators HEZA reports against a plan, in report order
ENTERPRISE_INDICATORS = ("revenue_musd", "export_musd", "import_musd", "budget_bvnd", "workers")
#: the sector shares of new projects, without the "high-tech, processing and logistics" total
SECTOR_PARTS = tuple(m for m in SECTOR_SHARE_METRICS if m != "sector_share_high_tech_processing_logistics_pct")
SECTOR_TOTAL = "sector_share_high_tech_processing_logistics_pct"

_ROW_COLUMNS = ["period", "period_end", "metric", "value", "unit", "plan", "pct_of_plan", "basis", "note",
                "source_kind", "source"]


def metric_rows(table: pd.DataFrame, metrics: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """City-wide rows of ``metrics``, oldest period first, then in the order of ``metrics``.

    ``pct_of_plan`` is filled as ``100 * value / plan`` only where the table has a plan and no
    percentage; a reported percentage is kept as it is.
    """
    rows = table[table["metric"].isin(metrics)]
    if "park_id" in rows.columns:
        rows = rows[rows["park_id"].isna()]
    order = {m: i for i, m in enumerate(metrics)}
    rows = rows.assign(_order=rows["metric"].map(order)).sort_values(["period_end", "_order"])
    rows = rows.loc[:, _ROW_COLUMNS].reset_index(drop=True)
    derived = rows["pct_of_plan"].isna() & rows["plan"].notna() & (rows["plan"] > 0)
    rows.loc[derived, "pct_of_plan"] = 100.0 * rows.loc[derived, "value"] / rows.loc[derived, "plan"]
    rows["pct_derived"] = derived
    return rows


def periods(table: pd.DataFrame, metrics: tuple[str, ...] | list[str] | None = None) -> list[str]:
    """The periods of ``table`` (having any of ``metrics``), oldest first."""
    rows = table if metrics is None else table[table["metric"].isin(metrics)]
    ordered = rows.sort_values(["period_end", "period"]).drop_duplicates("period")
    return ordered["period"].tolist()


def flows(investment: pd.DataFrame) -> pd.DataFrame:
    """FDI and DDI attracted in each period, with plan and % of plan; ``flow`` is ``fdi`` or ``ddi``."""
    rows = metric_rows(investment, tuple(FLOW_TOTALS.values()))
    flow_of = {metric: flow for flow, metric in FLOW_TOTALS.items()}
    return rows.assign(flow=rows["metric"].map(flow_of))


def period_figures(investment: pd.DataFrame, period: str) -> pd.DataFrame:
    """All FDI and DDI figures of one period (totals and their parts), in report order."""
    metrics = (FLOW_TOTALS["fdi"], *FLOW_PARTS["fdi"], FLOW_TOTALS["ddi"], *FLOW_PARTS["ddi"])
    rows = metric_rows(investment, metrics)
    return rows[rows["period"] == period].reset_index(drop=True)


def cumulative(investment: pd.DataFrame) -> pd.DataFrame:
    """Cumulative projects and capital at each period end; ``flow`` (fdi/ddi) and ``measure``
    (``projects`` or ``capital``) say which."""
    metrics = [m for pair in CUMULATIVE.values() for m in pair]
    rows = metric_rows(investment, metrics)
    flow = {m: f for f, pair in CUMULATIVE.items() for m in pair}
    measure = {m: ("projects" if m.endswith("_projects") else "capital") for m in metrics}
    return rows.assign(flow=rows["metric"].map(flow), measure=rows["metric"].map(measure))


def sector_mix(investment: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    """The latest period's shares of new projects by sector, largest first, and the period's
    "high-tech, processing and logistics" total row (``None`` if not given)."""
    rows = metric_rows(investment, SECTOR_SHARE_METRICS)
    if rows.empty:
        return rows, None
    latest = rows[rows["period_end"] == rows["period_end"].max()]
    parts = latest[latest["metric"].isin(SECTOR_PARTS)].sort_values("value", ascending=False).reset_index(drop=True)
    total = latest[latest["metric"] == SECTOR_TOTAL]
    return parts, (None if total.empty else total.iloc[0])


def enterprise_against_plan(enterprise: pd.DataFrame) -> pd.DataFrame:
    """Revenue, export, import, state budget and workers by period, with plan and % of plan."""
    return metric_rows(enterprise, ENTERPRISE_INDICATORS)


def named_investors(investors: pd.DataFrame) -> pd.DataFrame:
    """Named investors, largest amount first; those without an amount after, oldest first."""
    return investors.sort_values(["amount_musd", "period_end"], ascending=[False, True],
                                 na_position="last").reset_index(drop=True)


_MONTHS_RE = re.compile(r"^(\d{1,2}) months (\d{4})$")
_YEAR_RE = re.compile(r"^(?:year )?(\d{4})$")


def period_label(period: str, lang: str) -> str:
    """A period as the reader's language writes it: "11 months 2024" → vi "11 tháng năm 2024";
    "year 2023" → en "Year 2023"; "April 2024" → vi "tháng 4 năm 2024". Other wording is shown as given."""
    text = str(period).strip()
    if match := _MONTHS_RE.match(text):
        return i18n.t("period.months", lang, n=match.group(1), year=match.group(2))
    if match := _YEAR_RE.match(text):
        return i18n.t("period.year", lang, year=match.group(1))
    try:
        month = datetime.strptime(text, "%B %Y").date()
    except ValueError:
        return text
    return i18n.fmt_month(month, lang)


def country_name(code: object, lang: str) -> str:
    """An ISO 3166 country code in the reader's language ("KR" → vi "Hàn Quốc"); the code if unknown."""
    return i18n.country_name(code, lang)
