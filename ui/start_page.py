"""The start page: the drafts in the store, and ways to begin a report.

It is the first thing on screen, so it loads neither the format files nor the rules (the
tooltip of 从上年报告新建, read from the format files, is made when first asked for), and
the list is a model over the store's summaries: the view asks only for the rows it shows,
so 500 drafts cost little more than one (``bench/bench_start_page.py``).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from ui.widgets import MessageBar, heading

# Qt's values written out: the first use of any name of the Qt namespace (``Qt.ItemDataRole``
# …) makes PySide6 build the Python enums of the whole namespace, ~12 ms that the first
# window need not pay (bench/bench_startup.py). Code that runs later uses the names.
DISPLAY_ROLE = 0            # Qt.ItemDataRole.DisplayRole
TEXT_ALIGNMENT_ROLE = 7     # Qt.ItemDataRole.TextAlignmentRole
ALIGN_CENTER = 0x84         # Qt.AlignmentFlag.AlignCenter

OPEN_FILTER = "年报文件 (*.json *.pdf *.html *.htm *.mht *.mhtml *.txt *.docx);;所有文件 (*)"


def read_report_file(path: Path):
    """``import_file``, with every failure a Chinese message naming the file: a file that
    trips a bug is logged (``app.crashlog``) and the message names the log file."""
    from app.crashlog import bug_message  # loaded in the worker thread
    from app.importer import ImportFailure, import_file

    try:
        return import_file(path)
    except ImportFailure as exc:
        raise ImportFailure(f"{path.name}：{exc}") from None
    except Exception as exc:  # noqa: BLE001 - a bug: logged, said in Chinese
        raise ImportFailure(f"{path.name}：{bug_message(exc, f'读取 {path}')}") from None


class ImportJob(QtCore.QObject):
    """Reads one report file off the UI thread (a large PDF or page takes seconds), showing
    a progress dialog with 取消. Cancelling closes the dialog and drops the result; the
    reading itself, bounded by the readers' size limits, ends on its own in the thread.

    ``succeeded`` carries the ``ImportResult``, ``failed`` the Chinese message, and
    ``ended`` follows either (or the cancel) once the thread is gone."""

    succeeded = QtCore.Signal(object)
    failed = QtCore.Signal(str)
    ended = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget, path: Path, title: str) -> None:
        super().__init__(parent)
        self.path = path
        self.cancelled = False
        self.dialog = QtWidgets.QProgressDialog(f"正在读取 {path.name}……", "取消", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        from ui.export_job import Worker  # not needed for the first window
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.start(read_report_file, path)
        self.dialog.show()

    def busy(self) -> bool:
        return self.worker.busy()

    def cancel(self) -> None:
        self.cancelled = True
        self.dialog.hide()

    def wait(self) -> None:
        """Block until the thread has ended (before the window closes)."""
        self.worker.wait()

    def _done(self, result) -> None:
        self._finish(lambda: self.succeeded.emit(result))

    def _failed(self, message: str) -> None:
        self._finish(lambda: self.failed.emit(message))

    def _finish(self, report) -> None:
        self.dialog.hide()
        self.dialog.deleteLater()
        if not self.cancelled:
            report()
        self.ended.emit()


class DraftListModel(QtGui.QStandardItemModel):
    """The drafts as rows (``DraftInfo`` from the store), formatted when the view asks.

    A QStandardItemModel only for its header labels, which it keeps in C++: its rows have
    no items, ``data`` formats each cell from ``infos`` when the view shows it. (A Python
    ``headerData`` would be handed a ``Qt.Orientation``: see ``DISPLAY_ROLE``.)"""

    COLUMNS = ("报告", "年度", "格式", "完成度", "错误", "最后修改")
    WIDEST = ("2000", "2000 版", "100%", "9999 个", "2000-00-00 00:00")   # columns 1…5

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.infos: list = []

    def set_infos(self, infos) -> None:
        self.setRowCount(0)
        self.infos = list(infos)
        self.setRowCount(len(self.infos))

    def data(self, index: QtCore.QModelIndex, role: int = DISPLAY_ROLE):
        if role == DISPLAY_ROLE:
            return self.text(self.infos[index.row()], index.column())
        if role == TEXT_ALIGNMENT_ROLE and index.column():
            return ALIGN_CENTER
        return None

    @staticmethod
    def text(info, column: int) -> str:
        if column == 0:
            return info.name
        if column == 1:
            return f"{info.year}"
        if column == 2:
            return f"{info.version} 版"
        if column == 3:
            return f"{round(info.completeness * 100)}%"
        if column == 4:
            return "无" if not info.error_count else f"{info.error_count} 个"
        updated = info.updated
        if isinstance(updated, dt.datetime):
            updated = updated.astimezone().strftime("%Y-%m-%d %H:%M")
        return str(updated or "")


class StartPage(QtWidgets.QWidget):
    """Lists drafts; the buttons emit requests the main window carries out."""

    newRequested = QtCore.Signal()
    fromPreviousRequested = QtCore.Signal()
    importRequested = QtCore.Signal()
    openRequested = QtCore.Signal(str)
    duplicateRequested = QtCore.Signal(str)
    renameRequested = QtCore.Signal(str)
    deleteRequested = QtCore.Signal(str)
    binRequested = QtCore.Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.addWidget(heading("政府信息公开工作年度报告"))
        self.message = MessageBar()
        box.addWidget(self.message)
        buttons = QtWidgets.QHBoxLayout()
        self.new_button = QtWidgets.QPushButton("新建报告…")
        self.from_prev_button = QtWidgets.QPushButton("从上年报告新建…")
        self.import_button = QtWidgets.QPushButton("导入文件…")
        self.new_button.clicked.connect(self.newRequested)
        self.from_prev_button.clicked.connect(self.fromPreviousRequested)
        self.import_button.clicked.connect(self.importRequested)
        for b in (self.new_button, self.from_prev_button, self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(QtWidgets.QLabel("已有的报告草稿（双击打开）："))
        self.drafts = DraftListModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.drafts)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self._size_columns()
        self.table.activated.connect(lambda *_: self._emit(self.openRequested))   # double-click or Enter
        box.addWidget(self.table, 1)
        actions = QtWidgets.QHBoxLayout()
        self.open_button = QtWidgets.QPushButton("打开")
        self.dup_button = QtWidgets.QPushButton("复制一份")
        self.rename_button = QtWidgets.QPushButton("重命名…")
        self.rename_button.setToolTip("给选中的草稿改个名字（F2）")
        self.delete_button = QtWidgets.QPushButton("删除（移到回收站）")
        self.bin_button = QtWidgets.QPushButton("回收站…")
        self.open_button.clicked.connect(lambda: self._emit(self.openRequested))
        self.dup_button.clicked.connect(lambda: self._emit(self.duplicateRequested))
        self.rename_button.clicked.connect(lambda: self._emit(self.renameRequested))
        self.table.installEventFilter(self)   # F2 in the list renames (the view would edit)
        self.from_prev_button.installEventFilter(self)   # its tooltip is made when first shown
        self.delete_button.clicked.connect(lambda: self._emit(self.deleteRequested))
        self.bin_button.clicked.connect(self.binRequested)
        for b in (self.open_button, self.rename_button, self.dup_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.bin_button)
        box.addLayout(actions)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_drafts(self, infos) -> None:
        self.drafts.set_infos(infos)
        if infos:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.drafts.infos[rows[0].row()].id if rows else None

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # the class first: ``event.type()`` builds the enum of all event types (see DISPLAY_ROLE)
        if (watched is self.from_prev_button and isinstance(event, QtGui.QHelpEvent)
                and event.type() == QtCore.QEvent.Type.ToolTip):
            self._make_from_previous_tooltip()
            return False
        if (watched is self.table and isinstance(event, QtGui.QKeyEvent)
                and event.type() == QtCore.QEvent.Type.KeyPress
                and event.key() == QtCore.Qt.Key.Key_F2 and not event.modifiers()):
            self._emit(self.renameRequested)
            return True
        return super().eventFilter(watched, event)

    def _make_from_previous_tooltip(self) -> None:
        if not self.from_prev_button.toolTip():
            from app.carry import summary  # reads the format files
            self.from_prev_button.setToolTip("以一份上年度的报告（草稿或文件）为基础新建：" + summary())

    def select_draft(self, draft_id: str) -> None:
        """Keep the row the user acted on selected after the list is rebuilt."""
        ids = [info.id for info in self.drafts.infos]
        if draft_id in ids:
            self.table.selectRow(ids.index(draft_id))

    def _size_columns(self) -> None:
        """The name takes the room left; the others are as wide as their widest possible
        text. Not sized to the contents: that measures every row (100 ms for 500 drafts)."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        cells, labels = self.table.fontMetrics(), header.fontMetrics()
        for c, widest in enumerate(DraftListModel.WIDEST, start=1):
            header.resizeSection(c, 24 + max(cells.horizontalAdvance(widest),
                                              labels.horizontalAdvance(DraftListModel.COLUMNS[c])))

    def _emit(self, signal) -> None:
        draft_id = self.selected_id()
        if draft_id:
            signal.emit(draft_id)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for b in (self.open_button, self.rename_button, self.dup_button, self.delete_button):
            b.setEnabled(has)


