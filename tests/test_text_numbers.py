"""Rule text.numbers (and text.all_done): what the texts say of table quantities against the
table, on the sentences of real reports.

Sentences marked "modelled on" follow a published report's wording with other numbers;
the others are quoted from the fixtures in tests/fixtures/reports/.
"""
from __future__ import annotations

import random

import pytest

from app import exchange
from app.importer import import_file
from app.rules import validate
from conftest import PINGTAN_JSON, REPORTS, ZUNHUADIAN_JSON
from factories import consistent_report

SANMING_JSON = REPORTS / "2022-sanming-city.json"
HUAIAN_JSON = REPORTS / "2024-huaian-city.json"
REAL = [ZUNHUADIAN_JSON, PINGTAN_JSON, SANMING_JSON, HUAIAN_JSON]

PROBE = "本机关2020年度通过门户网站主动公开政府信息2645条。全年共办结政府信息公开申请99件。行政诉讼案件5件。"


def text_findings(r, rule="text.numbers"):
    return [f for f in validate(r) if f.rule == rule]


def with_text(text: str, version: str = "2021", **cells):
    r = consistent_report(version, random.Random(4))
    r.texts["overview"] = text
    for key, value in cells.items():
        r.cells[tuple(key.split("__"))] = value
    return r


def quoted(r, f) -> str:
    key, start, end = f.span
    return r.texts[key][start:end]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_reports_texts_agree_with_their_tables(path):
    assert text_findings(exchange.read_file(path)) == []
    assert text_findings(exchange.read_file(path), "text.all_done") == []


def test_imported_page_agrees_too():
    assert text_findings(import_file(REPORTS / "2021-pingtan-zone.html").report) == []


# 淮安 2024 states seventeen table quantities in two sentences; each is read (changing the
# table cell behind it raises exactly one warning, quoting its sentence) and each agrees.
HUAIAN_STATED = [
    ("新收政府信息公开申请", [("requests", "new", "total")], "受理政府信息公开申请3119件"),
    ("办结政府信息公开申请", [("requests", "total", "total")], "答复3050件"),
    ("上年结转政府信息公开申请", [("requests", "carried_in", "total")], "含上年度结转申请34件"),
    ("结转下年度", [("requests", "carried_out", "total")], "另有103件顺延到下年度答复"),
    ("行政复议", [("appeals", "reconsideration", "total")], "行政复议351件"),
    ("行政复议结果维持", [("appeals", "reconsideration", "upheld")], "结果维持72件"),
    ("行政复议结果纠正", [("appeals", "reconsideration", "corrected")], "结果纠正64件"),
    ("行政复议其他结果", [("appeals", "reconsideration", "other")], "其他结果178件"),
    ("行政复议尚未审结", [("appeals", "reconsideration", "pending")], "尚未审结37件"),
    ("行政诉讼", [("appeals", "litigation_direct", "total"), ("appeals", "litigation_after", "total")],
     "行政诉讼46件"),
    ("行政诉讼结果维持", [("appeals", "litigation_direct", "upheld"), ("appeals", "litigation_after", "upheld")],
     "结果维持25件"),
    ("行政诉讼结果纠正", [("appeals", "litigation_direct", "corrected"),
                         ("appeals", "litigation_after", "corrected")], "结果纠正5件"),
    ("行政诉讼其他结果", [("appeals", "litigation_direct", "other"), ("appeals", "litigation_after", "other")],
     "其他结果9件"),
    ("行政诉讼尚未审结", [("appeals", "litigation_direct", "pending"),
                         ("appeals", "litigation_after", "pending")], "尚未审结7件"),
]


@pytest.mark.parametrize("name,cells,words", HUAIAN_STATED, ids=[s[0] for s in HUAIAN_STATED])
def test_each_quantity_huaian_states_is_read(name, cells, words):
    r = exchange.read_file(HUAIAN_JSON)
    r.cells[cells[0]] += 2
    (f,) = text_findings(r)
    assert f.cells == tuple(cells)
    assert f.message.startswith("第一部分第3段“")
    assert f"：{name}为 " in f.message and f.message.endswith("相差2")
    assert f.section == "overview"
    assert words in quoted(r, f)


def test_a_lawsuit_total_is_the_sum_of_both_rows():
    r = exchange.read_file(HUAIAN_JSON)
    r.cells[("appeals", "litigation_after", "total")] = 21
    (f,) = text_findings(r)
    assert "行政诉讼为 46，但表格中为 47（第四部分 行政诉讼（未经复议直接起诉）总计(26)" \
           "+行政诉讼（复议后起诉）总计(21)），相差1" in f.message


