"""The one matcher: from paragraphs and grids to a report of the format.

Every label it compares comes from the format files (``resources/formats/*.toml``),
normalised by ``document.norm``; nothing here names a row or a column. A number is taken
from its row (found by the row's label) and its position: its column under the header
when the grid keeps positions (web page, Word), else its place in the row when the row
holds exactly as many numbers as the format has columns there. Anything else is
reported, never guessed. Numbers are kept as printed: a wrong total stays wrong and the
validator says so.
"""
from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass, field

from app.formats import VERSIONS, Format, Section, YearError, load_format, version_for_year
from app.importer.document import Document, Grid, Paragraph, norm, trim_to_article
from app.importer.tables import TEXT, TableReader
from app.report import Report


class NotAReport(ValueError):
    """The document is not a 政府信息公开工作年度报告 (message in Chinese)."""


_TITLE = re.compile(r"(.{0,60}?)((?:19|20)\d\d)年度?政府信息公开(?:工作)?年度报告[^，。,]{0,12}")
_TITLE_YEAR_LAST = re.compile(r"(.{0,60}?)政府信息公开(?:工作)?((?:19|20)\d\d)年度?(?:工作)?报告[^，。,]{0,12}")
_FIELD = re.compile(r"^.*[：:|_>》]")
"""What a site puts before the title (``标题：``, ``首页 > 政务公开 >``)."""
MIN_HEADINGS = 3
"""Without any table, a document is taken for a report only with half its headings."""


@dataclass
class Result:
    report: Report
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the whole document
def match(doc: Document) -> Result:
    """The report a document holds, with every problem met on the way (Chinese)."""
    version = detect_version(doc)
    fmt = load_format(version or "2021")
    problems: list[str] = list(doc.notes)
    all_blocks, headings = _split_run_in_headings(doc.blocks, fmt, problems)
    anchors = list(headings.values()) + [i for i, b in enumerate(all_blocks) if isinstance(b, Grid)]
    blocks = trim_to_article(all_blocks, sorted(anchors)) if headings else all_blocks
    headings = _find_headings(blocks, fmt)
    organ, year = _title(doc, blocks, headings)
    if version is None:
        if year is None or not headings:
            raise NotAReport("没有找到年报的表格标签和章节标题（如“一、总体情况”“二、主动公开政府信息情况”），"
                             "这不是政府信息公开工作年度报告")
        try:
            version = version_for_year(year)
        except YearError as exc:
            raise NotAReport(str(exc)) from None
        fmt = load_format(version)
        problems.append(f"提示：从表格标签无法判断格式版本，按年度 {year} 使用 {version} 版格式")
    if year is None:
        raise NotAReport("没有找到报告年度（标题应为“某某单位20XX年政府信息公开工作年度报告”）")
    if not organ:
        problems.append("未找到报告单位（标题中年度前的文字），请导入后在封面填写")
    report = Report.blank(organ, year, version)
    tables = TableReader(fmt, report, problems)
    tables.run(blocks, _contexts(blocks, headings, fmt))
    if not (tables.any_cell or tables.refused or len(headings) >= MIN_HEADINGS):
        raise NotAReport("没有找到年报的表格，章节标题也不全（如“一、总体情况”“三、收到和处理政府信息公开申请情况”），"
                         "这不是政府信息公开工作年度报告")
    _texts(blocks, headings, fmt, report, problems)
    return Result(report, problems)


def detect_version(doc: Document) -> str | None:
    """The format whose marker labels the document uses (more hits wins; None: none)."""
    text = norm(" ".join(_all_text(doc.blocks)))
    hits = {v: sum(norm(m) in text for m in load_format(v).markers) for v in VERSIONS}
    best = max(hits, key=lambda v: hits[v])
    if hits[best] == 0 or list(hits.values()).count(hits[best]) > 1:
        return None
    return best


def _all_text(blocks) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            out.extend(c.text for row in b.rows for c in row if c.origin)
    return out


