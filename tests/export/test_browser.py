"""heza_geo.export.browser without a browser: the worker thread's reports reach the caller on the
caller's own thread (issue 16: a Streamlit progress bar touched from the worker raised
NoSessionContext and every in-page export fell back to the static renderer)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from heza_geo.export import SIZES, browser


def jobs(tmp_path: Path, n: int) -> list[browser.Job]:
    return [browser.Job("<p>map</p>", SIZES["1920x1080"], tmp_path / f"map-{i}.png") for i in range(n)]


@pytest.fixture
def worker_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace Chromium by a worker that "draws" each job and reports it; returns the names of the
    threads it ran on."""
    ran_on: list[str] = []

    def fake_render(jobs, done, cancelled):  # browser._render's signature
        ran_on.append(threading.current_thread().name)
        for index, _job in enumerate(jobs):
            if cancelled.is_set():
                return
            done(index)

    monkeypatch.setattr(browser, "unavailable_reason", lambda: None)
    monkeypatch.setattr(browser, "_render", fake_render)
    return ran_on


def test_done_is_called_on_the_callers_thread_once_per_job_in_order(tmp_path, worker_renders):
    calls: list[tuple[int, str]] = []
    browser.render(jobs(tmp_path, 3), lambda i: calls.append((i, threading.current_thread().name)))

    assert worker_renders == ["heza-export-browser"]  # the browser itself runs in the worker
    assert calls == [(i, threading.current_thread().name) for i in range(3)]


def test_a_done_that_raises_stops_the_browser_and_its_exception_goes_on(tmp_path, worker_renders):
    class Stopped(Exception):  # as Streamlit stops a script for a rerun
        pass

    calls: list[int] = []

    def done(index: int) -> None:
        calls.append(index)
        raise Stopped

    with pytest.raises(Stopped):
        browser.render(jobs(tmp_path, 50), done)
    assert calls == [0]
    assert not [t for t in threading.enumerate() if t.name == "heza-export-browser"]  # joined


def test_a_failure_in_the_worker_is_raised_in_the_caller_as_render_failed(tmp_path, monkeypatch):
    def broken(jobs, done, cancelled):  # browser._render's signature
        done(0)
        raise KeyError("window.hezaFocus")

    monkeypatch.setattr(browser, "unavailable_reason", lambda: None)
    monkeypatch.setattr(browser, "_render", broken)
    calls: list[int] = []
    with pytest.raises(browser.RenderFailed, match="KeyError"):
        browser.render(jobs(tmp_path, 2), calls.append)
    assert calls == [0]
