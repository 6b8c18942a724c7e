"""Popups: each badge comes from its provenance's kind column, never from the reference's text, and
each date is written as precisely as it is known.

The bug this guards against: an approximate park area whose method names the report it was derived
from ("share of the 6,100 ha total (002_….txt) …") was badged "Official figure – HEZA report",
because the badge was guessed from the text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.analysis.port import parks_within, reach_area, status_as_of_year
from heza_geo.io import load_dataset
from heza_geo.maps.pagemaps import port_map
from heza_geo.maps.plots.pack import pack, plot_labels, unpack
from heza_geo.maps.popups import badge, berth_popup, park_popup, plot_popup, zone_popup
from heza_geo.maps.tree import walk
from heza_geo.schema import Provenance
from tests.conftest import tiny_frames, write_dataset

#: the method of an approximation that names the report it was worked out from
APPROX_002 = "share of the 6,100 ha total (002_03c113ee68876e37.txt) not covered by published per-park figures"
OFFICIAL = "Official figure – HEZA report"


@pytest.fixture(scope="module")
def approx_data(tmp_path_factory: pytest.TempPathFactory):
    """The tiny dataset with park A's area approximated from 002's total (valid data: loaded)."""
    frames = tiny_frames()
    frames["parks"].loc[0, ["area_source_kind", "area_source"]] = ["approximate", APPROX_002]
    frames["zones"].loc[0, ["area_source_kind", "area_source"]] = ["approximate", APPROX_002]
    return load_dataset(write_dataset(tmp_path_factory.mktemp("approx") / "data", frames))


def cell(popup: str, header: str) -> str:
    """The <td> of the popup's row headed ``header``."""
    match = re.search(rf"<th>{re.escape(html.escape(header))}</th><td>(.*?)</td></tr>", popup)
    assert match, f"no row {header!r} in {popup}"
    return match.group(1)


def test_the_badge_is_the_kinds_with_the_source_as_a_reader_names_it_as_its_tooltip():
    shown = badge(Provenance("approximate", APPROX_002), "en")
    assert "heza-badge-approximate" in shown and OFFICIAL not in shown
    assert 'title="Approximate: share of the 6,100 ha total (HEZA report of Nov 2024 (2024 international ' \
           'integration)) not covered by published per-park figures"' in shown  # the report it cites by name
    report = badge(Provenance("report", "001_7f014fdbc8afe3e1.txt"), "en")
    assert "heza-badge-report" in report and 'title="HEZA report of 14 Oct 2023 (Oct 2023 review)"' in report
    assert "001_7f014fdbc8afe3e1" not in report
    assert "heza-badge-none" in badge(Provenance.of(None, None), "en")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_park_popup_badges_an_approximate_area_as_approximate(approx_data, lang):
    overview = parks_overview(approx_data)
    popup = park_popup(overview[overview["park_id"] == "A"].iloc[0], lang)
    area = cell(popup, {"en": "Area", "vi": "Diện tích"}[lang])
    assert "heza-badge-approximate" in area and "heza-badge-report" not in area
    assert OFFICIAL not in area and "Số liệu chính thức" not in area
    assert "heza-badge-report" in cell(popup, {"en": "Occupancy", "vi": "Tỷ lệ lấp đầy"}[lang])  # 001's figure


def test_park_popup_counts_land_not_handed_over_apart(tmp_path):
    frames = tiny_frames()
    frames["plots"].loc[frames["plots"]["plot_id"] == "A-5", "status"] = "not_handed_over"
    overview = parks_overview(load_dataset(write_dataset(tmp_path / "data", frames)))
    park_a = overview[overview["park_id"] == "A"].iloc[0]
    popup = park_popup(park_a, "en")
    assert cell(popup, "Land not yet handed over").startswith("10.00 ha <span class=\"heza-badge heza-badge-synthetic")
    assert cell(popup, "Available").startswith("10.00 ha ")  # A-3 only: land not handed over is never available
    assert "Land not yet handed over" not in park_popup(overview[overview["park_id"] == "B"].iloc[0], "en")


def test_zone_popup_badges_an_approximate_area_as_approximate(approx_data):
    area = cell(zone_popup(approx_data.zones.iloc[0], "en"), "Area")
    assert "heza-badge-approximate" in area and OFFICIAL not in area


def test_berth_1_operates_since_2018_not_since_a_day(tiny_data):
    """Berth 1 of the tiny dataset is known to operate since 2018 (precision year): no day is shown."""
    berths = berth_status(tiny_data.berths, tiny_data.berth_status_history)
    popup = berth_popup(berths[berths["berth_no"] == 1].iloc[0], "en")
    assert cell(popup, "Operating since") == "2018"
    assert "as of 2018<" in cell(popup, "Status")
    assert "Jan 2018" not in popup and "1 Jan" not in popup
    vi = berth_popup(berths[berths["berth_no"] == 1].iloc[0], "vi")
    assert cell(vi, "Khai thác từ") == "năm 2018" and "01/01/2018" not in vi


