"""Provenance and date precision in validation (``heza_geo.io.validation``), and the ``validate`` command.

A provenance is a pair of columns, ``source_kind`` and ``source`` (``area_source_kind`` and
``area_source``…): a kind the schema does not know, a report that cites no known report file, news
without its site and an approximation without its method are each refused in one line naming the
file, the row and the field. A date may be known to the year or the month where the table has a
precision column; elsewhere it must be a full date.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heza_geo import cli, i18n
from heza_geo.io.validation import validate_frame
from heza_geo.schema import (
    BERTH_STATUS_HISTORY,
    HOUSING,
    INVESTMENT,
    OCCUPANCY_HISTORY,
    PARKS,
    LayerSchema,
    Provenance,
    provenance_of,
    provenances,
)
from tests.conftest import tiny_frames

REPO = Path(__file__).resolve().parents[2]
REPORT_IN_A_METHOD = "share of the 6,100 ha total (002_03c113ee68876e37.txt)"


def problems_of(frame: pd.DataFrame, schema: LayerSchema, file: str = "data.csv") -> tuple[pd.DataFrame | None,
                                                                                             list[str]]:
    typed, problems = validate_frame(frame, schema, file)
    return typed, [str(p) for p in problems]


def investment(**row: object) -> pd.DataFrame:
    """The tiny dataset's investment table with its first row changed."""
    frame = tiny_frames()["investment"]
    for column, value in row.items():
        frame.loc[0, column] = value
    return frame


FIRST_INVESTMENT = "investment.csv, layer 'investment', row 1 (period=10 months 2023, metric=fdi_total_musd, "


# --- provenance -----------------------------------------------------------------------------------
def test_the_tiny_dataset_is_valid_with_its_kinds():
    for name, frame in tiny_frames().items():
        from heza_geo.schema import LAYERS

        typed, problems = validate_frame(frame, LAYERS[name], name)
        assert problems == [] and typed is not None, name


def test_an_unknown_kind_is_refused_in_one_line_naming_the_kind_field():
    _, problems = problems_of(investment(source_kind="official"), INVESTMENT, "investment.csv")
    assert problems == [FIRST_INVESTMENT + "source=001_7f014fdbc8afe3e1.txt), field 'source_kind': 'official' is not "
                                           "one of report, news, approximate, synthetic demo"]


def test_a_report_citing_an_unknown_file_is_refused_on_the_source_field():
    _, problems = problems_of(investment(source="009_0000000000000000.txt"), INVESTMENT, "investment.csv")
    assert problems == [FIRST_INVESTMENT + "source=009_0000000000000000.txt), field 'source': "
                        "'009_0000000000000000.txt' is not a known HEZA report file (000_0348db918e8c2867.txt, "
                        "001_7f014fdbc8afe3e1.txt, 002_03c113ee68876e37.txt, 003_c29c595c5ac2d704.txt, "
                        "004_7c364edc3c1b17af.txt)"]


@pytest.mark.parametrize("reference", ["", "20/07/2025", "news: vietnam.vn", "the newspaper"])
def test_news_without_its_site_is_refused(reference):
    _, problems = problems_of(investment(source_kind="news", source=reference), INVESTMENT, "investment.csv")
    assert len(problems) == 1 and "field 'source': " in problems[0]
    assert "does not start with the news site (e.g. 'vietnam.vn 20/07/2025')" in problems[0]


@pytest.mark.parametrize("reference", ["vietnam.vn 20/07/2025", "vietnam.vn", "vietnam.vn; laodong.vn",
                                       "heza.gov.vn/tin-tuc 01/02/2024"])
def test_news_with_its_site_passes(reference):
    typed, problems = problems_of(investment(source_kind="news", source=reference), INVESTMENT)
    assert problems == [] and provenances(typed)[0] == Provenance("news", reference)


def test_an_approximation_without_its_method_is_refused():
    _, problems = problems_of(investment(source_kind="approximate", source=None), INVESTMENT, "investment.csv")
    assert problems == [FIRST_INVESTMENT.removesuffix(", ") + "), field 'source': an approximate figure needs its "
                                                              "method (how it was placed or estimated)"]


