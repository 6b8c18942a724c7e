"""A page's own link parameters (a year, a distance, a selected park, a period), read with a default.

The map's view lives in :mod:`heza_geo.urlstate`; other pages carry one or two choices of their
own in the URL (``?year=2025&km=15``). Each reader returns the value to use and, for a value that
cannot be used, a :class:`BadParam` the page shows as a warning (then carries on with the default).

Examples
--------
>>> int_param({"year": "2040"}, "year", 2025, 2018, 2030)
(2025, BadParam(name='year', value='2040', allowed='2018–2030', default='2025'))
>>> choice_param({"park": "vsip"}, "park", None, ["vsip", "dinh-vu"])
('vsip', None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class BadParam:
    """A link parameter that was ignored: its name, the value given, what is allowed, what is used."""

    name: str
    value: str
    allowed: str
    default: str


def _raw(params: Mapping[str, object], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def int_param(params: Mapping[str, object], name: str, default: int, minimum: int, maximum: int
              ) -> tuple[int, BadParam | None]:
    """A whole number in ``minimum``–``maximum``; ``default`` when absent or unusable."""
    raw = _raw(params, name)
    if raw is None:
        return default, None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        return default, BadParam(name, raw, f"{minimum}–{maximum}", str(default))
    return value, None


def float_param(params: Mapping[str, object], name: str, default: float, minimum: float, maximum: float
                ) -> tuple[float, BadParam | None]:
    """A number in ``minimum``–``maximum`` (NaN and infinities refused); ``default`` when absent or unusable."""
    raw = _raw(params, name)
    if raw is None:
        return default, None
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:  # NaN fails both comparisons
        return default, BadParam(name, raw, f"{minimum:g}–{maximum:g}", f"{default:g}")
    return value, None


def choice_param(params: Mapping[str, object], name: str, default: T, choices: Sequence[str]
                 ) -> tuple[str | T, BadParam | None]:
    """One of ``choices`` (as written); ``default`` when absent or not among them."""
    raw = _raw(params, name)
    if raw is None:
        return default, None
    if raw in choices:
        return raw, None
    shown = ", ".join(choices[:8]) + (", …" if len(choices) > 8 else "")
    return default, BadParam(name, raw, shown, "" if default is None else str(default))
