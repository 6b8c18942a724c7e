"""``python -m heza_geo bench --pages``: its pure parts (the run log, the window of an action, the
rows, the judgement against the targets, the table) and its refusals. No browser here, and no timing
is asserted: a benchmark reports, it does not judge.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from heza_geo.cli import pagebench
from heza_geo.cli.pagebench import Measured, Run, Sample

REPO = Path(__file__).resolve().parents[2]


def test_the_run_log_is_read_line_by_line_skipping_what_is_not_a_run(tmp_path):
    log = tmp_path / "runs.log"
    assert pagebench.read_runs(log) == []  # nothing has run yet: no file
    log.write_text("1796005499.460 map page\n\nnot a run\n1796005500.5 store-watch fragment\n1796005501.1 port",
                   encoding="utf-8")  # the last line half written
    assert pagebench.read_runs(log) == [Run(1796005499.46, "map", "page"), Run(1796005500.5, "store-watch", "fragment")]
    assert pagebench.parse_run("soon map page") is None


def test_an_action_counts_the_runs_from_its_input_to_its_end_plus_the_grace():
    runs = [Run(t, "map", "page") for t in (9.9, 10.0, 10.4, 11.0, 12.5, 12.6)] + [Run(11.2, "map", "fragment")]
    # 9.9 came before the click; 12.5 is a late, unrequested rerun inside the grace; 12.6 is after it
    assert pagebench.runs_between(runs, 10.0, 11.0, grace=1.5) == 5
    assert pagebench.runs_between(runs, 10.0, 11.0, grace=0.0) == 3
    assert pagebench.runs_between([], 10.0, 11.0) == 0
    assert pagebench.runs_between([*runs, Run(10.3, "map", "done")], 10.0, 11.0, grace=0.0) == 3  # an end is not a run


def test_the_server_share_is_from_the_first_start_to_the_last_end_within_the_action():
    runs = [Run(9.0, "map", "page"), Run(9.5, "map", "done"), Run(10.1, "map", "page"), Run(10.3, "map", "done"),
            Run(10.4, "map", "fragment"), Run(10.45, "map", "done")]
    assert pagebench.script_seconds(runs, 10.0, 11.0) == pytest.approx(0.35)  # two runs and the gap between
    assert pagebench.script_seconds(runs, 10.0, 10.2) is None  # still running when the screen showed the answer
    assert pagebench.script_seconds([], 10.0, 11.0) is None
    assert pagebench.GRACE_S == 1.5


def test_a_row_judges_the_ratio_against_its_floors_target():
    quick = pagebench.row("park_click", 0.3, 0.2, "rerun", 1, [1, 1], [0.31234, 0.29])
    assert quick == {"action": "park_click", "ours_s": 0.3, "floor_s": 0.2, "floor": "rerun", "ratio": 1.5,
                     "target": 2.0, "within_target": True, "runs": 1, "script_s": None, "floor_map_s": None,
                     "runs_each": [1, 1],
                     "samples_s": [0.312, 0.29], "error": None}
    assert pagebench.row("park_click", 0.41, 0.2, "rerun", 1)["within_target"] is False  # 2.05×
    assert pagebench.row("park_click", 0.4, 0.2, "rerun", 2)["within_target"] is True  # time only; runs apart
    navigation = pagebench.row("navigation_settled", 1.6, 1.0, "first paint", 1)
    assert navigation["target"] == 1.5 and navigation["within_target"] is False
    timed_out = pagebench.row("language_switch_presentation", None, 0.05, "rerun", 1)
    assert timed_out["ours_s"] is None and timed_out["ratio"] is None and timed_out["within_target"] is False
    assert pagebench.ratio(0.3, 0.0) is None and pagebench.ratio(0.3, None) is None


def test_every_action_has_a_floor_and_a_target_and_the_json_rows_are_json():
    names = [a.name for a in pagebench.ACTIONS]
    assert len(names) == len(set(names)) == 8 and names[-1] == "navigation_settled"
    assert {a.floor for a in pagebench.ACTIONS} == set(pagebench.TARGETS) == set(pagebench.FLOOR_KINDS) \
        == set(pagebench.FLOOR_MAP_KINDS)
    assert all(callable(getattr(pagebench.App, name)) for name in names)  # each action is driven
    rows = [pagebench.row(a.name, 0.5, 0.25, a.floor, 1) for a in pagebench.ACTIONS]
    assert json.loads(json.dumps(rows)) == rows


def test_samples_median_counts_a_timeout_as_slowest_and_runs_report_the_most():
    measured = Measured()
    assert measured.add(0, Sample(9.0, 3))  # the warm-up is dropped
    for k, sample in enumerate([Sample(0.3, 1), Sample(None, 1), Sample(0.2, 2)], start=1):
        measured.add(k, sample)
    assert measured.seconds == 0.3 and measured.runs == 2
    assert pagebench.median([0.1, None, None]) is None and pagebench.median([]) is None
    broken = Measured()
    assert broken.add(0, Sample(None, 0)) is False  # a warm-up that ran out of time stops the action
    assert broken.seconds is None and broken.runs == 0
    assert Measured().runs is None


def test_the_table_shows_each_action_its_floor_ratio_target_and_runs():
    rows = [pagebench.row("park_click", 0.3, 0.2, "rerun", 1, script_s=0.12, floor_map_s=0.25),
            pagebench.row("port_year", 0.9, 0.2, "rerun", 2),
            pagebench.row("language_switch_presentation", None, 0.2, "rerun", 1),
            pagebench.row("navigation_settled", 1.2, 1.0, "first paint", 1),
            pagebench.row("park_filter", None, 0.2, "rerun", None, error="TimeoutError: no such widget")]
    text = pagebench.table(rows).splitlines()
    assert text[0].split() == ["action", "ours", "(s)", "script", "(s)", "floor", "(s)", "floor", "ratio", "target",
                               "runs", "floor", "+", "map", "(s)"]
    assert text[1].split() == ["park_click", "0.30", "0.12", "0.20", "rerun", "1.5×", "≤", "2×", "ok", "1", "0.25"]
    assert text[2].split()[-5:] == ["2×", "over", "2", "(over)", "—"]  # no floor with a map measured
    assert "timeout" in text[3] and "—" in text[3]
    assert text[4].split()[4:7] == ["first", "paint", "1.2×"] and "≤ 1.5× ok" in text[4]
    assert text[5].split()[:2] == ["park_filter", "failed"] and text[5].split()[-2:] == ["—", "—"]
    markdown = pagebench.table(rows, markdown=True).splitlines()
    assert markdown[0] == ("| action | ours (s) | script (s) | floor (s) | floor | ratio | target | runs "
                           "| floor + map (s) |")
    assert markdown[2] == "| park_click | 0.30 | 0.12 | 0.20 | rerun | 1.5× | ≤ 2× ok | 1 | 0.25 |"
    assert len(markdown) == 2 + len(rows)


def test_the_machine_line_says_when_and_on_what():
    info = {"cpu": "Xeon", "cores": 2, "ram_gb": 23.5, "python": "3.11.7", "chromium": "Chromium 156",
            "versions": {"streamlit": "1.67.0", "folium": None}, "load_avg": [0.1, 0.2, 0.3]}
    text = pagebench.describe(info, 5, date(2026, 11, 30))
    assert text.startswith("measured 2026-11-30, medians of 5 runs")
    assert "1440×900" in text and "Xeon, 2 cores, 23.5 GB RAM" in text and "streamlit 1.67.0" in text
    assert "folium" not in text  # a library that is not installed is left out


@pytest.mark.parametrize("extra, env, message", [
    (["--runs", "0"], {}, "--runs must be at least 1"),
    ([], {"HEZA_CHROMIUM": "/nonexistent/chromium"}, "not found"),
])
def test_bad_arguments_and_no_browser_exit_2_before_anything_starts(extra, env, message, tmp_path):
    done = subprocess.run([sys.executable, "-m", "heza_geo", "bench", "--pages", *extra], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "HEZA_CONFIG": str(tmp_path / "none.toml"), **env})
    assert done.returncode == 2, done.stderr[-2000:]
    assert message in done.stderr and done.stdout == ""


def test_the_floor_with_a_map_writes_the_choice_and_sends_it_to_its_map():
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(pagebench.FLOOR_MAP_SCRIPT)).run(timeout=60)
    assert not app.exception
    assert [m.value for m in app.markdown] == ["chosen: first"]
    app.radio(key="floor_choice").set_value("second").run(timeout=60)
    assert [m.value for m in app.markdown] == ["chosen: second"]


def test_the_floor_with_a_map_is_served_beside_its_own_copy_of_the_maps_files(tmp_path):
    command = pagebench.floor_map_command(tmp_path)(8765)
    assert command[command.index("run") + 1] == str(tmp_path / "floor_map_app.py")
    assert (tmp_path / "floor_map_app.py").read_text() == pagebench.FLOOR_MAP_SCRIPT.read_text()
    assert (tmp_path / "static" / "vendor" / "leaflet" / "dist" / "leaflet.js").is_file()  # not a link: served
    assert not (tmp_path / "static" / "vendor").is_symlink()
