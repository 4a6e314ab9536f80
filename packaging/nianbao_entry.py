"""Entry point of the frozen application (PyInstaller runs this file first).

It is the ``nianbao`` command: no arguments open the window, arguments run the command
line (``nianbao export r.json -o r.pdf``). One test hook: when ``NIANBAO_SMOKE_QUIT`` is
set, the window closes itself as soon as Qt's event loop runs and the program prints the
time since start and the titles of the visible windows, so a build can be smoke-tested
headless (``QT_QPA_PLATFORM=offscreen``) and its start time measured. With
``NIANBAO_SMOKE_OPEN_FIRST`` also set, it first opens the first draft of the start page,
as a user double-clicking it would (the window title then names the report); with
``NIANBAO_SMOKE_SCREENSHOT=file.png`` it saves a picture of the window (to check that
the bundled fonts draw Chinese on a machine without any).
"""
from __future__ import annotations

import os
import sys
import time

START = time.perf_counter()


def _install_smoke_hook() -> None:
    """Make ``QApplication.exec`` quit right after the first pass of the event loop."""
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    original = QApplication.exec

    def report_and_quit() -> None:
        if os.environ.get("NIANBAO_SMOKE_OPEN_FIRST"):
            _open_first_draft()
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        windows = [w.windowTitle() for w in visible]
        shot = os.environ.get("NIANBAO_SMOKE_SCREENSHOT")
        if shot and visible:
            visible[0].grab().save(shot)
        cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")  # 取消 when zh_CN loaded
        print(f"nianbao-smoke: started in {time.perf_counter() - START:.3f} s; "
              f"windows: {windows}; Qt's Cancel button: {cancel}", flush=True)
        QApplication.quit()

    def exec_then_quit(*args, **kwargs):
        QTimer.singleShot(0, report_and_quit)
        return original()  # a static method in PySide6: the instance is not passed on

    QApplication.exec = exec_then_quit
    QApplication.exec_ = exec_then_quit


def _open_first_draft() -> None:
    from PySide6.QtWidgets import QApplication

    for window in QApplication.topLevelWidgets():
        store = getattr(window, "store", None)
        if store is not None and hasattr(window, "open_draft"):
            drafts = store.drafts()
            if drafts:
                window.open_draft(drafts[0].id)
                QApplication.processEvents()
            return
    print("nianbao-smoke: no main window with drafts found", flush=True)


def main() -> int:
    if os.environ.get("NIANBAO_SMOKE_QUIT") and len(sys.argv) == 1:
        _install_smoke_hook()
    from ui.launcher import main as cli_main
    if sys.stderr is None:  # the windowed nianbao.exe on Windows: nowhere to print
        return run_without_console(cli_main)
    return cli_main()


def run_without_console(cli_main, show=None) -> int:
    """Keep what the program prints; when it fails, show that text in a message box.

    Without this, a clerk double-clicking nianbao.exe on a machine where the window cannot
    open (a missing system library, say) would see nothing at all.
    """
    import io

    buffer = io.StringIO()
    sys.stdout = sys.stderr = buffer
    code = cli_main()
    text = buffer.getvalue().strip()
    if code != 0 and text:
        (show or _message_box)(text)
    return code


def _message_box(text: str) -> None:
    if os.name == "nt":
        import ctypes
        MB_ICONERROR = 0x10
        ctypes.windll.user32.MessageBoxW(None, text[-2000:], "政府信息公开年报", MB_ICONERROR)


if __name__ == "__main__":
    sys.exit(main())
