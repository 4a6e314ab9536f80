"""A draft whose file is missing, damaged or another draft's comes back as its newest good copy.

A draft has many copies: its file, the rotating backups (``draft.json.1.bak`` …, made at
most once a minute) and the history revisions (the last 50 kept states, one at least every
minute and one at every close). Each copy is read and checked like the file itself (it
parses, it is a draft file of this store, its report reads, and its id is this draft's),
and the one with the highest revision number wins: the newest content, in whatever file
it is. (Taking the newest backup was wrong: a backup may hold the state at creation while
a history revision holds the last one.) The user is told which copy it was and how old
its content is, by the time it was saved (a backup's file time is when it was rotated).

A file that belongs to another draft (copied into place) is damaged for this draft; when
every copy in a folder is another draft's (a whole folder copied or renamed), the newest
is taken as this draft's, and the user is told.

The damaged file is never deleted: it is renamed aside (``draft.damaged-<time>.json``)
only once the good copy has been written beside it. When that write fails (a full disk),
nothing on disk changes and ``Outcome.unwritable`` says why: the store then opens
read-only instead of refusing to open.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any, NamedTuple

from app.files import os_reason, write_bytes
from app.store.atomic_storage import backup_paths, encode
from app.store.documents import check_draft, meta_table, repair
from app.store.history import History
from app.store.paths import Layout
from app.store.recovery import KIND_DRAFT, Damaged, read_checked, set_aside, single_doc


class Foreign(Damaged):
    """A good draft file, of another draft."""

    def __init__(self, doc: dict[str, Any]) -> None:
        super().__init__(f"是另一份草稿（编号 {doc['id']}）的数据，不是这份草稿的")
        self.doc = doc


class Copy(NamedTuple):
    path: Path
    doc: dict[str, Any]
    what: str           # as the notice names it: "备份 draft.json.1.bak"


class Outcome(NamedTuple):
    doc: dict[str, Any] | None
    notice: str | None = None
    unwritable: OSError | None = None


def read_draft_file(path: Path, draft_id: str) -> dict[str, Any]:
    """The checked document of a draft file; ``Foreign`` when it is another draft's,
    ``Damaged``/``FileNotFoundError``/``OSError`` when unusable. Values that can be rebuilt
    are put right in the returned document (``repair``), which is then marked."""
    doc = single_doc(read_checked(path, KIND_DRAFT, check_draft), "draft")
    _repair(doc, path)
    if doc["id"] != draft_id:
        raise Foreign(doc)
    return doc


def _repair(doc: dict[str, Any], path: Path) -> None:
    try:
        file_time = path.stat().st_mtime
    except OSError:
        file_time = time.time()
    fixed = repair(doc, file_time)
    if fixed:
        doc["_repaired"] = fixed


def copies(layout: Layout, history: History, draft_id: str, backups: int) -> list[Copy]:
    """Every backup and history revision of the draft that passes the checks."""
    found = []
    path = layout.draft_file(draft_id)
    for backup in backup_paths(path, backups):
        try:
            doc = single_doc(read_checked(backup, KIND_DRAFT, check_draft), "draft")
        except (Damaged, OSError):
            continue
        _repair(doc, backup)
        found.append(Copy(backup, doc, f"备份 {backup.name} "))
    for rev in history.numbers(draft_id):
        try:
            doc = history.doc(draft_id, rev)
        except (Damaged, OSError):
            continue
        found.append(Copy(layout.revision_file(draft_id, rev), doc, f"历史版本（第 {rev} 版）"))
    return found


def newest(candidates: list[Copy], draft_id: str) -> tuple[Copy | None, bool]:
    """The copy with the newest content, and whether it is another draft's (only when no
    copy is this draft's own)."""
    own = [c for c in candidates if c.doc["id"] == draft_id]
    pool = own or candidates
    if not pool:
        return None, False
    # on a tie the draft file itself (last in the list) wins: nothing to bring back
    return max(reversed(pool), key=lambda c: (c.doc["rev"], c.doc["updated"])), not own


