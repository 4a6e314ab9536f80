"""The report as a PDF in the manner of 党政机关公文 (GB/T 9704): page, title, sections,
tables, signature, page numbers, the 草稿 watermark, metadata and the embedded data.

Everything printed comes from the report and its format file; sizes, fonts and margins
come from ``resources/pdf/style.toml``.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import contextmanager
from typing import Iterator

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib import textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer

from app import __version__, exchange
from app.formats import Section
from app.pdf.attachment import embed_report
from app.pdf.errors import PdfError
from app.pdf.fonts import FontSet
from app.pdf.style import Style
from app.pdf.tables import GridFlowable
from app.report import Report
from app.table_layout import table_grid

# reportlab lets ，；：！？ and closing quotes start a line; Chinese typesetting never does.
_CANNOT_START = "，；：！？”’》〉」』…％·"
for _ch in _CANNOT_START:
    if _ch not in textsplit.ALL_CANNOT_START:
        textsplit.ALL_CANNOT_START += _ch
rl_paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START

_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。；]{0,30}。?$")
DRAFT_MARK = "草稿"
PIECE_CHARS = 2000
"""A paragraph longer than this (about three pages) is set as pieces of at most this many
characters, cut after a sentence: reportlab re-wraps the whole rest of a paragraph at
every page break, so one 160,000-character paragraph took 160 s (quadratic), while the
pieces take time in proportion to the text. Shorter paragraphs are not touched."""
_SENTENCE_END = re.compile(r"[。！？；!?;]")


class _OutlinedParagraph(Paragraph):
    """A paragraph drawn filled and outlined: a heavy look for the title when no 小标宋
    face is installed (text render mode 2 keeps the text layer intact)."""

    stroke = 0.5       # set per document by a subclass (see _Builder.title)

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.stroke)
        canv.setStrokeColor(colors.black)
        canv.setLineJoin(1)
        canv._code.append("2 Tr")
        super().draw()
        canv._code.append("0 Tr")
        canv.restoreState()


class _Styles:
    """ParagraphStyles of the roles, in the faces the font set resolved. Built when first
    used: a face is only loaded (0.02–0.15 s each) when the document needs it."""

    def __init__(self, style: Style, fonts: FontSet) -> None:
        self.style, self.fonts = style, fonts
        self._made: dict[str, ParagraphStyle] = {}

    def _make(self, role: str, **kw) -> ParagraphStyle:
        r = self.style.role(role)
        return ParagraphStyle(role, fontName=self.fonts.for_role(role).name, fontSize=r["size"],
                              leading=r["leading"], wordWrap="CJK", **kw)

    def __getattr__(self, name: str) -> ParagraphStyle:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._made:
            self._made[name] = getattr(self, f"_style_{name}")()
        return self._made[name]

    def _style_title(self) -> ParagraphStyle:
        return self._make("title", alignment=TA_CENTER, spaceAfter=self.style.role("title")["space_after"])

    def _style_heading(self) -> ParagraphStyle:
        h = self.style.role("heading")
        return self._make("heading", alignment=TA_LEFT, keepWithNext=1, spaceBefore=h["space_before"],
                          spaceAfter=h["space_after"], firstLineIndent=2 * h["size"])

    def _indent(self) -> float:
        body = self.style.role("body")
        return body["first_line_indent_chars"] * body["size"]

    def _style_body(self) -> ParagraphStyle:
        return self._make("body", alignment=TA_JUSTIFY, firstLineIndent=self._indent())

    def _style_continued(self) -> ParagraphStyle:
        return self._make("body", alignment=TA_JUSTIFY, firstLineIndent=0)

    def _style_subheading(self) -> ParagraphStyle:
        return self._make("subheading", alignment=TA_JUSTIFY, firstLineIndent=self._indent())

    def _style_signature(self) -> ParagraphStyle:
        return self._make("signature", alignment=TA_RIGHT)

    def _style_placeholder(self) -> ParagraphStyle:
        return self._make("body", alignment=TA_LEFT, firstLineIndent=self._indent(),
                          textColor=colors.Color(0.45, 0.45, 0.45))


class _Builder:
    """Builds the flowables of one report."""

    def __init__(self, report: Report, fonts: FontSet, style: Style, draft: bool) -> None:
        self.report, self.fonts, self.style, self.draft = report, fonts, style, draft
        self.styles = _Styles(style, fonts)
        self.width = A4[0] - style.margin("left") - style.margin("right")
        self.height = A4[1] - style.margin("top") - style.margin("bottom")

    def story(self) -> list:
        out = self.title()
        for section in self.report.format.sections:
            if section.table:
                out.append(self.table(section))
            else:
                out.append(self.heading(section))
                out += self.text(section)
        # the organ and date never stand alone on a page: they take the last paragraph along
        tail: list = []
        if out and isinstance(out[-1], Paragraph):
            tail.insert(0, out.pop())
            if out and getattr(out[-1], "style", None) is self.styles.heading:
                tail.insert(0, out.pop())
        tail += self.signature()
        height = sum(f.wrap(self.width, self.height)[1] + f.getSpaceBefore() for f in tail)
        # KeepTogether loops forever on content taller than a page: only keep what fits
        out += [KeepTogether(tail)] if height < 0.8 * self.height else tail
        return out

    def title(self) -> list:
        role = self.style.role("title")
        face = self.fonts.for_role("title")
        markup = self.fonts.markup(self.report.title, "title", "标题")
        if stringWidth(self.report.title, face.name, role["size"]) > self.width:
            # two lines broken where the meaning breaks: the organ, then the document
            rest = self.report.title[len(self.report.organ):]
            markup = (self.fonts.markup(self.report.organ, "title", "标题") + "<br/>"
                      + self.fonts.markup(rest, "title", "标题"))
        if role.get("bold") and not face.heavy:
            outlined = type("_Title", (_OutlinedParagraph,), {"stroke": role["fake_bold_stroke"]})
            return [outlined(markup, self.styles.title)]
        return [Paragraph(markup, self.styles.title)]

    def heading(self, section: Section) -> Paragraph:
        return Paragraph(self.fonts.markup(section.heading, "heading", "标题"), self.styles.heading)

    def text(self, section: Section) -> list:
        paragraphs = [p.strip(" \t\u3000") for p in self.report.texts.get(section.text, "").splitlines()]
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            return [Paragraph("（未填写）", self.styles.placeholder)] if self.draft else []
        out = []
        for n, para in enumerate(paragraphs, 1):
            where = f"{section.heading} 第 {n} 段"
            is_sub = _SUBHEADING.match(para)
            role = "subheading" if is_sub else "body"
            for k, piece in enumerate(pieces(para)):
                style = self.styles.subheading if is_sub else self.styles.body
                if k:   # the same paragraph goes on: no first-line indent
                    style = self.styles.continued
                out.append(Paragraph(self.fonts.markup(piece, role, where), style))
        return out

    def table(self, section: Section):
        """The section's heading and table as one flowable that breaks by rows."""
        table = self.report.format.tables[section.table]
        grid = table_grid(table, self.report.cells)
        where = f"{section.heading}表格中"
        return GridFlowable(grid, self.fonts, self.style, self.width, where,
                            lead=self.heading(section))

    def signature(self) -> list:
        """Organ and date, GB/T 9704 7.3.5.2: the organ 2 characters from the right edge;
        the date below it, starting 2 characters right of the organ's first character; a
        date longer than that is set 2 characters from the edge and the organ moves left."""
        role = self.style.role("signature")
        size = role["size"]
        font = self.fonts.for_role("signature").name
        organ = self.report.organ
        date = chinese_date(self.report.date) if self.report.date else ""
        organ_w, date_w = stringWidth(organ, font, size), stringWidth(date, font, size)
        organ_right = 2 * size
        date_right = organ_right + organ_w - 2 * size - date_w
        if date and date_right < 2 * size:
            organ_right += 2 * size - date_right
            date_right = 2 * size
        if organ_w + organ_right > self.width:     # a long organ wraps: plain right alignment
            organ_right, date_right = 0, 2 * size
        date_right = min(date_right, max(0, self.width - date_w))
        out: list = [Spacer(1, role["space_before"])]
        out.append(Paragraph(self.fonts.markup(organ, "signature", "落款单位"),
                             ParagraphStyle("organ", parent=self.styles.signature,
                                            rightIndent=organ_right, keepWithNext=1)))
        if date:
            out.append(Paragraph(self.fonts.markup(date, "signature", "日期"),
                                 ParagraphStyle("date", parent=self.styles.signature,
                                                rightIndent=max(0, date_right))))
        return out


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters, each after the last
    sentence end within it when there is one (see ``PIECE_CHARS``)."""
    out, start = [], 0
    while len(text) - start > size:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, start + size // 2, start + size)]
        cut = ends[-1] if ends else start + size
        out.append(text[start:cut])
        start = cut
    return out + [text[start:]] if start < len(text) else out


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
        self.mark_font = fonts.check_plain(DRAFT_MARK, "watermark", "草稿水印") if draft else None

    def begin(self, canv, doc) -> None:
        """Before the page's content: the watermark lies under the text."""
        if self.draft:
            self.watermark(canv)

    def end(self, canv, doc) -> None:
        """After the content, so that copied text ends each page with its number."""
        self.page_number(canv, doc.page)

    def watermark(self, canv) -> None:
        w, h = A4
        canv.saveState()
        canv.setFillColor(colors.Color(*([self.mark["gray"]] * 3)))
        canv.translate(w / 2, h / 2)
        canv.rotate(self.mark["angle"])
        canv.setFont(self.mark_font, self.mark["size"])
        canv.drawCentredString(0, -self.mark["size"] / 3, DRAFT_MARK)
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


