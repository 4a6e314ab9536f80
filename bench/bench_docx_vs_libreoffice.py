"""Our PDF export against the other way a district gets a PDF: LibreOffice converting our
.docx. Both sides are whole processes, as a clerk or a script runs them, alternated in the
same run so that the machine's load falls on both alike; medians are printed.

- ``nianbao export r.json -o r.pdf``: the console script, Python start-up, imports,
  fonts, layout and the file (goal: ≤ 0.6 s and ≤ 0.2× LibreOffice);
- ``soffice --headless --convert-to pdf r.docx`` of the same report's .docx (made by our
  Word export beforehand; LibreOffice's profile is created once before and not counted).

Compiled files are used as in a real install (``PYTHONDONTWRITEBYTECODE`` is removed from
the children's environment). CPU time (user + system of each process and its children) is
the primary figure: on a machine shared with other work the wall time swells with the load
(printed with it), the CPU time much less. Needs LibreOffice (``apt-get install -y
--no-install-recommends libreoffice-writer-nogui``); says so and exits 2 without it.

Run: ``.venv/bin/python bench/bench_docx_vs_libreoffice.py [--runs 7] [report.json]``
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests/fixtures/reports/2020-zunhuadian-town.json"


def nianbao_command() -> list[str]:
    """The installed console script beside this Python, else ``python -m app.cli``."""
    script = Path(sys.executable).with_name("nianbao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


CPU: dict[str, list[float]] = {}
"""CPU seconds (user + system) of each side's processes: on a machine shared with other
work the wall time swells; the CPU time shows what the process itself needs."""


def run(cmd: list[str], env: dict[str, str], side: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, timeout=300, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(side, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(REPORT))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not shutil.which("soffice"):
        print("LibreOffice is not installed (no `soffice` on PATH); install it with\n"
              "  apt-get install -y --no-install-recommends libreoffice-writer-nogui", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docx, pdf = work / "r.docx", work / "ours.pdf"
        ours = nianbao_command() + ["export", args.report, "-o", str(pdf), "--force"]
        lo = ["soffice", f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
              "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]
        run(nianbao_command() + ["export", args.report, "-o", str(docx)], env)
        run(lo, env)            # LibreOffice's first start makes its profile: not counted
        run(ours, env)          # compiles the modules once, as an installer would
        ours_times, lo_times = [], []
        for _ in range(args.runs):
            ours_times.append(run(ours, env, "ours"))
            lo_times.append(run(lo, env, "lo"))
        if not (work / "lo" / "r.pdf").is_file():
            raise SystemExit("LibreOffice did not write a PDF")
    a, b = statistics.median(ours_times), statistics.median(lo_times)
    ca, cb = statistics.median(CPU["ours"]), statistics.median(CPU["lo"])
    print(f"report: {Path(args.report).name}; {args.runs} alternating runs of whole processes")
    print("CPU time (user+system), medians:")
    print(f"  nianbao export r.json -o r.pdf    {ca * 1000:6.0f} ms "
          f"(min {min(CPU['ours']) * 1000:.0f}, max {max(CPU['ours']) * 1000:.0f})")
    print(f"  soffice --convert-to pdf r.docx   {cb * 1000:6.0f} ms "
          f"(min {min(CPU['lo']) * 1000:.0f}, max {max(CPU['lo']) * 1000:.0f})")
    print(f"  ratio nianbao / LibreOffice: {ca / cb:.2f}× (goal ≤ 0.2×)")
    print(f"wall time, medians (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, "
          f"{os.cpu_count()} cores):")
    print(f"  nianbao export r.json -o r.pdf    {a * 1000:6.0f} ms "
          f"(min {min(ours_times) * 1000:.0f}, max {max(ours_times) * 1000:.0f}; goal ≤ 600 ms)")
    print(f"  soffice --convert-to pdf r.docx   {b * 1000:6.0f} ms "
          f"(min {min(lo_times) * 1000:.0f}, max {max(lo_times) * 1000:.0f})")
    print(f"  ratio nianbao / LibreOffice: {a / b:.2f}× (goal ≤ 0.2×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
