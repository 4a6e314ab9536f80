"""Render a report as it would be published (web page, copied text, Word) for import tests.

The labels come from the report's format file, as a real report prints them; the tests
then bend them (half-width brackets, ``<br>``, spaces, a split table) the way real
published reports do, and check that the importer gives back exactly the numbers.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal

from app.numbers import money_to_str
from app.report import Report

Label = Callable[[str], str]


def cell_text(value) -> str:
    if value is None:
        return ""
    return money_to_str(value) if isinstance(value, Decimal) else str(value)


def _blocks(report: Report):
    """Active table blocks: (group, columns, rows)."""
    table = report.format.tables["active"]
    out: list = []
    for row in table.rows:
        if out and out[-1][0] == row.group and out[-1][1] == row.columns:
            out[-1][2].append(row)
        else:
            out.append((row.group, row.columns, [row]))
    return table, out


def _path_spans(rows):
    """For each row and each depth of its header path: rowspan when first, else 0."""
    spans = []
    for i, row in enumerate(rows):
        spans.append([])
        for d in range(len(row.path)):
            prefix = row.path[:d + 1]
            if i > 0 and rows[i - 1].path[:d + 1] == prefix:
                spans[-1].append(0)
                continue
            n = 1
            while i + n < len(rows) and rows[i + n].path[:d + 1] == prefix:
                n += 1
            spans[-1].append(n)
    return spans


def render_html(report: Report, *, label: Label = lambda s: s, split_requests_at: int | None = None,
                value: Callable[[tuple, object], str] | None = None,
                bend_headings: bool = True) -> bytes:
    fmt = report.format
    def lab(s: str) -> str:
        return label(html.escape(s))
    val = value or (lambda ref, v: cell_text(v))
    title = report.title
    parts = [f"<html><head><meta charset='utf-8'><title>{title}_政府信息公开年报_某某网站</title>"
             "<style>p {margin:0}</style><script>var a = '<p>一、总体情况</p>';</script></head><body>",
             "<div id='nav'><p>首页</p><p>政务公开</p></div><div class='article'>",
             f"<p align=center>{html.escape(title)}</p><p>根据条例编制本报告。</p>"]
    for section in fmt.sections:
        heading = lab(section.heading) if bend_headings else html.escape(section.heading)
        parts.append(f"<p><span style='mso-x:1'>{heading}</span></p>")
        if section.text:
            for para in report.texts[section.text].split("\n\n"):
                if para:
                    parts.append(f"<p>{html.escape(para)}</p>")
        elif section.table == "active":
            table, blocks = _blocks(report)
            parts.append("<table border=1>")
            for group, cols, rows in blocks:
                parts.append(f"<tr><td colspan=4>&nbsp;{lab(group)}</td></tr>")
                parts.append("<tr><td>信息内容</td>" + "".join(
                    f"<td colspan={4 - len(cols) if i == len(cols) - 1 else 1}>{lab(table.columns[c].label)}</td>"
                    for i, c in enumerate(cols)) + "</tr>")
                for row in rows:
                    parts.append(f"<tr><td>{lab(row.label)}</td>" + "".join(
                        f"<td colspan={4 - len(cols) if i == len(cols) - 1 else 1}>"
                        f"{val(('active', row.key, c), report.cells[('active', row.key, c)])}</td>"
                        for i, c in enumerate(cols)) + "</tr>")
            parts.append("</table>")
        elif section.table == "requests":
            parts.extend(_requests_html(report, lab, val, split_requests_at))
        elif section.table == "appeals":
            parts.extend(_appeals_html(report, lab, val))
    parts.append("</div><div id='footer'><p>版权所有：某某网站</p><p>网站标识码 1234</p></div></body></html>")
    return "".join(parts).encode("utf-8")


def _requests_header(report: Report, lab) -> list[str]:
    table = report.format.tables["requests"]
    cols = table.columns
    org = [c for c in cols.values() if len(c.path) == 2]
    return [
        f"<tr><td rowspan=3 colspan=3>{lab(table.corner)}</td><td colspan=7>{lab(cols['natural'].path[0])}</td></tr>",
        f"<tr><td rowspan=2>{lab(cols['natural'].label)}</td><td colspan=5>{lab(org[0].path[1])}</td>"
        f"<td rowspan=2>{lab(cols['total'].label)}</td></tr>",
        "<tr>" + "".join(f"<td>{lab(c.label)}</td>" for c in org) + "</tr>",
    ]


def _requests_html(report: Report, lab, val, split_at: int | None) -> list[str]:
    table = report.format.tables["requests"]
    rows = list(table.rows)
    chunks = [rows] if split_at is None else [rows[:split_at], rows[split_at:]]
    out = []
    for chunk in chunks:
        out.append("<table border=1>")
        out.extend(_requests_header(report, lab))
        spans = _path_spans(chunk)
        for row, span in zip(chunk, spans):
            cells = [f"<td rowspan={n}>{lab(row.path[d])}</td>" for d, n in enumerate(span) if n]
            cells.append(f"<td colspan={3 - len(row.path)}>{lab(row.label)}</td>")
            cells += [f"<td>{val(('requests', row.key, c), report.cells[('requests', row.key, c)])}</td>"
                      for c in row.columns]
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table><p>（表格跨页）</p>" if chunk is not chunks[-1] else "</table>")
    return out


def _appeals_html(report: Report, lab, val) -> list[str]:
    table = report.format.tables["appeals"]
    cols = list(table.columns.values())
    first, *lit = table.rows
    out = ["<table border=1>",
           f"<tr><td colspan=5>{lab(first.label)}</td><td colspan=10>{lab(lit[0].path[0])}</td></tr>",
           "<tr>" + "".join(f"<td rowspan=2>{lab(c.label)}</td>" for c in cols)
           + "".join(f"<td colspan=5>{lab(r.label)}</td>" for r in lit) + "</tr>",
           "<tr>" + "".join(f"<td>{lab(c.label)}</td>" for _ in lit for c in cols) + "</tr>",
           "<tr>" + "".join(f"<td>{val(ref, report.cells[ref])}</td>" for ref in table.cells()) + "</tr>",
           "</table>"]
    return out


def render_text(report: Report, *, one_cell_per_line: bool = False) -> bytes:
    """Text as copied from the page: tab-separated rows, or one cell per line."""
    fmt = report.format
    lines = [report.title, ""]
    sep = "\n" if one_cell_per_line else "\t"
    for section in fmt.sections:
        lines += [section.heading, ""]
        if section.text:
            lines += list(report.texts[section.text].split("\n\n"))
            continue
        table = fmt.tables[section.table]
        if table.layout == "wide":
            lines.append(sep.join(c.label for c in table.columns.values()))
            lines.append(sep.join(cell_text(report.cells[ref]) for ref in table.cells()))
            continue
        for row in table.rows:
            lines.append(sep.join([*row.path, row.label]
                                  + [cell_text(report.cells[(table.key, row.key, c)]) for c in row.columns]))
    return "\n".join(lines).encode("utf-8")


def render_docx(report: Report, path) -> None:
    """A Word file like the ones townships send: headings, paragraphs, merged-cell tables."""
    import docx

    fmt = report.format
    d = docx.Document()
    d.add_paragraph(report.title)
    for section in fmt.sections:
        d.add_paragraph(section.heading)
        if section.text:
            for para in report.texts[section.text].split("\n\n"):
                d.add_paragraph(para)
            continue
        table = fmt.tables[section.table]
        if table.layout == "wide":
            refs = list(table.cells())
            t = d.add_table(rows=3, cols=len(refs))
            first, *lit = table.rows
            t.cell(0, 0).merge(t.cell(0, 4)).text = first.label
            t.cell(0, 5).merge(t.cell(0, 14)).text = lit[0].path[0]
            for j, ref in enumerate(refs):
                t.cell(1, j).text = table.columns[ref[2]].label
                t.cell(2, j).text = cell_text(report.cells[ref])
            continue
        width = 1 + max(len(r.columns) for r in table.rows)
        t = d.add_table(rows=0, cols=width)
        header = t.add_row().cells
        header[0].text = table.row_header or (table.corner or "")
        keys = list(table.columns) if table.layout == "grid" else None
        if keys:
            for j, c in enumerate(keys):
                header[1 + j].text = table.columns[c].label
        for row in table.rows:
            cells = t.add_row().cells
            cells[0].text = row.label
            for j, c in enumerate(row.columns):
                cells[1 + j].text = cell_text(report.cells[(table.key, row.key, c)])
            if len(row.columns) < width - 1:
                merged = cells[len(row.columns)].merge(cells[width - 1])
                merged.text = cell_text(report.cells[(table.key, row.key, row.columns[-1])])
    d.save(str(path))
