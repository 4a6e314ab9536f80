"""The real main window, edited continuously until the test kills it with SIGKILL.

Run by ``tests/test_window_kill.py`` in its own process (offscreen). Opens the draft in the
real ``MainWindow`` and every 0.3 s either types a number into a cell of 三 (keyboard, as a
clerk) or one character at the end of 一、总体情况, alternately. After each edit has been
made it prints ``CELL table row col value TIME`` or ``TEXT char TIME`` (TIME: the system's
monotonic clock, the same for both processes), so the test knows what must be on disk.

Usage: python window_kill_driver.py DATA_DIR DRAFT_ID HISTORY_INTERVAL
"""
from __future__ import annotations

import itertools
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.store import DraftStore
from ui.main_window import MainWindow

EVERY_MS = 300
CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def say(line: str) -> None:
    sys.stdout.write(f"{line} {time.monotonic():.4f}\n")
    sys.stdout.flush()


class Clerk:
    """Types into the window: a cell of 三, then a character of 一, and so on."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.turn = itertools.count()
        page = window.editor.pages["requests"]
        model = page.model
        self.cells = [ref for ref in model.session.report.format.tables["requests"].cells()
                      if ref not in model.computed]
        self.chars = itertools.cycle(CHARS)

    def edit(self) -> None:
        n = next(self.turn)
        if n % 2 == 0:
            self.type_cell(n // 2)
        else:
            self.type_char()

    def type_cell(self, k: int) -> None:
        page = self.window.editor.go_to_step("requests")
        ref = self.cells[k % len(self.cells)]
        value = str(100 + k)
        view = page.view
        view.setCurrentIndex(page.model.index_of(ref))
        QTest.keyClick(view, value[0])
        editor = next(e for e in view.findChildren(QtWidgets.QLineEdit) if e.isVisible())
        QTest.keyClicks(editor, value[1:])
        QTest.keyClick(editor, Qt.Key.Key_Return)
        say(f"CELL {' '.join(ref)} {value}")

    def type_char(self) -> None:
        editor = self.window.editor.go_to_step("overview").editor
        editor.moveCursor(QtGui.QTextCursor.MoveOperation.End)
        char = next(self.chars)
        QTest.keyClick(editor, char)
        say(f"TEXT {char}")


def main() -> None:
    data_dir, draft_id, history = sys.argv[1], sys.argv[2], float(sys.argv[3])
    app = QtWidgets.QApplication([])
    store = DraftStore.open(data_dir, history_interval=history)
    window = MainWindow(store)
    window.resize(1366, 738)
    window.show()
    window.open_draft(draft_id)
    clerk = Clerk(window)
    timer = QtCore.QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(clerk.edit)
    timer.start(EVERY_MS)
    say("READY")
    app.exec()


if __name__ == "__main__":
    main()
