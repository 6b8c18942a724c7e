"""The synthetic plot generator and the shipped demo dataset in geodata/.

Run: python -m pytest tests/io/test_demo_data.py (from the repository root).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from heza_geo import schema
from heza_geo.io.synthetic import generate_plots, generate_plots_count, subdivide_park

REPO = Path(__file__).resolve().parents[2]
GEODATA = REPO / "geodata"
GPKG = GEODATA / "heza.gpkg"

# A 1 km x 1 km park on Cát Hải, drawn in metres and handed over in WGS84 like a real layer.
SQUARE_UTM = box(700_000, 2_300_000, 701_000, 2_301_000)


def one_park(park_id: str = "demo") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"park_id": [park_id]}, geometry=[SQUARE_UTM], crs=schema.METRIC_CRS).to_crs(schema.WGS84)


def leased_share(plots: pd.DataFrame) -> float:
    leasable = plots.loc[plots["status"].isin(schema.LEASABLE_STATUS), "area_ha"].sum()
    return 100.0 * plots.loc[plots["status"] == "leased", "area_ha"].sum() / leasable


# --- generator, on a hand-made park ----------------------------------------------------------------


def test_same_seed_gives_the_same_plots():
    a = generate_plots(one_park(), {"demo": 50.0}, seed=3)
    b = generate_plots(one_park(), {"demo": 50.0}, seed=3)
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    assert a.geometry.geom_equals_exact(b.geometry, tolerance=0).all()


def test_another_seed_gives_other_plots():
    a = generate_plots(one_park(), {"demo": 50.0}, seed=3)
    b = generate_plots(one_park(), {"demo": 50.0}, seed=4)
    assert len(a) != len(b) or not a.geometry.geom_equals_exact(b.geometry, tolerance=1e-9).all()


@pytest.mark.parametrize("target", [0.0, 50.0, 76.6, 100.0])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leased_share_of_leasable_equals_the_target(target, seed):
    plots = generate_plots(one_park(), {"demo": target}, seed=seed)
    assert leased_share(plots) == pytest.approx(target, abs=0.5)


def test_plots_stay_inside_the_park_and_do_not_overlap():
    plots = generate_plots(one_park(), {"demo": 76.6}, seed=5).to_crs(schema.METRIC_CRS)
    geoms = plots.geometry.values
    outside = shapely.area(shapely.difference(geoms, SQUARE_UTM))
    assert outside.max() < 0.01  # m²: only floating-point noise of the round trip through WGS84
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.sum() < 1.0  # m² in all: neighbours share edges, never area
    assert plots.area.sum() == pytest.approx(SQUARE_UTM.area, rel=1e-3)  # and together they fill it


def test_area_ha_is_computed_in_metres_not_degrees():
    plots = generate_plots(one_park(), {"demo": 50.0}, seed=6)
    metric_ha = plots.to_crs(schema.METRIC_CRS).area / 1e4
    np.testing.assert_allclose(plots["area_ha"], metric_ha, atol=1e-3)
    assert plots["area_ha"].sum() == pytest.approx(100.0, rel=1e-3)


def test_plots_follow_the_schema():
    plots = generate_plots(one_park(), {"demo": 60.0}, seed=7)
    assert list(plots.columns) == [*schema.PLOTS.column_names, "geometry"]
    assert plots.crs.to_epsg() == 4326
    assert plots["plot_id"].is_unique
    assert all(re.fullmatch(r"demo-P\d{4}", p) for p in plots["plot_id"])
    assert set(plots["status"]) <= set(schema.PLOT_STATUS)
    assert (plots["source_kind"] == schema.SYNTHETIC).all()
    assert plots["source"].isna().all()  # nothing to cite: made up
    assert all(p == schema.Provenance(schema.SYNTHETIC) for p in schema.provenances(plots))
    assert (plots["geometry_quality"] == schema.SYNTHETIC).all()
    assert plots.geometry.is_valid.all()
    assert set(plots.geom_type) <= set(schema.PLOTS.geometry_types)


def test_only_leased_plots_have_a_demo_tenant_and_a_sector():
    plots = generate_plots(one_park(), {"demo": 60.0}, seed=8)
    leased = plots[plots["status"] == "leased"]
    others = plots[plots["status"] != "leased"]
    assert leased["tenant"].str.fullmatch(r"Demo Tenant \d{4}").all()
    assert leased["sector"].isin(schema.SECTORS).all()
    assert others["tenant"].isna().all() and others["sector"].isna().all()
    assert others["tenant_contact"].isna().all()
    infra = plots[plots["status"] == "infrastructure"]
    assert infra["price_usd_m2"].isna().all()


def test_parks_below_95_percent_keep_about_five_percent_reserved():
    for target, low, high in [(50.0, 3.0, 8.0), (96.3, 0.0, 0.0)]:
        plots = generate_plots(one_park(), {"demo": target}, seed=9)
        leasable = plots.loc[plots["status"].isin(schema.LEASABLE_STATUS), "area_ha"].sum()
        reserved = 100 * plots.loc[plots["status"] == "reserved", "area_ha"].sum() / leasable
        assert low <= reserved <= high


def test_subdivision_leaves_roads_and_buffer_as_infrastructure():
    plots, infra = subdivide_park(SQUARE_UTM, 5.0, np.random.default_rng(0))
    plot_ha = np.array([p.area for p in plots]) / 1e4
    infra_share = sum(p.area for p in infra) / SQUARE_UTM.area
    assert 0.10 <= infra_share <= 0.25
    assert plot_ha.sum() * 1e4 + infra_share * SQUARE_UTM.area == pytest.approx(SQUARE_UTM.area, rel=1e-6)
    assert plot_ha.min() >= 1.0 - 1e-9 and plot_ha.max() <= 16.0
    assert plot_ha.std() > 0.5  # sizes vary


def test_generate_plots_count_gives_about_the_number_asked():
    second = one_park("b")
    second.geometry = second.translate(0.02, 0)
    parks = pd.concat([one_park("a"), second], ignore_index=True)
    plots = generate_plots_count(parks, {"a": 30.0, "b": 90.0}, n_plots=400, seed=1)
    assert 300 <= len(plots) <= 500
    assert plots["plot_id"].is_unique


def test_a_park_without_a_target_is_refused_by_name():
    with pytest.raises(ValueError, match="nowhere"):
        generate_plots(one_park("nowhere"), {"demo": 50.0}, seed=1)


def two_parks() -> gpd.GeoDataFrame:
    second = one_park("held")
    second.geometry = second.translate(0.02, 0)
    return pd.concat([one_park("open"), second], ignore_index=True)


def test_land_not_handed_over_is_never_leasable_nor_available():
    plots = generate_plots(two_parks(), {"open": 60.0}, seed=11, not_handed_over={"held"})
    held, other = plots[plots["park_id"] == "held"], plots[plots["park_id"] == "open"]
    assert set(held["status"]) == {"not_handed_over", "infrastructure"}
    assert held.loc[held["status"] == "not_handed_over", "area_ha"].sum() > 70  # most of the 100 ha
    assert "not_handed_over" not in schema.LEASABLE_STATUS
    for column in ("tenant", "sector", "tenant_contact", "price_usd_m2", "internal_note"):
        assert held[column].isna().all(), column
    assert leased_share(other) == pytest.approx(60.0, abs=0.5)
    assert set(plots["status"]) <= set(schema.PLOT_STATUS)
    assert (plots["source_kind"] == schema.SYNTHETIC).all()


def test_a_park_not_handed_over_leaves_the_other_parks_as_they_were():
    """Same layout and random stream as a park at 0 %: the other parks' plots do not move."""
    held = generate_plots(two_parks(), {"open": 60.0}, seed=12, not_handed_over={"held"})
    empty = generate_plots(two_parks(), {"open": 60.0, "held": 0.0}, seed=12)
    assert list(held["plot_id"]) == list(empty["plot_id"])
    assert held.geometry.geom_equals_exact(empty.geometry, tolerance=0).all()
    is_open = held["park_id"] == "open"
    pd.testing.assert_frame_equal(held[is_open].drop(columns="geometry"), empty[is_open].drop(columns="geometry"))
    leasable = empty["status"].isin(schema.LEASABLE_STATUS)
    assert (held.loc[~is_open & leasable, "status"] == "not_handed_over").all()
    assert (held.loc[~is_open & ~leasable, "status"] == "infrastructure").all()


