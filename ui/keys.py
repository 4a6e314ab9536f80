"""Keyboard helpers shared by the grids and the text editors."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets


def forward_undo_keys(widget: QtWidgets.QWidget, event: QtGui.QKeyEvent) -> bool:
    """Ctrl+Z / Ctrl+Y that reached a widget (its window's shortcut did not fire, e.g. the
    window is not active) trigger the window's 撤销/重做 actions; True if handled."""
    for key, name in ((QtGui.QKeySequence.StandardKey.Undo, "undo"),
                      (QtGui.QKeySequence.StandardKey.Redo, "redo")):
        if event.matches(key) or (name == "redo" and event.keyCombination() == QtCore.QKeyCombination(
                QtCore.Qt.KeyboardModifier.ControlModifier, QtCore.Qt.Key.Key_Y)):
            action = widget.window().findChild(QtGui.QAction, name)
            if action is not None:
                action.trigger()
            return True
    return False
