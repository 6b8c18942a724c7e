"""Compare with the parks' passports: the figures an investor weighs, each with its group's date and
badge, and the same figures raw in the export's data sheet.

Tiny dataset (tests/conftest.py): A 100–120 USD/m² to 2058 (32 years left in 2026), 20 MW, water
free 3,000, wastewater free 2,000 (column A), ready, electronics and logistics, zone Z1's incentives,
Dev A's office and HEZA's desk; B 60–80 to 2070 (44 left), power and wastewater not published,
water free 12,000, no incentives; C has no passport.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from heza_geo.analysis.compare import (
    PASSPORT_ROWS,
    comparison_data,
    comparison_table,
    data_sheet,
    to_csv,
    to_xlsx,
)
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.passport import passport

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def _table(data, overview, ids, lang="en"):
    investors = {p: passport(data, p, lang, TODAY) for p in ids}
    return comparison_table(overview, data.housing, ids, lang, passports=investors)


def test_compare_adds_the_passports_rows_before_the_sources(tiny_shared, overview):
    table = _table(tiny_shared, overview, ["A", "B", "C"])
    labels = list(table.index)
    assert labels[-1] == "Sources"
    assert labels[-1 - len(PASSPORT_ROWS):-1] == [
        "Land lease price (whole term)", "Land-use term ends", "Smallest plot", "Power available",
        "Water supply free", "Wastewater treatment free", "Land readiness", "Permitted sectors", "Incentives",
        "Contacts"]


def test_each_passport_cell_carries_its_groups_date_and_badge(tiny_shared, overview):
    table = _table(tiny_shared, overview, ["A", "B", "C"])
    a, b = table.iloc[:, 0], table.iloc[:, 1]
    assert a["Land lease price (whole term)"] == "100–120 USD/m² · as of 2025 · Synthetic demo"
    assert a["Land-use term ends"] == "2058 (32 years left) · as of 2025 · Synthetic demo"
    assert a["Power available"] == "20 MW · as of 5 Apr 2025 · Public news (example.vn 05/04/2025)"
    assert a["Wastewater treatment free"].startswith("2,000 m³/day · Column A")
    assert a["Incentives"] == "Incentives of Test EZ · as of 2024 · Synthetic demo"
    assert a["Contacts"] == "Dev A · Synthetic demo; HEZA test desk · Synthetic demo"
    assert b["Land-use term ends"] == "2070 (44 years left) · as of 2025 · Synthetic demo"
    assert b["Water supply free"] == "12,000 m³/day · as of 2025 · Synthetic demo"
    assert "Public news (example.vn 05/04/2025)" in a["Sources"]


def test_what_is_not_published_says_so_never_zero(tiny_shared, overview):
    table = _table(tiny_shared, overview, ["A", "B", "C"])
    b, c = table.iloc[:, 1], table.iloc[:, 2]
    for row in ("Power available", "Wastewater treatment free", "Permitted sectors", "Smallest plot"):
        assert b[row] == "Not published — ask HEZA"
    assert b["Incentives"] == "Nothing published yet — ask HEZA"
    for row in ("Land lease price (whole term)", "Land-use term ends", "Power available", "Land readiness"):
        assert c[row] == "Not published — ask HEZA"
    assert c["Incentives"].startswith("Incentives of Test EZ")  # C is in zone Z1
    assert c["Contacts"] == "HEZA test desk · Synthetic demo"


def test_without_passports_the_table_is_as_before(tiny_shared, overview):
    table = comparison_table(overview, tiny_shared.housing, ["A", "B"], "en")
    assert "Land lease price (whole term)" not in table.index


def test_the_rows_are_in_the_readers_language(tiny_shared, overview):
    table = _table(tiny_shared, overview, ["A", "B"], "ko")
    assert "토지 임대료(전체 기간)" in table.index
    assert table.iloc[:, 0]["토지 임대료(전체 기간)"].startswith("100–120 USD/m² · 2025년 기준")


def test_the_csv_carries_the_passport_rows(tiny_shared, overview):
    text = to_csv(_table(tiny_shared, overview, ["A", "B"])).decode("utf-8-sig")
    assert "Land lease price (whole term)" in text and "100–120 USD/m² · as of 2025 · Synthetic demo" in text
    assert "Not published — ask HEZA" in text


def test_the_data_sheet_holds_the_raw_figures_with_each_groups_date_and_kind(tiny_shared, overview):
    sheet = data_sheet(comparison_data(overview, tiny_shared.housing, ["A", "B", "C"]), "en", tiny_shared.passports,
                       TODAY)
    a, b, c = (sheet.iloc[i] for i in range(3))
    assert (a["Lease price from (USD/m², whole term)"], a["Lease price to (USD/m², whole term)"]) == (100.0, 120.0)
    assert a["Land term ends (year)"] == 2058 and a["Years left on the land-use term"] == 32
    assert a["Water free (m³/day)"] == 3000.0 and b["Water free (m³/day)"] == 12000.0
    assert a["Kind of source of the utility figures"] == "Public news"
    assert a["Utility figures as of"] == date(2025, 4, 5) and a["Utility figures: date known to the"] == "day"
    assert a["Land figures: date known to the"] == "year"
    import pandas as pd
    assert pd.isna(b["Power available (MW)"])  # not published: empty, never 0
    assert pd.isna(c["Lease price from (USD/m², whole term)"]) and pd.isna(c["Years left on the land-use term"])


def test_the_workbook_carries_both_sheets_with_the_passport(tiny_shared, overview):
    table = _table(tiny_shared, overview, ["A", "B"])
    sheet = data_sheet(comparison_data(overview, tiny_shared.housing, ["A", "B"]), "en", tiny_shared.passports, TODAY)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx({"Comparison": table, "Data": sheet})))
    values = [str(v) for row in book["Comparison"].iter_rows(values_only=True) for v in row if v is not None]
    assert "Land lease price (whole term)" in values
    headers = [c.value for c in book["Data"][1]]
    assert "Power available (MW)" in headers and "Years left on the land-use term" in headers
