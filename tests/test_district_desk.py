"""The district desk through the real command: a roster of 12 units and 10 files (one unit
twice, one not on the roster, one with errors, one PDF), last year's reports with planted
changes, the district's own report, the 问题清单 and the record reopened a week later."""
from __future__ import annotations

import json
from fractions import Fraction

import openpyxl
import pytest
from docx import Document

from app import exchange
from app.pdf.linebreak import CANNOT_START
from app.rules import SEVERITY_NAMES, validate
from tests.cli_helpers import run_nianbao
from tests.district_data import ERROR_FILE, MISSING, ROSTER, Numbers, build, scenario, write
from tests.pdf_helpers import pdftotext, squash


@pytest.fixture
def district(tmp_path):
    s = scenario(tmp_path)
    out = tmp_path / "某某区汇总.xlsx"
    proc = run_nianbao("aggregate", *map(str, s.files), "--roster", str(s.roster),
                       "--previous", *map(str, s.previous), "--parent", str(s.parent),
                       "--organ", "某某区", "--office", "某某区政务公开办公室",
                       "--feedback", str(tmp_path / "问题清单"), "-o", str(out))
    return s, out, proc


def test_missing_unknown_and_duplicate_units_are_named(district):
    _, _, proc = district
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "名单（名单.txt）：12 个单位，已收到 8 个，未收到 4 个" in out
    assert f"✗ 未收到（4）：{'、'.join(MISSING)}" in out
    assert "! 名单外的单位（1）：某某科技有限公司（某某科技公司.json）" in out
    assert "! 重复报送：“滍阳镇”有 2 份文件（滍阳镇.json、滍阳镇-重新报送.json）" in out
    # the doubtful name matches are shown for the clerk to confirm; 人民政府 left out is not doubtful
    assert "? 名称需核对：名称近似（简称）：名单“区发改委”，报告“某某区发展和改革委员会”（发改委.json）" in out
    assert "? 名称需核对：名称近似（省略了前缀）：名单“区财政局”，报告“某某区财政局”（财政局.json）" in out
    assert out.count("? 名称需核对") == 2
    assert "✓ 荆山街道.pdf（荆山街道）：数字来源：PDF 内嵌的年报数据" not in out  # it has warnings
    assert "! 荆山街道.pdf（荆山街道）：0 个错误，2 个警告（数字来源：PDF 内嵌的年报数据）" in out
    assert "! 焦店镇.json（焦店镇）：2 个错误，0 个警告（数字来源：年报数据文件）" in out
    assert "已汇总 10 份报告（2024 年度，2021 版格式）" in out


def test_nothing_a_user_reads_shows_a_rule_id_or_the_program_name(district):
    s, out, proc = district
    texts = [proc.stdout, proc.stderr]
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        texts += [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    for docx in (out.parent / "问题清单").glob("*.docx"):
        texts += [c.text for t in Document(docx).tables for r in t.rows for c in r.cells]
    joined = "\n".join(texts)
    assert "nianbao" not in joined.replace("汇总.汇总记录.json", "")
    for rule in {f.rule for name in s.this for f in validate(s.this[name])} | {"carry.requests", "requests.balance"}:
        assert f"[{rule}]" not in joined and f"【{rule}】" not in joined


def docx_rows(path):
    table = Document(path).tables[0]
    return [tuple(c.text for c in row.cells) for row in table.rows]


def test_feedback_lists_exactly_each_units_findings(district, tmp_path):
    s, _, _ = district
    folder = tmp_path / "问题清单"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["焦店镇问题清单.docx", "焦店镇问题清单.pdf", "荆山街道问题清单.docx", "荆山街道问题清单.pdf",
         "问题清单汇总.docx", "问题清单汇总.pdf"])
    last_jingshan = exchange.read_file(next(p for p in s.previous if "荆山街道" in p.name))
    expected = {"焦店镇问题清单.docx": validate(s.this[ERROR_FILE]),
                "荆山街道问题清单.docx": validate(s.this["荆山街道.pdf"], last_jingshan)}
    for name, findings in expected.items():
        findings = [f for f in findings if f.severity in ("error", "warning")]
        assert findings  # the planted problems
        rows = docx_rows(folder / name)
        assert rows[0] == ("序号", "类别", "问题", "具体情况", "改正要求")
        got = [(r[1], r[2], r[3].split("\n")[0]) for r in rows[1:]]
        assert got == [(SEVERITY_NAMES[f.severity], f.name, f.message) for f in findings]
        assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(findings) + 1)]
        for row in rows[1:]:
            assert row[4]  # what to correct
            assert row[3].split("\n")[1].startswith("涉及：")
        doc = Document(folder / name)
        body = "\n".join(p.text for p in doc.paragraphs)
        unit = name.removesuffix("问题清单.docx")
        assert f"报送单位：{unit}" in body
        assert f"报告名称：{unit}2024年政府信息公开工作年度报告" in body
        assert "某某区政务公开办公室" in body and "年" in body.splitlines()[-1]
        pdf = pdftotext(folder / name.replace(".docx", ".pdf"))
        at = 0
        for f in findings:   # every finding in the PDF too, in the same order
            at = squash(pdf).index(squash(f.message), at)
        assert squash(f"报送单位：{unit}") in squash(pdf)
        assert not [line for line in pdf.splitlines() if line[:1] and line[0] in CANNOT_START]
    # the cells and their numbers of a sum finding
    row = docx_rows(folder / "焦店镇问题清单.docx")[1]
    assert "第三部分 新收行 总计列：11" in row[3] and "第三部分 新收行 自然人列：10" in row[3]


