"""The one exception hook: save the draft, write a log file, show a friendly dialog.

An unexpected error must never just close the window and lose the clerk's work. The hook
saves the open draft first, writes the traceback to a log file in the user's log folder
(``NIANBAO_LOG_DIR`` overrides it, for tests), and shows a Chinese dialog with a button
that copies the details for whoever helps the user.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Callable

from PySide6 import QtWidgets

LOG_ENV = "NIANBAO_LOG_DIR"


def log_dir() -> Path:
    env = os.environ.get(LOG_ENV, "").strip()
    if env:
        return Path(env)
    import platformdirs  # noqa: PLC0415
    return Path(platformdirs.user_log_dir("nianbao", appauthor=False))


def write_log(details: str) -> Path | None:
    """Write ``details`` to a new dated log file; None if even that is impossible."""
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"error-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
        path.write_text(details, encoding="utf-8")
        return path
    except OSError:
        return None


def details_of(exc_type, exc, tb) -> str:
    import platform  # noqa: PLC0415 - the hook is installed before the first window: keep it light
    import traceback  # noqa: PLC0415

    from app import __version__  # noqa: PLC0415
    head = (f"nianbao {__version__}\nPython {platform.python_version()} {platform.platform()}\n"
            f"时间 {dt.datetime.now().isoformat(timespec='seconds')}\n\n")
    return head + "".join(traceback.format_exception(exc_type, exc, tb))


class ErrorDialog(QtWidgets.QMessageBox):
    def __init__(self, details: str, log_path: Path | None, saved: bool, parent=None) -> None:
        super().__init__(parent)
        self.setIcon(QtWidgets.QMessageBox.Icon.Critical)
        self.setWindowTitle("程序出现意外错误")
        self.setText("很抱歉，程序遇到了一个意外错误。")
        info = ["您正在编辑的报告已自动保存。" if saved else "",
                f"错误的详细信息已记录在：\n{log_path}" if log_path else "错误的详细信息无法写入日志文件。",
                "可以继续使用；如果问题反复出现，请点“复制详细信息”，发给技术支持人员。"]
        self.setInformativeText("\n".join(i for i in info if i))
        self.setDetailedText(details)
        self.copy_button = self.addButton("复制详细信息", QtWidgets.QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(self.copy_details)
        self.addButton("关闭", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        self.details = details

    def copy_details(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.details)
        self.copy_button.setText("已复制")


def install(save_draft: Callable[[], bool], parent_getter: Callable[[], QtWidgets.QWidget | None],
            show: Callable[[ErrorDialog], object] = ErrorDialog.exec) -> None:
    """Replace ``sys.excepthook``; ``save_draft`` is called first and returns whether it saved.
    ``show`` presents the dialog (modal by default; tests pass ``ErrorDialog.show``)."""
    state = {"inside": False}

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = details_of(exc_type, exc, tb)
        sys.stderr.write(details)
        if state["inside"]:   # an error while showing the dialog: log only
            write_log(details)
            return
        state["inside"] = True
        try:
            try:
                saved = bool(save_draft())
            except Exception:
                import traceback  # noqa: PLC0415
                saved = False
                details += "\n保存草稿时也出错：\n" + traceback.format_exc()
            path = write_log(details)
            if QtWidgets.QApplication.instance() is not None:
                dialog = ErrorDialog(details, path, saved, parent_getter())
                hook.last_dialog = dialog
                show(dialog)
        finally:
            state["inside"] = False

    hook.last_dialog = None
    sys.excepthook = hook
