"""One undo history for every field: Ctrl+Z / Ctrl+Y and the fields' own context menus.

Qt's line edits, spin boxes and text edits keep an undo history of their own: they take
Ctrl+Z before the window's shortcut sees it, and their context menu offers that history
(greyed out, with Ctrl+Shift+Z). In the editor every change goes through the report's
undo stack (``app.edits``, the window's 撤销/重做 actions), so ``use_report_undo`` makes a
field hand Ctrl+Z, Ctrl+Y and Ctrl+Shift+Z to those actions, and puts the same actions
(with their Ctrl+Z / Ctrl+Y) in the field's context menu in place of Qt's own.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

CTRL_Y = QtCore.QKeyCombination(QtCore.Qt.KeyboardModifier.ControlModifier, QtCore.Qt.Key.Key_Y)


def undo_key(event: QtGui.QKeyEvent) -> str | None:
    """``"undo"`` for Ctrl+Z, ``"redo"`` for Ctrl+Y or Ctrl+Shift+Z, else None."""
    if event.matches(QtGui.QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QtGui.QKeySequence.StandardKey.Redo) or event.keyCombination() == CTRL_Y:
        return "redo"
    return None


def window_action(widget: QtWidgets.QWidget, name: str) -> QtGui.QAction | None:
    """The window's 撤销 (``"undo"``) or 重做 (``"redo"``) action, if the widget has one."""
    return widget.window().findChild(QtGui.QAction, name)


def forward_undo_keys(widget: QtWidgets.QWidget, event: QtGui.QKeyEvent) -> bool:
    """Ctrl+Z / Ctrl+Y that reached a widget (its window's shortcut did not fire, e.g. the
    window is not active) trigger the window's 撤销/重做 actions; True if handled."""
    name = undo_key(event)
    if name is None:
        return False
    commit = getattr(widget.window(), "commit_pending", None)
    if name == "undo" and commit is not None and not commit():
        return True            # what was typed could not be read: dropping it was the undo
    action = window_action(widget, name)
    if action is not None and action.isEnabled():
        action.trigger()
    return True


class _ReportUndo(QtCore.QObject):
    """Event filter: the undo keys go past the field to the window (see the module doc)."""

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        kind = event.type()
        if kind == QtCore.QEvent.Type.ShortcutOverride and undo_key(event):
            event.ignore()             # not the field's: the window's shortcut takes it
            return True
        if kind == QtCore.QEvent.Type.KeyPress and isinstance(watched, QtWidgets.QWidget):
            return forward_undo_keys(watched, event)
        return False


_FILTER: _ReportUndo | None = None


def use_report_undo(field: QtWidgets.QWidget) -> None:
    """Make ``field`` (a line edit, spin box, date edit or plain text edit) use the report's
    undo: keys and context menu."""
    global _FILTER
    if _FILTER is None:
        _FILTER = _ReportUndo(QtWidgets.QApplication.instance())
    targets = [field]
    if isinstance(field, QtWidgets.QAbstractSpinBox):
        targets.append(field.findChild(QtWidgets.QLineEdit))
    for target in targets:
        target.installEventFilter(_FILTER)
    field.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
    field.customContextMenuRequested.connect(lambda pos: _show_menu(field, pos))


def field_menu(field: QtWidgets.QWidget, pos: QtCore.QPoint | None = None) -> QtWidgets.QMenu:
    """Qt's own context menu of ``field`` (剪切, 复制, 粘贴, 全选 …) with the report's
    撤销/重做 (Ctrl+Z / Ctrl+Y) in place of the field's own."""
    if isinstance(field, QtWidgets.QPlainTextEdit):
        standard = field.createStandardContextMenu(pos or QtCore.QPoint())
    elif isinstance(field, QtWidgets.QAbstractSpinBox):
        standard = field.findChild(QtWidgets.QLineEdit).createStandardContextMenu()
    else:
        standard = field.createStandardContextMenu()
    menu = QtWidgets.QMenu(field)
    standard.setParent(menu, standard.windowFlags())   # its actions live as long as the menu
    for name in ("undo", "redo"):
        action = window_action(field, name)
        if action is not None:
            menu.addAction(action)
    rest = [a for a in standard.actions() if a.objectName() not in ("edit-undo", "edit-redo")]
    while rest and rest[0].isSeparator():
        rest.pop(0)
    if menu.actions() and rest:
        menu.addSeparator()
    menu.addActions(rest)
    return menu


def _show_menu(field: QtWidgets.QWidget, pos: QtCore.QPoint) -> None:
    commit = getattr(field.window(), "commit_pending", None)
    if commit is not None:
        commit()               # what is being typed becomes the step 撤销 takes back
    target = field.viewport() if isinstance(field, QtWidgets.QAbstractScrollArea) else field
    menu = field_menu(field, pos)
    menu.exec(target.mapToGlobal(pos))
    menu.deleteLater()
