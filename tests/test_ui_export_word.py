"""Word export from 检查与导出: the button, the file, the numbers in it, the 草稿 rule."""
from __future__ import annotations

import random

import docx
from docx.oxml.ns import qn
from PySide6 import QtWidgets

from app.report import Report
from app.table_layout import VALUE, table_grid
from factories import consistent_report
from ui_support import open_window


def document_text(path) -> str:
    """Every text of the document, table cells included (merged cells once)."""
    document = docx.Document(str(path))
    return "\n".join(t.text or "" for t in document.element.body.iter(qn("w:t")))


def printed_numbers_agree(path, report: Report) -> int:
    """Compare every number cell of every table in the document with the report; returns
    how many were compared."""
    document = docx.Document(str(path))
    keys = [s.table for s in report.format.sections if s.table]
    compared = 0
    for key, table in zip(keys, document.tables, strict=True):
        grid = table_grid(report.format.tables[key], report.cells)
        for (c0, r0, _, _), cell in grid.rectangles():
            if cell.kind == VALUE and cell.ref is not None:
                assert table.cell(r0, c0).text == cell.text, (cell.ref, cell.text)
                compared += 1
    return compared


def test_word_button_exports_a_docx_with_the_numbers(qtbot, tmp_path, monkeypatch):
    report = consistent_report("2019", random.Random(7))
    window, _ = open_window(qtbot, report, tmp_path / "data")
    check = window.editor.go_to_step("check")
    assert check.docx_button.text() == "导出 Word（.docx）…"
    asked = []

    def save_as(parent, title, default, filter_):
        asked.append((title, default, filter_))
        return str(tmp_path / "年报"), filter_               # typed without the extension
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", save_as)
    check.docx_button.click()
    assert check.progress.isVisible() and not check.docx_button.isEnabled()
    check.wait_for_export()

    out = tmp_path / "年报.docx"
    assert asked[0][0] == "导出 Word" and asked[0][1].endswith(".docx") and "*.docx" in asked[0][2]
    assert check.last_export == out and f"已导出正式报告：{out}" in check.message.text()
    assert check.docx_button.isEnabled()
    text = document_text(out)
    assert report.organ in text
    assert printed_numbers_agree(out, report) == len(list(report.format.cells()))
    assert "草稿" not in docx.Document(str(out)).sections[0].header._element.xml     # no draft mark
    check.wait_for_preview()
    window.close()


def test_word_export_with_errors_only_as_draft(qtbot, tmp_path):
    window, _ = open_window(qtbot, Report.blank("测试镇人民政府", 2021), tmp_path / "data")
    check = window.editor.go_to_step("check")
    assert not check.export_to(tmp_path / "final.docx", draft=False)
    assert "不能导出正式报告" in check.message.text()
    assert not (tmp_path / "final.docx").exists()
    assert check.export_to(tmp_path / "draft.docx", draft=True)
    check.wait_for_export()
    assert "已导出草稿" in check.message.text()
    document = docx.Document(str(tmp_path / "draft.docx"))
    assert 'string="草稿"' in document.sections[0].header._element.xml      # the watermark
    assert "测试镇人民政府" in document_text(tmp_path / "draft.docx")
    check.wait_for_preview()
    window.close()


def test_window_says_the_stand_in_once(qtbot, tmp_path, monkeypatch):
    """Exporting twice in a run: the missing 仿宋 and its stand-in are said the first time only."""
    report = consistent_report("2019", random.Random(7))
    from pdf_helpers import hide_face
    from ui import export_job

    hide_face(monkeypatch, "fangsong")
    monkeypatch.setattr(export_job, "_FONT_NOTES_SAID", set())
    window, _ = open_window(qtbot, report, tmp_path / "data")
    check = window.editor.go_to_step("check")
    check.ask_after_export = False
    shown = []
    for n in (1, 2):
        assert check.export_to(tmp_path / f"r{n}.pdf", draft=False)
        check.wait_for_export()
        shown.append(check.message.text())
    assert "本机没有仿宋字体" in shown[0] and "simfang.ttf" in shown[0]
    assert "本机没有仿宋字体" not in shown[1] and "已导出正式报告" in shown[1]
    check.wait_for_preview()
    window.close()
