"""The district desk on 1,000 units: roster, last year's 1,000 reports, ratios, year over
year, the district's own report — against the plain sum of the same files.

Run: ``.venv/bin/python bench/bench_district.py [count] [--runs N]``. Writes the reports
to a temporary folder first (not timed), then alternates the two kinds of run N times
(default 5) and prints each stage's median: the plain ``aggregate`` (read + validate +
sum) and the desk (read this year's and last year's files, then ``evaluate``: roster
matching, the carry rules, ratios, every cell against last year). Also times writing the
spreadsheet with the desk's sheets and the 问题清单 of 20 units.
"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import exchange
from app.aggregate import aggregate_entries, read_entries, save_aggregate
from app.district import DeskInputs, evaluate, read_inputs
from app.roster import roster_from_names
from bench.bench_aggregate import make_report


def write_inputs(folder: Path, count: int) -> DeskInputs:
    rng = random.Random(1)
    files, previous = [], []
    for i in range(count):
        report = make_report(i, rng)
        path = folder / f"r{i:04d}.json"
        exchange.write_file(report, path)
        files.append(path)
        report.year -= 1
        last = folder / f"上年{i:04d}.json"
        exchange.write_file(report, last)
        previous.append(last)
    # a roster that names the units the way rosters do: 简称 without the 镇
    roster = roster_from_names([f"第{i}镇人民政府" for i in range(count)], "名单")
    return DeskInputs(files, organ="某某区", roster=roster, previous=previous)


def plain(inputs: DeskInputs) -> dict[str, float]:
    t0 = time.perf_counter()
    aggregate_entries(read_entries(inputs.files), inputs.organ)
    return {"plain sum": time.perf_counter() - t0}


def desk(inputs: DeskInputs) -> dict[str, float]:
    t0 = time.perf_counter()
    readings = read_inputs(inputs)
    t1 = time.perf_counter()
    evaluate(inputs, readings)
    t2 = time.perf_counter()
    return {"desk read (both years)": t1 - t0, "desk evaluate": t2 - t1, "desk total": t2 - t0}


def main(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_inputs(Path(tmp), count)
        times: dict[str, list[float]] = {}
        for _ in range(runs):
            for fn in (plain, desk):
                for key, value in fn(inputs).items():
                    times.setdefault(key, []).append(value)
        for key, values in times.items():
            print(f"{count} units, {key}: median {statistics.median(values):.2f} s "
                  f"({', '.join(f'{v:.2f}' for v in values)})")
        outputs(inputs, Path(tmp))


def outputs(inputs: DeskInputs, folder: Path) -> None:
    from app.district_xlsx import add_district_sheets
    from app.feedback import write_feedback

    result = evaluate(inputs, read_inputs(inputs))
    t0 = time.perf_counter()
    save_aggregate(result.aggregate, folder / "sum.xlsx", lambda wb, look: add_district_sheets(wb, look, result))
    t1 = time.perf_counter()
    result.units = result.units[:20]
    write_feedback(result, folder / "问题清单")
    t2 = time.perf_counter()
    print(f"spreadsheet with the desk's sheets: {t1 - t0:.2f} s; 问题清单 of 20 units (.docx + .pdf): {t2 - t1:.2f} s")


if __name__ == "__main__":
    args = sys.argv[1:]
    runs = 5
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    main(int(args[0]) if args else 1000, runs)
