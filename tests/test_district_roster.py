"""The roster: read from text or .xlsx, names matched tolerantly, doubtful matches kept."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.aggregate.roster import (
    ABBREVIATION,
    SAME,
    SUFFIX,
    TOLERANT,
    Arrival,
    RosterError,
    check_roster,
    match_name,
    read_roster,
    roster_from_names,
)


def test_text_roster_with_numbers_header_blank_lines_and_comments(tmp_path):
    p = tmp_path / "名单.txt"
    p.write_text("单位名称\n# 乡镇\n1. 遵化店镇\n2、焦店镇\n\n（3）荆山街道\n区发改委\t备注\n",
                 encoding="utf-8")
    roster = read_roster(p)
    assert roster.units == ("遵化店镇", "焦店镇", "荆山街道", "区发改委")
    assert roster.source == "名单.txt"


def test_text_roster_saved_by_notepad_in_gbk(tmp_path):
    p = tmp_path / "名单.txt"
    p.write_bytes("遵化店镇\r\n焦店镇\r\n".encode("gb18030"))
    assert read_roster(p).units == ("遵化店镇", "焦店镇")


def test_xlsx_roster_skips_the_number_column_and_the_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "单位名称", "联系人"])
    ws.append([1, "遵化店镇", "张三"])
    ws.append([2, "区财政局", None])
    ws.append([None, None, None])
    p = tmp_path / "名单.xlsx"
    wb.save(p)
    assert read_roster(p).units == ("遵化店镇", "区财政局")


def test_the_same_unit_twice_on_the_roster_counts_once_and_is_said(tmp_path):
    roster = roster_from_names(["遵化店镇", "遵化店镇人民政府"], "名单")
    assert roster.units == ("遵化店镇",)
    assert roster.notes == ("名单中“遵化店镇人民政府”与“遵化店镇”是同一单位，只计一次",)


@pytest.mark.parametrize("name, content, message", [
    ("名单.doc", b"x", "名单文件的类型“.doc”不支持"),
    ("名单.txt", "\n\n单位\n".encode(), "名单中没有单位"),
    ("名单.txt", b"\xff\xfe\x00\xd8\x00", "名单文件不是文本文件"),
    ("名单.xlsx", b"not a workbook", "名单文件不是有效的 Excel 表格"),
])
def test_bad_rosters_are_refused_in_chinese(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(RosterError, match=message):
        read_roster(p)


def test_a_missing_roster_file(tmp_path):
    with pytest.raises(RosterError, match="找不到文件"):
        read_roster(tmp_path / "无.txt")


@pytest.mark.parametrize("name, unit, level", [
    ("遵化店镇", "遵化店镇", SAME),
    ("遵化店镇人民政府", "遵化店镇", TOLERANT),           # 人民政府 omitted: certain
    ("遵化店镇 人民政府", "遵化店镇", TOLERANT),
    ("平顶山高新技术产业开发区遵化店镇", "遵化店镇", SUFFIX),  # region prefix omitted: doubtful
    ("某某区发展和改革委员会", "区发改委", ABBREVIATION),       # 简称: doubtful
    ("某某区住房和城乡建设局", "区住建局", ABBREVIATION),
])
def test_names_are_matched_tolerantly(name, unit, level):
    m = match_name(name, ["遵化店镇", "焦店镇", "区发改委", "区住建局", "区财政局"])
    assert (m.unit, m.level) == (unit, level)
    assert m.doubtful == (level >= SUFFIX)


@pytest.mark.parametrize("name", ["某某科技有限公司", "焦店镇卫生院", "区财政局国库支付中心", "店镇"])
def test_unrelated_names_are_not_matched(name):
    assert match_name(name, ["遵化店镇", "焦店镇", "区财政局"]).unit is None


def test_a_name_close_to_two_units_is_not_guessed():
    m = match_name("遵化店镇", ["甲区遵化店镇", "乙县遵化店镇"])
    assert m.unit is None and m.candidates == ("甲区遵化店镇", "乙县遵化店镇")
    assert m.describe() == "“遵化店镇”与名单中的“甲区遵化店镇”、“乙县遵化店镇”都相近，无法确定是哪个单位"


def test_a_weaker_match_gives_way_to_a_better_one():
    roster = roster_from_names(["区财政局", "遵化店镇"], "名单")
    arrivals = [Arrival(Path("a.json"), "区财政局"), Arrival(Path("b.json"), "某某区区财政局")]
    check = check_roster(roster, arrivals)
    assert check.units[0].files == [Path("a.json")]
    assert check.unknown == [Path("b.json")]
    assert check.notes == ["b.json：报告单位“某某区区财政局”与名单“区财政局”相近，但“区财政局”已有名称更接近的报告，按名单外单位处理"]
    assert [u.unit for u in check.units if not u.files] == ["遵化店镇"]


def test_an_unreadable_file_is_placed_by_its_name_and_marked_doubtful():
    roster = roster_from_names(["遵化店镇", "焦店镇"], "名单")
    check = check_roster(roster, [Arrival(Path("收到/焦店镇年报.json"), None)])
    assert all(not u.files for u in check.units)  # 焦店镇年报 does not end alike: not guessed
    assert check.unknown == [Path("收到/焦店镇年报.json")]
    check = check_roster(roster, [Arrival(Path("收到/焦店镇.pdf"), None)])
    m = check.matches[Path("收到/焦店镇.pdf")]
    assert m.unit == "焦店镇" and m.doubtful
    assert m.describe() == "按文件名对应到名单“焦店镇”，请核对"


def test_the_clerks_word_comes_before_every_step():
    """Confirmed: certain (not doubtful) even for a name no step would match; ruled out: the
    next best unit is asked about, or none; a close name the clerk chose between is taken."""
    from app.aggregate.roster import CONFIRMED, NameDecision

    units = ["甲区遵化店镇", "乙县遵化店镇", "区财政局"]
    yes = NameDecision("遵化店镇", "乙县遵化店镇", True)
    m = match_name("遵化店镇", units, decisions=[yes])
    assert (m.unit, m.level, m.doubtful) == ("乙县遵化店镇", CONFIRMED, False)
    assert m.describe() == "已确认是同一单位：名单“乙县遵化店镇”，报告“遵化店镇”"
    no = NameDecision("遵化店镇", "甲区遵化店镇", False)
    m = match_name("遵化店镇", units, decisions=[no])
    assert (m.unit, m.level, m.ruled_out) == ("乙县遵化店镇", SUFFIX, ("甲区遵化店镇",))
    m = match_name("某某区财政局", units, decisions=[NameDecision("某某区财政局", "区财政局", False)])
    assert m.unit is None
    assert m.describe() == "已确认“某某区财政局”不是名单中的“区财政局”，不在名单中"
    # a word about another name or a unit not on the roster changes nothing
    assert match_name("某某区财政局", units, decisions=[no, NameDecision("某某区财政局", "区税务局", True)]).level == SUFFIX
