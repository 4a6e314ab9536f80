"""The district desk on 1,000 units, whole processes: roster, last year's 1,000 reports,
ratios, year over year; the spreadsheet with the desk's sheets; the 问题清单 of 20 units
(~55 findings each) — against the plain sum of the same files as the anchor.

Run: ``.venv/bin/python bench/bench_district.py [count] [--runs N] [--tree DIR ...]``.
Writes the reports to a temporary folder first (not timed). Each run is a fresh process
(a real run starts cold: fonts, formats, caches) that times its stages in turn: the plain
sum (read + check + sum this year's files, the anchor), the desk reading this year's and
last year's files, its evaluation (roster matching, the carry rules, ratios, every cell
against last year), the spreadsheet without and with the desk's sheets, the 问题清单 of
20 units (.docx + .pdf). Prints each stage's median wall and CPU time.

``--tree`` a checkout of another version (e.g. ``git archive <commit> | tar -x -C DIR``)
to compare with: runs alternate between the trees, so both meet the same load.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import exchange  # noqa: E402
from bench.bench_aggregate import make_report  # noqa: E402

STAGES = ("plain sum", "desk read (both years)", "desk evaluate", "xlsx (summary sheets)",
          "xlsx with the desk's sheets", "问题清单 of 20 units")

PROBE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
folder, count = Path(sys.argv[2]), int(sys.argv[3])
from app.aggregate.summing import aggregate_entries, read_entries
from app.aggregate.save import save_aggregate
from app.aggregate.district import DeskInputs, evaluate, read_inputs
from app.aggregate.district_xlsx import add_district_sheets
from app.aggregate.feedback import write_feedback
from app.aggregate.roster import roster_from_names

out = {}
def stage(name, fn):
    w, c = time.perf_counter(), time.process_time()
    value = fn()
    out[name] = (time.perf_counter() - w, time.process_time() - c)
    return value

files = [folder / f"r{i:04d}.json" for i in range(count)]
previous = [folder / f"上年{i:04d}.json" for i in range(count)]
# a roster that names the units the way rosters do: the full name with 人民政府
roster = roster_from_names([f"第{i}镇人民政府" for i in range(count)], "名单")
inputs = DeskInputs(files, organ="某某区", roster=roster, previous=previous)
stage("plain sum", lambda: aggregate_entries(read_entries(files), "某某区"))
readings = stage("desk read (both years)", lambda: read_inputs(inputs))
result = stage("desk evaluate", lambda: evaluate(inputs, readings))
stage("xlsx (summary sheets)", lambda: save_aggregate(result.aggregate, folder / "plain.xlsx"))
stage("xlsx with the desk's sheets", lambda: save_aggregate(
    result.aggregate, folder / "desk.xlsx", lambda wb, look: add_district_sheets(wb, look, result)))
result.units = result.units[:20]
stage("问题清单 of 20 units", lambda: write_feedback(result, folder / "问题清单"))
print(json.dumps(out))
"""


def write_inputs(folder: Path, count: int) -> None:
    """This year's and last year's report of each unit (random numbers: many findings)."""
    rng = random.Random(1)
    for i in range(count):
        report = make_report(i, rng)
        exchange.write_file(report, folder / f"r{i:04d}.json")
        report.year -= 1
        exchange.write_file(report, folder / f"上年{i:04d}.json")


def probe(tree: Path, folder: Path, count: int) -> dict[str, tuple[float, float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(folder), str(count)],
                         capture_output=True, encoding="utf-8", env=env, check=False)
    if run.returncode != 0:
        raise SystemExit(f"{tree}: {run.stderr[-2000:]}")
    return json.loads(run.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", action="append", type=Path, help="other app tree(s) to compare")
    args = parser.parse_args()
    trees = [ROOT] + [t.resolve() for t in args.tree or []]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_inputs(folder, args.count)
        times: dict[Path, list[dict]] = {t: [] for t in trees}
        for _ in range(args.runs):
            for tree in trees:          # alternating, so both meet the same load
                times[tree].append(probe(tree, folder, args.count))
    load = os.getloadavg()[0]
    print(f"{args.count} units, {args.runs} runs each, median wall / CPU (load average now {load:.1f}):")
    for stage in STAGES:
        print(f"  {stage}:")
        for tree in trees:
            wall = statistics.median(r[stage][0] for r in times[tree])
            cpu = statistics.median(r[stage][1] for r in times[tree])
            print(f"    {'this tree' if tree == ROOT else str(tree):28} {wall:6.2f} s / {cpu:6.2f} s")
    for tree in trees:
        runs = times[tree]
        desk = statistics.median(r["desk read (both years)"][0] + r["desk evaluate"][0] for r in runs)
        plain = statistics.median(r["plain sum"][0] for r in runs)
        sheets = statistics.median(r["xlsx with the desk's sheets"][0] - r["xlsx (summary sheets)"][0]
                                   for r in runs)
        name = "this tree" if tree == ROOT else str(tree)
        print(f"  {name}: desk (both years read + evaluate) {desk:.2f} s = {desk / plain:.2f}x the plain sum "
              f"of this year's files ({plain:.2f} s); the desk's sheets add {sheets:.2f} s to the spreadsheet")


if __name__ == "__main__":
    main()
