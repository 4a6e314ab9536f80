"""The district office's spreadsheet: one row per reporting body, one column per cell.

The first columns name the file and the body; then every cell of the format in the
order of the exchange file, headed by where it is (``第三部分 新收行 自然人列``); the last
row holds the totals. A second sheet lists which file has which problem. Money is written as exact decimals in 万元 with at least four
decimals shown, never a float.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from app.aggregate import Aggregate
from app.files import write_beside
from app.report import Report
from app.rules import SEVERITY_NAMES

FIXED = ("文件", "报告单位", "年度", "错误数", "警告数")


def write_xlsx(agg: Aggregate, path: str | Path, extra: Callable | None = None) -> None:
    """``extra(workbook)`` adds sheets of its own (the district desk's) before saving."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    total = agg.total
    fmt = total.format
    refs = list(total.cells)
    money = {i for i, ref in enumerate(refs) if fmt.kind_of(ref) == "money"}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("汇总")
    bold = Font(bold=True)
    header = [WriteOnlyCell(ws, value=t) for t in FIXED + tuple(fmt.describe_cell(r) for r in refs)]
    for c in header:
        c.font = bold
    ws.append(header)
    for entry in agg.summed:
        fixed = [entry.name, entry.report.organ, entry.report.year,
                 len(entry.errors()), len(entry.warnings())]
        ws.append(_row(fixed) + _values(ws, entry.report, refs, money))
    totals = _row(["合计", total.organ, total.year, None, None]) + _values(ws, total, refs, money)
    totals = [v if hasattr(v, "font") else WriteOnlyCell(ws, value=v) for v in totals]
    for cell in totals:
        cell.font = bold
    ws.append(totals)
    _problems_sheet(wb, agg, bold)
    if extra is not None:
        extra(wb)
    write_beside(Path(path), lambda tmp: wb.save(str(tmp)), ".xlsx.tmp")


def _row(values: list) -> list:
    """Text from the files as it is, but a control character (which a spreadsheet cannot
    hold: openpyxl refuses the whole file) written visibly as ``\\x01``."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", v)
            if isinstance(v, str) else v for v in values]


PROBLEM_COLUMNS = ("文件", "报告单位", "类别", "规则", "说明")


def _problems_sheet(wb, agg: Aggregate, bold) -> None:
    """Second sheet: which file has which problem, one line each (as the window shows)."""
    from openpyxl.cell import WriteOnlyCell

    ws = wb.create_sheet("问题")
    header = [WriteOnlyCell(ws, value=t) for t in PROBLEM_COLUMNS]
    for c in header:
        c.font = bold
    ws.append(header)
    for note in agg.notes:
        ws.append(_row(["", "", "提示", "", note]))
    for entry in agg.entries:
        if entry.report is None:
            ws.append(_row([entry.name, "", "无法读取", "", f"未计入汇总：{entry.failure}"]))
            continue
        for problem in entry.import_problems:
            ws.append(_row([entry.name, entry.report.organ, "导入", "", problem]))
        for f in entry.errors() + entry.warnings():
            ws.append(_row([entry.name, entry.report.organ, SEVERITY_NAMES[f.severity], f.name,
                            f.message]))


def _values(ws, report: Report, refs, money: set[int]) -> list:
    from openpyxl.cell import WriteOnlyCell

    out = []
    for i, ref in enumerate(refs):
        value = report.cells.get(ref)
        if i in money and value is not None:
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "0.0000##"
            out.append(cell)
        else:
            out.append(value)
    return out
