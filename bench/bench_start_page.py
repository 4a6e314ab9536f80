"""The start page with 500 drafts against the start page with 1 draft (issue 17: ≤ 2×).

Two stores are made in temporary folders: one draft made through the store, and 500 (that
draft's folder copied 499 times; the first opening indexes the copies, as the store does
for any folder it finds). Then, alternately for the two stores, in the same run:

* whole process: the ``nianbao`` console script's entry (``ui.launcher.main``, no
  arguments) until its first window, the start page listing the drafts, is painted
  (``ui.first_paint``, as in ``bench/bench_startup.py``);
* in-process: the start page shown — ``DraftStore.open()``, the main window built (it
  lists the drafts on its start page), shown and painted — and, apart, the parts that
  depend on the number of drafts: ``DraftStore.open()``, ``drafts()`` and
  ``StartPage.set_drafts`` (the rows of the page).

Prints the medians and the ratios 500 : 1. Compiled files are used as in a real install
(``PYTHONDONTWRITEBYTECODE`` removed from the children's environment).

    python bench/bench_start_page.py [--runs 11] [--drafts 500]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import exchange  # noqa: E402
from app.store import DraftStore  # noqa: E402

REPORT = ROOT / "tests" / "fixtures" / "reports" / "2021-pingtan-zone.json"
WINDOW = "import sys; from ui.launcher import main; sys.exit(main([]))"


def build(folder: Path, drafts: int) -> None:
    """A store of ``drafts`` drafts, indexed (as after the first start that found them)."""
    with DraftStore.open(folder) as store:
        first = store.create(exchange.read_file(REPORT))
    for n in range(1, drafts):
        shutil.copytree(folder / "drafts" / first, folder / "drafts" / f"{n:08x}",
                        ignore=shutil.ignore_patterns("history"))
    with DraftStore.open(folder) as store:
        assert len(store.drafts()) == drafts


def whole_process(folder: Path) -> float:
    """Seconds from starting ``nianbao`` to its first window shown, with ``folder``'s drafts."""
    env = dict(os.environ, NIANBAO_DATA_DIR=str(folder), NIANBAO_BENCH_STARTUP="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", WINDOW], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, encoding="utf-8")
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        for line in proc.stdout:
            if line.startswith("WINDOW_SHOWN"):
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError("the window was never shown")
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
    return elapsed


def page_shown(folder: Path) -> float:
    """Seconds to open the store and show the main window's start page, painted."""
    from PySide6 import QtWidgets

    from ui.main_window import MainWindow
    start = time.perf_counter()
    store = DraftStore.open(folder)
    window = MainWindow(store)
    window.show()
    window.repaint()
    QtWidgets.QApplication.processEvents()
    elapsed = time.perf_counter() - start
    window.hide()
    store.close()
    window.deleteLater()
    QtWidgets.QApplication.processEvents()
    return elapsed


def in_process(folder: Path, page) -> tuple[float, float, float]:
    """(open, list, set_drafts) in seconds; the store is closed again afterwards."""
    start = time.perf_counter()
    store = DraftStore.open(folder)
    opened = time.perf_counter()
    infos = store.drafts()
    listed = time.perf_counter()
    page.set_drafts(infos)
    shown = time.perf_counter()
    store.close()
    return opened - start, listed - opened, shown - listed


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--drafts", type=int, default=500)
    args = parser.parse_args()
    from ui.app_setup import make_app
    from ui.start_page import StartPage
    make_app([])
    page = StartPage()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        os.environ["NIANBAO_CONFIG_DIR"] = str(Path(tmp) / "config")   # not the user's window size
        stores = {1: Path(tmp) / "one", args.drafts: Path(tmp) / "many"}
        for count, folder in stores.items():
            build(folder, count)
        window: dict[int, list[float]] = {n: [] for n in stores}
        shown: dict[int, list[float]] = {n: [] for n in stores}
        parts: dict[int, list[tuple[float, float, float]]] = {n: [] for n in stores}
        for folder in stores.values():   # compile, warm the file cache
            whole_process(folder)
            page_shown(folder)
        for _ in range(args.runs):
            for count, folder in stores.items():
                window[count].append(whole_process(folder))
                shown[count].append(page_shown(folder))
                parts[count].append(in_process(folder, page))
    few, many = 1, args.drafts
    print(f"start page with {many} drafts against 1 draft ({args.runs} alternating runs each, "
          f"{os.environ['QT_QPA_PLATFORM']}):")
    print(f"  whole process to the first window: {ms(window[many])} against {ms(window[few])}, "
          f"ratio {statistics.median(window[many]) / statistics.median(window[few]):.2f}× (goal ≤ 2×)")
    print(f"  in-process, store opened and start page shown: {ms(shown[many])} against "
          f"{ms(shown[few])}, ratio {statistics.median(shown[many]) / statistics.median(shown[few]):.2f}×")
    totals = {n: [sum(p) for p in parts[n]] for n in stores}
    print(f"  of which open + list + page rows: {ms(totals[many])} against {ms(totals[few])}")
    for i, name in enumerate(("DraftStore.open()", "list()", "StartPage.set_drafts")):
        print(f"    {name:22s} {ms([p[i] for p in parts[many]])} against {ms([p[i] for p in parts[few]])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
