"""The long fuzz run of every reader: many random mutated report files of each kind, each
aggregated between two good reports (see tests/fuzz_support.py for the promises checked).
The suite runs a bounded, derandomized version (tests/test_fuzz_inputs.py).

Run: .venv/bin/python bench/fuzz_inputs.py [--cases 500] [--kinds html txt ...] [--seed N]
Prints, per kind, the cases run, how many files were read or refused, the slowest case,
and every failure (Hypothesis's smallest example and the error); exit 1 on any failure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as fixed_seed  # noqa: E402

from fuzz_support import KINDS, check, mutated  # noqa: E402


def run(kind: str, cases: int, seed: int) -> tuple[Counter, float, list[str]]:
    outcomes: Counter = Counter()
    slowest = [0.0]
    failures: list[str] = []

    @settings(max_examples=cases, deadline=None, database=None, report_multiple_bugs=True,
              suppress_health_check=list(HealthCheck))
    @given(mutated(kind))
    def case(data: bytes) -> None:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="nianbao-fuzz-") as folder:
            outcomes[check(kind, data, Path(folder))] += 1
        slowest[0] = max(slowest[0], time.monotonic() - started)

    try:
        fixed_seed(seed)(case)()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        for one in getattr(exc, "exceptions", [exc]):
            failures.append(f"{type(one).__name__}: {one}"[:3000])
    return outcomes, slowest[0], failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500, help="cases per kind")
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    print(f"seed {args.seed}, up to {args.cases} cases per kind")
    total, failed = 0, 0
    for kind in args.kinds:
        started = time.monotonic()
        outcomes, slowest, failures = run(kind, args.cases, args.seed)
        ran = sum(outcomes.values())
        total += ran
        failed += len(failures)
        print(f"{kind:5} {ran:5} cases in {time.monotonic() - started:6.1f} s: "
              f"{outcomes['read']} read, {outcomes['refused']} refused; slowest {slowest:.2f} s; "
              f"{len(failures)} failures")
        for failure in failures:
            print("   ", failure.replace("\n", "\n    "))
    print(f"all: {total} cases, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
