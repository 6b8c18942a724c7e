"""The static renderer: the map drawn with matplotlib, for machines with no browser.

It draws the same layers in the same order and colours as the Leaflet map (``styling``), on the
offline land (Natural Earth), in Web Mercator as Leaflet does, with the legend of
``mapping.legend_sections`` (an entry for every kind of marker drawn), the parks' names as the
browser's print places them (:func:`heza_geo.export.snapshot.park_labels`: largest park first, a
name that would cover another or run off the map left out), a scale bar, a north arrow and the
export's caption. No tiles, no network: an export always works.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, HPacker, TextArea, VPacker
from matplotlib.patches import Circle, Polygon, Rectangle
from matplotlib.transforms import Bbox

from heza_geo import styling
from heza_geo.analysis.selection import Selection
from heza_geo.export.core import Size, fit_exact
from heza_geo.export.snapshot import Caption, export_view, layout, park_labels
from heza_geo.maps.controls import connectivity_entries, legend_sections
from heza_geo.maps.layers import placed
from heza_geo.schema import HAI_PHONG_BOUNDS

if TYPE_CHECKING:
    from matplotlib.patheffects import AbstractPathEffect

MERCATOR = "EPSG:3857"
#: metres of Web Mercator per CSS pixel at zoom 0 (256-px tiles)
_RESOLUTION_Z0 = 2 * math.pi * 6378137 / 256
PT = 0.75  # points per CSS pixel
HEADER_PX, FOOTER_PX = 64, 30
TITLE_COLOUR = "#1f4e79"
_CJK_FONTS = {"ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR", "zh": "Noto Sans CJK SC"}


@lru_cache(maxsize=1)
def _installed_fonts() -> frozenset[str]:
    return frozenset(f.name for f in font_manager.fontManager.ttflist)


def font_families(lang: str) -> list[str]:
    """Fonts for ``lang``: a Latin font with Vietnamese diacritics first, a CJK font as fallback."""
    wanted = ["Noto Sans", "DejaVu Sans", _CJK_FONTS.get(lang, "Noto Sans CJK JP"), "Noto Sans CJK JP"]
    return list(dict.fromkeys(f for f in wanted if f in _installed_fonts())) or ["DejaVu Sans"]


@contextmanager
def fonts(lang: str) -> Iterator[None]:
    """matplotlib settings for every export figure: fonts that read back from a PDF as text, and
    text that is only text: matplotlib would read "$…$" in a park name or a note as mathematics
    (and fail the export on "$\\frac{$"), so ``text.parse_math`` is off."""
    with matplotlib.rc_context({"font.family": font_families(lang), "pdf.fonttype": 42, "ps.fonttype": 42,
                                "svg.fonttype": "none", "axes.unicode_minus": False, "text.parse_math": False}):
        yield


# --- extent ---------------------------------------------------------------------------------------
def _to_mercator(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(MERCATOR) if frame.crs is not None else frame.set_crs(4326).to_crs(MERCATOR)


def _point(lat: float, lon: float) -> tuple[float, float]:
    p = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326).to_crs(MERCATOR)
    return float(p.x.iloc[0]), float(p.y.iloc[0])


def extent(selection: Selection, width_px: float, height_px: float) -> tuple[float, float, float, float]:
    """The Web Mercator window the map shows in ``width_px``×``height_px`` CSS pixels.

    The view's centre and zoom when it has them (the app's map), else the selected park or all the
    selected parks with a 30-px margin, as the Leaflet map fits them. Only parks with a position
    count: a selected park with none (unplaced) gives the frame of all the selected parks.
    """
    view = export_view(selection.view)
    focus = placed(selection.parks)
    if view.selected_park and view.selected_park in set(focus["park_id"]):
        focus = focus[focus["park_id"] == view.selected_park]
    elif view.center is not None and view.zoom is not None:
        x, y = _point(*view.center)
        res = _RESOLUTION_Z0 / 2**view.zoom
        return x - width_px * res / 2, y - height_px * res / 2, x + width_px * res / 2, y + height_px * res / 2
    if focus.empty:
        minx, miny, maxx, maxy = gpd.GeoSeries([shapely.box(*HAI_PHONG_BOUNDS)], crs=4326).to_crs(MERCATOR).total_bounds
    else:
        minx, miny, maxx, maxy = _to_mercator(focus).total_bounds
    span_x, span_y = max(maxx - minx, 2000.0), max(maxy - miny, 2000.0)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    res = max(span_x / max(width_px - 60, 1), span_y / max(height_px - 60, 1))
    return cx - width_px * res / 2, cy - height_px * res / 2, cx + width_px * res / 2, cy + height_px * res / 2


# --- layers ---------------------------------------------------------------------------------------
def _dashes(dash: str | None, width_pt: float) -> object:
    if not dash:
        return "solid"
    lengths = [float(v) * PT / max(width_pt, 0.1) for v in dash.split()]
    return (0, tuple(lengths))


def _draw(ax: Axes, frame: gpd.GeoDataFrame, style: styling.PathStyle, zorder: float) -> None:
    if frame.empty:
        return
    width = style.weight * PT
    stroke = to_rgba(style.stroke, style.opacity)
    polygons = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    lines = frame[frame.geom_type.isin(["LineString", "MultiLineString"])]
    if not polygons.empty:
        polygons.plot(ax=ax, facecolor=to_rgba(style.fill, style.fill_opacity), edgecolor=stroke, linewidth=width,
                      linestyle=_dashes(style.dash, width), zorder=zorder)
    if not lines.empty:
        lines.plot(ax=ax, color=stroke, linewidth=width, linestyle=_dashes(style.dash, width), zorder=zorder,
                   capstyle="round")


def _draw_styled(ax: Axes, frame: gpd.GeoDataFrame, styles: list[styling.PathStyle], zorder: float) -> None:
    """Draw ``frame`` feature by feature style: one call per distinct style."""
    if frame.empty:
        return
    keys = list(styles)
    for style in dict.fromkeys(keys):
        mask = np.array([s == style for s in keys])
        _draw(ax, frame[mask], style, zorder)


def draw_layers(ax: Axes, selection: Selection, px_size: float) -> None:
    """Every layer of the view, in the Leaflet map's order; ``px_size`` is metres per CSS pixel."""
    view = export_view(selection.view)
    markersize = lambda px: (px * PT) ** 2  # noqa: E731 - scatter sizes are areas in pt²
    if selection.land is not None:
        land = gpd.GeoSeries([selection.land], crs=4326).to_crs(MERCATOR)
        land.plot(ax=ax, facecolor=styling.LAND_COLOUR, edgecolor=styling.LAND_OUTLINE, linewidth=PT, zorder=1)
    if "zones" in view.layers:
        zones = _to_mercator(selection.zones)
        _draw_styled(ax, zones, [styling.zone_style(s) for s in zones["status"]], 2)
    if "parks" in view.layers:
        parks = _to_mercator(placed(selection.parks))
        _draw_styled(ax, parks, [
            styling.park_style(view.colour_by, r["stage"], r["occupancy_pct"], r["park_id"] == view.selected_park)
            for _, r in parks.iterrows()], 3)
    if "plots" in view.layers:
        plots = _to_mercator(selection.plots)
        _draw_styled(ax, plots, [styling.plot_style(s) for s in plots["status"]], 4)
    if "connectivity" in view.layers:
        features = _to_mercator(selection.connectivity)
        shapes = features[features.geom_type != "Point"]
        _draw_styled(ax, shapes, [styling.connectivity_style(k) for k in shapes["kind"]], 5)
        points = features[features.geom_type == "Point"]
        if not points.empty:
            ax.scatter(points.geometry.x, points.geometry.y, s=markersize(26),
                       c=styling.CONNECTIVITY_COLOURS["airport"], edgecolors="white", linewidths=2 * PT, zorder=7)
    if "housing" in view.layers and not selection.housing.empty:
        housing = _to_mercator(selection.housing)
        ax.scatter(housing.geometry.x, housing.geometry.y, s=markersize(14), c=styling.HOUSING_COLOUR,
                   edgecolors="white", linewidths=2 * PT, zorder=6)
    if "berths" in view.layers and not selection.berths.empty:
        berths = _to_mercator(selection.berths)
        _draw_styled(ax, berths, [styling.berth_style(s if isinstance(s, str) else None) for s in berths["status"]], 8)
        for _, row in berths.iterrows():
            point = row.geometry.interpolate(0.5, normalized=True)
            ax.annotate(str(int(row["berth_no"])), (point.x, point.y), xytext=(8 * PT, 0), textcoords="offset points",
                        fontsize=11 * PT, fontweight="bold", va="center", zorder=9, annotation_clip=True,
                        path_effects=[_halo()])


