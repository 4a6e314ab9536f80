"""A ``SimpleDoc`` (the 问题清单 and their overview) as a PDF.

The faces come from the report's font set (``app.pdf.fonts``: the same search, the same
fallback for rare characters in names, the same refusal to print a blank for a character
no font has); lines are broken by the report's own rules (``app.pdf.linebreak``: no
closing punctuation at a line start, no opening one at a line end, a number or a file
name never cut), in one pass over each text.

Why not reportlab's ``Paragraph`` in a ``LongTable``: its CJK wrapping splits a text
into one fragment per character and measures each again on every wrap, and the table
wraps every cell again for each page it splits; 20 lists of ~50 findings took ~30 s.
Here each text is measured once, character widths are cached, and the table is a
flowable that knows its row heights and splits between rows (a row taller than a whole
page between its lines), repeating its header on every page.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from app.files import write_beside
from app.pdf.fonts import FontSet, LoadedFace, discover
from app.pdf.linebreak import clusters, fill
from app.pdf.style import load_style
from app.simple_doc import MARGIN_MM, TABLE_PT, TEXT_PT, TITLE_PT, SimpleDoc

LEADING = 1.45
"""Line height in em (a working list: looser than a table, tighter than a 公文)."""
ASCENT = 0.88
"""Top of the CJK em box above the baseline, in em: a line is centred in its height."""
PAD_X, PAD_Y = 4.0, 3.0
"""Cell padding in pt (two characters fit the narrowest column, 错误)."""
FRAME_PADDING = 6.0
"""reportlab's ``Frame`` padding on each side (``SimpleDocTemplate`` uses the default)."""
RULE_PT = 0.5
HEADER_GRAY = 0.92

Run = tuple[str, LoadedFace]


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    size: float
    x: float = 0.0
    """Left edge from the left edge of the box the line is in."""


