"""``run()``: what ``nianbao`` without arguments calls. Opens the store and the window."""
from __future__ import annotations

import os


def run(argv: list[str] | None = None) -> int:
    from PySide6 import QtCore, QtWidgets

    from ui.app_setup import make_app

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
    QtCore.QTimer.singleShot(0, window.offer_recovery)
    if os.environ.get("NIANBAO_BENCH_STARTUP"):
        # bench/bench_startup.py: report when the first window is on screen, then quit
        QtCore.QTimer.singleShot(0, lambda: (print("WINDOW_SHOWN", flush=True), app.quit()))
    return app.exec()
