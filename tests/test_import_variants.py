"""Reports the importer has never seen: other templates, broken labels, split tables,
blanks, amounts in 元, Word files, text without cell boundaries."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from app.importer import ImportFailure, import_bytes, import_file
from app.rules import validate
from tests.factories import consistent_report
from tests.report_pages import render_docx, render_html, render_text


@pytest.fixture(params=["2019", "2021"])
def report(request):
    r = consistent_report(request.param, random.Random(7))
    r.organ = "某某县某某镇人民政府"
    return r


def imported(data: bytes, suffix: str):
    result = import_bytes(data, suffix)
    return result.report, result.problems


def test_html_round_trip_gives_every_number(report):
    got, problems = imported(render_html(report), ".html")
    assert problems == []
    assert got.cells == report.cells
    assert got.texts == report.texts
    assert (got.organ, got.year, got.version) == (report.organ, report.year, report.version)


def test_half_width_brackets_and_spaces_in_labels(report):
    def bend(label: str) -> str:
        return " ".join(label.replace("（", "(").replace("）", ")"))
    got, problems = imported(render_html(report, label=bend), ".html")
    assert problems == []
    assert got.cells == report.cells


def test_labels_broken_by_line_breaks(report):
    def bend(label: str) -> str:
        mid = len(label) // 2
        return label[:mid] + "<br/>\n" + label[mid:]
    got, problems = imported(render_html(report, label=bend, bend_headings=False), ".html")
    assert problems == []
    assert got.cells == report.cells


def test_table_split_in_two_with_header_repeated(report):
    got, problems = imported(render_html(report, split_requests_at=9), ".html")
    assert problems == []
    assert got.cells == report.cells


def test_gbk_encoded_page(report):
    page = render_html(report).decode("utf-8").replace("charset='utf-8'", "charset='gbk'")
    got, problems = imported(page.encode("gbk"), ".html")
    assert got.cells == report.cells


def test_blank_cell_stays_empty_and_is_reported(report):
    ref = ("requests", "granted", "natural")
    page = render_html(report, value=lambda r, v: "" if r == ref else _plain(v))
    got, problems = imported(page, ".html")
    assert got.cells[ref] is None
    assert problems == ["第三部分 予以公开行：自然人为空白或无法读取"]
    others = {k: v for k, v in got.cells.items() if k != ref}
    assert others == {k: v for k, v in report.cells.items() if k != ref}


def test_unreadable_cell_is_reported_not_guessed(report):
    ref = ("appeals", "reconsideration", "upheld")
    page = render_html(report, value=lambda r, v: "若干" if r == ref else _plain(v))
    got, problems = imported(page, ".html")
    assert got.cells[ref] is None
    assert any("行政复议" in p and "若干" in p for p in problems)


def test_amount_in_yuan_is_converted_exactly_with_a_note():
    report = consistent_report("2021", random.Random(3))
    ref = ("active", "fees", "amount")
    page = render_html(report, value=lambda r, v: "75394432.52元" if r == ref else _plain(v))
    got, problems = imported(page, ".html")
    assert got.cells[ref] == Decimal("7539.443252")
    assert problems == ["提示：第二部分 行政事业性收费行 本年收费金额列以元为单位（75394432.52元），"
                        "已换算为 7539.443252 万元"]


def test_header_in_yuan_converts_the_amount():
    report = consistent_report("2021", random.Random(3))
    ref = ("active", "fees", "amount")
    page = render_html(report, value=lambda r, v: "12345" if r == ref else _plain(v),
                       label=lambda s: s.replace("单位：万元", "单位：元"))
    got, _ = imported(page, ".html")
    assert got.cells[ref] == Decimal("1.2345")


def test_printed_wrong_total_is_kept_and_flagged():
    report = consistent_report("2021", random.Random(5))
    ref = ("requests", "total", "total")
    printed = report.cells[ref] + 17
    page = render_html(report, value=lambda r, v: str(printed) if r == ref else _plain(v))
    got, problems = imported(page, ".html")
    assert problems == []
    assert got.cells[ref] == printed
    rules = {f.rule for f in validate(got) if f.severity == "error"}
    assert {"requests.row_total", "requests.results_total", "requests.balance"} <= rules


def test_tab_separated_text(report):
    got, problems = imported(render_text(report), ".txt")
    assert problems == []
    assert got.cells == report.cells
    assert got.texts == report.texts


def test_text_with_one_cell_per_line(report):
    got, problems = imported(render_text(report, one_cell_per_line=True), ".txt")
    assert problems == []
    assert got.cells == report.cells


def test_text_that_lost_its_cell_boundaries_is_refused_for_that_table(report):
    text = render_text(report).decode("utf-8")
    lines = text.split("\n")
    active = report.format.tables["active"]
    glued = []
    for line in lines:
        cells = line.split("\t")
        if cells[0] in {r.label for r in active.rows}:
            line = "".join(cells)
        glued.append(line)
    got, problems = imported("\n".join(glued).encode("utf-8"), ".txt")
    assert all(got.cells[ref] is None for ref in active.cells())
    assert len(problems) == 1
    assert "二、主动公开政府信息情况：表格的文字丢失了单元格之间的分隔" in problems[0]
    assert "无法判断数字之间的分界，这张表未导入" in problems[0]
    for table in ("requests", "appeals"):  # the other tables are still read
        refs = list(report.format.tables[table].cells())
        assert [got.cells[r] for r in refs] == [report.cells[r] for r in refs]


def test_row_with_missing_numbers_in_text_is_not_guessed(report):
    row = report.format.tables["requests"].row("granted")
    lines = []
    for line in render_text(report).decode("utf-8").split("\n"):
        cells = line.split("\t")
        lines.append("\t".join(cells[:-1]) if row.label in cells else line)
    got, problems = imported("\n".join(lines).encode("utf-8"), ".txt")
    assert all(got.cells[("requests", "granted", c)] is None for c in row.columns)
    assert any(p.startswith("第三部分 予以公开行：读到 6 个数字") and "应有 7 个" in p for p in problems)


def test_docx(report, tmp_path):
    path = tmp_path / "report.docx"
    render_docx(report, path)
    result = import_file(path)
    assert result.problems == []
    assert result.report.cells == report.cells
    assert result.report.texts == report.texts


def test_not_a_docx(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ImportFailure, match="不是有效的 Word"):
        import_file(path)


def test_format_version_comes_from_the_labels():
    """A 2019-format report labelled as year 2021 stays 2019 format; the validator says so."""
    report = consistent_report("2019", random.Random(2))
    report.year = 2021
    got, _ = imported(render_html(report), ".html")
    assert got.version == "2019"
    assert any(f.rule == "header" for f in validate(got))


def _plain(v) -> str:
    from tests.report_pages import cell_text
    return cell_text(v)


@pytest.mark.parametrize("seed", range(30))
def test_damaged_files_never_crash(seed):
    """Truncated, corrupted or shuffled files give a report with problems or a clear refusal."""
    from tests.conftest import REPORTS
    rng = random.Random(seed)
    name, suffix = [("2021-pingtan-zone.html", ".html"), ("2020-zunhuadian-town.txt", ".txt")][seed % 2]
    data = bytearray((REPORTS / name).read_bytes())
    if seed % 3 == 0:
        data = data[:rng.randrange(len(data))]
    elif seed % 3 == 1:
        for _ in range(40):
            data[rng.randrange(len(data))] = rng.randrange(256)
    else:
        lines = bytes(data).split(b"\n")
        rng.shuffle(lines)
        data = bytearray(b"\n".join(lines))
    try:
        result = import_bytes(bytes(data), suffix)
    except ImportFailure as exc:
        assert str(exc)
    else:
        assert all(isinstance(p, str) and p for p in result.problems)


def test_blank_cell_in_the_wide_appeals_table_is_placed_by_its_header(report):
    ref = ("appeals", "litigation_direct", "corrected")
    page = render_html(report, value=lambda r, v: "" if r == ref else _plain(v))
    got, problems = imported(page, ".html")
    assert got.cells[ref] is None
    assert problems == ["第四部分 行政诉讼（未经复议直接起诉）行：结果纠正为空白或无法读取"]
    assert {k: v for k, v in got.cells.items() if k != ref} == \
           {k: v for k, v in report.cells.items() if k != ref}


def test_signature_at_the_end_becomes_the_date():
    import datetime as dt
    report = consistent_report("2021", random.Random(9))
    report.organ = "某某镇人民政府"
    text = render_text(report).decode("utf-8") + "\n\n某某镇人民政府\n2022年1月18日\n"
    got, _ = imported(text.encode("utf-8"), ".txt")
    assert got.texts["other"] == report.texts["other"]
    assert got.date == dt.date(2022, 1, 18)


@pytest.mark.parametrize("title,organ,year", [
    ("某某镇人民政府2021年政府信息公开工作年度报告", "某某镇人民政府", 2021),
    ("某某镇人民政府2021年度政府信息公开工作年度报告", "某某镇人民政府", 2021),
    ("某某镇人民政府政府信息公开工作2021年度报告", "某某镇人民政府", 2021),
    ("某某镇人民政府\n2021年政府信息公开工作年度报告", "某某镇人民政府", 2021),
    ("某 某 镇 人 民 政 府 2021 年政府信息公开工作年度报告", "某某镇人民政府", 2021),
])
def test_organ_and_year_from_the_title(title, organ, year):
    report = consistent_report("2021", random.Random(9))
    lines = render_text(report).decode("utf-8").split("\n")
    lines[0] = title
    got, problems = imported("\n".join(lines).encode("utf-8"), ".txt")
    assert (got.organ, got.year) == (organ, year)
    assert problems == []


def test_a_note_under_a_table_is_not_taken_for_a_glued_row():
    report = consistent_report("2021", random.Random(9))
    lines = render_text(report).decode("utf-8").split("\n")
    at = lines.index("三、收到和处理政府信息公开申请情况")
    lines.insert(at, "注：行政许可2293件均已在网站公开。")
    got, problems = imported("\n".join(lines).encode("utf-8"), ".txt")
    assert problems == []
    assert got.cells == report.cells


def test_page_laid_out_with_tables(report):
    """Old government sites put the whole page in a layout table: menu cell, article cell."""
    page = render_html(report).decode("utf-8")
    head, body = page.split("<body>", 1)
    body = body.replace("</body></html>", "")
    framed = (f"{head}<body><table width=100%><tr><td colspan=2>某某镇人民政府网站 首页 政务公开</td></tr>"
              f"<tr><td width=200><p>栏目导航</p><p>政府信息公开年报</p></td><td>{body}</td></tr>"
              "<tr><td colspan=2>版权所有 2024</td></tr></table></body></html>")
    got, problems = imported(framed.encode("utf-8"), ".html")
    assert problems == []
    assert got.cells == report.cells
    assert got.texts == report.texts
    assert got.organ == report.organ


def test_article_framed_in_a_one_cell_table_without_inner_tables():
    """A long text in a cell is prose, not a table cell: its paragraphs are read."""
    report = consistent_report("2021", random.Random(9))
    report.texts["overview"] = "本年度我镇认真贯彻落实政府信息公开条例。" * 20
    page = render_html(report).decode("utf-8")
    start = page.index("<p><span style='mso-x:1'>一、总体情况")
    end = page.index("<p><span style='mso-x:1'>二、")
    framed = page[:start] + "<table><tr><td>" + page[start:end] + "</td></tr></table>" + page[end:]
    got, problems = imported(framed.encode("utf-8"), ".html")
    assert got.texts["overview"] == report.texts["overview"]
    assert got.cells == report.cells


def test_a_document_with_one_matching_heading_is_no_report():
    text = "某某镇2024年政务公开工作要点\n一、总体情况\n今年要做好政务公开。\n二、工作安排\n按月推进。\n"
    with pytest.raises(ImportFailure, match="不是政府信息公开工作年度报告"):
        import_bytes(text.encode("utf-8"), ".txt")


def test_single_file_saved_page_mhtml(report, tmp_path):
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    msg = MIMEMultipart("related")
    msg.attach(MIMEText(render_html(report).decode("utf-8"), "html", "gb18030"))
    path = tmp_path / "report.mhtml"
    path.write_bytes(msg.as_bytes())
    result = import_file(path)
    assert result.problems == []
    assert result.report.cells == report.cells


def test_a_row_printed_twice_with_other_numbers_leaves_the_cell_empty_and_shows_both():
    """Two readings that disagree: never keep the first, show both."""
    report = consistent_report("2021", random.Random(9))
    lines = render_text(report).decode("utf-8").split("\n")
    row = report.format.tables["requests"].row("granted")
    at = next(i for i, line in enumerate(lines) if row.label in line.split("\t"))
    cells = lines[at].split("\t")
    cells[-7] = str(int(cells[-7]) + 1)
    lines.insert(at + 1, "\t".join(cells))
    got, problems = imported("\n".join(lines).encode("utf-8"), ".txt")
    ref = ("requests", "granted", "natural")
    assert got.cells[ref] is None
    assert {k: v for k, v in got.cells.items() if k != ref} == {k: v for k, v in report.cells.items() if k != ref}
    first = report.cells[ref]
    assert problems == [f"第三部分 予以公开行 自然人列：表格中出现两次且数字不同（{first} 与 {first + 1}），"
                        "无法确定哪个是对的，未导入，请对照原件填写"]


@pytest.mark.parametrize("style", ["{n}．{t}", "第{n}部分 {t}", "{n}、 {t}", "{n}、因{t}"])
def test_section_headings_printed_differently(style):
    report = consistent_report("2021", random.Random(9))
    lines = render_text(report).decode("utf-8").split("\n")
    for section in report.format.sections:
        at = lines.index(section.heading)
        lines[at] = style.format(n=section.number, t=section.title)
    got, problems = imported("\n".join(lines).encode("utf-8"), ".txt")
    assert problems == []
    assert got.texts == report.texts and got.cells == report.cells


def test_headings_without_their_number_as_with_word_automatic_numbering():
    report = consistent_report("2019", random.Random(9))
    lines = render_text(report).decode("utf-8").split("\n")
    for section in report.format.sections:
        lines[lines.index(section.heading)] = section.title
    got, problems = imported("\n".join(lines).encode("utf-8"), ".txt")
    assert problems == []
    assert got.texts == report.texts and got.cells == report.cells


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_text_saved_by_windows_notepad(encoding):
    report = consistent_report("2021", random.Random(9))
    text = render_text(report).decode("utf-8").replace("\n", "\r\n")
    got, problems = imported(text.encode(encoding), ".txt")
    assert problems == []
    assert got.cells == report.cells and got.texts == report.texts
