"""Export page: the map page's current view as a PNG, PDF or offline HTML map, or its data as
CSV, XLSX, GeoJSON or GeoPackage. The work is ``heza_geo.export``; this page picks the options,
shows progress and hands over the file."""

from __future__ import annotations

import logging
import shlex
import tempfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.selection import known_filters, select, unknown_in_link
from heza_geo.errors import ExportError
from heza_geo.export import FORMATS, SIZES, ExportOptions, default_filename, export
from heza_geo.export.tables import filters_line
from heza_geo.io.resilience import public_text
from heza_geo.maps.layers import unplaced_count
from heza_geo.text import md_escape, md_format
from heza_geo.ui import common
from heza_geo.ui.common import tr
from heza_geo.view import LAYER_NAMES

log = logging.getLogger(__name__)

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
lang = common.lang()
state = common.view_state()

st.markdown(f"### {tr('page.export')}")
# the view's parameters the link had that cannot be used (a bad lang= is app.py's, on every page)
common.warn_link([p for p in state.problems if p.name != "lang"] + list(unknown_in_link(data, state.filters)))

filters = known_filters(data, state.filters)
parks_all = common.overview(data.version, None, data)
berths = common.berths_now(data.version, None, data)
selection = select(data, filters, replace(state.view, lang=lang), overview=parks_all, berths=berths, land=common.land())
zone_names = i18n.names(data.zones, "zone_id", lang)

# --- what will be exported -------------------------------------------------------------------
layers = ", ".join(i18n.t(f"layer.{name}", lang) for name in state.view.layers) or i18n.MISSING
st.markdown(tr("export.what", parks=i18n.fmt_number(len(selection.parks), lang, 0), layers=layers))
if unplaced := unplaced_count(selection.parks):  # in the tables with an empty geometry, on no map
    st.caption(tr("map.unplaced", n=i18n.fmt_number(unplaced, lang, 0)))
st.caption(md_escape(filters_line(selection, zone_names)) or tr("export.no_filters"))  # zone, district, park names
st.caption(tr("export.change_view"))
st.page_link("pages/map.py", label=tr("page.map"), icon=":material/map:")
if selection.parks.empty:
    st.info(tr("export.msg.no_parks"))

# --- options ---------------------------------------------------------------------------------
left, right = st.columns([1.3, 1], gap="large")
with left:
    fmt = st.radio(tr("export.format"), FORMATS, key="export_format", format_func=lambda f: tr(f"export.format.{f}"))
with right:
    size_key, sheet, atlas = "1920x1080", "a4", False
    if fmt == "png":
        size_key = st.selectbox(
            tr("export.size"), list(SIZES), key="export_size",
            format_func=lambda s: tr("export.size.slides" if s == "1920x1080" else f"export.size.{s}"))
    elif fmt == "pdf":
        sheet = st.selectbox(tr("export.size"), ["a4", "a3"], key="export_sheet", format_func=str.upper)
        atlas = st.checkbox(tr("export.atlas"), key="export_atlas")
    file_lang = st.selectbox(tr("export.language"), list(common.settings().languages),
                             index=list(common.settings().languages).index(lang), key=f"export_lang_{lang}",
                             format_func=lambda code: i18n.LANGUAGE_NAMES.get(code, code))
    if fmt in ("csv", "xlsx", "geojson", "gpkg"):
        st.caption(tr("export.confidential_note"))

view = replace(state.view, lang=file_lang)
options = ExportOptions(size=SIZES[size_key], sheet=sheet, atlas=atlas)


def cli_command() -> str:
    """The same export as a command line, for staff who script the monthly report."""
    args = ["python", "-m", "heza_geo", "export", "--format", fmt, "--out",
            default_filename(fmt, len(view.layers))]
    for flag, values in (("--region", filters.regions), ("--park", filters.parks), ("--district", filters.districts),
                         ("--zone", filters.zones), ("--stage", filters.stages), ("--status", filters.plot_statuses),
                         ("--sector", filters.sectors)):
        if values:
            args += [flag, ",".join(values)]
    if filters.min_available_ha:
        args += ["--min-available-ha", f"{filters.min_available_ha:g}"]
    args += ["--lang", file_lang]
    if tuple(view.layers) != LAYER_NAMES:
        args += ["--layers", ",".join(view.layers)]
    if view.colour_by != "occupancy":
        args += ["--colour-by", view.colour_by]
    if fmt == "png":
        args += ["--size", size_key]
    if fmt == "pdf":
        args += ["--size", sheet] + (["--atlas"] if atlas else [])
    return shlex.join(args)


# --- make the file ---------------------------------------------------------------------------
# The file made last belongs to the options it was made with: another format, size, language,
# view or dataset is another file, so the last one's result leaves the screen rather than stand
# as this one's (it stayed after a switch from PNG to PDF).
made_from = (data.version, fmt, options, view, filters)
if (last := st.session_state.get("_export_file")) and last["made_from"] != made_from:
    del st.session_state["_export_file"]

if st.button(tr("export.button"), type="primary", key="export_button"):
    st.session_state.pop("_export_file", None)
    bar = st.progress(0.0, text=tr("export.step.select"))
    with tempfile.TemporaryDirectory(prefix="heza-export-") as tmp:
        name = default_filename(fmt, len(view.layers))
        try:  # export() calls the progress bar on this, the script's, thread only
            result = export(data, filters, view, fmt, Path(tmp) / name, options,
                            lambda fraction, message: bar.progress(fraction, text=message),
                            selection=replace(selection, view=view) if file_lang == lang else None)
        except ExportError as exc:
            log.warning("export %s failed: %s", fmt, exc)
            bar.empty()
            st.error(md_format(tr("export.msg.failed"), reason=public_text(str(exc), [tmp])))
        except (OSError, RuntimeError, ValueError) as exc:  # unexpected: one line, no traceback, no server path
            log.exception("export %s failed", fmt)
            bar.empty()
            st.error(md_format(tr("export.msg.failed"), reason=public_text(f"{type(exc).__name__}: {exc}", [tmp])))
        else:
            st.session_state["_export_file"] = {
                "made_from": made_from, "name": name, "payload": result.path.read_bytes(),
                "media_type": result.media_type, "renderer": result.renderer,
                "fell_back": result.fallback_reason is not None, "warnings": result.warnings}
            bar.empty()

if exported := st.session_state.get("_export_file"):
    name, payload, media_type = exported["name"], exported["payload"], exported["media_type"]
    st.success(tr("export.msg.ready", name=name, size=f"{i18n.fmt_number(len(payload) / 1024, lang, 0)} KB"))
    # Which renderer drew the map, in the visitor's language; why the browser could not is
    # server detail (a path, an exception), in the server log and not on the page.
    if exported["fell_back"]:
        st.warning(tr("export.msg.browser_fallback"))
    elif exported["renderer"] in ("browser", "static"):
        st.caption(tr(f"export.msg.drawn_by.{exported['renderer']}"))
    for warning in exported["warnings"]:
        st.warning(md_escape(public_text(warning)))
    st.download_button(tr("export.download", name=name), payload, file_name=name, mime=media_type,
                       key="export_download", type="primary")
    if media_type == "image/png":
        st.image(payload, width="stretch")

st.caption(tr("export.cli_hint"))
st.code(cli_command(), language="bash")
