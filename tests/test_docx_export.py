"""The Word export: what a district clerk sees when opening the .docx in Word/WPS.

Every label of the format and every number of the report must be there, in the right
table row, with the official merged headers (checked against the official template's
shape, written out here as the template prints it), East Asian fonts set, A4 paper.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from app.docx_export import DocxExportError, export_docx
from app.exchange import read_file
from app.numbers import format_money
from app.report import Report
from app.table_layout import column_heading
from cli_helpers import run_nianbao

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
ZUNHUADIAN = FIXTURES / "2020-zunhuadian-town.json"
PINGTAN = FIXTURES / "2021-pingtan-zone.json"


@pytest.fixture(params=[ZUNHUADIAN, PINGTAN], ids=["2019-zunhuadian", "2021-pingtan"])
def report(request) -> Report:
    return read_file(request.param)


def export(report: Report, tmp_path: Path, *, whole: bool = True) -> docx.document.Document:
    """The exported document; with ``whole`` each table in one piece (the tests of the
    official table shapes), else cut where the PDF's pages break, as users get it."""
    from unittest import mock

    out = tmp_path / "报告.docx"
    if whole:
        with mock.patch("app.docx_export._pdf_breaks", return_value={}):
            export_docx(report, out)
    else:
        export_docx(report, out)
    return docx.Document(str(out))


def spans(table) -> list[tuple[str, int, int, int, int]]:
    """(text, row, col, rowspan, colspan) of every merged-or-not cell, read from the XML."""
    found: list[list] = []
    open_at: dict[int, list] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.vMerge
            if vmerge == "continue":
                open_at[col][3] += 1
            else:
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                cell = [text, r, col, 1, span]
                found.append(cell)
                for c in range(col, col + span):
                    open_at[c] = cell
            col += span
    return [tuple(c) for c in found]


def span_of(table, text: str) -> tuple[int, int]:
    matches = [(rs, cs) for t, _, _, rs, cs in spans(table) if t == text]
    assert matches, f"{text} not in table"
    return matches[0]


def table_of(document, report: Report, key: str):
    keys = [s.table for s in report.format.sections if s.table]
    return document.tables[keys.index(key)]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [t for t, *_ in spans(table)]
    return "\n".join(parts)


def printed(report: Report, ref) -> str:
    value = report.cells[ref]
    if value is None:
        return ""
    return format_money(value) if report.format.kind_of(ref) == "money" else str(value)


def test_title_headings_and_texts_in_order(report, tmp_path):
    document = export(report, tmp_path)
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].replace("\n", "") == report.title
    assert paragraphs[-1] == report.organ          # signed at the end, as the PDF
    headings = [s.heading for s in report.format.sections]
    positions = [paragraphs.index(h) for h in headings]
    assert positions == sorted(positions)
    for key, text in report.texts.items():
        for line in text.splitlines():
            if line.strip():
                assert line.strip() in paragraphs, f"{key}: {line[:20]}… missing"


def test_every_label_of_the_format_is_printed(report, tmp_path):
    text = all_text(export(report, tmp_path))
    for table in report.format.tables.values():
        for row in table.rows:
            for label in row.header_path + ((row.group,) if row.group else ()):
                assert label in text, label
        for col in table.columns.values():
            for label in col.path + (col.label,):
                assert label in text, label
            if col.unit:
                assert col.unit in column_heading(col)
        for extra in (table.corner, table.row_header):
            if extra:
                assert extra in text


def tc_texts(tr) -> list[str]:
    """One text per Word cell of a table line (a merged cell counts once)."""
    return ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst]


