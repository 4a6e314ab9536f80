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

import re
from collections import Counter
from dataclasses import dataclass, field

from app.formats import Format, Row, Section, Table, YearError, load_format, VERSIONS, version_for_year
from app.importer.document import Cell, Document, Grid, Paragraph, norm, trim_to_article
from app.importer.text_reader import is_number
from app.numbers import NumberError, format_money, parse_value
from app.report import Report


class NotAReport(ValueError):
    """The document is not a 政府信息公开工作年度报告 (message in Chinese)."""


_TITLE = re.compile(r"(.{0,60}?)((?:19|20)\d\d)年度?政府信息公开(?:工作)?年度报告[^，。,]{0,12}")
_TITLE_YEAR_LAST = re.compile(r"(.{0,60}?)政府信息公开(?:工作)?((?:19|20)\d\d)年度?(?:工作)?报告[^，。,]{0,12}")
_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")
_PAREN_TAIL = re.compile(r"\(.*\)$")
MIN_HEADINGS = 3
"""Without any table, a document is taken for a report only with half its headings."""


def _core(label_norm: str) -> str:
    """A label without its numbering and a trailing note: ``(二)部分公开(…)`` → ``部分公开``."""
    return _PAREN_TAIL.sub("", _PREFIX.sub("", label_norm))


@dataclass
class Result:
    report: Report
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the whole document
def match(doc: Document) -> Result:
    """The report a document holds, with every problem met on the way (Chinese)."""
    version = detect_version(doc)
    fmt = load_format(version or "2021")
    headings = _find_headings(doc.blocks, fmt)
    anchors = [i for i in headings.values()] + [i for i, b in enumerate(doc.blocks) if isinstance(b, Grid)]
    blocks = trim_to_article(doc.blocks, sorted(anchors)) if headings else doc.blocks
    headings = _find_headings(blocks, fmt)
    problems: list[str] = []
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
    tables = _TableMatcher(fmt, report, problems)
    tables.run(blocks, headings)
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
                organ = m.group(1).strip()
                if not organ and i > 0 and len(paragraphs[i - 1]) <= 40:
                    organ = re.sub(r"\s+", "", paragraphs[i - 1])  # title broken over two lines
                return organ, int(m.group(2))
    m = _TITLE.search(re.sub(r"\s+", "", doc.title))
    if m:
        return re.split(r"[：:|_>》]", m.group(1))[-1].strip(), int(m.group(2))
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
    for section in fmt.text_sections():
        start = headings.get(section.number)
        if start is None:
            problems.append(f"未找到“{section.heading}”一节，其文字未导入")
            continue
        end = next((i for i in order if i > start), len(blocks))
        paras = [b.text for b in blocks[start + 1:end] if isinstance(b, Paragraph)]
        if end == len(blocks):
            paras = _strip_signature(paras, report)
        report.texts[section.text] = "\n\n".join(paras)


_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")


def _strip_signature(paras: list[str], report: Report) -> list[str]:
    """The last section ends with the signature (organ, date): the date becomes the
    report's date and neither stays in the text."""
    import datetime as dt
    organ = norm(report.organ)
    dated = [i for i, p in enumerate(paras) if _DATE.fullmatch(norm(p))]
    if dated:  # what follows the signature's date is not the report (page footer)
        del paras[dated[-1] + 1:]
    while paras:
        last = norm(paras[-1])
        m = _DATE.fullmatch(last)
        if m:
            try:
                report.date = dt.date(*map(int, m.groups()))
            except ValueError:
                pass
        elif not (organ and last == organ):
            break
        paras.pop()
    return paras


# ------------------------------------------------------------------ the tables
@dataclass
class _Labels:
    rows: dict[str, dict[str, Row]]
    cores: dict[str, dict[str, list[Row]]]
    cols: dict[str, dict[str, str]]
    heads: dict[str, tuple[str, ...]]
    """Every text a table may begin with: labels, header groups, corner notes."""


def _labels(fmt: Format) -> _Labels:
    rows, cores, cols, heads = {}, {}, {}, {}
    for t in fmt.tables.values():
        texts = {r.label for r in t.rows} | {c.label for c in t.columns.values()}
        texts |= {g for r in t.rows for g in (*r.path, r.group) if g}
        texts |= {g for c in t.columns.values() for g in c.path}
        texts |= {x for x in (t.row_header, t.corner) if x}
        heads[t.key] = tuple(sorted(norm(x) for x in texts))
        rows[t.key] = {norm(r.label): r for r in t.rows}
        cores[t.key] = {}
        for r in t.rows:
            cores[t.key].setdefault(_core(norm(r.label)), []).append(r)
        cols[t.key] = {norm(c.label): c.key for c in t.columns.values()}
    return _Labels(rows, cores, cols, heads)


