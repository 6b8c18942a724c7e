"""Upgrading a store made before provenance kinds had a column (``SqlStore.ensure_schema``), on both backends.

Such a store holds one ``source`` text per provenance ("news: vietnam.vn", "approximate: …", a report
file name) and no ``*_kind`` or ``as_of_precision`` column. Opening it with this version adds the
columns and fills every kind from the old text in the same transaction: the store keeps loading
(a row with an empty kind would fail validation, and a store must never become "damaged" by an
upgrade), and a revert of a change made before the upgrade still writes a record that loads.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from storekit import fingerprint

from heza_geo import i18n
from heza_geo.errors import ConflictError, StoreError
from heza_geo.io.importers import prepare_import
from heza_geo.schema import LAYERS, Provenance, kind_column, precision_column, provenance_of
from heza_geo.store.records import NO_SOURCE_GIVEN, migrated_provenance, record_id, upgrade_snapshot
from heza_geo.store.sql import SqlStore

REPORT_IN_A_METHOD = "share of the 6,100 ha total (002_03c113ee68876e37.txt)"
LEGACY_PREFIX = {"report": "", "news": "news: ", "approximate": "approximate: "}


def legacy_text(kind: object, ref: object) -> str | None:
    """The one text the store kept before kinds had a column."""
    if kind is None:
        return None if ref is None else str(ref)
    if kind == "synthetic demo":
        return "synthetic demo" + (f": {ref}" if ref else "")
    return LEGACY_PREFIX[str(kind)] + ("" if ref is None else str(ref))


def legacy_snapshot(layer: str, snapshot: dict | None) -> dict | None:
    if snapshot is None:
        return None
    old = dict(snapshot)
    for column in LAYERS[layer].provenance_columns:
        old[column] = legacy_text(old.pop(kind_column(column), None), old.get(column))
    for column in LAYERS[layer].column_names:
        if column.endswith("_precision"):
            old.pop(column, None)
    return old


def make_legacy(store: SqlStore, texts: dict[tuple[str, str, str], str] | None = None) -> None:
    """Turn ``store`` into one made before kinds: one text per provenance, no kind or precision columns, and
    the history's snapshots as they were then. ``texts`` sets a few old texts: (layer, record_id, column) → text."""
    versions = store.execute('SELECT "id", "layer", "before", "after" FROM "versions"')
    for vid, layer, before, after in versions:
        snaps = [None if s is None else legacy_snapshot(layer, s if isinstance(s, dict) else json.loads(s))
                 for s in (before, after)]
        rid = record_id(LAYERS[layer], snaps[1] if snaps[1] is not None else snaps[0] or {})
        old = [None if s is None else json.dumps(s, ensure_ascii=False) for s in snaps]
        store.execute(f'UPDATE "versions" SET "before" = {store.json_param}, "after" = {store.json_param}, '  # noqa: S608 - the dialect's placeholder
                      '"record_id" = ? WHERE "id" = ?', (*old, rid, vid))
    for name, schema in LAYERS.items():
        for column in schema.provenance_columns:
            kind = kind_column(column)
            rows = store.execute(f'SELECT "fid", "{kind}", "{column}" FROM "{name}"')  # noqa: S608 - names from the schema
            for fid, k, ref in rows:
                store.execute(f'UPDATE "{name}" SET "{column}" = ? WHERE "fid" = ?', (legacy_text(k, ref), fid))  # noqa: S608 - names from the schema
            store.execute(f'ALTER TABLE "{name}" DROP COLUMN "{kind}"')
        for column in schema.column_names:
            if column == precision_column("as_of"):
                store.execute(f'ALTER TABLE "{name}" DROP COLUMN "{column}"')
    for (layer, record, column), text in (texts or {}).items():
        store.execute(f'UPDATE "{layer}" SET "{column}" = ? WHERE "record_id" = ?', (text, record))  # noqa: S608 - names from the schema
    for name, schema in LAYERS.items():  # record ids made of the old texts, as the old store made them
        columns = ", ".join(f'"{c}"' for c in schema.id_columns)
        for fid, *values in store.execute(f'SELECT "fid", {columns} FROM "{name}"'):  # noqa: S608 - names from the schema
            rid = record_id(schema, dict(zip(schema.id_columns, values, strict=True)))
            store.execute(f'UPDATE "{name}" SET "record_id" = ? WHERE "fid" = ?', (rid, fid))  # noqa: S608 - names from the schema


def reopen(store: SqlStore) -> SqlStore:
    """The same store opened by this version (an app server restarted after the upgrade)."""
    if store.backend == "gpkg":
        from heza_geo.store.gpkg import GeoPackageStore

        return GeoPackageStore(store.path)  # type: ignore[attr-defined]  # a GeoPackageStore
    from heza_geo.store.postgis import PostGISStore

    return PostGISStore(store.url)  # type: ignore[attr-defined]  # a PostGISStore


