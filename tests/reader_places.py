"""Every place a reader sees a figure's source, a badge or a note, drawn for every record of a dataset.

One walk for the tests that read those places: no figure without a report behind it is badged as a
report (``tests/test_provenance.py``), and no reader sees a report's file name or "GEOREF.md"
(``tests/test_reader_names.py``). A place added here is checked by both.
"""

from __future__ import annotations

from collections.abc import Iterator

from heza_geo import schema
from heza_geo.analysis import cards, charts, compare, investment, joins, panels, port, sources, tables
from heza_geo.export import pdf
from heza_geo.export import tables as export_tables
from heza_geo.io import Dataset
from heza_geo.maps import popups, tour
from heza_geo.maps.build import build_map
from heza_geo.maps.pagemaps import port_map
from heza_geo.maps.plots.pack import pack, plot_labels
from heza_geo.view import LAYER_NAMES, MapLayers, MapView

#: plots drawn in popups and on the main map: enough for every kind of plot, few enough to stay quick
PLOTS = 50


def places(data: Dataset, lang: str) -> Iterator[tuple[str, str]]:
    """(place, text) for every place a reader sees a source, a badge or a note, for every record of
    ``data`` (the first :data:`PLOTS` plots): the map's popups, plot labels and the maps' HTML, the park
    panel, cards and notes, the tour, the occupancy, port and investment pages' tables, charts and
    notes, compare, and the exports' sources, indicator table, PDF park sheets and sources list."""
    overview = joins.parks_overview(data)
    berths = joins.berth_status(data.berths, data.berth_status_history)
    plots = data.plots.head(PLOTS)
    for _, row in overview.iterrows():
        yield f"park popup {row.park_id}", popups.park_popup(row, lang)
        yield f"park panel {row.park_id}", panels.park_facts(row, lang).to_string()
        yield f"park cards {row.park_id}", repr(cards.park_occupancy_cards(row, lang))
        yield f"pdf park sheet {row.park_id}", pdf.park_figures(row, lang).to_string()
        yield f"park notes {row.park_id}", repr(sources.park_notes(data.source_notes, row.park_id, lang))
    for _, row in data.zones.iterrows():
        yield f"zone popup {row.zone_id}", popups.zone_popup(row, lang)
    for _, row in berths.iterrows():
        yield f"berth popup {row.berth_no}", popups.berth_popup(row, lang)
    for _, row in data.housing.iterrows():
        yield f"housing popup {row.housing_id}", popups.housing_popup(row, lang)
    for _, row in data.connectivity.iterrows():
        yield f"connectivity popup {row.feature_id}", popups.connectivity_popup(row, lang)
    for _, row in plots.iterrows():
        yield f"plot popup {row.plot_id}", popups.plot_popup(row, lang, "park")
    yield "plot labels", repr(plot_labels(lang, {}, pack(plots)))
    yield "tour", repr(tour.tour_stops(overview, berths, lang))
    layers = MapLayers(overview, plots, data.zones, berths, data.housing, data.connectivity, None)
    yield "main map", build_map(layers, MapView(lang=lang, layers=LAYER_NAMES)).get_root().render()
    status = port.status_as_of_year(data.berths, data.berth_status_history, 2025)
    near = port.parks_within(overview, status, 10.0)
    yield "port map", port_map(overview, status, data.connectivity, near, port.reach_area(status, 10.0), 10.0,
                               lang).get_root().render()
    yield "occupancy table", tables.occupancy_shown(tables.occupancy_rows(overview, lang), lang).data.to_string()
    yield "occupancy reference lines", repr(list(charts.reference_rules(data.occupancy_history, lang)["text"]))
    yield "occupancy notes", repr(sources.occupancy_notes(data.source_notes, lang))
    yield "city notes", repr(sources.city_notes(data.source_notes, lang))
    yield "port notes", repr(sources.port_note_lines(port.port_notes(data.source_notes), lang))
    for year in (2023, 2024, 2025):
        status = port.status_as_of_year(data.berths, data.berth_status_history, year)
        yield f"berth table {year}", tables.berths_shown(status, lang).data.to_string()
    yield "port timeline", tables.events_table(charts.berth_events(data.berth_status_history, lang), lang).to_string()
    yield "investors table", tables.investors_table(data.investors, data.parks, lang).to_string()
    yield "enterprise table", tables.enterprise_table(data.enterprise, lang).to_string()
    cumulative = investment.cumulative(data.investment)
    for flow in ("fdi", "ddi"):
        bars = charts.cumulative_bars(cumulative, flow, lang)
        yield f"investment {flow} notes", repr(list(bars["note_text"]))
        yield f"investment {flow} sources", sources.sources_line(bars, lang)
        yield f"investment {flow} references", charts.source_refs(bars, lang)
    ids = list(overview["park_id"])
    for start in range(0, len(ids), 4):
        table = compare.comparison_table(overview, data.housing, ids[start:start + 4], lang)
        yield f"compare {ids[start]}…", table.to_string() + compare.provenance_legend(table, lang)
    yield "city cards", repr(cards.city_cards(data, lang))
    frames = {name: getattr(data, name) for name in schema.LAYERS}
    # the store's reference (``source``) is for GIS staff: the CSV and GeoPackage keep it, a reader's table does not
    yield "export sources", export_tables.sources(frames, lang).drop(columns=["source"]).to_string()
    yield "export sources line (PNG footer)", export_tables.sources_line(frames, lang)
    yield "export indicator table", export_tables.indicator_table(overview, lang).to_string()
    yield "pdf sources list", "\n".join(pdf.source_line(row, lang)
                                        for _, row in export_tables.sources(frames, lang).iterrows())
