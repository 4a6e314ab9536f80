"""A report table as an on-screen grid: display rows and data positions (no Qt).

Built from the format file only. Column 0 of the screen grid holds the row labels; data
columns follow. Header groups of rows (``path``, e.g. 三、本年度办理结果 › （三）不予公开)
become indented group lines. A ``blocks`` table (section 二) shows, like the official
form, a line per group that names the columns of the rows below it, so the grid stays
narrow although each group has its own columns. Paste walks the data rows only, so a
block copied from an Excel sheet of the official table (where the group labels sit in
merged cells on the left) lands row for row.
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
        if not drow.is_data or position >= len(drow.keys) or drow.keys[position] is None:
            return None
        return (self.table.key, drow.row.key, drow.keys[position])

    def locate(self, ref: CellRef) -> tuple[int, int] | None:
        """(display row, position) of a cell of this table."""
        for i, drow in enumerate(self.rows):
            if drow.is_data and drow.row.key == ref[1] and ref[2] in drow.keys:
                return i, drow.keys.index(ref[2])
        return None

    def data_rows_from(self, display_row: int) -> list[int]:
        return [i for i in range(max(display_row, 0), len(self.rows)) if self.rows[i].is_data]


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


def parse_tsv(text: str) -> list[list[str]]:
    """Cells copied from Excel/WPS: lines by newline, cells by tab; quotes around a cell
    (Excel adds them when a cell holds a line break) are removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        out.append([c[1:-1].replace('""', '"') if len(c) >= 2 and c[0] == c[-1] == '"' else c
                    for c in cells])
    return out


class PasteError(ValueError):
    """A paste that does not fit; the message (Chinese) says why. Nothing was changed."""


def plan_paste(layout: GridLayout, start_row: int, start_pos: int, block: list[list[str]],
               computed: set[CellRef], parse, describe) -> tuple[dict[CellRef, object], int]:
    """The cell values a paste of ``block`` at (start_row, start_pos) would set.

    All or nothing: any value that cannot be read, or a block larger than the room left,
    raises ``PasteError`` and nothing is set. Computed totals are skipped (they follow
    from the parts); the second result says how many were skipped. ``parse(ref, text)``
    returns the value or raises ``NumberError``; ``describe(ref)`` names a cell.
    """
    if start_pos < 0:
        raise PasteError("请先选中要粘贴到的第一个数字单元格（不是行标题）")
    n_rows, n_cols = len(block), max(len(r) for r in block)
    rows = layout.data_rows_from(start_row)
    if n_rows > len(rows):
        raise PasteError(f"粘贴的内容有 {n_rows} 行，但从所选单元格往下只有 {len(rows)} 行可填；未粘贴")
    if start_pos + n_cols > layout.n_positions:
        room = layout.n_positions - start_pos
        raise PasteError(f"粘贴的内容有 {n_cols} 列，但从所选单元格往右只有 {room} 列可填；未粘贴")
    values: dict[CellRef, object] = {}
    skipped = 0
    for i, line in enumerate(block):
        for j, text in enumerate(line):
            ref = layout.ref(rows[i], start_pos + j)
            if ref is None:
                if text.strip():
                    raise PasteError(f"粘贴内容第 {i + 1} 行第 {j + 1} 列“{text.strip()}”"
                                     "在表格中没有对应的单元格；未粘贴")
                continue
            if ref in computed:
                skipped += 1
                continue
            try:
                values[ref] = parse(ref, text)
            except ValueError as exc:
                raise PasteError(f"{describe(ref)}：{exc}；未粘贴任何内容") from None
    return values, skipped
