"""The grids as a user meets them: marks on wrong numbers, refused input, paste, undo."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from app import exchange
from conftest import ZUNHUADIAN_JSON
from ui.findings_view import FINDING_ROLE
from ui.grid import ERROR_BG
from ui_support import cell_editor, open_window, step_marks, type_into_cell


@pytest.fixture
def window(qtbot, tmp_path):
    win, _ = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), tmp_path / "data")
    return win


def requests_page(window):
    return window.editor.go_to_step("requests")


def test_wrong_number_marks_its_cell_and_lists_the_finding(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    assert window.session.error_count() == 0
    ref = ("requests", "carried_out", "natural")
    type_into_cell(qtbot, view, model.index_of(ref), "1")
    assert window.session.report.cells[ref] == 1

    # the cell: shaded, with an icon (not colour alone), the message as tooltip
    idx = model.index_of(ref)
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) == ERROR_BG
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is not None
    tip = model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert "第三部分 自然人列" in tip and "相差1" in tip
    # cells of the same rule are marked, unrelated ones are not
    assert model.data(model.index_of(("requests", "new", "natural")), Qt.ItemDataRole.BackgroundRole) == ERROR_BG
    assert model.data(model.index_of(("requests", "new", "legal")), Qt.ItemDataRole.BackgroundRole) is None
    # 结转下年度 总计 follows the part: computed, read-only, shaded as computed + error
    total = model.index_of(("requests", "carried_out", "total"))
    assert window.session.report.cells[("requests", "carried_out", "total")] == 1
    assert not model.flags(total) & Qt.ItemFlag.ItemIsEditable

    # the findings panel lists it; the step list says the step has errors
    items = [i for i in window.editor.findings.items() if i.data(0, FINDING_ROLE).rule == "requests.balance"]
    texts = [i.text(0) for i in items]
    assert any(t.startswith("错误【申请收结平衡】第三部分 自然人列") for t in texts), texts
    assert "个错误" in step_marks(window.editor)["requests"]
    assert "个错误" not in step_marks(window.editor)["appeals"]

    # clicking the finding jumps to its cell, from another step
    window.editor.go_to_step("cover")
    natural = next(i for i in window.editor.findings.items() if "自然人列" in i.text(0))
    finding = natural.data(0, FINDING_ROLE)
    window.editor.findings.itemClicked.emit(natural, 0)
    assert window.editor.current_step().key == "requests"
    assert model.ref_at(view.currentIndex()) == finding.cells[0]


@pytest.mark.parametrize("typed, message", [
    ("abc", "不是数字"),
    ("1.5", "不是整数"),
    ("-2", "不能小于 0"),
])
def test_bad_count_is_refused_with_a_message_and_the_old_value_stays(qtbot, window, typed, message):
    page = requests_page(window)
    ref = ("requests", "new", "natural")
    type_into_cell(qtbot, page.view, page.model.index_of(ref), typed)
    assert window.session.report.cells[ref] == 0
    assert page.message.isVisible()
    assert message in page.message.text() and "第三部分 新收行 自然人列" in page.message.text()
    assert "原来的数值未改变" in page.message.text()


def test_counts_accept_full_width_digits_and_separators(qtbot, window):
    page = requests_page(window)
    model = page.model
    ref = ("requests", "new", "natural")
    assert model.setData(model.index_of(ref), "１２")       # as an input method types it
    assert window.session.report.cells[ref] == 12
    assert model.setData(model.index_of(ref), "1,234")
    assert window.session.report.cells[ref] == 1234
    assert window.session.report.cells[("requests", "new", "total")] == 1234


def test_money_in_yuan_is_converted_and_said_so(qtbot, window):
    page = window.editor.go_to_step("active")
    model = page.model
    ref = ("active", "procurement", "amount")
    assert model.setData(model.index_of(ref), "40930元")
    assert window.session.report.cells[ref] == Decimal("4.093")
    assert "4.0930 万元" in page.message.text()
    assert model.data(model.index_of(ref), Qt.ItemDataRole.DisplayRole) == "4.0930"
    assert not model.setData(model.index_of(ref), "4.1234567")
    assert window.session.report.cells[ref] == Decimal("4.093")
    assert "小数位太多" in page.message.text()
    # signed column takes a negative change
    change = ("active", "licensing", "change")
    assert model.setData(model.index_of(change), "-3")
    assert window.session.report.cells[change] == -3


def test_enter_moves_down_and_tab_moves_right_skipping_labels_and_totals(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    type_into_cell(qtbot, view, model.index_of(("requests", "partly_granted", "natural")), "2")
    # Enter: to the next row one can type in (skips the （三）不予公开 group line)
    assert model.ref_at(view.currentIndex()) == ("requests", "denied_secret", "natural")
    type_into_cell(qtbot, view, model.index_of(("requests", "new", "other_org")), "3",
                   finish=Qt.Key.Key_Tab)
    # Tab from 其他: 总计 is computed, so the next cell is 上年结转 自然人
    assert model.ref_at(view.currentIndex()) == ("requests", "carried_in", "natural")
    qtbot.keyClick(cell_editor(view), Qt.Key.Key_Escape)
    # typing replaces the old value
    type_into_cell(qtbot, view, model.index_of(("requests", "new", "other_org")), "7")
    assert window.session.report.cells[("requests", "new", "other_org")] == 7


def test_delete_clears_a_block_in_one_undo_step(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))
    view.selectionModel().select(
        QtCore.QItemSelection(model.index_of(("requests", "new", "natural")),
                                 model.index_of(("requests", "carried_in", "total"))),
        view.selectionModel().SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    cells = window.session.report.cells
    assert cells[("requests", "new", "natural")] is None
    assert cells[("requests", "carried_in", "legal")] is None
    assert cells[("requests", "new", "total")] is None          # totals follow
    window.undo()
    assert cells[("requests", "new", "natural")] == 0 and cells[("requests", "new", "total")] == 0


def test_paste_from_excel_block_fills_cells_and_totals_one_undo(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))
    QtWidgets.QApplication.clipboard().setText("5\t0\t0\t1\t0\t2\t8\r\n1\t0\t0\t0\t0\t0\t1\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cells = window.session.report.cells
    assert cells[("requests", "new", "natural")] == 5
    assert cells[("requests", "new", "other_org")] == 2
    assert cells[("requests", "new", "total")] == 8
    assert cells[("requests", "carried_in", "natural")] == 1
    assert "已粘贴 12 个单元格" in page.message.text()
    assert "2 个总计单元格按分项自动计算" in page.message.text()
    window.undo()
    assert cells[("requests", "new", "natural")] == 0 and cells[("requests", "carried_in", "natural")] == 0


def select_box(view, model, first, last) -> None:
    view.setCurrentIndex(first)
    view.selectionModel().select(QtCore.QItemSelection(first, last),
                                 view.selectionModel().SelectionFlag.ClearAndSelect)


def test_copy_across_the_results_header_and_paste_back_changes_nothing(qtbot, window):
    """The bug of issue 10: 上年结转 … 予以公开 copied across 三、本年度办理结果 and pasted
    back at the same cell put 予以公开's numbers into 部分公开."""
    page = requests_page(window)
    model, view = page.model, page.view
    cells = window.session.report.cells
    window.session.set_cells({("requests", "carried_in", "natural"): 1, ("requests", "granted", "natural"): 7,
                              ("requests", "granted", "legal"): 2})
    before = dict(cells)
    first = model.index_of(("requests", "carried_in", "natural"))
    select_box(view, model, first, model.index_of(("requests", "granted", "total")))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QtWidgets.QApplication.clipboard().text().split("\r\n")
    assert lines[1] == "\t" * 6                                 # the header row's line
    view.setCurrentIndex(first)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cells == before
    assert cells[("requests", "granted", "natural")] == 7 and cells[("requests", "partly_granted", "natural")] == 0
    assert "已粘贴 12 个单元格" in page.message.text()