def test_synthetic_demo_needs_no_reference_and_a_figure_may_have_no_source():
    typed, problems = problems_of(investment(source_kind="synthetic demo", source=None), INVESTMENT)
    assert problems == [] and provenances(typed)[0] == Provenance("synthetic demo")
    parks = tiny_frames()["parks"]  # the planned park C has no stage source: kind and reference both empty
    typed, problems = problems_of(parks, PARKS)
    assert problems == [] and provenance_of(typed.iloc[2], "stage_source") == Provenance("none")


def test_a_reference_without_its_kind_is_refused_where_the_kind_is_optional():
    parks = tiny_frames()["parks"]
    parks.loc[1, "stage_source"] = "001_7f014fdbc8afe3e1.txt"  # stage_source_kind stays empty
    _, problems = problems_of(parks, PARKS, "parks.geojson")
    assert problems == ["parks.geojson, layer 'parks', row 2 (park_id=B), field 'stage_source': "
                        "'001_7f014fdbc8afe3e1.txt' has no kind; give one of report, news, approximate, synthetic demo"]


def test_a_required_kind_left_empty_is_said_once():
    _, problems = problems_of(investment(source_kind=None), INVESTMENT, "investment.csv")
    assert problems == [FIRST_INVESTMENT + "source=001_7f014fdbc8afe3e1.txt), field 'source_kind': is empty but "
                                           "required"]


def test_an_approximation_citing_a_report_stays_an_approximation():
    """The bug: a method naming a report file was badged "Official figure – HEZA report"."""
    typed, problems = problems_of(investment(source_kind="approximate", source=REPORT_IN_A_METHOD), INVESTMENT)
    assert problems == []
    found = provenances(typed)[0]
    assert found == Provenance("approximate", REPORT_IN_A_METHOD) and found.report_date is None
    for lang in i18n.LANGUAGES:
        assert i18n.badge(found, lang) == i18n.badge("approximate", lang) != i18n.badge("report", lang), lang


def test_many_bad_provenances_are_summarised():
    frame = pd.concat([tiny_frames()["investment"]] * 10, ignore_index=True)
    frame["period"] = [f"p{i}" for i in range(len(frame))]
    frame["source_kind"], frame["source"] = "news", "no site here"
    _, problems = problems_of(frame, INVESTMENT)
    assert len(problems) == 21 and problems[-1] == "data.csv, layer 'investment', field 'source': ... and 10 more rows"


# --- dates with a precision -------------------------------------------------------------------------
def berth_history(as_of: str, precision: str | None) -> pd.DataFrame:
    frame = tiny_frames()["berth_status_history"]
    frame.loc[0, "as_of"], frame.loc[0, "as_of_precision"] = as_of, precision
    return frame


def test_a_year_with_precision_year_is_stored_as_the_first_day_of_that_year():
    typed, problems = problems_of(berth_history("2018", "year"), BERTH_STATUS_HISTORY)
    assert problems == []
    assert typed.loc[0, "as_of"] == pd.Timestamp("2018-01-01") and typed.loc[0, "as_of_precision"] == "year"
    assert pd.isna(typed.loc[1, "as_of_precision"])  # a full date: a day


def test_the_first_day_of_its_period_is_accepted_with_its_precision():
    """What the store writes back (``2018-01-01``, ``year``) reads as it was."""
    for as_of, precision in (("2018-01-01", "year"), ("2018-05-01", "month"), ("2018-05-13", "day")):
        typed, problems = problems_of(berth_history(as_of, precision), BERTH_STATUS_HISTORY)
        assert problems == [] and typed.loc[0, "as_of"] == pd.Timestamp(as_of), (as_of, precision)


def test_a_coarse_date_without_its_precision_gets_it_from_how_it_is_written():
    for as_of, precision, day in (("2018", "year", "2018-01-01"), ("2018-05", "month", "2018-05-01")):
        typed, problems = problems_of(berth_history(as_of, None), BERTH_STATUS_HISTORY)
        assert problems == [] and typed.loc[0, "as_of"] == pd.Timestamp(day)
        assert typed.loc[0, "as_of_precision"] == precision
    frame = tiny_frames()["berth_status_history"].drop(columns="as_of_precision")  # an optional column
    frame.loc[0, "as_of"] = "2018"
    typed, problems = problems_of(frame, BERTH_STATUS_HISTORY)
    assert problems == [] and typed.loc[0, "as_of_precision"] == "year"