class _TableMatcher:
    def __init__(self, fmt: Format, report: Report, problems: list[str]) -> None:
        self.fmt, self.report, self.problems = fmt, report, problems
        self.labels = _labels(fmt)
        self.seen_rows: set[tuple[str, str]] = set()
        self.refused: set[str] = set()
        self.found_tables: set[str] = set()
        self.header_text: dict[tuple[str, str], str] = {}
        self.any_cell = False
        self.values: dict = {}

    def run(self, blocks, headings: dict[str, int]) -> None:
        context = _contexts(blocks, headings, self.fmt)
        for i, block in enumerate(blocks):
            table = context[i]
            if isinstance(block, Paragraph):
                if table is not None:
                    self._glued(block.text, table)
            else:
                self._grid(block, table)
        for key, value in self.values.items():
            if key[0] not in self.refused:
                self.report.cells[key] = value
        self._report_missing()

    # -- text that lost its cell boundaries
    def _glued(self, text: str, context: str | None) -> bool:
        """A label run together with the numbers after it: the cell boundaries are lost.

        Only numbers that run on into another label of the table, or to the end of the
        text, count: a note under the table (注：行政许可2293件…) is not a table row."""
        t = norm(text)
        for tkey in ([context] if context else self.fmt.tables):
            after = "|".join(map(re.escape, self.labels.heads[tkey]))
            for label in list(self.labels.rows[tkey]) + list(self.labels.cols[tkey]):
                m = re.search(re.escape(label) + r"[\d.]+(?=" + after + r"|$)", t)
                if m and tkey not in self.refused:
                    self.refused.add(tkey)
                    sample = t[m.start():m.start() + len(label) + 12]
                    table = self.fmt.tables[tkey]
                    self.problems.append(
                        f"{table.section.heading}：表格的文字丢失了单元格之间的分隔（如“{sample}”），"
                        "无法判断数字之间的分界，这张表未导入；请改用保存的网页（.html）或 Word 文件导入")
                    return True
        return False

    # -- grids
    def _grid(self, grid: Grid, context: str | None) -> None:
        positions: dict[str, dict[str, int]] = {}
        headers: list[list[Cell]] = []
        for row in grid.rows:
            texts = [c.text for c in row]
            first_num = next((j for j, c in enumerate(row) if c.origin and is_number(c.text)), None)
            if first_num is None:
                if len(row) <= 2 and any(self._glued(c.text, context) for c in row if c.origin):
                    continue
                self._header(row, context, positions)
                headers.append(row)
                continue
            found = self._find_row(row[:first_num], context)
            if found is None:
                self._unlabelled(row, first_num, context, texts, headers if grid.aligned else None)
                continue
            table, frow, at = found
            self.found_tables.add(table.key)
            self._take_row(table, frow, row, at, positions.get(table.key, {}), grid.aligned)

    def _header(self, row: list[Cell], context: str | None, positions) -> None:
        """Remember where each column label stands (and its unit, for money)."""
        for tkey in ([context] if context else self.fmt.tables):
            for j, cell in enumerate(row):
                if not cell.origin or not cell.text:
                    continue
                key = self._column(tkey, norm(cell.text))
                if key:
                    positions.setdefault(tkey, {})[key] = j
                    self.header_text[(tkey, key)] = cell.text

    def _column(self, tkey: str, label: str) -> str | None:
        """Exact label, else the same label with another note in brackets (单位：元)."""
        cols = self.labels.cols[tkey]
        if label in cols:
            return cols[label]
        core = _PAREN_TAIL.sub("", label)
        same = [key for text, key in cols.items() if _PAREN_TAIL.sub("", text) == core]
        return same[0] if len(same) == 1 else None

    def _find_row(self, cells: list[Cell], context: str | None):
        """The rightmost cell naming a row: of the section's table, or exactly of another."""
        order = ([context] if context else []) + [k for k in self.fmt.tables if k != context]
        for tkey in order:
            loose = context is None or tkey == context
            for j in range(len(cells) - 1, -1, -1):
                if not cells[j].origin or not cells[j].text.strip():
                    continue
                row = self._row(tkey, norm(cells[j].text), loose)
                if row:
                    return self.fmt.tables[tkey], row, j
        return None

    def _row(self, tkey: str, label: str, loose: bool) -> Row | None:
        """Exact label; when ``loose``, also the label without numbering or note."""
        if label in self.labels.rows[tkey]:
            return self.labels.rows[tkey][label]
        rows = self.labels.cores[tkey].get(_core(label), []) if loose else []
        return rows[0] if len(rows) == 1 else None

    def _take_row(self, table: Table, frow: Row, row: list[Cell], at: int,
                  pos: dict[str, int], aligned: bool) -> None:
        values = [(j, c) for j, c in enumerate(row) if j > at and c.origin]
        filled = [c for _, c in values if c.text.strip()]
        where = f"{table.section.part} {frow.short}行"
        if aligned and all(pos.get(col, -1) > at for col in frow.columns):
            cells = {col: (row[pos[col]] if row[pos[col]].origin else Cell("")) for col in frow.columns}
        elif len(filled) == len(frow.columns):
            cells = dict(zip(frow.columns, filled))
        else:
            shown = "、".join(c.text for c in filled) or "无"
            self.problems.append(f"{where}：读到 {len(filled)} 个数字（{shown}），应有 {len(frow.columns)} 个，"
                                 "无法确定各数字属于哪一栏，这一行未导入")
            self.seen_rows.add((table.key, frow.key))
            return
        self._store(table, frow, cells)

    def _unlabelled(self, row: list[Cell], first_num: int, context: str | None,
                    texts: list[str], headers: list[list[Cell]] | None) -> None:
        """A row of numbers without a label: the wide table (复议诉讼) prints its rows side
        by side. With positions kept (``headers``), each number is found by the labels
        above it; else its numbers are taken in the order of the format when all are there
        (a leading text cell is a number that could not be read, or a stray header)."""
        wide = [t for t in self.fmt.tables.values() if t.layout == "wide"
                and (context in (None, t.key))]
        for table in wide:
            if headers and self._wide_by_header(table, row, headers):
                return
            refs = list(table.cells())
            numbers = [c for c in row if c.origin and c.text.strip()]
            if len(numbers) != len(refs):
                numbers = [c for c in row[first_num:] if c.origin and c.text.strip()]
            readable = sum(is_number(c.text) for c in numbers)
            if len(numbers) == len(refs) and readable * 2 > len(refs):
                self.found_tables.add(table.key)
                for frow in table.rows:
                    cells = {col: numbers[refs.index((table.key, frow.key, col))] for col in frow.columns}
                    self._store(table, frow, cells)
                return
        label = next((c.text for c in row if c.origin and c.text.strip() and not is_number(c.text)), "")
        shown = "、".join(t for t in texts if t.strip())
        self.problems.append(f"表格中有一行无法识别{('（“' + label + '”）') if label else ''}：{shown[:80]}，未导入")

    def _wide_by_header(self, table: Table, row: list[Cell], headers: list[list[Cell]]) -> bool:
        """Each cell of ``table`` from the one position whose header names its row and column."""
        paths = [{norm(h[j].text) for h in headers if j < len(h) and h[j].text} for j in range(len(row))]
        found: dict[str, dict[str, Cell]] = {}
        for frow in table.rows:
            for col in frow.columns:
                want = {norm(frow.label), norm(table.columns[col].label)}
                at = [j for j, path in enumerate(paths) if want <= path]
                if len(at) != 1:
                    return False
                found.setdefault(frow.key, {})[col] = row[at[0]] if row[at[0]].origin else Cell("")
        self.found_tables.add(table.key)
        for frow in table.rows:
            self._store(table, frow, found[frow.key])
        return True

    def _store(self, table: Table, frow: Row, cells: dict[str, Cell]) -> None:
        key_row = (table.key, frow.key)
        for col, cell in cells.items():
            ref = (table.key, frow.key, col)
            value = self._parse(ref, cell.text)
            old = self.values.get(ref)
            if key_row in self.seen_rows and old is not None and old != value:
                self.problems.append(f"{self.fmt.describe_cell(ref)}：表格中出现两次且数字不同"
                                     f"（{old} 与 {'空白' if value is None else value}），保留第一次的数字")
                continue
            self.values[ref] = value
            if value is not None:
                self.any_cell = True
        self.seen_rows.add(key_row)

    def _parse(self, ref, text: str):
        text = text.strip()
        if not text:
            return None
        column = self.fmt.column_of(ref)
        where = self.fmt.describe_cell(ref)
        if column.kind == "money":
            header = norm(self.header_text.get((ref[0], ref[2]), ""))
            if "元" in header and "万元" not in header and not text.endswith("元"):
                text += "元"
        try:
            value, was_yuan = parse_value(column.kind, text)
            if was_yuan:
                self.problems.append(f"提示：{where}以元为单位（{text}），已换算为 {format_money(value)} 万元")
            return value
        except NumberError as exc:
            self.problems.append(f"{where}：{exc}，未导入")
            return None

    def _report_missing(self) -> None:
        for table in self.fmt.tables.values():
            if table.key in self.refused:
                continue
            if table.key not in self.found_tables:
                self.problems.append(f"未找到“{table.section.heading}”的表格，其数字未导入")
                continue
            for frow in table.rows:
                if (table.key, frow.key) not in self.seen_rows:
                    self.problems.append(f"{table.section.part}：未找到“{frow.label}”这一行，其数字未导入")
                    continue
                empty = [table.columns[c].short for c in frow.columns
                         if self.report.cells[(table.key, frow.key, c)] is None]
                if empty:
                    self.problems.append(f"{table.section.part} {frow.short}行：{'、'.join(empty)}为空白或无法读取")


def _contexts(blocks, headings: dict[str, int], fmt: Format) -> list[str | None]:
    """For each block, the table of the section it stands in (None outside 二–四)."""
    starts = sorted((i, number) for number, i in headings.items())
    by_number = {s.number: s.table for s in fmt.sections}
    out: list[str | None] = []
    current = None
    k = 0
    for i in range(len(blocks)):
        while k < len(starts) and starts[k][0] <= i:
            current = by_number[starts[k][1]]
            k += 1
        out.append(current)
    return out
