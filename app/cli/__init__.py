"""The ``nianbao`` command line (the console script, ``ui.launcher``, opens the window
when no argument is given; the core never imports the UI).

Exit codes: 0 ok, 1 the report has errors, 2 bad input or usage. Each group of
subcommands lives in its own module with a ``register(subparsers)`` function, so adding
a command touches one line here.
"""
from __future__ import annotations

import contextlib
import importlib
import sys

from app import __version__
from app.cli.common import EXIT_USAGE, ChineseArgumentParser, UserError, fail
from app.crashlog import bug_message

COMMAND_MODULES = [
    "app.cli.report_cmds",
    "app.cli.import_cmds",
    "app.cli.aggregate_cmds",
    "app.cli.drafts_cmds",
    "app.cli.export_cmds",
]
COMMANDS = {"new": "app.cli.report_cmds", "validate": "app.cli.report_cmds",
            "import": "app.cli.import_cmds", "aggregate": "app.cli.aggregate_cmds",
            "drafts": "app.cli.drafts_cmds", "export": "app.cli.export_cmds"}
"""Which module registers each command: a command imports only its own module (and what
that uses), not every command's (the draft store, the importers…); ``nianbao --help``
and anything unknown still build the whole parser."""


def build_parser(command: str | None = None) -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="nianbao",
        description="政府信息公开工作年度报告：填写、检查、导出。不带参数运行时打开图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="<命令>", title="命令（nianbao <命令> --help 查看各命令的用法）")
    for name in [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _utf8_stdio()
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UserError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("已取消")
    except Exception as exc:  # noqa: BLE001 - a bug: the traceback goes to the log file
        return fail(bug_message(exc, "nianbao " + " ".join(argv)))


def _utf8_stdio() -> None:
    """Chinese output must not crash on a console whose encoding is not UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")
