"""Data text stays text: the Markdown escape every page uses, and the spreadsheet cell rule every
CSV/XLSX writer uses (heza_geo.text)."""

from __future__ import annotations

import doctest
import re

import pandas as pd
import pytest

from heza_geo import text
from heza_geo.text import csv_bytes, md_escape, md_format, sheet_cell, sheet_safe

EVIL = "[click](http://evil.example/x) ![i](http://evil.example/i.png) <img src=x>"
ATTACKS = ("=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def text_node(markdown: str) -> str:
    """The text a CommonMark parser reads from ``markdown``: a backslash-escaped punctuation
    character is the character itself (GFM looks for bare addresses in this text)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def unescape(markdown: str) -> str:
    """What a reader sees: the text node, without the invisible word joiner."""
    return text_node(markdown).replace(text.WORD_JOINER, "")


def live_markup(markdown: str) -> list[str]:
    """What a Markdown renderer would turn into a link, an image or HTML: unescaped link, image
    or tag syntax, and bare addresses (http://…, www.…, a@b.c) GFM autolinks in the text."""
    syntax = re.sub(r"\\[!-/:-@\[-`{-~]", "", markdown)  # escaped punctuation is text
    return (re.findall(r"\]\(|!\[|<[a-z/!]", syntax, flags=re.IGNORECASE)
            + re.findall(r"[a-z][a-z0-9+.-]*://|www\.|[\w.+-]@[\w-]+\.\w", text_node(markdown), flags=re.IGNORECASE))


def test_the_module_examples_hold():
    assert doctest.testmod(text).failed == 0


def test_markdown_escape_leaves_no_link_image_or_html_and_shows_every_character():
    escaped = md_escape(EVIL)
    assert live_markup(EVIL) and not live_markup(escaped)
    assert unescape(escaped) == EVIL


@pytest.mark.parametrize("value", [
    "# heading", "- item", "1. item", "> quote", "**bold** _it_ ~~s~~", "`code`", "a | b", ":red[x] :material/home:",
    "$x^2$", "www.evil.example", "mail@evil.example", "<script>alert(1)</script>", "&lt;b&gt;", "a\\[b\\]",
])
def test_markdown_escape_keeps_any_syntax_as_its_characters(value):
    escaped = md_escape(value)
    assert unescape(escaped) == value
    assert not live_markup(escaped)
    assert not re.search(r"(?<!\\)[#>*_~`|:$\[\]<&-]", escaped.replace("\\\\", ""))


@pytest.mark.parametrize("address", ["http://evil.example/x", "HTTPS://EVIL.EXAMPLE", "ftp://evil.example",
                                     "www.evil.example", "WWW.evil.example", "mail@evil.example", "(www.evil.example)"])
def test_a_bare_address_is_not_autolinked(address):
    """GFM links bare addresses found in the text, after escapes are read: a word joiner breaks them."""
    assert live_markup(address)
    assert not live_markup(md_escape(address)) and unescape(md_escape(address)) == address


def test_markdown_escape_keeps_names_as_they_are_written():
    assert md_escape("KCN Đình Vũ – Cát Hải 2") == "KCN Đình Vũ – Cát Hải 2"
    assert md_escape(None) == "" and md_escape(float("nan")) == ""
    assert md_escape("two\nlines\r\nhere") == "two lines here"  # a line break cannot start a block


def test_markdown_format_escapes_the_values_not_the_template():
    line = md_format("**{rank}. {name}**  \n{stage}", rank=1, name=EVIL, stage="Site clearance")
    assert line.startswith("**1. \\[click\\]") and line.endswith("**  \nSite clearance")
    assert not live_markup(line) and EVIL in unescape(line)
    assert md_format("{missing} stays", other=1) == "{missing} stays"  # like i18n.t: logged, never raises


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_text_cell_that_starts_a_formula_gets_a_quote(attack):
    assert sheet_cell(attack) == "'" + attack


@pytest.mark.parametrize("value", ["KCN Đình Vũ", "", "a=b", " =1", "'quoted", 12, -2.5, None])
def test_other_cells_are_kept(value):
    assert sheet_cell(value) == value


def test_a_table_keeps_numbers_numeric_and_quotes_text_headers_and_index():
    frame = pd.DataFrame({"name": list(ATTACKS), "delta": [-1.5, -2.0, 3.0, -4.0, 5.0, -6.0],
                          "=HYPERLINK(\"http://evil.example\")": range(6)},
                         index=pd.Index(["-x", "a", "b", "c", "d", "e"], name="@idx"))
    safe = sheet_safe(frame)
    assert safe["name"].tolist() == ["'" + a for a in ATTACKS]
    assert safe["delta"].dtype == "float64" and safe["delta"].tolist() == frame["delta"].tolist()
    assert list(safe.columns) == ["name", "delta", "'=HYPERLINK(\"http://evil.example\")"]
    assert safe.index[0] == "'-x" and safe.index.name == "'@idx"
    assert frame["name"].tolist() == list(ATTACKS)  # the caller's frame is untouched


def test_csv_bytes_are_utf8_with_a_byte_order_mark_and_quoted_formulas():
    payload = csv_bytes(pd.DataFrame({"tenant": ["=1+1", "Công ty"], "n": [-1, 2]}))
    assert payload.startswith(b"\xef\xbb\xbf")
    assert payload.decode("utf-8-sig").splitlines() == ["tenant,n", "'=1+1,-1", "Công ty,2"]
