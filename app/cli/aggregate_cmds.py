"""``nianbao aggregate``: the district office sums its townships' and departments' reports."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.aggregate import OUTPUT_SUFFIXES, Aggregate, AggregateError, aggregate, save_aggregate
from app.cli.common import EXIT_ERRORS, EXIT_OK, UserError, add_force, output_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aggregate", help="汇总多份年报（区县汇总乡镇、部门的报告）",
                       description="读取多份同一年度的年报（nianbao PDF、JSON 数据文件或可导入的已发布报告），"
                       "逐份检查后逐格相加，写出汇总报告（.json 数据文件、.xlsx 表格或 .pdf）。"
                       "退出码：0 全部正常，1 已汇总但有文件无法读取、有错误或单位重复，2 无法汇总。")
    p.add_argument("files", nargs="+", help="要汇总的文件")
    p.add_argument("-o", "--output", required=True, help="汇总结果：.json、.xlsx 或 .pdf")
    p.add_argument("--organ", help="汇总报告的单位名称，如 某某区（默认“N个单位汇总”）")
    add_force(p)
    p.set_defaults(handler=cmd_aggregate)


def cmd_aggregate(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UserError(f"输出文件 {out.name} 的类型不支持：请用 .json、.xlsx 或 .pdf")
    out = output_file(out, args.force)
    try:
        agg = aggregate(args.files, args.organ.strip() if args.organ else None)
    except AggregateError as exc:
        raise UserError(str(exc)) from None
    save(agg, out)
    print_problems(agg)
    print(f"已汇总 {len(agg.summed)} 份报告（{agg.total.year} 年度，{agg.total.version} 版格式）：{out}")
    troubled = agg.failed or agg.notes or any(e.errors() for e in agg.summed)
    return EXIT_ERRORS if troubled else EXIT_OK


def save(agg: Aggregate, out: Path) -> None:
    try:
        save_aggregate(agg, out)
    except AggregateError as exc:
        raise UserError(str(exc)) from None


def print_problems(agg: Aggregate) -> None:
    """Which file has which problem: unreadable files first, then each report's findings."""
    for note in agg.notes:
        print(f"! {note}")
    for entry in agg.failed:
        print(f"✗ {entry.name}：无法读取，未计入汇总——{entry.failure}")
    for entry in agg.summed:
        errors, warnings = entry.errors(), entry.warnings()
        if not (errors or warnings or entry.import_problems):
            print(f"✓ {entry.name}（{entry.report.organ}）：数字来源：{entry.source}")
            continue
        print(f"! {entry.name}（{entry.report.organ}）：{len(errors)} 个错误，{len(warnings)} 个警告"
              f"（数字来源：{entry.source}）")
        for problem in entry.import_problems:
            print(f"    导入：{problem}")
        for finding in errors + warnings:
            print(f"    {finding}")
