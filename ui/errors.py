"""The one exception hook: save the draft, write a log file, show a friendly dialog.

An unexpected error must never just close the window and lose the clerk's work. The hook
saves the open draft first, writes the traceback to a log file in the user's log folder
(``app.crashlog``, shared with the command line; ``NIANBAO_LOG_DIR`` overrides it), and
shows a Chinese dialog (``ui.error_dialog``) with a button that copies the details for
whoever helps the user.

The hook is installed before the first window is built; the dialog's module is loaded
once that window is on screen (``ui.main``), not before: it is needed only for an error.
"""
from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from app.crashlog import LOG_ENV, details_of, write_log

if TYPE_CHECKING:
    from ui.error_dialog import ErrorDialog

__all__ = ["LOG_ENV", "install"]


def install(save_draft: Callable[[], bool], parent_getter: Callable[[], QtWidgets.QWidget | None],
            show: Callable[[ErrorDialog], object] | None = None) -> None:
    """Replace ``sys.excepthook``; ``save_draft`` is called first and returns whether it saved.
    ``show`` presents the dialog (``exec``, modal, by default; tests pass ``ErrorDialog.show``)."""
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
                from ui.error_dialog import ErrorDialog
                dialog = ErrorDialog(details, path, saved, parent_getter())
                hook.last_dialog = dialog
                (show or ErrorDialog.exec)(dialog)
        finally:
            state["inside"] = False

    hook.last_dialog = None
    sys.excepthook = hook