def columns_of(store: SqlStore, layer: str) -> set[str]:
    with store._reading() as cur:
        return set(store._existing_columns(cur, layer) or ())


def test_an_old_store_upgrades_in_place_and_reads_as_it_did(store):
    version = store.edit_record("parks", "A", {"area_source_kind": "news", "area_source": "vietnam.vn 01/02/2024"},
                                1, "lan", "area from the news")
    expected = store.read_dataset()
    make_legacy(store)
    assert "source_kind" not in columns_of(store, "plots")
    assert "as_of_precision" not in columns_of(store, "occupancy_history")
    upgraded = reopen(store)
    assert {"source_kind", "source"} <= columns_of(upgraded, "plots")
    assert "as_of_precision" in columns_of(upgraded, "berth_status_history")
    data = upgraded.read_dataset()  # loads: not damaged
    assert data.version == expected.version == f"{store.backend}-v{version}"
    for name, schema in LAYERS.items():
        got, want = data.layer(name), expected.layer(name)
        same = [c for c in schema.column_names if not c.endswith("_precision")]
        pd.testing.assert_frame_equal(pd.DataFrame(got[same]), pd.DataFrame(want[same]), check_dtype=False,
                                      obj=name)
    berths = data.berth_status_history
    assert berths["as_of_precision"].isna().all()  # the old store knew no precision: a day, as it showed it
    park = data.parks.set_index("park_id").loc["A"]
    assert provenance_of(park, "area_source") == Provenance("news", "vietnam.vn 01/02/2024")
    assert provenance_of(park) == Provenance("approximate", "drawn for the tests")
    assert fingerprint(reopen(upgraded)) == fingerprint(upgraded)  # a second start changes nothing


def test_record_ids_made_of_an_old_text_are_made_again_so_nothing_is_added_twice(store):
    added = store.add_record("berth_status_history", {"berth_no": 2, "as_of": "2025-06-30", "status": "operating",
                                                      "source_kind": "news", "source": "vietnam.vn 30/06/2025"},
                             "lan", "in the news")
    make_legacy(store)
    old_ids = {rid for (rid,) in store.execute('SELECT "record_id" FROM "berth_status_history"')}
    assert "2|2025-06-30|news: vietnam.vn 30/06/2025" in old_ids  # as the old store made it
    upgraded = reopen(store)
    for name, schema in LAYERS.items():
        frame = upgraded.read_layer(name)
        for rid, (_, row) in zip(frame["record_id"], frame.iterrows(), strict=True):
            assert rid == record_id(schema, row.to_dict()), name
    [entry] = upgraded.history("berth_status_history", "2|2025-06-30|vietnam.vn 30/06/2025")
    assert entry.version == added
    history = upgraded.read_layer("berth_status_history").drop(columns=["record_id", "row_version"])
    again = prepare_import("berths.csv", history.to_csv(index=False).encode(), "berth_status_history", upgraded)
    assert again.ok and len(again.change_set) == 0, [str(p) for p in again.problems]
    with pytest.raises(ConflictError, match="already exists"):
        upgraded.add_record("berth_status_history", {"berth_no": 2, "as_of": "2025-06-30", "status": "operating",
                                                     "source_kind": "news", "source": "vietnam.vn 30/06/2025"},
                            "lan", "the same again")
    upgraded.revert(added, "an", "not confirmed")
    assert len(upgraded.read_dataset().berth_status_history) == 3


def test_every_old_text_becomes_a_valid_provenance_and_a_method_is_never_a_report(store):
    odd = {
        ("parks", "A", "area_source"): f"approximate: {REPORT_IN_A_METHOD}",
        ("parks", "B", "area_source"): "news: public reports summarised in GEOREF.md",  # a news text with no site
        ("parks", "C", "area_source"): "approximate",
        ("parks", "C", "stage_source"): "004_7c364edc3c1b17af.txt",
        ("source_notes", store.read_layer("source_notes")["record_id"].iloc[0], "source"):
            "other: two-tier local government from 1 July 2025 (public law)",
        ("berths", "1", "source"): "news: vietnam.vn; heza.gov.vn",
        ("zones", "Z1", "area_source"): None,  # optional: stays without a source
    }
    make_legacy(store, odd)
    data = reopen(store).read_dataset()
    parks = data.parks.set_index("park_id")
    assert provenance_of(parks.loc["A"], "area_source") == Provenance("approximate", REPORT_IN_A_METHOD)
    for lang in i18n.LANGUAGES:
        assert i18n.badge(provenance_of(parks.loc["A"], "area_source"), lang) != i18n.badge("report", lang)
    assert provenance_of(parks.loc["B"], "area_source") == Provenance(
        "approximate", "news: public reports summarised in GEOREF.md")
    assert provenance_of(parks.loc["C"], "area_source") == Provenance("approximate", "legacy record, no method given")
    assert provenance_of(parks.loc["C"], "stage_source") == Provenance("report", "004_7c364edc3c1b17af.txt")
    assert provenance_of(parks.loc["B"], "stage_source") == Provenance("none")
    assert provenance_of(data.source_notes.iloc[0]) == Provenance(
        "approximate", "other: two-tier local government from 1 July 2025 (public law)")
    assert provenance_of(data.berths.set_index("berth_no").loc[1]) == Provenance("news", "vietnam.vn; heza.gov.vn")
    assert provenance_of(data.zones.iloc[0], "area_source") == Provenance("none")
    assert (data.plots["source_kind"] == "synthetic demo").all() and data.plots["source"].isna().all()


