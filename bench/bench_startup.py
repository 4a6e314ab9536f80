"""Time from process start to the first window shown, for ``nianbao`` with no arguments.

Runs the real entry point (``app.cli.main`` → ``ui.main.run``) in fresh processes with
an empty temporary draft folder; the window prints a marker as soon as it is shown and
quits. Target: median ≤ 0.6 s on the development machine.

    python bench/bench_startup.py [--runs 15] [--platform offscreen|xcb]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

CODE = "import sys; from app.cli import main; sys.exit(main([]))"


def once(platform: str) -> float:
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as data:
        env = dict(os.environ, NIANBAO_DATA_DIR=data, NIANBAO_BENCH_STARTUP="1",
                   QT_QPA_PLATFORM=platform)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CODE], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, encoding="utf-8")
        for line in proc.stdout:
            if line.startswith("WINDOW_SHOWN"):
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError("the window was never shown")
        proc.wait(timeout=30)
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--platform", default="offscreen" if not os.environ.get("DISPLAY") else "xcb")
    args = parser.parse_args()
    once(args.platform)  # warm the file cache, as a second start on a user's PC would be
    times = [once(args.platform) for _ in range(args.runs)]
    print(f"startup to first window ({args.platform}, {args.runs} runs): "
          f"median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s "
          f"(target ≤ 0.6 s median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
