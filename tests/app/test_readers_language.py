"""Every word a Korean, Japanese or Chinese reader sees is in their language, or a name.

Each public page (every page of :data:`appkit.LANDINGS` but the staff page, which needs a
sign-in) is opened by its link in ko, ja and zh, and every text on it is read: headings,
Markdown, captions, alerts, metrics, widget labels, help, placeholders and options, expander
and tab labels, table headers and string cells, and the charts' titles, axis, legend and
tooltip titles and their text columns (the Vega-Lite specification). A word of plain ASCII
letters among them is English, unless it is in :data:`ALLOWED` (units, codes and brand names,
each with its reason) or is a word of a name the data gives in English only (park and zone
names have no ko/ja/zh form, :func:`heza_geo.i18n.data_column`; company names are not
translated). A time axis must carry the reader's month names: Vega-Lite writes English ones
("July") unless the chart sets ``config.locale.time``.

The staff page is read signed in, on a store with an edit in its history (the sign-in cookie the
guard sets is handed to the page as a browser would send it: ``AppTest`` sends no cookies), with
every tab drawn. The maps are drawn in the browser (``tests/e2e/test_map_page.py`` reads their
controls).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing

import pandas as pd
import pytest
import streamlit as st
from appkit import LANDINGS, open_page, plain
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as et

from heza_geo import i18n
from heza_geo.config import DEFAULT_DATA_DIR
from heza_geo.store import auth
from heza_geo.store.gpkg import GeoPackageStore
from heza_geo.ui import guard

#: the landings a visitor reaches without signing in
PUBLIC = [name for name, (page, _, _) in LANDINGS.items() if page != "data_management"]

#: ASCII words a ko/ja/zh page may show, each with why it is not an English word to translate
ALLOWED: dict[str, str] = {
    "ha": "hectare, the unit of land area in every language",
    "km": "kilometre, an SI unit",
    "MW": "megawatt, an SI unit (power available in a park)",
    "kV": "kilovolt, an SI unit (a park's substation)",
    "USD": "currency code (ISO 4217)",
    "VND": "currency code (ISO 4217)",
    "TEU": "twenty-foot equivalent unit, the container unit used untranslated in every language",
    "DWT": "deadweight tonnage, the ship-size unit used untranslated in every language",
    "FDI": "foreign direct investment, the acronym Korean, Japanese and Chinese statistics use",
    "DDI": "domestic direct investment, the Vietnamese statistics' acronym beside FDI",
    "HEZA": "the authority's own acronym, a proper name",
    "GIS": "geographic information system, the acronym used untranslated",
    "CSV": "file format name",
    "XLSX": "file format name",
    "xlsx": "file extension",
    "csv": "file extension",
    "GeoJSON": "file format name",
    "GPKG": "file format name (GeoPackage)",
    "GeoPackage": "file format name",
    "PDF": "file format name",
    "PNG": "file format name",
    "QR": "QR code, a trademark used untranslated",
    "OpenStreetMap": "the basemap's name and its required attribution",
    "OSM": "OpenStreetMap's abbreviation",
    "Esri": "a basemap provider's name",
    "Google": "a brand name",
    "ID": "identifier, written in Latin letters in ko/ja/zh interfaces",
    "Excel": "a program's name (Microsoft Excel)",
    "px": "pixel, the unit of an image's size",
    "dpi": "dots per inch, the unit of print resolution",
    "Wi": "Wi-Fi, a trademark",
    "Fi": "Wi-Fi, a trademark",
    "http": "a web address's scheme",
    "public_url": "a setting's name, shown as code: typed as written (heza_geo.config)",
    "HEZA_PUBLIC_URL": "an environment variable's name, shown as code: typed as written",
    "Decision": "part of a Vietnamese legal document's reference in a source's name (Decision 535/QĐ-TTg)",
    "HTML": "file format name",
    "Web": "written in Latin letters in Japanese and Korean (Web地図)",
    "English": "the language picker names each language in itself",
    "KCN": "khu công nghiệp, the prefix of a park's Vietnamese proper name",
    "TP": "thành phố (city), part of a district's Vietnamese proper name",
    "UTC": "coordinated universal time, the staff history's time standard, written so in every language",
    "MB": "megabyte, the unit of an upload's size",
    "KML": "file format name",
    "KMZ": "file format name (zipped KML)",
    "ZIP": "file format name",
    "Shapefile": "file format name (Esri Shapefile)",
    "VN": "VN-2000, the name of Vietnam's national coordinate system",
    "WGS": "WGS 84, the name of the world geodetic system",
    "UTM": "universal transverse Mercator, a projection's name in coordinate systems' names",
    "EPSG": "the registry whose codes name coordinate systems",
    "Streamlit": "the web framework's name, said where its own English words are explained",
    "YYYY": "a date field's pattern (DD/MM/YYYY), shown as the field takes it",
    "MM": "a date field's pattern (DD/MM/YYYY), shown as the field takes it",
    "DD": "a date field's pattern (DD/MM/YYYY), shown as the field takes it",
}
#: Streamlit's own words in its file uploader ("Upload", "50MB per file"), which it does not
#: translate: the staff page's help quotes them to explain them
_STREAMLIT_QUOTED = re.compile(r"[“「](?:Upload|\d+MB per file)[”」]")
#: what the staff page sweep's test typed: an account name, a comment, a tenant
_TYPED = {"lan", "survey", "Example", "Co"}


def _data_names() -> set[str]:
    """The words of the names the data has in English (or Vietnamese) only: parks and zones have
    no ko/ja/zh names, and company names are proper names, never translated."""
    words: set[str] = set()
    for table in ("investors", "enterprise", "contacts"):  # named investors, enterprises, contacts (CSV tables)
        frame = pd.read_csv(DEFAULT_DATA_DIR / f"{table}.csv", dtype=str)
        for column in frame.columns:
            if column in _PROPER_NAME_COLUMNS or column.startswith("name"):
                words.update(w for v in frame[column].dropna() for w in _WORD.findall(v))
    with closing(sqlite3.connect(DEFAULT_DATA_DIR / "heza.gpkg")) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in sorted(tables):
            columns = [row[1] for row in db.execute(f"PRAGMA table_info('{table}')")]
            named = [c for c in columns if c.startswith("name_") or c in _PROPER_NAME_COLUMNS
                     or any(c.startswith(f"{p}_") for p in _PROPER_NAME_COLUMNS)]
            for column in named:
                for (value,) in db.execute(f'SELECT "{column}" FROM "{table}"'):  # noqa: S608 - the file's own names
                    if isinstance(value, str):
                        words.update(_WORD.findall(value))
    return words


#: columns that hold proper names, shown as written: companies (developers, tenants, investors,
#: operators, terminals, the organisations and people to contact) and Vietnamese places (districts,
#: communes, the provinces before 2025)
_PROPER_NAME_COLUMNS = ("developer", "investor", "operator", "company", "enterprise", "terminal", "tenant",
                        "district", "commune", "province_before_2025", "location", "organisation", "person")
#: a word: letters and digits, any script
_WORD = re.compile(r"[^\W\d_]+")
#: a word of two or more plain ASCII letters (a Vietnamese word that carries a diacritic is not one)
_ASCII_WORD = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])")
#: not words: identifiers (``xuan-cau-P0124``), web sites a source is named by (``vneconomy.vn``)
_NOT_WORDS = re.compile(r"[\w-]*\d[\w-]*|[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|asia|today)\b")


def english_words(text: str, lang: str) -> set[str]:
    """The ASCII words of ``text`` a reader of ``lang`` should not see (before :data:`ALLOWED`): a
    text marked as written in English (``text.in_english``, "(영어 원문) “…”": the data's
    English-only notes and methods) is shown as marked, and counts for nothing; the words before
    and after it count."""
    text = _STREAMLIT_QUOTED.sub(" ", _ENGLISH_ORIGINAL[lang].sub(" ", text))
    return set(_ASCII_WORD.findall(_NOT_WORDS.sub(" ", text)))


#: a text marked as the English original, from its opening to its closing quote, in each language
_ENGLISH_ORIGINAL = {
    lang: re.compile(".*?".join(re.escape(part) for part in i18n.t("text.in_english", lang, text="\0").split("\0")))
    for lang in ("vi", "ko", "ja", "zh")
}


def _vega_texts(spec: dict[str, object]) -> Iterator[str]:
    """The texts a Vega-Lite chart draws from its specification: titles and subtitles, axis,
    legend and tooltip titles, and the string values of its data (labels, bars' text)."""

    def walk(node: object, key: str = "") -> Iterator[str]:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("title", "subtitle", "text") and isinstance(v, str):
                    yield v
                elif k in ("title", "subtitle", "text") and isinstance(v, list):
                    yield from (str(x) for x in v)
                elif k in ("datasets", "config", "usermeta", "$schema"):
                    continue
                else:
                    yield from walk(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, key)

    yield from walk(spec)
    for rows in dict(spec.get("datasets") or {}).values():  # type: ignore[call-overload]  # JSON object
        for row in rows:
            yield from (v for k, v in row.items() if isinstance(v, str) and not k.endswith(("_id", "_key", "colour")))


def _temporal_without_locale(spec: dict[str, object]) -> bool:
    """A time axis whose month and day names Vega-Lite would write in English."""
    config = spec.get("config") or {}
    has_time_locale = isinstance(config, dict) and "time" in dict(config.get("locale") or {})
    return '"type": "temporal"' in json.dumps(spec) and not has_time_locale


def texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for every text on the page, sidebar first."""

    def walk(node: object) -> Iterator[tuple[str, str]]:
        kind = type(node).__name__
        for attr in ("label", "placeholder", "help"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value:
                yield f"{kind}.{attr}", plain(value)
        if isinstance(node, (et.Markdown, et.HeadingBase, et.AlertBase, et.Text, et.Metric)):
            value = str(node.value)
            if not value.lstrip().startswith("<style"):
                yield kind, plain(value)
        if isinstance(node, (et.Radio, et.Selectbox, et.Multiselect, et.ButtonGroup)):
            yield from ((f"{kind}.option", plain(str(o))) for o in node.options)
        if isinstance(node, (et.Table, et.Dataframe)):
            frame = node.value
            config = json.loads(node.proto.columns or "{}") if isinstance(node, et.Dataframe) else {}
            for column in frame.columns:
                shown = dict(config.get(str(column)) or {})
                if shown.get("hidden"):
                    continue
                yield f"{kind}.header", plain(str(shown.get("label", column)))
                yield from ((f"{kind}.cell", plain(v)) for v in frame[column] if isinstance(v, str))
        if isinstance(node, et.UnknownElement) and node.type in ("vega_lite_chart", "arrow_vega_lite_chart"):
            spec = json.loads(node.proto.spec)
            yield from (("chart", text) for text in _vega_texts(spec))
            if _temporal_without_locale(spec):
                yield "chart.time_axis", "July (a time axis with no config.locale.time: Vega writes English months)"
        if isinstance(node, et.Block):
            for child in node.children.values():
                yield from walk(child)

    yield from walk(at.sidebar)
    yield from walk(at.main)


@pytest.fixture(scope="module")
def allowed_words() -> set[str]:
    return set(ALLOWED) | _data_names()


@pytest.mark.parametrize("lang", ["ko", "ja", "zh"])
@pytest.mark.parametrize("landing", PUBLIC)
def test_a_page_in_korean_japanese_or_chinese_shows_no_english_word_but_names_and_units(landed, landing, lang,
                                                                                       allowed_words):
    at = landed(landing, lang)
    assert not at.exception, [e.message for e in at.exception]
    english = sorted({f"{where}: {text!r}" for where, text in texts(at)
                      if english_words(text, lang) - allowed_words})
    assert not english, "\n".join(english)


@pytest.mark.parametrize("lang", ["ko", "ja", "zh"])
def test_the_sweep_passes_over_a_text_marked_as_english_and_reads_what_follows_it(lang):
    # a note marked as the English original, then its source's method unmarked: the method is read
    marked = i18n.t("text.in_english", lang, text="Percentage as reported.")
    assert english_words(f"{marked} (the dataset's own count)", lang) == {"the", "dataset", "own", "count"}
    assert english_words(f"{marked} ({i18n.t('text.in_english', lang, text='by hand')})", lang) == set()


@pytest.fixture(scope="module")
def staff_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, AppTest]]:
    """The staff page in ko, ja and zh, signed in as an administrator (every section shown) on a
    store of the default data whose history holds a plot's edit (its values before and after)."""
    store_path = tmp_path_factory.mktemp("staff") / "store.gpkg"
    store = GeoPackageStore(store_path)
    store.initialise_from(DEFAULT_DATA_DIR)
    auth.add_account(store, "lan", "a password long enough", "admin")  # words typed: see _TYPED
    plot = store.read_layer("plots").iloc[0]
    store.edit_record("plots", plot["plot_id"], {"status": "leased", "tenant": "Example Co."},
                      int(plot["row_version"]), "lan", "survey")
    token = auth.login(store, "lan", "a password long enough", "sweep").token
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEZA_STORE_PATH", str(store_path))
        # the cookie the sign-in route sets, as the browser sends it with each run
        patch.setattr(ContextProxy, "cookies", property(lambda _: {guard.SESSION_COOKIE: token}))
        st.cache_resource.clear()  # the settings and the store are read again, with the store
        try:
            yield {lang: open_page("data_management", lang=lang) for lang in ("ko", "ja", "zh")}
        finally:
            st.cache_resource.clear()  # the other tests' app has no store


@pytest.mark.parametrize("lang", ["ko", "ja", "zh"])
def test_the_staff_page_signed_in_shows_no_english_word_but_names_and_units(staff_pages, lang, allowed_words):
    at = staff_pages[lang]
    assert not at.exception, [e.message for e in at.exception]
    shown = list(texts(at))
    assert any(where.startswith("Dataframe") for where, _ in shown), "signed in: the history table is drawn"
    english = sorted({f"{where}: {text!r}" for where, text in shown
                      if english_words(text, lang) - allowed_words - _TYPED})
    assert not english, "\n".join(english)
