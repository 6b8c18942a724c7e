"""Land finder (investors): state the needs, get the parks and sites that fit, with the reasons why."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from heza_geo import i18n
from heza_geo.analysis.compare import MAX_PARKS, MIN_PARKS, parse_park_ids
from heza_geo.analysis.land_finder import (
    ADJACENCY_M,
    MAX_AREA_HA,
    MAX_DISTANCE_KM,
    MIN_AREA_HA,
    READINESS,
    Needs,
    candidate_sites,
    needs_from_params,
    needs_to_params,
    rank,
    results_table,
    sites_table,
    to_geojson,
)
from heza_geo.maps import assets
from heza_geo.maps.highlight import highlight_map
from heza_geo.schema import SECTORS
from heza_geo.text import csv_bytes, md_escape, md_format
from heza_geo.ui import common
from heza_geo.ui.common import tr
from heza_geo.view import MapLayers, MapView

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
common.view_state()
lang = common.lang()
t = i18n.translator(lang)

st.markdown(f"### {tr('page.land_finder')}")
st.caption(tr("finder.intro"))
if missing := assets.missing_assets():
    st.error(tr("msg.assets_missing") + f" ({len(missing)})")

overview = common.overview(data.version, None, data)
known_parks = list(overview["park_id"])
ANY = "any"  # the sector selectbox's "any sector" (None would read as "nothing chosen")


@st.cache_resource(show_spinner=False, max_entries=16)
def _ranked(version: str, needs: tuple, lang: str, _overview, _plots):  # noqa: ANN001, ANN202
    return rank(_overview, _plots, Needs(*needs), lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def _sites(version: str, area_ha: float, _plots):  # noqa: ANN001, ANN202
    return candidate_sites(_plots, area_ha)


# --- the needs: from the link on arrival, then from the widgets --------------------------------
if "finder_area" not in st.session_state:
    params = {key: st.query_params.get(key) for key in st.query_params}
    start, problems = needs_from_params(params)
    shortlist, compare_problems = parse_park_ids(params.get("compare"), known_parks)
    st.session_state.update(finder_area=float(start.area_ha), finder_sector=start.sector or ANY, finder_port=start.max_port_km,
                            finder_airport=start.max_airport_km, finder_ready=start.ready)
    if shortlist:
        st.session_state["compare_parks"] = list(shortlist)
    for bad in (*problems, *compare_problems):  # values from a link are data: shown as text
        st.warning(md_format(tr("msg.link_param_ignored"), name=bad.name, value=bad.value, allowed=bad.allowed,
                             default=bad.default or tr("finder.no_limit")))

area_col, sector_col, port_col, airport_col, ready_col = st.columns([1, 1.1, 1.1, 1.1, 1.6])
with area_col:
    area = st.number_input(tr("finder.area"), min_value=MIN_AREA_HA, max_value=MAX_AREA_HA, step=5.0, format="%g",
                           key="finder_area")
with sector_col:
    sector = st.selectbox(tr("finder.sector"), [ANY, *SECTORS], key="finder_sector",
                          format_func=lambda s: tr("finder.any_sector") if s == ANY else t.label("sector", s))
with port_col:
    port_km = st.number_input(tr("finder.max_port_km"), min_value=0.0, max_value=MAX_DISTANCE_KM, step=5.0, format="%g",
                              key="finder_port", placeholder=tr("finder.no_limit"))
with airport_col:
    airport_km = st.number_input(tr("finder.max_airport_km"), min_value=0.0, max_value=MAX_DISTANCE_KM, step=5.0, format="%g",
                                 key="finder_airport", placeholder=tr("finder.no_limit"))
with ready_col:
    ready = st.radio(tr("finder.ready"), list(READINESS), key="finder_ready", horizontal=True,
                     format_func=lambda r: tr(f"finder.ready.{r}"))

needs = Needs(float(area), None if sector == ANY else sector, port_km, airport_km, ready)
ranked = _ranked(data.version, (needs.area_ha, needs.sector, needs.max_port_km, needs.max_airport_km, needs.ready),
                 lang, overview, data.plots)
sites = _sites(data.version, needs.area_ha, data.plots)
fits = ranked[ranked["fits"]]
fit_sites = sites[sites["park_id"].isin(fits["park_id"])]
names = dict(zip(overview["park_id"], overview["name_vi" if lang == "vi" else "name_en"]))

# --- results: map and the parks that fit ---------------------------------------------------------
st.markdown(f"**{tr('finder.summary', fits=t.number(len(fits), 0), parks=t.number(len(ranked), 0), sites=t.number(len(fit_sites), 0))}**")
demo, approx = t.badge("synthetic demo"), t.badge("approximate")
map_col, list_col = st.columns([1.45, 1], gap="medium")
shown = fits if not fits.empty else ranked.head(3)
with map_col:
    layers = MapLayers(overview, data.plots.iloc[0:0], data.zones, common.berths_now(data.version, None, data),
                       data.housing, data.connectivity, common.land(), names)
    view = MapView(lang=lang, layers=("zones", "parks", "berths", "connectivity"), colour_by="stage")
    folium_map = highlight_map(layers, view, shown, {p: str(r) for p, r in zip(shown["park_id"], shown["rank"])},
                               fit_sites)
    assets.localize(folium_map)
    st_folium(folium_map, height=620, use_container_width=True, key="finder_map", returned_objects=[])
    st.caption(f"{tr('popup.available')}, {tr('finder.sites_layer')}: {demo} · "
               f"{tr('popup.distance_to_berth')}: {approx}")

with list_col:
    if fits.empty:
        st.info(tr("finder.no_fit"))
    else:
        st.markdown(f"#### {tr('finder.fits_title')}")
    with st.container(height=600, key="finder_results"):
        for _, park in shown.iterrows():
            with st.container(border=True):
                st.markdown(f"**{int(park['rank'])}. {md_escape(names[park['park_id']])}**  \n"
                            f"{t.label('stage', park['stage'])} · {t('finder.col.needs_met')}: "
                            f"{park['needs_met']}/{park['needs_checked']}")
                st.markdown("  \n".join(park["reasons"]))
                st.caption(f"{t.area_ha(park['available_ha'], 1)} · {demo}")

# --- sites, other parks, how it works ------------------------------------------------------------
if not fit_sites.empty:
    st.markdown(f"#### {tr('finder.sites_title')}")
    st.dataframe(sites_table(fit_sites, names, lang), hide_index=True, width="stretch", key="finder_sites")
others = ranked[~ranked["park_id"].isin(shown["park_id"])]
if not others.empty:
    with st.expander(f"{tr('finder.others_title')} ({len(others)})"):
        st.dataframe(results_table(others, lang).drop(columns=["park_id"]), hide_index=True, width="stretch",
                     key="finder_others")
with st.expander(tr("finder.how_ranked")):
    st.markdown(tr("finder.how_ranked_text", gap=i18n.fmt_quantity(ADJACENCY_M, "m", lang, 0)))

# --- export and shortlist ------------------------------------------------------------------------
slug = "-".join(f"{k}-{v}" for k, v in needs_to_params(needs).items())
download_cols = st.columns(3)
download_cols[0].download_button(tr("finder.download_csv"), csv_bytes(results_table(ranked, lang)),
                                 file_name=f"heza-land-finder-{slug}.csv", mime="text/csv", key="finder_csv")
download_cols[1].download_button(tr("finder.download_sites_csv"),
                                 csv_bytes(sites_table(fit_sites, names, lang)),
                                 file_name=f"heza-land-finder-sites-{slug}.csv", mime="text/csv", key="finder_sites_csv")
download_cols[2].download_button(tr("finder.download_geojson"), to_geojson(ranked, sites, needs, lang).encode("utf-8"),
                                 file_name=f"heza-land-finder-{slug}.geojson", mime="application/geo+json",
                                 key="finder_geojson")

pick_col, go_col = st.columns([3, 1], vertical_alignment="bottom")
with pick_col:
    if "finder_compare" not in st.session_state:
        st.session_state["finder_compare"] = [p for p in st.session_state.get("compare_parks", []) if p in names][:MAX_PARKS]
    shortlist = st.multiselect(tr("finder.compare_pick"), list(ranked["park_id"]), key="finder_compare",
                               placeholder=tr("compare.placeholder"), max_selections=MAX_PARKS,
                               format_func=lambda p: names.get(p, p))
st.session_state["compare_parks"] = list(shortlist)
with go_col:
    if st.button(tr("finder.compare_button"), icon="⚖️", disabled=len(shortlist) < MIN_PARKS, key="finder_go_compare"):
        st.switch_page("pages/compare.py", query_params={"compare": ",".join(shortlist), "lang": lang})

link = needs_to_params(needs) | {"lang": lang} | ({"compare": ",".join(shortlist)} if shortlist else {})
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)
