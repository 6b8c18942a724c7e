"""Link parameters: the view a shared link carries, and a page's own choices in its URL.

The map's view (:func:`decode`, :func:`encode`, :class:`ViewState`): filters, selection, layers,
language, map centre and zoom. Plain functions between query-string parameters and
:class:`~heza_geo.view.Filters` / :class:`~heza_geo.view.MapView`, so a link reproduces the same
view and a mistyped link degrades gracefully: each bad parameter is dropped with a message naming
it, the rest of the view still applies.

A page's own choices (a year, a distance, a selected park, a period: ``?year=2025&km=15``), read
with a default by :func:`int_param`, :func:`float_param` and :func:`choice_param`. Each returns
the value to use and, for a value that cannot be used, a :class:`BadParam` the page shows as a
warning (then carries on with the default).

Examples
--------
>>> int_param({"year": "2040"}, "year", 2025, 2018, 2030)
(2025, BadParam(name='year', value='2040', allowed='2018–2030', default='2025'))
>>> choice_param({"park": "vsip"}, "park", None, ["vsip", "dinh-vu"])
('vsip', None)
"""

from __future__ import annotations

import ipaddress
import math
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import urlencode

from heza_geo.config import LANGUAGES
from heza_geo.schema import PARK_STAGE, PLOT_STATUS, PROVINCE_BEFORE_2025, SECTORS
from heza_geo.view import BASEMAPS, COLOUR_BY, DEFAULT_LAYERS, LAYER_NAMES, Filters, MapView

__all__ = ["BadParam", "ShareBase", "ViewState", "choice_param", "decode", "encode", "float_param", "int_param",
           "is_loopback", "lan_address", "map_link", "share_base"]

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


# --- the map's view: filters, selection, layers, language, centre and zoom --------------------------
#: Filters field -> URL parameter
_LIST_PARAMS = {
    "regions": "region",
    "zones": "zone",
    "districts": "district",
    "parks": "park",
    "stages": "stage",
    "plot_statuses": "status",
    "sectors": "sector",
}
_ALLOWED = {"regions": PROVINCE_BEFORE_2025, "stages": PARK_STAGE, "plot_statuses": PLOT_STATUS, "sectors": SECTORS}


@dataclass(frozen=True)
class ViewState:
    filters: Filters = Filters()
    view: MapView = MapView()
    #: the link's parameters that were dropped, each with what is used instead (shown in the page's language)
    problems: tuple[BadParam, ...] = field(default=(), compare=False)


def _values(params: Mapping[str, object], name: str) -> list[str]:
    raw = params.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    return [v.strip() for item in items for v in str(item).split(",") if v.strip()]


def _unknown(name: str, bad: Sequence[str], allowed: Sequence[str], kept: Sequence[str]) -> BadParam:
    """The values of list parameter ``name`` that are not ``allowed``; ``kept``: those used."""
    return BadParam(name, ", ".join(bad), ", ".join(allowed), ", ".join(kept))


def decode(params: Mapping[str, object], default_language: str = "vi") -> ViewState:
    """Read a view from query parameters; unknown values are dropped and reported in ``problems``.

    >>> [(p.name, p.value, p.default) for p in decode({"stage": "full,done", "z": "99"}).problems]
    [('stage', 'done', 'full'), ('z', '99', '')]
    """
    problems: list[BadParam] = []
    chosen: dict[str, object] = {}
    for attr, name in _LIST_PARAMS.items():
        values = _values(params, name)
        allowed = _ALLOWED.get(attr)
        if allowed:
            bad = [v for v in values if v not in allowed]
            values = [v for v in values if v in allowed]
            if bad:
                problems.append(_unknown(name, bad, allowed, values))
        if values:
            chosen[attr] = tuple(values)
    min_ha = _number(params, "min_ha", problems, minimum=0.0, default="0")
    if min_ha is not None:
        chosen["min_available_ha"] = min_ha
    filters = Filters(**chosen)  # type: ignore[arg-type]  # Filters' own fields: tuples of str, a float

    view = MapView(lang=default_language)
    lang = (_values(params, "lang") or [default_language])[0]
    if lang in LANGUAGES:
        view = replace(view, lang=lang)
    else:
        problems.append(BadParam("lang", lang, ", ".join(LANGUAGES), default_language))
    if "layers" in params:
        layers = _values(params, "layers")
        bad = [v for v in layers if v not in LAYER_NAMES]
        view = replace(view, layers=tuple(v for v in LAYER_NAMES if v in layers))
        if bad:
            problems.append(_unknown("layers", bad, LAYER_NAMES, view.layers))
    for name, attr, allowed in (("colour", "colour_by", COLOUR_BY), ("basemap", "basemap", BASEMAPS)):
        values = _values(params, name)
        if values and values[0] in allowed:
            view = replace(view, colour_by=values[0]) if attr == "colour_by" else replace(view, basemap=values[0])
        elif values:
            problems.append(BadParam(name, values[0], ", ".join(allowed), str(getattr(MapView, attr))))
    selected = _values(params, "selected")
    if selected:
        view = replace(view, selected_park=selected[0])
    lat = _number(params, "lat", problems, -90, 90)
    lon = _number(params, "lon", problems, -180, 180)
    zoom = _number(params, "z", problems, 1, 20)
    if lat is not None and lon is not None:
        view = replace(view, center=(lat, lon))
    if zoom is not None:
        view = replace(view, zoom=int(zoom))
    return ViewState(filters, view, tuple(problems))


