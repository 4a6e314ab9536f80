"""Aggregate 1,000 reports: read the JSON files, validate each, sum (target ≤ 2 s).

Run: ``.venv/bin/python bench/bench_aggregate.py [count] [--pdf N]``. Prints the time of
each stage and the whole; writes the reports to a temporary folder first (not timed).
``--pdf N`` also times N nianbao PDFs (read by their embedded data) and N copies of the
published web page of the fixtures (imported), to show what other inputs cost per file.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import exchange  # noqa: E402
from app.aggregate import aggregate_entries, read_entries  # noqa: E402
from app.aggregate_xlsx import write_xlsx  # noqa: E402
from app.report import Report  # noqa: E402


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


def main(count: int = 1000) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(count):
            p = Path(tmp) / f"r{i:04d}.json"
            exchange.write_file(make_report(i, rng), p)
            paths.append(p)
        t0 = time.perf_counter()
        entries = read_entries(paths)
        t1 = time.perf_counter()
        agg = aggregate_entries(entries, "某某区")
        t2 = time.perf_counter()
        write_xlsx(agg, Path(tmp) / "sum.xlsx")
        t3 = time.perf_counter()
    print(f"{count} JSON reports: read+validate {t1 - t0:.3f} s, sum {t2 - t1:.3f} s, "
          f"total {t2 - t0:.3f} s (target ≤ 2 s); xlsx {t3 - t2:.3f} s")


def other_inputs(n: int) -> None:
    """Per-file cost of nianbao PDFs and published web pages."""
    import shutil

    from app.pdf import export_pdf

    rng = random.Random(2)
    page = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reports" / "2021-pingtan-zone.html"
    with tempfile.TemporaryDirectory() as tmp:
        pdfs, pages = [], []
        for i in range(n):
            p = Path(tmp) / f"r{i:04d}.pdf"
            export_pdf(make_report(i, rng), p, draft=True)
            pdfs.append(p)
            q = Path(tmp) / f"p{i:04d}.html"
            shutil.copy(page, q)
            pages.append(q)
        for name, paths in (("nianbao PDF", pdfs), ("web page (.html, 366 KB)", pages)):
            t0 = time.perf_counter()
            aggregate_entries(read_entries(paths))
            dt = time.perf_counter() - t0
            print(f"{n} {name}: {dt:.3f} s ({dt / n * 1000:.1f} ms per file)")


if __name__ == "__main__":
    args = sys.argv[1:]
    pdf_n = 0
    if "--pdf" in args:
        i = args.index("--pdf")
        pdf_n = int(args[i + 1])
        del args[i:i + 2]
    main(int(args[0]) if args else 1000)
    if pdf_n:
        other_inputs(pdf_n)