def name_parks(ax: Axes, selection: Selection) -> None:
    """Write each park's name at a point inside it (:func:`heza_geo.export.snapshot.park_labels`),
    largest park first; a name that would cover one already written, or leave the map, is left out."""
    labels = park_labels(selection)
    if not labels:
        return
    points = gpd.GeoSeries([shapely.Point(lon, lat) for _, lat, lon in labels], crs=4326).to_crs(MERCATOR)
    ax.apply_aspect()  # the box the axes will have when drawn, so names are measured where they land
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]  # an Agg canvas (map_figure)
    frame = ax.get_window_extent(renderer)
    placed_boxes: list[Bbox] = []
    for (name, _, _), x, y in zip(labels, points.x, points.y, strict=True):
        text = ax.text(x, y, name, ha="center", va="center", fontsize=12 * PT, fontweight="bold",
                       color="#1b1b1b", zorder=10, clip_on=True, path_effects=[_halo()])
        box = text.get_window_extent(renderer).padded(2)
        inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        if not inside or any(box.overlaps(other) for other in placed_boxes):
            text.remove()
        else:
            placed_boxes.append(box)


def _halo() -> AbstractPathEffect:
    from matplotlib import patheffects

    return patheffects.withStroke(linewidth=3 * PT, foreground="white")


