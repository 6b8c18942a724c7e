"""Walking a folium/branca element tree: the one walker the map, its assets and the tests share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["walk"]


def walk(element: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """The element and everything below it in a folium/branca tree (DualMap's maps included)."""
    seen = set() if seen is None else seen
    if id(element) in seen:
        return
    seen.add(id(element))
    yield element
    for attr in ("m1", "m2"):  # folium.plugins.DualMap keeps its two maps as attributes
        sub = getattr(element, attr, None)
        if sub is not None and hasattr(sub, "_children"):
            yield from walk(sub, seen)
    for child in list(getattr(element, "_children", {}).values()):
        yield from walk(child, seen)
