"""The investor pack (issue 17 §4) on the tiny dataset: the PDF names the shortlisted parks in the
investor's language with fonts embedded, its QR code opens the park's live view, a figure not published
says so; the HTML is the same content in one file that references nothing outside itself, with every
text escaped."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from heza_geo import i18n
from heza_geo.errors import ExportError
from heza_geo.export.pack import check_request, pack_content, pack_html, pack_pdf, public_base, qr_matrix

TODAY = date(2026, 11, 30)
BASE = "https://gis.heza.example"
PDFTOPPM, ZBARIMG = shutil.which("pdftoppm"), shutil.which("zbarimg")


def pdf_text(payload: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(payload)).pages]


@pytest.fixture(scope="module")
def ko_pdf(tiny_shared) -> bytes:
    return pack_pdf(tiny_shared, ["A", "B"], "ko", today=TODAY, base_url=BASE)


def test_the_pdf_names_each_shortlisted_park_on_its_own_page_in_korean(ko_pdf):
    pages = pdf_text(ko_pdf)
    assert i18n.t("pack.title", "ko") in pages[0]
    assert "Anh Duong IP" in pages[0] and "Binh Minh IP" in pages[0]  # the cover lists the shortlist
    starts = [n for n, text in enumerate(pages) if text.startswith(("Anh Duong IP", "Binh Minh IP"))]
    assert len(starts) == 2 and starts[0] == 1
    text = " ".join(pages)
    for key in ("pack.section.distances", "pack.section.availability", "passport.group.contacts",
                "pack.section.sources", "pack.live_view"):
        assert i18n.t(key, "ko") in text, key
    assert "New Cat Hai IP" not in text  # C is not in the shortlist


def test_every_font_of_the_pdf_is_embedded_and_none_is_a_type3_box(ko_pdf):
    reader = PdfReader(BytesIO(ko_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts and any("CJK" in str(name) for name in fonts)  # Korean drawn in a CJK font, not boxes
    for name, font in fonts.items():
        assert font["/Subtype"] != "/Type3", name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name


def test_a_figure_not_published_reads_so_and_never_zero(ko_pdf):
    text = " ".join(pdf_text(ko_pdf))
    # B publishes no power: "not published — ask HEZA", not "0 MW"
    assert i18n.t("passport.not_published", "ko") in text
    assert "0 MW" not in text.replace("20 MW", "")
    # every demo figure says it is one
    assert i18n.t("badge.synthetic_demo", "ko") in text


def test_each_parks_page_carries_its_live_view_link(ko_pdf):
    text = " ".join(pdf_text(ko_pdf))
    assert f"{BASE}/?lang=ko&selected=A" in text and f"{BASE}/?lang=ko&selected=B" in text


@pytest.mark.skipif(not (PDFTOPPM and ZBARIMG),
                    reason="pdftoppm and zbarimg (poppler-utils, zbar-tools) decode the QR code from the page")
def test_the_qr_code_on_a_parks_page_decodes_to_its_live_view(ko_pdf, tmp_path):
    (tmp_path / "pack.pdf").write_bytes(ko_pdf)
    subprocess.run([str(PDFTOPPM), "-r", "150", "-f", "2", "-l", "2", "-png", str(tmp_path / "pack.pdf"),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    found = subprocess.run([str(ZBARIMG), "--raw", "-q", str(image)], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == f"{BASE}/?lang=ko&selected=A"


def test_the_qr_matrix_is_a_square_of_modules_with_a_margin():
    matrix = qr_matrix(f"{BASE}/?lang=ko&selected=A")
    assert matrix.shape[0] == matrix.shape[1] >= 25
    assert not matrix[0].any() and not matrix[:, 0].any()  # the quiet margin
    assert matrix[2, 2:9].all()  # the top-left finder pattern's top edge


def test_without_a_public_address_the_pack_has_no_qr_and_says_to_ask_heza(tiny_data):
    content = pack_content(tiny_data, ["A"], "vi", TODAY, None)
    assert content.parks[0].url is None
    text = " ".join(pdf_text(pack_pdf(tiny_data, ["A"], "vi", today=TODAY)))
    assert i18n.t("pack.no_url", "vi") in text and "http" not in text


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501", "http://localhost:8501/", "ftp://gis.example", "gis"])
def test_a_loopback_or_unusable_address_is_refused_for_the_qr(url):
    with pytest.raises(ExportError):
        public_base(url)


def test_a_bad_park_or_language_is_refused_naming_the_allowed_values(tiny_data):
    with pytest.raises(ExportError, match=r"unknown park id 'Q' \(allowed: A, B, C\)"):
        check_request(tiny_data, ["A", "Q"], "ko")
    with pytest.raises(ExportError, match=r"unknown language 'xx' \(allowed: vi, en, ko, ja, zh\)"):
        check_request(tiny_data, ["A"], "xx")
    with pytest.raises(ExportError, match="1 to 5"):
        check_request(tiny_data, [], "ko")
    assert check_request(tiny_data, ["B", "A", "B"], "ko") == ("B", "A")


def test_distances_are_the_finders_approximate_straight_lines(tiny_data):
    park = pack_content(tiny_data, ["A", "C"], "en", TODAY, BASE).parks
    a, c = park
    values = {line.label: (line.value, line.note) for line in a.distances}
    assert values[i18n.t("popup.distance_to_berth", "en")][0] == "5.0 km"  # on paper: berth 1 is 5 km east
    assert values[i18n.t("popup.distance_to_airport", "en")][0] == "2.0 km"
    assert i18n.t("badge.approximate", "en") in values[i18n.t("popup.distance_to_airport", "en")][1]
    # the tiny dataset has no expressway: not published, no badge
    assert values[i18n.t("pack.distance.expressway", "en")] == (i18n.t("passport.not_published", "en"), "")
    # C has no plots: its land is not published, never 0 ha
    assert {line.value for line in c.availability} == {i18n.t("passport.not_published", "en")}


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [(tag, name, value or "") for name, value in attrs if name in ("src", "href", "xlink:href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_opens_offline_and_holds_each_park_in_korean(tiny_data):
    page = pack_html(tiny_data, ["A", "B"], "ko", today=TODAY, base_url=BASE)
    parser = _Refs()
    parser.feed(page)
    parser.close()
    assert parser.refs, "the cover map is an image"
    for tag, name, value in parser.refs:  # nothing is fetched from anywhere: data URIs only
        assert value.startswith("data:"), (tag, name, value[:60])
    assert not re.search(r"url\(\s*['\"]?https?:", page) and "@import" not in page
    text = " ".join(parser.text)
    for needed in ("Anh Duong IP", "Binh Minh IP", i18n.t("pack.title", "ko"), i18n.t("passport.not_published", "ko"),
                   f"{BASE}/?lang=ko&amp;selected=A".replace("&amp;", "&")):
        assert needed in text, needed
    assert page.count("<svg") == 2  # a QR code per park, inline


def test_a_park_name_in_the_html_is_text_never_markup(tiny_data):
    parks = tiny_data.parks.copy()
    parks.loc[parks["park_id"] == "A", "name_en"] = "<b>Bold</b> & co"
    data = replace(tiny_data, parks=parks)
    page = pack_html(data, ["A"], "en", today=TODAY, base_url=BASE)
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page


def test_the_html_writes_the_same_file_it_returns(tiny_data, tmp_path: Path):
    out = tmp_path / "pack.html"
    page = pack_html(tiny_data, ["B"], "vi", out, today=TODAY)
    assert out.read_text(encoding="utf-8") == page