def test_every_number_is_in_its_row(report, tmp_path):
    """The numbers right of a row's label are that row's cells, in the format's order."""
    document = export(report, tmp_path)
    for key, table in report.format.tables.items():
        lines = [tc_texts(tr) for tr in table_of(document, report, key)._tbl.tr_lst]
        if table.layout == "wide":
            assert lines[-1] == [printed(report, ref) for ref in table.cells()]
            continue
        for row in table.rows:
            line = next(line for line in lines if row.label in line)
            if table.layout == "grid":
                expected = [printed(report, (key, row.key, c)) if c in row.columns else ""
                            for c in table.columns]
            else:
                expected = [printed(report, (key, row.key, c)) for c in row.columns]
            assert line[-len(expected):] == expected, f"{key}.{row.key}"
            assert line.index(row.label) + 1 + len(expected) == len(line) or \
                table.layout == "grid", f"{key}.{row.key}: stray cells"


def test_unit_the_official_label_lacks_is_a_second_line(tmp_path):
    """2019's 采购总金额 has no unit in the official table: the label stays, 万元 goes below."""
    document = export(read_file(ZUNHUADIAN), tmp_path)
    cell = next(c for t in document.tables for r in t.rows for c in r.cells
                if c.text.startswith("采购总金额"))
    assert cell.text == "采购总金额\n（单位：万元）"


def test_money_is_printed_with_four_decimals(tmp_path):
    text = all_text(export(read_file(ZUNHUADIAN), tmp_path))
    assert "4.0930" in text          # 采购总金额 4.093 万元, padded, not rounded
    text = all_text(export(read_file(PINGTAN), tmp_path))
    assert "24252.311082" in text    # six decimals kept


def test_requests_headers_are_merged_like_the_official_table(report, tmp_path):
    table = table_of(export(report, tmp_path), report, "requests")
    assert span_of(table, "申请人情况") == (1, 7)
    assert span_of(table, "法人或其他组织") == (1, 5)
    assert span_of(table, "自然人") == (2, 1)
    assert span_of(table, "总计") == (2, 1)
    corner = report.format.tables["requests"].corner
    assert span_of(table, corner) == (3, 3)
    results = [r for r in report.format.tables["requests"].rows
               if r.path[:1] == ("三、本年度办理结果",)]
    assert span_of(table, "三、本年度办理结果") == (len(results), 1)
    assert span_of(table, "（三）不予公开") == (8, 1)
    assert span_of(table, "（四）无法提供") == (3, 1)
    assert span_of(table, "（五）不予处理") == (5, 1)
    assert span_of(table, "一、本年新收政府信息公开申请数量") == (1, 3)
    assert span_of(table, "（一）予以公开") == (1, 2)
    if report.version == "2021":
        assert span_of(table, "（六）其他处理") == (3, 1)
    # every line of the Word table has exactly 10 grid columns
    assert len(table.columns) == 10


def test_appeals_is_one_wide_table_with_grouped_header(report, tmp_path):
    table = table_of(export(report, tmp_path), report, "appeals")
    assert span_of(table, "行政复议") == (1, 5)
    assert span_of(table, "行政诉讼") == (1, 10)
    assert span_of(table, "未经复议直接起诉") == (1, 5)
    assert span_of(table, "复议后起诉") == (1, 5)
    assert len(table.rows) == 4 and len(table.columns) == 15


def test_active_blocks_repeat_the_column_labels_under_each_group(report, tmp_path):
    table = table_of(export(report, tmp_path), report, "active")
    fmt_table = report.format.tables["active"]
    groups = list(dict.fromkeys(r.group for r in fmt_table.rows))
    cells = spans(table)
    for group in groups:
        assert (group, 1, len(table.columns)) in [(t, rs, cs) for t, _, _, rs, cs in cells]
    assert sum(t == "信息内容" for t, *_ in cells) == len(groups)


