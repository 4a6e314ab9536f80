"""A PDF → a report: its printed tables and text, and a nianbao PDF's data checked
against them.

What the district office received is what is printed. A nianbao PDF also carries the
report's data (``app/pdf/attachment.py``); that data is used only when its checksum is
right and every number that could be read from the printed tables equals it. Otherwise
the printed numbers are used and each disagreement is listed with both numbers, so a PDF
whose printed table says 0 and whose data says 1000 never sums 1000 in silence.

Reading the printed tables takes 0.06–0.2 s a PDF, minutes for a district's 1,000 files.
A PDF that is still exactly as nianbao exported it (its seal holds, ``sealed_report``)
prints exactly its data, so its data is used without reading the print (~0.1 ms), nor
importing what reads it.
"""
from __future__ import annotations

from app import exchange
from app.importer.result import SEAL_DIGEST, ImportFailure, ImportResult
from app.numbers import format_value
from app.report import Report


def import_pdf(data: bytes) -> ImportResult:
    from app.pdf.attachment import find_attachment, sealed_report
    from app.pdf.errors import PdfError

    sealed = sealed_report(data)
    if sealed is not None:
        try:
            return ImportResult(exchange.loads_bytes(sealed.data), [], "embedded",
                                digest=SEAL_DIGEST + sealed.seal)
        except exchange.ExchangeError:
            pass  # data this version cannot read: the print and the messages below say why
    try:
        attachment = find_attachment(data)
    except PdfError as exc:
        raise ImportFailure(str(exc)) from None
    if attachment is None:
        return _printed(data)
    try:
        printed: ImportResult | None = _printed(data)
    except ImportFailure:
        if not attachment.checksum_ok:
            raise
        printed = None
    try:
        embedded = exchange.loads_bytes(attachment.data)
    except exchange.ExchangeError as exc:
        if printed is None:
            raise ImportFailure(f"PDF 中的年报数据无法读取：{exc}") from None
        printed.problems.insert(0, f"PDF 内嵌的年报数据无法读取（{exc}），采用印出的数字")
        return printed
    if printed is None:
        return ImportResult(embedded, ["提示：PDF 印出的表格无法读取，无法与内嵌的年报数据核对"], "embedded")
    return _checked(embedded, printed, attachment.checksum_ok)


def _printed(data: bytes) -> ImportResult:
    """The report the PDF prints. Its readers are imported here, not with the module: a
    sealed PDF never needs them (importing them took ~20 ms of every district run)."""
    from app.importer.matcher import NotAReport, match
    from app.importer.pdf_reader import PdfReadError, read_pdf

    try:
        result = match(read_pdf(data))
    except (PdfReadError, NotAReport) as exc:
        raise ImportFailure(str(exc)) from None
    return ImportResult(result.report, result.problems, "printed")


def _checked(embedded: Report, printed: ImportResult, checksum_ok: bool) -> ImportResult:
    """The embedded data when it is intact and agrees with the print; else the print,
    with every difference shown (both numbers)."""
    fmt = embedded.format
    same_kind = (embedded.year, embedded.version) == (printed.report.year, printed.report.version)
    differ = [ref for ref in fmt.cells()
              if same_kind and printed.report.cells.get(ref) is not None
              and printed.report.cells[ref] != embedded.cells.get(ref)]
    if checksum_ok and same_kind and not differ:
        return ImportResult(embedded, [], "embedded")
    problems = []
    if not checksum_ok:
        problems.append("PDF 内嵌的年报数据校验和不符（导出后被改动或已损坏），不予采用，采用印出的数字")
    if not same_kind:
        problems.append(f"PDF 内嵌的年报数据是 {embedded.year} 年度（{embedded.version} 版格式），"
                        f"印出的是 {printed.report.year} 年度（{printed.report.version} 版格式），采用印出的内容")
    for ref in differ:
        problems.append(f"{fmt.describe_cell(ref)}：印出的是 {format_value(printed.report.cells[ref])}，"
                        f"内嵌数据是 {format_value(embedded.cells.get(ref)) or '空白'}，采用印出的数字")
    return ImportResult(printed.report, problems + printed.problems, "printed")