def test_not_handed_over_must_name_a_known_park():
    with pytest.raises(ValueError, match="elsewhere"):
        generate_plots(one_park("open"), {"open": 50.0}, seed=1, not_handed_over={"elsewhere"})


def test_generate_plots_count_passes_not_handed_over_on():
    plots = generate_plots_count(two_parks(), {"open": 30.0}, n_plots=100, seed=1, not_handed_over=["held"])
    assert set(plots.loc[plots["park_id"] == "held", "status"]) == {"not_handed_over", "infrastructure"}


# --- the shipped dataset ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, pd.DataFrame]:
    layers: dict[str, pd.DataFrame] = {
        name: gpd.read_file(GPKG, layer=name)
        for name in ("zones", "parks", "plots", "berths", "housing", "connectivity")
    }
    for name in ("occupancy_history", "berth_status_history", "investment", "enterprise", "source_notes",
                 "investors"):
        layers[name] = pd.read_csv(GEODATA / f"{name}.csv", encoding="utf-8")
    return layers


def test_shipped_layers_have_the_schema_columns_in_order(shipped):
    for name, df in shipped.items():
        columns = [c for c in df.columns if c != "geometry"]
        assert columns == schema.LAYERS[name].column_names, name


def test_shipped_plots_match_the_occupancy_history(shipped):
    history = shipped["occupancy_history"]
    latest = history[history["scope"] == "park"].sort_values("as_of").groupby("park_id").last()
    plots = shipped["plots"]
    held = set(plots.loc[plots["status"] == "not_handed_over", "park_id"])
    placed = set(shipped["parks"].loc[shipped["parks"].geometry.notna(), "park_id"])
    # demo plots only where a park has an outline and a figure (Nam Sách has a figure and no position)
    assert set(plots["park_id"]) == (set(latest.index) & placed) | held and not held & set(latest.index)
    for park_id, group in plots[~plots["park_id"].isin(held)].groupby("park_id"):
        assert leased_share(group) == pytest.approx(latest.loc[park_id, "occupancy_pct"], abs=1.0), park_id


