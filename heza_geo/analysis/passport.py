"""A park's passport as an investor reads it: what the land costs and for how long, whether there is
power and water for a plant, what the zoning admits, the incentives, and whom to call.

:func:`passport` gives it as plain data in the reader's language (no Streamlit, no folium): the map
page's park panel, the plot popups and compare draw from it, so they say the same.

Decisions a reader must know
----------------------------
* The groups come in the order an investor asks: land, utilities, planning, incentives, contacts.
  Land, utilities and planning each carry their own date (``<group>_as_of``, written no more
  precisely than its ``<group>_as_of_precision``: "as of 2025") and provenance badge (its
  ``<group>_source_kind``, :func:`heza_geo.analysis.sources.badge`), as the table holds them.
* A figure the table leaves empty is **not published**: it reads "Not published — ask HEZA"
  (``passport.not_published``), never 0. A group with nothing published at all says so in one line
  (``passport.group_not_published``) instead of a column of such rows; a park with no passport row
  (C of the tiny dataset) gets that line for each of its three groups.
* Two rows are computed, not read: the **years left** on the land-use term (its end year minus the
  year of ``today``: 2058 in 2026 is 32; a term that has ended is 0), and the **largest contiguous
  free area**, the largest block of adjacent available plots
  (:func:`heza_geo.analysis.land_finder.contiguous_blocks`). The plots are synthetic demo data, so
  that row carries the demo badge whatever the land group's source; a park with no plots has no such
  figure (not published), one whose plots have none free has 0 ha.
* Incentives: the text of the park's economic zone (a row with its ``zone_id``), else the general
  text of its regime (``economic_zone`` for a park in a zone, ``industrial_park`` for one outside),
  in the reader's language; where staff wrote none in that language, the English text marked as the
  English original (``text.in_english``), else the Vietnamese marked as the Vietnamese original
  (``passport.in_vietnamese``), never machine-translated.
* Contacts: the park's developer sales office, then HEZA's investment-promotion desk (a contact row
  with no ``park_id`` is the desk for every park), each with its badge: a demo contact is badged
  synthetic demo. Person, phone, e-mail and website are shown as given (plain text here; whoever
  draws them escapes them), the languages spoken as their names in the reader's language.
* Numbers are written as the reader's language writes them, with their units
  (:func:`heza_geo.i18n.fmt_quantity`): "100–120 USD/m²", "3,000 m³/day", vi "3.000 m³/ngày".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
from babel import Locale
from babel.lists import format_list

from heza_geo import i18n
from heza_geo.analysis.land_finder import contiguous_blocks
from heza_geo.analysis.sources import badge, readable_text
from heza_geo.io import Dataset
from heza_geo.schema import NO_SOURCE, PASSPORT_GROUPS, SYNTHETIC, Provenance, provenance_of

#: the groups of a passport, in the order an investor asks
GROUPS = (*PASSPORT_GROUPS, "incentives", "contacts")
#: the provenance of the largest free area: the plots it adds up are synthetic demo data
DEMO = Provenance(SYNTHETIC)


@dataclass(frozen=True)
class Row:
    """One line of a passport: ``label`` and ``value`` in the reader's language (plain text).

    ``key`` names the figure (``lease_price``, ``water_free``…) for pages and tests; ``published`` is
    False where the value is the "not published" text; ``badge`` is the row's own provenance where it
    differs from its group's (the largest free area: the demo plots'), "" otherwise."""

    key: str
    label: str
    value: str
    published: bool = True
    badge: str = ""


@dataclass(frozen=True)
class Contact:
    """Whom to call: the role ("Developer's sales office"), the organisation, the details given
    (person, phone, e-mail, website, languages: ``(label, value)`` pairs, only those given), the date
    and the badge of the contact's source."""

    role: str
    organisation: str
    details: tuple[tuple[str, str], ...]
    as_of: str
    badge: str
    provenance: Provenance


@dataclass(frozen=True)
class Group:
    """A group of the passport: its title, date ("as of 2025", "" where none) and provenance badge
    ("" where none), its rows, its contacts (the contacts group only) and, when nothing of it is
    published, the one line that says so (``empty``)."""

    key: str
    title: str
    as_of: str
    badge: str
    provenance: Provenance
    rows: tuple[Row, ...] = ()
    contacts: tuple[Contact, ...] = ()
    empty: str | None = None

    def row(self, key: str) -> Row:
        """The row named ``key`` (``KeyError`` where the group has none)."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class Passport:
    """A park's passport: its groups (:data:`GROUPS` order) and the key facts an investor scans
    first (price range, years left, power available, water free, readiness), each key fact with its
    group's date and badge in ``key_sources``. ``exists`` is False for a park with no passport row."""

    park_id: str
    exists: bool
    groups: tuple[Group, ...]
    key_facts: tuple[Row, ...]
    key_sources: tuple[str, ...]

    def group(self, key: str) -> Group:
        return next(g for g in self.groups if g.key == key)

    def row(self, key: str) -> Row:
        """A row of any group, or a key fact, by its key."""
        for group in self.groups:
            for row in group.rows:
                if row.key == key:
                    return row
        return next(r for r in self.key_facts if r.key == key)


