"""One failing case per schema rule, each giving a message that names file, layer, row and field."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from heza_geo.io.validation import validate_frame
from heza_geo.schema import BERTHS, OCCUPANCY_HISTORY, PARKS, PLOTS
from tests.conftest import tiny_frames


def problems_of(frame, schema, file="parks.geojson"):
    typed, problems = validate_frame(frame, schema, file)
    return typed, [str(p) for p in problems]


def test_valid_layer_has_no_problems_and_is_typed():
    typed, problems = problems_of(tiny_frames()["parks"], PARKS)
    assert problems == []
    assert typed["area_ha"].dtype == "float64"
    assert str(typed.crs) == "EPSG:4326"


def test_missing_column_is_named():
    frame = tiny_frames()["parks"].drop(columns="stage")
    typed, problems = problems_of(frame, PARKS)
    assert typed is None
    assert problems == [
        "parks.geojson, layer 'parks': missing column 'stage' (the layer needs " + ", ".join(PARKS.column_names) + ")"
    ]


def test_columns_a_file_lacks_are_one_problem_that_lists_the_layers_columns_once():
    # five missing columns once gave five lines, each repeating the layer's fourteen columns
    frame = tiny_frames()["parks"].drop(columns=["stage", "developer", "district"])
    typed, problems = problems_of(frame, PARKS)
    assert typed is None
    assert problems == ["parks.geojson, layer 'parks': missing 3 columns: 'district', 'stage', 'developer' "
                        "(the layer needs " + ", ".join(PARKS.column_names) + ")"]


def test_value_not_allowed_names_row_id_and_field():
    frame = tiny_frames()["parks"]
    frame.loc[1, "stage"] = "finished"
    _, problems = problems_of(frame, PARKS)
    assert problems == [
        "parks.geojson, layer 'parks', row 2 (park_id=B), field 'stage': 'finished' is not one of "
        "full, site_clearance, building_infrastructure, operating, approved, planned"
    ]


def test_occupancy_above_100_is_out_of_range():
    frame = tiny_frames()["occupancy_history"]
    frame.loc[0, "occupancy_pct"] = 120
    _, problems = problems_of(frame, OCCUPANCY_HISTORY, "occupancy_history.csv")
    assert len(problems) == 1 and "row 1" in problems[0] and "120 is above the maximum 100" in problems[0]


def test_negative_area_is_below_minimum():
    frame = tiny_frames()["plots"]
    frame.loc[2, "area_ha"] = -1.0
    _, problems = problems_of(frame, PLOTS, "plots.gpkg")
    assert problems == ["plots.gpkg, layer 'plots', row 3 (plot_id=A-3), field 'area_ha': -1 is below the minimum 0"]


def test_text_in_a_number_column_is_a_type_error():
    frame = tiny_frames()["parks"].astype({"area_ha": "object"})
    frame.loc[0, "area_ha"] = "about 100"
    _, problems = problems_of(frame, PARKS)
    assert problems == [
        "parks.geojson, layer 'parks', row 1 (park_id=A), field 'area_ha': 'about 100' is not a valid float"]


def test_bad_date_is_a_type_error():
    frame = tiny_frames()["occupancy_history"]
    frame.loc[3, "as_of"] = "14/10/2023"
    _, problems = problems_of(frame, OCCUPANCY_HISTORY, "occupancy_history.csv")
    assert len(problems) == 1 and "field 'as_of': '14/10/2023' is not a valid date" in problems[0]


def test_fractional_berth_number_is_a_type_error():
    frame = tiny_frames()["berths"]
    frame["berth_no"] = [1.5, 2]
    _, problems = problems_of(frame, BERTHS, "berths.geojson")
    assert any("'1.5' is not a valid int" in p for p in problems)


def test_empty_required_value():
    frame = tiny_frames()["parks"]
    frame.loc[0, "name_vi"] = "  "
    _, problems = problems_of(frame, PARKS)
    assert problems == ["parks.geojson, layer 'parks', row 1 (park_id=A), field 'name_vi': is empty but required"]


def test_duplicate_id():
    frame = tiny_frames()["parks"]
    frame.loc[2, "park_id"] = "A"
    _, problems = problems_of(frame, PARKS)
    assert problems == [
        "parks.geojson, layer 'parks', row 3 (park_id=A): duplicate id (park_id=A) already used by an earlier row"]


def test_self_intersecting_polygon_is_invalid():
    frame = tiny_frames()["parks"]
    frame.loc[0, "geometry"] = Polygon([(106.6, 20.8), (106.7, 20.9), (106.7, 20.8), (106.6, 20.9)])
    _, problems = problems_of(frame, PARKS)
    assert len(problems) == 1
    assert "row 1 (park_id=A), field 'geometry': invalid geometry: Self-intersection" in problems[0]


def test_wrong_geometry_type():
    frame = tiny_frames()["parks"]
    frame.loc[0, "geometry"] = Point(106.7, 20.85)
    _, problems = problems_of(frame, PARKS)
    assert problems == ["parks.geojson, layer 'parks', row 1 (park_id=A), field 'geometry': geometry is a Point; "
                        "expected Polygon / MultiPolygon"]


def test_missing_geometry():
    frame = tiny_frames()["berths"]
    frame.loc[1, "geometry"] = None
    _, problems = problems_of(frame, BERTHS, "berths.geojson")
    assert problems == [
        "berths.geojson, layer 'berths', row 2 (berth_no=2), field 'geometry': geometry is missing or empty"]


def test_swapped_lat_lon_is_out_of_range_with_a_hint():
    frame = tiny_frames()["berths"]
    frame.loc[0, "geometry"] = LineString([(20.78, 106.91), (20.79, 106.90)])  # a latitude of 106.9
    _, problems = problems_of(frame, BERTHS, "berths.geojson")
    assert len(problems) == 1
    assert "coordinates out of range" in problems[0] and "latitude and longitude look swapped" in problems[0]


def test_a_longitude_beyond_180_is_out_of_range_and_not_called_metres():
    frame = tiny_frames()["berths"]
    frame.loc[0, "geometry"] = LineString([(206.91, 20.78), (206.90, 20.79)])
    _, problems = problems_of(frame, BERTHS, "berths.geojson")
    assert problems == ["berths.geojson, layer 'berths', row 1 (berth_no=1), field 'geometry': coordinates out of "
                        "range (centre 206.9050, 20.7850): a longitude lies between -180 and 180 and a latitude "
                        "between -90 and 90; correct the value (Hai Phong lies near longitude 106.7, latitude 20.9)"]


def test_a_missing_column_does_not_hide_the_rows_problems():
    frame = tiny_frames()["plots"].drop(columns="status").astype({"area_ha": "object"})
    frame.loc[1, "area_ha"] = "lots"
    typed, problems = problems_of(frame, PLOTS, "plots.csv")
    assert typed is None
    assert len(problems) == 2 and "plots.csv, layer 'plots': missing column 'status' (" in problems[0]
    assert problems[1] == "plots.csv, layer 'plots', row 2 (plot_id=A-2), field 'area_ha': 'lots' is not a valid float"


def test_metres_declared_as_degrees_get_a_crs_hint():
    frame = tiny_frames()["parks"].to_crs(32648).set_crs(4326, allow_override=True)
    _, problems = problems_of(frame, PARKS)
    assert len(problems) == 3 and all("coordinates look projected" in p for p in problems)


def test_missing_crs_is_refused():
    frame = tiny_frames()["parks"].set_crs(None, allow_override=True)
    typed, problems = problems_of(frame, PARKS)
    assert typed is None and "no coordinate reference system declared" in problems[0]


def test_declared_projected_crs_is_reprojected_to_wgs84():
    original = tiny_frames()["parks"]
    typed, problems = problems_of(original.to_crs(32648), PARKS)
    assert problems == []
    assert str(typed.crs) == "EPSG:4326"
    assert typed.geometry.iloc[0].equals_exact(original.geometry.iloc[0], tolerance=1e-9)


def test_table_without_geometry_is_refused_as_layer():
    import pandas as pd

    frame = pd.DataFrame(tiny_frames()["parks"].drop(columns="geometry"))
    typed, problems = problems_of(frame, PARKS)
    assert typed is None
    assert problems == ["parks.geojson, layer 'parks': has no geometry; expected Polygon / MultiPolygon"]


def test_unknown_columns_are_kept():
    frame = tiny_frames()["parks"].assign(extra_field=["x", "y", "z"])
    typed, problems = problems_of(frame, PARKS)
    assert problems == [] and list(typed["extra_field"]) == ["x", "y", "z"]


def test_many_bad_rows_are_summarised_not_listed_one_by_one():
    frame = gpd.GeoDataFrame(
        {c: ["x"] * 50 for c in PLOTS.column_names} | {"plot_id": [f"p{i}" for i in range(50)], "area_ha": ["-"] * 50},
        geometry=[box(106.6, 20.8, 106.61, 20.81)] * 50,
        crs=4326,
    )
    _, problems = problems_of(frame, PLOTS, "plots.csv")
    area = [p for p in problems if "'area_ha'" in p]
    assert len(area) == 21 and area[-1].endswith("... and 30 more rows")


@pytest.mark.parametrize("column", ["status", "park_id"])
def test_required_plot_columns(column):
    frame = tiny_frames()["plots"].drop(columns=column)
    typed, problems = problems_of(frame, PLOTS, "plots.gpkg")
    assert typed is None and f"missing column '{column}'" in problems[0]


# --- numbers: finite, and within the field's plausible range ------------------------------------------------------
def test_infinite_and_absurd_numbers_are_refused_with_the_accepted_range():
    """``inf`` once reached the public map as "Leased area ∞ ha"; 1e308 is finite but no plot is that large."""
    frame = tiny_frames()["plots"].astype({"area_ha": "object"})
    frame.loc[0, "area_ha"] = "inf"
    frame.loc[1, "area_ha"] = 1e308
    frame.loc[2, "area_ha"] = "-Infinity"
    frame["price_usd_m2"] = [None, "Infinity", "1e309", None, 95.5, None, None]
    _, problems = problems_of(frame, PLOTS, "plots.csv")
    assert problems == [  # by row
        "plots.csv, layer 'plots', row 1 (plot_id=A-1), field 'area_ha': 'inf' is not a finite number "
        "(the accepted range is 0 to 5,000)",
        "plots.csv, layer 'plots', row 2 (plot_id=A-2), field 'area_ha': 1e+308 is above the maximum 5,000",
        "plots.csv, layer 'plots', row 2 (plot_id=A-2), field 'price_usd_m2': 'Infinity' is not a finite number "
        "(the accepted range is 0 to 10,000)",
        "plots.csv, layer 'plots', row 3 (plot_id=A-3), field 'area_ha': '-Infinity' is not a finite number "
        "(the accepted range is 0 to 5,000)",
        "plots.csv, layer 'plots', row 3 (plot_id=A-3), field 'price_usd_m2': '1e309' is not a finite number "
        "(the accepted range is 0 to 10,000)",
    ]


def test_every_number_column_states_a_plausible_range():
    from heza_geo.schema import LAYERS

    for schema in LAYERS.values():
        for column in schema.columns:
            if column.dtype in ("float", "int"):
                assert column.min is not None and column.max is not None, (schema.name, column.name)


def test_a_huge_integer_is_refused_not_a_crash():
    frame = tiny_frames()["berths"].astype({"berth_no": "object"})
    frame.loc[0, "berth_no"] = 1e308
    frame.loc[1, "berth_no"] = "inf"
    _, problems = problems_of(frame, BERTHS, "berths.geojson")
    assert problems == [
        "berths.geojson, layer 'berths', row 1 (berth_no=1e+308), field 'berth_no': '1e+308' is not a valid int",
        "berths.geojson, layer 'berths', row 2 (berth_no=inf), field 'berth_no': 'inf' is not a valid int",
    ]
