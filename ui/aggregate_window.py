"""The district office's window: pick the units' files, the roster, last year's reports and
the district's own report; sum and check them; see who is missing, each file's problems,
the ratios and the changes from last year; write the 问题清单 and save the summary.

All the work is done by ``app.aggregate.district`` (the command line calls the same functions); this
window only chooses files and shows the result. Reading runs in a background thread with
a progress bar and 取消 (a large published file takes seconds to read), so the window
never freezes. Problems are shown in the window itself (no modal message boxes), so that
a clerk can read them while fixing the files, and so that tests can read them too.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from app.aggregate.config import load_district_config
from app.aggregate.district import Cancelled, DeskInputs, DistrictResult, evaluate, run_desk
from app.aggregate.roster import NameDecision, Roster, RosterError, decide, read_roster
from app.aggregate.save import OUTPUT_SUFFIXES, save_aggregate
from app.aggregate.summing import AggregateError, Entry
from app.crashlog import bug_message
from app.filenames import safe_filename
from ui.save_dialog import ask_save_path

OPEN_FILTER = ("年报文件 (*.pdf *.json *.html *.htm *.mht *.mhtml *.txt *.docx);;"
               "PDF (*.pdf);;数据文件 (*.json);;网页 (*.html *.htm *.mht *.mhtml);;文本 (*.txt);;Word (*.docx)")
PREVIOUS_FILTER = ("上年的报告或汇总记录 (*.pdf *.json *.html *.htm *.mht *.mhtml *.txt *.docx);;"
                   "汇总记录 (*.汇总记录.json)")
ROSTER_FILTER = "单位名单 (*.txt *.csv *.xlsx)"
RECORD_FILTER = "汇总记录 (*.汇总记录.json)"
SAVE_FILTER = "Excel 表格 (*.xlsx);;汇总报告数据文件 (*.json);;PDF 草稿 (*.pdf)"

RED, AMBER = QtGui.QColor("#b00020"), QtGui.QColor("#9a6700")
STATUS_COLORS = {"未收到": RED, "无法读取": RED, "有错误": RED, "名单外": AMBER, "有警告": AMBER}
READING = ("正在读取第 {n}/{total} 个文件：{name}", "正在取消：当前文件读完后停止…")
WRITING = ("正在生成第 {n}/{total} 份问题清单：{name}", "正在取消：当前这份问题清单写完后停止…")


class _Job(QtCore.QObject):
    """One piece of desk work in a thread; reports progress and can be stopped between files."""
    progress = QtCore.Signal(int, int, str)
    done = QtCore.Signal(object)
    failed = QtCore.Signal(str)
    cancelled = QtCore.Signal()

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            result = self.fn(lambda i, n, name: self.progress.emit(i, n, name), self.stop.is_set)
        except Cancelled:
            self.cancelled.emit()
        except (AggregateError, RosterError, OSError) as exc:
            self.failed.emit(str(exc) if not isinstance(exc, OSError) or not exc.strerror
                             else f"无法写入：{exc.strerror}")
        except Exception as exc:  # noqa: BLE001 - a bug: said in Chinese, naming the log file
            self.failed.emit(bug_message(exc, "汇总窗口的后台任务"))
        else:
            self.done.emit(result)


class AggregateWindow(QtWidgets.QWidget):
    """Pick files, run, show per-unit and per-file state, ratios, last year; write the
    问题清单; save the sum and its record."""

    runFinished = QtCore.Signal(bool)
    """Emitted when a run ends: True with a result, False when refused, failed or stopped."""
    feedbackFinished = QtCore.Signal(bool)

    FILE_COLUMNS = ("文件", "报告单位", "名单单位", "状态", "错误", "警告", "数字来源")
    UNIT_COLUMNS = ("单位", "状态", "文件", "错误", "警告", "名称核对")
    YEAR_COLUMNS = ("单位", "单元格或事项", "上年", "本年", "提示")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("汇总各单位报告")
        self.paths: list[Path] = []
        self.previous: list[Path] = []
        self.parent_path: Path | None = None
        self.roster: Roster | None = None
        self.roster_from_previous = False
        self.record = None
        self.record_path: Path | None = None
        self.names: tuple[NameDecision, ...] = ()
        self._shown_entries: list[Entry] = []
        self.result: DistrictResult | None = None
        self._thread: QtCore.QThread | None = None
        self._job: _Job | None = None
        self._handlers = (None, None, None)
        self._texts = ("", "")
        self._build()
        self._refresh_choices()
        self._forget_result()
        self.setAcceptDrops(True)

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """Files dropped from the file manager are added like chosen ones."""
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        box = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel("添加收到的各单位年报（PDF、数据文件或已发布的报告，也可拖到这里），"
                                 "选择单位名单和上年的报告，点“开始汇总”。")
        intro.setWordWrap(True)
        box.addWidget(intro)
        box.addLayout(self._names_row())
        box.addLayout(self._choices_row())
        box.addLayout(self._files_row())
        self.tabs = QtWidgets.QTabWidget()
        self.table = self._table(self.FILE_COLUMNS)
        self.units_table = self._table(self.UNIT_COLUMNS)
        self.ratios_table = self._table(("单位", "文件"))
        self.ratios_note = QtWidgets.QLabel()
        ratios = QtWidgets.QWidget()
        ratios_box = QtWidgets.QVBoxLayout(ratios)
        ratios_box.setContentsMargins(0, 4, 0, 0)
        ratios_box.addWidget(self.ratios_note)
        ratios_box.addWidget(self.ratios_table)
        self.years_table = self._table(self.YEAR_COLUMNS)
        self.only_flagged = QtWidgets.QCheckBox("只显示变化大的单元格和上年结转核对", checked=True)
        self.only_flagged.toggled.connect(self._fill_years)
        years = QtWidgets.QWidget()
        years_box = QtWidgets.QVBoxLayout(years)
        years_box.setContentsMargins(0, 4, 0, 0)
        years_box.addWidget(self.only_flagged)
        years_box.addWidget(self.years_table)
        self.parent_view = QtWidgets.QPlainTextEdit(readOnly=True)
        self.tabs.addTab(self.units_table, "名单核对")
        self.tabs.addTab(self.table, "文件")
        self.tabs.addTab(ratios, "比率")
        self.tabs.addTab(years, "与上年比较")
        self.ratios_page, self.years_page = ratios, years
        self.tabs.addTab(self.parent_view, "本级报告核对")
        box.addWidget(self.tabs, 3)
        box.addLayout(self._details_row())
        self.details = QtWidgets.QPlainTextEdit(readOnly=True)
        box.addWidget(self.details, 1)
        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(self.status)
        box.addLayout(self._action_row())
        self.table.itemSelectionChanged.connect(self._show_file_details)
        self.units_table.itemSelectionChanged.connect(self._show_unit_details)
        self.resize(1000, 680)

    def _details_row(self) -> QtWidgets.QHBoxLayout:
        """The label over the details, and what the clerk can say about a doubtful name
        (shown only for a row that has one)."""
        row = QtWidgets.QHBoxLayout()
        self.details_label = QtWidgets.QLabel("所选单位或文件的问题：")
        row.addWidget(self.details_label)
        row.addStretch(1)
        self.same_button = QtWidgets.QPushButton("是同一单位")
        self.not_same_button = QtWidgets.QPushButton("不是同一单位")
        self.undo_names_button = QtWidgets.QPushButton("撤销名称核对结果")
        self.same_button.setToolTip("报告中的单位就是名单中的这个单位：以后不再提示核对（保存在汇总记录中）")
        self.not_same_button.setToolTip("报告中的单位不是名单中的这个单位：按名单外单位处理（保存在汇总记录中）")
        for button in (self.same_button, self.not_same_button, self.undo_names_button):
            button.hide()
            row.addWidget(button)
        self.same_button.clicked.connect(lambda: self.decide_names(True))
        self.not_same_button.clicked.connect(lambda: self.decide_names(False))
        self.undo_names_button.clicked.connect(self.undo_names)
        return row

    def _names_row(self) -> QtWidgets.QHBoxLayout:
        """汇总单位 wide enough for a district's full name (平顶山高新技术产业开发区)."""
        row = QtWidgets.QHBoxLayout()
        self.organ_edit = QtWidgets.QLineEdit(placeholderText="如 某某区（可不填）")
        self.organ_edit.setMinimumWidth(self.organ_edit.fontMetrics().horizontalAdvance("字" * 20) + 16)
        self.office_edit = QtWidgets.QLineEdit(placeholderText="默认“{汇总单位}政务公开办公室”")
        for text, edit, stretch in (("汇总单位：", self.organ_edit, 3), ("问题清单落款：", self.office_edit, 2)):
            label = QtWidgets.QLabel(text)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit, stretch)
        return row

    def _choices_row(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        self.roster_button = self._menu_button("名单", [("从文件读取…", self._choose_roster),
                                                       ("用上年报告的单位", self.use_previous_roster),
                                                       ("不用名单", self.clear_roster)])
        self.previous_button = self._menu_button("上年", [("选择上年的报告或汇总记录…", self._choose_previous),
                                                         ("清除", lambda: self.set_previous([]))])
        self.parent_button = self._menu_button("本级报告", [("选择本级报告…", self._choose_parent),
                                                          ("清除", lambda: self.set_parent(None))])
        self.roster_label, self.previous_label, self.parent_label = (QtWidgets.QLabel() for _ in range(3))
        for button, label in ((self.roster_button, self.roster_label), (self.previous_button, self.previous_label),
                              (self.parent_button, self.parent_label)):
            row.addWidget(button)
            row.addWidget(label, 1)
        return row

    def _menu_button(self, text: str, actions) -> QtWidgets.QToolButton:
        button = QtWidgets.QToolButton(text=text + " ▾")
        button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        menu = QtWidgets.QMenu(button)
        for label, slot in actions:
            menu.addAction(label, slot)
        button.setMenu(menu)
        return button

    def _files_row(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton("添加文件…")
        self.remove_button = QtWidgets.QPushButton("移除所选")
        self.clear_button = QtWidgets.QPushButton("清空")
        self.open_record_button = QtWidgets.QPushButton("打开汇总记录…")
        for b in (self.add_button, self.remove_button, self.clear_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.open_record_button)
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button.clicked.connect(self.clear)
        self.open_record_button.clicked.connect(self._choose_record)
        return row

    def _action_row(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        self.progress = QtWidgets.QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QtWidgets.QPushButton("取消")
        self.progress.hide()
        self.cancel_button.hide()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)
        self.run_button = QtWidgets.QPushButton("开始汇总")
        self.feedback_button = QtWidgets.QPushButton("生成问题清单…")
        self.save_button = QtWidgets.QPushButton("保存汇总结果…")
        for b in (self.run_button, self.feedback_button, self.save_button):
            row.addWidget(b)
        self.run_button.clicked.connect(self.run)
        self.feedback_button.clicked.connect(self._choose_feedback_folder)
        self.save_button.clicked.connect(self._choose_output)
        self.cancel_button.clicked.connect(self.cancel)
        return row

    @staticmethod
    def _fit(table: QtWidgets.QTableWidget) -> None:
        """Columns as wide as their contents, the last one filling the rest."""
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)

    @staticmethod
    def _table(columns) -> QtWidgets.QTableWidget:
        table = QtWidgets.QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        return table

    # ------------------------------------------------------------------ choices
    def add_files(self, paths) -> None:
        """Add files to the list (a file already there is not added twice)."""
        for p in map(Path, paths):
            if p not in self.paths:
                self.paths.append(p)
        self._forget_result()

    def clear(self) -> None:
        self.paths = []
        self.record, self.record_path, self.names = None, None, ()
        self._forget_result()

    def set_roster_file(self, path) -> bool:
        """Use the roster in ``path`` (.txt/.xlsx); a bad file is said in the status line."""
        try:
            self.roster = read_roster(path)
        except RosterError as exc:
            self._set_status(f"名单 {Path(path).name} 无法使用：{exc}", error=True)
            return False
        self.roster_from_previous = False
        self._refresh_choices()
        self._forget_result()
        return True

    def use_previous_roster(self) -> None:
        self.roster, self.roster_from_previous = None, True
        self._refresh_choices()
        self._forget_result()

    def clear_roster(self) -> None:
        self.roster, self.roster_from_previous = None, False
        self._refresh_choices()
        self._forget_result()

    def set_previous(self, paths) -> None:
        self.previous = [Path(p) for p in paths]
        if self.record is not None:
            self.record.previous = []  # chosen anew: the record's last year gives way
        self._refresh_choices()
        self._forget_result()

    def set_parent(self, path) -> None:
        self.parent_path = Path(path) if path else None
        self._refresh_choices()
        self._forget_result()

    def open_record(self, path) -> bool:
        """Reopen a saved summary: its files, roster, names, last year and own report;
        files changed since are read again, and a run starts at once."""
        from app.aggregate.record import RecordError, load_record

        try:
            record = load_record(path)
        except RecordError as exc:
            self._set_status(f"汇总记录 {Path(path).name} 无法打开：{exc}", error=True)
            return False
        self.record, self.record_path = record, Path(path)
        inputs = record.inputs
        self.paths = list(inputs.files)
        self.roster, self.roster_from_previous = inputs.roster, False
        self.parent_path, self.previous = inputs.parent, []
        self.names = inputs.names
        self.organ_edit.setText(inputs.organ or "")
        self.office_edit.setText(inputs.office or "")
        self._refresh_choices()
        self._forget_result()
        return self.run()

    def _refresh_choices(self) -> None:
        if self.roster is not None:
            self.roster_label.setText(f"{self.roster.source}（{len(self.roster.units)} 个单位）")
        else:
            self.roster_label.setText("用上年报告的单位" if self.roster_from_previous else "未使用")
        kept = len(self.record.previous) if self.record is not None else 0
        count = len(self.previous) + kept
        self.previous_label.setText(f"{count} 份" + ("（含汇总记录中保存的）" if kept else "") if count else "未选择")
        self.parent_label.setText(self.parent_path.name if self.parent_path else "未选择")
        for label in (self.roster_label, self.previous_label, self.parent_label):
            label.setToolTip(label.text())

    def _choose_files(self) -> None:
        names, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择要汇总的年报", "", OPEN_FILTER)
        if names:
            self.add_files(names)

    def _choose_roster(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择单位名单", "", ROSTER_FILTER)
        if name:
            self.set_roster_file(name)

    def _choose_previous(self) -> None:
        names, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择上年的报告或汇总记录", "", PREVIOUS_FILTER)
        if names:
            self.set_previous(names)

    def _choose_parent(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择本级（区、县）的年报", "", OPEN_FILTER)
        if name:
            self.set_parent(name)

    def _choose_record(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self, "打开汇总记录", "", RECORD_FILTER)
        if name:
            self.open_record(name)

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            if r < len(self.paths):
                del self.paths[r]
        self._forget_result()

    def _forget_result(self) -> None:
        self.result = None
        self._fill_tables()
        self.details.clear()
        self._set_status(f"已选择 {len(self.paths)} 个文件。" if self.paths else "请添加要汇总的文件。")
        self._refresh_buttons()

    def inputs(self) -> DeskInputs:
        """What the window's choices say, as the command line would pass them."""
        return DeskInputs(files=list(self.paths), organ=self.organ_edit.text().strip() or None,
                          office=self.office_edit.text().strip() or None, roster=self.roster,
                          previous=list(self.previous), parent=self.parent_path,
                          roster_from_previous=self.roster_from_previous, names=self.names)

    # ------------------------------------------------------------------ run
    def busy(self) -> bool:
        return self._thread is not None

    def run(self) -> bool:
        """Start reading, checking and summing in the background; True when started.
        ``runFinished`` says how it ended."""
        if self.busy():
            return False
        if not self.paths:
            self._set_status("请先添加要汇总的文件。", error=True)
            self.runFinished.emit(False)
            return False
        inputs = self.inputs()
        record = self.record

        def work(progress, cancelled):
            return run_desk(inputs, record, progress, cancelled)

        self.result = None
        self._fill_tables()
        self._start(work, self._run_done, self._run_failed, self._run_cancelled, READING)
        return True

    def cancel(self) -> None:
        """Stop after the file being read or written (a file is never cut in the middle)."""
        if self._job is not None:
            self._job.stop.set()
            self.cancel_button.setEnabled(False)
            self._set_status(self._texts[1])

    def _start(self, fn, on_done, on_failed, on_cancelled, texts: tuple[str, str]) -> None:
        """Run ``fn(progress, cancelled)`` in a thread. ``texts``: the progress line (with
        ``{n}``, ``{total}``, ``{name}``) and what 取消 says while the file ends."""
        thread, job = QtCore.QThread(self), _Job(fn)
        job.moveToThread(thread)
        thread.started.connect(job.run)
        # bound methods of this window: Qt queues the calls to the window's (GUI) thread
        job.progress.connect(self._show_progress)
        job.done.connect(self._job_done)
        job.failed.connect(self._job_failed)
        job.cancelled.connect(self._job_cancelled)
        self._handlers = (on_done, on_failed, on_cancelled)
        self._texts = texts
        self._thread, self._job = thread, job
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self._refresh_buttons()
        thread.start()

    @QtCore.Slot(object)
    def _job_done(self, result) -> None:
        self._finish(self._handlers[0], result)

    @QtCore.Slot(str)
    def _job_failed(self, message: str) -> None:
        self._finish(self._handlers[1], message)

    @QtCore.Slot()
    def _job_cancelled(self) -> None:
        self._finish(self._handlers[2], None)

    @QtCore.Slot(int, int, str)
    def _show_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")
        if name:
            self._set_status(self._texts[0].format(n=done + 1, total=total, name=name))

    def _finish(self, handler, value) -> None:
        thread = self._thread
        self._thread = self._job = None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        self.progress.hide()
        self.cancel_button.hide()
        handler(value)
        self._refresh_buttons()

    def _run_done(self, result: DistrictResult) -> None:
        self.result = result
        self._fill_tables()
        self._set_status(*self._summary_text(result))
        self.tabs.setCurrentWidget(self.units_table if result.has_roster else self.table)
        self.runFinished.emit(True)

    def _run_failed(self, message: str) -> None:
        self._set_status(message, error=True)
        self.runFinished.emit(False)

    def _run_cancelled(self, _=None) -> None:
        self._set_status("已取消汇总，没有得到汇总结果。", error=True)
        self.runFinished.emit(False)

    def wait(self, ms: int = 60000) -> None:
        """Block until the running job has reported (tests, and closing the window)."""
        timer = QtCore.QElapsedTimer()
        timer.start()
        while self.busy() and timer.elapsed() < ms:
            QtCore.QCoreApplication.processEvents(QtCore.QEventLoop.AllEvents, 50)

    def closeEvent(self, event) -> None:
        self.cancel()
        self.wait()
        super().closeEvent(event)

    @staticmethod
    def _summary_text(result: DistrictResult) -> tuple[str, bool]:
        agg = result.aggregate
        parts = [f"已汇总 {len(agg.summed)} 份报告（{agg.total.year} 年度，{agg.total.version} 版格式）。"]
        if result.has_roster:
            roster = result.inputs.roster
            parts.append(f"名单 {len(roster.units)} 个单位，未收到 {len(result.missing)} 个"
                         + (f"：{'、'.join(result.missing)}" if result.missing else "") + "。")
        if result.unknown:
            parts.append(f"名单外 {len(result.unknown)} 个：{'、'.join(u.unit for u in result.unknown)}。")
        if result.duplicates:
            parts.append("重复报送：" + "、".join(f"{u.unit}（{len(u.entries)} 份）" for u in result.duplicates) + "。")
        if result.roster_check.doubtful:
            parts.append(f"{len(result.roster_check.doubtful)} 个名称需要核对。")
        if agg.failed:
            parts.append(f"{len(agg.failed)} 个文件无法读取，未计入汇总。")
        troubled = sum(1 for e in agg.summed if e.errors())
        if troubled:
            parts.append(f"{troubled} 份报告有错误，请核对。")
        if result.parent_diffs:
            parts.append(f"本级报告与各单位合计有 {len(result.parent_diffs)} 处不同。")
        new = len(result.readings.new)
        if new:
            parts.append(f"新收到 {new} 个文件。")
        text = "".join(parts) + "".join(f"\n{note}" for note in result.notes)
        return text, result.needs_attention()

    # ------------------------------------------------------------------ tables
    def _fill_tables(self) -> None:
        self._fill_files()
        self._fill_units()
        self._fill_ratios()
        self._fill_years()
        self._fill_parent()
        self._offer_names([])

    def _entry(self, path: Path) -> Entry | None:
        if self.result is None:
            return None
        entries = self.result.readings.files
        return next((e for e in entries if e.path == path), None)

    def _fill_files(self) -> None:
        result = self.result
        self.table.setRowCount(len(self.paths))
        for r, path in enumerate(self.paths):
            entry = self._entry(path)
            values = [path.name, "", "", "未汇总", "", "", ""]
            color = None
            if entry is not None and result is not None:
                values[2], tip = self._unit_cell(entry)
                if entry is result.parent:
                    values[1:4] = [entry.report.organ if entry.report else "", "", "本级报告（不计入汇总）"]
                elif entry.report is None:
                    values[3], color = "无法读取", RED
                else:
                    values[1] = entry.report.organ
                    values[3] = "已计入" + self._mark(path)
                    values[4:] = [str(len(entry.errors())), str(len(entry.warnings())), entry.source or ""]
                    color = RED if entry.errors() else None
            for c, v in enumerate(values):
                item = QtWidgets.QTableWidgetItem(v)
                item.setToolTip(str(path) if c != 2 or entry is None else tip)
                if color is not None and c == 3:
                    item.setForeground(color)
                self.table.setItem(r, c, item)
        self._fit(self.table)

    def _mark(self, path: Path) -> str:
        readings = self.result.readings
        if path in readings.new:
            return "（新收到）"
        if path in readings.updated:
            return "（已更新）"
        return "（原文件已不在）" if path in readings.moved else ""

    def _unit_cell(self, entry: Entry) -> tuple[str, str]:
        """The roster unit of a file, ``？`` after a doubtful match; the tooltip says why."""
        result = self.result
        m = result.roster_check.matches.get(entry.path)
        if not result.has_roster or entry is result.parent:
            return "", ""
        if m is None or m.unit is None:
            return "名单外", m.describe() if m else ""
        return (m.unit + ("？" if m.doubtful else "")), m.describe()

    def _fill_units(self) -> None:
        result = self.result
        units = result.units if result is not None else []
        self.units_table.setRowCount(len(units))
        matches = result.roster_check.matches if result else {}
        for r, unit in enumerate(units):
            status = unit.status()
            names = [matches[e.path].describe() for e in unit.entries
                     if e.path in matches and matches[e.path].worth_saying]
            values = [unit.unit, status, "、".join(e.name for e in unit.entries),
                      str(unit.errors()) if unit.readable else "", str(unit.warnings()) if unit.readable else "",
                      "；".join(names)]
            for c, v in enumerate(values):
                item = QtWidgets.QTableWidgetItem(v)
                item.setToolTip(v)
                color = STATUS_COLORS.get(status, AMBER if status.startswith("重复") else None)
                if c == 1 and color is not None:
                    item.setForeground(color)
                if c == 5 and any(matches[e.path].doubtful for e in unit.entries if e.path in matches):
                    item.setForeground(AMBER)
                self.units_table.setItem(r, c, item)
        self._fit(self.units_table)

    def _fill_ratios(self) -> None:
        result = self.result
        table = self.ratios_table
        if result is None:
            table.setRowCount(0)
            return
        names = [r.name for r in result.total_ratios]
        self.ratios_note.setText(f"每个比率的算法见表头的提示；不足 {load_district_config().min_cases} 件的"
                                 "只列出、不作评价；红色为超出界限（偏低、偏高）。")
        table.setColumnCount(2 + len(names))
        table.setHorizontalHeaderLabels(["单位", "文件"] + names)
        for c, r in enumerate(result.total_ratios, 2):
            table.horizontalHeaderItem(c).setToolTip(f"{r.name} = {r.definition.formula}")
        rows = [(u.unit, e.name, result.ratios[e.path]) for u in result.units for e in u.readable]
        rows.append(("合计", "", result.total_ratios))
        table.setRowCount(len(rows))
        for i, (unit, file, values) in enumerate(rows):
            for c, text in enumerate([unit, file] + [v.text() for v in values]):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                if c >= 2 and values[c - 2].verdict:
                    item.setForeground(RED)
                if unit == "合计":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(i, c, item)
        self._fit(table)

    def year_rows(self) -> list[tuple[str, str, str, str, str]]:
        """The 与上年比较 lines of each unit, then the total: the large changes and the carry
        findings, or (``only_flagged`` unticked) every cell with its change."""
        result = self.result
        if result is None:
            return []
        from app.numbers import format_value

        pairs = [(u.unit, result.comparisons[e.path]) for u in result.units for e in u.readable
                 if e.path in result.comparisons]
        if result.total_comparison is not None:
            pairs.append(("合计", result.total_comparison))
        fmt = result.total.format
        rows = []
        for unit, cmp in pairs:
            cells = cmp.flagged if self.only_flagged.isChecked() else cmp.cells
            rows += [(unit, fmt.describe_cell(c.ref), format_value(c.last), format_value(c.this),
                      c.flag or _change(c.change)) for c in cells]
            rows += [(unit, f.name, format_value(f.last), format_value(f.this),
                      "由 0 变为非 0" if f.last == 0 else "由非 0 变为 0") for f in cmp.flips]
            rows += [(unit, "上年结转核对", "", "", f.message) for f in cmp.carry]
        return rows

    @QtCore.Slot()
    def _fill_years(self) -> None:
        rows = self.year_rows()
        table = self.years_table
        table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(i, c, item)
        self._fit(table)
        result = self.result
        if result is not None and not result.comparisons and result.total_comparison is None:
            table.setRowCount(0)

    def _fill_parent(self) -> None:
        result = self.result
        if result is None or result.parent is None:
            self.parent_view.setPlainText("" if result is None else "没有本级报告（可在“本级报告”中选择）。")
            return
        diffs = result.parent_diffs
        head = (f"本级报告 {result.parent.name} 与各单位合计：" +
                (f"{len(diffs)} 处不同" if diffs else "每一格都相同"))
        self.parent_view.setPlainText("\n".join([head] + diffs))

    # ------------------------------------------------------------------ details
    def problems_of(self, row: int) -> list[str]:
        """What is wrong with the file in ``row`` of the 文件 tab, as shown below the tabs."""
        if row >= len(self.paths):
            return []
        entry = self._entry(self.paths[row])
        return self._entry_lines(entry) if entry is not None else []

    def _entry_lines(self, entry: Entry) -> list[str]:
        if entry.report is None:
            return [f"{entry.name}：无法读取，未计入汇总：{entry.failure}"]
        lines = [f"{entry.name}（{entry.report.organ}）数字来源：{entry.source}"]
        m = self.result.roster_check.matches.get(entry.path) if self.result.has_roster else None
        if m is not None and m.worth_saying:
            lines.append(m.describe())
        lines += [f"导入：{p}" for p in entry.import_problems]
        found = [str(f) for f in entry.errors() + entry.warnings()]
        return lines + (found or ([] if entry.import_problems else ["没有发现问题。"]))

    def _show_file_details(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        self.details.setPlainText("\n".join(self.problems_of(rows[0])) if rows else "")
        entry = self._entry(self.paths[rows[0]]) if rows and rows[0] < len(self.paths) else None
        self._offer_names([entry] if entry is not None else [])

    def _show_unit_details(self) -> None:
        rows = sorted({i.row() for i in self.units_table.selectedIndexes()})
        if not rows or self.result is None or rows[0] >= len(self.result.units):
            self.details.clear()
            self._offer_names([])
            return
        unit = self.result.units[rows[0]]
        self._offer_names(unit.entries)
        if not unit.entries:
            self.details.setPlainText(f"{unit.unit}：未收到报告。")
            return
        lines = []
        for entry in unit.entries:
            lines += self._entry_lines(entry)
        self.details.setPlainText("\n".join(lines))

    # ------------------------------------------------------------------ names
    def _offer_names(self, entries: list[Entry]) -> None:
        """The buttons about names for the files of the selected row: 是/不是同一单位 for a
        doubtful match, 撤销 for a name already decided."""
        self._shown_entries = entries
        self.same_button.setVisible(bool(self.doubtful_matches()))
        self.not_same_button.setVisible(bool(self.doubtful_matches()))
        self.undo_names_button.setVisible(bool(self._decided(entries)))

    def doubtful_matches(self) -> list:
        """The doubtful name matches of the selected row's files."""
        if self.result is None:
            return []
        matches = self.result.roster_check.matches
        return [matches[e.path] for e in self._shown_entries if e.path in matches and matches[e.path].doubtful]

    def _decided(self, entries: list[Entry]) -> list[NameDecision]:
        labels = {(e.report.organ if e.report else e.path.stem).strip() for e in entries}
        return [d for d in self.names if d.name in labels]

    def decide_names(self, same: bool) -> None:
        """The selected row's doubtful names are (or are not) its roster unit: kept, and the
        roster checked again at once (nothing is read again)."""
        for m in self.doubtful_matches():
            self.names = decide(self.names, NameDecision(m.name.strip(), m.unit, same))
        self._apply_names()

    def undo_names(self) -> None:
        decided = self._decided(self._shown_entries)
        self.names = tuple(d for d in self.names if d not in decided)
        self._apply_names()

    def _apply_names(self) -> None:
        """Evaluate again with the clerk's decisions on names; save them in the record when
        there is one (else they are saved with the summary)."""
        from app.aggregate.record import save_record

        if self.result is None or self.busy():
            return
        selected = self.units_table.currentRow()
        self.result = evaluate(replace(self.result.inputs, names=self.names), self.result.readings)
        self._fill_tables()
        self._set_status(*self._summary_text(self.result))
        if 0 <= selected < self.units_table.rowCount():
            self.units_table.selectRow(selected)
            self._show_unit_details()
        if self.record_path is None:
            self._set_status(self.status.text() + "\n名称核对结果将在“保存汇总结果…”时保存到汇总记录中。")
            return
        try:
            save_record(self.result, self.record_path)
        except OSError as exc:
            self._set_status(f"名称核对结果没有保存：汇总记录 {self.record_path} 无法写入：{exc.strerror or exc}",
                             error=True)
            return
        self._set_status(self.status.text() + f"\n名称核对结果已保存到汇总记录：{self.record_path}")

    # ------------------------------------------------------------------ 问题清单
    def _choose_feedback_folder(self) -> None:
        if self.result is None:
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "选择存放问题清单的文件夹")
        if folder:
            self.write_feedback_to(folder)

    def write_feedback_to(self, folder) -> bool:
        """Write every unit's 问题清单 and the overview into ``folder`` (in the background);
        ``feedbackFinished`` says how it ended."""
        if self.result is None or self.busy():
            self._set_status("请先汇总，再生成问题清单。", error=True)
            return False
        result, office = self.result, self.office_edit.text().strip() or None
        if not self._may_overwrite_feedback(result, folder):
            self._set_status(f"没有生成问题清单：{folder} 中已有的同名文件保持不变。", error=True)
            return False

        def work(progress, cancelled):
            from app.aggregate.feedback import write_feedback  # python-docx/reportlab on demand
            return write_feedback(result, folder, office, dt.date.today(), progress, cancelled)

        def done(outcome) -> None:
            text = (f"已生成 {len(outcome.units)} 个单位的问题清单和“{outcome.overview.name}”：{outcome.folder}"
                    + ("" if not outcome.pdf_problem else f"。PDF 没有生成：{outcome.pdf_problem}"))
            self._set_status(text, error=bool(outcome.pdf_problem))
            self.feedbackFinished.emit(True)

        def failed(message: str) -> None:
            self._set_status(f"问题清单没有生成：{message}", error=True)
            self.feedbackFinished.emit(False)

        def stopped(_=None) -> None:
            self._set_status(f"已取消生成问题清单：只写入了部分单位的问题清单（在 {folder}），"
                             "请重新生成。", error=True)
            self.feedbackFinished.emit(False)

        self._start(work, done, failed, stopped, WRITING)
        return True

    def _may_overwrite_feedback(self, result, folder) -> bool:
        """The overwrite policy of every output: files of the same names already in the
        folder are replaced only when the user says so."""
        from app.aggregate.feedback import feedback_files  # with the 问题清单 only
        taken = [p.name for p in feedback_files(result, folder) if p.exists()]
        if not taken:
            return True
        more = f"等 {len(taken)} 个文件" if len(taken) > 3 else ""
        answer = QtWidgets.QMessageBox.question(
            self, "覆盖已有的问题清单？",
            f"文件夹 {folder} 中已有同名的文件：{'、'.join(taken[:3])}{more}。\n要用新生成的问题清单覆盖它们吗？",
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No)
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ save
    def _choose_output(self) -> None:
        if self.result is None:
            return
        total = self.result.total
        path = ask_save_path(self, "保存汇总结果", safe_filename(f"{total.organ}{total.year}年汇总", ".xlsx"),
                             SAVE_FILTER, OUTPUT_SUFFIXES)
        if path:
            self.save_to(path)

    def save_to(self, path) -> bool:
        """Write the sum and its record (beside it, or the record that was opened)."""
        from app.aggregate.district_xlsx import add_district_sheets
        from app.aggregate.record import record_path_for, save_record

        if self.result is None:
            self._set_status("请先汇总，再保存。", error=True)
            return False
        result = self.result
        try:
            save_aggregate(result.aggregate, path, lambda wb, look: add_district_sheets(wb, look, result))
        except AggregateError as exc:
            self._set_status(str(exc), error=True)
            return False
        record = self.record_path or record_path_for(path)
        try:
            save_record(result, record)
        except OSError as exc:
            self._set_status(f"已保存汇总结果：{path}，但汇总记录无法写入：{exc.strerror or exc}", error=True)
            return False
        self.record_path = record
        self._set_status(f"已保存汇总结果：{path}\n汇总记录：{record}（下次点“打开汇总记录…”接着汇总）")
        return True

    # ------------------------------------------------------------------ helpers
    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _refresh_buttons(self) -> None:
        idle = not self.busy()
        self.run_button.setEnabled(idle and bool(self.paths))
        self.save_button.setEnabled(idle and self.result is not None)
        self.feedback_button.setEnabled(idle and self.result is not None)
        for b in (self.add_button, self.open_record_button, self.roster_button, self.previous_button,
                  self.parent_button):
            b.setEnabled(idle)
        for b in (self.same_button, self.not_same_button, self.undo_names_button):
            b.setEnabled(idle)
        self.remove_button.setEnabled(idle and bool(self.paths))
        self.clear_button.setEnabled(idle and bool(self.paths))


def _change(value) -> str:
    """``+3``, ``-2``, ``0`` (empty when a year is not known)."""
    if value is None:
        return ""
    from app.numbers import format_value
    return ("+" if value > 0 else "") + format_value(value)
