"""Print the four fixtures with Chromium under many page sizes and margins, import each
PDF and compare every cell and every text section (whitespace ignored) with the fixture's
.json. Prints one line per PDF and the differences; exit status 1 when any PDF differs.

The committed corpus (tests/fixtures/corpus/) holds a few of these prints; this check
covers the others without committing ~250 KB a PDF. Needs chromium (~3 s a PDF):

    .venv/bin/python scripts/check_chromium_prints.py [--keep DIR] [--only SUBSTRING] [--sweep] [--collapse]

104 prints by default: 18 page sizes and margins, and 8 styles of the page's text and tables.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import exchange  # noqa: E402
from app.importer import import_file  # noqa: E402
from app.importer.result import ImportFailure  # noqa: E402
from scripts.make_pdf_corpus import NAMES, REPORTS, chromium  # noqa: E402

PAGES = [
    ("a4-m10", "size: A4; margin: 10mm"),
    ("a4-m15", "size: A4; margin: 15mm"),
    ("a4-m20", "size: A4; margin: 20mm"),
    ("a4-m25", "size: A4; margin: 25mm"),
    ("a4-m30", "size: A4; margin: 30mm"),
    ("a4-m37", "size: A4; margin: 37mm 28mm 35mm 26mm"),
    ("letter-m15", "size: Letter; margin: 15mm"),
    ("letter-m25", "size: Letter; margin: 25mm"),
    ("a5-m12", "size: A5; margin: 12mm"),
    ("a5-m20", "size: A5; margin: 20mm"),
    ("a4-m40", "size: A4; margin: 40mm"),
    ("a4l-m10", "size: A4 landscape; margin: 10mm"),
    ("a4l-m20", "size: A4 landscape; margin: 20mm"),
    ("b5-m20", "size: B5; margin: 20mm"),
    ("a5-m30", "size: A5; margin: 30mm"),
    ("a5l-m15", "size: A5 landscape; margin: 15mm"),
    ("letterl-m15", "size: Letter landscape; margin: 15mm"),
    ("legal-m20", "size: Legal; margin: 20mm"),
]
STYLES = [  # the page's own text set otherwise: indents, type sizes, line spacing
    ("a4-indent", "size: A4; margin: 25mm", "p { text-indent: 2em }"),
    ("a4-f16", "size: A4; margin: 25mm", "body { font-size: 16pt }"),
    ("a5-f9", "size: A5; margin: 15mm", "body { font-size: 9pt }"),
    ("a4-lh2", "size: A4; margin: 25mm", "p, td { line-height: 2 }"),
    ("a4-justify", "size: A4; margin: 20mm", "p { text-align: justify }"),
    ("a4-collapse", "size: A4; margin: 20mm", "table { border-collapse: collapse }"),
    ("a5-collapse", "size: A5; margin: 15mm", "table { border-collapse: collapse }"),
    ("a4-serif", "size: A4; margin: 25mm", "body { font-family: serif }"),
]


SWEEP = [(f"{size.lower()}-s{mm}", f"size: {size}; margin: {mm}mm", "")
         for size in ("A4", "A5") for mm in range(9, 41, 2)]
"""``--sweep``: page breaks at many more places (128 prints, ~6 min); ``--collapse``: the
tables with single ruling lines (``border-collapse``) instead of the page's double borders."""


def compare(pdf: Path, name: str) -> list[str]:
    """What differs between the imported PDF and the fixture (empty: nothing)."""
    want = exchange.read_file(REPORTS / f"{name}.json")
    try:
        result = import_file(pdf)
    except ImportFailure as exc:
        return [f"not imported: {exc}"]
    got = result.report
    out = [f"cell {ref}: {got.cells.get(ref)!r} != {value!r}"
           for ref, value in want.cells.items() if got.cells.get(ref) != value]
    for key, text in want.texts.items():
        a, b = re.sub(r"\s", "", got.texts.get(key, "")), re.sub(r"\s", "", text)
        if a != b:
            k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            out.append(f"text {key}: differs at {k}: got …{a[max(0, k - 15):k + 25]}… "
                       f"want …{b[max(0, k - 15):k + 25]}…")
    if (got.organ, got.year, got.version) != (want.organ, want.year, want.version):
        out.append(f"cover: {(got.organ, got.year, got.version)}")
    out += [f"problem: {p}" for p in result.problems]
    return out


def main() -> int:
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    bad = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in NAMES:
            variants = SWEEP if "--sweep" in sys.argv else [(s, c, "") for s, c in PAGES] + STYLES
            if "--collapse" in sys.argv:   # single ruling lines instead of double borders
                variants = [(f"{s}-c", c, f"{st} table {{ border-collapse: collapse }}") for s, c, st in variants]
            for suffix, css, style in variants:
                if only not in f"{name}-{suffix}":
                    continue
                pdf = out_dir / f"{name}-chromium-{suffix}.pdf"
                if not (keep and pdf.exists()):
                    chromium(name, Path(tmp), f"@page {{ {css} }} {style}", f"-{suffix}", out_dir)
                diffs = compare(pdf, name)
                total += 1
                bad += bool(diffs)
                print(f"{'DIFF' if diffs else 'ok  '} {pdf.name}", flush=True)
                for d in diffs:
                    print(f"     {d}", flush=True)
    print(f"{bad} of {total} prints differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
