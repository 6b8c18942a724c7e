"""Presentation mode: the tour's stops (the overview first), their figures in the tour's language,
the shareable link and its QR code, the legend and place labels, and a tour map that needs no network.

Tiny dataset (conftest.py): established parks B (x 647-648 km) and A (x 650-651 km), planned C;
berths 1 (operating since 2018, report 001) and 2 (operating since 5 Apr 2025, news), 375 m each.
"""

from __future__ import annotations

import base64
import json

import geopandas as gpd
import pytest
from shapely.geometry import Point

from heza_geo import i18n
from heza_geo.analysis.cards import city_cards
from heza_geo.analysis.joins import berth_status, parks_overview
from heza_geo.maps import assets
from heza_geo.maps.tour import (
    DEFAULT_SECONDS,
    OVERVIEW,
    Tour,
    place_labels,
    presentation_map,
    presentation_url,
    qr_data_uri,
    qr_svg,
    seconds_from_params,
    stop_links,
    tour_legend,
    tour_stops,
)
from heza_geo.schema import METRIC_CRS, WGS84
from heza_geo.view import HAI_PHONG_CENTER

X0, Y0 = 650_000, 2_300_000  # the tiny dataset's origin (conftest.py), in UTM 48N metres


@pytest.fixture(scope="module")
def frames(tiny_shared):
    return parks_overview(tiny_shared), berth_status(tiny_shared.berths, tiny_shared.berth_status_history)


def test_tour_opens_on_the_city_then_visits_established_parks_west_to_east_then_the_port(frames):
    stops = tour_stops(*frames, "en")
    assert [s.key for s in stops] == [OVERVIEW, "B", "A", "port"]


def test_the_overview_shows_the_citys_parks_zones_and_figures_with_their_sources(tiny_shared, frames):
    """What the audience sees first: every park counted (the planned C too), how many the map
    draws, the declared area with its badge, the city card the page passes, each zone's area."""
    overview, berths = frames
    city = city_cards(tiny_shared, "en")[:1]
    stop = tour_stops(overview, berths, "en", tiny_shared.connectivity, tiny_shared.zones, city)[0]
    assert (stop.key, stop.park_id, stop.geometry) == (OVERVIEW, None, None)  # its QR code: no park selected
    assert stop.title == "Hai Phong: industrial parks and economic zones"
    assert stop.subtitle == "The 2 parks on the map, from west to east, then the port"
    assert stop.figures[0] == ("Industrial parks", "3", "2 established, 1 planned · 3 on the map")
    assert stop.figures[1] == ("Total area", "150 ha",
                               "declared area of the parks shown · Approximate – not a published figure")
    assert stop.figures[2] == (city[0].title, city[0].value,
                               " · ".join(p for p in (city[0].note, city[0].report) if p))
    assert stop.figures[3] == ("Test EZ", "5,000 ha", "Established · Approximate – not a published figure")
    (south, west), (north, east) = stop.bounds  # the whole zone, the parks and the berths are framed
    zx0, zy0, zx1, zy1 = tiny_shared.zones.to_crs(WGS84).total_bounds
    eps = 1e-5  # bounds are rounded to 6 decimals
    assert south <= zy0 + eps and west <= zx0 + eps and north >= zy1 - eps and east >= zx1 - eps
    assert stop_links([stop], "http://10.0.0.5:8501", "en") == ["http://10.0.0.5:8501/?lang=en"]


def test_the_overview_speaks_the_tours_language(tiny_shared, frames):
    stop = tour_stops(*frames, "ja", zones=tiny_shared.zones)[0]
    assert stop.title == "ハイフォン：工業団地と経済区"
    assert stop.figures[0][0] == i18n.t("card.parks", "ja") and "うち地図上に3か所" in stop.figures[0][2]


def test_no_placed_park_means_no_overview(frames):
    overview, berths = frames
    assert [s.key for s in tour_stops(overview.iloc[0:0], berths, "en")] == ["port"]


def test_place_labels_come_from_the_data_in_the_tours_language(tiny_shared, frames):
    """The city at the app's centre of Hải Phòng, the airport by its data name, every placed park
    (short names in English); no port here (the test data has no port feature near the berths)."""
    overview, berths = frames
    labels = place_labels(overview, berths, tiny_shared.connectivity, "vi")
    assert [(label.kind, label.text) for label in labels] == [
        ("city", "Hải Phòng"), ("airport", "Sân bay"),
        ("park", "KCN Ánh Dương"), ("park", "KCN Bình Minh"), ("park", "KCN Cát Hải Mới")]
    assert (labels[0].lat, labels[0].lon) == HAI_PHONG_CENTER
    airport = tiny_shared.connectivity.geometry.iloc[0]
    assert (labels[1].lat, labels[1].lon) == (pytest.approx(airport.y, abs=1e-5), pytest.approx(airport.x, abs=1e-5))
    park_a = overview[overview["park_id"] == "A"].geometry.iloc[0]
    assert park_a.contains(Point(labels[2].lon, labels[2].lat)) and labels[2].key == "A"
    assert place_labels(overview, berths, None, "ja")[0].text == "ハイフォン"


