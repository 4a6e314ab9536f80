"""Errors of the PDF export and import; every message is Chinese and says what to do."""
from __future__ import annotations


class PdfError(Exception):
    """Base class: the export or the reading of a PDF could not be done."""


class FontError(PdfError):
    """No usable CJK font, or a character that no installed font can print."""


class NotNianbaoPdf(PdfError):
    """The PDF carries no nianbao report data (made by another program, or damaged)."""
