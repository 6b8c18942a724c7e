"""One entry point for every export, used by the Export page and ``python -m heza_geo export``."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd

from heza_geo import i18n
from heza_geo.analysis.selection import Selection, check_filters, select
from heza_geo.analysis.sources import park_notes
from heza_geo.config import load_settings
from heza_geo.errors import AssetError, ExportError
from heza_geo.export import browser, data, pdf, snapshot, static, tables
from heza_geo.export.core import (
    DATA_FORMATS,
    FORMATS,
    MEDIA_TYPES,
    ExportOptions,
    ExportResult,
    Progress,
    Size,
    log,
    report,
)
from heza_geo.io import Dataset
from heza_geo.maps.layers import placed
from heza_geo.view import Filters, MapView, park_name


@dataclass(frozen=True)
class _Shot:
    selection: Selection
    caption: snapshot.Caption
    size: Size
    out: Path
    frame: bool = True
    #: an atlas page: the previous shot's map, zoomed to this park (``selection.view.selected_park``)
    focus: bool = False


def renderer_mode(options: ExportOptions) -> str:
    """``options.renderer``, unless the setting ``export_renderer`` (``HEZA_EXPORT_RENDERER``:
    static|browser) overrides "auto"."""
    forced = load_settings().export_renderer
    if options.renderer == "auto" and forced in ("static", "browser"):
        return forced
    return options.renderer


def _render(shots: list[_Shot], options: ExportOptions, lang: str, progress: Progress | None,
            span: tuple[float, float]) -> tuple[str, str | None]:
    """Draw every shot with one browser session, or all of them with the static renderer when the
    browser cannot. Returns the renderer used and, if the browser was meant to draw but could not,
    why (logged too)."""
    start, end = span
    step = (end - start) / max(len(shots), 1)
    legend_title = i18n.t("legend.title", lang)
    mode = renderer_mode(options)

    def done(index: int) -> None:
        report(progress, start + step * (index + 1),
               i18n.t("export.step.render", lang, n=min(index + 2, len(shots)), total=len(shots)))

    report(progress, start, i18n.t("export.step.render", lang, n=1, total=len(shots)))
    fallback_reason: str | None = None
    if mode != "static":
        try:
            jobs = [browser.Job(None, s.size, s.out, s.selection.view.selected_park) if s.focus and index else
                    browser.Job(snapshot.snapshot_html(s.selection, s.caption, s.frame), s.size, s.out)
                    for index, s in enumerate(shots)]
            browser.render(jobs, done)
            return "browser", None
        except (browser.BrowserUnavailable, browser.RenderFailed, AssetError) as exc:
            if mode == "browser":
                raise ExportError(f"the browser could not draw the map: {exc}") from exc
            log.warning("export: browser renderer failed (%s); using the static renderer", exc)
            fallback_reason = str(exc)
    for index, shot in enumerate(shots):
        static.render(shot.selection, shot.caption, shot.size, shot.out, legend_title, frame=shot.frame)
        done(index)
    return "static", fallback_reason


def default_filename(fmt: str, layers: int = 1, exported_on: date | None = None) -> str:
    """``heza-map-2025-05-12.png``, ``heza-data-2025-05-12.xlsx`` (several CSV layers: ``.zip``)."""
    day = (exported_on or tables.today()).isoformat()
    kind = "map" if fmt in ("png", "pdf", "html") else "data"
    ext = "zip" if fmt == "csv" and layers > 1 else fmt
    return f"heza-{kind}-{day}.{ext}"


def _check_out(out: Path) -> None:
    folder = out.parent if str(out.parent) else Path()
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give a file name")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {out}: folder {folder} is not writable")
    if out.exists() and not os.access(out, os.W_OK):
        raise ExportError(f"cannot write {out}: the file is read-only")


def zone_names(data: Dataset, lang: str) -> dict[str, str]:
    return i18n.names(data.zones, "zone_id", lang)


def export(
    data: Dataset,
    filters: Filters,
    view: MapView,
    fmt: str,
    out: Path | str,
    options: ExportOptions = ExportOptions(),
    progress: Progress | None = None,
    *,
    selection: Selection | None = None,
    exported_on: date | None = None,
    title: str | None = None,
) -> ExportResult:
    """Write the view of ``data`` under ``filters`` to ``out`` as ``fmt`` (one of :data:`FORMATS`).

    The file appears whole or not at all (it is written beside ``out`` and renamed). Raises
    :class:`ExportError` with the reason when the export cannot be made (unknown park, folder
    not writable, no layer chosen, …). A browser that cannot draw is not an error: the static
    renderer takes over and ``result.fallback_reason`` says why. ``progress`` is called on the
    calling thread only (a Streamlit page may update its progress bar from it).
    """
    out = Path(out)
    lang = view.lang
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    _check_out(out)
    if problems := check_filters(data, filters):
        raise ExportError("; ".join(problems))
    report(progress, 0.02, i18n.t("export.step.select", lang))
    selection = selection or select(data, filters, view)
    exported_on = exported_on or tables.today()
    with tempfile.TemporaryDirectory(prefix="heza-export-", dir=out.parent) as tmp:
        work = Path(tmp)
        target = work / out.name
        if fmt in DATA_FORMATS:
            result = _export_data(selection, data, fmt, target, options, progress)
        elif fmt == "html":
            result = _export_html(selection, data, target, exported_on, title, progress)
        elif fmt == "png":
            result = _export_png(selection, data, target, options, exported_on, title, progress)
        else:
            result = _export_pdf(selection, data, target, options, exported_on, title, progress, work)
        target.replace(out)
    result.path = out
    report(progress, 1.0, i18n.t("export.step.done", lang))
    return result


def _export_data(selection: Selection, data_: Dataset, fmt: str, out: Path, options: ExportOptions,
                 progress: Progress | None) -> ExportResult:
    """The selection's layers and, with its parks, their passports, contacts and incentives (public tables)."""
    lang = selection.view.lang
    frames: dict[str, pd.DataFrame] = dict(tables.layer_frames(selection, options.include_confidential))
    if not frames:
        raise ExportError("no layer chosen: pick at least one (--layers parks,plots)")
    if "parks" in frames:
        frames |= tables.investor_tables(data_, selection.parks)
    sources = tables.sources(frames, lang)
    report(progress, 0.4, i18n.t("export.step.write", lang))
    media = fmt
    if fmt == "csv":
        media = data.write_csv(frames, sources, out)
    elif fmt == "xlsx":
        data.write_xlsx(frames, sources, out, lang)
    elif fmt == "geojson":
        data.write_geojson(frames, sources, out)
    else:
        data.write_gpkg(frames, sources, out)
    return ExportResult(out, MEDIA_TYPES[media])