# --- furniture ------------------------------------------------------------------------------------
def _swatch(colour: str, shape: str) -> DrawingArea:
    area = DrawingArea(14 * PT, 11 * PT, 0, 0)
    if shape == "line":
        area.add_artist(Rectangle((0, 3.5 * PT), 14 * PT, 4 * PT, facecolor=colour, edgecolor="none"))
    elif shape == "dot":
        area.add_artist(Circle((5.5 * PT, 5.5 * PT), 5.5 * PT, facecolor=colour, edgecolor="none"))
    else:
        area.add_artist(Rectangle((0, 0), 14 * PT, 11 * PT, facecolor=colour, edgecolor="#555555", linewidth=PT))
    return area


def add_legend(ax: Axes, selection: Selection, title: str) -> None:
    """The map's legend (same sections as the Leaflet legend), boxed in the lower left."""
    view = export_view(selection.view)
    statuses = selection.berths["status"].dropna() if "status" in selection.berths else ()
    rows: list[Artist] = [TextArea(title, textprops={"fontsize": 12 * PT, "fontweight": "bold"})]
    connectivity = connectivity_entries(selection.connectivity) if "connectivity" in view.layers else []
    for heading, entries in legend_sections(view, statuses, connectivity):
        rows.append(TextArea(heading, textprops={"fontsize": 12 * PT, "fontweight": "bold"}))
        for colour, text, shape in entries:
            rows.append(HPacker(children=[_swatch(colour, shape), TextArea(text, textprops={"fontsize": 12 * PT})],
                                align="center", pad=0, sep=6 * PT))
    box = AnchoredOffsetbox(loc="lower left", child=VPacker(children=rows, align="left", pad=0, sep=3 * PT),
                            pad=0.5, borderpad=0.8, frameon=True)
    box.patch.set_boxstyle("round,pad=0.2,rounding_size=0.4")
    box.patch.set_facecolor((1, 1, 1, 0.92))
    box.patch.set_edgecolor("#bbbbbb")
    box.set_zorder(20)
    ax.add_artist(box)


def add_north_arrow(ax: Axes, letter: str) -> None:
    area = DrawingArea(34 * PT, 50 * PT, 0, 0)
    h = 50 * PT
    area.add_artist(Polygon([(17 * PT, h - 16 * PT), (28 * PT, h - 47 * PT), (17 * PT, h - 39 * PT),
                             (6 * PT, h - 47 * PT)], closed=True, facecolor="#111111"))
    area.add_artist(Polygon([(17 * PT, h - 16 * PT), (17 * PT, h - 39 * PT), (6 * PT, h - 47 * PT)], closed=True,
                            facecolor="#777777"))
    label = TextArea(letter, textprops={"fontsize": 13 * PT, "fontweight": "bold", "ha": "center"})
    box = AnchoredOffsetbox(loc="upper right", child=VPacker(children=[label, area], align="center", pad=0, sep=0),
                            pad=0.3, borderpad=0.8, frameon=True)
    box.patch.set_facecolor((1, 1, 1, 0.85))
    box.patch.set_edgecolor("#cccccc")
    box.set_zorder(20)
    ax.add_artist(box)