#: the key facts, in the order the panel shows them, with the group whose date and badge they carry
KEY_FACTS = (("lease_price", "land"), ("years_left", "land"), ("power_available", "utilities"),
             ("water_free", "utilities"), ("readiness", "planning"))


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value))) or value == ""


def not_published(lang: str) -> str:
    """"Not published — ask HEZA", in ``lang``."""
    return i18n.t("passport.not_published", lang)


def years_left(end_year: Any, today: date) -> int | None:
    """Years left on a land-use term ending in ``end_year`` as of ``today`` (never below 0); None
    where the end year is not published.

    >>> years_left(2058, date(2026, 11, 30)), years_left(2020, date(2026, 1, 1)), years_left(None, date(2026, 1, 1))
    (32, 0, None)
    """
    return None if _missing(end_year) else max(int(end_year) - today.year, 0)


def largest_free_ha(plots: gpd.GeoDataFrame, park_id: str) -> float | None:
    """The largest contiguous block of available plots of the park, ha; None for a park with no plots
    (nothing is known of its land), 0.0 when none of its plots is available."""
    here = plots[plots["park_id"] == park_id]
    if here.empty:
        return None
    blocks = contiguous_blocks(here)
    return float(blocks["area_ha"].max()) if len(blocks) else 0.0


def _quantity(value: Any, unit: str, lang: str) -> str:
    return i18n.fmt_quantity(value, unit, lang, None)


def price_range(low: Any, high: Any, lang: str, unit: str = "USD/m²") -> str | None:
    """"100–120 USD/m²" (one figure where the two are equal or one is missing); None where neither is published.

    >>> price_range(100, 120, "en"), price_range(60, None, "vi"), price_range(None, None, "en")
    ('100–120 USD/m²', '60 USD/m²', None)
    """
    known = [v for v in (low, high) if not _missing(v)]
    if not known:
        return None
    if len(known) == 1 or float(known[0]) == float(known[1]):
        return _quantity(known[0], unit, lang)
    text = i18n.t("passport.range", lang, low=i18n.fmt_number(known[0], lang, None),
                  high=i18n.fmt_number(known[1], lang, None))
    return i18n.t("format.quantity", lang, value=text, unit=i18n.unit_label(unit, lang))


def _as_of(value: Any, precision: Any, lang: str) -> str:
    if _missing(value):
        return ""
    return i18n.t("text.as_of", lang, date=i18n.fmt_date(value, lang, None if _missing(precision) else precision))


def _badge(p: Provenance, lang: str) -> str:
    return badge(p, lang) if p.kind != NO_SOURCE or p.ref else ""


def _row(key: str, value: str | None, lang: str, own_badge: str = "") -> Row:
    label = i18n.t(f"passport.row.{key}", lang)
    if value is None:
        return Row(key, label, not_published(lang), published=False)
    return Row(key, label, value, badge=own_badge)


def _sectors(value: Any, lang: str) -> str | None:
    if _missing(value):
        return None
    return ", ".join(i18n.label("sector", s.strip(), lang) for s in str(value).split(";") if s.strip())


def readiness_text(row: pd.Series, lang: str) -> str | None:
    """A passport row's readiness in ``lang``, with when it will be ready where the row says ("Infrastructure
    under way — ready Jun 2027", to its precision); None where not published."""
    state = row.get("readiness")
    if _missing(state):
        return None
    text = i18n.label("readiness", state, lang)
    ready_by = row.get("ready_by")
    if _missing(ready_by):
        return text
    when = i18n.fmt_date(ready_by, lang, row.get("ready_by_precision") if not _missing(row.get("ready_by_precision"))
                         else None)
    return i18n.t("passport.ready_by", lang, readiness=text, date=when)


def _term(end_year: Any, left: int | None, lang: str) -> str | None:
    if left is None:
        return None
    return i18n.t("passport.term_value", lang, year=str(int(end_year)), left=_years(left, lang))


def _years(n: int, lang: str) -> str:
    return i18n.t("passport.years", lang, n=i18n.fmt_number(n, lang, 0))


