"""The window's background font loading: the longest event-loop stall, and the quit delay.

At start the window parses the PDF fonts in the background (``ui.font_preload``), so that
the first preview or export is quick. That work must neither freeze the window nor make
quitting wait. Both sides are whole processes, started alternately in the same run:

* nianbao, fonts parsed: the ``nianbao`` console script's entry (``ui.launcher.main`` with
  no arguments, an empty temporary draft folder) with an empty font cache
  (``NIANBAO_CACHE_DIR``), as at the first start on a machine: reportlab parses the fonts;
* nianbao, fonts cached: the same with the cache the first start left (every later start);
* nianbao with the font loading switched off (the bench replaces its start with nothing):
  what the window's own first paint and start page cost, so that the difference is what
  the font loading adds;
* the anchor: a QApplication and an empty QMainWindow shown (no font loading at all).

In each process a probe timer (1 ms, precise) runs from the first pass of the event loop
and records the longest gap between its ticks:

* stall: the loop runs 2.5 s (the font loading takes 0.2–1 s here): the longest gap;
* quit: the window is told to quit 50 ms after the loop starts (the font loading is under
  way): the time from that moment to the end of the process.

Compiled files are used as in a real install (``PYTHONDONTWRITEBYTECODE`` removed).

    python bench/bench_font_preload.py [--runs 9] [--platform offscreen|xcb]
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

CHILD = """\
import sys, time
from PySide6 import QtCore, QtWidgets

side, action = sys.argv[1], sys.argv[2]
original_exec = QtWidgets.QApplication.exec

def exec_with_probe(*args):
    app = QtWidgets.QApplication.instance()
    timer = QtCore.QTimer(app)
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    state = {"last": time.perf_counter(), "worst": 0.0}
    def tick():
        now = time.perf_counter()
        state["worst"] = max(state["worst"], now - state["last"])
        state["last"] = now
    timer.timeout.connect(tick)
    timer.start()
    def report_stall():
        fonts = sys.modules.get("app.pdf.fonts")
        parsed = len(fonts._LOADED) if fonts else 0
        print(f"STALL {state['worst']:.6f} {parsed}", flush=True)
        app.quit()
    def quit_now():
        print(f"QUIT {time.perf_counter():.6f}", flush=True)
        app.quit()
    if action == "stall":
        QtCore.QTimer.singleShot(2500, report_stall)
    else:
        QtCore.QTimer.singleShot(50, quit_now)
    return original_exec()

QtWidgets.QApplication.exec = exec_with_probe
if side == "nofonts":
    import ui.font_preload
    ui.font_preload.FontPreloader._start = lambda self: None
if side != "minimal":
    from ui.launcher import main
    sys.exit(main([]))
app = QtWidgets.QApplication(sys.argv[:1])
window = QtWidgets.QMainWindow()
window.resize(1280, 720)
window.show()
sys.exit(app.exec())
"""


def once(side: str, action: str, platform: str, cached: str) -> tuple[float, int]:
    """(stall or quit delay in seconds, fonts loaded by then) of one whole process;
    ``cached`` is the font cache of the side "cached" (the others start with none)."""
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as data:
        cache = cached if side == "cached" else os.path.join(data, "cache")
        env = dict(os.environ, NIANBAO_DATA_DIR=data, QT_QPA_PLATFORM=platform,
                   NIANBAO_CACHE_DIR=cache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        proc = subprocess.Popen([sys.executable, "-c", CHILD, side, action], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                encoding="utf-8")
        watchdog = threading.Timer(60, proc.kill)  # a window stuck on a dialog must not hang us
        watchdog.start()
        try:
            result = None
            for line in proc.stdout:
                word, *values = line.split()
                if word == "STALL":
                    result = (float(values[0]), int(values[1]))
                elif word == "QUIT":
                    proc.wait(timeout=30)
                    result = (time.perf_counter() - float(values[0]), -1)
            proc.wait(timeout=30)
        finally:
            watchdog.cancel()
        if result is None:
            raise RuntimeError(f"{side} {action}: no result (exit {proc.returncode})")
        return result


def describe(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):6.1f} ms (min {min(ms):6.1f}, max {max(ms):6.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--platform", default="offscreen" if not os.environ.get("DISPLAY") else "xcb")
    args = parser.parse_args()
    sides = {"parsed": "nianbao, fonts parsed        ", "cached": "nianbao, fonts cached        ",
             "nofonts": "nianbao without font loading", "minimal": "minimal PySide6 window      "}
    results: dict[tuple[str, str], list[float]] = {}
    loaded: dict[str, list[int]] = {"parsed": [], "cached": []}
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-cache-") as cached:
        for side in sides:  # compile, warm the file cache, fill the font cache of "cached"
            once(side, "stall" if side == "cached" else "quit", args.platform, cached)
        for _ in range(args.runs):
            for action in ("stall", "quit"):
                for side in sides:
                    value, fonts = once(side, action, args.platform, cached)
                    results.setdefault((side, action), []).append(value)
                    if side in loaded and action == "stall":
                        loaded[side].append(fonts)
    print(f"font loading in the background ({args.platform}, {args.runs} alternating runs each; "
          f"fonts loaded within 2.5 s: {min(loaded['parsed'])}–{max(loaded['parsed'])} parsed, "
          f"{min(loaded['cached'])}–{max(loaded['cached'])} from the cache):")
    for action, what in (("stall", "longest event-loop stall"), ("quit", "quit delay")):
        print(f"  {what}:")
        for side, label in sides.items():
            print(f"    {label} {describe(results[side, action])}")
        without, anchor = (statistics.median(results[side, action]) for side in ("nofonts", "minimal"))
        for side in ("parsed", "cached"):
            ours = statistics.median(results[side, action])
            print(f"    fonts {side}: font loading adds {1000 * (ours - without):+.1f} ms; "
                  f"nianbao / minimal window {ours / anchor:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
