"""A bug in the window's background work (export, preview, the district's sum) is said in
Chinese and names the log file that holds its traceback; a refusal the program knows keeps
its own words (issue 12: no traceback reaches a user)."""
from __future__ import annotations

import random

from app import exchange
from app.crashlog import LOG_ENV
from app.export import ExportError
from conftest import ZUNHUADIAN_JSON
from factories import consistent_report
from ui.aggregate_window import AggregateWindow
from ui_support import open_window

BUG = "程序内部出错（{name}），详细信息已记录在 {log}，请发给技术支持人员"


def test_an_export_that_trips_a_bug_names_the_log_file(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "logs"))
    window, _ = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), tmp_path / "data")
    check = window.editor.go_to_step("check")
    check.wait_for_preview()

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr("ui.check_page.export", broken)
    assert check.export_to(tmp_path / "年报.pdf", draft=True)
    check.wait_for_export()
    [log] = (tmp_path / "logs").iterdir()
    assert check.message.text() == "✖ 导出失败：" + BUG.format(name="ZeroDivisionError", log=log)
    details = log.read_text(encoding="utf-8")
    assert "Traceback" in details and "ZeroDivisionError: division by zero" in details
    assert check.export_button.isEnabled()

    def refused(*args, **kwargs):        # a known refusal: its own words, no log file
        raise ExportError("无法写入 年报.pdf：磁盘已满")
    monkeypatch.setattr("ui.check_page.export", refused)
    assert check.export_to(tmp_path / "年报.pdf", draft=True)
    check.wait_for_export()
    assert check.message.text() == "✖ 导出失败：无法写入 年报.pdf：磁盘已满"
    assert len(list((tmp_path / "logs").iterdir())) == 1
    window.close()


def test_a_preview_that_trips_a_bug_names_the_log_file(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "logs"))

    def broken(pdf_path, width_px):
        raise IndexError("list index out of range")
    monkeypatch.setattr("ui.export_job.render_pages", broken)
    window, _ = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), tmp_path / "data")
    check = window.editor.go_to_step("check")
    check.wait_for_preview()
    [log] = (tmp_path / "logs").iterdir()
    assert check.preview_note.text() == "无法生成预览：" + BUG.format(name="IndexError", log=log)
    window.close()


def test_a_bug_in_the_districts_sum_names_the_log_file(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "logs"))
    report = consistent_report("2021", random.Random(3))
    report.organ, report.year = "甲镇", 2024
    exchange.write_file(report, tmp_path / "甲镇.json")

    def broken(*args):
        raise KeyError("total")
    monkeypatch.setattr("ui.aggregate_window.run_desk", broken)
    window = AggregateWindow()
    qtbot.addWidget(window)
    window.show()
    window.add_files([tmp_path / "甲镇.json"])
    with qtbot.waitSignal(window.runFinished, timeout=30000) as finished:
        window.run_button.click()
    assert finished.args == [False]
    [log] = (tmp_path / "logs").iterdir()
    assert window.status.text() == BUG.format(name="KeyError", log=log)
    assert "KeyError: 'total'" in log.read_text(encoding="utf-8")
    window.wait()
