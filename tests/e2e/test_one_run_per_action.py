"""One script run per action on the map page, and none that no user asked for (issue 14).

The server counts its runs (the ``run_log`` setting: a line per run), so each test reads how many
runs an action caused, not how long it took. Before: opening the map cost two runs (the map
reported its first view with a rerun, which also wiped the link's warnings), every pan one, and
the same park clicked again after "Back to the city view" none (nothing opened).
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import click_park, map_frame, open_map, wait_for_app, wait_for_tour_title
from playwright.sync_api import expect

from heza_geo.analysis.joins import parks_overview
from heza_geo.analysis.panels import plot_groups
from heza_geo.io import load_dataset

#: how long a test waits after an action for a late run (the map's first-view report came ~1-2 s late)
QUIET_S = 2.5
PARK = "vsip-hai-phong"
ENGLISH = "?lang=en&layers=parks"


@pytest.fixture(scope="module")
def park_name() -> str:
    overview = parks_overview(load_dataset("geodata"))
    return str(overview.set_index("park_id").loc[PARK, "name_en"])


def runs(log: Path) -> int:
    """The runs started so far (a run writes a line when it starts and a ``done`` line when it ends)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return sum(not line.endswith(" done") for line in lines)


def settled(page, log: Path) -> int:
    """Wait for the script to finish and for QUIET_S more (a late, unasked run would come then);
    the number of runs so far."""
    wait_for_app(page)
    time.sleep(QUIET_S)
    wait_for_app(page)
    return runs(log)


def last_run(log: Path) -> list[str]:
    """The page and kind of the last run started (``["map", "fragment"]``: the map's part alone)."""
    started = [line.split()[1:] for line in log.read_text(encoding="utf-8").splitlines() if not line.endswith(" done")]
    return started[-1]


def drag_map(page, dx: int, dy: int) -> None:
    """A real drag across the middle of the map."""
    box = page.locator('iframe[title*="streamlit_folium"]').first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + dx * step / 10, y + dy * step / 10)
    page.mouse.up()


def url_view(page) -> tuple[float, float, int]:
    params = parse_qs(urlsplit(page.url).query)
    return float(params["lat"][0]), float(params["lon"][0]), int(params["z"][0])


def map_view(frame) -> tuple[float, float, int]:
    c = frame.evaluate("() => { const c = map_div.getCenter(); return [c.lat, c.lng, map_div.getZoom()]; }")
    return round(c[0], 5), round(c[1], 5), int(c[2])


def same_view(a: tuple[float, float, int], b: tuple[float, float, int], px: float = 2) -> bool:
    """Two views within ``px`` screen pixels (a new map of another width can round its centre by one)."""
    degrees = px * 360 / (256 * 2 ** a[2])
    return a[2] == b[2] and abs(a[0] - b[0]) <= degrees and abs(a[1] - b[1]) <= degrees


def test_opening_the_map_costs_one_run_and_a_pan_none_while_the_link_follows_the_map(page, counted):
    url, log = counted
    before = runs(log)
    frame = open_map(page, url, ENGLISH)
    assert settled(page, log) - before == 1
    assert url_view(page) == pytest.approx(map_view(frame), abs=1e-5)  # the browser wrote the view

    opened = settled(page, log)
    drag_map(page, 200, 120)
    page.wait_for_function("(lat) => new URL(location.href).searchParams.get('lat') !== lat",
                           arg=parse_qs(urlsplit(page.url).query)["lat"][0])
    assert settled(page, log) == opened  # a pan: no run
    assert url_view(page) == pytest.approx(map_view(frame), abs=1e-5)

    # a copied link opens that view
    moved = url_view(page)
    other = page.context.new_page()
    try:
        shared = open_map(other, url, "?" + urlsplit(page.url).query)
        assert map_view(shared) == pytest.approx(moved, abs=1e-4)
    finally:
        other.close()


def test_a_park_click_costs_one_run_and_the_same_park_opens_again_after_back(page, counted, park_name):
    url, log = counted
    frame = open_map(page, url, ENGLISH)
    start = settled(page, log)

    click_park(page, frame, PARK)
    page.get_by_role("heading", name=park_name).wait_for()
    assert settled(page, log) - start == 1
    assert parse_qs(urlsplit(page.url).query)["selected"] == [PARK]
    # of the map and its panel alone: the sidebar and the cards are neither run nor sent again
    assert last_run(log) == ["map", "fragment"]

    page.get_by_role("button", name="Back to the city view").click()
    page.get_by_role("heading", name=park_name).wait_for(state="detached")
    assert settled(page, log) - start == 2
    assert last_run(log) == ["map", "fragment"]
    assert "selected" not in parse_qs(urlsplit(page.url).query)

    click_park(page, frame, PARK)  # the same park again: it opens again
    page.get_by_role("heading", name=park_name).wait_for()
    assert settled(page, log) - start == 3
    assert frame.locator("path.heza-park-selected").count() == 1


