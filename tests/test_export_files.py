"""Exported files (PDF and Word) on disk: permissions of an ordinary new file (not
tempfile's 0600, which hides a PDF copied to a shared folder from colleagues), the
permissions of a file they replace, and no temporary file left behind."""
from __future__ import annotations

import os
import sys

import pytest

from app import exchange
from app.docx_export import DocxExportError, export_docx
from app.export import ExportError, ReportHasErrors, export
from app.pdf import PdfError, export_pdf
from app.report import Report
from app.rules import validate
from cli_helpers import run_nianbao
from conftest import ZUNHUADIAN_JSON
from pdf_helpers import hide_face

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")

EXPORTS = {"pdf": export_pdf, "docx": export_docx}


@pytest.fixture(scope="module")
def report():
    return exchange.read_file(ZUNHUADIAN_JSON)


@pytest.fixture
def umask():
    """Set a umask for the test and restore the previous one."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_file_gets_the_mode_the_umask_gives(report, tmp_path, umask, kind, mask, mode):
    umask(mask)
    out = tmp_path / f"r.{kind}"
    EXPORTS[kind](report, out)
    assert out.stat().st_mode & 0o777 == mode
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("kind", EXPORTS)
def test_replaced_file_keeps_its_mode(report, tmp_path, umask, kind):
    out = tmp_path / f"r.{kind}"
    out.write_bytes(b"earlier export")
    out.chmod(0o604)
    EXPORTS[kind](report, out)
    assert out.stat().st_mode & 0o777 == 0o604
    assert out.read_bytes() != b"earlier export"


@pytest.mark.parametrize("kind, error", [("pdf", PdfError), ("docx", DocxExportError)])
def test_failed_write_leaves_the_earlier_file_and_no_temporary(report, tmp_path, monkeypatch,
                                                              kind, error):
    out = tmp_path / f"r.{kind}"
    out.write_bytes(b"earlier export")

    def no_room(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(error, match="无法写入.*：磁盘已满"):
        EXPORTS[kind](report, out)
    assert out.read_bytes() == b"earlier export"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# ------------------------------------------------------------------ the one export


@pytest.mark.parametrize("suffix, magic", [(".pdf", b"%PDF"), (".docx", b"PK")])
def test_export_picks_the_kind_by_suffix(report, tmp_path, suffix, magic):
    done = export(report, tmp_path / f"r{suffix.upper()}")
    assert done.path.read_bytes()[:len(magic)] == magic
    assert done.kind == {".pdf": "PDF", ".docx": "Word"}[suffix]


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_final_export_with_errors_is_refused_for_pdf_and_word(report, tmp_path, suffix):
    broken = report.copy()
    broken.cells[("requests", "new", "total")] = 5          # breaks the row total
    out = tmp_path / f"x{suffix}"
    with pytest.raises(ReportHasErrors) as exc:
        export(broken, out)
    assert "不能导出正式报告" in str(exc.value) and exc.value.findings
    assert not out.exists()
    assert export(broken, out, draft=True).errors >= 1 and out.exists()


def test_unknown_suffix_is_refused(report, tmp_path):
    with pytest.raises(ExportError, match=r"\.pdf 或 \.docx"):
        export(report, tmp_path / "r.txt")


def test_empty_report_as_draft_counts_its_errors_and_warnings(tmp_path):
    """An empty report has dozens of errors; the message says how many, not only the
    warnings."""
    empty = Report.blank("某某镇人民政府", 2021)
    source = tmp_path / "empty.json"
    exchange.write_file(empty, source)
    result = run_nianbao("export", str(source), "--draft", "-o", str(tmp_path / "e.pdf"))
    findings = validate(empty)
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    assert n_err > 10
    assert result.returncode == 0, result.stderr
    assert f"{n_err} 个错误" in result.stdout
    assert (f"{n_warn} 个警告" in result.stdout) == bool(n_warn)


# ------------------------------------------------------------------ stand-in faces
def test_cli_says_once_which_face_stands_in_and_how_to_install_it(report, tmp_path, monkeypatch, capsys):
    from app.cli import main

    hide_face(monkeypatch, "fangsong")
    source = tmp_path / "r.json"
    exchange.write_file(report, source)
    assert main(["export", str(source), "-o", str(tmp_path / "r.pdf")]) == 0
    out = capsys.readouterr().out
    assert out.count("本机没有仿宋字体") == 1
    line = next(x for x in out.splitlines() if "本机没有仿宋字体" in x)
    assert "正文" in line and "落款" in line and "代替" in line and "simfang.ttf" in line