def test_feedback_overview_lists_every_unit(district, tmp_path):
    rows = docx_rows(tmp_path / "问题清单" / "问题清单汇总.docx")
    by_unit = {r[1]: r for r in rows[1:]}
    assert list(by_unit)[:12] == ROSTER and "某某科技有限公司" in by_unit
    assert by_unit["焦店镇"][2:] == ("有错误", "2", "0", "焦店镇问题清单.docx")
    assert by_unit["荆山街道"][2:] == ("有警告", "0", "2", "荆山街道问题清单.docx")
    assert by_unit["皇台街道"][2] == "未收到" and by_unit["皇台街道"][5] == "请催报"
    assert by_unit["滍阳镇"][2] == "重复报送（2 份）"
    assert by_unit["某某科技有限公司"][2] == "名单外"


def test_feedback_never_replaces_existing_files_without_force(district, tmp_path):
    """The overwrite policy of every output: the 问题清单 already in the folder stay, and
    nothing at all is written (not the sum, not the record), unless --force."""
    s, _, _ = district
    folder = tmp_path / "问题清单"
    (folder / "焦店镇问题清单.docx").write_bytes(b"sent last week")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path / "再次汇总.xlsx"
    args = ["aggregate", *map(str, s.files), "--roster", str(s.roster), "--previous", *map(str, s.previous),
            "--parent", str(s.parent), "--organ", "某某区", "--feedback", str(folder), "-o", str(out)]
    proc = run_nianbao(*args)
    assert proc.returncode == 2
    assert proc.stderr == (f"nianbao：问题清单文件夹 {folder} 中已有同名的文件（焦店镇问题清单.docx、"
                           "焦店镇问题清单.pdf、荆山街道问题清单.docx等 6 个），为避免覆盖，请换一个文件夹（或加 --force）\n")
    assert not out.exists() and not list(tmp_path.glob("再次汇总*"))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    proc = run_nianbao(*args, "--force")
    assert proc.returncode == 1 and out.exists()
    assert f"问题清单：2 个单位的问题清单和“问题清单汇总.docx”已写入 {folder}" in proc.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)
    assert docx_rows(folder / "焦店镇问题清单.docx")[1][2] == "申请情况合计（按行）"


def pct(f: Fraction):
    return round(f.numerator / f.denominator, 4)


