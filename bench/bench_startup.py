"""Time from process start to the first window shown: nianbao against a minimal PySide6 window.

Both sides are whole processes, started alternately in the same run:

* nianbao: the ``nianbao`` console script's entry (``ui.launcher.main`` with no arguments)
  with an empty draft store made beforehand (as at every start but the very first); the
  window prints a marker from the first pass of the event loop after it is shown, and quits;
* the anchor: a QApplication and an empty QMainWindow shown, the same marker, the same quit.

Prints the medians and their ratio (goal, issue 17: ≤ 1.3×). Compiled files are used as
in a real install (``PYTHONDONTWRITEBYTECODE`` is removed from the children's environment).

    python bench/bench_startup.py [--runs 15] [--platform offscreen|xcb]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = "import sys; from ui.launcher import main; sys.exit(main([]))"
MINIMAL = """\
import sys
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication(sys.argv[:1])
window = QtWidgets.QMainWindow()
window.setWindowTitle("minimal")
window.resize(1280, 720)
window.show()
QtCore.QTimer.singleShot(0, lambda: (print("WINDOW_SHOWN", flush=True), app.quit()))
sys.exit(app.exec())
"""


def once(code: str, platform: str, data: str) -> float:
    """Seconds from starting the process to its WINDOW_SHOWN line."""
    env = dict(os.environ, NIANBAO_DATA_DIR=data, NIANBAO_BENCH_STARTUP="1",
               QT_QPA_PLATFORM=platform)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            encoding="utf-8")
    watchdog = threading.Timer(60, proc.kill)  # a window stuck on a dialog must not hang us
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--platform", default="offscreen" if not os.environ.get("DISPLAY") else "xcb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as data:
        for code in (NIANBAO, MINIMAL):  # make the store, compile, warm the file cache
            once(code, args.platform, data)
        ours, anchor = [], []
        for _ in range(args.runs):
            ours.append(once(NIANBAO, args.platform, data))
            anchor.append(once(MINIMAL, args.platform, data))
    mine, base = statistics.median(ours), statistics.median(anchor)
    print(f"start to first window ({args.platform}, {args.runs} alternating runs each):")
    print(f"  nianbao               median {mine:.3f} s (min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"  minimal PySide6 window median {base:.3f} s (min {min(anchor):.3f}, max {max(anchor):.3f})")
    print(f"  ratio {mine / base:.2f}× (goal ≤ 1.3×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
