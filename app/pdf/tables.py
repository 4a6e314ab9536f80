"""The grids of ``app.table_layout`` drawn on the canvas, and the block that breaks them
across pages (header rows repeated, cut group cells repeated, blocks kept together).

Labels wrap by characters in the table face (missing characters from a fallback face);
numbers are plain strings, shrunk to fit their cell and never cut. The geometry is that of
reportlab's platypus ``Table`` with CJK ``Paragraph`` labels, which drew these tables
before (row heights from the tallest cell, a merged cell's extra height shared by its
rows, labels centred vertically, rules not drawn through merged cells): the same numbers
are computed here, without loading platypus (~50 ms of every export's start).
"""
from __future__ import annotations

from dataclasses import dataclass
from unicodedata import category

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.pdf.fonts import FontSet
from app.pdf.linebreak import CANNOT_START
from app.pdf.style import Style
from app.table_layout import GridCell, TableGrid, column_widths, label_lines, split_grid, split_points

FUZZ = 1e-6
"""Layout tolerance in points (reportlab's)."""
REPORTLAB_CANNOT_START = ("!',.:;?!\")]、。」』】〕］】）々―ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮーヵヶ゛゜・ヽヾ"
                          "ゝゞ―‐°′″℃￠％‰")
"""reportlab's ``textsplit.ALL_CANNOT_START`` (5.1), which the labels were always wrapped
with (importing that module compiles a regex over most of Unicode: a few ms a run)."""
LABEL_CANNOT_START = frozenset(REPORTLAB_CANNOT_START + CANNOT_START)
"""Characters that never start a line of a label: they hang at the end of the line above."""
CENTERED = ("head", "group")
"""Label kinds centred in their cell; the others (row labels, the corner note) start left."""


def widen_for_numbers(grid: TableGrid, widths: list[float], font: str, role: dict) -> list[float]:
    """Columns whose numbers would need a font smaller than ``comfort_number_size`` get
    wider, taking the room from the label columns (which wrap) down to half their width:
    so 10-digit totals stay on one line in readable print."""
    need = [0.0] * len(widths)
    has_value = [False] * len(widths)
    for r, line in enumerate(grid.cells):
        for c, cell in enumerate(line):
            if cell is not None and cell.kind == "value":
                has_value[c] = True
                if grid.span_width(r, c) == (c, c):
                    text_w = stringWidth(cell.text, font, role["comfort_number_size"])
                    need[c] = max(need[c], text_w + 2 * role["number_padding"])
    deficit = [max(0.0, need[c] - widths[c]) if has_value[c] else 0.0 for c in range(len(widths))]
    # narrow label columns (三、本年度办理结果, （三）不予公开) keep their width
    floor = 5 * role["size"]
    spare_of = {c: max(0.0, widths[c] - max(floor, widths[c] / 2))
                for c in range(len(widths)) if not has_value[c]}
    spare, want = sum(spare_of.values()), sum(deficit)
    if not want or not spare:
        return widths
    take = min(want, spare)
    out = list(widths)
    for c, room in spare_of.items():
        out[c] -= take * room / spare
    for c in range(len(widths)):
        out[c] += take * deficit[c] / want
    return out


def fit_number(text: str, width: float, font: str, size: float, min_size: float) -> tuple[str, float]:
    """The font size at which ``text`` fits ``width``; below ``min_size`` the digits are
    broken over lines instead, so that no digit is ever cut off or hidden."""
    natural = stringWidth(text, font, 1) or 1
    fitted = min(size, width / natural)
    if fitted >= min_size:
        return text, fitted
    per_line = max(1, int(width / (natural / len(text) * min_size)))
    lines = [text[i:i + per_line] for i in range(0, len(text), per_line)]
    return "\n".join(lines), min_size


# ------------------------------------------------------------------ labels
Run = tuple[str, str, float]
"""Text, font name, size."""
Char = tuple[str, str, float, bool]
"""Character, font name, size, forced line break."""


@dataclass
class LabelLine:
    x: float                 # from the label's left edge
    runs: list[Run]


@dataclass
class Label:
    lines: list[LabelLine]
    height: float


