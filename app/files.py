"""Reading files from elsewhere and writing exported files the way a clerk expects.

Files from elsewhere (JSON, PDF, web pages) are read by one function that refuses a
missing file, a folder or an oversized file in Chinese words that never name the file:
the caller (CLI, dialog, aggregate list) names it, once.

The file is written under a temporary name beside its destination and then moved into
place, so an export that fails (disk full, file open in a viewer on Windows) never leaves
half a file behind and never destroys an earlier good export. The temporary file is
created like any new file, so it gets the permissions the user's umask gives (``tempfile``
would make it 0600: a PDF copied to a shared folder would be unreadable to colleagues);
an export that replaces a file keeps that file's permissions.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable


def write_beside(target: Path, write: Callable[[Path], None], suffix: str) -> None:
    """Let ``write`` fill a new temporary file beside ``target``, then move it to ``target``.

    Raises ``OSError`` (the caller turns it into its Chinese message); on any failure the
    temporary file is removed and ``target`` is left as it was."""
    folder = target.parent if str(target.parent) else Path(".")
    tmp = _new_file(folder, suffix)
    try:
        write(tmp)
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file(folder: Path, suffix: str) -> Path:
    """An empty file with a fresh name, created with mode 0666 less the umask (the kernel
    applies the umask; reading it with ``os.umask`` would change it for other threads)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = folder / f".nianbao-{secrets.token_hex(6)}{suffix}"
        try:
            os.close(os.open(path, flags, 0o666))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free temporary name in {folder}")


def _keep_mode(target: Path, tmp: Path) -> None:
    """An export that replaces a file keeps that file's permissions."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        return
    os.chmod(tmp, mode)


class FileReadError(OSError):
    """A file that cannot be read at all; the message is Chinese and does not name it."""


def read_limited(path: Path, max_bytes: int, what: str = "年报文件") -> bytes:
    """The bytes of ``path``, refusing files larger than ``max_bytes`` before reading them."""
    try:
        if path.is_dir():
            raise FileReadError("这是一个文件夹，不是文件")
        size = path.stat().st_size
        if size > max_bytes:
            raise FileReadError(f"文件过大（{size / 1024 / 1024:.1f} MB），不是{what}"
                                f"（上限 {max_bytes // 1024 // 1024} MB）")
        return path.read_bytes()
    except FileReadError:
        raise
    except FileNotFoundError:
        raise FileReadError("找不到文件") from None
    except OSError as exc:
        raise FileReadError(f"无法读取文件：{exc.strerror or exc}") from None
