"""A paragraph of 160,000 characters (a whole document pasted without line breaks) is
printed whole, in time proportional to its length (reportlab's own wrapping re-wrapped the
rest of a paragraph at every page break: 154 s; the PDF's own line breaker takes ~2 s)."""
from __future__ import annotations

import re

from app import exchange
from app.pdf import export_pdf
from conftest import ZUNHUADIAN_JSON
from pdf_helpers import pdfinfo, pdftotext, squash

SENTENCE = "我镇坚持以公开为常态、不公开为例外原则，全面落实信息公开条例。"


def test_a_160000_character_paragraph_is_printed_whole(tmp_path):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    numbered = "".join(f"第{n}句{SENTENCE}" for n in range(1, 4401))
    assert len(numbered) > 160_000
    report.texts["overview"] = numbered
    out = tmp_path / "long.pdf"
    export_pdf(report, out, draft=True)
    text = re.sub(r"—\d+—|草稿", "", squash(pdftotext(out)))   # page numbers, watermark
    assert f"第1句{SENTENCE}" in text and f"第4400句{SENTENCE}" in text
    assert text.count(SENTENCE) == 4400
    assert int(pdfinfo(out)["Pages"]) > 200
