"""``run()``: what ``nianbao`` without arguments calls (through ``ui.launcher``). Opens the
store and the window. Qt is imported here, at module level, so that a missing or broken Qt
fails the launcher's import with a message instead of a traceback.

Once PySide6 is loaded, its import hook reads the whole source of a module the first time
an ``import`` statement names it (looking for "PySide6", for its ``__feature__``
switches, which nianbao never uses): 31 sources at the start, typing and pathlib among
them, and 20 more when a draft is first opened. PySide6 is told the answers instead
(``_tell_pyside``): the standard library, what was loaded before PySide6 (the store, the
crash log) and nianbao's core (import-linter checks that it never imports Qt) do not use
it; the window's modules do. The hook then reads no source at the start (~2 ms less) and 6
(submodules of the standard library's packages) at the first draft opened."""
from __future__ import annotations

import gc
import os
import sys
import time

import app.crashlog
import app.store  # loaded before PySide6 (see above)
from ui.pyside_bytecode import compiled_once

LOADED_BEFORE_PYSIDE = list(sys.modules)

with compiled_once():   # PySide6 compiles its support code at every start otherwise (~12 ms)
    from PySide6 import QtCore, QtWidgets

NO_PYSIDE, USES_PYSIDE = -1, 0
"""The hook's own values: -1 "ignore this module", 0 "uses PySide6, no feature"."""


def _tell_pyside(flags: dict[str, int]) -> None:
    """Record in PySide6's table of modules what its import hook would find in their
    sources. The table is PySide6's own (not public): when it is not there, nothing
    changes and the hook reads the sources as before."""
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if isinstance(table, dict):
        for name, flag in flags.items():
            table.setdefault(name, flag)


def _modules_of(folder: str, package: str) -> list[str]:
    """The names of a package's modules, from its folder. In a frozen build the modules
    are not files (no folder, or not all in it): those not found have no source for the
    hook to read either."""
    names: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return names
    for entry in entries:
        if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
            names.append(f"{package}.{entry.name}")
            names += _modules_of(entry.path, f"{package}.{entry.name}")
        elif entry.name.endswith(".py") and entry.name != "__init__.py":
            names.append(f"{package}.{entry.name[:-3]}")
    return names


def _own_module_flags() -> dict[str, int]:
    flags = dict.fromkeys(sys.stdlib_module_names, NO_PYSIDE)
    flags.update(dict.fromkeys(LOADED_BEFORE_PYSIDE, NO_PYSIDE))
    flags.update(dict.fromkeys(_modules_of(app.__path__[0], "app"), NO_PYSIDE))
    flags.update(dict.fromkeys(_modules_of(os.path.dirname(__file__), "ui"), USES_PYSIDE))
    return flags


_tell_pyside(_own_module_flags())

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
    behind it is done, and quit (``NIANBAO_BENCH_STARTUP=exit``: exit at the first frame)."""
    def shown() -> None:
        print(f"WINDOW_SHOWN drafts={window.start.drafts.rowCount()} cpu={time.process_time():.4f}", flush=True)
        if os.environ.get("NIANBAO_BENCH_STARTUP") == "exit":
            os._exit(0)   # bench --instructions: nothing after the first frame is counted
        QtCore.QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
    after_first_paint(window, shown)
