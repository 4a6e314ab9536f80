"""Chromium printing the fixtures' pages at other page sizes and margins
(scripts/check_chromium_prints.py prints 104 such PDFs; two are in tests/fixtures/corpus/).
Each test is built from the real lines or ruling lines of one print that was read wrong
before: a heading run into the sentence before it, a site footer run into the last
sentence, a table whose pages do not draw the same column lines, a row taller than a page,
a row split over a page break with a double border drawn differently on the two pages."""
from __future__ import annotations

import re

from app import exchange
from app.importer import import_bytes
from app.importer import matcher as m
from app.importer import pdf_reader as r
from app.importer.document import Cell
from tests.conftest import REPORTS
from tests.report_pages import render_text

ZUNHUADIAN = REPORTS / "2020-zunhuadian-town.json"


def _line(text: str, x0: float, x1: float, y0: float, page: int = 0, size: float = 11.6) -> r._Line:
    step = (x1 - x0) / len(text)
    chars = [r._Char(ch, x0 + i * step, y0, x0 + (i + 1) * step, y0 + size) for i, ch in enumerate(text)]
    return r._Line(chars, page)


# ------------------------------------------------------------------ a heading after a full line
def test_heading_after_a_sentence_ending_at_the_margin_begins_a_paragraph():
    """2020-zunhuadian-town on A4 with 10 mm margins, page 2: the sentence of 五 ends 6 pt
    before the right margin (a full line), and 六、其他需要报告的事项 has no indent: it was
    read as the paragraph's last line and 六 was lost, its text left in 五."""
    prev = _line("公开人员工作水平, 组织镇一级政府信息公开培训, 切实提高各村、办公室人员政府信息鉴别能力。",
                 35.1, 547.1, 43.5, 1)
    heading = _line("六、其他需要报告的事项", 35.2, 166.0, 57.9, 1)
    assert r._starts_paragraph(prev, heading, left=35, right=553, size=11.6)
    # a line going on in the middle of a sentence, or a sentence begun on it, does not
    going_on = _line("信息发布的质量。三是参加政府信息公开的培训工作, 按要求参加各类政府公开业务培训, 提高政务",
                     34.9, 553.3, 29.3, 1)
    assert not r._starts_paragraph(prev, going_on, left=35, right=553, size=11.6)
    mid = _line("大信息经办、校对、审核及发布等各环节签署手续, 确保任何信息未经审核一律不得发布, 提高政府",
                35.1, 553.2, 789.0, 0)
    assert not r._starts_paragraph(mid, _line("六、其他", 35.2, 90, 803), left=35, right=553, size=11.6)


def test_heading_run_into_a_paragraph_is_cut_out_and_said():
    """Any reader: when 六、其他需要报告的事项 is found only inside a paragraph, right after
    a sentence, the paragraph is cut there and a note asks to check both sections."""
    report = exchange.read_file(ZUNHUADIAN)
    text = render_text(report).decode("utf-8")
    heading = "六、其他需要报告的事项"
    glued = re.sub(r"。\n+" + heading + r"\n+", "。" + heading, text)
    assert glued != text
    result = import_bytes(glued.encode("utf-8"), ".txt")
    for key, want in report.texts.items():
        assert re.sub(r"\s", "", result.report.texts[key]) == re.sub(r"\s", "", want), key
    assert any(heading in p and "核对" in p for p in result.problems)
    assert not any("核对" in p for p in import_bytes(text.encode("utf-8"), ".txt").problems)


# ------------------------------------------------------------------ a site footer after a full line
def test_site_footer_run_into_the_last_sentence_keeps_the_sentence():
    """2024-huaian-city on A5 with 20 mm margins: ``…3940元。`` fills its line, the page's
    footer 版权所有：某某网站 follows without a gap and was read into the same paragraph;
    the whole text of 六 was dropped as footer, in silence."""
    paras = ["2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。"
             "版权所有：某某网站", "网站标识码 1234"]
    assert m._strip_site_footer(paras) == [paras[0].removesuffix("版权所有：某某网站")]
    assert m._strip_site_footer(["首页 联系我们", "版权所有：某某网站"]) == []


# ------------------------------------------------------------------ tables over page breaks
PINGTAN_A5_PAGE6 = [40.1, 81.4, 187.1, 212.6, 235.1, 260.6, 294.4, 319.9, 344.6, 379.1]
PINGTAN_A5_PAGE7 = [40.1, 81.4, 133.9, 187.1, 212.6, 235.1, 260.6, 294.4, 319.9, 344.6, 379.1]


def _table(xs, page, rows=(), **kw) -> r._Table:
    return r._Table([list(row) for row in rows], xs, 30.0, 560.0, page, **kw)


