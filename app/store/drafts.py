"""The draft store: every report the clerk is working on, saved so that nothing is lost.

Each draft is its own small TinyDB file (``drafts/<id>/draft.json``, ``DraftFiles``)
holding the report as exchange JSON, the window's extras and a summary; an autosave
rewrites only that file, so its cost does not depend on how many drafts exist.
``index.json`` (``DraftIndex``) caches the summaries for ``drafts()``; it is a cache only —
the draft files are the truth. After a clean close each entry's stamp (time, size, inode
of its draft file) tells cheaply whether a draft changed; after a crash (the index still
says ``in_use``, set before a session's first write) every draft file is read again and
the temporary files a killed writer left are removed, so the list is always that of the
files. ``DraftStore`` ties them together: opening (the lock, the reconciliation of index
and files), the drafts' life (create, save, rename, bin, history) and closing.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.store.atomic_storage import fsync_dir, remove_temp_files
from app.store.documents import (
    DOC_KEYS,
    ID_RE,
    DraftInfo,
    checked_extras,
    clean_name,
    draft_of,
    entry_of,
    extras_of,
    report_dict,
    stamp,
    summarize,
)
from app.store.draft_files import DraftFiles
from app.store.errors import StoreError, StoreWriteError, os_reason, write_failed
from app.store.history import History, RevisionInfo
from app.store.index import DraftIndex
from app.store.lock import StoreLock
from app.store.paths import DRAFT_FILE, Layout, default_data_dir
from app.store.recovery import Damaged
from app.store.status import StoreStatus

if TYPE_CHECKING:  # imported where a report is read or written (see documents.py)
    from app.draft import Draft
    from app.report import Report



class DraftStore:
    """Open with ``DraftStore.open()``; see the module docstring for the layout."""

    def __init__(self, layout: Layout, lock: StoreLock, *, history_interval: float,
                 backup_interval: float) -> None:
        self.layout = layout
        self._lock = lock
        self.status = StoreStatus(read_only=not lock.held)
        self._index = DraftIndex(layout)
        self._history = History(layout, history_interval)
        self._files = DraftFiles(layout, self._index, self._history, self.status, backup_interval)
        self._pending: dict[str, dict[str, Any]] = {}
        self._saved_this_session: set[str] = set()
        self._closed = False

    @property
    def read_only(self) -> bool:
        return self.status.read_only

    @property
    def notices(self) -> list[str]:
        """Messages for the user (see ``StoreStatus.notify``)."""
        return self.status.notices

    def _notify(self, message: str) -> None:
        self.status.notify(message)

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, data_dir: Path | str | None = None, *, history_interval: float = 60.0,
             backup_interval: float = 60.0) -> DraftStore:
        """Open the store in ``data_dir`` (default: ``NIANBAO_DATA_DIR`` or the user folder).

        ``history_interval``: an autosave becomes a history revision when the newest
        revision is at least this many seconds old (0: every save). ``backup_interval``:
        the same for the rotating backups of each draft file.
        """
        layout = Layout(Path(data_dir) if data_dir else default_data_dir())
        try:
            layout.drafts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not layout.drafts.is_dir():
                raise StoreError(f"无法创建草稿文件夹 {layout.root}：{os_reason(exc)}") from None
        lock = StoreLock(layout.lock)
        lock_problem = None
        try:
            lock.acquire()
        except OSError as exc:
            lock_problem = exc
        store = cls(layout, lock, history_interval=history_interval,
                    backup_interval=backup_interval)
        store._explain_read_only(lock_problem)
        try:
            store._start()
        except BaseException as exc:
            lock.release()
            if isinstance(exc, OSError):
                raise StoreError(f"无法打开草稿库 {layout.root}：{os_reason(exc)}") from None
            raise
        return store

    def _explain_read_only(self, lock_problem: OSError | None) -> None:
        if not self.read_only:
            return
        if lock_problem is not None:
            self._notify(
                f"草稿文件夹 {self.layout.root} 无法写入（{os_reason(lock_problem)}），"
                "本次以只读方式打开：可以查看草稿，不能保存修改。")
            return
        holder = self._lock.holder()
        who = "另一个正在运行的 nianbao"
        if holder.get("pid"):
            who += f"（进程号 {holder['pid']}"
            who += f"，自 {holder['since'].replace('T', ' ')} 起）" if holder.get("since") else "）"
        self._notify(
            f"草稿库正由{who}使用。为避免两处同时修改造成数据损坏，本次以只读方式打开："
            "可以查看草稿，不能保存修改。要编辑，请回到那个窗口，或关闭它后重新打开本程序。")

    def _start(self) -> None:
        if not self.read_only:
            remove_temp_files(self.layout.root)
        trusted = self._index.load(not self.read_only, self._notify, self._write_or_warn)
        self._reconcile(verify=not trusted)
        self._flush_index()

    def _begin_writing(self) -> None:
        """Before this session's first write to a draft: note ``in_use`` in the index
        (cleared by ``close``). Not at opening: a session that only looks at the list
        cannot leave the index behind the files, and the start stays one read of the index."""
        if not self._index.in_use_on_disk and not self.read_only:
            self._index.mark_in_use(True)

    def _write_or_warn(self, write) -> bool:
        try:
            write()
        except OSError as exc:
            self._notify(f"无法写入草稿库（{os_reason(exc)}，{self.layout.root}）。"
                                "可以继续填写，程序会在保存时重试。")
            return False
        return True

    def _reconcile(self, verify: bool = False) -> None:
        """Bring the in-memory index in line with the draft files on disk.

        Cheap (one ``stat`` per draft: the start page with 500 drafts reads the index
        and nothing else) unless ``verify``: then every draft file is read, and the
        temporary files a killed writer left in the draft folders are removed (only a
        session that did not close cleanly can have left any).
        """
        on_disk = {}
        for item in os.scandir(self.layout.drafts):
            if item.is_dir() and ID_RE.match(item.name):
                on_disk[item.name] = os.path.join(item.path, DRAFT_FILE)
        for draft_id in sorted(on_disk):
            self._reconcile_one(draft_id, on_disk[draft_id], verify)
        for draft_id in list(self._index.entries):
            if draft_id not in on_disk:
                self._index.forget(draft_id)

    def _reconcile_one(self, draft_id: str, path: str, verify: bool) -> None:
        if verify and not self.read_only:
            remove_temp_files(self.layout.draft_dir(draft_id))
            remove_temp_files(self.layout.history_dir(draft_id))
        known = self._index.entries.get(draft_id)
        on_disk = stamp(path)
        if known and not verify and on_disk is not None and known.get("stamp") == on_disk:
            return
        doc = self._files.read(draft_id)
        if doc is None:
            if draft_id in self._index.entries:
                self._index.forget(draft_id)
            return
        entry = entry_of(doc, stamp(self.layout.draft_file(draft_id)))
        if entry != known:
            self._index.put(draft_id, entry)

    # ------------------------------------------------------------------ reading drafts
    def _doc(self, draft_id: str) -> dict[str, Any]:
        doc = self._files.read(draft_id)
        if doc is None:
            raise StoreError(f"草稿 {draft_id} 的数据无法读取，也没有可用的备份。")
        on_disk = stamp(self.layout.draft_file(draft_id))
        entries = self._index.entries
        if draft_id in entries and entries[draft_id].get("stamp") != on_disk:
            # Recovered from a backup, or changed by the writing copy: the list and the
            # "unchanged, skip the write" check must follow the file.
            self._index.put(draft_id, entry_of(doc, on_disk))
            self._files.forget_written(draft_id)
        return doc

    def _entry_of(self, draft_id: str) -> dict[str, Any]:
        entry = self._index.entries.get(draft_id)
        if entry is None and self.read_only and ID_RE.match(draft_id or ""):
            self._reconcile()
            entry = self._index.entries.get(draft_id)
        if entry is None:
            raise StoreError(f"没有编号为 {draft_id} 的草稿（用 nianbao drafts list 查看全部草稿）")
        return entry

    def _latest(self, draft_id: str, *keys: str) -> dict[str, Any]:
        """The draft's document as last saved, or as last given to ``save`` if that failed
        (the file is read only when the failed save did not hold all of ``keys``)."""
        self._entry_of(draft_id)
        pending = self._pending.get(draft_id, {})
        if all(k in pending for k in keys):
            return pending
        return {**self._doc(draft_id), **pending}

    def load(self, draft_id: str) -> Report:
        """The draft's report (``load_draft`` gives what is kept beside it too)."""
        from app import exchange  # see documents.py
        return exchange.from_dict(self._latest(draft_id, "report")["report"])

    def load_draft(self, draft_id: str) -> Draft:
        """The whole draft: report, last year's report, carried cells, acknowledgements."""
        return draft_of(self._latest(draft_id, "report", "state"))

    def load_extras(self, draft_id: str) -> dict[str, Any]:
        """What the window keeps with the draft (its last step); not part of the report."""
        return extras_of(self._latest(draft_id, "extras"))

    def info(self, draft_id: str) -> DraftInfo:
        return DraftInfo.of(self._entry_of(draft_id))

    def drafts(self) -> list[DraftInfo]:
        """Drafts not in the bin, most recently changed first."""
        return self._listing(deleted=False)

    def drafts_in_bin(self) -> list[DraftInfo]:
        return self._listing(deleted=True)

    def _listing(self, deleted: bool) -> list[DraftInfo]:
        if self.read_only:
            self._reconcile()   # the writing copy may have changed things
        self._flush_index()
        return self._index.listing(deleted)

    # ------------------------------------------------------------------ writing drafts
    def _require_writable(self) -> None:
        if self._closed:
            raise StoreError("草稿库已关闭")
        self.status.require_writable()
        self._begin_writing()

    def _new_id(self) -> str:
        while True:
            draft_id = os.urandom(4).hex()   # as secrets.token_hex, without its 5 ms import
            if draft_id not in self._index.entries and not self.layout.draft_dir(draft_id).exists():
                return draft_id

    def create(self, content: Draft | Report, extras: dict[str, Any] | None = None,
               name: str | None = None) -> str:
        """A new draft holding ``content`` (a bare report: nothing carried or acknowledged);
        returns its id (8 hex digits)."""
        self._require_writable()
        from app.draft import Draft  # see documents.py
        draft = content if isinstance(content, Draft) else Draft(content)
        report = draft.report
        draft_id = self._new_id()
        now = time.time()
        doc = {"id": draft_id, "name": clean_name(name) if name else report.title,
               "created": now, "updated": now, "rev": 1, "deleted": None,
               **summarize(report), "report": report_dict(report),
               "state": draft.state_to_dict(), "extras": checked_extras(extras or {})}
        folder = self.layout.draft_dir(draft_id)
        try:
            self.layout.history_dir(draft_id).mkdir(parents=True)
            fsync_dir(self.layout.drafts)
            self._files.write(draft_id, doc)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise write_failed(self.layout.draft_file(draft_id), exc) from None
        self._index.put(draft_id, entry_of(doc, stamp(self.layout.draft_file(draft_id))))
        self._files.remember_written(draft_id, doc)
        self._saved_this_session.add(draft_id)
        self._snapshot(draft_id)
        self._flush_index()
        return draft_id

    def save(self, draft_id: str, content: Draft | Report,
             extras: dict[str, Any] | None = None) -> int:
        """Autosave: write the draft now; returns the new revision number.

        ``content`` is the whole ``Draft``, or a bare report to change only the report
        (what is kept beside it stays, as do the extras when ``extras`` is None).
        Rewrites only this draft's small file (plus, at most every ``history_interval``
        seconds, one history revision). If the disk refuses, the edits are kept in memory,
        ``StoreWriteError`` says why, and the next ``save``/``retry_pending`` writes them.
        """
        self._require_writable()
        entry = self._entry_of(draft_id)
        from app.draft import Draft  # see documents.py
        draft, report = (content, content.report) if isinstance(content, Draft) else (None, content)
        given = {"report": report_dict(report),
                 "state": draft.state_to_dict() if draft else None,
                 "extras": checked_extras(extras) if extras is not None else None}
        if draft_id not in self._pending and self._files.unchanged(draft_id, given):
            return entry["rev"]
        fields: dict[str, Any] = {"updated": time.time(), **summarize(report)}
        for key, value in given.items():
            if value is not None:
                fields[key] = value
            elif key in self._pending.get(draft_id, {}):
                fields[key] = self._pending[draft_id][key]
        self._pending[draft_id] = fields
        return self._write_pending(draft_id)

    def _write_pending(self, draft_id: str) -> int:
        entry = self._index.entries[draft_id]
        fields = dict(self._pending[draft_id])
        path = self.layout.draft_file(draft_id)
        try:
            self._files.update(draft_id, fields, new_revision=True)
        except OSError as exc:
            raise write_failed(path, exc) from None
        del self._pending[draft_id]
        self._files.remember_written(draft_id, fields)
        entry.update({k: v for k, v in fields.items() if k in DOC_KEYS})
        entry["stamp"] = stamp(path)
        self._index.changed(draft_id)
        self._saved_this_session.add(draft_id)
        self._maybe_snapshot(draft_id)
        return fields["rev"]

    def retry_pending(self) -> bool:
        """Try again to write edits a failed save kept in memory; True when all are saved."""
        for draft_id in list(self._pending):
            try:
                self._write_pending(draft_id)
            except StoreError:    # disk refused, or the store became read-only
                return False
        return True

    def rename(self, draft_id: str, name: str) -> None:
        self._require_writable()
        self._change(draft_id, {"name": clean_name(name)})

    def delete(self, draft_id: str) -> None:
        """Move the draft to the bin (restorable with ``restore_from_bin``)."""
        self._require_writable()
        self._change(draft_id, {"deleted": time.time()})

    def restore_from_bin(self, draft_id: str) -> None:
        self._require_writable()
        self._change(draft_id, {"deleted": None})

    def _change(self, draft_id: str, fields: dict[str, Any]) -> None:
        entry = self._entry_of(draft_id)
        try:
            self._files.update(draft_id, fields)
        except OSError as exc:
            raise write_failed(self.layout.draft_file(draft_id), exc) from None
        entry.update(fields)
        entry["stamp"] = stamp(self.layout.draft_file(draft_id))
        self._index.changed(draft_id)
        self._flush_index()

    def duplicate(self, draft_id: str, name: str | None = None) -> str:
        """A new draft with the same content and extras (history starts afresh)."""
        source = self._entry_of(draft_id)
        return self.create(self.load_draft(draft_id), self.load_extras(draft_id),
                           name or f"{source['name']}（副本）")

    # ------------------------------------------------------------------ history
    def _maybe_snapshot(self, draft_id: str) -> None:
        if self._history.is_due(draft_id):
            self._snapshot(draft_id)

    def _snapshot(self, draft_id: str) -> None:
        self._history.keep(draft_id, self._index.entries[draft_id]["rev"])

    def history(self, draft_id: str) -> list[RevisionInfo]:
        """Saved revisions, newest first; the draft's current state is always the first."""
        entry = self._entry_of(draft_id)
        found = self._history.infos(draft_id, entry["rev"])
        if not found or found[0].rev != entry["rev"]:
            found.insert(0, RevisionInfo.of(entry, current=True))
        return found

    def _revision_doc(self, draft_id: str, rev: int) -> dict[str, Any]:
        path = self.layout.revision_file(draft_id, rev)
        try:
            return self._history.doc(draft_id, rev)
        except FileNotFoundError:
            revs = "、".join(str(r.rev) for r in self.history(draft_id))
            raise StoreError(f"草稿 {draft_id} 没有第 {rev} 版（可用的版本：{revs}）") from None
        except Damaged as exc:
            raise StoreError(f"草稿 {draft_id} 的第 {rev} 版{exc.reason}（{path}）") from None
        except OSError as exc:
            raise StoreError(f"无法读取 {path}：{os_reason(exc)}") from None

    def restore_revision(self, draft_id: str, rev: int) -> Report:
        """Make revision ``rev`` the draft's content again, as a new revision (undoable)."""
        self._require_writable()
        entry = self._entry_of(draft_id)
        if rev == entry["rev"]:
            return self.load(draft_id)
        doc = self._revision_doc(draft_id, rev)
        self._snapshot(draft_id)
        draft = draft_of(doc)
        self.save(draft_id, draft, extras_of(doc))
        self._snapshot(draft_id)
        return draft.report

    # ------------------------------------------------------------------ index and closing
    def _flush_index(self) -> None:
        if not self.read_only:
            self._index.flush()

    def close(self) -> None:
        """Write what is pending, keep the session's last states in history, release the lock.

        Raises ``StoreWriteError`` (and stays open) if unsaved edits still cannot be
        written, so that the window can refuse to quit and say why.
        """
        if self._closed:
            return
        if not self.read_only and self._pending and not self.retry_pending():
            raise StoreWriteError("仍有修改无法写入磁盘（磁盘已满或只读），请先腾出空间再关闭。")
        try:
            if not self.read_only:
                for draft_id in self._saved_this_session:
                    if draft_id in self._index.entries:
                        self._snapshot(draft_id)
                self._flush_index()
                if self._index.in_use_on_disk:
                    self._index.mark_in_use(False)
        finally:   # whatever happens, the lock of a closing copy goes
            self._closed = True
            self._lock.release()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