def test_pingtan_text_contradicting_its_table_is_found():
    r = exchange.read_file(PINGTAN_JSON)
    r.texts["overview"] = r.texts["overview"].replace("共收到70件申请", "共收到72件申请")
    (f,) = text_findings(r)
    assert f.severity == "warning"
    assert f.cells == (("requests", "new", "total"),)
    assert f.message == ("第一部分第3段“本年度全区共收到72件申请，及时依法依规办结69件，1件结转下年度继续办理。”："
                         "新收政府信息公开申请为 72，但表格中为 70（第三部分 新收行 总计列），相差2")
    assert quoted(r, f) == "本年度全区共收到72件申请，及时依法依规办结69件，1件结转下年度继续办理。"
    assert f.span[0] == "overview" and f.section == "overview"


def test_the_message_quotes_the_sentence_and_names_the_paragraph():
    r = exchange.read_file(SANMING_JSON)
    r.cells[("requests", "total", "total")] = 345
    r.cells[("requests", "carried_out", "total")] = 2
    found = text_findings(r)
    assert [f.message for f in found] == [
        "第一部分第6段“2022年共受理政府信息公开申请347件，办结346件，结转下年度继续办理1件。”："
        "办结政府信息公开申请为 346，但表格中为 345（第三部分 办理结果总计行 总计列），相差1",
        "第一部分第6段“2022年共受理政府信息公开申请347件，办结346件，结转下年度继续办理1件。”："
        "结转下年度为 1，但表格中为 2（第三部分 结转下年度行 总计列），相差1",
    ]
    assert {quoted(r, f) for f in found} == {"2022年共受理政府信息公开申请347件，办结346件，结转下年度继续办理1件。"}


def test_the_probe_of_the_issue_gives_its_three_findings():
    r = exchange.read_file(PINGTAN_JSON)
    assert r.cells[("requests", "total", "total")] == 69
    assert r.cells[("appeals", "litigation_direct", "total")] + r.cells[("appeals", "litigation_after", "total")] == 12
    before = validate(r)
    r.texts["overview"] += "\n\n" + PROBE
    after = validate(r)
    assert [f.rule for f in before if f not in after] == ["text.overview_length"]  # now 53 characters longer
    new = [f for f in after if f not in before and f.rule != "text.overview_length"]
    assert [(f.rule, f.severity) for f in new] == [
        ("text.numbers", "warning"), ("text.numbers", "warning"), ("text.wrong_year", "warning")]
    assert [f.message for f in new] == [
        "第一部分第7段“全年共办结政府信息公开申请99件。”：办结政府信息公开申请为 99，但表格中为 69"
        "（第三部分 办理结果总计行 总计列），相差30",
        "第一部分第7段“行政诉讼案件5件。”：行政诉讼为 5，但表格中为 12（第四部分 "
        "行政诉讼（未经复议直接起诉）总计(12)+行政诉讼（复议后起诉）总计(0)），相差7",
        "第一部分第7段“本机关2020年度通过门户网站主动公开政府信息2645条。”：写的是 2020 年，本报告为 2021 年度",
    ]
    assert [quoted(r, f) for f in new] == ["全年共办结政府信息公开申请99件。", "行政诉讼案件5件。",
                                           "本机关2020年度通过门户网站主动公开政府信息2645条。"]
    assert all(f.section == "overview" for f in new)


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
    # modelled on 兴仁市 2022: 共收到10件依申请公开请求……共办结10件
    ("2022年，共收到14件依申请公开请求，共办结12件。", ("requests", "new", "total"), 14),
    ("2022年，共收到14件依申请公开请求，共办结12件。", ("requests", "total", "total"), 12),
    # modelled on 二道区房屋征收办 2022 (its table: 56 new): 我办受理依申请信息56条
    ("2022年，我办受理依申请信息48条。", ("requests", "new", "total"), 48),
    # modelled on 汉阳区政府办 2022 (its table: 8 new): 共收到8份政府信息公开申请
    ("2022年，区政府办公室共收到6份政府信息公开申请，均为自然人申请。", ("requests", "new", "total"), 6),
    # modelled on 上饶市 2022: 因政府信息公开引起的行政复议22件、行政诉讼案件1件
    ("因政府信息公开引起的行政复议9件、行政诉讼案件2件。", ("appeals", "reconsideration", "total"), 9),
    ("本年度制定规章2件，废止规章1件，现行有效规章15件。", ("active", "regulations", "issued"), 2),
    ("本年度制定规章2件，废止规章1件，现行有效规章15件。", ("active", "regulations", "repealed"), 1),
    ("本年度制定规章2件，废止规章1件，现行有效规章15件。", ("active", "regulations", "in_force"), 15),
    ("本年度制发行政规范性文件12件，废止3件。", ("active", "normative_documents", "issued"), 12),
    ("现行有效行政规范性文件665件。", ("active", "normative_documents", "in_force"), 665),
])
def test_stated_number_differing_from_the_table_is_warned(text, cell, stated):
    r = with_text(text)
    r.cells[cell] = stated + 5
    found = [f for f in text_findings(r) if cell in f.cells]
    assert len(found) == 1
    assert f"为 {stated}，但表格中为 " in found[0].message
    r.cells[cell] = stated
    assert [f for f in text_findings(r) if cell in f.cells] == []