class Setter:
    """Cuts texts into lines of a face and size; each character measured once, each text
    (the same 改正要求 stands in many rows) set once."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._em: dict[tuple[str, str], float] = {}
        self._set: dict[tuple, list[Line]] = {}

    def _width(self, ch: str, face: LoadedFace) -> float:
        key = (ch, face.name)
        w = self._em.get(key)
        if w is None:
            w = self._em[key] = face.font.stringWidth(ch, 1.0)
        return w

    def lines(self, text: str, role: str, size: float, width: float, where: str,
              align: str = "left") -> list[Line]:
        """``text`` broken into lines ``width`` wide (``\\n`` starts a new line), set left,
        centred or right (``align``)."""
        key = (text, role, size, width, align)
        done = self._set.get(key)
        if done is None:
            done = self._set[key] = [line for part in str(text).split("\n")
                                     for line in self._paragraph(part, role, size, width, where, align)]
        return done

    def _paragraph(self, text: str, role: str, size: float, width: float, where: str,
                   align: str) -> list[Line]:
        face_of: dict[str, LoadedFace] = {}
        for run, face in self.fonts.runs(text, role, where):
            for ch in run:
                face_of.setdefault(ch, face)
        advance = {ch: size * self._width(ch, face) for ch, face in face_of.items()}

        def width_of(s: str) -> float:
            return sum(map(advance.__getitem__, s))

        out = []
        for piece in fill(clusters(text), width_of, width, width) or [""]:
            x = 0.0
            if align != "left":
                room = max(0.0, width - width_of(piece))
                x = room / 2 if align == "center" else room
            out.append(Line(_runs(piece, face_of), size, x))
        return out


def _runs(text: str, face_of: dict[str, LoadedFace]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for ch in text:
        face = face_of[ch]
        if runs and runs[-1][1] is face:
            runs[-1] = (runs[-1][0] + ch, face)
        else:
            runs.append((ch, face))
    return tuple(runs)


def _draw(canv, lines: list[Line], x: float, top: float, leading: float) -> None:
    """Lines stacked from ``top`` down, each centred in a height of ``leading``, in one
    text object (a font set only where it changes)."""
    if not lines:
        return
    size = lines[0].size
    text = canv.beginText(x + lines[0].x, top - (leading - size) / 2 - ASCENT * size)
    font, at = None, lines[0].x
    for i, line in enumerate(lines):
        if i:
            text.moveCursor(line.x - at, leading)
            at = line.x
        for part, face in line.runs:
            if font != (face.name, line.size):
                font = (face.name, line.size)
                text.setFont(*font)
            text.textOut(part)
    canv.drawText(text)


class TextLines(Flowable):
    """Lines of one paragraph, stacked; a page may end between them."""

    def __init__(self, lines: list[Line], leading: float, space_after: float = 0.0) -> None:
        super().__init__()
        self.lines, self.leading, self.spaceAfter = lines, leading, space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        k = int(avail_height // self.leading)
        if k <= 0 or k >= len(self.lines):
            return []
        return [TextLines(self.lines[:k], self.leading),
                TextLines(self.lines[k:], self.leading, self.spaceAfter)]

    def draw(self) -> None:
        _draw(self.canv, self.lines, 0.0, self.height, self.leading)


Cell = list[Line]


class LinesTable(Flowable):
    """A ruled table of set lines: a gray header row repeated on every page, cells
    centred vertically; splits between rows, a row taller than ``page_height`` between
    its lines."""

    def __init__(self, header: list[Cell], rows: list[list[Cell]], widths: list[float],
                 leading: float, page_height: float) -> None:
        super().__init__()
        self.header, self.rows, self.widths = header, rows, widths
        self.leading, self.page_height = leading, page_height
        self.heights = [self._height(r) for r in rows]

    def _height(self, row: list[Cell]) -> float:
        return max(len(cell) for cell in row) * self.leading + 2 * PAD_Y

    def wrap(self, avail_width, avail_height):
        self.width = sum(self.widths)
        self.height = self._height(self.header) + sum(self.heights)
        return self.width, self.height

    def _part(self, rows: list[list[Cell]]) -> LinesTable:
        return LinesTable(self.header, rows, self.widths, self.leading, self.page_height)

    def split(self, avail_width, avail_height):
        room = avail_height - self._height(self.header)
        k, used = 0, 0.0
        while k < len(self.rows) and used + self.heights[k] <= room + 1e-6:
            used += self.heights[k]
            k += 1
        if k == len(self.rows):
            return []
        head, rest = self.rows[:k], self.rows[k:]
        if self.heights[k] > self.page_height - self._height(self.header):
            # taller than a whole page: its first lines fill this one
            n = int((room - used - 2 * PAD_Y) // self.leading)
            if n >= 1:
                head = head + [[cell[:n] for cell in rest[0]]]
                rest = [[cell[n:] for cell in rest[0]]] + rest[1:]
        if not head:
            return []       # a finding is read on one page: the row waits for the next
        return [self._part(head), self._part(rest)]

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        head_h = self._height(self.header)
        top = self.height
        canv.setFillColor(colors.Color(HEADER_GRAY, HEADER_GRAY, HEADER_GRAY))
        canv.rect(0, top - head_h, self.width, head_h, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        tops = [top]
        for row, height in [(self.header, head_h)] + list(zip(self.rows, self.heights)):
            self._draw_row(row, tops[-1], height)
            tops.append(tops[-1] - height)
        canv.setLineWidth(RULE_PT)
        canv.setStrokeColor(colors.black)
        for y in tops:
            canv.line(0, y, self.width, y)
        x = 0.0
        for w in [0.0] + self.widths:
            x += w
            canv.line(x, top, x, tops[-1])
        canv.restoreState()

    def _draw_row(self, row: list[Cell], top: float, height: float) -> None:
        x = 0.0
        for cell, w in zip(row, self.widths):
            _draw(self.canv, cell, x + PAD_X, top - (height - len(cell) * self.leading) / 2, self.leading)
            x += w


# ------------------------------------------------------------------ the document
def render_pdf(doc: SimpleDoc) -> bytes:
    """The document as PDF bytes. Raises ``app.pdf.PdfError`` (Chinese) when no font can
    print it."""
    fonts = discover(load_style())
    setter = Setter(fonts)
    page_w, page_h = A4
    width = page_w - 2 * MARGIN_MM * mm - 2 * FRAME_PADDING
    text_leading, cell_leading = TEXT_PT * LEADING, TABLE_PT * LEADING

    def para(text: str, where: str, align: str = "left", space_after: float = 3.0) -> TextLines:
        return TextLines(setter.lines(text, "body", TEXT_PT, width, where, align), text_leading, space_after)

    story: list = [TextLines(setter.lines(doc.title, "heading", TITLE_PT, width, "标题", "center"),
                             TITLE_PT * LEADING, 10)]
    story += [para(line, "正文") for line in doc.lines + ([doc.intro] if doc.intro else [])]
    story.append(Spacer(1, 4))
    total = sum(doc.widths)
    columns = [width * w / total for w in doc.widths]
    inner = [w - 2 * PAD_X for w in columns]
    header = [setter.lines(h, "heading", TABLE_PT, w, "表头") for h, w in zip(doc.header, inner)]
    rows = [[setter.lines(v, "body", TABLE_PT, w, f"表格第 {i} 行") for v, w in zip(row, inner)]
            for i, row in enumerate(doc.rows, 1)]
    frame_h = page_h - 2 * MARGIN_MM * mm - 2 * FRAME_PADDING
    story.append(LinesTable(header, rows, columns, cell_leading, frame_h))
    if doc.closing:
        story += [Spacer(1, 8), para(doc.closing, "结尾")]
    story.append(Spacer(1, 16))
    story += [para(line, "落款", "right", 0.0) for line in doc.signature]
    fonts.raise_if_missing()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, title=doc.title, leftMargin=MARGIN_MM * mm,
                            rightMargin=MARGIN_MM * mm, topMargin=MARGIN_MM * mm,
                            bottomMargin=MARGIN_MM * mm)
    pdf.build(story)
    return out.getvalue()


def write_pdf(doc: SimpleDoc, path: Path) -> None:
    """Raises ``app.pdf.PdfError`` (Chinese) when no font can print it."""
    data = render_pdf(doc)
    write_beside(Path(path), lambda tmp: tmp.write_bytes(data), ".pdf.tmp")
