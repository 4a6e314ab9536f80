"""The report as a PDF in the manner of 党政机关公文 (GB/T 9704): page, title, sections,
tables, signature, page numbers, the 草稿 watermark, metadata and the embedded data.

Everything printed comes from the report and its format file; sizes, fonts and margins
come from ``resources/pdf/style.toml``.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas

from app import __version__, exchange
from app.formats import Section
from app.pdf.attachment import embed_report
from app.pdf.fonts import FontSet
from app.pdf.gridtext import GridText, Line, LineMaker, blank
from app.pdf.pages import lay_out
from app.pdf.style import Style
from app.pdf.tables import TableBlock
from app.report import Report
from app.table_layout import table_grid

# Same input, same bytes (the creation date is always given): set once for the process,
# never flipped per export, since exports and previews run in threads.
rl_config.invariant = 1

SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。；]{0,30}。?$")


class _Builder:
    """Builds the blocks of one report: text as grid lines, tables as grids."""

    def __init__(self, report: Report, fonts: FontSet, style: Style, draft: bool,
                 breaks: dict[str, list[int]] | None = None) -> None:
        self.report, self.fonts, self.style, self.draft = report, fonts, style, draft
        self.breaks = {} if breaks is None else breaks
        self.width = A4[0] - style.margin("left") - style.margin("right")
        self.height = A4[1] - style.margin("top") - style.margin("bottom")
        self.page_lines = style.data["page"]["lines"]
        self.pitch = self.height / self.page_lines
        self.lines = LineMaker(fonts, style, self.width)

    def grid(self, lines: list[Line]) -> GridText:
        return GridText(lines, self.pitch, self.page_lines)

    def story(self) -> list:
        out: list = []
        lines = self.lines.title(self.report.title, self.report.organ)
        for section in self.report.format.sections:
            if section.table:
                if lines:
                    out.append(self.grid(lines))
                    lines = []
                out.append(self.table(section, section.table))
            else:
                lines += self.heading(section)
                self._keep_after_heading(lines, self.text(section, section.text or ""))
        lines += self.signature(lines)
        out.append(self.grid(lines))
        return out

    def heading(self, section: Section) -> list[Line]:
        lines = self.lines.paragraph(section.heading, "heading", "标题")
        for line in lines:
            line.keep = True
        return lines

    def _keep_after_heading(self, lines: list[Line], text: list[Line]) -> None:
        """Append ``text`` to ``lines``, its first lines kept with the heading above."""
        keep = self.style.role("heading").get("keep_lines_after", 2)
        for line in text[:keep - 1]:
            line.keep = True
        lines += text

    def text(self, section: Section, key: str) -> list[Line]:
        paragraphs = [p.strip(" \t\u3000") for p in self.report.texts.get(key, "").splitlines()]
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            if not self.draft:
                return []
            return self.lines.paragraph("（未填写）", "body", section.heading, gray=0.45)
        out: list[Line] = []
        for n, para in enumerate(paragraphs, 1):
            role = "subheading" if SUBHEADING.match(para) else "body"
            out += self.lines.paragraph(para, role, f"{section.heading} 第 {n} 段")
        return out

    def table(self, section: Section, key: str) -> TableBlock:
        """The section's heading and table as one block that breaks by rows."""
        table = self.report.format.tables[key]
        grid = table_grid(table, self.report.cells)
        where = f"{section.heading}表格中"
        return TableBlock(grid, self.fonts, self.style, self.width, where,
                            lead=self.grid(self.heading(section)),
                            breaks=self.breaks.setdefault(key, []))

    def signature(self, above: list[Line]) -> list[Line]:
        """Organ and date, GB/T 9704 7.3.5.2: one blank line below the text; the organ 2
        characters from the right edge; the date below it, starting 2 characters right of
        the organ's first character; a date longer than that is set 2 characters from the
        edge and the organ moves left. Kept on the page of the text's last line."""
        role = self.style.role("signature")
        unit = role["size"] + self.lines.gap(role["size"])
        organ = self.report.organ
        date = chinese_date(self.report.date) if self.report.date else ""
        organ_w = self.lines.text_width(organ, "signature")
        date_w = self.lines.text_width(date, "signature")
        organ_right = role["right_indent_chars"] * unit
        date_right = organ_right + organ_w - role["date_offset_chars"] * unit - date_w
        if date and date_right < organ_right:
            organ_right += organ_right - date_right
            date_right = role["right_indent_chars"] * unit
        if above and above[-1].runs:
            above[-1].keep = True
        out = [blank(keep=True) for _ in range(role.get("blank_lines_before", 1))]
        out += self.lines.right_aligned(organ, "signature", "落款单位", organ_right)
        for line in out:
            line.keep = True
        if date:
            out += self.lines.right_aligned(date, "signature", "日期", max(0.0, date_right))
        else:
            out[-1].keep = False
        return out


