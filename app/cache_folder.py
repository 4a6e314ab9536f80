"""Where nianbao keeps what it can make again (parsed fonts and format files): the
per-user cache folder, or ``NIANBAO_CACHE_DIR`` when set.

Found without importing platformdirs on Linux and Windows (~5 ms of every command-line
export); platformdirs decides elsewhere.
"""
from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

from app.files import write_bytes

ENV_VAR = "NIANBAO_CACHE_DIR"


def cache_folder() -> Path:
    """The folder itself; each kind of cached thing has its own subfolder in it."""
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "nianbao" / "Cache"
    if sys.platform not in ("win32", "darwin"):
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(xdg or os.path.expanduser("~/.cache")) / "nianbao"
    import platformdirs
    return Path(platformdirs.user_cache_dir("nianbao", appauthor=False))


def read_entry(entry: Path, max_bytes: int) -> bytes | None:
    """A cache file's bytes; None when it is missing, unreadable, larger than ``max_bytes``
    (not ours) or not a regular file (reading a pipe of that name would wait for ever)."""
    try:
        info = entry.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        return entry.read_bytes()
    except OSError:
        return None


def write_entry(entry: Path, data: bytes) -> None:
    """Keep ``data`` in the cache file ``entry``; a cache that cannot be written is not
    (derived data: no fsync)."""
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(entry, data, durable=False)
