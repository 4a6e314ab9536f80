"""Each class of wrong reading seen on real published reports, built from the real lines
(issue 11): the importer reads each cell exactly as printed, or leaves it empty and says
which and why."""
from __future__ import annotations

import io
import random
import re
from decimal import Decimal

import pytest

from app import exchange
from app.importer import import_bytes, import_file
from app.importer.text_reader import is_number
from tests.conftest import REPORTS
from tests.factories import consistent_report
from tests.report_pages import cell_text, render_docx, render_html, render_text

SANMING = REPORTS / "2022-sanming-city.txt"


def imported(data: bytes, suffix: str):
    result = import_bytes(data, suffix)
    return result.report, result.problems


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def test_sanming_crawler_dump_imports_exactly():
    """Ordinals on their own line (``1.`` / ``属于国家秘密``), brackets split over lines,
    headings followed by a year, a ``标题：`` header: every number and text as printed."""
    result = import_file(SANMING)
    want = exchange.read_file(SANMING.with_suffix(".json"))
    assert result.problems == []
    assert result.report.cells == want.cells
    assert (result.report.organ, result.report.year, result.report.version) == ("三明市", 2022, "2021")
    for key, text in want.texts.items():
        assert _same_text(result.report.texts[key], text), key


@pytest.mark.parametrize("text", ["1.", "1、", "1．", "（一）", "(一)", "2."])
def test_an_ordinal_is_never_a_number(text):
    assert not is_number(text)


@pytest.mark.parametrize("text", ["0", "4.093", "1,234", "４５", "75394432.52元", "19167.08326"])
def test_numbers_are_numbers(text):
    assert is_number(text)


def _sanming_lines() -> list[str]:
    return SANMING.read_bytes().decode("utf-8").split("\r\n")


def test_prose_broken_into_a_label_and_numbers_yields_no_value_and_no_complaint():
    """``行政事业性收费`` / ``4`` / ``1994万元`` in a sentence of 一、总体情况."""
    lines = _sanming_lines()
    at = lines.index("一、总体情况") + 1
    lines[at:at] = ["全年收取", "行政事业性收费", "4", "1994万元", "。"]
    got, problems = imported("\r\n".join(lines).encode("utf-8"), ".txt")
    assert problems == []
    assert got.cells[("active", "fees", "amount")] == Decimal("19167.08326")
    assert "全年收取行政事业性收费41994万元。" in got.texts["overview"]


def test_a_heading_followed_by_a_year_stays_a_heading():
    got, _ = imported(SANMING.read_bytes(), ".txt")
    assert got.texts["overview"].startswith("2022年,三明市人民政府坚持")
    assert got.texts["other"] == "2022年度全市各级各部门未收取信息处理费。"


def test_metadata_prefix_never_reaches_the_organ():
    lines = ["标题：某某镇人民政府2023年政府信息公开工作年度报告"] + render_text(
        consistent_report("2021", random.Random(4))).decode("utf-8").split("\n")[1:]
    got, _ = imported("\n".join(lines).encode("utf-8"), ".txt")
    assert got.organ == "某某镇人民政府"


def _procurement_text(amount: str, unit_line: str | None) -> bytes:
    report = consistent_report("2019", random.Random(11))
    lines = render_text(report).decode("utf-8").split("\n")
    out = []
    for line in lines:
        if line.startswith("政府集中采购\t"):
            out += ["信息内容\t采购项目数量\t采购总金额"] + ([unit_line] if unit_line else [])
            cells = line.split("\t")
            line = "\t".join(cells[:-1] + [amount])
        out.append(line)
    return "\n".join(out).encode("utf-8")


def test_unit_in_the_column_header_on_the_next_line_applies_to_the_column():
    """Header ``采购总金额`` with ``（元）`` on the next line, the cell ``453754632.81``."""
    got, problems = imported(_procurement_text("453754632.81", "（元）"), ".txt")
    assert got.cells[("active", "procurement", "amount")] == Decimal("45375.463281")
    assert problems == ["提示：第二部分 政府集中采购行 采购总金额列的表头注明单位为元，印的是 453754632.81 元，"
                        "已换算为 45375.463281 万元"]


