"""The pages of the wizard: cover, text sections and tables (the check page is apart)."""
from __future__ import annotations

import datetime as dt

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt

from app.formats import CellRef, Section
from app.rules import char_count
from ui.grid import GridModel, GridView
from ui.keys import use_report_undo
from ui.session import Session
from ui.widgets import MessageBar, NoteLine, heading, note_label


class StepPage(QtWidgets.QWidget):
    def __init__(self, session: Session, title: str) -> None:
        super().__init__()
        self.session = session
        self.box = QtWidgets.QVBoxLayout(self)
        self.box.setContentsMargins(12, 8, 12, 8)
        self.box.addWidget(heading(title))
        self.message = MessageBar()
        session.edited.connect(self._report_changed)

    def note_line(self, hint: QtWidgets.QLabel | None = None) -> NoteLine:
        """The page's message place (see ``NoteLine``), with ``hint`` shown at rest."""
        return NoteLine(self.message, hint)

    def _report_changed(self, *_) -> None:
        """A message says what just happened; after the next change (an undo too) it no
        longer holds. A message about this change is shown after this runs."""
        self.message.hide()

    def jump_to(self, ref: CellRef) -> None:
        """Show a cell of this page (only table pages have cells)."""

    def commit_pending(self) -> None:
        """Hand what is being typed (not yet an edit of the report) to the report, so that
        undo, save and print see it."""

    def finish_jobs(self) -> None:
        """Wait for what the page runs in other threads (an export, a preview): the page
        and its report are about to go."""


