"""The ``nianbao`` console script: no arguments open the window, arguments run the command line.

It lives outside ``app/`` because the core never imports the UI; it imports nothing of Qt
at module level, so ``nianbao export …`` never loads Qt, and the window's modules are
imported only when a window is wanted.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys

EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        from app.cli import main as cli_main  # the command line needs no Qt
        return cli_main(argv)
    return open_window()


def open_window() -> int:
    """The window, or a clear Chinese message why none can open (exit 2)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        return _fail("没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。\n"
                     "请在桌面环境中运行，或使用命令行：nianbao --help")
    gc.disable()   # start-up makes only what lives on: ui.main.run collects again once shown
    try:
        from ui.main import run  # Qt is loaded only for the window
    except ImportError as exc:
        return _fail(f"图形界面无法启动：{exc}")
    return run()


def _fail(message: str) -> int:
    stream = sys.stderr
    if stream is not None and hasattr(stream, "reconfigure"):
        # a console whose encoding cannot show Chinese must not crash the message
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors="replace")
    print(f"nianbao：{message}", file=stream)
    return EXIT_USAGE


if __name__ == "__main__":  # ``python -m ui.launcher``, where the console script is absent
    sys.exit(main())
