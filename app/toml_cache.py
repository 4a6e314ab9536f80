"""The program's TOML files (the formats, the PDF style, the district's thresholds) read
once per machine, not once per process: parsing a format with tomllib costs ~5 ms, and
validating a report asks for both formats (the cover's year is checked against every
format's years), so every export, check and import paid ~10 ms; importing tomllib itself
costs ~5 ms more, and is done only when a file is not in the cache. The parsed data (plain
strings, numbers, lists and tables) is kept as JSON in the cache folder, named by the
SHA-256 of the file's bytes: an edited format file has another name and is parsed again,
whatever its date. JSON is read as data only; a cache file that cannot be read, or is not
a table, is ignored, and one that cannot be written is not written.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from app.cache_folder import cache_folder, read_entry, write_entry

MAX_CACHED_BYTES = 4 * 1024 * 1024
"""A cached format is ~50 KB; anything far larger is not ours."""


def read_toml(path: Path) -> dict[str, Any]:
    """``tomllib.loads`` of the file at ``path``, from the cache when it is there."""
    raw = path.read_bytes()
    entry = cache_folder() / "formats" / f"{hashlib.sha256(raw).hexdigest()}.json"
    cached = _read(entry)
    if cached is not None:
        return cached
    import tomllib

    data = tomllib.loads(raw.decode("utf-8"))
    _write(entry, data)
    return data


def _read(entry: Path) -> dict[str, Any] | None:
    raw = read_entry(entry, MAX_CACHED_BYTES)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):   # RecursionError: nested too deep
        return None
    return data if isinstance(data, dict) else None


def _write(entry: Path, data: dict[str, Any]) -> None:
    """Only what JSON gives back unchanged (no dates, no infinities) is kept."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return
    if json.loads(text) != data:
        return
    write_entry(entry, text.encode("utf-8"))
