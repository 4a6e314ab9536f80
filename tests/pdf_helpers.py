"""What a person checks in an exported PDF, with poppler's tools: the fonts, the text in
reading order, the pages."""
from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

from app.numbers import format_money
from app.report import Report


def pdftotext(path: Path, page: int | None = None) -> str:
    """The text layer in content order (``-raw``), as a copy-and-paste would give it."""
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(args + [str(path), "-"], capture_output=True, encoding="utf-8", check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdffonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, encoding="utf-8", check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3],
                     "line": line})
    return rows


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, encoding="utf-8", check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def printed(value) -> str:
    """A value as the official table must show it (money ≥ 4 decimals, never rounded)."""
    if isinstance(value, Decimal):
        return format_money(value)
    return str(value)


def check_tables_in_order(text: str, report: Report) -> None:
    """Every table's labels appear in its section, and every row's label is followed by
    its numbers in the format's order (wide tables: all labels, then all numbers)."""
    flat = squash(text)
    fmt = report.format
    headings = [squash(s.heading) for s in fmt.sections]
    for i, section in enumerate(fmt.sections):
        if not section.table:
            continue
        start = flat.index(headings[i])
        end = flat.index(headings[i + 1], start) if i + 1 < len(headings) else len(flat)
        region = flat[start:end]
        table = fmt.tables[section.table]
        labels = {squash(x) for row in table.rows for x in row.header_path}
        labels |= {squash(x) for c in table.columns.values() for x in c.header_path}
        labels |= {squash(x) for x in (table.corner, table.row_header) if x}
        labels |= {squash(r.group) for r in table.rows if r.group}
        missing = [x for x in labels if x not in region]
        assert not missing, f"{section.heading}: labels not found: {missing}"
        pos = 0
        if table.layout == "wide":
            for row in table.rows:
                pos = region.index(squash(row.label), pos)
            pos = region.index(squash(table.columns[table.rows[-1].columns[-1]].label), pos)
        for row in table.rows:
            if table.layout != "wide":
                pos = region.index(squash(row.label), pos) + len(squash(row.label))
            for col in row.columns:
                want = printed(report.cells[(table.key, row.key, col)])
                found = region.find(want, pos)
                assert found >= 0, f"{section.heading} {row.label}/{col}: {want} not after {pos}"
                pos = found + len(want)


def gb2312_song() -> dict[str, str] | None:
    """A font setting that makes the 宋体 face the GB2312-only AR PL SungtiL GB (so that
    names like 堃 and the 〇 of dates need another face), or None when not installed."""
    from app.pdf.fonts import _fontconfig_entries

    for path, index, families, _ in _fontconfig_entries():
        if "AR PL SungtiL GB" in families:
            return {"song": f"{path}#{index}"}
    return None


def hide_face(monkeypatch, face: str) -> None:
    """Make this machine one without ``face`` (e.g. 仿宋): no file is found for it, and
    fonts parsed before are forgotten for the test."""
    from app.pdf import fonts as fontmod

    real = fontmod.candidates
    monkeypatch.setattr(fontmod, "candidates",
                        lambda f, spec, user: iter(()) if f == face else real(f, spec, user))
    monkeypatch.setattr(fontmod, "_LOADED", dict(fontmod._LOADED))
