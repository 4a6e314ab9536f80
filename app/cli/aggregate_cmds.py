"""``nianbao aggregate``: the district office sums its units' reports, checks who has
reported against its roster, compares with last year, writes what to send back."""
from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from pathlib import Path

from app.aggregate.district import DeskInputs, DistrictResult, run_desk
from app.aggregate.roster import NameDecision, Roster, RosterError, decide, read_roster
from app.aggregate.save import OUTPUT_SUFFIXES, save_aggregate
from app.aggregate.summing import AggregateError
from app.cli.common import EXIT_ERRORS, EXIT_OK, UserError, add_force, cannot_write, output_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "aggregate", help="汇总多份年报（区县汇总乡镇、部门的报告），核对名单、与上年比较、生成问题清单",
        description="读取多份同一年度的年报（本程序导出的 PDF、数据文件或可导入的已发布报告），逐份检查后逐格相加，"
        "写出汇总报告（.json 数据文件、.xlsx 表格或 .pdf）。给出名单时列出未收到、名单外和重复报送的单位；"
        "给出上年的报告时逐格与上年比较；同时在输出文件旁保存“汇总记录”，下次用 --record 接着汇总。"
        "退出码：0 全部正常，1 已汇总但有需要处理的问题（文件无法读取、有错误、未收到、名单外、重复、"
        "名称需核对、本级报告与各单位合计不同），2 无法汇总。")
    p.add_argument("files", nargs="*", help="要汇总的文件（用 --record 接着汇总时可以只给新收到的文件）")
    p.add_argument("-o", "--output", required=True, help="汇总结果：.json、.xlsx 或 .pdf")
    p.add_argument("--organ", help="汇总报告的单位名称，如 某某区（默认“N个单位汇总”）；"
                   "文件中单位为此名称的报告作为本级报告核对，不计入汇总")
    p.add_argument("--office", help="问题清单落款的单位名称（默认“{汇总单位}政务公开办公室”）")
    p.add_argument("--roster", metavar="名单", help="单位名单：文本文件（每行一个单位）或 Excel 表格（.xlsx）")
    p.add_argument("--roster-from-previous", action="store_true",
                   help="用上年报告（--previous）中的单位作为名单")
    p.add_argument("--previous", nargs="+", metavar="上年文件", default=[],
                   help="上年各单位的报告，或上年的汇总记录（.汇总记录.json），用于逐格比较和核对上年结转")
    p.add_argument("--parent", metavar="本级报告", help="本级（区、县）自己的年报，与各单位合计逐格核对")
    p.add_argument("--confirm-name", action="append", default=[], metavar="报告单位=名单单位",
                   help="确认名称近似的两个名称是同一单位，如 --confirm-name 某某区发展和改革委员会=区发改委"
                   "（可多次使用；保存在汇总记录中，以后不再提示核对）")
    p.add_argument("--reject-name", action="append", default=[], metavar="报告单位=名单单位",
                   help="这两个名称不是同一单位（该报告不再对应到这个名单单位；保存在汇总记录中）")
    p.add_argument("--feedback", metavar="文件夹", help="把有问题单位的问题清单（.docx 和 .pdf）及问题清单汇总写入此文件夹")
    p.add_argument("--record", metavar="汇总记录",
                   help="接着上次的汇总记录汇总（名单、文件和检查结果沿用，列出新收到的文件），完成后更新它；"
                   "默认在输出文件旁新建“{输出文件名}.汇总记录.json”")
    add_force(p)
    p.set_defaults(handler=cmd_aggregate)


def cmd_aggregate(args: argparse.Namespace) -> int:
    from app.aggregate.record import record_path_for, save_record

    out = Path(args.output)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UserError(f"输出文件 {out.name} 的类型不支持：请用 .json、.xlsx 或 .pdf")
    out = output_file(out, args.force)
    record = _load_record(args.record)
    inputs = _inputs(args, record)
    if not inputs.files:
        raise UserError("没有要汇总的文件")
    try:
        result = run_desk(inputs, record)
    except AggregateError as exc:
        raise UserError(str(exc)) from None
    gc.freeze()   # what was read lives until the command ends: no collection need scan it again
    if args.feedback:
        _check_feedback_folder(result, args.feedback, args.force)
    _save(result, out)
    feedback = _feedback(result, args.feedback) if args.feedback else None
    record_path = Path(args.record) if args.record else record_path_for(out)
    try:
        save_record(result, record_path)
    except OSError as exc:
        raise cannot_write(record_path, exc) from None
    print_result(result)
    if feedback:
        print(feedback)
    print(f"汇总记录：{record_path}（下次加 --record {record_path} 可接着汇总）")
    agg = result.aggregate
    print(f"已汇总 {len(agg.summed)} 份报告（{agg.total.year} 年度，{agg.total.version} 版格式）：{out}")
    return EXIT_ERRORS if result.needs_attention() else EXIT_OK