def test_fonts_and_paper(tmp_path):
    document = export(read_file(ZUNHUADIAN), tmp_path)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297

    def east_asia(paragraph) -> set[str]:
        """The East Asian font Word uses for each run: the run's own, else its style's."""
        return {effective(r._r.rPr, paragraph.style) for r in paragraph.runs}

    def effective(rpr, style) -> str | None:
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
        while style is not None:
            srpr = style.element.rPr
            if srpr is not None and srpr.rFonts is not None:
                return srpr.rFonts.get(qn("w:eastAsia"))
            style = style.base_style
        return None

    by_text = {p.text: p for p in document.paragraphs}
    assert east_asia(document.paragraphs[0]) == {"方正小标宋简体"}       # style.toml's 小标宋
    assert east_asia(by_text["二、主动公开政府信息情况"]) == {"黑体"}
    body = next(p for p in document.paragraphs if p.text.startswith("我镇坚持"))
    assert east_asia(body) == {"仿宋"}
    cell = document.tables[0].rows[1].cells[0].paragraphs[0]
    assert east_asia(cell) == {"宋体"}
    assert all(s.name.startswith("年报") for s in (body.style, cell.style))


def test_label_lines_stay_with_their_numbers(tmp_path):
    """A block's 第二十条… line and its 信息内容 line never end a page alone: keep-with-next
    on exactly those lines; no table line breaks across pages."""
    report = read_file(ZUNHUADIAN)
    table = table_of(export(report, tmp_path), report, "active")
    for tr in table._tbl.tr_lst:
        texts = tc_texts(tr)
        keep = all(p.pPr is not None and p.pPr.keepNext_val for p in tr.iter(qn("w:p")))
        heading_line = texts[0].startswith("第二十条") or texts[0] == "信息内容"
        assert keep == heading_line, texts
        assert tr.trPr.find(qn("w:cantSplit")) is not None


def test_blank_report_exports_with_empty_cells(tmp_path):
    report = Report.blank("某某镇人民政府", 2025)
    document = export(report, tmp_path)
    text = all_text(document)
    assert "None" not in text
    table = table_of(document, report, "requests")
    assert [c.text for c in table.rows[3].cells][3:] == [""] * 7


def test_date_is_signed_in_chinese(tmp_path):
    import datetime as dt
    report = read_file(ZUNHUADIAN)
    report.date = dt.date(2021, 1, 5)
    paragraphs = [p.text for p in export(report, tmp_path).paragraphs if p.text.strip()]
    assert paragraphs[-2:] == [report.organ, "2021年1月5日"]


def watermarks(document) -> list[str]:
    """The text of the draft marks (VML text shapes) in each header of the first section."""
    section = document.sections[0]
    out = []
    for header in (section.header, section.even_page_header):
        out += [el.get("string") for el in header._element.iter("{urn:schemas-microsoft-com:vml}textpath")
                if el.get("string")]
    return out


def test_draft_is_marked_on_every_page_with_the_pdfs_mark(tmp_path):
    from app.pdf.style import load_style

    out = tmp_path / "草稿.docx"
    export_docx(read_file(ZUNHUADIAN), out, draft=True)
    assert watermarks(docx.Document(str(out))) == [load_style().draft_mark] * 2   # odd and even pages
    export_docx(read_file(ZUNHUADIAN), out)
    assert watermarks(docx.Document(str(out))) == []


def test_page_numbers_gbt_9704_odd_right_even_left(tmp_path):
    document = export(read_file(ZUNHUADIAN), tmp_path)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.text == "— 1 —" and " PAGE " in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.paragraph_format.alignment == {"right": 2, "left": 0}[align]
        assert p.style.font.size.pt == 14                                  # 四号
        assert (p.paragraph_format.right_indent if align == "right"
                else p.paragraph_format.left_indent).pt == 14               # one character in
    # the number's line (exactly 14 pt) starts 7 mm below the 35 mm bottom margin
    top_of_number_mm = section.footer_distance.mm + 14 * 25.4 / 72
    assert round(section.bottom_margin.mm, 1) == 35.0
    assert abs(35 - top_of_number_mm - 7) < 0.1


