"""Translations and locale formatting, in one place.

Messages live in gettext catalogs, ``locales/<lang>/LC_MESSAGES/heza.po``, keyed by symbolic ids
(``layer.parks``, ``stage.full``, ``plot_status.leased``); ``locales/heza.pot`` lists every id,
with the English text as a comment. The ``.po`` files are read with Babel at run time (no
compiled ``.mo``), once per language.

Nothing here raises on a missing translation: it falls back to English, then to the key (or, for
:func:`label`, to the raw value), and logs a warning once per language and key. Numbers and dates
are formatted with Babel's CLDR data, so pages never spell out a separator or a date pattern.

Examples
--------
>>> t("text.as_of", "en", date=fmt_date("2023-10-14", "en"))
'as of 14 Oct 2023'
>>> label("stage", "full", "vi")
'Cơ bản lấp đầy'
>>> fmt_area_ha(2591.74, "vi")
'2.591,74 ha'
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_args

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from heza_geo import schema
from heza_geo.config import LANGUAGES
from heza_geo.errors import Note, Problem

__all__ = [
    "BASEMAPS",
    "LABEL_VALUES",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "MISSING",
    "Translator",
    "badge",
    "calendar_names",
    "catalog_path",
    "clear_cache",
    "date_input_format",
    "date_input_help",
    "decimal_input_help",
    "extra_keys",
    "fmt_area_ha",
    "fmt_date",
    "fmt_km",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "fmt_quantity",
    "has_translation",
    "keyed_text",
    "label",
    "label_key",
    "missing_keys",
    "normalize_lang",
    "number_separators",
    "problem_text",
    "t",
    "template_keys",
    "translator",
    "unit_label",
    "value_kind",
]

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "heza"
DEFAULT_LANGUAGE = "vi"
FALLBACK_LANGUAGE = "en"
#: shown for a missing number, date or value
MISSING = "—"

#: each language's name in its own script, for the language picker
LANGUAGE_NAMES: dict[str, str] = {
    "vi": "Tiếng Việt",
    "en": "English",
    "ko": "한국어",
    "ja": "日本語",
    "zh": "中文",
}

#: Babel locale per language; English uses en_GB for day-month-year dates ("14 Oct 2023").
_BABEL_LOCALES: dict[str, str] = {"vi": "vi", "en": "en_GB", "ko": "ko", "ja": "ja", "zh": "zh_Hans_CN"}
#: Babel format name or pattern; Vietnamese "short" has a 2-digit year, so its pattern is explicit.
_DATE_FORMATS: dict[str, str] = {
    "vi": "dd/MM/y",
    "en": "medium",
    "ko": "medium",
    "ja": "medium",
    "zh": "medium",
}

#: a date known to the month or the year: Babel skeletons, with the patterns of languages whose
#: skeleton reads oddly in a sentence (vi "thg 5 2018": HEZA's reports write "tháng 5/2018", "năm 2018")
_PARTIAL_SKELETONS: dict[str, str] = {"month": "yMMM", "year": "y"}
_PARTIAL_FORMATS: dict[object, dict[str, str]] = {
    "month": {"vi": "'tháng' M/y"},
    "year": {"vi": "'năm' y"},
}

#: basemap ids, labelled as ``layer.<id>``
BASEMAPS: tuple[str, ...] = ("offline", "street", "satellite", "light")

#: every value :func:`label` knows, by kind; the catalogs hold ``<kind>.<slug(value)>`` for each
LABEL_VALUES: dict[str, tuple[str, ...]] = {
    "stage": schema.PARK_STAGE,
    "park_status": schema.PARK_STATUS,
    "zone_status": schema.ZONE_STATUS,
    "plot_status": schema.PLOT_STATUS,
    "sector": schema.SECTORS,
    "berth_status": schema.BERTH_STATUS,
    "housing_kind": schema.HOUSING_KIND,
    "housing_status": schema.HOUSING_STATUS,
    "connectivity_kind": schema.CONNECTIVITY_KIND,
    "provenance": get_args(schema.ProvenanceKind),
    "precision": schema.DATE_PRECISION,
    "basis": schema.FIGURE_BASIS,
    "geometry_quality": schema.GEOMETRY_QUALITY,
    "occupancy_scope": schema.OCCUPANCY_SCOPE,
    "province": schema.PROVINCE_BEFORE_2025,
    "metric": schema.INVESTMENT_METRICS + schema.ENTERPRISE_METRICS,
    "investor_kind": schema.INVESTOR_KIND,
    "readiness": schema.PLOT_READINESS,
    "wastewater_standard": schema.WASTEWATER_STANDARD,
    "contact_role": schema.CONTACT_ROLE,
    "incentive_regime": schema.INCENTIVE_REGIME,
    "passport_group": schema.PASSPORT_GROUPS,
    "layer": tuple(schema.LAYERS) + BASEMAPS,
    "column": tuple(dict.fromkeys(c for layer in schema.LAYERS.values() for c in layer.column_names)),
}

#: kinds of :data:`LABEL_VALUES` that name the data's structure, not a column's values
_STRUCTURE_KINDS = ("layer", "column")


def value_kind(layer: str, column: str) -> str | None:
    """The kind of allowed values (a key of :data:`LABEL_VALUES`) ``column`` of ``layer`` holds,
    ``None`` for free values: the one rule by which the staff page's history
    (:mod:`heza_geo.analysis.staff`), the XLSX export (:mod:`heza_geo.export.data`) and the import
    templates (:mod:`heza_geo.io.templates`) label values.

    A column of the layer's schema with allowed values is labelled by the smallest kind that holds
    them all (a plot's ``status`` by ``plot_status``, ``metric`` by ``metric``); a column the schema
    does not list (a sheet of its own, such as an export's ``sources``, a joined column) by its name
    (``source_kind``, ``basis``, ``_precision`` and the like).

    >>> value_kind("plots", "status"), value_kind("parks", "occupancy_basis"), value_kind("parks", "developer")
    ('plot_status', 'basis', None)
    >>> value_kind("investors", "kind"), value_kind("sources", "source_kind")
    ('investor_kind', 'provenance')
    """
    found = schema.LAYERS.get(layer)
    if found is not None and column in found.column_names:
        allowed = set(found.column(column).allowed or ())
        fits = [(len(values), kind) for kind, values in LABEL_VALUES.items()
                if kind not in _STRUCTURE_KINDS and allowed <= set(values)]
        return min(fits)[1] if allowed and fits else None
    if column.endswith("source_kind"):
        return "provenance"
    if column == "basis" or column.endswith("_basis"):
        return "basis"
    if column.endswith("_precision"):
        return "precision"
    return None


#: spellings of units met in data, mapped to the slug of their ``unit.*`` key
_UNIT_ALIASES: dict[str, str] = {
    "musd": "million_usd",
    "usd_million": "million_usd",
    "trieu_usd": "million_usd",
    "busd": "billion_usd",
    "ty_usd": "billion_usd",
    "mvnd": "million_vnd",
    "trieu_dong": "million_vnd",
    "bvnd": "billion_vnd",
    "vnd_billion": "billion_vnd",
    "ty_dong": "billion_vnd",
    "hectare": "ha",
    "hectares": "ha",
    "person": "people",
    "nguoi": "people",
    "project": "projects",
}

_warned: set[tuple[str, str]] = set()


# --- catalogs ----------------------------------------------------------------------------------
def catalog_path(lang: str) -> Path:
    """Path of the ``.po`` catalog of ``lang`` (which need not exist)."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalog(lang: str) -> Mapping[str, str]:
    """Translated, non-fuzzy messages of ``lang``; an unreadable catalog counts as empty."""
    path = catalog_path(lang)
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
    except OSError as exc:
        log.warning("i18n: cannot read catalog %s (%s); using %r", path, exc, FALLBACK_LANGUAGE)
        return MappingProxyType({})
    messages = {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy
    }
    return MappingProxyType(messages)


@lru_cache(maxsize=1)
def template_keys() -> tuple[str, ...]:
    """Every message id of ``locales/heza.pot``, in file order."""
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("rb") as fh:
        return tuple(m.id for m in read_po(fh, domain=DOMAIN) if isinstance(m.id, str) and m.id)


def clear_cache() -> None:
    """Forget loaded catalogs (after a ``.po`` file was edited, or in tests)."""
    _catalog.cache_clear()
    template_keys.cache_clear()
    _warned.clear()


def missing_keys() -> dict[str, list[str]]:
    """For every language, the template keys its catalog does not translate (empty list = complete)."""
    return {lang: [k for k in template_keys() if k not in _catalog(lang)] for lang in LANGUAGES}


def extra_keys() -> dict[str, list[str]]:
    """For every language, translated keys absent from the template (stale or misspelt ids)."""
    known = set(template_keys())
    return {lang: sorted(set(_catalog(lang)) - known) for lang in LANGUAGES}


def has_translation(key: str, lang: str) -> bool:
    """True if ``lang``'s own catalog translates ``key`` (no fallback involved)."""
    return key in _catalog(normalize_lang(lang))


# --- messages ----------------------------------------------------------------------------------
def _warn_once(lang: str, key: str, message: str) -> None:
    if (lang, key) not in _warned:
        _warned.add((lang, key))
        log.warning(message)


def normalize_lang(lang: str | None) -> str:
    """A code of :data:`LANGUAGES`: ``"ko-KR"`` → ``"ko"``, ``None`` → ``"vi"``, unknown → ``"en"``."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = re.split(r"[-_]", str(lang).strip().lower(), maxsplit=1)[0]
    if code in LANGUAGES:
        return code
    _warn_once(str(lang), "", f"i18n: unknown language {lang!r}; using {FALLBACK_LANGUAGE!r}")
    return FALLBACK_LANGUAGE


def _translate(key: str, lang: str) -> str | None:
    text = _catalog(lang).get(key)
    if text is None:
        _warn_once(lang, key, f"i18n: no {lang!r} translation for {key!r}")
        text = _catalog(FALLBACK_LANGUAGE).get(key)
    return text


def t(key: str, lang: str | None, **kwargs: object) -> str:
    """The text of ``key`` in ``lang``, with ``str.format`` placeholders filled from ``kwargs``.

    Pass values already formatted (``date=fmt_date(d, lang)``), since ``{n}`` is filled with
    ``str(n)``; placeholders cannot be named ``key`` or ``lang``. They are only substituted when
    keyword arguments are given. A missing
    key falls back to English, then to the key itself; a placeholder the caller did not supply
    leaves the text unformatted. Both are logged, neither raises.
    """
    code = normalize_lang(lang)
    text = _translate(key, code) or key
    if not kwargs:
        return text
    try:
        return text.format(**kwargs)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        _warn_once(code, key + "{}", f"i18n: cannot fill {key!r} in {code!r}: {exc!r}")
        return text


def problem_text(problem: Problem | Note, lang: str | None) -> str:
    """What is wrong, or what to know, in ``lang``: the problem's (or the import note's) catalog
    message with its parameters, or its English ``message`` where it has no key (see
    :class:`heza_geo.errors.Problem` and :class:`heza_geo.errors.Note`). A note's English text
    (its ``str``) is this function's text in English.

    A ``library`` parameter (a library's own reason, English only) is shown as it is to an English
    reader and marked as the English original (``text.in_english``) to any other, so a Vietnamese
    officer sees which words are the library's and which are the app's:

    >>> from heza_geo.io.validation import note, problem
    >>> found = problem("parks.csv", "parks", "problem.not_allowed", 3, "status", value="sold", allowed="leased")
    >>> found.message, problem_text(found, "vi")
    ("'sold' is not one of leased", "'sold' không thuộc các giá trị cho phép: leased")
    >>> broken = problem("plots.geojson", "plots", "problem.malformed_geometry", library="Ring is not closed")
    >>> problem_text(broken, "en")
    'holds a malformed geometry: Ring is not closed'
    >>> problem_text(broken, "ko")
    '형식이 잘못된 지오메트리가 있습니다. GEOS 메시지: (영어 원문) “Ring is not closed”'

    Provenance kinds are codes (``news``) and said by their labels (:func:`label`): a ``provenance``
    parameter holds one kind; a ``kind_counts`` parameter holds how many rows have each kind, as
    ``kind=n`` pairs joined by ``;`` (``news=2;report=1``), said as a list in the reader's language
    (``note.kind_count`` each, joined as the locale joins a list), or ``note.no_kind_counts`` when
    empty. The note keeps the codes, so the same note reads in any language:

    >>> derived = note("note.kinds_derived", kind_column="source_kind", column="source", kind_counts="news=2;report=1")
    >>> problem_text(derived, "ko").split("(")[1].split(")")[0]
    '언론 보도 2건 및 HEZA 보고서 1건'
    >>> str(derived).split("(")[1].split(")")[0]
    'Public news: 2 and HEZA report: 1'
    """
    if not problem.key:
        return problem.message
    return keyed_text(problem.key, problem.params, lang)


def keyed_text(key: str, pairs: Iterable[tuple[str, str]], lang: str | None) -> str:
    """The catalog message ``key`` with a problem's, a note's or a refusal's parameters (``pairs``) in ``lang``, by
    the rules of :func:`problem_text`; in English, the text each of them is made with
    (:mod:`heza_geo.io.validation`), so the command line and the page say the same."""
    params = dict(pairs)
    if params.get("library"):
        params["library"] = t("text.in_english", lang, text=params["library"])
    if "provenance" in params:
        params["provenance"] = label("provenance", params["provenance"], lang)
    if "kind_counts" in params:
        counts = [pair.rpartition("=") for pair in params["kind_counts"].split(";") if pair]
        said = [t("note.kind_count", lang, kind=label("provenance", kind, lang), n=fmt_number(int(n), lang, 0))
                for kind, _, n in counts]
        params["kind_counts"] = (str(format_list(said, locale=_babel_locale(normalize_lang(lang)))) if said
                                 else t("note.no_kind_counts", lang))
    return t(key, lang, **params)


def _slug(value: str) -> str:
    """``"synthetic demo"`` → ``"synthetic_demo"``, ``"Hải Phòng"`` → ``"hai_phong"``."""
    text = unicodedata.normalize("NFKD", str(value).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def label_key(kind: str, value: str) -> str:
    """Catalog key of an allowed value: ``label_key("basis", "synthetic demo")`` → ``"basis.synthetic_demo"``."""
    return f"{kind}.{_slug(value)}"


def label(kind: str, value: object, lang: str | None) -> str:
    """Display text of an allowed value of kind ``kind`` (a key of :data:`LABEL_VALUES`).

    A missing value gives :data:`MISSING`; a value with no translation falls back to English,
    then to the value itself as written in the data.
    """
    if _is_missing(value):
        return MISSING
    return _translate(label_key(kind, str(value)), normalize_lang(lang)) or str(value)


def badge(provenance: schema.Provenance | str | None, lang: str | None) -> str:
    """The badge of a provenance (or of a kind), e.g. "Official figure – HEZA report".

    Only the kind decides the badge, and only ``report`` says "official": see
    :class:`heza_geo.schema.Provenance`. No kind (None, "") is :data:`heza_geo.schema.NO_SOURCE`.

    >>> badge(schema.Provenance("approximate", "a share of 002's total"), "en")
    'Approximate – not a published figure'
    """
    kind = provenance.kind if isinstance(provenance, schema.Provenance) else (provenance or schema.NO_SOURCE)
    if kind not in LABEL_VALUES["provenance"]:
        kind = schema.NO_SOURCE
    return t(label_key("badge", kind), lang)


def unit_label(unit: str, lang: str | None) -> str:
    """Translated unit: ``unit_label("million USD", "vi")`` → ``"triệu USD"``; unknown units as given."""
    slug = _slug(unit)
    slug = _UNIT_ALIASES.get(slug, slug)
    return _translate(f"unit.{slug}", normalize_lang(lang)) or str(unit)


# --- names of places and notes in the data ------------------------------------------------------
#: languages the data itself is written in (``name_vi``, ``name_en``, ``note_vi``…); readers of
#: the other languages read the English column, as HEZA's own English material does
DATA_LANGUAGES: tuple[str, ...] = ("vi", "en")


def data_column(field: str, lang: str | None) -> str:
    """The column of ``field`` a reader of ``lang`` reads: ``name_vi`` for Vietnamese, ``name_en``
    for English and for the languages the data is not written in.

    >>> data_column("name", "vi"), data_column("note", "ja")
    ('name_vi', 'note_en')
    """
    code = normalize_lang(lang)
    return f"{field}_{code if code in DATA_LANGUAGES else FALLBACK_LANGUAGE}"


def other_column(field: str, lang: str | None) -> str:
    """The column of ``field`` in the other data language, shown under a name as its subtitle
    (the English name under the Vietnamese one, and the Vietnamese under the English).

    >>> other_column("name", "vi"), other_column("name", "ko")
    ('name_en', 'name_vi')
    """
    shown = data_column(field, lang)
    return next(f"{field}_{code}" for code in DATA_LANGUAGES if f"{field}_{code}" != shown)


#: the word a language adds to a park's or a zone's proper name (``name_short``), by the id column
#: that says what the record is; the catalogs carry the words (``name.park``: ko "{name} 산업단지")
_NAME_PATTERNS: dict[str, str] = {"park_id": "name.park", "zone_id": "name.zone"}


def name(row: Any, lang: str | None, field: str = "name") -> str:
    """A record's name (or another per-language ``field``) for a reader of ``lang``; ``row`` is a
    frame's row or any mapping with the ``<field>_<lang>`` keys.

    A reader of a language the data is not written in (ko, ja, zh) gets a park's or a zone's proper
    name (``name_short``, without diacritics) with their own word for it, from the catalogs; a
    record without one gets the English name.

    >>> name({"name_vi": "Khu công nghiệp Đình Vũ", "name_en": "Dinh Vu IP"}, "zh")
    'Dinh Vu IP'
    >>> name({"park_id": "da", "name_vi": "KCN Đại An", "name_en": "Dai An IP", "name_short": "Dai An"}, "ko")
    'Dai An 산업단지'
    """
    code = normalize_lang(lang)
    if field == "name" and code not in DATA_LANGUAGES:
        short = row.get("name_short") if hasattr(row, "get") else None
        pattern = next((key for column, key in _NAME_PATTERNS.items() if column in row), None)
        if pattern is not None and not _is_missing(short):
            return t(pattern, code, name=str(short).strip())
    return str(row[data_column(field, lang)])


def other_name(row: Any, lang: str | None, field: str = "name") -> str:
    """A record's name in the other data language (a subtitle)."""
    return str(row[other_column(field, lang)])


def names(frame: object, key: str, lang: str | None, field: str = "name") -> dict[str, str]:
    """``{id: name}`` of a frame's records for a reader of ``lang`` (``key`` names the id column).

    >>> import pandas as pd
    >>> names(pd.DataFrame({"park_id": ["dv"], "name_vi": ["Đình Vũ"], "name_en": ["Dinh Vu"]}), "park_id", "vi")
    {'dv': 'Đình Vũ'}
    """
    rows = frame.to_dict("records")  # type: ignore[attr-defined]  # any frame with these columns
    return {str(row[key]): name(row, lang, field) for row in rows}


# --- numbers and dates -------------------------------------------------------------------------
def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA refuses bool()
        return True


@cache
def _babel_locale(lang: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(lang, lang))


def fmt_month(month: date, lang: str | None) -> str:
    """A month and its year as ``lang`` writes them ("April 2024", vi "tháng 4 năm 2024").

    >>> fmt_month(date(2024, 4, 1), "en")
    'April 2024'
    """
    return str(format_skeleton("yMMMM", month, locale=_babel_locale(normalize_lang(lang))))


#: ``st.date_input``'s ``format`` per language, the nearest of the three orders Streamlit accepts
#: (YYYY/MM/DD, DD/MM/YYYY, MM/DD/YYYY, with "/", "-" or ".") to the language's short date
_DATE_INPUT_FORMATS: dict[str, str] = {"vi": "DD/MM/YYYY", "en": "DD/MM/YYYY", "ko": "YYYY.MM.DD",
                                       "ja": "YYYY/MM/DD", "zh": "YYYY/MM/DD"}


def date_input_format(lang: str | None) -> str:
    """The ``format`` of a date field for ``lang``: Vietnamese "29/11/2026", not Streamlit's "2026/11/29".

    >>> date_input_format("vi"), date_input_format("ko")
    ('DD/MM/YYYY', 'YYYY.MM.DD')
    """
    return _DATE_INPUT_FORMATS[normalize_lang(lang)]


def date_input_help(lang: str | None) -> str:
    """What a date field says to its reader: type the date in :func:`date_input_format`'s order (an
    example written so), and the calendar it opens is the browser's, in the browser's language
    (Streamlit's date picker follows the browser, not the page; it has no setting for it).

    >>> date_input_help("vi")
    'Gõ ngày theo dạng DD/MM/YYYY (ví dụ 30/11/2026). Lịch bật ra do trình duyệt vẽ, bằng ngôn ngữ của trình duyệt.'
    """
    code = normalize_lang(lang)
    pattern = date_input_format(code)
    example = pattern.replace("YYYY", "2026").replace("MM", "11").replace("DD", "30")
    return t("input.date_help", code, format=pattern, example=example)


def decimal_input_help(lang: str | None) -> str | None:
    """What a number field with decimals says to a reader whose language writes a decimal comma:
    Streamlit's number fields take and show a decimal point whatever the language (their
    ``format`` is printf-style, with no locale), so the field says so; None where the language
    writes a point.

    >>> decimal_input_help("en") is None, decimal_input_help("vi") is not None
    (True, True)
    """
    code = normalize_lang(lang)
    if _babel_locale(code).number_symbols["latn"]["decimal"] == ".":
        return None
    return t("input.decimal_point", code, example=format_decimal(63.25, "0.00", locale="en"))


def calendar_names(lang: str | None) -> dict[str, list[str]]:
    """The month and weekday names of ``lang`` (CLDR, as Babel gives them), in the shape of a
    d3/Vega time-format locale: weeks start on Sunday, months in order. A chart's time axis writes
    these instead of Vega's built-in English ones (:func:`heza_geo.ui.slides.localized`).

    >>> names = calendar_names("ko")
    >>> names["months"][6], names["shortDays"][0]
    ('7월', '일')
    """
    loc = _babel_locale(normalize_lang(lang))
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel numbers the days from Monday
    return {
        "months": [str(loc.months["format"]["wide"][m]) for m in range(1, 13)],
        "shortMonths": [str(loc.months["format"]["abbreviated"][m]) for m in range(1, 13)],
        "days": [str(loc.days["format"]["wide"][d]) for d in sunday_first],
        "shortDays": [str(loc.days["format"]["abbreviated"][d]) for d in sunday_first],
        "periods": [str(loc.day_periods["format"]["abbreviated"][p]) for p in ("am", "pm")],
    }


def country_name(code: object, lang: str | None) -> str:
    """An ISO 3166 country code in the reader's language; the code itself if unknown, :data:`MISSING` if none.

    >>> country_name("KR", "vi"), country_name("XX", "en")
    ('Hàn Quốc', 'XX')
    """
    if _is_missing(code):
        return MISSING
    return str(_babel_locale(normalize_lang(lang)).territories.get(str(code).upper(), str(code)))


@cache
def _pattern(lang: str, decimals: int | None, percent: bool) -> str:
    """The locale's decimal or percent pattern with its fraction part set to ``decimals`` digits."""
    loc = _babel_locale(lang)
    base = (loc.percent_formats if percent else loc.decimal_formats)[None].pattern
    frac = ".##" if decimals is None else ("." + "0" * decimals if decimals > 0 else "")
    return re.sub(r"0(?:\.[0#]+)?", lambda _m: "0" + frac, base, count=1)


def _number(x: object) -> int | float | Decimal | None:
    if _is_missing(x):
        return None
    if isinstance(x, (int, Decimal)) and not isinstance(x, bool):
        return x
    try:
        return float(x)  # type: ignore[arg-type]  # any value; float() says if it is no number
    except (TypeError, ValueError):
        return None


def fmt_number(x: object, lang: str | None, decimals: int | None = 2) -> str:
    """``x`` with the language's separators: vi ``"2.591,74"``, en/ko/ja/zh ``"2,591.74"``.

    ``decimals`` digits are always shown; ``None`` shows up to two and drops trailing zeros.
    None, NaN and non-numbers give :data:`MISSING` (non-numbers are logged).
    """
    number = _number(x)
    if number is None:
        if not _is_missing(x):
            log.warning("i18n: not a number: %r", x)
        return MISSING
    if round(number, 2 if decimals is None else decimals) == 0:
        number = 0  # no "-0.00"
    code = normalize_lang(lang)
    return format_decimal(number, format=_pattern(code, decimals, False), locale=_babel_locale(code))


def number_separators(lang: str | None) -> tuple[str, str]:
    """The decimal and the group separator of ``lang``, as :func:`fmt_number` writes them, for the
    numbers a map control writes in the browser (the measure tool's distances and areas).

    >>> number_separators("vi"), number_separators("ko")
    ((',', '.'), ('.', ','))
    """
    locale = _babel_locale(normalize_lang(lang))
    return get_decimal_symbol(locale), get_group_symbol(locale)


def fmt_percent(pct: object, lang: str | None, decimals: int | None = 1) -> str:
    """A percentage given as 0–100: vi ``"76,6%"``, en ``"76.6%"``."""
    number = _number(pct)
    if number is None:
        return MISSING
    code = normalize_lang(lang)
    fraction = Decimal(str(number)) / 100
    return format_percent(fraction, format=_pattern(code, decimals, True), locale=_babel_locale(code))


def fmt_quantity(x: object, unit: str, lang: str | None, decimals: int | None = 2) -> str:
    """A number with a translated unit, placed as the language writes it (``format.quantity``)."""
    number = fmt_number(x, lang, decimals)
    if number == MISSING:
        return MISSING
    return t("format.quantity", lang, value=number, unit=unit_label(unit, lang))


def fmt_area_ha(x: object, lang: str | None, decimals: int | None = 2) -> str:
    """An area in hectares: vi ``"2.591,74 ha"``, zh ``"2,591.74公顷"``."""
    return fmt_quantity(x, "ha", lang, decimals)


def fmt_km(x: object, lang: str | None, decimals: int | None = 1) -> str:
    """A distance in kilometres: en ``"12.3 km"``."""
    return fmt_quantity(x, "km", lang, decimals)


def fmt_money(value: object, unit: str, lang: str | None, decimals: int | None = None) -> str:
    """An amount in ``unit`` ("million USD", "billion VND", …): vi ``"3.037 triệu USD"``.

    By default up to two decimals, trailing zeros dropped, as HEZA reports write amounts.
    """
    return fmt_quantity(value, unit, lang, decimals)


def fmt_date(d: object, lang: str | None, precision: object = None) -> str:
    """A date: vi ``"14/10/2023"``, en ``"14 Oct 2023"``, ko ``"2023. 10. 14."``, ja ``"2023/10/14"``,
    zh ``"2023年10月14日"``; no more precise than it is known.

    Accepts ``date``, ``datetime`` (incl. pandas ``Timestamp``) and ISO strings; text that is not
    a date (``"end-2024"``) is returned as given, and None/NaT give :data:`MISSING`. ``precision``
    (``day``, ``month``, ``year``; see :data:`heza_geo.schema.DATE_PRECISION`) writes a date known
    to the month or year as such; an ISO string of a year (``"2018"``) or month (``"2018-05"``)
    carries its own.

    >>> fmt_date("2018-01-01", "en", "year"), fmt_date("2018-05", "vi"), fmt_date("2018", "ko")
    ('2018', 'tháng 5/2018', '2018년')
    """
    if _is_missing(d):
        return MISSING
    if isinstance(d, datetime):
        d = d.date()
    elif not isinstance(d, date):
        text = str(d).strip()
        if _is_missing(precision) and schema.written_precision(text):
            precision = schema.written_precision(text)
        try:
            d = date.fromisoformat((text + "-01-01"[len(text) - 4:]) if len(text) in (4, 7) else text[:10])
        except ValueError:
            return str(d)
    code = normalize_lang(lang)
    if precision in _PARTIAL_FORMATS:
        pattern = _PARTIAL_FORMATS[precision].get(code)
        if pattern is not None:
            return format_date(d, format=pattern, locale=_babel_locale(code))
        return str(format_skeleton(_PARTIAL_SKELETONS[str(precision)], d, locale=_babel_locale(code)))
    return format_date(d, format=_DATE_FORMATS.get(code, "medium"), locale=_babel_locale(code))


# --- bound to one language ---------------------------------------------------------------------
@dataclass(frozen=True)
class Translator:
    """Messages and formats bound to one language, for pages: ``tr = translator(lang); tr("layer.parks")``."""

    lang: str

    def __call__(self, key: str, **kwargs: object) -> str:
        return t(key, self.lang, **kwargs)

    def label(self, kind: str, value: object) -> str:
        return label(kind, value, self.lang)

    def badge(self, provenance: schema.Provenance | str | None) -> str:
        return badge(provenance, self.lang)

    def number(self, x: object, decimals: int | None = 2) -> str:
        return fmt_number(x, self.lang, decimals)

    def percent(self, pct: object, decimals: int | None = 1) -> str:
        return fmt_percent(pct, self.lang, decimals)

    def area_ha(self, x: object, decimals: int | None = 2) -> str:
        return fmt_area_ha(x, self.lang, decimals)

    def km(self, x: object, decimals: int | None = 1) -> str:
        return fmt_km(x, self.lang, decimals)

    def money(self, value: object, unit: str, decimals: int | None = None) -> str:
        return fmt_money(value, unit, self.lang, decimals)

    def date(self, d: object, precision: object = None) -> str:
        return fmt_date(d, self.lang, precision)


def translator(lang: str | None) -> Translator:
    """A :class:`Translator` for ``lang`` (normalised: ``"ko-KR"`` → ``"ko"``)."""
    return Translator(normalize_lang(lang))
