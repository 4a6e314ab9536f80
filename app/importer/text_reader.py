"""Read text copied from a published report (.txt) into paragraphs and grids.

Three forms of text reach the importer, told apart by their lines:

- copied from a web page's table: one line per table row, cells separated by tabs,
  shifted by stray empty cells where the page had merged cells;
- ``pdftotext -layout`` and similar: the cells of a row separated by runs of spaces;
- one cell per line (some browsers, and crawlers' text dumps where every inline tag of
  the page broke the line, so that a sentence comes as ``2022`` / ``年`` / ``,`` / …).

All become grids that are never ``aligned`` (positions cannot be trusted, only the order
of the numbers in a row). In the one-cell-per-line form a run of number lines is a table
row only when it does not continue a sentence (``347`` followed by ``件，办结`` is prose),
and an ordinal (``1.``, ``1、``) is never a number. Prose fragments are joined back into
paragraphs.
"""
from __future__ import annotations

import re
import unicodedata

from app.importer.document import Cell, Document, Grid, Paragraph, check_blocks
from app.importer.html_reader import decode

_NUMBER = re.compile(r"^[+\-]?\d+(?:,\d{3})*(?:\.\d+)?(万元|元)?$")
_CONTINUES = set("年月日时分秒件个条项号人次家名份期场篇类批余万元亿%，。、；：）》」』”’〕】,.;:!?！？…)]")
"""A fragment starting with one of these continues the sentence before it."""
_SENTENCE_END = set("。！？；!?;")
_PUNCT_ONLY = re.compile(r"^[\s()（）,，.。、;；:：\-—\"“”《》〔〕\[\]]+$")
_BOUNDARY = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
"""A section heading (``一、总体情况``): never joined to the fragments around it."""
_FIELD = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]")
"""A site's metadata field (``标题：…``, ``发布时间：``): a paragraph of its own."""
_SPACE_RUN = re.compile(r"[ \u3000\xa0]{2,}")
LAYOUT_MIN_LINES = 5
"""Lines with cells separated by runs of spaces needed to read a text as laid out."""


def is_number(text: str) -> bool:
    """A cell value as printed: ``1,234``, ``４.093``, ``75394432.52元``; never an
    ordinal (``1.``, ``1、``, ``（一）``) or a date."""
    t = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("－", "-")
    return bool(_NUMBER.match(re.sub(r"\s+", "", t)))


def read_text(data: bytes) -> Document:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    check_blocks(sum(1 for line in lines if line.strip()))
    if any("\t" in line for line in lines):
        blocks = _tab_blocks(lines)
    elif sum(bool(_layout_cells(line)) for line in lines) >= LAYOUT_MIN_LINES:
        blocks = _layout_blocks(lines)
    else:
        blocks = _line_blocks(lines)
    return Document(blocks=blocks, kind="txt")


def _tab_blocks(lines: list[str]) -> list:
    """Lines with tabs are table rows; blank lines inside a table do not end it."""
    return _split_rows(lines, lambda line: line.split("\t") if "\t" in line else None)


def _layout_cells(line: str) -> list[str] | None:
    """The cells of a laid-out line (``规章      1      0      11``), or None for prose."""
    cells = [c for c in _SPACE_RUN.split(line.strip()) if c]
    return cells if len(cells) > 1 else None


def _layout_blocks(lines: list[str]) -> list:
    """``pdftotext -layout``: runs of spaces separate cells; the other lines are prose."""
    return _split_rows(lines, _layout_cells)


def _split_rows(lines: list[str], cells_of) -> list:
    blocks: list = []
    rows: list[list[Cell]] = []
    for line in lines:
        cells = cells_of(line)
        if cells is not None:
            rows.append([Cell(c.strip()) for c in cells])
        elif line.strip():
            if rows:
                blocks.append(Grid(rows, aligned=False))
                rows = []
            blocks.append(Paragraph(line.strip()))
    if rows:
        blocks.append(Grid(rows, aligned=False))
    return blocks