class LabelMaker:
    """Lays out label cells: their lines (``label_lines``, a note in the note face below),
    each wrapped by characters to the cell's width."""

    def __init__(self, fonts: FontSet, style: Style, where: str) -> None:
        self.fonts, self.where = fonts, where
        role, note = style.role("table"), style.role("note")
        self.size, self.leading = role["size"], role["leading"]
        self.note_size = note["size"]
        self.break_font = fonts.for_role("table").name
        fonts.for_role("note")

    def characters(self, cell: GridCell) -> list[Char]:
        """The cell's characters; a forced break (between the lines of ``label_lines`` and
        before the note) is an empty character."""
        parts = [(line, "table", self.size) for line in label_lines(cell)]
        if cell.note:
            parts.append((cell.note, "note", self.note_size))
        out: list[Char] = []
        for n, (text, role, size) in enumerate(parts):
            if n:
                out.append(("", self.break_font, self.size, True))
            for run, face in self.fonts.runs(text, role, self.where):
                out += [(ch, face.name, size, False) for ch in run]
        return out

    def make(self, chars: list[Char], centered: bool, width: float) -> Label:
        """The label ``width`` wide: its lines, the first baseline ``size`` below the top,
        each line ``leading`` below the last, centred or flush left."""
        items = [(ch, _char_width(ch, font, size), brk) for ch, font, size, brk in chars]
        lines = []
        for start, end, extra in wrap_characters(items, width):
            x = 0.5 * extra if centered else 0.0
            lines.append(LabelLine(x, _runs(chars[start:end])))
        return Label(lines, len(lines) * self.leading)


_WIDTHS: dict[tuple[str, str, float], float] = {}


def _char_width(ch: str, font: str, size: float) -> float:
    """Width of one character (labels are laid out again for each part of a table)."""
    key = (ch, font, size)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = stringWidth(ch, font, size) if ch else 0.0
    return width


def _runs(chars: list[Char]) -> list[Run]:
    runs: list[Run] = []
    for ch, font, size, _ in chars:
        if runs and runs[-1][1:] == (font, size):
            runs[-1] = (runs[-1][0] + ch, font, size)
        else:
            runs.append((ch, font, size))
    return [run for run in runs if run[0]]


def wrap_characters(items: list[tuple[str, float, bool]], width: float) -> list[tuple[int, int, float]]:
    """(start, end, room left) of each line of ``items`` (character, width, forced break):
    characters packed greedily; the one that does not fit starts the next line unless it
    may not start one (it then hangs past the edge); a Latin word that does not fit goes
    to the next line whole (from its last space or CJK character, within the line's second
    half). This is reportlab's CJK wrapping, which the printed tables have always used."""
    lines = []
    i = start = 0
    used = 0.0
    n = len(items)
    while i < n:
        ch, w, forced = items[i]
        i += 1
        used += w
        if not forced and not (used > width + FUZZ and used > 0):
            continue
        extra = width - used
        if not forced:
            if ord(ch) < 0x3000:
                for j in range(i - 1, (start + i) >> 1, -1):
                    cj = items[j][0]
                    if category(cj) == "Zs" or ord(cj) >= 0x3000:
                        k = j + 1
                        if k < i:
                            j = k + 1
                            extra += sum(item[1] for item in items[j:i])
                            ch, w = items[k][0], items[k][1]
                            i = j
                            break
            if ch not in LABEL_CANNOT_START and i > start + 1:
                i -= 1
                extra += w
        lines.append((start, i, extra))
        start, used = i, 0
    if used > 0:
        lines.append((start, n, width - used))
    return lines


# ------------------------------------------------------------------ one table
@dataclass
class _Cell:
    """What a grid cell shows and its padding (left/right, top, bottom)."""
    kind: str                # label | number | empty
    source: GridCell | None
    pad_x: float
    pad_top: float
    pad_bottom: float
    text: str = ""           # numbers: the digits, lines separated by "\n"
    size: float = 0.0
    leading: float = 0.0


