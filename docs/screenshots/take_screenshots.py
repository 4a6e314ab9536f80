"""Take the README's screenshots of the real program (run under Xvfb).

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 .venv/bin/python docs/screenshots/take_screenshots.py

Uses a temporary draft folder, never the user's. Everything on the pictures is done as a
clerk does it: the report is imported with 导入文件… (the file picked in its dialog), the
mistake is typed into the grid with the keyboard and taken back with Ctrl+Z. Writes small PNGs (960 px wide)
beside this file: the start page, the 第三部分 grid with a typing mistake found by the
check, the check-and-export page with the PDF preview, and the district's aggregate window (名单核对,
比率, 与上年比较). ``--aggregate-only FOLDER`` writes only the aggregate window's shots, at
full size, into FOLDER; the README's are taken under ``-screen 0 1024x768x24`` into this folder.
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
    if sys.argv[1:2] == ["--aggregate-only"]:
        from ui.app_setup import make_app
        app = make_app()
        folder = Path(sys.argv[2])
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            aggregate_shots(app, Path(tmp), folder, scale=False)
        return 0
    from PySide6 import QtCore, QtWidgets
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.store import DraftStore
    from ui.app_setup import make_app
    from ui.main_window import MainWindow
    from ui.screenshot_tour import settle

    app = make_app()
    store = DraftStore.open()
    window = MainWindow(store)
    window.resize(1366, 738)
    window.show()
    window.activateWindow()
    QtCore.QTimer.singleShot(300, lambda: choose_file(REPORT))
    window.start.import_button.click()                       # 导入文件…, the file chosen in its dialog
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

    with tempfile.TemporaryDirectory() as tmp:
        aggregate_shots(app, Path(tmp), HERE)
    QtCore.QTimer.singleShot(0, app.quit)
    app.exec()
    return 0


def choose_file(path: Path) -> None:
    """Pick ``path`` in the open file dialog, as a clerk does."""
    from PySide6 import QtWidgets
    dialog = next(w for w in QtWidgets.QApplication.topLevelWidgets()
                  if isinstance(w, QtWidgets.QFileDialog) and w.isVisible())
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    name = dialog.findChild(QtWidgets.QLineEdit, "fileNameEdit")
    name.setText(str(path))
    QTest.keyClick(name, Qt.Key.Key_Return)


def aggregate_shots(app, tmp: Path, out: Path, scale: bool = True) -> None:
    """The district's window maximised on the screen: a 12-unit roster with 10 files (one
    twice, one not on the roster, one with errors, one PDF), last year's reports and the
    district's own report (the data of tests/district_data.py); three tabs."""
    from tests.district_data import scenario
    from ui.aggregate_window import AggregateWindow
    from ui.screenshot_tour import settle

    s = scenario(tmp)
    agg = AggregateWindow()
    agg.organ_edit.setText("平顶山高新技术产业开发区")
    agg.add_files(s.files)
    agg.set_roster_file(s.roster)
    agg.set_previous(s.previous)
    agg.set_parent(s.parent)
    agg.setGeometry(app.primaryScreen().availableGeometry())  # Xvfb has no window manager to maximise
    agg.show()
    agg.run()
    agg.wait()
    agg.units_table.selectRow(1)
    settle(app, rounds=8, pause_ms=40)
    save(agg, "4-aggregate.png", scale, out)
    agg.tabs.setCurrentWidget(agg.ratios_page)
    settle(app, rounds=8, pause_ms=40)
    save(agg, "5-aggregate-ratios.png", scale, out)
    agg.tabs.setCurrentWidget(agg.years_page)
    settle(app, rounds=8, pause_ms=40)
    save(agg, "6-aggregate-years.png", scale, out)
    agg.close()


def save(widget, name: str, scale: bool = True, folder: Path = HERE) -> None:
    from PySide6 import QtCore
    image = widget.grab().toImage()
    if scale and image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, QtCore.Qt.TransformationMode.SmoothTransformation)
    image.save(str(folder / name))
    print(f"wrote {folder / name}")


if __name__ == "__main__":
    sys.exit(main())
