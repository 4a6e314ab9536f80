"""The PDF's printed lines measured as a reader with a ruler would: every character with
its baseline, advance box, size and font, read with PDFium (the engine of the window's
preview). pdfminer/pdfplumber drop the character spacing after the last glyph of each
text string, which misplaces characters where reportlab switches font subsets."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MM = 72 / 25.4
PAGE_H = 297 * MM
BLOCK_LEFT, BLOCK_RIGHT = 28 * MM, (210 - 26) * MM
BLOCK_TOP, BLOCK_BOTTOM = PAGE_H - 37 * MM, 35 * MM
PITCH = (BLOCK_TOP - BLOCK_BOTTOM) / 22


@dataclass
class Char:
    text: str
    x0: float          # left of the advance box (pt from the page's left edge)
    x1: float          # right of the advance box
    baseline: float    # pt from the page's bottom
    size: float
    font: str


@dataclass
class PrintedLine:
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def baseline(self) -> float:
        return self.chars[0].baseline

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def font(self) -> str:
        return self.chars[0].font


@dataclass
class Page:
    number: int
    lines: list[PrintedLine]        # text lines inside the text block, top first
    lowest: float                   # lowest ink in the block (text or table rule), pt from bottom
    has_table: bool

    def body(self) -> list[PrintedLine]:
        """Lines of the text grid: title, headings, body, signature (not table cells)."""
        return [ln for ln in self.lines if ln.size >= 15.9]


def read_pages(path: Path) -> list[Page]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [_page(doc[i], i + 1) for i in range(len(doc))]
    finally:
        doc.close()


def _page(page, number: int) -> Page:
    tp = page.get_textpage()
    chars: list[Char] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for i in range(tp.count_chars()):
        text = tp.get_text_range(i, 1)
        if not text.strip():
            continue
        raw.FPDFText_GetCharOrigin(tp.raw, i, x, y)
        left, _, right, _ = tp.get_charbox(i, loose=True)
        size = raw.FPDFText_GetFontSize(tp.raw, i)
        raw.FPDFText_GetFontInfo(tp.raw, i, name, 256, flags)
        chars.append(Char(text, left, right, y.value, size, name.value.decode("latin-1")))
    block = [c for c in chars if BLOCK_BOTTOM - 1 < c.baseline < BLOCK_TOP + 1 and c.size < 60]
    lines: dict[float, list[Char]] = {}
    for c in block:
        lines.setdefault(round(c.baseline, 1), []).append(c)
    printed = [PrintedLine(sorted(cs, key=lambda c: c.x0)) for _, cs in sorted(lines.items(), reverse=True)]
    table = [c for c in block if c.size < 15]
    rules = _rule_bottoms(page)
    lows = [c.baseline - 0.12 * c.size for c in block] + rules
    tp.close()
    return Page(number, printed, min(lows) if lows else BLOCK_TOP, bool(table or rules))


def _rule_bottoms(page) -> list[float]:
    """Bottoms of the drawn paths (table rules) inside the text block."""
    out = []
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=3):
        _, bottom, _, top = obj.get_bounds()
        if BLOCK_BOTTOM - 1 < bottom < BLOCK_TOP + 1:
            out.append(bottom)
    return out
