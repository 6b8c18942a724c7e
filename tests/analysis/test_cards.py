"""The indicator cards on the tiny dataset (tests/conftest.py), against figures computed on paper.

Parks A, B (established) and C (planned) declare 100 + 20 + 30 = 150 ha. Their plots: leased
30 + 20 + 5 = 55 ha, available 10 + 15 = 25 ha, reserved 10 ha, so 55 / 90 = 61.1% occupied.
City average 63.25% (001, 14/10/2023). FDI: 3,037 (10 months 2023, 001), 3,500 (year 2023, an
estimate, 003), 2,869 million USD at 143.5% of plan (11 months 2024, 002): the latest is 2024's.
Workers: 180,753 (2023, an estimate, 001). No cumulative FDI in the tiny data.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from heza_geo import i18n
from heza_geo.analysis.cards import (
    Card,
    city_cards,
    occupancy_reference_cards,
    park_occupancy_cards,
    port_cards,
    selection_cards,
    threshold_verdict,
)
from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.occupancy import occupancy_table
from heza_geo.analysis.port import parks_within, status_as_of_year
from heza_geo.analysis.sources import dated_provenance, provenance
from heza_geo.schema import Provenance

DEMO_EN = i18n.badge("synthetic demo", "en")
R001 = Provenance("report", "001_7f014fdbc8afe3e1.txt")
R002 = Provenance("report", "002_03c113ee68876e37.txt")
#: an approximation whose method names the report it was derived from: still an approximation
APPROX_FROM_002 = "share of the 6,100 ha total (002_03c113ee68876e37.txt)"


@pytest.fixture(scope="module")
def overview(tiny_shared):
    return parks_overview(tiny_shared)


def test_selection_cards_count_the_parks_and_add_up_their_plots(tiny_shared, overview):
    cards = selection_cards(overview, tiny_shared.plots, "en")
    assert [(c.value, c.note) for c in cards] == [
        ("3", i18n.t("card.parks_detail", "en", established=2, planned=1)),
        ("150 ha", i18n.t("card.declared_area", "en")),
        ("55 ha", DEMO_EN), ("25 ha", DEMO_EN), ("61.1%", DEMO_EN),
    ]
    assert cards[0].title == i18n.t("card.parks", "en")


def test_selection_cards_count_only_the_plots_of_the_selected_parks(tiny_shared, overview):
    only_b = overview[overview["park_id"] == "B"]
    values = [c.value for c in selection_cards(only_b, tiny_shared.plots, "vi")]
    assert values == ["1", "20 ha", "5 ha", "15 ha", "25,0%"]


def test_city_cards_give_the_latest_figures_with_date_and_source(tiny_shared):
    occupancy, _cumulative, latest, workers = city_cards(tiny_shared, "en")
    assert (occupancy.value, occupancy.note) == ("63.25%", dated_provenance("2023-10-14", R001, "reported", "en"))
    assert latest.value == "2,869"
    assert latest.note == " · ".join([i18n.t("card.pct_of_plan_value", "en", pct="143.5%"), "11 months 2024",
                                      dated_provenance("2024-11-30", R002, "reported", "en")])
    assert (workers.value, workers.note) == ("180,753", dated_provenance("2023-12-31", R001, "estimate", "en"))
    assert "(million USD)" in latest.title


def test_a_city_figure_the_data_lacks_is_a_dash_with_an_empty_note_not_zero(tiny_shared):
    cumulative = city_cards(tiny_shared, "en")[1]
    assert cumulative == Card(f"{i18n.t('card.fdi_cumulative', 'en')} (million USD)", i18n.MISSING, "")


def test_occupancy_reference_cards_are_each_city_average_then_the_threshold(tiny_shared):
    cards = occupancy_reference_cards(tiny_shared.occupancy_history, "vi")
    assert [c.value for c in cards] == ["63,25%", "60%"]
    assert cards[0].note == provenance(R001, "vi", "2023-10-14", "reported")
    assert cards[1].note == provenance(R002, "vi")  # the report quoting Decree 35/2022
    assert cards[1].note.startswith(i18n.badge("report", "vi"))


def test_the_verdict_says_the_city_average_reaches_the_threshold(tiny_shared):
    meets, sentence = threshold_verdict(tiny_shared.occupancy_history, "en")
    assert meets is True
    assert sentence == i18n.t("occupancy.meets_threshold", "en", pct="63.25%", date="14 Oct 2023")


def test_there_is_no_verdict_without_a_city_figure(tiny_shared):
    history = tiny_shared.occupancy_history
    assert threshold_verdict(history[history["scope"] == "park"], "en") is None


def test_a_parks_cards_show_its_figure_its_plots_and_its_stage(overview):
    rows = occupancy_table(overview).set_index("park_id", drop=False)
    a = park_occupancy_cards(rows.loc["A"], "en")
    assert [c.value for c in a] == ["71.4%", "71.4%", "10.0 ha", i18n.label("stage", "full", "en")]
    assert a[0].note == provenance(R001, "en", "2023-10-14", "reported")
    assert [c.note for c in a[1:3]] == [DEMO_EN, DEMO_EN]
    assert a[3].note == provenance(R001, "en")


def test_an_approximate_figure_citing_a_report_is_badged_approximate_on_the_cards(overview):
    """The method of an approximation may name the report it was derived from; the card says
    "approximate", never "Official figure – HEZA report"."""
    row = occupancy_table(overview).set_index("park_id", drop=False).loc["A"].copy()
    row["occupancy_source_kind"], row["occupancy_source"] = "approximate", APPROX_FROM_002
    row["stage_source_kind"], row["stage_source"] = "approximate", APPROX_FROM_002
    cards = park_occupancy_cards(row, "en")
    for card in (cards[0], cards[3]):
        assert card.note.startswith(i18n.badge("approximate", "en"))
        assert i18n.badge("report", "en") not in card.note


def test_a_city_figure_dated_to_the_month_is_written_without_a_day(tiny_shared):
    history = tiny_shared.occupancy_history.copy()
    city = history["scope"] == "city"
    history.loc[city, "as_of"], history.loc[city, "as_of_precision"] = pd.Timestamp("2023-10-01"), "month"
    card = occupancy_reference_cards(history, "en")[0]
    assert card.note == provenance(R001, "en", "2023-10-01", "reported", "month")
    assert "Oct 2023" in card.note and "1 Oct" not in card.note
    _, sentence = threshold_verdict(history, "vi")
    assert i18n.fmt_date("2023-10", "vi") in sentence and "01/10/2023" not in sentence


def test_a_planned_park_without_plots_shows_dashes_not_zeros(overview):
    c = park_occupancy_cards(occupancy_table(overview).set_index("park_id", drop=False).loc["C"], "en")
    assert [card.value for card in c[:3]] == [i18n.MISSING] * 3
    assert c[2].note == i18n.MISSING  # no land figures at all, so no demo badge either


def test_port_cards_count_berths_by_status_at_the_end_of_the_year(tiny_shared, overview):
    status = status_as_of_year(tiny_shared.berths, tiny_shared.berth_status_history, 2024)
    near = parks_within(overview, status, 6.0)  # A (5 km) and C (5.85 km) from berth 1
    cards = port_cards(status, near, 6.0, date(2024, 12, 31), "en")
    assert [c.value for c in cards] == ["1 / 2", "1", "0", "2"]
    assert cards[0].title == i18n.t("port.operating_count", "en", date="31 Dec 2024")
    assert all(c.note is None for c in cards)
    later = status_as_of_year(tiny_shared.berths, tiny_shared.berth_status_history, 2025)
    assert [c.value for c in port_cards(later, near, 6.0, date(2025, 12, 31), "en")][:2] == ["2 / 2", "0"]