def test_the_legend_lists_the_stages_drawn_and_the_zones_in_the_tours_language(tiny_shared, frames):
    overview, _ = frames
    title, entries = tour_legend(overview, tiny_shared.zones, "ko")
    assert title == i18n.t("legend.stage", "ko")
    assert [text for _, text, _ in entries] == [i18n.label("stage", s, "ko") for s in
                                                ("full", "site_clearance", "planned")] + [i18n.t("layer.zones", "ko")]


def test_park_stop_shows_key_figures_with_as_of_and_badges_in_english(frames):
    stop = tour_stops(*frames, "en")[1]
    assert stop.title == "Binh Minh IP"
    assert stop.subtitle == "KCN Bình Minh · Site clearance"
    assert stop.figures == (
        ("Area", "20 ha", "Approximate – not a published figure"),
        ("Occupancy", "25.0%", "as of 14 Oct 2023 · Synthetic demo data – not an official figure"),
        ("Available", "15.0 ha", "Synthetic demo data – not an official figure"),
        ("Distance to nearest berth", "8.0 km", ""),
        ("Distance to airport", "5.0 km", ""),
    )


def test_park_stop_in_vietnamese_uses_vietnamese_names_and_formats(frames):
    stop = tour_stops(*frames, "vi")[2]
    assert stop.title == "KCN Ánh Dương"
    labels = {label: (value, note) for label, value, note in stop.figures}
    assert labels["Tỷ lệ lấp đầy"] == (
        "71,4%", "tính đến 14/10/2023 · Số liệu chính thức – báo cáo của Ban Quản lý KKT Hải Phòng")
    assert labels["Khoảng cách đến bến cảng gần nhất"][0] == "5,0 km"


def test_port_stop_counts_berths_by_status_with_their_sources(frames):
    port = tour_stops(*frames, "en")[-1]
    assert port.title == "Berths"  # no port feature in the data to name it
    assert port.figures[0] == ("Operating", "2 / 2", "as of 5 Apr 2025 · Official figure – HEZA report · Public news")
    assert port.figures[-1][:2] == ("Quay length", "750 m")


def test_port_stop_takes_its_name_from_the_port_feature_near_the_berths(frames):
    port = gpd.GeoDataFrame(
        {"feature_id": ["lh"], "kind": ["port"], "name_vi": ["Cảng Lạch Huyện"], "name_en": ["Lach Huyen Port"],
         "note": [None], "source_kind": ["approximate"], "source": ["placed by hand"],
         "geometry_quality": ["approximate"]},
        geometry=gpd.GeoSeries([Point(X0 + 7000, Y0 + 500)], crs=METRIC_CRS).to_crs(WGS84).values, crs=WGS84,
    )
    stop = tour_stops(*frames, "vi", connectivity=port)[-1]
    assert (stop.title, stop.subtitle) == ("Cảng Lạch Huyện", "Lach Huyen Port")


def test_stop_bounds_frame_the_park(frames):
    overview, _ = frames
    stop = tour_stops(*frames, "en")[2]
    minx, miny, maxx, maxy = overview[overview["park_id"] == "A"].total_bounds
    assert stop.bounds == ((pytest.approx(miny), pytest.approx(minx)), (pytest.approx(maxy), pytest.approx(maxx)))


def test_no_berths_means_no_port_stop(frames):
    overview, berths = frames
    assert [s.key for s in tour_stops(overview, berths.iloc[0:0], "en")] == [OVERVIEW, "B", "A"]


# --- link and QR code --------------------------------------------------------------------------
def test_qr_code_encodes_the_presentation_link_in_the_tour_language():
    url = presentation_url("http://gis.heza.gov.vn/", "ko", 8)
    assert url == "http://gis.heza.gov.vn/presentation?lang=ko&seconds=8"
    svg = qr_svg(url)
    assert svg.lstrip().startswith("<svg") and "<path" in svg
    uri = qr_data_uri(url)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg


