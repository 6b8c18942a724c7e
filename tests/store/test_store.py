"""The store's contract, on both backends: versions, history, revert, conflicts, all-or-nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest
from storekit import fingerprint

from heza_geo.analysis.joins import parks_overview
from heza_geo.config import Settings
from heza_geo.errors import ConflictError, DataError, StoreError
from heza_geo.store import Change, open_store
from heza_geo.store.records import snapshots


def plot(store, plot_id: str) -> pd.Series:
    frame = store.read_layer("plots")
    return frame.set_index("record_id").loc[plot_id]


def _snap(store, plot_id: str) -> dict:
    """A plot's values as the store writes them (its snapshot), to change one field of."""
    from heza_geo.schema import LAYERS

    frame = store.read_layer("plots")
    return snapshots(frame[frame["record_id"] == plot_id], LAYERS["plots"])[0]


def test_store_starts_with_the_data_directory_and_reads_as_a_dataset(store, tiny_data):
    data = store.read_dataset()
    assert data.version.endswith("-v1")
    for name in ("parks", "plots", "occupancy_history", "berth_status_history", "investment"):
        assert len(data.layer(name)) == len(tiny_data.layer(name)), name
    assert sorted(data.plots["plot_id"]) == sorted(tiny_data.plots["plot_id"])
    assert data.plots["area_ha"].sum() == pytest.approx(100.0)
    assert data.plots.crs.to_epsg() == 4326
    original = tiny_data.plots.set_index("plot_id").geometry
    stored = data.plots.set_index("plot_id").geometry
    assert all(stored[i].equals_exact(original[i], 1e-9) for i in original.index)
    # the app's joins work on it unchanged: park A is 50 leased of 70 leasable ha
    overview = parks_overview(data).set_index("park_id")
    assert overview.loc["A", "leased_ha"] == pytest.approx(50.0)
    assert "record_id" not in data.plots.columns and "row_version" not in data.plots.columns


def test_an_edit_makes_a_new_version_with_who_when_why_and_both_values(store):
    before = plot(store, "A-3")
    version = store.edit_record("plots", "A-3", {"status": "leased", "tenant": "Công ty Mới"}, int(before.row_version),
                                "lan", "lease signed 2025-06-01")
    assert version == 2 and store.current_version() == 2
    after = plot(store, "A-3")
    assert (after.status, after.tenant, after.row_version) == ("leased", "Công ty Mới", 2)
    [entry] = store.history("plots", "A-3")
    assert (entry.version, entry.op, entry.author, entry.comment, entry.park_id) == (
        2, "update", "lan", "lease signed 2025-06-01", "A")
    assert entry.before["status"] == "available" and entry.before["tenant"] is None
    assert entry.after["status"] == "leased" and entry.after["tenant"] == "Công ty Mới"
    assert [v.version for v in store.versions()] == [2, 1]


def test_a_stale_edit_is_refused_and_the_first_writers_value_kept(store):
    seen = int(plot(store, "A-3").row_version)
    store.edit_record("plots", "A-3", {"tenant": "First writer"}, seen, "an", "first")
    with pytest.raises(ConflictError, match=r"A-3.*changed by version 2 since you read version 1"):
        store.edit_record("plots", "A-3", {"tenant": "Second writer"}, seen, "binh", "second")
    assert plot(store, "A-3").tenant == "First writer"
    assert store.current_version() == 2


def test_a_conflict_says_which_version_changed_the_record_who_wrote_it_when_and_its_values_now(store):
    seen = int(plot(store, "A-3").row_version)
    first = store.edit_record("plots", "A-3", {"tenant": "First writer"}, seen, "an", "first")
    with pytest.raises(ConflictError) as refused:
        store.edit_record("plots", "A-3", {"tenant": "Second writer"}, seen, "binh", "second")
    [conflict] = refused.value.conflicts
    assert (conflict.layer, conflict.record_id, conflict.kind, conflict.version, conflict.author) == (
        "plots", "A-3", "changed", first, "an")
    assert conflict.at == store.versions()[0].at
    assert conflict.current["tenant"] == "First writer" and "geometry" not in conflict.current


