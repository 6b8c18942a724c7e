"""The default dataset in geodata/ says what its sources say, and no more.

Each test names the line of the source it checks (``cat -n`` of ``../shared/seeds``; the public
news of ``../shared/FACTS.md``, ``GEOREF.md`` and ``MERGED_CITY.md``). Run after
``python scripts/build_geodata.py``; the figures are read from the files the app loads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heza_geo import schema
from heza_geo.analysis.joins import berth_status
from heza_geo.io import Dataset, load_dataset

GEODATA = Path(__file__).resolve().parents[2] / "geodata"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(GEODATA)


def test_every_provenance_of_the_default_data_is_a_known_kind_with_its_reference(data: Dataset) -> None:
    for name, layer in schema.LAYERS.items():
        frame = getattr(data, name)
        for column in layer.provenance_columns:
            for i, p in enumerate(schema.provenances(frame, column)):
                if p.kind == schema.NO_SOURCE and layer.column(schema.kind_column(column)).nullable:
                    continue
                assert p.problem() is None, f"{name} row {i + 1} {column}: {p} {p.problem()}"


@pytest.mark.parametrize("park_id", ["do-son", "mp-dinh-vu", "hang-hai", "gateway-port"])
def test_the_areas_we_computed_are_approximate_even_though_their_method_cites_report_002(
        data: Dataset, park_id: str) -> None:
    park = data.parks.set_index("park_id").loc[park_id]
    area = schema.provenance_of(park, "area_source")
    assert area.kind == schema.APPROXIMATE
    assert "002" in area.ref  # the method names the total it shares out, and stays approximate


def test_no_news_record_cites_an_internal_file(data: Dataset) -> None:
    for name in schema.LAYERS:
        text = getattr(data, name).astype(str).to_string()
        assert "GEOREF" not in text and "FACTS.md" not in text and "MERGED_CITY" not in text, name


def test_berths_1_and_2_operate_since_2018_known_to_the_year_only(data: Dataset) -> None:
    """001 gives the year; no source gives a day (the 13/05/2018 of earlier data was borrowed)."""
    history = data.berth_status_history
    first = history[history["berth_no"].isin([1, 2]) & (history["status"] == "operating")]
    assert set(first["as_of"]) == {pd.Timestamp("2018-01-01")}
    assert set(first["as_of_precision"]) == {"year"}
    berths = berth_status(data.berths, history).set_index("berth_no")
    assert berths.loc[1, "operating_since"] == pd.Timestamp("2018-01-01")
    assert berths.loc[1, "operating_since_precision"] == "year"


def test_berths_9_to_12_carry_decision_1497_and_their_phases(data: Dataset) -> None:
    berths = berth_status(data.berths, data.berth_status_history).set_index("berth_no")
    for no, phase in ((9, "2026–2030"), (10, "2026–2030"), (11, "2031–2035"), (12, "2031–2035")):
        row = berths.loc[no]
        assert row["status"] == "approved"
        assert "1497/QĐ-TTg" in row["status_event"] and "08/07/2025" in row["status_event"]
        assert phase in row["expected"]
        assert row["status_source_kind"] == schema.NEWS and row["status_source"].startswith("vjs.vietnam.vn")
    history = data.berth_status_history
    assert not ((history["berth_no"] >= 9) & (history["status"] == "planned")).any()


def test_berths_7_and_8_keep_the_2023_plan_and_the_cma_cgm_partnership_apart_without_a_start(
        data: Dataset) -> None:
    history = data.berth_status_history
    rows = history[history["berth_no"] == 7].set_index("as_of")
    assert "Q4 2027" in rows.loc[pd.Timestamp("2023-05-10"), "expected"]
    cma = rows.loc[pd.Timestamp("2025-05-26")]
    assert "CMA CGM" in cma["event"] and "2028" in cma["expected"]
    assert not (rows["status"] == "under_construction").any()  # no source confirms a start


def test_the_southern_coastal_zone_is_established_with_both_dated_statements(data: Dataset) -> None:
    zone = data.zones.set_index("zone_id").loc["southern-coastal"]
    assert zone["status"] == "established"
    assert "1511/QĐ-TTg" in zone["decision"] and "04/12/2024" in zone["decision"]
    notes = data.source_notes[data.source_notes["topic"] == "southern_ez_status"]
    kinds = {schema.provenance_of(n).kind for _, n in notes.iterrows()}
    assert kinds == {schema.REPORT, schema.NEWS}  # the reports' 2025 target and the decision, both kept


def test_tien_thanh_has_no_land_to_offer_and_no_made_up_occupancy(data: Dataset) -> None:
    """001: "chưa giao đất" – its land has not been handed over."""
    plots = data.plots[data.plots["park_id"] == "tien-thanh"]
    assert not plots.empty
    assert not plots["status"].isin(schema.LEASABLE_STATUS).any()
    assert (plots["status"] == "not_handed_over").any()
    occupancy = data.occupancy_history
    assert not (occupancy["park_id"] == "tien-thanh").any()


def test_the_2023_figures_of_003_are_dated_as_003_and_cite_no_plan_it_does_not_give(data: Dataset) -> None:
    investment = data.investment
    rows = investment[investment["source"] == "003_c29c595c5ac2d704.txt"]
    assert set(rows["period_end"]) == {pd.Timestamp("2023-12-18")}
    assert rows["plan"].isna().all()  # 2,000 M USD and 10,000 bn VND are 004's and 001's
    fdi = rows.set_index("metric").loc["fdi_total_musd"]
    assert fdi["pct_of_plan"] == 175.0


def test_report_contradictions_are_said_beside_the_figures(data: Dataset) -> None:
    topics = set(data.source_notes["topic"])
    assert {"enterprise_pct", "ddi_cumulative", "workers_2023"} <= topics
    pct = data.source_notes.set_index("topic").loc["enterprise_pct", "note_en"]
    assert "92.85" in pct and "93.57" in pct


def test_names_keep_nam_as_part_of_a_proper_name_and_the_nam_cau_kien_sum_is_gone(data: Dataset) -> None:
    parks = data.parks.set_index("park_id")
    assert parks.loc["nam-dinh-vu-1", "name_en"].startswith("Nam Dinh Vu")
    assert "103 + 160" not in str(parks.loc["nam-cau-kien", "note"])


def test_housing_credits_001_with_the_projects_and_badges_the_positions_approximate(data: Dataset) -> None:
    housing = data.housing
    assert (housing["source_kind"] == schema.REPORT).all()
    assert (housing["geometry_quality"] == schema.APPROXIMATE).all()


# --- the merged city (MERGED_CITY.md) ---------------------------------------------------------------
def test_every_park_of_the_merged_city_is_a_record_cited_with_its_news_site_and_date(data: Dataset) -> None:
    parks = data.parks.set_index("park_id")
    for park_id in ("dai-an", "binh-giang", "kim-thanh-2", "hoang-dieu", "ngu-phuc", "tan-trao", "vinh-quang",
                    "nomura-2", "tien-lang-1", "tien-lang-airport-b"):
        area = schema.provenance_of(parks.loc[park_id], "area_source")
        assert area.kind == schema.NEWS and area.problem() is None, park_id
    assert parks.loc["binh-giang", "area_ha"] == 147.9 and "26/11/2025" in parks.loc["binh-giang", "area_source"]


def test_the_sources_that_disagree_on_the_park_count_are_all_kept(data: Dataset) -> None:
    notes = data.source_notes[data.source_notes["topic"] == "park_count"]
    text = " ".join(notes["note_en"])
    for count in ("40", "43", "42"):
        assert f"{count} " in text or f"{count} (" in text or f": {count}" in text, count
    assert {"vietnam.vn 20/07/2025", "vietnam.vn 27/08/2025", "vtcnews.vn 27/09/2025"} <= set(notes["source"])


@pytest.mark.parametrize("park_id", ["lai-cach", "phuc-dien", "vinh-quang", "nam-trang-cat"])
def test_an_area_the_sources_disagree_on_says_so_beside_the_park(data: Dataset, park_id: str) -> None:
    notes = data.source_notes
    notes = notes[(notes["topic"] == "park_area") & (notes["subject_id"] == park_id)]
    assert len(notes) == 1
    assert str(data.parks.set_index("park_id").loc[park_id, "area_ha"]).rstrip("0").rstrip(".") in \
        notes["note_en"].iloc[0].replace(",", "")


def test_no_occupancy_is_invented_for_a_park_no_source_gives_one_for(data: Dataset) -> None:
    with_figures = set(data.occupancy_history["park_id"].dropna())
    for park_id in ("hoang-dieu", "binh-giang", "cam-dien-luong-dien", "ngu-phuc", "kim-thanh-2"):
        assert park_id not in with_figures
        assert not (data.plots["park_id"] == park_id).any()


def test_a_figure_known_to_the_year_keeps_its_year(data: Dataset) -> None:
    row = data.occupancy_history[data.occupancy_history["park_id"] == "lai-vu"].iloc[0]
    assert row["as_of_precision"] == "year" and row["as_of"] == pd.Timestamp("2024-01-01")
    assert row["basis"] == "estimate" and "over 90%" in row["note"]


def test_the_latest_figures_of_2024_come_from_the_news_beside_the_reports(data: Dataset) -> None:
    fdi = data.investment[(data.investment["metric"] == "fdi_total_musd")].sort_values("period_end")
    latest = fdi.iloc[-1]
    assert (latest["period"], latest["value"], latest["source_kind"]) == ("year 2024", 4350.0, schema.NEWS)
    assert latest["source"] == "vneconomy.vn 07/01/2025"
    assert (fdi["source_kind"] == schema.REPORT).sum() >= 3  # the reports' figures stay
    city = data.occupancy_history[data.occupancy_history["scope"] == "city"].sort_values("as_of")
    assert city.iloc[-1]["occupancy_pct"] == 64.3 and city.iloc[-2]["occupancy_pct"] == 65.0


def test_every_park_has_a_name_in_five_languages(data: Dataset) -> None:
    from heza_geo import i18n

    for _, park in data.parks.iterrows():
        assert park["name_en"].isascii() or "–" in park["name_en"], park["name_en"]  # transliterated
        for lang in ("ko", "ja", "zh"):
            assert park["name_short"] in i18n.name(park, lang), (park["park_id"], lang)


# --- the investor's passport, contacts and incentives ----------------------------------------------------
def test_every_park_has_a_passport_whose_land_and_utilities_are_demo_only_where_plots_are(data: Dataset) -> None:
    passports = data.passports.set_index("park_id")
    assert sorted(passports.index) == sorted(data.parks["park_id"])
    demo_parks = set(data.plots.loc[data.plots["source_kind"] == schema.SYNTHETIC, "park_id"])
    for group in ("land", "utilities"):
        given = passports[passports[f"{group}_source_kind"].notna()]
        assert set(given.index) == demo_parks, group
        assert (given[f"{group}_source_kind"] == schema.SYNTHETIC).all()
        others = passports.loc[~passports.index.isin(demo_parks), list(schema.PASSPORT_FIELDS[group])]
        assert others.isna().all().all(), group  # not published: empty, never 0
    demo = passports.loc[sorted(demo_parks)]
    assert demo["lease_price_min_usd_m2"].between(80, 180).all() and demo["lease_price_max_usd_m2"].le(180).all()
    assert demo["land_term_end_year"].between(2050, 2070).all()
    assert set(demo["power_substation_kv"].dropna()) <= {22.0, 110.0}
    assert demo["water_capacity_m3_day"].between(5_000, 40_000).all()
    # some demo parks leave a utility to confirm, so the finder shows "to confirm with HEZA"
    assert demo[["power_available_mw", "water_free_m3_day", "wastewater_capacity_m3_day"]].isna().any(axis=1).sum() >= 3
    # tariffs, fees, sectors and ground levels are published nowhere we read
    for column in ("power_tariff_usd_kwh", "water_tariff_usd_m3", "wastewater_fee_usd_m3", "permitted_sectors",
                   "ready_by", "ground_level_m", "flood_note"):
        assert passports[column].isna().all(), column


def test_readiness_is_read_off_the_stage_as_an_approximation(data: Dataset) -> None:
    passports = data.passports.set_index("park_id")
    stage = data.parks.set_index("park_id")["stage"]
    expected = {"full": "ready", "operating": "ready", "building_infrastructure": "infrastructure_under_way",
                "site_clearance": "not_handed_over", "approved": "not_handed_over", "planned": "not_handed_over"}
    assert (passports["readiness"] == stage.map(expected).loc[passports.index]).all()
    approximate = passports.drop(index="tien-thanh")
    assert (approximate["planning_source_kind"] == schema.APPROXIMATE).all()
    assert approximate["planning_source"].str.startswith("from the park's stage '").all()
    assert passports.loc["dinh-vu", "planning_source"] == "from the park's stage 'full' (001)"
    assert str(passports.loc["dinh-vu", "planning_as_of"].date()) == "2023-10-14"  # 001's date
    undated = passports.loc["lai-cach"]  # vki.vn gives no date: the year it was read, and the method says so
    assert (str(undated["planning_as_of"].year), undated["planning_as_of_precision"]) == ("2025", "year")
    assert "undated" in undated["planning_source"]


def test_tien_thanh_is_not_handed_over_citing_report_001(data: Dataset) -> None:
    """001 line 96: "Tiên Thanh (chưa giao đất)"."""
    row = data.passports.set_index("park_id").loc["tien-thanh"]
    assert (row["readiness"], row["planning_source_kind"], row["planning_source"]) == (
        "not_handed_over", schema.REPORT, "001_7f014fdbc8afe3e1.txt")


def test_hezas_desk_is_named_as_report_001_names_it_with_no_invented_detail(data: Dataset) -> None:
    """001 line 84: "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm Khu kinh tế"; line 72: heza.gov.vn; line 170
    mentions a hotline without its number."""
    contacts = data.contacts
    desk = contacts[contacts["role"] == "heza_desk"]
    assert len(desk) == 1
    row = desk.iloc[0]
    assert pd.isna(row["park_id"])  # the desk of every park
    assert "Ban Quản lý Khu kinh tế Hải Phòng" in row["organisation"]
    assert "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm Khu kinh tế" in row["organisation"]
    assert (row["website"], row["source_kind"], row["source"]) == ("heza.gov.vn", schema.REPORT,
                                                                   "001_7f014fdbc8afe3e1.txt")
    assert str(row["as_of"].date()) == "2023-10-14"
    assert contacts[["person", "phone", "email"]].isna().all().all()  # no source gives any


def test_each_named_developer_has_a_sales_contact_citing_where_the_developer_is_named(data: Dataset) -> None:
    """The park's own source where it is a report or news; a park whose record cites only its drawn outline (an
    approximation of where it is, not of who develops it) cites its row's public sources instead, as news."""
    parks = data.parks.set_index("park_id")
    sales = data.contacts[data.contacts["role"] == "developer_sales"].set_index("park_id")
    assert sorted(sales.index) == sorted(parks.index[parks["developer"].notna()])
    for park_id, row in sales.iterrows():
        park = parks.loc[park_id]
        assert row["organisation"] == park["developer"]
        if park["source_kind"] in ("report", "news"):
            assert (row["source_kind"], row["source"]) == (park["source_kind"], park["source"])
        else:
            assert row["source_kind"] == "news" and not row["source"].startswith("outline")
        assert pd.isna(row["as_of"])
        website = None if pd.isna(row["website"]) else row["website"]
        assert website == (None if pd.isna(park["developer_contact"]) else park["developer_contact"])
    assert sales.loc["dinh-vu", "website"] == "deepc.vn"
    assert (sales.loc["dinh-vu", "source_kind"], sales.loc["dinh-vu", "source"]) == ("news", "vccinews.com")  # GEOREF


