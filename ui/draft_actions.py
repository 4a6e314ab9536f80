"""What the clerk does with the list of drafts (start page and 文件 menu): a new report,
one from last year's, an imported file, and duplicate, rename, delete, the bin.

Every store call's Chinese error is shown (on the start page and in a dialog), never a
crash; a file is read off the UI thread with its progress and 取消 (``ImportJob``).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

from ui.start_page import OPEN_FILTER, ImportJob, NewReportDialog, StartPage

if TYPE_CHECKING:
    from app.draft import Draft
    from app.report import Report


class DraftActions(QtCore.QObject):
    def __init__(self, window: QtWidgets.QMainWindow, store, start: StartPage,
                 open_draft: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.start = start
        self.open_draft = open_draft
        self.reading: list[ImportJob] = []     # files being read off the UI thread
        start.newRequested.connect(self.new_report)
        start.fromPreviousRequested.connect(self.new_from_previous)
        start.importRequested.connect(self.import_report)
        start.openRequested.connect(open_draft)
        start.duplicateRequested.connect(self.duplicate_draft)
        start.renameRequested.connect(self.rename_draft)
        start.deleteRequested.connect(self.delete_draft)
        start.binRequested.connect(self.show_bin)

    def refresh_drafts(self) -> None:
        if self.store is not None:
            self.start.set_drafts(self.store.drafts())

    def store_call(self, fn, *args):
        """Run a store operation; its Chinese error goes to the start page, not a crash."""
        try:
            return fn(*args)
        except Exception as exc:
            from app.store import StoreError
            if not isinstance(exc, StoreError):
                raise
            self.start.message.show_problem(str(exc))
            QtWidgets.QMessageBox.warning(self.window, "无法完成", str(exc))
            return None

    def _info(self, draft_id: str):
        return next(i for i in self.store.drafts() if i.id == draft_id)

    # -------------------------------------------------------------- new drafts
    def new_report(self) -> None:
        infos = self.store.drafts() if self.store is not None else []
        dialog = NewReportDialog(infos[0].organ if infos else "", self.window)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        organ, year = dialog.values()
        from app.report import Report
        self.create_and_open(Report.blank(organ, year))

    def create_and_open(self, content: Draft | Report) -> str | None:
        draft_id = self.store_call(self.store.create, content)
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
            previous = self.store_call(self.store.load, choice)
            if previous is not None:
                self.create_from_previous(previous)

    def create_from_previous(self, previous: Report) -> str | None:
        """A new draft for the year after ``previous``, with the numbers that carry over."""
        from app.draft import Draft
        draft = Draft.from_previous(previous, previous.year + 1)
        draft_id = self.create_and_open(draft)
        if draft_id and self.window.session is not None:
            self.window.statusBar().showMessage(
                f"已从 {previous.year} 年度报告带入 {len(draft.carried)} 个数字（上年结转等，斜体、浅绿底显示），"
                "请逐项核对后确认", 15000)
        return draft_id

    def _ask_previous(self) -> str | None:
        """The id of the selected draft, "file" to choose a file, or None (取消)."""
        draft_id = self.start.selected_id()
        box = QtWidgets.QMessageBox(self.window)
        box.setWindowTitle("从上年报告新建")
        box.setText("以哪一份上年度的报告为基础？")
        use_draft = None
        if draft_id:
            info = self._info(draft_id)
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
            QtWidgets.QMessageBox.information(self.window, "导入时发现的情况", "\n".join(result.problems))

    def _read_file(self, title: str, then) -> None:
        """Ask for a report file and read it off the UI thread (progress and 取消 shown);
        ``then(result)`` runs when it was read, a Chinese warning when it could not be."""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, title, "", OPEN_FILTER)
        if not path:
            return
        job = ImportJob(self.window, Path(path), title)
        self.reading.append(job)
        job.succeeded.connect(then)
        job.failed.connect(lambda message: QtWidgets.QMessageBox.warning(self.window, "无法导入", message))
        job.ended.connect(lambda: self.reading.remove(job))

    def stop_reading(self) -> None:
        """A file being read: its thread ends before the window goes."""
        for job in list(self.reading):
            job.cancel()
            job.wait()

    # -------------------------------------------------------------- the list
    def duplicate_draft(self, draft_id: str) -> None:
        if self.store_call(self.store.duplicate, draft_id):
            self.refresh_drafts()

    def rename_draft(self, draft_id: str) -> None:
        """重命名…: the store refuses an empty or overlong name with a Chinese message."""
        info = self._info(draft_id)
        name, ok = QtWidgets.QInputDialog.getText(
            self.window, "重命名草稿", f"“{info.name}”的新名称：", QtWidgets.QLineEdit.EchoMode.Normal, info.name)
        if not ok or name == info.name:
            return
        self.store_call(self.store.rename, draft_id, name)
        self.refresh_drafts()
        self.start.select_draft(draft_id)

    def delete_draft(self, draft_id: str) -> None:
        info = self._info(draft_id)
        answer = QtWidgets.QMessageBox.question(
            self.window, "删除草稿", f"把“{info.name}”移到回收站？\n（可在“回收站…”中恢复）")
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.store_call(self.store.delete, draft_id)
            self.refresh_drafts()

    def show_bin(self) -> None:
        infos = self.store.drafts_in_bin()
        if not infos:
            QtWidgets.QMessageBox.information(self.window, "回收站", "回收站是空的。")
            return
        names = [f"{i.name}（删除于 {i.deleted:%Y-%m-%d %H:%M}）" if i.deleted else i.name for i in infos]
        name, ok = QtWidgets.QInputDialog.getItem(self.window, "回收站", "选择要恢复的草稿：", names, 0, False)
        if ok:
            self.store_call(self.store.restore_from_bin, infos[names.index(name)].id)
            self.refresh_drafts()
