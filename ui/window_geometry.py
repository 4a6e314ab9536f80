"""The main window's size and place: kept between runs, and always on the screen."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

CONFIG_ENV = "NIANBAO_CONFIG_DIR"
DEFAULT_SIZE = QtCore.QSize(1280, 720)


def window_settings() -> QtCore.QSettings:
    """The window's size and place, in the user's config folder (``NIANBAO_CONFIG_DIR``
    when set: the tests and the screenshot scripts use a temporary one)."""
    folder = os.environ.get(CONFIG_ENV)
    if not folder:
        import platformdirs
        folder = platformdirs.user_config_dir("nianbao", appauthor=False)
    return QtCore.QSettings(str(Path(folder) / "window.ini"), QtCore.QSettings.Format.IniFormat)


def restore_geometry(window: QtWidgets.QWidget) -> None:
    saved = window_settings().value("geometry")
    if not (isinstance(saved, QtCore.QByteArray) and window.restoreGeometry(saved)):
        window.resize(DEFAULT_SIZE)
    fit_to_screen(window)


def fit_to_screen(window: QtWidgets.QWidget) -> None:
    """Never larger than the screen's free area (without the task bar), title bar and
    frame included, and on it."""
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(frame.width() - window.width(), 0)
    extra_h = max(frame.height() - window.height(), 0)
    width = min(window.width(), free.width() - extra_w)
    height = min(window.height(), free.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    if not free.contains(frame):
        x = min(max(frame.x(), free.x()), free.right() - frame.width() + 1)
        y = min(max(frame.y(), free.y()), free.bottom() - frame.height() + 1)
        window.move(x, y)


def save_geometry(window: QtWidgets.QWidget) -> None:
    settings = window_settings()
    settings.setValue("geometry", window.saveGeometry())
    settings.sync()
