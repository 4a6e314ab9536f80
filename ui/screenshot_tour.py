"""Screenshots of every step, for looking at layout (run under Xvfb at 1366×768).

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 python -m ui.screenshot_tour report.json out_dir/

Uses a temporary draft folder, never the user's.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    src, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    os.environ["NIANBAO_DATA_DIR"] = tempfile.mkdtemp(prefix="nianbao-shots-")
    os.environ["NIANBAO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="nianbao-shots-config-")
    from app import exchange
    from app.store import DraftStore
    from ui.app_setup import make_app
    from ui.main_window import MainWindow

    app = make_app()
    store = DraftStore.open()
    report = exchange.read_file(src)
    window = MainWindow(store)
    window.resize(1366, 738)
    window.show()
    settle(app)
    window.grab().save(str(out / "00-start-empty.png"))
    draft = store.create(report)
    window.drafts.refresh_drafts()
    settle(app)
    window.grab().save(str(out / "01-start.png"))
    window.open_draft(draft)
    window.showMaximized()
    window.setGeometry(window.screen().availableGeometry())   # Xvfb has no window manager
    for i, step in enumerate(window.editor.steps):
        window.editor.go_to(i)
        settle(app)
        page = window.editor.pages[step.key]
        if step.kind == "check":
            page.wait_for_preview()
            settle(app)
        window.grab().save(str(out / f"{i + 2:02d}-{step.key}.png"))
    window.session.save()
    shoot_new_report(app, window, out)
    window.close()
    return 0


def shoot_new_report(app, window, out: Path) -> None:
    """A brand-new report made through 新建报告… (the dialog typed into): its 三 and its
    检查与导出, as the clerk first meets them."""
    from PySide6 import QtCore, QtWidgets
    from PySide6.QtTest import QTest

    from ui.start_page import NewReportDialog

    def fill_dialog():
        dialog = next(w for w in QtWidgets.QApplication.topLevelWidgets()
                      if isinstance(w, NewReportDialog) and w.isVisible())
        dialog.organ.clear()
        QTest.keyClicks(dialog.organ, "Ceshi")
        dialog._accept()
    window.back_to_start()
    QtCore.QTimer.singleShot(200, fill_dialog)
    window.drafts.new_report()
    for name, key in (("10-new-requests.png", "requests"), ("11-new-check.png", "check")):
        page = window.editor.go_to_step(key)
        settle(app)
        if key == "check":
            page.wait_for_preview()
            settle(app)
        window.grab().save(str(out / name))


def settle(app, rounds: int = 5, pause_ms: int = 30) -> None:
    """Let Qt lay out and paint (and background previews arrive) before a grab."""
    from PySide6 import QtCore
    for _ in range(rounds):
        app.processEvents()
        QtCore.QThread.msleep(pause_ms)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
