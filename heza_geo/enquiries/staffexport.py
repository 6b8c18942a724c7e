"""The staff's copy of the inbox: CSV and XLSX, for staff only, safe to open in a spreadsheet.

What visitors typed is data: a company named ``=HYPERLINK("http://evil.example","click")`` must stay
those characters in Excel and LibreOffice. Both files go through :mod:`heza_geo.text`'s only CSV and
XLSX writers (OWASP's rule: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading quote; every XLSX text cell is a string, never a formula); the CSV is UTF-8
with a byte-order mark, so Excel reads Vietnamese, Korean, Japanese and Chinese names right.

The caller checks the role (``heza_geo.store.auth.can(role, "read_confidential")``): this module
writes whatever enquiries it is given. Headers and values (status, sector, timeframe) are in the
staff member's language; the session and address hashes are never exported.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd

from heza_geo import i18n
from heza_geo.enquiries.model import Enquiry
from heza_geo.text import csv_bytes, write_sheet

#: the columns of the export, in order (each headed ``enquiry.field.<name>``)
COLUMNS: tuple[str, ...] = ("submitted_at", "status", "assignee", "parks", "plots", "name", "company", "country",
                            "email", "phone", "language", "sector", "land_ha", "timeframe", "message", "notes",
                            "consent_notice", "uuid")


def inbox_frame(enquiries: Sequence[Enquiry], lang: str) -> pd.DataFrame:
    """The enquiries as a table in ``lang``: one row each, internal notes joined by blank lines."""
    rows = []
    for e in enquiries:
        rows.append({
            "submitted_at": e.submitted_at.strftime("%Y-%m-%d %H:%M UTC"),
            "status": i18n.t(f"enquiry.status.{e.status}", lang),
            "assignee": e.assignee,
            "parks": ", ".join(e.parks),
            "plots": ", ".join(e.plots),
            "name": e.name,
            "company": e.company,
            "country": e.country,
            "email": e.email,
            "phone": e.phone,
            "language": e.language,
            "sector": i18n.label("sector", e.sector, lang) if e.sector else "",
            "land_ha": e.land_ha,
            "timeframe": i18n.t(f"enquiry.timeframe.{e.timeframe}", lang) if e.timeframe else "",
            "message": e.message,
            "notes": "\n\n".join(f"{n.at:%Y-%m-%d %H:%M} {n.author}: {n.value}" for n in e.notes),
            "consent_notice": e.consent_notice,
            "uuid": e.uuid,
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["land_ha"] = pd.to_numeric(frame["land_ha"])
    return frame.rename(columns={c: i18n.t(f"enquiry.field.{c}", lang) for c in COLUMNS})


def to_csv(enquiries: Sequence[Enquiry], lang: str) -> bytes:
    """The inbox as CSV: UTF-8 with BOM, formulas neutralised."""
    return csv_bytes(inbox_frame(enquiries, lang))


def to_xlsx(enquiries: Sequence[Enquiry], lang: str) -> bytes:
    """The inbox as an XLSX workbook of one sheet: every text cell a string, formulas neutralised."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        sheet = write_sheet(writer, inbox_frame(enquiries, lang), i18n.t("enquiry.export.sheet", lang))
        sheet.freeze_panes = "A2"
    return out.getvalue()
