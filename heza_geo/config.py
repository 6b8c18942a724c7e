"""Configuration, read in one place: environment variables over an optional TOML file over defaults.

Real HEZA data replaces the embedded demo by configuration alone::

    HEZA_DATA_DIR=/srv/heza/data python -m heza_geo run

or a ``heza.toml`` beside ``app.py`` (or wherever ``HEZA_CONFIG`` points)::

    data_dir = "/srv/heza/data"
    database_url = "postgresql://heza@db/heza"
    default_language = "en"

Staff editing needs a store (``heza_geo.store``): a GeoPackage file at ``store_path``
(``HEZA_STORE_PATH``; created from ``data_dir`` on first run), or PostGIS when ``database_url`` is
set (it wins over ``store_path``). Without either, the app reads ``data_dir`` read-only.
``public_url`` (``HEZA_PUBLIC_URL``, e.g. ``https://gis.heza.gov.vn``) is the address visitors use,
for the presentation's QR code; by default the host the presenter's browser used.
``max_upload_mb`` (``HEZA_MAX_UPLOAD_MB``) caps an uploaded file; ``session_hours``
(``HEZA_SESSION_HOURS``) is how long a staff login lasts.

Investors' enquiries are stored in the store and, when ``smtp_url`` (``HEZA_SMTP_URL``,
``smtp://user:password@host:587`` or ``smtps://…:465``) and ``enquiry_to`` (``HEZA_ENQUIRY_TO``,
the desk's address) are both set, also e-mailed to the desk in ``enquiry_language``
(``HEZA_ENQUIRY_LANGUAGE``, ``vi``); without them the staff inbox alone holds them. The URL's
password is never shown: messages name the URL through :func:`redacted_url`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from heza_geo.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "geodata"
#: the map's JS/CSS and the offline basemap's data, copied from node_modules at set-up (heza_geo.maps.assets)
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
#: the Streamlit script that is the app: page set-up, language, navigation
APP_SCRIPT = REPO_ROOT / "app.py"
#: the page scripts app.py navigates to (nothing else lives there)
PAGES_DIR = REPO_ROOT / "pages"
LANGUAGES: tuple[str, ...] = ("vi", "en", "ko", "ja", "zh")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    default_language: str = "vi"
    languages: tuple[str, ...] = LANGUAGES
    store_path: Path | None = None
    max_upload_mb: float = 50.0
    session_hours: float = 8.0
    #: where visitors reach the app (the presentation's QR code); None = the host the browser used
    public_url: str | None = None
    #: where the last good copy of the data is kept, so a restart on broken data still has something to show
    cache_dir: Path = REPO_ROOT / ".cache" / "last_good"
    #: the Chromium that draws exports and runs the benchmark's browser (Debian's; never a download)
    chromium: Path = Path("/usr/bin/chromium")
    #: which renderer an export uses when its options say "auto": auto (the browser if it starts), browser, static
    export_renderer: str = "auto"
    #: a file that gets one line per script run (time, page, kind): how the benchmark and the browser
    #: tests count the runs an action causes; None (the default) writes nothing
    run_log: Path | None = None
    #: the mail server that sends new enquiries to the desk (smtp:// or smtps://, with user and password);
    #: None = no e-mail
    smtp_url: str | None = field(default=None, repr=False)
    #: the desk's e-mail address new enquiries are sent to
    enquiry_to: str | None = None
    #: the language of the desk's e-mail
    enquiry_language: str = "vi"
    config_file: Path | None = field(default=None, compare=False)


#: The one table of settings: each field of :class:`Settings` and the environment variable that sets
#: it (over ``heza.toml``, over the default). ``HEZA_CONFIG`` names the TOML file. The README lists
#: them all (``tests/test_docs.py`` checks it), and no other module reads the environment.
ENVIRONMENT: dict[str, str] = {
    "data_dir": "HEZA_DATA_DIR",
    "database_url": "HEZA_DATABASE_URL",
    "default_language": "HEZA_LANGUAGE",
    "languages": "HEZA_LANGUAGES",
    "store_path": "HEZA_STORE_PATH",
    "max_upload_mb": "HEZA_MAX_UPLOAD_MB",
    "session_hours": "HEZA_SESSION_HOURS",
    "public_url": "HEZA_PUBLIC_URL",
    "cache_dir": "HEZA_CACHE_DIR",
    "chromium": "HEZA_CHROMIUM",
    "export_renderer": "HEZA_EXPORT_RENDERER",
    "run_log": "HEZA_RUN_LOG",
    "smtp_url": "HEZA_SMTP_URL",
    "enquiry_to": "HEZA_ENQUIRY_TO",
    "enquiry_language": "HEZA_ENQUIRY_LANGUAGE",
}
CONFIG_ENV = "HEZA_CONFIG"
EXPORT_RENDERERS = ("auto", "browser", "static")


def _positive(values: Mapping[str, object], key: str, default: float) -> float:
    raw = values.get(key, default)
    try:
        number = float(raw)  # type: ignore[arg-type]  # any TOML or environment value; float() says if not
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a number, got {raw!r}") from None
    if not number > 0:
        raise ConfigError(f"{key} must be above 0, got {raw!r}")
    return number


def _languages(raw: object) -> tuple[str, ...]:
    """The languages offered: a list (TOML) or comma-separated codes (environment), each one of :data:`LANGUAGES`."""
    codes = [c.strip() for c in raw.split(",")] if isinstance(raw, str) else [str(c).strip() for c in raw]  # type: ignore[attr-defined]  # a TOML list
    codes = [c for c in codes if c]
    unknown = [c for c in codes if c not in LANGUAGES]
    if unknown or not codes:
        raise ConfigError(f"languages must be some of {', '.join(LANGUAGES)}, got {raw!r}")
    return tuple(codes)


def redacted_url(url: str) -> str:
    """``url`` with its password replaced by ``***``, for messages and logs.

    >>> redacted_url("smtps://desk%40heza.example:s3cret@mail.example:465")
    'smtps://desk%40heza.example:***@mail.example:465'
    >>> redacted_url("postgresql://heza@db/heza")
    'postgresql://heza@db/heza'
    >>> redacted_url("postgresql://heza:s3cret@[::1/heza")   # not a URL urllib splits: blotted all the same
    'postgresql://heza:***@[::1/heza'
    """
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:  # not a URL urllib can split (a broken IPv6 host): blot what sits where a password would
        return re.sub(r"^([^:/?#]+://[^:@/]*):[^/]*@", r"\1:***@", url)
    user = parts.netloc.rpartition("@")[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{parts.netloc.rpartition('@')[2]}"))


def _smtp_url(raw: object) -> str | None:
    """``smtp_url`` checked: smtp:// or smtps:// with a host (the password never in the message)."""
    if not raw or not str(raw).strip():
        return None
    url = str(raw).strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError(f"smtp_url is not a URL like smtp://user:password@host:587: {redacted_url(url)}") from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(f"smtp_url must be smtp://user:password@host:port or smtps://…, got {redacted_url(url)}")
    del port
    return url


