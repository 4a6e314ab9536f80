"""The number grids: a Qt model over one report table, its header, delegate and view.

Input is checked at entry (the delegate hands the text to ``app.numbers``): a count that
is not a whole number ≥ 0, or money that is not a valid amount, is refused with a message
at the cell and the old value stays. Cells with findings are shaded AND carry an icon
(colour is not the only signal) and the messages as tooltip. Totals are read-only and
shaded differently; they are recomputed by the core undo stack.
"""
from __future__ import annotations


from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from app.edits import computed_total, total_relations
from app.formats import CellRef, Table
from app.grid_block import PasteError, copy_text, plan_clear, plan_fill, plan_paste, total_notes
from app.grid_layout import GridLayout, build_layout
from app.numbers import NumberError, format_value, parse_value
from app.report import Value
from app.table_layout import column_heading, header_spans, unit_note
from ui.keys import forward_undo_keys
from ui.session import Session

COMPUTED_BG = QtGui.QColor("#e4ecf5")
GROUP_BG = QtGui.QColor("#f0f0f0")
BLOCK_HEAD_BG = QtGui.QColor("#e9e9e9")
NA_BG = QtGui.QColor("#d9d9d9")
ERROR_BG = QtGui.QColor("#f9d0cd")
WARNING_BG = QtGui.QColor("#fdf0c2")
EMPTY_BG = QtGui.QColor("#fffbea")
"""A cell not filled in yet: still an error in the lists, but a fresh report is not all red;
the empty cell itself is the signal that is not colour."""
CARRIED_BG = QtGui.QColor("#e6f2e0")
"""Carried from last year's report and not yet confirmed (also in italics)."""
SEVERITY_TEXT = {"error": "错误", "warning": "警告", "info": "提示"}


_ICONS: dict[str, QtGui.QIcon] = {}


def severity_icon(severity: str) -> QtGui.QIcon:
    """The standard error/warning/information icon (cached: asked for on every paint)."""
    if severity not in _ICONS:
        _ICONS[severity] = _standard_icon(severity)
    return _ICONS[severity]


def _standard_icon(severity: str) -> QtGui.QIcon:
    style = QtWidgets.QApplication.style()
    pix = {"error": QtWidgets.QStyle.StandardPixmap.SP_MessageBoxCritical,
           "warning": QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning,
           "ok": QtWidgets.QStyle.StandardPixmap.SP_DialogApplyButton,
           }.get(severity, QtWidgets.QStyle.StandardPixmap.SP_MessageBoxInformation)
    return style.standardIcon(pix)


def parse_cell(kind: str, text: str) -> tuple[Value, str | None]:
    """The value typed for a cell of ``kind``, and a note to show (元 converted); "" clears."""
    value, in_yuan = parse_value(kind, text)
    note = f"已将“{text.strip()}”换算为 {format_value(value)} 万元" if in_yuan else None
    return value, note


