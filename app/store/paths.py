"""Where the store lives and how its folder is laid out.

Layout (one small file per draft, so that an autosave rewrites only that file and its
cost does not grow with the number of drafts)::

    <data dir>/
      index.json              TinyDB: schema + one cached summary per draft (for list())
      index.json.1.bak …      rotating backups of the last good index files
      nianbao.lock            held by the one copy that writes
      drafts/<id>/draft.json  TinyDB: the draft (exchange JSON of the report, extras, name …)
      drafts/<id>/draft.json.1.bak …
      drafts/<id>/history/<rev>.json.gz   saved revisions (the last 50), gzip-compressed
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "NIANBAO_DATA_DIR"
DRAFT_FILE = "draft.json"
APP_NAME = "nianbao"


def default_data_dir() -> Path:
    """``NIANBAO_DATA_DIR`` if set, else the per-user data folder of the platform.

    Linux: ``~/.local/share/nianbao``; Windows: ``%LOCALAPPDATA%\\nianbao``;
    macOS: ``~/Library/Application Support/nianbao``.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Layout:
    """File names inside one data folder (no I/O here)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.index = self.root / "index.json"
        self.lock = self.root / "nianbao.lock"
        self.drafts = self.root / "drafts"

    def draft_dir(self, draft_id: str) -> Path:
        return self.drafts / draft_id

    def draft_file(self, draft_id: str) -> Path:
        return self.drafts / draft_id / DRAFT_FILE

    def history_dir(self, draft_id: str) -> Path:
        return self.drafts / draft_id / "history"

    def revision_file(self, draft_id: str, rev: int) -> Path:
        return self.history_dir(draft_id) / f"{rev:08d}.json.gz"