def test_a_change_made_before_the_upgrade_reverts_to_a_record_that_loads(store):
    seen = int(store.read_layer("plots").set_index("record_id").loc["A-3", "row_version"])
    edit = store.edit_record("plots", "A-3", {"status": "leased", "tenant": "Tenant X", "source_kind": "news",
                                              "source": "vietnam.vn 02/03/2024"}, seen, "lan", "lease in the news")
    added = store.add_record("occupancy_history", {"scope": "park", "park_id": "B", "as_of": "2025-06-30",
                                                   "occupancy_pct": 40.5, "basis": "reported",
                                                   "source_kind": "approximate", "source": "HEZA staff"},
                             "lan", "Q2 2025")
    make_legacy(store)
    upgraded = reopen(store)
    [entry] = upgraded.history("plots", "A-3")
    assert "source_kind" not in entry.before and entry.before["source"] == "synthetic demo"  # as it was kept
    upgraded.revert(edit, "an", "lease fell through")
    upgraded.revert(added, "an", "wrong figure")
    data = upgraded.read_dataset()  # loads: the snapshots written back were upgraded
    plot = data.plots.set_index("plot_id").loc["A-3"]
    assert (plot["status"], provenance_of(plot)) == ("available", Provenance("synthetic demo"))
    assert "2025-06-30" not in set(data.occupancy_history["as_of"].dt.strftime("%Y-%m-%d"))
    upgraded.revert(upgraded.current_version() - 1, "an", "the lease held after all")  # the revert of the revert
    plot = upgraded.read_dataset().plots.set_index("plot_id").loc["A-3"]
    assert (plot["status"], provenance_of(plot)) == ("leased", Provenance("news", "vietnam.vn 02/03/2024"))


def test_an_upgrade_that_fails_half_way_leaves_the_store_as_it_was(store, monkeypatch):
    make_legacy(store)
    before = fingerprint(store)

    def broken(text: object, required: bool = True) -> Provenance:
        raise StoreError("disk full")

    monkeypatch.setattr("heza_geo.store.sql.migrated_provenance", broken)
    with pytest.raises(StoreError, match="disk full"):
        reopen(store)
    assert fingerprint(store) == before  # no column added without its values
    monkeypatch.undo()
    assert len(reopen(store).read_dataset().plots) == 7


@pytest.mark.parametrize(("text", "required", "expected"), [
    ("001_7f014fdbc8afe3e1.txt", True, Provenance("report", "001_7f014fdbc8afe3e1.txt")),
    ("news: vietnam.vn 20/07/2025", True, Provenance("news", "vietnam.vn 20/07/2025")),
    ("news:", True, Provenance("approximate", "news:")),
    (f"approximate: {REPORT_IN_A_METHOD}", True, Provenance("approximate", REPORT_IN_A_METHOD)),
    (REPORT_IN_A_METHOD, True, Provenance("approximate", REPORT_IN_A_METHOD)),
    ("synthetic demo", True, Provenance("synthetic demo")),
    ("", True, Provenance("approximate", NO_SOURCE_GIVEN)),
    (None, False, Provenance("none")),
])
def test_migrated_provenance_is_always_valid_and_never_promotes(text, required, expected):
    found = migrated_provenance(text, required)
    assert found == expected and found.problem() is None


def test_upgrade_snapshot_fills_only_what_is_missing():
    schema = LAYERS["parks"]
    old = {"park_id": "A", "source": "approximate: drawn", "area_source": "news: vietnam.vn", "stage_source": None}
    assert upgrade_snapshot(schema, old) == {
        "park_id": "A", "source_kind": "approximate", "source": "drawn", "area_source_kind": "news",
        "area_source": "vietnam.vn", "stage_source_kind": None, "stage_source": None}
    new = {"park_id": "A", "source_kind": "news", "source": "approximate: kept as it is"}
    assert upgrade_snapshot(schema, new) == new
