"""PDFs: read from their printed tables and text when not made here; a nianbao PDF's data
used only when intact and equal to what is printed (issues 11 and 12)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from app import exchange
from app.importer import ImportFailure, import_file
from tests.cli_helpers import run_nianbao
from tests.conftest import REPORTS, ROOT

HUAIAN = REPORTS / "2024-huaian-city.pdf"


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def test_huaian_pdf_made_with_wps_imports_to_exactly_its_numbers():
    """Ruled tables split across pages, （四）无 / 法提供 broken by the page break, 1、 for
    1., 第二十条 第（一）项 with a space, counts in millions, money 96171.6."""
    result = import_file(HUAIAN)
    want = exchange.read_file(REPORTS / "2024-huaian-city.json")
    assert result.problems == []
    assert result.source == "printed"
    assert result.report.cells == want.cells
    assert (result.report.organ, result.report.year, result.report.version) == \
           (want.organ, want.year, want.version)
    for key, text in want.texts.items():
        assert _same_text(result.report.texts[key], text), key


def test_huaian_text_has_paragraphs_without_page_numbers():
    texts = import_file(HUAIAN).report.texts
    paragraphs = texts["overview"].split("\n\n")
    assert paragraphs[0].startswith("2024年，我市坚持") and paragraphs[0].endswith("圆满完成了各项任务。")
    assert paragraphs[1].startswith("（一）主动公开情况。")
    assert "建设‘四最’一流营商环境" in paragraphs[1]  # a paragraph going on over a page break
    assert not re.search(r"-\s*\d+\s*-", texts["overview"])
    assert len(texts["problems"].split("\n\n")) == 2


def test_cli_import_says_where_the_numbers_came_from(tmp_path):
    out = tmp_path / "r.json"
    proc = run_nianbao("import", str(HUAIAN), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "数字来源：印出的表格" in proc.stdout
    assert exchange.read_file(out).cells == exchange.read_file(REPORTS / "2024-huaian-city.json").cells


def _own_pdf(path, report):
    """``report`` exported by nianbao to ``path``, as a unit sends it."""
    from app.pdf import export_pdf
    export_pdf(report, path, draft=True)
    return path


def _printed_tables_read(monkeypatch) -> list[int]:
    """Counts the readings of a PDF's printed tables from now on."""
    from app.importer import pdf_reader
    calls, read_pdf = [], pdf_reader.read_pdf
    monkeypatch.setattr(pdf_reader, "read_pdf", lambda data: calls.append(1) or read_pdf(data))
    return calls


def test_nianbao_pdf_as_exported_uses_its_data_without_reading_the_print(tmp_path, monkeypatch):
    """The seal holds: the print is what the export made of this very data, so the slow
    reading of the printed tables (0.06–0.2 s a file) is skipped."""
    want = exchange.read_file(REPORTS / "2021-pingtan-zone.json")
    path = _own_pdf(tmp_path / "r.pdf", want)
    reads = _printed_tables_read(monkeypatch)
    result = import_file(path)
    assert result.source == "embedded" and result.problems == []
    assert exchange.dumps(result.report) == exchange.dumps(want)
    assert reads == []


def test_nianbao_pdf_changed_after_export_is_checked_against_its_print(tmp_path, monkeypatch):
    """Bytes appended after export (as a PDF editor's incremental save does) break the
    seal: the print is read and compared, and here it agrees with the data."""
    want = exchange.read_file(REPORTS / "2021-pingtan-zone.json")
    path = _own_pdf(tmp_path / "r.pdf", want)
    path.write_bytes(path.read_bytes() + b"\n% saved again by another program\n")
    reads = _printed_tables_read(monkeypatch)
    result = import_file(path)
    assert result.source == "embedded" and result.problems == []
    assert reads == [1]


