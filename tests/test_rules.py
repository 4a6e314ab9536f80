"""Each rule of the spec, with a hand-made failing report and the exact message shown."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import exchange
from app.rules import validate
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from factories import blank_filled_with_zeros

TODAY = dt.date(2026, 11, 24)


def findings(report, previous=None, rule=None):
    out = validate(report, previous, today=TODAY)
    return [f for f in out if rule is None or f.rule == rule]


def messages(report, rule, previous=None):
    return [f.message for f in findings(report, previous, rule)]


def test_fixture_reports_are_clean_but_for_what_they_deserve():
    zun = exchange.read_file(ZUNHUADIAN_JSON)
    assert [(f.rule, f.severity) for f in findings(zun)] == [("text.halfwidth", "info")]  # 2020年, 政府…
    ping = exchange.read_file(PINGTAN_JSON)
    assert [(f.rule, f.severity) for f in findings(ping)] == [
        ("text.overview_length", "warning"),
        ("text.doubled", "info"),          # 规范审核审核发布机制
        ("text.halfwidth", "info"),        # 信息公开,通过
        ("text.halfwidth", "info"),        # 存在的主要问题:政策
        ("appeals.co_defendant", "info"),  # 12 lawsuits
    ]


def test_balance_message_shows_the_numbers_as_in_the_issue():
    r = blank_filled_with_zeros("2021")
    for row, value in (("new", 5), ("carried_in", 1), ("granted", 4), ("total", 4), ("carried_out", 1)):
        r.cells[("requests", row, "natural")] = value
        r.cells[("requests", row, "total")] = value
    f, f_total = findings(r, rule="requests.balance")
    assert f.severity == "error"
    assert f.message == "第三部分 自然人列：新收(5)+上年结转(1)=6，但办理结果总计(4)+结转下年度(1)=5，相差1"
    assert f.cells == (("requests", "new", "natural"), ("requests", "carried_in", "natural"),
                       ("requests", "total", "natural"), ("requests", "carried_out", "natural"))
    assert f_total.message.startswith("第三部分 总计列：新收(5)+上年结转(1)=6")


def test_balance_fails_in_every_column_that_is_off():
    r = blank_filled_with_zeros("2019")
    r.cells[("requests", "new", "legal")] = 2
    r.cells[("requests", "new", "total")] = 2
    assert messages(r, "requests.balance") == [
        "第三部分 法律服务机构列：新收(2)+上年结转(0)=2，但办理结果总计(0)+结转下年度(0)=0，相差2",
        "第三部分 总计列：新收(2)+上年结转(0)=2，但办理结果总计(0)+结转下年度(0)=0，相差2",
    ]


def test_row_total():
    r = blank_filled_with_zeros("2021")
    r.cells[("requests", "granted", "natural")] = 3
    r.cells[("requests", "granted", "social")] = 1
    r.cells[("requests", "granted", "total")] = 5
    (msg,) = messages(r, "requests.row_total")
    assert msg == ("第三部分 予以公开行：总计(5)，但自然人(3)+商业企业(0)+科研机构(0)+社会公益组织(1)"
                   "+法律服务机构(0)+其他法人或其他组织(0)=4，相差1")


def test_results_total_names_the_sum_of_the_result_rows():
    r = blank_filled_with_zeros("2021")
    r.cells[("requests", "other_misc", "commercial")] = 2
    (f,) = findings(r, rule="requests.results_total")
    assert f.message == "第三部分 商业企业列：办理结果总计(0)，但（一）至（六）各项之和为2，相差2"
    assert ("requests", "other_misc", "commercial") in f.cells


def test_results_total_2019_uses_the_single_other_row():
    r = blank_filled_with_zeros("2019")
    r.cells[("requests", "other", "research")] = 1
    assert messages(r, "requests.results_total") == [
        "第三部分 科研机构列：办理结果总计(0)，但（一）至（六）各项之和为1，相差1"]


def test_appeals_row_total():
    r = blank_filled_with_zeros("2019")
    r.cells[("appeals", "litigation_after", "pending")] = 2
    assert messages(r, "appeals.row_total") == [
        "第四部分 行政诉讼（复议后起诉）行：总计(0)，但结果维持(0)+结果纠正(0)+其他结果(0)+尚未审结(2)=2，相差2"]


def test_in_force_warning_2021():
    r = blank_filled_with_zeros("2021")
    r.cells[("active", "regulations", "issued")] = 5
    r.cells[("active", "regulations", "repealed")] = 1
    r.cells[("active", "regulations", "in_force")] = 3
    (f,) = findings(r, rule="active.in_force")
    assert f.severity == "warning"
    assert f.message == "第二部分 规章行：现行有效件数(3)小于本年制发件数(5)-本年废止件数(1)=4，相差1"


def test_published_warning_2019():
    r = blank_filled_with_zeros("2019")
    r.cells[("active", "normative_documents", "published")] = 7
    r.cells[("active", "normative_documents", "total_published")] = 5
    (f,) = findings(r, rule="active.published")
    assert f.severity == "warning"
    assert f.message == "第二部分 规范性文件行：对外公开总数量(5)小于本年新公开数量(7)，相差2"


def test_complete_lists_the_empty_cells_of_a_row_and_suppresses_sums():
    r = blank_filled_with_zeros("2021")
    r.cells[("requests", "new", "natural")] = None
    r.cells[("requests", "new", "legal")] = None
    out = findings(r)
    assert [(f.rule, f.message) for f in out] == [
        ("complete", "第三部分 新收行：自然人、法律服务机构未填写（没有请填 0）")]
    assert out[0].cells == (("requests", "new", "natural"), ("requests", "new", "legal"))


def test_type_rule_for_counts_and_money():
    r = blank_filled_with_zeros("2021")
    r.cells[("requests", "new", "natural")] = -1
    r.cells[("requests", "new", "total")] = -1
    r.cells[("requests", "granted", "natural")] = -1
    r.cells[("requests", "granted", "total")] = -1
    r.cells[("requests", "total", "natural")] = -1
    r.cells[("requests", "total", "total")] = -1
    r.cells[("active", "fees", "amount")] = Decimal("1.1234567")
    assert messages(r, "type") == [
        "第二部分 行政事业性收费行 本年收费金额列：金额最多保留 6 位小数（1.1234567万元）",
        "第三部分 新收行 自然人列：数量不能为负数（-1）",
        "第三部分 新收行 总计列：数量不能为负数（-1）",
        "第三部分 予以公开行 自然人列：数量不能为负数（-1）",
        "第三部分 予以公开行 总计列：数量不能为负数（-1）",
        "第三部分 办理结果总计行 自然人列：数量不能为负数（-1）",
        "第三部分 办理结果总计行 总计列：数量不能为负数（-1）",
    ]


def test_negative_money_and_signed_change():
    r = blank_filled_with_zeros("2019")
    r.cells[("active", "licensing", "change")] = -3  # 本年增/减 may be negative
    r.cells[("active", "procurement", "amount")] = Decimal("-4.5")
    assert messages(r, "type") == ["第二部分 政府集中采购行 采购总金额列：金额不能为负数（-4.5万元）"]


def test_header_rule():
    r = blank_filled_with_zeros("2019")
    r.organ = "  "
    r.year = 2021
    assert messages(r, "header") == [
        "封面：报告单位（机关名称）未填写",
        "封面：2021 年度的报告应使用 2021 版格式，此报告为 2019 版",
    ]
    r2 = blank_filled_with_zeros("2021")
    r2.year = 2027
    assert messages(r2, "header") == ["封面：报告年度 2027 不在 2019 至 2026 之间"]
    r3 = blank_filled_with_zeros("2019")
    r3.year = 2018  # before any format: said once, no format named
    assert messages(r3, "header") == ["封面：报告年度 2018 不在 2019 至 2026 之间"]


def test_text_rules():
    r = blank_filled_with_zeros("2021")
    r.texts = {"overview": "", "problems": "无", "other": "无。"}
    assert [(f.rule, f.severity, f.message) for f in findings(r)] == [
        ("text.required", "error", "一、总体情况：未填写"),
        ("text.problems_empty", "warning",
         "五、存在的主要问题及改进情况：只写了“无”，过于简略；请具体说明存在的问题和改进措施（不得敷衍、年年雷同）"),
        ("text.fee_report", "warning",
         "第六部分未说明信息处理费的收取情况（《政府信息公开信息处理费管理办法》要求报告，未收取也应写明）"),
    ]


def test_fee_report_only_in_2021():
    r = blank_filled_with_zeros("2019")
    r.texts["other"] = "无。"
    assert messages(r, "text.fee_report") == []


def test_overview_length_counts_characters_without_spaces():
    r = blank_filled_with_zeros("2021")
    r.texts["overview"] = "公开。" * 333 + " \n 公"  # 999 + 1 visible characters
    assert messages(r, "text.overview_length") == []
    r.texts["overview"] += "开"
    assert messages(r, "text.overview_length") == [
        "一、总体情况：共 1001 字，超过“原则上不超过1000字”的要求 1 字"]


def test_text_numbers_warns_when_the_text_contradicts_the_table():
    r = blank_filled_with_zeros("2021")
    r.texts["overview"] += "本年度共收到政府信息公开申请12件。"
    (f,) = findings(r, rule="text.numbers")
    assert f.severity == "warning"
    assert f.cells == (("requests", "new", "total"),)
    assert "12" in f.message and "表格中为 0" in f.message and "相差12" in f.message


def test_carry_rules_need_last_years_report():
    prev = blank_filled_with_zeros("2019")
    prev.cells[("requests", "carried_out", "natural")] = 2
    prev.cells[("active", "licensing", "last_year")] = 10
    prev.cells[("active", "licensing", "change")] = -3
    r = blank_filled_with_zeros("2019")
    r.cells[("active", "licensing", "last_year")] = 8
    assert messages(r, "carry.requests") == []  # unknown previous year: not checked
    assert messages(r, "carry.requests", previous=prev) == [
        "第三部分 自然人列：上年结转(0)，但上年报告结转下年度(2)，相差2"]
    assert messages(r, "carry.active", previous=prev) == [
        "第二部分 行政许可行：上一年项目数量(8)，但上年报告上一年项目数量(10)+上年报告本年增/减(-3)=7，相差1"]


def test_carry_in_force_only_from_a_2021_format_report():
    prev = blank_filled_with_zeros("2021")
    prev.cells[("active", "normative_documents", "in_force")] = 600
    r = blank_filled_with_zeros("2021")
    r.cells[("active", "normative_documents", "issued")] = 69
    r.cells[("active", "normative_documents", "repealed")] = 3
    r.cells[("active", "normative_documents", "in_force")] = 665
    (f,) = findings(r, prev, "carry.in_force")
    assert f.severity == "warning"
    assert f.message == ("第二部分 行政规范性文件行：现行有效件数(665)，但上年报告现行有效件数(600)"
                         "+本年制发件数(69)-本年废止件数(3)=666，相差1")
    assert findings(r, blank_filled_with_zeros("2019"), "carry.in_force") == []
    assert findings(r, blank_filled_with_zeros("2019"), "carry.requests") == []


def test_money_in_messages_is_printed_with_four_decimals():
    from app.rules import _num
    assert _num(Decimal("4.093")) == "4.0930"
    assert _num(Decimal("24252.311082")) == "24252.311082"


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_rule_of_the_format_has_a_check(version):
    from app.formats import load_format
    from app.rules import _CHECKS
    for rule in load_format(version).rules:
        assert rule.kind in _CHECKS, rule.id