def test_lawsuits_direct_and_after_reconsideration():
    text = "本年度被提起行政诉讼案件3起，其中未经复议直接起诉1件，复议后起诉2件。"
    r = with_text(text, appeals__litigation_direct__total=1, appeals__litigation_after__total=2)
    assert text_findings(r) == []
    r.cells[("appeals", "litigation_direct", "total")] = 2
    r.cells[("appeals", "litigation_after", "total")] = 1
    assert [f.message.split("：")[1].split("，")[0] for f in text_findings(r)] == [
        "行政诉讼（未经复议直接起诉）为 1", "行政诉讼（复议后起诉）为 2"]


def test_2019_format_quantities():
    r = with_text("本年新制作规范性文件12件，制定规章1件。", "2019")
    r.cells[("active", "normative_documents", "made")] = 11
    r.cells[("active", "regulations", "made")] = 2
    assert [f.cells for f in text_findings(r)] == [(("active", "regulations", "made"),),
                                                   (("active", "normative_documents", "made"),)]


def test_received_including_last_years_is_compared_with_the_sum():
    text = "本年度共收到政府信息公开申请72件（含上年结转2件），办结72件。"
    r = with_text(text, requests__new__total=70, requests__carried_in__total=2, requests__total__total=72,
                  requests__carried_out__total=0)
    assert text_findings(r) == []
    r.cells[("requests", "new", "total")] = 71
    (f,) = text_findings(r)
    assert f.cells == (("requests", "new", "total"), ("requests", "carried_in", "total"))
    assert "新收与上年结转政府信息公开申请之和为 72，但表格中为 73" in f.message
    r = with_text("共受理申请36件，其中上年结转2件。", requests__new__total=34, requests__carried_in__total=2)
    assert text_findings(r) == []


@pytest.mark.parametrize("text,cells", [
    # 淮安 2024: 政策性文件 are not 行政规范性文件 (the table says 8 made)
    ("全年新增公开市政府规章1件、市政府及市政府办政策性文件11件，通过文字、图片等形式制作政策解读21个。",
     {("active", "normative_documents", "issued"): 8, ("active", "regulations", "issued"): 5}),
    # 三明 2022: documents published, not made
    ("包括机构职能类信息1927件，政策、规范性文件类信息620件，规划计划类信息622件。",
     {("active", "normative_documents", "issued"): 487}),
    # 三明 2022: 继续办理1件 is what is carried over, not what was dealt with
    ("2022年共受理政府信息公开申请347件，办结346件，结转下年度继续办理1件。",
     {("requests", "new", "total"): 347, ("requests", "total", "total"): 346,
      ("requests", "carried_out", "total"): 1}),
    # 平潭 2021: 主动公开 is not 予以公开, 政务新媒体 are not applications
    ("全年主动公开我区各级单位政府信息2645条，先后关停未进行规范管理的政务新媒体2个。",
     {("requests", "granted", "total"): 30, ("requests", "new", "total"): 70}),
    # modelled on 高淳区 2022: 予以公开或部分公开59件 is neither row alone
    ("其中予以公开或部分公开59件、占45.3%；不予公开32件。",
     {("requests", "granted", "total"): 40, ("requests", "partly_granted", "total"): 19}),
    # modelled on 上海市 2022: rules published (some made, changed, repealed) is none of the three columns
    ("主动公开市政府规章13件(含新制定5件,修改4件,废止4件)，主动公开行政规范性文件42件。",
     {("active", "regulations", "issued"): 0, ("active", "regulations", "repealed"): 0,
      ("active", "regulations", "in_force"): 0, ("active", "normative_documents", "issued"): 0}),
    ("全年主动予以公开政府信息2645条。", {("requests", "granted", "total"): 987}),
    ("收到行政诉讼起诉书3件。", {("requests", "new", "total"): 987, ("appeals", "litigation_direct", "total"): 3,
                              ("appeals", "litigation_after", "total"): 0}),
    ("与上年收到申请58件相比有所增加。", {("requests", "new", "total"): 987}),
    ("共收到申请100余件。", {("requests", "new", "total"): 987}),
    ("收到群众来信12件。", {("requests", "new", "total"): 987}),
    ("受理政务服务申请3200件，办结3198件。", {("requests", "new", "total"): 9, ("requests", "total", "total"): 9}),
    ("办理人大代表建议和政协委员提案56件。", {("requests", "total", "total"): 9}),
    ("本年度收到行政复议申请3件。", {("requests", "new", "total"): 987, ("appeals", "reconsideration", "total"): 3}),
    ("修订完善规章制度3项。", {("active", "regulations", "issued"): 0}),
    ("推出20期栏目，对29项重要政策文件进行解读。", {("requests", "new", "total"): 987}),
])
def test_no_false_alarm(text, cells):
    r = with_text(text)
    r.cells.update(cells)
    assert text_findings(r) == []


