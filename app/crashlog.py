"""The log file of an unexpected error: the traceback goes there, never to the user.

The window's exception hook (``ui.errors``), the command line and the aggregate (one
file that trips a bug must not stop the others) all write the same kind of file into the
same folder: the user's log folder, or ``NIANBAO_LOG_DIR`` (tests). The user is told, in
Chinese, that something went wrong and where the details are, to pass on to support.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

LOG_ENV = "NIANBAO_LOG_DIR"


def log_dir() -> Path:
    env = os.environ.get(LOG_ENV, "").strip()
    if env:
        return Path(env)
    import platformdirs
    return Path(platformdirs.user_log_dir("nianbao", appauthor=False))


def details_of(exc_type, exc, tb, context: str = "") -> str:
    import platform  # here, not at the top: the window installs its hook before it shows
    import traceback

    from app import __version__
    head = (f"nianbao {__version__}\nPython {platform.python_version()} {platform.platform()}\n"
            f"时间 {dt.datetime.now().isoformat(timespec='seconds')}\n"
            + (f"{context}\n" if context else "") + "\n")
    return head + "".join(traceback.format_exception(exc_type, exc, tb))


def write_log(details: str) -> Path | None:
    """Write ``details`` to a new dated log file; None if even that is impossible."""
    from app.files import write_bytes
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"error-{stamp}-{os.urandom(2).hex()}.log"
        write_bytes(path, details.encode("utf-8", "backslashreplace"), durable=False)
        return path
    except OSError:
        return None


def log_exception(exc: BaseException, context: str = "") -> Path | None:
    """Log ``exc`` with its traceback (``context`` says what was being done)."""
    return write_log(details_of(type(exc), exc, exc.__traceback__, context))


def bug_message(exc: BaseException, context: str = "") -> str:
    """Log ``exc`` and say so in Chinese: what happened and where the details are."""
    path = log_exception(exc, context)
    where = f"详细信息已记录在 {path}" if path else "详细信息无法写入日志文件"
    return f"程序内部出错（{type(exc).__name__}），{where}，请发给技术支持人员"
