from __future__ import annotations

from pathlib import Path

import pytest

from heza_geo.config import DEFAULT_DATA_DIR, load_settings
from heza_geo.errors import ConfigError


def test_defaults_point_at_the_embedded_data(tmp_path):
    s = load_settings(env={"HEZA_CONFIG": str(tmp_path / "absent.toml")})
    assert s.data_dir == DEFAULT_DATA_DIR and s.default_language == "vi" and s.database_url is None
    assert s.languages == ("vi", "en", "ko", "ja", "zh")


def test_toml_file_relative_data_dir_is_relative_to_the_file(tmp_path):
    (tmp_path / "heza.toml").write_text('data_dir = "real"\ndefault_language = "en"\n', encoding="utf-8")
    s = load_settings(env={"HEZA_CONFIG": str(tmp_path / "heza.toml")})
    assert s.data_dir == tmp_path / "real" and s.default_language == "en"


def test_environment_wins_over_the_file(tmp_path):
    (tmp_path / "heza.toml").write_text('data_dir = "real"\n', encoding="utf-8")
    s = load_settings(env={"HEZA_CONFIG": str(tmp_path / "heza.toml"), "HEZA_DATA_DIR": "/srv/heza",
                           "HEZA_DATABASE_URL": "postgresql://db/heza"})
    assert s.data_dir == Path("/srv/heza") and s.database_url == "postgresql://db/heza"


def test_unknown_setting_is_named(tmp_path):
    (tmp_path / "heza.toml").write_text('data_directory = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting\(s\) \['data_directory'\]"):
        load_settings(env={"HEZA_CONFIG": str(tmp_path / "heza.toml")})


def test_broken_toml_names_the_file(tmp_path):
    (tmp_path / "heza.toml").write_text('data_dir = \n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"heza.toml: not valid TOML"):
        load_settings(env={"HEZA_CONFIG": str(tmp_path / "heza.toml")})


def test_unsupported_language_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="default_language 'fr'"):
        load_settings(env={"HEZA_CONFIG": str(tmp_path / "x.toml"), "HEZA_LANGUAGE": "fr"})
