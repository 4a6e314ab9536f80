"""A report table as an on-screen grid: display rows and data positions (no Qt).

Built from the format file only. Column 0 of the screen grid holds the row labels; data
columns follow. Header groups of rows (``path``, e.g. 三、本年度办理结果 › （三）不予公开)
become indented group lines. A ``blocks`` table (section 二) shows, like the official
form, a line per group that names the columns of the rows below it, so the grid stays
narrow although each group has its own columns. Copy and paste (``app.grid_block``) use
these same rows, group lines included, so a block lands on the rows it was copied from.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.formats import CellRef, Row, Table
from app.table_layout import column_heading


@dataclass(frozen=True)
class DisplayRow:
    label: str
    depth: int
    row: Row | None = None                     # None: a group line
    keys: tuple[str | None, ...] = ()          # column key at each data position
    heads: tuple[str, ...] = ()                # a blocks group line: the column labels (with a
                                               # missing unit on a second line, as printed)

    @property
    def is_data(self) -> bool:
        return self.row is not None


@dataclass(frozen=True)
class GridLayout:
    table: Table
    rows: tuple[DisplayRow, ...]
    n_positions: int
    column_keys: tuple[str, ...] | None        # grid/wide: the key of each position

    def ref(self, display_row: int, position: int) -> CellRef | None:
        """The cell at a display row and data position, or None (group line, no column)."""
        if not 0 <= display_row < len(self.rows) or not 0 <= position < self.n_positions:
            return None
        drow = self.rows[display_row]
        column = drow.keys[position] if position < len(drow.keys) else None
        if drow.row is None or column is None:
            return None
        return (self.table.key, drow.row.key, column)

    def locate(self, ref: CellRef) -> tuple[int, int] | None:
        """(display row, position) of a cell of this table."""
        for i, drow in enumerate(self.rows):
            if drow.row is not None and drow.row.key == ref[1] and ref[2] in drow.keys:
                return i, drow.keys.index(ref[2])
        return None


def build_layout(table: Table) -> GridLayout:
    if table.layout == "blocks":
        return _blocks(table)
    keys = table.column_keys()
    rows: list[DisplayRow] = []
    prev: tuple[str, ...] = ()
    for row in table.rows:
        for depth, group in enumerate(row.path):
            if prev[:depth + 1] != row.path[:depth + 1]:
                rows.append(DisplayRow(group, depth))
        rows.append(DisplayRow(row.label, len(row.path), row,
                               tuple(k if k in row.columns else None for k in keys)))
        prev = row.path
    return GridLayout(table, tuple(rows), len(keys), keys)


def _blocks(table: Table) -> GridLayout:
    n = max(len(r.columns) for r in table.rows)
    rows: list[DisplayRow] = []
    group, columns = None, None
    for row in table.rows:
        if row.group != group or row.columns != columns:
            heads = tuple(column_heading(table.columns[c]) for c in row.columns)
            rows.append(DisplayRow(row.group or "", 0, heads=heads))
            group, columns = row.group, row.columns
        keys = tuple(row.columns) + (None,) * (n - len(row.columns))
        rows.append(DisplayRow(row.label, 1, row, keys))
    return GridLayout(table, tuple(rows), n, None)
