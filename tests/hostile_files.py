"""Damaged and hostile input files, made by the tests themselves (shared by the tests of
each file, the fuzz test and ``bench/bench_hostile.py``)."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from app import exchange
from app.docx_export import build_document

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "fixtures" / "reports"
ZUNHUADIAN_JSON = REPORTS / "2020-zunhuadian-town.json"
ZUNHUADIAN_TXT = REPORTS / "2020-zunhuadian-town.txt"
PINGTAN_JSON = REPORTS / "2021-pingtan-zone.json"
PINGTAN_HTML = REPORTS / "2021-pingtan-zone.html"


def report_json(source: Path = ZUNHUADIAN_JSON) -> str:
    return source.read_text(encoding="utf-8")


def report_txt() -> str:
    return ZUNHUADIAN_TXT.read_text(encoding="utf-8")


def good_docx(source: Path = PINGTAN_JSON) -> bytes:
    buf = io.BytesIO()
    build_document(exchange.read_file(source)).save(buf)
    return buf.getvalue()


def rezip(data: bytes, change) -> bytes:
    """The .docx ``data`` with each part passed through ``change(name, bytes)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def malformed_xml_docx() -> bytes:
    return rezip(good_docx(), lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d)


def corrupt_deflate_docx() -> bytes:
    data = good_docx()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken = bytearray(data)
    for k in range(start + 10, start + 60):
        broken[k] ^= 0x55
    return bytes(broken)


def bomb_docx(megabytes: int = 64) -> bytes:
    """A small .docx whose text part inflates to ``megabytes`` (repeated paragraphs)."""
    unit = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    filler = unit * (megabytes * 1024 * 1024 // len(unit))
    return rezip(good_docx(), lambda n, d: d.replace(b"<w:body>", b"<w:body>" + filler, 1)
                 if n == "word/document.xml" else d)


def spans_html() -> bytes:
    """38 KB of web page whose merged cells expand to millions of positions."""
    rows = "".join("<tr>" + '<td rowspan="60" colspan="60">1</td>' * 10 + "</tr>" for _ in range(60))
    return (f"<html><body><h1>某镇2021年政府信息公开工作年度报告</h1><table>{rows}</table>"
            "</body></html>").encode()


def json_with(old: str, new: str, source: Path = ZUNHUADIAN_JSON) -> str:
    text = report_json(source)
    assert old in text, old
    return text.replace(old, new, 1)


def bad_json_files() -> dict[str, str]:
    """name → JSON text of each kind of bad exchange file."""
    return {
        "huge-number.json": json_with('"year": 2020', '"year": ' + "9" * 5000),
        "lone-surrogate.json": json_with('"organ": "', '"organ": "\\ud800'),
        "money-29-digits.json": json_with('"4.093"', '"12345678901234567890123456789.5"'),
        "duplicate-key.json": json_with('"year": 2020', '"year": 2020, "year": 2021'),
        "control-character.json": json_with('"organ": "平顶山', '"organ": "平顶山\\u0001'),
    }


def renamed_copy(source: Path, organ: str) -> str:
    """The same report under another organ (a second good file for an aggregate)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    data["organ"] = organ
    return json.dumps(data, ensure_ascii=False, indent=2)