def test_pages_changed_after_export_disagreeing_with_the_data_are_reported_with_both_numbers(
        tmp_path, monkeypatch):
    """A nianbao PDF whose pages were edited after export and saved incrementally (as PDF
    editors do): the printed table now says 0, the attached data (checksum and seal left
    as exported) says 1000. The seal no longer holds, so the print is read; it is what
    was received."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    printed = exchange.read_file(REPORTS / "2021-pingtan-zone.json")
    ref = ("requests", "carried_in", "natural")
    assert printed.cells[ref] == 0
    attached = exchange.loads(exchange.dumps(printed))
    attached.cells[ref] = 1000
    sent = _own_pdf(tmp_path / "sent.pdf", attached)
    edited = PdfReader(_own_pdf(tmp_path / "printed.pdf", printed))
    editor = PdfWriter(sent, incremental=True)
    for page, new in zip(editor.pages, edited.pages, strict=True):
        for key in ("/Contents", "/Resources"):
            page[NameObject(key)] = new.raw_get(key).clone(editor)
    path = tmp_path / "tampered.pdf"
    editor.write(path)
    assert path.read_bytes().startswith(sent.read_bytes())  # the seal is still there
    reads = _printed_tables_read(monkeypatch)
    result = import_file(path)
    assert reads == [1]
    assert result.source == "printed"
    assert result.report.cells == printed.cells
    assert result.problems == ["第三部分 上年结转行 自然人列：印出的是 0，内嵌数据是 1000，采用印出的数字"]


def test_attachment_with_a_wrong_checksum_is_not_used(tmp_path):
    want = exchange.read_file(REPORTS / "2020-zunhuadian-town.json")
    path = _own_pdf(tmp_path / "r.pdf", want)
    data = path.read_bytes()
    # Change the first byte of the stored checksum (a PDF string after /CheckSum).
    start = data.index(b"(", data.index(b"/CheckSum")) + 1
    path.write_bytes(data[:start] + (b"A" if data[start:start + 1] != b"A" else b"B") + data[start + 1:])
    result = import_file(path)
    assert result.source == "printed"
    assert result.problems[0] == "PDF 内嵌的年报数据校验和不符（导出后被改动或已损坏），不予采用，采用印出的数字"
    assert result.report.cells == want.cells


def test_scan_without_text_layer_gets_a_clear_message(tmp_path):
    from reportlab.pdfgen import canvas
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(3):
        c.rect(50, 50, 400, 600, fill=1)  # an image-like page: no characters at all
        c.showPage()
    c.save()
    with pytest.raises(ImportFailure, match="没有文字层（可能是扫描件或图片）"):
        import_file(path)
    proc = run_nianbao("import", str(path), "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 2 and "scan.pdf：这个 PDF 没有文字层" in proc.stderr


def test_broken_pdf_gets_a_clear_message(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(HUAIAN.read_bytes()[:5000])
    with pytest.raises(ImportFailure) as exc:
        import_file(path)
    assert re.search(r"[\u4e00-\u9fff]", str(exc.value))


def test_aggregate_says_for_each_file_where_its_numbers_came_from(tmp_path):
    from app.pdf import export_pdf
    own = tmp_path / "sanming.pdf"
    other = exchange.read_file(REPORTS / "2022-sanming-city.json")
    other.year = 2024  # summed with the 2024 report of huaian
    export_pdf(other, own, draft=True)
    proc = run_nianbao("aggregate", str(HUAIAN), str(own), "-o", str(tmp_path / "sum.json"))
    assert "2024-huaian-city.pdf（淮安市人民政府）" in proc.stdout and "数字来源：印出的表格" in proc.stdout
    from app.aggregate.summing import read_entries
    entries = read_entries([HUAIAN, own])
    assert [e.source for e in entries] == ["印出的表格", "PDF 内嵌的年报数据"]


def test_reading_a_sealed_pdf_loads_no_reader_of_printed_tables(tmp_path):
    """The district reads 1,000 sealed PDFs in one run: the table reader and the matcher
    (~20 ms to import) are loaded only for a PDF whose print must be read."""
    path = _own_pdf(tmp_path / "r.pdf", exchange.read_file(REPORTS / "2021-pingtan-zone.json"))
    code = ("import sys; from app.importer import import_file; r = import_file(sys.argv[1]); "
            "print(r.source, [m for m in ('app.importer.matcher', 'app.importer.pdf_reader') if m in sys.modules])")
    res = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, encoding="utf-8",
                         cwd=ROOT, timeout=60)
    assert res.stdout.strip() == "embedded []", res.stdout + res.stderr