def test_table_going_on_without_a_column_line_its_first_page_does_not_need():
    """2021-pingtan-zone on A5 with 12 mm margins: page 6 holds rows whose labels span the
    group column, so the line at x 133.9 is not drawn there; page 7 has it. The table was
    cut in two at the break, and （二）部分公开 (its label on both pages) was lost."""
    before = _table(PINGTAN_A5_PAGE6, 6, split_bottom=True)
    after = _table(PINGTAN_A5_PAGE7, 7, split_top=True)
    grid = [m.Grid([], aligned=True)]
    assert r._continues(PINGTAN_A5_PAGE6, before, after, grid) == PINGTAN_A5_PAGE7
    row = [Cell("~", origin=False), Cell("（二）部分公\n开（区分处理", span=1)] + [Cell(v) for v in "5000005"]
    wide = r._regrid([row], PINGTAN_A5_PAGE6, PINGTAN_A5_PAGE7)[0]
    assert [(c.text, c.origin, c.span) for c in wide[1:3]] == [("（二）部分公\n开（区分处理", True, 2),
                                                              ("（二）部分公\n开（区分处理", False, 1)]
    assert [c.text for c in wide[3:]] == list("5000005")
    other = [40.1, 100.0, 379.1]   # another table's lines: not among the page's
    assert r._continues(PINGTAN_A5_PAGE6, before, _table(other, 7), grid) is None
    narrower = [40.1, 81.4, 300.0]
    assert r._continues(PINGTAN_A5_PAGE6, before, _table(narrower, 7), grid) is None


PINGTAN_A5M20_V = [62.7, 98.6, 145.2, 189.1, 210.8, 231.0, 253.3, 283.1, 305.4, 327.0, 357.4]


def _sheet(h, v, chars) -> r._Sheet:
    sheet = r._Sheet(594.96, 420.0, chars, r._merge(h), r._merge(v))
    sheet.tables = r._tables(sheet.h, sheet.v, chars, 0)
    return sheet


def _chars(text: str, x: float, y: float) -> list[r._Char]:
    return [r._Char(ch, x + 9 * i, y, x + 9 * (i + 1), y + 12) for i, ch in enumerate(text)]


def test_row_taller_than_a_page_is_read_whole():
    """2021-pingtan-zone on A5 with 20 mm margins: the label of （六）1.申请人无正当理由…
    begins at the foot of page 12, fills page 13 (whose only ruling lines are the frame
    and the line above 2.申请人逾期…) and ends on page 14. Page 13 had no table at all:
    both rows lost. These are the pages' real lines (x, y in points)."""
    frame = [(x, 57.0, 538.9) for x in PINGTAN_A5M20_V]
    p12 = _sheet([(57.0, 62.7, 357.4), (119.5, 145.5, 357.8), (324.3, 98.9, 357.8)], frame,
                 _chars("5.要求", 150, 130) + _chars("0", 195, 130) + _chars("（六）", 100, 331.7)
                 + _chars("1.申", 150, 331.7) + _chars("0", 195, 331.7) + _chars("机关", 150, 508.4))
    p13 = _sheet([(197.9, 145.5, 357.8)], frame,
                 _chars("不再", 150, 59.7) + _chars("2.申", 150, 205.7) + _chars("0", 195, 205.7)
                 + _chars("息公", 150, 519.2))
    p14 = _sheet([(99.9, 145.5, 357.8), (147.9, 98.9, 357.8), (195.9, 62.4, 357.8), (243.9, 62.4, 357.8)],
                 [(62.7, 57.0, 244.2), (98.6, 57.0, 196.2), (145.2, 57.0, 148.2)]
                 + [(x, 57.0, 244.2) for x in PINGTAN_A5M20_V[3:]],
                 _chars("开申请", 150, 59.7) + _chars("3.其他", 150, 110) + _chars("1", 195, 110))
    assert not p13.tables
    r._close_split_row(p12, p13, 1)
    r._close_split_row(p13, p14, 2)
    for sheet in (p12, p13, p14):
        r._mark_split_rows(sheet)
    assert [len(s.tables) for s in (p12, p13, p14)] == [1, 1, 1]
    assert (p12.tables[0].split_bottom, p13.tables[0].split_top, p13.tables[0].split_bottom,
            p14.tables[0].split_top) == (True, True, True, True)
    pages = [r._page(s, i) for i, s in enumerate((p12, p13, p14))]
    for i, p in enumerate(pages):   # as read_pdf numbers them
        for it in p.items:
            it.page = i
    [grid] = r._blocks(pages)
    labels = [re.sub(r"\s", "", row[2].text) for row in grid.rows]
    assert labels == ["5.要求", "1.申机关不再", "2.申息公开申请", "3.其他"]
    assert [row[3].text for row in grid.rows] == ["0", "0", "0", "1"]


