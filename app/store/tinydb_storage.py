"""The TinyDB storage of ``index.json``: every write goes through the crash-safe writer.

A module of its own so that TinyDB is imported only when the index is first written
(``app.store.index``): opening the store reads the index as plain JSON, and importing
TinyDB (~2 ms, its query language included) would delay the start page for nothing.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from app.store.atomic_storage import atomic_write_bytes, encode


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file (``app.store.atomic_storage``).

    ``read`` returns ``None`` for a missing file (TinyDB's "empty"); a damaged file raises
    ``ValueError`` — recovery is decided by the store, which checks files before use.
    """

    def __init__(self, path: str | Path, *, backups: int = 0, backup_min_age: float = 0.0) -> None:
        self.path = Path(path)
        self.backups = backups
        self.backup_min_age = backup_min_age

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return json.loads(raw.decode("utf-8"))

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write_bytes(self.path, encode(data), backups=self.backups,
                           backup_min_age=self.backup_min_age)

    def close(self) -> None:
        pass
