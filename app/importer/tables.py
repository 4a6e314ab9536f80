"""The tables of a document → the cells of the report, each exactly as printed or empty
with a Chinese message naming it and why.

Tables are looked for only where the format's tables stand (in sections 二–四, or a grid
elsewhere that carries the table's own labels), so prose never yields a value or a
complaint. A number is taken from its row (found by its label, ``labels.py``) and its
position: under the header whose span it starts in when the grid keeps positions (web
page, Word, PDF), else its place in the row when the row holds exactly as many numbers
as the format has columns there. When two readings of a cell disagree, the cell stays
empty and both are shown; a unit printed in a column's header applies to the column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.formats import Format, Row, Table
from app.importer.document import Cell, Grid, Paragraph, norm
from app.importer.labels import RowLabels
from app.importer.text_reader import is_number
from app.numbers import NumberError, format_value, parse_value
from app.report import Report

TEXT = "text"
"""Context of a block in a text section (一、五、六) or before the first heading."""
_PAREN_TAIL = re.compile(r"\(.*\)$")
_UNIT_ONLY = re.compile(r"\(?(?:单位:?)?(万元|元)\)?")
MAX_PENDING = 24


@dataclass
class _State:
    """What is known of one table while its blocks are read."""
    labels: RowLabels
    seen: set[str] = field(default_factory=set)
    last: int = -1
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    width: int = 0
    units: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)


class TableReader:
    def __init__(self, fmt: Format, report: Report, problems: list[str]) -> None:
        self.fmt, self.report, self.problems = fmt, report, problems
        self.state = {key: _State(RowLabels(t)) for key, t in fmt.tables.items()}
        self.heads = {key: _heads(t) for key, t in fmt.tables.items()}
        self.values: dict = {}
        self.read: set = set()
        self.explained: set = set()
        self.conflicts: set = set()
        self.refused: set[str] = set()
        self.found_tables: set[str] = set()
        self.any_cell = False

    def run(self, blocks, contexts: list[str | None]) -> None:
        for block, context in zip(blocks, contexts):
            if isinstance(block, Paragraph):
                if context in self.fmt.tables:
                    self._paragraph(block.text, context)
                continue
            tkey = self._table_for(block, context)
            if tkey is not None:
                self._grid(block, tkey)
        for ref, value in self.values.items():
            if ref[0] not in self.refused:
                self.report.cells[ref] = value
        self._report_missing()

    # -- where tables are
    def _table_for(self, grid: Grid, context: str | None) -> str | None:
        """The table a grid holds: the section's, unless the grid carries another
        table's labels; outside 二–四 only a grid that carries a table's own labels."""
        texts = {norm(c.text) for row in grid.rows for c in row if c.origin and c.text.strip()}
        scores = {key: len(texts & heads) for key, heads in self.heads.items()}
        best = max(scores, key=lambda k: scores[k])
        if context in self.fmt.tables:
            return best if scores[best] > max(scores[context], 1) else context
        return best if scores[best] >= (3 if context == TEXT else 2) else None

    # -- paragraphs inside a table's section
    def _paragraph(self, text: str, tkey: str) -> None:
        tokens = text.split()
        n = 0
        while n < len(tokens) and is_number(tokens[-1 - n]):
            n += 1
        if 0 < n < len(tokens):  # cells separated by spaces: 规章 1 0 11
            self._grid(Grid([[Cell(" ".join(tokens[:-n]))] + [Cell(t) for t in tokens[-n:]]],
                            aligned=False), tkey)
            return
        if self._glued(text, tkey):
            return
        self._pending(tkey, [text])

    def _glued(self, text: str, tkey: str) -> bool:
        """A label run together with the numbers after it: the cell boundaries are lost.

        Only numbers that touch the label and run on into another label of the table, or
        to the end of the text, count: a note under the table (注：行政许可2293件…) is not
        a table row, and cells separated by spaces are not glued."""
        if tkey in self.refused:
            return True
        t = re.sub(r"\s+", " ", norm_keep_spaces(text))
        table = self.fmt.tables[tkey]
        m = self._glued_re(tkey).search(t)
        if m:
            self.refused.add(tkey)
            sample = t[m.start():m.start() + len(m["label"]) + 12]
            self.problems.append(
                f"{table.section.heading}：表格的文字丢失了单元格之间的分隔（如“{sample}”），"
                "无法判断数字之间的分界，这张表未导入；请改用保存的网页（.html）或 Word 文件导入")
            return True
        return False

    def _glued_re(self, tkey: str) -> re.Pattern:
        """Any label of the table, numbers glued to it, then another label or the end: one
        pattern a table (one a label repeated every header in it: 0.13 s to compile)."""
        table = self.fmt.tables[tkey]
        labels = [norm(r.label) for r in table.rows] + [norm(c.label) for c in table.columns.values()]
        after = "|".join(_spaced(h) for h in self.heads[tkey])
        return re.compile("(?P<label>" + "|".join(_spaced(label) for label in labels) + r")"
                          r"\d[\d.]*(?=\s?(?:" + after + r")|\s*$)")

    def _pending(self, tkey: str, texts: list[str]) -> None:
        """Texts printed since the last row: headers, and the start of a broken label."""
        st = self.state[tkey]
        st.pending = (st.pending + [t for t in texts if t.strip()])[-MAX_PENDING:]
        self._units_in("".join(st.pending), tkey)

    def _units_in(self, text: str, tkey: str) -> None:
        """A unit printed after a money column's label (``采购总金额（元）``, even on the
        next line or in the next cell) applies to the whole column."""
        t = norm(text)
        for col in self.fmt.tables[tkey].columns.values():
            if col.kind != "money":
                continue
            name = _PAREN_TAIL.sub("", norm(col.label))
            for m in re.finditer(re.escape(name) + r"\((?:单位:?)?(万元|元)", t):
                self.state[tkey].units[col.key] = m.group(1)

    # -- grids
    def _grid(self, grid: Grid, tkey: str) -> None:
        if tkey in self.refused:
            return
        st = self.state[tkey]
        width = max((len(r) for r in grid.rows), default=0)
        if not (grid.aligned and width == st.width):
            st.positions = {}  # a continued table of the same width keeps its header
        st.width = width if grid.aligned else 0
        headers: list[list[Cell]] = []
        for row in grid.rows:
            first_num = next((j for j, c in enumerate(row) if c.origin and is_number(c.text)), None)
            if first_num is None:
                if not (len(row) <= 2 and any(self._glued(c.text, tkey) for c in row if c.origin)):
                    self._header(row, tkey, grid.aligned)
                    headers.append(row)
                continue
            self._row(row, first_num, tkey, grid.aligned, headers)

    def _header(self, row: list[Cell], tkey: str, aligned: bool) -> None:
        """Remember where each column's header stands (its span) and any unit under it."""
        st = self.state[tkey]
        for j, cell in enumerate(row):
            if not cell.origin or not cell.text.strip():
                continue
            t = norm(cell.text)
            key = self._column(tkey, t)
            if key and aligned:
                st.positions[key] = (j, j + max(1, cell.span) - 1)
            m = _UNIT_ONLY.fullmatch(t)
            if m and aligned:
                for col, (s, e) in st.positions.items():
                    if s <= j <= e and self.fmt.tables[tkey].columns[col].kind == "money":
                        st.units[col] = m.group(1)
        self._pending(tkey, [c.text for c in row if c.origin])

    def _column(self, tkey: str, label: str) -> str | None:
        """Exact label, else the same label with another note in brackets (单位：元)."""
        cols = {norm(c.label): c.key for c in self.fmt.tables[tkey].columns.values()}
        if label in cols:
            return cols[label]
        base = _PAREN_TAIL.sub("", label)
        same = [key for text, key in cols.items() if _PAREN_TAIL.sub("", text) == base]
        return same[0] if len(same) == 1 else None

    def _row(self, row: list[Cell], first_num: int, tkey: str, aligned: bool,
             headers: list[list[Cell]]) -> None:
        st = self.state[tkey]
        table = self.fmt.tables[tkey]
        label_cells = [(j, c) for j, c in enumerate(row[:first_num]) if c.origin and c.text.strip()]
        pieces = st.pending + [c.text for _, c in label_cells]
        self._units_in("".join(pieces), tkey)
        found = st.labels.find(pieces, expected=self._expected(tkey), taken=st.seen)
        st.pending = []
        if found is None:
            self._unlabelled(row, first_num, tkey, headers if aligned else None, label_cells)
            return
        self.found_tables.add(tkey)
        if found.how == "group":
            self._group_row(table, found, row[first_num:])
            return
        frow = found.row
        assert frow is not None   # only a group has no row of its own
        if found.how == "fuzzy":
            self.problems.append(f"提示：{table.section.part}的“{found.text}”按所在位置和文字读作"
                                 f"“{frow.label}”行")
        st.last = max(st.last, [r.key for r in table.rows].index(frow.key))
        at = label_cells[-1][0] if label_cells else first_num - 1
        cells = self._cells(table, frow, row, at, aligned)
        if cells is not None:
            self._store(table, frow, cells)
        st.seen.add(frow.key)

    def _expected(self, tkey: str) -> Row | None:
        """The row that should come next (the first unread one after the last read)."""
        st = self.state[tkey]
        rows = self.fmt.tables[tkey].rows
        return next((r for r in rows[st.last + 1:] if r.key not in st.seen), None)

    def _cells(self, table: Table, frow: Row, row: list[Cell], at: int,
               aligned: bool) -> dict[str, Cell] | None:
        """Each column's cell: under its header's span, else by order when all are there."""
        pos = self.state[table.key].positions
        values = [(j, c) for j, c in enumerate(row) if j > at and c.origin and c.text.strip()]
        where = f"{table.section.part} {frow.short}行"
        if aligned and all(col in pos and pos[col][0] > at for col in frow.columns):
            by_col: dict[str, list[Cell]] = {col: [] for col in frow.columns}
            for j, cell in values:
                col = _header_of(j, {c: pos[c] for c in frow.columns})
                if col is None:
                    self.problems.append(f"{where}：数字“{cell.text}”不在本行任何一栏的表头之下，未导入")
                else:
                    by_col[col].append(cell)
            out = {}
            for col, cells in by_col.items():
                if len(cells) > 1:
                    ref = (table.key, frow.key, col)
                    shown = "、".join(c.text for c in cells)
                    self.problems.append(f"{self.fmt.describe_cell(ref)}：同一栏表头下有 {len(cells)} 个数字"
                                         f"（{shown}），无法确定是哪一个，未导入")
                    self.explained.add(ref)
                    self.read.add(ref)
                    continue
                out[col] = cells[0] if cells else Cell("")
            return out
        filled = [c for _, c in values]
        if len(filled) == len(frow.columns):
            return dict(zip(frow.columns, filled))
        shown = "、".join(c.text for c in filled) or "无"
        self.problems.append(f"{where}：读到 {len(filled)} 个数字（{shown}），应有 {len(frow.columns)} 个，"
                             "无法确定各数字属于哪一栏，这一行未导入")
        self.explained.update((table.key, frow.key, c) for c in frow.columns)
        self.state[table.key].seen.add(frow.key)
        return None

    def _group_row(self, table: Table, found, numbers: list[Cell]) -> None:
        """A group printed as one row (the 2019 form's single （六）其他处理 in a 2021
        report): its rows cannot be told apart, so they stay empty, with a message."""
        st = self.state[table.key]
        rows = [r for r in found.rows if r.key not in st.seen]
        if not rows:
            return
        shown = "、".join(c.text for c in numbers if c.origin and c.text.strip())
        names = "、".join(f"“{r.label}”" for r in rows)
        self.problems.append(
            f"{table.section.part}：报告把“{found.text}”印成一行（{shown}），{self.fmt.version} 版格式要求"
            f"分 {len(rows)} 行填写（{names}），无法拆分，这 {len(rows)} 行未导入，请对照原件填写")
        for r in rows:
            st.seen.add(r.key)
            self.explained.update((table.key, r.key, c) for c in r.columns)

    def _unlabelled(self, row: list[Cell], first_num: int, tkey: str,
                    headers: list[list[Cell]] | None, label_cells) -> None:
        """A row of numbers without a label: the wide table (复议诉讼) prints its rows side
        by side. With positions kept (``headers``), each number is found by the labels
        above it; else its numbers are taken in the order of the format when all are there
        (a leading text cell is a number that could not be read, or a stray header)."""
        table = self.fmt.tables[tkey]
        if table.layout == "wide":
            if headers and self._wide_by_header(table, row, headers):
                return
            refs = list(table.cells())
            numbers = [c for c in row if c.origin and c.text.strip()]
            if len(numbers) != len(refs):
                numbers = [c for c in row[first_num:] if c.origin and c.text.strip()]
            readable = sum(is_number(c.text) for c in numbers)
            if len(numbers) == len(refs) and readable * 2 > len(refs):
                self.found_tables.add(table.key)
                for frow in table.rows:
                    cells = {col: numbers[refs.index((table.key, frow.key, col))] for col in frow.columns}
                    self._store(table, frow, cells)
                return
        label = label_cells[-1][1].text if label_cells else ""
        shown = "、".join(c.text for c in row if c.origin and c.text.strip())
        self.problems.append(f"{table.section.part}：表格中有一行无法识别"
                             f"{('（“' + label + '”）') if label else ''}：{shown[:80]}，未导入")

    def _wide_by_header(self, table: Table, row: list[Cell], headers: list[list[Cell]]) -> bool:
        """Each cell of ``table`` from the one position whose header names its row and column."""
        paths = [{norm(h[j].text) for h in headers if j < len(h) and h[j].text} for j in range(len(row))]
        found: dict[str, dict[str, Cell]] = {}
        for frow in table.rows:
            for col in frow.columns:
                want = {norm(frow.label), norm(table.columns[col].label)}
                at = [j for j, path in enumerate(paths) if want <= path]
                if len(at) != 1:
                    return False
                found.setdefault(frow.key, {})[col] = row[at[0]] if row[at[0]].origin else Cell("")
        self.found_tables.add(table.key)
        for frow in table.rows:
            self._store(table, frow, found[frow.key])
        return True

    # -- values
    def _store(self, table: Table, frow: Row, cells: dict[str, Cell]) -> None:
        for col, cell in cells.items():
            ref = (table.key, frow.key, col)
            if ref in self.conflicts:
                continue
            value = self._parse(ref, cell.text)
            if ref in self.read and self.values.get(ref) != value:
                old = self.values.get(ref)
                self.problems.append(
                    f"{self.fmt.describe_cell(ref)}：表格中出现两次且数字不同（{_shown(old)} 与 {_shown(value)}），"
                    "无法确定哪个是对的，未导入，请对照原件填写")
                self.values[ref] = None
                self.conflicts.add(ref)
                self.explained.add(ref)
                continue
            self.read.add(ref)
            self.values[ref] = value
            if value is not None:
                self.any_cell = True
        self.state[table.key].seen.add(frow.key)

    def _parse(self, ref, text: str):
        text = text.strip()
        if not text:
            return None
        column = self.fmt.column_of(ref)
        where = self.fmt.describe_cell(ref)
        unit = self.state[ref[0]].units.get(ref[2])
        by_header = column.kind == "money" and unit == "元" and not norm(text).endswith("元")
        try:
            value, was_yuan = parse_value(column.kind, text + ("元" if by_header else ""))
        except NumberError as exc:
            self.problems.append(f"{where}：{exc}，未导入")
            self.explained.add(ref)
            return None
        if by_header:
            self.problems.append(f"提示：{where}的表头注明单位为元，印的是 {text} 元，"
                                 f"已换算为 {format_value(value)} 万元")
        elif was_yuan:
            self.problems.append(f"提示：{where}以元为单位（{text}），已换算为 {format_value(value)} 万元")
        return value

    def _report_missing(self) -> None:
        for table in self.fmt.tables.values():
            if table.key in self.refused:
                continue
            if table.key not in self.found_tables:
                self.problems.append(f"未找到“{table.section.heading}”的表格，其数字未导入")
                continue
            seen = self.state[table.key].seen
            for frow in table.rows:
                if frow.key not in seen:
                    self.problems.append(f"{table.section.part}：未找到“{frow.label}”这一行，其数字未导入")
                    continue
                empty = [table.columns[c].short for c in frow.columns
                         if self.report.cells[(table.key, frow.key, c)] is None
                         and (table.key, frow.key, c) not in self.explained]
                if empty:
                    self.problems.append(f"{table.section.part} {frow.short}行：{'、'.join(empty)}为空白或无法读取")


