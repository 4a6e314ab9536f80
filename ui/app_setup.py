"""The QApplication: Chinese translations of Qt's own dialogs, a CJK font, high DPI.

Everything in ``make_app`` must be cheap: it runs before the first window appears. The
window icon is not part of it: ``set_window_icon`` runs once the first frame is painted
(``ui.main``), as the first use of QIcon costs ~3 ms (its type and its enums).
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

FONT_FILES = (
    # fonts the packaged build ships (resources/fonts), then common Debian locations
    "wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", "SimSun", "AR PL UMing CN")


def make_app(argv: list[str] | None = None) -> QtWidgets.QApplication:
    # High DPI: Qt 6 scales by the screen's exact factor (HighDpiScaleFactorRoundingPolicy
    # PassThrough) by default; naming it here would cost the start the Qt namespace's enums
    # (see ui.start_page.DISPLAY_ROLE).
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("nianbao")
    app.setApplicationDisplayName("政府信息公开年报")
    QtCore.QLocale.setDefault(QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China))
    install_translations(app)
    ensure_cjk_font(app)
    return app


def install_translations(app: QtWidgets.QApplication) -> bool:
    """Qt's own texts (OK/Cancel, file dialogs, context menus) in Simplified Chinese."""
    folder = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QtCore.QTranslator(app)
    ok = translator.load("qtbase_zh_CN", folder)
    if ok:
        app.installTranslator(translator)
        app._qt_translator = translator  # keep it alive
    return ok


def ensure_cjk_font(app: QtWidgets.QApplication) -> str:
    """Use a Chinese UI font; load one from a file when the system has none (else: boxes)."""
    families = set(QtGui.QFontDatabase.families())
    family = next((f for f in CJK_FAMILIES if f in families), None)
    if family is None:
        from app.paths import resource_path
        for name in FONT_FILES:
            path = Path(name) if Path(name).is_absolute() else Path(resource_path("fonts", name))
            if path.exists():
                fid = QtGui.QFontDatabase.addApplicationFont(str(path))
                loaded = QtGui.QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
                if loaded:
                    family = loaded[0]
                    break
    font = app.font()
    if family:
        font.setFamilies([family] + [f for f in font.families() if f != family])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return family or ""


def set_window_icon(app: QtWidgets.QApplication) -> None:
    """The program's icon on every window (title bar, task bar), when the icon file is there."""
    from app.paths import resource_path
    path = resource_path("icons", "nianbao.png")
    if path.exists():
        app.setWindowIcon(QtGui.QIcon(str(path)))
