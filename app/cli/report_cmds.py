"""``nianbao new`` and ``nianbao validate``."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from app import exchange
from app.cli.common import EXIT_ERRORS, EXIT_OK, UserError, add_force, cannot_write, output_file
from app.draft import Draft
from app.draft import read_file as read_draft_file
from app.draft import write_file as write_draft_file
from app.formats import report_years
from app.report import Report
from app.rules import SEVERITY_NAMES, errors, validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="新建一份空白年报数据文件", description="新建一份空白年报（格式版本按年度自动选择）。")
    p.add_argument("--year", type=int, required=True, help="报告年度，如 2026")
    p.add_argument("--organ", help="报告单位，如 某某镇人民政府（用 --from 时可省略）")
    p.add_argument("--from", dest="from_file", help="上年度的年报（JSON、本程序导出的 PDF 或已发布的报告）："
                   "沿用报告单位，上年结转等数字自动带入；写出的是草稿文件，保留上年报告和带入标记")
    p.add_argument("-o", "--output", required=True, help="写入的 JSON 文件")
    add_force(p)
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("validate", help="检查一份年报", description="按国务院格式的全部规则检查年报。"
                       "退出码：0 无错误（可有警告），1 有错误，2 文件无法读取。")
    p.add_argument("file", help="年报数据文件或草稿文件（JSON）")
    p.add_argument("--previous", help="上年度的年报（JSON、本程序导出的 PDF 或已发布的报告），用于核对结转数；"
                   "草稿文件中已有上年报告时可省略")
    p.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    p.set_defaults(handler=cmd_validate)


def load_draft(path: str) -> Draft:
    """Read a draft file or a plain report file, turning every problem into a
    ``UserError`` naming the file."""
    try:
        return read_draft_file(path)
    except exchange.ExchangeError as exc:
        raise UserError(f"{path}：{exc}") from None


def load_report(path: str) -> Report:
    """The report of a report file or draft file (what is kept beside it is not needed)."""
    return load_draft(path).report


def write_report(report: Report, out: Path) -> None:
    """Write the exchange JSON (checked by ``output_file`` before the work began)."""
    write_draft(Draft(report), out)


def write_draft(draft: Draft, out: Path) -> None:
    """Write a draft file, or the plain exchange JSON when the draft holds nothing else
    (``out`` checked by ``output_file`` before the work began)."""
    try:
        write_draft_file(draft, out)
    except exchange.ExchangeError as exc:
        raise UserError(f"{out}：{exc}") from None
    except OSError as exc:
        raise cannot_write(out, exc) from None


def load_previous(path: str) -> Report:
    """Last year's report in any importable form (JSON, nianbao PDF, published page, text,
    Word). Cells the import could not read are listed on stderr (stdout may be JSON): the
    checks against last year cannot be trusted for them."""
    from app.importer import ImportFailure, import_file
    try:
        result = import_file(path)
    except ImportFailure as exc:
        raise UserError(f"{path}：{exc}") from None
    if result.problems:
        print(f"注意：上年报告 {path} 导入时发现 {len(result.problems)} 个问题：", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    return result.report


def cmd_new(args: argparse.Namespace) -> int:
    years = report_years(dt.date.today())
    if args.year not in years:
        raise UserError(f"年度 {args.year} 不对：应在 {years[0]} 至 {years[-1]} 之间")
    out = output_file(args.output, args.force)
    if args.from_file:
        draft = _from_previous(args.from_file, args.year, args.organ)
    else:
        if not (args.organ or "").strip():
            raise UserError("报告单位不能为空（请用 --organ 指定，或用 --from 从上年报告新建）")
        draft = Draft(Report.blank(args.organ.strip(), args.year))
    write_draft(draft, out)
    report = draft.report
    print(f"已新建 {report.title}（{report.version} 版格式）：{out}")
    if args.from_file:
        print(f"已从上年报告带入 {len(draft.carried)} 个数字（上年结转等），请逐一核对。"
              "这是草稿文件：上年报告和带入标记都保存在里面（nianbao drafts add 可在窗口中继续填写）")
    return EXIT_OK


def _from_previous(path: str, year: int, organ: str | None) -> Draft:
    """Last year's report (any readable form) carried forward to ``year``."""
    previous = load_previous(path)
    if previous.year >= year:
        raise UserError(f"上年报告是 {previous.year} 年度的，新报告的年度 {year} 应在其后")
    if previous.year != year - 1:
        print(f"注意：上年报告是 {previous.year} 年度的，不是 {year - 1} 年度，带入的结转数可能不对")
    return Draft.from_previous(previous, year, organ)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a report; a draft file's own last-year report serves unless ``--previous``."""
    draft = load_draft(args.file)
    previous = load_previous(args.previous) if args.previous else draft.previous
    findings = validate(draft.report, previous)
    if args.json:
        print(json.dumps({"findings": [_finding_json(f, draft) for f in findings]},
                         ensure_ascii=False, indent=2))
    else:
        for f in findings:
            reason = draft.acknowledgement(f) if f.severity == "warning" else None
            print(f if reason is None else f"{f}（已核实{'：' + reason if reason else ''}）")
        print(summary(findings))
    return EXIT_ERRORS if errors(findings) else EXIT_OK


def _finding_json(finding, draft: Draft) -> dict:
    out = finding.to_json()
    reason = draft.acknowledgement(finding) if finding.severity == "warning" else None
    if reason is not None:
        out["acknowledged"] = reason
    return out


def summary(findings: list) -> str:
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_NAMES}
    if not findings:
        return "检查通过：没有发现问题。"
    parts = [f"{counts[s]} 个{SEVERITY_NAMES[s]}" for s in SEVERITY_NAMES if counts[s]]
    verdict = "有错误，不能正式导出" if counts["error"] else "没有错误"
    return f"共 {'，'.join(parts)}：{verdict}。"
