"""``after_first_paint(window, callback)``: run ``callback`` once the window's first frame
has been painted (and handed to the screen), not before.

A zero timer started right after ``show()`` fires BEFORE the first paint (Qt lays the
window out and paints it in later passes of the event loop), so it cannot be used to put
work "after the window is on screen". The paint of the top-level widget happens in one
pass together with its children's and the flush to the screen; a zero timer started from
it fires after that whole frame.

``bench/bench_startup.py`` measures both nianbao and its anchor (a minimal PySide6 window)
to this moment with this same function. It imports nothing but what any PySide6 window
has already loaded, and it avoids ``event.type()`` (which would build the Python enum of
every event type) by testing the event's class.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets


class _FirstPaint(QtCore.QObject):
    def __init__(self, window: QtWidgets.QWidget, callback: Callable[[], object],
                 fallback_ms: int | None) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[], object] | None = callback
        window.installEventFilter(self)
        if fallback_ms is not None:
            QtCore.QTimer.singleShot(fallback_ms, self, self._run)   # cancelled if this goes first

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if isinstance(event, QtGui.QPaintEvent):
            watched.removeEventFilter(self)
            QtCore.QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._window.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_first_paint(window: QtWidgets.QWidget, callback: Callable[[], object],
                      fallback_ms: int | None = None) -> None:
    """Call ``callback`` (once, on the GUI thread) after ``window``'s first frame. A window
    that is not painted (never shown, started minimized, covered) calls it only when it is
    painted, or after ``fallback_ms`` when given, whichever comes first."""
    _FirstPaint(window, callback, fallback_ms)
