"""Read a saved web page (.html) into paragraphs and grids.

Most reports are published as a page of the government website, often exported from
Word: spans and ``mso-`` styles everywhere, merged cells as rowspan/colspan, labels
broken by ``<br>``. The standard library's parser is enough; merged cells are expanded
here so that every grid position holds the text of the cell covering it.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from app.importer.document import (
    MAX_DOCUMENT_CELLS,
    MAX_GRID_CELLS,
    Cell,
    Document,
    Grid,
    InputTooLarge,
    Paragraph,
    check_blocks,
)

_SKIP = {"script", "style", "noscript", "template", "head", "select", "button", "iframe", "svg"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
          "article", "main", "header", "footer", "nav", "blockquote", "pre", "center", "dd",
          "dt", "dl", "form", "aside", "table", "hr"}
_CONTAINERS = {"div", "section", "article", "main", "body", "center", "td", "th", "blockquote",
               "form", "aside", "nav", "header", "footer"}
MAX_SPAN = 60
"""No report table is wider or taller; a bigger span is a broken page."""


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.layout = False
        """A table used to lay out the page (it holds another table): its cells are
        read as the page's flow of paragraphs, not as a grid."""

    def size(self) -> int:
        """Positions the expanded grid will have at most (checked before expanding)."""
        return sum(min(rowspan, len(self.rows) - r) * colspan
                   for r, row in enumerate(self.rows) for _, rowspan, colspan in row)

    def grid(self) -> list[list[Cell]]:
        """Expand rowspan/colspan: each covered position gets a copy of the cell."""
        if self.size() > MAX_GRID_CELLS:
            raise InputTooLarge(f"网页中有一个表格展开后超过 {MAX_GRID_CELLS:,} 格，"
                                "不是年报的表格（年报的表格最多几百格）")
        out: dict[tuple[int, int], Cell] = {}
        width = 0
        height = len(self.rows)
        for r, row in enumerate(self.rows):
            c = 0
            for text, rowspan, colspan in row:
                rowspan = min(rowspan, height - r)  # a span past the last row covers nothing
                while (r, c) in out:
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        origin = dr == 0 and dc == 0
                        out[(r + dr, c + dc)] = Cell(text, origin, colspan if origin else 1)
                c += colspan
                width = max(width, c)
        if width * height > MAX_GRID_CELLS:
            raise InputTooLarge(f"网页中有一个表格展开后超过 {MAX_GRID_CELLS:,} 格，"
                                "不是年报的表格（年报的表格最多几百格）")
        return [[out.get((r, c), Cell("", origin=False)) for c in range(width)]
                for r in range(height)]

    def texts(self) -> list[str]:
        """The cells' texts in reading order, split where the cells had paragraphs."""
        out = []
        for row in self.rows:
            for text, _, _ in row:
                out.extend(_PARA_BREAK.split(text))
        return out


