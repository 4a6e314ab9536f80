"""The one exception hook: save the draft, write a log file, show a friendly dialog.

An unexpected error must never just close the window and lose the clerk's work. The hook
saves the open draft first, writes the traceback to a log file in the user's log folder
(``app.crashlog``, shared with the command line; ``NIANBAO_LOG_DIR`` overrides it), and
shows a Chinese dialog with a button that copies the details for whoever helps the user.
"""
from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6 import QtWidgets

from app.crashlog import LOG_ENV, details_of, write_log

__all__ = ["LOG_ENV", "ErrorDialog", "install"]


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
            except Exception:  # noqa: BLE001 - a second error while saving is reported, not raised
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
