"""Exported files (PDF and Word) on disk: permissions of an ordinary new file (not
tempfile's 0600, which hides a PDF copied to a shared folder from colleagues), the
permissions of a file they replace, and no temporary file left behind."""
from __future__ import annotations

import os
import sys

import pytest

from app import exchange
from app.docx_export import DocxExportError, export_docx
from app.pdf import PdfError, export_pdf
from conftest import ZUNHUADIAN_JSON

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
