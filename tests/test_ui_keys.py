"""The keyboard as in WPS/Excel: one undo history in every field, Ctrl+S, Ctrl+P, Enter
after a run of Tabs, the grids' right-click menu, and jumping from the findings lists."""
from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from app import exchange
from app.report import Report
from app.rules import Finding
from conftest import ZUNHUADIAN_JSON
from ui.findings_view import FINDING_ROLE
from ui.keys import field_menu
from ui_support import cell_editor, open_window, type_into_cell

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, tmp_path):
    win, _ = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), tmp_path / "data")
    win.activateWindow()
    return win


def popup_of(qtbot, open_menu) -> list[QtGui.QAction]:
    """The actions of the context menu ``open_menu()`` pops up (then closed)."""
    seen = []

    def grab():
        menu = QtWidgets.QApplication.activePopupWidget()
        seen.extend(menu.actions())
        menu.close()
    QtCore.QTimer.singleShot(100, grab)
    open_menu()
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    return seen


def test_ctrl_z_and_ctrl_y_in_the_cover_year_field_use_the_report_undo(qtbot, window):
    cover = window.editor.go_to_step("cover")
    cover.year.setFocus()
    qtbot.keyClick(cover.year, Qt.Key.Key_Down)              # 2020 → 2019, as a clerk does
    assert window.session.report.year == 2019
    qtbot.keyClick(cover.year, Qt.Key.Key_Z, CTRL)
    assert window.session.report.year == 2020 and cover.year.value() == 2020
    qtbot.keyClick(cover.year, Qt.Key.Key_Y, CTRL)
    assert window.session.report.year == 2019 and cover.year.value() == 2019


def test_ctrl_z_in_the_organ_field_takes_back_the_typing_and_ctrl_y_brings_it_back(qtbot, window):
    cover = window.editor.go_to_step("cover")
    old = window.session.report.organ
    cover.organ.setFocus()
    cover.organ.end(False)
    qtbot.keyClicks(cover.organ, "abc")
    qtbot.keyClick(cover.organ, Qt.Key.Key_Z, CTRL)
    assert cover.organ.text() == old and window.session.report.organ == old
    qtbot.keyClick(cover.organ, Qt.Key.Key_Y, CTRL)
    assert cover.organ.text() == old + "abc" and window.session.report.organ == old + "abc"


def test_ctrl_z_while_typing_in_a_cell_takes_back_that_number(qtbot, window):
    page = window.editor.go_to_step("requests")
    model, view = page.model, page.view
    ref = ("requests", "new", "natural")
    view.setCurrentIndex(model.index_of(ref))
    qtbot.keyClick(view, "7")
    qtbot.keyClick(cell_editor(view), Qt.Key.Key_Z, CTRL)
    assert window.session.report.cells[ref] == 0 and cell_editor(view) is None
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert window.session.report.cells[ref] == 7


def test_the_fields_context_menus_offer_the_report_undo_not_their_own(qtbot, window):
    cover = window.editor.go_to_step("cover")
    cover.organ.setText("改名镇人民政府")
    cover.organ.editingFinished.emit()
    for field in (cover.organ, cover.year, window.editor.go_to_step("overview").editor):
        menu = field_menu(field)
        undo, redo = menu.actions()[:2]
        assert undo is window.act_undo and redo is window.act_redo
        assert undo.isEnabled() and undo.text() == "撤销“修改封面信息”"
        assert undo.shortcut().toString() == "Ctrl+Z" and redo.shortcut().toString() == "Ctrl+Y"
        names = [a.objectName() for a in menu.actions()]
        assert "edit-undo" not in names and "edit-redo" not in names
        assert "edit-paste" in names and "select-all" in names
    # the menu a right click really opens
    shown = popup_of(qtbot, lambda: cover.year.customContextMenuRequested.emit(QtCore.QPoint(5, 5)))
    texts = [a.text() for a in shown if not a.isSeparator()]
    assert texts[0] == "撤销“修改封面信息”" and not any("Ctrl+Shift+Z" in a.shortcut().toString() for a in shown)


def test_ctrl_s_saves_at_once_and_says_so(qtbot, window):
    cover = window.editor.go_to_step("cover")
    draft_id = window.session.draft_id
    cover.organ.setFocus()
    cover.organ.end(False)
    qtbot.keyClicks(cover.organ, "x")                        # still being typed
    qtbot.keyClick(cover.organ, Qt.Key.Key_S, CTRL)
    assert window.store.load(draft_id).organ.endswith("x")
    assert window.statusBar().currentMessage().startswith("已保存")
    assert "已保存" in window.windowTitle()


def test_ctrl_p_prints_the_pages_of_the_exported_pdf(qtbot, window, tmp_path):
    import pypdfium2 as pdfium
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    window.print_report(printer)
    qtbot.waitUntil(lambda: "已送去打印" in window.statusBar().currentMessage(), timeout=30000)
    check = window.editor.go_to_step("check")
    check.wait_for_preview()
    printed = pdfium.PdfDocument(str(tmp_path / "printed.pdf"))
    assert len(printed) == len(check.preview_images) >= 2
    assert f"共 {len(printed)} 页" in window.statusBar().currentMessage()
    page = printed[0].render(scale=0.3).to_pil().convert("L")
    assert page.getextrema()[0] < 100              # the page has print on it, not blank paper
    # the keyboard: Ctrl+P asks for a printer (the dialog is Qt's)
    assert window.act_print.shortcut() == QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Print)


