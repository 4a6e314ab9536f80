"""Make the PDF corpus of tests/fixtures/corpus/: the fixtures' reports as PDFs made by
other programs, to test the PDF import on producers other than WPS.

- ``*-libreoffice.pdf``: LibreOffice (soffice --headless --convert-to pdf) converting the
  program's own Word export of the fixture's .json;
- ``2021-pingtan-zone-chromium.pdf``: Chromium (--headless --print-to-pdf) printing the
  saved web page (the only fixture published as a page); ``--all`` also prints the pages
  of tests/report_pages.py for the other fixtures (~250 KB each, not committed);
- ``2020-zunhuadian-town-chromium-a4.pdf``: Chromium printing that fixture's page on A4
  with 40 mm margins: tables with double borders, and a row split over a page break
  with its label on both pages and no closing lines;
- ``2020-zunhuadian-town-chromium-a4-m10.pdf`` (A4, 10 mm margins): 六、其他需要报告的事项
  at the top of a page, after a sentence that fills its line, no indent;
- ``2022-sanming-city-chromium-a5-m20.pdf`` (A5, 20 mm margins): double borders; a row of
  三、 split over a page break whose double border is drawn as two lines on one page and
  read as one on the other, and pages that do not draw the same column lines.

scripts/check_chromium_prints.py prints all four fixtures at 18 page sizes and margins and
in 8 styles (104 PDFs, not committed) and compares each with its .json.

Each PDF's numbers are those of ``tests/fixtures/reports/<name>.json``. Run once (needs
the Debian packages libreoffice-writer-nogui and chromium, ~3 s a PDF); the PDFs are
committed so that CI needs neither program:

    .venv/bin/python scripts/make_pdf_corpus.py
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import exchange  # noqa: E402
from app.docx_export import export_docx  # noqa: E402

REPORTS = ROOT / "tests" / "fixtures" / "reports"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
NAMES = ["2020-zunhuadian-town", "2021-pingtan-zone", "2022-sanming-city", "2024-huaian-city"]


def libreoffice(name: str, work: Path) -> None:
    report = exchange.read_file(REPORTS / f"{name}.json")
    report.date = dt.date(report.year + 1, 1, 20)
    docx = work / f"{name}-libreoffice.docx"
    export_docx(report, docx)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                   check=True, capture_output=True, timeout=300)
    shutil.copy(work / f"{name}-libreoffice.pdf", CORPUS / f"{name}-libreoffice.pdf")


def chromium(name: str, work: Path, page_css: str = "", suffix: str = "", out_dir: Path = CORPUS) -> Path:
    page = REPORTS / f"{name}.html"
    if not page.exists():
        from tests.report_pages import render_html
        page = work / f"{name}.html"
        page.write_bytes(render_html(exchange.read_file(REPORTS / f"{name}.json")))
    if page_css:
        styled = work / f"{name}{suffix}.html"
        styled.write_bytes(page.read_bytes().replace(b"</head>", f"<style>{page_css}</style></head>".encode(), 1))
        page = styled
    out = out_dir / f"{name}-chromium{suffix}.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", page.as_uri()], check=True, capture_output=True, timeout=300)
    return out


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in NAMES:
            libreoffice(name, Path(tmp))
            if name == "2021-pingtan-zone" or "--all" in sys.argv:
                chromium(name, Path(tmp))
        chromium("2020-zunhuadian-town", Path(tmp), "@page { size: A4; margin: 40mm }", "-a4")
        chromium("2020-zunhuadian-town", Path(tmp), "@page { size: A4; margin: 10mm }", "-a4-m10")
        chromium("2022-sanming-city", Path(tmp), "@page { size: A5; margin: 20mm }", "-a5-m20")
    for pdf in sorted(CORPUS.glob("*.pdf")):
        print(f"{pdf.name}: {pdf.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