def test_simultaneous_edits_of_one_record_let_exactly_one_through(store):
    seen = int(plot(store, "B-2").row_version)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def edit(i: int) -> None:
        barrier.wait()
        try:
            store.edit_record("plots", "B-2", {"tenant": f"writer {i}"}, seen, f"user{i}", "race")
            outcomes.append(f"ok {i}")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("ok")]
    assert len(winners) == 1 and outcomes.count("conflict") == 3
    assert plot(store, "B-2").tenant == f"writer {winners[0].split()[1]}"


def test_a_failed_change_set_leaves_the_store_byte_for_byte_unchanged(store):
    plots = store.read_layer("plots").set_index("record_id")
    snaps = dict(zip(plots.index, snapshots(plots.reset_index(), __import__("heza_geo.schema").schema.PLOTS),
                     strict=True))
    before = fingerprint(store)
    changes = [
        Change("plots", "A-1", "update", after={**snaps["A-1"], "tenant": "changed"}, expected_version=1),
        Change("plots", "Z-9", "insert", after={**snaps["A-2"], "plot_id": "Z-9"}),
        Change("plots", "B-1", "delete", expected_version=99),  # stale: makes the whole set fail
    ]
    with pytest.raises(ConflictError, match="B-1"):
        store.apply(changes, "an", "bulk change")
    assert fingerprint(store) == before
    assert plot(store, "A-1").tenant == "Demo 1"
    assert "Z-9" not in set(store.read_layer("plots")["record_id"])


def test_adding_an_existing_record_is_a_conflict(store):
    with pytest.raises(ConflictError, match="already exists"):
        store.add_record("occupancy_history", {"scope": "park", "park_id": "A", "as_of": "2023-10-14",
                                               "occupancy_pct": 70, "basis": "reported",
                                               "source_kind": "report", "source": "001_7f014fdbc8afe3e1.txt"},
                         "an", "dup")


def test_history_of_a_park_and_revert(store):
    v2 = store.add_record("occupancy_history", {"scope": "park", "park_id": "B", "as_of": "2025-06-30",
                                                "occupancy_pct": 40.5, "basis": "reported",
                                                "source_kind": "approximate", "source": "HEZA staff"},
                          "lan", "Q2 2025 figure")
    seen = int(plot(store, "B-2").row_version)
    v3 = store.edit_record("plots", "B-2", {"status": "leased", "tenant": "Tenant X"}, seen, "lan", "lease")
    park_history = store.history(park_id="B")
    assert [(e.version, e.layer) for e in park_history] == [(v3, "plots"), (v2, "occupancy_history")]
    assert store.history(park_id="A") == []

    v4 = store.revert(v3, "an", "lease fell through")
    reverted = plot(store, "B-2")
    assert (reverted.status, reverted.row_version) == ("available", v4) and pd.isna(reverted.tenant)
    latest = store.history("plots", "B-2")[0]
    assert (latest.version, latest.op, latest.after["status"]) == (v4, "update", "available")
    assert store.versions()[0].kind == f"revert {v3}"

    store.revert(v2, "an", "wrong figure")
    occupancy = store.read_layer("occupancy_history")
    assert "2025-06-30" not in set(occupancy["as_of"].dt.strftime("%Y-%m-%d"))


def test_one_records_change_is_reverted_alone_the_rest_of_its_version_kept(store):
    a3, b2 = plot(store, "A-3"), plot(store, "B-2")
    both = store.apply([Change("plots", "A-3", "update", after={**_snap(store, "A-3"), "tenant": "T-A"},
                               expected_version=int(a3.row_version)),
                        Change("plots", "B-2", "update", after={**_snap(store, "B-2"), "tenant": "T-B"},
                               expected_version=int(b2.row_version))], "lan", "two tenants")
    store.revert(both, "lan", "A-3 was wrong", only=("plots", "A-3"))
    assert pd.isna(plot(store, "A-3").tenant) and plot(store, "B-2").tenant == "T-B"
    with pytest.raises(StoreError, match="did not change record C-9"):
        store.revert(both, "lan", "no such record", only=("plots", "C-9"))


