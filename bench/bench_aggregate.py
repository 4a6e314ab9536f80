"""The district's 1,000 files: ``nianbao aggregate`` of 1,000 nianbao PDFs against the same
1,000 reports as JSON, and the spreadsheet on top (issue 17: PDFs ≤ 2 s and ≤ 1.2× the
JSON run; .xlsx ≤ +1 s).

Run: ``.venv/bin/python bench/bench_aggregate.py [count] [--runs N] [--dir DIR]``.
Writes ``count`` made-up reports (default 1,000) once as exchange JSON and once as the PDF
``nianbao export`` writes (not timed; ``--dir`` keeps them there for the next run), then
runs whole ``nianbao aggregate`` processes, the cases alternating run by run and their
order reversed every round (default 5 rounds after one warm-up round), and prints each
case's median wall and CPU time (user + system of the process: on a loaded machine the
wall time mostly waits for a core) with the ratio to the JSON run, then the medians of
each round's own ratio and difference: this machine's speed changes by a third within
minutes, which moves the medians of the cases apart but not much a round's runs, made
one after the other. ``PYTHONDONTWRITEBYTECODE`` is unset so that byte code is cached as
in a real install.
"""
from __future__ import annotations

import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import exchange  # noqa: E402
from app.report import Report  # noqa: E402

NIANBAO = ROOT / ".venv" / "bin" / "nianbao"


def make_report(i: int, rng: random.Random) -> Report:
    """A filled-in 2021 report of a made-up township with random numbers: the worst case
    for validation, since nearly every sum rule fails and writes its message."""
    r = Report.blank(f"第{i}镇", 2021)
    for ref in r.cells:
        kind = r.format.kind_of(ref)
        if kind == "money":
            r.cells[ref] = Decimal(rng.randrange(0, 10**9)) / Decimal(10**6)
        else:
            r.cells[ref] = rng.randrange(0, 20)
    r.texts = {"overview": "本年度共收到政府信息公开申请若干件。" * 5,
               "problems": "一是公开不够及时。二是解读形式单一。", "other": "未收取信息处理费。"}
    return r


def _export(job: tuple[int, str]) -> None:
    from app.pdf import export_pdf
    i, folder = job
    report = make_report(i, random.Random(i))
    exchange.write_file(report, Path(folder) / "json" / f"r{i:04d}.json")
    export_pdf(report, Path(folder) / "pdf" / f"r{i:04d}.pdf")


def write_inputs(folder: Path, count: int) -> tuple[list[Path], list[Path]]:
    """The same ``count`` reports as JSON and as nianbao PDFs (kept when already there)."""
    for kind in ("json", "pdf"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    todo = [(i, str(folder)) for i in range(count)
            if not (folder / "pdf" / f"r{i:04d}.pdf").exists()]
    if todo:
        print(f"writing {len(todo)} reports as JSON and PDF …", flush=True)
        with multiprocessing.Pool(2) as pool:
            pool.map(_export, todo, chunksize=20)
    return ([folder / "json" / f"r{i:04d}.json" for i in range(count)],
            [folder / "pdf" / f"r{i:04d}.pdf" for i in range(count)])


def run(files: list[Path], out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``nianbao aggregate`` process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code cached
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(NIANBAO), "aggregate", *map(str, files), "-o", str(out), "--force"],
                          capture_output=True, env=env)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"nianbao aggregate failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return wall, cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime


def main() -> None:
    args = sys.argv[1:]
    runs, keep = 5, None
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    if "--dir" in args:
        i = args.index("--dir")
        keep = Path(args[i + 1])
        del args[i:i + 2]
    count = int(args[0]) if args else 1000
    with tempfile.TemporaryDirectory() as tmp:
        jsons, pdfs = write_inputs(keep or Path(tmp), count)
        out = Path(tmp) / "out"
        out.mkdir()
        cases = {f"{count} JSON → .json": (jsons, out / "j.json"),
                 f"{count} PDF → .json": (pdfs, out / "p.json"),
                 f"{count} PDF → .xlsx": (pdfs, out / "p.xlsx")}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        load = os.getloadavg()[0]
        for i in range(runs + 1):
            order = list(cases.items())   # the cases alternate, their order reversed every round
            for name, (files, target) in order if i % 2 else order[::-1]:
                t = run(files, target)
                if i:  # the first round only warms the byte-code and file caches
                    times[name].append(t)
        load = (load + os.getloadavg()[0]) / 2
    wall = {name: statistics.median(w for w, _ in t) for name, t in times.items()}
    cpu = {name: statistics.median(c for _, c in t) for name, t in times.items()}
    base = f"{count} JSON → .json"
    print(f"nianbao aggregate, whole processes, median of {runs} alternating runs "
          f"(load average ≈ {load:.1f} on {os.cpu_count()} cores):")
    for name in cases:
        walls = [w for w, _ in times[name]]
        print(f"  {name}: {wall[name]:.2f} s wall (min {min(walls):.2f}, max {max(walls):.2f}; "
              f"{wall[name] / wall[base]:.2f}×), {cpu[name]:.2f} s CPU ({cpu[name] / cpu[base]:.2f}×)")
    pdf, xlsx = f"{count} PDF → .json", f"{count} PDF → .xlsx"
    for kind, m in (("wall", wall), ("CPU", cpu)):
        print(f"  {kind}: PDFs {m[pdf]:.2f} s vs JSON {m[base]:.2f} s = {m[pdf] / m[base]:.2f}× "
              f"(goal ≤ 2 s, ≤ 1.2×); .xlsx instead of .json +{m[xlsx] - m[pdf]:.2f} s (goal ≤ +1 s)")
    print(f"  the same from each round's own runs (a machine whose speed changes within minutes moves "
          f"the medians above, not these): wall {_paired(times, base, pdf, xlsx, 0)}, "
          f"CPU {_paired(times, base, pdf, xlsx, 1)}")


def _paired(times: dict[str, list[tuple[float, float]]], base: str, pdf: str, xlsx: str, at: int) -> str:
    """The medians of each round's PDF/JSON ratio and .xlsx − .json difference: the runs of
    one round follow one another, so they ran at the same speed of the machine."""
    rounds = list(zip(times[base], times[pdf], times[xlsx]))
    ratio = statistics.median(p[at] / j[at] for j, p, _ in rounds)
    extra = statistics.median(x[at] - p[at] for _, p, x in rounds)
    return f"{ratio:.2f}×, +{extra:.2f} s"


if __name__ == "__main__":
    main()
