"""Exporting a report: the one place that chooses PDF or Word by the file's suffix and that
refuses a final export of a report with errors. The CLI (``nianbao export``), the window
(检查与导出, its preview) and the district's sum all come through here, so the rule and
its message are the same everywhere.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.report import Report
from app.rules import Finding, errors, validate

KINDS = {".pdf": "PDF", ".docx": "Word"}
"""Suffix → what the user calls the file."""


class ExportError(Exception):
    """The export was not done; the message is Chinese and says what to do."""


class ReportHasErrors(ExportError):
    """A final export of a report that breaks error rules is refused."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass
class Exported:
    """What was written, and what the user should hear about it."""
    path: Path
    draft: bool
    errors: int
    warnings: int
    font_notes: list[str] = field(default_factory=list)
    """Faces that stood in for the intended ones (仿宋, 小标宋…), one sentence each."""

    @property
    def kind(self) -> str:
        return KINDS[self.path.suffix.lower()]

    def message(self) -> str:
        """``已导出草稿（PDF）：…``."""
        return f"已导出{'草稿' if self.draft else '正式版'}（{self.kind}）：{self.path}"

    def counts(self) -> str:
        """``年报还有 36 个错误、1 个警告（…）。``, counted truthfully; empty when none."""
        counts = [f"{n} 个{name}" for n, name in ((self.errors, "错误"), (self.warnings, "警告")) if n]
        if not counts:
            return ""
        tail = "草稿可以有错误，正式导出前须改正" if self.errors else "不影响导出"
        return f"年报还有 {'、'.join(counts)}（{tail}）。"


def kind_of(path: str | Path) -> str:
    """``PDF`` or ``Word`` for a path the export can write; ``ExportError`` otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in KINDS:
        raise ExportError(f"不能导出为“{suffix or '无扩展名'}”文件：文件名请以 .pdf 或 .docx 结尾")
    return KINDS[suffix]


def refuse_if_errors(findings: list[Finding], draft: bool) -> None:
    """The rule: a final export only without errors (``ReportHasErrors`` otherwise). The
    window asks it before starting an export, so that it can answer at once."""
    found = errors(findings)
    if found and not draft:
        raise ReportHasErrors(f"年报还有 {len(found)} 个错误，不能导出正式报告。请改正后再导出，"
                              "或导出带“草稿”字样的草稿。", found)


def export(report: Report, path: str | Path, *, draft: bool = False,
           fonts: Mapping[str, str] | None = None, created: dt.datetime | None = None,
           findings: list[Finding] | None = None) -> Exported:
    """Write ``report`` to ``path`` as PDF or, for ``.docx``, Word. A final export
    (``draft=False``) of a report with errors raises ``ReportHasErrors`` and writes
    nothing. ``fonts`` maps a PDF face to a font file chosen by the user; ``created``
    fixes the creation date (byte-identical output); ``findings`` are the report's
    findings when the caller has them already. Raises ``ExportError`` with a Chinese
    message when the file cannot be made or written."""
    out = Path(path)
    kind = kind_of(out)
    if findings is None:
        findings = validate(report)
    refuse_if_errors(findings, draft)
    when = created or dt.datetime.now().astimezone()
    notes = _export_pdf(report, out, draft, fonts, when) if kind == "PDF" \
        else _export_docx(report, out, draft, when)
    warnings = sum(f.severity == "warning" for f in findings)
    return Exported(out, draft, len(errors(findings)), warnings, notes)


def _export_pdf(report: Report, out: Path, draft: bool, fonts, created: dt.datetime) -> list[str]:
    from app.pdf import PdfError, export_pdf  # reportlab is loaded only when a PDF is wanted

    try:
        return export_pdf(report, out, draft=draft, fonts=fonts, created=created)
    except PdfError as exc:
        raise ExportError(str(exc)) from None


def _export_docx(report: Report, out: Path, draft: bool, created: dt.datetime) -> list[str]:
    from app.docx_export import export_docx  # python-docx is loaded only when Word is wanted

    try:
        export_docx(report, out, draft=draft, created=created)
    except OSError as exc:  # DocxExportError is an OSError with a Chinese message
        raise ExportError(str(exc)) from None
    return []