def test_revert_is_refused_when_a_later_version_changed_the_record(store):
    v2 = store.edit_record("plots", "A-3", {"tenant": "one"}, 1, "an", "first")
    store.edit_record("plots", "A-3", {"tenant": "two"}, v2, "an", "second")
    before = fingerprint(store)
    with pytest.raises(ConflictError, match=r"A-3.*changed by version 3"):
        store.revert(v2, "binh", "undo first")
    assert fingerprint(store) == before
    with pytest.raises(StoreError, match="initial load"):
        store.revert(1, "binh", "undo everything")


def test_edits_are_validated_like_an_import(store):
    with pytest.raises(DataError) as bad:
        store.add_record("occupancy_history", {"scope": "park", "park_id": "B", "as_of": "2025-06-30",
                                               "occupancy_pct": 120, "basis": "reported", "source_kind": "approximate",
                                               "source": "HEZA"}, "an", "x")
    assert "occupancy_pct" in str(bad.value) and "above the maximum 100" in str(bad.value)
    with pytest.raises(DataError, match="'NOPE' is not a known park_id"):
        store.add_record("occupancy_history", {"scope": "park", "park_id": "NOPE", "as_of": "2025-06-30",
                                               "occupancy_pct": 50, "basis": "reported", "source_kind": "approximate",
                                               "source": "HEZA"}, "an", "x")
    with pytest.raises(DataError, match="'sold' is not one of"):
        store.edit_record("plots", "A-3", {"status": "sold"}, 1, "an", "x")
    with pytest.raises(DataError, match=r"field 'source_kind': 'official' is not one of report, news"):
        store.edit_record("plots", "A-3", {"source_kind": "official"}, 1, "an", "x")
    with pytest.raises(DataError, match=r"field 'source': 'HEZA' is not a known HEZA report file"):
        store.edit_record("plots", "A-3", {"source_kind": "report", "source": "HEZA"}, 1, "an", "x")
    with pytest.raises(DataError, match="needs a comment"):
        store.edit_record("plots", "A-3", {"status": "leased"}, 1, "an", " ")
    with pytest.raises(DataError, match="id fields cannot be edited"):
        store.edit_record("plots", "A-3", {"plot_id": "A-33"}, 1, "an", "rename")
    assert store.current_version() == 1


def test_public_reads_never_carry_confidential_columns(store):
    store.edit_record("plots", "A-1", {"tenant_contact": "ceo@tenant.example", "price_usd_m2": 120.0,
                                       "internal_note": "negotiating"}, 1, "an", "contact")
    staff = store.read_layer("plots").set_index("record_id")
    assert staff.loc["A-1", "tenant_contact"] == "ceo@tenant.example"
    public = store.read_layer("plots", public=True)
    data = store.read_dataset(public=True)
    for frame in (public, data.plots):
        assert not {"tenant_contact", "price_usd_m2", "internal_note"} & set(frame.columns)
        assert "ceo@tenant.example" not in frame.astype(str).to_csv()


def test_open_store_fills_an_empty_store_from_the_data_directory(tiny_dir: Path, tmp_path: Path):
    settings = Settings(data_dir=tiny_dir, store_path=tmp_path / "heza-store.gpkg")
    store = open_store(settings)
    assert store.backend == "gpkg" and store.current_version() == 1
    store.edit_record("plots", "A-3", {"tenant": "kept"}, 1, "an", "edit")
    again = open_store(settings)  # a second app server, or a restart: the store is not re-filled
    assert again.current_version() == 2
    with pytest.raises(StoreError, match="no store is configured"):
        open_store(Settings(data_dir=tiny_dir))


def test_the_geopackage_store_is_a_geopackage_gis_tools_open(tiny_dir: Path, tmp_path: Path):
    import pyogrio

    from heza_geo.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.initialise_from(tiny_dir)
    layers = dict(pyogrio.list_layers(tmp_path / "s.gpkg"))
    assert {"parks", "plots", "zones", "berths", "occupancy_history", "versions"} <= set(layers)
    assert "accounts" not in layers and "sessions" not in layers
    plots = pyogrio.read_dataframe(tmp_path / "s.gpkg", layer="plots")
    assert plots.crs.to_epsg() == 4326 and len(plots) == 7
    assert plots.geometry.is_valid.all()
    assert plots.set_index("plot_id").loc["A-1", "tenant"] == "Demo 1"