def test_no_incentive_is_shipped_because_no_source_states_the_regimes(data: Dataset) -> None:
    assert data.incentives.empty
    assert (GEODATA / "incentives.csv").read_text(encoding="utf-8").splitlines() == [
        ",".join(schema.INCENTIVES.column_names)]


def test_the_script_rebuilds_the_shipped_files_byte_for_byte(tmp_path: Path) -> None:
    """Rebuilt over a copy of the shipped data: every CSV the same bytes, heza.gpkg untouched (GDAL would stamp
    a new write time in it)."""
    import shutil
    import subprocess
    import sys

    shutil.copy(GEODATA / "heza.gpkg", tmp_path / "heza.gpkg")
    subprocess.run([sys.executable, str(GEODATA.parent / "scripts" / "build_geodata.py"), "--seed", "42", "--out",
                    str(tmp_path)], check=True, capture_output=True)
    for built in sorted(tmp_path.glob("*.csv")):
        assert built.read_bytes() == (GEODATA / built.name).read_bytes(), built.name
    assert {p.name for p in tmp_path.glob("*.csv")} == {p.name for p in GEODATA.glob("*.csv")}
    assert (tmp_path / "heza.gpkg").read_bytes() == (GEODATA / "heza.gpkg").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in GEODATA.iterdir())
