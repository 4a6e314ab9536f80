"""Time and size of the PDF export inside a process (targets: ≤ 0.25 s, ≤ 250 KB); the whole
``nianbao export`` process against LibreOffice is ``bench_docx_vs_libreoffice.py``.

    .venv/bin/python bench/bench_export.py [--runs 7]

"First export" runs in a fresh process each time, so it includes finding and loading the
fonts (the cost a clerk pays on the first export after starting the program) as well as
laying out, subsetting and writing. "Later exports" repeat the export in one process,
where the fonts are already loaded. The import of the modules (reportlab's PDF writer, the
validator) is measured apart. Each figure is the CPU time of the step (what the process
itself needs) and its wall time (which swells with other work on the machine: the load
average is printed). Compiled files are used as in a real install. Figures are printed,
never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
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
def now():
    return time.process_time(), time.perf_counter()
def since(t):
    c, w = now()
    return c - t[0], w - t[1]
t = now()
from app import exchange
from app.pdf import export_pdf
import app.pdf.document, app.rules
times = [since(t)]
report = exchange.read_file(sys.argv[1])
for i in range(int(sys.argv[3])):
    t = now()
    export_pdf(report, sys.argv[2])
    times.append(since(t))
print(json.dumps(times))
"""


def run_child(report: Path, out: Path, repeats: int) -> tuple[list[float], list[list[float]]]:
    """((cpu, wall) of importing the program's modules, (cpu, wall) of each export) of one
    fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    res = subprocess.run([sys.executable, "-c", CHILD, str(report), str(out), str(repeats)],
                         capture_output=True, encoding="utf-8", check=True, cwd=ROOT, env=env)
    times = json.loads(res.stdout)
    return times[0], times[1:]


def line(label: str, pairs: list[list[float]]) -> str:
    cpu, wall = [p[0] for p in pairs], [p[1] for p in pairs]
    return (f"  {label:42s} CPU {statistics.median(cpu):.3f} s (min {min(cpu):.3f}), "
            f"wall {statistics.median(wall):.3f} s (min {min(wall):.3f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="fresh processes per report")
    args = ap.parse_args()
    print(f"medians of {args.runs} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        for name, report in REPORTS.items():
            out = Path(tmp) / "out.pdf"
            run_child(report, out, 1)                    # compiles the modules once
            cold = [run_child(report, out, 1) for _ in range(args.runs)]
            later = run_child(report, out, args.runs + 1)[1][1:]
            size = out.stat().st_size
            print(f"{name}:")
            print(line("importing the modules (reportlab, rules)", [c[0] for c in cold]))
            print(line("first export in a process (fonts loaded)", [c[1][0] for c in cold]))
            print(line("later exports, fonts already loaded", later))
            print(f"  file size: {size / 1024:.0f} KB ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
