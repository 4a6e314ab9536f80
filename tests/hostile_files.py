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


# ------------------------------------------------------------------ PDF bombs
def _pdf_with_attachment(stream_dict: bytes, data: bytes) -> bytes:
    """A minimal PDF whose nianbao attachment stream is ``data`` under ``stream_dict``."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names "
            b"[(nianbao-report.json) 4 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Type /Filespec /F (nianbao-report.json) /UF (nianbao-report.json) /EF << /F 5 0 R >> >>",
            b"<< /Type /EmbeddedFile " + stream_dict + b" /Length %d >>\nstream\n" % len(data)
            + data + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def flate_bomb_pdf(megabytes: int = 128) -> bytes:
    """A PDF of ~130 KB whose attached data inflates (FlateDecode) to ``megabytes``."""
    import zlib
    packer = zlib.compressobj(9)
    zeros = b"\0" * (1024 * 1024)
    packed = b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()
    return _pdf_with_attachment(b"/Filter /FlateDecode", packed)


def lzw_bomb_pdf(megabytes: int = 128) -> bytes:
    """A PDF whose attached data inflates (LZWDecode, no zlib limit applies) to ``megabytes``:
    codes for runs of zeros one longer each time, the table cleared before it is full."""
    out, acc, bits = bytearray(), 0, 0

    def emit(code: int, width: int) -> None:
        nonlocal acc, bits
        acc, bits = (acc << width) | code, bits + width
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
        acc &= (1 << bits) - 1

    def width(next_code: int) -> int:   # EarlyChange 1, as PDF readers decode
        return 9 if next_code + 1 < 512 else 10 if next_code + 1 < 1024 else 11 if next_code + 1 < 2048 else 12

    total, produced = megabytes * 1024 * 1024, 0
    while produced < total:
        emit(256, width(258) if produced == 0 else 12)          # clear
        emit(0, 9)
        produced, run, next_code = produced + 1, 1, 258
        while next_code < 4000 and produced < total:
            emit(next_code, width(next_code))                   # the run one longer
            next_code, run = next_code + 1, run + 1
            produced += run
    emit(257, width(next_code))
    if bits:
        out.append((acc << (8 - bits)) & 0xFF)
    return _pdf_with_attachment(b"/Filter /LZWDecode", bytes(out))
