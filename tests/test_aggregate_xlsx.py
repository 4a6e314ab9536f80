"""The district office's .xlsx as a clerk opens and prints it: a sheet per table of the report
(二, 三, 四) with a row per unit and the totals last, the table's own group headers merged
and wrapped over their columns, fitted columns, frozen unit column and header, A4 landscape
with the header and unit column on every page, readable print (LibreOffice's PDF of it
measured); every number the aggregate's."""
from __future__ import annotations

import random
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils import get_column_letter as col

from app import exchange
from app.aggregate.district import DeskInputs, run_desk
from app.aggregate.xlsx import write_xlsx
from conftest import ZUNHUADIAN_JSON

UNITS = ["平顶山高新技术产业开发区遵化店镇", "某某县某某乡人民政府", "甲镇"]


@pytest.fixture(scope="module")
def summed(tmp_path_factory):
    """Three units of the 2019 format with different numbers (one breaks a row total),
    summed and written; the workbook read back."""
    folder = tmp_path_factory.mktemp("xlsx")
    rng = random.Random(5)
    paths = []
    for n, organ in enumerate(UNITS):
        report = exchange.read_file(ZUNHUADIAN_JSON)
        report.organ = organ
        for ref in report.cells:
            if report.format.kind_of(ref) == "money":
                report.cells[ref] = Decimal(rng.randrange(0, 10**7)) / 10**4
            else:
                report.cells[ref] = rng.randrange(0, 300)
        path = folder / f"{n}-{organ}.json"
        exchange.write_file(report, path)
        paths.append(path)
    agg = run_desk(DeskInputs(paths)).aggregate   # what the CLI and the window run
    out = folder / "sum.xlsx"
    write_xlsx(agg, out)
    return agg, openpyxl.load_workbook(out), out


def table_sheets(agg, wb):
    fmt = agg.total.format
    return [(fmt.tables[s.table], wb[s.heading]) for s in fmt.sections if s.table]


def header_rows(ws) -> int:
    """The frozen header's height: the rows above the first unit."""
    assert ws.freeze_panes.startswith("B")
    return int(ws.freeze_panes[1:]) - 1


