"""Import of a typical 6-page published PDF, and the PDF library choice.

Target (issue 11): ``nianbao import`` of a 6-page published PDF ≤ 1 s median, measured
as whole processes (start, read, match, write the JSON), runs alternating between the
cases, with the same report imported from its .json as the anchor (start-up and writing
without any PDF). Prints wall and CPU time (user + system of the process: on a loaded
machine the wall time mostly waits for a core) and the load average. Also times reading
the same PDF's characters and lines in-process with pypdfium2 (what the importer uses)
and with pdfplumber when it is installed (not a dependency).

Run: .venv/bin/python bench/bench_import.py [runs]
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = ROOT / ".venv" / "bin" / "nianbao"
CASES = {
    "WPS PDF, 6 pages (淮安)": ROOT / "tests/fixtures/reports/2024-huaian-city.pdf",
    "LibreOffice PDF (平潭)": ROOT / "tests/fixtures/corpus/2021-pingtan-zone-libreoffice.pdf",
    "Chromium PDF, 8 pages (平潭)": ROOT / "tests/fixtures/corpus/2021-pingtan-zone-chromium.pdf",
    "anchor: the 淮安 report as .json": ROOT / "tests/fixtures/reports/2024-huaian-city.json",
}


def process_runs(runs: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of each run of each case."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code cached
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            for name, pdf in CASES.items():  # alternate the cases run by run
                out = Path(tmp) / f"{i}.json"
                cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run([str(NIANBAO), "import", str(pdf), "-o", str(out), "--force"],
                               check=True, capture_output=True, env=env)
                wall = time.perf_counter() - t0
                cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
                if i:  # the first round only warms the byte-code cache
                    times[name].append((wall, cpu))
    return times


def library_times(pdf: Path, runs: int) -> dict[str, float]:
    code = {
        "pypdfium2": ("import pypdfium2 as p, sys\n"
                      "from app.importer.pdf_reader import read_pdf\n"
                      "read_pdf(open(sys.argv[1], 'rb').read())"),
        "pdfplumber": ("import pdfplumber, sys\n"
                       "with pdfplumber.open(sys.argv[1]) as pdf:\n"
                       "    [(p.chars, p.lines, p.rects, p.find_tables()) for p in pdf.pages]"),
    }
    out = {}
    for name, src in code.items():
        probe = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True)
        if probe.returncode:
            continue
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", src, str(pdf)], check=True, cwd=ROOT)
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    load = os.getloadavg()[0]
    results = process_runs(runs)
    load = (load + os.getloadavg()[0]) / 2
    print(f"nianbao import, whole process, median of {runs} alternating runs (target ≤ 1 s; "
          f"load average ≈ {load:.1f} on {os.cpu_count()} cores):")
    for name, runs_ in results.items():
        walls, cpus = [w for w, _ in runs_], [c for _, c in runs_]
        print(f"  {name}: {statistics.median(walls):.2f} s wall (min {min(walls):.2f}, "
              f"max {max(walls):.2f}), {statistics.median(cpus):.2f} s CPU")
    print("reading the 6-page WPS PDF in a fresh interpreter (import of the library included):")
    for name, t in library_times(CASES["WPS PDF, 6 pages (淮安)"], runs).items():
        print(f"  {name}: {t:.2f} s")


if __name__ == "__main__":
    main()
