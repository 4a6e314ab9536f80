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

from app.edits import computed_total
from app.formats import CellRef, Table
from app.grid_block import PasteError, copy_text, plan_clear, plan_fill, plan_paste, total_notes
from app.grid_layout import GridLayout, build_layout
from app.numbers import NumberError, format_value, parse_value
from app.report import Value
from app.rules import SEVERITY_ORDER
from app.table_layout import column_heading, header_spans, unit_note
from ui.icons import severity_icon
from ui.keys import forward_undo_keys, use_report_undo, window_action
from ui.session import Session

_TOP = QtCore.QModelIndex()   # the invalid index: Qt asks about the top level with it

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
        self.fill_in_rules = session.report.format.fill_in_rules
        self.last_rejected: str | None = None
        self.strict = False
        """False while the clerk has not left this step nor asked for 检查: an empty cell is
        shown as still to fill in (neutral), not as an error."""
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
    def rowCount(self, parent: QtCore.QModelIndex = _TOP) -> int:
        return 0 if parent.isValid() else len(self.layout.rows)

    def columnCount(self, parent: QtCore.QModelIndex = _TOP) -> int:
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
        only_empty = value is None and all(f.rule in self.fill_in_rules for f in findings)
        calm = only_empty and not self.strict
        if role == Qt.ItemDataRole.BackgroundRole:
            if calm and findings:
                return COMPUTED_BG if ref in self.computed else EMPTY_BG
            if worst == "error":
                return ERROR_BG
            if worst == "warning":
                return WARNING_BG
            if self.session.draft.is_unconfirmed(ref):
                return CARRIED_BG
            return COMPUTED_BG if ref in self.computed else None
        if role == Qt.ItemDataRole.DecorationRole and worst in ("error", "warning") and not calm:
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
            lines += [str(f) for f in findings]          # 错误【规则名】消息
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
        rel = next(r for r in report.format.total_relations if r.target == ref)
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

    def set_strict(self, strict: bool) -> None:
        if strict != self.strict:
            self.strict = strict
            self._on_findings()

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
    return min((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__, default=None)


class GroupHeader(QtWidgets.QHeaderView):
    """A horizontal header that draws column groups (申请人情况 › 法人或其他组织) as merged bands.

    The bands come from ``app.table_layout.header_spans``, the same merge the PDF and
    Word exports print, computed once per model (the columns of a table never change).
    """

    def __init__(self, parent=None, twin: GroupHeader | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self._spans_of: tuple[object, list, int] | None = None
        self.twin = twin
        """The header whose section widths decide the line heights (the frozen label
        column's header draws with the grid's, so both have the same lines)."""

    def spans(self) -> tuple[list[tuple[int, int, int, int, str]], int]:
        """The merged bands (level0, section0, level1, section1, text) and the number of levels."""
        model = self.model()
        if self._spans_of is None or self._spans_of[0] is not model:
            paths = [model.header_path(i) for i in range(model.columnCount())]
            depth = max(map(len, paths), default=1)
            self._spans_of = (model, header_spans(paths, depth), depth)
        return self._spans_of[1], self._spans_of[2]

    def level_heights(self) -> list[int]:
        """The height of each header line: enough for the wrapped text of every band on it
        (a band over several sections has their width; one reaching down several lines
        has their height together)."""
        if self.twin is not None:
            return self.twin.level_heights()
        spans, levels = self.spans()
        line = self.fontMetrics().height()
        heights = [line + 8] * levels
        for level0, first, level1, end, text in sorted(spans, key=lambda b: b[2] - b[0]):
            width = sum(self.sectionSize(i) for i in range(first, end + 1))
            need = self._lines(text, width) * line + 8
            have = sum(heights[level0:level1 + 1])
            if need > have:
                heights[level1] += need - have
        return heights

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        if self.model() is not None:
            hint.setHeight(sum(self.level_heights()))
        return hint

    def _lines(self, text: str, width: int) -> int:
        width = max(width - 8, 20)
        return sum(max(1, -(-self.fontMetrics().horizontalAdvance(part) // width))
                   for part in text.split("\n"))

    def paintSection(self, painter: QtGui.QPainter, rect: QtCore.QRect, section: int) -> None:
        spans, levels = self.spans()
        heights = self.level_heights()
        scale = rect.height() / max(sum(heights), 1)
        tops = [round(sum(heights[:level]) * scale) for level in range(levels + 1)]
        painter.save()
        painter.setClipRect(rect)
        for level0, first, level1, end, text in spans:
            if not first <= section <= end:
                continue
            top = rect.top() + tops[level0]
            bottom = rect.bottom() if level1 == levels - 1 else rect.top() + tops[level1 + 1] - 1
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

    def __init__(self, view: GridView, parent) -> None:
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
        use_report_undo(editor)
        return editor

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class FrozenLabels(QtWidgets.QTableView):
    """The label column drawn again over the grid's left edge, so the row labels stay in
    sight while the numbers scroll right (Qt's "frozen column" example). It shares the
    grid's model and selection; keyboard focus stays with the grid."""

    def __init__(self, grid: GridView) -> None:
        super().__init__(grid)
        self.grid_view = grid
        self.setHorizontalHeader(GroupHeader(self, twin=grid.horizontalHeader()))
        self.setModel(grid.model())
        self.setSelectionModel(grid.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusProxy(grid)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: grid.show_menu(grid.viewport().mapFrom(self.viewport(), pos)))
        self.setStyleSheet("QTableView{border:none;border-right:1px solid palette(mid)}")
        for c in range(1, self.model().columnCount()):
            self.setColumnHidden(c, True)
        grid.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
        grid.verticalHeader().sectionResized.connect(lambda row, _old, new: self.setRowHeight(row, new))

    def wheelEvent(self, event) -> None:
        self.grid_view.wheelEvent(event)


class GridView(QtWidgets.QTableView):
    """Keyboard like a spreadsheet: Enter moves down (back to the column a run of Tabs
    started from), Tab right, typing replaces, Delete clears; a right-click menu with
    复制/粘贴/清除/撤销. The label column stays in sight while scrolling right, and is
    narrowed (its labels wrap) so that the numbers fit the width when they can."""

    problem = QtCore.Signal(str)    # a message to show next to the grid
    info = QtCore.Signal(str)

    def __init__(self, model: GridModel, parent=None) -> None:
        super().__init__(parent)
        self._tab_start: int | None = None      # column where a run of Tabs began
        self._tab_target: tuple[int, int] | None = None
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
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self.show_menu)
        model.rejected.connect(self._on_rejected)
        model.note.connect(self.info)
        self.frozen = FrozenLabels(self)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._section_resized)
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
        """Each column's natural width (its longest text on one line) and the least it may
        be given (labels wrap, a long column name takes two lines in the header)."""
        fm = self.fontMetrics()
        model = self.grid
        labels = [("\u3000" * d.depth + d.label) for d in model.layout.rows]
        widest = max(fm.horizontalAdvance(t) for t in labels) + 16
        natural, least = [min(widest, 26 * fm.height())], [min(widest, 10 * fm.height())]
        count_w = fm.horizontalAdvance("0000000") + 20
        money_w = fm.horizontalAdvance("00000000.0000") + 20
        for pos in range(model.layout.n_positions):
            kinds = {model.table.columns[d.keys[pos]].kind for d in model.layout.rows
                     if d.is_data and pos < len(d.keys) and d.keys[pos]}
            number = money_w if "money" in kinds else count_w
            if model.layout.column_keys is None:  # blocks: the group lines name the columns
                texts = [line for d in model.layout.rows if pos < len(d.heads) for line in d.heads[pos].split("\n")]
            else:
                texts = [model.table.columns[model.layout.column_keys[pos]].label]
            text = max(fm.horizontalAdvance(t) for t in texts) + 16
            natural.append(max(number, min(text, 9 * fm.height())))
            least.append(max(number, min(text, 4 * fm.height())))
        self._natural, self._least = natural, least
        self.verticalHeader().setMinimumSectionSize(fm.height() + 10)
        self._apply_widths(natural)
        if model.layout.column_keys is None:
            self.horizontalHeader().hide()
            self.frozen.horizontalHeader().hide()

    def _apply_widths(self, widths: list[int]) -> None:
        if widths == [self.columnWidth(c) for c in range(len(widths))]:
            return
        for c, w in enumerate(widths):
            self.setColumnWidth(c, w)
        height = self.horizontalHeader().sizeHint().height()
        self.horizontalHeader().setFixedHeight(height)
        self.frozen.horizontalHeader().setFixedHeight(height)
        self.resizeRowsToContents()

    def fitted_widths(self, room: int) -> list[int]:
        """Column widths for ``room`` pixels: natural when they fit; else the labels give
        way first (down to their least), then the number columns, in proportion."""
        natural, least = self._natural, self._least
        widths = list(natural)
        over = sum(widths) - room
        if over > 0:
            widths[0] = max(least[0], natural[0] - over)
            over = sum(widths) - room
        spare = sum(n - m for n, m in zip(natural[1:], least[1:]))
        if over > 0 and spare:
            share = min(1.0, over / spare)
            widths[1:] = [n - int((n - m) * share + 0.999) for n, m in zip(natural[1:], least[1:])]
        return widths

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        room = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        self._apply_widths(self.fitted_widths(room))
        self._place_frozen()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place_frozen()

    def _place_frozen(self) -> None:
        header = self.horizontalHeader()
        top = self.frameWidth()
        height = self.viewport().height() + (header.height() if header.isVisible() else 0)
        self.frozen.setGeometry(self.frameWidth(), top, self.columnWidth(0), height)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        for row in range(self.grid.rowCount()):
            self.frozen.setRowHeight(row, self.rowHeight(row))

    def scrollTo(self, index, hint=QtWidgets.QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        """Scroll so that a cell is not hidden under the frozen labels."""
        super().scrollTo(index, hint)
        if index.isValid() and index.column() > 0:
            left = self.visualRect(index).left()
            if left < self.columnWidth(0):
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + left - self.columnWidth(0))

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

    def commit_open_editor(self) -> bool:
        """Hand a number being typed to the report (before undo, save or print). False
        when it could not be read: it is dropped with a message, the old value stays."""
        editor = self.indexWidget(self.currentIndex()) or next(
            (e for e in self.findChildren(CellEditor) if e.isVisible()), None)
        if editor is None or self.state() != QtWidgets.QAbstractItemView.State.EditingState:
            return True
        self.commitData(editor)
        rejected = self.grid.last_rejected is not None
        self.closeEditor(editor, QtWidgets.QAbstractItemDelegate.EndEditHint.NoHint)
        return not rejected

    def move_down(self) -> None:
        """To the next cell one can type in below; after a run of Tabs, in the column
        the run started from (as in Excel and WPS)."""
        cur = self.currentIndex()
        column = self._tab_start if self._tab_start is not None else cur.column()
        self._tab_start = None
        for r in range(cur.row() + 1, self.grid.rowCount()):
            idx = self.grid.index(r, column)
            if self.grid.is_editable(idx):
                self.setCurrentIndex(idx)
                return

    def moveCursor(self, action, modifiers):
        """Tab and Shift+Tab go to the next cell one can type in, skipping labels and totals."""
        A = QtWidgets.QAbstractItemView.CursorAction
        if action in (A.MoveNext, A.MovePrevious):
            cur = self.currentIndex()
            found = self._next_editable(cur.row(), cur.column(), forward=action == A.MoveNext)
            if found is not None:
                if self._tab_start is None:
                    self._tab_start = cur.column()
                self._tab_target = (found.row(), found.column())
            return found if found is not None else cur
        return super().moveCursor(action, modifiers)

    def currentChanged(self, current, previous) -> None:
        """Any move but a Tab ends a run of Tabs."""
        super().currentChanged(current, previous)
        if (current.row(), current.column()) != self._tab_target:
            self._tab_start = None
        self._tab_target = None

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

    # -------------------------------------------------------------- context menu
    def context_menu(self) -> QtWidgets.QMenu:
        """复制、粘贴、清除、撤销 for the selection, with their keys, then the actions the
        page added to the grid."""
        menu = QtWidgets.QMenu(self)
        menu.addAction("复制", self.copy_selection).setShortcut(QtGui.QKeySequence.StandardKey.Copy)
        menu.addAction("粘贴", lambda: self.paste_text(QtWidgets.QApplication.clipboard().text())
                       ).setShortcut(QtGui.QKeySequence.StandardKey.Paste)
        menu.addAction("清除", self.clear_selection).setShortcut(QtGui.QKeySequence(Qt.Key.Key_Delete))
        undo = window_action(self, "undo")
        if undo is not None:
            menu.addSeparator()
            menu.addAction(undo)
        if self.actions():                     # the page's own (确认带入的数字)
            menu.addSeparator()
            menu.addActions(self.actions())
        return menu

    def show_menu(self, pos: QtCore.QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid() and not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        menu = self.context_menu()
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()

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
