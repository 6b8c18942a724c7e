"""Parks side by side: the figures, their provenance, housing nearby, the link and the exports.

Tiny dataset (conftest.py): housing H1 (1,000 people, report 001) lies 0.5 km from park A, about
3.5 km from B and 2.7 km from C.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.compare import (
    MAX_PARKS,
    comparison_data,
    comparison_table,
    data_sheet,
    housing_nearby,
    parse_park_ids,
    provenance,
    provenance_legend,
    to_xlsx,
)
from heza_geo.analysis.joins import parks_overview
from heza_geo.schema import Provenance


@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def test_comparison_shows_each_park_as_a_column_with_its_figures_and_provenance(tiny_shared, overview):
    table = comparison_table(overview, tiny_shared.housing, ["A", "B"], "en")
    assert table.columns.tolist() == ["Anh Duong IP", "Binh Minh IP"]
    assert table.loc["Occupancy", "Anh Duong IP"] == "71.4% · as of 14 Oct 2023 · HEZA report (001)"
    assert table.loc["Occupancy", "Binh Minh IP"] == "25.0% · as of 14 Oct 2023 · Synthetic demo"
    assert table.loc["Available", "Anh Duong IP"] == "10.0 ha · Synthetic demo"
    assert table.loc["Stage", "Anh Duong IP"] == "Substantially filled · HEZA report (001)"
    assert table.loc["Distance to nearest berth", "Binh Minh IP"] == "8.0 km"
    assert table.loc["Developer", "Binh Minh IP"] == "—"
    assert table.loc["Housing projects within 10 km", "Anh Duong IP"] == "1"
    assert table.loc["Housing capacity within 10 km", "Anh Duong IP"] == "1,000 people · HEZA report (001)"
    assert "Synthetic demo" in table.loc["Sources", "Binh Minh IP"]


def test_comparison_keeps_the_order_the_user_chose(tiny_shared, overview):
    table = comparison_table(overview, tiny_shared.housing, ["C", "A"], "en")
    assert table.columns.tolist() == ["New Cat Hai IP", "Anh Duong IP"]


def test_a_park_without_plots_or_occupancy_shows_missing_not_zero(tiny_shared, overview):
    table = comparison_table(overview, tiny_shared.housing, ["A", "C"], "en")
    assert table.loc["Available", "New Cat Hai IP"] == "—"
    assert table.loc["Occupancy", "New Cat Hai IP"] == "—"


def test_comparison_in_vietnamese(tiny_shared, overview):
    table = comparison_table(overview, tiny_shared.housing, ["A", "B"], "vi")
    assert table.columns.tolist() == ["KCN Ánh Dương", "KCN Bình Minh"]
    assert table.index.name == "Chỉ tiêu"
    assert table.loc["Tỷ lệ lấp đầy", "KCN Ánh Dương"].startswith("71,4% · tính đến 14/10/2023")
    assert table.loc["Tên khác", "KCN Ánh Dương"] == "Anh Duong IP"


def test_housing_nearby_counts_projects_within_the_radius(overview, tiny_shared):
    near = housing_nearby(overview, tiny_shared.housing, radius_km=3)
    assert near.loc["A", "housing_count"] == 1 and near.loc["A", "housing_capacity"] == 1000
    assert near.loc["B", "housing_count"] == 0 and near.loc["B", "housing_capacity"] == 0
    assert near.loc["C", "housing_count"] == 1


def test_unknown_park_is_refused_by_the_data_layer(overview, tiny_shared):
    with pytest.raises(ValueError, match="unknown park"):
        comparison_data(overview, tiny_shared.housing, ["A", "nowhere"])


def test_link_keeps_known_parks_and_reports_the_rest():
    ids, problems = parse_park_ids("A,nowhere,B,A", ["A", "B", "C"])
    assert ids == ("A", "B")
    assert [(p.name, p.value) for p in problems] == [("compare", "nowhere")]


def test_link_keeps_at_most_five_parks():
    """The investor's shortlist holds five parks (issue 17); a sixth in a link is reported and dropped."""
    known = [f"P{i}" for i in range(7)]
    ids, problems = parse_park_ids(",".join(known), known)
    assert MAX_PARKS == 5 and ids == tuple(known[:MAX_PARKS])
    assert problems[0].default == "P0,P1,P2,P3,P4"


