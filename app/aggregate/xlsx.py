"""The district office's spreadsheet: one row per reporting body, one column per cell.

汇总: the first columns name the file and the body; then every cell of the format in the
order of the exchange file, under three header rows taken from the format: the section
(三、收到和处理政府信息公开申请情况), the row (its groups and label) and the column
(自然人, with its unit), merged over their columns and wrapped; the last row holds the
totals. 问题: which file has which problem, with the rule's Chinese name.

Each sheet is readable on screen and on paper: columns fitted to what they hold, the
header and the unit column frozen, counts as integers (General shows them whole), money
in 万元 with 4–6 decimals (exact decimals, never a float), A4 landscape fitted to the page
width with the header rows repeated on every page. The workbook is written in openpyxl's
write-only mode, and only cells that need a style get one: write-only mode takes a
styled cell through an exception, and styling every count made 1,000 reports 2× slower. A sheet is one function of
``SHEETS``: another (for example ratios) is one more function.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from copy import copy
from itertools import groupby
from pathlib import Path

from app.aggregate.summing import Aggregate
from app.files import write_beside
from app.formats import CellRef, Format
from app.report import Report
from app.rules import SEVERITY_NAMES
from app.table_layout import em_width, unit_note

FIXED = ("文件", "报告单位", "年度", "错误数", "警告数")
PROBLEM_COLUMNS = ("文件", "报告单位", "类别", "规则", "说明")
MONEY_FORMAT = "0.0000##"
HEADER_ROWS = 3


def write_xlsx(agg: Aggregate, path: str | Path, extra: Callable | None = None) -> None:
    """Write the spreadsheet of ``agg`` to ``path`` (every sheet of ``SHEETS``);
    ``extra(workbook, look)`` adds sheets after them (the district desk's)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    look = _Look()
    for sheet in SHEETS:
        sheet(wb, agg, look)
    if extra is not None:
        extra(wb, look)
    write_beside(Path(path), lambda tmp: wb.save(str(tmp)), ".xlsx.tmp")


def _row(values: Iterable[object]) -> list[object]:
    """Text from the files as it is, but a control character (which a spreadsheet cannot
    hold: openpyxl refuses the whole file) written visibly as ``\\x01``."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", v)
            if isinstance(v, str) else v for v in values]


class _Look:
    """The few shared cell styles. Write-only mode still makes a cell object per value;
    each style is built once on a prototype cell and copied (setting a number format on
    every cell cost more than writing it)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="808080")
        self.bold = Font(bold=True)
        self.head = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self._styles: dict[tuple, object] = {}

    def cell(self, ws, value, *, head: bool = False, bold: bool = False, number: str | None = None):
        """``value`` in a cell of the given look; a blank plain value stays a bare value."""
        from openpyxl.cell import WriteOnlyCell

        if value is None and not head:
            return None
        key = (head, bold, number)
        style = self._styles.get(key)
        if style is None:
            proto = WriteOnlyCell(ws)
            if head:
                proto.font, proto.alignment, proto.border = self.bold, self.head, self.border
            elif bold:
                proto.font = self.bold
            if number:
                proto.number_format = number
            style = self._styles[key] = proto._style  # type: ignore[attr-defined]  # openpyxl's own
        cell = WriteOnlyCell(ws, value=value)
        cell._style = copy(style)  # type: ignore[attr-defined]  # what setting font etc. fills in
        return cell


# ------------------------------------------------------------------ 汇总
def _summary_sheet(wb, agg: Aggregate, look: _Look) -> None:
    total = agg.total
    fmt = total.format
    refs = list(fmt.cells())
    ws = wb.create_sheet("汇总")
    money = [fmt.kind_of(r) == "money" for r in refs]
    rows = [[e.name, e.read.organ, e.read.year, len(e.errors()), len(e.warnings())]
            for e in agg.summed]
    rows.append(["合计", total.organ, total.year, None, None])
    reports = [e.read for e in agg.summed] + [total]
    widths = _summary_widths(rows, total, refs, fmt)
    _page(ws, widths, freeze=f"C{HEADER_ROWS + 1}", title_rows=HEADER_ROWS, title_cols="A:B")
    spans = _header(ws, fmt, refs, look)
    for fixed, report in zip(rows, reports):
        if fixed[0] == "合计":
            line = [look.cell(ws, v, bold=True) for v in _row(fixed)]
            line += [look.cell(ws, report.cells.get(ref), bold=True, number=MONEY_FORMAT if m else None)
                     for ref, m in zip(refs, money)]
        else:
            line = _row(fixed) + [look.cell(ws, report.cells.get(ref), number=MONEY_FORMAT) if m
                            else report.cells.get(ref) for ref, m in zip(refs, money)]
        ws.append(line)
    for span in spans:
        ws.merged_cells.add(span)


