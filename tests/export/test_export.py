"""Exports of the tiny dataset: each format read back, as a user (or a script) would open it.

Snapshots here use the static renderer (``HEZA_EXPORT_RENDERER=static`` or a missing browser);
the browser renderer is tested in tests/e2e/test_export_html.py.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from PIL import Image
from pypdf import PdfReader

from heza_geo import cli, styling
from heza_geo.analysis.selection import check_filters, known_filters, select
from heza_geo.errors import ExportError
from heza_geo.export import ExportOptions, export, parse_size, snapshot, tables
from heza_geo.maps import assets
from heza_geo.view import Filters, MapView
from tests.conftest import tiny_frames, write_dataset
from tests.export.test_data import raw_sheet

PARK_NAMES = {"A": "KCN Ánh Dương", "B": "KCN Bình Minh", "C": "KCN Cát Hải Mới"}


@pytest.fixture(autouse=True)
def static_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEZA_EXPORT_RENDERER", "static")


def selection_without_land(data, filters=Filters(), view=MapView()):
    """A selection drawn on plain water, so blended park colours are computable on paper."""
    return select(data, filters, view, land=None)


def rgb(colour: str | tuple[int, int, int]) -> tuple[int, ...]:
    return tuple(colour) if isinstance(colour, tuple) else tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def blended(colour: str, alpha: float,
            background: str | tuple[int, int, int] = styling.WATER_COLOUR) -> tuple[int, int, int]:
    """The colour a fill of ``colour`` at ``alpha`` shows over ``background``."""
    fg, bg = rgb(colour), rgb(background)
    return tuple(round(alpha * f + (1 - alpha) * b) for f, b in zip(fg, bg, strict=True))


def pixels_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 6) -> int:
    rgb = image.convert("RGB")
    return sum(count for count, pixel in rgb.getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True)))


# --- selection -------------------------------------------------------------------------------
def test_selection_holds_the_filtered_parks_and_their_plots(tiny_data):
    selection = select(tiny_data, Filters(districts=("D1",)), MapView(), land=None)
    assert sorted(selection.parks["park_id"]) == ["A", "B"]
    assert len(selection.plots) == 7
    assert selection.park_names["A"] == "KCN Ánh Dương"
    assert list(selection.layers()) == ["zones", "parks", "plots", "berths", "housing", "connectivity"]


def test_unknown_park_or_district_is_named(tiny_data):
    problems = check_filters(tiny_data, Filters(parks=("A", "Z9"), districts=("D7",)))
    assert any("'Z9'" in p and "park" in p for p in problems)
    assert any("'D7'" in p for p in problems)
    assert known_filters(tiny_data, Filters(parks=("A", "Z9"))).parks == ("A",)


# --- data ------------------------------------------------------------------------------------
def test_csv_of_one_layer_keeps_vietnamese_names_byte_exact(tiny_data, tmp_path):
    out = tmp_path / "parks.csv"
    export(tiny_data, Filters(districts=("D1",)), MapView(layers=("parks",)), "csv", out)
    raw = out.read_bytes()
    assert "KCN Ánh Dương".encode() in raw
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame["name_vi"]) == ["KCN Ánh Dương", "KCN Bình Minh"]
    assert frame.loc[frame["park_id"] == "A", "leased_ha"].item() == 50.0
    assert frame.loc[frame["park_id"] == "A", "occupancy_as_of"].item() == "2023-10-14"
    assert {"lon", "lat"} <= set(frame.columns) and "geometry" not in frame.columns


def test_csv_of_several_layers_is_a_zip_with_sources(tiny_data, tmp_path):
    out = tmp_path / "data.zip"
    export(tiny_data, Filters(), MapView(layers=("parks", "plots")), "csv", out)
    with zipfile.ZipFile(out) as archive:
        # with the parks come their passports, contacts and incentives (tests/export/test_data_investor.py)
        assert sorted(archive.namelist()) == ["contacts.csv", "incentives.csv", "parks.csv", "passports.csv",
                                              "plots.csv", "sources.csv"]
        plots = pd.read_csv(io.BytesIO(archive.read("plots.csv")), encoding="utf-8-sig")
        sources = pd.read_csv(io.BytesIO(archive.read("sources.csv")), encoding="utf-8-sig")
    assert len(plots) == 7
    assert "001_7f014fdbc8afe3e1.txt" in set(sources["source"])


def test_csv_of_several_layers_named_csv_is_refused_with_the_way_out(tiny_data, tmp_path):
    with pytest.raises(ExportError, match=r"\.zip"):
        export(tiny_data, Filters(), MapView(layers=("parks", "plots")), "csv", tmp_path / "data.csv")
    assert not (tmp_path / "data.csv").exists()


def test_xlsx_has_a_sheet_per_layer_and_a_sources_sheet(tiny_data, tmp_path):
    out = tmp_path / "data.xlsx"
    export(tiny_data, Filters(districts=("D1",)), MapView(lang="en"), "xlsx", out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["zones", "parks", "plots", "berths", "housing", "connectivity", "passports",
                               "contacts", "incentives", "sources", "codes"]
    parks = raw_sheet(out, "parks")
    assert list(parks["name_vi"]) == ["KCN Ánh Dương", "KCN Bình Minh"]
    assert len(pd.read_excel(out, sheet_name="plots")) == 7
    sources = raw_sheet(out, "sources")
    assert "source" not in sources.columns  # a workbook for people: the source as a reader names it (issue 16)
    report = sources[sources["named"] == "HEZA report of 14 Oct 2023 (Oct 2023 review)"].iloc[0]
    assert report["date"] == "2023-10-14"
    assert "Industrial parks" in report["covers"] and report["kind"].startswith("Official figure")


def test_geojson_is_one_collection_tagged_by_layer(tiny_data, tmp_path):
    out = tmp_path / "data.geojson"
    export(tiny_data, Filters(parks=("A",)), MapView(layers=("parks", "plots", "berths")), "geojson", out)
    collection = json.loads(out.read_text(encoding="utf-8"))
    layers = pd.Series([f["properties"]["layer"] for f in collection["features"]]).value_counts().to_dict()
    assert layers == {"plots": 5, "berths": 2, "parks": 1}
    park = next(f for f in collection["features"] if f["properties"]["layer"] == "parks")
    assert park["properties"]["name_vi"] == "KCN Ánh Dương"
    assert park["geometry"]["type"] == "Polygon"
    assert "KCN Ánh Dương".encode() in out.read_bytes()
    assert collection["sources"]


def test_geopackage_has_a_layer_per_layer_with_the_same_rows(tiny_data, tmp_path):
    out = tmp_path / "data.gpkg"
    export(tiny_data, Filters(districts=("D1",)), MapView(layers=("parks", "plots")), "gpkg", out)
    assert [name for name, _ in pyogrio.list_layers(out)] == ["parks", "plots", "passports", "contacts", "incentives",
                                                             "sources"]
    parks = gpd.read_file(out, layer="parks")
    assert list(parks["name_vi"]) == ["KCN Ánh Dương", "KCN Bình Minh"]
    assert parks.crs.to_epsg() == 4326
    assert len(gpd.read_file(out, layer="plots")) == 7


@pytest.fixture
def confidential_data(tmp_path):
    from heza_geo.io import load_dataset

    frames = tiny_frames()
    frames["plots"] = frames["plots"].assign(tenant_contact="secret@example.vn", price_usd_m2=120.0,
                                             internal_note="do not share")
    return load_dataset(write_dataset(tmp_path / "conf", frames))


@pytest.mark.parametrize("fmt", ["xlsx", "geojson", "gpkg"])
def test_confidential_columns_stay_out_unless_asked_for(confidential_data, tmp_path, fmt):
    view = MapView(layers=("plots",))
    public = tmp_path / f"public.{fmt}"
    export(confidential_data, Filters(), view, fmt, public)
    assert b"secret@example.vn" not in public.read_bytes() and b"do not share" not in public.read_bytes()
    internal = tmp_path / f"internal.{fmt}"
    export(confidential_data, Filters(), view, fmt, internal, ExportOptions(include_confidential=True))
    columns = (raw_sheet(internal, "plots").columns if fmt == "xlsx" else
               gpd.read_file(internal).columns if fmt == "geojson" else gpd.read_file(internal, layer="plots").columns)
    assert {"tenant_contact", "price_usd_m2", "internal_note"} <= set(columns)


# --- snapshots -------------------------------------------------------------------------------
def test_png_has_the_chosen_size_and_the_parks_colours(tiny_data, tmp_path):
    out = tmp_path / "map.png"
    view = MapView(layers=("parks",), colour_by="stage")
    result = export(tiny_data, Filters(), view, "png", out, ExportOptions(size=parse_size("1920x1080")),
                    selection=selection_without_land(tiny_data, view=view))
    assert result.renderer == "static"
    image = Image.open(out)
    assert image.size == (1920, 1080)
    for stage in ("full", "site_clearance"):
        assert pixels_near(image, blended(styling.STAGE_COLOURS[stage], 0.75)) > 200, stage


def test_png_for_print_is_a4_at_300_dpi(tiny_data, tmp_path):
    out = tmp_path / "map.png"
    export(tiny_data, Filters(parks=("A",)), MapView(), "png", out, ExportOptions(size=parse_size("a4")),
           selection=selection_without_land(tiny_data, Filters(parks=("A",))))
    image = Image.open(out)
    assert image.size == (3508, 2480)
    assert round(image.info["dpi"][0]) == 300
    assert pixels_near(image, blended(styling.PLOT_STATUS_COLOURS["leased"], 0.8,
                                      blended(styling.occupancy_colour(71.4), 0.75))) > 1000


def test_static_renderer_takes_over_when_no_browser_is_installed(tiny_data, tmp_path, monkeypatch):
    monkeypatch.delenv("HEZA_EXPORT_RENDERER")
    monkeypatch.setenv("HEZA_CHROMIUM", str(tmp_path / "no-chromium"))
    result = export(tiny_data, Filters(), MapView(), "png", tmp_path / "map.png",
                    ExportOptions(size=parse_size("800x600")))
    assert result.renderer == "static"
    assert "no-chromium" in (result.fallback_reason or "") and result.warnings == []
    assert Image.open(result.path).size == (800, 600)


def test_forcing_the_browser_where_there_is_none_fails_with_the_reason(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv("HEZA_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(ExportError, match="no-chromium"):
        export(tiny_data, Filters(), MapView(), "png", tmp_path / "map.png", ExportOptions(renderer="browser"))
    assert not (tmp_path / "map.png").exists()


def test_pdf_sheet_lists_parks_figures_and_sources(tiny_data, tmp_path):
    out = tmp_path / "sheet.pdf"
    export(tiny_data, Filters(), MapView(lang="vi"), "pdf", out,
           selection=selection_without_land(tiny_data))
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for name in PARK_NAMES.values():
        assert name in text
    assert "71,4%" in text and "25,0%" in text  # occupancy, Vietnamese decimal comma
    assert "100 ha" in text and "Tổng cộng (3 KCN)" in text and "150 ha" in text
    assert "001_7f014fdbc8afe3e1.txt" not in text  # the report by its name (issue 16), its date as vi writes it
    assert "Báo cáo của Ban Quản lý KKT Hải Phòng, 14/10/2023 (đánh giá tháng 10/2023)" in " ".join(text.split())


def test_pdf_atlas_adds_a_page_per_park(tiny_data, tmp_path):
    out = tmp_path / "atlas.pdf"
    export(tiny_data, Filters(districts=("D1",)), MapView(lang="en"), "pdf", out, ExportOptions(atlas=True, sheet="a3"),
           selection=selection_without_land(tiny_data, Filters(districts=("D1",)), MapView(lang="en")))
    reader = PdfReader(out)
    assert len(reader.pages) == 3
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 297  # A3 portrait
    park_a, park_b = (page.extract_text() for page in reader.pages[1:])
    assert park_a.startswith("Anh Duong IP") and "KCN Ánh Dương" in park_a
    assert "71.4%" in park_a and "50.00 ha" in park_a  # occupancy (reported) and leased land (demo)
    assert park_b.startswith("Binh Minh IP") and "25.0%" in park_b


def test_pdf_text_in_korean_reads_back(tiny_data, tmp_path):
    out = tmp_path / "ko.pdf"
    export(tiny_data, Filters(parks=("A",)), MapView(lang="ko"), "pdf", out,
           selection=selection_without_land(tiny_data, Filters(parks=("A",)), MapView(lang="ko")))
    text = PdfReader(out).pages[0].extract_text()
    assert "Anh Duong IP" in text and "출처" in text


def test_standalone_html_needs_nothing_from_the_internet(tiny_data, tmp_path):
    if assets.missing_assets():
        pytest.skip("static/vendor not installed (make setup)")
    out = tmp_path / "map.html"
    export(tiny_data, Filters(), MapView(lang="en"), "html", out)
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and 'rel="stylesheet"' not in page
    assert "heza-park" in page and "KCN" in page
    assert "<title>HEZA GIS" in page
    selection = select(tiny_data, Filters(), MapView(lang="en"), land=None)
    m = snapshot.snapshot_map(selection, snapshot.caption(selection, {}), for_print=False)
    assert assets.external_links(assets.localize(m)) == []


def test_progress_runs_from_start_to_done(tiny_data, tmp_path):
    steps: list[tuple[float, str]] = []
    export(tiny_data, Filters(), MapView(lang="en"), "png", tmp_path / "map.png",
           ExportOptions(size=parse_size("800x600")), lambda f, m: steps.append((f, m)),
           selection=selection_without_land(tiny_data, view=MapView(lang="en")))
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert steps[-1][1] == "Done" and any("Drawing map" in m for _, m in steps)


def test_missing_folder_is_named(tiny_data, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export(tiny_data, Filters(), MapView(), "csv", tmp_path / "nowhere" / "x.csv")


@pytest.mark.parametrize("text, size", [("1920x1080", (1920, 1080)), ("A4", (3508, 2480)), ("a3", (4961, 3508)),
                                        ("800×600", (800, 600))])
def test_sizes_read_as_people_write_them(text, size):
    parsed = parse_size(text)
    assert (parsed.width, parsed.height) == size


def test_bad_size_is_refused():
    with pytest.raises(ExportError, match="1920x1080, a4, a3"):
        parse_size("huge")


# --- tables ----------------------------------------------------------------------------------
def test_indicator_table_shows_figures_as_the_language_writes_them(tiny_data):
    selection = select(tiny_data, Filters(), MapView(), land=None)
    table = tables.indicator_table(selection.parks, "vi")
    row = table.iloc[0]
    assert list(row) == ["KCN Ánh Dương", "Cơ bản lấp đầy", "100 ha", "50 ha", "10 ha", "71,4%", "14/10/2023",
                         "Báo cáo 001"]
    assert table.iloc[2]["Tỷ lệ lấp đầy"] == "—"  # the planned park has no figure


def test_sources_say_what_each_source_covers(tiny_data):
    selection = select(tiny_data, Filters(), MapView(lang="en"), land=None)
    sources = tables.sources(tables.layer_frames(selection), "en")
    assert next(iter(sources["source"])) == "001_7f014fdbc8afe3e1.txt"  # HEZA reports first
    demo = sources[sources["source_kind"] == "synthetic demo"].iloc[0]
    assert "Plots: Outline (7)" in demo["covers"] and pd.isna(demo["source"])  # demo data cite nothing
    assert list(sources.columns) == ["source_kind", "source", "named", "kind", "date", "covers"]
    report = sources[sources["source"] == "001_7f014fdbc8afe3e1.txt"].iloc[0]
    assert (report["source_kind"], report["date"]) == ("report", "2023-10-14")  # the report's own date
    assert report["named"] == "HEZA report of 14 Oct 2023 (Oct 2023 review)"  # as a reader names it
    assert "Industrial parks: Stage (1)" in report["covers"]  # planned parks' stages have no source: not counted


# --- command line ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, name", [("png", "map.png"), ("pdf", "map.pdf"), ("html", "map.html"),
                                       ("csv", "data.zip"), ("xlsx", "data.xlsx"), ("geojson", "data.geojson"),
                                       ("gpkg", "data.gpkg")])
def test_cli_writes_each_format(tiny_dir, tmp_path, capsys, fmt, name):
    if fmt == "html" and assets.missing_assets():
        pytest.skip("static/vendor not installed (make setup)")
    out = tmp_path / name
    args = ["export", "--data", str(tiny_dir), "--format", fmt, "--out", str(out), "--district", "D1", "--lang", "en"]
    if fmt == "png":
        args += ["--size", "640x480"]
    assert cli.main(args) == 0
    assert out.is_file() and out.stat().st_size > 0
    assert f"wrote {out}" in capsys.readouterr().out


def test_cli_unknown_park_exits_non_zero_with_one_line(tiny_dir, tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert cli.main(["export", "--data", str(tiny_dir), "--format", "xlsx", "--out", str(out), "--park", "A,Z9"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown park 'Z9'" in err
    assert not out.exists()


def test_cli_unwritable_path_exits_non_zero_with_one_line(tiny_dir, tmp_path, capsys):
    out = tmp_path / "missing" / "x.csv"
    assert cli.main(["export", "--data", str(tiny_dir), "--format", "csv", "--layers", "parks", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "does not exist" in err


def test_cli_bad_value_exits_2(tiny_dir, tmp_path, capsys):
    assert cli.main(["export", "--data", str(tiny_dir), "--format", "png", "--out", str(tmp_path / "x.png"),
                     "--stage", "finished"]) == 2
    assert "finished" in capsys.readouterr().err


def test_cli_pdf_size_must_be_a_sheet(tiny_dir, tmp_path, capsys):
    assert cli.main(["export", "--data", str(tiny_dir), "--format", "pdf", "--out", str(tmp_path / "x.pdf"),
                     "--size", "1920x1080"]) == 2
    assert "a4 or a3" in capsys.readouterr().err


def test_written_files_are_whole_or_absent(tiny_data, tmp_path):
    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    with pytest.raises(ExportError):
        export(tiny_data, Filters(parks=("nope",)), MapView(), "png", out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "map.png"]  # data: the tiny dataset


def test_default_layers_cover_every_map_layer(tiny_data, tmp_path):
    out = tmp_path / "all.gpkg"
    export(tiny_data, Filters(), MapView(), "gpkg", out)
    assert {name for name, _ in pyogrio.list_layers(out)} == {
        "zones", "parks", "plots", "berths", "housing", "connectivity", "passports", "contacts", "incentives",
        "sources"}
    assert Path(out).stat().st_size > 0


# --- provenance: kinds beside references, badges from the kind ----------------------------------
APPROX_002 = "share of the 6,100 ha total (002_03c113ee68876e37.txt) not covered by published per-park figures"


@pytest.fixture
def approx_data(tmp_path):
    """The tiny dataset with park A's area approximated from 002's total (the bug: badged official)."""
    from heza_geo.io import load_dataset

    frames = tiny_frames()
    frames["parks"].loc[0, ["area_source_kind", "area_source"]] = ["approximate", APPROX_002]
    return load_dataset(write_dataset(tmp_path / "approx", frames))


def test_source_label_reads_the_kind_not_the_text():
    from heza_geo.schema import Provenance

    assert tables.source_label(Provenance("approximate", APPROX_002), "en") == "Approximate – not a published figure"
    assert tables.source_label(Provenance("report", "002_03c113ee68876e37.txt"), "en", short=True) == "HEZA report 002"
    assert tables.source_label(Provenance("news", "vietnam.vn 20/07/2025"), "en") == "vietnam.vn 20/07/2025"
    assert tables.source_label(Provenance.of(None, None), "en") == "—"


def test_sources_table_keeps_an_approximation_citing_a_report_approximate(approx_data):
    selection = select(approx_data, Filters(), MapView(lang="en"), land=None)
    sources = tables.sources(tables.layer_frames(selection), "en")
    row = sources[sources["source"] == APPROX_002].iloc[0]
    assert row["source_kind"] == "approximate" and row["kind"] == "Approximate – not a published figure"
    assert pd.isna(row["date"]) and row["covers"] == "Industrial parks: Area (ha) (1)"
    assert not (sources["kind"].str.startswith("Official figure") & (sources["source_kind"] != "report")).any()
    assert "002" not in tables.sources_line(tables.layer_frames(selection), "en")  # 002 itself is cited by nothing


def test_xlsx_and_csv_carry_each_kind_beside_its_reference(approx_data, tmp_path):
    out = tmp_path / "data.xlsx"
    export(approx_data, Filters(), MapView(lang="en"), "xlsx", out)
    parks = raw_sheet(out, "parks")
    columns = list(parks.columns)
    for reference in ("source", "area_source", "stage_source", "occupancy_source"):
        assert columns.index(f"{reference}_kind") == columns.index(reference) - 1, reference
    assert columns.index("occupancy_as_of_precision") == columns.index("occupancy_as_of") + 1
    park_a = parks[parks["park_id"] == "A"].iloc[0]
    # the workbook names the source as a reader does (issue 16): the method, report 002 by its name
    approx_named = "Approximate: " + APPROX_002.replace(
        "002_03c113ee68876e37.txt", "HEZA report of Nov 2024 (2024 international integration)")
    assert (park_a["area_source_kind"], park_a["area_source"]) == ("approximate", approx_named)
    assert park_a["stage_source"] == "HEZA report of 14 Oct 2023 (Oct 2023 review)"
    sources = raw_sheet(out, "sources")
    row = sources[sources["named"] == approx_named].iloc[0]
    assert row["source_kind"] == "approximate" and not row["kind"].startswith("Official figure")
    plots = raw_sheet(out, "plots")
    assert set(plots["source_kind"]) == {"synthetic demo"}
    zipped = tmp_path / "data.zip"
    export(approx_data, Filters(), MapView(layers=("parks", "berths")), "csv", zipped)
    with zipfile.ZipFile(zipped) as archive:
        berths = pd.read_csv(io.BytesIO(archive.read("berths.csv")), encoding="utf-8-sig")
        listed = pd.read_csv(io.BytesIO(archive.read("sources.csv")), encoding="utf-8-sig")
    assert list(berths.columns[:2]) == ["berth_no", "terminal"] and "source_kind" in berths.columns
    assert set(listed["source_kind"]) <= {"report", "news", "approximate", "synthetic demo"}
    assert APPROX_002 in set(listed["source"])  # a data file for scripts keeps the store's reference


def test_pdf_park_sheet_and_sources_list_show_the_approximate_area_as_approximate(approx_data, tmp_path):
    from heza_geo.export import pdf

    overview = select(approx_data, Filters(), MapView(lang="en"), land=None).parks
    park_a = overview[overview["park_id"] == "A"].iloc[0]
    figures = pdf.park_figures(park_a, "en")
    area = figures[figures["Figure"] == "Area"].iloc[0]
    assert area["Source"] == "Approximate – not a published figure"
    occupancy = figures[figures["Figure"] == "Occupancy"].iloc[0]
    assert occupancy["Source"] == "as of 14 Oct 2023 · HEZA report of 14 Oct 2023 (Oct 2023 review)"
    out = tmp_path / "atlas.pdf"
    export(approx_data, Filters(parks=("A",)), MapView(lang="en"), "pdf", out, ExportOptions(atlas=True),
           selection=selection_without_land(approx_data, Filters(parks=("A",)), MapView(lang="en")))
    sheet, atlas = (" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Area 100.00 ha Approximate – not a published figure" in atlas
    assert "Area 100.00 ha Official" not in atlas
    assert "not covered by published per-park figures — Approximate – not a published figure: Industrial parks: " \
           "Area (ha) (1)" in sheet
    assert "002_03c113ee68876e37" not in sheet  # the method's report by its name (issue 16)


def test_pdf_sources_list_names_demo_data_by_its_badge_alone(tiny_data, tmp_path):
    from heza_geo.export import pdf

    sources = tables.sources(tables.layer_frames(selection_without_land(tiny_data)), "en")
    lines = [pdf.source_line(row, "en") for _, row in sources.iterrows()]
    assert lines[0].startswith("HEZA report of 14 Oct 2023 (Oct 2023 review) — Official figure – HEZA report: ")
    demo = next(line for line in lines if "Synthetic demo" in line)
    assert demo.startswith("Synthetic demo data – not an official figure: ")
