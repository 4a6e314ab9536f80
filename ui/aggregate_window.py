"""The district office's window: pick the townships' files, sum them, see who has what
problem, save the sum (JSON report, spreadsheet or PDF).

All the work is done by ``app.aggregate``; this window only chooses files and shows the
result. Problems are shown in the window itself (no modal message boxes), so that a
clerk can read them while fixing the files, and so that tests can read them too.
"""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from app.aggregate import (OUTPUT_SUFFIXES, Aggregate, AggregateError, Entry, aggregate_entries,
                           read_entries, save_aggregate)
from app.filenames import safe_filename
from ui.save_dialog import ask_save_path

OPEN_FILTER = ("年报文件 (*.pdf *.json *.html *.htm *.mht *.mhtml *.txt *.docx);;"
               "nianbao PDF (*.pdf);;数据文件 (*.json);;网页 (*.html *.htm);;文本 (*.txt);;Word (*.docx)")
SAVE_FILTER = "汇总报告数据文件 (*.json);;Excel 表格 (*.xlsx);;PDF 草稿 (*.pdf)"


class AggregateWindow(QtWidgets.QWidget):
    """Pick files, run, show per-file problems, save the sum."""

    sumReady = QtCore.Signal(object)
    """Emitted with the summed ``Report`` after a run (the wizard may open it)."""

    COLUMNS = ("文件", "报告单位", "年度", "状态", "错误", "警告")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("汇总多份年报")
        self.paths: list[Path] = []
        self.result: Aggregate | None = None
        self.entries: list[Entry] = []
        self._build()
        self._refresh_buttons()
        self.setAcceptDrops(True)

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Files dropped from the file manager are added like chosen ones."""
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        box = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel("选择同一年度的多份年报（nianbao PDF、数据文件或已发布的报告，"
                                 "也可把文件拖到这里），逐份检查后逐格相加，得到汇总报告。")
        intro.setWordWrap(True)
        box.addWidget(intro)
        box.addLayout(self._organ_row())
        row = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton("添加文件…")
        self.remove_button = QtWidgets.QPushButton("移除所选")
        self.clear_button = QtWidgets.QPushButton("清空")
        for b in (self.add_button, self.remove_button, self.clear_button):
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)
        self.table = QtWidgets.QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        box.addWidget(self.table, 2)
        box.addWidget(QtWidgets.QLabel("所选文件的问题："))
        self.details = QtWidgets.QPlainTextEdit()
        self.details.setReadOnly(True)
        box.addWidget(self.details, 1)
        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(self.status)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        self.run_button = QtWidgets.QPushButton("开始汇总")
        self.save_button = QtWidgets.QPushButton("保存汇总结果…")
        row.addWidget(self.run_button)
        row.addWidget(self.save_button)
        box.addLayout(row)
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button.clicked.connect(self.clear)
        self.run_button.clicked.connect(self.run)
        self.save_button.clicked.connect(self._choose_output)
        self.table.itemSelectionChanged.connect(self._show_details)
        self.resize(820, 560)

    def _organ_row(self) -> QtWidgets.QHBoxLayout:
        """汇总单位 on a line of its own: a district's full name (平顶山高新技术产业开发区)
        is long, and squeezed beside the buttons the field cut it off."""
        row = QtWidgets.QHBoxLayout()
        label = QtWidgets.QLabel("汇总单位：")
        self.organ_edit = QtWidgets.QLineEdit()
        self.organ_edit.setPlaceholderText("如 某某区（可不填）")
        self.organ_edit.setMinimumWidth(self.organ_edit.fontMetrics().horizontalAdvance("字" * 20) + 16)
        label.setBuddy(self.organ_edit)
        row.addWidget(label)
        row.addWidget(self.organ_edit, 1)
        return row

    # ------------------------------------------------------------------ files
    def add_files(self, paths) -> None:
        """Add files to the list (a file already there is not added twice)."""
        for p in map(Path, paths):
            if p not in self.paths:
                self.paths.append(p)
        self._forget_result()

    def clear(self) -> None:
        self.paths = []
        self._forget_result()

    def _choose_files(self) -> None:
        names, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择要汇总的年报", "", OPEN_FILTER)
        if names:
            self.add_files(names)

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            if r < len(self.paths):
                del self.paths[r]
        self._forget_result()

    def _forget_result(self) -> None:
        self.result = None
        self.entries = []
        self._fill_table()
        self.details.clear()
        self._set_status(f"已选择 {len(self.paths)} 个文件。" if self.paths else "请添加要汇总的文件。")
        self._refresh_buttons()

    # ------------------------------------------------------------------ run
    def run(self) -> bool:
        """Read, check and sum the files; True when a sum was made."""
        if not self.paths:
            self._set_status("请先添加要汇总的文件。", error=True)
            return False
        QtWidgets.QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.entries = read_entries(self.paths)
            organ = self.organ_edit.text().strip() or None
            self.result = aggregate_entries(self.entries, organ)
        except AggregateError as exc:
            self.result = None
            self._set_status(str(exc), error=True)
            return False
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
            self._fill_table()
            self._refresh_buttons()
        agg = self.result
        troubled = sum(1 for e in agg.summed if e.errors())
        text = (f"已汇总 {len(agg.summed)} 份报告（{agg.total.year} 年度，{agg.total.version} 版格式）。")
        if agg.failed:
            text += f"{len(agg.failed)} 个文件无法读取，未计入汇总。"
        if troubled:
            text += f"{troubled} 份报告有错误，请核对。"
        text += "".join(f"\n{note}" for note in agg.notes)
        self._set_status(text, error=bool(agg.failed or troubled or agg.notes))
        self.sumReady.emit(agg.total)
        return True

    def _fill_table(self) -> None:
        by_path = {e.path: e for e in self.entries}
        self.table.setRowCount(len(self.paths))
        for r, path in enumerate(self.paths):
            entry = by_path.get(path)
            values = [path.name, "", "", "未汇总", "", ""]
            if entry is not None and entry.report is None:
                values[3] = "无法读取"
            elif entry is not None:
                rep = entry.report
                counted = self.result is not None
                values[1:] = [rep.organ, str(rep.year), "已计入" if counted else "未计入",
                              str(len(entry.errors())), str(len(entry.warnings()))]
            for c, v in enumerate(values):
                item = QtWidgets.QTableWidgetItem(v)
                item.setToolTip(str(path))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def problems_of(self, row: int) -> list[str]:
        """What is wrong with the file in ``row``, as shown below the list."""
        if row >= len(self.paths):
            return []
        entry = next((e for e in self.entries if e.path == self.paths[row]), None)
        if entry is None:
            return []
        if entry.report is None:
            return [f"无法读取，未计入汇总：{entry.failure}"]
        lines = [f"导入：{p}" for p in entry.import_problems]
        lines += [str(f) for f in entry.errors() + entry.warnings()]
        return lines or ["没有发现问题。"]

    def _show_details(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        self.details.setPlainText("\n".join(self.problems_of(rows[0])) if rows else "")

    # ------------------------------------------------------------------ save
    def _choose_output(self) -> None:
        if self.result is None:
            return
        path = ask_save_path(self, "保存汇总结果",
                             safe_filename(f"{self.result.total.organ}{self.result.total.year}年汇总", ".json"),
                             SAVE_FILTER, OUTPUT_SUFFIXES)
        if path:
            self.save_to(path)

    def save_to(self, path) -> bool:
        """Write the sum; the outcome is shown in the status line."""
        if self.result is None:
            self._set_status("请先汇总，再保存。", error=True)
            return False
        try:
            save_aggregate(self.result, path)
        except AggregateError as exc:
            self._set_status(str(exc), error=True)
            return False
        self._set_status(f"已保存汇总结果：{path}")
        return True

    # ------------------------------------------------------------------ helpers
    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _refresh_buttons(self) -> None:
        self.run_button.setEnabled(bool(self.paths))
        self.save_button.setEnabled(self.result is not None)
        self.remove_button.setEnabled(bool(self.paths))
        self.clear_button.setEnabled(bool(self.paths))
