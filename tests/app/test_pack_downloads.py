"""The investor pack's two downloads on compare and under the land finder's shortlist (issue 17 §4), in
the reader's language, built only when clicked: a page run with a shortlist builds no pack."""

from __future__ import annotations

from unittest import mock

from appkit import open_page, park_ids

from heza_geo import i18n


def download_labels(at) -> list[str]:  # type: ignore[no-untyped-def]  # an AppTest
    return [element.proto.label for element in at.get("download_button")]


def test_compare_offers_the_pack_as_pdf_and_html_in_korean_without_building_it():
    first, second = park_ids()[:2]
    with mock.patch("heza_geo.export.pack.pack_pdf") as pdf, mock.patch("heza_geo.export.pack.pack_html") as html:
        at = open_page("compare", compare=f"{first},{second}", lang="ko")
    assert not at.exception, [e.message for e in at.exception]
    labels = download_labels(at)
    assert i18n.t("pack.download_pdf", "ko") in labels and i18n.t("pack.download_html", "ko") in labels
    assert not pdf.called and not html.called  # built on click only


def test_the_land_finder_offers_the_pack_only_with_a_shortlist():
    first, second = park_ids()[:2]
    at = open_page("land_finder", lang="vi")
    assert i18n.t("pack.download_pdf", "vi") not in download_labels(at)
    at = open_page("land_finder", lang="vi", compare=f"{first},{second}")
    assert not at.exception, [e.message for e in at.exception]
    labels = download_labels(at)
    assert i18n.t("pack.download_pdf", "vi") in labels and i18n.t("pack.download_html", "vi") in labels


def test_a_built_pack_is_kept_for_the_same_dataset_parks_language_and_day(tiny_data):
    from datetime import date

    from heza_geo.ui import pack

    pack._cache.clear()
    with mock.patch("heza_geo.export.pack.pack_pdf", return_value=b"%PDF-1") as build:
        first = pack.cached_pack(tiny_data, ("A", "B"), "ko", "pdf", None, date(2026, 11, 30))
        again = pack.cached_pack(tiny_data, ("A", "B"), "ko", "pdf", None, date(2026, 11, 30))
        other = pack.cached_pack(tiny_data, ("A", "B"), "vi", "pdf", None, date(2026, 11, 30))
    assert first == again == other == b"%PDF-1" and build.call_count == 2