def test_the_port_pages_berth_popup_says_2018_too(tiny_data):
    overview = parks_overview(tiny_data)
    status = status_as_of_year(tiny_data.berths, tiny_data.berth_status_history, 2024)
    m = port_map(overview, status, tiny_data.connectivity, parks_within(overview, status, 5.0),
                 reach_area(status, 5.0), 5.0, "en")
    popups = [f["properties"]["popup"] for child in walk(m) if hasattr(child, "data") and isinstance(child.data, dict)
              for f in child.data.get("features", []) if f.get("properties", {}).get("layer") == "berth"]
    first = next(p for p in popups if "Berth 1<" in p)
    assert cell(first, "Operating since") == "2018" and "1 Jan 2018" not in first


# --- the plots' popups, built in the browser from the packed provenances --------------------------
def plots_with_provenances() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "plot_id": ["P-1", "P-2", "P-3", "P-4"],
        "park_id": ["A"] * 4,
        "status": ["leased", "available", "not_handed_over", "infrastructure"],
        "area_ha": [1.0, 2.0, 3.0, 0.5],
        "tenant": [None] * 4,
        "sector": [None] * 4,
        "source_kind": ["approximate", "report", "synthetic demo", None],
        "source": [APPROX_002, "001_7f014fdbc8afe3e1.txt", None, None],
    }, geometry=[box(106.70 + i / 100, 20.80, 106.705 + i / 100, 20.805) for i in range(4)], crs="EPSG:4326")


def test_packed_plots_carry_each_provenance_as_kind_and_reference():
    plots = plots_with_provenances()
    packed = pack(plots)
    assert packed["sources"] == [["approximate", APPROX_002], ["report", "001_7f014fdbc8afe3e1.txt"],
                                 ["synthetic demo", ""]]
    assert packed["source"] == [0, 1, 2, -1]  # no provenance: no badge
    back = unpack(packed)
    assert list(back["source_kind"].fillna("-")) == ["approximate", "report", "synthetic demo", "-"]
    assert list(back["source"].fillna("-")) == [APPROX_002, "001_7f014fdbc8afe3e1.txt", "-", "-"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_plot_popup_badges_come_from_the_kind(lang):
    plots = plots_with_provenances()
    packed = pack(plots)
    badges = plot_labels(lang, {"A": "Anh Duong IP"}, packed)["badges"]
    assert "heza-badge-approximate" in badges[0] and "heza-badge-report" not in badges[0]
    assert OFFICIAL not in badges[0] and "Số liệu chính thức" not in badges[0]
    assert "heza-badge-report" in badges[1] and "heza-badge-synthetic-demo" in badges[2]
    popups = [plot_popup(row, lang, "Anh Duong IP") for _, row in plots.iterrows()]
    assert badges[0] in popups[0] and "heza-badge-report" not in popups[0]
    assert "heza-badge" not in popups[3]  # no provenance, no badge: as the browser leaves it out


def test_land_not_handed_over_has_its_own_label_and_colour():
    from heza_geo import styling
    from heza_geo.maps.plots.pack import plot_styles

    packed = pack(plots_with_provenances())
    labels = plot_labels("en", {}, packed)
    statuses = dict(zip(packed["statuses"], labels["statuses"], strict=True))
    assert statuses["not_handed_over"] not in ("Available", "Leased", "Reserved", "Infrastructure", "not_handed_over")
    colours = {s: style["fillColor"] for s, style in zip(packed["statuses"], plot_styles(packed["statuses"]),
                                                           strict=True)}
    assert colours["not_handed_over"] == styling.PLOT_STATUS_COLOURS["not_handed_over"]
    assert len(set(styling.PLOT_STATUS_COLOURS.values())) == len(styling.PLOT_STATUS_COLOURS)


def test_the_legend_lists_land_not_handed_over():
    from heza_geo import i18n
    from heza_geo.maps.controls import legend_sections
    from heza_geo.view import MapView

    sections = dict(legend_sections(MapView(lang="en", layers=("plots",))))
    entries = [text for _, text, _ in sections["Plot status"]]
    assert i18n.label("plot_status", "not_handed_over", "en") in entries


def test_approximate_plot_popup_reads_the_same_in_the_browser():
    """The browser's popup (plots.js in Node) shows the approximate badge the Python popup shows."""
    import shutil

    if shutil.which("node") is None:
        pytest.skip("Node.js not installed (scripts/setup.sh installs it with npm)")
    from tests.maps.test_plots import run_js

    plots = plots_with_provenances()
    packed = pack(plots)
    shown = run_js("""
        const d = H.decode(input.packed);
        console.log(JSON.stringify([...Array(d.n).keys()].map(i => H.popup(d, i, input.labels))));
        """, {"packed": packed, "labels": plot_labels("en", {"A": "Anh Duong IP"}, packed)})
    assert shown == [plot_popup(row, "en", "Anh Duong IP") for _, row in plots.iterrows()]
    assert OFFICIAL not in shown[0] and "heza-badge-approximate" in shown[0]


def test_no_module_guesses_a_kind_from_text():
    """The consumers in maps/, export/ and ui/ read kind columns; none parses a source's text."""
    root = Path(__file__).resolve().parents[2] / "heza_geo"
    guesses = re.compile(r"provenance_kind\(|legacy_provenance\(|[\"']news:|REPORT_FILES if \w+ in ")
    offenders = [str(p.relative_to(root)) for folder in ("maps", "export", "ui", "cli")
                 for p in (root / folder).rglob("*.py") if guesses.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
