"""The slide-ready charts (heza_geo.ui.slides) built from the tiny dataset's frames (tests/conftest.py):
each is a valid Vega-Lite specification (Altair validates it against the schema in ``to_dict``)
whose titles, labels and number format follow the reader's language. Drawing them is the
browser's part (tests/e2e/test_pages_occupancy_investment_port.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis import charts
from heza_geo.analysis.investment import flows
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.panels import park_history
from heza_geo.analysis.tables import occupancy_rows
from heza_geo.ui import slides


def spec(chart, lang: str) -> str:
    return json.dumps(slides.slide(chart, lang).to_dict(), ensure_ascii=False)


def test_building_a_slide_loads_no_streamlit():
    code = "import sys, heza_geo.ui.slides; print(sorted({m.partition('.')[0] for m in sys.modules} & {'streamlit'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_slide_writes_numbers_as_the_language_does_and_renders_as_svg(tiny_shared):
    frame = charts.flow_bars(flows(tiny_shared.investment), "fdi", "year 2023", "vi")
    vi = slides.slide(slides.flow_chart(frame, "fdi", "vi"), "vi").to_dict()
    assert vi["config"]["locale"]["number"]["decimal"] == ","
    assert vi["usermeta"]["embedOptions"]["renderer"] == "svg"
    en = slides.slide(slides.flow_chart(frame, "fdi", "en"), "en").to_dict()
    assert en["config"]["locale"]["number"]["decimal"] == "."


def test_the_flow_chart_is_titled_with_its_unit_and_cites_its_sources(tiny_shared):
    frame = charts.flow_bars(flows(tiny_shared.investment), "fdi", "year 2023", "en")
    text = spec(slides.flow_chart(frame, "fdi", "en"), "en")
    assert i18n.t("investment.fdi_chart_title", "en", unit="million USD") in text
    assert i18n.t("investment.flow_chart_subtitle", "en", sources="001, 003, 002") in text
    assert "3,037 (151.85%)" in text


def test_the_occupancy_chart_and_history_draw_every_park_and_the_reference_lines(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    bars, pairs = charts.occupancy_bars(table, "stage", "en")
    refs = charts.reference_rules(tiny_shared.occupancy_history, "en")
    text = spec(slides.occupancy_chart(bars, pairs, refs, "stage", "en"), "en")
    assert all(name in text for name in table["park"]) and i18n.t("legend.stage", "en") in text
    points = charts.occupancy_points(tiny_shared.occupancy_history, ["A"], {"A": "Anh Duong IP"}, "en")
    history = spec(slides.occupancy_history_chart(points, charts.city_points(tiny_shared.occupancy_history, "en"),
                                                  "Anh Duong IP", "en"), "en")
    assert f"{i18n.t('occupancy.history_title', 'en')}: Anh Duong IP" in history


def _occupancy_spec(tiny_shared) -> dict:
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    bars, pairs = charts.occupancy_bars(table, "occupancy", "en")
    refs = charts.reference_rules(tiny_shared.occupancy_history, "en")
    return slides.slide(slides.occupancy_chart(bars, pairs, refs, "occupancy", "en"), "en").to_dict()


def test_the_occupancy_axis_ends_at_100_percent_as_a_share_cannot_exceed_it(tiny_shared):
    layers = _occupancy_spec(tiny_shared)["layer"]
    x = next(layer["encoding"]["x"] for layer in layers if layer["mark"]["type"] == "bar")
    assert x["scale"]["domain"] == [0, 100] and x["scale"]["nice"] is False


def test_occupancy_value_labels_stand_past_the_axis_end_and_the_lines_are_labelled_above_the_bars(tiny_shared):
    layers = _occupancy_spec(tiny_shared)["layer"]
    texts = [layer for layer in layers if layer["mark"]["type"] == "text"]
    values = next(layer for layer in texts if layer["encoding"]["text"]["field"] == "label")
    # every value label starts right of 100%, where no reference line (60-65%) runs
    assert values["encoding"]["x"] == {"datum": 100} and values["mark"]["align"] == "left"
    assert values["mark"]["dx"] > 0
    lines = next(layer for layer in texts if layer["encoding"]["text"]["field"] == "edge_text")
    assert lines["encoding"]["y"]["value"] < 0  # above the first bar, at the chart's top edge


def test_the_occupancy_chart_subtitle_is_the_sources_of_its_bars(tiny_shared):
    table = occupancy_rows(parks_overview(tiny_shared), "en")
    subtitle = _occupancy_spec(tiny_shared)["title"]["subtitle"]
    assert subtitle == [i18n.t("occupancy.sources_subtitle", "en"), *charts.occupancy_sources(table, "en")]
    assert i18n.t("occupancy.chart_subtitle", "en") not in json.dumps(subtitle)


def test_the_berth_timeline_marks_the_chosen_date(tiny_shared):
    events = charts.berth_events(tiny_shared.berth_status_history, "vi")
    text = spec(slides.berth_timeline(events, charts.berth_spans(events), date(2024, 12, 31), "vi"), "vi")
    assert "31/12/2024" in text and i18n.t("port.timeline_chart_title", "vi") in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_investment_charts_of_written_rows_are_valid(lang):
    rows = pd.DataFrame({
        "period": ["2022", "2023"], "period_end": pd.to_datetime(["2022-12-31", "2023-12-31"]),
        "metric": ["fdi_cumulative_musd"] * 2, "value": [20000.0, 23000.0], "unit": ["million USD"] * 2,
        "plan": [None, 25000.0], "pct_of_plan": [None, 92.0], "basis": ["reported"] * 2, "note": [None] * 2,
        "source_kind": ["report"] * 2, "source": ["001_7f014fdbc8afe3e1.txt"] * 2, "flow": ["fdi"] * 2,
        "measure": ["capital"] * 2})
    spec(slides.cumulative_chart(charts.cumulative_bars(rows, "fdi", lang), "fdi", lang), lang)
    sector = rows.assign(metric="sector_share_electronics_pct", value=[40.0, 41.6])
    sector_text = spec(slides.sector_chart(charts.sector_bars(sector, lang), None, lang), lang)
    assert i18n.t("investment.sector_subtitle", lang, source="001") in sector_text  # the report's number
    investors = pd.DataFrame({"name_vi": ["Công ty A"], "name_en": ["A Co."], "kind": ["new_project"],
                              "amount_musd": [1000.0], "source_kind": ["news"], "source": ["example.vn 05/04/2025"]})
    investors_text = spec(slides.investors_chart(charts.investor_bars(investors, lang), lang), lang)
    assert i18n.t("investment.investors_subtitle", lang, sources="example.vn 05/04/2025") in investors_text
    enterprise = rows.assign(metric="export_musd")
    spec(slides.enterprise_chart(charts.enterprise_bars(enterprise, lang), lang), lang)


def test_the_park_panels_history_chart_is_valid(tiny_shared):
    slides.park_history_chart(park_history(tiny_shared.occupancy_history, "A", "en"), "en").to_dict()


def test_the_berth_timeline_shapes_records_by_their_kind_of_source(tiny_shared):
    """A report's record is a circle, a news one a diamond: read from ``source_kind``, not the text."""
    events = charts.berth_events(tiny_shared.berth_status_history, "en")
    chart = slides.berth_timeline(events, charts.berth_spans(events), date(2025, 6, 30), "en").to_dict()
    shape = next(layer["encoding"]["shape"] for layer in chart["layer"] if "shape" in layer.get("encoding", {}))
    kinds = dict(zip(shape["scale"]["domain"], shape["scale"]["range"], strict=True))
    assert kinds == {i18n.label("provenance", "report", "en"): "circle",
                     i18n.label("provenance", "news", "en"): "diamond"}
