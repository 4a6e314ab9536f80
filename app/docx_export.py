"""The report as a Word file (.docx), for district offices that merge reports in Word.

Same content as the PDF: the title, the six numbered sections in the format's order, the
texts as written, and every table with the official merged headers (built by
``app.table_layout`` from the format file, so no label is written here). Page, faces,
sizes, the line grid and the draft mark come from ``resources/pdf/style.toml``, the
PDF's own style data, so both files look alike: A4 with the GB/T 9704 margins, a
document grid of 22 lines × 28 characters, page numbers “— 1 —” in 四号 7 mm below
the text block, on the right of odd pages and the left of even ones.

Word and WPS on a Chinese desktop pick the East Asian font from the ``w:eastAsia``
attribute only, so every style sets it explicitly (the intended faces: 小标宋 for the
title, 黑体 for headings, 仿宋 for text, 宋体 for tables); the Latin font (digits) is
Times New Roman as in government documents. Formatting lives in named paragraph styles
(年报标题, 年报一级标题, 年报正文, 年报表格…), not on each run: an office that merges
reports can restyle all of them at once.

The file says who made it and nothing else: title, author (the organ), created and
modified now, application nianbao; none of python-docx's template leftovers.
"""
from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from app import __version__
from app.files import write_beside
from app.formats import Section
from app.pdf.style import MM, Style, load_style
from app.report import Report
from app.table_layout import (
    CORNER,
    GROUP,
    HEAD,
    LABEL,
    GridCell,
    Span,
    TableGrid,
    column_widths,
    em_width,
    label_lines,
    min_label_widths,
    split_grid,
    table_grid,
)

LATIN_FONT = "Times New Roman"
CELL_MARGIN_PT = 1.8           # left and right inside a table cell, as the PDF's padding


def export_docx(report: Report, path: str | os.PathLike[str], *, draft: bool = False,
                created: dt.datetime | None = None) -> None:
    """Write ``report`` as a .docx at ``path``; ``draft`` marks every page 草稿 in red.

    The file is written beside its destination and then moved into place, so an export
    that fails (disk full, file open in Word on Windows) never leaves half a file behind
    and never destroys an earlier good export. Raises ``DocxExportError`` (an ``OSError``
    with a Chinese message saying what to do) when it cannot be written.
    """
    doc = build_document(report, draft=draft, created=created)
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise DocxExportError(f"文件夹不存在：{folder}")
    try:
        write_beside(target, lambda tmp: doc.save(str(tmp)), ".docx.tmp")
    except PermissionError:
        raise DocxExportError(
            f"无法写入 {target}：文件正被其他程序使用（例如在 Word 或 WPS 中打开着），"
            "或没有写入权限。请关闭该文件或换一个位置后再导出。") from None
    except OSError as exc:
        raise DocxExportError(f"无法写入 {target}：{exc.strerror or exc}") from None


class DocxExportError(OSError):
    """The Word file could not be written; the message is Chinese and shown to the user."""


def build_document(report: Report, *, draft: bool = False, created: dt.datetime | None = None):
    """The whole Word document in memory (``docx.Document``)."""
    style = load_style()
    breaks = _pdf_breaks(report, draft)
    doc = Document()
    styles = _setup_styles(doc, style)
    _setup_page(doc, style, styles, draft)
    _properties(doc, report, draft, created or dt.datetime.now().astimezone())
    _add_title(doc, styles, report)
    for section in report.format.sections:
        _add_section(doc, styles, style, report, section, breaks.get(section.table or "", []))
    _add_signature(doc, styles, style, report)
    return doc


def _pdf_breaks(report: Report, draft: bool) -> dict[str, list[int]]:
    """Where the PDF's tables begin a new page (the Word file breaks them there too and
    repeats the header and the cut group labels, as the PDF does); none when the PDF
    cannot be laid out here (no Chinese font: Word then breaks its tables itself)."""
    from app.pdf import PdfError, table_breaks

    try:
        return table_breaks(report, draft=draft)
    except PdfError:
        return {}


# --------------------------------------------------------------------------- file properties

def _properties(doc, report: Report, draft: bool, created: dt.datetime) -> None:
    """Honest properties: what the report is, who made it, when; no template leftovers
    (python-docx's own name, its 2013 date, a Mac Word application, a blank thumbnail)."""
    when = created.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    cp = doc.core_properties
    cp.title = report.title + ("（草稿）" if draft else "")
    cp.author = cp.last_modified_by = report.organ
    cp.subject = f"{report.year}年政府信息公开工作年度报告（{report.format.name}）"
    cp.keywords = "政府信息公开工作年度报告"
    cp.language = "zh-CN"
    cp.comments = ""                     # the template's "generated by python-docx"
    cp.created = cp.modified = when
    for el in list(cp._element):
        if el.tag == qn("cp:lastPrinted") or not (el.text or "").strip():
            cp._element.remove(el)       # template leftovers ("generated by python-docx")
    cp.revision = 1
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = _app_xml(report)