def test_numbers_without_the_header_row_are_refused_naming_the_line(qtbot, window):
    """A values-only copy of the official table has no line for 三、本年度办理结果: the third
    line would land on it, so nothing is pasted and the message says which line."""
    page = requests_page(window)
    model, view = page.model, page.view
    before = dict(window.session.report.cells)
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))
    QtWidgets.QApplication.clipboard().setText("5\t0\r\n1\t0\r\n4\t0\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report.cells == before
    assert "第 3 行" in page.message.text() and "三、本年度办理结果" in page.message.text()


def test_a_block_with_row_labels_is_placed_by_its_labels(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))   # anywhere
    QtWidgets.QApplication.clipboard().setText(
        "（二）部分公开(区分处理的，只计这一情形，不计其他情形)\t4\r\n（一） 予以公开\t6\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cells = window.session.report.cells
    assert cells[("requests", "granted", "natural")] == 6
    assert cells[("requests", "partly_granted", "natural")] == 4
    assert cells[("requests", "new", "natural")] == 0
    window.undo()                                                 # one undo step
    assert cells[("requests", "granted", "natural")] == 0 and cells[("requests", "partly_granted", "natural")] == 0


@pytest.mark.parametrize("clip, message", [
    ("1\t2\t3\t4\t5\t6\t7\t8", "有 8 列"),
    ("1\n" * 40, "有 40 行"),
    ("1\tx\t3", "第三部分 新收行 商业企业列：“x”不是数字"),
])
def test_paste_that_does_not_fit_says_so_and_changes_nothing(qtbot, window, clip, message):
    page = requests_page(window)
    model, view = page.model, page.view
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))
    before = dict(window.session.report.cells)
    revision = window.session.stack.revision
    QtWidgets.QApplication.clipboard().setText(clip)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report.cells == before
    assert window.session.stack.revision == revision
    assert message in page.message.text() and "未粘贴" in page.message.text()


