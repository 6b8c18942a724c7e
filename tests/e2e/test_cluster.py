"""Two app processes behind nginx sharing one PostGIS: sticky sessions, and an edit made through
one process seen by a visitor of the other without touching their page.

Everything real: a throwaway PostgreSQL/PostGIS cluster, two ``streamlit run`` processes and
Debian's nginx (``python -m heza_geo serve``'s :class:`heza_geo.cli.serve.Cluster`), Chromium.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from conftest import choose_option, save_screenshot, sign_in, wait_for_app
from pgcluster import TEMPLATE, throwaway  # tests/store/, on the tests' path (pyproject.toml)

from heza_geo.cli.serve import BACKEND_HEADER, ROUTE_COOKIE, Cluster, find_nginx
from heza_geo.store import auth
from heza_geo.store.postgis import PostGISStore

PASSWORD = "mật-khẩu-cụm-2026"
PARK = "nomura"
SOURCE = "ước tính thử nghiệm cụm máy chủ"  # the method of an approximate figure
NEW_FIGURE = "87.3%"  # the park's occupancy as the detail panel writes it in English


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with throwaway("SEVERAL APP PROCESSES ON POSTGIS") as pg:
        with psycopg.connect(pg.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "heza_cluster" TEMPLATE "{TEMPLATE}"')
        url = pg.url("heza_cluster")
        store = PostGISStore(url)
        store.initialise_from("geodata")
        auth.add_account(store, "lan", PASSWORD, "staff")
        yield url


@pytest.fixture(scope="module")
def cluster(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if find_nginx() is None:
        pytest.skip("NGINX NOT INSTALLED: apt-get install nginx")
    folder = tmp_path_factory.mktemp("cluster")
    with Cluster(processes=2, env={"HEZA_DATABASE_URL": database_url, "HEZA_CONFIG": str(folder / "none.toml"),
                                   "HEZA_CACHE_DIR": str(folder / "cache")}, workdir=folder) as running:
        yield running


def visitor_on(browser, cluster: Cluster, avoid: str | None = None):
    """A new visitor (browser context) whose first page nginx routed to a process other than ``avoid``."""
    for _ in range(16):  # the route is random per visitor; 16 tries all landing alike: 2**-15
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        response = page.goto(f"{cluster.url}/map?lang=en&selected={PARK}")
        got = response.headers.get(BACKEND_HEADER.lower())
        if got != avoid:
            return context, page, got
        context.close()
    pytest.fail(f"nginx never routed a new visitor away from {avoid}")


def test_visitors_stay_on_their_process_and_see_an_edit_made_through_another(browser, cluster):
    assert len(set(cluster.backends)) == 2
    staff_context, staff, first = visitor_on(browser, cluster)
    viewer_context, viewer, second = visitor_on(browser, cluster, avoid=first)
    assert {first, second} == {f"127.0.0.1:{port}" for port in cluster.backends}

    # sticky: every later request of a visitor (the websocket among them) goes to the same process
    for context, backend in ((staff_context, first), (viewer_context, second)):
        assert any(c["name"] == ROUTE_COOKIE for c in context.cookies())
        for _ in range(4):
            assert context.request.get(f"{cluster.url}/_stcore/health").headers[BACKEND_HEADER.lower()] == backend

    wait_for_app(viewer)
    viewer.get_by_role("heading", name="Nomura", exact=False).first.wait_for()
    assert viewer.get_by_text(NEW_FIGURE, exact=True).count() == 0

    # the staff member edits through process 1 ...
    sign_in(staff, cluster.url, "lan", PASSWORD)
    staff.get_by_role("tab", name="Edit records").click()
    form = staff.locator('[data-testid="stForm"]').filter(has_text="Add the occupancy figure")
    # phase 2 of Nomura is a park of its own since 2025: pick phase 1, the park the visitor is looking at
    choose_option(staff, staff.get_by_label("Park").first, "Nomura – Hai Phong Industrial Zone (Japan – Hai Phong IP)")
    wait_for_app(staff)
    form.get_by_label("Occupancy (%)").fill("87.3")
    choose_option(staff, form.get_by_label("Kind of source"), "Approximate")
    form.get_by_label("Reference (report file, news site and date, or method)").fill(SOURCE)
    form.get_by_label("Why (kept in the history)").fill("cluster test")
    form.get_by_role("button", name="Add the occupancy figure").click()
    wait_for_app(staff)
    staff.get_by_text("Saved as version").wait_for()

    # ... and the visitor on process 2, who touches nothing, sees it within seconds
    try:
        # in the park panel's figures table (a canvas grid: its cells are in the DOM, not visible)
        viewer.get_by_text(NEW_FIGURE, exact=True).first.wait_for(state="attached", timeout=30_000)
    finally:
        save_screenshot(viewer, "cluster_viewer_after_the_edit", full_page=True)
        save_screenshot(staff, "cluster_staff_after_the_edit", full_page=True)
    staff_context.close()
    viewer_context.close()



def test_the_proxy_logs_hold_no_session_id_and_only_the_app_user_reads_them(browser, cluster):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sign_in(page, cluster.url, "lan", PASSWORD)  # through nginx: the cookie comes back through it too
    page.get_by_text("Signed in as lan").wait_for()
    with page.expect_response(lambda response: "/_stcore/upload_file/" in response.url) as upload:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "plots.csv", "mimeType": "text/csv", "buffer": b"plot_id,park_id\n"}])
    assert upload.value.ok
    session_id = upload.value.url.split("/_stcore/upload_file/")[1].split("/")[0]
    context.close()
    log = cluster.workdir / "access.log"
    for _ in range(40):  # nginx writes the line when the request ends
        if "/_stcore/upload_file/" in log.read_text():
            break
        time.sleep(0.25)
    text = log.read_text()
    assert '"PUT /_stcore/upload_file/-"' in text and session_id not in text, text[-2000:]
    for name in ("access.log", "error.log", "app-1.log", "app-2.log"):
        assert (cluster.workdir / name).stat().st_mode & 0o077 == 0, name
