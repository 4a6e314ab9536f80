"""Child process for tests/test_ui_window.py: the real window on a screen of a given size.

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python tests/window_probe.py report.json

Opens the report maximised, measures what a clerk would see on steps 三 and 检查与导出,
and prints it as JSON: the window against the screen's free area, which number columns of
三 are in sight, whether the row labels stay in sight when the grid is scrolled right, the
status bar, and the preview's pixel ratio.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(report_path: str) -> int:
    os.environ["NIANBAO_DATA_DIR"] = tempfile.mkdtemp(prefix="nianbao-probe-")
    os.environ["NIANBAO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="nianbao-probe-config-")
    from app import exchange
    from app.store import DraftStore
    from ui.app_setup import make_app
    from ui.main_window import MainWindow
    from ui.screenshot_tour import settle

    app = make_app()
    store = DraftStore.open()
    window = MainWindow(store)
    window.open_draft(store.create(exchange.read_file(report_path)))
    window.showMaximized()
    settle(app)
    out = {"free": rect(window.screen().availableGeometry()), "frame": rect(window.frameGeometry())}
    page = window.editor.go_to_step("requests")
    settle(app)
    view, model = page.view, page.model
    width = view.viewport().width()
    out["columns_in_sight"] = [view.visualRect(model.index(0, c)).right() < width
                               for c in range(model.columnCount())]
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    settle(app)
    out["scrolled"] = view.horizontalScrollBar().value()
    label = view.frozen.visualRect(model.index(0, 0))
    out["labels_in_sight"] = (view.frozen.isVisible() and view.frozen.geometry().left() <= view.frameWidth()
                              and label.left() == 0 and label.width() >= view.columnWidth(0) - 1 > 0)
    out["grid_label_left"] = view.visualRect(model.index(0, 0)).left()
    out["last_column_in_sight"] = view.visualRect(model.index(0, model.columnCount() - 1)).right() < width
    bar = window.statusBar()
    out["status_bar"] = bar.isVisible() and bar.geometry().bottom() < window.height()
    check = window.editor.go_to_step("check")
    check.wait_for_preview()
    settle(app)
    from ui.check_page import PageImage
    pages = check.pages.findChildren(PageImage)
    out["preview"] = {"ratio": window.devicePixelRatioF(),
                      "image_width": pages[0].image.width() if pages else 0,
                      "shown_width": pages[0].width() if pages else 0}
    window.session.save()
    window.close()
    print(json.dumps(out))
    return 0


def rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
