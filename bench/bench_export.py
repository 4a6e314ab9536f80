"""Time and size of the PDF export (targets: ≤ 0.25 s median, ≤ 250 KB).

    .venv/bin/python bench/bench_export.py [--runs 7]

"First export" runs in a fresh process each time, so it includes finding, parsing and
registering the fonts (the cost a clerk pays on the first export after starting the
program) as well as laying out, subsetting and writing. "Later exports" repeat the export
in one process, where the fonts are already loaded. Python's start-up and the import of
the modules (reportlab's layout engine, the validator) are measured apart. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "fixtures" / "reports"
REPORTS = {
    "遵化店镇 2020（2019 版格式）": SHARED / "2020-zunhuadian-town.json",
    "平潭综合实验区 2021（2021 版格式）": SHARED / "2021-pingtan-zone.json",
}
if not SHARED.is_dir():
    REPORTS = {"遵化店镇 2020（2019 版格式）": ROOT / "tests" / "fixtures" / "reports" / "2020-zunhuadian-town.json"}

CHILD = r"""
import json, sys, time
t = time.perf_counter()
from app import exchange
from app.pdf import export_pdf
import app.pdf.document, app.rules
imports = time.perf_counter() - t
report = exchange.read_file(sys.argv[1])
times = [imports]
for i in range(int(sys.argv[3])):
    t = time.perf_counter()
    export_pdf(report, sys.argv[2])
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""


def run_child(report: Path, out: Path, repeats: int) -> tuple[float, list[float]]:
    """(import time of the program's modules, export times) of one fresh process."""
    res = subprocess.run([sys.executable, "-c", CHILD, str(report), str(out), str(repeats)],
                         capture_output=True, encoding="utf-8", check=True, cwd=ROOT)
    times = json.loads(res.stdout)
    return times[0], times[1:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="fresh processes per report")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, report in REPORTS.items():
            out = Path(tmp) / "out.pdf"
            cold = [run_child(report, out, 1) for _ in range(args.runs)]
            imports = [c[0] for c in cold]
            first = [c[1][0] for c in cold]
            later = run_child(report, out, args.runs + 1)[1][1:]
            size = out.stat().st_size
            print(f"{name}:")
            print(f"  importing the program's modules (reportlab, rules): median {statistics.median(imports):.3f} s")
            print(f"  first export in a process (fonts loaded): median {statistics.median(first):.3f} s"
                  f"  (min {min(first):.3f}, max {max(first):.3f}, {args.runs} runs)")
            print(f"  later exports, fonts already loaded:     median {statistics.median(later):.3f} s"
                  f"  (min {min(later):.3f}, max {max(later):.3f})")
            print(f"  file size: {size / 1024:.0f} KB ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
