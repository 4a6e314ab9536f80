"""Small widgets every page uses: a heading, a note, the message bars.

Apart from the wizard's pages (``ui.steps``) so that the start page, the first thing on
screen, loads without the grid, the rules or the format files.
"""
from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt


def heading(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def note_label(text: str = "") -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MessageBar(QtWidgets.QLabel):
    """A line under a page's heading for what just happened (refused input, paste done)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # a log file's path
        self.hide()

    def show_problem(self, text: str) -> None:
        self.setStyleSheet("QLabel{background:#f9d0cd;color:#5c0000;padding:4px;border:1px solid #d9534f}")
        self._show("✖ " + text)

    def show_info(self, text: str) -> None:
        self.setStyleSheet("QLabel{background:#e4ecf5;color:#123;padding:4px;border:1px solid #9ab}")
        self._show("ℹ " + text)

    def _show(self, text: str) -> None:
        self.setText(text)
        self.setToolTip(text)
        self.show()


class ClosableMessageBar(QtWidgets.QWidget):
    """A MessageBar with a ✕ button, for a notice that stays until the user has read it
    (a repaired draft): it must not hide the editor's top for the rest of the session."""

    def __init__(self) -> None:
        super().__init__()
        self.label = MessageBar()
        self.close_button = QtWidgets.QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("关闭这条提示")
        self.close_button.setAccessibleName("关闭")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        box = QtWidgets.QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.label, 1)
        box.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def show_problem(self, text: str) -> None:
        self.label.show_problem(text)
        self.show()

    def show_info(self, text: str) -> None:
        self.label.show_info(text)
        self.show()
