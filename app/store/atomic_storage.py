"""Crash-safe file writing (``tinydb_storage`` builds the index's TinyDB storage on it).

TinyDB's own ``JSONStorage`` overwrites its file in place and then truncates it, so a
crash or a full disk in the middle leaves a truncated file (see platform-facts). Here
every write goes through the program's one writer (``app.files``: a temporary file in the
same folder, fsynced, ``os.replace``d over the old file, the folder fsynced): at every
moment the file on disk is either the old complete version or the new complete version. Before the replace, the old file can be kept
as a rotating backup (``name.1.bak`` newest … ``name.N.bak`` oldest) for recovery from a
damaged disk or a bug.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from app import files
from app.files import fsync_dir, replace_file, write_bytes

TMP_SUFFIX = ".tmp"


def backup_path(path: Path, n: int) -> Path:
    return path.with_name(f"{path.name}.{n}.bak")


def backup_paths(path: Path, count: int) -> list[Path]:
    """Backups of ``path``, newest first (only those that exist)."""
    found = []
    for n in range(1, count + 1):
        p = backup_path(path, n)
        if p.exists():
            found.append(p)
    return found


def rotate_backups(path: Path, count: int, min_age: float) -> None:
    """Keep the current ``path`` as backup 1, shifting older ones; at most every ``min_age`` s.

    A hard link keeps the old content (the replace that follows gives ``path`` a new
    file), so the live file never disappears, even for an instant.
    """
    if count <= 0 or not path.exists():
        return
    newest = backup_path(path, 1)
    try:
        if min_age > 0 and time.time() - newest.stat().st_mtime < min_age:
            return
    except FileNotFoundError:
        pass
    for n in range(count - 1, 0, -1):
        older = backup_path(path, n)
        if older.exists():
            replace_file(older, backup_path(path, n + 1))
    try:
        os.link(path, newest)
    except OSError:  # FAT, some network drives: no hard links
        shutil.copy2(path, newest)
    # The hard link shares the old mtime; the age gate above needs the time of rotation.
    os.utime(newest)


def atomic_write_bytes(path: Path, data: bytes, *, backups: int = 0,
                       backup_min_age: float = 0.0, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves a whole file
    (the program's one writer, ``app.files.write_bytes``), rotating the backups first.

    ``durable=False`` skips both fsyncs: a killed program still never leaves a partial
    file, but a power cut may leave an empty one — only for copies of data that is kept
    durably elsewhere (the newest history revision is a copy of the draft file).
    """
    path = Path(path)
    write_bytes(path, data, durable=durable,
                before_replace=lambda: rotate_backups(path, backups, backup_min_age))


def remove_temp_files(folder: Path) -> None:
    """Delete temporary files a killed writer left behind (only ours: ``.*.tmp``)."""
    files.remove_temp_files(folder, prefixes=(".",), suffix=TMP_SUFFIX)


def encode(data: Any) -> bytes:
    """Compact UTF-8 JSON (Chinese kept readable, whatever the Windows locale is)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


__all__ = ["atomic_write_bytes", "backup_path", "backup_paths",
           "encode", "fsync_dir", "remove_temp_files", "rotate_backups"]
