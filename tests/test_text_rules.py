"""The text rules other than numbers: wrong year, repetition of last year's report, required
content, doubled words, half-width marks, the report's date, the appeals hint.

Each is tried on sentences of the real reports in tests/fixtures/reports/ (true alarms and
near misses); "modelled on" marks a published report's wording with other details.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest

from app import exchange
from app.rules import validate
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON, REPORTS, ZUNHUADIAN_JSON
from factories import blank_filled_with_zeros, consistent_report

SANMING_JSON = REPORTS / "2022-sanming-city.json"
HUAIAN_JSON = REPORTS / "2024-huaian-city.json"
REAL = [ZUNHUADIAN_JSON, PINGTAN_JSON, SANMING_JSON, HUAIAN_JSON]


def found(report, rule, previous=None):
    return [f for f in validate(report, previous) if f.rule == rule]


def quoted(r, f) -> str:
    key, start, end = f.span
    return r.texts[key][start:end]


def report_of(year: int, overview: str, version: str = "2021"):
    r = consistent_report(version, random.Random(7))
    r.year = year
    r.texts["overview"] = overview
    return r


# ------------------------------------------------------------------ wrong year
@pytest.mark.parametrize("year,text,stated", [
    (2021, "本机关2020年度通过门户网站主动公开政府信息2645条。", 2020),
    # 平潭 2021's first sentence, kept in the next year's report
    (2022, "2021年，我区以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大和十九届历次全会精神。", 2021),
    # 遵化店镇 2020's 五, kept in the next year's report
    (2021, "2020年, 政府信息公开工作取得了一定成绩, 但也存在一些薄弱环节。", 2020),
    # 三明 2022's sub-heading line and its sentence, kept in the next year's report
    (2023, "(二)依申请公开方面。\n2022年共受理政府信息公开申请347件，办结346件。", 2022),
    # modelled on a 2020 审计局 report: a space before 年
    (2021, "2020 年,在区政府的大力指导支持下，我局政务公开工作取得了一些成绩。", 2020),
    (2021, "（二）依申请公开情况。2020年全市共收到政府信息公开申请658件。", 2020),
    # 三明 2022, kept in the next year's report
    (2023, "2022年关停无力维护新媒体账号22个，约谈相关责任人6人次。", 2022),
    (2023, "2022年度全市各级各部门未收取信息处理费。", 2022),
])
def test_an_earlier_year_as_the_time_of_the_work_is_warned(year, text, stated):
    r = report_of(year, text)
    (f,) = found(r, "text.wrong_year")
    assert f.severity == "warning" and f.section == "overview"
    assert f.message.endswith(f"：写的是 {stated} 年，本报告为 {year} 年度")
    assert str(stated) in quoted(r, f)
    assert f"“{quoted(r, f)}”" in f.message


@pytest.mark.parametrize("year,text", [
    (2022, "2022年年累计主动公开政府信息15836件。"),          # 三明 2022: its own year
    (2022, "2023年，三明市将采取以下措施加以改进。"),          # 三明 2022: a plan for next year
    (2021, "发布了实验区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要、文化发展规划（2021-2035）。"),
    (2022, "组织各单位学习省财政厅《关于做好政府信息公开信息处理费收入收缴管理有关事项的通知》（闽财非税函〔2021〕1号）。"),
    (2021, "截至2020年底，我镇政府信息公开工作运行正常。"),   # 遵化店镇 2020, in the next year
    (2025, "在省办2024年四个季度政务新媒体检查抽查中，合格率均为100%。"),  # 淮安 2024, a year on
    (2021, "与2020年相比，申请数量有所增加。"),
    (2021, "2020年以来，我镇持续推进政务公开。"),
    (2021, "2019年至2021年，全区累计公开政府信息8000余条。"),
    # modelled on 兴仁市 2022: last year's carried-over applications
    (2022, "2022年，共收到10件依申请公开请求，2021年结转政府信息公开申请2件。"),
    (2021, "2020年度政府信息公开工作年度报告已按时发布。"),
])
def test_other_years_that_are_not_this_years_work(year, text):
    assert found(report_of(year, text), "text.wrong_year") == []


# ------------------------------------------------------------------ repetition of last year
def test_a_report_copied_from_last_year_with_new_numbers():
    last = exchange.read_file(PINGTAN_JSON)
    r = exchange.read_file(PINGTAN_JSON)
    r.year = 2022
    r.texts = {k: v.replace("2021", "2022").replace("2645", "3120") for k, v in last.texts.items()}
    overview, problems = found(r, "text.repeat", last)
    assert overview.severity == "warning"
    assert overview.message.startswith("第一部分有 100% 的文字与上年报告相同或基本相同，如“2022年，我区以习近平")
    assert overview.section == "overview" and quoted(r, overview).startswith("2022年，我区以习近平")
    assert problems.message == (
        "第五部分有 100% 的文字与上年报告相同或基本相同，如“（一）存在的主要问题:政策解读形式不够丰富，"
        "未能充分运用数字化、图表图解等方式通俗易懂地解读政策文件。”“政务公开质量水平有待提高，政务公开渠道有限，"
        "在利用政务新媒体开展宣传方面还难以满足群众需要。”")
    assert problems.section == "problems"
    assert quoted(r, problems) == "（一）存在的主要问题:政策解读形式不够丰富，未能充分运用数字化、图表图解等方式通俗易懂地解读政策文件。"
    assert found(r, "text.repeat_share", last) == []  # above half: the warning says it


def test_share_is_told_per_section_and_two_sentences_are_quoted():
    last = exchange.read_file(PINGTAN_JSON)
    r = exchange.read_file(SANMING_JSON)
    assert found(r, "text.repeat", last) == found(r, "text.repeat_share", last) == []
    # three of 平潭's paragraphs (一 has six) put into 三明's 一
    paragraphs = last.texts["overview"].split("\n\n")
    r.texts["overview"] += "\n\n" + "\n\n".join(paragraphs[3:6])
    (f,) = found(r, "text.repeat_share", last)
    assert f.severity == "info" and f.section == "overview"
    assert f.message == ("第一部分有 34% 的文字与上年报告相同或基本相同，如“全区政府信息公开单位均明确一名分管领导和"
                         "一名经办人员，负责政府信息公开工作，确保公开信息的收集、审核、发布到位。”“落实政府信息发布审核制度，"
                         "认真做好政府信息保密审查，严把政治关、法律关、政策关、保密关、文字关、意识形态关。”")
    # headings and short sentences (（三）政府信息管理方面。一是加强组织领导。) are not counted
    assert quoted(r, f) == "全区政府信息公开单位均明确一名分管领导和一名经办人员，负责政府信息公开工作，确保公开信息的收集、审核、发布到位。"
    assert found(r, "text.repeat", last) == []


def test_no_previous_no_repeat_rules():
    r = exchange.read_file(PINGTAN_JSON)
    assert found(r, "text.repeat") == found(r, "tables.repeat") == []


def test_every_table_number_as_last_year():
    last = exchange.read_file(HUAIAN_JSON)
    r = exchange.read_file(HUAIAN_JSON)
    r.year = 2025
    (f,) = found(r, "tables.repeat", last)
    assert f.severity == "warning"
    assert f.message == "表格中的 200 个数字（其中 89 个不为 0）与上年报告（2024 年度）完全相同"
    r.cells[("active", "licensing", "decisions")] += 1
    assert found(r, "tables.repeat", last) == []


def test_a_quiet_year_has_the_same_zeros():
    """遵化店镇 2020 has two numbers that are not 0: the same table next year is no alarm."""
    last = exchange.read_file(ZUNHUADIAN_JSON)
    r = exchange.read_file(ZUNHUADIAN_JSON)
    assert found(r, "tables.repeat", last) == []


def test_validate_command_with_last_years_report(tmp_path):
    last = exchange.read_file(PINGTAN_JSON)
    r = exchange.read_file(PINGTAN_JSON)
    r.year = 2022
    r.texts = {k: v.replace("2021年", "2022年") for k, v in last.texts.items()}
    exchange.write_file(r, tmp_path / "r.json")
    done = run_nianbao("validate", str(tmp_path / "r.json"), "--previous", str(PINGTAN_JSON), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)["findings"]
    repeat = [f for f in out if f["rule"] in ("text.repeat", "tables.repeat")]
    assert [(f["rule"], f["name"], f["section"]) for f in repeat] == [
        ("text.repeat", "与上年报告雷同", "overview"), ("text.repeat", "与上年报告雷同", "problems"),
        ("tables.repeat", "表格数字与上年相同", "active")]
    key, start, end = repeat[0]["span"]
    assert r.texts[key][start:end].startswith("2022年，我区")


# ------------------------------------------------------------------ required content
@pytest.mark.parametrize("path", [PINGTAN_JSON, SANMING_JSON, HUAIAN_JSON], ids=lambda p: p.stem)
def test_real_overviews_cover_the_five_topics(path):
    assert found(exchange.read_file(path), "text.overview_topics") == []


def test_missing_topics_are_named():
    # modelled on 杨凌示范区审计局 2022, without its (三)(四)(五)
    text = "（一）主动公开政府信息情况\n2022年，我局通过示范区管委会审计信息栏目公开信息20条。\n（二）依申请公开情况\n2022年，未收到依申请公开事项。"
    r = report_of(2022, text)
    (f,) = found(r, "text.overview_topics")
    assert f.severity == "warning" and f.section == "overview" and f.span is None
    assert f.message == ("第一部分没有写到政府信息管理、政府信息公开平台建设、监督保障方面的情况"
                         "（格式要求总体情况包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面）")


def test_topics_only_in_the_2021_format():
    r = report_of(2020, "我镇坚持以公开为常态。", "2019")
    assert found(r, "text.overview_topics") == []


@pytest.mark.parametrize("path", [PINGTAN_JSON, SANMING_JSON, HUAIAN_JSON], ids=lambda p: p.stem)
def test_real_problems_sections_state_measures(path):
    assert found(exchange.read_file(path), "text.problems_measures") == []


@pytest.mark.parametrize("text,warned", [
    # modelled on a 2020 审计局 report: the problems alone …
    ("我局政务公开工作取得了一些成绩，但仍存在着一些短板和不足，如政务公开内容、创新方式方面有待提升。", True),
    # … and with its next sentence, which says what the office will do
    ("我局政务公开工作取得了一些成绩，但仍存在着一些短板和不足，如政务公开内容方面有待提升。"
     "2021年，我局将进一步提高认识，加大工作力度。", False),
    # modelled on 文登区信访局 2022: measures without the word 改进
    ("一是组织建设仍需加强；二是政府信息公开内容较少。针对以上问题，我局从以下几个方面着手：一是加大培训力度。", False),
    ("本年度政府信息公开工作运行平稳。", False),
])
def test_problems_without_a_measure(text, warned):
    r = consistent_report("2021", random.Random(7))
    r.texts["problems"] = text
    out = found(r, "text.problems_measures")
    assert bool(out) == warned
    if warned:
        (f,) = out
        assert f.section == "problems" and quoted(r, f) == text
        assert f.message.endswith("但没有写改进或整改措施")


# ------------------------------------------------------------------ wording
def test_doubled_word_in_pingtan():
    r = exchange.read_file(PINGTAN_JSON)
    (f,) = found(r, "text.doubled")
    assert f.severity == "info" and f.section == "overview"
    assert f.message == "第一部分第4段“二是规范审核审核发布机制。”：“审核”连写了两次"
    assert quoted(r, f) == "二是规范审核审核发布机制。"


@pytest.mark.parametrize("text,doubled", [
    ("加强财政资金资金监管。", "资金"),
    ("推进政务公开政务公开标准化建设。", "政务公开"),
    ("2022年年累计主动公开政府信息15836件。", None),     # 三明 2022: one character twice
    ("层层压实责任，常常深入基层，年年开展培训。", None),
    ("对申请内容逐项研究研究后答复。", None),               # an allowed repetition
    ("哈哈哈哈哈哈", None),                                 # one character many times
])
def test_doubled_words(text, doubled):
    out = found(report_of(2022, text), "text.doubled")
    assert [re.search("“([^“”]+)”连写", f.message).group(1) for f in out] == ([doubled] if doubled else [])


def test_half_width_marks_in_real_texts():
    r = exchange.read_file(SANMING_JSON)
    (f,) = found(r, "text.halfwidth")
    assert f.severity == "info" and f.section == "overview"
    assert f.message.endswith("等处：中文句子中用了 20 个半角标点“,()”，应为全角“，（）”")
    assert quoted(r, f).startswith("2022年,三明市人民政府")
    z = exchange.read_file(ZUNHUADIAN_JSON)
    (g,) = found(z, "text.halfwidth")
    assert g.section == "problems" and quoted(z, g) == "2020年, 政府信息公开工作取得了一定成绩, 但也存在一些薄弱环节。"
    assert found(exchange.read_file(HUAIAN_JSON), "text.halfwidth") == []


@pytest.mark.parametrize("text,count", [
    ("（一）存在的主要问题:政策解读形式不够丰富。", 1),     # 平潭 2021
    ("(一)主动公开方面。", 2),                             # 三明 2022
    ("报告电子版可在兴仁市人民政府网（http://www.gzxr.gov.cn）下载。", 0),
    ("每天9:00至17:00受理，开展H5、3D等形式解读。", 0),
    ("Wi-Fi, 5G", 0),
])
def test_half_width_marks(text, count):
    out = found(report_of(2022, text), "text.halfwidth")
    assert len(out) == (1 if count else 0)
    if count:
        assert f"用了 {count} 个半角标点" in out[0].message


# ------------------------------------------------------------------ cover and tables
@pytest.mark.parametrize("date,warned", [
    (dt.date(2021, 12, 20), True), (dt.date(2021, 12, 31), False), (dt.date(2022, 1, 15), False), (None, False)])
def test_report_dated_before_the_end_of_its_year(date, warned):
    r = exchange.read_file(PINGTAN_JSON)
    r.date = date
    out = found(r, "cover.date")
    assert bool(out) == warned
    if warned:
        assert out[0].severity == "info" and out[0].section == "cover"
        assert out[0].message == "封面：报告日期 2021-12-20 早于 2021 年 12 月 31 日（数据统计到 2021 年 12 月 31 日）"


def test_co_defendant_hint_beside_the_lawsuits():
    r = exchange.read_file(PINGTAN_JSON)
    (f,) = found(r, "appeals.co_defendant")
    assert f.severity == "info" and f.section == "appeals" and f.span is None
    assert f.cells == (("appeals", "litigation_direct", "total"), ("appeals", "litigation_after", "total"))
    assert "复议机关作共同被告" in f.message
    r.cells[("appeals", "litigation_direct", "total")] = 0
    assert found(r, "appeals.co_defendant") == []
    assert found(blank_filled_with_zeros("2021"), "appeals.co_defendant") == []


# ------------------------------------------------------------------ spans
def test_every_text_finding_has_its_section_and_the_span_of_what_it_quotes():
    """On the real reports, each changed so that every text rule fires somewhere."""
    last = exchange.read_file(PINGTAN_JSON)
    reports = [exchange.read_file(p) for p in REAL]
    for r in reports[1:]:
        r.texts["overview"] += ("\n  本机关2020年度通过门户网站主动公开政府信息2645条。全年共办结政府信息公开申请99件，"
                                "均已办结。加强资金资金监管。\n")
        r.texts["problems"] += "\n2019年，我局存在公开不及时的问题,有待提升。"
    rules_seen = set()
    for r in reports:
        for f in validate(r, last if r.version == "2021" else None):
            if f.section in r.texts:
                rules_seen.add(f.rule)
                assert f.span is None or f.span[0] == f.section
            if f.span is None:
                continue
            key, start, end = f.span
            text = r.texts[key][start:end]
            assert text == text.strip() and text, f
            opening = f.message.index("“")
            assert f.message[opening + 1:opening + 11].lstrip("…")[:8] in text, f
    assert {"text.numbers", "text.all_done", "text.wrong_year", "text.doubled", "text.halfwidth",
            "text.repeat"} <= rules_seen
