"""``nianbao export`` as a script or a clerk runs it: exit codes, messages, files."""
from __future__ import annotations

import json

from app.cli import main
from app.pdf import read_embedded_report
from conftest import ZUNHUADIAN_JSON
from pdf_helpers import pdftotext, squash


def broken_copy(tmp_path):
    data = json.loads(ZUNHUADIAN_JSON.read_text(encoding="utf-8"))
    data["tables"]["requests"]["new"]["natural"] = 3         # row total no longer adds up
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_export_pdf(tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["export", str(ZUNHUADIAN_JSON), "-o", str(out)]) == 0
    assert "已导出正式版" in capsys.readouterr().out
    assert read_embedded_report(out) == ZUNHUADIAN_JSON.read_bytes()


def test_export_to_folder_uses_default_name(tmp_path):
    assert main(["export", str(ZUNHUADIAN_JSON), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "平顶山高新技术产业开发区遵化店镇2020年政府信息公开工作年度报告.pdf").is_file()


def test_report_with_errors_refused_and_findings_printed(tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["export", str(broken_copy(tmp_path)), "-o", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "错误" in printed and "【申请情况合计（按行）】" in printed and "--draft" in printed
    assert not out.exists()


def test_draft_of_report_with_errors(tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["export", str(broken_copy(tmp_path)), "-o", str(out), "--draft"]) == 0
    assert "已导出草稿" in capsys.readouterr().out
    assert squash(pdftotext(out, 1)).startswith("草稿")


def test_bad_output_extension(tmp_path, capsys):
    assert main(["export", str(ZUNHUADIAN_JSON), "-o", str(tmp_path / "out.txt")]) == 2
    assert ".pdf 或 .docx" in capsys.readouterr().err


def test_bad_font_option(tmp_path, capsys):
    assert main(["export", str(ZUNHUADIAN_JSON), "-o", str(tmp_path / "o.pdf"), "--font", "comic=x.ttf"]) == 2
    assert "字体=文件" in capsys.readouterr().err


def test_unreadable_input(tmp_path, capsys):
    assert main(["export", str(tmp_path / "none.json"), "-o", str(tmp_path / "o.pdf")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_docx_is_dispatched_to_the_word_export(tmp_path):
    out = tmp_path / "o.docx"
    assert main(["export", str(ZUNHUADIAN_JSON), "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_export_then_import_gives_the_same_file(tmp_path):
    pdf, back = tmp_path / "out.pdf", tmp_path / "back.json"
    assert main(["export", str(ZUNHUADIAN_JSON), "-o", str(pdf)]) == 0
    assert main(["import", str(pdf), "-o", str(back)]) == 0
    assert back.read_bytes() == ZUNHUADIAN_JSON.read_bytes()


def foreign_pdf(tmp_path):
    """A PDF made by another program (no nianbao data inside)."""
    from reportlab.pdfgen import canvas

    other = tmp_path / "other.pdf"
    c = canvas.Canvas(str(other))
    c.drawString(100, 700, "hello")
    c.save()
    return other


def test_import_of_a_pdf_not_made_by_nianbao_that_is_no_report(tmp_path, capsys):
    other = foreign_pdf(tmp_path)
    assert main(["import", str(other), "-o", str(tmp_path / "x.json")]) == 2
    assert "不是政府信息公开工作年度报告" in capsys.readouterr().err


def test_import_refusals_name_the_file_once(tmp_path, capsys):
    """The command names the file as typed; the reasons below it never repeat it."""
    other = foreign_pdf(tmp_path)
    assert main(["import", str(other), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nianbao：{other}：没有找到") and err.count(str(other)) == 1
    text = tmp_path / "text.pdf"
    text.write_text("hello", encoding="utf-8")
    assert main(["import", str(text), "-o", str(tmp_path / "x.json")]) == 2
    assert capsys.readouterr().err == f"nianbao：{text}：不是 PDF 文件，无法从中导入年报。\n"
    for missing in (tmp_path / "none.pdf", tmp_path / "none.json", tmp_path / "none.html"):
        assert main(["import", str(missing), "-o", str(tmp_path / "x.json")]) == 2
        assert capsys.readouterr().err == f"nianbao：{missing}：找不到文件\n"
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert main(["import", str(folder), "-o", str(tmp_path / "x.json")]) == 2
    assert capsys.readouterr().err == f"nianbao：{folder}：这是一个文件夹，不是文件\n"
