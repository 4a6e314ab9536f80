"""Size and start time of the packaged program (target: ≤ 150 MB on disk).

Build first (packaging/build.sh), then:
    .venv/bin/python bench/bench_packaged.py [dist/nianbao]

Prints the folder's size (files counted once; PyInstaller's symlinks not followed), the
time from launching ``nianbao`` to its window being shown and Qt's event loop running
(offscreen, via the NIANBAO_SMOKE_QUIT hook of packaging/nianbao_entry.py: first run
and median of later runs), ``nianbao --version`` and a whole PDF export of the 遵化店镇 report.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests/fixtures/reports/2020-zunhuadian-town.json"


def wall(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, encoding="utf-8", env=env, cwd=cwd, timeout=120)
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return elapsed, result.stdout


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "dist" / "nianbao"
    exe = folder / ("nianbao.exe" if os.name == "nt" else "nianbao")
    if not exe.is_file():
        print(f"no build at {folder}: run packaging/build.sh first", file=sys.stderr)
        return 2
    files = [f for f in folder.rglob("*") if f.is_file() and not f.is_symlink()]
    size = sum(f.lstat().st_size for f in files)
    print(f"build: {folder}  {size / 2**20:.1f} MB in {len(files)} files (target ≤ 150 MB)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NIANBAO_DATA_DIR": tmp,
               "NIANBAO_SMOKE_QUIT": "1"}
        starts = [wall([str(exe)], env, tmp)[0] for _ in range(6)]
        _, out = wall([str(exe)], env, tmp)
        print(f"window start (offscreen, launch → event loop): first {starts[0]:.2f} s, "
              f"median of next 5 {statistics.median(starts[1:]):.2f} s")
        print(f"  program's own figure: {out.strip()}")
        versions = [wall([str(exe), "--version"], env, tmp)[0] for _ in range(5)]
        print(f"nianbao --version: median {statistics.median(versions):.2f} s")
        pdf = str(Path(tmp) / "r.pdf")
        exports = [wall([str(exe), "export", str(REPORT), "-o", pdf], env, tmp)[0]
                   for _ in range(3)]
        print(f"nianbao export 遵化店镇 → PDF (whole process): median {statistics.median(exports):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
