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
