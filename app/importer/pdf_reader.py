"""Read a PDF not made by this program (Word, WPS, LibreOffice, a browser) into
paragraphs and grids, from the page geometry.

A PDF has no tables or paragraphs, only characters at positions and drawn lines. Tables
are rebuilt from their ruling lines: the lines cut the table into a lattice, a missing line
between two lattice cells merges them (rowspan/colspan), and each character belongs to the
cell it stands in. A table that goes on at the top of the next page with the same columns
is one grid, with or without its header repeated. The other characters are read as lines,
page numbers and running headers/footers are dropped, and lines are joined into
paragraphs (a paragraph starts indented, or after a line that stops short). Rows without
ruling lines whose cells stand apart (wide gaps) become rows of an unaligned grid.

pypdfium2 (PDFium, already used to draw PDF previews) gives characters with their boxes
and the path objects; it reads a 6-page report in ~0.05 s, where pdfplumber (pdfminer)
needs ~0.45 s with its import (``bench/bench_import.py``).
"""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from app.importer.document import Cell, Document, Grid, Paragraph

MAX_PAGES = 300
TOL = 2.0
"""Points within which two ruling lines are the same line, or touch."""


class PdfReadError(ValueError):
    """The PDF cannot be read as a report (message in Chinese)."""


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Line:
    """A line of text outside tables (top-down coordinates)."""
    chars: list[_Char]
    page: int

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def y0(self) -> float:
        return min(c.y0 for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.y1 - c.y0 for c in self.chars)

    def text(self) -> str:
        return _join(self.chars)

    def cells(self) -> list[str]:
        """The line cut where characters stand far apart (a table row without lines)."""
        size = median(c.y1 - c.y0 for c in self.chars)
        out, start = [], 0
        for i in range(1, len(self.chars)):
            if self.chars[i].x0 - self.chars[i - 1].x1 > 2.5 * size:
                out.append(_join(self.chars[start:i]))
                start = i
        out.append(_join(self.chars[start:]))
        return [t for t in out if t.strip()]


@dataclass
class _Table:
    rows: list[list[Cell]]
    xs: list[float]
    y0: float
    y1: float
    page: int
    split_top: bool = False
    """Its first row is the end of a row begun at the bottom of the page before."""
    split_bottom: bool = False
    """Its last row goes on at the top of the next page."""
    spilt: list[_Char] = field(default_factory=list)
    """Characters below its last line read into its last row (``_lattice``)."""


@dataclass
class _Sheet:
    """A page as drawn: its characters and ruling lines (merged), its tables."""
    height: float
    width: float
    chars: list[_Char]
    h: list[tuple[float, float, float]]
    v: list[tuple[float, float, float]]
    tables: list[_Table] = field(default_factory=list)
    split_top: bool = False
    """Its first table begins with the end of a row begun on the page before."""
    split_bottom: bool = False
    """Its last table ends with a row that goes on on the next page."""


@dataclass
class _Page:
    height: float
    width: float
    items: list = field(default_factory=list)  # _Line | _Table, top to bottom


def read_pdf(data: bytes) -> Document:
    """Paragraphs and grids of a text PDF; ``PdfReadError`` when it has no text layer."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:   # its text is English ("Failed to load document …")
        raise PdfReadError("文件已损坏或不是有效的 PDF，无法读取") from None
    try:
        if len(pdf) > MAX_PAGES:
            raise PdfReadError(f"PDF 有 {len(pdf)} 页，超过年报可能的页数（{MAX_PAGES} 页），未读取")
        sheets = [_read_sheet(pdf[i], i) for i in range(len(pdf))]
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    except pdfium.PdfiumError:   # a damaged page ("Failed to load page.")
        raise PdfReadError("文件已损坏（有的页无法读取），不是有效的 PDF") from None
    finally:
        pdf.close()
    for i in range(1, len(sheets)):
        _close_split_row(sheets[i - 1], sheets[i], i)
    for sheet in sheets:
        _mark_split_rows(sheet)
    pages = [_page(sheet, i) for i, sheet in enumerate(sheets)]
    if not any(p.items for p in pages):
        raise PdfReadError("这个 PDF 没有文字层（可能是扫描件或图片），无法读出其中的表格和文字。"
                           "请向报送单位索取 Word 文件、网页或 nianbao 导出的 PDF，或对照原件手工录入")
    _drop_page_furniture(pages)
    return Document(blocks=_blocks(pages), title=title, kind="pdf")


# ------------------------------------------------------------------ one page
def _read_sheet(page, number: int) -> _Sheet:
    width, height = page.get_size()
    chars = _chars(page, height)
    h, v = _edges(page, height)
    sheet = _Sheet(height, width, chars, _merge(h), _merge(v))
    sheet.tables = _tables(sheet.h, sheet.v, chars, number)
    return sheet


def _page(sheet: _Sheet, number: int) -> _Page:
    """The page's tables, and its other characters as lines, top to bottom."""
    taken = {id(c) for c in sheet.chars if any(_in_table(c, t) for t in sheet.tables)}
    taken |= {id(c) for t in sheet.tables for c in t.spilt}
    lines = _lines([c for c in sheet.chars if id(c) not in taken], number)
    out = _Page(sheet.height, sheet.width)
    out.items = sorted(lines + sheet.tables, key=lambda it: it.y0)
    return out