def _title(doc: Document, blocks, headings: dict[str, int]) -> tuple[str, int | None]:
    """Organ and year from the title: a short paragraph that is only the title, else the
    page title (``…年度报告_栏目_网站``), else the most frequent ``20XX年`` of the text."""
    first = headings.get("一", len(blocks))
    paragraphs = [b.text for b in blocks[:first] if isinstance(b, Paragraph)]
    paragraphs += [b.text for b in doc.blocks[:60] if isinstance(b, Paragraph)]
    for i, text in enumerate(paragraphs):
        for pattern in (_TITLE, _TITLE_YEAR_LAST):
            m = pattern.fullmatch(re.sub(r"\s+", "", text))
            if m:
                organ = _FIELD.sub("", m.group(1)).strip()
                if not organ and i > 0 and len(paragraphs[i - 1]) <= 40:
                    organ = re.sub(r"\s+", "", paragraphs[i - 1])  # title broken over two lines
                return organ, int(m.group(2))
    m = _TITLE.search(re.sub(r"\s+", "", doc.title))
    if m:
        return _FIELD.sub("", m.group(1)).strip(), int(m.group(2))
    years = Counter(int(y) for t in _all_text(blocks) for y in re.findall(r"(20\d\d)年", t))
    return "", (years.most_common(1)[0][0] if years else None)


def _find_headings(blocks, fmt: Format) -> dict[str, int]:
    """Section number → index of its heading paragraph, in order 一 … 六."""
    found: dict[str, int] = {}
    start = 0
    for section in fmt.sections:
        for i in range(start, len(blocks)):
            b = blocks[i]
            if isinstance(b, Paragraph) and _is_heading(b.text, section):
                found[section.number] = i
                start = i + 1
                break
    return found


def _split_run_in_headings(blocks, fmt: Format, problems: list[str]) -> tuple[list, dict[str, int]]:
    """A section heading not found as a paragraph of its own, but printed word for word
    right after the end of a sentence inside a paragraph (the reader could not tell the
    heading's line from the paragraph's last one): the paragraph is cut before and after
    the heading, and a note asks to check the two sections' text. Returns the blocks and
    the headings found in them (``_find_headings``)."""
    found = _find_headings(blocks, fmt)
    missing = [s for s in fmt.sections if s.number not in found]
    if not missing:
        return blocks, found
    out = list(blocks)
    for section in missing:
        heading = _spaced(section.heading)
        for i, b in enumerate(out):
            m = heading.search(b.text) if isinstance(b, Paragraph) else None
            if not (m and re.search(r"[。！？；][”’」』）)]?\s*$", b.text[:m.start()])):
                continue
            parts = [b.text[:m.start()].strip(), m.group(), b.text[m.end():].strip()]
            out[i:i + 1] = [Paragraph(t, b.where) for t in parts if t]
            problems.append(f"提示：“{section.heading}”的标题与上一段文字连在一起，已在标题处分开，"
                            "请核对这一节和上一节的文字")
            break
    return out, _find_headings(out, fmt)


def _spaced(words: str) -> re.Pattern[str]:
    """``words`` as printed with any spaces or line breaks between its characters."""
    return re.compile(r"\s*".join(map(re.escape, re.sub(r"\s", "", words))))


def _is_heading(text: str, section: Section) -> bool:
    """``一、总体情况`` and its printed variants (``一．``, ``第一部分``, a longer title)."""
    m = re.match(rf"(?:第{section.number}部分|{section.number})[、.:]?", norm(text))
    if not m:  # Word's automatic numbering keeps 一、 out of the text
        return norm(text) == norm(section.title)
    rest, title = norm(text)[m.end():], norm(section.title)
    if rest.startswith(title):
        return len(rest) <= len(title) + 12
    shared = len(set(rest) & set(title)) / len(set(title))
    return shared >= 0.6 and len(rest) <= len(title) + 12