def test_tien_thanh_land_is_not_handed_over_so_none_of_it_is_leasable(shipped):
    """001: Tiên Thanh's land has not been handed over ("chưa giao đất"): no plot is leased, available or reserved."""
    plots = shipped["plots"]
    held = plots[plots["status"] == "not_handed_over"]
    assert set(held["park_id"]) == {"tien-thanh"}
    tien_thanh = plots[plots["park_id"] == "tien-thanh"]
    assert set(tien_thanh["status"]) == {"not_handed_over", "infrastructure"}
    assert tien_thanh[["tenant", "sector"]].isna().all().all()
    assert held["area_ha"].sum() > 0.7 * tien_thanh["area_ha"].sum()


def test_shipped_provenances_are_read_from_their_kind_columns(shipped):
    """Every provenance pair of the shipped data is valid, and a method naming a report stays approximate."""
    for name, frame in shipped.items():
        for column in schema.LAYERS[name].provenance_columns:
            for found in schema.provenances(frame, column):
                assert found.problem() is None, (name, column, found)
                if found.kind == schema.APPROXIMATE:
                    assert found.report_date is None and found.short == found.ref
    plots = shipped["plots"]
    assert (plots["source_kind"] == schema.SYNTHETIC).all()


REPORT_PARKS = ("nomura", "do-son", "trang-due", "dinh-vu", "mp-dinh-vu", "hang-hai", "an-duong", "vsip-hai-phong",
                "nam-cau-kien", "tien-thanh", "nam-dinh-vu-1", "nam-dinh-vu-2", "gateway-port", "xuan-cau")


def test_the_14_parks_of_the_reports_sum_to_6100_ha_and_every_drawn_park_has_its_declared_area(shipped):
    """002: "14 khu công nghiệp ... tổng diện tích 6.100 ha"; the merged city adds parks beyond them."""
    parks = shipped["parks"]
    reported = parks[parks["park_id"].isin(REPORT_PARKS)]
    assert len(reported) == 14 and (reported["status"] == "established").all()
    assert reported["area_ha"].sum() == pytest.approx(6100.0, abs=0.01)
    drawn = parks[parks.geometry.notna()]
    np.testing.assert_allclose(drawn.to_crs(schema.METRIC_CRS).area / 1e4, drawn["area_ha"], rtol=0.01)


def test_the_merged_city_has_at_least_40_parks_in_two_regions_and_no_invented_position(shipped):
    parks = shipped["parks"]
    assert len(parks) >= 40
    assert set(parks["province_before_2025"]) == {"Hải Phòng", "Hải Dương"}
    unplaced = parks[parks.geometry.isna()]
    assert (unplaced["geometry_quality"] == schema.UNPLACED).all() and len(unplaced) > 0
    placed = parks[parks.geometry.notna()]
    assert (placed["geometry_quality"] == schema.APPROXIMATE).all()
    west = placed[placed["province_before_2025"] == "Hải Dương"]
    assert set(west["park_id"]) == {"dai-an", "phuc-dien", "tan-truong", "lai-cach", "lai-vu", "phu-thai", "an-phat",
                                    "cong-hoa"}  # the eight with a geocoded pin; no other is placed


def test_shipped_parks_do_not_overlap_and_plots_stay_in_their_park(shipped):
    parks = shipped["parks"].to_crs(schema.METRIC_CRS)
    left, right = shapely.STRtree(parks.geometry.values).query(parks.geometry.values, predicate="intersects")
    assert (left == right).all()
    plots = shipped["plots"].to_crs(schema.METRIC_CRS)
    park_of = parks.set_index("park_id").geometry.loc[plots["park_id"]].values
    assert shapely.area(shapely.difference(plots.geometry.values, park_of)).max() < 0.01


def test_shipped_data_is_what_the_script_builds(shipped):
    spec = importlib.util.spec_from_file_location("build_geodata", REPO / "scripts" / "build_geodata.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    built = module.build(seed=42)["plots"]
    pd.testing.assert_series_equal(built["plot_id"], shipped["plots"]["plot_id"], check_dtype=False)
    pd.testing.assert_series_equal(built["status"], shipped["plots"]["status"], check_dtype=False)
    assert built.geometry.geom_equals_exact(shipped["plots"].geometry, tolerance=1e-9).all()