def test_each_stops_qr_code_opens_the_map_on_a_phone_at_that_stops_park(frames):
    overview, berths = frames
    stops = tour_stops(overview, berths, "ja")
    links = stop_links(stops, "http://192.168.1.20:8501", "ja")
    assert links == ["http://192.168.1.20:8501/?lang=ja",  # the overview's: the map, no park selected
                     "http://192.168.1.20:8501/?lang=ja&selected=B", "http://192.168.1.20:8501/?lang=ja&selected=A",
                     "http://192.168.1.20:8501/?lang=ja"]  # the port's: the map
    assert stop_links(stops, None, "ja") == []  # no address a phone can open: no QR code
    tour = Tour(stops, 0, links, "ja")
    assert tour.options["links"] == links
    qrs = tour.options["qrs"]
    assert set(qrs) == set(links)
    assert all(base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == qr_svg(link) for link, uri in qrs.items())


@pytest.mark.parametrize(
    "params, seconds, bad",
    [({}, DEFAULT_SECONDS, False), ({"seconds": "0"}, 0, False), ({"seconds": "30"}, 30, False),
     ({"seconds": "fast"}, DEFAULT_SECONDS, True), ({"seconds": "-2"}, DEFAULT_SECONDS, True),
     ({"seconds": "9999"}, DEFAULT_SECONDS, True)],
)
def test_seconds_per_stop_from_the_link(params, seconds, bad):
    value, problem = seconds_from_params(params)
    assert value == seconds and (problem is not None) == bad


# --- the map -----------------------------------------------------------------------------------
def test_tour_map_works_offline_and_carries_the_stops(frames):
    overview, berths = frames
    stops = tour_stops(overview, berths, "en")
    m = presentation_map(overview, berths, None, stops, "en", 0, stop_links(stops, "http://10.0.0.5:8501", "en"))
    assets.localize(m)
    assert assets.external_links(m) == []
    html = m.get_root().render()
    assert "tile.openstreetmap" not in html and "flyToBounds" in html
    tour = next(c for c in m._children.values() if isinstance(c, Tour))
    assert [s["key"] for s in tour.stops] == [OVERVIEW, "B", "A", "port"]
    assert tour.options["seconds"] == 0 and tour.options["links"][1] == "http://10.0.0.5:8501/?lang=en&selected=B"
    assert json.dumps(tour.stops[0]["title"]) in html


def test_the_tour_map_carries_its_buttons_legend_and_labels_in_the_tours_language(tiny_shared, frames):
    overview, berths = frames
    stops = tour_stops(overview, berths, "zh")
    m = presentation_map(overview, berths, None, stops, "zh", 0, [], tiny_shared.zones, tiny_shared.connectivity)
    tour = next(c for c in m._children.values() if isinstance(c, Tour))
    assert tour.options["words"] == {"next": "下一站", "back": "上一站", "next_stop": i18n.t("tour.next_stop", "zh"),
                                     "previous_stop": i18n.t("tour.previous_stop", "zh")}
    assert tour.options["labels"][0]["text"] == "海防"
    assert tour.options["legend"]["title"] == i18n.t("legend.stage", "zh")
    assert "heza-zone" in m.get_root().render()  # the zones are drawn


# --- provenance: the badge is the kind's ------------------------------------------------------------
APPROX_002 = "share of the 6,100 ha total (002_03c113ee68876e37.txt) not covered by published per-park figures"


def test_an_approximate_area_citing_a_report_is_not_shown_as_official(tmp_path):
    """Park A's area worked out from 002's total is an approximation: the tour card says so."""
    from heza_geo.io import load_dataset
    from tests.conftest import tiny_frames, write_dataset

    frames = tiny_frames()
    frames["parks"].loc[0, ["area_source_kind", "area_source"]] = ["approximate", APPROX_002]
    data = load_dataset(write_dataset(tmp_path / "data", frames))
    berths = berth_status(data.berths, data.berth_status_history)
    for lang, official in (("en", "Official figure"), ("vi", "Số liệu chính thức")):
        stop = next(s for s in tour_stops(parks_overview(data), berths, lang) if s.key == "A")
        area_note = stop.figures[0][2]
        assert official not in area_note
        assert area_note == {"en": "Approximate – not a published figure",
                             "vi": "Gần đúng – không phải số liệu công bố"}[lang]
        assert official in stop.figures[1][2]  # the occupancy figure is 001's


def test_the_port_stop_dates_a_status_no_more_precisely_than_known(frames):
    """Before berth 2 opened, the latest operating record is berth 1's "2018" (precision year)."""
    overview, berths = frames
    only_first = berths[berths["berth_no"] == 1]
    port = tour_stops(overview, only_first, "en")[-1]
    assert port.figures[0] == ("Operating", "1 / 1", "as of 2018 · Official figure – HEZA report")
