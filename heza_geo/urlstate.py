"""The view state a shared link carries: filters, selection, layers, language, map centre and zoom.

Plain functions between query-string parameters and :class:`Filters` / :class:`MapView`, so a
link reproduces the same view and a mistyped link degrades gracefully: each bad parameter is
dropped with a message naming it, the rest of the view still applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from heza_geo.config import LANGUAGES
from heza_geo.filters import Filters
from heza_geo.mapping import BASEMAPS, COLOUR_BY, DEFAULT_LAYERS, LAYER_NAMES, MapView
from heza_geo.schema import PARK_STAGE, PLOT_STATUS, SECTORS

#: Filters field -> URL parameter
_LIST_PARAMS = {
    "zones": "zone",
    "districts": "district",
    "parks": "park",
    "stages": "stage",
    "plot_statuses": "status",
    "sectors": "sector",
}
_ALLOWED = {"stages": PARK_STAGE, "plot_statuses": PLOT_STATUS, "sectors": SECTORS}


@dataclass(frozen=True)
class ViewState:
    filters: Filters = Filters()
    view: MapView = MapView()
    problems: tuple[str, ...] = field(default=(), compare=False)


def _values(params: Mapping[str, object], name: str) -> list[str]:
    raw = params.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    return [v.strip() for item in items for v in str(item).split(",") if v.strip()]


def decode(params: Mapping[str, object], default_language: str = "vi") -> ViewState:
    """Read a view from query parameters; unknown values are dropped and reported in ``problems``."""
    problems: list[str] = []
    chosen: dict[str, object] = {}
    for attr, name in _LIST_PARAMS.items():
        values = _values(params, name)
        allowed = _ALLOWED.get(attr)
        if allowed:
            bad = [v for v in values if v not in allowed]
            if bad:
                problems.append(f"link parameter '{name}': unknown {', '.join(bad)} (allowed: {', '.join(allowed)})")
            values = [v for v in values if v in allowed]
        if values:
            chosen[attr] = tuple(values)
    min_ha = _number(params, "min_ha", problems, minimum=0.0)
    if min_ha is not None:
        chosen["min_available_ha"] = min_ha
    filters = Filters(**chosen)  # type: ignore[arg-type]

    view = MapView(lang=default_language)
    lang = (_values(params, "lang") or [default_language])[0]
    if lang in LANGUAGES:
        view = replace(view, lang=lang)
    else:
        problems.append(f"link parameter 'lang': unknown {lang} (allowed: {', '.join(LANGUAGES)})")
    if "layers" in params:
        layers = _values(params, "layers")
        bad = [v for v in layers if v not in LAYER_NAMES]
        if bad:
            problems.append(f"link parameter 'layers': unknown {', '.join(bad)} (allowed: {', '.join(LAYER_NAMES)})")
        view = replace(view, layers=tuple(v for v in LAYER_NAMES if v in layers))
    for name, attr, allowed in (("colour", "colour_by", COLOUR_BY), ("basemap", "basemap", BASEMAPS)):
        values = _values(params, name)
        if values and values[0] in allowed:
            view = replace(view, **{attr: values[0]})
        elif values:
            problems.append(f"link parameter '{name}': unknown {values[0]} (allowed: {', '.join(allowed)})")
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


def _number(params: Mapping[str, object], name: str, problems: list[str], minimum: float | None = None,
            maximum: float | None = None) -> float | None:
    values = _values(params, name)
    if not values:
        return None
    try:
        value = float(values[0])
    except ValueError:
        problems.append(f"link parameter '{name}': '{values[0]}' is not a number")
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        problems.append(f"link parameter '{name}': {values[0]} is outside {minimum:g}–{maximum if maximum is not None else '∞'}")
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
