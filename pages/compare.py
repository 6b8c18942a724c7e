"""Compare parks side by side: figures with their provenance (the parks' passports too: price, term,
power, water, readiness, incentives, contacts), a map, CSV and Excel exports.

Any park can be compared, one with no position too: its distances and housing nearby are "—", and
the caption under the map says it is not drawn.
"""

from __future__ import annotations

from datetime import date
from string import ascii_uppercase

import streamlit as st

from heza_geo import i18n
from heza_geo.analysis.compare import (
    HOUSING_RADIUS_KM,
    MAX_PARKS,
    MIN_PARKS,
    comparison_data,
    comparison_table,
    data_sheet,
    display_table,
    map_key,
    parse_park_ids,
    provenance_legend,
    to_csv,
    to_xlsx,
)
from heza_geo.analysis.passport import passport
from heza_geo.text import md_format
from heza_geo.ui import common, enquiry, pack, pagekit, pagemaps
from heza_geo.ui.common import tr

loaded = common.dataset()
common.show_load_problems(loaded)
data = loaded.data
common.view_state()
lang = common.lang()
t = i18n.translator(lang)

st.markdown(f"### {tr('page.compare')}")
pagemaps.assets_notice()

overview = common.overview(data.version, None, data)
names = i18n.names(overview, "park_id", lang)

# The link's ``compare=`` wins on arrival; otherwise the land finder's shortlist (session).
if "compare_pick" not in st.session_state:
    raw = st.query_params.get("compare")
    picked, problems = parse_park_ids(raw, names) if raw else (tuple(st.session_state.get("compare_parks", [])), ())
    st.session_state["compare_pick"] = [p for p in picked if p in names][:MAX_PARKS]
    for bad in problems:  # values from a link are data: shown as text
        st.warning(md_format(tr("msg.link_param_ignored"), name=bad.name, value=bad.value, allowed=bad.allowed,
                             default=bad.default or i18n.MISSING))

order = sorted(names, key=lambda p: names[p])
chosen = common.capped_multiselect(tr("compare.pick"), order, "compare_pick", MAX_PARKS, lambda p: names.get(p, p),
                                   tr("compare.placeholder"))
st.session_state["compare_parks"] = list(chosen)
link = {"lang": lang} | ({"compare": ",".join(chosen)} if chosen else {})
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)

if len(chosen) < MIN_PARKS:
    st.info(tr("compare.need_two"))
    st.stop()

today = date.today()
investors = {p: passport(data, p, lang, today) for p in chosen}  # price, term, power, water… with their dates
table = comparison_table(overview, data.housing, chosen, lang, passports=investors)
with st.container(key="compare_table"):
    st.table(display_table(table))  # st.table renders Markdown: names and sources escaped
st.caption(provenance_legend(table, lang))
st.caption(tr("compare.housing_note", km=i18n.fmt_km(HOUSING_RADIUS_KM, lang, None)))

slug = "-".join(chosen)
sheets = {tr("compare.sheet_table"): table,
          tr("compare.sheet_data"): data_sheet(comparison_data(overview, data.housing, chosen), lang, data.passports,
                                               today)}
csv_col, xlsx_col, _ = st.columns([1, 1, 2])
csv_col.download_button(tr("compare.download_csv"), to_csv(table), file_name=f"heza-compare-{slug}.csv",
                        mime="text/csv", key="compare_csv")
xlsx_col.download_button(tr("compare.download_xlsx"), to_xlsx(sheets), file_name=f"heza-compare-{slug}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="compare_xlsx")
pack.pack_downloads(data, chosen, lang, key="compare")  # the investor pack of the compared parks

labels = {p: ascii_uppercase[i] for i, p in enumerate(chosen)}  # A, B, … one letter per park on the map
highlighted = overview.set_index("park_id").loc[chosen].reset_index()
st.caption(map_key(labels, names))
pagekit.not_drawn(highlighted, names)
pagemaps.highlighted(data, overview, ("parks", "berths", "housing", "connectivity"), "occupancy", highlighted, labels,
                     key="compare_map", height=520)

enquiry.enquiry_form(data, parks=chosen, key="compare", lang=lang, title=tr("enquiry.form.title_parks"))