def _load_record(path: str | None):
    from app.aggregate.record import RecordError, load_record

    if not path or not Path(path).exists():
        return None
    try:
        return load_record(path)
    except RecordError as exc:
        raise UserError(f"{path}：{exc}") from None


def _inputs(args: argparse.Namespace, record) -> DeskInputs:
    """What this run decides: the command line's choices, else those of the record."""
    base = record.inputs if record else DeskInputs([])
    files = list(base.files)
    seen = {p.resolve() for p in files}
    for name in args.files:
        p = Path(name)
        resolved = p.resolve()
        if resolved not in seen:
            seen.add(resolved)
            files.append(p)
    roster = base.roster
    if args.roster:
        try:
            roster = read_roster(args.roster)
        except RosterError as exc:
            raise UserError(f"名单 {args.roster}：{exc}") from None
    names = base.names
    for text, same in [(t, True) for t in args.confirm_name] + [(t, False) for t in args.reject_name]:
        names = decide(names, _decision(text, same))
    return DeskInputs(files=files, organ=args.organ.strip() if args.organ else base.organ,
                      office=args.office.strip() if args.office else base.office, roster=roster,
                      previous=[Path(p) for p in args.previous],
                      parent=Path(args.parent) if args.parent else base.parent,
                      roster_from_previous=args.roster_from_previous, names=names)


def _decision(text: str, same: bool) -> NameDecision:
    """``某某区发展和改革委员会=区发改委`` (a full-width ＝ too)."""
    name, sep, unit = text.replace("＝", "=").partition("=")
    if not sep or not name.strip() or not unit.strip():
        option = "--confirm-name" if same else "--reject-name"
        raise UserError(f"{option} {text}：请写成“报告中的单位名称=名单中的单位名称”，"
                        "如 某某区发展和改革委员会=区发改委")
    return NameDecision(name.strip(), unit.strip(), same)


def _save(result: DistrictResult, out: Path) -> None:
    from app.aggregate.district_xlsx import add_district_sheets

    try:
        save_aggregate(result.aggregate, out, lambda wb, look: add_district_sheets(wb, look, result))
    except AggregateError as exc:
        raise UserError(str(exc)) from None


def _check_feedback_folder(result: DistrictResult, folder: str, force: bool) -> None:
    """The overwrite policy of every output (``output_file``) for each file the 问题清单
    will write, before anything is written: one that exists only with ``--force``; a
    folder or a symbolic link never."""
    from app.aggregate.feedback import feedback_files  # only with --feedback

    if Path(folder).exists() and not Path(folder).is_dir():
        raise UserError(f"--feedback {folder} 是一个文件，请给出存放问题清单的文件夹")
    files = feedback_files(result, folder)
    taken = [p.name for p in files if p.is_file() and not p.is_symlink()]
    if taken and not force:
        more = f"等 {len(taken)} 个" if len(taken) > 3 else ""
        raise UserError(f"问题清单文件夹 {folder} 中已有同名的文件（{'、'.join(taken[:3])}{more}），"
                        "为避免覆盖，请换一个文件夹（或加 --force）")
    for path in files:
        output_file(path, force=True)


def _feedback(result: DistrictResult, folder: str) -> str:
    from app.aggregate.feedback import write_feedback

    try:
        outcome = write_feedback(result, folder)
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    text = (f"问题清单：{len(outcome.units)} 个单位的问题清单和“{outcome.overview.name}”已写入 {folder}"
            + ("（各有 .docx 和 .pdf）" if not outcome.pdf_problem else f"（只有 .docx，PDF 没有生成：{outcome.pdf_problem}）"))
    return text


# ------------------------------------------------------------------ printing
def print_result(result: DistrictResult) -> None:
    """Who is missing, unknown or twice; each file with its problems; ratios; last year;
    the district's own report. Read top to bottom: what to act on first."""
    for note in result.notes:
        print(f"! {note}")
    if result.inputs.roster is not None:
        _print_roster(result, result.inputs.roster)
    else:
        for unit in result.duplicates:
            names = "、".join(e.name for e in unit.entries)
            print(f"! “{unit.unit}”出现在 {len(unit.entries)} 个文件中（{names}），已分别计入汇总，请确认没有重复")
    _print_files(result)
    _print_ratios(result)
    _print_years(result)
    _print_parent(result)


