"""Where nianbao keeps what it can make again (parsed fonts and format files): the
per-user cache folder, or ``NIANBAO_CACHE_DIR`` when set.

Found without importing platformdirs on Linux and Windows (~5 ms of every command-line
export); platformdirs decides elsewhere.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

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
