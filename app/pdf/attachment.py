"""The report's exchange JSON, carried inside the PDF as an embedded file, and the seal
that says the file is still exactly as nianbao wrote it.

The PDF is what reaches the district office; with the data inside it, the office can
import the numbers exactly instead of re-typing them. The file is written with
reportlab's own PDF objects (an ``/EmbeddedFiles`` name tree in the catalog), so the
document is built in one pass and stays byte-reproducible; it is read back with pypdf.

What was received is what is printed, so the importer uses the data only when it equals
the printed tables, and reading those tables costs 0.06–0.2 s a PDF. The seal makes that
check free for an untouched file: the finished file's SHA-256 (computed with the seal's
own 64 characters set to ``0``) is written beside the data. When the file still hashes
to its seal, every byte — pages, fonts, data — is what one export wrote from one report,
so the print shows exactly that data. Any change after export (a page edited, an
annotation or an incremental update appended, the data swapped) breaks the seal, and the
importer reads the printed tables as for any other PDF. Checking it costs ~0.1 ms, where
hashing the pages' content streams (pypdf) costs ~2 ms and their text (pypdfium2) ~2 ms.
The seal is no signature: it catches a print and data that disagree, not a forger.
The district's record also names a sealed file by its seal (``Sealed.seal``): the one
hash of the file does both.
"""
from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from app.files import FileReadError, read_limited
from app.pdf.errors import NotNianbaoPdf, PdfError

ATTACHMENT_NAME = "nianbao-report.json"
MAX_PDF_BYTES = 50 * 1024 * 1024
SEAL_KEY = "NianbaoSeal"
_UNSEALED = "0" * 64
_SEAL = re.compile(rb"/" + SEAL_KEY.encode() + rb" \(([0-9a-f]{64})\)")
MAX_DATA_BYTES = 5 * 1024 * 1024
"""The exchange JSON's own limit (``app.exchange.MAX_BYTES``): inflating stops there."""


def embed_report(canv, data: bytes) -> None:
    """Attach ``data`` (the exchange JSON) to the document being written on ``canv``, and
    have the finished file sealed (the seal can only be computed once every byte exists:
    reportlab hands the whole file to the caller from ``GetPDFData``)."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString, PDFZCompress

    doc = canv._doc
    stream = PDFStream(
        PDFDictionary({
            "Type": PDFName("EmbeddedFile"),
            "Subtype": "/application#2Fjson",   # PDFName() would not escape the slash
            "Params": PDFDictionary({"Size": len(data),
                                     "CheckSum": PDFString(hashlib.md5(data).digest(), enc="raw")}),
            SEAL_KEY: PDFString(_UNSEALED),
        }),
        data, filters=[PDFZCompress])
    spec = PDFDictionary({
        "Type": PDFName("Filespec"),
        "F": PDFString(ATTACHMENT_NAME),
        "UF": PDFString(ATTACHMENT_NAME),
        "Desc": PDFString("年报数据（nianbao 交换文件，可用 nianbao 导入）"),
        "AFRelationship": PDFName("Source"),
        "EF": PDFDictionary({"F": doc.Reference(stream), "UF": doc.Reference(stream)}),
    })
    names = PDFArray([PDFString(ATTACHMENT_NAME), doc.Reference(spec)])
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": names})})
    pdf_data = doc.GetPDFData
    doc.GetPDFData = lambda canvas: _seal(pdf_data(canvas))


def _seal(pdf: bytes) -> bytes:
    """``pdf`` with its seal: the SHA-256 of the file as written, the seal still zeros."""
    placeholder = f"/{SEAL_KEY} ({_UNSEALED})".encode()
    at = pdf.index(placeholder) + len(placeholder) - 65
    return pdf[:at] + hashlib.sha256(pdf).hexdigest().encode() + pdf[at + 64:]


class Sealed(NamedTuple):
    """What a nianbao PDF still exactly as exported carries."""
    data: bytes
    """The exchange JSON."""
    seal: str
    """The seal (64 hex digits): the SHA-256 of the file with the seal's own digits zeroed.
    With its place (the first seal in the file) it fixes every byte of the file, so it
    names the file as surely as the file's own SHA-256 does (``content_digest``)."""


def sealed_report(data: bytes) -> Sealed | None:
    """The exchange JSON of a nianbao PDF that is still exactly as exported, with its seal,
    else None (no seal, a broken seal, anything unexpected: read the file the slow way).

    Only a file whose every byte is verified is read here, so it has the layout nianbao
    writes: the seal sits in the dictionary of the data's stream, which follows it."""
    found = _holding_seal(data)
    if found is None:
        return None
    start = data.find(b">>\nstream\n", found.end())
    if start < 0 or b"/Type /EmbeddedFile" not in data[data.rfind(b"obj", 0, found.start()):start]:
        return None
    inflate = zlib.decompressobj()
    try:
        json_data = inflate.decompress(data[start + 10:], MAX_DATA_BYTES + 1)
    except zlib.error:
        return None
    if not inflate.eof or len(json_data) > MAX_DATA_BYTES:
        return None
    return Sealed(json_data, found[1].decode("ascii"))