def test_a_parks_plots_open_by_status_in_the_browser_free_land_first(page, counted, park_name):
    """Before: every click on a park drew all its plots in one table (237 rows for the largest, 0.1 s of
    each click), the free ones mixed among the leased."""
    url, log = counted
    groups = plot_groups(load_dataset("geodata").plots, PARK, "en")
    frame = open_map(page, url, ENGLISH)
    click_park(page, frame, PARK)
    page.get_by_role("heading", name=park_name).wait_for()
    panel = page.locator(".st-key-park_panel")
    titles = panel.locator(".heza-plot-groups summary")
    expect(titles).to_have_text([g.title for g in groups])
    assert groups[0].status == "available"
    available = panel.locator(".heza-plot-groups .heza-group").first.locator("tbody tr")
    assert available.count() == len(groups[0].table)
    assert not available.first.is_visible()  # closed: nothing of it laid out

    opened = settled(page, log)
    titles.first.click()
    expect(available.first).to_be_visible()
    assert available.first.inner_text().startswith(str(groups[0].table.iloc[0, 0]))
    assert settled(page, log) == opened  # opened in the browser: no run


def pan(page, frame, dx: int, dy: int) -> tuple[float, float, int]:
    """Drag the map and wait for the link to follow; the map's view after it."""
    before = parse_qs(urlsplit(page.url).query)["lat"][0]
    drag_map(page, dx, dy)
    page.wait_for_function("(v) => new URL(location.href).searchParams.get('lat') !== v", arg=before)
    return map_view(frame)


def test_the_link_follows_the_map_through_a_filter_and_a_new_map(page, counted):
    url, log = counted
    frame = open_map(page, url, ENGLISH)
    start = settled(page, log)

    pan(page, frame, -150, 80)
    page.get_by_label("Minimum available area (ha)").fill("1")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('min_ha') === '1'")
    assert settled(page, log) - start == 1
    assert url_view(page) == pytest.approx(map_view(frame), abs=1e-5)  # framed on the filter or not

    # "colour by stage" draws another map: it opens where the user left the last one
    panned = pan(page, frame, 120, -60)
    page.get_by_text("Stage", exact=True).first.click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('colour') === 'stage'")
    assert settled(page, log) - start == 2
    frame = map_frame(page)
    assert same_view(map_view(frame), panned)
    assert url_view(page) == pytest.approx(map_view(frame), abs=1e-5)


def test_the_links_warnings_stay_on_screen(page, counted):
    url, log = counted
    open_map(page, url, "?lang=en&stage=nonsense&layers=parks")
    warning = page.get_by_text("link parameter 'stage'", exact=False)
    warning.first.wait_for()
    settled(page, log)  # when the map reported its first view, this rerun wiped the warning
    assert warning.first.is_visible()


def test_another_investment_period_reruns_its_part_once(page, counted):
    url, log = counted
    page.goto(f"{url}/investment?lang=en")
    wait_for_app(page)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    start = settled(page, log)
    before = parse_qs(urlsplit(page.url).query)["period"][0]
    page.locator(".st-key-inv_period [data-testid='stRadioOption']").first.click()
    page.wait_for_function("(p) => new URL(location.href).searchParams.get('period') !== p", arg=before)
    # one run, of the period's part alone (it used to reroute itself into a second, full run)
    assert settled(page, log) - start == 1
    assert last_run(log) == ["investment", "fragment"]
    assert page.locator(".st-key-inv_period input").first.is_checked()


def test_the_presentations_own_language_menu_switches_the_tour_in_one_run(page, counted):
    """The ⚙ menu's language wrote a session key nothing read: the tour stayed in its language."""
    from heza_geo.analysis.joins import berth_status
    from heza_geo.maps.tour import tour_stops

    data = load_dataset("geodata")
    overview = parks_overview(data)
    berths = berth_status(data.berths, data.berth_status_history)
    titles = {lang: tour_stops(overview, berths, lang, data.connectivity)[0].title for lang in ("vi", "en")}
    url, log = counted
    page.goto(f"{url}/presentation?lang=vi&seconds=0")
    wait_for_app(page)
    wait_for_tour_title(page, titles["vi"])
    start = settled(page, log)
    page.locator(".st-key-tour_settings button").first.click()
    page.locator(".st-key-tour_lang [role='combobox']").first.click()
    page.get_by_role("option", name="English", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('lang') === 'en'")
    wait_for_tour_title(page, titles["en"])
    assert settled(page, log) - start == 1
