"""The draft files (``drafts/<id>/draft.json``): each read through its recovery (a damaged,
missing or foreign file gives its newest good copy) and written whole, in one atomic write
with rotating backups. Remembers what this program last wrote, so that an idle autosave
writes nothing and a file lost behind its back can be written again."""
from __future__ import annotations

import shutil
from typing import Any

from app.store.atomic_storage import atomic_write_bytes, encode
from app.store.documents import DOC_KEYS, meta_table
from app.store.draft_recovery import read_draft_file, recover_draft
from app.store.errors import StoreError
from app.store.history import History
from app.store.index import BACKUPS, DraftIndex
from app.store.paths import Layout
from app.store.recovery import KIND_DRAFT, Damaged, keep_aside
from app.store.status import StoreStatus

_UNKNOWN = object()
WRITTEN_KEYS = ("report", "state", "extras")


class DraftFiles:
    def __init__(self, layout: Layout, index: DraftIndex, history: History, status: StoreStatus,
                 backup_interval: float) -> None:
        self.layout = layout
        self.index = index
        self.history = history
        self.status = status
        self.backup_interval = backup_interval
        self._unrepaired: set[str] = set()
        self._written: dict[str, dict[str, Any]] = {}  # id -> report, state, extras on disk

    # ------------------------------------------------------------------ reading
    def read(self, draft_id: str) -> dict[str, Any] | None:
        """The draft's document; when its file is damaged, missing or another draft's, its
        newest good copy (``draft_recovery``). A repair the disk refuses makes the store
        read-only: it opens, and says why, instead of refusing to open."""
        out = recover_draft(self.layout, self.history, draft_id, self.index.label(draft_id),
                            backups=BACKUPS, writable=not self.status.read_only,
                            known=self.index.entries.get(draft_id))
        if out.notice and draft_id not in self._unrepaired:
            self.status.notify(out.notice)
        if out.unwritable is not None:
            self.status.read_only = True
            self._unrepaired.add(draft_id)   # said once; read again from its copies
        if out.doc is None and out.notice is None:
            self._drop_half_created(draft_id)
        return out.doc

    def _drop_half_created(self, draft_id: str) -> None:
        """A folder without any draft file: a creation killed before its first write."""
        folder = self.layout.draft_dir(draft_id)
        if self.status.read_only or any(p.is_file() for p in folder.rglob("*")):
            return
        shutil.rmtree(folder, ignore_errors=True)

    # ------------------------------------------------------------------ writing
    def write(self, draft_id: str, doc: dict[str, Any]) -> None:
        """Write a whole draft file in ONE atomic write (creation, recovery)."""
        data = {"meta": meta_table(KIND_DRAFT), "draft": {"1": doc}}
        atomic_write_bytes(self.layout.draft_file(draft_id), encode(data),
                           backups=BACKUPS, backup_min_age=self.backup_interval)

    def update(self, draft_id: str, fields: dict[str, Any], *, new_revision: bool = False) -> None:
        """Apply ``fields`` to what the draft file holds and write the whole file at once.

        The file is checked first, never trusted: one damaged behind the program's back
        (``{}`` or ``[]`` written over it) used to be "updated" into ``{"draft": {}}`` and the
        save acknowledged. A damaged file is recovered first (its newest good copy, or the
        draft as this program last wrote it); one changed by someone else is kept aside.
        ``new_revision`` numbers the write after every revision the file or memory knows."""
        doc = self._current_doc(draft_id, fields)
        if new_revision:
            fields["rev"] = max(doc["rev"], self.index.entries[draft_id]["rev"]) + 1
        doc.update(fields)
        self.write(draft_id, doc)

    def _current_doc(self, draft_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        path = self.layout.draft_file(draft_id)
        try:
            doc = read_draft_file(path, draft_id)
        except (Damaged, FileNotFoundError):
            doc = self.read(draft_id) or self._rebuilt(draft_id, fields)
            self.status.require_writable()   # a repair the disk refused made the store read-only
            return doc
        doc.pop("_repaired", None)
        known = self.index.entries[draft_id]["rev"]
        if doc["rev"] != known and draft_id in self._written:
            aside = keep_aside(path, "replaced")
            self.status.notify(f"{self.index.label(draft_id)}文件 {path} 在本程序之外被改动过（文件中是第 "
                               f"{doc['rev']} 版，本程序最后保存的是第 {known} 版）；那份文件已另存为 "
                               f"{aside}（没有删除），本次的修改照常保存。")
        return doc

    def _rebuilt(self, draft_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """The draft as this program last wrote it, when no copy on disk is left."""
        doc = {k: v for k, v in self.index.entries[draft_id].items() if k in DOC_KEYS}
        last = self._written.get(draft_id, {})
        doc.update({k: v for k, v in last.items() if v is not _UNKNOWN})
        if "report" not in doc and "report" not in fields:
            raise StoreError(f"草稿 {draft_id} 的数据无法读取，也没有可用的备份。")
        self.status.notify(f"{self.index.label(draft_id)}已按本程序中保存的内容重新写入。")
        return doc

    # ------------------------------------------------------------------ what was written
    def unchanged(self, draft_id: str, given: dict[str, Any]) -> bool:
        """Nothing new since the last write: an autosave timer firing on an idle window.
        (A part given as None is kept as it is, so it cannot make a difference.)"""
        last = self._written.get(draft_id)
        if last is None:
            return False
        return all(value is None or (last[key] is not _UNKNOWN and last[key] == value)
                   for key, value in given.items())

    def remember_written(self, draft_id: str, fields: dict[str, Any]) -> None:
        before = self._written.get(draft_id, {})
        self._written[draft_id] = {key: fields.get(key, before.get(key, _UNKNOWN)) for key in WRITTEN_KEYS}

    def forget_written(self, draft_id: str) -> None:
        """The file changed (recovered, or written by the other copy): compare with it anew."""
        self._written.pop(draft_id, None)
