"""A report table as a printed grid: which label or number goes in which cell, merged how.

The format files describe a table as rows and columns with header groups (``path``); a
writer needs rectangles: "申请人情况 spans seven columns", "三、本年度办理结果 spans
twenty rows". ``table_grid`` turns a ``Table`` into a ``TableGrid`` (a matrix of cells
with merged ranges) for the three layouts of the format files, so every writer (the PDF
in ``app.pdf.tables``, Word in ``app.docx_export``) prints the official merged headers
without a single label written in Python, and both print the same table. No reportlab,
no docx, no Qt here: the spans are tested directly.

- ``grid`` (三、申请情况): row labels on the left, one column per header level of the row
  paths; column labels on top, one row per header level; the corner holds the note.
- ``blocks`` (二、主动公开): for each group a full-width group line, then ``信息内容`` and
  the group's column labels, then its rows; the last column stretches to the table edge.
- ``wide`` (四、复议诉讼): every row's columns side by side under the row's path, one line
  of numbers.

``split_grid`` and ``split_points`` cut a grid across pages for writers that lay out
pages themselves (the PDF): header rows and cut group cells are repeated.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.formats import CellRef, Column, Table
from app.numbers import format_value
from app.report import Value

# GridCell.kind: how a writer styles the cell
CORNER, HEAD, GROUP, LABEL, VALUE = "corner", "head", "group", "label", "value"
Span = tuple[int, int, int, int]      # (col0, row0, col1, row1), inclusive


@dataclass
class GridCell:
    text: str
    kind: str                     # corner | head | group | label | value
    ref: CellRef | None = None
    note: str | None = None       # a smaller second line, e.g. the unit under a label

    @property
    def lines(self) -> str:
        """The text with its note on a second line, for writers that print both alike."""
        return f"{self.text}\n{self.note}" if self.note else self.text


@dataclass
class TableGrid:
    cells: list[list[GridCell | None]]           # None: covered by a merged cell
    spans: list[Span]                             # merged ranges (col0, row0, col1, row1)
    header_rows: int                              # repeated when the table breaks
    layout: str                                   # the table's layout: grid | blocks | wide
    label_columns: int                            # leftmost columns holding labels, not numbers
    keep: list[tuple[int, int]] = field(default_factory=list)   # row ranges kept on one page

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.cells[0])

    def span_at(self, row: int, col: int) -> Span:
        """The merged range whose top-left cell is ``row, col`` (itself when not merged)."""
        for c0, r0, c1, r1 in self.spans:
            if c0 == col and r0 == row:
                return c0, r0, c1, r1
        return col, row, col, row

    def span_width(self, row: int, col: int) -> tuple[int, int]:
        """First and last column of the (possibly merged) cell at ``row, col``."""
        c0, _, c1, _ = self.span_at(row, col)
        return c0, c1

    def rectangles(self) -> Iterator[tuple[Span, GridCell]]:
        """Every shown cell with the range it covers, top to bottom, left to right."""
        starts = {(c0, r0): (c0, r0, c1, r1) for c0, r0, c1, r1 in self.spans}
        for r, line in enumerate(self.cells):
            for c, cell in enumerate(line):
                if cell is not None:
                    yield starts.get((c, r), (c, r, c, r)), cell


def value_text(kind: str, value: Value) -> str:
    """A cell as printed: empty when not filled in, money with at least 4 decimals
    (padded, never rounded)."""
    if value is not None and kind == "money" and not isinstance(value, Decimal):
        value = Decimal(value)
    return format_value(value)


def unit_note(col: Column) -> str | None:
    """``（单位：万元）`` for a column whose official label lacks its unit; the label itself
    is never changed."""
    if col.unit and col.unit not in col.label:
        return f"（单位：{col.unit}）"
    return None


def column_heading(col: Column) -> str:
    """A column's printed label, with the unit it lacks on a second line."""
    return _head(col).lines


def header_spans(paths: list[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, int, str]]:
    """Merged header cells for leaves with these ``paths`` (outermost group first, the
    leaf's own label last), on ``depth`` levels. Returns (level0, index0, level1, index1,
    text): a group covers the consecutive leaves sharing it; a leaf label reaches down to
    the last level (``总计`` under ``申请人情况`` covers the two lower header lines). Used
    for column headers (levels are rows) and row headers (levels are columns) alike."""
    out = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
                continue
            is_group = level < len(path) - 1
            j = i
            while (is_group and j + 1 < len(paths) and len(paths[j + 1]) - 1 > level
                   and paths[j + 1][:level + 1] == path[:level + 1]):
                j += 1
            out.append((level, i, level if is_group else depth - 1, j, path[level]))
            i = j + 1
    return out


