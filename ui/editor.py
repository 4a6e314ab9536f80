"""The editor of one draft: the step list on the left, the step pages, the findings below.

Steps can be visited in any order; the list shows for each step whether it still has
errors (icon and text, not colour alone). Errors never block moving on: they only block
the final export on the last step.

A fresh report is mostly empty, and an empty cell is not a mistake yet: until the clerk has
left a step (or opened 检查与导出, which checks everything), what is still to fill in on it
is shown as work to do — a neutral mark, "还有 25 格未填" — not as red errors. From then
on, it is an error like any other, also after the draft is closed and opened again (the
draft keeps which steps were left: ``Draft.sections_left``). 检查与导出 always lists
everything, and a final export is refused while anything is missing.
"""
from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from app.rules import Finding, is_todo
from ui.check_page import CheckPage
from ui.findings_view import FindingsTree
from ui.icons import severity_icon, todo_icon
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
        self._current: str | None = None

        self.step_list = QtWidgets.QListWidget()
        self.step_list.setAccessibleName("步骤")
        self.step_list.setWordWrap(True)
        self.step_list.setSpacing(2)
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.step_list.setMinimumWidth(6 * self.fontMetrics().height())
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
                page = self.check_page = CheckPage(session)
                page.tree.activated.connect(self.show_finding)
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
        self.findings.hidden = self._calm
        session.findingsChanged.disconnect(self.findings.refresh)   # _update_marks refreshes it
        self.findings.activated.connect(self.show_finding)
        findings_box = QtWidgets.QWidget()
        fl = QtWidgets.QVBoxLayout(findings_box)
        fl.setContentsMargins(12, 0, 12, 0)
        self.findings_title = QtWidgets.QLabel()
        self.findings_title.setWordWrap(True)
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
        self.split.setChildrenCollapsible(False)
        findings_box.setMinimumHeight(3 * self.fontMetrics().height())
        self._sized = False
        self.split.splitterMoved.connect(self._splitter_moved)

        self.side_split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.side_split.addWidget(self.step_list)
        self.side_split.addWidget(self.split)
        self.side_split.setStretchFactor(0, 0)
        self.side_split.setStretchFactor(1, 1)
        self.side_split.setChildrenCollapsible(False)
        self.side_split.splitterMoved.connect(self._splitter_moved)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.side_split)

        session.findingsChanged.connect(self._update_marks)
        self._update_marks()
        last = session.extras.get("last_step")
        start = next((i for i, s in enumerate(self.steps) if s.key == last), 0)
        self.go_to(start)

    @property
    def strict(self) -> set[str]:
        """Steps whose empty cells and texts count as errors (left, or checked)."""
        return self.session.draft.sections_left

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._sized:
            # the findings list gets a sixth of the height, the page the rest; the step
            # list its longest title, at most a fifth of the width (titles wrap)
            h = max(self.split.height(), 300)
            self.split.setSizes([h - h // 6, h // 6])
            longest = max(self.fontMetrics().horizontalAdvance(s.title) for s in self.steps) + 64
            w = self.side_split.width()
            side = max(self.step_list.minimumWidth(), min(longest, w // 5))
            self.side_split.setSizes([side, w - side])

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

    def current_page(self) -> StepPage:
        return self.pages[self.current_step().key]

    def export(self, suffix: str) -> None:
        """The menu's 导出 (``.pdf`` or ``.docx``): on the check page, where the report's
        errors and the export's progress show."""
        self.go_to(next(i for i, s in enumerate(self.steps) if s.kind == "check"))
        self.check_page.export_clicked(suffix)

    def finish_jobs(self) -> None:
        """Every page's work in other threads has ended (before the editor goes)."""
        for page in self.pages.values():
            page.finish_jobs()

    def commit_pending(self) -> bool:
        """What is being typed on the current page goes to the report (before undo, save,
        print); False when it could not be read (a message says why)."""
        return self.current_page().commit_pending() is not False

    def _go(self, row: int) -> None:
        if row < 0:
            return
        step = self.steps[row]
        if self._current is not None and self._current != step.key:
            self.session.leave_sections([self._current])   # what is missing there is an error now
        if step.kind == "check":
            self.session.leave_sections(s.key for s in self.steps)
        self._current = step.key
        self.stack.setCurrentIndex(row)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.steps) - 1)
        self.position.setText(f"第 {row + 1} 步，共 {len(self.steps)} 步")
        self.findings.parentWidget().setVisible(step.kind != "check")
        self.session.set_extra("last_step", step.key)
        self._update_marks()

    def show_finding(self, finding: Finding) -> None:
        """Go to the step where ``finding`` is fixed, and to its cell or its words."""
        key = step_of(finding, self.session.report.format)
        page = self.go_to_step(key)
        if finding.cells and isinstance(page, TableStep):
            page.jump_to(finding.cells[0])
        elif isinstance(page, TextStep):
            page.show_span(finding.span)
        elif isinstance(page, CoverStep):
            page.show_field(finding)

    def show_batch(self, batch) -> None:
        """After undo/redo: show where it happened."""
        cells, texts = batch.cells() or batch.marks(), batch.texts()
        if cells:
            self.go_to_step(cells[0][0]).jump_to(cells[0])
        elif texts:
            self.go_to_step(texts[0])
        elif batch.edits:
            self.go_to_step("cover")

    # -------------------------------------------------------------- marks
    def _calm(self, finding: Finding) -> bool:
        """Still to fill in on a step the clerk has not left yet: not (yet) an error."""
        fmt = self.session.report.format
        return step_of(finding, fmt) not in self.strict and is_todo(finding, self.session.report)

    def _update_marks(self) -> None:
        fmt = self.session.report.format
        shown = [f for f in self.session.findings if not self._calm(f)]
        by_step: dict[str, list[Finding]] = {}
        for f in shown:
            by_step.setdefault(step_of(f, fmt), []).append(f)
        todos = {s.key: self._todo_text(s) for s in self.steps}
        unfinished = sum(bool(t) for t in todos.values())
        for i, step in enumerate(self.steps):
            if step.kind == "check":
                self._mark(self.step_list.item(i), step, shown, "未填完" if unfinished else "")
            else:
                self._mark(self.step_list.item(i), step, by_step.get(step.key, []), todos[step.key])
        for key, page in self.pages.items():
            if isinstance(page, TableStep):
                page.model.set_strict(key in self.strict)
        total_err = sum(f.severity == "error" for f in shown)
        total_warn = sum(f.severity == "warning" for f in shown)
        title = f"检查结果：{total_err} 个错误，{total_warn} 个警告（点击一条可跳到对应位置）"
        if unfinished:
            title += f"；还有 {unfinished} 个步骤没有填完"
        self.findings_title.setText(title)
        self.findings.empty_text = ("暂未发现填错的地方。没有填完的步骤在左侧标出，离开该步骤或进入“检查与导出”后，"
                                    "未填的格子和正文也会列在这里。" if unfinished else "没有发现问题。")
        self.findings.refresh()

    def _mark(self, item, step: StepDef, mine: list[Finding], todo: str) -> None:
        errors = sum(f.severity == "error" for f in mine)
        warnings = sum(f.severity == "warning" and self.session.acknowledgement(f) is None for f in mine)
        if errors:
            item.setIcon(severity_icon("error"))
            item.setText(f"{step.title}\n（{errors} 个错误）")
        elif warnings:
            item.setIcon(severity_icon("warning"))
            item.setText(f"{step.title}\n（{warnings} 个警告）")
        elif todo and step.kind != "check":
            item.setIcon(todo_icon())
            item.setText(f"{step.title}\n（{todo}）")
        else:
            item.setIcon(todo_icon() if todo else severity_icon("ok"))
            item.setText(f"{step.title}\n（已完成）" if step.kind != "check" else step.title)
        item.setToolTip(item.text().replace("\n", ""))

    def _todo_text(self, step: StepDef) -> str:
        """What is still to fill in on a step not yet checked ("还有 25 格未填"), or ""."""
        if step.key in self.strict or step.kind == "check":
            return ""
        report = self.session.report
        if step.kind == "table":
            computed = report.format.computed_cells()
            empty = sum(v is None for ref, v in report.cells.items()
                        if ref[0] == step.key and ref not in computed)
            return f"还有 {empty} 格未填" if empty else ""
        if step.kind == "text":
            calm = [f for f in self.session.findings if step_of(f, report.format) == step.key
                    and is_todo(f, report)]
            return "未填写" if calm else ""
        return ""