def test_both_appeals_at_zero():
    r = with_text("因政府信息公开申请行政复议、行政诉讼均为0件。")
    for row in ("reconsideration", "litigation_direct", "litigation_after"):
        r.cells[("appeals", row, "total")] = 0
    assert text_findings(r) == []
    r.cells[("appeals", "litigation_after", "total")] = 1
    r.cells[("appeals", "reconsideration", "total")] = 2
    assert [f.cells[0][1] for f in text_findings(r)] == ["reconsideration", "litigation_direct"]


def test_results_belong_to_the_appeal_named_before_them():
    text = "本年度行政复议4件，其中结果维持3件，尚未审结1件；行政诉讼2件，其中结果维持2件。"
    r = with_text(text)
    values = {("reconsideration", "total"): 4, ("reconsideration", "upheld"): 3, ("reconsideration", "pending"): 1,
              ("litigation_direct", "total"): 2, ("litigation_after", "total"): 0,
              ("litigation_direct", "upheld"): 1, ("litigation_after", "upheld"): 1}
    for (row, col), v in values.items():
        r.cells[("appeals", row, col)] = v
    assert text_findings(r) == []
    r.cells[("appeals", "litigation_after", "upheld")] = 0
    (f,) = text_findings(r)
    assert "行政诉讼结果维持为 2，但表格中为 1" in f.message
    assert quoted(r, f) == "行政诉讼2件，其中结果维持2件。"


def test_numbers_in_problems_and_other_sections_count_too():
    r = consistent_report("2021", random.Random(4))
    r.cells[("requests", "new", "total")] = 9
    r.texts["other"] = "本年度共收到政府信息公开申请8件，未收取信息处理费。"
    (f,) = text_findings(r)
    assert "为 8" in f.message and "表格中为 9" in f.message
    assert f.message.startswith("第六部分第1段")
    assert f.section == "other" and quoted(r, f) == "本年度共收到政府信息公开申请8件，未收取信息处理费。"


# ------------------------------------------------------------------ text.all_done
def test_all_done_while_some_are_carried_over():
    r = exchange.read_file(PINGTAN_JSON)
    r.texts["overview"] += "\n本年度收到的政府信息公开申请均已按期办结。"
    (f,) = text_findings(r, "text.all_done")
    assert f.severity == "warning" and f.section == "overview"
    assert f.cells == (("requests", "carried_out", "total"),)
    assert f.message == ("第一部分第7段“本年度收到的政府信息公开申请均已按期办结。”：说“均已按期办结”，"
                         "但表格中为 1（第三部分 结转下年度行 总计列）")
    assert quoted(r, f) == "本年度收到的政府信息公开申请均已按期办结。"
    r.cells[("requests", "carried_out", "total")] = 0
    assert text_findings(r, "text.all_done") == []


@pytest.mark.parametrize("text,warned", [
    # modelled on 汉阳区 2022: 共收到8份政府信息公开申请……无下年度结转
    ("区政府办公室共收到8份政府信息公开申请，均为自然人申请，无下年度结转。", True),
    ("全年共受理政府信息公开申请12件，全部办结。", True),
    ("办理人大代表建议和政协委员提案56件，均已按期办结。", False),
    # 淮安 2024: answered in time is not all dealt with (103 were carried over)
    ("2024年，全市共受理政府信息公开申请3119件，答复3050件，均在法定期限内予以答复。", False),
])
def test_all_done_words(text, warned):
    r = with_text(text, requests__carried_out__total=2)
    assert bool(text_findings(r, "text.all_done")) == warned