def test_enter_after_a_run_of_tabs_returns_to_the_column_the_run_started_in(qtbot, window):
    page = window.editor.go_to_step("requests")
    model, view = page.model, page.view
    type_into_cell(qtbot, view, model.index_of(("requests", "new", "commercial")), "1", finish=Qt.Key.Key_Tab)
    for text, key in (("2", Qt.Key.Key_Tab), ("3", Qt.Key.Key_Tab), ("4", Qt.Key.Key_Return)):
        editor = cell_editor(view)          # Tab opens the next cell for typing
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, key)
    qtbot.waitUntil(lambda: cell_editor(view) is None, timeout=2000)    # Enter commits queued
    cells = window.session.report.cells
    assert [cells[("requests", "new", c)] for c in ("commercial", "research", "social", "legal")] == [1, 2, 3, 4]
    assert model.ref_at(view.currentIndex()) == ("requests", "carried_in", "commercial")
    # a click ends the run: Enter then goes straight down
    view.setCurrentIndex(model.index_of(("requests", "granted", "legal")))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert model.ref_at(view.currentIndex()) == ("requests", "partly_granted", "legal")


def test_the_grid_right_click_menu_copies_pastes_clears_and_undoes(qtbot, window):
    page = window.editor.go_to_step("requests")
    model, view = page.model, page.view
    cells = window.session.report.cells
    window.session.set_cells({("requests", "new", "natural"): 5})
    first, last = model.index_of(("requests", "new", "natural")), model.index_of(("requests", "new", "research"))
    view.setCurrentIndex(first)
    view.selectionModel().select(QtCore.QItemSelection(first, last),
                                 view.selectionModel().SelectionFlag.ClearAndSelect)
    actions = {a.text(): a for a in view.context_menu().actions() if not a.isSeparator()}
    assert list(actions)[:3] == ["复制", "粘贴", "清除"] and list(actions)[3].startswith("撤销")
    actions["复制"].trigger()
    assert QtWidgets.QApplication.clipboard().text() == "5\t0\t0\r\n"
    actions["清除"].trigger()
    assert cells[("requests", "new", "natural")] is None
    next(a for a in view.context_menu().actions() if a.text() == "撤销“清除”").trigger()
    assert cells[("requests", "new", "natural")] == 5
    view.setCurrentIndex(model.index_of(("requests", "carried_in", "natural")))
    next(a for a in view.context_menu().actions() if a.text() == "粘贴").trigger()
    assert [cells[("requests", "carried_in", c)] for c in ("natural", "commercial")] == [5, 0]
    # the menu a right click opens on a cell
    rect = view.visualRect(model.index_of(("requests", "granted", "social")))
    shown = popup_of(qtbot, lambda: view.customContextMenuRequested.emit(rect.center()))
    assert [a.text() for a in shown if not a.isSeparator()][:3] == ["复制", "粘贴", "清除"]
    assert model.ref_at(view.currentIndex()) == ("requests", "granted", "social")


def test_a_finding_on_the_check_page_jumps_to_its_cell_by_click_and_by_enter(qtbot, window):
    window.session.set_cells({("requests", "carried_out", "natural"): 1})
    check = window.editor.go_to_step("check")
    item = next(i for i in check.tree.items() if i.data(0, FINDING_ROLE).rule == "requests.balance")
    cell = item.data(0, FINDING_ROLE).cells[0]
    rect = check.tree.visualItemRect(item)
    qtbot.mouseClick(check.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.editor.pages["requests"]
    assert window.editor.current_step().key == "requests"
    assert page.model.ref_at(page.view.currentIndex()) == cell
    check = window.editor.go_to_step("check")
    item = next(i for i in check.tree.items() if i.data(0, FINDING_ROLE).rule == "requests.balance")
    assert check.tree.currentItem() is item                   # still chosen, e.g. to acknowledge
    page.view.setCurrentIndex(page.model.index(0, 0))
    check.tree.setFocus()
    qtbot.keyClick(check.tree, Qt.Key.Key_Return)
    assert window.editor.current_step().key == "requests"
    assert page.model.ref_at(page.view.currentIndex()) == cell


def test_a_finding_about_words_in_a_text_selects_those_words(qtbot, tmp_path):
    report = Report.blank("测试镇人民政府", 2021)
    report.texts["other"] = "本年度收取信息处理费 0 元。"
    window, _ = open_window(qtbot, report, tmp_path / "data")
    finding = Finding("text.fee_report", "warning", (), "第六部分：……", "信息处理费", "other",
                      ("other", 5, 10))
    window.editor.show_finding(finding)
    page = window.editor.pages["other"]
    assert window.editor.current_step().key == "other"
    assert page.editor.textCursor().selectedText() == "信息处理费"
    window.close()