_PARA_BREAK = re.compile(r"\s*\n\n\s*")
LONG_CELL = 300
"""A cell this long is prose, not a table cell: no label or number is that long."""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list = []
        self.text: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False
        self.tables: list[_Table] = []
        self.stack: list[tuple[str, int]] = []
        self.serial = 0
        self.cells = 0

    # -- element nesting, for trim_to_article
    def _where(self) -> tuple[int, ...]:
        return tuple(i for _, i in self.stack)

    def _data_table(self) -> _Table | None:
        """The table whose cells collect text now (None: text flows as paragraphs)."""
        return self.tables[-1] if self.tables and not self.tables[-1].layout else None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if self.skip:
            return
        table = self._data_table()
        if tag in _BLOCK or tag in ("br", "tr", "td", "th"):
            self._flush()
            if table is not None and table.cell is not None:
                table.cell.append("\n" if tag == "br" else "\n\n")
        if tag == "table":
            if table is not None and table.cell is not None:
                self._to_layout(table)
            self.tables.append(_Table())
        elif tag == "tr" and table is not None:
            table.rows.append([])
        elif tag in ("td", "th") and table is not None:
            self._end_cell(table)
            a = dict(attrs)
            table.cell = []
            table.span = (_span(a.get("rowspan")), _span(a.get("colspan")))
        if tag in _CONTAINERS:
            self.serial += 1
            self.stack.append((tag, self.serial))

    def _to_layout(self, table: _Table) -> None:
        """A table inside a cell: the outer one lays out the page. What it collected so
        far becomes paragraphs, and its cells from now on are read as page flow."""
        self._end_cell(table)
        for text in table.texts():
            self._paragraph(text)
        table.rows, table.layout = [], True

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        if self.skip:
            return
        if tag in _BLOCK or tag in ("td", "th", "tr"):
            self._flush()
        table = self._data_table()
        if tag in ("td", "th") and table is not None:
            self._end_cell(table)
        elif tag == "table" and self.tables:
            self._end_table(self.tables.pop())
        if tag in _CONTAINERS:
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    break

    def _end_table(self, t: _Table) -> None:
        if t.layout:
            return
        self._end_cell(t)
        if any(len(text) > LONG_CELL for row in t.rows for text, _, _ in row):
            for text in t.texts():  # a frame around prose, not a table of numbers
                self._paragraph(text)
        else:
            grid = t.grid()
            self.cells += len(grid) * len(grid[0]) if grid else 0
            if self.cells > MAX_DOCUMENT_CELLS:
                raise InputTooLarge(f"网页中的表格合并单元格展开后共超过 {MAX_DOCUMENT_CELLS:,} 格，"
                                    "不是年报（年报的表格共约一千格）")
            self.blocks.append(Grid(grid, aligned=True, where=self._where()))

    def _end_cell(self, t: _Table) -> None:
        if t.cell is None:
            return
        if not t.rows:
            t.rows.append([])
        text = "".join(t.cell).strip()
        t.rows[-1].append((text, *t.span))
        t.cell = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip:
            return
        table = self._data_table()
        if table is not None:
            if table.cell is not None:
                table.cell.append(data)
        else:
            self.text.append(data)

    def _flush(self) -> None:
        if self._data_table() is not None:
            return
        text, self.text = "".join(self.text), []
        self._paragraph(text)

    def _paragraph(self, text: str) -> None:
        text = re.sub(r"[ \t\r\n\xa0\u3000]+", " ", text).strip()
        if text:
            self.blocks.append(Paragraph(text, where=self._where()))
            check_blocks(len(self.blocks))


def _span(value: str | None) -> int:
    try:
        return min(MAX_SPAN, max(1, int(str(value).strip())))
    except (TypeError, ValueError):
        return 1


_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """The text of a page or text file, without control characters (a browser shows
    none of them; a report file, a spreadsheet and a Word file cannot hold them)."""
    return _INVISIBLE.sub("", _decode(data))


def _decode(data: bytes) -> str:
    """Web pages of Chinese government sites are UTF-8 or GB2312/GBK: try both. Text
    saved by Windows Notepad may also be UTF-16 (with its byte-order mark, or without)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:   # UTF-16 without its byte-order mark: digits, tabs, newlines
        head = data[:4096]      # have a zero byte, on odd positions (LE) or even ones (BE)
        odd = head[1::2].count(0)
        return data.decode("utf-16-le" if odd >= head[::2].count(0) else "utf-16-be",
                           errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    for enc in ([m.group(1).decode("ascii")] if m else []) + ["gb18030"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def html_of_mhtml(data: bytes) -> bytes:
    """The page inside a single-file saved web page (.mht/.mhtml, a MIME message)."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                payload = b""
            charset = part.get_content_charset()
            if charset:
                try:
                    return payload.decode(charset).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass
            return payload
    return data


def read_html(data: bytes) -> Document:
    parser = _Parser()
    parser.feed(decode(data))
    parser.close()
    parser._flush()
    while parser.tables:  # unclosed tables at the end of a truncated page
        parser._end_table(parser.tables.pop())
        parser._flush()
    return Document(blocks=parser.blocks, title="".join(parser.title).strip(), kind="html")