def test_document_grid_22_lines_of_28_characters(tmp_path):
    document = export(read_file(ZUNHUADIAN), tmp_path)
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch"))) / 20                          # twips → pt
    block = (297 - 37 - 35) * 72 / 25.4
    assert int(block // pitch) == 22 and 28.9 <= pitch <= 29.0
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    width = (210 - 28 - 26) * 72 / 25.4
    assert round(width / char_pitch, 2) == 28.0
    body = next(p for p in document.paragraphs if p.text.startswith("我镇坚持"))
    line = body.style.paragraph_format.line_spacing.pt
    assert 22 * line <= block < 23 * line and 28.9 <= line <= 29.0      # exact, on the grid
    spacing = int(body.style.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + spacing) <= width < 29 * (16 + spacing)            # 28 characters a line


def test_core_properties_are_honest(tmp_path):
    import datetime as dt
    import zipfile

    report = read_file(ZUNHUADIAN)
    out = tmp_path / "r.docx"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    export_docx(report, out)
    props = docx.Document(str(out)).core_properties
    assert props.title == report.title and props.author == report.organ
    created = props.created.replace(tzinfo=dt.UTC)
    assert before - dt.timedelta(seconds=1) <= created <= dt.datetime.now(dt.UTC)
    assert props.modified == props.created
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        meta = z.read("docProps/core.xml").decode() + z.read("docProps/app.xml").decode()
    assert "<Application>nianbao" in meta
    for leftover in ("python-docx", "Macintosh", "2013"):
        assert leftover not in meta
    assert not any("thumbnail" in n for n in names)


def test_label_columns_fit_their_group_labels(tmp_path):
    """（三）不予公开 prints as （三） / 不予公开: its column holds 不予公开 on one line."""
    report = read_file(ZUNHUADIAN)
    table = table_of(export(report, tmp_path), report, "requests")
    cols = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert sum(cols) == pytest.approx((210 - 28 - 26) * 72 / 25.4, abs=1)
    margin = int(table._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left")).get(qn("w:w"))) / 20
    assert cols[1] - 2 * margin >= 4 * 10                   # 不予公开: four 10 pt characters
    cell = next(t for t, *_ in spans(table) if t.startswith("（三）"))
    assert cell == "（三）不予公开"
    tc = next(tc for tc in table._tbl.iter(qn("w:tc"))
              if "".join(t.text for t in tc.iter(qn("w:t"))) == "（三）不予公开")
    assert [t.text for t in tc.iter(qn("w:t"))] == ["（三）", "不予公开"]
    assert len(list(tc.iter(qn("w:br")))) == 1


def test_cli_exports_docx(tmp_path):
    """``nianbao export r.json -o out.docx`` writes the Word file (exit 0)."""
    out = tmp_path / "年报.docx"
    result = run_nianbao("export", str(ZUNHUADIAN), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已导出" in result.stdout
    text = all_text(docx.Document(str(out)))
    assert "4.0930" in text and "政府集中采购" in text


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    out = tmp_path / "r.docx"
    out.write_bytes(b"earlier export")

    def broken_save(self, path):
        Path(path).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(DocxExportError, match="无法写入.*磁盘已满"):
        export_docx(read_file(ZUNHUADIAN), out)
    assert out.read_bytes() == b"earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_missing_folder_is_said_in_chinese(tmp_path):
    with pytest.raises(DocxExportError, match="文件夹不存在"):
        export_docx(read_file(ZUNHUADIAN), tmp_path / "没有这个文件夹" / "r.docx")


def test_file_open_in_word_is_said_in_chinese(tmp_path, monkeypatch):
    """On Windows a .docx open in Word cannot be replaced: PermissionError."""
    out = tmp_path / "r.docx"
    out.write_bytes(b"open in Word")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("app.docx_export.os.replace", refuse)
    with pytest.raises(DocxExportError, match="正被其他程序使用"):
        export_docx(read_file(ZUNHUADIAN), out)
    assert out.read_bytes() == b"open in Word"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_importing_the_docx_gives_back_the_same_report(report, tmp_path):
    """The district can read our Word file back (nianbao import): same numbers, same texts."""
    from app.importer import import_file
    out = tmp_path / "r.docx"
    export_docx(report, out)
    back = import_file(out).report
    assert (back.organ, back.year, back.version) == (report.organ, report.year, report.version)
    assert back.cells == report.cells
    assert back.texts == report.texts


def test_new_file_is_readable_like_any_other(tmp_path):
    out = tmp_path / "new.docx"
    export_docx(read_file(ZUNHUADIAN), out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_changed_number_shows_in_the_docx(tmp_path):
    """Guards against a writer that prints something fixed instead of the report."""
    report = read_file(ZUNHUADIAN)
    report.cells[("requests", "new", "natural")] = 37
    report.cells[("active", "procurement", "amount")] = Decimal("12.5")
    document = export(report, tmp_path)
    table = table_of(document, report, "requests")
    assert [c.text for c in table.rows[3].cells][3] == "37"
    assert "12.5000" in all_text(document)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_renders_the_same_tables(tmp_path):
    """LibreOffice converts the .docx to a PDF that shows every label and number."""
    report = read_file(ZUNHUADIAN)
    export_docx(report, tmp_path / "r.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                          check=True, capture_output=True, encoding="utf-8").stdout
    squeezed = "".join(text.split())
    for label in ("二、主动公开政府信息情况", "本年新制作数量", "政府集中采购",
                  "三、收到和处理政府信息公开申请情况", "行政复议", "复议后起诉"):
        assert label in squeezed, label
    assert "4.0930" in squeezed
    assert report.title in squeezed
    # the 22 × 28 grid holds in LibreOffice too: full body lines of 28 characters, on a 28.95 pt pitch
    from collections import Counter

    from pdf_layout import read_pages
    pages = read_pages(tmp_path / "r.pdf")
    lines = [ln for p in pages for ln in p.body() if 15.5 < ln.size < 16.5 and len(ln.text) >= 20
             and all(abs(c.x1 - c.x0 - c.size) < 0.5 for c in ln.chars)]      # full-width only
    counts = Counter(len(ln.text) for ln in lines)
    assert counts.most_common(1)[0][0] == 28, counts
    # LibreOffice hangs a closing comma into the margin (Word does not: overflowPunct off)
    assert all(len(ln.text) <= 28 for ln in lines if ln.x1 <= (210 - 26 + 0.5) * 72 / 25.4), counts
    steps = {round(a.baseline - b.baseline, 1) for p in pages for a, b in zip(p.body(), p.body()[1:])
             if a.size == b.size == 16}
    assert 29.0 in steps or 28.9 in steps, steps


def test_tables_break_where_the_pdf_breaks_and_repeat_group_labels(tmp_path):
    """平潭's 三 table runs onto a second page in the PDF: in Word it is cut before the same
    row, the second part begins a page and repeats the header rows and the cut group
    labels (三、本年度办理结果, （六）其他处理), as the PDF does."""
    from app.pdf import table_breaks
    from app.table_layout import table_grid

    report = read_file(PINGTAN)
    (cut,) = table_breaks(report)["requests"]
    document = export(report, tmp_path, whole=False)
    keys = [s.table for s in report.format.sections if s.table]
    parts = list(document.tables)
    assert len(parts) == len(keys) + sum(len(v) for v in table_breaks(report).values())
    index = keys.index("requests") + len(table_breaks(report)["active"])
    first, second = parts[index], parts[index + 1]
    grid = table_grid(report.format.tables["requests"], report.cells)
    header = grid.header_rows
    assert len(first.rows) == cut and len(second.rows) == header + grid.n_rows - cut
    first_row = second._tbl.tr_lst[0]
    assert all(p.pPr is not None and p.pPr.pageBreakBefore_val for p in first_row.iter(qn("w:p")))
    assert all(tr.trPr.find(qn("w:tblHeader")) is not None for tr in second._tbl.tr_lst[:header])
    labels = {t for t, *_ in spans(second)}
    assert "三、本年度办理结果" in labels and "申请人情况" in labels
    cut_group = grid.cells[cut][1] or next(grid.cells[r][1] for r in range(cut, header, -1)
                                           if grid.cells[r][1] is not None)
    assert "".join(cut_group.text.split()) in {"".join(t.split()) for t in labels}
