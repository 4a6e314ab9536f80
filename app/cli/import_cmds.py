"""``nianbao import``: a published report (web page, text, Word, PDF) or a nianbao PDF → JSON."""
from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, UserError, add_force, output_file
from app.cli.report_cmds import write_report
from app.importer import ImportFailure, import_file
from app.rules import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入已发布的年报（网页、文本、Word、PDF）",
                       description="读取已发布的年报（保存的网页 .html、复制的文本 .txt、Word .docx、"
                       "PDF），写成年报数据文件（JSON）。数字按印出的原样保留；nianbao 导出的 PDF "
                       "采用其内嵌的数据（与印出的表格一致时）。随后说明数字来源、列出检查结果。"
                       "退出码：0 已导入（即使报告有错误），2 文件不是年报或无法读取。")
    p.add_argument("file", help="要导入的文件")
    p.add_argument("-o", "--output", required=True, help="写入的 JSON 文件")
    add_force(p)
    p.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    out = output_file(args.output, args.force)
    try:
        result = import_file(args.file)
    except ImportFailure as exc:
        raise UserError(f"{args.file}：{exc}") from None
    write_report(result.report, out)
    report = result.report
    print(f"已导入 {report.title}（{report.version} 版格式）：{out}")
    print(f"数字来源：{result.source_name}")
    if result.problems:
        print(f"导入时发现 {len(result.problems)} 个问题：")
        for problem in result.problems:
            print(f"  {problem}")
    findings = validate(report)
    if findings:
        print("检查结果（数字按原样保留，以下为其本身的问题）：")
        for f in findings:
            print(f"  {f}")
    else:
        print("检查通过：没有发现问题。")
    return EXIT_OK
