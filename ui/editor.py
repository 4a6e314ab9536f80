"""The editor of one draft: the step list on the left, the step pages, the findings below.

Steps can be visited in any order; the list shows for each step whether it still has
errors (icon and text, not colour alone). Errors never block moving on: they only block
the final export on the last step.
"""
from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from app.rules import Finding
from ui.check_page import CheckPage
from ui.findings_view import FindingsTree
from ui.grid import severity_icon
from ui.session import Session
from ui.steps import CoverStep, StepPage, TableStep, TextStep
from ui.steps_def import StepDef, step_of, steps_for


class Editor(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        fmt = session.report.format
        self.steps: list[StepDef] = steps_for(fmt)
        self.pages: dict[str, StepPage] = {}

        self.step_list = QtWidgets.QListWidget()
        self.step_list.setAccessibleName("步骤")
        self.step_list.setWordWrap(True)
        self.step_list.setSpacing(2)
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        longest = max(self.fontMetrics().horizontalAdvance(s.title) for s in self.steps)
        self.step_list.setFixedWidth(min(longest + 64, 20 * self.fontMetrics().height()))
        self.stack = QtWidgets.QStackedWidget()
        sections = {s.text or s.table: s for s in fmt.sections}
        for step in self.steps:
            if step.kind == "cover":
                page = CoverStep(session)
            elif step.kind == "text":
                page = TextStep(session, sections[step.key])
            elif step.kind == "table":
                page = TableStep(session, sections[step.key])
            else:
                page = CheckPage(session)
            self.pages[step.key] = page
            self.stack.addWidget(page)
            item = QtWidgets.QListWidgetItem(step.title)
            self.step_list.addItem(item)
        self.step_list.currentRowChanged.connect(self._go)

        nav = QtWidgets.QHBoxLayout()
        self.prev_button = QtWidgets.QPushButton("‹ 上一步")
        self.next_button = QtWidgets.QPushButton("下一步 ›")
        self.prev_button.clicked.connect(lambda: self.go_to(self.step_list.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.step_list.currentRow() + 1))
        self.position = QtWidgets.QLabel()
        nav.addWidget(self.position)
        nav.addStretch(1)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)

        self.findings = FindingsTree(session, grouped=False)
        self.findings.activated.connect(self.show_finding)
        findings_box = QtWidgets.QWidget()
        fl = QtWidgets.QVBoxLayout(findings_box)
        fl.setContentsMargins(12, 0, 12, 0)
        self.findings_title = QtWidgets.QLabel()
        fl.addWidget(self.findings_title)
        fl.addWidget(self.findings, 1)

        center = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 0, 4)
        cl.addWidget(self.stack, 1)
        nav_box = QtWidgets.QWidget()
        nav_box.setLayout(nav)
        nav.setContentsMargins(12, 0, 12, 0)
        cl.addWidget(nav_box)
        self.split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(center)
        self.split.addWidget(findings_box)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)
        findings_box.setMinimumHeight(4 * self.fontMetrics().height())
        self._sized = False
        self.split.splitterMoved.connect(self._splitter_moved)

        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.step_list)
        row.addWidget(self.split, 1)

        session.findingsChanged.connect(self._update_marks)
        self._update_marks()
        last = session.extras.get("last_step")
        start = next((i for i, s in enumerate(self.steps) if s.key == last), 0)
        self.go_to(start)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._sized:   # the findings list gets a fifth of the height, the page the rest
            h = max(self.split.height(), 300)
            self.split.setSizes([h - h // 5, h // 5])

    def _splitter_moved(self, *_) -> None:
        self._sized = True   # the user chose the sizes: keep them

    # -------------------------------------------------------------- navigation
    def go_to(self, row: int) -> None:
        if 0 <= row < len(self.steps):
            self.step_list.setCurrentRow(row)

    def go_to_step(self, key: str) -> StepPage:
        self.go_to(next(i for i, s in enumerate(self.steps) if s.key == key))
        return self.pages[key]

    def current_step(self) -> StepDef:
        return self.steps[self.step_list.currentRow()]

    def _go(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.steps) - 1)
        self.position.setText(f"第 {row + 1} 步，共 {len(self.steps)} 步")
        self.findings.parentWidget().setVisible(self.steps[row].kind != "check")
        self.session.set_extra("last_step", self.steps[row].key)

    def show_finding(self, finding: Finding) -> None:
        """Go to the step where ``finding`` is fixed, and to its cell."""
        key = step_of(finding, self.session.report.format)
        page = self.go_to_step(key)
        if finding.cells:
            page.jump_to(finding.cells[0])
        elif isinstance(page, TextStep):
            page.editor.setFocus()

    def show_batch(self, batch) -> None:
        """After undo/redo: show where it happened."""
        cells, texts = batch.cells(), batch.texts()
        if cells:
            self.go_to_step(cells[0][0]).jump_to(cells[0])
        elif texts:
            self.go_to_step(texts[0])
        elif batch.edits:
            self.go_to_step("cover")

    # -------------------------------------------------------------- marks
    def _update_marks(self) -> None:
        fmt = self.session.report.format
        by_step: dict[str, list[Finding]] = {}
        for f in self.session.findings:
            by_step.setdefault(step_of(f, fmt), []).append(f)
        for i, step in enumerate(self.steps):
            item = self.step_list.item(i)
            if step.kind == "check":
                n = self.session.error_count()
                mine = [f for f in self.session.findings if f.severity == "error"]
            else:
                mine = by_step.get(step.key, [])
                n = sum(f.severity == "error" for f in mine)
            warnings = sum(f.severity == "warning" and self.session.acknowledgement(f) is None for f in mine)
            if n:
                item.setIcon(severity_icon("error"))
                item.setText(f"{step.title}\n（{n} 个错误）")
            elif warnings:
                item.setIcon(severity_icon("warning"))
                item.setText(f"{step.title}\n（{warnings} 个警告）")
            else:
                item.setIcon(severity_icon("ok"))
                item.setText(f"{step.title}\n（已完成）" if step.kind != "check" else step.title)
            item.setToolTip(item.text().replace("\n", ""))
        total_err = self.session.error_count()
        total_warn = sum(f.severity == "warning" for f in self.session.findings)
        self.findings_title.setText(f"检查结果：{total_err} 个错误，{total_warn} 个警告（点击一条可跳到对应位置）")

    def step_marks(self) -> dict[str, str]:
        """The text of each step in the list (what a user reads there)."""
        return {s.key: self.step_list.item(i).text() for i, s in enumerate(self.steps)}