def _texts(blocks, headings: dict[str, int], fmt: Format, report: Report,
           problems: list[str]) -> None:
    """Paragraphs between a text section's heading and the next heading."""
    order = sorted(headings.values())
    for key, section in fmt.text_sections():
        start = headings.get(section.number)
        if start is None:
            problems.append(f"未找到“{section.heading}”一节，其文字未导入")
            continue
        end = next((i for i in order if i > start), len(blocks))
        paras = [b.text for b in blocks[start + 1:end] if isinstance(b, Paragraph)]
        first = _after_title(blocks[start].text, section)
        if first:
            paras.insert(0, first)
        if end == len(blocks):
            cut: list[str] = []
            paras = _strip_signature(paras, report, cut)
            problems.extend(f"提示：“{section.heading}”最后一段末尾的“{tail}”与其后的网站页脚连在一起，"
                            "已当作页脚去掉，请核对这一节的文字" for tail in cut)
        report.texts[key] = "\n\n".join(paras)


def _after_title(text: str, section: Section) -> str:
    """The text a heading paragraph holds after its title, when it is a sentence
    (``六、其他需要报告的事项：无。``): the section's first paragraph, not the heading's."""
    m = _spaced(section.title).search(text)
    rest = text[m.end():].lstrip("：:，,。 \u3000") if m else ""
    return rest if _SENTENCE_END.search(rest) else ""


_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")


_SITE_FOOTER = re.compile(r"版权所有|网站标识码|ICP备|公安备案|主办单位[:：]|建议您使用|网站地图")
_SENTENCE = re.compile(r"[。！？；：，]")
_SENTENCE_END = re.compile(r"[。！？][”’」』）)]?")


def _strip_site_footer(paras: list[str], cut: list[str] | None = None) -> list[str]:
    """A printed web page ends with the site's footer (links, 版权所有, 网站标识码): cut it,
    with the lines of links just before it (no sentence in them). When the footer runs
    on in the paragraph of the report's last sentence (a PDF whose last line of text was
    full), the paragraph is cut after that sentence; so is a line of links (no sentence)
    run on after the last sentence, and the text cut is added to ``cut`` to be shown."""
    at, m = next(((i, m) for i, p in enumerate(paras) if (m := _SITE_FOOTER.search(p))), (None, None))
    if at is None or m is None:
        return paras
    ends = [e.end() for e in _SENTENCE_END.finditer(paras[at], 0, m.start())]
    if ends:  # the footer ran on from the last sentence (no line break told them apart)
        return [*paras[:at], paras[at][:ends[-1]]]
    while at > 0 and not _SENTENCE.search(paras[at - 1]):
        at -= 1
    last = paras[at - 1] if at else ""
    ends = [e.end() for e in _SENTENCE_END.finditer(last)]
    if ends and not _SENTENCE.search(last[ends[-1]:]) and last[ends[-1]:].strip():
        # the first line of links ran on from the last sentence: cut, and said (``cut``)
        if cut is not None:
            cut.append(last[ends[-1]:].strip())
        return [*paras[:at - 1], last[:ends[-1]]]
    return paras[:at]


def _strip_signature(paras: list[str], report: Report, cut: list[str] | None = None) -> list[str]:
    """The last section ends with the signature (organ, date): the date becomes the
    report's date and neither stays in the text."""
    import datetime as dt
    paras = _strip_site_footer(paras, cut)
    organ = norm(report.organ)
    dated = [i for i, p in enumerate(paras) if _DATE.fullmatch(norm(p))]
    if dated:  # what follows the signature's date is not the report (page footer)
        del paras[dated[-1] + 1:]
    while paras:
        last = norm(paras[-1])
        m = _DATE.fullmatch(last)
        if m:
            with contextlib.suppress(ValueError):
                report.date = dt.date(*map(int, m.groups()))
        elif not (organ and last == organ):
            break
        paras.pop()
    return paras


def _contexts(blocks, headings: dict[str, int], fmt: Format) -> list[str | None]:
    """For each block, the table of the section it stands in; ``TEXT`` in a text section
    or before the first heading; None everywhere when no heading was found."""
    starts = sorted((i, number) for number, i in headings.items())
    by_number = {s.number: s.table or TEXT for s in fmt.sections}
    out: list[str | None] = []
    current = TEXT if headings else None
    k = 0
    for i in range(len(blocks)):
        while k < len(starts) and starts[k][0] <= i:
            current = by_number[starts[k][1]]
            k += 1
        out.append(current)
    return out
