"""``nianbao drafts …``: the draft store from the command line (list, add, get, history, restore).

The store folder is ``--data-dir DIR`` if given, else ``NIANBAO_DATA_DIR``, else the
user's data folder — the same store the window uses.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.cli.common import EXIT_OK, UserError, add_force, output_file
from app.cli.report_cmds import load_draft, write_draft
from app.store import DraftInfo, DraftStore, StoreError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drafts", help="管理草稿库（列出、导入、导出、历史版本）",
                       description="管理程序自动保存的草稿。")
    _data_dir_option(p, default=None)
    cmds = p.add_subparsers(dest="drafts_command", metavar="子命令", title="子命令")

    c = cmds.add_parser("list", help="列出全部草稿", description="列出草稿（最近修改的在前）。")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    c.add_argument("--bin", action="store_true", help="列出回收站中的草稿")
    _data_dir_option(c)
    c.set_defaults(handler=cmd_list)

    c = cmds.add_parser("add", help="把年报数据文件或草稿文件存为新草稿",
                        description="把年报数据文件或草稿文件（JSON，如 nianbao new --from 写出的）存为新草稿，"
                        "输出新草稿的编号。草稿文件中的上年报告、带入标记和已核实的警告一并保存。")
    c.add_argument("file", help="年报数据文件或草稿文件（JSON）")
    c.add_argument("--name", help="草稿名称（默认为报告标题）")
    _data_dir_option(c)
    c.set_defaults(handler=cmd_add)

    c = cmds.add_parser("get", help="把草稿导出为文件",
                        description="把草稿的当前内容写成 JSON 文件：草稿有上年报告、带入标记或已核实的警告时"
                        "写成草稿文件（可用 nianbao drafts add 完整导回），否则写成年报数据文件。")
    c.add_argument("id", help="草稿编号")
    c.add_argument("-o", "--output", required=True, help="写入的 JSON 文件")
    add_force(c)
    _data_dir_option(c)
    c.set_defaults(handler=cmd_get)

    c = cmds.add_parser("history", help="列出草稿的历史版本", description="列出草稿保存过的版本（最新的在前）。")
    c.add_argument("id", help="草稿编号")
    _data_dir_option(c)
    c.set_defaults(handler=cmd_history)

    c = cmds.add_parser("restore", help="把草稿恢复到某个历史版本",
                        description="把草稿恢复到某个历史版本；恢复前的内容仍保留在历史中，可再恢复回来。")
    c.add_argument("id", help="草稿编号")
    c.add_argument("revision", type=int, help="版本号（见 nianbao drafts history）")
    _data_dir_option(c)
    c.set_defaults(handler=cmd_restore)

    p.set_defaults(handler=lambda args: _usage(p))


def _data_dir_option(parser: argparse.ArgumentParser, default=argparse.SUPPRESS) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="草稿库文件夹（默认取环境变量 NIANBAO_DATA_DIR，否则为用户数据文件夹）")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _open(args: argparse.Namespace) -> DraftStore:
    try:
        store = DraftStore.open(Path(args.data_dir) if args.data_dir else None)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    for notice in store.notices:
        print(f"nianbao：{notice}", file=sys.stderr)
    return store


def _run(args: argparse.Namespace, action) -> int:
    store = _open(args)
    try:
        return action(store)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        try:
            store.close()
        except StoreError as exc:
            print(f"nianbao：{exc}", file=sys.stderr)


def _when(info_time) -> str:
    return info_time.strftime("%Y-%m-%d %H:%M")


def _info_json(info: DraftInfo) -> dict:
    return {"id": info.id, "name": info.name, "organ": info.organ, "year": info.year,
            "format": info.version, "updated": info.updated.isoformat(timespec="seconds"),
            "completeness": info.completeness, "error_count": info.error_count,
            "revision": info.rev,
            "deleted": info.deleted.isoformat(timespec="seconds") if info.deleted else None}


def cmd_list(args: argparse.Namespace) -> int:
    def action(store: DraftStore) -> int:
        infos = store.drafts_in_bin() if args.bin else store.drafts()
        if args.json:
            print(json.dumps({"drafts": [_info_json(i) for i in infos]}, ensure_ascii=False, indent=2))
            return EXIT_OK
        if not infos:
            print("回收站是空的。" if args.bin else f"还没有草稿（草稿库：{store.layout.root}）。")
            return EXIT_OK
        print("编号\t年度\t格式\t最后修改\t完成度\t错误\t名称")
        for i in infos:
            print(f"{i.id}\t{i.year}\t{i.version}版\t{_when(i.updated)}\t"
                  f"{i.completeness * 100:.0f}%\t{i.error_count}\t{i.name}")
        return EXIT_OK
    return _run(args, action)


def cmd_add(args: argparse.Namespace) -> int:
    draft = load_draft(args.file)

    def action(store: DraftStore) -> int:
        print(store.create(draft, name=args.name))
        return EXIT_OK
    return _run(args, action)


def cmd_get(args: argparse.Namespace) -> int:
    out = output_file(args.output, args.force)

    def action(store: DraftStore) -> int:
        draft = store.load_draft(args.id)
        write_draft(draft, out)
        kind = "年报数据文件" if draft.is_plain else "草稿文件（含上年报告、带入标记和已核实的警告）"
        print(f"已导出草稿 {args.id}（{draft.report.title}）为{kind}：{out}")
        return EXIT_OK
    return _run(args, action)


def cmd_history(args: argparse.Namespace) -> int:
    def action(store: DraftStore) -> int:
        print("版本\t保存时间\t完成度\t错误")
        for r in store.history(args.id):
            mark = "\t（当前）" if r.current else ""
            print(f"{r.rev}\t{r.saved.strftime('%Y-%m-%d %H:%M:%S')}\t"
                  f"{r.completeness * 100:.0f}%\t{r.error_count}{mark}")
        return EXIT_OK
    return _run(args, action)


def cmd_restore(args: argparse.Namespace) -> int:
    def action(store: DraftStore) -> int:
        if store.info(args.id).rev == args.revision:
            print(f"第 {args.revision} 版就是草稿 {args.id} 的当前内容，无需恢复。")
            return EXIT_OK
        report = store.restore_revision(args.id, args.revision)
        print(f"已把草稿 {args.id}（{report.title}）恢复到第 {args.revision} 版，"
              f"现为第 {store.info(args.id).rev} 版；恢复前的内容仍在历史版本中。")
        return EXIT_OK
    return _run(args, action)
