"""Colours, line weights and legends: the one place where the map's look is decided.

Colours are chosen to stay distinguishable for colour-blind readers (Okabe–Ito based) and when
printed; the occupancy ramp is sequential so "fuller" always reads "darker".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PLOT_STATUS_COLOURS = {
    "leased": "#d55e00",
    "available": "#009e73",
    "reserved": "#e69f00",
    "infrastructure": "#999999",
    # land of an established park not yet handed over (schema.PLOT_STATUS): not leasable, so neither
    # green (available) nor grey (roads, green space); the one Okabe-Ito hue the other statuses leave
    "not_handed_over": "#cc79a7",
}
#: one colour per park stage, in ``schema.PARK_STAGE``'s order (the legend's)
STAGE_COLOURS = {
    "full": "#0072b2",
    "site_clearance": "#e69f00",
    "building_infrastructure": "#cc79a7",
    "operating": "#56b4e9",
    # established by a decision, no work reported yet: Okabe-Ito's bluish green, the one hue the other
    # stages leave that is neither the selection's yellow outline nor the vermillion of leased plots
    "approved": "#009e73",
    "planned": "#bbbbbb",
}
BERTH_STATUS_COLOURS = {
    "operating": "#009e73",
    "under_construction": "#e69f00",
    "approved": "#0072b2",
    "awaiting_approval": "#cc79a7",
    "planned": "#888888",
}
BERTH_UNKNOWN_COLOUR = "#cccccc"
#: the import preview: what a change does to a feature (added, changed, removed)
CHANGE_COLOURS = {"insert": "#009e73", "update": "#0072b2", "delete": "#d55e00"}
CHANGE_CONTEXT_COLOUR = "#888888"
HOUSING_COLOUR = "#6a3d9a"
CONNECTIVITY_COLOURS = {
    "airport": "#1f4e79",
    "port": "#1f4e79",
    "terminal": "#1f4e79",
    "expressway": "#c0392b",
    "bridge": "#8e44ad",
    "road": "#7f8c8d",
}
ZONE_COLOURS = {"established": "#1b9e77", "proposed": "#7570b3"}
NO_DATA_COLOUR = "#d9d9d9"
SELECTED_COLOUR = "#ffff00"

# Charts (occupancy, investment and port pages): reference lines, actual against plan, provenance.
REFERENCE_COLOURS = {"city_average": "#1f4e79", "threshold": "#d55e00"}
FLOW_COLOURS = {"fdi": "#0072b2", "ddi": "#009e73"}
PLAN_COLOUR = "#999999"
BAR_OUTLINE = "#555555"

#: (upper bound %, colour): occupancy classes from empty to full.
OCCUPANCY_CLASSES: tuple[tuple[float, str], ...] = (
    (25.0, "#f7fbff"),
    (50.0, "#c6dbef"),
    (70.0, "#6baed6"),
    (90.0, "#2171b5"),
    (100.0, "#08306b"),
)

# Offline basemap: land on a water background, so the map reads as a map without any tile server.
WATER_COLOUR = "#a9cfe8"
LAND_COLOUR = "#f2efe6"
LAND_OUTLINE = "#b7b09c"


def occupancy_colour(pct: float | None) -> str:
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return NO_DATA_COLOUR
    for upper, colour in OCCUPANCY_CLASSES:
        if pct <= upper:
            return colour
    return OCCUPANCY_CLASSES[-1][1]


def occupancy_class_labels() -> list[tuple[float, float, str]]:
    """``(low, high, colour)`` for each occupancy class, for the legend."""
    out, low = [], 0.0
    for upper, colour in OCCUPANCY_CLASSES:
        out.append((low, upper, colour))
        low = upper
    return out


@dataclass(frozen=True)
class PathStyle:
    """A Leaflet path style; ``class_name`` lets tests and exports find features by kind."""

    fill: str
    stroke: str
    weight: float = 1.0
    fill_opacity: float = 0.6
    opacity: float = 1.0
    dash: str | None = None
    class_name: str = ""

    def leaflet(self) -> dict[str, object]:
        style: dict[str, object] = {
            "fillColor": self.fill,
            "color": self.stroke,
            "weight": self.weight,
            "fillOpacity": self.fill_opacity,
            "opacity": self.opacity,
            "className": self.class_name,
        }
        if self.dash:
            style["dashArray"] = self.dash
        return style


def zone_style(status: str) -> PathStyle:
    colour = ZONE_COLOURS.get(status, NO_DATA_COLOUR)
    return PathStyle(colour, colour, 2.5, 0.05, dash="8 6" if status == "proposed" else None, class_name="heza-zone")


def park_style(colour_by: str, stage: str, occupancy_pct: float | None, selected: bool = False) -> PathStyle:
    fill = STAGE_COLOURS.get(stage, NO_DATA_COLOUR) if colour_by == "stage" else occupancy_colour(occupancy_pct)
    return PathStyle(
        fill,
        SELECTED_COLOUR if selected else "#2b2b2b",
        4.0 if selected else 1.5,
        0.75,
        dash="4 4" if stage == "planned" else None,
        class_name="heza-park heza-park-selected" if selected else "heza-park",
    )


def park_outline(selected: bool) -> dict[str, object]:
    """The outline that marks a park selected (or not), for a map that restyles parks in the browser."""
    style = park_style("stage", "full", None, selected).leaflet()
    return {"color": style["color"], "weight": style["weight"]}


def plot_style(status: str) -> PathStyle:
    return PathStyle(PLOT_STATUS_COLOURS.get(status, NO_DATA_COLOUR), "#555555", 0.4, 0.8, class_name="heza-plot")


def berth_style(status: str | None) -> PathStyle:
    colour = BERTH_STATUS_COLOURS.get(status or "", BERTH_UNKNOWN_COLOUR)
    return PathStyle(colour, colour, 7.0, 1.0, dash="2 6" if status in (None, "planned", "awaiting_approval") else None,
                     class_name="heza-berth")


def connectivity_style(kind: str) -> PathStyle:
    colour = CONNECTIVITY_COLOURS.get(kind, "#555555")
    return PathStyle(colour, colour, 4.0 if kind == "expressway" else 3.0, 0.15,
                     dash="6 4" if kind == "bridge" else None, class_name="heza-connectivity")


# --- what a user is looking at: land-finder candidates, compared parks, the tour's current stop ---
CANDIDATE_COLOUR = "#ff7b00"
TOUR_HIGHLIGHT_COLOUR = "#ffd400"


def candidate_park_style() -> PathStyle:
    """A park the land finder proposes or the comparison shows: thick orange outline over its usual fill."""
    return PathStyle(TOUR_HIGHLIGHT_COLOUR, CANDIDATE_COLOUR, 4.0, 0.12, class_name="heza-candidate")


def site_style() -> PathStyle:
    """A candidate site (one available plot, or adjacent ones together)."""
    return PathStyle(PLOT_STATUS_COLOURS["available"], "#111111", 2.5, 0.85, class_name="heza-site")


def tour_highlight_style() -> PathStyle:
    return PathStyle(TOUR_HIGHLIGHT_COLOUR, TOUR_HIGHLIGHT_COLOUR, 5.0, 0.12, class_name="heza-tour-highlight")
