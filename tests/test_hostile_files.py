"""One bad file never stops the district's work: every damaged or hostile file is named
with a Chinese message, the good files beside it are still summed, and no traceback
reaches the user (a bug goes to the log file the message names). Each file is made here.
"""
from __future__ import annotations

import os
import sys
import time
from decimal import Decimal

import openpyxl
import pytest

import hostile_files as hf
from app import exchange
from app.aggregate.summing import read_entries
from app.cli import main
from app.crashlog import LOG_ENV
from app.importer import ImportFailure, import_bytes, import_file
from cli_helpers import run_nianbao

EXPANDED_MB = "64.9 MB"  # 64 MB of paragraphs and the styles of a Word file

BAD_FILES = {
    "malformed-xml.docx": (hf.malformed_xml_docx, "Word 文件已损坏：文档内容的 XML 有误（第 2 行）"),
    "corrupt-deflate.docx": (hf.corrupt_deflate_docx, "Word 文件已损坏（压缩数据无法解开）"),
    "bomb.docx": (hf.bomb_docx, f"Word 文件解压后有 {EXPANDED_MB}，超过上限 10 MB，不是年报"
                                "（年报的 Word 文件解压后通常不到 1 MB）"),
    "flate-bomb.pdf": (hf.flate_bomb_pdf, "PDF 中的数据解压后过大（超过 75 MB），不是 nianbao 导出的年报 PDF"
                                          "（年报数据通常只有几十 KB）。"),
    "lzw-bomb.pdf": (hf.lzw_bomb_pdf, "PDF 中的数据解压后过大（超过 75 MB），不是 nianbao 导出的年报 PDF"
                                      "（年报数据通常只有几十 KB）。"),
    "spans.html": (hf.spans_html, "网页中有一个表格展开后超过 5,000 格，不是年报的表格（年报的表格最多几百格）"),
    "huge-number.json": (None, "JSON 中有一个 5000 位的数字，不可能是年报中的数，不是年报数据文件"),
    "lone-surrogate.json": (None, "键 “organ” 处有无效的字符编码（单独的 UTF-16 代理项，如 \\ud800），"
                                  "不是合法的文字"),
    "money-29-digits.json": (None, "“tables.active.procurement.amount” 金额过大：整数部分最多 12 位（万元），"
                                   "实际为 字符串 “12345678901234567890123456789.…（共 31 个字）”"),
    "duplicate-key.json": (None, "键 “year” 出现了两次，不知道该用哪一个：请删去多余的一个"),
    "control-character.json": (None, "“organ” 中有控制字符（\\x01，第 4 个字），不是正常的文字"),
}


def make(tmp_path, name: str):
    maker = BAD_FILES[name][0]
    path = tmp_path / name
    if maker is None:
        path.write_text(hf.bad_json_files()[name], encoding="utf-8")
    else:
        path.write_bytes(maker())
    return path


