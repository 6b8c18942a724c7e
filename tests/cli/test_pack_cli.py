"""``python -m heza_geo pack``: writes the investor pack as a PDF or a standalone HTML file; a bad park
id, language or address exits non-zero with exactly one line on stderr naming it and what is allowed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pypdf import PdfReader

from heza_geo import i18n


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "heza_geo", "pack", *args], capture_output=True, text=True,
                          timeout=300)


def test_the_pack_command_writes_a_korean_pdf_naming_the_shortlisted_parks(tiny_dir, tmp_path):
    out = tmp_path / "pack.pdf"
    result = run("--parks", "A,B", "--lang", "ko", "--out", str(out), "--data", str(tiny_dir),
                 "--url", "https://gis.heza.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}")
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Anh Duong IP" in text and "Binh Minh IP" in text and i18n.t("pack.title", "ko") in text


def test_the_format_follows_the_out_suffix_and_html_references_nothing_outside(tiny_dir, tmp_path):
    out = tmp_path / "pack.html"
    result = run("--parks", "B", "--lang", "vi", "--out", str(out), "--data", str(tiny_dir))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Binh Minh IP" in page and i18n.t("pack.title", "vi") in page
    assert "src=\"http" not in page and "href=\"http" not in page


@pytest.mark.parametrize(("args", "line"), [
    (("--parks", "A,nope", "--lang", "ko"), "pack: unknown park id 'nope' (allowed: A, B, C)"),
    (("--parks", "A", "--lang", "xx"), "pack: unknown language 'xx' (allowed: vi, en, ko, ja, zh)"),
    (("--parks", "A", "--lang", "ko", "--format", "docx"), "pack: unknown format 'docx' (allowed: pdf, html)"),
])
def test_a_bad_argument_exits_non_zero_with_one_line_naming_the_allowed_values(tiny_dir, tmp_path, args, line):
    out = tmp_path / "pack.pdf"
    result = run(*args, "--out", str(out), "--data", str(tiny_dir))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert not out.exists()


def test_a_loopback_address_is_refused_for_the_qr_codes(tiny_dir, tmp_path):
    result = run("--parks", "A", "--lang", "en", "--out", str(tmp_path / "p.pdf"), "--data", str(tiny_dir),
                 "--url", "http://127.0.0.1:8501")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