class _Doc(BaseDocTemplate):
    """Sets the creation date and attaches the report's data once the canvas exists."""

    def __init__(self, buf, *, report_json: bytes, created: dt.datetime, **kw) -> None:
        super().__init__(buf, **kw)
        self.report_json, self.created = report_json, created

    def beforeDocument(self) -> None:
        self.canv._doc._timeStamp = _timestamp(self.created)
        embed_report(self.canv, self.report_json)


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


@contextmanager
def _invariant() -> Iterator[None]:
    """Same input, same bytes: reportlab's invariant mode, restored afterwards."""
    old = rl_config.invariant
    rl_config.invariant = 1
    try:
        yield
    finally:
        rl_config.invariant = old


def render(report: Report, fonts: FontSet, style: Style, *, draft: bool,
           created: dt.datetime) -> bytes:
    """The PDF bytes of ``report``. Raises ``FontError`` before anything is laid out
    when a character cannot be printed."""
    builder = _Builder(report, fonts, style, draft)
    story = builder.story()
    decor = _PageDecor(fonts, style, draft)
    fonts.raise_if_missing()
    buf = io.BytesIO()
    with _invariant():
        doc = _Doc(
            buf, report_json=exchange.dumps(report).encode("utf-8"), created=created,
            pagesize=A4, leftMargin=style.margin("left"), rightMargin=style.margin("right"),
            topMargin=style.margin("top"), bottomMargin=style.margin("bottom"),
            title=report.title, author=report.organ,
            subject=f"{report.year}年政府信息公开工作年度报告（{report.format.name}）"
                    + ("（草稿）" if draft else ""),
            keywords="政府信息公开工作年度报告", creator=f"nianbao {__version__}",
            lang="zh-CN", initialFontName=fonts.for_role("body").name, initialFontSize=16,
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=decor.begin, onPageEnd=decor.end)])
        try:
            doc.build(story)
        except LayoutError as exc:
            raise PdfError(f"排版失败：有内容无法放进一页（{str(exc)[:80]}…）。"
                           "请缩短过长的段落或单位名称后再试。") from None
    return buf.getvalue()
