"""The undo stack in the core: cell, text and header edits, batches, computed totals."""
from decimal import Decimal

from app import exchange
from app.edits import EditStack, recompute_totals
from app.report import Report
from app.rules import validate
from conftest import REPORTS as FIXTURES


def blank(year=2020):
    return Report.blank("测试镇人民政府", year)


def test_cell_edit_recomputes_row_and_column_totals_and_undo_restores_them():
    stack = EditStack(blank())
    r = stack.report
    stack.set_cells({("requests", "new", "natural"): 3})
    assert r.cells[("requests", "new", "total")] == 3
    stack.set_cells({("requests", "granted", "natural"): 2, ("requests", "granted", "legal"): 1},
                    label="粘贴")
    assert r.cells[("requests", "granted", "total")] == 3
    # （七）总计 row sums the result rows, and its 总计 cell is consistent both ways
    assert r.cells[("requests", "total", "natural")] == 2
    assert r.cells[("requests", "total", "legal")] == 1
    assert r.cells[("requests", "total", "total")] == 3
    assert stack.undo_label() == "粘贴"
    stack.undo()
    assert r.cells[("requests", "granted", "natural")] is None
    assert r.cells[("requests", "granted", "total")] is None
    assert r.cells[("requests", "total", "total")] is None
    assert r.cells[("requests", "new", "total")] == 3
    stack.redo()
    assert r.cells[("requests", "total", "total")] == 3
    assert not stack.can_redo()


def test_new_edit_clears_redo():
    stack = EditStack(blank())
    stack.set_cells({("appeals", "reconsideration", "upheld"): 1})
    stack.undo()
    assert stack.can_redo()
    stack.set_cells({("appeals", "reconsideration", "pending"): 2})
    assert not stack.can_redo()
    assert stack.report.cells[("appeals", "reconsideration", "total")] == 2


def test_setting_same_value_is_no_edit():
    stack = EditStack(blank())
    stack.set_cells({("appeals", "reconsideration", "upheld"): 0})
    rev = stack.revision
    assert stack.set_cells({("appeals", "reconsideration", "upheld"): 0}) is None
    assert stack.revision == rev


def test_typing_merges_into_one_undo_step_but_pause_does_not():
    stack = EditStack(blank())
    stack.set_text("overview", "我", now=10.0)
    stack.set_text("overview", "我镇", now=10.5)
    stack.set_text("overview", "我镇坚持", now=11.0)
    stack.set_text("overview", "我镇坚持。", now=20.0)
    stack.undo()
    assert stack.report.texts["overview"] == "我镇坚持"
    stack.undo()
    assert stack.report.texts["overview"] == ""
    assert not stack.can_undo()
    stack.redo()
    stack.redo()
    assert stack.report.texts["overview"] == "我镇坚持。"


def test_undo_spans_texts_cells_and_header_in_order():
    stack = EditStack(blank())
    stack.set_header("organ", "新名字镇")
    stack.set_text("problems", "一是……", now=1.0)
    stack.set_cells({("active", "procurement", "amount"): Decimal("4.093")})
    stack.undo()
    assert stack.report.cells[("active", "procurement", "amount")] is None
    stack.undo()
    assert stack.report.texts["problems"] == ""
    stack.undo()
    assert stack.report.organ == "测试镇人民政府"


def test_loaded_wrong_total_is_kept_until_a_part_changes():
    report = exchange.read_file(FIXTURES / "2020-zunhuadian-town.json")
    report.cells[("requests", "new", "total")] = 5  # as if printed wrongly
    stack = EditStack(report)
    assert any(f.rule == "requests.row_total" for f in validate(report))
    stack.set_cells({("appeals", "reconsideration", "upheld"): 0})  # no change
    assert report.cells[("requests", "new", "total")] == 5
    stack.set_cells({("requests", "new", "natural"): 1})
    assert report.cells[("requests", "new", "total")] == 1


def test_totals_of_a_full_report_agree_with_the_validator():
    report = exchange.read_file(FIXTURES / "2020-zunhuadian-town.json")
    all_parts = {p for rel in report.format.total_relations for p in rel.parts}
    assert recompute_totals(report, all_parts) == []  # the published totals are right
    assert not [f for f in validate(report) if f.rule.endswith("_total")]


def test_year_changes_only_within_the_format():
    import pytest
    stack = EditStack(blank(2020))
    stack.set_header("year", 2019)
    assert stack.report.year == 2019
    with pytest.raises(ValueError, match="2021 版格式"):
        stack.set_header("year", 2021)
    stack.undo()
    assert stack.report.year == 2020


def test_confirming_and_typing_over_carried_numbers_are_undone_with_their_marks():
    """确认带入的数字 is a step of the one undo history; undoing a number typed over a
    carried one brings its mark back with it."""
    from app.draft import Draft
    from conftest import ZUNHUADIAN_JSON
    draft = Draft.from_previous(exchange.read_file(ZUNHUADIAN_JSON), 2021)
    stack = EditStack(draft)
    natural, legal = ("requests", "carried_in", "natural"), ("requests", "carried_in", "legal")
    batch = stack.confirm([natural, ("requests", "new", "natural")])
    assert batch.label == "确认带入的数字" and batch.marks() == [natural]
    assert stack.confirm([natural]) is None                       # nothing left to confirm
    stack.set_cells({legal: 5})                                    # the clerk's own number now
    assert legal not in draft.carried
    assert stack.undo().cells() == [legal, ("requests", "carried_in", "total")]
    assert draft.carried[legal] is False and draft.report.cells[legal] == 0
    assert stack.undo().label == "确认带入的数字" and draft.carried[natural] is False
    stack.redo()
    assert draft.carried[natural] is True
    assert stack.set_cells({legal: 0}).label == "确认带入的数字"   # retyped as it was
    assert draft.carried[legal] is True