def _app_xml(report: Report) -> bytes:
    from xml.sax.saxutils import escape
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Application>nianbao {escape(__version__)}</Application>"
            f"<Company>{escape(report.organ)}</Company><DocSecurity>0</DocSecurity>"
            "</Properties>").encode()


# --------------------------------------------------------------------------- page & styles

def _setup_page(doc, style: Style, styles: dict, draft: bool) -> None:
    """A4, the style's margins, the 22 × 28 grid, odd/even page numbers, the draft mark."""
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    for side in ("top", "bottom", "left", "right"):
        setattr(sec, f"{side}_margin", Twips(round(style.margin(side) * 20)))
    number = style.role("page_number")
    # the footer's bottom: its one line (exactly the number's size) starts 7 mm below the block
    sec.footer_distance = Twips(round((style.margin("bottom") - number["distance_mm"] * MM
                                       - number["size"]) * 20))
    sec.header_distance = Mm(15)
    _doc_grid(sec, style)
    doc.settings.odd_and_even_pages_header_footer = True
    _add_page_number(sec.footer.paragraphs[0], styles, style, odd=True)
    _add_page_number(sec.even_page_footer.paragraphs[0], styles, style, odd=False)
    if draft:
        for header in (sec.header, sec.even_page_header):
            header.paragraphs[0]._p.append(_watermark(style))


def _doc_grid(sec, style: Style) -> None:
    """Word's document grid of ``page.lines`` lines and ``page.chars`` characters: the
    line pitch in twips (whole twips, rounded down so that 22 lines fit) and the
    character pitch as Word stores it, (pitch − body size) × 4096."""
    width, _ = style.block
    body = style.role("body")["size"]
    char_pitch = width / style.data["page"]["chars"]
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(style.pitch * 20)))
    grid.set(qn("w:charSpace"), str(round((char_pitch - body) * 4096)))


def _watermark(style: Style):
    """The draft mark across the page, grey and slanted like the PDF's (a VML text shape
    in the header, which is how Word and WPS write their own watermarks)."""
    mark = style.role("watermark")
    gray = round(mark["gray"] * 255)
    color = f"#{gray:02x}{gray:02x}{gray:02x}"
    text = style.draft_mark
    width = mark["size"] * len(text)
    return parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/></v:shapetype>'
        f'<v:shape id="nianbaoDraftMark" o:spid="_x0000_s1025" type="#_x0000_t136" '
        f'style="position:absolute;margin-left:0;margin-top:0;width:{width:g}pt;height:{mark["size"]:g}pt;'
        f'rotation:{-mark["angle"]};z-index:-251654144;mso-position-horizontal:center;'
        'mso-position-horizontal-relative:margin;mso-position-vertical:center;'
        f'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="{color}" stroked="f">'
        f'<v:textpath style="font-family:&quot;{style.word_font("watermark")}&quot;;font-size:1pt" '
        f'string="{text}"/></v:shape></w:pict></w:r>')


def _add_page_number(paragraph, styles: dict, style: Style, *, odd: bool) -> None:
    """``— 1 —`` (a PAGE field, so Word renumbers merged files): on odd pages at the right,
    on even pages at the left, one character in from the block's edge (GB/T 9704 7.5)."""
    number = style.role("page_number")
    paragraph.style = styles["年报页码"]
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    indent = Pt(number["indent_chars"] * number["size"])
    if odd:
        fmt.right_indent = indent
    else:
        fmt.left_indent = indent
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" —")


TABLE_ALIGN = {"居中": WD_ALIGN_PARAGRAPH.CENTER, "左对齐": WD_ALIGN_PARAGRAPH.LEFT}


