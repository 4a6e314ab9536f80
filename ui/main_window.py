"""The main window: the start page (drafts) or the editor of one draft, menus, autosave.

Above the pages, two bars speak for the draft store: what it had to repair (a damaged file
replaced by its backup: the user should look at the numbers), found when a draft was opened
or by a later save, and a save that failed (disk full, read-only). A failed save is retried
every ``SAVE_RETRY_MS`` until it succeeds; the title says 未保存 until then. The failure's
reason is shown once, in its bar; the status bar only says 未保存.

A small marker file in the data folder names the draft being edited; it is removed on a
clean close. Finding it at start means the last run ended in a crash, and that draft is
offered back (its last autosave is in the store).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from app.filenames import safe_filename
from app.files import os_reason, write_bytes
from ui.save_dialog import ask_save_path
from ui.start_page import OPEN_FILTER, ImportJob, NewReportDialog, StartPage
from ui.widgets import ClosableMessageBar, MessageBar

if TYPE_CHECKING:  # the first window shows the start page only: the editor loads on opening
    from app.draft import Draft
    from app.report import Report
    from ui.editor import Editor
    from ui.session import Session

log = logging.getLogger(__name__)

APP_TITLE = "政府信息公开年报"
MARKER = "ui-open-draft.json"
SAVE_RETRY_MS = 5000
CONFIG_ENV = "NIANBAO_CONFIG_DIR"
DEFAULT_SIZE = QtCore.QSize(1280, 720)


def window_settings() -> QtCore.QSettings:
    """The window's size and place, in the user's config folder (``NIANBAO_CONFIG_DIR``
    when set: the tests and the screenshot scripts use a temporary one)."""
    folder = os.environ.get(CONFIG_ENV)
    if not folder:
        import platformdirs
        folder = platformdirs.user_config_dir("nianbao", appauthor=False)
    return QtCore.QSettings(str(Path(folder) / "window.ini"), QtCore.QSettings.Format.IniFormat)


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: Session | None = None
        self.reading: list[ImportJob] = []     # files being read off the UI thread
        self.editor: Editor | None = None
        self.pages = QtWidgets.QStackedWidget()
        self.start = StartPage()
        self.pages.addWidget(self.start)
        self.store_notice = ClosableMessageBar()   # repairs the store made (the user may close it)
        self.save_problem = MessageBar()      # a failed save, until a retry succeeds
        self.save_retry = QtCore.QTimer(self)
        self.save_retry.setInterval(SAVE_RETRY_MS)
        self.save_retry.timeout.connect(self.retry_save)
        self.setCentralWidget(self._with_bars(self.pages))
        self._wire_start()
        self._make_menus()
        self.statusBar().showMessage("就绪")
        self._restore_geometry()
        self.refresh_drafts()
        notices = list(getattr(store, "notices", []))
        self._notices_seen = len(notices)
        if store is not None and store.read_only:
            self.start.message.show_problem("\n".join(notices) or "草稿库只能以只读方式打开。")
        elif notices:
            self.start.message.show_info("\n".join(notices))
        self._update_title()

    def _with_bars(self, pages: QtWidgets.QWidget) -> QtWidgets.QWidget:
        central = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.store_notice)
        box.addWidget(self.save_problem)
        box.addWidget(pages, 1)
        return central

    # -------------------------------------------------------------- menus
    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.act_drafts = file_menu.addAction("报告列表", self.back_to_start)
        self.act_new = file_menu.addAction("新建报告…", self.new_report)
        file_menu.addAction("导入文件…", self.import_report)
        self.act_export_pdf = file_menu.addAction("导出 PDF…", self.export_pdf)
        self.act_export_docx = file_menu.addAction("导出 Word（.docx）…", self.export_docx)
        self.act_export_json = file_menu.addAction("另存为数据文件（JSON）…", self.save_json_as)
        self.act_history = file_menu.addAction("历史版本…", self.show_history)
        file_menu.addSeparator()
        self.act_save = file_menu.addAction("保存", self.save_now)
        self.act_save.setShortcut(QtGui.QKeySequence.StandardKey.Save)
        self.act_print = file_menu.addAction("打印…", self.print_report)
        self.act_print.setShortcut(QtGui.QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        file_menu.addAction("汇总各单位报告…", self.open_aggregate)
        file_menu.addSeparator()
        file_menu.addAction("退出", self.close, QtGui.QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.act_undo = edit_menu.addAction("撤销", self.undo)
        self.act_undo.setShortcuts([QtGui.QKeySequence.StandardKey.Undo])
        self.act_redo = edit_menu.addAction("重做", self.redo)
        self.act_redo.setShortcuts([QtGui.QKeySequence("Ctrl+Y"), QtGui.QKeySequence("Ctrl+Shift+Z")])
        self.act_undo.setObjectName("undo")
        self.act_redo.setObjectName("redo")
        for act in (self.act_undo, self.act_redo):
            act.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
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
        if not self.save_everything():
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

    # -------------------------------------------------------------- start page
    def _wire_start(self) -> None:
        s = self.start
        s.newRequested.connect(self.new_report)
        s.fromPreviousRequested.connect(self.new_from_previous)
        s.importRequested.connect(self.import_report)
        s.openRequested.connect(self.open_draft)
        s.duplicateRequested.connect(self.duplicate_draft)
        s.renameRequested.connect(self.rename_draft)
        s.deleteRequested.connect(self.delete_draft)
        s.binRequested.connect(self.show_bin)

    def refresh_drafts(self) -> None:
        if self.store is not None:
            self.start.set_drafts(self.store.drafts())

    def _store_call(self, fn, *args):
        """Run a store operation; its Chinese error goes to the start page, not a crash."""
        try:
            return fn(*args)
        except Exception as exc:
            from app.store import StoreError
            if not isinstance(exc, StoreError):
                raise
            self.start.message.show_problem(str(exc))
            QtWidgets.QMessageBox.warning(self, "无法完成", str(exc))
            return None

    def new_report(self) -> None:
        infos = self.store.drafts() if self.store is not None else []
        dialog = NewReportDialog(infos[0].organ if infos else "", self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        organ, year = dialog.values()
        from app.report import Report
        self.create_and_open(Report.blank(organ, year))

    def create_and_open(self, content: Draft | Report) -> str | None:
        draft_id = self._store_call(self.store.create, content)
        if draft_id:
            self.refresh_drafts()
            self.open_draft(draft_id)
        return draft_id

    def new_from_previous(self) -> None:
        """从上年报告新建: last year's report from a draft, or from a file read off the UI
        thread, carried forward."""
        choice = self._ask_previous()
        if choice == "file":
            self._read_file("选择上年度的报告", lambda result: self.create_from_previous(result.report))
        elif choice is not None:
            previous = self._store_call(self.store.load, choice)
            if previous is not None:
                self.create_from_previous(previous)

    def create_from_previous(self, previous: Report) -> str | None:
        """A new draft for the year after ``previous``, with the numbers that carry over."""
        from app.draft import Draft
        draft = Draft.from_previous(previous, previous.year + 1)
        draft_id = self.create_and_open(draft)
        if draft_id and self.session:
            self.statusBar().showMessage(
                f"已从 {previous.year} 年度报告带入 {len(draft.carried)} 个数字（上年结转等，斜体、浅绿底显示），"
                "请逐项核对后确认", 15000)
        return draft_id

    def _ask_previous(self) -> str | None:
        """The id of the selected draft, "file" to choose a file, or None (取消)."""
        draft_id = self.start.selected_id()
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle("从上年报告新建")
        box.setText("以哪一份上年度的报告为基础？")
        use_draft = None
        if draft_id:
            info = next(i for i in self.store.drafts() if i.id == draft_id)
            use_draft = box.addButton(f"列表中选中的：{info.name}", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        use_file = box.addButton("选择文件…", QtWidgets.QMessageBox.ButtonRole.ActionRole)
        box.addButton("取消", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if use_draft is not None and box.clickedButton() is use_draft:
            return draft_id
        return "file" if box.clickedButton() is use_file else None

    def import_report(self) -> None:
        self._read_file("导入报告", self._open_imported)

    def _open_imported(self, result) -> None:
        if self.create_and_open(result.draft or result.report) and result.problems:
            QtWidgets.QMessageBox.information(self, "导入时发现的情况", "\n".join(result.problems))

    def _read_file(self, title: str, then) -> None:
        """Ask for a report file and read it off the UI thread (progress and 取消 shown);
        ``then(result)`` runs when it was read, a Chinese warning when it could not be."""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, title, "", OPEN_FILTER)
        if not path:
            return
        job = ImportJob(self, Path(path), title)
        self.reading.append(job)
        job.succeeded.connect(then)
        job.failed.connect(lambda message: QtWidgets.QMessageBox.warning(self, "无法导入", message))
        job.ended.connect(lambda: self.reading.remove(job))

    def duplicate_draft(self, draft_id: str) -> None:
        if self._store_call(self.store.duplicate, draft_id):
            self.refresh_drafts()

    def rename_draft(self, draft_id: str) -> None:
        """重命名…: the store refuses an empty or overlong name with a Chinese message."""
        info = next(i for i in self.store.drafts() if i.id == draft_id)
        name, ok = QtWidgets.QInputDialog.getText(
            self, "重命名草稿", f"“{info.name}”的新名称：", QtWidgets.QLineEdit.EchoMode.Normal, info.name)
        if not ok or name == info.name:
            return
        self._store_call(self.store.rename, draft_id, name)
        self.refresh_drafts()
        self.start.select_draft(draft_id)

    def delete_draft(self, draft_id: str) -> None:
        info = next(i for i in self.store.drafts() if i.id == draft_id)
        answer = QtWidgets.QMessageBox.question(
            self, "删除草稿", f"把“{info.name}”移到回收站？\n（可在“回收站…”中恢复）")
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self._store_call(self.store.delete, draft_id)
            self.refresh_drafts()

    def show_bin(self) -> None:
        infos = self.store.drafts_in_bin()
        if not infos:
            QtWidgets.QMessageBox.information(self, "回收站", "回收站是空的。")
            return
        names = [f"{i.name}（删除于 {i.deleted:%Y-%m-%d %H:%M}）" if i.deleted else i.name for i in infos]
        name, ok = QtWidgets.QInputDialog.getItem(self, "回收站", "选择要恢复的草稿：", names, 0, False)
        if ok:
            self._store_call(self.store.restore_from_bin, infos[names.index(name)].id)
            self.refresh_drafts()

    # -------------------------------------------------------------- editing
    def open_draft(self, draft_id: str) -> None:
        from ui.editor import Editor  # not needed for the start page
        from ui.session import Session
        if self.session is not None:
            self.close_draft()
        draft = self._store_call(self.store.load_draft, draft_id)
        if draft is None:
            return
        report = draft.report
        extras = self._store_call(self.store.load_extras, draft_id) or {}
        store = None if self.store.read_only else self.store
        self.session = Session(draft, store, draft_id, extras, self)
        self.session.savedChanged.connect(lambda *_: self._update_title())
        self.session.edited.connect(lambda *_: self._update_actions())
        self.session.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.session.saveFailed.connect(self._save_failed)
        self.session.saveAttempted.connect(self._show_new_notices)
        self._title_in_list = report.title
        self.session.headerChanged.connect(self._rename_with_title)
        self.editor = Editor(self.session)
        self.pages.addWidget(self.editor)
        self.pages.setCurrentWidget(self.editor)
        self._write_marker(draft_id)
        self._update_title()
        self._show_new_notices()

    def _show_new_notices(self) -> None:
        """What the store found and repaired since the last look (it adds to ``notices``
        while loading a draft and while saving one): above the editor, or on the start page
        when no draft is open."""
        notices = list(getattr(self.store, "notices", []))
        new, self._notices_seen = notices[self._notices_seen:], len(notices)
        if not new:
            return
        text = "\n".join(new) + "\n请核对这份报告的内容。"
        if self.session is not None:
            self.store_notice.show_problem(text)
        else:
            self.start.message.show_problem(text)

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
        self.session.saveAttempted.disconnect(self._show_new_notices)
        self.session.save()
        self.pages.removeWidget(self.editor)
        self.editor.deleteLater()
        self.session.deleteLater()
        self.editor = self.session = None
        self.store_notice.hide()
        self._show_new_notices()      # what this last save found goes to the start page
        self._remove_marker()
        self._update_title()

    def back_to_start(self) -> None:
        self.close_draft()
        self.refresh_drafts()
        self.pages.setCurrentWidget(self.start)

    def _save_failed(self, message: str) -> None:
        self.statusBar().showMessage("未保存")    # why is in the bar above, said once
        self.save_problem.show_problem(message)
        self.save_retry.start()
        self._update_title()

    def save_everything(self) -> bool:
        """Save the open draft and whatever an earlier failed save left in memory; True
        when all is on disk."""
        if self.store is None or self.store.read_only:
            return True
        saved = self.session.save() if self.session is not None else True
        return saved and self.store.retry_pending()

    def retry_save(self) -> None:
        """The timer after a failed save: try again until the disk takes it."""
        saved = self.save_everything()
        self._show_new_notices()       # a retry may have met, and repaired, a damaged file
        if not saved:
            return                     # the session said why (saveFailed); try again later
        self.save_retry.stop()
        if self.save_problem.isVisible():
            self.save_problem.hide()
            self.statusBar().showMessage("已重新保存，修改都已写入磁盘", 10000)
        self._update_title()

    def show_history(self) -> None:
        """Go back to an earlier saved state of the open draft (itself kept as a version)."""
        if self.session is None:
            return
        draft_id = self.session.draft_id
        self.session.save()
        infos = self._store_call(self.store.history, draft_id) or []
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
        if self._store_call(self.store.restore_revision, draft_id, info.rev) is not None:
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

    # -------------------------------------------------------------- geometry
    def _restore_geometry(self) -> None:
        saved = window_settings().value("geometry")
        if not (isinstance(saved, QtCore.QByteArray) and self.restoreGeometry(saved)):
            self.resize(DEFAULT_SIZE)
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area (without the task bar), title bar and
        frame included, and on it."""
        screen = self.screen() or QtGui.QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(frame.width() - self.width(), 0)
        extra_h = max(frame.height() - self.height(), 0)
        width = min(self.width(), free.width() - extra_w)
        height = min(self.height(), free.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        if not free.contains(frame):
            x = min(max(frame.x(), free.x()), free.right() - frame.width() + 1)
            y = min(max(frame.y(), free.y()), free.bottom() - frame.height() + 1)
            self.move(x, y)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if not self.isMaximized() and not self.isFullScreen():
            self.fit_to_screen()

    def _save_geometry(self) -> None:
        settings = window_settings()
        settings.setValue("geometry", self.saveGeometry())
        settings.sync()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self.save_everything():
            answer = QtWidgets.QMessageBox.question(
                self, "未能保存", "最后的修改没能保存到草稿库。仍然退出吗？（可以先用“文件 › 另存为数据文件”保存）")
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if getattr(self, "_aggregate", None) is not None:
            self._aggregate.close()
        for job in list(self.reading):   # a file being read: its thread must end first
            job.cancel()
            job.wait()
        if self.editor is not None:
            self.editor.finish_jobs()
        self._remove_marker()
        self._save_geometry()
        if self.store is not None:
            try:
                self.store.close()
            except Exception:
                log.exception("closing the store")
        event.accept()

    # -------------------------------------------------------------- crash recovery
    def _marker(self) -> Path | None:
        layout = getattr(self.store, "layout", None)
        return Path(layout.root) / MARKER if layout is not None else None

    def _write_marker(self, draft_id: str) -> None:
        marker = self._marker()
        if marker is not None and not self.store.read_only:
            try:
                write_bytes(marker, json.dumps({"draft": draft_id}).encode("utf-8"), durable=False)
            except OSError:
                log.exception("writing the open-draft marker")

    def _remove_marker(self) -> None:
        marker = self._marker()
        if marker is not None and not self.store.read_only:
            marker.unlink(missing_ok=True)

    def crashed_draft(self) -> str | None:
        """The draft that was open when the last run ended without closing, if any."""
        marker = self._marker()
        if marker is None or self.store.read_only or not marker.exists():
            return None
        try:
            draft_id = json.loads(marker.read_text(encoding="utf-8"))["draft"]
        except (OSError, ValueError, KeyError, TypeError):
            marker.unlink(missing_ok=True)
            return None
        return draft_id if any(i.id == draft_id for i in self.store.drafts()) else None

    def offer_recovery(self) -> None:
        draft_id = self.crashed_draft()
        if draft_id is None:
            return
        info = next(i for i in self.store.drafts() if i.id == draft_id)
        answer = QtWidgets.QMessageBox.question(
            self, "恢复上次的编辑",
            f"上次程序没有正常关闭。\n要继续编辑“{info.name}”吗？（已恢复到最后一次自动保存的内容）")
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.open_draft(draft_id)
        else:
            self._remove_marker()
