"""Check, in the Windows workflow (.github/workflows/windows.yml), what the frozen
nianbao-cli.exe exported into a folder with a Chinese name, as a district clerk would:

  python packaging/windows/check_exports.py FOLDER

FOLDER holds the 遵化店镇 report "遵化店镇 2020.json", its exports "遵化店镇 年报.pdf" and
"遵化店镇 年报.docx", each imported back by the frozen program to "<export>.json", and the
PDF exported without -o (named after the organ). Prints what it checked; exits 1 with the
reason at the first difference.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pypdf import PdfReader

TITLE = "平顶山高新技术产业开发区遵化店镇2020年政府信息公开工作年度报告"


def fail(message: str) -> None:
    print(f"check_exports: {message}", file=sys.stderr)
    sys.exit(1)


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check_pdf(path: Path) -> None:
    reader = PdfReader(path)
    text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))
    for words in (TITLE, "三、收到和处理政府信息公开申请情况", "政府集中采购", "4.0930"):
        if words not in text:
            fail(f"{path.name}: “{words}” not in the text")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" not in descriptor.get_object():
                    fail(f"{path.name}: font {font.get('/BaseFont')} is not embedded")
    print(f"{path.name}: {len(reader.pages)} pages, title, tables and 4.0930 present, fonts embedded")


def main(folder: Path) -> None:
    source = read_json(folder / "遵化店镇 2020.json")
    pdf, docx = folder / "遵化店镇 年报.pdf", folder / "遵化店镇 年报.docx"
    check_pdf(pdf)
    if read_json(folder / f"{pdf.name}.json") != source:
        fail(f"{pdf.name}: the data imported back differs from the report")
    back = read_json(folder / f"{docx.name}.json")
    for part in ("organ", "year", "tables", "texts"):
        if back[part] != source[part]:
            fail(f"{docx.name}: “{part}” read back differs from the report")
    print(f"{pdf.name}, {docx.name}: imported back unchanged")
    named = folder / f"{TITLE}.pdf"
    if not named.is_file():
        fail(f"export without -o did not write {named.name}")
    print(f"{named.name}: written by export without -o")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
