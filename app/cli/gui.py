"""``nianbao`` without arguments: open the window, or say clearly why none can open."""
from __future__ import annotations

import os
import sys

from app.cli.common import EXIT_USAGE, fail


def launch() -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        return fail("没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。\n"
                    "请在桌面环境中运行，或使用命令行：nianbao --help", EXIT_USAGE)
    try:
        from ui.main import run  # noqa: PLC0415 - Qt is loaded only for the window
    except ImportError as exc:
        return fail(f"图形界面无法启动：{exc}", EXIT_USAGE)
    return run()
