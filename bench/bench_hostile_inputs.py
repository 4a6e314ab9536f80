"""Time and memory of reading hostile files: work bounded by size, not by luck.

Each file is made here and read by a fresh process (``nianbao import``'s reader,
``app.importer.import_file``), alternating between the trees given, so that the
before/after of a change is measured on the same files under the same load. Prints the
median wall time, the peak memory (max RSS) and what the reader said.

Run: .venv/bin/python bench/bench_hostile_inputs.py [--tree DIR ...] [--runs 3]
(``--tree`` a checkout of another version, e.g. ``git archive 28b811f | tar -x -C /tmp/before``,
the last commit before the limits; default: this one).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files as hf  # noqa: E402

PROBE = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from app.importer import import_file
started = time.perf_counter()
try:
    result = import_file(sys.argv[2])
    said = f"read ({len(result.problems)} problems)"
except Exception as exc:
    said = f"{type(exc).__name__}: {str(exc)[:70]}"
try:   # ru_maxrss keeps the parent's peak across fork and exec on Linux; VmHWM does not
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"s": time.perf_counter() - started, "said": said, "rss": peak / 1024}))
"""


def files(folder: Path) -> dict[str, Path]:
    """name → path of each hostile file."""
    txt = hf.report_txt()
    made = {
        "spans.html (38 KB, merged cells ×3600)": hf.spans_html(),
        "spans2.html (75 KB)": hf.spans_html().replace(b"</table>", b"</table><table>"
                                                       + hf.spans_html().split(b"<table>")[1], 1),
        "bomb.docx (→ 256 MB)": hf.bomb_docx(256),
        "lines.txt (2 MB, 1 char a line)": (txt + "字\n" * 700_000).encode(),
        "markup.html (19 MB of spans)": (b"<h1>\xe6\x9f\x90\xe9\x95\x87</h1><p>"
                                         + b'<span style="font-family:SimSun">x</span>' * 450_000 + b"</p>"),
        "number.txt (5,000 digits)": txt.replace("\t12\t4.093", "\t" + "9" * 5000 + "\t4.093").encode(),
        "flate-bomb.pdf (1 MB → 1 GiB)": hf.flate_bomb_pdf(1024),
        "lzw-bomb.pdf (0.8 MB → 1 GiB)": hf.lzw_bomb_pdf(1024),
    }
    out = {}
    for n, (name, data) in enumerate(made.items()):
        path = folder / f"{n}{Path(name.split()[0]).suffix}"
        path.write_bytes(data)
        out[name] = path
    return out


def probe(tree: Path, path: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(path)], capture_output=True,
                         text=True, encoding="utf-8", timeout=600)
    if run.returncode != 0:
        return {"s": float("nan"), "rss": float("nan"), "said": f"process failed: {run.stderr[-120:]}"}
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, help="app tree(s) to compare")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in files(Path(tmp)).items():
            print(f"{name}  [{path.stat().st_size / 1024:.0f} KB]")
            results: dict[Path, list[dict]] = {t: [] for t in trees}
            for _ in range(args.runs):
                for tree in trees:          # alternating, so both meet the same load
                    results[tree].append(probe(tree, path))
            for tree, runs in results.items():
                wall = statistics.median(r["s"] for r in runs)
                rss = max(r["rss"] for r in runs)
                print(f"   {str(tree):40} {wall:7.2f} s  {rss:6.0f} MB  {runs[-1]['said']}")
            time.sleep(0.1)


if __name__ == "__main__":
    main()