def test_ratios_equal_hand_computed_ones(district):
    _, out, proc = district
    # by hand from tests/district_data.UNITS: 遵化店镇 (30+10)/64; 区发改委 15/40 < 50 % → 偏低;
    # total 予以公开 91, 部分公开 21, 总计 198; 复议 纠正 5 of 23 concluded; 诉讼 0 of 2;
    # 新收 199 (焦店镇 printed 11) against last year's 146.
    assert "遵化店镇：实质公开率 62.5%（40/64）；行政复议纠错率 20.0%（1/5，不足30件）" in proc.stdout
    assert "区发改委：实质公开率 37.5%（15/40）偏低" in proc.stdout
    assert ("合计：实质公开率 56.6%（112/198）；行政复议纠错率 21.7%（5/23，不足30件）；"
            "行政诉讼纠错率 0.0%（0/2，不足30件）；申请量增减 +36.3%（53/146）") in proc.stdout
    rows = list(openpyxl.load_workbook(out)["比率"].iter_rows(values_only=True))
    header = rows[0]
    total = next(r for r in rows if r[0] == "合计")
    col = header.index("实质公开率")
    assert float(total[col]) == pct(Fraction(91 + 21, 198))
    assert total[col + 1:col + 4] == (112, 198, None)
    col = header.index("行政复议纠错率")
    assert float(total[col]) == pct(Fraction(5, 23)) and total[col + 3] == "不足30件，不评价"
    col = header.index("申请量增减")
    assert float(total[col]) == pct(Fraction(199 - 146, 146))
    fgw = next(r for r in rows if r[0] == "区发改委")
    assert fgw[header.index("实质公开率评价")] == "偏低"


def test_year_over_year_flags_exactly_the_planted_changes(district):
    _, out, proc = district
    rows = list(openpyxl.load_workbook(out)["与上年比较"].iter_rows(values_only=True))
    flagged = {(r[0], r[2], r[3], r[4], r[6]) for r in rows[1:] if r[6]}
    assert flagged == {
        ("遵化店镇", "第三部分 予以公开行 自然人列", 5, 30, "本年为上年的6.0倍"),
        ("遵化店镇", "第三部分 予以公开行 总计列", 5, 30, "本年为上年的6.0倍"),
        ("焦店镇", "新收申请", 0, 11, "由 0 变为非 0"),
        ("区财政局", "行政复议", 12, 0, "由非 0 变为 0"),
        ("区教育局", "行政诉讼", 0, 2, "由 0 变为非 0"),
        ("区民政局", "第二部分 行政事业性收费行 本年收费金额列", 1.5, 9, "本年为上年的6.0倍"),
        ("合计", "行政诉讼", 0, 2, "由 0 变为非 0"),
        ("荆山街道", "上年结转核对", None, None,
         "警告【上年结转】第三部分 自然人列：上年结转(0)，但上年报告结转下年度(3)，相差3"),
        ("荆山街道", "上年结转核对", None, None,
         "警告【上年结转】第三部分 总计列：上年结转(0)，但上年报告结转下年度(3)，相差3"),
    }
    assert "与上年比较（8 个单位有上年报告）：变化大的 7 处，上年结转不符 2 处" in proc.stdout
    assert "区民政局：第二部分 行政事业性收费行 本年收费金额列：上年 1.5000，本年 9.0000，本年为上年的6.0倍" in proc.stdout


def test_the_districts_own_report_against_its_units(district):
    _, out, proc = district
    assert "本级报告（某某区本级.json）与各单位合计：2 处不同" in proc.stdout
    assert "第二部分 行政许可行 本年处理决定数量列：本级报告 98，各单位合计 100，相差2" in proc.stdout
    assert "第二部分 行政事业性收费行 本年收费金额列：本级报告 22.4000，各单位合计 22.5000，相差0.1000" in proc.stdout
    rows = list(openpyxl.load_workbook(out)["本级报告核对"].iter_rows(values_only=True))
    assert len(rows) == 3
    # the district's own report is not summed
    for sheet in openpyxl.load_workbook(out).worksheets[:3]:      # the tables' sheets
        assert "某某区人民政府" not in [r[0] for r in sheet.iter_rows(values_only=True)]


