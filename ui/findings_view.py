"""Lists of findings: flat (under the steps) or grouped by section (the check page)."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from app.rules import SEVERITY_ORDER, Finding
from ui.icons import severity_icon
from ui.session import Session
from ui.steps_def import step_of, steps_for

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
class WrapDelegate(QtWidgets.QStyledItemDelegate):
    """Rows as tall as their wrapped message: a finding is never cut off with "…"."""

    def sizeHint(self, option, index) -> QtCore.QSize:
        view = self.parent()
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = view.viewport().width() - view.indentation() * (depth + int(view.rootIsDecorated())) - 36
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        rect = option.fontMetrics.boundingRect(QtCore.QRect(0, 0, max(width, 80), 100000),
                                               int(Qt.TextFlag.TextWordWrap), text)
        return QtCore.QSize(max(width, 80), max(rect.height() + 6, option.fontMetrics.height() + 6))


class FindingsTree(QtWidgets.QTreeWidget):
    """All findings of the report; clicking one asks to show its cell (``activated``)."""

    activated = QtCore.Signal(object)   # Finding

    def __init__(self, session: Session, grouped: bool, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.grouped = grouped
        self.empty_text = "没有发现问题。"
        self.hidden = lambda finding: False
        """Findings not listed (the editor hides what is still to fill in on a step the
        clerk has not left yet); set it, then ``refresh()``."""
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setRootIsDecorated(grouped)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrapDelegate(self))
        self.setAccessibleName("检查结果")
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)      # Enter (and double-click)
        session.findingsChanged.connect(self.refresh)
        self.refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()   # wrapped heights follow the new width

    def refresh(self) -> None:
        selected = self.selected_finding()
        self.clear()
        fmt = self.session.report.format
        findings = sorted((f for f in self.session.findings if not self.hidden(f)),
                          key=lambda f: SEVERITY_ORDER[f.severity])
        if not findings:
            item = QtWidgets.QTreeWidgetItem([self.empty_text])
            item.setIcon(0, severity_icon("ok"))
            self.addTopLevelItem(item)
            return
        if not self.grouped:
            for f in findings:
                self.addTopLevelItem(self._item(f))
        else:
            for step in steps_for(fmt):
                mine = [f for f in findings if step_of(f, fmt) == step.key]
                if not mine:
                    continue
                errors = sum(f.severity == "error" for f in mine)
                group = QtWidgets.QTreeWidgetItem([f"{step.title}（{errors} 个错误，{len(mine) - errors} 个警告或提示）"])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.addTopLevelItem(group)
                for f in mine:
                    group.addChild(self._item(f))
                group.setExpanded(True)
        if selected:
            self.select_finding(selected)

    def _item(self, f: Finding) -> QtWidgets.QTreeWidgetItem:
        text = str(f)                                  # 错误【规则名】消息
        ack = self.session.acknowledgement(f) if f.severity == "warning" else None
        if ack is not None:
            text += "  〔已核实" + (f"：{ack}" if ack else "") + "〕"
        item = QtWidgets.QTreeWidgetItem([text])
        item.setToolTip(0, text)
        if ack is not None:
            item.setIcon(0, severity_icon("ok"))
        else:
            item.setIcon(0, severity_icon(f.severity))
        item.setData(0, FINDING_ROLE, f)
        return item

    def items(self) -> list[QtWidgets.QTreeWidgetItem]:
        out = []
        it = QtWidgets.QTreeWidgetItemIterator(self)
        while it.value():
            if it.value().data(0, FINDING_ROLE) is not None:
                out.append(it.value())
            it += 1
        return out

    def selected_finding(self) -> Finding | None:
        item = self.currentItem()
        return item.data(0, FINDING_ROLE) if item else None

    def select_finding(self, finding: Finding) -> None:
        for item in self.items():
            if item.data(0, FINDING_ROLE) == finding:
                self.setCurrentItem(item)
                return

    def _clicked(self, item: QtWidgets.QTreeWidgetItem, _column: int = 0) -> None:
        finding = item.data(0, FINDING_ROLE)
        if finding is not None:
            self.activated.emit(finding)