def _header_of(j: int, spans: dict[str, tuple[int, int]]) -> str | None:
    """The column whose header span a value starting at ``j`` starts in; where spans
    overlap (Word's irregular grids), the one that starts exactly at ``j``."""
    under = [c for c, (s, e) in spans.items() if s <= j <= e]
    if len(under) > 1:
        under = [c for c in under if spans[c][0] == j]
    return under[0] if len(under) == 1 else None


def _shown(value) -> str:
    return "空白" if value is None else format_value(value)


def _heads(table: Table) -> set[str]:
    """Every text a table may print: labels, header groups, corner notes."""
    texts = {r.label for r in table.rows} | {a for r in table.rows for a in r.aliases}
    texts |= {c.label for c in table.columns.values()}
    texts |= {g for r in table.rows for g in (*r.path, r.group) if g}
    texts |= {g for c in table.columns.values() for g in c.path}
    texts |= {x for x in (table.row_header, table.corner) if x}
    return {norm(x) for x in texts}


def norm_keep_spaces(text: str) -> str:
    """``norm`` but with whitespace kept where it separates (one space)."""
    return " ".join(norm(part) for part in text.split())


def _spaced(label: str) -> str:
    """A regex for ``label`` that allows spaces between its characters."""
    return r"\s?".join(map(re.escape, label))