def two_good_files(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(hf.ZUNHUADIAN_JSON.read_bytes())
    b.write_text(hf.renamed_copy(hf.ZUNHUADIAN_JSON, "某某乡人民政府"), encoding="utf-8")
    return a, b


@pytest.mark.parametrize("name", BAD_FILES)
def test_one_bad_file_is_named_and_the_good_ones_are_summed(tmp_path, name):
    a, b = two_good_files(tmp_path)
    bad = make(tmp_path, name)
    out = tmp_path / "sum.json"
    started = time.monotonic()
    res = run_nianbao("aggregate", str(a), str(bad), str(b), "-o", str(out))
    assert time.monotonic() - started < 60
    assert res.returncode == 1, res.stderr
    lines = [line.strip() for line in res.stdout.splitlines()]     # the file list may be indented
    assert f"✗ {name}：无法读取，未计入汇总——{BAD_FILES[name][1]}" in lines
    assert "已汇总 2 份报告（2020 年度，2019 版格式）" in res.stdout
    assert "Traceback" not in res.stdout + res.stderr
    total = exchange.read_file(out)
    assert total.cells[("active", "procurement", "amount")] == Decimal("8.186")   # 4.093 × 2
    assert total.cells[("active", "procurement", "projects")] == 24                 # 12 × 2


@pytest.mark.parametrize("name", [n for n in BAD_FILES if n.endswith(".json")])
def test_validate_and_export_refuse_a_bad_json_with_its_message(tmp_path, name):
    bad = make(tmp_path, name)
    for command in (["validate", str(bad)], ["export", str(bad), "-o", str(tmp_path / "x.pdf")]):
        res = run_nianbao(*command)
        assert res.returncode == 2
        assert res.stderr == f"nianbao：{bad}：{BAD_FILES[name][1]}\n"
    assert not (tmp_path / "x.pdf").exists()


def test_a_number_of_5000_digits_in_text_leaves_the_cell_empty_and_says_so(tmp_path):
    page = tmp_path / "report.txt"
    page.write_text(hf.report_txt().replace("\t12\t4.093", "\t" + "9" * 5000 + "\t4.093"),
                    encoding="utf-8")
    out = tmp_path / "out.json"
    res = run_nianbao("import", str(page), "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert ("  第二部分 政府集中采购行 采购项目数量列：“999999999999999999999999999999…（共 5000 个字）”"
            "位数太多：数量最多 12 位，未导入") in res.stdout.splitlines()
    report = exchange.read_file(out)
    assert report.cells[("active", "procurement", "projects")] is None
    assert report.cells[("active", "procurement", "amount")] == Decimal("4.093")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_reads_like_utf8(tmp_path, encoding):
    page = tmp_path / "report.txt"
    page.write_bytes(hf.report_txt().encode(encoding))
    assert not page.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    expected = import_bytes(hf.report_txt().encode("utf-8"), ".txt")
    got = import_file(page)
    assert exchange.dumps(got.report) == exchange.dumps(expected.report)
    assert got.problems == expected.problems


def test_control_characters_reach_a_spreadsheet_visibly(tmp_path):
    """A control character cannot be stored in .xlsx (openpyxl refused the whole file):
    the organ given on the command line is written with it shown as ``\\x01``."""
    a, b = two_good_files(tmp_path)
    out = tmp_path / "sum.xlsx"
    res = run_nianbao("aggregate", str(a), str(b), "-o", str(out), "--organ", "某\x01区")
    assert res.returncode == 0, res.stderr
    sheet = openpyxl.load_workbook(out).worksheets[0]                   # 二、主动公开…
    totals = [c.value for c in sheet[sheet.max_row]]
    assert totals[0] == "某\\x01区" and totals[-1] == "合计"
    assert sheet.oddHeader.center.text.startswith("某\\x01区")              # the printed page's title


def test_control_characters_in_a_page_are_dropped_as_a_browser_does():
    text = hf.report_txt().replace("遵化店镇2020年", "遵化\x01店\x0b镇2020年", 1)
    assert import_bytes(text.encode(), ".txt").report.organ == "平顶山高新技术产业开发区遵化店镇"


def test_import_refuses_to_write_what_validate_would_refuse(tmp_path, monkeypatch):
    report = exchange.read_file(hf.ZUNHUADIAN_JSON)
    report.organ = "某\ud800镇"
    with pytest.raises(exchange.ExchangeError) as caught:
        exchange.write_file(report, tmp_path / "x.json")
    assert str(caught.value) == ("键 “organ” 处有无效的字符编码（单独的 UTF-16 代理项，如 \\ud800），"
                                 "不是合法的文字：这样的数据写成文件后无法再读取，没有写入")
    assert not (tmp_path / "x.json").exists()


# ------------------------------------------------------------------ bugs go to the log
def test_a_file_that_trips_a_bug_is_listed_with_the_log_file(tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "logs"))
    a, b = two_good_files(tmp_path)

    def reader(path):
        if path.name == "boom.json":
            raise IndexError("list index out of range")
        return import_file(path)
    entries = read_entries([a, tmp_path / "boom.json", b], reader)
    assert [e.report is not None for e in entries] == [True, False, True]
    [log] = (tmp_path / "logs").iterdir()
    assert entries[1].failure == (f"程序内部出错（IndexError），详细信息已记录在 {log}，"
                                  "请发给技术支持人员")
    details = log.read_text(encoding="utf-8")
    assert f"读取 {tmp_path / 'boom.json'}" in details and "Traceback" in details
    assert "IndexError: list index out of range" in details


def test_the_command_line_shows_no_traceback_for_a_bug(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "logs"))

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr("app.cli.report_cmds.validate", broken)
    assert main(["validate", str(hf.ZUNHUADIAN_JSON)]) == 2
    [log] = (tmp_path / "logs").iterdir()
    err = capsys.readouterr().err
    assert err == (f"nianbao：程序内部出错（ZeroDivisionError），详细信息已记录在 {log}，"
                   "请发给技术支持人员\n")
    assert f"nianbao validate {hf.ZUNHUADIAN_JSON}" in log.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
def test_a_pipe_among_the_files_is_named_and_skipped(tmp_path):
    a, b = two_good_files(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    entries = read_entries([a, fifo, b])
    assert entries[1].failure == "不是普通文件（是设备、管道或其他特殊文件），不能读取"
    assert entries[0].report and entries[2].report


def test_the_import_failure_class_is_what_readers_raise():
    with pytest.raises(ImportFailure):
        import_bytes(hf.bomb_docx(), ".docx")


def test_a_word_file_whose_main_part_is_no_document_is_refused():
    """Found by the fuzz run (seed 12): python-docx then has no body (AttributeError)."""
    renamed = hf.rezip(hf.good_docx(), lambda n, d: d.replace(b"<w:document ", b"<w:documenx ", 1)
                       .replace(b"</w:document>", b"</w:documenx>") if n == "word/document.xml" else d)
    with pytest.raises(ImportFailure) as caught:
        import_bytes(renamed, ".docx")
    assert str(caught.value) == "不是有效的 Word（.docx）文件：缺少文档正文"


def test_a_pdf_whose_data_has_an_unknown_filter_is_refused_in_chinese(tmp_path):
    """Found by the fuzz run (seed 2026): pypdf raised NotImplementedError."""
    import zlib
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(hf._pdf_with_attachment(b"/Filter /FlaxDecode", zlib.compress(b"{}")))
    with pytest.raises(ImportFailure) as caught:
        import_file(pdf)
    assert str(caught.value) == "PDF 中的数据使用了无法识别的压缩方式，无法读取其中的年报数据。"