# ------------------------------------------------------------------ one cell per line
def _line_blocks(lines: list[str]) -> list:
    """One cell per line: the text lines before a run of number lines label a row.

    In a fragmented text (a crawler's dump: lines holding only ``,`` or ``(``) a row's
    label may itself be broken (``(`` / ``二`` / ``)`` / ``部分公开``): every fragment since
    the previous row becomes a cell before the numbers, and the matcher finds the label
    among them. Prose fragments are joined into paragraphs."""
    items = [line.strip() for line in lines if line.strip()]
    fragmented = sum(bool(_PUNCT_ONLY.match(t)) for t in items) >= 3
    numeric = [is_number(t) for t in items]
    blocks: list = []
    rows: list[list[Cell]] = []
    prose: list[str] = []   # fragments of the paragraphs before the next row or heading
    label: list[str] = []   # text fragments since the last row (the next row's label)

    def row_at(i: int) -> int:
        """The end of the run of number lines at ``i`` when it is a table row, else i."""
        j = i
        while j < len(items) and numeric[j]:
            j += 1
        return j if j > i and not _continues(items, i, j) else i

    i = 0
    while i < len(items):
        j = row_at(i)
        if j > i:
            if not fragmented:  # only the last line labels the row
                prose, label = prose + label[:-1], label[-1:]
            _flush_prose(blocks, rows, prose, fragmented)
            rows.append([Cell(x) for x in label + items[i:j]])
            label = []
            i = j
        elif _BOUNDARY.match(items[i]) and len(items[i]) <= 40 and row_at(i + 1) == i + 1:
            prose.extend(label)
            label = []
            _flush_prose(blocks, rows, prose, fragmented)
            if rows:
                blocks.append(Grid(list(rows), aligned=False))
                rows.clear()
            blocks.append(Paragraph(items[i]))
            i += 1
        else:
            label.append(items[i])
            i += 1
    prose.extend(label)
    _flush_prose(blocks, rows, prose, fragmented)
    if rows:
        blocks.append(Grid(rows, aligned=False))
    return blocks


def _continues(items: list[str], i: int, j: int) -> bool:
    """Numbers ``items[i:j]`` that are part of a sentence: followed by a fragment that
    continues it (``2022`` / ``年…``), or a lone number followed by the rest of a sentence
    (``12345`` / ``政务服务便民热线平台整体迁移到省平台。``): no table cell ends a sentence."""
    if j >= len(items):
        return False
    after = items[j]
    return after[0] in _CONTINUES or (j == i + 1 and after[-1] in _SENTENCE_END)


def _flush_prose(blocks: list, rows: list[list[Cell]], prose: list[str], fragmented: bool) -> None:
    """Turn the collected fragments into paragraphs (ending the grid before them)."""
    if not prose:
        return
    if rows:
        blocks.append(Grid(list(rows), aligned=False))
        rows.clear()
    for text in _paragraphs(prose, fragmented):
        blocks.append(Paragraph(text))
    prose.clear()


def _paragraphs(fragments: list[str], fragmented: bool) -> list[str]:
    """Join fragments of one sentence: a number, a lone punctuation mark, a fragment that
    starts by continuing the sentence; in a fragmented text, anything that follows a
    fragment not ending a sentence."""
    out: list[str] = []
    for text in fragments:
        if out and _joins(out[-1], text, fragmented):
            out[-1] += text
        else:
            out.append(text)
    return out


def _joins(before: str, text: str, fragmented: bool) -> bool:
    if _FIELD.match(text) or (_FIELD.match(before) and before[-1] in "：:"):
        return False
    if before[-1] in _SENTENCE_END:
        return bool(_PUNCT_ONLY.match(text)) and text[0] in _CONTINUES
    if is_number(text) or _PUNCT_ONLY.match(text) or text[0] in _CONTINUES:
        return True
    if is_number(before) or _PUNCT_ONLY.match(before):
        return True
    return fragmented
