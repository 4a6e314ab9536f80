"""The tables' structure shared by the PDF and Word exporters (``app.table_layout``),
computed from the format files: the merged cells of the official templates, the printed
numbers, and how a table breaks across pages."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app import exchange
from app.formats import load_format
from app.table_layout import TableGrid, column_heading, split_grid, split_points, table_grid, value_text
from conftest import ZUNHUADIAN_JSON


def grid_of(version: str, table: str, report=None) -> TableGrid:
    t = load_format(version).tables[table]
    return table_grid(t, report.cells if report else None)


def merged(grid: TableGrid, text: str) -> list[tuple[int, int, int, int]]:
    """(col0, row0, col1, row1) of every cell showing ``text``."""
    out = []
    for r, line in enumerate(grid.cells):
        for c, cell in enumerate(line):
            if cell is not None and cell.text == text:
                span = next(((c0, r0, c1, r1) for c0, r0, c1, r1 in grid.spans
                             if (c0, r0) == (c, r)), (c, r, c, r))
                out.append(span)
    return out


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_requests_header_groups_as_in_the_official_table(version):
    g = grid_of(version, "requests")
    assert g.header_rows == 3
    assert merged(g, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）") == [(0, 0, 2, 2)]
    assert merged(g, "申请人情况") == [(3, 0, 9, 0)]
    assert merged(g, "自然人") == [(3, 1, 3, 2)]
    assert merged(g, "法人或其他组织") == [(4, 1, 8, 1)]
    assert [merged(g, x)[0] for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")] == \
        [(c, 2, c, 2) for c in range(4, 9)]
    assert merged(g, "总计") == [(9, 1, 9, 2)]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_requests_row_groups_on_the_left(version):
    fmt = load_format(version)
    rows = [r.key for r in fmt.tables["requests"].rows]
    g = grid_of(version, "requests")
    row = {key: 3 + i for i, key in enumerate(rows)}
    assert merged(g, "一、本年新收政府信息公开申请数量") == [(0, row["new"], 2, row["new"])]
    assert merged(g, "三、本年度办理结果") == [(0, row["granted"], 0, row["total"])]
    assert merged(g, "（三）不予公开") == [(1, row["denied_secret"], 1, row["denied_query"])]
    assert merged(g, "（四）无法提供") == [(1, row["unable_not_held"], 1, row["unable_unclear"])]
    assert merged(g, "（五）不予处理") == [(1, row["ignored_petition"], 1, row["ignored_confirm"])]
    assert merged(g, "（一）予以公开") == [(1, row["granted"], 2, row["granted"])]
    assert merged(g, "（七）总计") == [(1, row["total"], 2, row["total"])]
    assert merged(g, "1.属于国家秘密") == [(2, row["denied_secret"], 2, row["denied_secret"])]
    assert merged(g, "四、结转下年度继续办理") == [(0, row["carried_out"], 2, row["carried_out"])]
    if version == "2021":
        assert merged(g, "（六）其他处理") == [(1, row["other_no_correction"], 1, row["other_misc"])]
    else:
        assert merged(g, "（六）其他处理") == [(1, row["other"], 2, row["other"])]


def test_appeals_wide_header():
    g = grid_of("2021", "appeals")
    assert g.header_rows == 3 and g.n_cols == 15 and g.n_rows == 4
    assert merged(g, "行政复议") == [(0, 0, 4, 0)]
    assert merged(g, "行政诉讼") == [(5, 0, 14, 0)]
    assert merged(g, "未经复议直接起诉") == [(5, 1, 9, 1)]
    assert merged(g, "复议后起诉") == [(10, 1, 14, 1)]
    assert merged(g, "结果维持") == [(0, 1, 0, 2), (5, 2, 5, 2), (10, 2, 10, 2)]
    assert [c.ref for c in g.cells[3]][:2] == [("appeals", "reconsideration", "upheld"),
                                             ("appeals", "reconsideration", "corrected")]


def test_active_blocks_2021():
    g = grid_of("2021", "active")
    texts = [[c.text if c else None for c in line] for line in g.cells]
    assert texts[0] == ["第二十条第（一）项", None, None, None]
    assert texts[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert texts[2][0] == "规章" and texts[3][0] == "行政规范性文件"
    assert texts[4] == ["第二十条第（五）项", None, None, None]
    assert texts[5] == ["信息内容", "本年处理决定数量", None, None]
    assert (1, 5, 3, 5) in g.spans and (0, 0, 3, 0) in g.spans
    assert merged(g, "本年收费金额（单位：万元）")
    amount_head = next(c for line in g.cells for c in line if c and c.text.startswith("本年收费金额"))
    assert amount_head.note is None                      # the unit is already in the label
    assert g.keep[0] == (0, 3)


def test_2019_procurement_amount_shows_its_unit_without_changing_the_label():
    g = grid_of("2019", "active")
    head = next(c for line in g.cells for c in line if c and c.text == "采购总金额")
    assert head.note == "（单位：万元）"
    texts = [[c.text if c else None for c in line] for line in g.cells]
    assert ["信息内容", "上一年项目数量", "本年增/减", None] in texts        # 行政事业性收费 block
    assert ["信息内容", "采购项目数量", "采购总金额", None] in texts


def test_values_printed_money_padded_never_rounded():
    report = exchange.read_file(ZUNHUADIAN_JSON)
    g = grid_of("2019", "active", report)
    values = {c.ref: c.text for line in g.cells for c in line if c and c.kind == "value"}
    assert values[("active", "procurement", "amount")] == "4.0930"
    assert values[("active", "procurement", "projects")] == "12"
    assert value_text("money", Decimal("24252.311082")) == "24252.311082"
    assert value_text("money", Decimal("7")) == "7.0000"
    assert value_text("signed_count", -3) == "-3"
    assert value_text("count", None) == ""


def test_every_cell_of_the_format_is_printed_once():
    for version in ("2019", "2021"):
        fmt = load_format(version)
        refs = []
        for table in fmt.tables.values():
            g = grid_of(version, table.key)
            refs += [c.ref for line in g.cells for c in line if c and c.kind == "value"]
        assert sorted(refs) == sorted(fmt.cells())


def test_split_repeats_header_and_cut_group_cells():
    g = grid_of("2021", "requests")
    k = 3 + 6                                # inside 三、本年度办理结果 and （三）不予公开
    first, rest = split_grid(g, k)
    assert first.n_rows == k and rest.n_rows == g.n_rows - k + 3
    assert [c.text if c else None for c in rest.cells[0]] == [c.text if c else None for c in g.cells[0]]
    assert rest.cells[3][0].text == "三、本年度办理结果"
    assert rest.cells[3][1].text == "（三）不予公开"
    assert (0, 3, 0, 3 + (g.n_rows - 2 - k)) in rest.spans      # 三、 down to （七）总计
    assert any(span[:3] == (0, 5, 0) for span in first.spans)   # 三、 cut at the break


def test_split_points_avoid_blocks_and_short_group_stubs():
    g = grid_of("2019", "active")
    points = split_points(g, 3)
    assert points and all(k in {a for a, _ in g.keep} for k in points)
    r = grid_of("2021", "requests")
    pts = split_points(r, 3)
    assert r.n_rows - 1 not in pts and 3 + 2 not in pts        # ≥ 3 body rows each side


def test_unit_heading_is_the_label_then_the_unit_line():
    g = grid_of("2019", "active")
    head = next(c for line in g.cells for c in line if c and c.text == "采购总金额")
    assert head.lines == "采购总金额\n（单位：万元）"
    amount = load_format("2019").tables["active"].columns["amount"]
    assert column_heading(amount) == head.lines


def test_grid_knows_its_label_columns():
    assert grid_of("2021", "requests").label_columns == 3
    assert grid_of("2021", "active").label_columns == 1
    assert grid_of("2021", "appeals").label_columns == 0
