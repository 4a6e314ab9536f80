"""What every subcommand shares: the Chinese argument parser, exit codes, messages."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from app.files import check_output, os_reason

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


class UserError(Exception):
    """Bad input from the user; the message (Chinese) is printed and the exit code is 2."""


def output_file(path: str | Path, force: bool) -> Path:
    """The one overwrite policy of every command: an existing file is replaced only with
    ``--force``; a folder or a symbolic link is never written to."""
    try:
        return check_output(path, overwrite=force)
    except OSError as exc:
        raise UserError(exc.strerror) from None


def cannot_write(path: str | Path, exc: OSError) -> UserError:
    return UserError(f"无法写入 {path}：{os_reason(exc)}")


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"nianbao：{message}", file=sys.stderr)
    return code


_TRANSLATIONS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示此帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
}


def _translate(text: str) -> str:
    return _TRANSLATIONS.get(text, text)


# argparse looks its messages up through gettext; route them to Chinese.
argparse._ = _translate  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help and errors, exiting 2 on bad usage as the CLI promises."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="显示此帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"nianbao：{message}\n（运行 nianbao --help 查看用法）\n")