def _paragraph_styles(style: Style) -> dict:
    """name: (role whose face and size it takes, bold, alignment, paragraph settings)."""
    pitch = Twips(int(style.pitch * 20))     # whole twips, rounded down: 22 lines fit the block
    grid = {"line_spacing": pitch, "line_spacing_rule": WD_LINE_SPACING.EXACTLY,
            "space_before": Pt(0), "space_after": Pt(0)}

    def indent(role: str) -> dict:
        r = style.role(role)
        return {"first_line_indent": Pt(r.get("first_line_indent_chars", 0) * r["size"])}

    title = style.role("title")
    signature = style.role("signature")
    number = style.role("page_number")
    return {
        "年报标题": ("title", False, WD_ALIGN_PARAGRAPH.CENTER,
                 {**grid, "space_after": Twips(int(style.pitch * 20) * title.get("blank_lines_after", 1))}),
        "年报一级标题": ("heading", False, WD_ALIGN_PARAGRAPH.JUSTIFY,
                   {**grid, **indent("heading"), "keep_with_next": True}),
        "年报二级标题": ("subheading", False, WD_ALIGN_PARAGRAPH.JUSTIFY, {**grid, **indent("subheading")}),
        "年报正文": ("body", False, WD_ALIGN_PARAGRAPH.JUSTIFY, {**grid, **indent("body")}),
        "年报落款": ("signature", False, WD_ALIGN_PARAGRAPH.RIGHT,
                 {**grid, "right_indent": Pt(signature["right_indent_chars"] * signature["size"])}),
        "年报页码": ("page_number", False, None,
                 {"line_spacing": Pt(number["size"]), "line_spacing_rule": WD_LINE_SPACING.EXACTLY,
                  "space_before": Pt(0), "space_after": Pt(0)}),
        "年报表后": ("table", False, None, {"space_after": Pt(0)}),  # the line after a table
    }