class GridModel(QtCore.QAbstractTableModel):
    """One report table; column 0 holds the row labels, the data positions follow."""

    rejected = QtCore.Signal(object, str)   # CellRef, Chinese message
    note = QtCore.Signal(str)

    def __init__(self, session: Session, table: Table, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = table
        self.layout: GridLayout = build_layout(table)
        self.computed = session.report.format.computed_cells()
        self.last_rejected: str | None = None
        session.cellsChanged.connect(self._on_cells)
        session.carriedChanged.connect(self._on_cells)   # a carried mark confirmed
        session.findingsChanged.connect(self._on_findings)

    # -------------------------------------------------------------- addressing
    def ref_at(self, index: QtCore.QModelIndex) -> CellRef | None:
        return self.layout.ref(index.row(), index.column() - 1) if index.isValid() else None

    def index_of(self, ref: CellRef) -> QtCore.QModelIndex:
        at = self.layout.locate(ref)
        return self.index(at[0], at[1] + 1) if at else QtCore.QModelIndex()

    def is_editable(self, index: QtCore.QModelIndex) -> bool:
        ref = self.ref_at(index)
        return ref is not None and ref not in self.computed

    def describe(self, ref: CellRef) -> str:
        return self.session.report.format.describe_cell(ref)

    # -------------------------------------------------------------- Qt model
    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.layout.rows)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else self.layout.n_positions + 1

    def flags(self, index: QtCore.QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 or not self.layout.rows[index.row()].is_data:
            return base
        ref = self.ref_at(index)
        if ref is None:
            return Qt.ItemFlag.NoItemFlags
        return base if ref in self.computed else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        drow = self.layout.rows[index.row()]
        if index.column() == 0:
            return self._label_data(drow, role)
        if not drow.is_data:
            return self._group_data(drow, index.column() - 1, role)
        ref = self.ref_at(index)
        if ref is None:
            return NA_BG if role == Qt.ItemDataRole.BackgroundRole else None
        return self._cell_data(ref, role)

    def _label_data(self, drow, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return "\u3000" * drow.depth + drow.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return drow.label
        if role == Qt.ItemDataRole.FontRole and not drow.is_data:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return GROUP_BG if not drow.is_data else None
        return None

    def _group_data(self, drow, pos: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole and pos < len(drow.heads):
            return drow.heads[pos]
        if role == Qt.ItemDataRole.BackgroundRole:
            return BLOCK_HEAD_BG if drow.heads else GROUP_BG
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and drow.heads:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None

    def _cell_data(self, ref: CellRef, role: int):
        value = self.session.report.cells[ref]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return format_value(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.session.draft.is_unconfirmed(ref):
            font = QtGui.QFont()     # carried from last year, not yet confirmed
            font.setItalic(True)
            return font
        findings = self.session.findings_at(ref)
        worst = _worst(findings)
        only_empty = value is None and all(f.rule == "complete" for f in findings)
        if role == Qt.ItemDataRole.BackgroundRole:
            if only_empty and findings and ref not in self.computed:
                return EMPTY_BG
            if worst == "error":
                return ERROR_BG
            if worst == "warning":
                return WARNING_BG
            if self.session.draft.is_unconfirmed(ref):
                return CARRIED_BG
            return COMPUTED_BG if ref in self.computed else None
        if role == Qt.ItemDataRole.DecorationRole and worst in ("error", "warning") and not only_empty:
            return severity_icon(worst)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.describe(ref)]
            unit = unit_note(self.table.columns[ref[2]])
            if unit:
                lines.append(unit.strip("（）"))
            carried = self.session.draft.carried_note(ref)
            if carried:
                lines.append(carried)
            if ref in self.computed:
                lines.append("自动计算（各分项之和），不能直接修改")
                if self.recomputed_value(ref) != value:
                    lines.append("与各分项之和不一致：双击或按回车可按分项重新计算")
            lines += [f"{SEVERITY_TEXT[f.severity]}：{f.message}" for f in findings]
            return "\n".join(lines)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return "\n".join(self.header_path(section))

    def header_path(self, section: int) -> tuple[str, ...]:
        """Header groups and label above a screen column (empty for a blocks table)."""
        if section == 0:
            return (self.table.row_header or "项目",)
        keys = self.layout.column_keys
        if keys is None:
            return ("",)
        col = self.table.columns[keys[section - 1]]
        return col.header_path[:-1] + (column_heading(col),)   # the unit the PDF adds, if any

    def setData(self, index: QtCore.QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        ref = self.ref_at(index)
        if role != Qt.ItemDataRole.EditRole or ref is None or ref in self.computed:
            return False
        try:
            parsed, note = parse_cell(self.session.report.format.kind_of(ref), str(value))
        except NumberError as exc:
            self.last_rejected = f"{self.describe(ref)}：{exc}。原来的数值未改变。"
            self.rejected.emit(ref, self.last_rejected)
            return False
        self.session.set_cells({ref: parsed})
        if note:
            self.note.emit(note)
        return True

    def recomputed_value(self, ref: CellRef) -> Value:
        """What a total cell would be from its parts (a total may come wrong from an import)."""
        report = self.session.report
        rel = next(r for r in total_relations(report.format) if r.target == ref)
        return computed_total(report, rel)

    def recompute(self, ref: CellRef) -> bool:
        """Replace a total kept from an imported report by the sum of its parts (undoable)."""
        value = self.recomputed_value(ref)
        if value == self.session.report.cells[ref]:
            self.note.emit("总计由程序按各分项自动计算，不能直接修改；请修改分项")
            return False
        self.session.set_cells({ref: value}, label="重新计算总计")
        self.note.emit(f"{self.describe(ref)}：已按各分项重新计算为 {format_value(value)}")
        return True

    # -------------------------------------------------------------- session signals
    def _on_cells(self, refs: list) -> None:
        for ref in refs:
            if ref[0] == self.table.key:
                idx = self.index_of(ref)
                if idx.isValid():
                    self.dataChanged.emit(idx, idx)

    def _on_findings(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.DecorationRole,
                                   Qt.ItemDataRole.ToolTipRole])


def _worst(findings) -> str | None:
    severities = {f.severity for f in findings}
    for s in ("error", "warning", "info"):
        if s in severities:
            return s
    return None


class GroupHeader(QtWidgets.QHeaderView):
    """A horizontal header that draws column groups (申请人情况 › 法人或其他组织) as merged bands.

    The bands come from ``app.table_layout.header_spans``, the same merge the PDF and
    Word exports print, computed once per model (the columns of a table never change).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self._spans_of: tuple[object, list, int] | None = None

    def spans(self) -> tuple[list[tuple[int, int, int, int, str]], int]:
        """The merged bands (level0, section0, level1, section1, text) and the number of levels."""
        model = self.model()
        if self._spans_of is None or self._spans_of[0] is not model:
            paths = [model.header_path(i) for i in range(model.columnCount())]
            depth = max(map(len, paths), default=1)
            self._spans_of = (model, header_spans(paths, depth), depth)
        return self._spans_of[1], self._spans_of[2]

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        line = self.fontMetrics().height()
        model = self.model()
        lines, levels = 0, 1
        if model is not None:
            levels = self.spans()[1]
            lines = max((sum(self._lines(t, i) for t in model.header_path(i))
                         for i in range(model.columnCount())), default=1)
        hint.setHeight(int(max(lines, levels) * (line + 6) + 6))
        return hint

    def _lines(self, text: str, section: int) -> int:
        width = max(self.sectionSize(section) - 8, 20)
        return sum(max(1, -(-self.fontMetrics().horizontalAdvance(part) // width))
                   for part in text.split("\n"))

    def paintSection(self, painter: QtGui.QPainter, rect: QtCore.QRect, section: int) -> None:
        spans, levels = self.spans()
        height = rect.height() / levels
        painter.save()
        painter.setClipRect(rect)
        for level0, first, level1, end, text in spans:
            if not first <= section <= end:
                continue
            top = rect.top() + round(level0 * height)
            bottom = rect.bottom() if level1 == levels - 1 else rect.top() + round((level1 + 1) * height) - 1
            left = self.sectionViewportPosition(first)
            right = self.sectionViewportPosition(end) + self.sectionSize(end) - 1
            band = QtCore.QRect(left, top, right - left + 1, bottom - top + 1)
            painter.fillRect(band.intersected(rect), self.palette().button())
            painter.setPen(self.palette().mid().color())
            painter.drawRect(band.adjusted(0, 0, -1, -1))
            painter.setPen(self.palette().buttonText().color())
            painter.drawText(band.adjusted(3, 2, -3, -2),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
        painter.restore()


class CellEditor(QtWidgets.QLineEdit):
    """The cell editor; pasting a block of cells while typing pastes it into the grid."""

    def __init__(self, view: "GridView", parent) -> None:
        super().__init__(parent)
        self.view = view

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.matches(QtGui.QKeySequence.StandardKey.Paste):
            text = QtWidgets.QApplication.clipboard().text().strip("\r\n")
            if "\t" in text or "\n" in text:
                self.view.closeEditor(self, QtWidgets.QAbstractItemDelegate.EndEditHint.RevertModelCache)
                self.view.paste_text(text)
                return
            self.insert(text.strip())   # one cell copied from Excel ends with a line break
            return
        super().keyPressEvent(event)


class CellDelegate(QtWidgets.QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        editor = CellEditor(self.parent(), parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        return editor

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class GridView(QtWidgets.QTableView):
    """Keyboard like a spreadsheet: Enter moves down, Tab right, typing replaces, Delete clears."""

    problem = QtCore.Signal(str)    # a message to show next to the grid
    info = QtCore.Signal(str)

    def __init__(self, model: GridModel, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(GroupHeader(self))
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
                             | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setHorizontalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        model.rejected.connect(self._on_rejected)
        model.note.connect(self.info)
        self._size_columns()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.currentIndex().isValid():   # ready to type in the first cell
            first = self._next_editable(0, -1, forward=True)
            if first is not None:
                self.setCurrentIndex(first)

    @property
    def grid(self) -> GridModel:
        return self.model()

    # -------------------------------------------------------------- sizing
    def _size_columns(self) -> None:
        fm = self.fontMetrics()
        model = self.grid
        labels = [("\u3000" * d.depth + d.label) for d in model.layout.rows]
        widest = max(fm.horizontalAdvance(t) for t in labels) + 16
        n = model.layout.n_positions
        count_w = fm.horizontalAdvance("0000000") + 28
        money_w = fm.horizontalAdvance("00000000.000000") + 28
        self.setColumnWidth(0, min(widest, 26 * fm.height()))
        for pos in range(n):
            kinds = {model.table.columns[d.keys[pos]].kind for d in model.layout.rows
                     if d.is_data and pos < len(d.keys) and d.keys[pos]}
            width = money_w if "money" in kinds else count_w
            if model.layout.column_keys is None:  # blocks: the group lines name the columns
                heads = [d.heads[pos] for d in model.layout.rows if pos < len(d.heads)]
                widest_head = max(fm.horizontalAdvance(line) for h in heads for line in h.split("\n"))
                width = max(width, min(widest_head + 20, 13 * fm.height()))
            else:
                label = model.table.columns[model.layout.column_keys[pos]].label
                width = max(width, min(fm.horizontalAdvance(label) + 16, 8 * fm.height()))
            self.setColumnWidth(pos + 1, width)
        self.horizontalHeader().setMinimumHeight(self.horizontalHeader().sizeHint().height())
        self.verticalHeader().setMinimumSectionSize(fm.height() + 10)
        self.resizeRowsToContents()
        if model.layout.column_keys is None:
            self.horizontalHeader().hide()

    # -------------------------------------------------------------- keyboard
    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        editing = self.state() == QtWidgets.QAbstractItemView.State.EditingState
        if not editing:
            if forward_undo_keys(self, event):
                return
            if event.matches(QtGui.QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QtGui.QKeySequence.StandardKey.Paste):
                self.paste_text(QtWidgets.QApplication.clipboard().text())
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return
            ref = self.grid.ref_at(self.currentIndex())
            if ref in self.grid.computed and (event.text().strip() or event.key() in (
                    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)):
                self.grid.recompute(ref)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_down()
                return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:
        ref = self.grid.ref_at(self.indexAt(event.position().toPoint()))
        if ref in self.grid.computed:
            self.grid.recompute(ref)
            return
        super().mouseDoubleClickEvent(event)

    def closeEditor(self, editor, hint) -> None:
        rejected, self.grid.last_rejected = self.grid.last_rejected, None
        Hint = QtWidgets.QAbstractItemDelegate.EndEditHint
        if rejected:
            super().closeEditor(editor, Hint.NoHint)
            return
        if hint == Hint.SubmitModelCache:
            super().closeEditor(editor, Hint.NoHint)
            self.move_down()
            return
        super().closeEditor(editor, hint)

    def move_down(self) -> None:
        cur = self.currentIndex()
        for r in range(cur.row() + 1, self.grid.rowCount()):
            idx = self.grid.index(r, cur.column())
            if self.grid.is_editable(idx):
                self.setCurrentIndex(idx)
                return

    def moveCursor(self, action, modifiers):
        """Tab and Shift+Tab go to the next cell one can type in, skipping labels and totals."""
        A = QtWidgets.QAbstractItemView.CursorAction
        if action in (A.MoveNext, A.MovePrevious):
            cur = self.currentIndex()
            found = self._next_editable(cur.row(), cur.column(), forward=action == A.MoveNext)
            return found if found is not None else cur
        return super().moveCursor(action, modifiers)

    def _next_editable(self, row: int, col: int, forward: bool):
        model = self.grid
        cols = model.columnCount()
        pos = row * cols + col
        total = model.rowCount() * cols
        step = 1 if forward else -1
        for _ in range(total):
            pos += step
            if not 0 <= pos < total:
                return None
            idx = model.index(pos // cols, pos % cols)
            if model.is_editable(idx):
                return idx
        return None

    def _on_rejected(self, ref, message: str) -> None:
        idx = self.grid.index_of(ref)
        rect = self.visualRect(idx)
        QtWidgets.QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), message,
                                    self.viewport(), rect, 8000)
        self.problem.emit(message)

    def jump_to(self, ref: CellRef) -> None:
        idx = self.grid.index_of(ref)
        if idx.isValid():
            self.setCurrentIndex(idx)
            self.scrollTo(idx, QtWidgets.QAbstractItemView.ScrollHint.PositionAtCenter)
            self.setFocus()

    # -------------------------------------------------------------- blocks
    def _selected_box(self) -> tuple[int, int, int, int] | None:
        idxs = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not idxs:
            return None
        rows = [i.row() for i in idxs]
        cols = [i.column() for i in idxs]
        return min(rows), min(cols), max(rows), max(cols)

    def copy_selection(self) -> str:
        """The selection to the clipboard, as Excel/WPS read it (app.grid_block)."""
        box = self._selected_box()
        if box is None:
            return ""
        text = copy_text(self.grid.layout, self.grid.session.report.cells, box)
        QtWidgets.QApplication.clipboard().setText(text)
        self.info.emit(f"已复制 {box[2] - box[0] + 1} 行 × {box[3] - box[1] + 1} 列")
        return text

    def paste_text(self, text: str) -> bool:
        """Paste at the current cell by row identity: all of it, or nothing and a message."""
        model = self.grid
        report = model.session.report
        box = self._selected_box()
        cur = self.currentIndex()
        try:
            single = "\t" not in text and "\n" not in text.strip("\r\n")
            if single and box and (box[0], box[1]) != (box[2], box[3]):
                paste = plan_fill(model.layout, report, box, text.strip("\r\n"))
            else:
                paste = plan_paste(model.layout, report, cur.row(), cur.column(), text)
        except PasteError as exc:
            self.problem.emit(str(exc))
            return False
        model.session.set_cells(paste.values, label="粘贴")
        notes = total_notes(model.session.report, paste)
        if notes:
            self.problem.emit(paste.summary() + "。请核对：" + "；".join(notes))
        else:
            self.info.emit(paste.summary())
        return True

    def clear_selection(self) -> None:
        box = self._selected_box()
        if box is None:
            return
        refs = plan_clear(self.grid.layout, self.grid.session.report, box)
        if refs and self.grid.session.set_cells(refs, label="清除"):
            self.info.emit(f"已清除 {len(refs)} 个单元格")