def test_empty_link_means_no_parks():
    assert parse_park_ids(None, ["A"]) == ((), ())


def test_provenance_badges_name_the_report_or_the_site():
    assert provenance(Provenance("report", "001_7f014fdbc8afe3e1.txt"), "en") == "HEZA report (001)"
    assert provenance(Provenance("news", "vccinews.com 20/07/2025"), "en") == "Public news (vccinews.com 20/07/2025)"
    assert provenance(Provenance("synthetic demo"), "vi") == "Dữ liệu minh họa"
    assert provenance(Provenance("approximate", "drawn from the master plan"), "en") == "Approximate"


def test_an_approximate_area_citing_a_report_is_badged_approximate_in_the_comparison(tiny_shared, overview):
    approximated = overview.copy()
    approximated.loc[approximated["park_id"] == "A", ["area_source_kind", "area_source"]] = [
        "approximate", "share of the 6,100 ha total (002_03c113ee68876e37.txt)"]
    table = comparison_table(approximated, tiny_shared.housing, ["A", "B"], "en")
    assert table.loc["Area", "Anh Duong IP"] == "100 ha · Approximate"
    assert "HEZA report (002)" not in table.loc["Sources", "Anh Duong IP"]
    assert "Approximate" in table.loc["Sources", "Anh Duong IP"]


def test_provenance_legend_spells_out_the_badges_used(tiny_shared, overview):
    legend = provenance_legend(comparison_table(overview, tiny_shared.housing, ["A", "B"], "en"), "en")
    assert "Synthetic demo: Synthetic demo data – not an official figure" in legend
    assert "HEZA report: Official figure – HEZA report" in legend
    assert "Public news" not in legend


def test_xlsx_export_keeps_vietnamese_text(tiny_shared, overview):
    table = comparison_table(overview, tiny_shared.housing, ["A", "B"], "vi")
    data = data_sheet(comparison_data(overview, tiny_shared.housing, ["A", "B"]), "vi")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx({"So sánh": table, "Số liệu": data})))
    assert book.sheetnames == ["So sánh", "Số liệu"]
    sheet = book["So sánh"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Chỉ tiêu", "KCN Ánh Dương", "KCN Bình Minh"]
    assert any(row[0] == "Tỷ lệ lấp đầy" and row[1].startswith("71,4%") for row in rows)
    numbers = [[c.value for c in row] for row in book["Số liệu"].iter_rows()]
    assert numbers[0][:3] == ["park_id", "Tên tiếng Việt", "Tên tiếng Anh"]
    assert numbers[1][:3] == ["A", "KCN Ánh Dương", "Anh Duong IP"]
    assert numbers[1][numbers[0].index("Tỷ lệ lấp đầy (%)")] == pytest.approx(71.4)


def test_the_data_sheet_gives_the_kind_of_each_source_beside_its_reference(tiny_shared, overview):
    data = data_sheet(comparison_data(overview, tiny_shared.housing, ["A", "B", "C"]), "en")
    kinds = data[i18n.t("column.source_kind", "en")]
    assert kinds.tolist()[:2] == [i18n.label("provenance", k, "en") for k in ("report", "synthetic demo")]
    assert pd.isna(kinds.iloc[2])  # C has no occupancy figure
    assert data[i18n.t("column.source", "en")].tolist()[0] == "001_7f014fdbc8afe3e1.txt"
    precision = data[i18n.t("column.as_of_precision", "en")]
    assert precision.tolist()[:2] == ["day", "day"] and pd.isna(precision.iloc[2])
