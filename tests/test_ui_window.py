"""The window on the clerk's screen: never larger than the screen, every column of 三 in
sight at 1366×768, labels frozen while scrolling right, a sharp preview on a scaled
screen, its size remembered; messages that never move the table and go when they no
longer hold."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from app import exchange
from app.store import DraftStore
from conftest import ROOT, ZUNHUADIAN_JSON
from ui.main_window import MainWindow
from ui_support import open_window


def probe(tmp_path, width: int, height: int, scale: float | None = None) -> dict:
    """The real window, maximised on an offscreen screen of this size, measured."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = str(scale)
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "window_probe.py"), str(ZUNHUADIAN_JSON)],
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def inside(frame, free) -> bool:
    return (frame[0] >= free[0] and frame[1] >= free[1]
            and frame[0] + frame[2] <= free[0] + free[2] and frame[1] + frame[3] <= free[1] + free[3])


@pytest.mark.parametrize("width, height, scale", [(800, 600, None), (1024, 768, None), (1366, 768, None),
                                                  (1920, 1080, 1.5)])
def test_the_window_fits_the_screen_and_shows_the_grid_and_status_bar(tmp_path, width, height, scale):
    seen = probe(tmp_path, width, height, scale)
    assert inside(seen["frame"], seen["free"]), seen
    assert seen["status_bar"]
    assert seen["labels_in_sight"]
    if width >= 1024:
        assert all(seen["columns_in_sight"]), seen          # 总计 too, without scrolling
    else:       # too narrow: the numbers scroll right under the labels, which stay
        assert not all(seen["columns_in_sight"]) and seen["scrolled"] > 0
        assert seen["grid_label_left"] < 0 and seen["last_column_in_sight"]
    ratio = seen["preview"]["ratio"]
    assert ratio == (scale or 1.0)
    # the page is rendered with as many pixels as the screen shows it (sharp when scaled)
    assert seen["preview"]["image_width"] >= seen["preview"]["shown_width"] * ratio - 1


def test_a_new_window_is_never_larger_than_the_screen(qtbot, tmp_path):
    window = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(window)
    window.resize(3000, 2000)
    window.show()
    free = window.screen().availableGeometry()
    assert free.contains(window.frameGeometry())
    window.close()


def test_the_window_size_is_remembered_in_the_users_config(qtbot, tmp_path):
    window = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 520)
    window.close()
    ini = os.path.join(os.environ["NIANBAO_CONFIG_DIR"], "window.ini")
    assert os.path.exists(ini)                     # the test's config folder, never the user's
    again = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 520)
    again.close()


def grid_top(view) -> QtCore.QPoint:
    """Where the grid is in its window, once the layouts have moved what they will."""
    QtWidgets.QApplication.processEvents()
    return view.mapTo(view.window(), QtCore.QPoint(0, 0))


def test_a_message_never_moves_the_table_and_goes_when_undone(qtbot, tmp_path):
    window, _ = open_window(qtbot, exchange.read_file(ZUNHUADIAN_JSON), tmp_path / "data")
    page = window.editor.go_to_step("requests")
    view, model = page.view, page.model
    top = grid_top(view)
    view.setCurrentIndex(model.index_of(("requests", "new", "natural")))
    QtWidgets.QApplication.clipboard().setText("5\t1\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.message.isVisible() and "已粘贴 2 个单元格" in page.message.text()
    assert grid_top(view) == top
    window.undo()
    assert not page.message.isVisible() and page.hint.isVisible()
    assert grid_top(view) == top
    # a refusal, then a good number typed: the refusal no longer holds
    assert not model.setData(model.index_of(("requests", "new", "legal")), "abc")
    assert page.message.isVisible()
    assert model.setData(model.index_of(("requests", "new", "legal")), "2")
    assert not page.message.isVisible()
    window.close()


def test_the_new_report_dialog_forgets_its_complaint_once_the_organ_is_filled(qtbot):
    from ui.start_page import NewReportDialog
    dialog = NewReportDialog("")
    qtbot.addWidget(dialog)
    dialog._accept()
    assert "请填写报告单位" in dialog.problem.text()
    qtbot.keyClicks(dialog.organ, "x")
    assert dialog.problem.text() == ""


def test_the_carried_numbers_note_never_moves_the_table(qtbot, tmp_path):
    """Issue 10: confirming the last carried number (the note above the grid goes) and
    undoing it (the note comes back) leave the table where it was."""
    window = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(window)
    window.resize(1024, 738)
    window.show()
    window.drafts.create_from_previous(exchange.read_file(ZUNHUADIAN_JSON))
    page = window.editor.go_to_step("requests")
    view = page.view
    before = grid_top(view)
    assert page.confirm_table_button.isVisible() and "本表有 6 个数字" in page.carried_note.text()
    page.confirm_table_button.click()
    assert not page.confirm_table_button.isVisible()
    assert "都已确认" in page.carried_note.text()
    assert grid_top(view) == before
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.confirm_table_button.isVisible() and "本表有 6 个数字" in page.carried_note.text()
    assert grid_top(view) == before
    window.close()