def _print_roster(result: DistrictResult, roster: Roster) -> None:
    received = sum(1 for u in result.units if u.on_roster and u.entries)
    print(f"名单（{roster.source}）：{len(roster.units)} 个单位，已收到 {received} 个，"
          f"未收到 {len(result.missing)} 个")
    if result.missing:
        print(f"✗ 未收到（{len(result.missing)}）：{'、'.join(result.missing)}")
    if result.unknown:
        names = "、".join(f"{u.unit}（{'、'.join(e.name for e in u.entries)}）" for u in result.unknown)
        print(f"! 名单外的单位（{len(result.unknown)}）：{names}")
    for unit in result.duplicates:
        names = "、".join(e.name for e in unit.entries)
        print(f"! 重复报送：“{unit.unit}”有 {len(unit.entries)} 份文件（{names}），都已计入汇总，"
              "请移除多余的文件后重新汇总")
    matches = result.roster_check.matches
    asked = False
    for path, m in matches.items():
        if m.doubtful or (m.unit is None and m.candidates):
            print(f"? 名称需核对：{m.describe()}（{path.name}）")
            asked = asked or m.doubtful
    if asked:
        print("  核对后，是同一单位的加 --confirm-name 报告单位=名单单位，不是的加 --reject-name 报告单位=名单单位"
              "（与 --record 一起使用；结果保存在汇总记录中，以后不再提示）")
    decisions = result.inputs.names
    if decisions:
        same = sum(d.same for d in decisions)
        print(f"名称核对结果（汇总记录中保存的）：确认是同一单位 {same} 个，不是同一单位 {len(decisions) - same} 个")


def _print_files(result: DistrictResult) -> None:
    """One write: a district's 1,000 files make tens of thousands of lines (a print each
    cost ~40 ms)."""
    print("\n".join(_file_lines(result)))


def _file_lines(result: DistrictResult) -> Iterator[str]:
    yield "文件："
    for entry in result.aggregate.entries:
        mark = file_mark(result, entry.path)
        if entry.report is None:
            yield f"✗ {entry.name}{mark}：无法读取，未计入汇总——{entry.failure}"
            continue
        errors, warnings = entry.errors(), entry.warnings()
        head = f"{entry.name}{mark}（{entry.report.organ}）"
        if not (errors or warnings or entry.import_problems):
            yield f"✓ {head}：数字来源：{entry.source}"
            continue
        yield f"! {head}：{len(errors)} 个错误，{len(warnings)} 个警告（数字来源：{entry.source}）"
        yield from (f"    导入：{problem}" for problem in entry.import_problems)
        yield from (f"    {finding}" for finding in errors + warnings)
    if result.parent is not None:
        yield f"本级报告：{result.parent.name}（不计入汇总）"


def file_mark(result: DistrictResult, path: Path) -> str:
    """What happened to a file since the record was saved, in words (empty without one)."""
    r = result.readings
    if path in r.new:
        return "（新收到）"
    if path in r.updated:
        return "（文件已更新，重新读取）"
    if path in r.moved:
        return "（原文件已不在，用汇总记录中保存的数据）"
    return ""


def _print_ratios(result: DistrictResult) -> None:
    from app.aggregate.config import load_district_config
    print(f"比率（不足 {load_district_config().min_cases} 件的只列出、不作评价）：")
    rows = [(u.unit, result.ratios[e.path]) for u in result.units for e in u.readable]
    rows.append(("合计", result.total_ratios))
    for unit, values in rows:
        shown = "；".join(f"{r.name} {r.text()}" for r in values if r.text())
        print(f"  {unit}：{shown or '无可计算的比率'}")


def _print_years(result: DistrictResult) -> None:
    pairs = [(u.unit, result.comparisons[e.path]) for u in result.units for e in u.readable
             if e.path in result.comparisons]
    if result.total_comparison:
        pairs.append(("合计", result.total_comparison))
    if not pairs:
        return
    flagged = [(unit, line) for unit, cmp in pairs for line in cmp.flag_lines()]
    carry = [(unit, str(f)) for unit, cmp in pairs for f in cmp.carry]
    units = len({unit for unit, _ in pairs} - {"合计"})
    print(f"与上年比较（{units} 个单位有上年报告）："
          f"变化大的 {len(flagged)} 处，上年结转不符 {len(carry)} 处")
    for unit, line in flagged + carry:
        print(f"  {unit}：{line}")


def _print_parent(result: DistrictResult) -> None:
    if result.parent is None:
        return
    diffs = result.parent_diffs
    if not diffs:
        print(f"本级报告（{result.parent.name}）与各单位合计：每一格都相同")
        return
    print(f"本级报告（{result.parent.name}）与各单位合计：{len(diffs)} 处不同")
    for line in diffs:
        print(f"  {line}")
