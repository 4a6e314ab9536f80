"""A one-table document (title, a few lines, a table, a closing, the signature), written
as Word (.docx) or PDF: the district office's 问题清单 and their overview.

The PDF takes its faces from the report's font set (``app.pdf.fonts``: the same search,
the same fallback for rare characters in names, the same refusal to print a blank for a
character no font has); sizes are those of a working list, not of the report. Both files
are written beside their destination and moved into place (``app.files.write_beside``).
"""
from __future__ import annotations

import io
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
    rows: list[tuple[str, ...]]
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
def write_docx(doc: SimpleDoc, path: Path) -> None:
    from docx import Document  # python-docx loads only when asked
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    d = Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    d.core_properties.title = doc.title
    d.core_properties.language = "zh-CN"
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title.add_run(doc.title), EAST_ASIA_HEADING, TITLE_PT, bold=True)
    for line in doc.lines:
        _run(d.add_paragraph().add_run(line), EAST_ASIA_TEXT, TEXT_PT)
    if doc.intro:
        _run(d.add_paragraph().add_run(doc.intro), EAST_ASIA_TEXT, TEXT_PT)
    table = d.add_table(rows=1, cols=len(doc.header))
    table.style = d.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(w) for w in doc.column_mm()]
    for cell, text, width in zip(table.rows[0].cells, doc.header, widths):
        cell.width = width
        _run(cell.paragraphs[0].add_run(text), EAST_ASIA_HEADING, TABLE_PT, bold=True)
    _repeat_header(table.rows[0])
    for row in doc.rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, row, widths):
            cell.width = width
            lines = str(text).split("\n")
            p = cell.paragraphs[0]
            for i, line in enumerate(lines):
                run = p.add_run(line)
                _run(run, EAST_ASIA_TEXT, TABLE_PT)
                if i < len(lines) - 1:
                    run.add_break()
    if doc.closing:
        _run(d.add_paragraph().add_run(doc.closing), EAST_ASIA_TEXT, TEXT_PT)
    for line in doc.signature:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p.add_run(line), EAST_ASIA_TEXT, TEXT_PT)
    write_beside(Path(path), lambda tmp: d.save(str(tmp)), ".docx.tmp")


def _run(run, east_asia: str, size: float, bold: bool = False) -> None:
    """Latin and East Asian font of a run (Word picks CJK faces from ``w:eastAsia`` only)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


# ------------------------------------------------------------------ PDF
def write_pdf(doc: SimpleDoc, path: Path) -> None:
    """Raises ``app.pdf.PdfError`` (Chinese) when no font can print it."""
    data = render_pdf(doc)
    write_beside(Path(path), lambda tmp: tmp.write_bytes(data), ".pdf.tmp")


def render_pdf(doc: SimpleDoc) -> bytes:
    from reportlab.lib import colors  # reportlab loads only when asked
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    import app.pdf.tables  # noqa: F401 - sets reportlab's Chinese rule: no line starts with ，。”）
    from app.pdf.fonts import discover
    from app.pdf.style import load_style

    fonts = discover(load_style())
    text_font, head_font = fonts.for_role("body").name, fonts.for_role("heading").name

    def style(name, font, size, **kw):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.45,
                              wordWrap="CJK", **kw)

    title_st = style("title", head_font, TITLE_PT, alignment=TA_CENTER, spaceAfter=10)
    text_st = style("text", text_font, TEXT_PT, spaceAfter=3)
    head_st = style("head", head_font, TABLE_PT)
    cell_st = style("cell", text_font, TABLE_PT)
    sign_st = style("sign", text_font, TEXT_PT, alignment=TA_RIGHT)

    def para(text: str, st, role: str, where: str) -> Paragraph:
        lines = [fonts.markup(line, role, where) for line in str(text).split("\n")]
        return Paragraph("<br/>".join(lines), st)

    story = [para(doc.title, title_st, "heading", "标题")]
    story += [para(line, text_st, "body", "正文") for line in doc.lines + ([doc.intro] if doc.intro else [])]
    story.append(Spacer(1, 4))
    data = [[para(h, head_st, "heading", "表头") for h in doc.header]]
    data += [[para(v, cell_st, "body", f"表格第 {i} 行") for v in row] for i, row in enumerate(doc.rows, 1)]
    table = LongTable(data, colWidths=[w * mm for w in doc.column_mm()], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92))]))
    story.append(table)
    if doc.closing:
        story += [Spacer(1, 8), para(doc.closing, text_st, "body", "结尾")]
    story.append(Spacer(1, 16))
    story += [para(line, sign_st, "body", "落款") for line in doc.signature]
    fonts.raise_if_missing()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, title=doc.title, leftMargin=MARGIN_MM * mm,
                            rightMargin=MARGIN_MM * mm, topMargin=MARGIN_MM * mm,
                            bottomMargin=MARGIN_MM * mm)
    pdf.build(story)
    return out.getvalue()
