"""The first window (issue 17, start-up; measured by bench/bench_startup.py): what it
shows is the real start page, and it is built without what would make it slow."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6 import QtCore

from app import exchange
from app.store import DraftStore
from conftest import PINGTAN_JSON, ROOT, ZUNHUADIAN_JSON
from ui import start_page
from ui.start_page import StartPage

FIRST_FRAME = """\
import sys
import ui.main as main
from PySide6 import QtCore

feature = sys.modules["shibokensupport.feature"]   # PySide6's import hook (ui.main)
read_by_hook = []
def counting(module, read=feature._mod_uses_pyside):
    read_by_hook.append(module.__name__)
    return read(module)
feature._mod_uses_pyside = counting

def on_first_frame(app, window):
    def report():
        built = "Qt" in vars(QtCore)
        model = window.start.drafts
        print("namespace", "built" if built else "untouched")
        print("rows", [model.index(r, 0).data() for r in range(model.rowCount())])
        print("icon in the first frame:", not app.windowIcon().isNull())
        print("sources read by the import hook:", read_by_hook)
        print("tinydb imported:", "tinydb" in sys.modules)
        QtCore.QTimer.singleShot(0, after)   # after the work queued behind the first frame
    def after():
        print("icon after it:", not app.windowIcon().isNull())
        app.quit()
    main.after_first_paint(window, report)
main.report_start_for_bench = on_first_frame
sys.exit(main.run([]))
"""


def test_first_frame_lists_the_drafts_without_building_the_qt_namespace(tmp_path):
    """PySide6 builds the Python enums of the whole Qt namespace (~12 ms) the first time any
    of its names is used; the start page, menus and bars avoid them until after the first
    frame (ui.start_page.DISPLAY_ROLE). The frame itself lists the drafts."""
    with DraftStore.open(tmp_path / "data") as store:
        for report in (ZUNHUADIAN_JSON, PINGTAN_JSON):
            store.create(exchange.read_file(report))
    env = {**os.environ, "NIANBAO_DATA_DIR": str(tmp_path / "data"), "NIANBAO_CONFIG_DIR": str(tmp_path / "config"),
           "NIANBAO_BENCH_STARTUP": "1", "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    res = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, cwd=ROOT,
                         encoding="utf-8", env=env, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "namespace untouched" in res.stdout, res.stdout
    assert "平潭综合实验区2021年政府信息公开工作年度报告" in res.stdout, res.stdout
    assert res.stdout.count("年度报告") == 2, res.stdout
    # the icon is set right after the first frame (its first use costs ~3 ms)
    assert "icon in the first frame: False" in res.stdout, res.stdout
    assert "icon after it: True" in res.stdout, res.stdout
    # PySide6 was told which modules use it: its import hook read no source (ui.main)
    assert "sources read by the import hook: []" in res.stdout, res.stdout
    # listing the drafts reads the index as plain JSON: TinyDB waits for the first write
    assert "tinydb imported: False" in res.stdout, res.stdout


def test_the_roles_written_out_are_qt_s(qtbot):
    assert QtCore.Qt.ItemDataRole.DisplayRole.value == start_page.DISPLAY_ROLE
    assert QtCore.Qt.ItemDataRole.TextAlignmentRole.value == start_page.TEXT_ALIGNMENT_ROLE
    assert QtCore.Qt.AlignmentFlag.AlignCenter.value == start_page.ALIGN_CENTER
    page = StartPage()
    qtbot.addWidget(page)
    model = page.drafts
    labels = [model.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert labels == ["报告", "年度", "格式", "完成度", "错误", "最后修改"]


def test_after_first_paint_runs_once_after_the_paint_or_at_the_fallback(qtbot):
    from PySide6 import QtWidgets

    from ui.first_paint import after_first_paint
    painted, both, hidden = (QtWidgets.QMainWindow() for _ in range(3))
    for window in (painted, both, hidden):
        qtbot.addWidget(window)
    calls: list[str] = []
    after_first_paint(painted, lambda: calls.append("painted"))            # no fallback: the paint
    after_first_paint(both, lambda: calls.append("both"), fallback_ms=200)  # the paint or the fallback
    after_first_paint(hidden, lambda: calls.append("hidden"), fallback_ms=200)   # never shown
    painted.show()
    both.show()
    qtbot.waitUntil(lambda: {"painted", "both", "hidden"} <= set(calls), timeout=5000)
    qtbot.wait(300)                               # every fallback has passed
    assert sorted(calls) == ["both", "hidden", "painted"]   # each once


def test_opening_a_draft_loads_no_reader_of_published_reports():
    """The grid's paste reads row labels with the importer's helpers (app.importer.document,
    labels); that must not bring every reader and the matcher along (~8 ms of the first
    draft opened): they load when a file is imported."""
    code = ("import sys, ui.editor, app.grid_block\n"
            "print([m for m in sys.modules if m.startswith(('app.importer.matcher', 'app.importer.html_reader',"
            " 'app.importer.text_reader', 'app.importer.docx_reader', 'html.parser'))])")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, encoding="utf-8",
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]", res.stdout
