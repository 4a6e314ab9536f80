"""``nianbao export``: the report as the PDF sent to the district office (or a Word file).

The work is ``app.export.export`` (shared with the window and aggregate): a final export
of a report with errors is refused (exit 1, the errors printed); with ``--draft`` the file
is written with a 草稿 mark on every page. A face that stands in for an intended one
(仿宋, 小标宋…) is said once, with how to install the real one.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_ERRORS, EXIT_OK, UserError, add_force, output_file
from app.cli.report_cmds import load_report


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
    from app.export import ExportError, ReportHasErrors, export
    from app.pdf import default_filename

    report = load_report(args.file)
    out = output_file(_output_path(args.output, default_filename(report)), args.force)
    try:
        done = export(report, out, draft=args.draft, fonts=_font_settings(args.font))
    except ReportHasErrors as exc:
        for f in exc.findings:
            print(f)
        print(f"{exc}导出草稿请加 --draft。")
        return EXIT_ERRORS
    except ExportError as exc:
        raise UserError(str(exc)) from None
    print(f"{done.message()}（{out.stat().st_size / 1024:.0f} KB）")
    if done.counts():
        print(f"{done.counts()}可运行 nianbao validate 查看。")
    for note in done.font_notes:
        print(f"字体提示：{note}")
    return EXIT_OK


def _output_path(given: str | None, default_name: str) -> Path:
    from app.export import ExportError, kind_of

    if not given:
        return Path(default_name)
    out = Path(given)
    if out.is_dir():
        return out / default_name
    try:
        kind_of(out)
    except ExportError as exc:
        raise UserError(str(exc)) from None
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