class TableLayout:
    """One grid at a given width: column and row positions (from the table's top left,
    y growing upwards from its bottom), merged rectangles, what each cell shows."""

    def __init__(self, grid: TableGrid, fonts: FontSet, style: Style, width: float, where: str) -> None:
        self.grid = grid
        role = style.role("table")
        self.line_width = role["line_width"]
        self.background = _rgb(role.get("head_background") or "")
        self.number_font = fonts.check_plain("0123456789.-", "table", where)
        relative = column_widths(grid, style.table(grid.layout))
        total = sum(relative)
        self.col_widths = widen_for_numbers(grid, [width * w / total for w in relative],
                                            self.number_font, role)
        self.col_pos = [0.0]
        for w in self.col_widths:
            self.col_pos.append(self.col_pos[-1] + w)
        self.width = self.col_pos[-1]
        self.labels = LabelMaker(fonts, style, where)
        self._label_cache: dict[tuple[int, int, float], Label] = {}
        self._chars: dict[tuple[int, int], list[Char]] = {}
        self.cells = [[self._cell(r, c, cell, fonts, role, where) for c, cell in enumerate(line)]
                      for r, line in enumerate(grid.cells)]
        self._spans()
        self._rows()

    def _cell(self, r: int, c: int, cell: GridCell | None, fonts: FontSet, role: dict, where: str) -> _Cell:
        pad, bottom = role["padding"], role["padding"] + 1
        if cell is None:
            return _Cell("empty", None, pad, pad, bottom, "", role["number_size"], role["number_size"] * 1.2)
        if cell.kind != "value":
            return _Cell("label", cell, pad, pad, bottom)
        c0, c1 = self.grid.span_width(r, c)
        cell_width = sum(self.col_widths[c0:c1 + 1]) - 2 * role["number_padding"]
        text, size = fit_number(cell.text, cell_width, self.number_font,
                                role["number_size"], role["min_number_size"])
        fonts.check_plain(cell.text, "table", where)
        return _Cell("number", cell, role["number_padding"], pad, bottom, text, size, size * 1.15)

    def label(self, r: int, c: int, width: float) -> Label:
        key = (r, c, width)
        if key not in self._label_cache:
            cell = self.cells[r][c]
            source = cell.source
            assert source is not None   # a label always shows a grid cell
            if (r, c) not in self._chars:
                self._chars[r, c] = self.labels.characters(source)
            self._label_cache[key] = self.labels.make(self._chars[r, c], source.kind in CENTERED,
                                                      width - cell.pad_x - cell.pad_x)
        return self._label_cache[key]

    def _spans(self) -> None:
        """Which cells merged ranges start at or cover."""
        n_rows, n_cols = self.grid.n_rows, self.grid.n_cols
        self.span_of: dict[tuple[int, int], tuple[int, int, int, int] | None] = {
            (c, r): (c, r, c, r) for c in range(n_cols) for r in range(n_rows)}
        self.in_col_span: set[tuple[int, int]] = set()
        self.in_row_span: set[tuple[int, int]] = set()
        for c0, r0, c1, r1 in self.grid.spans:
            covered = {(c, r) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
            if c0 != c1:
                self.in_col_span |= covered
            if r0 != r1:
                self.in_row_span |= covered
            for key in covered:
                self.span_of[key] = None
            self.span_of[c0, r0] = (c0, r0, c1, r1)

    def _rows(self) -> None:
        """Row heights: the tallest cell of each row; a cell merged over several rows
        shares out what it needs beyond their heights, largest first."""
        heights = []
        needs: dict[tuple[int, int], float] = {}
        for r, line in enumerate(self.cells):
            h = 0.0
            for c, cell in enumerate(line):
                span = self.span_of[c, r]
                if (c, r) in self.in_row_span and not span:
                    continue
                if cell.kind == "label":
                    w = self.col_widths[c]
                    if (c, r) in self.in_col_span:
                        if not span:
                            continue
                        w = max(self.col_pos[span[2] + 1] - self.col_pos[span[0]], w)
                    t = self.label(r, c, w).height
                else:
                    t = cell.leading * len(cell.text.split("\n"))
                t += cell.pad_bottom + cell.pad_top
                if span and span[1] != span[3]:
                    key = (span[1], span[3])
                    needs[key] = max(needs.get(key, t), t)
                    t = 0
                h = max(h, t)
            heights.append(h)
        _share_out(heights, needs)
        pos, height, carry = [], 0.0, 0.0        # from the bottom, compensated like reportlab
        for h in reversed(heights):
            pos.append(height)
            y = h - carry
            t = height + y
            carry = (t - height) - y
            height = t
        pos.append(height)
        self.row_pos = pos[::-1]
        self.height = height
        self._rects()

    def _rects(self) -> None:
        """Each shown cell's rectangle (x, y, w, h), and where rules stop at merged cells."""
        cp, rp = self.col_pos, self.row_pos
        self.rects: dict[tuple[int, int], tuple[float, float, float, float] | None] = {}
        self.v_blocks: dict[float, list[tuple[float, float]]] = {}
        self.h_blocks: dict[float, list[tuple[float, float]]] = {}
        for key, span in self.span_of.items():
            if span is None:
                self.rects[key] = None
                continue
            c0, r0, c1, r1 = span
            for c in range(c0 + 1, c1 + 1):
                self.v_blocks.setdefault(cp[c], []).append((rp[r1 + 1], rp[r0]))
            for r in range(r0 + 1, r1 + 1):
                self.h_blocks.setdefault(rp[r], []).append((cp[c0], cp[c1 + 1]))
            self.rects[key] = (cp[c0], rp[r1 + 1], cp[c1 + 1] - cp[c0], rp[r0] - rp[r1 + 1])
        for blocks in (self.v_blocks, self.h_blocks):
            for value in blocks.values():
                value.sort()

    # -------------------------------------------------------------- drawing
    def draw(self, canv) -> None:
        """The table with its bottom left corner at the origin: backgrounds, cells row by
        row (so that copied text reads in table order), then the rules."""
        canv.saveState()
        if background := self.background:
            for r, line in enumerate(self.grid.cells):
                for c, source in enumerate(line):
                    rect = self.rects[c, r]
                    if rect is not None and source is not None and source.kind in ("head", "group", "corner"):
                        canv.setFillColorRGB(*background)
                        canv.rect(*rect, stroke=0, fill=1)
        font = None
        for r in range(self.grid.n_rows):
            for c in range(self.grid.n_cols):
                rect = self.rects[c, r]
                cell = self.cells[r][c]
                if rect is None or cell.kind == "empty":
                    continue
                if cell.kind == "label":
                    self._draw_label(canv, r, c, rect)
                elif cell.text:
                    if font != (cell.size, cell.leading):
                        canv.setFont(self.number_font, cell.size, cell.leading)
                        font = (cell.size, cell.leading)
                    self._draw_number(canv, cell, rect)
        self._draw_rules(canv)
        canv.restoreState()

    def _draw_label(self, canv, r: int, c: int, rect: tuple[float, float, float, float]) -> None:
        x, y, w, h = rect
        cell = self.cells[r][c]
        label = self.label(r, c, w)
        bottom = y + (h + cell.pad_bottom - cell.pad_top + label.height) / 2.0 - label.height
        if not label.lines:
            return
        canv.saveState()
        canv.translate(x + cell.pad_x, bottom)
        text = canv.beginText()
        first = label.height - self.labels.size
        for n, line in enumerate(label.lines):
            text.setTextOrigin(line.x, first - n * self.labels.leading)
            for part, font, size in line.runs:
                text.setFont(font, size)
                text.textOut(part)
        canv.drawText(text)
        canv.restoreState()

    @staticmethod
    def _draw_number(canv, cell: _Cell, rect: tuple[float, float, float, float]) -> None:
        x, y, w, h = rect
        lines = cell.text.split("\n")
        middle = x + (w + cell.pad_x - cell.pad_x) * 0.5
        base = y + (cell.pad_bottom + h - cell.pad_top + len(lines) * cell.leading) / 2.0 - cell.size
        for line in lines:
            canv.drawCentredString(middle, base, line)
            base -= cell.leading

    def _draw_rules(self, canv) -> None:
        """Every rule of the grid, broken where a merged cell covers it; round caps and
        joins, so that rules meet without notches."""
        canv.saveState()
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColorRGB(0, 0, 0)
        canv.setLineWidth(self.line_width)
        cp, rp = self.col_pos, self.row_pos
        line = canv.line

        def across(y: float) -> None:
            _rule(line, cp[0], cp[-1], y, self.h_blocks)

        def down(x: float) -> None:
            _rule(lambda y0, x0, y1, x1: line(x0, y0, x1, y1), rp[-1], rp[0], x, self.v_blocks)

        across(rp[0])
        across(rp[-1])
        down(cp[0])
        down(cp[-1])
        for y in rp[1:-1]:
            across(y)
        for x in cp[1:-1]:
            down(x)
        canv.restoreState()


def _rule(draw, start: float, end: float, at: float, blocks: dict[float, list[tuple[float, float]]]) -> None:
    """A rule from ``start`` to ``end`` at ``at``, skipping the ``blocks`` crossing it."""
    spans = blocks.get(at)
    if not spans or start >= spans[-1][1] - FUZZ or end <= spans[0][0] + FUZZ:
        draw(start, at, end, at)
        return
    for x0, x1 in spans:
        if start >= end - FUZZ:
            break
        if x1 <= start + FUZZ or x0 >= end - FUZZ:
            continue
        if max(start, x0) > start:
            draw(start, at, max(start, x0), at)
        start = min(end, x1)
    if start < end - FUZZ:
        draw(start, at, end, at)


def _share_out(heights: list[float], needs: dict[tuple[int, int], float]) -> None:
    """Give the rows ``r0..r1`` of each merged cell what it needs beyond their heights,
    in equal parts, the largest needs first."""
    extra: dict[int, float] = {}
    for need, (r0, r1) in sorted(((v, k) for k, v in needs.items()), reverse=True):
        rows = range(r0, r1 + 1)
        have = sum([heights[r] + extra.get(r, 0) for r in rows])
        if have >= need - FUZZ:
            continue
        each = (need - have) / float(len(rows))
        for r in rows:
            extra[r] = extra.get(r, 0) + each
    for r, more in extra.items():
        heights[r] += more


def _rgb(hex_colour: str) -> tuple[float, float, float] | None:
    """``#f2f2f2`` → (0.949, 0.949, 0.949); None for no colour."""
    text = hex_colour.lstrip("#")
    if not text:
        return None
    red, green, blue = (int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


# ------------------------------------------------------------------ across pages
class TableBlock:
    """A table that breaks across pages by ``split_grid`` (header rows and cut group cells
    repeated). ``lead`` (the section heading) is drawn above the first part, so a heading
    never ends a page without its table."""

    def __init__(self, grid: TableGrid, fonts: FontSet, style: Style, width: float, where: str,
                 lead=None, breaks: list[int] | None = None, origin: int | None = None) -> None:
        self.grid, self.lead = grid, lead
        self.breaks = breaks if breaks is not None else []
        """Where the table was cut (rows of the whole grid): the Word export cuts there too."""
        self.origin = grid.header_rows if origin is None else origin
        """The whole grid's row that is this part's first row below the header."""
        self.fonts, self.style, self.table_width, self.where = fonts, style, width, where
        role = style.role("table")
        self.min_rows, self.gap = role.get("min_rows_on_page", 3), role["space_before"]
        self.space_after = role["space_after"]
        self.table = TableLayout(grid, fonts, style, width, where)
        self.width = self.height = 0.0

    def _part(self, grid: TableGrid, lead, origin: int) -> TableBlock:
        return TableBlock(grid, self.fonts, self.style, self.table_width, self.where, lead,
                          self.breaks, origin)

    def _lead_height(self, avail_width: float, avail_height: float) -> float:
        if self.lead is None:
            return 0
        return self.lead.wrap(avail_width, avail_height)[1] + self.gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lead = self._lead_height(avail_width, avail_height)
        self.width = self.table.width
        self.height = lead + self.table.height
        return self.width, self.height

    def draw(self, canv) -> None:
        if self.origin > self.grid.header_rows:       # a part that begins a page
            self.breaks.append(self.origin)
        if self.lead is not None:          # first, so that the text layer reads in order
            canv.saveState()
            canv.translate(0, self.height - self.lead.height)
            self.lead.draw(canv)
            canv.restoreState()
        self.table.draw(canv)

    def split(self, avail_width: float, avail_height: float) -> list:
        room = avail_height - self._lead_height(avail_width, avail_height)
        pos = self.table.row_pos
        heights = [pos[i] - pos[i + 1] for i in range(len(pos) - 1)]
        for k in split_points(self.grid, self.min_rows):
            if sum(heights[:k]) > room:
                continue
            first, rest = split_grid(self.grid, k)
            head = self._part(first, self.lead, self.origin)
            if head.wrap(avail_width, avail_height)[1] <= avail_height:
                return [head, self._part(rest, None, self.origin + k - self.grid.header_rows)]
        return []
