"""Checking store files before use, and putting a damaged one right.

A file is damaged when it is empty, truncated, not JSON, not a TinyDB database of ours, or
written by a newer nianbao (a newer schema we would misread). A damaged file is never
deleted or overwritten: it is renamed aside (``… .damaged-<time>.json``) so that nothing
is lost, the newest backup that passes the same check is copied into its place, and a
Chinese notice tells the user what happened and where the bad file is.
"""
from __future__ import annotations

import datetime as dt
import errno
import gzip
import json
import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from app.store.atomic_storage import atomic_write_bytes, backup_paths

STORE_SCHEMA = 1
KIND_INDEX = "nianbao.index"
KIND_DRAFT = "nianbao.draft"
KIND_REVISION = "nianbao.revision"
GZIP_MAGIC = b"\x1f\x8b"


TRUNCATED = "不完整，结尾被截断（很可能是写入时断电或程序被强行关闭）"


class Damaged(Exception):
    """A store file cannot be used; ``reason`` (Chinese) says why, as a user would read it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Check = Callable[[dict[str, Any]], None]


def read_checked(path: Path, kind: str, check: Check | None = None) -> dict[str, Any]:
    """The TinyDB tables of ``path``; ``Damaged`` if unusable, ``FileNotFoundError`` if absent."""
    raw = Path(path).read_bytes()
    if raw[:2] == GZIP_MAGIC:
        raw = _gunzip(raw)
    if not raw.strip():
        raise Damaged("是空的（很可能是写入时断电或程序被强行关闭）")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a Chinese character
            raise Damaged(TRUNCATED) from None
        raise Damaged("已损坏（内容不是文字）") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or "Unterminated" in exc.msg:
            raise Damaged(TRUNCATED) from None
        raise Damaged(f"已损坏（第 {exc.lineno} 行第 {exc.colno} 列有误）") from None
    _check_tinydb(data)
    meta = _only_doc(data.get("meta"))
    if not meta or meta.get("kind") != kind:
        raise Damaged("不是 nianbao 草稿库的文件")
    schema = meta.get("schema")
    if type(schema) is not int or schema < 1:
        raise Damaged("不是 nianbao 草稿库的文件（缺少数据格式版本）")
    if schema > STORE_SCHEMA:
        raise Damaged(f"由更新版本的 nianbao 创建（数据格式第 {schema} 版，"
                      f"本程序只能读取第 {STORE_SCHEMA} 版）")
    if check:
        check(data)
    return data


def _gunzip(raw: bytes) -> bytes:
    """History revisions are gzip-compressed (a third of the disk space); same checks."""
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise Damaged(TRUNCATED) from None
    except (OSError, zlib.error):
        raise Damaged("已损坏（压缩数据无法解开）") from None


def _check_tinydb(data: Any) -> None:
    """TinyDB's shape: {table: {"<int id>": {document}}}."""
    if not isinstance(data, dict):
        raise Damaged("不是 TinyDB 数据库文件，也不是 nianbao 草稿库的文件")
    for table in data.values():
        if not isinstance(table, dict):
            raise Damaged("不是 TinyDB 数据库文件，也不是 nianbao 草稿库的文件")
        for doc_id, doc in table.items():
            if not (isinstance(doc_id, str) and doc_id.isdigit() and isinstance(doc, dict)):
                raise Damaged("不是 TinyDB 数据库文件，也不是 nianbao 草稿库的文件")


def _only_doc(table: Any) -> dict[str, Any] | None:
    if isinstance(table, dict) and len(table) == 1:
        return next(iter(table.values()))
    return None


def single_doc(data: dict[str, Any], table: str) -> dict[str, Any]:
    """The one document of ``table`` (draft and revision files hold exactly one)."""
    doc = _only_doc(data.get(table))
    if doc is None:
        raise Damaged("内容不完整（缺少草稿数据）")
    return doc


def set_aside(path: Path) -> Path:
    """Rename a damaged file to a new, unused name beside it; never overwrite anything."""
    target = _aside_name(path, "damaged")
    os.replace(path, target)
    return target


def keep_aside(path: Path, what: str) -> Path:
    """Keep a copy of ``path`` under a new, unused name beside it (``path`` stays)."""
    target = _aside_name(path, what)
    try:
        os.link(path, target)
    except OSError:  # FAT, some network drives: no hard links
        shutil.copy2(path, target)
    return target


def _aside_name(path: Path, what: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = path.name[:-5] if path.name.endswith(".json") else path.name
    for n in range(1000):
        extra = f"-{n}" if n else ""
        target = path.with_name(f"{base}.{what}-{stamp}{extra}.json")
        if not target.exists():
            return target
    raise OSError(errno.EEXIST, f"{path} 旁边的同名副本太多")


def when(path: Path) -> str:
    """A file's modification time as a user reads it: 2026-11-24 20:45:03."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")


class Recovered(NamedTuple):
    """Outcome of ``recover``: the usable data (or None) and what to tell the user."""

    data: dict[str, Any] | None
    notice: str | None = None
    damaged: bool = False      # the file was unusable (set aside when writable)
    aside: Path | None = None  # where the damaged file now is


def recover(path: Path, kind: str, label: str, *, backups: int, writable: bool,
            check: Check | None = None) -> Recovered:
    """Read ``path``; if it is missing or damaged, fall back to its newest good backup.

    ``label`` names the file for the user (e.g. "草稿库目录"). Without write access (a
    read-only copy) nothing on disk changes: the backup is only read.
    """
    reason = None
    try:
        return Recovered(read_checked(path, kind, check))
    except FileNotFoundError:
        reason = "不见了"
    except Damaged as exc:
        reason = exc.reason
    except OSError as exc:
        reason = f"无法读取（{exc.strerror or exc}）"
    aside = None
    if writable and path.exists():
        aside = set_aside(path)
    head = f"{label}文件 {path} {reason}。"
    if aside:
        head += f"已将它改名保存为 {aside}（没有删除）。"
    elif path.exists():
        head += "（另一个 nianbao 正在使用草稿库，本次未做任何修改。）"
    for backup in backup_paths(path, backups):
        try:
            data = read_checked(backup, kind, check)
        except (Damaged, OSError):
            continue
        if writable:
            atomic_write_bytes(path, backup.read_bytes())
        return Recovered(data, head + f"已用 {when(backup)} 的备份 {backup.name} 恢复。",
                         damaged=True, aside=aside)
    if reason == "不见了" and aside is None:
        return Recovered(None, None)
    return Recovered(None, head, damaged=True, aside=aside)
