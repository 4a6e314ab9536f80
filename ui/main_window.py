"""The main window: the start page (drafts) or the editor of one draft, menus, autosave.

Its parts: ``DraftActions`` (ui/draft_actions.py) what the clerk does with the list of
drafts; ``SaveWatch`` (ui/save_watch.py) the bars above the pages for the store's repairs
and a failed save, and its retry; ``OpenDraftMarker`` (ui/open_draft_marker.py) the draft
to offer back after a crash; ui/window_geometry.py the window's size and place. The window
itself opens and closes a draft in the editor and holds the menus.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from app.filenames import safe_filename
from app.files import os_reason
from ui.draft_actions import DraftActions
from ui.open_draft_marker import OpenDraftMarker
from ui.save_dialog import ask_save_path
from ui.save_watch import SaveWatch
from ui.start_page import StartPage
from ui.window_geometry import fit_to_screen, restore_geometry, save_geometry

if TYPE_CHECKING:  # the first window shows the start page only: the editor loads on opening
    from ui.editor import Editor
    from ui.session import Session

log = logging.getLogger(__name__)

APP_TITLE = "政府信息公开年报"


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: Session | None = None
        self.editor: Editor | None = None
        self.pages = QtWidgets.QStackedWidget()
        self.start = StartPage()
        self.pages.addWidget(self.start)
        self.drafts = DraftActions(self, store, self.start, self.open_draft)
        self.saving = SaveWatch(self, store)
        self.saving.changed.connect(self._update_title)
        self.marker = OpenDraftMarker(store)
        self.setCentralWidget(self.saving.above(self.pages))
        self._make_menus()
        self.statusBar().showMessage("就绪")
        restore_geometry(self)
        self.drafts.refresh_drafts()
        notices = self.saving.notices()
        if store is not None and store.read_only:
            self.start.message.show_problem("\n".join(notices) or "草稿库只能以只读方式打开。")
        elif notices:
            self.start.message.show_info("\n".join(notices))
        self._update_title()

    # -------------------------------------------------------------- menus
    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.act_drafts = file_menu.addAction("报告列表", self.back_to_start)
        file_menu.addAction("新建报告…", self.drafts.new_report)
        file_menu.addAction("导入文件…", self.drafts.import_report)
        self.act_export_pdf = file_menu.addAction("导出 PDF…", self.export_pdf)
        self.act_export_docx = file_menu.addAction("导出 Word（.docx）…", self.export_docx)
        self.act_export_json = file_menu.addAction("另存为数据文件（JSON）…", self.save_json_as)
        self.act_history = file_menu.addAction("历史版本…", self.show_history)
        file_menu.addSeparator()
        # setShortcuts, not setShortcut: its overloads make PySide6 build the Qt namespace's
        # enums (see ui.start_page.DISPLAY_ROLE); this one also takes every platform binding
        self.act_save = file_menu.addAction("保存", self.save_now)
        self.act_save.setShortcuts(QtGui.QKeySequence.StandardKey.Save)
        self.act_print = file_menu.addAction("打印…", self.print_report)
        self.act_print.setShortcuts(QtGui.QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        file_menu.addAction("汇总各单位报告…", self.open_aggregate)
        file_menu.addSeparator()
        file_menu.addAction("退出", self.close, QtGui.QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.act_undo = edit_menu.addAction("撤销", self.undo)
        self.act_undo.setShortcuts([QtGui.QKeySequence.StandardKey.Undo])
        self.act_redo = edit_menu.addAction("重做", self.redo)
        self.act_redo.setShortcuts([QtGui.QKeySequence("Ctrl+Y"), QtGui.QKeySequence("Ctrl+Shift+Z")])
        self.act_undo.setObjectName("undo")   # their shortcuts work in the whole window
        self.act_redo.setObjectName("redo")   # (Qt.ShortcutContext.WindowShortcut, the default)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction("关于", self.about)
        self._update_actions()

    def _update_actions(self) -> None:
        s = self.session
        self.act_undo.setEnabled(bool(s and s.stack.can_undo()))
        self.act_redo.setEnabled(bool(s and s.stack.can_redo()))
        self.act_undo.setText(f"撤销“{s.stack.undo_label()}”" if s and s.stack.can_undo() else "撤销")
        self.act_redo.setText(f"重做“{s.stack.redo_label()}”" if s and s.stack.can_redo() else "重做")
        self.act_export_json.setEnabled(s is not None)
        self.act_export_pdf.setEnabled(s is not None)
        self.act_export_docx.setEnabled(s is not None)
        self.act_history.setEnabled(s is not None)
        self.act_drafts.setEnabled(s is not None)
        self.act_save.setEnabled(s is not None)
        self.act_print.setEnabled(s is not None)

    def commit_pending(self) -> bool:
        """What is being typed (not yet an edit) goes to the report; False when it could
        not be read and was dropped (a message says why)."""
        return self.editor.commit_pending() if self.editor is not None else True

    def undo(self) -> None:
        """撤销 (Ctrl+Z in any field): what is being typed is handed to the report first,
        so undo takes back exactly that; a number that cannot be read is just dropped."""
        if self.session and self.editor and self.commit_pending():
            batch = self.session.undo()
            if batch:
                self.editor.show_batch(batch)
        self._update_actions()

    def redo(self) -> None:
        if self.session and self.editor:
            batch = self.session.redo()
            if batch:
                self.editor.show_batch(batch)
        self._update_actions()

    def save_now(self) -> bool:
        """保存 (Ctrl+S): the draft is saved as it goes; this writes it at once and says so."""
        if self.session is None:
            return False
        self.editor.commit_pending()
        if self.store is not None and self.store.read_only:
            self.statusBar().showMessage("草稿库以只读方式打开，不能保存", 8000)
            return False
        if not self.saving.save_everything():
            return False               # the bar above says why; retried until it works
        when = QtCore.QTime.currentTime().toString("HH:mm:ss")
        self.statusBar().showMessage(f"已保存（{when}）", 8000)
        self._update_title()
        return True

    def print_report(self, printer=None) -> None:
        """打印… (Ctrl+P): the pages of the exported PDF (a 草稿 while there are errors),
        through Qt's print dialog."""
        if self.session is None:
            return
        self.editor.commit_pending()
        from ui.printing import PrintJob  # QtPrintSupport loads only when printing
        self._print_job = PrintJob(self, self.session.report.copy(), printer)
        self._print_job.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self._print_job.start()

    def about(self) -> None:
        from app import __version__
        QtWidgets.QMessageBox.about(self, "关于", f"政府信息公开工作年度报告填报工具 {__version__}\n"
                                    "离线填写、检查并导出年报 PDF。")

    def open_aggregate(self) -> None:
        from ui.aggregate_window import AggregateWindow  # written by issue 6
        self._aggregate = AggregateWindow()
        self._aggregate.show()

    # -------------------------------------------------------------- title
    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_TITLE)
            return
        state = "已保存" if self.session.is_saved else "未保存"
        if self.store is not None and self.store.read_only:
            state = "只读，不能保存"
        self.setWindowTitle(f"{self.session.report.title} — {state} — {APP_TITLE}")
        self._update_actions()

    # -------------------------------------------------------------- editing
    def open_draft(self, draft_id: str) -> None:
        from ui.editor import Editor  # not needed for the start page
        from ui.session import Session
        if self.session is not None:
            self.close_draft()
        draft = self.drafts.store_call(self.store.load_draft, draft_id)
        if draft is None:
            return
        report = draft.report
        extras = self.drafts.store_call(self.store.load_extras, draft_id) or {}
        store = None if self.store.read_only else self.store
        self.session = Session(draft, store, draft_id, extras, self)
        self.session.savedChanged.connect(lambda *_: self._update_title())
        self.session.edited.connect(lambda *_: self._update_actions())
        self.session.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.session.saveFailed.connect(self.saving.save_failed)
        self.session.saveAttempted.connect(self.saving.show_new_notices)
        self._title_in_list = report.title
        self.session.headerChanged.connect(self._rename_with_title)
        self.editor = Editor(self.session)
        self.pages.addWidget(self.editor)
        self.pages.setCurrentWidget(self.editor)
        self.marker.write(draft_id)
        self._update_title()
        self.saving.show_new_notices()

    def _rename_with_title(self) -> None:
        """A draft still named by its title follows a changed organ or year."""
        if self.session is None or self.session.store is None:
            return
        title = self.session.report.title
        try:
            if self.store.info(self.session.draft_id).name == self._title_in_list and title != self._title_in_list:
                self.store.rename(self.session.draft_id, title)
        except Exception:
            log.exception("renaming the draft after its title")
            return
        self._title_in_list = title

    def close_draft(self) -> None:
        if self.session is None:
            return
        self.editor.finish_jobs()   # a running export or preview ends before its page goes
        self.session.saveAttempted.disconnect(self.saving.show_new_notices)
        self.session.save()
        self.pages.removeWidget(self.editor)
        self.editor.deleteLater()
        self.session.deleteLater()
        self.editor = self.session = None
        self.saving.notice_bar.hide()
        self.saving.show_new_notices()      # what this last save found goes to the start page
        self.marker.remove()
        self._update_title()

    def back_to_start(self) -> None:
        self.close_draft()
        self.drafts.refresh_drafts()
        self.pages.setCurrentWidget(self.start)

    def show_history(self) -> None:
        """Go back to an earlier saved state of the open draft (itself kept as a version)."""
        if self.session is None:
            return
        draft_id = self.session.draft_id
        self.session.save()
        infos = self.drafts.store_call(self.store.history, draft_id) or []
        if len(infos) <= 1:
            QtWidgets.QMessageBox.information(self, "历史版本", "这份草稿还没有更早的版本。")
            return
        names = [f"第 {i.rev} 版，保存于 {i.saved:%Y-%m-%d %H:%M}，完成度 {round(i.completeness * 100)}%，"
                 f"错误 {i.error_count} 个" + ("（当前）" if i.current else "") for i in infos]
        name, ok = QtWidgets.QInputDialog.getItem(self, "历史版本", "恢复到哪个版本？（当前内容也会保留为一个版本）",
                                                  names, 0, False)
        if not ok:
            return
        info = infos[names.index(name)]
        if info.current:
            return
        step = self.editor.current_step().key
        self.close_draft()
        if self.drafts.store_call(self.store.restore_revision, draft_id, info.rev) is not None:
            self.open_draft(draft_id)
            self.editor.go_to_step(step)
            self.statusBar().showMessage(f"已恢复到第 {info.rev} 版", 10000)
        else:
            self.open_draft(draft_id)

    def export_pdf(self) -> None:
        if self.editor is not None:
            self.editor.export(".pdf")

    def export_docx(self) -> None:
        if self.editor is not None:
            self.editor.export(".docx")

    def save_json_as(self) -> None:
        if self.session is None:
            return
        from app import exchange
        path = ask_save_path(self, "另存为数据文件", safe_filename(self.session.report.title, ".json"),
                             "年报数据文件 (*.json)", (".json",))
        if path:
            try:
                exchange.write_file(self.session.report, path)
                self.statusBar().showMessage(f"已保存：{path}", 8000)
            except exchange.ExchangeError as exc:
                QtWidgets.QMessageBox.warning(self, "无法保存", f"{path}：{exc}")
            except OSError as exc:
                QtWidgets.QMessageBox.warning(self, "无法保存", f"无法写入 {path}：{os_reason(exc)}")

    # -------------------------------------------------------------- closing
    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if not self.isMaximized() and not self.isFullScreen():
            fit_to_screen(self)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self.saving.save_everything():
            answer = QtWidgets.QMessageBox.question(
                self, "未能保存", "最后的修改没能保存到草稿库。仍然退出吗？（可以先用“文件 › 另存为数据文件”保存）")
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if getattr(self, "_aggregate", None) is not None:
            self._aggregate.close()
        self.drafts.stop_reading()
        if self.editor is not None:
            self.editor.finish_jobs()
        self.marker.remove()
        save_geometry(self)
        if self.store is not None:
            try:
                self.store.close()
            except Exception:
                log.exception("closing the store")
        event.accept()

    # -------------------------------------------------------------- after a crash
    def offer_recovery(self) -> None:
        """The draft open when the last run crashed, offered back (its last autosave)."""
        draft_id = self.marker.crashed_draft()
        if draft_id is None:
            return
        info = self.store.info(draft_id)
        answer = QtWidgets.QMessageBox.question(
            self, "恢复上次的编辑",
            f"上次程序没有正常关闭。\n要继续编辑“{info.name}”吗？（已恢复到最后一次自动保存的内容）")
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.open_draft(draft_id)
        else:
            self.marker.remove()
