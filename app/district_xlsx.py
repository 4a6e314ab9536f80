"""The district desk's sheets of the summary spreadsheet: roster, ratios, year over year,
the district's own report against its units.

Added after the sheets of ``app.aggregate_xlsx`` (one row per unit, problems) through its
``extra`` hook, so that its layout and these sheets change independently. Ratios are
written as numbers with a percent format (rounded to 0.01 %, exact enough to read; the
exact numerator and denominator stand beside them).
"""
from __future__ import annotations

from decimal import Decimal

from app.aggregate_xlsx import _row
from app.district import DistrictResult
from app.district_config import load_district_config
from app.ratios import RatioValue


def add_district_sheets(wb, result: DistrictResult) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415

    bold = Font(bold=True)
    _roster_sheet(wb, result, bold)
    _ratio_sheet(wb, result, bold)
    if result.comparisons or result.total_comparison:
        _year_sheet(wb, result, bold)
        _every_cell_sheet(wb, result, bold)
    if result.parent is not None:
        _parent_sheet(wb, result, bold)


def _header(ws, titles, bold) -> None:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    cells = [WriteOnlyCell(ws, value=t) for t in titles]
    for c in cells:
        c.font = bold
    ws.append(cells)


def _roster_sheet(wb, result: DistrictResult, bold) -> None:
    ws = wb.create_sheet("名单")
    _header(ws, ("单位", "状态", "文件", "错误数", "警告数", "数字来源", "名称核对"), bold)
    matches = result.roster_check.matches
    for unit in result.units:
        if not unit.entries:
            ws.append(_row([unit.unit, unit.status(), None, None, None, None, None]))
        for e in unit.entries:
            m = matches.get(e.path)
            note = m.describe() if m is not None and (m.doubtful or m.level) else None
            ws.append(_row([unit.unit, unit.status(), e.name,
                       len(e.errors()) if e.report else None, len(e.warnings()) if e.report else None,
                       e.source if e.report else "无法读取", note]))


def _ratio_sheet(wb, result: DistrictResult, bold) -> None:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    ws = wb.create_sheet("比率")
    names = [r.name for r in result.total_ratios]
    titles = ["单位", "文件"]
    for name in names:
        titles += [name, f"{name}分子", f"{name}分母", f"{name}评价"]
    _header(ws, titles, bold)

    def line(unit: str, file: str | None, values: list[RatioValue]) -> list:
        row: list = [unit, file]
        for r in values:
            cell = WriteOnlyCell(ws, value=_rounded(r))
            cell.number_format = "0.00%"
            row += [cell, r.numerator, r.denominator, _verdict(r)]
        return row

    for unit in result.units:
        for e in unit.readable:
            ws.append(line(unit.unit, e.name, result.ratios[e.path]))
    ws.append(line("合计", None, result.total_ratios))
    ws.append(_row([f"说明：不足 {load_district_config().min_cases} 件的比率只列出、不作评价。"
               + "；".join(f"{r.name} = {r.definition.formula}" for r in result.total_ratios)]))


def _rounded(r: RatioValue) -> Decimal | None:
    if r.value is None:
        return None
    return (Decimal(r.value.numerator) / Decimal(r.value.denominator)).quantize(Decimal("0.0001"))


def _verdict(r: RatioValue) -> str | None:
    if r.value is None:
        return None
    return r.verdict if r.judged else f"不足{load_district_config().min_cases}件，不评价"


def _year_sheet(wb, result: DistrictResult, bold) -> None:
    """The large changes and the carry findings, one a line (what to look at)."""
    ws = wb.create_sheet("与上年比较")
    _header(ws, ("单位", "文件", "单元格", "上年", "本年", "增减", "提示"), bold)
    fmt = result.total.format
    for unit, file, cmp in _comparisons(result):
        for c in cmp.flagged:
            ws.append(_row([unit, file, fmt.describe_cell(c.ref), c.last, c.this, c.change, c.flag]))
        for flip in cmp.flips:
            ws.append(_row([unit, file, flip.name, flip.last, flip.this, None, "由 0 变为非 0" if flip.last == 0
                       else "由非 0 变为 0"]))
        for f in cmp.carry:
            ws.append(_row([unit, file, "上年结转核对", None, None, None, str(f)]))


def _every_cell_sheet(wb, result: DistrictResult, bold) -> None:
    """Every cell against last year: a line per unit, 上年 and 本年 side by side per cell
    (a line a unit keeps the sheet small: 1,000 units are 1,000 lines)."""
    ws = wb.create_sheet("逐格与上年比较")
    refs = list(result.total.format.cells())
    fmt = result.total.format
    titles = ["单位", "文件"]
    for ref in refs:
        where = fmt.describe_cell(ref)
        titles += [f"{where}（上年）", f"{where}（本年）"]
    _header(ws, titles, bold)
    for unit, file, cmp in _comparisons(result):
        this, last = cmp.this.cells, cmp.last.cells
        row: list = [unit, file]
        for ref in refs:
            row += [last.get(ref), this.get(ref)]
        ws.append(row)


def _comparisons(result: DistrictResult):
    rows = [(u.unit, e.name, result.comparisons[e.path])
            for u in result.units for e in u.readable if e.path in result.comparisons]
    if result.total_comparison:
        rows.append(("合计", None, result.total_comparison))
    return rows


def _parent_sheet(wb, result: DistrictResult, bold) -> None:
    ws = wb.create_sheet("本级报告核对")
    _header(ws, ("本级报告", "与各单位合计的差异"), bold)
    if not result.parent_diffs:
        ws.append(_row([result.parent.name, "每一格都与各单位合计相同"]))
    for line in result.parent_diffs:
        ws.append(_row([result.parent.name, line]))