def test_reopened_a_week_later_with_what_has_arrived_since(district, tmp_path):
    s, out, _ = district
    record = tmp_path / "某某区汇总.汇总记录.json"
    assert record.exists()
    late = s.folder / "皇台街道.json"
    write(build("皇台街道", 2024, Numbers(7, 0, 3)), late)
    proc = run_nianbao("aggregate", str(late), "--record", str(record), "-o", str(out), "--force")
    assert proc.returncode == 1, proc.stderr
    # roster, files, last year, the district's own report and names all kept by the record
    assert "名单（名单.txt）：12 个单位，已收到 9 个，未收到 3 个" in proc.stdout
    assert "✗ 未收到（3）：区司法局、区卫健委、区住建局" in proc.stdout
    assert "✓ 皇台街道.json（新收到）（皇台街道）：数字来源：年报数据文件" in proc.stdout
    assert "! 焦店镇.json（焦店镇）：2 个错误，0 个警告（数字来源：年报数据文件）" in proc.stdout
    assert "荆山街道.pdf（荆山街道）：0 个错误，2 个警告（数字来源：PDF 内嵌的年报数据）" in proc.stdout
    # the district's own report (kept) now differs from the sum by 皇台街道's numbers too
    assert "第二部分 行政许可行 本年处理决定数量列：本级报告 98，各单位合计 110，相差12" in proc.stdout
    assert "已汇总 11 份报告" in proc.stdout
    assert "（新收到）" not in proc.stdout.replace("皇台街道.json（新收到）", "")
    # a file changed since is read again; one moved away keeps the data the record saved
    changed = next(p for p in s.files if p.name == "民政局.json")
    write(build("区民政局", 2024, Numbers(4, 1, 5)), changed)
    next(p for p in s.files if p.name == "教育局.json").unlink()
    proc = run_nianbao("aggregate", "--record", str(record), "-o", str(out), "--force")
    assert "✓ 民政局.json（文件已更新，重新读取）（区民政局）：数字来源：年报数据文件" in proc.stdout
    assert "✓ 教育局.json（原文件已不在，用汇总记录中保存的数据）（区教育局）：数字来源：年报数据文件" in proc.stdout
    assert "区民政局：第二部分 行政事业性收费行" not in proc.stdout  # its fee is 1.5 again
    assert "区教育局：行政诉讼：上年 0 件，本年 2 件" in proc.stdout
    assert "已汇总 11 份报告" in proc.stdout


def test_name_decisions_are_kept_in_the_record_and_not_asked_again(district, tmp_path):
    """The clerk confirms one doubtful name and rules out the other on the command line:
    the record keeps both, and later runs with the record no longer ask."""
    s, out, proc = district
    record = tmp_path / "某某区汇总.汇总记录.json"
    assert "核对后，是同一单位的加 --confirm-name 报告单位=名单单位" in proc.stdout
    proc = run_nianbao("aggregate", "--record", str(record), "-o", str(out), "--force",
                       "--confirm-name", "某某区发展和改革委员会=区发改委",
                       "--reject-name", "某某区财政局＝区财政局")
    assert proc.returncode == 1, proc.stderr
    assert "? 名称需核对" not in proc.stdout and "--confirm-name" not in proc.stdout
    assert "名称核对结果（汇总记录中保存的）：确认是同一单位 1 个，不是同一单位 1 个" in proc.stdout
    # ruled out: 某某区财政局 is a unit of its own, and 区财政局 has not reported
    assert f"✗ 未收到（5）：{'、'.join(MISSING[:1] + ['区财政局'] + MISSING[1:])}" in proc.stdout
    assert "! 名单外的单位（2）：某某区财政局（财政局.json）、某某科技有限公司（某某科技公司.json）" in proc.stdout
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["names"] == [{"report": "某某区发展和改革委员会", "unit": "区发改委", "same": True},
                             {"report": "某某区财政局", "unit": "区财政局", "same": False}]
    again = run_nianbao("aggregate", "--record", str(record), "-o", str(out), "--force")
    assert "? 名称需核对" not in again.stdout
    assert "! 名单外的单位（2）：某某区财政局（财政局.json）" in again.stdout
    wb = openpyxl.load_workbook(out)
    notes = {r[0]: r[6] for r in wb["名单"].iter_rows(values_only=True)}
    assert notes["区发改委"] == "已确认是同一单位：名单“区发改委”，报告“某某区发展和改革委员会”"
    assert notes["某某区财政局"] == "已确认“某某区财政局”不是名单中的“区财政局”，不在名单中"


def test_a_decision_written_into_the_record_by_hand(district, tmp_path):
    """The record is plain JSON: a line added to its ``names`` by hand is a decision too."""
    s, out, _ = district
    record = tmp_path / "某某区汇总.汇总记录.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["names"] == []
    data["names"] = [{"report": "某某区财政局", "unit": "区财政局", "same": True},
                     {"report": "某某区发展和改革委员会", "unit": "区发展改革局", "same": True}]
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run_nianbao("aggregate", "--record", str(record), "-o", str(out), "--force")
    assert "? 名称需核对：名称近似（简称）：名单“区发改委”，报告“某某区发展和改革委员会”（发改委.json）" in proc.stdout
    assert proc.stdout.count("? 名称需核对") == 1
    assert ("! 名称核对结果“报告单位“某某区发展和改革委员会”是名单中的“区发展改革局””没有使用："
            "名单中没有“区发展改革局”") in proc.stdout
    bad = run_nianbao("aggregate", "--record", str(record), "-o", str(out), "--force",
                      "--confirm-name", "区发改委")
    assert bad.returncode == 2
    assert "--confirm-name 区发改委：请写成“报告中的单位名称=名单中的单位名称”" in bad.stderr