def test_a_day_given_with_precision_year_is_refused():
    _, problems = problems_of(berth_history("2018-05-13", "year"), BERTH_STATUS_HISTORY, "berths.csv")
    assert problems == ["berths.csv, layer 'berth_status_history', row 1 (berth_no=1, as_of=2018-05-13, "
                        "source=001_7f014fdbc8afe3e1.txt), field 'as_of': '2018-05-13' does not match its precision "
                        "'year': give it as 2018"]


@pytest.mark.parametrize(("as_of", "precision"), [("2018", "day"), ("2018", "month"), ("2018-05", "year"),
                                                  ("2018-05-02", "month")])
def test_a_date_and_a_precision_that_disagree_are_refused(as_of, precision):
    _, problems = problems_of(berth_history(as_of, precision), BERTH_STATUS_HISTORY)
    assert len(problems) == 1 and f"does not match its precision '{precision}'" in problems[0]
    assert "field 'as_of'" in problems[0]


def test_an_unknown_precision_is_refused():
    _, problems = problems_of(berth_history("2018", "decade"), BERTH_STATUS_HISTORY)
    assert len(problems) == 1 and "field 'as_of_precision': 'decade' is not one of day, month, year" in problems[0]


def test_a_year_in_a_table_without_a_precision_column_is_refused():
    housing = tiny_frames()["housing"]
    housing.loc[0, "as_of"] = "2018"
    _, problems = problems_of(housing, HOUSING, "housing.geojson")
    assert problems == ["housing.geojson, layer 'housing', row 1 (housing_id=H1), field 'as_of': '2018' is not a "
                        "full date (YYYY-MM-DD)"]
    frame = investment(period_end="2023-10")
    _, problems = problems_of(frame, INVESTMENT)
    assert len(problems) == 1 and "field 'period_end': '2023-10' is not a full date (YYYY-MM-DD)" in problems[0]


def test_occupancy_history_takes_a_precision_too():
    frame = tiny_frames()["occupancy_history"]
    frame.loc[0, "as_of"] = "2022"
    typed, problems = problems_of(frame, OCCUPANCY_HISTORY)
    assert problems == [] and typed.loc[0, "as_of_precision"] == "year"


# --- the validate command ---------------------------------------------------------------------------
def test_validate_accepts_the_shipped_data(capsys):
    assert cli.main(["validate", str(REPO / "geodata")]) == 0
    out = capsys.readouterr().out
    assert "provenances: " in out and "report" in out and "synthetic demo" in out
    assert "land not handed over (not leasable): " in out  # Tiên Thanh


def test_validate_counts_the_kinds_of_the_tiny_dataset(tiny_dir, capsys):
    assert cli.main(["validate", str(tiny_dir)]) == 0
    out = capsys.readouterr().out
    # the passports add 1 news (A's utilities) and 5 synthetic demo (A's and B's land and planning, B's
    # utilities); the incentive 1 and the two contacts 2 synthetic demo: 9 + 8 = 17
    assert "provenances: 11 report, 2 news, 11 approximate, 17 synthetic demo, 2 without a source" in out
    assert "not handed over" not in out


def rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_validate_refuses_an_unknown_kind_in_one_line(tiny_dir, capsys):
    csv = tiny_dir / "investment.csv"
    rewrite(csv, ",report,001_7f014fdbc8afe3e1.txt", ",official,001_7f014fdbc8afe3e1.txt")
    assert cli.main(["validate", str(tiny_dir)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"{csv}, layer 'investment', row 1 (")
    assert err[0].endswith("field 'source_kind': 'official' is not one of report, news, approximate, synthetic demo")


def test_validate_refuses_a_report_with_an_unknown_file_in_one_line(tiny_dir, capsys):
    csv = tiny_dir / "investment.csv"
    rewrite(csv, ",report,002_03c113ee68876e37.txt", ",report,002_report_of_2024.txt")
    assert cli.main(["validate", str(tiny_dir)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"{csv}, layer 'investment', row 2 (")
    assert "field 'source': '002_report_of_2024.txt' is not a known HEZA report file" in err[0]


def test_validate_of_one_file_refuses_a_bad_precision(tiny_dir, capsys):
    csv = tiny_dir / "berth_status_history.csv"
    rewrite(csv, "2018,year", "2018-05-13,year")
    assert cli.main(["validate", str(csv)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{csv}, layer 'berth_status_history', row 1 (berth_no=1, as_of=2018-05-13, "
                   "source=001_7f014fdbc8afe3e1.txt), field 'as_of': '2018-05-13' does not match its precision "
                   "'year': give it as 2018"]
