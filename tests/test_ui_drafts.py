"""Drafts in the window: autosave and reopen, saved/unsaved title, crash recovery, the
start page's actions, warning acknowledgements kept with the draft."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from app import exchange
from app.report import Report
from app.store import DraftStore
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from ui.grid import CARRIED_BG
from ui.main_window import MainWindow
from ui_support import open_window, type_into_cell


def test_autosave_then_reopen_shows_the_edit(qtbot, tmp_path):
    data = tmp_path / "data"
    window, draft_id = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), data)
    assert "已保存" in window.windowTitle()
    page = window.editor.go_to_step("requests")
    type_into_cell(qtbot, page.view, page.model.index_of(("requests", "new", "natural")), "3")
    assert "未保存" in window.windowTitle()
    qtbot.waitUntil(lambda: "已保存" in window.windowTitle(), timeout=5000)   # debounced autosave
    window.close()
    assert not (data / "ui-open-draft.json").exists()

    again = MainWindow(DraftStore.open(data))
    qtbot.addWidget(again)
    assert again.marker.crashed_draft() is None          # a clean close is not a crash
    again.open_draft(draft_id)
    assert again.session.report.cells[("requests", "new", "natural")] == 3
    assert again.session.report.cells[("requests", "new", "total")] == 3
    assert again.editor.current_step().key == "requests"      # back where the user was
    again.close()


def test_after_a_crash_the_last_draft_is_offered_back(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    window, draft_id = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), data)
    window.editor.go_to_step("problems").editor.setPlainText("崩溃前写下的文字。一是……二是……")
    window.session.save()
    window.store.close()                 # the process "dies": no closeEvent, marker stays
    asked = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QtWidgets.QMessageBox.StandardButton.Yes)
    again = MainWindow(DraftStore.open(data))
    qtbot.addWidget(again)
    again.offer_recovery()
    assert asked and "上次程序没有正常关闭" in asked[0]
    assert again.session is not None and again.session.draft_id == draft_id
    assert again.session.report.texts["problems"] == "崩溃前写下的文字。一是……二是……"
    again.close()


def test_warning_acknowledgement_is_kept_with_the_draft(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    window, draft_id = open_window(qtbot, exchange.read_file(PINGTAN_JSON), data)
    check = window.editor.go_to_step("check")
    warning = next(f for f in window.session.findings if f.severity == "warning")
    check.tree.select_finding(warning)
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("区里同意超出字数", True))
    check.acknowledge_selected()
    assert "已核实 1 个" in check.summary.text()
    assert any("〔已核实：区里同意超出字数〕" in i.text(0) for i in check.tree.items())
    window.close()

    again = MainWindow(DraftStore.open(data))
    qtbot.addWidget(again)
    again.open_draft(draft_id)
    check = again.editor.go_to_step("check")
    assert again.session.acknowledgement(warning) == "区里同意超出字数"
    assert any("〔已核实：区里同意超出字数〕" in i.text(0) for i in check.tree.items())
    # the length warning names no cell: editing the text keeps what the district agreed to
    again.session.set_text("overview", again.session.report.texts["overview"] + "再加几个字。")
    (length,) = [f for f in again.session.findings if f.rule == warning.rule]
    assert "1559 字" in length.message and again.session.acknowledgement(length) == "区里同意超出字数"
    again.close()


def test_a_warning_about_other_numbers_is_a_new_warning(qtbot, tmp_path, monkeypatch):
    """Acknowledged: the text says 9 applications, the table 70. When the table changes, the
    clerk must look again; when it changes back, the acknowledgement is back."""
    report = exchange.read_file(PINGTAN_JSON)
    report.texts["problems"] += "本年度新收政府信息公开申请9件。"
    window, _ = open_window(qtbot, report, tmp_path / "data")
    session = window.session
    stated = next(f for f in session.findings if f.rule == "text.numbers")
    session.acknowledge(stated, "含一件转办的申请")
    ref = ("requests", "new", "natural")
    old = session.report.cells[ref]
    session.set_cells({ref: old + 1})  # 平潭's own 收到70件申请 in 一 now disagrees too: a finding of its own
    (changed,) = [f for f in session.findings if f.rule == "text.numbers" and f.section == "problems"]
    assert session.acknowledgement(changed) is None
    session.set_cells({ref: old})
    (back,) = [f for f in session.findings if f.rule == "text.numbers" and f.section == "problems"]
    assert session.acknowledgement(back) == "含一件转办的申请"
    window.close()


def test_errors_block_only_the_final_export(qtbot, tmp_path):
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    editor = window.editor
    # every step can be visited although the report is full of errors
    for i in range(len(editor.steps)):
        editor.go_to(i)
        assert editor.step_list.currentRow() == i
    check = editor.go_to_step("check")
    assert "个错误" in check.summary.text()
    assert not check.export_to(tmp_path / "final.pdf", draft=False)
    assert "不能导出正式报告" in check.message.text()
    assert not (tmp_path / "final.pdf").exists()
    assert check.export_to(tmp_path / "draft.pdf", draft=True)
    check.wait_for_export()
    assert (tmp_path / "draft.pdf").read_bytes().startswith(b"%PDF")
    check.wait_for_preview()
    assert len(check.preview_images) >= 2 and not check.preview_images[0].isNull()


def test_start_page_new_duplicate_delete_restore(qtbot, tmp_path, monkeypatch):
    store = DraftStore.open(tmp_path / "data")
    window = MainWindow(store)
    qtbot.addWidget(window)
    monkeypatch.setattr("ui.start_page.NewReportDialog.exec", lambda self: (
        self.organ.setText("测试镇人民政府"), self.year.setValue(2021),
        QtWidgets.QDialog.DialogCode.Accepted)[-1])
    window.drafts.new_report()
    assert window.session.report.version == "2021" and window.session.report.organ == "测试镇人民政府"
    window.back_to_start()
    assert window.start.drafts.rowCount() == 1
    assert window.start.drafts.index(0, 2).data() == "2021 版"
    draft_id = window.start.selected_id()
    window.drafts.duplicate_draft(draft_id)
    assert window.start.drafts.rowCount() == 2
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: QtWidgets.QMessageBox.StandardButton.Yes)
    window.drafts.delete_draft(draft_id)
    assert window.start.drafts.rowCount() == 1 and len(store.drafts_in_bin()) == 1
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    window.drafts.show_bin()
    assert window.start.drafts.rowCount() == 2 and not store.drafts_in_bin()
    window.close()


def test_new_report_dialog_shows_the_format_for_the_year(qtbot):
    from ui.start_page import NewReportDialog
    dialog = NewReportDialog()
    qtbot.addWidget(dialog)
    dialog.year.setValue(2020)
    assert "2019〕60号" in dialog.format_note.text()
    dialog.year.setValue(2021)
    assert "2021〕30号" in dialog.format_note.text()
    dialog._accept()
    assert "请填写报告单位" in dialog.problem.text()


def test_new_from_last_years_report_carries_numbers_and_checks_against_it(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    store = DraftStore.open(tmp_path / "data")
    window = MainWindow(store)
    qtbot.addWidget(window)
    previous = exchange.read_file(ZUNHUADIAN_JSON)
    previous.cells[("requests", "carried_out", "natural")] = 2      # two requests go on to 2021
    draft_id = window.drafts.create_from_previous(previous)
    session = window.session
    assert session.report.year == 2021 and session.report.version == "2021"
    assert session.report.organ == previous.organ
    assert session.report.cells[("requests", "carried_in", "natural")] == 2
    page = window.editor.go_to_step("requests")
    idx = page.model.index_of(("requests", "carried_in", "natural"))
    assert page.model.data(idx, Qt.ItemDataRole.FontRole).italic()
    assert "从 2020 年度报告带入：上年报告结转下年度(2)。请核对" in page.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert not page.carried_note.isHidden() and "本表有 6 个数字从上年报告带入" in page.carried_note.text()
    # last year's report is kept with the draft: the carry rule checks against it
    page.model.setData(idx, "3")
    assert any(f.rule == "carry.requests" for f in session.findings)
    assert page.model.data(idx, Qt.ItemDataRole.FontRole) is None    # 3 is the clerk's number
    assert page.model.data(idx, Qt.ItemDataRole.BackgroundRole) != CARRIED_BG
    assert "带入" not in page.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    window.close()
    again = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(again)
    again.open_draft(draft_id)
    assert any(f.rule == "carry.requests" for f in again.session.findings)
    page = again.editor.go_to_step("requests")
    assert "本表有 5 个数字" in page.carried_note.text()
    again.close()


def test_carried_numbers_are_confirmed_by_cell_selection_table_or_retyping(qtbot, tmp_path):
    store = DraftStore.open(tmp_path / "data")
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    previous = exchange.read_file(ZUNHUADIAN_JSON)
    draft_id = window.drafts.create_from_previous(previous)
    page = window.editor.go_to_step("requests")
    model, view = page.model, page.view

    def italic(col):
        """Shown as carried and unconfirmed: italic on a light green ground."""
        idx = model.index_of(("requests", "carried_in", col))
        font = model.data(idx, Qt.ItemDataRole.FontRole)
        shaded = model.data(idx, Qt.ItemDataRole.BackgroundRole) == CARRIED_BG
        assert bool(font and font.italic()) == shaded
        return shaded
    columns = ("natural", "commercial", "research", "social", "legal", "other_org")
    assert all(italic(c) for c in columns)
    assert page.confirm_action in view.context_menu().actions()   # the right-click menu offers it
    # one cell: right-click 确认带入的数字
    view.setCurrentIndex(model.index_of(("requests", "carried_in", "natural")))
    page.confirm_action.trigger()
    assert not italic("natural") and italic("commercial")
    assert "已确认 1 个" in page.message.text()
    tip = model.data(model.index_of(("requests", "carried_in", "natural")), Qt.ItemDataRole.ToolTipRole)
    assert "从 2020 年度报告带入：上年报告结转下年度(0)（已确认）" in tip
    # a selection of two
    selection = QtCore.QItemSelection(model.index_of(("requests", "carried_in", "commercial")),
                                      model.index_of(("requests", "carried_in", "research")))
    view.selectionModel().select(selection, QtCore.QItemSelectionModel.SelectionFlag.ClearAndSelect)
    page.confirm_action.trigger()
    assert not italic("commercial") and not italic("research") and italic("social")
    # retyping the same number confirms it
    type_into_cell(qtbot, view, model.index_of(("requests", "carried_in", "social")), "0")
    assert not italic("social") and italic("legal")
    assert window.session.draft.carried[("requests", "carried_in", "social")] is True
    # the rest of the table: the button, which then goes away
    assert page.confirm_table_button.isVisible()
    page.confirm_table_button.click()
    assert not any(italic(c) for c in columns)
    assert not page.confirm_table_button.isVisible() and "都已确认" in page.carried_note.text()
    # each confirmation is a step of the one undo history (Ctrl+Z, Ctrl+Y)
    assert window.act_undo.text() == "撤销“确认带入的数字”"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert italic("legal") and italic("other_org") and not italic("social")
    assert page.confirm_table_button.isVisible() and "本表有 2 个数字" in page.carried_note.text()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # the retyped 0
    assert italic("social") and not italic("research")
    assert window.session.report.cells[("requests", "carried_in", "social")] == 0
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # the selection
    assert italic("commercial") and italic("research") and not italic("natural")
    assert "已撤销：确认带入的数字" in window.statusBar().currentMessage()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert not any(italic(c) for c in columns) and not page.confirm_table_button.isVisible()
    # the marks are kept with the draft
    window.close()
    with DraftStore.open(tmp_path / "data") as again:
        draft = again.load_draft(draft_id)
    assert draft.carried == {("requests", "carried_in", c): True for c in columns}


def test_history_restores_an_earlier_version(qtbot, tmp_path, monkeypatch):
    store = DraftStore.open(tmp_path / "data", history_interval=0)
    window = MainWindow(store)
    qtbot.addWidget(window)
    draft_id = store.create(exchange.read_file(ZUNHUADIAN_JSON))
    window.open_draft(draft_id)
    page = window.editor.go_to_step("requests")
    ref = ("requests", "new", "natural")
    page.model.setData(page.model.index_of(ref), "5")
    window.session.save()
    page.model.setData(page.model.index_of(ref), "8")
    window.session.save()
    offered = []

    def pick(parent, title, label, items, current, editable):
        offered.extend(items)
        return next(i for i in items if "错误 0 个" in i and "当前" not in i), True
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", pick)
    window.show_history()
    assert offered[0].endswith("（当前）")
    assert window.session.report.cells[ref] == 0
    assert window.editor.current_step().key == "requests"
    assert store.load(draft_id).cells[ref] == 0
    window.close()


def test_draft_list_name_follows_a_changed_organ(qtbot, tmp_path):
    window, draft_id = open_window(qtbot, Report.blank("旧名镇人民政府", 2021), tmp_path / "data")
    cover = window.editor.go_to_step("cover")
    cover.organ.setText("新名镇人民政府")
    cover.organ.editingFinished.emit()
    window.back_to_start()
    assert window.start.drafts.index(0, 0).data() == "新名镇人民政府2021年政府信息公开工作年度报告"
    window.close()


def test_a_draft_is_renamed_from_the_start_page(qtbot, tmp_path, monkeypatch):
    store = DraftStore.open(tmp_path / "data")
    first = store.create(Report.blank("甲镇人民政府", 2021))
    second = store.create(Report.blank("乙镇人民政府", 2021))
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    asked = []
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText",
                        lambda *a, **k: asked.append(a) or ("乙镇 2021 年报（改过）", True))
    start = window.start
    start.select_draft(second)
    old_name = store.info(second).name
    start.table.setFocus()
    qtbot.keyClick(start.table, Qt.Key.Key_F2)                       # F2 on the selected row
    assert asked and asked[0][1] == "重命名草稿" and asked[0][4] == old_name    # offered to edit
    assert store.info(second).name == "乙镇 2021 年报（改过）"
    names = [start.drafts.index(r, 0).data() for r in range(start.drafts.rowCount())]
    assert "乙镇 2021 年报（改过）" in names                            # the list shows the new name
    assert start.selected_id() == second

    warned = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("   ", True))
    start.select_draft(first)
    before = store.info(first).name
    start.rename_button.click()                                      # the button does the same
    assert warned and "草稿名称不能为空" in warned[0]
    assert "草稿名称不能为空" in start.message.text()
    assert store.info(first).name == before                          # refused: name unchanged
    window.close()
