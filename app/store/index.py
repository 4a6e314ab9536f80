"""``index.json``: the summary of every draft (what the start page lists), so that listing
500 drafts reads this one file.

It is a cache only (the draft files are the truth): the store writes it when drafts are
created, renamed or deleted, on listing and at close, never by an autosave. ``in_use``,
set before a session's first write and cleared by a clean close, tells the next opening
whether the summaries can be trusted.
"""
from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from app.store.documents import ID_RE, DraftInfo, check_index, entry_ok, meta_table
from app.store.paths import Layout
from app.store.recovery import KIND_INDEX, recover, single_doc

if TYPE_CHECKING:
    from tinydb import TinyDB

BACKUPS = 3


class DraftIndex:
    """The summaries in memory (``entries``: draft id → summary) and their file."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.entries: dict[str, dict[str, Any]] = {}
        self._doc_ids: dict[str, int] = {}
        self._dirty: set[str] = set()
        self._removed: set[str] = set()
        self._tinydb: TinyDB | None = None
        self.in_use_on_disk = False   # what the file's ``in_use`` says

    @property
    def _db(self) -> TinyDB:
        """The index as a TinyDB database, opened at its first write: reading it at the
        start is plain JSON (``load``), so a start that only lists drafts never imports
        TinyDB."""
        if self._tinydb is None:
            from tinydb import TinyDB

            from app.store.tinydb_storage import AtomicJSONStorage
            self._tinydb = TinyDB(self.layout.index, storage=AtomicJSONStorage, backups=BACKUPS)
        return self._tinydb

    def load(self, writable: bool, notify: Callable[[str], None],
             write_or_warn: Callable[[Callable[[], None]], bool]) -> bool:
        """Load the index; True if its summaries can be trusted where the stamps match.

        They cannot after a crash: file times are coarse (a few ms on Linux, 2 s on FAT),
        so two saves can leave the same (time, size, inode) behind. A store that was
        not closed cleanly (``in_use`` still set) or was recovered is verified in full.
        """
        rec = recover(self.layout.index, KIND_INDEX, "草稿库目录", backups=BACKUPS,
                      writable=writable, check=check_index)
        data = rec.data
        if rec.notice:
            notify(rec.notice + ("没有可用的备份：已根据各份草稿文件重新建立目录。" if data is None
                                 else "目录中较新的改动已根据各份草稿文件补齐。"))
        if data is None:
            data = {"meta": meta_table(KIND_INDEX), "drafts": {}}
            if writable:
                fresh = data
                write_or_warn(lambda: self._db.storage.write(fresh))
        for doc_id, doc in data.get("drafts", {}).items():
            if ID_RE.match(doc["id"]):
                self._doc_ids[doc["id"]] = int(doc_id)
                if entry_ok(doc):   # else read again from its file (a cache, never trusted)
                    self.entries[doc["id"]] = dict(doc)
        meta = single_doc(data, "meta")
        self.in_use_on_disk = bool(meta.get("in_use"))
        return rec.notice is None and rec.data is not None and not self.in_use_on_disk

    def mark_in_use(self, in_use: bool) -> None:
        try:
            self._db.table("meta").update({"in_use": in_use}, doc_ids=[1])
        except (OSError, KeyError, ValueError):
            return
        self.in_use_on_disk = in_use

    # ------------------------------------------------------------------ the summaries
    def put(self, draft_id: str, entry: dict[str, Any]) -> None:
        self.entries[draft_id] = entry
        self._dirty.add(draft_id)

    def changed(self, draft_id: str) -> None:
        """The summary of ``draft_id`` was updated in place: write it at the next flush."""
        self._dirty.add(draft_id)

    def forget(self, draft_id: str) -> None:
        self.entries.pop(draft_id, None)
        self._dirty.discard(draft_id)
        if draft_id in self._doc_ids:
            self._removed.add(draft_id)

    def listing(self, deleted: bool) -> list[DraftInfo]:
        """The drafts in the bin (``deleted``) or not, most recently changed first."""
        infos = [DraftInfo.of(e) for e in self.entries.values() if bool(e.get("deleted")) == deleted]
        return sorted(infos, key=lambda i: i.updated, reverse=True)

    def label(self, draft_id: str) -> str:
        """How messages name the draft's data."""
        name = self.entries.get(draft_id, {}).get("name")
        return f"草稿“{name}”（编号 {draft_id}）的数据" if name else f"草稿（编号 {draft_id}）的数据"

    # ------------------------------------------------------------------ writing
    def flush(self) -> None:
        """Write changed summaries to ``index.json`` (best effort: it is only a cache)."""
        if not (self._dirty or self._removed):
            return
        table = self._db.table("drafts")
        try:
            changed = [self._doc_ids[i] for i in self._dirty if i in self._doc_ids]
            if changed:
                table.update(self._apply_entry, doc_ids=changed)
            new = [i for i in self._dirty if i not in self._doc_ids]
            if new:
                for draft_id, doc_id in zip(new, table.insert_multiple(
                        [self.entries[i] for i in new])):
                    self._doc_ids[draft_id] = doc_id
            gone = [self._doc_ids[i] for i in self._removed
                    if i in self._doc_ids and i not in self.entries]
            if gone:
                table.remove(doc_ids=gone)
            for draft_id in self._removed - set(self.entries):
                self._doc_ids.pop(draft_id, None)
        except (OSError, ValueError):
            return
        self._dirty.clear()
        self._removed.clear()

    def _apply_entry(self, doc: MutableMapping[str, Any]) -> None:
        entry = self.entries[doc["id"]]
        doc.clear()
        doc.update(entry)