def span_of(ws, row: int, column: int) -> str:
    """The merged range holding the cell, or the cell itself."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= column <= rng.max_col:
            return str(rng)
    return f"{col(column)}{row}"


def test_a_sheet_for_each_table_then_the_problems(summed):
    agg, wb, _ = summed
    headings = [s.heading for s in agg.total.format.sections if s.table]
    assert headings == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况"]
    assert wb.sheetnames == headings + ["问题"]


def test_every_number_is_the_units_and_the_last_row_the_totals(summed):
    agg, wb, _ = summed
    for table, ws in table_sheets(agg, wb):
        refs = list(table.cells())
        first = header_rows(ws) + 1
        rows = list(ws.iter_rows(min_row=first, values_only=True))
        assert len(rows) == len(agg.summed) + 1
        assert [r[0] for r in rows] == UNITS + [agg.total.organ]
        assert [r[len(refs) + 1] for r in rows] == [e.name for e in agg.summed] + ["合计"]
        for row, report in zip(rows, [e.report for e in agg.summed] + [agg.total]):
            shown = [Decimal(str(v)) if isinstance(v, float) else v for v in row[1:len(refs) + 1]]
            assert shown == [report.cells[ref] for ref in refs], ws.title   # money read back as float
        assert ws.cell(first + len(agg.summed), 2).font.bold          # the totals


def test_group_headers_merged_over_their_columns_and_wrapped(summed):
    agg, wb, _ = summed
    (active, ws2), (requests, ws3), (appeals, ws4) = table_sheets(agg, wb)
    h = header_rows(ws3)
    assert h == 5          # 三、本年度办理结果 / （三）不予公开 / 1.… over 法人或其他组织 / 商业企业
    assert span_of(ws3, 1, 1) == "A1:A5" and ws3.cell(1, 1).value == "报告单位"
    # the first row of the table: its label over its seven columns, down to the columns' headers
    assert ws3.cell(1, 2).value == "一、本年新收政府信息公开申请数量" and span_of(ws3, 1, 2) == "B1:H3"
    assert [ws3.cell(4, c).value for c in range(2, 9)] == ["自然人", "法人或其他组织", None, None, None, None, "总计"]
    assert span_of(ws3, 4, 3) == "C4:G4" and span_of(ws3, 4, 2) == "B4:B5"
    assert [ws3.cell(5, c).value for c in range(3, 8)] == ["商业企业", "科研机构", "社会公益组织",
                                                           "法律服务机构", "其他"]
    # a row inside groups: 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密
    refs = list(requests.cells())
    at = 2 + refs.index(("requests", "denied_secret", "natural"))
    assert [ws3.cell(r, at).value for r in (1, 2, 3)] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert span_of(ws3, 3, at) == f"{col(at)}3:{col(at + 6)}3"
    # （三）不予公开 spans its eight rows, cut where a page begins (and shown again there)
    denied = [2 + i for i, r in enumerate(refs) if r[1].startswith("denied_")]
    cuts = [b.id + 1 for b in ws3.col_breaks.brk if denied[0] < b.id + 1 <= denied[-1]]
    ends = [c - 1 for c in cuts] + [denied[-1]]
    assert span_of(ws3, 2, at) == f"{col(at)}2:{col(ends[0])}2"
    for start in cuts:
        assert ws3.cell(2, start).value == "（三）不予公开"
    # 二: 第二十条第（一）项 over 规章 and 规范性文件, each over its three columns
    assert ws2.cell(1, 2).value == "第二十条第（一）项" and span_of(ws2, 1, 2) == "B1:G1"
    assert ws2.cell(2, 2).value == "规章" and span_of(ws2, 2, 2) == "B2:D2"
    assert ws2.cell(3, 2).value == "本年新制作数量"
    # the label of a money column carries its unit
    labels = [ws2.cell(3, c).value for c in range(2, ws2.max_column)]
    assert any("万元" in (v or "") for v in labels)
    # 四: 行政复议 reaches down over its columns' row
    assert ws4.cell(1, 2).value == "行政复议" and span_of(ws4, 1, 2) == "B1:F2"
    for ws in (ws2, ws3, ws4):
        for row in ws.iter_rows(max_row=header_rows(ws)):
            for cell in row:
                if cell.value:
                    assert cell.alignment.wrap_text and cell.font.bold, (ws.title, cell.coordinate)
        heights = [ws.row_dimensions[r].height for r in range(1, header_rows(ws) + 1)]
        assert all(h and h >= 15 for h in heights)     # set: merged wrapped cells do not grow


def test_a_long_label_gets_a_taller_header_row(summed):
    agg, wb, _ = summed
    ws = wb["三、收到和处理政府信息公开申请情况"]
    refs = list(agg.total.format.tables["requests"].cells())
    at = 2 + next(i for i, r in enumerate(refs) if r[1] == "partly_granted")
    label = ws.cell(2, at).value
    assert label.startswith("（二）部分公开（区分处理的")
    rng = next(r for r in ws.merged_cells.ranges if (r.min_row, r.min_col) == (2, at))
    assert (rng.min_col, rng.max_col) == (at, at + 6)        # over its row's seven columns
    rows = range(rng.min_row, rng.max_row + 1)
    assert sum(ws.row_dimensions[r].height for r in rows) >= 2 * 15    # room for two lines


def test_columns_fit_names_numbers_and_labels(summed):
    agg, wb, _ = summed
    for table, ws in table_sheets(agg, wb):
        n = len(list(table.cells()))
        assert ws.column_dimensions["A"].width >= 2 * max(len(u) for u in UNITS)   # CJK = 2 units
        assert ws.column_dimensions[col(n + 2)].width >= max(len(e.name) for e in agg.summed)
        for c in range(2, n + 2):
            assert 6 <= ws.column_dimensions[col(c)].width <= 16


def test_frozen_unit_column_and_header_landscape_a4_titles_on_every_page(summed):
    agg, wb, _ = summed
    for table, ws in table_sheets(agg, wb):
        h = header_rows(ws)
        assert ws.freeze_panes == f"B{h + 1}"
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.print_title_rows == f"$1:${h}" and ws.print_title_cols == "$A:$A"
        n = len(list(table.cells()))
        assert ws.print_area == f"'{ws.title}'!$A$1:${col(n + 1)}${h + len(agg.summed) + 1}"  # no file names
        assert agg.total.organ in ws.oddHeader.center.text and ws.title in ws.oddHeader.center.text
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    problems = wb["问题"]
    assert problems.freeze_panes == "C2" and problems.print_title_rows == "$1:$1"
    assert problems.page_setup.orientation == "landscape"


def test_a_narrow_table_fits_the_page_width_and_a_wide_one_breaks_between_its_rows(summed):
    agg, wb, _ = summed
    appeals = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert appeals.sheet_properties.pageSetUpPr.fitToPage
    assert appeals.page_setup.fitToWidth == 1 and appeals.page_setup.fitToHeight == 0
    ws = wb["三、收到和处理政府信息公开申请情况"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert 70 <= ws.page_setup.scale <= 100
    refs = list(agg.total.format.tables["requests"].cells())
    breaks = [b.id for b in ws.col_breaks.brk]
    assert len(breaks) >= 5
    for column in (b + 1 for b in breaks):     # a break is left of a 0-based column
        assert refs[column - 3][1] != refs[column - 2][1]    # a page begins with a whole row
        # and shows the groups of that row again (a group is not left on the page before)
        assert ws.cell(1, column).value is not None


def test_counts_are_integers_and_money_has_four_to_six_decimals(summed):
    agg, wb, _ = summed
    fmt = agg.total.format
    ws = wb["二、主动公开政府信息情况"]
    refs = list(fmt.tables["active"].cells())
    money = 2 + next(i for i, r in enumerate(refs) if fmt.kind_of(r) == "money")
    count = 2 + next(i for i, r in enumerate(refs) if fmt.kind_of(r) == "count")
    first = header_rows(ws) + 1
    for row in range(first, first + len(agg.summed) + 1):
        assert ws.cell(row, count).number_format == "General"
        assert isinstance(ws.cell(row, count).value, int)
        assert ws.cell(row, money).number_format == "0.0000##"


def test_problems_name_the_rule_in_chinese(tmp_path):
    good = exchange.read_file(ZUNHUADIAN_JSON)
    bad = good.copy()
    bad.organ = "某某县某某乡人民政府"
    bad.cells[("requests", "new", "total")] = 5                # breaks the row total
    paths = []
    for name, report in (("a.json", good), ("b.json", bad)):
        exchange.write_file(report, tmp_path / name)
        paths.append(tmp_path / name)
    agg = run_desk(DeskInputs(paths)).aggregate   # what the CLI and the window run
    write_xlsx(agg, tmp_path / "sum.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "sum.xlsx")["问题"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "报告单位", "类别", "规则", "说明")
    errors = [r for r in rows[1:] if r[2] == "错误"]
    assert errors and all(r[0] == "b.json" for r in errors)
    names = {f.name for e in agg.entries for f in e.errors()}
    ids = {f.rule for e in agg.entries for f in e.errors()}
    assert {r[3] for r in errors} == names and not ids & names


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_prints_every_sheet_readably_on_the_planned_pages(summed, tmp_path):
    """LibreOffice's PDF of the workbook: every sheet's text at least 8 pt (the single sheet of
    every cell printed at 0.7 pt, 问题 at 4.4 pt before its long texts wrapped), the wide table
    on exactly one page per planned page (no column spilled onto a page of its own), each
    page with the units and its header."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    agg, wb, path = summed
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    doc = pdfium.PdfDocument(str(tmp_path / "sum.pdf"))
    pages: dict[str, list[str]] = {}
    try:
        for i in range(len(doc)):
            text = doc[i].get_textpage()
            content = text.get_text_range()
            sheet = next((name for name in wb.sheetnames if name in content[:80]), "问题")
            pages.setdefault(sheet, []).append(content)
            chars = [k for k in range(text.count_chars()) if not text.get_text_range(k, 1).isspace()]
            assert min(raw.FPDFText_GetFontSize(text, k) for k in chars) >= 8, f"page {i + 1} ({sheet})"
    finally:
        doc.close()
    wide = "三、收到和处理政府信息公开申请情况"
    assert len(pages[wide]) == len(wb[wide].col_breaks.brk) + 1
    for content in pages[wide]:
        squeezed = "".join(content.split())
        assert "报告单位" in squeezed and all(u in squeezed for u in UNITS)
        assert "自然人" in squeezed and "总计" in squeezed
    assert len(pages["四、政府信息公开行政复议、行政诉讼情况"]) == 1


