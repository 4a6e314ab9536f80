"""Import a report as published (web page, copied text, Word) or as nianbao wrote it.

``import_file(path)`` reads any of: the exchange JSON, a PDF (a nianbao PDF's embedded
data, checked against its printed tables; any other text PDF from its printed tables), a
saved web page (.html/.htm), copied text (.txt) and Word (.docx). Published forms go
through a reader (file type → paragraphs and grids, ``document.py``) and then the one
matcher (grids → report, ``matcher.py``). ``ImportResult.source`` says where the numbers
came from. The report keeps the numbers as printed;
``ImportResult.problems`` lists every cell that could not be read and every assumption
made (Chinese, shown to the user). The validator then reports what the numbers deserve.

An ``ImportFailure`` says what is wrong with the file, never which file: every caller
names it its own way (the command line puts the path as typed before the message, the
aggregate lists it in its own column, a dialog shows the file name). So a missing file or
a folder is refused here, before any reader whose own messages would name the path.

The readers and the matcher are imported when a file is read, not with the package: the
grid's paste reads row labels as the importer does (``document.norm``, ``labels.core``),
and a submodule brings its package along, so opening a draft loaded every reader (~8 ms).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from app.files import FileReadError, read_limited
from app.importer.result import SEAL_DIGEST, ImportFailure, ImportResult

MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_BYTES = 50 * 1024 * 1024
SUFFIXES = (".json", ".pdf", ".html", ".htm", ".mht", ".mhtml", ".txt", ".docx")


def import_file(path: str | Path) -> ImportResult:
    """Read ``path`` into a report; raises ``ImportFailure`` when it is not a report."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailure(f"不支持的文件类型“{p.suffix or '无扩展名'}”：可导入 JSON、PDF、网页（.html、.mht）、"
                            "文本（.txt）和 Word（.docx）文件")
    if suffix == ".json":   # a report file, or a draft file (app.draft)
        from app import draft as drafts
        from app import exchange
        try:
            data = drafts.read_bytes(p)
            draft = drafts.from_bytes(data)
        except exchange.ExchangeError as exc:
            raise ImportFailure(str(exc)) from None
        result = ImportResult(draft.report, draft=draft, source="data")
    elif suffix == ".pdf":
        from app.importer.pdf_import import import_pdf
        data = _read_bytes(p, MAX_PDF_BYTES)
        result = import_pdf(data)
    else:
        data = _read_bytes(p)
        result = import_bytes(data, suffix)
    result.digest = result.digest or content_digest(data, suffix)
    return result


def content_digest(data: bytes, suffix: str) -> str:
    """What names a file's bytes in the district's record: their SHA-256, or for a nianbao
    PDF still exactly as exported, its seal (``app.pdf.attachment.Sealed.seal``), which
    fixes every byte as surely. Checking the seal is itself a SHA-256 of the whole file:
    a sealed PDF, the district's usual file, is hashed once instead of twice (~0.07 ms
    of the ~0.5 ms it takes to read one)."""
    if suffix == ".pdf":
        from app.pdf.attachment import seal_of
        seal = seal_of(data)
        if seal is not None:
            return SEAL_DIGEST + seal
    return hashlib.sha256(data).hexdigest()


def import_bytes(data: bytes, suffix: str) -> ImportResult:
    """Import a published report given as bytes of a ``.html``/``.txt``/``.docx`` file."""
    from app.importer.document import InputTooLarge
    from app.importer.docx_reader import DocxError, read_docx
    from app.importer.html_reader import html_of_mhtml, read_html
    from app.importer.matcher import NotAReport, match
    from app.importer.text_reader import read_text

    try:
        if suffix in (".html", ".htm"):
            doc = read_html(data)
        elif suffix in (".mht", ".mhtml"):
            doc = read_html(html_of_mhtml(data))
        elif suffix == ".docx":
            doc = read_docx(data)
        else:
            doc = read_text(data)
        result = match(doc)
    except (NotAReport, DocxError, InputTooLarge) as exc:
        raise ImportFailure(str(exc)) from None
    return ImportResult(result.report, result.problems)


def _read_bytes(p: Path, limit: int = MAX_BYTES) -> bytes:
    try:
        return read_limited(p, limit)
    except FileReadError as exc:
        raise ImportFailure(str(exc)) from None