def test_unit_in_the_column_header_cell_of_a_web_page():
    report = consistent_report("2019", random.Random(11))
    ref = ("active", "procurement", "amount")
    page = render_html(report, value=lambda r, v: "453754632.81" if r == ref else cell_text(v),
                       label=lambda s: s.replace("采购总金额", "采购总金额<br/>（元）"))
    got, problems = imported(page, ".html")
    assert got.cells[ref] == Decimal("45375.463281")
    assert len(problems) == 1 and "已换算为 45375.463281 万元" in problems[0]


def test_without_a_unit_the_amount_stays_in_wan_yuan():
    got, problems = imported(_procurement_text("4.093", None), ".txt")
    assert got.cells[("active", "procurement", "amount")] == Decimal("4.093")
    assert problems == []


@pytest.mark.parametrize("printed,row", [
    ("规范性文件", "normative_documents"),       # the 2019 label in a 2021 table
    ("2.其他法律行政止公开", "denied_law"),      # a typo in a real report
    ("2、其他法律行政法规禁止公开", "denied_law"),
    ("1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信\n息公开申请", "other_no_correction"),
])
def test_label_variants_real_reports_print(printed, row):
    report = consistent_report("2021", random.Random(8))
    table = next(t for t in report.format.tables.values() if any(r.key == row for r in t.rows))
    label = table.row(row).label
    page = render_html(report, label=lambda s: printed.replace("\n", "<br/>") if s == label else s)
    got, problems = imported(page, ".html")
    assert got.cells == report.cells
    if "止公开" in printed and "法规禁" not in printed:
        assert problems == ["提示：第三部分的“2.其他法律行政止公开”按所在位置和文字读作“2.其他法律行政法规禁止公开”行"]
    else:
        assert problems == []


def test_group_label_with_a_space_in_a_text_dump():
    report = consistent_report("2021", random.Random(8))
    text = render_text(report).decode("utf-8").replace("第二十条第（一）项", "第二十条 第（一）项")
    got, problems = imported(text.encode("utf-8"), ".txt")
    assert problems == [] and got.cells == report.cells


def test_a_value_belongs_to_the_header_whose_span_it_starts_in():
    """``本年增/减`` spans two grid columns; the row's first value spans two columns too."""
    report = consistent_report("2019", random.Random(12))
    fmt = report.format
    rows = [r for r in fmt.tables["active"].rows if r.columns == ("last_year", "change", "decisions")]
    page = render_html(report).decode("utf-8")
    start = page.index("<table border=1>")
    end = page.index("</table>", start) + len("</table>")
    block = ["<table border=1>",
             "<tr><td>信息内容</td><td>上一年项目数量</td><td colspan=2>本年增/减</td><td>处理决定数量</td></tr>"]
    for r in rows:
        v = [cell_text(report.cells[("active", r.key, c)]) for c in r.columns]
        block.append(f"<tr><td>{r.label}</td><td colspan=2>{v[0]}</td><td>{v[1]}</td><td>{v[2]}</td></tr>")
    old = page[start:end]
    kept = re.sub(r"<tr>(?:(?!</tr>).)*(?:行政许可|其他对外管理服务事项|行政处罚|行政强制)(?:(?!</tr>).)*</tr>", "", old)
    page = page[:start] + kept + "".join(block) + "</table>" + page[end:]
    got, problems = imported(page.encode("utf-8"), ".html")
    for r in rows:
        for c in r.columns:
            assert got.cells[("active", r.key, c)] == report.cells[("active", r.key, c)], (r.key, c)
    assert problems == []


def test_two_values_under_one_header_span_leave_the_cell_empty_with_both_shown():
    report = consistent_report("2019", random.Random(12))
    page = render_html(report).decode("utf-8")
    page = page.replace("<td colspan=1>本年增/减</td>", "<td colspan=2>本年增/减</td>", 1)
    got, problems = imported(page.encode("utf-8"), ".html")
    assert problems  # the first block's header now covers two numbers: said, not guessed
    assert all("无法确定" in p or "未导入" in p or "空白" in p for p in problems)


