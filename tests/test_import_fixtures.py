"""The published reports of the fixtures import to exactly their numbers and texts."""
from __future__ import annotations

import json
import re

import pytest

from app import exchange
from app.importer import import_file
from app.rules import validate
from tests.cli_helpers import run_nianbao
from tests.conftest import REPORTS

PUBLISHED = [
    (REPORTS / "2021-pingtan-zone.html", REPORTS / "2021-pingtan-zone.json"),
    (REPORTS / "2020-zunhuadian-town.txt", REPORTS / "2020-zunhuadian-town.json"),
]


@pytest.mark.parametrize("published,expected", PUBLISHED, ids=lambda p: p.name)
def test_published_report_imports_to_exactly_its_numbers(published, expected):
    result = import_file(published)
    want = exchange.read_file(expected)
    assert result.report.cells == want.cells
    assert (result.report.organ, result.report.year, result.report.version) == \
           (want.organ, want.year, want.version)
    assert result.report.texts == want.texts
    assert result.problems == []
    assert exchange.dumps(result.report) == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("published,expected", PUBLISHED, ids=lambda p: p.name)
def test_imported_report_gets_the_findings_its_printed_numbers_deserve(published, expected):
    got = [str(f) for f in validate(import_file(published).report)]
    assert got == [str(f) for f in validate(exchange.read_file(expected))]


def test_pingtan_findings_are_only_the_long_overview():
    findings = validate(import_file(REPORTS / "2021-pingtan-zone.html").report)
    warned = [(f.rule, f.severity) for f in findings if f.severity != "info"]  # infos: tests/test_text_rules.py
    assert warned == [("text.overview_length", "warning")]


def test_zunhuadian_has_no_findings():
    findings = validate(import_file(REPORTS / "2020-zunhuadian-town.txt").report)
    assert [f for f in findings if f.severity != "info"] == []  # infos: tests/test_text_rules.py


def test_money_with_six_decimals_is_kept_exactly():
    report = import_file(REPORTS / "2021-pingtan-zone.html").report
    assert str(report.cells[("active", "fees", "amount")]) == "24252.311082"


def test_cli_import_writes_the_exchange_file(tmp_path):
    out = tmp_path / "r.json"
    proc = run_nianbao("import", str(REPORTS / "2021-pingtan-zone.html"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == (REPORTS / "2021-pingtan-zone.json").read_bytes()
    assert "已导入 平潭综合实验区2021年政府信息公开工作年度报告" in proc.stdout
    assert "【总体情况字数】" in proc.stdout


def test_cli_import_exits_0_even_when_the_report_breaks_rules(tmp_path):
    broken = (REPORTS / "2020-zunhuadian-town.txt").read_text(encoding="utf-8")
    broken = broken.replace("(七) 总计\t0\t0", "(七) 总计\t5\t0")
    src = tmp_path / "broken.txt"
    src.write_text(broken, encoding="utf-8")
    out = tmp_path / "r.json"
    proc = run_nianbao("import", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["tables"]["requests"]["total"]["natural"] == 5  # kept as printed
    assert "【办理结果合计】" in proc.stdout


def test_cli_import_exits_2_on_a_file_that_is_no_report(tmp_path):
    src = tmp_path / "letter.txt"
    src.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    proc = run_nianbao("import", str(src), "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 2
    assert "不是政府信息公开工作年度报告" in proc.stderr
    assert not (tmp_path / "r.json").exists()


def test_cli_import_refuses_unknown_file_types(tmp_path):
    src = tmp_path / "report.xls"
    src.write_bytes(b"\x00\x01")
    proc = run_nianbao("import", str(src), "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 2
    assert "不支持的文件类型“.xls”" in proc.stderr and "Word（.docx）" in proc.stderr


def test_cli_import_does_not_overwrite(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("mine", encoding="utf-8")
    proc = run_nianbao("import", str(REPORTS / "2020-zunhuadian-town.txt"), "-o", str(out))
    assert proc.returncode == 2
    assert out.read_text(encoding="utf-8") == "mine"


def test_nianbao_pdf_imports_its_embedded_data(tmp_path):
    from app import pdf
    want = exchange.read_file(REPORTS / "2021-pingtan-zone.json")
    path = tmp_path / "r.pdf"
    pdf.export_pdf(want, path, draft=True)
    result = import_file(path)
    assert result.report.cells == want.cells and result.report.texts == want.texts


def test_pdf_of_another_program_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    proc = run_nianbao("import", str(path), "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 2
    assert "scan.pdf" in proc.stderr and "nianbao" in proc.stderr


def test_page_text_without_cell_boundaries_refuses_the_tables_not_the_texts(tmp_path):
    """The pingtan page copied as plain text: every table row runs together (规章000…)."""
    from app.importer.document import Grid
    from app.importer.html_reader import read_html
    doc = read_html((REPORTS / "2021-pingtan-zone.html").read_bytes())
    lines = ["".join(re.sub(r"\s+", "", c.text) for row in b.rows for c in row if c.origin)
             if isinstance(b, Grid) else b.text for b in doc.blocks]
    src = tmp_path / "copied.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    result = import_file(src)
    want = exchange.read_file(REPORTS / "2021-pingtan-zone.json")
    assert all(v is None for v in result.report.cells.values())
    assert [p.split("：")[0] for p in result.problems] == [
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    assert all("丢失了单元格之间的分隔" in p and "这张表未导入" in p for p in result.problems)
    assert "“规章000行政规范性文件69”" in result.problems[0]
    assert result.report.texts["overview"] == want.texts["overview"]
    assert result.report.texts["problems"] == want.texts["problems"]
    proc = run_nianbao("import", str(src), "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 0
    assert "导入时发现 3 个问题" in proc.stdout


@pytest.mark.parametrize("expected", [p for _, p in PUBLISHED], ids=lambda p: p.name)
def test_fixture_as_word_file_imports_to_the_same_numbers(expected, tmp_path):
    from tests.report_pages import render_docx
    want = exchange.read_file(expected)
    path = tmp_path / "report.docx"
    render_docx(want, path)
    result = import_file(path)
    assert result.problems == []
    assert exchange.dumps(result.report) == exchange.dumps(want)


@pytest.mark.parametrize("expected", [p for _, p in PUBLISHED], ids=lambda p: p.name)
def test_word_file_of_our_own_export_imports_back(expected, tmp_path):
    """A township that sends the Word export instead of the PDF: nothing is lost."""
    import datetime as dt

    from app import docx_export
    want = exchange.read_file(expected)
    want.date = dt.date(want.year + 1, 1, 20)
    path = tmp_path / "report.docx"
    docx_export.export_docx(want, path)
    result = import_file(path)
    assert result.problems == []
    assert exchange.dumps(result.report) == exchange.dumps(want)