def _number(params: Mapping[str, object], name: str, problems: list[BadParam], minimum: float | None = None,
            maximum: float | None = None, default: str = "") -> float | None:
    """The first value of ``name`` as a number within the bounds, else None with a problem noted."""
    values = _values(params, name)
    if not values:
        return None
    top = "∞" if maximum is None else f"{maximum:g}"
    allowed = f"{minimum:g}–{top}" if minimum is not None else ""
    try:
        value: float | None = float(values[0])
    except ValueError:
        value = None
    if (value is None or not math.isfinite(value) or (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)):
        problems.append(BadParam(name, values[0], allowed, default))
        return None
    return value


def encode(state: ViewState) -> dict[str, str]:
    """Query parameters for a view; defaults are left out so links stay short."""
    params: dict[str, str] = {}
    for attr, name in _LIST_PARAMS.items():
        values = getattr(state.filters, attr)
        if values:
            params[name] = ",".join(values)
    if state.filters.min_available_ha:
        params["min_ha"] = f"{state.filters.min_available_ha:g}"
    view = state.view
    params["lang"] = view.lang
    if tuple(view.layers) != DEFAULT_LAYERS:
        params["layers"] = ",".join(view.layers) or ""
    if view.colour_by != MapView.colour_by:
        params["colour"] = view.colour_by
    if view.basemap != MapView.basemap:
        params["basemap"] = view.basemap
    if view.selected_park:
        params["selected"] = view.selected_park
    if view.center:
        params["lat"], params["lon"] = f"{view.center[0]:.5f}", f"{view.center[1]:.5f}"
    if view.zoom:
        params["z"] = str(view.zoom)
    return params


# --- the link a phone in the room can open ------------------------------------------------------
#: how :func:`share_base` found the address: the ``public_url`` setting, the host the presenter's
#: browser used (not this machine's loopback), this machine's address on the local network, or none
SHARE_SOURCES = ("setting", "request", "lan", "none")


@dataclass(frozen=True)
class ShareBase:
    """Where a visitor's phone reaches this app: ``url`` (scheme, host and port, no trailing slash),
    or None when there is no such address; ``source`` is one of :data:`SHARE_SOURCES`."""

    url: str | None
    source: str


def share_base(setting: str | None, headers: Mapping[str, str] | None,
               lan: Callable[[], str | None] | None = None) -> ShareBase:
    """The address a QR code on the event screen should carry.

    Decision, in this order: the ``public_url`` setting; else the host the presenter's browser used
    (``X-Forwarded-Host``/``Host``, with ``X-Forwarded-Proto``) when it is not this machine's
    loopback; else this machine's address on the local network (``lan()``, by default
    :func:`lan_address`) with the port the browser used, for phones on the same Wi-Fi; else none:
    a loopback link (``127.0.0.1``, ``localhost``) opens nothing on a phone, so it is never given.

    >>> share_base(None, {"Host": "127.0.0.1:8655"}, lan=lambda: "192.168.1.20")
    ShareBase(url='http://192.168.1.20:8655', source='lan')
    >>> share_base(None, {"Host": "localhost:8501"}, lan=lambda: None)
    ShareBase(url=None, source='none')
    """
    if setting and setting.strip():
        return ShareBase(setting.strip().rstrip("/"), "setting")
    lower = {k.lower(): v for k, v in (headers or {}).items()}
    host = (lower.get("x-forwarded-host") or lower.get("host") or "").split(",")[0].strip()
    scheme = (lower.get("x-forwarded-proto") or "http").split(",")[0].strip() or "http"
    name, port = _split_host(host)
    if name and not is_loopback(name):
        return ShareBase(f"{scheme}://{host}", "request")
    address = (lan or lan_address)()
    if address is None:
        return ShareBase(None, "none")
    return ShareBase(f"{scheme}://{address}" + (f":{port}" if port else ""), "lan")


def _split_host(host: str) -> tuple[str, str]:
    """``"name:port"`` (or ``"[v6]:port"``) as (name, port); port "" when absent."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest.lstrip(":")
    name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    return name, port


def is_loopback(host: str) -> bool:
    """``host`` names this machine only: ``localhost``, a loopback or unspecified address.

    >>> [is_loopback(h) for h in ("localhost", "127.0.0.1", "::1", "0.0.0.0", "10.0.0.5", "gis.heza.gov.vn")]
    [True, True, True, True, False, False]
    """
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def lan_address() -> str | None:
    """This machine's IPv4 address on its network, or None when it has none but loopback.

    The source address the system would use towards a private address: "connecting" a UDP socket
    sends nothing, so this works with no internet and no answer. Else an address the host name
    resolves to that is not loopback."""
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((probe, 9))
                address = sock.getsockname()[0]
            except OSError:
                continue
        if address and not is_loopback(address):
            return str(address)
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    return next((str(info[4][0]) for info in infos if not is_loopback(str(info[4][0]))), None)


def map_link(base: str, lang: str, park_id: str | None = None) -> str:
    """The map page at ``base`` in ``lang``, with ``park_id``'s panel open (a visitor's phone view).

    >>> map_link("http://192.168.1.20:8501", "ko", "vsip-hai-phong")
    'http://192.168.1.20:8501/?lang=ko&selected=vsip-hai-phong'
    """
    params = {"lang": lang} | ({"selected": park_id} if park_id else {})
    return f"{base.rstrip('/')}/?{urlencode(params)}"
