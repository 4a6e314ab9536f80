"""The report's exchange JSON, carried inside the PDF as an embedded file.

The PDF is what reaches the district office; with the data inside it, the office can
import the numbers exactly instead of re-typing them. The file is written with
reportlab's own PDF objects (an ``/EmbeddedFiles`` name tree in the catalog), so the
document is built in one pass and stays byte-reproducible; it is read back with pypdf.
"""
from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFName, PDFStream, PDFString,
                                      PDFZCompress)

from app.files import FileReadError, read_limited
from app.pdf.errors import NotNianbaoPdf, PdfError

ATTACHMENT_NAME = "nianbao-report.json"
MAX_PDF_BYTES = 50 * 1024 * 1024


def embed_report(canv, data: bytes) -> None:
    """Attach ``data`` (the exchange JSON) to the document being written on ``canv``."""
    doc = canv._doc
    stream = PDFStream(
        PDFDictionary({
            "Type": PDFName("EmbeddedFile"),
            "Subtype": "/application#2Fjson",   # PDFName() would not escape the slash
            "Params": PDFDictionary({"Size": len(data),
                                     "CheckSum": PDFString(hashlib.md5(data).digest(), enc="raw")}),
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
    except LimitReachedError:   # a decompression bomb: pypdf ≥ 6.4 stops at 75 MB
        raise NotNianbaoPdf("PDF 中的数据解压后过大（超过 75 MB），不是 nianbao 导出的年报 PDF"
                            "（年报数据通常只有几十 KB）。") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, MemoryError) as exc:
        raise NotNianbaoPdf("文件已损坏或不是有效的 PDF，无法读取其中的年报数据"
                            f"（错误类型 {type(exc).__name__}）。") from None


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
