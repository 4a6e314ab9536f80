"""The district desk's sheets of the summary spreadsheet: roster, ratios, year over year,
the district's own report against its units.

Added after the sheets of ``app.aggregate.xlsx`` (the tables', 问题) through its ``extra`` hook and
in their look (header cells, fitted columns, frozen header, A4 landscape), so that its
layout and these sheets change independently. Ratios are written as numbers with a
percent format (rounded to 0.01 %, exact enough to read; the exact numerator and
denominator stand beside them).
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.aggregate.config import load_district_config
from app.aggregate.district import DistrictResult
from app.aggregate.ratios import RatioValue
from app.aggregate.summing import Entry
from app.aggregate.xlsx import _fit, _page, _row, new_sheet
from app.aggregate.year_over_year import YearComparison


def add_district_sheets(wb, look, result: DistrictResult) -> None:
    _roster_sheet(wb, look, result)
    _ratio_sheet(wb, look, result)
    if result.comparisons or result.total_comparison:
        _year_sheet(wb, look, result)
        _every_cell_sheet(wb, look, result)
    if result.parent is not None:
        _parent_sheet(wb, look, result.parent, result.parent_diffs)


def _sheet(wb, look, name: str, titles: list[str], rows: Sequence[Sequence[object]], freeze: str = "B2",
           widths: list[float] | None = None) -> None:
    """A sheet of one header line and ``rows``, columns fitted to what they hold."""
    ws = new_sheet(wb, name)
    widths = widths or [_fit(_distinct(t, rows, i), 6, 60) for i, t in enumerate(titles)]
    _page(ws, widths, freeze=freeze, title_rows=1, title_cols=None)
    ws.append([look.cell(ws, t, head=True) for t in titles])
    for row in rows:
        ws.append(_row(row))


def _distinct(title: str, rows: Sequence[Sequence[object]], i: int) -> set[str]:
    """The texts of column ``i`` once each (a unit's name stands in many rows: each is
    measured once for the column's width)."""
    return {title} | {str(r[i]) for r in rows if i < len(r) and r[i] is not None}


def _roster_sheet(wb, look, result: DistrictResult) -> None:
    matches = result.roster_check.matches
    rows: list[list[object]] = []
    for unit in result.units:
        if not unit.entries:
            rows.append([unit.unit, unit.status(), None, None, None, None, None])
        for e in unit.entries:
            m = matches.get(e.path)
            note = m.describe() if m is not None and m.worth_saying else None
            rows.append([unit.unit, unit.status(), e.name,
                         len(e.errors()) if e.report else None, len(e.warnings()) if e.report else None,
                         e.source if e.report else "无法读取", note])
    _sheet(wb, look, "名单", ["单位", "状态", "文件", "错误数", "警告数", "数字来源", "名称核对"], rows)


def _ratio_sheet(wb, look, result: DistrictResult) -> None:
    ws = new_sheet(wb, "比率")
    names = [r.name for r in result.total_ratios]
    titles = ["单位", "文件"]
    for name in names:
        titles += [name, f"{name}分子", f"{name}分母", f"{name}评价"]
    lines: list[tuple[str, str | None, list[RatioValue]]] = [
        (u.unit, e.name, result.ratios[e.path]) for u in result.units for e in u.readable]
    lines.append(("合计", None, result.total_ratios))
    widths = [_fit(["单位"] + [u for u, _, _ in lines], 6, 40), _fit(["文件"] + [f for _, f, _ in lines], 6, 40)]
    widths += [10, 8, 8, 14] * len(names)
    _page(ws, widths, freeze="C2", title_rows=1, title_cols="A:B")
    ws.append([look.cell(ws, t, head=True) for t in titles])
    percent = look.styler(ws, number="0.00%")   # a unit's row: no openpyxl cell (1,000 rows)
    for unit, file, values in lines:
        bold = unit == "合计"
        row: list = [look.cell(ws, v, bold=bold) for v in _row([unit, file])]
        for r in values:
            share = look.cell(ws, _rounded(r), bold=True, number="0.00%") if bold else percent(_rounded(r))
            row += [share, look.cell(ws, r.numerator, bold=bold), look.cell(ws, r.denominator, bold=bold),
                    look.cell(ws, _verdict(r), bold=bold)]
        ws.append(row)
    ws.append([f"说明：不足 {load_district_config().min_cases} 件的比率只列出、不作评价。"
               + "；".join(f"{r.name} = {r.definition.formula}" for r in result.total_ratios)])


def _rounded(r: RatioValue) -> Decimal | None:
    if r.value is None:
        return None
    return (Decimal(r.value.numerator) / Decimal(r.value.denominator)).quantize(Decimal("0.0001"))


def _verdict(r: RatioValue) -> str | None:
    if r.value is None:
        return None
    return r.verdict if r.judged else f"不足{load_district_config().min_cases}件，不评价"


def _year_sheet(wb, look, result: DistrictResult) -> None:
    """The large changes and the carry findings, one a line (what to look at)."""
    fmt = result.total.format
    rows = []
    for unit, file, cmp in _comparisons(result):
        rows += [[unit, file, fmt.describe_cell(c.ref), c.last, c.this, c.change, c.flag] for c in cmp.flagged]
        rows += [[unit, file, f.name, f.last, f.this, None,
                  "由 0 变为非 0" if f.last == 0 else "由非 0 变为 0"] for f in cmp.flips]
        rows += [[unit, file, "上年结转核对", None, None, None, str(f)] for f in cmp.carry]
    _sheet(wb, look, "与上年比较", ["单位", "文件", "单元格", "上年", "本年", "增减", "提示"], rows)


def _every_cell_sheet(wb, look, result: DistrictResult) -> None:
    """Every cell against last year: a line per unit, 上年 and 本年 side by side per cell
    (a line a unit keeps the sheet small: 1,000 units are 1,000 lines)."""
    fmt = result.total.format
    refs = list(fmt.cells())
    titles = ["单位", "文件"]
    for ref in refs:
        where = fmt.describe_cell(ref)
        titles += [f"{where}（上年）", f"{where}（本年）"]
    rows = []
    for unit, file, cmp in _comparisons(result):
        this, last = cmp.this.cells, cmp.last.cells
        row: list = [unit, file]
        for ref in refs:
            row += [last.get(ref), this.get(ref)]
        rows.append(row)
    widths = [_fit(_distinct("单位", rows, 0), 6, 40), _fit(_distinct("文件", rows, 1), 6, 40)]
    _sheet(wb, look, "逐格与上年比较", titles, rows, freeze="C2", widths=widths + [12] * (2 * len(refs)))


def _comparisons(result: DistrictResult) -> list[tuple[str, str | None, YearComparison]]:
    rows: list[tuple[str, str | None, YearComparison]] = [(u.unit, e.name, result.comparisons[e.path])
            for u in result.units for e in u.readable if e.path in result.comparisons]
    if result.total_comparison:
        rows.append(("合计", None, result.total_comparison))
    return rows


def _parent_sheet(wb, look, parent: Entry, diffs: list[str]) -> None:
    lines = diffs or ["每一格都与各单位合计相同"]
    _sheet(wb, look, "本级报告核对", ["本级报告", "与各单位合计的差异"], [[parent.name, line] for line in lines])
