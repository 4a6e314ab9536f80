"""Text on the line grid of GB/T 9704: 22 lines of 28 characters a page.

reportlab's Paragraph cannot do what a 公文 needs (a fixed character pitch, Chinese
justification, lines on a page grid, a heading kept with exactly two lines of what
follows), so text is laid out here: ``LineMaker`` cuts paragraphs into ``Line`` s with
the rules of ``app.pdf.linebreak``, and ``GridText`` is the block that stacks them one
grid line each and breaks between them where a page ends (``app.pdf.pages``).

- Every line takes one grid line (the block height / 22, 28.99 pt); text after a table
  starts on the next grid line, so the grid holds on every page.
- Characters are spaced so that 28 of the body size fill the block width; every line of
  a paragraph but its last is justified to the block edge by widening its gaps evenly.
- A line marked ``keep`` is never the last on a page (headings, the title, the text
  kept with the signature). Text is drawn line by line, so copying gives it back in order.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.pdf.fonts import FontSet, LoadedFace
from app.pdf.linebreak import clusters, fill, title_lines
from app.pdf.style import Style

ASCENT = 0.88
"""Top of the CJK em box above the baseline, in em: lines are centred on their grid line."""


@dataclass
class Line:
    runs: list[tuple[str, LoadedFace]]
    size: float
    x: float = 0.0                 # left edge from the block's left edge
    char_space: float = 0.0        # added after each character (PDF Tc)
    keep: bool = False             # never the last line on a page
    outline: float = 0.0           # stroke width of a fake bold (text render mode 2)
    gray: float | None = None      # text colour for placeholders

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def blank(keep: bool = False) -> Line:
    return Line([], 0, keep=keep)


@dataclass
class LineMaker:
    """Cuts the report's texts into grid lines of the style's roles."""
    fonts: FontSet
    style: Style
    width: float
    _widths: dict[tuple[str, str, float], float] = field(default_factory=dict)

    def gap(self, size: float) -> float:
        """Spacing after each character: ``page.chars`` characters of the body size fill
        the width (GB/T 9704: 28 of 三号); other sizes keep their natural spacing."""
        body = self.style.role("body")["size"]
        if size != body:
            return 0.0
        chars = self.style.data["page"]["chars"]
        return (self.width - chars * size) / (chars - 1)

    def _char_width(self, ch: str, face: LoadedFace, size: float) -> float:
        key = (ch, face.name, size)
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = face.font.stringWidth(ch, size)
        return w

    def paragraph(self, text: str, role: str, where: str, *, indent_chars: float | None = None,
                  gray: float | None = None) -> list[Line]:
        """A justified paragraph: first line indented, the others full, the last ragged."""
        spec = self.style.role(role)
        size = spec["size"]
        gap = self.gap(size)
        if indent_chars is None:
            indent_chars = spec.get("first_line_indent_chars", 0)
        indent = indent_chars * (size + gap)
        face_of = self._faces(text, role, where)

        def width_of(s: str) -> float:
            return sum(self._char_width(ch, face_of[ch], size) for ch in s)

        texts = fill(clusters(text), width_of, self.width - indent, self.width, gap)
        lines = []
        for n, part in enumerate(texts):
            x = indent if n == 0 else 0.0
            room = self.width - x
            natural = width_of(part) + gap * (len(part) - 1)
            space = gap
            if n < len(texts) - 1 and len(part) > 1:
                extra = (room - natural) / (len(part) - 1)
                if extra < size / 2:        # a stray long word leaves the line ragged
                    space = gap + extra
            lines.append(Line(self._runs(part, face_of), size, x, space, gray=gray))
        return lines

    def _faces(self, text: str, role: str, where: str) -> dict[str, LoadedFace]:
        out: dict[str, LoadedFace] = {}
        for part, face in self.fonts.runs(text, role, where):
            for ch in part:
                out.setdefault(ch, face)
        return out

    @staticmethod
    def _runs(text: str, face_of: dict[str, LoadedFace]) -> list[tuple[str, LoadedFace]]:
        runs: list[tuple[str, LoadedFace]] = []
        for ch in text:
            face = face_of[ch]
            if runs and runs[-1][1] is face:
                runs[-1] = (runs[-1][0] + ch, face)
            else:
                runs.append((ch, face))
        return runs

    def title(self, title: str, organ: str) -> list[Line]:
        """The title centred, broken between words; a fake bold outline when no heavy
        face (小标宋) is installed; then the blank lines before the text."""
        spec = self.style.role("title")
        size = spec["size"]
        face_of = self._faces(title, "title", "标题")
        outline = 0.0
        if spec.get("bold") and not any(f.heavy for f in face_of.values()):
            outline = spec["fake_bold_stroke"]

        def width_of(s: str) -> float:
            return sum(self._char_width(ch, face_of[ch], size) for ch in s)

        out = []
        for part in title_lines(title, organ, width_of, self.width):
            x = max(0.0, (self.width - width_of(part)) / 2)
            out.append(Line(self._runs(part, face_of), size, x, keep=True, outline=outline))
        out += [blank(keep=True) for _ in range(spec.get("blank_lines_after", 0))]
        return out

    def right_aligned(self, text: str, role: str, where: str, right: float) -> list[Line]:
        """A line ending ``right`` from the block's right edge (the signature); a text too
        long for that is set as a paragraph."""
        spec = self.style.role(role)
        size = spec["size"]
        gap = self.gap(size)
        face_of = self._faces(text, role, where)
        width = sum(self._char_width(ch, face_of[ch], size) for ch in text) + gap * (len(text) - 1)
        if width + right > self.width:
            return self.paragraph(text, role, where, indent_chars=0)
        return [Line(self._runs(text, face_of), size, self.width - right - width, gap)]

    def text_width(self, text: str, role: str) -> float:
        """Width of ``text`` in the role's face and spacing (no characters recorded)."""
        size = self.style.role(role)["size"]
        face = self.fonts.for_role(role)
        return face.font.stringWidth(text, size) + self.gap(size) * max(0, len(text) - 1)


