"""The start page's 导入文件… and 从上年报告新建 read the file off the UI thread: the window
stays responsive, a progress dialog offers 取消, and every failure is a Chinese message
naming the file (a bug names the log file, never a traceback)."""
from __future__ import annotations

import threading

import pytest
from PySide6 import QtWidgets

import app.importer
from app.crashlog import LOG_ENV
from app.store import DraftStore
from conftest import PINGTAN_JSON
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(PINGTAN_JSON), ""))
    w = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


@pytest.fixture
def gate(monkeypatch):
    """import_file waits until the test opens the gate: a slow file, deterministically."""
    opened = threading.Event()
    real = app.importer.import_file

    def slow(path):
        assert opened.wait(30)
        return real(path)
    monkeypatch.setattr(app.importer, "import_file", slow)
    return opened


def test_import_runs_off_the_ui_thread_with_progress(qtbot, window, gate):
    window.drafts.import_report()
    [job] = window.drafts.reading
    assert job.dialog.isVisible() and job.dialog.labelText() == f"正在读取 {PINGTAN_JSON.name}……"
    qtbot.wait(200)                                   # the event loop runs meanwhile
    assert window.session is None and job.busy()
    gate.set()
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    assert window.session.report.organ == "平潭综合实验区"
    assert window.drafts.reading == [] and not job.busy()


def test_cancel_drops_the_file_being_read(qtbot, window, gate):
    window.drafts.import_report()
    [job] = window.drafts.reading
    job.dialog.findChild(QtWidgets.QPushButton).click()     # 取消
    assert not job.dialog.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: window.drafts.reading == [], timeout=20000)
    assert window.session is None and window.store.drafts() == []


def test_new_from_a_previous_file_reads_it_off_the_ui_thread(qtbot, window, gate, monkeypatch):
    monkeypatch.setattr(window.drafts, "_ask_previous", lambda: "file")
    window.drafts.new_from_previous()
    assert window.session is None and len(window.drafts.reading) == 1
    gate.set()
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    assert window.session.report.year == 2022
    assert window.session.draft.previous.year == 2021


def test_a_file_that_is_no_report_is_said_in_chinese(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"not a zip")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda p, t, text: shown.append((t, text)))
    window.drafts.import_report()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert shown == [("无法导入", "坏文件.docx：不是有效的 Word（.docx）文件（不是 Word 文件的压缩格式，或文件不完整）")]
    assert window.session is None


def test_a_bug_while_reading_names_the_log_file(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "logs"))

    def broken(path):
        raise IndexError("list index out of range")
    monkeypatch.setattr(app.importer, "import_file", broken)
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda p, t, text: shown.append(text))
    window.drafts.import_report()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    [log] = (tmp_path / "logs").iterdir()
    assert shown == [f"{PINGTAN_JSON.name}：程序内部出错（IndexError），详细信息已记录在 {log}，请发给技术支持人员"]
    assert "IndexError: list index out of range" in log.read_text(encoding="utf-8")


def test_closing_the_window_waits_for_a_file_being_read(qtbot, window, gate):
    window.drafts.import_report()
    [job] = window.drafts.reading
    threading.Timer(0.3, gate.set).start()
    window.close()                   # must not destroy a running thread
    assert not job.busy()
