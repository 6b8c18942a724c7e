"""Imports on both backends: the round trip, and all-or-nothing when anything is wrong."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from storekit import fingerprint

from heza_geo.errors import ConflictError
from heza_geo.io.importers import apply_import, prepare_import
from heza_geo.schema import METRIC_CRS, WGS84

X0, Y0 = 650_000, 2_300_000


def plots_geojson(rows: list[dict], boxes: list) -> bytes:
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=boxes, crs=METRIC_CRS).to_crs(WGS84)
    return frame.to_json().encode()


def row(plot_id: str, **kw) -> dict:
    base = {"plot_id": plot_id, "park_id": "A", "status": "available", "area_ha": 7.2, "tenant": "", "sector": "",
            "source_kind": "approximate", "source": "HEZA survey 2025", "geometry_quality": "surveyed"}
    return {**base, **kw}


def test_import_round_trip(store):
    new = box(X0 + 600, Y0 + 100, X0 + 690, Y0 + 900)
    content = plots_geojson([row("A-6", tenant="Công ty Hải An", sector="logistics", status="leased")], [new])
    prepared = prepare_import("plots.geojson", content, "plots", store)
    assert prepared.ok and prepared.summary()["insert"] == 1
    version = apply_import(store, prepared, "lan", "survey 2025")
    stored = store.read_dataset().plots.set_index("plot_id").loc["A-6"]
    assert (stored["tenant"], stored["sector"], stored["status"], stored["area_ha"]) == (
        "Công ty Hải An", "logistics", "leased", 7.2)
    assert (stored["source_kind"], stored["source"]) == ("approximate", "HEZA survey 2025")
    assert stored.geometry.equals_exact(prepared.frame.geometry.iloc[0], 1e-9)
    [entry] = store.history("plots", "A-6")
    assert (entry.version, entry.op, entry.author, entry.comment) == (version, "insert", "lan", "survey 2025")
    # the same file again changes nothing
    again = prepare_import("plots.geojson", content, "plots", store)
    assert again.ok and len(again.change_set) == 0 and "nothing would change" in again.notes[-1]


def test_a_failed_import_leaves_the_store_byte_for_byte_unchanged(store):
    before = fingerprint(store)
    bad = plots_geojson([row("A-6"), row("A-7", park_id="NOPE")], [box(X0 + 600, Y0, X0 + 690, Y0 + 900)] * 2)
    prepared = prepare_import("plots.geojson", bad, "plots", store)
    assert not prepared.ok and "unknown park" in str(prepared.problems[0])
    with pytest.raises(ValueError, match="has problems"):
        apply_import(store, prepared, "lan", "should not land")
    assert fingerprint(store) == before


def test_an_import_is_refused_if_a_record_changed_after_the_preview(store):
    content = plots_geojson([row("A-3", status="leased", tenant="From file", area_ha=10.0), row("A-6")],
                            [box(X0 + 200, Y0, X0 + 290, Y0 + 900), box(X0 + 600, Y0, X0 + 690, Y0 + 900)])
    prepared = prepare_import("plots.geojson", content, "plots", store)
    assert prepared.ok
    store.edit_record("plots", "A-3", {"tenant": "Edited meanwhile"}, 1, "binh", "phone call")
    before = fingerprint(store)
    with pytest.raises(ConflictError, match="A-3"):
        apply_import(store, prepared, "lan", "stale preview")
    assert fingerprint(store) == before
    assert "A-6" not in set(store.read_layer("plots")["record_id"])


def test_replace_removes_records_missing_from_the_file_unless_others_refer_to_them(store):
    plots = store.read_dataset().plots
    keep = plots[plots["plot_id"] != "B-2"]
    frame = keep.drop(columns=[c for c in ("tenant_contact", "price_usd_m2", "internal_note") if c in keep.columns])
    prepared = prepare_import("plots.geojson", frame.to_json().encode(), "plots", store, replace=True)
    assert prepared.ok and prepared.summary() == {"insert": 0, "update": 0, "delete": 1, "rows": 6}
    apply_import(store, prepared, "lan", "B-2 merged into B-1")
    assert "B-2" not in set(store.read_layer("plots")["record_id"])
    parks = store.read_dataset().parks
    only_a = parks[parks["park_id"] == "A"]
    refused = prepare_import("parks.geojson", only_a.to_json().encode(), "parks", store, replace=True)
    assert ("park_id 'B' is not in the file, so it would be removed, but 1 record(s) of layer 'plots' still refer "
            "to it") in "\n".join(map(str, refused.problems))
