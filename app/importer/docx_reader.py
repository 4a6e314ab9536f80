"""Read a Word file (.docx) into paragraphs and grids, in the order of the document.

python-docx gives each row's cells per grid column, repeating a merged cell in every
position it covers; a repeat (the same underlying cell as its left or upper neighbour)
is marked as not the origin, exactly like an expanded rowspan/colspan of a web page.
"""
from __future__ import annotations

import io
import zipfile

from app.importer.document import Cell, Document, Grid, Paragraph


class DocxError(ValueError):
    """Not a readable Word file (message in Chinese)."""


def read_docx(data: bytes) -> Document:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph as DocxParagraph
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocxError(f"不是有效的 Word（.docx）文件：{exc}") from None
    blocks: list = []
    notes: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = DocxParagraph(child, document).text.strip()
            if text:
                blocks.append(Paragraph(text))
        elif tag == "tbl":
            try:
                blocks.append(_grid(Table(child, document)))
            except ValueError:  # python-docx on a broken attribute (gridSpan="abc")
                notes.append(f"Word 文件中的第 {sum(isinstance(b, Grid) for b in blocks) + len(notes) + 1} "
                             "个表格已损坏（单元格合并的设置无效），这个表格未读取")
    title = document.core_properties.title or ""
    return Document(blocks=blocks, title=title, kind="docx", notes=notes)


def _grid(table) -> Grid:
    rows: list[list[Cell]] = []
    above: list = []
    for row in table.rows:
        tcs = [c._tc for c in row.cells]
        out = []
        for i, cell in enumerate(row.cells):
            repeat = (i > 0 and tcs[i - 1] is tcs[i]) or (i < len(above) and above[i] is tcs[i])
            span = 1
            while i + span < len(tcs) and tcs[i + span] is tcs[i]:
                span += 1
            out.append(Cell(cell.text.strip(), origin=not repeat, span=1 if repeat else span))
        rows.append(out)
        above = tcs
    return Grid(rows, aligned=True)
