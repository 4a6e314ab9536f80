"""Read a Word file (.docx) into paragraphs and grids, in the order of the document.

python-docx gives each row's cells per grid column, repeating a merged cell in every
position it covers; a repeat (the same underlying cell as its left or upper neighbour)
is marked as not the origin, exactly like an expanded rowspan/colspan of a web page.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from app.files import size_text
from app.importer.document import MAX_DOCUMENT_CELLS, Cell, Document, Grid, InputTooLarge, Paragraph, check_blocks


class DocxError(ValueError):
    """Not a readable Word file (message in Chinese)."""


MAX_EXPANDED = 100 * 1024 * 1024
"""Bytes of all parts once decompressed (pictures included): python-docx holds them all."""
MAX_XML = 10 * 1024 * 1024
"""Bytes of the text parts (XML) once decompressed: a report has well under 1 MB; a 1 MB
decompression bomb used to take 24 s and 2 GB."""
MAX_PARTS = 5000


def read_docx(data: bytes) -> Document:
    _check_sizes(data)
    try:
        import docx
        from docx.opc.exceptions import OpcError
        from docx.table import Table
        from docx.text.paragraph import Paragraph as DocxParagraph
        from lxml.etree import LxmlError
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        raise DocxError("Word 文件已损坏（压缩数据无法解开）" if not isinstance(exc, zipfile.BadZipFile)
                        else "Word 文件已损坏（压缩包内容有误）") from None
    except KeyError:
        raise DocxError("不是有效的 Word（.docx）文件：缺少文档正文") from None
    except LxmlError as exc:
        line = getattr(exc, "lineno", None)
        raise DocxError(f"Word 文件已损坏：文档内容的 XML 有误{f'（第 {line} 行）' if line else ''}") from None
    except (ValueError, OpcError):
        raise DocxError("不是 Word 文档（.docx）：可能是其他 Office 文件，或已损坏") from None
    blocks: list = []
    notes: list[str] = []
    body = getattr(document.element, "body", None)   # None: the main part is no w:document
    if body is None:
        raise DocxError("不是有效的 Word（.docx）文件：缺少文档正文")
    check_blocks(len(body))
    _check_cells(body)
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


def _check_sizes(data: bytes) -> None:
    """Refuse a file that is no zip, or that would decompress to far more than any report,
    from the zip's directory, before decompressing anything (zipfile stops reading a part
    at its declared size, so the declared sizes bound the work)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise DocxError("不是有效的 Word（.docx）文件（不是 Word 文件的压缩格式，或文件不完整）") from None
    if len(parts) > MAX_PARTS:
        raise InputTooLarge(f"Word 文件中有 {len(parts):,} 个部件，不是年报（Word 文件通常只有几十个）")
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    total = sum(p.file_size for p in parts)
    if xml > MAX_XML or total > MAX_EXPANDED:
        raise InputTooLarge(f"Word 文件解压后有 {size_text(max(xml, total))}，超过上限 "
                            f"{size_text(MAX_XML if xml > MAX_XML else MAX_EXPANDED)}，不是年报"
                            "（年报的 Word 文件解压后通常不到 1 MB）")


def _check_cells(body) -> None:
    """Refuse tables whose cells, merged cells repeated, are far more than any report's
    (python-docx repeats a cell ``gridSpan`` times; the count comes from the XML, cheaply)."""
    def number(value: str) -> int:   # an invalid value is the table reader's problem
        value = value.strip()
        if not value.isdigit():
            return 1
        return int(value) if len(value) < 8 else MAX_DOCUMENT_CELLS + 1

    cells = len(body.xpath(".//w:tc"))
    cells += sum(number(v) - 1 for v in body.xpath(".//w:tc/w:tcPr/w:gridSpan/@w:val"))
    cells += sum(number(v) for v in body.xpath(".//w:trPr/w:gridBefore/@w:val | .//w:trPr/w:gridAfter/@w:val"))
    if cells > MAX_DOCUMENT_CELLS:
        raise InputTooLarge(f"Word 文件的表格共超过 {MAX_DOCUMENT_CELLS:,} 格，不是年报（年报的表格共约一千格）")


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