def test_plain_values_written_by_new_sheet_are_the_xml_openpyxl_writes(summed, tmp_path, monkeypatch):
    """``new_sheet`` writes plain values itself: every sheet of the desk's workbook (tables,
    问题, roster, ratios…) is the XML openpyxl writes value by value (its canonical form:
    the characters are written as UTF-8, openpyxl writes ``&#30002;``), with texts
    that openpyxl treats apart (a formula, an error code, spaces kept, a control
    character refused) among them."""
    import zipfile

    from openpyxl import Workbook
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.utils.exceptions import IllegalCharacterError

    from app.aggregate import xlsx
    from app.aggregate.district_xlsx import add_district_sheets

    assert xlsx._ERROR_CODES == ERROR_CODES
    agg, _, _ = summed
    result = run_desk(DeskInputs([e.path for e in agg.entries], organ="某某区"))
    odd = [["=1+1", "#N/A", " 前后有空格 ", "", "=", 7, Decimal("1.2340"), True, 2.5, None, "x" * 40000],
           [" a\r\nb&<c>\"'\t甲\u2028😀", 10**17, Decimal("-0.000001")], [None, "甲"], [], [None],
           [2**53, 2**53 + 1, -(2**53), -(2**53) - 1, 0, -5]]

    def write(fast: bool, path):
        monkeypatch.setattr(xlsx, "FAST_ROWS", fast)
        xlsx.write_xlsx(result.aggregate, path, lambda wb, look: add_district_sheets(wb, look, result))
        wb = Workbook(write_only=True)
        ws = xlsx.new_sheet(wb, "odd")
        assert ("_get_writer" in vars(ws)) == fast    # this openpyxl takes the fast rows
        for row in odd:
            ws.append(row)
        wb.save(tmp_path / f"odd-{fast}.xlsx")
        with pytest.raises(IllegalCharacterError):
            xlsx.new_sheet(Workbook(write_only=True), "bad").append(["a\x01b"])
        with pytest.raises(ValueError, match="XML compatible"):   # lxml's refusal, as before
            xlsx.new_sheet(Workbook(write_only=True), "bad").append([1, "a\ufffeb"])

    write(True, tmp_path / "fast.xlsx")
    write(False, tmp_path / "slow.xlsx")
    for a, b in [("fast.xlsx", "slow.xlsx"), ("odd-True.xlsx", "odd-False.xlsx")]:
        with zipfile.ZipFile(tmp_path / a) as fa, zipfile.ZipFile(tmp_path / b) as fb:
            names = [n for n in fa.namelist() if n.startswith("xl/")]
            assert names == [n for n in fb.namelist() if n.startswith("xl/")]
            assert sum(n.startswith("xl/worksheets/sheet") for n in names) == (1 if a.startswith("odd") else 6)
            for name in names:
                if name.startswith("xl/worksheets/sheet"):   # the same XML; characters as UTF-8
                    assert canonical(fa.read(name)) == canonical(fb.read(name)), name
                    assert fa.read(name).startswith(b"<worksheet ")   # no declaration: UTF-8
                else:
                    assert fa.read(name) == fb.read(name), name


