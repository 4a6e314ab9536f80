"""Helpers for the wizard tests: a main window over a temporary draft store, typing."""
from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from app.store import DraftStore
from ui.check_page import CheckPage
from ui.main_window import MainWindow

CheckPage.ask_after_export = False   # no modal "open the file?" question in tests


def open_window(qtbot, report, data_dir, extras=None):
    """A main window with ``report`` as a new draft, opened in the editor."""
    store = DraftStore.open(data_dir)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1366, 738)
    window.show()
    draft_id = store.create(report, extras or {})
    window.drafts.refresh_drafts()
    window.open_draft(draft_id)
    return window, draft_id


def cell_editor(view) -> QtWidgets.QLineEdit | None:
    """The open cell editor (focusWidget() can be None without a window manager)."""
    editors = [e for e in view.findChildren(QtWidgets.QLineEdit) if e.isVisible()]
    return editors[0] if editors else None


def type_into_cell(qtbot, view, index, text: str, finish=Qt.Key.Key_Return) -> None:
    """Select ``index`` and type ``text`` (ASCII only) like a user, then press ``finish``."""
    view.setCurrentIndex(index)
    qtbot.keyClick(view, text[0])
    editor = cell_editor(view)
    assert editor is not None, "typing on a cell must open its editor"
    if len(text) > 1:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, finish)
    qtbot.waitUntil(lambda: cell_editor(view) is None or finish == Qt.Key.Key_Tab, timeout=2000)


def step_marks(editor) -> dict[str, str]:
    """The text of each step in the editor's step list (what a user reads there)."""
    return {s.key: editor.step_list.item(i).text() for i, s in enumerate(editor.steps)}
