"""Copy and paste of grid blocks by row identity (app.grid_block), over every grid of both
formats: a block goes back where it came from, a labelled block lands on its labels, and a
block that does not line up is refused and changes nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.edits import EditStack, computed_total
from app.formats import load_format
from app.grid_block import PasteError, copy_text, plan_paste, read_clipboard, total_notes, write_clipboard
from app.grid_layout import build_layout
from app.report import Report

TABLES = [(v, t) for v in ("2019", "2021") for t in load_format(v).tables]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def blank(version: str) -> Report:
    return Report.blank("测试镇人民政府", 2020 if version == "2019" else 2021)


def value_of(kind: str):
    if kind == "money":
        return st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False)
    if kind == "signed_count":
        return st.integers(-500, 500)
    return st.integers(0, 10**5)


@st.composite
def filled(draw, version: str) -> Report:
    """A report with random cells: numbers, blanks, and totals that may be wrong."""
    report = blank(version)
    fmt = report.format
    for ref in report.cells:
        report.cells[ref] = draw(st.none() | value_of(fmt.kind_of(ref)))
    return report


@st.composite
def table_and_box(draw):
    version, key = draw(st.sampled_from(TABLES))
    layout = build_layout(load_format(version).tables[key])
    r0 = draw(st.integers(0, len(layout.rows) - 1))
    r1 = draw(st.integers(r0, len(layout.rows) - 1))
    c0 = draw(st.integers(0, layout.n_positions))
    c1 = draw(st.integers(c0, layout.n_positions))
    return version, layout, (r0, c0, r1, c1)


def apply(report: Report, paste) -> Report:
    stack = EditStack(report)
    stack.set_cells(paste.values, "粘贴")
    return stack.report


def editable_in(layout, report, box) -> bool:
    computed = report.format.computed_cells()
    refs = [layout.ref(r, c - 1) for r in range(box[0], box[2] + 1) for c in range(max(box[1], 1), box[3] + 1)]
    return any(ref and (ref not in computed or report.cells[ref] is not None) for ref in refs)


@SETTINGS
@given(data=st.data(), where=table_and_box())
def test_copy_then_paste_at_the_same_top_left_leaves_the_report_unchanged(data, where):
    version, layout, box = where
    report = data.draw(filled(version))
    before = dict(report.cells)
    text = copy_text(layout, report.cells, box)
    try:
        paste = plan_paste(layout, report, box[0], box[1], text)
    except PasteError:
        # only a block of labels alone, or one without a cell to fill, has nothing to paste
        assert box[3] == 0 or not editable_in(layout, report, box)
        return
    assert apply(report, paste).cells == before
    # a pasted total is compared with its parts: said exactly when they differ
    relations = {rel.target: rel for rel in report.format.total_relations}
    differing = [ref for ref, v in paste.totals.items() if computed_total(report, relations[ref]) != v]
    notes = total_notes(report, paste)
    assert [n.split("：")[0] for n in notes] == [report.format.describe_cell(r) for r in differing]


@st.composite
def rows_block(draw):
    """A run of screen rows of a table, with numbers for their cells."""
    version, key = draw(st.sampled_from(TABLES))
    fmt = load_format(version)
    layout = build_layout(fmt.tables[key])
    r0 = draw(st.integers(0, len(layout.rows) - 1))
    r1 = draw(st.integers(r0, min(len(layout.rows) - 1, r0 + 12)))
    computed = fmt.computed_cells()
    values = {}
    for r in range(r0, r1 + 1):
        for pos in range(layout.n_positions):
            ref = layout.ref(r, pos)
            if ref is not None and ref not in computed:
                values[ref] = draw(value_of(fmt.kind_of(ref)))
    assume(values)
    return version, layout, r0, r1, values


def number_line(layout, r: int, values) -> list[str]:
    from app.numbers import format_value
    return [format_value(values[ref]) if (ref := layout.ref(r, p)) in values else ""
            for p in range(layout.n_positions)]


def expected_cells(version: str, values) -> dict:
    want = blank(version)
    EditStack(want).set_cells(values)
    return want.cells


def header_line(layout, r: int, how: int) -> list[str]:
    """What a sheet may hold on a header row: nothing, or the header's label."""
    return [layout.rows[r].label if how else ""] + [""] * (layout.n_positions - 1)


@SETTINGS
@given(block=rows_block(), how=st.integers(0, 1))
def test_a_block_with_a_blank_or_label_line_for_header_rows_lands_on_its_rows(block, how):
    version, layout, r0, r1, values = block
    lines = [number_line(layout, r, values) if layout.rows[r].is_data else header_line(layout, r, how)
             for r in range(r0, r1 + 1)]
    report = blank(version)
    paste = plan_paste(layout, report, r0, 1, write_clipboard(lines))
    assert apply(report, paste).cells == expected_cells(version, values)


def variant(label: str, how: int) -> str:
    """The same label as another office types it: other brackets, spaces, a line break."""
    if how == 1:
        return label.replace("（", "(").replace("）", ")")
    if how == 2:
        return " " + label[:2] + " " + label[2:] + "  "
    if how == 3:
        return label[:3] + "\n" + label[3:]
    return label


@SETTINGS
@given(block=rows_block(), start=st.integers(0, 60), how=st.integers(0, 3),
       order=st.randoms(use_true_random=False), with_heads=st.booleans())