def _doc_defaults(doc, style: Style) -> None:
    """The document's default run: the body face and size. LibreOffice sizes the grid's
    character cell from it (Word from Normal, set too); the template's 11 pt would make
    LibreOffice give each 三号 character two cells, 19 a line instead of 28."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    size = str(round(style.role("body")["size"] * 2))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), size)
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), style.word_font("body"))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _setup_styles(doc, style: Style) -> dict:
    """Create the named styles; returns them by name (looking a name up walks all styles)."""
    _doc_defaults(doc, style)
    normal = doc.styles["Normal"]
    body = style.role("body")
    _font(normal, style.word_font("body"), body["size"])
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    styles = {}
    for name, (role, bold, align, fmt) in _paragraph_styles(style).items():
        size = style.role(role)["size"]
        styles[name] = _add_style(doc, name, style.word_font(role), size, bold, align, fmt)
        _no_grid(styles[name], _char_spacing(style, size))
    table = style.role("table")
    for align in TABLE_ALIGN:
        for bold in (False, True):
            name = _table_style(align, bold)
            styles[name] = _add_style(doc, name, style.word_font("table"), table["size"], bold,
                                      TABLE_ALIGN[align], {"space_before": Pt(1), "space_after": Pt(1),
                                                           "line_spacing": 1.0})
            _no_grid(styles[name], 0)
    return styles


def _char_spacing(style: Style, size: float) -> int:
    """Character spacing (twips, rounded down) that puts ``page.chars`` characters of the
    body size on a line: 三号 characters are 16 pt, 28 of them 0.2 pt wider than 156 mm."""
    if size != style.role("body")["size"]:
        return 0
    # one twip more than the arithmetic: LibreOffice rounds to 1/100 mm and would set 27
    return math.floor((style.block[0] / style.data["page"]["chars"] - size) * 20) - 1


def _no_grid(style, spacing: int) -> None:
    """Text keeps to its own spacing rather than the section's character grid: LibreOffice
    gives a 16 pt character two 15.8 pt grid cells (19 a line), Word squeezes it. The
    lines sit on the grid anyway (exact line spacing of one pitch), and ``spacing`` twips
    between characters make 28 a line in both."""
    if spacing:
        _insert(style.element.get_or_add_rPr(), "w:spacing", str(spacing), _RPR_AFTER_SPACING)
    ppr = style.element.get_or_add_pPr()
    _insert(ppr, "w:overflowPunct", "0", _PPR_AFTER_OVERFLOW)   # no punctuation hung in the margin
    _insert(ppr, "w:snapToGrid", "0", _PPR_AFTER_SNAP)


# Word refuses elements out of the schema's order: what may follow each one we add.
_PPR_AFTER_SNAP = ("spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                   "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                   "cnfStyle", "rPr", "sectPr", "pPrChange")
_PPR_AFTER_OVERFLOW = ("topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                       "snapToGrid") + _PPR_AFTER_SNAP
_RPR_AFTER_SPACING = ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
                      "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
                      "specVanish", "oMath")
_TBLPR_AFTER_CELLMAR = ("tblLook", "tblCaption", "tblDescription", "tblPrChange")


def _insert(parent, tag: str, value: str | None, after: tuple[str, ...]):
    """Add ``<tag w:val=value/>`` to ``parent`` before the first child that must follow it."""
    el = OxmlElement(tag)
    if value is not None:
        el.set(qn("w:val"), value)
    successor = next((child for child in parent if child.tag in {qn(f"w:{t}") for t in after}), None)
    if successor is None:
        parent.append(el)
    else:
        successor.addprevious(el)
    return el


def _table_style(align: str, bold: bool) -> str:
    return f"年报表格{align}{'加粗' if bold else ''}"


def _add_style(doc, name, east_asia, size, bold, align, fmt):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _font(style, east_asia, size, bold=bold)
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    for key, value in fmt.items():
        setattr(pf, key, value)
    return style


def _font(target, east_asia: str, size: float, *, bold: bool = False) -> None:
    """Set Latin and East Asian fonts on a run or style (Word ignores ``name`` for CJK)."""
    font = target.font
    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    rpr = target._element.get_or_add_rPr()  # w:style or w:r alike
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)


# --------------------------------------------------------------------------- text

def _add_title(doc, styles: dict, report: Report) -> None:
    """The title, broken between words as in the PDF (``app.pdf.linebreak.title_lines``)."""
    from app.pdf.linebreak import title_lines

    style = load_style()
    size = style.role("title")["size"]
    lines = title_lines(report.title, report.organ, lambda s: em_width(s) * size, style.block[0])
    p = doc.add_paragraph(style=styles["年报标题"])
    for n, line in enumerate(lines):
        run = p.add_run(line)
        if n < len(lines) - 1:
            run.add_break()


def _add_section(doc, styles: dict, style: Style, report: Report, section: Section,
                 breaks: list[int]) -> None:
    doc.add_paragraph(section.heading, style=styles["年报一级标题"])
    if section.text:
        _add_text(doc, styles, report.texts.get(section.text, ""))
    if section.table:
        grid = table_grid(report.format.tables[section.table], report.cells)
        _add_table(doc, styles, style, grid, breaks)


def _add_text(doc, styles: dict, text: str) -> None:
    """One Word paragraph per non-empty line, indented two characters like the PDF; a
    （一）… line in the subheading style."""
    from app.pdf.document import SUBHEADING

    for line in text.splitlines():
        line = line.strip(" \t\u3000")
        if line:
            name = "年报二级标题" if SUBHEADING.match(line) else "年报正文"
            doc.add_paragraph(line, style=styles[name])


def _add_signature(doc, styles: dict, style: Style, report: Report) -> None:
    """The organ one blank line below the text, 2 characters from the right edge; the date
    below it starting 2 characters right of the organ's first character (GB/T 9704
    7.3.5.2, as the PDF)."""
    role = style.role("signature")
    size = role["size"]
    p = doc.add_paragraph(report.organ, style=styles["年报落款"])
    p.paragraph_format.space_before = Twips(int(style.pitch * 20) * role.get("blank_lines_before", 1))
    if not report.date:
        return
    d = report.date
    date = f"{d.year}年{d.month}月{d.day}日"
    organ_right = role["right_indent_chars"]
    date_right = organ_right + em_width(report.organ) - role["date_offset_chars"] - em_width(date)
    if date_right < organ_right:
        p.paragraph_format.right_indent = Pt((2 * organ_right - date_right) * size)
        date_right = organ_right
    q = doc.add_paragraph(date, style=styles["年报落款"])
    q.paragraph_format.right_indent = Pt(max(0.0, date_right) * size)


# --------------------------------------------------------------------------- tables

def _add_table(doc, styles: dict, style: Style, grid: TableGrid, breaks: list[int]) -> None:
    """The grid as one Word table per page of the PDF (cut before the rows in ``breaks``,
    each part starting a page with the header rows and the cut group labels repeated, by
    ``split_grid`` as in the PDF), all with the same column widths."""
    widths = _column_widths(grid, style)
    for n, part in enumerate(_parts(grid, breaks)):
        if n:
            gap = doc.add_paragraph(style=styles["年报表后"])   # two tables side by side would merge
            gap.paragraph_format.line_spacing = Pt(1)
            gap.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        table = _write_grid(doc, styles, part, widths)
        if n:
            for p in table._tbl.tr_lst[0].iter(qn("w:p")):
                p.get_or_add_pPr().pageBreakBefore_val = True
    doc.add_paragraph(style=styles["年报表后"])


def _parts(grid: TableGrid, breaks: list[int]) -> list[TableGrid]:
    """``grid`` cut before each of the rows ``breaks`` (rows of the whole grid)."""
    parts, rest, shift = [], grid, 0
    for row in sorted(breaks):
        k = row - shift
        if not grid.header_rows < k < rest.n_rows:
            continue
        first, rest = split_grid(rest, k)
        parts.append(first)
        shift += k - grid.header_rows
    return parts + [rest]


def _write_grid(doc, styles: dict, grid: TableGrid, widths: list[Twips]):
    """Write the grid row by row, merging with ``gridSpan``/``vMerge`` as Word does.

    Each Word cell is made once with its final span; ``python-docx``'s ``merge()`` re-walks
    the whole table for every merge and took most of a second per report.
    """
    table = doc.add_table(rows=0, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    for i, width in enumerate(widths):
        table.columns[i].width = width
    owner = _owners(grid)
    style_ids = {(align, bold): styles[_table_style(align, bold)].style_id
                 for align in TABLE_ALIGN for bold in (False, True)}
    for r in range(grid.n_rows):
        row = table.add_row()
        _row_flag(row, "w:cantSplit")  # a line of the table never breaks across pages
        if r < grid.header_rows:
            _row_flag(row, "w:tblHeader")
        tr = row._tr
        tcs = list(tr.tc_lst)
        c = 0
        while c < grid.n_cols:
            (c0, r0, c1, r1), gc = owner.get((r, c), ((c, r, c, r), None))
            span = c1 - c0 + 1
            tc = tcs[c]
            for extra in tcs[c + 1: c + span]:
                tr.remove(extra)
            tc.width = sum(widths[c: c + span], Twips(0))
            if span > 1:
                tc.grid_span = span
            if r1 > r0:
                tc.vMerge = "restart" if r0 == r else "continue"
            if gc is not None and r0 == r:
                _fill_cell(tc, gc, grid.layout, style_ids)
            c += span
        if r + 1 < grid.n_rows and _is_heading_line(grid, owner, r):
            for p in tr.iter(qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True
    return table


def _cell_margins(table) -> None:
    """Narrow cell margins (the PDF's padding) instead of Word's 1.9 mm, so labels fit."""
    margins = _insert(table._tbl.tblPr, "w:tblCellMar", None, _TBLPR_AFTER_CELLMAR)
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(CELL_MARGIN_PT * 20)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)


def _is_heading_line(grid: TableGrid, owner: dict, r: int) -> bool:
    """A line of header or group labels only: Word keeps it on the page of the next line
    (``第二十条第（九）项`` and ``信息内容 | …`` never end a page without their numbers)."""
    return all(owner.get((r, c)) is None or owner[(r, c)][1].kind in (CORNER, HEAD, GROUP)
               for c in range(grid.n_cols))


def _owners(grid: TableGrid) -> dict[tuple[int, int], tuple[Span, GridCell]]:
    """Which grid cell (and its merged range) covers each (row, column) position."""
    owner: dict[tuple[int, int], tuple[Span, GridCell]] = {}
    for span, gc in grid.rectangles():
        c0, r0, c1, r1 = span
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[(r, c)] = (span, gc)
    return owner


def _fill_cell(tc, gc: GridCell, layout: str, style_ids: dict) -> None:
    """Text and style of one cell (on the XML directly: the proxies cost most of the time).
    A numbered group label is two lines, （三） / 不予公开, as in the PDF."""
    tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    align = "左对齐" if gc.kind == LABEL and layout != "wide" else "居中"
    p = tc.p_lst[0]
    p.style = style_ids[(align, gc.kind == GROUP and layout == "blocks")]
    lines = label_lines(gc) if gc.kind == GROUP else [gc.text]
    if gc.note:
        lines = lines + [gc.note]
    for n, line in enumerate(lines):
        if n:
            p.add_r().add_br()
        if line:
            p.add_r().text = line


def _column_widths(grid: TableGrid, style: Style) -> list[Twips]:
    """The PDF's relative widths (``[tables.<layout>]`` of the style) over the block
    width, each label column widened until its numbered group labels fit on their lines
    (（三） / 不予公开), the room taken from the widest column."""
    width_pt, _ = style.block
    size = style.role("table")["size"]
    relative = column_widths(grid, style.table(grid.layout))
    widths = [width_pt * w / sum(relative) for w in relative]
    for c, em in enumerate(min_label_widths(grid)):
        need = em * size + 2 * CELL_MARGIN_PT + 1
        if widths[c] < need:
            widest = max(range(len(widths)), key=lambda i: widths[i])
            widths[widest] -= need - widths[c]
            widths[c] = need
    return [Twips(round(w * 20)) for w in widths]


def _row_flag(row, tag: str) -> None:
    """Set an on/off property of a table line (``w:tblHeader``: repeat on each page)."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