def _header(ws, fmt: Format, refs: list[CellRef], look: _Look) -> list[str]:
    """Three header rows (section, row, column) over the cell columns; the fixed columns
    span all three. Returns the merged ranges."""
    from openpyxl.utils import get_column_letter as col

    first = len(FIXED) + 1
    lines: list[list] = [[], [], []]
    spans = [f"{col(i)}1:{col(i)}{HEADER_ROWS}" for i in range(1, first)]
    for name in FIXED:
        lines[0].append(look.cell(ws, name, head=True))
        lines[1].append(look.cell(ws, None, head=True))
        lines[2].append(look.cell(ws, None, head=True))
    for level, key in enumerate((lambda r: r[:1], lambda r: r[:2])):
        at = first
        for k, group in groupby(refs, key=key):
            n = len(list(group))
            table = fmt.tables[k[0]]
            text = table.section.heading if level == 0 else _row_label(table.row(k[1]))
            lines[level] += [look.cell(ws, text, head=True)] + [look.cell(ws, None, head=True)] * (n - 1)
            if n > 1:
                spans.append(f"{col(at)}{level + 1}:{col(at + n - 1)}{level + 1}")
            at += n
    for ref in refs:
        column = fmt.column_of(ref)
        note = unit_note(column)
        lines[2].append(look.cell(ws, column.label + (f"\n{note}" if note else ""), head=True))
    for line in lines:
        ws.append(line)
    return spans


def _row_label(row) -> str:
    """A row with its groups: 三、本年度办理结果／（三）不予公开／1.属于国家秘密."""
    parts = ([row.group] if row.group else []) + list(row.header_path)
    return "／".join(p for p in parts if p)


def _summary_widths(rows: list[list], total: Report, refs: list[CellRef],
                    fmt: Format) -> list[float]:
    """Fixed columns as wide as their longest entry; a cell column as wide as its total
    (no report's number is longer: counts and money are not negative, and a sum has the
    most decimals of its terms) or half its column label (labels wrap), within 8–16."""
    widths = [_fit([name] + [r[i] for r in rows], 6, 40) for i, name in enumerate(FIXED)]
    for ref in refs:
        label = fmt.column_of(ref).label
        widths.append(max(_fit([_shown(total.cells.get(ref))], 8, 16),
                          min(16.0, _text_width(label) / 2 + 2)))
    return widths


def _shown(value) -> str:
    if value is None:
        return ""
    from app.numbers import format_value
    return format_value(value)


# ------------------------------------------------------------------ 问题
def _problems_sheet(wb, agg: Aggregate, look: _Look) -> None:
    """Which file has which problem, one line each (as the window shows), the rule by its
    Chinese name."""
    ws = wb.create_sheet("问题")
    rows = list(_problem_rows(agg))
    widths = [_fit([name] + [r[i] for r in rows], 6, 40) for i, name in enumerate(PROBLEM_COLUMNS[:4])]
    widths.append(_fit([r[4] for r in rows], 20, 120))
    _page(ws, widths, freeze="C2", title_rows=1, title_cols=None)
    ws.append([look.cell(ws, name, head=True) for name in PROBLEM_COLUMNS])
    for row in rows:
        ws.append(_row(row))


def _problem_rows(agg: Aggregate) -> Iterable[list]:
    for note in agg.notes:
        yield ["", "", "提示", "", note]
    for entry in agg.entries:
        if entry.report is None:
            yield [entry.name, "", "无法读取", "", f"未计入汇总：{entry.failure}"]
            continue
        for problem in entry.import_problems:
            yield [entry.name, entry.report.organ, "导入", "", problem]
        for f in entry.errors() + entry.warnings():
            yield [entry.name, entry.report.organ, SEVERITY_NAMES[f.severity], f.name, f.message]


# ------------------------------------------------------------------ shared
def _text_width(value) -> float:
    """Width in Excel's character units: a CJK character counts two."""
    return 2 * em_width(str(value)) if value is not None else 0.0


def _fit(values: Iterable, least: float, most: float) -> float:
    return max(least, min(most, max((_text_width(v) for v in values), default=0) + 2))


def _page(ws, widths: list[float], *, freeze: str, title_rows: int, title_cols: str | None) -> None:
    """Column widths, frozen panes, A4 landscape fitted to the page width, the header
    rows (and unit columns) printed on every page. Set before any row is written."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = round(width, 1)
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"            # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"1:{title_rows}"
    if title_cols:
        ws.print_title_cols = title_cols


SHEETS: tuple[Callable[[object, Aggregate, _Look], None], ...] = (_summary_sheet, _problems_sheet)
"""The sheets in order; each takes the workbook, the aggregate and the shared styles."""