def chinese_date(day: dt.date) -> str:
    """``2021年1月15日``: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


class _PageDecor:
    """Page numbers “— 1 —” and the 草稿 watermark, drawn on every page."""

    def __init__(self, fonts: FontSet, style: Style, draft: bool) -> None:
        self.style, self.draft = style, draft
        self.number = style.role("page_number")
        self.number_font = fonts.check_plain("— 0123456789", "page_number", "页码")
        self.mark = style.role("watermark")
        self.text = style.data["draft"]["mark"]
        self.mark_font = fonts.check_plain(self.text, "watermark", "草稿字样") if draft else None

    def begin(self, canv) -> None:
        """Before the page's content: the watermark lies under the text."""
        if self.draft:
            self.watermark(canv)

    def end(self, canv, page: int) -> None:
        """After the content, so that copied text ends each page with its number."""
        self.page_number(canv, page)

    def watermark(self, canv) -> None:
        w, h = A4
        canv.saveState()
        canv.setFillColorRGB(*([self.mark["gray"]] * 3))
        canv.translate(w / 2, h / 2)
        canv.rotate(self.mark["angle"])
        canv.setFont(self.mark_font, self.mark["size"])
        canv.drawCentredString(0, -self.mark["size"] / 3, self.text)
        canv.restoreState()

    def page_number(self, canv, page: int) -> None:
        size = self.number["size"]
        text = f"— {page} —"
        y = self.style.margin("bottom") - self.number["distance_mm"] * mm - 0.3 * size
        indent = self.number["indent_chars"] * size
        canv.saveState()
        canv.setFont(self.number_font, size)
        left, right = self.style.margin("left"), A4[0] - self.style.margin("right")
        if self.number["position"] == "center":
            canv.drawCentredString((left + right) / 2, y, text)
        elif page % 2:
            canv.drawRightString(right - indent, y, text)
        else:
            canv.drawString(left + indent, y, text)
        canv.restoreState()


def _timestamp(when: dt.datetime) -> TimeStamp:
    ts = TimeStamp(invariant=True)
    if when.tzinfo is None:
        when = when.astimezone()
    offset = when.utcoffset() or dt.timedelta(0)
    ts.t = when.timestamp()
    ts.lt = when.timetuple()
    ts.YMDhms = tuple(ts.lt)[:6]
    minutes = int(offset.total_seconds() // 60)
    ts.dhh, ts.dmm = minutes // 60, minutes % 60
    ts.tzname = when.tzname() or "UTC"
    return ts


def render(report: Report, fonts: FontSet, style: Style, *, draft: bool,
           created: dt.datetime, breaks: dict[str, list[int]] | None = None) -> bytes:
    """The PDF bytes of ``report``. Raises ``FontError`` before anything is laid out
    when a character cannot be printed. ``breaks`` (when given) receives, for each
    table, the rows of its grid that begin a page."""
    story = _Builder(report, fonts, style, draft, breaks).story()
    decor = _PageDecor(fonts, style, draft)
    fonts.raise_if_missing()
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, initialFontName=fonts.for_role("body").name,  # type: ignore[arg-type]  # a str: the stubs say float
                  initialFontSize=style.role("body")["size"], lang="zh-CN", pdfVersion=(1, 4))
    canv.setAuthor(report.organ)
    canv.setTitle(report.title)
    canv.setSubject(f"{report.year}年政府信息公开工作年度报告（{report.format.name}）"
                    + ("（草稿）" if draft else ""))
    canv.setCreator(f"nianbao {__version__}")
    canv.setKeywords("政府信息公开工作年度报告")
    canv._doc._timeStamp = _timestamp(created)  # type: ignore[attr-defined]  # reportlab's private document
    embed_report(canv, exchange.dumps(report).encode("utf-8"))
    left, bottom = style.margin("left"), style.margin("bottom")
    lay_out(canv, story, left=left, bottom=bottom,
            width=(A4[0] - style.margin("right")) - left,
            height=(A4[1] - style.margin("top")) - bottom,
            begin_page=decor.begin, end_page=decor.end)
    canv.save()
    return buf.getvalue()
