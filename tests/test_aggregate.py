"""The district office's sum: exact sums, broken files listed, mixed years refused."""
from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app import exchange
from app.aggregate.district import DeskInputs, run_desk
from app.aggregate.summing import AggregateError
from app.report import Report
from app.rules import validate
from tests.cli_helpers import run_nianbao
from tests.conftest import REPORTS
from tests.factories import consistent_report


def aggregate(paths, organ: str | None = None):
    """The sum as the command and the window make it."""
    return run_desk(DeskInputs([Path(p) for p in paths], organ=organ)).aggregate


def write(tmp_path, name: str, report: Report):
    path = tmp_path / name
    exchange.write_file(report, path)
    return path


def town(name: str, seed: int, version: str = "2021") -> Report:
    r = consistent_report(version, random.Random(seed))
    r.organ = name
    return r


def test_sums_equal_hand_computed(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    a.cells[("requests", "new", "natural")] = 3
    b.cells[("requests", "new", "natural")] = 4
    a.cells[("active", "fees", "amount")] = Decimal("0.1")
    b.cells[("active", "fees", "amount")] = Decimal("0.2")
    a.cells[("active", "licensing", "decisions")] = 2293
    b.cells[("active", "licensing", "decisions")] = 7
    agg = aggregate([write(tmp_path, "a.json", a), write(tmp_path, "b.json", b)], "某某区")
    total = agg.total
    assert total.cells[("requests", "new", "natural")] == 7
    assert total.cells[("active", "fees", "amount")] == Decimal("0.3")  # exact, no float
    assert total.cells[("active", "licensing", "decisions")] == 2300
    assert (total.organ, total.year, total.version) == ("某某区", a.year, "2021")
    for ref in total.cells:
        assert total.cells[ref] == a.cells[ref] + b.cells[ref]


def test_sum_of_consistent_reports_is_consistent(tmp_path):
    paths = [write(tmp_path, f"{i}.json", town(f"{i}镇", i, "2019")) for i in range(5)]
    total = aggregate(paths, "某某县").total
    total.texts = consistent_report("2019", random.Random(0)).texts
    assert [f for f in validate(total) if f.severity == "error"] == []


def test_a_signed_change_sums_with_its_sign(tmp_path):
    a, b = town("甲镇", 1, "2019"), town("乙镇", 2, "2019")
    a.cells[("active", "licensing", "change")] = -5
    b.cells[("active", "licensing", "change")] = 2
    total = aggregate([write(tmp_path, "a.json", a), write(tmp_path, "b.json", b)]).total
    assert total.cells[("active", "licensing", "change")] == -3


def test_broken_file_is_reported_and_the_rest_summed(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "nianbao.report/1", "format": "2021"', encoding="utf-8")
    agg = aggregate([write(tmp_path, "a.json", a), broken, write(tmp_path, "b.json", b)])
    assert [e.name for e in agg.summed] == ["a.json", "b.json"]
    assert [e.name for e in agg.failed] == ["broken.json"]
    assert "不是有效的 JSON" in agg.failed[0].failure
    assert agg.total.cells[("requests", "new", "total")] == \
           a.cells[("requests", "new", "total")] + b.cells[("requests", "new", "total")]


def test_each_file_keeps_its_own_findings(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    b.cells[("requests", "new", "total")] += 1
    agg = aggregate([write(tmp_path, "a.json", a), write(tmp_path, "b.json", b)])
    assert agg.summed[0].errors() == []
    assert {f.rule for f in agg.summed[1].errors()} >= {"requests.row_total", "requests.balance"}


def test_empty_cell_adds_nothing_and_a_cell_empty_everywhere_stays_empty(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    a.cells[("appeals", "reconsideration", "upheld")] = None
    a.cells[("appeals", "litigation_after", "pending")] = None
    b.cells[("appeals", "litigation_after", "pending")] = None
    agg = aggregate([write(tmp_path, "a.json", a), write(tmp_path, "b.json", b)])
    assert agg.total.cells[("appeals", "reconsideration", "upheld")] == b.cells[("appeals", "reconsideration", "upheld")]
    assert agg.total.cells[("appeals", "litigation_after", "pending")] is None
    assert any(f.rule == "complete" for f in agg.summed[0].errors())


def test_mixed_years_are_refused_with_a_clear_message(tmp_path):
    a = town("甲镇", 1)
    c = town("丙镇", 3)
    c.year = a.year - 1
    with pytest.raises(AggregateError) as exc:
        aggregate([write(tmp_path, "a.json", a), write(tmp_path, "c.json", c)])
    msg = str(exc.value)
    assert msg.startswith("只能汇总同一年度、同一格式的报告")
    assert f"{a.year} 年度（2021 版格式）：a.json" in msg and f"{c.year} 年度（2021 版格式）：c.json" in msg


def test_nothing_readable_is_refused(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(AggregateError, match="都无法读取"):
        aggregate([bad])


def test_published_reports_are_imported_and_summed(tmp_path):
    agg = aggregate([REPORTS / "2021-pingtan-zone.html", REPORTS / "2021-pingtan-zone.json"])
    assert agg.total.cells[("active", "fees", "amount")] == Decimal("48504.622164")
    assert agg.total.cells[("requests", "new", "total")] == 140


def test_cli_aggregate_json_opens_as_a_report(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    out = tmp_path / "sum.json"
    proc = run_nianbao("aggregate", str(write(tmp_path, "a.json", a)), str(write(tmp_path, "b.json", b)),
                       "-o", str(out), "--organ", "某某区")
    assert proc.returncode == 0, proc.stderr
    assert "已汇总 2 份报告" in proc.stdout
    total = exchange.read_file(out)
    assert total.organ == "某某区"
    assert total.cells[("requests", "granted", "natural")] == \
           a.cells[("requests", "granted", "natural")] + b.cells[("requests", "granted", "natural")]
    proc = run_nianbao("validate", str(out))
    assert proc.returncode == 1  # the district still has to write its texts
    assert "一、总体情况：未填写" in proc.stdout


def test_cli_aggregate_lists_which_file_has_which_problem(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    b.cells[("appeals", "reconsideration", "total")] += 2
    broken = tmp_path / "c.json"
    broken.write_text("not json", encoding="utf-8")
    proc = run_nianbao("aggregate", str(write(tmp_path, "a.json", a)), str(write(tmp_path, "b.json", b)),
                       str(broken), "-o", str(tmp_path / "sum.json"))
    assert proc.returncode == 1
    assert "✗ c.json：无法读取，未计入汇总" in proc.stdout
    assert "! b.json（乙镇）：1 个错误，0 个警告（数字来源：年报数据文件）" in proc.stdout
    assert "错误【复议诉讼合计】第四部分 行政复议行" in proc.stdout
    assert "✓ a.json（甲镇）：数字来源：年报数据文件" in proc.stdout


def test_cli_aggregate_mixed_years_exit_2(tmp_path):
    proc = run_nianbao("aggregate", str(REPORTS / "2021-pingtan-zone.json"),
                       str(REPORTS / "2020-zunhuadian-town.json"), "-o", str(tmp_path / "s.json"))
    assert proc.returncode == 2
    assert "只能汇总同一年度、同一格式的报告" in proc.stderr
    assert not (tmp_path / "s.json").exists()


def test_cli_aggregate_xlsx_has_a_row_per_body_and_totals(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    a.cells[("active", "fees", "amount")] = Decimal("1.234567")
    b.cells[("active", "fees", "amount")] = Decimal("2")
    out = tmp_path / "sum.xlsx"
    proc = run_nianbao("aggregate", str(write(tmp_path, "a.json", a)), str(write(tmp_path, "b.json", b)),
                       "-o", str(out), "--organ", "某某区")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    sheets = {}
    for table in a.format.tables.values():                 # a sheet per table, cells in the exchange order
        ws = wb[table.section.heading]
        below = int(ws.freeze_panes[1:])                  # the frozen header's last row + 1
        rows = list(ws.iter_rows(min_row=below - 1, values_only=True))
        assert [r[0] for r in rows[1:]] == ["甲镇", "乙镇", "某某区"]     # a row per body, the totals
        assert rows[3][-1] == "合计"
        assert len(rows[0]) == 2 + len(list(table.cells()))             # unit, cells, file
        headers = list(ws.iter_rows(max_row=below - 1, values_only=True))
        sheets[table.key] = ({ref: 1 + i for i, ref in enumerate(table.cells())}, rows, headers)
    column, rows, headers = sheets["requests"]
    col = column[("requests", "new", "natural")]
    assert [h[col] for h in headers if h[col]] == ["一、本年新收政府信息公开申请数量", "自然人"]
    assert rows[1][col] == a.cells[("requests", "new", "natural")]
    assert rows[3][col] == a.cells[("requests", "new", "natural")] + b.cells[("requests", "new", "natural")]
    column, rows, _ = sheets["active"]
    assert str(rows[3][column[("active", "fees", "amount")]]) == "3.234567"


def test_cli_aggregate_refuses_unknown_output(tmp_path):
    proc = run_nianbao("aggregate", str(REPORTS / "2021-pingtan-zone.json"), "-o", str(tmp_path / "s.doc"))
    assert proc.returncode == 2
    assert "请用 .json、.xlsx 或 .pdf" in proc.stderr


def test_nianbao_pdfs_are_summed_by_their_embedded_data(tmp_path):
    from app import pdf
    a, b = town("甲镇", 1), town("乙镇", 2)
    pa, pb = tmp_path / "a.pdf", tmp_path / "b.pdf"
    pdf.export_pdf(a, pa)
    pdf.export_pdf(b, pb)
    total = aggregate([pa, pb]).total
    assert total.cells == {ref: a.cells[ref] + b.cells[ref] for ref in a.cells}


def test_cli_aggregate_pdf_output(tmp_path):
    a, b = town("甲镇", 1), town("乙镇", 2)
    out = tmp_path / "sum.pdf"
    proc = run_nianbao("aggregate", str(write(tmp_path, "a.json", a)), str(write(tmp_path, "b.json", b)),
                       "-o", str(out), "--organ", "某某区")
    assert proc.returncode == 0, proc.stderr
    from app.importer import import_file
    back = import_file(out).report
    assert back.organ == "某某区"
    assert back.cells[("requests", "new", "total")] == a.cells[("requests", "new", "total")] + b.cells[("requests", "new", "total")]


def test_the_same_body_twice_is_pointed_out(tmp_path):
    a = town("甲镇", 1)
    p1 = write(tmp_path, "a.json", a)
    p2 = write(tmp_path, "a-副本.json", a)
    agg = aggregate([p1, p2])
    assert agg.notes == ["“甲镇”出现在 2 个文件中（a.json、a-副本.json），已分别计入汇总，请确认没有重复"]
    proc = run_nianbao("aggregate", str(p1), str(p2), "-o", str(tmp_path / "s.json"))
    assert proc.returncode == 1
    assert "“甲镇”出现在 2 个文件中" in proc.stdout


def test_xlsx_lists_the_problems_per_file(tmp_path):
    from app.aggregate.xlsx import write_xlsx
    a, b = town("甲镇", 1), town("乙镇", 2)
    b.cells[("appeals", "reconsideration", "total")] += 2
    broken = tmp_path / "c.json"
    broken.write_text("not json", encoding="utf-8")
    agg = aggregate([write(tmp_path, "a.json", a), write(tmp_path, "b.json", b), broken])
    write_xlsx(agg, tmp_path / "sum.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "sum.xlsx")["问题"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "报告单位", "类别", "规则", "说明")
    assert rows[1][:4] == ("b.json", "乙镇", "错误", "复议诉讼合计")
    assert rows[1][4].startswith("第四部分 行政复议行")
    assert rows[2][:3] == ("c.json", None, "无法读取")
    assert len(rows) == 3


def test_pdf_without_a_chinese_font_is_said_in_chinese(tmp_path, monkeypatch):
    """The PDF package's error (no font to embed) becomes the aggregate's Chinese message,
    which the window and the command line show, instead of an unhandled exception."""
    from app import pdf
    from app.aggregate.save import save_aggregate
    from app.pdf import fonts as fontmod
    monkeypatch.setattr(fontmod, "candidates", lambda face, spec, user: iter(()))
    paths = [write(tmp_path, "a.json", town("甲镇", 1)), write(tmp_path, "b.json", town("乙镇", 2))]
    out = tmp_path / "sum.pdf"
    with pytest.raises(AggregateError) as exc:
        save_aggregate(aggregate(paths), out)
    assert str(exc.value).startswith("汇总 PDF 没有导出：找不到可以嵌入 PDF 的中文字体。")
    assert not isinstance(exc.value, pdf.PdfError)
    assert not out.exists()


def test_cli_pdf_with_a_character_no_font_has_exits_2(tmp_path):
    paths = [write(tmp_path, "a.json", town("甲镇", 1)), write(tmp_path, "b.json", town("乙镇", 2))]
    out = tmp_path / "sum.pdf"
    proc = run_nianbao("aggregate", *map(str, paths), "-o", str(out), "--organ", "某某区\U000F0001")
    assert proc.returncode == 2, proc.stderr
    assert "汇总 PDF 没有导出：有字无法打印" in proc.stderr and "U+F0001" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
