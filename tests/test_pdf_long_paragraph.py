"""A paragraph of 160,000 characters (a whole document pasted without line breaks) is
exported in time proportional to its length: reportlab re-wraps the rest of a paragraph at
every page break, so such a paragraph took 160 s; it is now set as pieces of at most
2,000 characters cut after a sentence. Paragraphs of a real report are not touched."""
from __future__ import annotations

import re

from app import exchange
from app.pdf import export_pdf
from app.pdf.document import PIECE_CHARS, pieces
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


def test_pieces_cut_after_a_sentence_and_keep_every_character():
    text = "甲" * 1500 + "。" + "乙" * 1000
    assert [len(p) for p in pieces(text)] == [1501, 1000]
    no_sentence = "甲" * 4500
    assert [len(p) for p in pieces(no_sentence)] == [2000, 2000, 500]
    long = SENTENCE * 10_000
    assert "".join(pieces(long)) == long
    assert all(len(p) <= PIECE_CHARS and p.endswith("。") for p in pieces(long)[:-1])


def test_a_report_paragraph_is_one_piece():
    paragraph = SENTENCE * 60        # 1,860 characters: longer than any real paragraph
    assert pieces(paragraph) == [paragraph]
