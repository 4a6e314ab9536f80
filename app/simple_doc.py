"""A one-table document (title, a few lines, a table, a closing, the signature), written
as Word (.docx) here and as PDF by ``app.simple_pdf``: the district office's 问题清单 and
their overview. Sizes are those of a working list, not of the report. Both files are
written beside their destination and moved into place (``app.files.write_beside``).

The Word body is written as WordprocessingML text and parsed once: building it through
python-docx's objects (a run, its fonts and size one element at a time) took ~0.15 s a
list of 50 findings, the XML ~0.01 s. Text that XML cannot hold (a control character in
a file name) is written visibly as ``\\x01``, as the spreadsheet does.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.files import write_beside

EAST_ASIA_TEXT, EAST_ASIA_HEADING, LATIN = "仿宋", "黑体", "Times New Roman"
TITLE_PT, TEXT_PT, TABLE_PT = 16, 12, 10.5
MARGIN_MM = 22
PAGE_WIDTH_MM = 210


@dataclass
class SimpleDoc:
    title: str
    lines: list[str]
    intro: str
    header: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    widths: tuple[float, ...]
    """Relative column widths."""
    closing: str = ""
    signature: list[str] = field(default_factory=list)
    """Right-aligned lines at the end: the office's name, the date."""

    def column_mm(self) -> list[float]:
        usable = PAGE_WIDTH_MM - 2 * MARGIN_MM
        total = sum(self.widths)
        return [usable * w / total for w in self.widths]


# ------------------------------------------------------------------ Word
TWIPS_PER_MM = 1440 / 25.4
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_docx(doc: SimpleDoc, path: Path) -> None:
    from docx import Document  # python-docx loads only when asked
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm

    d = Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    d.core_properties.title = _xml_safe(doc.title)
    d.core_properties.language = "zh-CN"
    parts = [_paragraph(doc.title, EAST_ASIA_HEADING, TITLE_PT, bold=True, align="center")]
    parts += [_paragraph(line, EAST_ASIA_TEXT, TEXT_PT) for line in doc.lines]
    if doc.intro:
        parts.append(_paragraph(doc.intro, EAST_ASIA_TEXT, TEXT_PT))
    parts.append(_table(doc))
    if doc.closing:
        parts.append(_paragraph(doc.closing, EAST_ASIA_TEXT, TEXT_PT))
    parts += [_paragraph(line, EAST_ASIA_TEXT, TEXT_PT, align="right") for line in doc.signature]
    body = parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>")
    end = d.element.body.sectPr
    for element in list(body):
        end.addprevious(element)
    write_beside(Path(path), lambda tmp: d.save(str(tmp)), ".docx.tmp")


def _xml_safe(text: str) -> str:
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _run(text: str, east_asia: str, size: float, bold: bool = False) -> str:
    """A run in the Latin face and ``east_asia`` (Word picks CJK faces from ``w:eastAsia``
    only); lines of ``text`` separated by breaks."""
    lines = [_xml_safe(line).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
             for line in str(text).split("\n")]
    texts = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east_asia}"/>'
            f'{"<w:b/>" if bold else ""}<w:sz w:val="{round(size * 2)}"/></w:rPr>{texts}</w:r>')


def _paragraph(text: str, east_asia: str, size: float, bold: bool = False, align: str = "") -> str:
    props = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    return f"<w:p>{props}{_run(text, east_asia, size, bold)}</w:p>"


def _table(doc: SimpleDoc) -> str:
    """The table in Word's grid style, centred, its header row repeated on every page."""
    widths = [round(w * TWIPS_PER_MM) for w in doc.column_mm()]

    def row(values, east_asia: str, bold: bool, header: bool = False) -> str:
        props = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr>'
                        f"<w:p>{_run(v, east_asia, TABLE_PT, bold)}</w:p></w:tc>"
                        for v, w in zip(values, widths))
        return f"<w:tr>{props}{cells}</w:tr>"

    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:jc w:val="center"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
            'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
            + row(doc.header, EAST_ASIA_HEADING, True, header=True)
            + "".join(row(r, EAST_ASIA_TEXT, False) for r in doc.rows) + "</w:tbl>")
