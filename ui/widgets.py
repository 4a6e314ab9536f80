"""Small widgets every page uses: a heading, a note, the message bars and their place.

Apart from the wizard's pages (``ui.steps``) so that the start page, the first thing on
screen, loads without the grid, the rules or the format files.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


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
    label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MessageBar(QtWidgets.QLabel):
    """A line under a page's heading for what just happened (refused input, paste done).

    The first window has several, hidden: what needs the Qt namespace is set when one is
    first shown (see ``ui.start_page.DISPLAY_ROLE``)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.hide()

    def show_problem(self, text: str) -> None:
        self.setStyleSheet("QLabel{background:#f9d0cd;color:#5c0000;padding:4px;border:1px solid #d9534f}")
        self._show("✖ " + text)

    def show_info(self, text: str) -> None:
        self.setStyleSheet("QLabel{background:#e4ecf5;color:#123;padding:4px;border:1px solid #9ab}")
        self._show("ℹ " + text)

    def _show(self, text: str) -> None:
        # selectable: a log file's path can be copied
        self.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(text)
        self.setToolTip(text)
        self.show()


class NoteLine(QtWidgets.QWidget):
    """The place of a page's message: its hint (grey) while there is none, the message over
    it when there is one. Its height is fixed (two lines of text, or the hint's), so a
    message never moves the table below; a longer message is cut at the second line and
    shown whole in its tooltip."""

    LINES = 2

    def __init__(self, message: MessageBar, hint: QtWidgets.QLabel | None = None) -> None:
        super().__init__()
        self.message = message
        self.hint = hint or QtWidgets.QLabel()
        for child in (self.hint, message):
            child.setParent(self)
        self.hint.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        self.hint.show()
        message.installEventFilter(self)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QtCore.QSize:
        line = self.fontMetrics().lineSpacing()
        width = max(self.width(), 200)
        return QtCore.QSize(width, max(self.LINES * line + 12, self.hint.heightForWidth(width)))

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(100, self.sizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        for child in (self.hint, self.message):
            child.setGeometry(self.rect())
        if self.sizeHint().height() != self.height():
            self.updateGeometry()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QtCore.QEvent.Type.Show, QtCore.QEvent.Type.Hide):
            self.hint.setVisible(not self.message.isVisibleTo(self))
            self.message.setGeometry(self.rect())
        return False


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
        box.addWidget(self.close_button)   # at the top: set when first shown (see MessageBar)
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def show_problem(self, text: str) -> None:
        self.label.show_problem(text)
        self._show()

    def show_info(self, text: str) -> None:
        self.label.show_info(text)
        self._show()

    def _show(self) -> None:
        self.layout().setAlignment(self.close_button, QtCore.Qt.AlignmentFlag.AlignTop)
        self.show()
