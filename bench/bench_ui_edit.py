"""Time one cell edit and one keystroke in a text, through the whole open wizard.

An edit re-validates the report and refreshes every view (grids, step list, findings
lists, check page), so this is the delay a clerk feels after each number typed.

    QT_QPA_PLATFORM=offscreen python bench/bench_ui_edit.py [--runs 200]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    os.environ["NIANBAO_DATA_DIR"] = tempfile.mkdtemp(prefix="nianbao-bench-")
    from app.report import Report
    from app.store import DraftStore
    from ui.app_setup import make_app
    from ui.main_window import MainWindow

    app = make_app()
    store = DraftStore.open()
    window = MainWindow(store)
    window.resize(1366, 738)
    window.show()
    for label, report in (("blank 2021 report (many findings)", Report.blank("测试镇人民政府", 2021)),):
        window.open_draft(store.create(report))
        page = window.editor.go_to_step("requests")
        app.processEvents()
        idx = page.model.index_of(("requests", "new", "natural"))
        cell, text = [], []
        for i in range(args.runs):
            t = time.perf_counter()
            page.model.setData(idx, str(i % 7))
            app.processEvents()
            cell.append(time.perf_counter() - t)
        overview = window.editor.go_to_step("overview")
        app.processEvents()
        for _ in range(args.runs):
            t = time.perf_counter()
            overview.editor.insertPlainText("字")
            app.processEvents()
            text.append(time.perf_counter() - t)
        print(f"{label}: cell edit median {statistics.median(cell) * 1000:.1f} ms "
              f"(max {max(cell) * 1000:.1f}); keystroke in a text median "
              f"{statistics.median(text) * 1000:.1f} ms (max {max(text) * 1000:.1f})")
    window.session.save()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