def test_the_2019_single_other_row_in_a_2021_report_leaves_the_three_rows_empty():
    report = consistent_report("2021", random.Random(13))
    lines = render_text(report).decode("utf-8").split("\n")
    table = report.format.tables["requests"]
    others = [r for r in table.rows if r.key.startswith("other_")]
    sums = [sum(report.cells[("requests", r.key, c)] for r in others) for c in others[0].columns]
    out, done = [], False
    at = next(i for i, line in enumerate(lines) if line.startswith("规章\t"))
    lines.insert(at, "信息内容\t本年制发件数\t本年废止件数\t现行有效件数")  # as real reports print
    for line in lines:
        if any(r.label in line.split("\t") for r in others):
            if not done:
                out.append("\t".join(["三、本年度办理结果", "（六）其他处理"] + [str(s) for s in sums]))
                done = True
            continue
        out.append(line)
    got, problems = imported("\n".join(out).encode("utf-8"), ".txt")
    assert all(got.cells[("requests", r.key, c)] is None for r in others for c in r.columns)
    shown = "、".join(map(str, sums))
    assert problems == [
        f"第三部分：报告把“(六)其他处理”印成一行（{shown}），2021 版格式要求分 3 行填写"
        "（“1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”、"
        "“2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”、“3.其他”），"
        "无法拆分，这 3 行未导入，请对照原件填写"]
    rest = {k: v for k, v in got.cells.items() if k[1] not in {r.key for r in others}}
    assert rest == {k: v for k, v in report.cells.items() if k[1] not in {r.key for r in others}}


def test_cells_separated_by_runs_of_spaces_are_read(tmp_path):
    """``pdftotext -layout``: ``规章            1          0        11``."""
    report = consistent_report("2021", random.Random(14))
    text = render_text(report).decode("utf-8")
    laid_out = "\n".join(re.sub(r"\t+", "        ", line) for line in text.split("\n"))
    got, problems = imported(laid_out.encode("utf-8"), ".txt")
    assert problems == []
    assert got.cells == report.cells


def test_cells_separated_by_single_spaces_are_not_glued():
    report = consistent_report("2021", random.Random(14))
    text = render_text(report).decode("utf-8")
    spaced = "\n".join(" ".join(c for c in line.split("\t") if c) if "\t" in line else line
                       for line in text.split("\n"))
    got, problems = imported(spaced.encode("utf-8"), ".txt")
    assert not any("丢失了单元格之间的分隔" in p for p in problems)
    active = list(report.format.tables["active"].cells())
    assert [got.cells[r] for r in active] == [report.cells[r] for r in active]


def _docx_bytes(report, tmp_path) -> bytes:
    path = tmp_path / "r.docx"
    render_docx(report, path)
    return path.read_bytes()


def test_word_row_with_fewer_cells_than_the_others_does_not_crash(tmp_path):
    """``w:gridAfter``: Word writes a row that stops before the table's last column."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    report = consistent_report("2021", random.Random(15))
    path = tmp_path / "r.docx"
    render_docx(report, path)
    d = docx.Document(str(path))
    table = d.tables[1]  # the requests table
    tr = table.rows[3]._tr
    tcs = tr.findall(qn("w:tc"))
    for tc in tcs[-3:]:
        tr.remove(tc)
    trpr = tr.get_or_add_trPr()
    after = OxmlElement("w:gridAfter")
    after.set(qn("w:val"), "3")
    trpr.append(after)
    buf = io.BytesIO()
    d.save(buf)
    got, problems = imported(buf.getvalue(), ".docx")
    row = report.format.tables["requests"].rows[2]
    assert any(row.short in p for p in problems)
    others = {k: v for k, v in got.cells.items() if k[:2] != ("requests", row.key)}
    assert others == {k: v for k, v in report.cells.items() if k[:2] != ("requests", row.key)}


def test_word_cell_with_a_span_that_is_no_number(tmp_path):
    import docx
    from docx.oxml.ns import qn
    report = consistent_report("2021", random.Random(15))
    path = tmp_path / "r.docx"
    render_docx(report, path)
    d = docx.Document(str(path))
    tc = d.tables[0].rows[0]._tr.findall(qn("w:tc"))[0]
    span = tc.get_or_add_tcPr().get_or_add_gridSpan()
    span.set(qn("w:val"), "abc")
    buf = io.BytesIO()
    d.save(buf)
    got, problems = imported(buf.getvalue(), ".docx")
    assert problems[0] == "Word 文件中的第 1 个表格已损坏（单元格合并的设置无效），这个表格未读取"
    assert all(got.cells[r] is None for r in report.format.tables["active"].cells())
    requests = list(report.format.tables["requests"].cells())
    assert [got.cells[r] for r in requests] == [report.cells[r] for r in requests]