def load_settings(env: Mapping[str, str] | None = None, config_file: Path | None = None) -> Settings:
    """Settings from ``env`` (default ``os.environ``) and the TOML file it names, if any."""
    env = os.environ if env is None else env
    candidate = config_file or Path(env.get(CONFIG_ENV, REPO_ROOT / "heza.toml"))
    path: Path | None = candidate if candidate.is_file() else None
    values: dict[str, object] = {}
    if path is not None:
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        unknown = set(values) - set(ENVIRONMENT)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s) {sorted(unknown)}; known: {sorted(ENVIRONMENT)}")
    for key, var in ENVIRONMENT.items():
        if env.get(var):
            values[key] = env[var]

    data_dir = Path(str(values.get("data_dir", DEFAULT_DATA_DIR))).expanduser()
    if not data_dir.is_absolute():
        data_dir = (path.parent if path else REPO_ROOT) / data_dir
    languages = _languages(values.get("languages", LANGUAGES))
    language = str(values.get("default_language", "vi"))
    if language not in languages:
        raise ConfigError(f"default_language {language!r} is not one of {languages}")
    url = values.get("database_url")
    store_path = Path(str(values["store_path"])).expanduser() if values.get("store_path") else None
    if store_path is not None and not store_path.is_absolute():
        store_path = (path.parent if path else REPO_ROOT) / store_path
    cache_dir = Path(str(values.get("cache_dir", REPO_ROOT / ".cache" / "last_good"))).expanduser()
    if not cache_dir.is_absolute():
        cache_dir = (path.parent if path else REPO_ROOT) / cache_dir
    renderer = str(values.get("export_renderer", "auto")).strip().lower() or "auto"
    if renderer not in EXPORT_RENDERERS:
        raise ConfigError(f"export_renderer must be one of {', '.join(EXPORT_RENDERERS)}, got {renderer!r}")
    chromium = Path(str(values.get("chromium", "/usr/bin/chromium"))).expanduser()
    run_log = Path(str(values["run_log"])).expanduser() if values.get("run_log") else None
    enquiry_to = str(values.get("enquiry_to") or "").strip() or None
    if enquiry_to is not None and ("@" not in enquiry_to or any(c.isspace() for c in enquiry_to)):
        raise ConfigError(f"enquiry_to must be one e-mail address, got {enquiry_to!r}")
    enquiry_language = str(values.get("enquiry_language", "vi")).strip()
    if enquiry_language not in LANGUAGES:
        raise ConfigError(f"enquiry_language must be one of {', '.join(LANGUAGES)}, got {enquiry_language!r}")
    return Settings(
        run_log=run_log,
        smtp_url=_smtp_url(values.get("smtp_url")),
        enquiry_to=enquiry_to,
        enquiry_language=enquiry_language,
        cache_dir=cache_dir,
        chromium=chromium,
        export_renderer=renderer,
        data_dir=data_dir,
        database_url=str(url) if url else None,
        default_language=language,
        languages=languages,
        store_path=store_path,
        max_upload_mb=_positive(values, "max_upload_mb", 50.0),
        session_hours=_positive(values, "session_hours", 8.0),
        public_url=(str(values["public_url"]).strip().rstrip("/") or None) if values.get("public_url") else None,
        config_file=path,
    )
