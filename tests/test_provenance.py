"""Nothing whose provenance is not a HEZA report is ever labelled as one, anywhere a badge is drawn.

The walk: take the default dataset, turn every ``report`` provenance into ``news`` (keeping every
other kind and every reference, so the approximate areas whose method cites report 002 stay as
they are), then draw every place a badge appears, for every record, in every language
(:func:`tests.reader_places.places`: the map's popups and plot labels, the tour, the occupancy,
port, investor and enterprise tables, compare, the cards and the park panel, and the export's sources,
indicator table and PDF park sheet). No "Official
figure – HEZA report" may remain. The same walk on the unchanged data finds the badge in each kind
of place, so the walk does look where badges are drawn.

This failed on main before provenance had its own column: the four areas computed from 002's total
(Đồ Sơn, MP Đình Vũ, Hàng Hải, Gateway Port) were badged as report 002.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from heza_geo import i18n, schema
from heza_geo.analysis import joins, panels
from heza_geo.analysis.sources import source_name
from heza_geo.config import LANGUAGES
from heza_geo.io import Dataset, load_dataset
from heza_geo.maps import popups
from tests.reader_places import places

GEODATA = Path(__file__).resolve().parents[1] / "geodata"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(GEODATA)


def without_reports(data: Dataset) -> Dataset:
    """The dataset with every ``report`` provenance made ``news``; nothing else changed."""
    changed = {}
    for name, layer in schema.LAYERS.items():
        frame = getattr(data, name).copy()
        for column in layer.provenance_columns:
            kind = schema.kind_column(column)
            reports = frame[kind] == schema.REPORT
            frame.loc[reports, kind] = schema.NEWS
            frame.loc[reports, column] = "example.vn 01/01/2025"
        changed[name] = frame
    return replace(data, **changed)


def reports_said(lang: str) -> tuple[str, ...]:
    """How a page says "a HEZA report": the full badge, the short label of compare's cells, the
    reference of the exports ("HEZA report 001 (14 Oct 2023)") and each report's name for a reader
    ("HEZA report of 14 Oct 2023 (Oct 2023 review)", :func:`heza_geo.analysis.sources.source_name`)."""
    reference = i18n.t("export.report_ref", lang, number="\x00", date="").split("\x00")[0].strip()
    names = tuple(source_name(schema.Provenance(schema.REPORT, file), lang) for file in schema.REPORT_FILES)
    return i18n.t("badge.report", lang), i18n.label("provenance", schema.REPORT, lang), reference, *names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_place_labels_a_figure_that_is_not_from_a_report_as_a_report(data: Dataset, lang: str) -> None:
    official = reports_said(lang)
    # a note's own words may speak of the reports ("the HEZA reports list it as in preparation"): its
    # citation is a reference, checked where references are badged
    labelled = [place for place, text in places(without_reports(data), lang)
                if " notes" not in place and any(o in text for o in official)]
    assert not labelled, f"labelled {official} with no report behind it: {labelled}"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_walk_finds_the_report_badge_where_the_data_has_reports(data: Dataset, lang: str) -> None:
    official = reports_said(lang)
    found = [place for place, text in places(data, lang) if any(o in text for o in official)]
    for kind in ("park popup", "park panel", "berth popup", "housing popup", "occupancy table", "berth table",
                 "port timeline", "investors table", "enterprise table", "compare", "city cards",
                 "export sources", "pdf park"):
        assert any(f.startswith(kind) for f in found), f"no report badge found in any {kind}"


def test_the_four_areas_shared_out_of_002_are_badged_approximate_in_every_language(data: Dataset) -> None:
    overview = joins.parks_overview(data).set_index("park_id")
    for park_id in ("do-son", "mp-dinh-vu", "hang-hai", "gateway-port"):
        row = overview.loc[park_id]
        row["park_id"] = park_id
        for lang in LANGUAGES:
            facts = panels.park_facts(row, lang)
            area = facts[facts.iloc[:, 0] == i18n.t("popup.area", lang)].iloc[0, 2]
            assert area == i18n.badge(schema.APPROXIMATE, lang), (park_id, lang, area)
            area_row = next(r for r in popups.park_popup(row, lang).split("<tr>")
                            if f"<th>{i18n.t('popup.area', lang)}</th>" in r)
            assert i18n.badge(schema.APPROXIMATE, lang) in area_row
            assert i18n.t("badge.report", lang) not in area_row
