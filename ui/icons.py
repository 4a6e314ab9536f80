"""The icons of findings and steps: error, warning, information, done, still to do."""
from __future__ import annotations

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt

_ICONS: dict[str, QtGui.QIcon] = {}


def severity_icon(severity: str) -> QtGui.QIcon:
    """The standard error/warning/information icon (cached: asked for on every paint)."""
    if severity not in _ICONS:
        _ICONS[severity] = _standard_icon(severity)
    return _ICONS[severity]


def _standard_icon(severity: str) -> QtGui.QIcon:
    style = QtWidgets.QApplication.style()
    pix = {"error": QtWidgets.QStyle.StandardPixmap.SP_MessageBoxCritical,
           "warning": QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning,
           "ok": QtWidgets.QStyle.StandardPixmap.SP_DialogApplyButton,
           }.get(severity, QtWidgets.QStyle.StandardPixmap.SP_MessageBoxInformation)
    return style.standardIcon(pix)


def todo_icon() -> QtGui.QIcon:
    """A hollow grey circle: still to fill in (neither an error nor done)."""
    pix = QtGui.QPixmap(32, 32)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(pix)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setPen(QtGui.QPen(QtGui.QColor("#8a8a8a"), 3))
    painter.drawEllipse(5, 5, 22, 22)
    painter.end()
    return QtGui.QIcon(pix)
