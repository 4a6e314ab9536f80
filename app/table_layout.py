"""A report table as a printed grid: which label or number goes in which cell, merged how.

The format files describe a table as rows and columns with header groups (``path``); an
exporter needs rectangles: "申请人情况 spans seven columns", "三、本年度办理结果 spans
twenty rows". This module turns the one into the other for the three layouts of the
format files, so that every writer (Word here, and any other that wants it) prints the
official merged headers without a single label written in Python.

- ``grid``   (section 三): row header groups on the left, column header groups on top.
- ``blocks`` (section 二): for each group, a line with the group label, a line
  ``信息内容 | column labels``, then one line per row.
- ``wide``   (section 四): all rows side by side in one line of numbers, under a header
  made of the rows' groups, the rows' labels and the columns' labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from app.formats import CellRef, Column, Row, Table
from app.numbers import format_count, format_money

HEADER, LABEL, GROUP, VALUE = "header", "label", "group", "value"


@dataclass(frozen=True)
class GridCell:
    """One rectangle of the printed table; ``role`` tells a writer how to style it."""
    row: int
    col: int
    text: str
    role: str
    rowspan: int = 1
    colspan: int = 1
    ref: CellRef | None = None


@dataclass(frozen=True)
class TableGrid:
    """A whole printed table: its size, its cells and how many top lines are header."""
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[GridCell, ...]
    layout: str

    def at(self, row: int, col: int) -> GridCell | None:
        """The cell whose rectangle starts at (row, col), if any."""
        for cell in self.cells:
            if cell.row == row and cell.col == col:
                return cell
        return None


@dataclass(frozen=True)
class _Span:
    level: int      # depth in the header (0 = outermost group)
    start: int      # index of the first leaf it covers
    length: int     # how many leaves it covers
    depth: int      # how many levels it covers (a leaf reaches down to the last level)
    label: str


def column_heading(col: Column) -> str:
    """A column's printed label; a unit the official label lacks goes on a second line
    (``采购总金额`` / ``（单位：万元）``), so the official text itself is unchanged, as in the PDF."""
    if col.unit and col.unit not in col.label:
        return f"{col.label}\n（单位：{col.unit}）"
    return col.label


def format_value(kind: str, value: int | Decimal | None) -> str:
    """A cell as printed: empty when not filled in, money with at least 4 decimals."""
    if value is None:
        return ""
    if kind == "money":
        return format_money(Decimal(value))
    return format_count(int(value))


def header_spans(paths: Sequence[tuple[str, ...]]) -> list[_Span]:
    """Merged header rectangles for leaves given by their header paths (groups, then label).

    Neighbouring leaves that share a group share one rectangle for it; a leaf whose path is
    shorter than the deepest one reaches down to the last level, as in the official tables
    (``总计`` under ``申请人情况`` covers the two lower header lines).
    """
    depth = max((len(p) for p in paths), default=0)
    spans: list[_Span] = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
            elif level == len(path) - 1:
                spans.append(_Span(level, i, 1, depth - level, path[level]))
                i += 1
            else:
                j = i + 1
                while (j < len(paths) and len(paths[j]) > level + 1
                       and paths[j][: level + 1] == path[: level + 1]):
                    j += 1
                spans.append(_Span(level, i, j - i, 1, path[level]))
                i = j
    return spans


def layout_table(table: Table, cells: dict[CellRef, int | Decimal | None]) -> TableGrid:
    """The printed grid of ``table`` holding the values in ``cells`` (a report's cells)."""
    builders = {"grid": _layout_grid, "blocks": _layout_blocks, "wide": _layout_wide}
    try:
        builder = builders[table.layout]
    except KeyError:
        raise ValueError(f"table {table.key}: unknown layout {table.layout!r}") from None
    return builder(table, cells)


def _value_cell(table: Table, row: Row, col_key: str, r: int, c: int,
                cells: dict[CellRef, int | Decimal | None], colspan: int = 1) -> GridCell:
    ref = (table.key, row.key, col_key)
    text = format_value(table.columns[col_key].kind, cells.get(ref))
    return GridCell(r, c, text, VALUE, colspan=colspan, ref=ref)


def _layout_grid(table: Table, cells: dict[CellRef, int | Decimal | None]) -> TableGrid:
    columns = list(table.columns.values())
    col_paths = [c.path + (column_heading(c),) for c in columns]
    row_paths = [r.header_path for r in table.rows]
    n_head = max(len(p) for p in col_paths)
    n_label = max(len(p) for p in row_paths)
    out = [GridCell(0, 0, table.corner or table.row_header or "", HEADER,
                    rowspan=n_head, colspan=n_label)]
    for s in header_spans(col_paths):
        out.append(GridCell(s.level, n_label + s.start, s.label, HEADER,
                            rowspan=s.depth, colspan=s.length))
    for s in header_spans(row_paths):
        role = LABEL if s.depth == n_label - s.level else GROUP
        out.append(GridCell(n_head + s.start, s.level, s.label, role,
                            rowspan=s.length, colspan=s.depth))
    for i, row in enumerate(table.rows):
        for j, col in enumerate(columns):
            if col.key in row.columns:
                out.append(_value_cell(table, row, col.key, n_head + i, n_label + j, cells))
            else:
                out.append(GridCell(n_head + i, n_label + j, "", VALUE))
    return TableGrid(n_head + len(table.rows), n_label + len(columns), n_head, tuple(out), "grid")


def _layout_blocks(table: Table, cells: dict[CellRef, int | Decimal | None]) -> TableGrid:
    width = max(len(r.columns) for r in table.rows)
    n_cols = 1 + width
    out: list[GridCell] = []
    r = 0
    group: str | None = None
    header: tuple[str, ...] | None = None
    for row in table.rows:
        if row.group and row.group != group:
            group, header = row.group, None
            out.append(GridCell(r, 0, row.group, GROUP, colspan=n_cols))
            r += 1
        if row.columns != header:
            header = row.columns
            out.append(GridCell(r, 0, table.row_header or "", HEADER))
            out.extend(_block_line(header, r, width,
                                   lambda k, c, span: GridCell(
                                       r, c, column_heading(table.columns[k]), HEADER,
                                       colspan=span)))
            r += 1
        out.append(GridCell(r, 0, row.label, LABEL))
        out.extend(_block_line(row.columns, r, width,
                               lambda k, c, span: _value_cell(table, row, k, r, c, cells, span)))
        r += 1
    return TableGrid(r, n_cols, 0, tuple(out), "blocks")


def _block_line(keys: tuple[str, ...], r: int, width: int, make) -> list[GridCell]:
    """The cells right of the label; the last one stretches to the table's right edge."""
    line = []
    for j, key in enumerate(keys):
        span = width - j if j == len(keys) - 1 else 1
        line.append(make(key, 1 + j, span))
    return line


def _layout_wide(table: Table, cells: dict[CellRef, int | Decimal | None]) -> TableGrid:
    leaves = [(row, key) for row in table.rows for key in row.columns]
    paths = [row.header_path + (column_heading(table.columns[key]),) for row, key in leaves]
    n_head = max(len(p) for p in paths)
    out = [GridCell(s.level, s.start, s.label, HEADER, rowspan=s.depth, colspan=s.length)
           for s in header_spans(paths)]
    for j, (row, key) in enumerate(leaves):
        out.append(_value_cell(table, row, key, n_head, j, cells))
    return TableGrid(n_head + 1, len(leaves), n_head, tuple(out), "wide")
