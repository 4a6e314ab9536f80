"""Read text copied from a published report (.txt) into paragraphs and grids.

Copying a web page's table gives one line per table row with the cells separated by
tabs, shifted by stray empty cells where the page had merged cells. Some browsers give
one cell per line instead: a label line followed by lines holding only a number. Both
become grids; a grid from text is never ``aligned`` (positions cannot be trusted, only
the order of the numbers in a row).
"""
from __future__ import annotations

import re

from app.importer.document import Cell, Document, Grid, Paragraph, check_blocks
from app.importer.html_reader import decode

_NUMBER = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．]*\s*(万元|元)?$")


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def read_text(data: bytes) -> Document:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    check_blocks(sum(1 for line in lines if line.strip()))
    if any("\t" in line for line in lines):
        blocks = _tab_blocks(lines)
    else:
        blocks = _line_blocks(lines)
    return Document(blocks=blocks, kind="txt")


def _tab_blocks(lines: list[str]) -> list:
    """Lines with tabs are table rows; blank lines inside a table do not end it."""
    blocks: list = []
    rows: list[list[Cell]] = []
    for line in lines:
        if "\t" in line:
            rows.append([Cell(c.strip()) for c in line.split("\t")])
        elif line.strip():
            if rows:
                blocks.append(Grid(rows, aligned=False))
                rows = []
            blocks.append(Paragraph(line.strip()))
    if rows:
        blocks.append(Grid(rows, aligned=False))
    return blocks


def _line_blocks(lines: list[str]) -> list:
    """One cell per line: a text line followed by number lines is a table row."""
    items = [line.strip() for line in lines if line.strip()]
    blocks: list = []
    rows: list[list[Cell]] = []
    i = 0
    while i < len(items):
        j = i + 1
        while j < len(items) and is_number(items[j]):
            j += 1
        if is_number(items[i]):  # numbers with no label before them (a wide table)
            rows.append([Cell(x) for x in items[i:j]])
        elif j > i + 1:
            rows.append([Cell(x) for x in items[i:j]])
        else:
            if rows:
                blocks.append(Grid(rows, aligned=False))
                rows = []
            blocks.append(Paragraph(items[i]))
        i = j
    if rows:
        blocks.append(Grid(rows, aligned=False))
    return blocks