def _value(row: pd.Series | None, column: str, unit: str, lang: str) -> str | None:
    if row is None or _missing(row.get(column)):
        return None
    return _quantity(row[column], unit, lang)


def _land_rows(row: pd.Series | None, free_ha: float | None, lang: str, today: date) -> list[Row]:
    get = (lambda c: None) if row is None else row.get
    left = years_left(get("land_term_end_year"), today)
    return [
        _row("lease_price", price_range(get("lease_price_min_usd_m2"), get("lease_price_max_usd_m2"), lang), lang),
        _row("term_end", _term(get("land_term_end_year"), left, lang), lang),
        _row("min_plot", _value(row, "min_plot_ha", "ha", lang), lang),
        _row("largest_free", None if free_ha is None else i18n.fmt_area_ha(free_ha, lang, None), lang,
             badge(DEMO, lang)),
        _row("rbf_free", _value(row, "rbf_free_m2", "m²", lang), lang),
        _row("rbf_rent", _value(row, "rbf_rent_usd_m2_month", "USD/m²/month", lang), lang),
        _row("management_fee", _value(row, "management_fee_usd_m2_year", "USD/m²/year", lang), lang),
    ]


def _utility_rows(row: pd.Series | None, lang: str) -> list[Row]:
    standard = None if row is None or _missing(row.get("wastewater_standard")) else \
        i18n.label("wastewater_standard", row["wastewater_standard"], lang)
    return [
        _row("power_substation", _value(row, "power_substation_kv", "kV", lang), lang),
        _row("power_available", _value(row, "power_available_mw", "MW", lang), lang),
        _row("power_tariff", _value(row, "power_tariff_usd_kwh", "USD/kWh", lang), lang),
        _row("water_capacity", _value(row, "water_capacity_m3_day", "m³/day", lang), lang),
        _row("water_free", _value(row, "water_free_m3_day", "m³/day", lang), lang),
        _row("water_tariff", _value(row, "water_tariff_usd_m3", "USD/m³", lang), lang),
        _row("wastewater_capacity", _value(row, "wastewater_capacity_m3_day", "m³/day", lang), lang),
        _row("wastewater_free", _value(row, "wastewater_free_m3_day", "m³/day", lang), lang),
        _row("wastewater_standard", standard, lang),
        _row("wastewater_fee", _value(row, "wastewater_fee_usd_m3", "USD/m³", lang), lang),
    ]


def _planning_rows(row: pd.Series | None, lang: str) -> list[Row]:
    level = _value(row, "ground_level_m", "m", lang)
    flood = None if row is None or _missing(row.get("flood_note")) else readable_text(row["flood_note"], lang)
    return [
        _row("permitted_sectors", _sectors(None if row is None else row.get("permitted_sectors"), lang), lang),
        _row("readiness", None if row is None else readiness_text(row, lang), lang),
        _row("ground_level", level, lang),
        _row("flood_note", flood, lang),
    ]


def _group(key: str, row: pd.Series | None, rows: list[Row], lang: str) -> Group:
    title = i18n.label("passport_group", key, lang)  # as the staff's forms name the group
    p = provenance_of(row, f"{key}_source") if row is not None else Provenance(NO_SOURCE)
    as_of = _as_of(row.get(f"{key}_as_of"), row.get(f"{key}_as_of_precision"), lang) if row is not None else ""
    if not any(r.published for r in rows):
        return Group(key, title, as_of, _badge(p, lang), p, empty=i18n.t("passport.group_not_published", lang))
    return Group(key, title, as_of, _badge(p, lang), p, tuple(rows))


def incentive_text(row: pd.Series, lang: str) -> str:
    """The incentives in ``lang``; else the English text marked as the English original; else the
    Vietnamese marked as the Vietnamese original ("" where staff wrote none)."""
    own = row.get(f"text_{lang}")
    if not _missing(own):
        return str(own)
    for source, key in (("en", "text.in_english"), ("vi", "passport.in_vietnamese")):
        text = row.get(f"text_{source}")
        if not _missing(text):
            return i18n.t(key, lang, text=str(text)) if source != lang else str(text)
    return ""


def incentive_row(incentives: pd.DataFrame, zone_id: Any) -> pd.Series | None:
    """The incentive row that speaks for a park of ``zone_id`` (None: outside any zone): its zone's
    own text, else its regime's general text (``zone_id`` empty); None where there is neither."""
    if incentives.empty:
        return None
    in_zone = not _missing(zone_id)
    if in_zone:
        own = incentives[incentives["zone_id"] == zone_id]
        if len(own):
            return own.iloc[0]
    regime = "economic_zone" if in_zone else "industrial_park"
    general = incentives[incentives["zone_id"].isna() & (incentives["regime"] == regime)]
    return general.iloc[0] if len(general) else None