def test_split_row_joins_when_a_double_border_is_one_line_on_one_page():
    """2022-sanming-city on A5 with 20 mm margins: a double border at x 142.1/144.4 on page
    5, 142.9/144.8 on page 6 (1.9 pt apart: read as one line). The part of 2.申请人逾期…
    on page 6 spans the narrow column between the two lines of page 5: the parts did not
    line up and the row was lost. They now join: the text goes to the one cell under it
    that holds text."""
    end = [Cell("", origin=False), Cell(""), Cell("2.申请人\n逾期未按")] + [Cell("0")] * 2
    start = [Cell(""), Cell("费用、行\n政机关不", span=2), Cell("", origin=False)] + [Cell("")] * 2
    joined = r._join_rows(end, start)
    assert joined is not None
    assert [c.text for c in joined] == ["", "", "2.申请人\n逾期未按\n费用、行\n政机关不", "0", "0"]
    # two texts for one cell, or a text over two cells with text: not joined
    assert r._join_rows([Cell("a"), Cell("b")], [Cell("c", span=2), Cell("", origin=False)]) is None


def test_text_after_a_heading_in_its_own_paragraph_is_the_sections_text():
    """The other way round: the heading line and the section's first line in one paragraph
    (``六、其他需要报告的事项：无其他需要报告的事项。``). The paragraph was taken for the
    heading, and its sentence was lost without a word."""
    report = exchange.read_file(ZUNHUADIAN)
    text = render_text(report).decode("utf-8")
    glued = re.sub(r"六、其他需要报告的事项\n+", "六、其他需要报告的事项：", text)
    assert glued != text
    result = import_bytes(glued.encode("utf-8"), ".txt")
    assert re.sub(r"\s", "", result.report.texts["other"]) == re.sub(r"\s", "", report.texts["other"])
    assert result.problems == import_bytes(text.encode("utf-8"), ".txt").problems


def test_links_run_on_after_the_last_sentence_are_cut_and_said():
    """2021-pingtan-zone on A5 with 39 mm margins: the page's 附件下载 link ran on after
    ``…无收取信息处理费情况。`` (a full line) and stayed in the text of 六."""
    cut: list[str] = []
    paras = ["2021年，无收取信息处理费情况。附件下载", "扫一扫在手机上查看当前页面", "文字解读",
             "使用帮助|联系我们|隐私保护|新媒体矩阵|关于我们|", "网站标识码：3590000001公安备案号："]
    assert m._strip_site_footer(paras, cut) == ["2021年，无收取信息处理费情况。"]
    assert cut == ["附件下载"]
    cut.clear()
    assert m._strip_site_footer(["2021年，无收取信息处理费情况。", "附件下载", "版权所有：某某网站"], cut) == \
           ["2021年，无收取信息处理费情况。"]
    assert cut == []


def test_text_of_a_cell_drawn_below_the_tables_last_line_is_the_cells():
    """2021-pingtan-zone on A4 with 29 mm margins, page 5: the row after 1.属于国家秘密 does
    not fit, but the group cell （三）不予公开 is left open (its lines end 0.4 pt below the
    table's last line) and Chromium draws its last character 开 just below: it was read
    as text between two tables, the table was cut in two and a row lost."""
    h = [(228.4, 88.5, 507.8), (261.4, 283.5, 507.8), (292.9, 283.5, 466.5), (433.1, 88.5, 507.8),
         (486.4, 88.5, 507.8), (539.6, 88.5, 507.8), (571.1, 139.5, 507.8), (667.9, 139.5, 507.8),
         (721.1, 197.2, 507.8)]
    v = [(88.9, 228.0, 721.5), (139.1, 540.0, 721.5), (196.9, 668.3, 721.5), (283.1, 228.0, 721.5),
         (316.1, 293.3, 721.5), (337.9, 261.8, 721.5), (369.4, 293.3, 721.5), (405.4, 293.3, 721.5),
         (436.9, 293.3, 721.5), (466.1, 261.8, 721.5), (507.4, 228.0, 721.5)]
    chars = (_chars("（三）不", 143, 680) + _chars("予公", 143, 696) + _chars("1.属于", 200, 690)
             + _chars("0", 290, 690) + [r._Char("开", 143.6, 720.5, 156.1, 733.2)])
    sheet = r._Sheet(841.92, 594.96, chars, r._merge(h), r._merge(v))
    sheet.tables = r._tables(sheet.h, sheet.v, chars, 4)
    [table] = sheet.tables
    assert re.sub(r"\s", "", table.rows[-1][1].text) == "（三）不予公开"
    assert not [it for it in r._page(sheet, 4).items if isinstance(it, r._Line)]
    # a character below a closed cell is not the table's
    closed = r._Sheet(841.92, 594.96, chars[-1:], r._merge(h + [(721.1, 88.5, 197.2)]), r._merge(v))
    assert r._tables(closed.h, closed.v, closed.chars, 4) == []


