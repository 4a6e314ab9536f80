"""Exported files (PDF and Word) on disk: permissions of an ordinary new file (not
tempfile's 0600, which hides a PDF copied to a shared folder from colleagues), the
permissions of a file they replace, and no temporary file left behind."""
from __future__ import annotations

import os
import sys

import pytest

from app import exchange
from app.docx_export import DocxExportError, export_docx
from app.export import ExportError, ReportHasErrors, export
from app.pdf import PdfError, export_pdf
from app.report import Report
from app.rules import validate
from cli_helpers import run_nianbao
from conftest import ZUNHUADIAN_JSON
from pdf_helpers import hide_face

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")

EXPORTS = {"pdf": export_pdf, "docx": export_docx}


@pytest.fixture(scope="module")
def report():
    return exchange.read_file(ZUNHUADIAN_JSON)


@pytest.fixture
def umask():
    """Set a umask for the test and restore the previous one."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_file_gets_the_mode_the_umask_gives(report, tmp_path, umask, kind, mask, mode):
    umask(mask)
    out = tmp_path / f"r.{kind}"
    EXPORTS[kind](report, out)
    assert out.stat().st_mode & 0o777 == mode
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("kind", EXPORTS)
def test_replaced_file_keeps_its_mode(report, tmp_path, umask, kind):
    out = tmp_path / f"r.{kind}"
    out.write_bytes(b"earlier export")
    out.chmod(0o604)
    EXPORTS[kind](report, out)
    assert out.stat().st_mode & 0o777 == 0o604
    assert out.read_bytes() != b"earlier export"


@pytest.mark.parametrize("kind, error", [("pdf", PdfError), ("docx", DocxExportError)])
def test_failed_write_leaves_the_earlier_file_and_no_temporary(report, tmp_path, monkeypatch,
                                                              kind, error):
    out = tmp_path / f"r.{kind}"
    out.write_bytes(b"earlier export")

    def no_room(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(error, match="无法写入.*：磁盘已满"):
        EXPORTS[kind](report, out)
    assert out.read_bytes() == b"earlier export"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# ------------------------------------------------------------------ the one export


@pytest.mark.parametrize("suffix, magic", [(".pdf", b"%PDF"), (".docx", b"PK")])
def test_export_picks_the_kind_by_suffix(report, tmp_path, suffix, magic):
    done = export(report, tmp_path / f"r{suffix.upper()}")
    assert done.path.read_bytes()[:len(magic)] == magic
    assert done.kind == {".pdf": "PDF", ".docx": "Word"}[suffix]


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_final_export_with_errors_is_refused_for_pdf_and_word(report, tmp_path, suffix):
    broken = report.copy()
    broken.cells[("requests", "new", "total")] = 5          # breaks the row total
    out = tmp_path / f"x{suffix}"
    with pytest.raises(ReportHasErrors) as exc:
        export(broken, out)
    assert "不能导出正式报告" in str(exc.value) and exc.value.findings
    assert not out.exists()
    assert export(broken, out, draft=True).errors >= 1 and out.exists()


def test_unknown_suffix_is_refused(report, tmp_path):
    with pytest.raises(ExportError, match=r"\.pdf 或 \.docx"):
        export(report, tmp_path / "r.txt")


def test_empty_report_as_draft_counts_its_errors_and_warnings(tmp_path):
    """An empty report has dozens of errors; the message says how many, not only the
    warnings."""
    empty = Report.blank("某某镇人民政府", 2021)
    source = tmp_path / "empty.json"
    exchange.write_file(empty, source)
    result = run_nianbao("export", str(source), "--draft", "-o", str(tmp_path / "e.pdf"))
    findings = validate(empty)
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    assert n_err > 10
    assert result.returncode == 0, result.stderr
    assert f"{n_err} 个错误" in result.stdout
    assert (f"{n_warn} 个警告" in result.stdout) == bool(n_warn)


# ------------------------------------------------------------------ the district's .xlsx
@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    import openpyxl

    from app.aggregate.summing import aggregate
    from app.aggregate.xlsx import write_xlsx

    folder = tmp_path_factory.mktemp("xlsx")
    good = exchange.read_file(ZUNHUADIAN_JSON)
    bad = good.copy()
    bad.organ = "某某县某某乡人民政府"
    bad.cells[("requests", "new", "total")] = 5                # breaks the row total
    paths = []
    for name, report in (("a.json", good), ("b.json", bad)):
        exchange.write_file(report, folder / name)
        paths.append(folder / name)
    agg = aggregate(paths)
    write_xlsx(agg, folder / "sum.xlsx")
    return agg, openpyxl.load_workbook(folder / "sum.xlsx")


def test_xlsx_group_headers_are_merged_and_wrapped_over_their_columns(workbook):
    agg, wb = workbook
    ws = wb["汇总"]
    fmt = agg.total.format
    refs = list(fmt.cells())
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:A3", "B1:B3"} <= merged                       # 文件, 报告单位 span the header
    requests = [i for i, ref in enumerate(refs, 6) if ref[0] == "requests"]
    first, last = requests[0], requests[-1]
    from openpyxl.utils import get_column_letter as col
    assert f"{col(first)}1:{col(last)}1" in merged
    assert ws.cell(1, first).value == "三、收到和处理政府信息公开申请情况"
    new_row = [i for i, ref in enumerate(refs, 6) if ref[:2] == ("requests", "new")]
    assert f"{col(new_row[0])}2:{col(new_row[-1])}2" in merged
    assert ws.cell(2, new_row[0]).value.endswith("一、本年新收政府信息公开申请数量")
    assert ws.cell(3, new_row[0]).value == "自然人"
    assert ws.cell(1, first).alignment.wrap_text and ws.cell(2, new_row[0]).alignment.wrap_text


def test_xlsx_widths_fit_names_and_numbers(workbook):
    agg, wb = workbook
    ws = wb["汇总"]
    organs = [e.report.organ for e in agg.summed]
    assert ws.column_dimensions["B"].width >= 2 * max(len(o) for o in organs)   # CJK = 2 units
    assert ws.column_dimensions["A"].width >= len("a.json")
    for letter in ("F", "M", "AZ"):
        assert 8 <= ws.column_dimensions[letter].width <= 16


def test_xlsx_frozen_unit_column_and_header_and_print_settings(workbook):
    _, wb = workbook
    ws = wb["汇总"]
    assert ws.freeze_panes == "C4"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$B"
    problems = wb["问题"]
    assert problems.freeze_panes == "C2" and problems.print_title_rows == "$1:$1"
    assert problems.page_setup.orientation == "landscape"


def test_xlsx_number_formats_counts_and_money(workbook):
    agg, wb = workbook
    ws = wb["汇总"]
    refs = list(agg.total.format.cells())
    money = next(i for i, ref in enumerate(refs, 6) if agg.total.format.kind_of(ref) == "money")
    count = next(i for i, ref in enumerate(refs, 6) if agg.total.format.kind_of(ref) == "count")
    for row in (4, 5, 6):                                     # two reports and the totals
        assert ws.cell(row, count).number_format == "General"  # an int: shown whole
        assert ws.cell(row, money).number_format == "0.0000##"
        assert isinstance(ws.cell(row, count).value, int)
    assert ws.cell(6, 1).value == "合计"


def test_xlsx_problems_name_the_rule_in_chinese(workbook):
    agg, wb = workbook
    rows = list(wb["问题"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "报告单位", "类别", "规则", "说明")
    errors = [r for r in rows[1:] if r[2] == "错误"]
    assert errors and all(r[0] == "b.json" for r in errors)
    names = {f.name for e in agg.entries for f in e.errors()}
    ids = {f.rule for e in agg.entries for f in e.errors()}
    assert {r[3] for r in errors} == names and not ids & names


# ------------------------------------------------------------------ stand-in faces
def test_cli_says_once_which_face_stands_in_and_how_to_install_it(report, tmp_path, monkeypatch, capsys):
    from app.cli import main

    hide_face(monkeypatch, "fangsong")
    source = tmp_path / "r.json"
    exchange.write_file(report, source)
    assert main(["export", str(source), "-o", str(tmp_path / "r.pdf")]) == 0
    out = capsys.readouterr().out
    assert out.count("本机没有仿宋字体") == 1
    line = next(x for x in out.splitlines() if "本机没有仿宋字体" in x)
    assert "正文" in line and "落款" in line and "代替" in line and "simfang.ttf" in line
