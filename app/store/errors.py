"""Errors of the draft store, each with a Chinese message the window can show as is."""
from __future__ import annotations

from pathlib import Path

from app.files import os_reason


class StoreError(Exception):
    """The store cannot do what was asked; ``str(exc)`` is the Chinese message for the user."""


class ReadOnlyStoreError(StoreError):
    """A write was attempted on a store opened read-only (another copy holds the lock)."""


class StoreWriteError(StoreError):
    """Writing to disk failed (full, read-only, no permission).

    The edits are kept in memory by the store and written by the next ``save`` or by
    ``retry_pending()``, so the window can keep working and tell the user what to fix.
    """


def write_failed(path: Path, exc: OSError) -> StoreWriteError:
    return StoreWriteError(
        f"无法保存草稿：{os_reason(exc)}（{path}）。您的修改仍保留在程序中，没有丢失；"
        "请腾出磁盘空间或检查文件夹权限，程序会自动重试保存。在保存成功之前请不要关闭程序。")
