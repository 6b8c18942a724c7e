"""Configuration, read in one place: environment variables over an optional TOML file over defaults.

Real HEZA data replaces the embedded demo by configuration alone::

    HEZA_DATA_DIR=/srv/heza/data streamlit run app.py

or a ``heza.toml`` beside ``app.py`` (or wherever ``HEZA_CONFIG`` points)::

    data_dir = "/srv/heza/data"
    database_url = "postgresql://heza@db/heza"
    default_language = "en"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "geodata"
LANGUAGES: tuple[str, ...] = ("vi", "en", "ko", "ja", "zh")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the setting and where it came from."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    default_language: str = "vi"
    languages: tuple[str, ...] = LANGUAGES
    config_file: Path | None = field(default=None, compare=False)


_ENV = {
    "data_dir": "HEZA_DATA_DIR",
    "database_url": "HEZA_DATABASE_URL",
    "default_language": "HEZA_LANGUAGE",
}


def load_settings(env: Mapping[str, str] | None = None, config_file: Path | None = None) -> Settings:
    """Settings from ``env`` (default ``os.environ``) and the TOML file it names, if any."""
    env = os.environ if env is None else env
    path = config_file or Path(env.get("HEZA_CONFIG", REPO_ROOT / "heza.toml"))
    values: dict[str, object] = {}
    if path.is_file():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        unknown = set(values) - set(_ENV) - {"languages"}
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s) {sorted(unknown)}; known: {sorted(_ENV)}")
    else:
        path = None
    for key, var in _ENV.items():
        if env.get(var):
            values[key] = env[var]

    data_dir = Path(str(values.get("data_dir", DEFAULT_DATA_DIR))).expanduser()
    if not data_dir.is_absolute():
        data_dir = (path.parent if path else REPO_ROOT) / data_dir
    languages = tuple(values.get("languages", LANGUAGES))  # type: ignore[arg-type]
    language = str(values.get("default_language", "vi"))
    if language not in languages:
        raise ConfigError(f"default_language {language!r} is not one of {languages}")
    url = values.get("database_url")
    return Settings(
        data_dir=data_dir,
        database_url=str(url) if url else None,
        default_language=language,
        languages=languages,
        config_file=path,
    )