def canonical(xml: bytes) -> bytes:
    """The XML's canonical form (C14N): the same for the same document, whether a character
    is written as UTF-8 or as ``&#30002;``."""
    from lxml import etree

    return etree.tostring(etree.fromstring(xml), method="c14n")


def test_problem_texts_wider_than_their_column_wrap_in_a_row_tall_enough(summed):
    """Spreadsheet programs do not make a row taller for wrapped text: without a height the
    lines of a long 说明 were printed over the next rows (seen in LibreOffice's PDF)."""
    _, _, path = summed
    ws = openpyxl.load_workbook(path)["问题"]
    width = ws.column_dimensions["E"].width
    long_rows = [row for row in ws.iter_rows(min_row=2) if row[4].value and 2 * len(row[4].value) > width * 1.5]
    assert long_rows
    for row in long_rows:
        height = ws.row_dimensions[row[0].row].height
        assert height and height >= 2 * 15, row[4].value
        assert row[4].alignment.wrap_text


def test_no_printable_character_is_one_a_spreadsheet_refuses():
    """The fast rows skip the search for refused characters in a printable text: every
    character openpyxl or lxml refuses (controls, surrogates, U+FFFE/U+FFFF) must be one
    that Python does not call printable, for every code point."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from app.aggregate import xlsx

    for code in range(0x110000):
        ch = chr(code)
        if xlsx._NOT_XML.search(ch) or ILLEGAL_CHARACTERS_RE.search(ch):
            assert not ch.isprintable(), hex(code)