def _chars(page, height: float) -> list[_Char]:
    """The page's characters, top-down: code, angle and box, the fewest ctypes calls (a
    page has thousands of characters). Whether pdfium generated a character is asked
    only of spaces: it generates nothing else but line breaks, which are dropped."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()
    try:
        out = []
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        handle = tp.raw
        unicode, generated, box, angle_of = (raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated,
                                             raw.FPDFText_GetCharBox, raw.FPDFText_GetCharAngle)
        for i in range(tp.count_chars()):
            code = unicode(handle, i)
            if code in _NOT_TEXT or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                continue
            ch = chr(code)
            if ch.isspace() and generated(handle, i) == 1:
                continue
            angle = angle_of(handle, i) % 6.283185
            if 0.01 < angle < 6.27:  # a watermark (草稿) or a vertical note, not the report
                continue
            if not box(handle, i, left, right, bottom, top):
                continue
            out.append(_Char(ch, left.value, height - top.value, right.value, height - bottom.value))
        return out
    finally:
        tp.close()


_NOT_TEXT = {0, 2, 10, 13, 0xFFFE, 0xFFFF}
"""Codes pdfium gives for no character, a control, or a line break."""


def _edges(page, height: float):
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) ruling lines, top-down."""
    import pypdfium2.raw as raw

    h: list[tuple[float, float, float]] = []
    v: list[tuple[float, float, float]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in _paths(page, raw):
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        w, hh = right.value - left.value, top.value - bottom.value
        if w <= 3 * TOL / 2 or hh <= 3 * TOL / 2:  # a thin line or a thin filled box
            if w >= hh:
                h.append((height - (top.value + bottom.value) / 2, left.value, right.value))
            else:
                v.append(((left.value + right.value) / 2, height - top.value, height - bottom.value))
            continue
        if not stroke.value:
            continue  # a shaded background, not a line
        for (xa, ya), (xb, yb) in _segments(obj, raw):
            if abs(ya - yb) <= TOL / 2:
                h.append((height - (ya + yb) / 2, min(xa, xb), max(xa, xb)))
            elif abs(xa - xb) <= TOL / 2:
                v.append(((xa + xb) / 2, height - max(ya, yb), height - min(ya, yb)))
    return h, v


def _paths(page, raw, form=None, depth: int = 0):
    """The page's path objects, those inside form XObjects too (4 levels deep). Raw
    handles: wrapping each of a page's hundreds of text objects as pypdfium2's
    ``get_objects`` does cost 5 ms a page."""
    count, get = ((raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject) if form
                  else (raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject))
    parent = form or page.raw
    for k in range(max(0, count(parent))):
        obj = get(parent, k)
        kind = raw.FPDFPageObj_GetType(obj) if obj else None
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 3:
            yield from _paths(page, raw, obj, depth + 1)


def _segments(obj, raw):
    """Straight segments of a path in page coordinates (the object's matrix applied)."""
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    start = None
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        p = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = p
        elif kind == raw.FPDF_SEGMENT_LINETO and points:
            yield points[-1], p
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            yield p, start
        points.append(p)


# ------------------------------------------------------------------ tables
def _merge(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear pieces that touch or overlap become one line."""
    groups: list[list[tuple[float, float, float]]] = []
    for edge in sorted(edges):
        if groups and edge[0] - groups[-1][-1][0] <= TOL / 2:
            groups[-1].append(edge)
        else:
            groups.append([edge])
    out: list[tuple[float, float, float]] = []
    for group in groups:
        pos = median(e[0] for e in group)
        first, *rest = sorted(group, key=lambda e: e[1])
        run = [first[1], first[2]]
        for _, a, b in rest:
            if a <= run[1] + TOL:
                run[1] = max(run[1], b)
                continue
            out.append((pos, run[0], run[1]))
            run = [a, b]
        out.append((pos, run[0], run[1]))
    return [e for e in out if e[2] - e[1] > TOL]


def _cluster(values: list[float], within: float = TOL) -> list[float]:
    """The values in order, each dropped that lies ``within`` of the last one kept."""
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= within:
            continue
        out.append(value)
    return out


def _tables(h, v, chars: list[_Char], page: int) -> list[_Table]:
    """The tables drawn by the (merged) ruling lines ``h`` and ``v``."""
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(h):
        for j, (x, y0, y1) in enumerate(v):
            if x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL:
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, e in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(e)
    for j, e in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(e)
    tables = []
    for hs, vs in groups.values():
        if len(hs) >= 2 and len(vs) >= 2:
            table = _lattice(hs, vs, chars, page)
            if table is not None:
                tables.append(table)
    return tables


def _covered(edges, pos: float, at: float) -> bool:
    """Whether a ruling line at ``pos`` passes the point ``at`` along it."""
    return any(abs(p - pos) <= TOL and a - TOL <= at <= b + TOL for p, a, b in edges)


def _lattice(hs, vs, chars: list[_Char], page: int) -> _Table | None:
    ys = _cluster([e[0] for e in hs])
    xs = _cluster([e[0] for e in vs])
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    root = list(range(nr * nc))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for r in range(nr):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(nc):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < nc and not _covered(vs, xs[c + 1], ymid):
                root[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not _covered(hs, ys[r + 1], xmid):
                root[find(r * nc + c)] = find((r + 1) * nc + c)
    cells: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            cells.setdefault(find(r * nc + c), []).append((r, c))
    texts: dict[int, list[_Char]] = {k: [] for k in cells}
    spilt: list[_Char] = []
    for ch in chars:
        if not (xs[0] <= ch.cx <= xs[-1] and ys[0] <= ch.cy <= ys[-1]):
            if not (xs[0] <= ch.cx <= xs[-1] and ch.cy > ys[-1] and ch.y0 < ys[-1] + TOL
                    and not ch.ch.isspace() and not _covered(hs, ys[-1], ch.cx)):
                continue
            spilt.append(ch)  # begins inside a cell left open at the table's end, where
            #                   a browser draws the rest of a cell cut by the page break
        r = _index(ys, ch.cy)
        c = _index(xs, ch.cx)
        texts[find(r * nc + c)].append(ch)
    grid: list[list[Cell]] = [[Cell("", origin=False) for _ in range(nc)] for _ in range(nr)]
    for key, members in cells.items():
        r0 = min(r for r, _ in members)
        c0 = min(c for r, c in members if r == r0)
        span = sum(1 for r, _ in members if r == r0)
        text = _cell_text(texts[key])
        for r, c in members:
            grid[r][c] = Cell(text, origin=(r, c) == (r0, c0), span=span if (r, c) == (r0, c0) else 1)
    rows = [row for row in grid if any(cell.text for cell in row)]
    if not rows:
        return None
    return _Table(rows, xs, ys[0], ys[-1], page, spilt=spilt)


def _index(bounds: list[float], value: float) -> int:
    for i in range(len(bounds) - 1):
        if value <= bounds[i + 1]:
            return i
    return len(bounds) - 2


def _in_table(ch: _Char, t: _Table) -> bool:
    return t.xs[0] - TOL <= ch.cx <= t.xs[-1] + TOL and t.y0 - TOL <= ch.cy <= t.y1 + TOL


def _cell_text(chars: list[_Char]) -> str:
    """A cell's lines; a number wrapped by a narrow column (``300`` / ``1``) is one number."""
    lines = [line.text() for line in _lines(chars, 0)]
    if len(lines) > 1 and all(re.fullmatch(r"[\d.,]+", t) for t in lines):
        return "".join(lines)
    return "\n".join(lines)


# ------------------------------------------------------------------ a row split by a page break
def _close_split_row(before: _Sheet, sheet: _Sheet, page: int) -> None:
    """A table that runs to the end of a page and goes on at the top of the next one, with
    a row whose closing lines the producer left out at the break (Chromium does: the
    vertical lines run on into the margin, the row has no top or bottom line). A row
    taller than a page leaves a page with no closed table at all, only the table's
    vertical lines (and perhaps the line between two rows): that page is open at both
    ends, and its frame is closed the same way at each of its two breaks.

    When nothing but the table stands between the two (no text below it on the one page,
    none above it on the next) and its frame goes on (the outer vertical lines at the same
    places), the open part on either side is closed with a line so that its characters
    are read into the cells the vertical lines make. A row with characters on both sides
    is closed only when its columns are the same on both pages, and is then marked to be
    joined into one (``_join_rows``). Anything else stays as it was: the characters are
    read as text, and a row that cannot be read is reported."""
    if not before.tables:
        return
    last = max(before.tables, key=lambda t: t.y1)
    first = min(sheet.tables, key=lambda t: t.y0) if sheet.tables else None
    frame = [e for e in sheet.v if last.xs[0] - 3 * TOL <= e[0] <= last.xs[-1] + 3 * TOL]
    if first is not None:
        end = first.y0
        frame = [e for e in frame if first.xs[0] - TOL <= e[0] <= first.xs[-1] + TOL]
    elif frame:   # no table: the open band ends at the first line between two rows, if any
        start = min(e[1] for e in frame)
        inner = [y for y, a, b in sheet.h if y > start + 2 * TOL and a <= max(e[0] for e in frame)
                 and b >= min(e[0] for e in frame)]
        end = min(inner, default=max(e[2] for e in frame))
    else:
        return
    rising = [e for e in frame if e[1] < end - TOL <= e[2]]
    if not rising:
        return
    top = min(e[1] for e in rising)
    xs = _columns(sheet.v, top + 2 * TOL, end)  # a double border's inner lines start lower
    if len(xs) < 2 or any(c.cy < top - TOL and c.cy > sheet.height * 0.1 for c in sheet.chars):
        return  # no columns, or text above the table: it does not go on from the page before
    falling = [e for e in before.v if xs[0] - 3 * TOL <= e[0] <= xs[-1] + 3 * TOL
               and e[1] < last.y1 - TOL <= e[2]]
    bottom = max((e[2] for e in falling), default=last.y1)
    columns = _columns(before.v, last.y1 + TOL, bottom - 2 * TOL)  # the row's own lines start at its top
    spilt = {id(c) for c in last.spilt}
    if len(columns) < 2 or not _same_columns([xs[0], xs[-1]], [columns[0], columns[-1]]) or any(
            c.cy > bottom + TOL and c.cy < before.height * 0.88 and id(c) not in spilt for c in before.chars):
        return  # another frame, or text below the table: not the same table going on
    in_top = _band_chars(sheet.chars, xs, top, end)
    in_bottom = _band_chars(before.chars, xs, last.y1, bottom) if bottom > last.y1 + TOL else []
    if in_top and in_bottom and not _same_columns(xs, columns):
        return  # the two parts of the row would not line up
    if in_top or first is None:
        sheet.h.append((top, xs[0], xs[-1]))
        sheet.tables = _tables(sheet.h, sheet.v, sheet.chars, page)
    if in_bottom:
        before.h.append((bottom, xs[0], xs[-1]))
        before.tables = _tables(before.h, before.v, before.chars, page - 1)
    if in_top and in_bottom:
        before.split_bottom = sheet.split_top = True


def _mark_split_rows(sheet: _Sheet) -> None:
    """The split marks on the tables, once every break has been closed (closing a page's
    bottom rebuilds its tables, after its top was closed)."""
    if sheet.tables and sheet.split_top:
        min(sheet.tables, key=lambda t: t.y0).split_top = True
    if sheet.tables and sheet.split_bottom:
        max(sheet.tables, key=lambda t: t.y1).split_bottom = True


def _columns(v, y0: float, y1: float) -> list[float]:
    """The x of the vertical lines that run from ``y0`` to ``y1``."""
    return _cluster([x for x, a, b in v if a <= y0 + TOL and b >= y1 - TOL])


def _same_columns(a: list[float], b: list[float]) -> bool:
    """The same column lines, a double border counting as one line (its two lines are
    2–3 points apart, and clustered into one or two lines depending on a tenth of a point)."""
    a, b = _borders(a), _borders(b)
    return len(a) == len(b) and all(abs(p - q) <= 3 * TOL for p, q in zip(a, b))


def _borders(xs: list[float]) -> list[float]:
    """The column lines with a double border's two lines as one (``_same_columns``)."""
    return _cluster(xs, 2 * TOL)


def _band_chars(chars: list[_Char], xs: list[float], y0: float, y1: float) -> list[_Char]:
    return [c for c in chars if xs[0] <= c.cx <= xs[-1] and y0 <= c.cy <= y1 and not c.ch.isspace()]


def _join_rows(end: list[Cell], start: list[Cell]) -> list[Cell] | None:
    """The two parts of a row split by a page break as one row, cell by cell; None when
    they do not line up.

    Both parts are cut by the same column lines, but a part may leave out a line the other
    has (a double border drawn as one line on one page, two on the other, leaves a narrow
    empty column on one side only). Then the part with more cells gives the row's cells,
    and each text of the other part joins the one cell under it that holds text (or the
    only cell under it); when that is not one cell, the row does not line up."""
    if len(end) != len(start):
        return None
    if all(a.span == b.span for a, b in zip(end, start)):
        return [Cell(_glue(a.text, b.text), origin=a.origin, span=a.span) for a, b in zip(end, start)]
    fine, coarse = (end, start) if _origins(end) >= _origins(start) else (start, end)
    texts = [c.text for c in fine]
    joined: set[int] = set()
    for k0, k1, text in _spans(coarse):
        if not text:
            continue
        under = [(j0, j1) for j0, j1, _ in _spans(fine) if j0 < k1 and k0 < j1]
        full = [u for u in under if fine[u[0]].text]
        target = full if len(full) == 1 else under if len(under) == 1 else []
        if not target or target[0][0] in joined:
            return None
        j0, j1 = target[0]
        joined.add(j0)
        both = (texts[j0], text) if fine is end else (text, texts[j0])
        for j in range(j0, j1):
            texts[j] = _glue(*both)
    return [Cell(t, origin=c.origin, span=c.span) for t, c in zip(texts, fine)]


def _origins(row: list[Cell]) -> int:
    """How many cells the row is cut into (a cell spanning columns counts once; a cell
    going on from the row above counts)."""
    covered = {j for k, c in enumerate(row) if c.origin for j in range(k + 1, k + c.span)}
    return sum(1 for k in range(len(row)) if k not in covered)


def _spans(row: list[Cell]) -> list[tuple[int, int, str]]:
    """The origin cells of a row: (first column, end column, text)."""
    return [(k, k + c.span, c.text) for k, c in enumerate(row) if c.origin]


def _glue(a: str, b: str) -> str:
    parts = [t for t in (a, b) if t]
    return ("" if parts and all(re.fullmatch(r"[\d.,]+", t) for t in parts) else "\n").join(parts)


# ------------------------------------------------------------------ lines and text
def _lines(chars: list[_Char], page: int) -> list[_Line]:
    """Characters grouped into lines. The full-height characters make the lines; a small
    one (a comma, a quote, a full stop sits low or high in its box) joins the line whose
    band it lies in."""
    chars = [c for c in chars if not c.ch.isspace() or c.x1 > c.x0]
    if not chars:
        return []
    med = median(c.y1 - c.y0 for c in chars if not c.ch.isspace()) if any(
        not c.ch.isspace() for c in chars) else 1.0
    big = sorted((c for c in chars if c.y1 - c.y0 >= 0.6 * med and not c.ch.isspace()),
                 key=lambda c: c.cy)
    bands: list[list[_Char]] = []
    for ch in big:
        if bands and abs(ch.cy - bands[-1][-1].cy) <= 0.45 * med:
            bands[-1].append(ch)
        else:
            bands.append([ch])
    extents = [(min(c.y0 for c in b), max(c.y1 for c in b)) for b in bands]
    for ch in chars:
        if ch.y1 - ch.y0 >= 0.6 * med and not ch.ch.isspace():
            continue
        near = [i for i, (a, b) in enumerate(extents) if a - 0.25 * med <= ch.cy <= b + 0.25 * med]
        if near:
            i = min(near, key=lambda i: abs((extents[i][0] + extents[i][1]) / 2 - ch.cy))
            bands[i].append(ch)
        elif not ch.ch.isspace():
            bands.append([ch])
            extents.append((ch.y0, ch.y1))
    lines = []
    for band in sorted(bands, key=lambda b: min(c.y0 for c in b)):
        band.sort(key=lambda c: c.x0)
        while band and band[-1].ch.isspace():
            band.pop()
        while band and band[0].ch.isspace():
            band.pop(0)
        if band:
            lines.append(_Line(band, page))
    return lines


def _join(chars: list[_Char]) -> str:
    """Characters of one line as text: a space only where the PDF has one."""
    return re.sub(r"\s+", " ", "".join(c.ch for c in chars)).strip()


_PAGE_NUMBER = re.compile(r"^[-—–－~\s]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*[/／共]\s*\d{1,3}\s*页?)?[-—–－~\s]*$")


def _drop_page_furniture(pages: list[_Page]) -> None:
    """Page numbers and the running header and footer are not the report's text."""
    edge_texts: Counter = Counter()
    for p in pages:
        for line in _edge_lines(p):
            edge_texts[re.sub(r"\d+", "#", line.text())] += 1
    repeated = {t for t, n in edge_texts.items() if len(pages) >= 3 and n >= max(2, len(pages) // 2)}
    for p in pages:
        edge = set(map(id, _edge_lines(p)))
        p.items = [it for it in p.items
                   if not (id(it) in edge and (_PAGE_NUMBER.match(it.text())
                                               or re.sub(r"\d+", "#", it.text()) in repeated))]


def _edge_lines(p: _Page) -> list[_Line]:
    """The text lines in the top and bottom tenth of a page, outside any table."""
    return [it for it in p.items if isinstance(it, _Line)
            and (it.y0 < p.height * 0.1 or it.y0 > p.height * 0.88)]


def _blocks(pages: list[_Page]) -> list:
    lines = [it for p in pages for it in p.items if isinstance(it, _Line)]
    if lines:
        left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
        right = max(Counter(round(line.x1) for line in lines).most_common(3))[0]
        size = median(line.size for line in lines)
    else:
        left, right, size = 0, 0, 10
    blocks: list = []
    last_table: _Table | None = None
    grid_xs: list[float] = []
    para: list[_Line] = []
    rows: list[list[Cell]] = []

    def flush() -> None:
        if para:
            blocks.append(Paragraph("".join(_with_space(para))))
            para.clear()
        if rows:
            blocks.append(Grid(list(rows), aligned=False))
            rows.clear()

    for p in pages:
        for it in p.items:
            if isinstance(it, _Table):
                flush()
                union = _continues(grid_xs, last_table, it, blocks) if last_table is not None else None
                if union is not None:
                    blocks[-1].rows[:] = _regrid(blocks[-1].rows, grid_xs, union)
                    rows_on = _regrid(it.rows, it.xs, union)
                    grid_xs = union
                    joined = (_join_rows(blocks[-1].rows[-1], rows_on[0])
                              if last_table is not None and last_table.split_bottom and it.split_top else None)
                    if joined is not None:
                        blocks[-1].rows[-1] = joined
                        rows_on = rows_on[1:]
                    blocks[-1].rows.extend(rows_on)
                else:
                    blocks.append(Grid(it.rows, aligned=True))
                    grid_xs = it.xs
                last_table = it
                continue
            cells = it.cells()
            if len(cells) > 1:
                if para:
                    flush()
                rows.append([Cell(c) for c in cells])
                last_table = None
                continue
            if rows:
                flush()
            if para and _starts_paragraph(para[-1], it, left, right, size):
                flush()
            para.append(it)
            last_table = None
    flush()
    return blocks


def _continues(xs: list[float], before: _Table, table: _Table, blocks: list) -> list[float] | None:
    """A table at the top of a page going on from the last one (whose grid so far has the
    column lines ``xs``): the same frame, and the column lines of the one are among those
    of the other (a line that no row of a page needs is not drawn on that page, as the
    line between a group's name and a row's label on a page of rows without groups; a
    double border counts as one line, its two lines being read as one on some pages).
    Returns the column lines of the whole, None when the table does not go on."""
    if not (table.page == before.page + 1 and bool(blocks) and isinstance(blocks[-1], Grid)):
        return None
    if len(xs) == len(table.xs) and all(abs(a - b) <= 3 * TOL for a, b in zip(xs, table.xs)):
        return xs
    fewer, more = sorted((_borders(xs), _borders(table.xs)), key=len)
    if abs(fewer[0] - more[0]) > 3 * TOL or abs(fewer[-1] - more[-1]) > 3 * TOL or not all(
            any(abs(a - b) <= 3 * TOL for b in more) for a in fewer):
        return None
    return _cluster(xs + table.xs)


def _regrid(rows: list[list[Cell]], xs: list[float], union: list[float]) -> list[list[Cell]]:
    """Rows cut by the column lines ``xs`` as rows cut by ``union`` (which holds them all):
    a cell spans the columns of ``union`` its own column covers. Where ``union`` has the
    two lines of a double border and ``xs`` one, a cell begins at the right one and ends
    at the left one: the narrow column between them stays empty, as on the pages that
    draw both."""
    if len(xs) == len(union):
        return rows

    own: list[list[int]] = [[] for _ in xs]   # the lines of union each line of xs stands for
    for k, u in enumerate(union):
        c = min(range(len(xs)), key=lambda c: abs(xs[c] - u))
        if abs(xs[c] - u) <= 3 * TOL:
            own[c].append(k)
    for c, x in enumerate(xs):
        own[c] = own[c] or [min(range(len(union)), key=lambda k: abs(union[k] - x))]
    begin = [max(k) for k in own]
    end = [min(k) for k in own]
    out = []
    for row in rows:
        new = [Cell("") for _ in range(len(union) - 1)]
        for c, cell in enumerate(row):
            k0 = begin[c]
            k1 = max(end[min(c + (cell.span if cell.origin else 1), len(xs) - 1)], k0 + 1)
            if cell.origin:
                new[k0] = Cell(cell.text, origin=True, span=k1 - k0)
                new[k0 + 1:k1] = [Cell(cell.text, origin=False) for _ in range(k1 - k0 - 1)]
            else:
                new[k0:k1] = [Cell(cell.text, origin=False) for _ in range(k1 - k0)]
        out.append(new)
    return out


_SENTENCE_END = re.compile(r"[。！？；：][”’」』）)]?$")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、．.]|第[一二三四五六七八九十]{1,3}部分|[（(][一二三四五六七八九十]{1,3}[）)])")
"""A line that begins like a heading (``六、``, ``第六部分``, ``（一）``)."""


def _starts_paragraph(prev: _Line, line: _Line, left: float, right: float, size: float) -> bool:
    """A line begins a paragraph when it is indented or the line before stopped short, or
    when it begins like a heading right after the end of a sentence (text printed without
    indents, a sentence ending exactly at the right margin)."""
    if line.x0 > left + size * 0.8:
        return True
    if prev.x1 < right - size * 1.5:
        return True
    if _SENTENCE_END.search(prev.text()) and _HEADING_START.match(line.text()):
        return True  # a heading after a sentence that happened to fill its last line
    return line.page == prev.page and line.y0 - prev.y0 > 2.6 * size


def _with_space(lines: list[_Line]) -> list[str]:
    """Lines of a paragraph joined; a space only between two Latin words."""
    out: list[str] = []
    for i, line in enumerate(lines):
        text = line.text()
        if i and re.match(r"[A-Za-z]", text) and re.search(r"[A-Za-z]$", out[-1]):
            text = " " + text
        out.append(text)
    return out
