"""The report as a Word file (.docx), for district offices that merge reports in Word.

Same content as the PDF: the title, the six numbered sections in the format's order, the
texts as written, and every table with the official merged headers (built by
``app.table_layout`` from the format file, so no label is written here). Word and WPS on
a Chinese desktop pick the East Asian font from the ``w:eastAsia`` attribute only, so every
style sets it explicitly (宋体 for the title and tables, 黑体 for headings, 仿宋 for text);
the Latin font (digits) is Times New Roman as in government documents.

Formatting lives in named paragraph styles (年报标题, 年报一级标题, 年报正文, 年报表格…), not
on each run: a district office that merges reports can restyle all of them at once in
Word, and the file is built about twice as fast.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.enum.style import WD_STYLE_TYPE

from app.files import write_beside
from app.formats import Section
from app.report import Report
from app.table_layout import CORNER, GROUP, HEAD, LABEL, GridCell, Span, TableGrid, table_grid

LATIN_FONT = "Times New Roman"
SONG, HEI, FANGSONG = "宋体", "黑体", "仿宋"

# Sizes of Chinese official documents: 二号 22 pt, 三号 16 pt, 小四 12 pt, 五号 10.5 pt, 小五 9 pt.
TITLE_PT, HEADING_PT, BODY_PT = 22, 16, 16
LINE_PT = 28  # 固定值 28 磅: GB/T 9704's 22 lines a page
TABLE_PT = {"blocks": 10.5, "grid": 9, "wide": 9}

# A4 with the margins of GB/T 9704 (党政机关公文格式), so a merged Word file looks uniform.
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26


DRAFT_MARK = "草稿（未经核定，不得报送）"
TITLE_LINE_CHARS = 20  # characters of 二号 type on one line of the A4 text width


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
    doc = Document()
    styles = _setup_styles(doc)
    _setup_page(doc, styles, draft)
    doc.core_properties.title = report.title + ("（草稿）" if draft else "")
    doc.core_properties.language = "zh-CN"
    _add_title(doc, styles, report)
    for section in report.format.sections:
        _add_section(doc, styles, report, section)
    _add_signature(doc, styles, report)
    return doc


# --------------------------------------------------------------------------- page & styles

def _setup_page(doc, styles: dict, draft: bool) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.top_margin, sec.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    sec.left_margin, sec.right_margin = MARGINS["left"], MARGINS["right"]
    _add_page_number(sec.footer.paragraphs[0], styles)
    if draft:
        p = sec.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(DRAFT_MARK)
        _font(run, HEI, 16, bold=True)
        run.font.color.rgb = RGBColor(0xC8, 0x16, 0x1D)


def _add_page_number(paragraph, styles: dict) -> None:
    """A centred ``— 1 —`` page number (a PAGE field, so Word renumbers merged files)."""
    paragraph.style = styles["年报页码"]
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


# name: (East Asian font, size pt, bold, alignment, paragraph settings)
PARAGRAPH_STYLES = {
    "年报标题": (SONG, TITLE_PT, True, WD_ALIGN_PARAGRAPH.CENTER, {"space_after": Pt(18)}),
    "年报一级标题": (HEI, HEADING_PT, False, None,
                 {"space_before": Pt(12), "space_after": Pt(6), "keep_with_next": True,
                  "first_line_indent": Pt(HEADING_PT * 2)}),
    "年报正文": (FANGSONG, BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY,
             {"first_line_indent": Pt(BODY_PT * 2), "line_spacing": Pt(LINE_PT),
              "space_after": Pt(0)}),
    "年报落款": (FANGSONG, BODY_PT, False, WD_ALIGN_PARAGRAPH.RIGHT,
             {"right_indent": Pt(BODY_PT * 2)}),
    "年报页码": (SONG, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, {}),
    "年报表后": (SONG, 10.5, False, None, {"space_after": Pt(0)}),  # the line after a table
}
TABLE_ALIGN = {"居中": WD_ALIGN_PARAGRAPH.CENTER, "左对齐": WD_ALIGN_PARAGRAPH.LEFT}


def _setup_styles(doc) -> dict:
    """Create the named styles; returns them by name (looking a name up walks all styles)."""
    normal = doc.styles["Normal"]
    _font(normal, FANGSONG, BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    styles = {}
    for name, (east_asia, size, bold, align, fmt) in PARAGRAPH_STYLES.items():
        styles[name] = _add_style(doc, name, east_asia, size, bold, align, fmt)
    for size in sorted(set(TABLE_PT.values())):
        for align in TABLE_ALIGN:
            for bold in (False, True):
                name = _table_style(size, align, bold)
                styles[name] = _add_style(doc, name, SONG, size, bold, TABLE_ALIGN[align],
                                          {"space_before": Pt(2), "space_after": Pt(2),
                                           "line_spacing": 1.0})
    return styles


def _table_style(size: float, align: str, bold: bool) -> str:
    return f"年报表格{size:g}磅{align}{'加粗' if bold else ''}"


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
    """The title, broken like the PDF's after the organ when it does not fit one line."""
    p = doc.add_paragraph(style=styles["年报标题"])
    title = report.title
    if len(title) > TITLE_LINE_CHARS and report.organ and title.startswith(report.organ):
        p.add_run(report.organ).add_break()
        title = title[len(report.organ):]
    p.add_run(title)


