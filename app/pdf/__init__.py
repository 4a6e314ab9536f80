"""The PDF the district office receives: ``export_pdf`` writes it, ``read_embedded_report``
takes the report's data back out of it.

Whether a final PDF may be written at all is decided by ``app.export`` (the one export
the CLI, the window and aggregate use); a draft carries a 草稿 watermark on every page.
The file is written to a temporary name and moved into place, so a failed export never
leaves a half-written PDF behind.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from app.filenames import safe_filename
from app.files import write_beside
from app.pdf.errors import FontError, NotNianbaoPdf, PdfError
from app.report import Report

__all__ = ["export_pdf", "render_pdf", "table_breaks", "read_embedded_report", "default_filename", "preload_fonts",
           "PdfError", "FontError", "NotNianbaoPdf", "ATTACHMENT_NAME"]


def __getattr__(name: str):
    """``read_embedded_report`` and ``ATTACHMENT_NAME`` load reportlab's PDF objects: only
    when asked (``nianbao import`` of a JSON file, Word export and the style data do not)."""
    if name in ("read_embedded_report", "ATTACHMENT_NAME"):
        from app.pdf import attachment
        return getattr(attachment, name)
    raise AttributeError(name)


def default_filename(report: Report) -> str:
    """``{organ}{year}年政府信息公开工作年度报告.pdf``, safe on Windows too."""
    return safe_filename(report.title, ".pdf")


def preload_fonts(fonts: Mapping[str, str] | None = None) -> None:
    """Find and parse the fonts every report uses (0.1–0.2 s), e.g. in a background
    thread when the program starts, so that the first export is as fast as later ones.
    Raises ``FontError`` when no usable font is installed (worth telling the user early)."""
    from app.pdf.fonts import discover
    from app.pdf.style import load_style

    font_set = discover(load_style(), fonts)
    for role in ("title", "heading", "body", "table", "page_number"):
        font_set.for_role(role)


def render_pdf(report: Report, *, draft: bool = False, fonts: Mapping[str, str] | None = None,
               created: dt.datetime | None = None) -> bytes:
    """The PDF as bytes. ``fonts`` maps a face (song, fangsong, hei, kai, xiaobiaosong) to a
    font file chosen by the user; ``created`` is the creation date written in the PDF
    (now by default; pass a fixed one for byte-identical output)."""
    return _render(report, draft, fonts, created)[0]


def table_breaks(report: Report, *, draft: bool = False,
                 fonts: Mapping[str, str] | None = None) -> dict[str, list[int]]:
    """For each table, the rows of its grid (``app.table_layout.table_grid``) that begin
    a page in the PDF: the Word export breaks its tables there too, so that both repeat
    the header and the group labels on the same pages."""
    breaks: dict[str, list[int]] = {}
    _render(report, draft, fonts, dt.datetime(2000, 1, 1).astimezone(), breaks)
    return breaks


def _render(report: Report, draft: bool, fonts: Mapping[str, str] | None,
            created: dt.datetime | None,
            breaks: dict[str, list[int]] | None = None) -> tuple[bytes, list[str]]:
    from app.pdf.document import render
    from app.pdf.fonts import discover
    from app.pdf.style import load_style

    style = load_style()
    font_set = discover(style, fonts)
    data = render(report, font_set, style, draft=draft,
                  created=created or dt.datetime.now().astimezone(), breaks=breaks)
    return data, font_set.stand_ins()


def export_pdf(report: Report, path: str | Path, *, draft: bool = False,
               fonts: Mapping[str, str] | None = None, created: dt.datetime | None = None) -> list[str]:
    """Write the report's PDF to ``path`` (see ``render_pdf``). Returns one sentence for
    each intended face that another stood in for (``FontSet.stand_ins``). Raises
    ``PdfError`` subclasses with Chinese messages: ``FontError``, or a file that cannot
    be written."""
    data, notes = _render(report, draft, fonts, created)
    _write_atomically(Path(path), data)
    return notes


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PdfError(f"文件夹不存在：{folder}")

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    try:
        write_beside(path, write, ".pdf.tmp")
    except PermissionError:
        raise PdfError(f"无法写入 {path}：文件正被其他程序使用（例如在 PDF 阅读器中打开着），"
                       "或没有写入权限。请关闭该文件或换一个位置后再导出。") from None
    except OSError as exc:
        raise PdfError(f"无法写入 {path}：{exc.strerror or exc}") from None
