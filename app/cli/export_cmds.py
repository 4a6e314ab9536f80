"""``nianbao export``: the report as the PDF sent to the district office (or a Word file).

A final export of a report with errors is refused (exit 1, the errors printed); with
``--draft`` the file is written with a 草稿 watermark on every page.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_ERRORS, EXIT_OK, UserError, add_force, output_file
from app.cli.report_cmds import load_report
from app.rules import errors, validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="导出报送用的 PDF（或 Word 文档）",
        description="把年报导出为 PDF（按党政机关公文格式排版，内嵌字体和年报数据，"
                    "可用 nianbao import 导回）。有错误的年报不能正式导出，可加 --draft 导出草稿。"
                    "退出码：0 成功，1 年报有错误，2 输入有误或无法写入。")
    p.add_argument("file", help="年报数据文件（JSON）")
    p.add_argument("-o", "--output",
                   help="写入的文件（.pdf 或 .docx）；省略时为“{单位}{年度}年政府信息公开工作年度报告.pdf”，"
                        "给出文件夹时写在该文件夹中")
    p.add_argument("--draft", action="store_true", help="导出草稿：每页带“草稿”水印，允许有错误")
    p.add_argument("--font", action="append", default=[], metavar="字体=文件",
                   help="指定字体文件，如 song=C:/Windows/Fonts/simsun.ttc（可用：song 宋体、"
                        "fangsong 仿宋、hei 黑体、kai 楷体、xiaobiaosong 小标宋），可重复")
    add_force(p)
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from app.pdf import default_filename

    report = load_report(args.file)
    out = output_file(_output_path(args.output, default_filename(report)), args.force)
    findings = validate(report)
    found = errors(findings)
    if found and not args.draft:
        for f in found:
            print(f)
        print(f"共 {len(found)} 个错误：不能正式导出。请改正后再导出，或加 --draft 导出带“草稿”水印的草稿。")
        return EXIT_ERRORS
    if out.suffix.lower() == ".docx":
        _export_docx(report, out, args.draft)
    else:
        _export_pdf(report, out, args.draft, _font_settings(args.font))
    kind = "草稿" if args.draft else "正式版"
    size = out.stat().st_size / 1024
    print(f"已导出{kind}：{out}（{size:.0f} KB）")
    warnings = [f for f in findings if f.severity == "warning"]
    if warnings:
        print(f"提示：年报有 {len(warnings)} 个警告（不影响导出），可运行 nianbao validate 查看。")
    return EXIT_OK


def _output_path(given: str | None, default_name: str) -> Path:
    if not given:
        return Path(default_name)
    out = Path(given)
    if out.is_dir():
        return out / default_name
    if out.suffix.lower() not in (".pdf", ".docx"):
        raise UserError(f"不能导出为“{out.suffix or '无扩展名'}”文件：输出文件名请以 .pdf 或 .docx 结尾")
    return out


def _font_settings(items: list[str]) -> dict[str, str]:
    from app.pdf.style import load_style

    faces = load_style().faces
    settings = {}
    for item in items:
        face, sep, path = item.partition("=")
        if not sep or face not in faces or not path:
            raise UserError(f"--font {item} 写法不对：应为 字体=文件，字体可以是 {'、'.join(faces)}")
        settings[face] = path
    return settings


def _export_pdf(report, out: Path, draft: bool, fonts: dict[str, str]) -> None:
    from app.pdf import PdfError, ReportHasErrors, export_pdf

    try:
        export_pdf(report, out, draft=draft, fonts=fonts)
    except ReportHasErrors as exc:   # checked above; kept for safety
        raise UserError(str(exc)) from None
    except PdfError as exc:
        raise UserError(str(exc)) from None


def _export_docx(report, out: Path, draft: bool) -> None:
    from app.docx_export import export_docx

    try:
        export_docx(report, out, draft=draft)
    except OSError as exc:  # DocxExportError is an OSError
        raise UserError(f"无法导出 Word 文档 {out}：{exc}") from None
