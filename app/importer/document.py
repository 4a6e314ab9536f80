"""What every reader produces: a document as paragraphs and grids of cells.

The readers (web page, plain text, Word) know their file type and nothing of the report;
the matcher knows the report and nothing of file types. Between them is this small
model: the blocks of the document in reading order, each a paragraph of text or a grid
of cells. A grid from a web page or a Word file has its merged cells expanded, so that a
cell's position is its column under the header (``aligned``); a grid from copied text
does not (stray empty cells shift the rows), and the matcher then trusts only the order
of the numbers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_GRID_CELLS = 5_000
"""Positions of one table once merged cells are expanded: a report's largest table has a
few hundred; a page with spans that multiply is refused before the work (a 38 KB page
used to expand to 272 MB)."""
MAX_DOCUMENT_CELLS = 20_000
"""The same for all the tables of one document."""
MAX_BLOCKS = 50_000
"""Paragraphs (lines of a text file) of one document: a report has a few hundred, and the
matcher spends some 50 µs on each (half a million took 46 s)."""


class InputTooLarge(ValueError):
    """The file would take far more work or memory than any report needs (Chinese)."""


def check_blocks(count: int) -> None:
    """Refuse a document with more paragraphs than any report, before reading them."""
    if count > MAX_BLOCKS:
        raise InputTooLarge(f"文件中有超过 {MAX_BLOCKS:,} 段（行）文字，不是年报（年报通常只有几百段）")


@dataclass
class Cell:
    text: str
    origin: bool = True
    """False for the copies a merged cell leaves in the positions it covers."""
    span: int = 1
    """How many grid columns the cell covers (on its origin; 1 on the copies)."""


@dataclass
class Grid:
    rows: list[list[Cell]]
    aligned: bool
    where: tuple[int, ...] = ()


@dataclass
class Paragraph:
    text: str
    where: tuple[int, ...] = ()
    """The elements (web page) that enclose the block, outermost first; () elsewhere."""


Block = Paragraph | Grid


@dataclass
class Document:
    blocks: list[Block]
    title: str = ""
    kind: str = ""
    notes: list[str] = field(default_factory=list)


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_ENUM = re.compile(r"^(\d+)[、.．,，]")


def norm(text: str) -> str:
    """A label as the matcher compares it: NFKC (half-width brackets and digits), no
    spaces or line breaks, no quotes, and ``1、`` / ``1．`` written ``1.``."""
    t = unicodedata.normalize("NFKC", text)
    t = _SPACES.sub("", t).translate(_QUOTES)
    return _ENUM.sub(r"\1.", t)


def trim_to_article(blocks: list[Block], anchors: list[int]) -> list[Block]:
    """Keep the blocks inside the innermost element holding every anchor block.

    A saved web page carries menus, footers and scripts around the report; the report
    itself is the smallest element that holds its tables and section headings.
    """
    if not anchors:
        return blocks
    prefix = list(blocks[anchors[0]].where)
    for i in anchors[1:]:
        where = blocks[i].where
        n = 0
        while n < len(prefix) and n < len(where) and prefix[n] == where[n]:
            n += 1
        del prefix[n:]
    if not prefix:
        return blocks
    p = tuple(prefix)
    return [b for b in blocks if b.where[:len(p)] == p]
