"""The district office's spreadsheet: for each table of the report, a sheet with one row per
reporting body and one column per cell; then the problems.

二、主动公开…, 三、收到和处理…, 四、…复议、行政诉讼…: each table's sheet has the unit
first, then every cell of the table in the order of the exchange file under the table's
own headers taken from the format, merged over their columns and wrapped: the row's groups
and label (三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密) above the column's
groups and label (申请人情况 / 法人或其他组织 / 商业企业, with its unit); the file name
last; the last row holds the totals. 问题: which file has which problem, with the rule's
Chinese name.

Each sheet is readable on screen and on paper: columns fitted to what they hold, header
rows as tall as their wrapped labels, the header and the unit column frozen, counts as
integers (General shows them whole), money in 万元 with 4–6 decimals (exact decimals,
never a float), A4 landscape with the header rows and the unit column repeated on every
page. A table that fits the page width at a readable size is fitted to it; 三 (161–175
cells) is printed across pages instead, broken between the table's rows (each page holds
whole rows of the official table), scaled to the widest page: fitted to one page width,
its text would be ~2 pt. The old single sheet of every cell of every table is gone: no
one can read 200 columns, a table sheet is a regular table for sorting and filtering, and
writing every number twice would cost ~1 s per 1,000 reports; programs read the reports'
JSON. The workbook is written in openpyxl's write-only mode, and only cells that need a
style get one: write-only mode takes a styled cell through an exception, and styling every
count made 1,000 reports 2× slower. Even so openpyxl spends ~10 µs on each plain value (a
cell object, its type, an XML element per level; 1,000 reports with 45,000 findings are
~450,000 values): ``new_sheet`` gives a sheet whose rows of plain numbers and texts are
written as text, the XML openpyxl writes for them (a test compares them; the characters in
UTF-8, not as ``&#30002;``), and the other rows (styled cells, formulas…) by openpyxl. A sheet is one function of
``SHEETS``: another (for example ratios) is one more function.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from copy import copy
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from app.aggregate.summing import Aggregate
from app.files import write_beside
from app.formats import CellRef, Format, Table
from app.rules import SEVERITY_NAMES
from app.table_layout import em_width, unit_note

UNIT, FILE = "报告单位", "文件"
PROBLEM_COLUMNS = ("文件", "报告单位", "类别", "规则", "说明")
PROBLEM_WIDTHS = (24, 28, 10, 24, 44)
"""The widest each 问题 column gets; a longer text wraps in it. Together they print on A4
landscape at ~78 % (11 pt text at ~8.5 pt): before, with columns up to 40 and the
说明 up to 120 characters wide, the sheet printed at ~40 % (4.4 pt)."""
MONEY_FORMAT = "0.0000##"
LINE_HEIGHT = 15.0
"""Points a line of wrapped 11 pt header text takes (a CJK line is ~14–15 pt)."""
PAGE_WIDTH = (297 / 25.4 - 2 * 0.75) * 96
"""Pixels of A4 landscape between the default 0.75-inch margins at 100 %."""
PX_PER_UNIT = 9.5
"""Pixels a unit of column width takes at most: 7 in Excel and WPS (Calibri's digit), 9.3
in LibreOffice where DejaVu Sans stands in for Calibri (measured): pages are laid out for
the widest, so that no program spills a column onto a page of its own."""
LEAST_SCALE = 70
"""Below this print scale (%) a table is printed across pages rather than fitted to one
page width: 11 pt text at 70 % is ~8 pt."""


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
    write_beside(Path(path), lambda tmp: _save_workbook(wb, tmp), ".xlsx.tmp")


def _save_workbook(wb, path: Path) -> None:
    """``wb.save(path)`` (openpyxl's ``save_workbook``) compressing faster: deflate level 1
    instead of 6 takes a third of the time on 1,000 reports' 29 MB of sheets (0.08 s
    against 0.26 s) for a file of 3.4 MB instead of 2.6 MB."""
    import datetime as dt
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1)
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    ExcelWriter(wb, archive).save()


FAST_ROWS = True
"""Whether ``new_sheet`` writes plain values itself (off: every value through openpyxl)."""


def new_sheet(wb, title: str):
    """A write-only sheet of ``wb`` (``wb.create_sheet``) whose rows of plain values (counts,
    Decimals, texts that are not formulas or error codes) are written as the very XML
    openpyxl writes for them, without its per-value cell object; any other row goes
    through openpyxl. When this openpyxl lacks the write-only internals relied on (or
    lxml), a plain sheet."""
    ws = wb.create_sheet(title)
    writer = _fast_writer() if FAST_ROWS else None
    if writer is not None and callable(getattr(ws, "_values_to_row", None)) and hasattr(ws, "_writer"):
        ws._values_to_row = lambda values, row_idx: values      # the writer binds them
        ws.fast_heights = {}                                     # row → points (row_height)
        ws._get_writer = lambda: writer.install(ws)
        append = type(ws).append

        def append_list(row) -> None:
            """``ws.append(row)``; a list once the rows have begun straight to them."""
            if ws._rows is None or type(row) is not list:
                append(ws, row)
            else:
                ws._rows.send(row)
        ws.append = append_list
    return ws


@functools.cache
def _fast_writer():
    """openpyxl's ``WorksheetWriter`` writing plain rows as text into its file, or None."""
    from openpyxl import LXML
    from openpyxl.worksheet import _writer

    base = getattr(_writer, "WorksheetWriter", None)
    if not LXML or base is None or not all(callable(getattr(base, name, None)) for name in
                                           ("get_stream", "write_row", "write_top", "close")):
        return None

    class FastRows(base):  # type: ignore[misc, valid-type]
        """``write_row(xf, values, row)`` taking the values as appended: a row of plain
        values is written as text straight into the sheet's file (after what lxml holds);
        a row with any other value, no value or a height, value by value."""

        raw: Any = None

        @classmethod
        def install(cls, ws) -> None:
            """What ``WriteOnlyWorksheet._get_writer`` does, with this writer."""
            if ws._writer is None:
                ws._writer = cls(ws)
                ws._writer.write_top()

        def get_stream(self):
            """``WorksheetWriter.get_stream`` writing into a file it holds open."""
            from openpyxl.xml.constants import SHEET_MAIN_NS
            from openpyxl.xml.functions import xmlfile

            self.raw = open(self.out, "wb")  # noqa: SIM115 - closed by close()
            with xmlfile(self.raw) as xf, xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = (yield)
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass

        def close(self) -> None:
            super().close()
            if self.raw is not None:
                self.raw.close()

        def write_row(self, xf, values, row_idx: int) -> None:
            r = f"{row_idx}"
            letters = _letters(len(values))
            texts = []
            for col, value in enumerate(values):
                # the commonest cells written here without a call (_cell_text's first cases):
                # a count (the units' tables: 200,000) and a name met before (the 问题 sheet)
                if type(value) is int and -_EXACT_INT <= value <= _EXACT_INT:
                    texts.append(f'<c r="{letters[col]}{r}" t="n"><v>{value}</v></c>')
                elif type(value) is str and (tail := _TEXT_TAILS.get(value)) is not None:
                    texts.append(f'<c r="{letters[col]}{r}{tail}')
                elif value is not None:
                    text = _cell_text(value, letters[col] + r)
                    if text is None:
                        break
                    texts.append(text)
            else:
                if texts:
                    self._raw(xf, "".join([self._row_tag(r, row_idx), *texts, "</row>"]))
                    return
            self._mixed(xf, values, row_idx)

        def _row_tag(self, r: str, row_idx: int) -> str:
            """``<row r="5">``, with the row's height when it has one."""
            if row_idx not in self.ws.row_dimensions:   # the usual row, and a 问题 row's height
                height = self.ws.fast_heights.get(row_idx)   # (_row_attrs, written out: 45,000 rows)
                return f'<row r="{r}">' if height is None else f'<row r="{r}" ht="{height}" customHeight="1">'
            return "<row " + " ".join(f'{k}="{v}"' for k, v in self._row_attrs(row_idx).items()) + ">"

        def _row_attrs(self, row_idx: int) -> dict[str, str]:
            """The row element's attributes: its number, its openpyxl RowDimension's pairs (as
            openpyxl writes them) and a height set by ``row_height``."""
            attrs = {"r": f"{row_idx}"}
            attrs.update(self.ws.row_dimensions.get(row_idx, {}))
            if row_idx in self.ws.fast_heights:
                attrs.update(ht=f"{self.ws.fast_heights[row_idx]}", customHeight="1")
            return attrs

        def _raw(self, xf, text: str) -> None:
            xf.flush()                                  # what lxml holds goes first
            self.raw.write(text.encode("utf-8"))

        def _mixed(self, xf, values, row_idx: int) -> None:
            """A row with a height or a value that is not plain: the plain values as
            text, the others as openpyxl's ``_values_to_row`` and ``write_row`` write them."""
            from openpyxl.cell._writer import write_cell
            from openpyxl.comments.comment_sheet import CommentRecord
            from openpyxl.worksheet._write_only import WriteOnlyWorksheet

            ws = self.ws
            to_cells = WriteOnlyWorksheet._values_to_row  # type: ignore[attr-defined]
            letters, pending = _letters(len(values)), []
            with xf.element("row", self._row_attrs(row_idx)):
                for col, value in enumerate(values):
                    if value is None:
                        continue
                    if type(value) is Styled:
                        value = value.cell(ws)
                    text = _cell_text(value, f"{letters[col]}{row_idx}")
                    if text is not None:
                        pending.append(text)
                        continue
                    if pending:
                        self._raw(xf, "".join(pending))
                        pending = []
                    for cell in to_cells(ws, [None] * col + [value], row_idx):
                        if cell._comment is not None:
                            ws._comments.append(CommentRecord.from_cell(cell))
                        if cell._value is None and not cell.has_style and not cell._comment:
                            continue
                        write_cell(xf, ws, cell, cell.has_style)
                if pending:
                    self._raw(xf, "".join(pending))

    return FastRows


def _cell_text(value, coordinate: str) -> str | None:
    """``<c r="B5" t="n"><v>3</v></c>`` as lxml writes it, but in UTF-8 (lxml writes
    ``&#30002;`` for 甲: 8 bytes, not 3, to encode and compress), when the value is plain:
    a count, a Decimal or a text openpyxl writes as it is (not empty, a formula or an error
    code, and none it would refuse: those go through openpyxl, which refuses them); else
    None."""
    kind = type(value)
    if kind is Styled:
        return _styled_text(value, coordinate)
    if kind is str:
        tail = _TEXT_TAILS.get(value)
        if tail is None:
            tail = _text_tail(value)
            if tail is None:
                return None
            if len(value) < 40:                         # names repeat on every row of a file
                if len(_TEXT_TAILS) > 50_000:
                    _TEXT_TAILS.clear()
                _TEXT_TAILS[value] = tail
        return f'<c r="{coordinate}{tail}'
    if kind is int:
        return f'<c r="{coordinate}" t="n"><v>{value:.16g}</v></c>'       # as safe_string
    if kind is Decimal:
        return f'<c r="{coordinate}" t="n"><v>{_openpyxl_names().safe_string(value)}</v></c>'
    return None


class Styled:
    """A value in one of the shared looks (``_Look.styler``): a text wrapped over more lines,
    an amount in 万元's number format. The fast rows write it with its style's number,
    without making an openpyxl cell for it (the 问题 sheet has tens of thousands)."""
    __slots__ = ("value", "style", "number")

    def __init__(self, value, style, number: int) -> None:
        self.value, self.style, self.number = value, style, number

    def cell(self, ws):
        """The openpyxl cell, for a value the fast rows leave to openpyxl."""
        return _openpyxl_cell(ws, self.value, self.style)


def _openpyxl_cell(ws, value, style):
    """A write-only cell of ``value`` in ``style`` (a copy of the look's StyleArray: what
    setting its font etc. would fill in)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell._style = copy(style)  # type: ignore[attr-defined]  # openpyxl's own
    return cell


def _styled_text(value: Styled, coordinate: str) -> str | None:
    """``<c r="E5" s="3" t="inlineStr">…`` as openpyxl writes a styled plain value; else
    None. The style is written right after the coordinate, as ``_cell_text`` continues
    every cell with ``" t=…``."""
    return _cell_text(value.value, f'{coordinate}" s="{value.number}')


def _text_tail(value: str) -> str | None:
    """A plain text's cell after its coordinate: ``" t="inlineStr"><is><t>…</t></is></c>``."""
    if not value or value in _ERROR_CODES or (value[0] == "=" and len(value) > 1):
        return None
    if not value.isprintable() and _NOT_XML.search(value):   # what is refused is never
        return None                                          # printable: most skip the search
    value = value[:32767]
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'" t="inlineStr"><is><t{space}>{text}</t></is></c>'


_EXACT_INT = 2 ** 53
"""Up to this size a count is a double exactly, and openpyxl's ``%.16g`` writes its digits:
written as ``str`` (a third of the time) in the units' tables' 200,000 cells."""
_TEXT_TAILS: dict[str, str] = {}
"""``_text_tail`` of the short texts met (file, unit and rule names)."""
_ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
"""``openpyxl.cell.cell.ERROR_CODES``: texts openpyxl writes as errors."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What openpyxl (control characters) or lxml (the rest) refuses in a text."""
_LETTERS: list[str] = []


def _letters(count: int) -> list[str]:
    """The column letters A, B, … of the first ``count`` columns (at least)."""
    if len(_LETTERS) < count:
        from openpyxl.utils import get_column_letter

        _LETTERS.extend(get_column_letter(i) for i in range(len(_LETTERS) + 1, count + 1))
    return _LETTERS


def _row(values: Iterable[object]) -> list[object]:
    """Text from the files as it is, but a control character (which a spreadsheet cannot
    hold: openpyxl refuses the whole file) written visibly as ``\\x01``."""
    values = list(values)
    illegal = _openpyxl_names().ILLEGAL_CHARACTERS_RE
    try:   # a row of texts (the 问题 sheet's 45,000): one search; join refuses anything else
        joined = "".join(values)  # type: ignore[arg-type]
        if joined.isprintable() or not illegal.search(joined):   # control characters are not printable
            return values
    except TypeError:
        pass
    return [illegal.sub(_visible, v) if isinstance(v, str) and illegal.search(v) else v for v in values]


def _visible(m: re.Match) -> str:
    return f"\\x{ord(m.group()):02x}"


@functools.cache
def _openpyxl_names():
    """What the writing takes from openpyxl, imported once (not per value)."""
    from types import SimpleNamespace

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.compat import safe_string

    return SimpleNamespace(ILLEGAL_CHARACTERS_RE=ILLEGAL_CHARACTERS_RE, safe_string=safe_string)


class _Look:
    """The few shared cell styles. Write-only mode still makes a cell object per value;
    each style is built once on a prototype cell and copied (setting a number format on
    every cell cost more than writing it)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="808080")
        self.bold = Font(bold=True)
        self.head = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(wrap_text=True)   # at the bottom, as the row's other texts
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self._styles: dict[tuple, object] = {}

    def cell(self, ws, value, *, head: bool = False, bold: bool = False, number: str | None = None,
             wrap: bool = False):
        """``value`` in a cell of the given look; a blank plain value stays a bare value.
        ``wrap``: a long text goes on over more lines of its column (printed, not cut)."""
        if value is None and not head:
            return None
        if not (head or bold or number or wrap):
            return value                 # no style: written like any value (as fast)
        return _openpyxl_cell(ws, value, self._style(ws, head, bold, number, wrap))

    def styler(self, ws, *, number: str | None = None, wrap: bool = False) -> Callable[[object], object]:
        """``value → cell(ws, value, number=…, wrap=…)``; on a sheet of fast rows
        (``new_sheet``) a ``Styled``, which costs no openpyxl cell."""
        if "_get_writer" not in vars(ws):
            return lambda value: self.cell(ws, value, number=number, wrap=wrap)
        style = self._style(ws, False, False, number, wrap)
        index: int | None = None

        def styled(value):
            nonlocal index
            if value is None:
                return None
            if index is None:   # the style's number in the workbook, added when openpyxl would
                index = ws.parent._cell_styles.add(style)
            return Styled(value, style, index)
        return styled

    def _style(self, ws, head: bool, bold: bool, number: str | None, wrap: bool):
        """The style (openpyxl's StyleArray) of a look, built once on a prototype cell."""
        from openpyxl.cell import WriteOnlyCell

        key = (head, bold, number, wrap)
        style = self._styles.get(key)
        if style is None:
            proto = WriteOnlyCell(ws)
            if head:
                proto.font, proto.alignment, proto.border = self.bold, self.head, self.border
            elif bold:
                proto.font = self.bold
            elif wrap:
                proto.alignment = self.wrap
            if number:
                proto.number_format = number
            style = self._styles[key] = proto._style  # type: ignore[attr-defined]  # openpyxl's own
        return style


# ------------------------------------------------------------------ the tables
def _summary_sheet(wb, agg: Aggregate, look: _Look) -> None:
    """One sheet per table of the report (二, 三, 四), in the order of the report."""
    fmt = agg.total.format
    for section in fmt.sections:
        if section.table:
            _table_sheet(wb, agg, look, fmt.tables[section.table])


def _table_sheet(wb, agg: Aggregate, look: _Look, table: Table) -> None:
    """The units' cells of ``table``: unit, the table's cells, file; the totals last."""
    total, fmt = agg.total, agg.total.format
    refs = list(table.cells())
    money = [fmt.kind_of(ref) == "money" for ref in refs]
    widths = _table_widths(agg, fmt, refs)
    row_paths = [_row_path(table.row(row_key)) for _, row_key, _ in refs]
    pages = _pages(widths[:-1], row_paths)
    header = _Header(table, refs, pages[1:])
    ws = new_sheet(wb, table.section.heading)
    _page(ws, widths, freeze=f"B{header.rows + 1}", title_rows=header.rows, title_cols="A:A")
    _print_across(ws, widths[:-1], pages)
    from openpyxl.utils import get_column_letter

    ws.print_area = f"A1:{get_column_letter(len(refs) + 1)}{header.rows + len(agg.summed) + 1}"
    organ = str(_row([f"{total.organ}{total.year}年"])[0]).replace("&", "&&")
    if len(organ) > 200:                             # a page header holds 255 characters
        organ = organ[:199] + "…"
    ws.oddHeader.center.text = f"{organ}　{table.section.heading}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    for row, height in enumerate(header.heights(widths), 1):
        ws.row_dimensions[row].height = height
    for line in header.lines(ws, look, len(widths)):
        ws.append(line)
    amount = look.styler(ws, number=MONEY_FORMAT)
    for e in agg.summed:
        cells = e.read.cells
        ws.append(_row([e.read.organ]) + [amount(cells.get(ref)) if m else cells.get(ref)
                                          for ref, m in zip(refs, money)] + _row([e.name]))
    ws.append([look.cell(ws, v, bold=True) for v in _row([total.organ])]
              + [look.cell(ws, total.cells.get(ref), bold=True, number=MONEY_FORMAT if m else None)
                 for ref, m in zip(refs, money)]
              + [look.cell(ws, "合计", bold=True)])
    for span in header.merged:
        ws.merged_cells.add(span)


class _Header:
    """A table sheet's header rows: the rows' groups and labels (one level each, a row
    label reaching down to the last of them), then the columns' groups and labels (a row's
    columns under it; the label with its unit; a group over every column of the table,
    申请人情况, is left out: repeated over each row it would say nothing); 报告单位 and 文件
    span them all."""

    def __init__(self, table: Table, refs: list[CellRef], cuts: list[int]) -> None:
        row_paths, col_paths = [], []
        shared = _shared_prefix([table.column(c).path for _, _, c in refs])
        for _, row_key, col_key in refs:
            column = table.column(col_key)
            row_paths.append(_row_path(table.row(row_key)))
            note = unit_note(column)
            col_paths.append((row_key,) + column.path[shared:] + (column.label + (f"\n{note}" if note else ""),))
        depth_r = max(len(p) for p in row_paths)
        depth_c = max(len(p) for p in col_paths)
        self.rows = depth_r + depth_c - 1
        self.cells: list[tuple[int, int, int, int, str]] = [(0, 0, self.rows - 1, 0, UNIT)]
        n = len(refs)
        self.cells.append((0, n + 1, self.rows - 1, n + 1, FILE))
        for r0, c0, r1, c1, text in _merged(row_paths, depth_r):
            self.cells.append((r0, c0 + 1, r1, c1 + 1, text))
        for r0, c0, r1, c1, text in _merged(col_paths, depth_c):
            if r0:                                   # level 0 is the row key: not shown
                self.cells.append((depth_r + r0 - 1, c0 + 1, depth_r + r1 - 1, c1 + 1, text))
        for cut in cuts:                             # a group over a page break: on both pages
            self.cells = [part for cell in self.cells for part in _cut(cell, cut)]
        from openpyxl.utils import get_column_letter as col

        self.merged = [f"{col(c0 + 1)}{r0 + 1}:{col(c1 + 1)}{r1 + 1}"
                       for r0, c0, r1, c1, _ in self.cells if (r0, c0) != (r1, c1)]

    def lines(self, ws, look: _Look, width: int) -> list[list]:
        grid: list[list] = [[None] * width for _ in range(self.rows)]
        for r0, c0, _, _, text in self.cells:
            grid[r0][c0] = text
        return [[look.cell(ws, v, head=True) for v in _row(line)] for line in grid]

    def heights(self, widths: list[float]) -> list[float]:
        """Each header row as tall as the wrapped labels in it need; a label over several
        rows adds what it lacks to the last of them."""
        heights = [LINE_HEIGHT + 3] * self.rows
        tall = []
        for r0, c0, r1, c1, text in self.cells:
            need = _lines(text, sum(widths[c0:c1 + 1])) * LINE_HEIGHT + 3
            if r0 == r1:
                heights[r0] = max(heights[r0], need)
            else:
                tall.append((r0, r1, need))
        for r0, r1, need in tall:
            have = sum(heights[r0:r1 + 1])
            if have < need:
                heights[r1] += need - have
        return heights


def _row_path(row) -> tuple[str, ...]:
    """A row's groups and label: 第二十条第（一）项 / 规章; 三、本年度办理结果 / （三）不予公开 /
    1.属于国家秘密."""
    return ((row.group,) if row.group else ()) + row.header_path


def _cut(cell: tuple[int, int, int, int, str], at: int) -> list[tuple[int, int, int, int, str]]:
    """A header cell split before column ``at`` (when it spans it), its text in each part."""
    r0, c0, r1, c1, text = cell
    if c0 < at <= c1:
        return [(r0, c0, r1, at - 1, text), (r0, at, r1, c1, text)]
    return [cell]


def _shared_prefix(paths: list[tuple[str, ...]]) -> int:
    """How many leading groups all ``paths`` share."""
    n = 0
    while all(len(p) > n and p[n] == paths[0][n] for p in paths):
        n += 1
    return n


def _merged(paths: list[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, int, str]]:
    """(level0, first, level1, last, text) of the header cells over columns with these
    ``paths`` (outermost first): at each level, consecutive columns agreeing up to it share
    one cell (a label only with columns of the very same path); a path's last part reaches
    down to the last level."""
    out = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
                continue
            leaf = level == len(path) - 1
            j = i
            while j + 1 < len(paths) and (paths[j + 1] == path if leaf else
                                          len(paths[j + 1]) - 1 > level
                                          and paths[j + 1][:level + 1] == path[:level + 1]):
                j += 1
            out.append((level, i, depth - 1 if leaf else level, j, path[level]))
            i = j + 1
    return out


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a cell ``width`` characters wide (a CJK character is two)."""
    room = max(1.0, width - 1)
    return sum(max(1, -(-int(_text_width(part) * 1.1) // int(room))) for part in text.split("\n"))


def _table_widths(agg: Aggregate, fmt: Format, refs: list[CellRef]) -> list[float]:
    """The unit and file columns as wide as their longest entry; a cell column as wide as
    its total (no report's number is longer: counts and money are not negative, and a sum
    has the most decimals of its terms) or its column label on three lines, 6–16."""
    total = agg.total
    units = [UNIT] + [e.read.organ for e in agg.summed] + [total.organ]
    files = [FILE] + [e.name for e in agg.summed] + ["合计"]
    widths = [_fit(units, 6, 40)]
    for ref in refs:
        label = fmt.column_of(ref).label
        widths.append(max(_fit([_shown(total.cells.get(ref))], 6, 16),
                          min(16.0, _text_width(label) * 1.1 / 3 + 2)))
    return widths + [_fit(files, 6, 40)]


def _pages(widths: list[float], row_paths: list[tuple[str, ...]]) -> list[int]:
    """The first column of each printed page across: [1] when the table fits the page
    width at a readable scale (it is then fitted to it), else pages holding whole groups
    of the table's rows where they fit, whole rows otherwise. ``widths``: the printed
    columns (the unit's, then one per cell, ``row_paths`` giving each cell's row)."""
    px = [PX_PER_UNIT * w + 5 for w in widths]
    room = PAGE_WIDTH * 100 / LEAST_SCALE - px[0]
    if sum(px[1:]) <= room:
        return [1]
    pages, used = [], room
    for block in _blocks(list(range(1, len(px))), row_paths, px, room, 0):
        width = sum(px[c] for c in block)
        if used + width > room:
            pages.append(block[0])
            used = 0
        used += width
    return pages


def _blocks(columns: list[int], row_paths: list[tuple[str, ...]], px: list[float], room: float,
            level: int) -> list[list[int]]:
    """``columns`` in runs printed together: a group of rows (at ``level`` of the row
    paths) that fits ``room`` is one run; a larger group is cut into its subgroups, down
    to single rows."""
    out: list[list[int]] = []
    for _, group in groupby(columns, key=lambda c: row_paths[c - 1][:level + 1]):
        run = list(group)
        if sum(px[c] for c in run) <= room or all(len(row_paths[c - 1]) <= level + 1 for c in run):
            out.append(run)
        else:
            out += _blocks(run, row_paths, px, room, level + 1)
    return out


def _print_across(ws, widths: list[float], pages: list[int]) -> None:
    """A table wider than a readable page: manual page breaks before ``pages[1:]`` and the
    scale at which the widest page fits A4 landscape (a spreadsheet program ignores manual
    breaks on a sheet fitted to the page)."""
    from openpyxl.worksheet.pagebreak import Break

    if len(pages) < 2:
        return                                       # fitted to the width by _page
    px = [PX_PER_UNIT * w + 5 for w in widths]
    bounds = pages[1:] + [len(widths)]
    widest = max(px[0] + sum(px[a:b]) for a, b in zip(pages, bounds))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = min(100, int(100 * PAGE_WIDTH / widest))
    for first in pages[1:]:
        ws.col_breaks.append(Break(id=first, max=1048575))


def _shown(value) -> str:
    if value is None:
        return ""
    from app.numbers import format_value
    return format_value(value)


# ------------------------------------------------------------------ 问题
def _problems_sheet(wb, agg: Aggregate, look: _Look) -> None:
    """Which file has which problem, one line each (as the window shows), the rule by its
    Chinese name."""
    ws = new_sheet(wb, "问题")
    rows = list(_problem_rows(agg))
    widths = [_fit([name] + [r[i] for r in rows], 6, most) for i, (name, most) in
              enumerate(zip(PROBLEM_COLUMNS, PROBLEM_WIDTHS))]
    _page(ws, widths, freeze="C2", title_rows=1, title_cols=None)
    ws.append([look.cell(ws, name, head=True) for name in PROBLEM_COLUMNS])
    wrapped = look.styler(ws, wrap=True)
    capped = [i for i, (width, most) in enumerate(zip(widths, PROBLEM_WIDTHS)) if width >= most]
    for number, row in enumerate(rows, start=2):   # (a column under its cap fits all its texts)
        values = _row(row)
        lines, wide = 1, []
        for i in capped:
            if isinstance(v := values[i], str) and 2 * len(v) + 2 > widths[i]:
                wide.append(i)
                lines = max(lines, _quick_lines(v, widths[i]))
        if lines > 1:   # programs do not grow a row for wrapped text: the lines overlapped
            row_height(ws, number, min(409, lines * int(LINE_HEIGHT)))
            for i in wide:
                values[i] = wrapped(values[i])
        ws.append(values)


def row_height(ws, row: int, points: int) -> None:
    """The height of ``row``, set before it is written: on a sheet of fast rows without an
    openpyxl RowDimension (~9 µs each to make and read back)."""
    if "fast_heights" in vars(ws):
        ws.fast_heights[row] = points
    else:
        ws.row_dimensions[row].height = points


def _quick_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide, counted without measuring
    each character (the 问题 sheet has tens of thousands of messages): a character outside
    ASCII as two units (a CJK character's three UTF-8 bytes), a tenth to spare."""
    units = len(text) + (len(text.encode("utf-8")) - len(text)) / 2
    return max(1, -(-int(units * 1.1) // int(max(1.0, width - 1))))


def _problem_rows(agg: Aggregate) -> Iterable[list]:
    for note in agg.notes:
        yield ["", "", "提示", "", note]
    for entry in agg.entries:
        name = entry.name
        if entry.report is None:
            yield [name, "", "无法读取", "", f"未计入汇总：{entry.failure}"]
            continue
        organ = entry.report.organ
        for problem in entry.import_problems:
            yield [name, organ, "导入", "", problem]
        for f in entry.errors() + entry.warnings():
            yield [name, organ, SEVERITY_NAMES[f.severity], f.name, f.message]


# ------------------------------------------------------------------ shared
def _text_width(value) -> float:
    """Width in Excel's character units: a CJK character counts two."""
    return 2 * em_width(str(value)) if value is not None else 0.0


def _fit(values: Iterable, least: float, most: float) -> float:
    """The widest of ``values`` + 2, within ``least`` and ``most``. A text is at most two
    units a character: the 问题 sheet's 45,000 messages are not all measured."""
    widest = 0.0
    for v in dict.fromkeys(values):                     # each text once (file and unit names repeat)
        if v is None:
            continue
        text = str(v)
        if 2 * len(text) > widest:
            widest = max(widest, _text_width(text))
            if widest + 2 >= most:
                break
    return max(least, min(most, widest + 2))


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