def _empty(rows: int, cols: int) -> list[list[GridCell | None]]:
    return [[None] * cols for _ in range(rows)]


def _head(col: Column) -> GridCell:
    return GridCell(col.label, HEAD, note=unit_note(col))


def _place(grid: list, spans: list, row: int, col: int, cell: GridCell, row1: int, col1: int) -> None:
    grid[row][col] = cell
    if row1 > row or col1 > col:
        spans.append((col, row, col1, row1))


def _value_cell(table: Table, row_key: str, col: Column, values: Mapping[CellRef, Value]) -> GridCell:
    ref = (table.key, row_key, col.key)
    return GridCell(value_text(col.kind, values.get(ref)), VALUE, ref)


# ------------------------------------------------------------------ grid
def grid_layout(table: Table, values: Mapping[CellRef, Value]) -> TableGrid:
    cols = list(table.columns.values())
    rows = list(table.rows)
    col_depth = max(len(c.header_path) for c in cols)
    row_depth = max(len(r.header_path) for r in rows)
    cells = _empty(col_depth + len(rows), row_depth + len(cols))
    spans: list[Span] = []
    _place(cells, spans, 0, 0, GridCell(table.corner or "", CORNER), col_depth - 1, row_depth - 1)
    for l0, i0, l1, i1, text in header_spans([c.header_path for c in cols], col_depth):
        leaf = l0 == len(cols[i0].header_path) - 1
        cell = _head(cols[i0]) if leaf else GridCell(text, HEAD)
        _place(cells, spans, l0, row_depth + i0, cell, l1, row_depth + i1)
    for l0, i0, l1, i1, text in header_spans([r.header_path for r in rows], row_depth):
        kind = LABEL if l0 == len(rows[i0].header_path) - 1 else GROUP
        _place(cells, spans, col_depth + i0, l0, GridCell(text, kind), col_depth + i1, l1)
    for ri, row in enumerate(rows):
        for ci, col in enumerate(cols):
            cells[col_depth + ri][row_depth + ci] = (
                _value_cell(table, row.key, col, values) if col.key in row.columns
                else GridCell("", VALUE))               # a column this row does not have
    return TableGrid(cells, spans, col_depth, "grid", row_depth)


# ------------------------------------------------------------------ wide
def wide_layout(table: Table, values: Mapping[CellRef, Value]) -> TableGrid:
    leaves = [(row, table.columns[ck]) for row in table.rows for ck in row.columns]
    paths = [row.header_path + (col.label,) for row, col in leaves]
    depth = max(len(p) for p in paths)
    cells = _empty(depth + 1, len(leaves))
    spans: list[Span] = []
    for l0, i0, l1, i1, text in header_spans(paths, depth):
        is_leaf = l0 == len(paths[i0]) - 1
        cell = _head(leaves[i0][1]) if is_leaf else GridCell(text, HEAD)
        _place(cells, spans, l0, i0, cell, l1, i1)
    for i, (row, col) in enumerate(leaves):
        cells[depth][i] = _value_cell(table, row.key, col, values)
    return TableGrid(cells, spans, depth, "wide", 0)


# ------------------------------------------------------------------ blocks
def blocks_layout(table: Table, values: Mapping[CellRef, Value]) -> TableGrid:
    n_cols = 1 + max(len(r.columns) for r in table.rows)
    cells: list[list[GridCell | None]] = []
    spans: list[Span] = []
    keep: list[tuple[int, int]] = []
    group, columns, block_start = object(), None, 0
    for row in table.rows:
        if row.group != group:
            if cells:
                keep.append((block_start, len(cells) - 1))
            group, columns, block_start = row.group, None, len(cells)
            if row.group:
                cells.append([GridCell(row.group, GROUP)] + [None] * (n_cols - 1))
                spans.append((0, len(cells) - 1, n_cols - 1, len(cells) - 1))
        if row.columns != columns:
            columns = row.columns
            heads = [GridCell(table.row_header or "", HEAD)]
            heads += [_head(table.columns[ck]) for ck in columns]
            _stretch(cells, spans, heads, n_cols)
        line = [GridCell(row.label, LABEL)]
        line += [_value_cell(table, row.key, table.columns[ck], values) for ck in columns]
        _stretch(cells, spans, line, n_cols)
    keep.append((block_start, len(cells) - 1))
    return TableGrid(cells, spans, 0, "blocks", 1, keep)


def _stretch(cells: list, spans: list, line: list[GridCell], n_cols: int) -> None:
    """Append ``line``; its last cell spans to the table's right edge."""
    row = len(cells)
    cells.append(line + [None] * (n_cols - len(line)))
    if len(line) < n_cols:
        spans.append((len(line) - 1, row, n_cols - 1, row))


