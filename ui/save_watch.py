"""The two bars above the pages that speak for the draft store, and the retry of a failed save.

What the store had to repair (a damaged file replaced by its backup: the user should look
at the numbers), found when a draft was opened or by a later save, goes to a bar the user
may close. A save that failed (disk full, read-only) is said once in the other bar and
retried every ``SAVE_RETRY_MS`` until it succeeds; the title says 未保存 until then and the
status bar only says 未保存.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

from ui.widgets import ClosableMessageBar, MessageBar

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SAVE_RETRY_MS = 5000


class SaveWatch(QtCore.QObject):
    changed = QtCore.Signal()
    """The saved state may have changed (the window's title says it)."""

    def __init__(self, window: MainWindow, store) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.notice_bar = ClosableMessageBar()   # repairs the store made (the user may close it)
        self.problem_bar = MessageBar()           # a failed save, until a retry succeeds
        self.retry_timer = QtCore.QTimer(self)
        self.retry_timer.setInterval(SAVE_RETRY_MS)
        self.retry_timer.timeout.connect(self.retry_save)
        self._notices_seen = len(self.notices())

    def notices(self) -> list[str]:
        return list(getattr(self.store, "notices", []))

    def above(self, pages: QtWidgets.QWidget) -> QtWidgets.QWidget:
        """``pages`` with the two bars above them."""
        central = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.notice_bar)
        box.addWidget(self.problem_bar)
        box.addWidget(pages, 1)
        return central

    def show_new_notices(self) -> None:
        """What the store found and repaired since the last look (it adds to ``notices``
        while loading a draft and while saving one): above the editor, or on the start page
        when no draft is open."""
        notices = self.notices()
        new, self._notices_seen = notices[self._notices_seen:], len(notices)
        if not new:
            return
        text = "\n".join(new) + "\n请核对这份报告的内容。"
        if self.window.session is not None:
            self.notice_bar.show_problem(text)
        else:
            self.window.start.message.show_problem(text)

    def save_failed(self, message: str) -> None:
        self.window.statusBar().showMessage("未保存")    # why is in the bar above, said once
        self.problem_bar.show_problem(message)
        self.retry_timer.start()
        self.changed.emit()

    def save_everything(self) -> bool:
        """Save the open draft and whatever an earlier failed save left in memory; True
        when all is on disk."""
        if self.store is None or self.store.read_only:
            return True
        session = self.window.session
        saved = session.save() if session is not None else True
        return saved and self.store.retry_pending()

    def retry_save(self) -> None:
        """The timer after a failed save: try again until the disk takes it."""
        saved = self.save_everything()
        self.show_new_notices()       # a retry may have met, and repaired, a damaged file
        if not saved:
            return                     # the session said why (saveFailed); try again later
        self.retry_timer.stop()
        if self.problem_bar.isVisible():
            self.problem_bar.hide()
            self.window.statusBar().showMessage("已重新保存，修改都已写入磁盘", 10000)
        self.changed.emit()
