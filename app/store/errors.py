"""Errors of the draft store, each with a Chinese message the window can show as is."""
from __future__ import annotations

import errno
from pathlib import Path


class StoreError(Exception):
    """The store cannot do what was asked; ``str(exc)`` is the Chinese message for the user."""


class ReadOnlyStoreError(StoreError):
    """A write was attempted on a store opened read-only (another copy holds the lock)."""


class StoreWriteError(StoreError):
    """Writing to disk failed (full, read-only, no permission).

    The edits are kept in memory by the store and written by the next ``save`` or by
    ``retry_pending()``, so the window can keep working and tell the user what to fix.
    """


_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "磁盘是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EIO: "磁盘读写出错",
}


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for an ``OSError`` (Windows codes included via ``errno``)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if getattr(exc, "winerror", None) in (39, 112):  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        return "磁盘已满"
    if getattr(exc, "winerror", None) == 32:  # ERROR_SHARING_VIOLATION
        return "文件正被其他程序占用"
    return exc.strerror or str(exc)


def write_failed(path: Path, exc: OSError) -> StoreWriteError:
    return StoreWriteError(
        f"无法保存草稿：{os_reason(exc)}（{path}）。您的修改仍保留在程序中，没有丢失；"
        "请腾出磁盘空间或检查文件夹权限，程序会自动重试保存。在保存成功之前请不要关闭程序。")