def test_copy_gives_tab_separated_cells(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    view.selectionModel().select(
        QtCore.QItemSelection(model.index_of(("requests", "new", "natural")),
                                 model.index_of(("requests", "carried_in", "commercial"))),
        view.selectionModel().SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QtWidgets.QApplication.clipboard().text() == "0\t0\r\n0\t0\r\n"


def test_undo_redo_by_keyboard_across_steps(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    type_into_cell(qtbot, view, model.index_of(("requests", "new", "natural")), "9")
    overview = window.editor.go_to_step("overview")
    overview.editor.setPlainText("新的总体情况。")
    window.activateWindow()
    qtbot.keyClick(overview.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report.texts["overview"] != "新的总体情况。"
    assert overview.editor.toPlainText() == window.session.report.texts["overview"]
    qtbot.keyClick(overview.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report.cells[("requests", "new", "natural")] == 0
    assert window.session.report.cells[("requests", "new", "total")] == 0
    assert window.editor.current_step().key == "requests"      # undo shows where it happened
    qtbot.keyClick(page.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report.cells[("requests", "new", "total")] == 9
    assert window.act_undo.text() == "撤销“修改单元格”"


def test_a_wrong_imported_total_is_kept_until_recomputed_on_request(qtbot, tmp_path):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    report.cells[("requests", "new", "total")] = 5            # as printed, wrongly
    window, _ = open_window(qtbot, report, tmp_path / "data")
    page = requests_page(window)
    model, view = page.model, page.view
    ref = ("requests", "new", "total")
    assert any(f.rule == "requests.row_total" for f in window.session.findings)
    assert "双击或按回车可按分项重新计算" in model.data(model.index_of(ref), Qt.ItemDataRole.ToolTipRole)
    view.setCurrentIndex(model.index_of(ref))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.session.report.cells[ref] == 0
    assert "已按各分项重新计算为 0" in page.message.text()
    assert not any(f.rule == "requests.row_total" for f in window.session.findings)
    window.undo()
    assert window.session.report.cells[ref] == 5


@pytest.mark.parametrize("version_year", [2020, 2021])
def test_grids_show_every_official_label_of_the_format(qtbot, tmp_path, version_year):
    from app.report import Report
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", version_year), tmp_path / "data")
    fmt = window.session.report.format
    for table in fmt.tables.values():
        model = window.editor.pages[table.key].model
        labels = {model.data(model.index(r, 0)).strip("\u3000") for r in range(model.rowCount())}
        heads = {h for c in range(model.columnCount()) for h in model.header_path(c)}
        heads |= {model.data(model.index(r, c)) for r in range(model.rowCount())
                  for c in range(1, model.columnCount()) if not model.layout.rows[r].is_data}
        heads = {line for h in heads if h for line in h.split("\n")}   # a unit note is a second line
        for row in table.rows:
            assert row.label in labels
            assert set(row.path) <= labels
            assert not row.group or row.group in labels
        for col in table.columns.values():
            assert col.label in heads and set(col.path) <= heads
        # every cell of the format has exactly one place in the grid
        places = [model.ref_at(model.index(r, c)) for r in range(model.rowCount())
                  for c in range(1, model.columnCount())]
        assert sorted(p for p in places if p) == sorted(table.cells())
    window.close()


def test_paste_into_a_block_with_fewer_columns_is_refused(qtbot, window):
    page = window.editor.go_to_step("active")
    model, view = page.model, page.view
    view.setCurrentIndex(model.index_of(("active", "fees", "last_year")))
    before = dict(window.session.report.cells)
    assert not view.paste_text("1\t2\t3\n")
    assert window.session.report.cells == before
    assert "没有对应的单元格" in page.message.text()
    assert view.paste_text("1\t-2\n")             # 上一年项目数量, 本年增/减 (may be negative)
    assert window.session.report.cells[("active", "fees", "change")] == -2


def test_a_new_report_starts_calm_and_missing_cells_become_errors_once_the_step_is_left(qtbot, tmp_path):
    """Issue 10: a brand-new report must not greet the clerk with 36 red errors."""
    from app.report import Report
    from ui.grid import EMPTY_BG
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    editor = window.editor
    marks = step_marks(editor)
    assert not any("错误" in text for text in marks.values()), marks
    assert "还有" in marks["requests"] and "格未填" in marks["requests"]
    assert "未填写" in marks["overview"]
    assert editor.findings.items() == []                       # nothing red below the steps
    assert "0 个错误" in editor.findings_title.text() and "没有填完" in editor.findings_title.text()
    page = requests_page(window)
    model = page.model
    idx = model.index_of(("requests", "new", "natural"))
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) == EMPTY_BG
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is None
    assert "未填写（没有请填 0）" in model.data(idx, Qt.ItemDataRole.ToolTipRole)
    # a number typed wrongly is an error at once, on a calm step too
    type_into_cell(qtbot, page.view, idx, "x")
    assert "原来的数值未改变" in page.message.text()
    # leaving the step: what is still missing there is an error now
    editor.go_to_step("appeals")
    assert "个错误" in step_marks(editor)["requests"]
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) == ERROR_BG
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is not None
    assert "个错误" not in step_marks(editor)["appeals"]    # not left yet
    assert any("第三部分" in i.text(0) for i in editor.findings.items())
    # 检查与导出 lists everything missing, and from then on every step says so
    check = editor.go_to_step("check")
    texts = [i.text(0) for i in check.tree.items()]
    assert any("第四部分" in t for t in texts) and any("一、总体情况" in t for t in texts)
    assert "个错误" in step_marks(editor)["appeals"]
    assert not check.export_to(tmp_path / "正式.pdf", draft=False)      # still refused
    assert "不能导出正式报告" in check.message.text()
    window.close()


def test_a_step_left_stays_left_when_the_draft_is_opened_again(qtbot, tmp_path):
    """Issue 10: the calm start is kept with the draft: leave 三, close, reopen → the empty
    cells of 三 are errors, those of 四 (never left) still to do."""
    from app.report import Report
    from app.store import DraftStore
    from ui.grid import EMPTY_BG
    from ui.main_window import MainWindow
    window, draft_id = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    window.editor.go_to_step("requests")
    window.editor.go_to_step("appeals")
    window.close()
    again = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(again)
    again.show()
    again.open_draft(draft_id)
    marks = step_marks(again.editor)
    assert "个错误" in marks["requests"] and "格未填" in marks["appeals"], marks
    model = again.editor.pages["requests"].model
    idx = model.index_of(("requests", "new", "natural"))
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) == ERROR_BG
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is not None
    appeals = again.editor.go_to_step("appeals").model
    assert appeals.data(appeals.index_of(("appeals", "reconsideration", "upheld")),
                        Qt.ItemDataRole.BackgroundRole) == EMPTY_BG
    assert any("第三部分" in i.text(0) for i in again.editor.findings.items())
    again.close()


def test_pasting_a_block_while_typing_in_a_cell_pastes_the_block(qtbot, window):
    page = requests_page(window)
    model, view = page.model, page.view
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))
    qtbot.keyClick(view, "1")
    editor = cell_editor(view)
    QtWidgets.QApplication.clipboard().setText("2\t3\r\n")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cells = window.session.report.cells
    assert cells[("requests", "new", "natural")] == 2 and cells[("requests", "new", "commercial")] == 3
    # one Excel cell (with its line break) goes into the editor as typed text
    view.setCurrentIndex(model.index_of(("requests", "new", "legal")))
    qtbot.keyClick(view, "1")
    editor = cell_editor(view)
    QtWidgets.QApplication.clipboard().setText("45\r\n")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "145"


def test_money_column_shows_the_unit_the_pdf_prints(qtbot, window):
    """The 2019 form's 采购总金额 has no unit; the PDF adds （单位：万元）, so does the grid."""
    page = window.editor.go_to_step("active")
    model = page.model
    amount = model.index_of(("active", "procurement", "amount"))
    head = model.data(model.index(amount.row() - 1, amount.column()))
    assert head == "采购总金额\n（单位：万元）"
    assert "单位：万元" in model.data(amount, Qt.ItemDataRole.ToolTipRole)
    count = model.index_of(("active", "procurement", "projects"))
    assert model.data(model.index(count.row() - 1, count.column())) == "采购项目数量"
    assert "单位" not in model.data(count, Qt.ItemDataRole.ToolTipRole)


def test_grid_header_bands_are_the_merges_the_pdf_prints(qtbot, window):
    page = requests_page(window)
    header = page.view.horizontalHeader()
    bands, levels = header.spans()
    assert levels == 3
    by_text = {text: (l0, first, l1, end) for l0, first, l1, end, text in bands}
    # 申请人情况 over the seven applicant columns, 法人或其他组织 over five of them
    assert by_text["申请人情况"] == (0, 1, 0, 7)
    assert by_text["法人或其他组织"] == (1, 2, 1, 6)
    # 自然人 and 总计 reach down through the lower header lines
    assert by_text["自然人"] == (1, 1, 2, 1) and by_text["总计"] == (1, 7, 2, 7)