LAYOUTS = {"grid": grid_layout, "wide": wide_layout, "blocks": blocks_layout}


def table_grid(table: Table, values: Mapping[CellRef, Value] | None = None) -> TableGrid:
    """The grid of ``table`` holding ``values`` (a report's cells; blank when ``None``)."""
    try:
        layout = LAYOUTS[table.layout]
    except KeyError:
        raise ValueError(f"table {table.key}: unknown layout {table.layout!r}") from None
    return layout(table, values or {})


# ------------------------------------------------------------------ printing
_GROUP_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）(?=.)")


def label_lines(cell: GridCell) -> list[str]:
    """The lines a label is printed on: a numbered group label reads （三） / 不予公开
    (never （三）不 / 予公开); any other label is one text that wraps where it must."""
    m = _GROUP_NUMBER.match(cell.text) if cell.kind == GROUP else None
    return [m.group(0), cell.text[m.end():]] if m else [cell.text]


def em_width(text: str) -> float:
    """Width in em of the table face: CJK characters one em, ASCII half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def column_widths(grid: TableGrid, widths: Mapping[str, Any]) -> list[float]:
    """Relative column widths from the style's ``[tables.<layout>]``: grid: the label
    columns (the innermost widths when a table has fewer levels), then ``number`` each;
    blocks: ``label_column``, then ``value`` each; wide: ``number`` each."""
    n_values = grid.n_cols - grid.label_columns
    if grid.layout == "blocks":
        return [float(widths["label_column"])] + [float(widths["value"])] * n_values
    labels: list[float] = []
    if grid.label_columns:
        labels = [float(w) for w in widths["label_columns"]][-grid.label_columns:]
        labels = [labels[0]] * (grid.label_columns - len(labels)) + labels
    return labels + [float(widths["number"])] * n_values


def min_label_widths(grid: TableGrid) -> list[float]:
    """For each column, the em width its numbered group labels need so that no line of
    ``label_lines`` breaks (0 for columns without such labels)."""
    need = [0.0] * grid.n_cols
    for (c0, _, c1, _), cell in grid.rectangles():
        if cell.kind == GROUP and c0 == c1:
            lines = label_lines(cell)
            if len(lines) > 1:
                need[c0] = max(need[c0], max(em_width(line) for line in lines))
    return need


# ------------------------------------------------------------------ page breaks
def split_grid(grid: TableGrid, k: int) -> tuple[TableGrid, TableGrid]:
    """Cut before row ``k``: the second part starts with the header rows again, and a
    merged group cell crossing the cut is repeated in the second part (so a page never
    shows rows without their 三、本年度办理结果 / （三）不予公开 group)."""
    h = grid.header_rows
    first_cells = grid.cells[:k]
    rest_cells = [list(r) for r in grid.cells[:h]] + [list(r) for r in grid.cells[k:]]
    first_spans, rest_spans = [], []
    for c0, r0, c1, r1 in grid.spans:
        if r1 < h:
            first_spans.append((c0, r0, c1, r1))
            rest_spans.append((c0, r0, c1, r1))
        elif r1 < k:
            first_spans.append((c0, r0, c1, r1))
        elif r0 >= k:
            rest_spans.append((c0, r0 - k + h, c1, r1 - k + h))
        else:
            first_spans.append((c0, r0, c1, k - 1))
            rest_spans.append((c0, h, c1, r1 - k + h))
            rest_cells[h][c0] = grid.cells[r0][c0]
    first_keep = [(a, b) for a, b in grid.keep if b < k]
    rest_keep = [(a - k + h, b - k + h) for a, b in grid.keep if a >= k]
    shape = (h, grid.layout, grid.label_columns)
    return (TableGrid(first_cells, first_spans, *shape, first_keep),
            TableGrid(rest_cells, rest_spans, *shape, rest_keep))


def split_points(grid: TableGrid, min_rows: int) -> list[int]:
    """Rows before which the table may break, best first: at least ``min_rows`` body
    rows on each side, never inside a block kept together. Breaks that leave a cut
    group cell (三、本年度办理结果, （三）不予公开 …) with at least ``min_rows`` rows
    on both pages come first, lowest on the page first; a group label repeated over one
    or two rows would stretch them to fit its vertical text."""
    inside = {r for a, b in grid.keep for r in range(a + 1, b + 1)}
    first, last = grid.header_rows + min_rows, grid.n_rows - min_rows
    points = [k for k in range(last, first - 1, -1) if k not in inside]

    def clean(k: int) -> bool:
        return all(k - r0 >= min_rows and r1 - k + 1 >= min_rows
                   for _, r0, _, r1 in grid.spans if r0 < k <= r1 and r0 >= grid.header_rows)

    return [k for k in points if clean(k)] + [k for k in points if not clean(k)]
