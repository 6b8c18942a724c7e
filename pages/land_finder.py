"""Land finder (investors): state the needs, see every park kept, to confirm with HEZA, or dropped
with every reason; shortlist parks to compare. The address bar's link carries the needs and the
shortlist, so opening it again shows the same.

Land is offered only where plots are: a park without plots has no land data ("—", never free
land), its area is to confirm with HEZA (a planned park: dropped); a park with no position has
its distances to confirm.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from heza_geo import i18n
from heza_geo.analysis import land_finder as finder
from heza_geo.analysis.compare import MAX_PARKS, MIN_PARKS, parse_park_ids
from heza_geo.analysis.panels import finder_results, finder_sources
from heza_geo.schema import SECTORS
from heza_geo.text import csv_bytes, md_escape, md_format
from heza_geo.ui import common, enquiry, pack, pagekit, pagemaps
from heza_geo.ui.common import tr

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
common.view_state()
lang = common.lang()
t = i18n.translator(lang)
today = date.today()

st.markdown(f"### {tr('page.land_finder')}")
st.caption(tr("finder.intro"))
pagemaps.assets_notice()

overview = common.overview(data.version, None, data)
known_parks = list(overview["park_id"])
ANY = "any"  # the sector selectbox's "any sector" (None would read as "nothing chosen")
UTILITIES = ("finder_power", "finder_water", "finder_wastewater")
PLACE = ("finder_port", "finder_airport", "finder_expressway", "finder_ready_by")


@st.cache_resource(show_spinner=False, max_entries=16)
def _ranked(version: str, needs: tuple, lang: str, today: date, _overview: gpd.GeoDataFrame,
            _plots: gpd.GeoDataFrame, _passports: pd.DataFrame, _connectivity: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    expressways = _connectivity[_connectivity["kind"] == "expressway"]
    return finder.rank(_overview, _plots, finder.Needs(*needs), lang, passports=_passports, expressways=expressways,
                       today=today)


@st.cache_resource(show_spinner=False, max_entries=16)
def _sites(version: str, needs: tuple, lang: str, today: date, _plots: gpd.GeoDataFrame,
           _ranked: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return finder.site_outcomes(_plots, _ranked, finder.Needs(*needs), lang)


# --- the needs: from the link on arrival, then from the widgets --------------------------------
if "finder_area" not in st.session_state:
    params = {key: st.query_params.get(key) for key in st.query_params}
    start, problems = finder.needs_from_params(params, today=today)
    shortlist, compare_problems = parse_park_ids(params.get("compare"), known_parks)
    st.session_state.update(
        finder_area=float(start.area_ha), finder_sector=start.sector or ANY, finder_budget=start.max_price_usd_m2,
        finder_years=start.min_term_years, finder_power=start.min_power_mw, finder_water=start.min_water_m3_day,
        finder_wastewater=start.min_wastewater_m3_day, finder_port=start.max_port_km,
        finder_airport=start.max_airport_km, finder_expressway=start.max_expressway_km, finder_ready_by=start.ready_by)
    # a group the link fills opens, so every need it carries is in sight
    st.session_state["finder_open"] = {group: any(st.session_state[key] is not None for key in keys)
                                       for group, keys in (("utilities", UTILITIES), ("place", PLACE))}
    if shortlist:
        st.session_state["compare_parks"] = list(shortlist)
    for bad, nothing in (*((p, "finder.no_limit") for p in problems),
                         *((p, "finder.no_shortlist") for p in compare_problems)):  # a link's values: shown as text
        st.warning(md_format(tr("msg.link_param_ignored"), name=bad.name, value=bad.value, allowed=bad.allowed,
                             default=bad.default or tr(nothing)))


def limit_input(column: Any, label: str, key: str, top: float, step: float) -> float | None:
    """A number the investor may leave empty: "no limit"."""
    return column.number_input(label, min_value=0.0, max_value=top, step=step, format="%g", key=key,
                               placeholder=tr("finder.no_limit"))


st.markdown(f"**{tr('finder.group.land')}**")
area_col, budget_col, years_col, sector_col = st.columns(4)
area = area_col.number_input(tr("finder.area"), min_value=finder.MIN_AREA_HA, max_value=finder.MAX_AREA_HA, step=5.0,
                             format="%g", key="finder_area")
budget = limit_input(budget_col, tr("finder.budget"), "finder_budget", finder.NUMBER_PARAMS["max_price_usd_m2"][1], 5.0)
years = limit_input(years_col, tr("finder.min_years"), "finder_years", finder.MAX_TERM_YEARS, 5.0)
sector = sector_col.selectbox(tr("finder.sector"), [ANY, *SECTORS], key="finder_sector",
                              format_func=lambda s: tr("finder.any_sector") if s == ANY else t.label("sector", s))
utilities_col, place_col = st.columns(2)
with utilities_col.expander(tr("finder.group.utilities"), expanded=st.session_state["finder_open"]["utilities"]):
    power_col, water_col, wastewater_col = st.columns(3)
    power = limit_input(power_col, tr("finder.min_power"), "finder_power", finder.MAX_POWER_MW, 5.0)
    water = limit_input(water_col, tr("finder.min_water"), "finder_water", finder.NUMBER_PARAMS["min_water_m3_day"][1],
                        500.0)
    wastewater = limit_input(wastewater_col, tr("finder.min_wastewater"), "finder_wastewater",
                             finder.NUMBER_PARAMS["min_wastewater_m3_day"][1], 500.0)
with place_col.expander(tr("finder.group.place"), expanded=st.session_state["finder_open"]["place"]):
    port_col, airport_col = st.columns(2)
    expressway_col, ready_col = st.columns(2)
    port_km = limit_input(port_col, tr("finder.max_port_km"), "finder_port", finder.MAX_DISTANCE_KM, 5.0)
    airport_km = limit_input(airport_col, tr("finder.max_airport_km"), "finder_airport", finder.MAX_DISTANCE_KM, 5.0)
    expressway_km = limit_input(expressway_col, tr("finder.max_expressway_km"), "finder_expressway",
                                finder.MAX_DISTANCE_KM, 1.0)
    ready_by = ready_col.date_input(tr("finder.ready_by"), min_value=finder.MIN_READY_BY,
                                    max_value=finder.MAX_READY_BY, format=i18n.date_input_format(lang),
                                    key="finder_ready_by", help=tr("finder.ready_by_help"))

needs = finder.Needs(float(area), None if sector == ANY else sector, port_km, airport_km,
                     ready_by if isinstance(ready_by, date) else None, budget, years, power, water, wastewater,
                     expressway_km)
ranked = _ranked(data.version, astuple(needs), lang, today, overview, data.plots, data.passports, data.connectivity)
sites = _sites(data.version, astuple(needs), lang, today, data.plots, ranked)
results = finder_results(ranked, sites)
names = i18n.names(overview, "park_id", lang)

# --- results: map and the three groups of parks --------------------------------------------------
summary = tr("finder.summary", kept=t.number(len(results.kept), 0), confirm=t.number(len(results.to_confirm), 0),
             dropped=t.number(len(results.dropped), 0), parks=t.number(len(ranked), 0),
             sites=t.number(len(results.sites), 0))
st.markdown(f"**{summary}**")
demo, approx = t.badge("synthetic demo"), t.badge("approximate")
stated = [name for name, value in vars(needs).items() if value is not None]
shown = results.shown
map_col, list_col = st.columns([1.45, 1], gap="medium")
with map_col:
    pagemaps.highlighted(data, overview, ("zones", "parks", "berths", "connectivity"), "stage", shown,
                         {p: str(r) for p, r in zip(shown["park_id"], shown["rank"], strict=True)},
                         key="finder_map", height=620, sites=results.sites)
    st.caption(f"{tr('popup.available')}, {tr('finder.sites_layer')}: {demo} · "
               f"{tr('popup.distance_to_berth')}: {approx}")
    pagekit.not_drawn(shown, names)

with list_col:
    if results.kept.empty:
        st.info(tr("finder.no_fit"))
    st.caption(tr("finder.marks"))
    with st.container(height=600, key="finder_results"):
        for outcome, title, hint, parks in (
                (finder.KEPT, "finder.kept_title", None, results.kept),
                (finder.TO_CONFIRM, "finder.confirm_title", "finder.confirm_hint", results.to_confirm),
                (finder.DROPPED, "finder.dropped_title", "finder.dropped_hint", results.dropped)):
            with st.container(key=f"finder_group_{outcome}"):
                st.markdown(f"##### {tr(title)} ({t.number(len(parks), 0)})")
                if hint and not parks.empty:
                    st.caption(tr(hint))
                if parks.empty:
                    st.caption(tr("finder.group_empty"))
                for _, park in parks.iterrows():
                    with st.container(border=True):
                        st.markdown(f"**{int(park['rank'])}. {md_escape(names[park['park_id']])}**  \n"
                                    f"{t.label('stage', park['stage'])} · {t('finder.col.needs_met')}: "
                                    f"{park['needs_met']}/{park['needs_checked']}")
                        st.markdown("  \n".join(park["reasons"]))
                        if figures_from := finder_sources(data.passports, park["park_id"], stated, lang):
                            st.caption(figures_from)
                        known = pd.notna(park["available_ha"])  # NaN: no plots, no land data
                        st.caption(f"{t.area_ha(park['available_ha'], 1)} · {demo}" if known else i18n.MISSING)

# --- the shortlist: up to MAX_PARKS parks, kept in the link -----------------------------------------
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
st.caption(tr("finder.shortlist_link"))
if shortlist:  # the shortlist's investor pack (built when asked), and a question to HEZA about it
    pack.pack_downloads(data, shortlist, lang, key="finder")
    enquiry.enquiry_form(data, parks=shortlist, key="finder", lang=lang, title=tr("enquiry.form.title_parks"))

# --- sites, how it works -------------------------------------------------------------------------
if not results.sites.empty:
    st.markdown(f"#### {tr('finder.sites_title')}")
    st.dataframe(finder.sites_table(results.sites, names, lang), hide_index=True, width="stretch",
                 key="finder_sites")
with st.expander(tr("finder.how_ranked")):
    st.markdown(tr("finder.how_ranked_text", gap=i18n.fmt_quantity(finder.ADJACENCY_M, "m", lang, 0)))

# --- exports: every park and site with its outcome and reasons, and the link ------------------------
slug = "-".join(f"{k}-{v}" for k, v in finder.needs_to_params(needs).items())
download_cols = st.columns(3)
download_cols[0].download_button(tr("finder.download_csv"), csv_bytes(finder.results_table(ranked, lang)),
                                 file_name=f"heza-land-finder-{slug}.csv", mime="text/csv", key="finder_csv")
download_cols[1].download_button(tr("finder.download_sites_csv"), csv_bytes(finder.sites_table(sites, names, lang)),
                                 file_name=f"heza-land-finder-sites-{slug}.csv", mime="text/csv",
                                 key="finder_sites_csv")
download_cols[2].download_button(tr("finder.download_geojson"),
                                 finder.to_geojson(ranked, sites, needs, lang).encode("utf-8"),
                                 file_name=f"heza-land-finder-{slug}.geojson", mime="application/geo+json",
                                 key="finder_geojson")

link = finder.needs_to_params(needs) | {"lang": lang} | ({"compare": ",".join(shortlist)} if shortlist else {})
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)
