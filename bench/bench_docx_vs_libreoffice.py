"""Our PDF export against the other way a district gets a PDF: LibreOffice converting our .docx.

Prints, for the 遵化店镇 report (tests/fixtures/reports/2020-zunhuadian-town.json):
- our PDF export (``app.pdf.export_pdf``), first export in the process (fonts parsed) and
  the median of later ones;
- our Word export (``app.docx_export.export_docx``), median;
- ``soffice --headless --convert-to pdf`` of that .docx, median of cold runs (a new
  process each time, as a user or a script runs it; the profile is created beforehand and
  not counted);
- the ratio: LibreOffice's conversion time divided by our PDF export time.

Needs LibreOffice (``apt-get install --no-install-recommends libreoffice-writer``); says so
and exits 2 when ``soffice`` is missing. Run: .venv/bin/python bench/bench_docx_vs_libreoffice.py
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.docx_export import export_docx  # noqa: E402
from app.exchange import read_file  # noqa: E402

REPORT = ROOT / "tests/fixtures/reports/2020-zunhuadian-town.json"


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def soffice_convert(docx: Path, outdir: Path, profile: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
        check=True, capture_output=True, timeout=300,
    )
    if not (outdir / (docx.stem + ".pdf")).is_file():
        raise SystemExit("LibreOffice did not write a PDF")


def main(runs: int = 5) -> int:
    if not shutil.which("soffice"):
        print("LibreOffice is not installed (no `soffice` on PATH); install it with\n"
              "  apt-get install -y --no-install-recommends libreoffice-writer", file=sys.stderr)
        return 2
    try:
        from app.pdf import export_pdf
    except ImportError as exc:
        print(f"our PDF export is not available: {exc}", file=sys.stderr)
        return 2
    report = read_file(REPORT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdf, docx = work / "ours.pdf", work / "ours.docx"
        first_pdf = timed(lambda: export_pdf(report, pdf))
        pdf_times = [timed(lambda: export_pdf(report, pdf)) for _ in range(runs)]
        docx_times = [timed(lambda: export_docx(report, docx)) for _ in range(runs)]
        profile = work / "lo-profile"
        soffice_convert(docx, work / "warm", profile)  # creates the profile: not counted
        lo_times = [timed(lambda: soffice_convert(docx, work / "lo", profile))
                    for _ in range(runs)]
    ours = statistics.median(pdf_times)
    lo = statistics.median(lo_times)
    print(f"report: {REPORT.name}")
    print(f"our PDF export, first in process (fonts parsed): {first_pdf * 1000:8.1f} ms")
    print(f"our PDF export, median of {runs}:                {ours * 1000:8.1f} ms")
    print(f"our Word export, median of {runs}:               "
          f"{statistics.median(docx_times) * 1000:8.1f} ms")
    print(f"LibreOffice .docx → PDF, median of {runs} cold:  {lo * 1000:8.1f} ms")
    print(f"ratio LibreOffice / our PDF export (median):   {lo / ours:8.1f}×")
    print(f"ratio LibreOffice / our first PDF export:      {lo / first_pdf:8.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
