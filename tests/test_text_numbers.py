"""Rule text.numbers: the texts' numbers for table quantities against the table."""
from __future__ import annotations

import random

import pytest

from app import exchange
from app.importer import import_file
from app.rules import validate
from tests.conftest import PINGTAN_JSON, REPORTS, ZUNHUADIAN_JSON
from tests.factories import consistent_report


def report_with(version: str, text: str, **cells):
    r = consistent_report(version, random.Random(4))
    r.texts["overview"] = text
    for key, value in cells.items():
        table, row, col = key.split("__")
        r.cells[(table, row, col)] = value
    return r


def text_findings(r):
    return [f for f in validate(r) if f.rule == "text.numbers"]


def test_fixture_texts_agree_with_their_tables():
    for path in (PINGTAN_JSON, ZUNHUADIAN_JSON):
        assert text_findings(exchange.read_file(path)) == []
    assert text_findings(import_file(REPORTS / "2021-pingtan-zone.html").report) == []


def test_pingtan_text_contradicting_its_table_is_found():
    r = exchange.read_file(PINGTAN_JSON)
    r.texts["overview"] = r.texts["overview"].replace("共收到70件申请", "共收到72件申请")
    (f,) = text_findings(r)
    assert f.severity == "warning"
    assert f.cells == (("requests", "new", "total"),)
    assert f.message == ("文字部分说新收政府信息公开申请为 72（“收到72件申请”），但表格中为 70"
                         "（第三部分 新收行 总计列），相差2")


@pytest.mark.parametrize("text,cell,stated", [
    ("全年共收到政府信息公开申请258件。", ("requests", "new", "total"), 258),
    ("本年度新收政府信息公开申请258件，上年结转2件。", ("requests", "new", "total"), 258),
    ("本年度全区共受理258件政府信息公开申请。", ("requests", "new", "total"), 258),
    ("其中予以公开258件，部分公开3件。", ("requests", "granted", "total"), 258),
    ("其中予以公开258件，部分公开3件。", ("requests", "partly_granted", "total"), 3),
    ("本年度新收申请10件，上年结转2件。", ("requests", "carried_in", "total"), 2),
    ("办结10件，1件结转下年度继续办理。", ("requests", "carried_out", "total"), 1),
    ("发生政府信息公开行政复议案件3起。", ("appeals", "reconsideration", "total"), 3),
    ("因政府信息公开被申请行政复议三件。", ("appeals", "reconsideration", "total"), 3),
    ("收到政府信息公开申请十二件。", ("requests", "new", "total"), 12),
])
def test_stated_number_differing_from_the_table_is_warned(text, cell, stated):
    r = consistent_report("2021", random.Random(4))
    r.texts["overview"] = text
    r.cells[cell] = stated + 5
    found = [f for f in text_findings(r) if f.cells == (cell,)]
    assert len(found) == 1
    assert f"为 {stated}（" in found[0].message and f"表格中为 {stated + 5}" in found[0].message
    r.cells[cell] = stated
    assert [f for f in text_findings(r) if f.cells == (cell,)] == []


@pytest.mark.parametrize("version,text,cell,stated", [
    ("2021", "本年度制发行政规范性文件12件，废止3件。", ("active", "normative_documents", "issued"), 12),
    ("2021", "本年废止规范性文件3件。", ("active", "normative_documents", "repealed"), 3),
    ("2021", "现行有效行政规范性文件665件。", ("active", "normative_documents", "in_force"), 665),
    ("2019", "本年新制作规范性文件12件。", ("active", "normative_documents", "made"), 12),
])
def test_normative_documents_in_the_text(version, text, cell, stated):
    r = consistent_report(version, random.Random(4))
    r.texts["overview"] = text
    r.cells[cell] = stated + 1
    assert [f.cells for f in text_findings(r)] == [(cell,)]
    r.cells[cell] = stated
    assert text_findings(r) == []


@pytest.mark.parametrize("text", [
    "全年主动予以公开政府信息2645条。",       # 主动公开 is not 予以公开
    "收到行政诉讼起诉书3件。",               # a lawsuit, not an application
    "与上年收到申请58件相比有所增加。",        # last year's figure
    "共收到申请100余件。",                    # an estimate
    "收到群众来信12件。",                     # not an application
    "因政府信息公开申请行政复议、行政诉讼均为0件。",
    "推出20期栏目，对29项重要政策文件进行解读。",
])
def test_no_false_alarm(text):
    r = consistent_report("2021", random.Random(4))
    for cell in (("requests", "new", "total"), ("requests", "granted", "total"),
                 ("appeals", "reconsideration", "total")):
        r.cells[cell] = 987
    r.texts["overview"] = text
    assert text_findings(r) == []


def test_numbers_in_problems_and_other_sections_count_too():
    r = consistent_report("2021", random.Random(4))
    r.cells[("requests", "new", "total")] = 9
    r.texts["other"] = "本年度共收到政府信息公开申请8件，未收取信息处理费。"
    (f,) = text_findings(r)
    assert "为 8" in f.message and "表格中为 9" in f.message


def test_an_appeal_is_not_an_application():
    r = consistent_report("2021", random.Random(4))
    r.cells[("requests", "new", "total")] = 987
    r.cells[("appeals", "reconsideration", "total")] = 3
    r.texts["overview"] = "本年度收到行政复议申请3件。"
    assert text_findings(r) == []