def test_row_whose_own_lines_start_at_its_top_is_closed_at_the_break():
    """2021-pingtan-zone on A5 with 27 mm margins: （三）不予公开 / 1.属于国家秘密 begins at the
    foot of page 7 and ends on page 8; the line between the group and the label starts at
    the row's top (0.3 pt below the table's last line) and was not counted as one of the
    row's columns: the two parts did not line up and the row was lost."""
    p7 = _sheet([(76.8, 81.2, 338.3), (380.4, 113.0, 338.3), (473.3, 113.0, 338.3)],
                [(81.5, 76.5, 518.9), (112.7, 338.9, 518.9), (153.3, 473.6, 518.9)]
                + [(x, 76.5, 518.9) for x in (191.5, 210.3, 228.0, 247.4, 273.3, 292.7, 311.5, 338.0)],
                _chars("（二）部", 116, 420) + _chars("5", 195, 420) + _chars("（三）", 116, 479.7)
                + _chars("1.属", 157, 479.7) + _chars("0", 195, 479.7) + _chars("不予公", 116, 497.2)
                + _chars("于国", 157, 497.2))
    p8 = _sheet([(113.9, 153.6, 338.3), (240.9, 153.6, 338.3), (518.9, 81.5, 338.0)],
                [(x, 76.5, 518.9) for x in (81.5, 112.7, 153.3, 191.5, 210.3, 228.0, 247.4, 273.3, 292.7,
                                             311.5, 338.0)],
                _chars("开", 116, 78.7) + _chars("家秘", 157, 78.7) + _chars("密", 157, 95.8)
                + _chars("2.其他", 157, 150) + _chars("0", 195, 150))
    r._close_split_row(p7, p8, 1)
    for sheet in (p7, p8):
        r._mark_split_rows(sheet)
    assert (p7.tables[-1].split_bottom, p8.tables[0].split_top) == (True, True)
    pages = [r._page(s, i) for i, s in enumerate((p7, p8))]
    [grid] = r._blocks(pages)
    row = next(row for row in grid.rows if "属" in row[2].text)
    assert [re.sub(r"\s", "", c.text) for c in row[1:4]] == ["（三）不予公开", "1.属于国家秘密", "0"]


ZUNHUADIAN_A5_S37_PAGE3 = [110.2, 137.2, 202.3, 216.8, 218.9, 231.8, 247.1, 263.7, 279.7, 293.8, 307.9]
ZUNHUADIAN_A5_S37_PAGE4 = [110.2, 137.2, 172.9, 202.3, 217.1, 231.8, 247.1, 263.7, 279.7, 293.8, 307.9]


def test_double_border_read_as_one_line_on_one_page_stays_an_empty_column():
    """2020-zunhuadian-town on A5 with 37 mm margins: page 3 draws the double border right
    of 自然人 as two lines (216.8, 218.9), page 4 as lines 1.8 pt apart, read as one
    (217.1); page 3 has no line at 172.9 (no row there needs it). Neither page's lines
    were among the other's: the table was cut in two and （二）部分公开 lost. Now the
    table goes on, and a value of page 4 stays under its own column, not the narrow one."""
    before = _table(ZUNHUADIAN_A5_S37_PAGE3, 2, split_bottom=True)
    after = _table(ZUNHUADIAN_A5_S37_PAGE4, 3, split_top=True)
    union = r._continues(ZUNHUADIAN_A5_S37_PAGE3, before, after, [m.Grid([], aligned=True)])
    assert union is not None and len(union) == 12
    row = [Cell("~", origin=False), Cell("~", origin=False), Cell("1.属于国家秘密")] + [Cell(v) for v in "1234567"]
    wide = r._regrid([row], ZUNHUADIAN_A5_S37_PAGE4, union)[0]
    assert [c.text for c in wide[3:]] == ["1", "", "2", "3", "4", "5", "6", "7"]
    header = [Cell("a", span=2), Cell("a", origin=False)] + [Cell(v) for v in "自两商科社法其总"]
    assert [c.text for c in r._regrid([header], ZUNHUADIAN_A5_S37_PAGE3, union)[0][3:]] == list("自两商科社法其总")
