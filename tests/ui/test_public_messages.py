"""What a visitor may read when something breaks: a plain notice, never the server's paths or the database's address.

The detail (the path, the database's host and user, the driver's message) goes to the server log; the notice
names a broken file by its base name only. Streamlit itself shows no traceback (``client.showErrorDetails``).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from heza_geo import i18n
from heza_geo.errors import DataError, Problem
from heza_geo.io import resilience

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE = REPO_ROOT / "tests" / "apps" / "dataset_probe.py"

DATABASE_URL = "postgresql://heza:s3cret@db.internal:5432/heza"
#: what libpq says when the server refuses the login: the host, its address and the user
DRIVER_MESSAGE = ('connection failed: connection to server at "db.internal" (10.20.30.40), port 5432 failed: '
                  'FATAL:  password authentication failed for user "heza"')
#: pieces of DATABASE_URL and DRIVER_MESSAGE no visitor may see
SECRETS = ("db.internal", "10.20.30.40", "s3cret", "heza@", 'user "heza"', "heza:", "postgresql", ":5432")

DATA_DIR = "/srv/heza/data"
BROKEN = f"{DATA_DIR}/plots.geojson"


@pytest.fixture
def app_env(monkeypatch, tmp_path):  # a fresh app process
    import streamlit as st

    st.cache_resource.clear()
    monkeypatch.setenv("HEZA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HEZA_LANGUAGE", "en")
    for name in ("HEZA_DATABASE_URL", "HEZA_STORE_PATH", "HEZA_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    st.cache_resource.clear()


def _everything_shown(app) -> str:  # an AppTest after run()
    return "\n".join([e.value for e in (*app.warning, *app.error, *app.markdown, *app.info)]
                     + [e.message + "\n".join(e.stack_trace) for e in app.exception])


def _refuse_connections(monkeypatch) -> None:
    import psycopg

    def refuse(*args, **kwargs):
        raise psycopg.OperationalError(DRIVER_MESSAGE)

    monkeypatch.setattr(psycopg, "connect", refuse)


# --- the outage notice ------------------------------------------------------------------------------------------
def test_the_outage_notice_names_neither_the_database_host_nor_its_user_nor_its_password(app_env, tiny_shared,
                                                                                          tmp_path, caplog):
    from streamlit.testing.v1 import AppTest

    app_env.setenv("HEZA_DATABASE_URL", DATABASE_URL)
    resilience.keep_dataset(tiny_shared, tmp_path / "cache", DATABASE_URL)  # an earlier run's last good copy
    _refuse_connections(app_env)
    with caplog.at_level(logging.WARNING):
        app = AppTest.from_file(str(PROBE), default_timeout=60).run()
    assert not app.exception
    assert [m.value for m in app.markdown] == ["parks=3"]
    [notice] = app.warning
    assert notice.value.startswith(i18n.t("msg.store_offline", "en"))
    shown = _everything_shown(app)
    assert not [s for s in SECRETS if s in shown], shown
    # the operator still learns where and why, from the server log
    assert "db.internal" in caplog.text and "password authentication failed" in caplog.text
    assert "s3cret" not in caplog.text


def test_with_no_last_good_copy_the_outage_error_names_no_database_either(app_env):
    from streamlit.testing.v1 import AppTest

    app_env.setenv("HEZA_DATABASE_URL", DATABASE_URL)
    _refuse_connections(app_env)
    app = AppTest.from_file(str(PROBE), default_timeout=60).run()
    assert not app.exception
    [error] = app.error
    assert error.value.startswith(i18n.t("msg.load_error", "en", error="").strip())
    shown = _everything_shown(app)
    assert not [s for s in SECRETS if s in shown], shown


# --- the broken-file notice -------------------------------------------------------------------------------------
def test_the_broken_file_notice_names_the_file_not_the_server_path(app_env, tiny_shared, tmp_path, caplog):
    from streamlit.testing.v1 import AppTest

    from heza_geo.ui import common

    def broken(data_dir):  # what load_dataset raises on a truncated GeoJSON in /srv
        raise DataError([Problem(BROKEN, "plots", f"cannot be read as a geojson file: '{BROKEN}' not recognized as "
                                                  "being in a supported file format.")])

    app_env.setenv("HEZA_DATA_DIR", DATA_DIR)
    app_env.setattr(common, "load_dataset", broken)
    app_env.setattr(common, "fingerprint", lambda data_dir: "broken")
    resilience.keep_dataset(tiny_shared, tmp_path / "cache", DATA_DIR)  # an earlier run's last good copy
    with caplog.at_level(logging.WARNING):
        app = AppTest.from_file(str(PROBE), default_timeout=60).run()
    assert not app.exception
    assert [m.value for m in app.markdown] == ["parks=3"]
    [notice] = app.warning
    assert notice.value.startswith(i18n.t("msg.showing_last_good", "en"))
    assert i18n.t("msg.broken_files", "en", files="`plots.geojson`") in notice.value
    assert "plots.geojson" in notice.value and "/srv" not in notice.value and "heza/data" not in notice.value
    assert BROKEN in caplog.text  # the full path: server log only


@pytest.mark.parametrize(("text", "public"), [
    (f"{BROKEN}, layer 'plots': cannot be read", "plots.geojson, layer 'plots': cannot be read"),
    (f"cannot be read: '{BROKEN}' not recognized", "cannot be read: 'plots.geojson' not recognized"),
    ("postgresql://heza@db.internal:5432/heza (layer plots), row 3: bad area",
     "<database> (layer plots), row 3: bad area"),
    ("/home/lan/My Data/plots.geojson: no geometry", "plots.geojson: no geometry"),
    *[(kept, kept) for kept in ["row 3 (plot_id=A-1/2), field 'as_of': 14/10/2023 is not a date"]],
])
def test_public_text_keeps_the_base_name_and_hides_paths_and_database_addresses(text, public):
    assert resilience.public_text(text, known_paths=["/home/lan/My Data"]) == public


# --- Streamlit's own error display ---------------------------------------------------------------------------------
def test_streamlit_shows_visitors_no_traceback_nor_exception_message():
    """``none``: a generic message only (1.67's options: full, stacktrace, type, none; the legacy ``false``
    means ``stacktrace``, which still shows the traceback)."""
    from streamlit import config
    from streamlit.elements.exception import marshall
    from streamlit.proto.Exception_pb2 import Exception as ExceptionProto

    value = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())["client"]["showErrorDetails"]
    assert value == config.ShowErrorDetailsConfigOptions.NONE
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", value)
    try:
        proto = ExceptionProto()
        marshall(proto, RuntimeError(f"{BROKEN}: SELECT * FROM accounts"),  # noqa: S608 - a message quoting SQL
                 apply_show_error_details=True)
    finally:
        config.set_option("client.showErrorDetails", before)
    assert not proto.stack_trace and not proto.type
    assert "/srv" not in proto.message and "SELECT" not in proto.message


def test_streamlit_offers_no_links_to_search_engines_under_an_error():
    """Streamlit's default (``auto``) shows "Ask Google" and "Ask ChatGPT" under an error on localhost,
    where a presenter's laptop serves the event; the links would send the error's text to the internet."""
    from streamlit import config
    from streamlit.proto.NewSession_pb2 import Config
    from streamlit.runtime.app_session import _get_show_error_links

    value = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())["client"]["showErrorLinks"]
    before = config.get_option("client.showErrorLinks")
    config.set_option("client.showErrorLinks", value)
    try:
        assert _get_show_error_links() == Config.ShowErrorLinks.SHOW_ERROR_LINKS_FALSE
    finally:
        config.set_option("client.showErrorLinks", before)