def seal_of(data: bytes) -> str | None:
    """The seal of a nianbao PDF that is still exactly as exported, else None."""
    found = _holding_seal(data)
    return None if found is None else found[1].decode("ascii")


def _holding_seal(data: bytes) -> re.Match[bytes] | None:
    """The file's first seal, when the file hashes to it. Only the first is zeroed and
    checked: whatever else looks like a seal (a second one, or a report's text quoting one)
    is part of the bytes hashed, so a file that holds its seal is one nianbao wrote."""
    found = _SEAL.search(data)
    if found is None:
        return None
    at = found.start(1)
    whole, digest = memoryview(data), hashlib.sha256()
    for part in (whole[:at], _UNSEALED.encode(), whole[at + 64:]):
        digest.update(part)
    return found if digest.hexdigest().encode() == found[1] else None


@dataclass(frozen=True)
class Attachment:
    """The report data a nianbao PDF carries, and whether it is what was written."""
    data: bytes
    checksum_ok: bool
    """The MD5 /CheckSum written beside the data matches it (no /CheckSum: False)."""


def read_embedded_report(pdf_path: str | Path) -> bytes:
    """The exchange JSON inside a PDF exported by nianbao, byte for byte.

    Raises ``NotNianbaoPdf`` when the file is no PDF or carries no nianbao data, and
    ``PdfError`` when it cannot be read at all; both with a Chinese message that says what
    is wrong but not which file: the caller names it (``nianbao import`` puts the path
    before the message, the aggregate lists it in its own column)."""
    try:
        data = read_limited(Path(pdf_path), MAX_PDF_BYTES, "nianbao 导出的年报 PDF")
    except FileReadError as exc:
        raise PdfError(str(exc)) from None
    found = find_attachment(data)
    if found is None:
        raise NotNianbaoPdf(
            "不是由 nianbao 导出的 PDF：里面没有年报数据，无法直接导入。"
            "请向报送单位索取 nianbao 导出的 PDF 或年报数据文件（.json），"
            "或者导入报告网页、文字稿。")
    return found.data


def find_attachment(data: bytes) -> Attachment | None:
    """The nianbao data attached to the PDF ``data`` (None: a PDF of another program).

    Raises ``NotNianbaoPdf`` when ``data`` is no PDF, is encrypted or cannot be parsed."""
    if b"%PDF-" not in data[:1024]:
        raise NotNianbaoPdf("不是 PDF 文件，无法从中导入年报。")
    if not _has_attachments(data):
        return None
    import logging

    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise NotNianbaoPdf("PDF 已加密，无法读取其中的年报数据。")
        found = reader.attachments.get(ATTACHMENT_NAME)
        if not found:
            return None
        return Attachment(found[0], _checksum(reader) == hashlib.md5(found[0]).digest())
    except NotNianbaoPdf:
        raise
    except NotImplementedError:  # pypdf: "Unsupported filter …" (found by fuzzing)
        raise NotNianbaoPdf("PDF 中的数据使用了无法识别的压缩方式，无法读取其中的年报数据。") from None
    except LimitReachedError:   # a decompression bomb: pypdf ≥ 6.4 stops at 75 MB
        raise NotNianbaoPdf("PDF 中的数据解压后过大（超过 75 MB），不是 nianbao 导出的年报 PDF"
                            "（年报数据通常只有几十 KB）。") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, MemoryError) as exc:
        raise NotNianbaoPdf("文件已损坏或不是有效的 PDF，无法读取其中的年报数据"
                            f"（错误类型 {type(exc).__name__}）。") from None


def _has_attachments(data: bytes) -> bool:
    """Whether the PDF may carry embedded files: pdfium counts them in ~0.3 ms, where
    pypdf takes 70 ms to import and parses the whole file. Most PDFs a district receives
    (Word, WPS) carry none; a file pdfium cannot open is left to pypdf and its messages."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return True
    try:
        return raw.FPDFDoc_GetAttachmentCount(pdf.raw) != 0
    finally:
        pdf.close()


def _checksum(reader) -> bytes | None:
    """The /CheckSum of the attachment's stream (/EF /F /Params), as bytes."""
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == ATTACHMENT_NAME:
            stream = names[i + 1].get_object()["/EF"]["/F"].get_object()
            value = stream.get("/Params", {}).get("/CheckSum")
            if value is None:
                return None
            return bytes(getattr(value, "original_bytes", None) or value)
    return None