class GridText:
    """Lines stacked on the page grid, one grid line each, breaking between lines."""
    space_after = 0.0

    def __init__(self, lines: list[Line], pitch: float, page_lines: int) -> None:
        self.lines, self.pitch, self.page_lines = lines, pitch, page_lines
        self._pad = 0.0
        self.width = self.height = 0.0

    def _snap(self, avail_height: float) -> float:
        """Room above the first line that puts it on the next grid line (after a table)."""
        n = math.floor((avail_height + 1e-7) / self.pitch)
        return max(0.0, avail_height - n * self.pitch)

    def wrap(self, avail_width, avail_height):
        self._pad = self._snap(avail_height)
        self.width = avail_width
        self.height = self._pad + len(self.lines) * self.pitch
        return self.width, self.height

    def split(self, avail_width, avail_height):
        fits = math.floor((avail_height - self._snap(avail_height) + 1e-7) / self.pitch)
        k = min(fits, len(self.lines))
        while k > 0 and self.lines[k - 1].keep:
            k -= 1
        if k == 0 and fits >= self.page_lines:      # kept lines longer than a page
            k = min(fits, len(self.lines) - 1)
        if k <= 0:
            return []
        rest = self.lines[k:]
        while rest and not rest[0].runs:             # no page starts with a blank line
            rest = rest[1:]
        parts = [GridText(self.lines[:k], self.pitch, self.page_lines)]
        if rest:
            parts.append(GridText(rest, self.pitch, self.page_lines))
        return parts

    def draw(self, canv) -> None:
        """The lines, the block's bottom left at the origin (set by ``wrap``)."""
        top = self.height - self._pad
        for i, line in enumerate(self.lines):
            if not line.runs:
                continue
            baseline = top - i * self.pitch - (self.pitch - line.size) / 2 - ASCENT * line.size
            canv.saveState()             # colour, render mode and Tc stay with the line
            text = canv.beginText(line.x, baseline)
            text.setCharSpace(line.char_space)
            if line.outline:
                canv.setLineWidth(line.outline)
                canv.setLineJoin(1)
                text.setTextRenderMode(2)
            if line.gray is not None:
                text.setFillColorRGB(line.gray, line.gray, line.gray)
            for part, face in line.runs:
                text.setFont(face.name, line.size)
                text.textOut(part)
            canv.drawText(text)
            canv.restoreState()
