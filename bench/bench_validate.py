"""Full validation of a whole report, as the wizard runs it after every keystroke.

Target (issue 2): ≤ 2 ms median on this machine. Run: .venv/bin/python bench/bench_validate.py
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from app import exchange  # noqa: E402
from app.rules import validate  # noqa: E402
from factories import consistent_report  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "tests/fixtures/reports/2021-pingtan-zone.json"


def median_ms(fn, runs: int = 2000) -> float:
    fn()  # warm the per-format caches, as the running app would have
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    cases = {
        "2021 published report (平潭, long texts)": exchange.read_file(FIXTURE),
        "2019 random full report": consistent_report("2019", random.Random(1), big=True),
        "2021 random full report": consistent_report("2021", random.Random(2), big=True),
    }
    prev = consistent_report("2021", random.Random(3))
    print("full validation, median of 2000 runs (target ≤ 2 ms):")
    for name, report in cases.items():
        print(f"  {name:<36} {median_ms(lambda: validate(report)):.3f} ms")
    report = cases["2021 random full report"]
    print(f"  {'2021 with last year (carry rules)':<36} "
          f"{median_ms(lambda: validate(report, prev)):.3f} ms")


if __name__ == "__main__":
    main()