def recover_draft(layout: Layout, history: History, draft_id: str, label: str, *,
                  backups: int, writable: bool, known: dict[str, Any] | None) -> Outcome:
    """The draft's document, from its file when that is good, else from its newest good copy
    (written back when ``writable``). ``known`` is the index entry (its ``deleted`` state
    wins: putting a draft in the bin does not make a revision)."""
    path = layout.draft_file(draft_id)
    try:
        return _fine(path, read_draft_file(path, draft_id), label, writable)
    except Foreign as exc:
        reason, current = exc.reason, Copy(path, exc.doc, f"文件 {path.name}")
    except FileNotFoundError:
        reason, current = "不见了", None
    except Damaged as exc:
        reason, current = exc.reason, None
    except OSError as exc:
        reason, current = f"无法读取（{os_reason(exc)}）", None
    found = copies(layout, history, draft_id, backups)
    best, foreign = newest(found + ([current] if current else []), draft_id)
    if best is None:
        if reason == "不见了" and not (backup_paths(path, backups) or history.numbers(draft_id)):
            return Outcome(None)          # never written: a creation killed half-way
        return Outcome(None, f"{label}文件 {path} {reason}。没有可用的备份或历史版本，这份草稿无法恢复；"
                             "原文件（如有）仍保留在该文件夹中，可交技术人员处理。")
    doc = dict(best.doc, id=draft_id)
    doc.pop("_repaired", None)
    if known and "deleted" in known:
        doc["deleted"] = known["deleted"]
    doc["rev"] = max([c.doc["rev"] for c in found] + [doc["rev"], *history.numbers(draft_id)]) + 1
    if best is current:   # the whole folder is another draft's: it becomes this one
        head = (f"草稿文件夹 {path.parent} 中的数据属于编号 {best.doc['id']} 的草稿"
                f"（文件夹可能是复制或改名来的），现作为编号 {draft_id} 的草稿。")
    else:
        head = f"{label}文件 {path} {reason}。"
        if foreign:
            head += f"这个文件夹里只有编号 {best.doc['id']} 的草稿的数据，现作为编号 {draft_id} 的草稿。"
    used = "" if best is current else f"已用 {_saved_at(best.doc)}保存的{best.what}恢复。"
    if not writable:
        return Outcome(doc, head + "（草稿库现在是只读的，本次未做任何修改。）" + used)
    aside: list[Path] = []
    try:
        write_bytes(path, encode({"meta": meta_table(KIND_DRAFT), "draft": {"1": doc}}),
                    before_replace=lambda: aside.append(set_aside(path)) if path.exists() else None)
    except OSError as exc:
        return Outcome(doc, head + used + f"但修复后的文件无法写入磁盘（{os_reason(exc)}）：草稿库本次以只读"
                                          "方式打开，可以查看，不能保存。请腾出磁盘空间后重新打开本程序。",
                       unwritable=exc)
    if aside:
        head += f"已将它改名保存为 {aside[0]}（没有删除）。"
    return Outcome(doc, head + used)


def _fine(path: Path, doc: dict[str, Any], label: str, writable: bool) -> Outcome:
    """The file is good; values put right by ``repair`` are written back and said."""
    fixed = doc.pop("_repaired", None)
    if not fixed:
        return Outcome(doc)
    notice = f"{label}文件 {path} 中“{'、'.join(fixed)}”的值有误，已根据其余内容修正。"
    if writable:
        try:
            write_bytes(path, encode({"meta": meta_table(KIND_DRAFT), "draft": {"1": doc}}))
        except OSError as exc:
            notice += f"（修正无法写入磁盘：{os_reason(exc)}）"
    return Outcome(doc, notice)


def _saved_at(doc: dict[str, Any]) -> str:
    """When a copy's content was saved, and how long ago: 2026-11-24 20:45:03（3 分钟前）."""
    saved = dt.datetime.fromtimestamp(doc["updated"])
    return f"{saved:%Y-%m-%d %H:%M:%S}（{age(time.time() - doc['updated'])}）"


def age(seconds: float) -> str:
    if seconds < 60:
        return "不到 1 分钟前"
    for unit, size in (("天", 86400), ("小时", 3600), ("分钟", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}前"
    return "刚才"  # pragma: no cover - unreachable
