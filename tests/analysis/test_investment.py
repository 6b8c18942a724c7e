"""Investment figures by period and against plan: the tiny dataset, hand-made frames, and the
figures of the shipped data that a presenter will quote (FACTS.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heza_geo.analysis.investment import (
    country_name,
    cumulative,
    enterprise_against_plan,
    flows,
    metric_rows,
    named_investors,
    period_figures,
    period_label,
    periods,
    sector_mix,
)
from heza_geo.io import load_dataset

GEODATA = Path(__file__).resolve().parents[2] / "geodata"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(GEODATA)


def test_flows_are_ordered_by_period_end_with_plan_and_share_of_plan(tiny_data):
    rows = flows(tiny_data.investment)
    assert list(rows["period"]) == ["10 months 2023", "year 2023", "11 months 2024"]
    assert list(rows["flow"]) == ["fdi"] * 3
    assert list(rows["pct_of_plan"]) == [151.85, 175.0, 143.5]
    assert list(rows["plan"].fillna(-1)) == [2000.0, -1, 2000.0]
    assert list(rows["basis"]) == ["reported", "estimate", "reported"]


def test_share_of_plan_is_computed_only_where_the_report_gives_none():
    table = pd.DataFrame({
        "period": ["p1", "p2"], "period_end": pd.to_datetime(["2023-01-01", "2024-01-01"]),
        "metric": ["fdi_total_musd"] * 2, "value": [1500.0, 3000.0], "unit": ["million USD"] * 2,
        "plan": [2000.0, 2000.0], "pct_of_plan": [None, 151.85], "basis": ["reported"] * 2,
        "note": [None] * 2, "source_kind": ["report"] * 2, "source": ["001_7f014fdbc8afe3e1.txt"] * 2,
    })
    rows = metric_rows(table, ("fdi_total_musd",))
    assert list(rows["pct_of_plan"]) == [75.0, 151.85]  # the report's 151.85, not 150
    assert list(rows["pct_derived"]) == [True, False]


def test_periods_come_oldest_first(tiny_data):
    assert periods(tiny_data.investment) == ["10 months 2023", "year 2023", "11 months 2024"]


@pytest.mark.parametrize(
    "period, lang, expected",
    [
        ("11 months 2024", "vi", "11 tháng năm 2024"),
        ("11 months 2024", "en", "11 months 2024"),
        ("year 2023", "en", "Year 2023"),
        ("year 2023", "vi", "Năm 2023"),
        ("April 2024", "vi", "tháng 4 năm 2024"),
        ("April 2024", "ko", "2024년 4월"),
        ("Q1 2025", "ja", "Q1 2025"),
    ],
)
def test_period_labels_follow_the_language(period, lang, expected):
    assert period_label(period, lang) == expected


def test_country_names_follow_the_language():
    assert country_name("KR", "vi") == "Hàn Quốc"
    assert country_name("JP", "en") == "Japan"
    assert country_name(None, "en") == "—"


def test_fdi_of_11_months_2024_is_2869_million_usd_at_143_5_percent_of_plan(shipped):
    figures = period_figures(shipped.investment, "11 months 2024").set_index("metric")
    total = figures.loc["fdi_total_musd"]
    assert (total["value"], total["plan"], total["pct_of_plan"]) == (2869.0, 2000.0, 143.5)
    assert (total["source_kind"], total["source"]) == ("report", "002_03c113ee68876e37.txt")
    assert figures.loc["fdi_new_projects", "value"] == 56
    assert figures.loc["ddi_total_bvnd", "value"] == 2271
    assert list(figures.index[:2]) == ["fdi_total_musd", "fdi_new_projects"]


def test_cumulative_fdi_grows_to_581_projects_in_the_reports_then_594_in_the_news(shipped):
    rows = cumulative(shipped.investment)
    fdi = rows[(rows["flow"] == "fdi") & (rows["measure"] == "projects")]
    assert list(fdi["value"]) == [511, 520, 581, 594]
    assert list(fdi["source_kind"]) == ["report", "report", "report", "news"]  # the year 2024 is public news


def test_sector_mix_of_2023_comes_from_003_largest_first(shipped):
    parts, total = sector_mix(shipped.investment)
    assert list(zip(parts["metric"], parts["value"], strict=True)) == [
        ("sector_share_manufacturing_pct", 44.0), ("sector_share_electronics_pct", 34.0),
        ("sector_share_logistics_infrastructure_pct", 15.0)]
    assert set(parts["source"]) == {"003_c29c595c5ac2d704.txt"}
    assert total is not None and total["value"] == 93.0


def test_named_investors_largest_first_with_their_sources(shipped):
    investors = named_investors(shipped.investors)
    amounts = list(zip(investors["investor_id"], investors["amount_musd"].fillna(0), strict=True))
    assert amounts[:4] == [("lg", 1000.0), ("sk", 500.0), ("korea-april-2024", 400.0), ("kyocera", 237.0)]
    assert {"lg-innotek", "pegatron", "regina-miracle"} <= set(investors["investor_id"])
    korea = investors.set_index("investor_id").loc["korea-april-2024"]
    assert (korea["kind"], korea["source"]) == ("certificates", "002_03c113ee68876e37.txt")
    assert investors.set_index("investor_id").loc["sk", "source"] == "003_c29c595c5ac2d704.txt"


def test_enterprise_indicators_against_plan(shipped):
    rows = enterprise_against_plan(shipped.enterprise)
    export_2024 = rows[(rows["metric"] == "export_musd") & (rows["period"] == "11 months 2024")].iloc[0]
    assert (export_2024["value"], export_2024["plan"], export_2024["pct_of_plan"]) == (24806, 26050, 93.61)
    assert set(rows["metric"]) == {"revenue_musd", "export_musd", "import_musd", "budget_bvnd", "workers"}
