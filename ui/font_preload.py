"""The PDF fonts parsed in the background once the first window is up, so that the first
preview or export does not pay for it (0.2–0.6 s of reportlab parsing TrueType files).

Two things this must not do, both measured by ``bench/bench_font_preload.py``:

* make quitting wait. The parse cannot be interrupted, so it runs in a daemon thread that
  the program simply leaves behind at exit (a QThread would have to be waited for, up to a
  second); ``cancel()`` only stops it from reporting back.
* stall the window. The parse is pure Python and shares the GIL with the event loop, which
  gets it back within the switch interval (5 ms) — except during a full garbage collection,
  which holds it throughout: those were the long stalls (25–80 ms), scanning everything
  the start-up and reportlab's import made and the parse's 24,000 lists per font. So
  ``gc.freeze()`` moves the long-lived objects out of the collector's reach (once the
  window is shown, once reportlab is imported, once the fonts are parsed) and automatic
  collection pauses during the parse (0.2–0.6 s; nothing it allocates is garbage).

This module imports nothing of the PDF code at module level: reportlab is loaded in the
thread.
"""
from __future__ import annotations

import gc
import logging
import threading
from functools import partial

from PySide6 import QtCore

log = logging.getLogger(__name__)

START_DELAY_MS = 100
"""After the window's first paint: the parse must not delay what the user first sees."""


class FontPreloader(QtCore.QObject):
    """Starts the parse ``START_DELAY_MS`` after the event loop runs. ``failed`` (a Chinese
    message: no usable font) and ``finished`` are emitted on the GUI thread."""

    failed = QtCore.Signal(str)
    finished = QtCore.Signal()
    _reported = QtCore.Signal(object)   # from the thread; queued to the GUI thread

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._cancelled = [False]   # a list, so the destroyed handler need not touch self
        self._reported.connect(self._deliver)
        self.destroyed.connect(partial(_cancel, self._lock, self._cancelled))
        QtCore.QTimer.singleShot(START_DELAY_MS, self._start)

    def cancel(self) -> None:
        """Quitting: a parse not yet begun is dropped, one under way is left behind and
        reports nothing (its thread ends with the program)."""
        _cancel(self._lock, self._cancelled)

    def _start(self) -> None:
        if self._cancelled[0]:
            return
        gc.freeze()
        threading.Thread(target=self._run, name="nianbao-font-preload", daemon=True).start()

    def _run(self) -> None:
        collecting = gc.isenabled()
        try:
            from app.pdf import preload_fonts
            gc.freeze()   # reportlab's modules live as long as the program
            gc.disable()  # no full collection in the middle of the parse (see the docstring)
            preload_fonts()
            message = None
        except Exception as exc:  # said in the status bar; logged with its traceback
            log.exception("parsing the PDF fonts failed")
            message = str(exc) or exc.__class__.__name__
        finally:
            if collecting:
                gc.enable()
        gc.freeze()   # the parsed fonts too
        with self._lock:   # cancelled (or destroyed) after this point: no report half-sent
            if not self._cancelled[0]:
                self._reported.emit(message)

    def _deliver(self, message: str | None) -> None:
        if self._cancelled[0]:
            return
        if message is None:
            self.finished.emit()
        else:
            self.failed.emit(message)


def _cancel(lock: threading.Lock, cancelled: list[bool], *_) -> None:
    with lock:
        cancelled[0] = True
