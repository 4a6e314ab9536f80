"""A block of grid cells as clipboard text, and clipboard text back as cell edits (no Qt).

Copy and paste walk the same rows: the screen rows of ``app.grid_layout``, group lines
(三、本年度办理结果, a 二 block's column names) included. So a block is put back where
it came from by the identity of its rows, never by counting data rows:

- **by position** (the block holds numbers only): line *i* goes to screen row *top + i*.
  A line that meets a group line must be blank or repeat what the group line shows (its
  label, or a 二 block's column names); anything else does not fit.
- **by label** (the first column(s) hold row labels, as in the official table or a copy
  taken with the label column): each line goes to the row its label names, compared with
  the importer's tolerance (``app.importer.document.norm`` and ``label_core``: full- or
  half-width brackets, spaces, line breaks, numbering). A label of a group line places a
  line of no numbers on that group line; a blank line is passed over.

A block that does not line up is refused with a ``PasteError`` naming its first line that
does not fit, and nothing is set. Totals are never pasted (they follow from the parts);
a pasted total that differs from the sum of its parts is said with both numbers
(``total_notes``). Clipboard text is read and written with the ``csv`` module in the
tab-separated form Excel and WPS use, so a quoted cell holding a line break stays one cell.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.edits import computed_total
from app.formats import CellRef, Table
from app.grid_layout import DisplayRow, GridLayout
from app.importer.document import norm
from app.importer.labels import core as label_core
from app.numbers import NumberError, format_value, parse_value
from app.report import Report, Value
from app.table_layout import column_heading

Box = tuple[int, int, int, int]
"""A selection on screen: top row, left column, bottom row, right column (inclusive).
Column 0 is the label column; column *c* ≥ 1 is data position *c − 1*."""


class PasteError(ValueError):
    """A paste that does not fit; the Chinese message says where. Nothing was changed."""


@dataclass
class Paste:
    """What a paste sets: ``values`` (one undo step), and the totals it carried."""
    values: dict[CellRef, Value] = field(default_factory=dict)
    totals: dict[CellRef, Value] = field(default_factory=dict)
    """Pasted into computed totals: not set (they follow from the parts), only compared."""
    header_lines: int = 0
    """Lines of column names (自然人 商业企业 …) above the numbers, passed over."""

    def summary(self) -> str:
        """``已粘贴 12 个单元格；2 个总计按各分项自动计算`` (the paste has been applied)."""
        text = f"已粘贴 {len(self.values)} 个单元格"
        if self.header_lines:
            text += f"（跳过表头 {self.header_lines} 行）"
        if self.totals:
            text += f"；{len(self.totals)} 个总计单元格按分项自动计算，未使用粘贴的数"
        return text


# ------------------------------------------------------------------ clipboard text
def read_clipboard(text: str) -> list[list[str]]:
    """Lines of cells from tab-separated text as Excel/WPS write it (quoted cells may hold
    tabs, quotes and line breaks). Empty lines at the end are not lines; an empty line
    inside is a line of no cells (it changes nothing where it lands)."""
    lines = [list(line) for line in csv.reader(io.StringIO(text), dialect="excel-tab")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def write_clipboard(lines: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, dialect="excel-tab", lineterminator="\r\n").writerows(lines)
    return out.getvalue()


# ------------------------------------------------------------------ copy
def shown_text(layout: GridLayout, cells: Mapping[CellRef, Value], row: int, column: int) -> str:
    """What the grid shows at a screen cell, as copied: labels without indent, numbers as
    printed, a group line's label (column 0) or a 二 block's column name."""
    drow = layout.rows[row]
    if column == 0:
        return drow.label
    if not drow.is_data:
        return drow.heads[column - 1] if column - 1 < len(drow.heads) else ""
    ref = layout.ref(row, column - 1)
    return format_value(cells[ref]) if ref is not None else ""


def copy_text(layout: GridLayout, cells: Mapping[CellRef, Value], box: Box) -> str:
    """The clipboard text of a selection: every screen row, group lines too."""
    r0, c0, r1, c1 = box
    return write_clipboard([[shown_text(layout, cells, r, c) for c in range(c0, c1 + 1)]
                            for r in range(r0, r1 + 1)])


# ------------------------------------------------------------------ paste
def plan_paste(layout: GridLayout, report: Report, row: int, column: int, text: str) -> Paste:
    """The cell values a paste of ``text`` at screen cell (row, column) sets: all of it,
    or ``PasteError`` and nothing."""
    lines = read_clipboard(text)
    if not lines:
        raise PasteError("剪贴板中没有可粘贴的内容")
    index = _LabelIndex(layout)
    width = max(len(line) for line in lines)
    labels = _label_columns(lines, index) if width > 1 else 0
    planner = _Planner(layout, report)
    if labels:
        _by_label(planner, index, lines, labels, max(column - 1, 0))
    else:
        _by_position(planner, index, lines, row, column)
    if not planner.paste.values and not planner.paste.totals:
        raise PasteError("粘贴的内容没有可以填入的格子（行标题、标题行不填数，总计按分项自动计算）；未粘贴")
    return planner.paste


def plan_fill(layout: GridLayout, report: Report, box: Box, text: str) -> Paste:
    """One copied value into every cell of a selection (totals excepted)."""
    planner = _Planner(layout, report)
    for r in range(box[0], box[2] + 1):
        for c in range(max(box[1], 1), box[3] + 1):
            ref = layout.ref(r, c - 1)
            if ref is not None:
                planner.put(ref, text)
    return planner.paste


def plan_clear(layout: GridLayout, report: Report, box: Box) -> dict[CellRef, Value]:
    """The cells a clear of the selection empties (totals follow from their parts)."""
    computed = report.format.computed_cells()
    return {ref: None for r in range(box[0], box[2] + 1) for c in range(max(box[1], 1), box[3] + 1)
            if (ref := layout.ref(r, c - 1)) is not None and ref not in computed}


def total_notes(report: Report, paste: Paste) -> list[str]:
    """Pasted totals that differ from the sum of their parts (after the paste), in words."""
    fmt = report.format
    notes = []
    relations = {rel.target: rel for rel in fmt.total_relations}
    for ref, pasted in paste.totals.items():
        parts = computed_total(report, relations[ref])
        if parts != pasted:
            sum_text = f"各分项之和为 {format_value(parts)}" if parts is not None else "各分项都未填写"
            notes.append(f"{fmt.describe_cell(ref)}：粘贴的总计为 {format_value(pasted)}，"
                         f"{sum_text}，两者不一致")
    return notes


class _Planner:
    """Collects the values of a paste, refusing any that cannot be read."""

    def __init__(self, layout: GridLayout, report: Report) -> None:
        self.layout = layout
        self.fmt = report.format
        self.computed = report.format.computed_cells()
        self.paste = Paste()

    def put(self, ref: CellRef, text: str) -> None:
        try:
            value = parse_value(self.fmt.kind_of(ref), text)[0]
        except NumberError as exc:
            raise PasteError(f"{self.fmt.describe_cell(ref)}：{exc}；未粘贴任何内容") from None
        if ref not in self.computed:
            self.paste.values[ref] = value
        elif value is not None:
            self.paste.totals[ref] = value

    def line(self, n: int, display_row: int, cells: list[str], first_pos: int) -> None:
        """Cells of block line ``n`` (1-based) on a data row, from data position ``first_pos``."""
        for j, text in enumerate(cells):
            ref = self.layout.ref(display_row, first_pos + j)
            if ref is not None:
                self.put(ref, text)
            elif text.strip():
                drow = self.layout.rows[display_row]
                assert drow.row is not None   # lines are pasted on data rows only
                why = (f"从所选单元格往右只有 {self.layout.n_positions - first_pos} 列"
                       if first_pos + j >= self.layout.n_positions
                       else f"“{drow.label}”这一行只有 {len(drow.row.columns)} 列")
                raise PasteError(f"粘贴内容第 {n} 行第 {j + 1} 个数“{text.strip()}”"
                                 f"在表格中没有对应的单元格（{why}）；未粘贴")


def _by_position(planner: _Planner, index: _LabelIndex, lines: list[list[str]],
                 row: int, column: int) -> None:
    layout = planner.layout
    if column < 1:
        raise PasteError("请先选中要粘贴到的第一个数字单元格（不是行标题）；"
                         "或连同行标题一起复制，程序按行标题对齐")
    skip = 0
    if layout.rows[row].is_data:          # column names above the numbers (from Excel)
        while skip < len(lines) - 1 and index.is_column_heading(lines[skip]):
            skip += 1
    planner.paste.header_lines = skip
    width = max(len(line) for line in lines)
    if column - 1 + width > layout.n_positions and any(
            c.strip() for line in lines for c in line[layout.n_positions - column + 1:]):
        raise PasteError(f"粘贴的内容有 {width} 列，但从所选单元格往右只有 "
                         f"{layout.n_positions - column + 1} 列可填；未粘贴")
    body = lines[skip:]
    room = len(layout.rows) - row
    if len(body) > room and any(c.strip() for line in body[room:] for c in line):
        raise PasteError(f"粘贴的内容有 {len(body)} 行，但从所选单元格往下只有 {room} 行可填；未粘贴")
    for i, cells in enumerate(body[:room]):
        n, r = skip + i + 1, row + i
        drow = layout.rows[r]
        if drow.is_data:
            planner.line(n, r, cells, column - 1)
        elif not index.fits_group_line(drow, cells, column):
            shown = "、".join(c.strip() for c in cells if c.strip())
            raise PasteError(f"粘贴内容第 {n} 行（{shown}）落在表格的标题行“{drow.label}”上，"
                             "行对不上；未粘贴。请连同行标题一起复制，或从这一行的下一行开始粘贴")


def _by_label(planner: _Planner, index: _LabelIndex, lines: list[list[str]],
              labels: int, first_pos: int) -> None:
    layout = planner.layout
    values = [line[labels:] for line in lines]
    values = _drop_merge_gap(values, layout.n_positions - first_pos)
    placed: dict[int, int] = {}
    for n, (line, cells) in enumerate(zip(lines, values), start=1):
        label = next((c.strip() for c in reversed(line[:labels]) if c.strip()), "")
        r = index.row_of(label) if label else None
        if r is None and index.is_column_heading(line):   # column names: no numbers
            planner.paste.header_lines += 1
            continue
        if not label:
            if any(c.strip() for c in cells):
                raise PasteError(f"粘贴内容第 {n} 行没有行标题，无法判断是哪一行；未粘贴")
            continue
        if r is None:
            raise PasteError(f"粘贴内容第 {n} 行的行标题“{label}”不是本表的行；未粘贴")
        if r in placed:
            raise PasteError(f"粘贴内容第 {n} 行与第 {placed[r]} 行是同一行“{label}”；未粘贴")
        placed[r] = n
        drow = layout.rows[r]
        if drow.is_data:
            planner.line(n, r, cells, first_pos)
        elif not index.fits_group_line(drow, cells, first_pos + 1):
            raise PasteError(f"粘贴内容第 {n} 行“{label}”是表格的标题行，不应有数字；未粘贴")


def _label_columns(lines: list[list[str]], index: _LabelIndex) -> int:
    """How many leading columns hold row labels: up to the last one naming a row of this
    table, among the columns before the first number; 0 when the block has no labels. A
    first column of words that are neither numbers nor column names is taken for labels
    too (of another table, or misspelt: the paste is then refused naming the line)."""
    found = 0
    for j in range(max(len(line) for line in lines)):
        column = [line[j].strip() for line in lines if j < len(line) and line[j].strip()]
        if any(_is_number(c) for c in column):
            break
        if any(index.row_of(c) is not None for c in column):
            found = j + 1
        elif j == 0 and any(not index.is_column_heading([c]) for c in column):
            found = 1
    return found


def _drop_merge_gap(values: list[list[str]], room: int) -> list[list[str]]:
    """Blank columns between the labels and the numbers, when the block is otherwise too
    wide: the official table's labels span up to three merged columns (一、本年新收… over
    all three), and Excel copies the covered cells as blanks."""
    width = max(len(v) for v in values)
    gap = 0
    while width - gap > room and all(gap >= len(v) or not v[gap].strip() for v in values):
        gap += 1
    return [v[gap:] for v in values] if width - gap <= room else values


def _is_number(text: str) -> bool:
    try:
        parse_value("money", text.lstrip("-−－"))
    except NumberError:
        return False
    return True


class _LabelIndex:
    """The labels of a grid's rows and group lines, and its column names, as the importer
    compares them (``norm``; else the label without numbering or note, when unique)."""

    def __init__(self, layout: GridLayout) -> None:
        self.exact: dict[str, int] = {}
        cores: dict[str, list[int]] = {}
        for i, drow in enumerate(layout.rows):
            if drow.label:
                self.exact.setdefault(norm(drow.label), i)
                cores.setdefault(label_core(norm(drow.label)), []).append(i)
        self.cores = {k: v[0] for k, v in cores.items() if len(v) == 1}
        self.headings = _column_texts(layout.table)

    def row_of(self, text: str) -> int | None:
        t = norm(text)
        return self.exact[t] if t in self.exact else self.cores.get(label_core(t))

    def is_column_heading(self, cells: list[str]) -> bool:
        texts = [norm(c) for c in cells if c.strip()]
        return bool(texts) and all(t in self.headings for t in texts)

    def fits_group_line(self, drow: DisplayRow, cells: list[str], column: int) -> bool:
        """A line on a group line: blank, or what the grid shows there (its label, or a
        二 block's column names at their places)."""
        for j, text in enumerate(cells):
            if not text.strip():
                continue
            pos = column - 1 + j
            shown = drow.heads[pos] if 0 <= pos < len(drow.heads) else None
            if norm(text) not in (norm(drow.label), norm(shown or "\0")):
                return False
        return True


def _column_texts(table: Table) -> frozenset[str]:
    """Every text a line of column names may hold: labels (with the printed unit line),
    their groups, the corner and the row header."""
    texts = {table.row_header or "", table.corner or ""}
    for col in table.columns.values():
        texts |= {col.label, column_heading(col), *col.path}
    return frozenset(norm(t) for t in texts if t)
