"""The application shell: Chinese Qt dialogs, the exception hook, text steps, start."""
from __future__ import annotations

import sys

from PySide6 import QtWidgets

from app import exchange
from app.report import Report
from conftest import ZUNHUADIAN_JSON
from ui import errors
from ui.app_setup import install_translations
from ui.error_dialog import ErrorDialog
from ui_support import open_window, step_marks


def test_qt_own_texts_are_chinese(qtbot):
    app = QtWidgets.QApplication.instance()
    assert install_translations(app)
    box = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel
                                     | QtWidgets.QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert "取消(C)" in texts or "取消" in texts, texts


def test_exception_hook_saves_the_draft_logs_and_shows_a_chinese_dialog(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(errors.LOG_ENV, str(tmp_path / "logs"))
    window, draft_id = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), tmp_path / "data")
    window.editor.go_to_step("other").editor.setPlainText("出错前的修改。")
    assert not window.session.is_saved
    old_hook = sys.excepthook
    try:
        errors.install(lambda: window.session.save(), lambda: window, show=ErrorDialog.show)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        dialog = sys.excepthook.last_dialog
    finally:
        sys.excepthook = old_hook
    assert window.session.is_saved
    assert window.store.load(draft_id).texts["other"] == "出错前的修改。"
    logs = list((tmp_path / "logs").glob("error-*.log"))
    assert len(logs) == 1 and "RuntimeError: boom" in logs[0].read_text(encoding="utf-8")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "程序出现意外错误"
    assert "已自动保存" in dialog.informativeText() and str(logs[0]) in dialog.informativeText()
    dialog.copy_button.click()
    assert "RuntimeError: boom" in QtWidgets.QApplication.clipboard().text()
    window.close()


def test_overview_counts_characters_and_2021_offers_the_outline(qtbot, tmp_path):
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    page = window.editor.go_to_step("overview")
    assert page.outline_button is not None and page.outline_button.isEnabled()
    page.outline_button.click()
    text = window.session.report.texts["overview"]
    assert text.startswith("（一）主动公开") and "（五）监督保障" in text
    assert not page.outline_button.isEnabled()
    page.editor.setPlainText("字" * 1001)
    assert "已写 1001 字" in page.count.text() and "已超出 1 字" in page.count.text()
    assert any(f.rule == "text.overview_length" for f in window.session.findings)
    assert "2 个警告" in step_marks(window.editor)["overview"]  # and 总体情况的内容: no topic named
    window.close()


def test_2020_report_has_no_outline_button(qtbot, tmp_path):
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2020), tmp_path / "data")
    assert window.editor.go_to_step("overview").outline_button is None
    window.close()


def test_cover_edits_are_undoable(qtbot, tmp_path):
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    cover = window.editor.go_to_step("cover")
    cover.organ.setText("改名镇人民政府")
    cover.organ.editingFinished.emit()
    assert window.session.report.organ == "改名镇人民政府"
    assert "改名镇人民政府2021年" in window.windowTitle()
    window.undo()
    assert cover.organ.text() == "测试镇人民政府" and window.session.report.organ == "测试镇人民政府"
    window.close()


def test_run_shows_the_window_with_a_temporary_store(qtbot, monkeypatch):
    from ui import main
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)   # run() installs its own
    shown = []
    monkeypatch.setattr(QtWidgets.QApplication, "exec",
                        lambda self: shown.extend(w for w in self.topLevelWidgets() if w.isVisible()) or 0)
    assert main.run([]) == 0
    windows = [w for w in shown if w.windowTitle() == "政府信息公开年报"]
    assert windows and windows[0].start.new_button.text() == "新建报告…"
    for w in windows:
        w.close()


def test_file_menu_opens_the_aggregate_window(qtbot, tmp_path):
    from app.store import DraftStore
    from ui.main_window import MainWindow
    window = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "汇总各单位报告…")
    action.trigger()
    from ui.aggregate_window import AggregateWindow
    assert isinstance(window._aggregate, AggregateWindow) and window._aggregate.isVisible()
    window._aggregate.close()
    window.close()


