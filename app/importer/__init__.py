"""Import a report as published (web page, copied text, Word) or as nianbao wrote it.

``import_file(path)`` reads any of: the exchange JSON, a nianbao PDF (its embedded data),
a saved web page (.html/.htm), copied text (.txt) and Word (.docx). Published forms go
through a reader (file type → paragraphs and grids, ``document.py``) and then the one
matcher (grids → report, ``matcher.py``). The report keeps the numbers as printed;
``ImportResult.problems`` lists every cell that could not be read and every assumption
made (Chinese, shown to the user). The validator then reports what the numbers deserve.

An ``ImportFailure`` says what is wrong with the file, never which file: every caller
names it its own way (the command line puts the path as typed before the message, the
aggregate lists it in its own column, a dialog shows the file name). So a missing file or
a folder is refused here, before any reader whose own messages would name the path.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app import exchange
from app.files import FileReadError, read_limited
from app.importer.document import InputTooLarge
from app.importer.docx_reader import DocxError, read_docx
from app.importer.html_reader import html_of_mhtml, read_html
from app.importer.matcher import NotAReport, match
from app.importer.text_reader import read_text
from app.report import Report

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".json", ".pdf", ".html", ".htm", ".mht", ".mhtml", ".txt", ".docx")


class ImportFailure(ValueError):
    """The file cannot be imported at all (message in Chinese, names the reason, not the
    file: the caller does)."""


@dataclass
class ImportResult:
    report: Report
    problems: list[str] = field(default_factory=list)


def import_file(path: str | Path) -> ImportResult:
    """Read ``path`` into a report; raises ``ImportFailure`` when it is not a report."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailure(f"不支持的文件类型“{p.suffix or '无扩展名'}”：可导入 JSON、PDF、网页（.html、.mht）、"
                            "文本（.txt）和 Word（.docx）文件")
    if suffix == ".json":
        try:
            return ImportResult(exchange.read_file(p))
        except exchange.ExchangeError as exc:
            raise ImportFailure(str(exc)) from None
    if suffix == ".pdf":
        return ImportResult(_from_pdf(p))
    return import_bytes(_read_bytes(p), suffix)


def import_bytes(data: bytes, suffix: str) -> ImportResult:
    """Import a published report given as bytes of a ``.html``/``.txt``/``.docx`` file."""
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


def _read_bytes(p: Path) -> bytes:
    try:
        return read_limited(p, MAX_BYTES)
    except FileReadError as exc:
        raise ImportFailure(str(exc)) from None


def _from_pdf(p: Path) -> Report:
    """The exchange JSON a nianbao PDF carries (a PDF is never read by its printed text)."""
    from app.pdf import read_embedded_report  # reportlab is loaded only for PDFs
    from app.pdf.errors import PdfError

    try:
        data = read_embedded_report(p)
    except (PdfError, exchange.ExchangeError) as exc:  # Chinese, and do not name the file
        raise ImportFailure(str(exc)) from None
    try:
        return exchange.loads_bytes(data)
    except exchange.ExchangeError as exc:
        raise ImportFailure(f"PDF 中的年报数据无法读取：{exc}") from None