def _incentives(incentives: pd.DataFrame, zone_id: Any, zone_name: str | None, lang: str) -> Group:
    title = i18n.t("passport.group.incentives", lang)
    found = incentive_row(incentives, zone_id)
    text = incentive_text(found, lang) if found is not None else ""
    if found is None or not text:
        return Group("incentives", title, "", "", Provenance(NO_SOURCE),
                     empty=i18n.t("passport.group_not_published", lang))
    p = provenance_of(found)
    scope = (i18n.t("passport.incentives_zone", lang, zone=zone_name or str(zone_id))
             if not _missing(found.get("zone_id")) else i18n.label("incentive_regime", found["regime"], lang))
    return Group("incentives", title, _as_of(found.get("as_of"), found.get("as_of_precision"), lang),
                 _badge(p, lang), p, (Row("incentives", scope, text),))


def language_names(codes: Any, lang: str) -> str:
    """"vi;en" as the languages' names in ``lang``, joined as the language joins a list.

    >>> language_names("vi;en;ko", "en"), language_names("vi;en", "ko")
    ('Vietnamese, English, and Korean', '베트남어 및 영어')
    """
    if _missing(codes):
        return ""
    locale = Locale.parse(i18n.normalize_lang(lang))
    names = [str(locale.languages.get(c.strip(), c.strip())) for c in str(codes).split(";") if c.strip()]
    return str(format_list(names, locale=locale))


def _contact(row: pd.Series, lang: str) -> Contact:
    details = [(i18n.t(f"column.{c}", lang), str(row[c]).strip()) for c in ("person", "phone", "email", "website")
               if not _missing(row.get(c))]
    if not _missing(row.get("languages")):
        details.append((i18n.t("column.languages", lang), language_names(row["languages"], lang)))
    p = provenance_of(row)
    return Contact(i18n.label("contact_role", row["role"], lang), str(row["organisation"]), tuple(details),
                   _as_of(row.get("as_of"), row.get("as_of_precision"), lang), _badge(p, lang), p)


def _contacts(contacts: pd.DataFrame, park_id: str, lang: str) -> Group:
    title, nothing = i18n.t("passport.group.contacts", lang), i18n.t("passport.group_not_published", lang)
    own = contacts[(contacts["park_id"] == park_id) & (contacts["role"] == "developer_sales")]
    desk = contacts[(contacts["park_id"].isna() | (contacts["park_id"] == park_id)) & (contacts["role"] == "heza_desk")]
    found = tuple(_contact(row, lang) for _, row in pd.concat([own, desk]).iterrows())
    if not found:
        return Group("contacts", title, "", "", Provenance(NO_SOURCE), empty=nothing)
    return Group("contacts", title, "", "", Provenance(NO_SOURCE), contacts=found)


def passport(data: Dataset, park_id: str, lang: str, today: date) -> Passport:
    """The passport of ``park_id`` in ``lang``, its term's years counted from ``today``'s year.

    ``data`` gives the park (its zone), its passport row (none: every figure not published), the
    incentives, the contacts and the plots (the largest free area). Raises ``KeyError`` for a park
    ``data`` does not have."""
    parks = data.parks[data.parks["park_id"] == park_id]
    if parks.empty:
        raise KeyError(park_id)
    zone_id = parks.iloc[0].get("zone_id")
    zone_names = i18n.names(data.zones, "zone_id", lang) if not _missing(zone_id) else {}
    rows = data.passports[data.passports["park_id"] == park_id]
    row = rows.iloc[0] if len(rows) else None
    groups = (
        _group("land", row, _land_rows(row, largest_free_ha(data.plots, park_id), lang, today), lang),
        _group("utilities", row, _utility_rows(row, lang), lang),
        _group("planning", row, _planning_rows(row, lang), lang),
        _incentives(data.incentives, zone_id, zone_names.get(str(zone_id)), lang),
        _contacts(data.contacts, park_id, lang),
    )
    facts, sources = [], []
    for key, group_key in KEY_FACTS:
        group = next(g for g in groups if g.key == group_key)
        if key == "years_left":
            left = years_left(None if row is None else row.get("land_term_end_year"), today)
            fact = _row("years_left", None if left is None else _years(left, lang), lang)
        else:
            fact = next((r for r in group.rows if r.key == key), None) or _row(key, None, lang)
        facts.append(fact)
        sources.append(" · ".join(x for x in (group.as_of, group.badge) if x) if fact.published else "")
    return Passport(park_id, row is not None, groups, tuple(facts), tuple(sources))
