"""``run()``: what ``nianbao`` without arguments calls (through ``ui.launcher``). Opens the
store and the window. Qt is imported here, at module level, so that a missing or broken Qt
fails the launcher's import with a message instead of a traceback.

What the first window needs besides Qt (the store, the crash log) is imported BEFORE
PySide6: once PySide6 is loaded, its import hook reads the whole source of a module the
first time an ``import`` statement names it (looking for "PySide6", for its
``__feature__`` switches, which nianbao never uses). The modules loaded before it are then
marked as not using PySide6 (``_not_using_pyside``), so that the window's modules
importing them again (and typing, datetime, pathlib…) cost no reading: 15 of the 31
sources it read at the start, ~1.5 ms."""
from __future__ import annotations

import gc
import os
import sys
import time

import app.crashlog
import app.store  # noqa: F401 - loaded before PySide6 (see above)

LOADED_BEFORE_PYSIDE = [name for name in sys.modules if name != "ui" and not name.startswith("ui.")]

# isort: split
from PySide6 import QtCore, QtWidgets  # noqa: E402


def _not_using_pyside(names: list[str]) -> None:
    """Record in PySide6's table of modules that these do not use it, as its import hook
    would after reading their source: -1, its "ignore this module" (a module loaded before
    PySide6 cannot use its features). The table is PySide6's own (not public): when it is
    not there, nothing changes and the hook reads the sources as before."""
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if isinstance(table, dict):
        for name in names:
            table.setdefault(name, -1)


_not_using_pyside(LOADED_BEFORE_PYSIDE)

# isort: split
from ui.app_setup import make_app, set_window_icon  # noqa: E402
from ui.first_paint import after_first_paint  # noqa: E402

AFTER_START_FALLBACK_MS = 2000
"""A window started minimized or covered is painted only when it is shown: what waits for
the first frame (the font parse, the offer to recover a crashed draft) starts by then anyway."""


def run(argv: list[str] | None = None) -> int:
    app = make_app(argv)
    window = None

    def save_draft() -> bool:
        return bool(window and window.session and window.session.save())

    from ui import errors
    errors.install(save_draft, lambda: window)

    from app.store import DraftStore, StoreError
    try:
        store = DraftStore.open()
    except StoreError as exc:
        QtWidgets.QMessageBox.critical(None, "无法打开草稿库", str(exc))
        return 2

    from ui.main_window import MainWindow
    window = MainWindow(store)
    window.show()
    fonts: list = []

    def after_first_frame() -> None:
        """What the first frame need not wait for (ui.first_paint: a zero timer right after
        ``show()`` would run before the window is painted)."""
        gc.freeze()   # what the start-up made lives as long as the window: no collection need
        gc.enable()   # scan it again (the launcher paused collection until now: ~20 ms less)
        fonts.append(start_font_preload(window))
        set_window_icon(app)
        QtCore.QTimer.singleShot(0, window.offer_recovery)   # a question over the window, if any
        import ui.error_dialog  # noqa: F401 - ready before an error needs it
    after_first_paint(window, after_first_frame, fallback_ms=AFTER_START_FALLBACK_MS)
    if os.environ.get("NIANBAO_BENCH_STARTUP"):
        report_start_for_bench(app, window)   # after: its filter sees the paint first
    code = app.exec()
    for worker in fonts:
        worker.cancel()   # quitting never waits for the font parse
    return code


def start_font_preload(window):
    """Parse the PDF fonts in the background once ``window`` is on screen. A missing
    Chinese font is said in the status bar at once, not only at the first export."""
    from ui.font_preload import FontPreloader

    worker = FontPreloader(window)
    worker.failed.connect(lambda message: window.statusBar().showMessage(f"导出 PDF 时会遇到问题：{message}"))
    return worker


def report_start_for_bench(app: QtWidgets.QApplication, window) -> None:
    """bench/bench_startup.py: say when the first frame is on screen (with the number of
    drafts it lists and the CPU time used so far), then when the start-up work queued
    behind it is done, and quit."""
    def shown() -> None:
        print(f"WINDOW_SHOWN drafts={window.start.drafts.rowCount()} cpu={time.process_time():.4f}", flush=True)
        QtCore.QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
    after_first_paint(window, shown)