def test_a_block_with_a_label_column_lands_on_its_labels(block, start, how, order, with_heads):
    version, layout, r0, r1, values = block
    lines = [[variant(layout.rows[r].label, how)] + number_line(layout, r, values)
             for r in range(r0, r1 + 1) if layout.rows[r].is_data]
    order.shuffle(lines)                       # placed by label, not by order
    if with_heads and layout.column_keys:      # a line of column names above the numbers
        table = layout.table
        lines.insert(0, [table.row_header or ""] + [table.columns[k].label for k in layout.column_keys])
    report = blank(version)
    row = start % len(layout.rows)             # wherever the cursor is
    paste = plan_paste(layout, report, row, 0, write_clipboard(lines))
    assert apply(report, paste).cells == expected_cells(version, values)


@SETTINGS
@given(block=rows_block(), data=st.data())
def test_a_block_that_does_not_line_up_is_refused_and_changes_nothing(block, data):
    version, layout, r0, r1, values = block
    # the numbers without the group lines (as a values-only copy of the official table)
    data_rows = [r for r in range(r0, len(layout.rows)) if layout.rows[r].is_data]
    groups_between = [r for r in range(data_rows[0], data_rows[-1]) if not layout.rows[r].is_data] \
        if data_rows else []
    if not groups_between:
        return
    first_group = groups_between[0]
    n_lines = data_rows.index(next(r for r in data_rows if r > first_group)) + 1
    lines = [["1" if layout.ref(r, p) else "" for p in range(layout.n_positions)] for r in data_rows[:n_lines]]
    report = data.draw(filled(version))
    before = dict(report.cells)
    start = data_rows[0]
    with pytest.raises(PasteError) as err:
        plan_paste(layout, report, start, 1, write_clipboard(lines))
    line_no = first_group - start + 1
    assert f"第 {line_no} 行" in str(err.value) and layout.rows[first_group].label in str(err.value)
    assert report.cells == before


def test_the_reported_bug_copy_across_the_results_header_and_paste_back():
    """三: 上年结转 … 予以公开 across 三、本年度办理结果; 予以公开 stays in 予以公开."""
    report = blank("2021")
    layout = build_layout(report.format.tables["requests"])
    for col, v in zip(layout.column_keys[:6], (1, 2, 3, 4, 5, 6)):
        EditStack(report).set_cells({("requests", "carried_in", col): v, ("requests", "granted", col): 10 * v})
    top = next(i for i, d in enumerate(layout.rows) if d.row and d.row.key == "carried_in")
    box = (top, 1, top + 2, 7)
    text = copy_text(layout, report.cells, box)
    assert read_clipboard(text)[1] == [""] * 7       # the header row is a line of its own
    before = dict(report.cells)
    assert apply(report, plan_paste(layout, report, top, 1, text)).cells == before
    assert report.cells[("requests", "partly_granted", "natural")] is None


def test_labels_from_the_official_table_in_merged_columns_are_understood():
    """Excel copies the official 三 with its three label columns; merged cells come as blanks."""
    report = blank("2021")
    layout = build_layout(report.format.tables["requests"])
    nums = "\t".join(["1"] * 6 + ["6"])
    text = (f"一、本年新收政府信息公开申请数量\t\t\t{nums}\r\n"
            f"三、本年度办理结果\t(一)予以公开\t\t{nums}\r\n"
            f"\t（三）不予公开\t1．属于国家秘密\t{nums}\r\n")
    paste = plan_paste(layout, report, 0, 0, text)
    cells = apply(report, paste).cells
    for row in ("new", "granted", "denied_secret"):
        assert cells[("requests", row, "natural")] == 1 and cells[("requests", row, "total")] == 6
    assert cells[("requests", "carried_in", "natural")] is None


@pytest.mark.parametrize("text, message", [
    ("新收申请\t1\t2\r\n", "第 1 行的行标题“新收申请”不是本表的行"),
    ("一、本年新收政府信息公开申请数量\t1\r\n一、本年新收政府信息公开申请数量\t2\r\n", "第 2 行与第 1 行是同一行"),
    ("三、本年度办理结果\t5\r\n", "第 1 行“三、本年度办理结果”是表格的标题行"),
    ("一、本年新收政府信息公开申请数量\t1\r\n\t2\r\n", "第 2 行没有行标题"),
])
def test_a_labelled_block_that_does_not_fit_names_its_line(text, message):
    report = blank("2021")
    layout = build_layout(report.format.tables["requests"])
    before = dict(report.cells)
    with pytest.raises(PasteError, match=message):
        plan_paste(layout, report, 0, 0, text)
    assert report.cells == before


def test_a_pasted_total_that_disagrees_with_its_parts_is_said_with_both_numbers():
    report = blank("2021")
    layout = build_layout(report.format.tables["requests"])
    paste = plan_paste(layout, report, 0, 1, "5\t0\t0\t1\t0\t2\t9\r\n")
    after = apply(report, paste)
    assert after.cells[("requests", "new", "total")] == 8          # the parts decide
    assert total_notes(after, paste) == ["第三部分 新收行 总计列：粘贴的总计为 9，各分项之和为 8，两者不一致"]
    assert "1 个总计单元格按分项自动计算" in paste.summary()


def test_a_quoted_cell_with_a_line_break_is_one_cell():
    """The 2019 采购总金额 head has its unit on a second line; Excel quotes such a cell."""
    report = blank("2019")
    layout = build_layout(report.format.tables["active"])
    group = next(i for i, d in enumerate(layout.rows) if d.label == "第二十条第（九）项")
    report.cells[("active", "procurement", "amount")] = Decimal("4.093")
    text = copy_text(layout, report.cells, (group, 1, group + 1, 2))
    assert '"采购总金额\n（单位：万元）"' in text
    assert read_clipboard(text) == [["采购项目数量", "采购总金额\n（单位：万元）"], ["", "4.0930"]]
    paste = plan_paste(layout, report, group, 1, text)
    assert paste.values == {("active", "procurement", "projects"): None,
                            ("active", "procurement", "amount"): Decimal("4.093")}