class NewReportDialog(QtWidgets.QDialog):
    """Organ and year; the format follows from the year and is shown before creating."""

    def __init__(self, organ: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        form = QtWidgets.QFormLayout(self)
        self.organ = QtWidgets.QLineEdit(organ)
        self.organ.setPlaceholderText("如：某某县某某镇人民政府")
        self.organ.setMinimumWidth(self.fontMetrics().horizontalAdvance("某" * 26))
        self.year = QtWidgets.QSpinBox()
        from app.formats import report_years  # not at start
        years = report_years(dt.date.today())
        self.year.setRange(years[0], years[-1])
        self.year.setValue(years[-1] - 1)
        self.year.setSuffix(" 年度")
        self.format_note = QtWidgets.QLabel()
        self.format_note.setWordWrap(True)
        self.year.valueChanged.connect(self._update_note)
        self.problem = QtWidgets.QLabel()
        self.problem.setStyleSheet("color:#a00000")
        self.organ.textChanged.connect(lambda text: text.strip() and self.problem.clear())
        form.addRow("报告单位：", self.organ)
        form.addRow("报告年度：", self.year)
        form.addRow("使用格式：", self.format_note)
        form.addRow(self.problem)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("新建")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update_note()

    def _update_note(self) -> None:
        from app.formats import load_format, version_for_year  # not at start
        fmt = load_format(version_for_year(self.year.value()))
        self.format_note.setText(f"{fmt.name}（{fmt.document}）")

    def _accept(self) -> None:
        if not self.organ.text().strip():
            self.problem.setText("请填写报告单位（机关全称）")
            self.organ.setFocus()
            return
        self.accept()

    def values(self) -> tuple[str, int]:
        return self.organ.text().strip(), self.year.value()