class TextStep(StepPage):
    def __init__(self, session: Session, section: Section) -> None:
        super().__init__(session, section.heading)
        self.key = section.text
        self.section = section
        if section.guide:
            self.box.addWidget(note_label("要求：" + section.guide))
        self.box.addWidget(self.note_line())
        self.editor = QtWidgets.QPlainTextEdit()
        self.editor.setUndoRedoEnabled(False)
        use_report_undo(self.editor)
        self.editor.setAccessibleName(section.heading)
        self.editor.setPlaceholderText(self._placeholder())
        self.editor.setPlainText(session.report.texts.get(self.key, ""))
        self.editor.textChanged.connect(self._typed)
        self.box.addWidget(self.editor, 1)
        bottom = QtWidgets.QHBoxLayout()
        self.count = QtWidgets.QLabel()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        self.outline_button = None
        if section.outline:
            self.outline_button = QtWidgets.QPushButton("按五个方面的提纲开始写")
            self.outline_button.setToolTip("插入提纲：" + "、".join(section.outline))
            self.outline_button.clicked.connect(self.insert_outline)
            bottom.addWidget(self.outline_button)
        self.box.addLayout(bottom)
        self._echo = False
        session.textChanged.connect(self._from_session)
        self._update_count()

    def _placeholder(self) -> str:
        if self.section.outline:
            return "可以按以下几个方面来写：\n" + "\n".join(self.section.outline)
        if self.key == "other":
            return "没有需要报告的事项时，写“无其他需要报告的事项。”"
        return ""

    def show_span(self, span) -> None:
        """Put the cursor in the text, with the words a finding quotes selected."""
        self.editor.setFocus()
        text = self.editor.toPlainText()
        if not span or span[0] != self.key or span[2] > len(text):
            return
        def utf16(i: int) -> int:     # Qt counts UTF-16 units; a rare character takes two
            return len(text[:i].encode("utf-16-le")) // 2
        cursor = self.editor.textCursor()
        cursor.setPosition(utf16(span[1]))
        cursor.setPosition(utf16(span[2]), QtGui.QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()

    def insert_outline(self) -> None:
        text = "\n\n".join(self.section.outline) + "\n"
        if self.editor.toPlainText().strip():
            self.editor.moveCursor(QtGui.QTextCursor.MoveOperation.End)
            self.editor.insertPlainText("\n\n" + text)
        else:
            self.editor.setPlainText(text)
            cursor = self.editor.textCursor()
            cursor.setPosition(len(self.section.outline[0]))
            self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _typed(self) -> None:
        if not self._echo:
            self.session.set_text(self.key, self.editor.toPlainText())
        self._update_count()

    def _from_session(self, key: str) -> None:
        """Undo/redo changed this text: show it without recording a new edit."""
        if key != self.key:
            return
        text = self.session.report.texts.get(self.key, "")
        if text != self.editor.toPlainText():
            self._echo = True
            try:
                self.editor.setPlainText(text)
                self.editor.moveCursor(QtGui.QTextCursor.MoveOperation.End)
            finally:
                self._echo = False
        self._update_count()

    def _update_count(self) -> None:
        n = char_count(self.editor.toPlainText())
        limit = self.session.report.format.text_limit(self.key)
        if limit is not None:
            over = n > limit
            self.count.setText(f"已写 {n} 字（原则上不超过 {limit} 字）" + ("，已超出 " + str(n - limit) + " 字" if over else ""))
            self.count.setStyleSheet("color:#a00000;font-weight:bold" if over else "")
        else:
            self.count.setText(f"已写 {n} 字")
        if self.outline_button:
            self.outline_button.setEnabled(not self.editor.toPlainText().strip())


class TableStep(StepPage):
    def __init__(self, session: Session, section: Section) -> None:
        super().__init__(session, section.heading)
        table = session.report.format.tables[section.table]
        if table.corner:
            self.box.addWidget(note_label(table.corner))
        hint = note_label("直接输入数字，回车到下一行，Tab 到右边一格；没有的请填 0。"
                          "浅蓝色的总计由程序自动计算。可从 Excel/WPS 复制整块粘贴（Ctrl+V），"
                          "连同行标题复制时按行标题对齐。")
        hint.setStyleSheet("color:#444")
        self.hint = hint
        self.box.addWidget(self.note_line(hint))
        self.model = GridModel(session, table, self)
        self.view = GridView(self.model)
        self.view.setAccessibleName(section.heading)
        self.view.problem.connect(self.message.show_problem)
        self.view.info.connect(self.message.show_info)
        self.box.addWidget(self._carried_row())
        self.box.addWidget(self.view, 1)

    def _carried_row(self) -> QtWidgets.QWidget:
        """Numbers carried from last year: a note and 确认本表带入的数字 (while any is
        unconfirmed), and 确认带入的数字 in the grid's right-click menu.

        The row keeps its place and height while the clerk works — when the last number
        is confirmed it says so, and undo brings the button back — so the table below
        never moves. A table with no carried number when the draft is opened has none
        later either (only undo restores a mark, and only one it had): no row at all."""
        row = QtWidgets.QWidget()
        box = QtWidgets.QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.carried_note = note_label()
        self.confirm_table_button = QtWidgets.QPushButton("确认本表带入的数字")
        self.confirm_table_button.setToolTip("核对无误后，把本表中全部从上年报告带入的数字标为已确认（不再以斜体显示）")
        self.confirm_table_button.clicked.connect(self.confirm_table)
        keep = self.confirm_table_button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.confirm_table_button.setSizePolicy(keep)
        box.addWidget(self.carried_note, 1)
        box.addWidget(self.confirm_table_button, 0, Qt.AlignmentFlag.AlignTop)
        lines = NoteLine.LINES * self.fontMetrics().lineSpacing() + 4
        row.setFixedHeight(max(lines, self.confirm_table_button.sizeHint().height()))
        table = self.model.table.key
        row.setVisible(any(ref[0] == table for ref in self.session.draft.carried))
        self.confirm_action = QtGui.QAction("确认带入的数字", self.view)
        self.confirm_action.setToolTip("把所选格子中从上年报告带入的数字标为已核对")
        self.confirm_action.triggered.connect(self.confirm_selected)
        self.view.addAction(self.confirm_action)      # in the grid's right-click menu
        self.session.carriedChanged.connect(lambda *_: self._update_carried())
        self._update_carried()
        return row

    def _update_carried(self) -> None:
        n = len(self.session.draft.unconfirmed(self.model.table.key))
        text = (f"本表有 {n} 个数字从上年报告带入（斜体、浅绿底），请逐一核对；无误时可确认，"
                "也可重新输入。把鼠标停在格子上可看到来源。" if n else
                "本表从上年报告带入的数字都已确认（或已重新输入）。")
        self.carried_note.setText(text)
        self.carried_note.setToolTip(text)       # whole, should the row cut it
        self.confirm_table_button.setVisible(bool(n))

    def confirm_selected(self) -> None:
        """确认带入的数字 on the selected cells (or the current one)."""
        indexes = self.view.selectedIndexes() or [self.view.currentIndex()]
        refs = [ref for ref in map(self.model.ref_at, indexes) if ref is not None]
        self._confirmed(self.session.confirm_carried(refs))

    def confirm_table(self) -> None:
        self._confirmed(self.session.confirm_carried(
            self.session.draft.unconfirmed(self.model.table.key)))

    def _confirmed(self, refs: list) -> None:
        if refs:
            self.message.show_info(f"已确认 {len(refs)} 个从上年报告带入的数字")
        else:
            self.message.show_info("所选格子中没有待确认的带入数字")

    def jump_to(self, ref: CellRef) -> None:
        self.view.jump_to(ref)

    def commit_pending(self) -> bool:
        return self.view.commit_open_editor()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.view.setFocus()


class CoverStep(StepPage):
    def __init__(self, session: Session) -> None:
        super().__init__(session, "封面信息")
        report = session.report
        self.box.addWidget(self.note_line())
        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.organ = QtWidgets.QLineEdit(report.organ)
        self.organ.setPlaceholderText("如：某某县某某镇人民政府")
        self.organ.editingFinished.connect(self._organ_done)
        form.addRow("报告单位（机关全称）：", self.organ)
        self.year = QtWidgets.QSpinBox()
        first, last = report.format.first_year, report.format.last_year or max(dt.date.today().year, report.year)
        self.year.setRange(first, last)
        self.year.setValue(report.year)
        self.year.setSuffix(" 年度")
        self.year.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000 年度") + 60)
        self.year.setToolTip(f"本格式适用于 {first}—{last} 年度；其他年度请新建报告")
        self.year.valueChanged.connect(self._year_done)
        form.addRow("报告年度：", self.year)
        fmt = report.format
        form.addRow("报告格式：", note_label(f"{fmt.name}（{fmt.document}）"))
        date_row = QtWidgets.QHBoxLayout()
        self.has_date = QtWidgets.QCheckBox("写明成文日期")
        self.date = QtWidgets.QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.date.setDate(report.date or dt.date(report.year + 1, 1, 15))
        self.has_date.setChecked(report.date is not None)
        self.date.setEnabled(report.date is not None)
        self.has_date.toggled.connect(self._date_done)
        self.date.dateChanged.connect(self._date_done)
        for field in (self.organ, self.year, self.date):
            use_report_undo(field)
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.date)
        date_row.addStretch(1)
        form.addRow("日期：", date_row)
        self.box.addLayout(form)
        self.title = note_label()
        self.box.addWidget(self.title)
        self.box.addStretch(1)
        session.headerChanged.connect(self._from_session)
        self._from_session()

    def _organ_done(self) -> None:
        self.session.set_header("organ", self.organ.text().strip())

    def commit_pending(self) -> None:
        if self.organ.text().strip() != self.session.report.organ:
            self._organ_done()

    def show_field(self, finding) -> None:
        """A finding about the cover: the organ's field while it is empty, else the year."""
        field = self.organ if not self.session.report.organ.strip() else self.year
        field.setFocus()
        field.selectAll()

    def _year_done(self, year: int) -> None:
        self.session.set_header("year", year)

    def _date_done(self, *_) -> None:
        self.date.setEnabled(self.has_date.isChecked())
        value = self.date.date().toPython() if self.has_date.isChecked() else None
        self.session.set_header("date", value)

    def _from_session(self) -> None:
        report = self.session.report
        if self.organ.text().strip() != report.organ:
            self.organ.setText(report.organ)
        if self.year.value() != report.year:
            self.year.blockSignals(True)
            self.year.setValue(report.year)
            self.year.blockSignals(False)
        self.has_date.blockSignals(True)
        self.date.blockSignals(True)
        self.has_date.setChecked(report.date is not None)
        self.date.setEnabled(report.date is not None)
        if report.date:
            self.date.setDate(report.date)
        self.has_date.blockSignals(False)
        self.date.blockSignals(False)
        self.title.setText(f"报告标题：{report.title}")
