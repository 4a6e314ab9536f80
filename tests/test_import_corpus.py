"""The PDF corpus: the fixtures' reports as PDFs of other producers (LibreOffice from the
program's Word export, Chromium printing the saved web page; made by
scripts/make_pdf_corpus.py). Over the whole corpus, no cell is imported with a value other
than the printed one."""
from __future__ import annotations

import re

import pytest

from app import exchange
from app.importer import import_file
from tests.conftest import FIXTURES, REPORTS

CORPUS = sorted((FIXTURES / "corpus").glob("*.pdf"))


def _expected(pdf):
    return exchange.read_file(REPORTS / (re.sub(r"-(libreoffice|chromium).*$", "", pdf.stem) + ".json"))


def test_no_cell_of_the_corpus_differs_from_the_printed_value():
    assert len(CORPUS) >= 5
    wrong = []
    for pdf in CORPUS:
        got, want = import_file(pdf).report, _expected(pdf)
        wrong += [(pdf.name, ref, value) for ref, value in got.cells.items()
                  if value is not None and value != want.cells[ref]]
    assert wrong == []


@pytest.mark.parametrize("pdf", CORPUS, ids=lambda p: p.name)
def test_corpus_pdf_imports_exactly(pdf):
    result = import_file(pdf)
    want = _expected(pdf)
    assert result.source == "printed"
    assert result.report.cells == want.cells
    assert (result.report.organ, result.report.year, result.report.version) == \
           (want.organ, want.year, want.version)
    for key, text in want.texts.items():
        assert re.sub(r"\s", "", result.report.texts[key]) == re.sub(r"\s", "", text), key
    assert result.problems == []


def _page_texts(pdf) -> list[str]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf.read_bytes())
    try:
        return [re.sub(r"\s", "", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


@pytest.mark.parametrize("name, row, end, start", [
    # 2.其他法律行政法规禁止公开: numbers and 禁止公 on one page, 开 on the next
    ("2020-zunhuadian-town-chromium-a4.pdf", ("requests", "denied_law"), "禁止公0000000", "开3.危及"),
    # 5.要求行政机关确认或重新出具已获取信息: all on the next page, its top line left behind
    ("2021-pingtan-zone-chromium.pdf", ("requests", "ignored_confirm"), "反复申请0000000", "5.要求行政机关确"),
])
def test_row_left_open_at_a_page_break_is_read_whole(name, row, end, start):
    """Chromium draws no line to close a table row at a page break (the vertical lines run
    on into the margin). The row is read into the table's cells, its two parts joined."""
    pdf = FIXTURES / "corpus" / name
    pages = _page_texts(pdf)
    assert any(a.endswith(end) and b.startswith(start) for a, b in zip(pages, pages[1:]))
    result = import_file(pdf)
    want = _expected(pdf)
    cells = [ref for ref in want.cells if ref[:2] == row]
    assert cells and [result.report.cells[ref] for ref in cells] == [want.cells[ref] for ref in cells]
    assert result.problems == []
