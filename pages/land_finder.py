"""Land finder (investors): state the needs, get the parks and sites that fit, with the reasons why.

Land is offered only where plots are: a park without plots (planned, or with no position yet) has
no land data ("—", never free land) and never fits; its distances are unknown.
"""

from __future__ import annotations

from dataclasses import astuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis import land_finder as finder
from heza_geo.analysis.compare import MAX_PARKS, MIN_PARKS, parse_park_ids
from heza_geo.analysis.panels import finder_results
from heza_geo.schema import SECTORS
from heza_geo.text import csv_bytes, md_escape, md_format
from heza_geo.ui import common, pagekit, pagemaps
from heza_geo.ui.common import tr

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
common.view_state()
lang = common.lang()
t = i18n.translator(lang)

st.markdown(f"### {tr('page.land_finder')}")
st.caption(tr("finder.intro"))
pagemaps.assets_notice()

overview = common.overview(data.version, None, data)
known_parks = list(overview["park_id"])
ANY = "any"  # the sector selectbox's "any sector" (None would read as "nothing chosen")


@st.cache_resource(show_spinner=False, max_entries=16)
def _ranked(version: str, needs: tuple, lang: str, _overview: gpd.GeoDataFrame,
            _plots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return finder.rank(_overview, _plots, finder.Needs(*needs), lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def _sites(version: str, area_ha: float, _plots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return finder.candidate_sites(_plots, area_ha)


# --- the needs: from the link on arrival, then from the widgets --------------------------------
if "finder_area" not in st.session_state:
    params = {key: st.query_params.get(key) for key in st.query_params}
    start, problems = finder.needs_from_params(params)
    shortlist, compare_problems = parse_park_ids(params.get("compare"), known_parks)
    st.session_state.update(finder_area=float(start.area_ha), finder_sector=start.sector or ANY,
                            finder_port=start.max_port_km, finder_airport=start.max_airport_km,
                            finder_ready=start.ready)
    if shortlist:
        st.session_state["compare_parks"] = list(shortlist)
    for bad in (*problems, *compare_problems):  # values from a link are data: shown as text
        st.warning(md_format(tr("msg.link_param_ignored"), name=bad.name, value=bad.value, allowed=bad.allowed,
                             default=bad.default or tr("finder.no_limit")))

area_col, sector_col, port_col, airport_col, ready_col = st.columns([1, 1.1, 1.1, 1.1, 1.6])
area = area_col.number_input(tr("finder.area"), min_value=finder.MIN_AREA_HA, max_value=finder.MAX_AREA_HA, step=5.0,
                             format="%g", key="finder_area")
sector = sector_col.selectbox(tr("finder.sector"), [ANY, *SECTORS], key="finder_sector",
                              format_func=lambda s: tr("finder.any_sector") if s == ANY else t.label("sector", s))
port_km = port_col.number_input(tr("finder.max_port_km"), min_value=0.0, max_value=finder.MAX_DISTANCE_KM, step=5.0,
                                format="%g", key="finder_port", placeholder=tr("finder.no_limit"))
airport_km = airport_col.number_input(tr("finder.max_airport_km"), min_value=0.0, max_value=finder.MAX_DISTANCE_KM,
                                      step=5.0, format="%g", key="finder_airport", placeholder=tr("finder.no_limit"))
ready = ready_col.radio(tr("finder.ready"), list(finder.READINESS), key="finder_ready", horizontal=True,
                        format_func=lambda r: tr(f"finder.ready.{r}"))

needs = finder.Needs(float(area), None if sector == ANY else sector, port_km, airport_km, ready)
ranked = _ranked(data.version, astuple(needs), lang, overview, data.plots)
sites = _sites(data.version, needs.area_ha, data.plots)
results = finder_results(ranked, sites)
fits, shown, fit_sites = results.fits, results.shown, results.sites
names = i18n.names(overview, "park_id", lang)

# --- results: map and the parks that fit ---------------------------------------------------------
summary = tr("finder.summary", fits=t.number(len(fits), 0), parks=t.number(len(ranked), 0),
             sites=t.number(len(fit_sites), 0))
st.markdown(f"**{summary}**")
demo, approx = t.badge("synthetic demo"), t.badge("approximate")
map_col, list_col = st.columns([1.45, 1], gap="medium")
with map_col:
    pagemaps.highlighted(data, overview, ("zones", "parks", "berths", "connectivity"), "stage", shown,
                         {p: str(r) for p, r in zip(shown["park_id"], shown["rank"], strict=True)},
                         key="finder_map", height=620, sites=fit_sites)
    st.caption(f"{tr('popup.available')}, {tr('finder.sites_layer')}: {demo} · "
               f"{tr('popup.distance_to_berth')}: {approx}")
    pagekit.not_drawn(shown, names)

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
                known = pd.notna(park["available_ha"])  # NaN: no plots, no land data
                st.caption(f"{t.area_ha(park['available_ha'], 1)} · {demo}" if known else i18n.MISSING)

# --- sites, other parks, how it works ------------------------------------------------------------
if not fit_sites.empty:
    st.markdown(f"#### {tr('finder.sites_title')}")
    st.dataframe(finder.sites_table(fit_sites, names, lang), hide_index=True, width="stretch", key="finder_sites")
if not results.others.empty:
    with st.expander(f"{tr('finder.others_title')} ({len(results.others)})"):
        st.dataframe(finder.results_table(results.others, lang).drop(columns=["park_id"]), hide_index=True,
                     width="stretch", key="finder_others")
with st.expander(tr("finder.how_ranked")):
    st.markdown(tr("finder.how_ranked_text", gap=i18n.fmt_quantity(finder.ADJACENCY_M, "m", lang, 0)))

# --- export and shortlist ------------------------------------------------------------------------
slug = "-".join(f"{k}-{v}" for k, v in finder.needs_to_params(needs).items())
download_cols = st.columns(3)
download_cols[0].download_button(tr("finder.download_csv"), csv_bytes(finder.results_table(ranked, lang)),
                                 file_name=f"heza-land-finder-{slug}.csv", mime="text/csv", key="finder_csv")
download_cols[1].download_button(tr("finder.download_sites_csv"), csv_bytes(finder.sites_table(fit_sites, names, lang)),
                                 file_name=f"heza-land-finder-sites-{slug}.csv", mime="text/csv",
                                 key="finder_sites_csv")
download_cols[2].download_button(tr("finder.download_geojson"),
                                 finder.to_geojson(ranked, sites, needs, lang).encode("utf-8"),
                                 file_name=f"heza-land-finder-{slug}.geojson", mime="application/geo+json",
                                 key="finder_geojson")

pick_col, go_col = st.columns([3, 1], vertical_alignment="bottom")
with pick_col:
    if "finder_compare" not in st.session_state:
        picked = st.session_state.get("compare_parks", [])
        st.session_state["finder_compare"] = [p for p in picked if p in names][:MAX_PARKS]
    shortlist = common.capped_multiselect(tr("finder.compare_pick"), list(ranked["park_id"]), "finder_compare",
                                          MAX_PARKS, lambda p: names.get(p, p), tr("compare.placeholder"))
st.session_state["compare_parks"] = list(shortlist)
with go_col:
    if st.button(tr("finder.compare_button"), icon=":material/balance:", disabled=len(shortlist) < MIN_PARKS,
                 key="finder_go_compare"):
        st.switch_page("pages/compare.py", query_params={"compare": ",".join(shortlist), "lang": lang})

link = finder.needs_to_params(needs) | {"lang": lang} | ({"compare": ",".join(shortlist)} if shortlist else {})
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)