def nice_length(metres: float) -> float:
    """The largest 1, 2, 3 or 5 × 10ⁿ metres not above ``metres`` (Leaflet's scale-bar rule)."""
    power = 10 ** math.floor(math.log10(max(metres, 1.0)))
    digit = metres / power
    return power * (5 if digit >= 5 else 3 if digit >= 3 else 2 if digit >= 2 else 1)


def add_scale_bar(ax: Axes, window: tuple[float, float, float, float], px_size: float) -> None:
    """A bar of a round number of km (or m), measured at the map's centre latitude."""
    minx, miny, maxx, maxy = window
    centre = gpd.GeoSeries([shapely.Point((minx + maxx) / 2, (miny + maxy) / 2)], crs=MERCATOR).to_crs(4326)
    lat = float(centre.y.iloc[0])
    ground_per_unit = math.cos(math.radians(lat))
    metres = nice_length(100 * px_size * ground_per_unit)
    length = metres / ground_per_unit
    text = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    x0 = maxx - (maxx - minx) * 0.02 - length
    y0 = miny + (maxy - miny) * 0.06
    ax.add_patch(Rectangle((x0, y0), length, px_size * 5, facecolor="#222222", edgecolor="white", linewidth=PT,
                           zorder=21))
    ax.text(x0 + length / 2, y0 + px_size * 8, text, ha="center", va="bottom", fontsize=12 * PT, zorder=21,
            path_effects=[_halo()])


def draw_map(ax: Axes, selection: Selection, caption: Caption, width_px: float, height_px: float,
             legend_title: str, window: tuple[float, float, float, float] | None = None) -> None:
    """The whole map (layers, legend, north arrow, scale bar, attribution) into ``ax``, framing
    ``window`` (Web Mercator; by default the view's, :func:`extent`)."""
    window = window or extent(selection, width_px, height_px)
    px_size = (window[2] - window[0]) / width_px
    ax.set_facecolor(styling.WATER_COLOUR)
    draw_layers(ax, selection, px_size)
    ax.set_xlim(window[0], window[2])
    ax.set_ylim(window[1], window[3])
    ax.set_aspect("equal", adjustable="box")
    name_parks(ax, selection)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
    add_legend(ax, selection, legend_title)
    add_north_arrow(ax, caption.north)
    add_scale_bar(ax, window, px_size)
    ax.text(0.995, 0.005, caption.attribution, transform=ax.transAxes, ha="right", va="bottom", fontsize=10 * PT,
            zorder=21, bbox={"facecolor": (1, 1, 1, 0.8), "edgecolor": "none", "pad": 2})


def map_figure(selection: Selection, caption: Caption, size: Size, legend_title: str, frame: bool = True) -> Figure:
    """A figure of ``size`` pixels: header (title, filters), the map, footer (date, sources, basemap)."""
    css_w, css_h, scale = layout(size)
    fig = Figure(figsize=(css_w / 96, css_h / 96), dpi=96 * scale, facecolor="white")
    FigureCanvasAgg(fig)
    header = HEADER_PX / css_h if frame else 0.0
    footer = FOOTER_PX / css_h if frame else 0.0
    ax = fig.add_axes((0, footer, 1, 1 - header - footer))
    draw_map(ax, selection, caption, css_w, css_h * (1 - header - footer), legend_title)
    if frame:
        fig.text(18 / css_w, 1 - 12 / css_h, caption.title, ha="left", va="top", fontsize=22 * PT,
                 fontweight="bold", color=TITLE_COLOUR)
        fig.text(18 / css_w, 1 - 42 / css_h, caption.subtitle, ha="left", va="top", fontsize=13 * PT, color="#333333")
        fig.add_artist(Line2D([0, 1], [1 - header, 1 - header], color=TITLE_COLOUR, linewidth=2 * PT))
        fig.text(18 / css_w, footer / 2, f"{caption.date} · {caption.sources} · {caption.attribution}",
                 ha="left", va="center", fontsize=11 * PT, color="#333333", wrap=True)
    return fig


def render(selection: Selection, caption: Caption, size: Size, out: Path, legend_title: str,
           frame: bool = True) -> None:
    """Write the map of ``selection`` as a PNG of exactly ``size`` pixels."""
    with fonts(selection.view.lang):
        fig = map_figure(selection, caption, size, legend_title, frame)
        fig.savefig(out, format="png", dpi=fig.dpi, facecolor="white")
    fit_exact(out, size)