def _add_section(doc, styles: dict, report: Report, section: Section) -> None:
    doc.add_paragraph(section.heading, style=styles["年报一级标题"])
    if section.text:
        _add_text(doc, styles, report.texts.get(section.text, ""))
    if section.table:
        grid = table_grid(report.format.tables[section.table], report.cells)
        _add_table(doc, styles, grid)


def _add_text(doc, styles: dict, text: str) -> None:
    """One Word paragraph per non-empty line, indented two characters like the PDF."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            doc.add_paragraph(line, style=styles["年报正文"])


def _add_signature(doc, styles: dict, report: Report) -> None:
    """The organ, and the date when known, at the right as in the PDF (GB/T 9704 7.3.5)."""
    p = doc.add_paragraph(report.organ, style=styles["年报落款"])
    p.paragraph_format.space_before = Pt(BODY_PT * 2)
    if report.date:
        d = report.date
        doc.add_paragraph(f"{d.year}年{d.month}月{d.day}日", style=styles["年报落款"])


# --------------------------------------------------------------------------- tables

def _add_table(doc, styles: dict, grid: TableGrid) -> None:
    """Write the grid row by row, merging with ``gridSpan``/``vMerge`` as Word does.

    Each Word cell is made once with its final span; ``python-docx``'s ``merge()`` re-walks
    the whole table for every merge and took most of a second per report.
    """
    table = doc.add_table(rows=0, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _column_widths(grid)
    for i, width in enumerate(widths):
        table.columns[i].width = width
    owner = _owners(grid)
    size = TABLE_PT[grid.layout]
    style_ids = {(align, bold): styles[_table_style(size, align, bold)].style_id
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
            tc.width = sum(widths[c: c + span], Mm(0))
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
    doc.add_paragraph(style=styles["年报表后"])


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
    """Text and style of one cell (on the XML directly: the proxies cost most of the time)."""
    tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    align = "左对齐" if gc.kind == LABEL and layout != "wide" else "居中"
    p = tc.p_lst[0]
    p.style = style_ids[(align, gc.kind == GROUP and layout == "blocks")]
    if gc.lines:
        p.add_r().text = gc.lines


def _column_widths(grid: TableGrid) -> list[Mm]:
    """Label columns wide enough for the official labels; number columns share the rest."""
    if grid.layout == "wide":
        return [Mm(TEXT_WIDTH_MM / grid.n_cols)] * grid.n_cols
    if grid.layout == "blocks":
        first = TEXT_WIDTH_MM * 0.34
        rest = (TEXT_WIDTH_MM - first) / (grid.n_cols - 1)
        return [Mm(first)] + [Mm(rest)] * (grid.n_cols - 1)
    n_label = grid.label_columns
    n_values = grid.n_cols - n_label
    value_mm = 11.0
    label_mm = TEXT_WIDTH_MM - value_mm * n_values
    # group columns narrow, the innermost label column (the long labels) wide
    weights = [1.0] * (n_label - 1) + [2.2]
    unit = label_mm / sum(weights)
    return [Mm(unit * w) for w in weights] + [Mm(value_mm)] * n_values


def _row_flag(row, tag: str) -> None:
    """Set an on/off property of a table line (``w:tblHeader``: repeat on each page)."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
