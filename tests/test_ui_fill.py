"""Fill the 遵化店镇 2020 report by keyboard through the real wizard, export its PDF, and
compare with the command line's export of the same report's JSON file."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt

from app import exchange
from app.numbers import format_value
from app.report import Report
from conftest import ZUNHUADIAN_JSON
from pdf_helpers import pdftotext
from ui_support import cell_editor, open_window, step_marks


def _editable_cells_in_tab_order(page):
    model = page.model
    order = []
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            idx = model.index(r, c)
            if model.is_editable(idx):
                order.append(model.ref_at(idx))
    return order


def _keyboard_value(value) -> str:
    """What a clerk types: counts as digits, money in 万元 as printed in the table."""
    text = format_value(value)
    return text


def _fill_table_by_keyboard(qtbot, page, target: Report) -> None:
    view = page.view
    refs = _editable_cells_in_tab_order(page)
    view.setFocus()
    assert page.model.ref_at(view.currentIndex()) == refs[0], "the first cell to type in is selected"
    for i, ref in enumerate(refs):
        text = _keyboard_value(target.cells[ref])
        if i == 0:
            qtbot.keyClick(view, text[0])          # typing on the selected cell opens it
            editor = cell_editor(view)
            qtbot.keyClicks(editor, text[1:])
        else:
            editor = cell_editor(view)              # Tab opened the next cell, text selected
            assert page.model.ref_at(view.currentIndex()) == ref
            qtbot.keyClicks(editor, text)
        last = i == len(refs) - 1
        qtbot.keyClick(editor, Qt.Key.Key_Return if last else Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: cell_editor(view) is None, timeout=3000)


def test_fill_zunhuadian_by_keyboard_and_export_equals_cli(qtbot, tmp_path):
    target = exchange.read_file(ZUNHUADIAN_JSON)
    window, _ = open_window(qtbot, Report.blank("临时名称", target.year), tmp_path / "data")
    editor = window.editor
    session = window.session

    cover = editor.go_to_step("cover")
    cover.organ.setText(target.organ)           # Chinese: set as an input method would
    cover.organ.editingFinished.emit()
    for key in ("overview", "problems", "other"):
        page = editor.go_to_step(key)
        page.editor.setPlainText(target.texts[key])
    for table in ("active", "requests", "appeals"):
        _fill_table_by_keyboard(qtbot, editor.go_to_step(table), target)

    assert exchange.dumps(session.report) == ZUNHUADIAN_JSON.read_text(encoding="utf-8")
    assert session.error_count() == 0
    marks = step_marks(editor)
    assert all("错误" not in text for text in marks.values())

    check = editor.go_to_step("check")
    gui_pdf = tmp_path / "gui.pdf"
    assert check.export_to(gui_pdf, draft=False)
    check.wait_for_export()
    qtbot.waitUntil(lambda: check.last_export == gui_pdf, timeout=30000)
    assert "已导出正式报告" in check.message.text()

    cli_pdf = tmp_path / "cli.pdf"
    done = subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
                           "export", str(ZUNHUADIAN_JSON), "-o", str(cli_pdf)],
                          capture_output=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    gui_text, cli_text = pdftotext(gui_pdf), pdftotext(cli_pdf)
    assert "4.0930" in gui_text and "遵化店镇" in gui_text
    assert gui_text == cli_text