def test_roster_from_last_years_units(tmp_path):
    s = scenario(tmp_path)
    proc = run_nianbao("aggregate", *map(str, s.files[:3]), "--previous", *map(str, s.previous),
                       "--roster-from-previous", "-o", str(tmp_path / "s.json"))
    assert "名单（上年收到的 8 份报告）：8 个单位，已收到 3 个，未收到 5 个" in proc.stdout
    assert "✗ 未收到（5）：滍阳镇、某某区发展和改革委员会、某某区财政局、区教育局、区民政局" in proc.stdout


def test_the_districts_own_report_found_among_the_files_by_name(tmp_path):
    s = scenario(tmp_path)
    proc = run_nianbao("aggregate", *map(str, s.files), str(s.parent), "--organ", "某某区",
                       "-o", str(tmp_path / "s.json"))
    assert "本级报告：某某区本级.json（不计入汇总）" in proc.stdout
    assert "本级报告（某某区本级.json）与各单位合计：2 处不同" in proc.stdout
    assert "已汇总 10 份报告" in proc.stdout


def test_a_bad_roster_is_refused_in_chinese(tmp_path):
    s = scenario(tmp_path)
    empty = tmp_path / "空名单.txt"
    empty.write_text("单位名称\n\n", encoding="utf-8")
    proc = run_nianbao("aggregate", str(s.files[0]), "--roster", str(empty), "-o", str(tmp_path / "s.json"))
    assert proc.returncode == 2
    assert f"名单 {empty}：名单中没有单位：请每行写一个单位名称" in proc.stderr
    assert not (tmp_path / "s.json").exists()


def test_every_cell_against_last_year_in_the_spreadsheet(district):
    s, out, _ = district
    rows = list(openpyxl.load_workbook(out)["逐格与上年比较"].iter_rows(values_only=True))
    header = rows[0]
    line = next(r for r in rows if r[0] == "遵化店镇")
    assert line[header.index("第三部分 予以公开行 总计列（上年）")] == 5
    assert line[header.index("第三部分 予以公开行 总计列（本年）")] == 30
    assert line[header.index("第三部分 新收行 自然人列（本年）")] == 64
    assert [r[0] for r in rows[1:]] == ["遵化店镇", "焦店镇", "荆山街道", "滍阳镇", "滍阳镇", "区发改委",
                                        "区财政局", "区教育局", "区民政局", "合计"]


def test_a_published_pdf_read_from_its_printed_tables(tmp_path):
    """A real city's published PDF (not made by this program) among the units: placed on
    the roster by its name, its numbers said to come from the printed tables, its warning
    sent back in its 问题清单."""
    from tests.conftest import REPORTS
    other = tmp_path / "甲县.json"
    write(build("甲县人民政府", 2024, Numbers(30, 10, 24)), other)
    roster = tmp_path / "名单.txt"
    roster.write_text("淮安市\n甲县\n乙县\n", encoding="utf-8")
    proc = run_nianbao("aggregate", str(REPORTS / "2024-huaian-city.pdf"), str(other), "--roster", str(roster),
                       "--feedback", str(tmp_path / "退回"), "-o", str(tmp_path / "s.xlsx"))
    assert "名单（名单.txt）：3 个单位，已收到 2 个，未收到 1 个" in proc.stdout
    assert "✗ 未收到（1）：乙县" in proc.stdout
    assert "! 2024-huaian-city.pdf（淮安市人民政府）：0 个错误，1 个警告（数字来源：印出的表格）" in proc.stdout
    assert "? 名称需核对" not in proc.stdout
    rows = docx_rows(tmp_path / "退回" / "淮安市问题清单.docx")
    assert [r[1:3] for r in rows[1:]] == [("警告", "总体情况字数")]
