"""How long one autosave of a full report takes with 1 and with 500 drafts in the store.

Target (issue 3): median ≤ 20 ms in both cases, and no growth with the number of drafts.
Each draft has 50 history revisions, as after long use. The 500-draft store is made by
building one draft through the store (50 saves) and copying its folder 499 times (the
store treats a copied folder as its own draft; opening the store then indexes them all),
which gives the same files on disk as 25,000 real saves in a fraction of the time.

Run: .venv/bin/python bench/bench_store.py [--saves 200]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from app import exchange
from app.draft import Draft
from app.store import HISTORY_LIMIT, DraftStore

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "fixtures" / "reports" / "2021-pingtan-zone.json"


def build(folder: Path, drafts: int) -> str:
    """A store with ``drafts`` drafts of 50 revisions each; returns one draft's id."""
    report = exchange.read_file(REPORT)
    with DraftStore.open(folder, history_interval=0, backup_interval=0) as store:
        first = store.create(report, {"step": 3})
        for n in range(HISTORY_LIMIT - 1):
            report.texts["other"] = f"第 {n} 次修改"
            store.save(first, report)
    for n in range(1, drafts):
        shutil.copytree(folder / "drafts" / first, folder / "drafts" / f"{n:08x}")
    return first


def disk_size(folder: Path) -> tuple[int, int, int]:
    """Number of files, their total size, and the space allocated for them (POSIX blocks)."""
    stats = [p.stat() for p in folder.rglob("*") if p.is_file()]
    allocated = sum(getattr(st, "st_blocks", 0) * 512 for st in stats)
    return len(stats), sum(st.st_size for st in stats), allocated


def time_saves(folder: Path, draft: str, saves: int, history_interval: float,
               with_previous: bool = False) -> list[float]:
    """Saves as the window makes them: the whole Draft (with last year's report in it, as
    after 从上年报告新建, when ``with_previous``)."""
    report = exchange.read_file(REPORT)
    content = Draft(report, previous=exchange.read_file(REPORT) if with_previous else None)
    timings = []
    with DraftStore.open(folder, history_interval=history_interval) as store:
        for n in range(saves):
            report.texts["overview"] = f"正在输入……{n}"
            start = time.perf_counter()
            store.save(draft, content)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_open_and_list(folder: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    store = DraftStore.open(folder)
    opened = time.perf_counter()
    infos = store.drafts()
    listed = time.perf_counter()
    store.close()
    return (opened - start) * 1000, (listed - opened) * 1000, len(infos)


def disk_floor(folder: Path, size: int, count: int) -> list[float]:
    """The least any crash-safe save can cost here: one atomic_write_bytes of ``size`` bytes."""
    from app.store.atomic_storage import atomic_write_bytes
    timings = []
    for n in range(count):
        start = time.perf_counter()
        atomic_write_bytes(folder / "floor.json", bytes([n % 256]) * size)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_open_after_crash(folder: Path) -> float:
    """Opening after a crash reads every draft file (the index is not trusted then)."""
    index = folder / "index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["meta"]["1"]["in_use"] = True
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    DraftStore.open(folder).close()
    return (time.perf_counter() - start) * 1000


def describe(ms: list[float]) -> str:
    ordered = sorted(ms)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"median {statistics.median(ms):6.2f} ms   p90 {p90:6.2f} ms   max {max(ms):6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    print(f"report: {REPORT.name} ({len(exchange.dumps(exchange.read_file(REPORT)))} bytes as JSON); "
          f"{args.saves} saves per case; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        print("disk floor (write+fsync, rename, fsync folder; 9 KB): "
              + describe(disk_floor(Path(tmp), 9000, args.saves)))
    for drafts in (1, 500):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            start = time.perf_counter()
            draft = build(folder, drafts)
            time_open_and_list(folder)  # indexes the copied folders
            built = time.perf_counter() - start
            files, size, allocated = disk_size(folder)
            open_ms, list_ms, listed = time_open_and_list(folder)
            print(f"\n{drafts} draft(s) × {HISTORY_LIMIT} revisions: {files} files, "
                  f"{size / 1024 / 1024:.1f} MB ({allocated / 1024 / 1024:.1f} MB allocated on disk; "
                  f"built in {built:.1f} s)")
            print(f"  open store       {open_ms:7.1f} ms   list() {list_ms:6.1f} ms ({listed} drafts)"
                  f"   open after a crash {time_open_after_crash(folder):.0f} ms")
            autosave = time_saves(folder, draft, args.saves, history_interval=60)
            print(f"  autosave (a revision at most once a minute):  {describe(autosave)}")
            every = time_saves(folder, draft, args.saves, history_interval=0)
            print(f"  save that also writes a history revision:     {describe(every)}")
            kept = time_saves(folder, draft, args.saves, history_interval=60, with_previous=True)
            print(f"  autosave of a draft keeping last year's report: {describe(kept)}")


if __name__ == "__main__":
    main()
