"""The grids of ``app.table_layout`` drawn as reportlab tables, and the flowable that breaks them
across pages (header rows repeated, cut group cells repeated, blocks kept together).

Labels are CJK-wrapping paragraphs in the table face (missing characters from a fallback
face); numbers are plain strings, shrunk to fit their cell and never cut.
"""
from __future__ import annotations

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, TableStyle
from reportlab.platypus import Table as RLTable
from reportlab.platypus import paragraph as rl_paragraph

from app.pdf.fonts import FontSet
from app.pdf.linebreak import CANNOT_START
from app.pdf.style import Style
from app.table_layout import GridCell, TableGrid, column_widths, label_lines, split_grid, split_points


def render_table(grid: TableGrid, fonts: FontSet, style: Style, width: float, where: str) -> RLTable:
    """The grid as a reportlab ``Table`` ``width`` wide: labels as CJK-wrapping
    paragraphs, numbers shrunk to fit their cell (never cut). Page breaks are handled by
    ``GridFlowable``, not by the Table."""
    role = style.role("table")
    relative = column_widths(grid, style.table(grid.layout))
    total = sum(relative)
    paragraphs = _ParagraphMaker(fonts, style)
    number_font = fonts.check_plain("0123456789.-", "table", where)
    col_widths = widen_for_numbers(grid, [width * w / total for w in relative], number_font, role)
    data, commands = [], []
    for r, line in enumerate(grid.cells):
        out = []
        for c, cell in enumerate(line):
            if cell is None:
                out.append("")
            elif cell.kind == "value":
                c0, c1 = grid.span_width(r, c)
                cell_width = sum(col_widths[c0:c1 + 1]) - 2 * role["number_padding"]
                text, size = fit_number(cell.text, cell_width, number_font,
                                        role["number_size"], role["min_number_size"])
                fonts.check_plain(cell.text, "table", where)
                out.append(text)
                commands += [("FONT", (c, r), (c, r), number_font, size, size * 1.15),
                             ("ALIGN", (c, r), (c, r), "CENTER"),
                             ("LEFTPADDING", (c, r), (c, r), role["number_padding"]),
                             ("RIGHTPADDING", (c, r), (c, r), role["number_padding"])]
            else:
                out.append(paragraphs.make(cell, where))
        data.append(out)
    commands[:0] = [
        ("FONT", (0, 0), (-1, -1), number_font, role["number_size"]),
        ("GRID", (0, 0), (-1, -1), role["line_width"], colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), role["padding"]),
        ("RIGHTPADDING", (0, 0), (-1, -1), role["padding"]),
        ("TOPPADDING", (0, 0), (-1, -1), role["padding"]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), role["padding"] + 1),
    ]
    commands += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in grid.spans]
    if role.get("head_background"):
        commands += _backgrounds(grid, colors.HexColor(role["head_background"]))
    return RLTable(data, colWidths=col_widths, style=TableStyle(commands), hAlign="CENTER")


def _backgrounds(grid: TableGrid, color) -> list:
    return [("BACKGROUND", (c, r), (c, r), color)
            for r, line in enumerate(grid.cells) for c, cell in enumerate(line)
            if cell is not None and cell.kind in ("head", "group", "corner")]


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


# reportlab lets ，；：！？ and closing brackets start a line of a label; Chinese
# typesetting never does (the text outside tables is broken by app.pdf.linebreak).
for _ch in CANNOT_START:
    if _ch not in textsplit.ALL_CANNOT_START:
        textsplit.ALL_CANNOT_START += _ch
rl_paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START

class _ParagraphMaker:
    """Paragraph styles for the kinds of label cells, built once per table."""

    def __init__(self, fonts, style) -> None:
        self.fonts = fonts
        role, note = style.role("table"), style.role("note")
        base = ParagraphStyle("table", fontName=fonts.for_role("table").name, fontSize=role["size"],
                              leading=role["leading"], wordWrap="CJK", alignment=TA_CENTER)
        self.styles = {
            "head": base,
            "group": base,
            "corner": ParagraphStyle("corner", parent=base, alignment=TA_LEFT),
            "label": ParagraphStyle("label", parent=base, alignment=TA_LEFT),
        }
        self.note_size, self.note_leading = note["size"], note["leading"]
        self.note_font = fonts.for_role("note").name

    def make(self, cell: GridCell, where: str):
        markup = "<br/>".join(self.fonts.markup(line, "table", where) for line in label_lines(cell))
        if cell.note:
            note = self.fonts.markup(cell.note, "note", where)
            markup += (f'<br/><font name="{self.note_font}" size="{self.note_size}">{note}</font>')
        return Paragraph(markup, self.styles[cell.kind])


class GridFlowable(Flowable):
    """A table that breaks across pages by ``split_grid`` (header rows and cut group cells
    repeated). ``lead`` (the section heading) is drawn above the first part, so a heading
    never ends a page without its table."""

    def __init__(self, grid: TableGrid, fonts: FontSet, style: Style, width: float, where: str,
                 lead: Flowable | None = None, breaks: list[int] | None = None,
                 origin: int | None = None) -> None:
        super().__init__()
        self.grid, self.lead = grid, lead
        self.breaks = breaks if breaks is not None else []
        """Where the table was cut (rows of the whole grid): the Word export cuts there too."""
        self.origin = grid.header_rows if origin is None else origin
        """The whole grid's row that is this part's first row below the header."""
        self.fonts, self.style, self.table_width, self.where = fonts, style, width, where
        role = style.role("table")
        self.min_rows, self.gap = role.get("min_rows_on_page", 3), role["space_before"]
        self.spaceAfter = role["space_after"]
        self.spaceBefore = lead.getSpaceBefore() if lead is not None else 0
        self.table = render_table(grid, fonts, style, width, where)

    def _part(self, grid: TableGrid, lead: Flowable | None, origin: int) -> GridFlowable:
        return GridFlowable(grid, self.fonts, self.style, self.table_width, self.where, lead,
                            self.breaks, origin)

    def _lead_height(self, avail_width: float, avail_height: float) -> float:
        if self.lead is None:
            return 0
        return self.lead.wrap(avail_width, avail_height)[1] + self.lead.getSpaceAfter() + self.gap

    def wrap(self, avail_width, avail_height):
        lead = self._lead_height(avail_width, avail_height)
        self.width, height = self.table.wrap(avail_width, avail_height)
        self.height = lead + height
        return self.width, self.height

    def draw(self) -> None:
        if self.origin > self.grid.header_rows:       # a part that begins a page
            self.breaks.append(self.origin)
        if self.lead is not None:          # first, so that the text layer reads in order
            self.lead.drawOn(self.canv, 0, self.height - self.lead.height)
        self.table.drawOn(self.canv, 0, 0)

    def split(self, avail_width, avail_height):
        room = avail_height - self._lead_height(avail_width, avail_height)
        self.table.wrap(avail_width, room)
        pos = self.table._rowpositions              # y of each row line, top first
        heights = [pos[i] - pos[i + 1] for i in range(len(pos) - 1)]
        for k in split_points(self.grid, self.min_rows):
            if sum(heights[:k]) > room:
                continue
            first, rest = split_grid(self.grid, k)
            head = self._part(first, self.lead, self.origin)
            if head.wrap(avail_width, avail_height)[1] <= avail_height:
                return [head, self._part(rest, None, self.origin + k - self.grid.header_rows)]
        return []