def _export_html(selection: Selection, data_: Dataset, out: Path, exported_on: date, title: str | None,
                 progress: Progress | None) -> ExportResult:
    lang = selection.view.lang
    cap = snapshot.caption(selection, zone_names(data_, lang), exported_on, title)
    report(progress, 0.3, i18n.t("export.step.write", lang))
    try:
        page = snapshot.standalone_html(selection, cap)
    except AssetError as exc:
        raise ExportError("the map's scripts are not installed here, so the file would not open offline "
                          f"({exc})") from exc
    out.write_text(page, encoding="utf-8")
    return ExportResult(out, MEDIA_TYPES["html"])


def _export_png(selection: Selection, data_: Dataset, out: Path, options: ExportOptions, exported_on: date,
                title: str | None, progress: Progress | None) -> ExportResult:
    lang = selection.view.lang
    cap = snapshot.caption(selection, zone_names(data_, lang), exported_on, title)
    renderer, fallback = _render([_Shot(selection, cap, options.size, out)], options, lang, progress, (0.1, 0.95))
    return ExportResult(out, MEDIA_TYPES["png"], renderer, fallback_reason=fallback)


def _export_pdf(selection: Selection, data_: Dataset, out: Path, options: ExportOptions, exported_on: date,
                title: str | None, progress: Progress | None, work: Path) -> ExportResult:
    lang = selection.view.lang
    names = zone_names(data_, lang)
    cap = snapshot.caption(selection, names, exported_on, title)
    size = pdf.snapshot_size(options.sheet)
    shots = [_Shot(selection, cap, size, work / "overview.png", frame=False)]
    parks = selection.parks
    images: dict[str, Path] = {}  # an atlas page's map, for each park with a position (unplaced: none)
    if options.atlas:
        for index, park_id in enumerate(placed(parks)["park_id"]):
            view = replace(selection.view, selected_park=park_id, center=None, zoom=None)
            images[park_id] = work / f"park-{index}.png"
            shots.append(_Shot(replace(selection, view=view), cap, size, images[park_id], frame=False, focus=True))
    renderer, fallback = _render(shots, options, lang, progress, (0.05, 0.85))

    report(progress, 0.88, i18n.t("export.step.write", lang))
    indicators = tables.indicator_table(parks, lang)
    if not parks.empty:
        totals = tables.totals_row(parks, lang)
        keys = ("park", "stage", "area", "leased", "available", "occupancy", "as_of", "source")
        indicators.loc[len(indicators)] = [totals.get(key, "") for key in keys]
    frames = tables.layer_frames(selection, options.include_confidential)
    history = data_.occupancy_history[data_.occupancy_history["park_id"].isin(parks["park_id"])]
    sources = tables.sources({**frames, "occupancy_history": history}, lang)
    atlas = []
    for _, row in parks.iterrows() if options.atlas else []:
        atlas.append(pdf.ParkPage(
            title=park_name(row, lang),
            subtitle=i18n.other_name(row, lang),
            image=images.get(row["park_id"]),
            figures=pdf.park_figures(row, lang),
            plots=pdf.plots_by_status(selection.plots[selection.plots["park_id"] == row["park_id"]], lang),
            notes=park_notes(data_.source_notes, row["park_id"], lang),
        ))
    sheet = pdf.plan(options.sheet, lang, cap.title, cap.subtitle, cap.date, shots[0].out, size, indicators,
                     sources, atlas)
    pdf.write(sheet, out, cap.title, exported_on,
              lambda n, total: report(progress, 0.88 + 0.1 * n / total, i18n.t("export.step.write", lang)))
    return ExportResult(out, MEDIA_TYPES["pdf"], renderer, fallback_reason=fallback)


