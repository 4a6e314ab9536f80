"""Take the README's screenshots of the real program (run under Xvfb).

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 .venv/bin/python docs/screenshots/take_screenshots.py

Uses a temporary draft folder, never the user's. Everything on the pictures is done as a
clerk does it: the report is imported as 导入文件… imports it, the mistake is typed into
the grid with the keyboard, and taken back with Ctrl+Z. Writes small PNGs (960 px wide)
beside this file: the start page, the 第三部分 grid with a typing mistake found by the
check, the check-and-export page with the PDF preview, and the district's aggregate window.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
REPORT = ROOT / "tests/fixtures/reports/2020-zunhuadian-town.json"
WIDTH = 960


def main() -> int:
    os.environ["NIANBAO_DATA_DIR"] = tempfile.mkdtemp(prefix="nianbao-shots-")
    os.environ["NIANBAO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="nianbao-shots-config-")
    from PySide6 import QtCore, QtWidgets
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app import exchange
    from app.importer import import_file
    from app.store import DraftStore
    from ui.aggregate_window import AggregateWindow
    from ui.app_setup import make_app
    from ui.screenshot_tour import settle
    from ui.main_window import MainWindow

    app = make_app()
    store = DraftStore.open()
    window = MainWindow(store)
    window.resize(1366, 738)
    window.show()
    window.activateWindow()
    window.create_and_open(import_file(REPORT).report)      # what 导入文件… does with the file
    window.back_to_start()
    settle(app, rounds=8, pause_ms=40)
    save(window, "1-start.png")

    # a typing mistake: 3 new requests from natural persons, but no result entered
    window.start.open_button.click()
    page = window.editor.go_to_step("requests")
    view = page.view
    view.setCurrentIndex(page.model.index_of(("requests", "new", "natural")))
    view.setFocus()
    QTest.keyClicks(view, "3")
    editor = next(e for e in view.findChildren(QtWidgets.QLineEdit) if e.isVisible())
    QTest.keyClick(editor, Qt.Key.Key_Return)
    settle(app, rounds=8, pause_ms=40)
    assert window.session.report.cells[("requests", "new", "natural")] == 3
    view.setCurrentIndex(page.model.index_of(("requests", "new", "natural")))
    settle(app, rounds=8, pause_ms=40)
    save(window, "2-requests-check.png")

    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # take it back
    assert window.session.report.cells[("requests", "new", "natural")] == 0
    window.editor.go_to(len(window.editor.steps) - 1)
    window.editor.pages[window.editor.steps[-1].key].wait_for_preview()
    settle(app, rounds=8, pause_ms=40)
    save(window, "3-check-export.png")
    window.close()

    report = exchange.read_file(REPORT)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, town in enumerate(("遵化店镇", "焦店镇", "荆山街道")):
            r = report.copy()
            r.organ = f"平顶山高新技术产业开发区{town}"
            r.set(("active", "procurement", "projects"), 12 + i * 3)
            path = Path(tmp) / f"{town}.json"
            exchange.write_file(r, path)
            paths.append(path)
        agg = AggregateWindow()
        agg.resize(960, 560)
        agg.organ_edit.setText("平顶山高新技术产业开发区")
        agg.add_files(paths)
        agg.show()
        agg.run()
        agg.table.selectRow(0)
        settle(app, rounds=8, pause_ms=40)
        save(agg, "4-aggregate.png", scale=False)
        agg.close()
    QtCore.QTimer.singleShot(0, app.quit)
    app.exec()
    return 0


def save(widget, name: str, scale: bool = True) -> None:
    from PySide6 import QtCore
    image = widget.grab().toImage()
    if scale and image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, QtCore.Qt.TransformationMode.SmoothTransformation)
    image.save(str(HERE / name))
    print(f"wrote {HERE / name}")


if __name__ == "__main__":
    sys.exit(main())