def test_typing_in_a_text_is_one_undo_step_and_ctrl_z_reaches_the_report(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    page = window.editor.go_to_step("problems")
    window.activateWindow()
    page.editor.setFocus()
    qtbot.keyClicks(page.editor, "2021 nian")
    assert window.session.report.texts["problems"] == "2021 nian"
    assert "已写 8 字" in page.count.text()          # white space is not counted
    qtbot.keyClick(page.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report.texts["problems"] == "" and page.editor.toPlainText() == ""
    qtbot.keyClick(page.editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert page.editor.toPlainText() == "2021 nian"
    window.close()


def test_cover_year_stays_within_the_format(qtbot, tmp_path):
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2020), tmp_path / "data")
    cover = window.editor.go_to_step("cover")
    assert (cover.year.minimum(), cover.year.maximum()) == (2019, 2020)
    cover.year.setValue(2019)
    assert window.session.report.year == 2019 and "2019年政府信息公开" in window.windowTitle()
    window.undo()
    assert cover.year.value() == 2020
    window.close()


def test_run_parses_pdf_fonts_in_the_background_after_the_window_is_shown(qtbot, monkeypatch):
    import threading

    import app.pdf
    from ui import main
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    calls = []

    def preload(fonts=None):
        shown = [w for w in QtWidgets.QApplication.topLevelWidgets()
                 if w.isVisible() and w.windowTitle() == "政府信息公开年报"]
        calls.append((threading.current_thread() is threading.main_thread(), shown))
    monkeypatch.setattr(app.pdf, "preload_fonts", preload)
    windows = []

    def exec_(self):
        windows.extend(w for w in self.topLevelWidgets()
                       if w.isVisible() and w.windowTitle() == "政府信息公开年报")
        qtbot.waitUntil(lambda: bool(calls), timeout=5000)
        return 0
    monkeypatch.setattr(QtWidgets.QApplication, "exec", exec_)
    assert main.run([]) == 0
    on_main_thread, shown = calls[0]
    assert not on_main_thread and shown          # in a thread, with the window already up
    for w in windows:
        w.close()


def test_quitting_does_not_wait_for_the_font_parse_nor_hear_from_it(qtbot, monkeypatch):
    """The parse cannot be interrupted: quitting leaves it behind (it used to wait up to a
    second), and what it reports after the window is gone is dropped."""
    import threading

    import app.pdf
    from app.pdf.errors import FontError
    from ui import main
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def slow_preload(fonts=None):
        started.set()
        release.wait(30)
        ended.set()
        raise FontError("找不到可以嵌入 PDF 的中文字体。")
    monkeypatch.setattr(app.pdf, "preload_fonts", slow_preload)
    windows = []

    def exec_(self):
        windows.extend(w for w in self.topLevelWidgets()
                       if w.isVisible() and w.windowTitle() == "政府信息公开年报")
        qtbot.waitUntil(started.is_set, timeout=5000)
        return 0
    monkeypatch.setattr(QtWidgets.QApplication, "exec", exec_)
    assert main.run([]) == 0
    assert not ended.is_set()          # run() returned while the parse was still under way
    release.set()
    ended.wait(5)
    qtbot.wait(100)                    # a report sent now would arrive in this time
    assert all("找不到" not in w.statusBar().currentMessage() for w in windows)
    for w in windows:
        w.close()


def test_missing_pdf_font_is_said_in_the_status_bar_at_start(qtbot, tmp_path, monkeypatch):
    import app.pdf
    from app.pdf.errors import FontError
    from app.store import DraftStore
    from ui.main import start_font_preload
    from ui.main_window import MainWindow

    def no_font(fonts=None):
        raise FontError("找不到可以嵌入 PDF 的中文字体。")
    monkeypatch.setattr(app.pdf, "preload_fonts", no_font)
    window = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(window)
    window.show()
    worker = start_font_preload(window)
    qtbot.waitUntil(lambda: "找不到可以嵌入 PDF 的中文字体" in window.statusBar().currentMessage(), timeout=5000)
    worker.cancel()
    window.close()
