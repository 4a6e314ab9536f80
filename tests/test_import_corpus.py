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
KNOWN_EMPTY = {
    # Chromium splits this row over a page break without closing its ruling lines: the
    # row is reported and left empty (never guessed).
    "2021-pingtan-zone-chromium.pdf": {("requests", "ignored_confirm")},
}


def _expected(pdf):
    return exchange.read_file(REPORTS / (re.sub(r"-(libreoffice|chromium)$", "", pdf.stem) + ".json"))


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
    empty_rows = KNOWN_EMPTY.get(pdf.name, set())
    for ref, value in want.cells.items():
        if ref[:2] in empty_rows:
            assert result.report.cells[ref] is None
        else:
            assert result.report.cells[ref] == value, ref
    assert (result.report.organ, result.report.year, result.report.version) == \
           (want.organ, want.year, want.version)
    for key, text in want.texts.items():
        assert re.sub(r"\s", "", result.report.texts[key]) == re.sub(r"\s", "", text), key
    if empty_rows:
        assert any("未找到“5.要求行政机关确认或重新出具已获取信息”这一行" in p for p in result.problems)
    else:
        assert result.problems == []
