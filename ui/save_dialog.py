"""Where to save a file: the system's save dialog, which asks before replacing a file.

The dialog confirms only the name the user typed; when a suffix is added afterwards
(``年报`` → ``年报.pdf``) that file was never confirmed, so it is asked about here. The
file is then written with the program's one writer (``app.files``), replacing it whole.
"""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets


def ask_save_path(parent: QtWidgets.QWidget | None, title: str, default: str, filters: str,
                  accepted: tuple[str, ...]) -> Path | None:
    """The path chosen, ending in one of ``accepted`` (the one of the chosen filter is
    added when missing), or None when the user cancelled or declined to replace a file."""
    name, chosen = QtWidgets.QFileDialog.getSaveFileName(parent, title, default, filters)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() in accepted:
        return path
    suffix = next((s for s in accepted if f"*{s}" in chosen), accepted[0])
    path = path.with_name(path.name + suffix)
    if path.exists() or path.is_symlink():
        answer = QtWidgets.QMessageBox.question(
            parent, "文件已存在", f"{path} 已存在。要替换它吗？",
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No)
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return None
    return path
