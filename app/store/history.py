"""The last 50 saved revisions of each draft: ``drafts/<id>/history/<rev>.json.gz``.

A revision is a copy of the draft file as it was after that save (gzip: a third of the
space). Autosaves come every second or so; keeping each would turn 50 revisions into
under a minute of history, so a save becomes a revision only when the newest revision is
at least ``interval`` seconds old (0: every save), and the store keeps the last state of
each session when it closes. Writing history is best effort: a failure never fails a save,
and a revision is not fsynced (see ``History.keep``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import os
import re
import time
from typing import Any, NamedTuple

from app.store.atomic_storage import atomic_write_bytes, encode
from app.store.documents import check_revision, local_time, meta_table, repair
from app.store.paths import Layout
from app.store.recovery import KIND_DRAFT, KIND_REVISION, Damaged, read_checked, single_doc

HISTORY_LIMIT = 50
REV_RE = re.compile(r"^(\d{8})\.json\.gz$")


class RevisionInfo(NamedTuple):
    """One saved revision of a draft (``current`` marks the one now in the draft)."""

    rev: int
    saved: dt.datetime
    completeness: float
    error_count: int
    current: bool

    @classmethod
    def of(cls, doc: dict[str, Any], current: bool) -> RevisionInfo:
        return cls(rev=doc["rev"], saved=local_time(doc["updated"]),
                   completeness=doc.get("completeness") or 0.0,
                   error_count=doc.get("error_count") or 0, current=current)


class History:
    def __init__(self, layout: Layout, interval: float) -> None:
        self.layout = layout
        self.interval = interval
        self._newest: dict[str, tuple[float, int]] = {}  # id -> (time, rev) of newest

    def numbers(self, draft_id: str) -> list[int]:
        """Revision numbers on disk, oldest first."""
        try:
            names = os.listdir(self.layout.history_dir(draft_id))
        except OSError:
            return []
        return sorted(int(m.group(1)) for m in map(REV_RE.match, names) if m)

    def newest(self, draft_id: str) -> tuple[float, int]:
        if draft_id not in self._newest:
            revs = self.numbers(draft_id)
            if revs:
                path = self.layout.revision_file(draft_id, revs[-1])
                try:
                    self._newest[draft_id] = (path.stat().st_mtime, revs[-1])
                except OSError:
                    self._newest[draft_id] = (0.0, revs[-1])
            else:
                self._newest[draft_id] = (0.0, 0)
        return self._newest[draft_id]

    def is_due(self, draft_id: str) -> bool:
        return time.time() - self.newest(draft_id)[0] >= self.interval

    def keep(self, draft_id: str, rev: int) -> None:
        """Keep the draft file as it is now (revision ``rev``) in the history."""
        if self.newest(draft_id)[1] == rev:
            return
        try:
            doc = single_doc(read_checked(self.layout.draft_file(draft_id), KIND_DRAFT), "draft")
            if doc.get("rev") != rev:   # the file is not (or no longer) that revision
                return
            data = {"meta": meta_table(KIND_REVISION), "revision": {"1": doc}}
            # Not fsynced: this revision is a copy of the draft file, which is. By the
            # time a newer revision exists the system has long written this one out;
            # one left empty by a power cut is skipped as damaged.
            atomic_write_bytes(self.layout.revision_file(draft_id, rev),
                               gzip.compress(encode(data), compresslevel=6, mtime=0),
                               durable=False)
        except (OSError, Damaged):
            return
        self._newest[draft_id] = (time.time(), rev)
        self._prune(draft_id)

    def _prune(self, draft_id: str) -> None:
        for rev in self.numbers(draft_id)[:-HISTORY_LIMIT]:
            with contextlib.suppress(OSError):
                os.unlink(self.layout.revision_file(draft_id, rev))

    def doc(self, draft_id: str, rev: int) -> dict[str, Any]:
        """A revision's document; ``FileNotFoundError``, ``Damaged`` or ``OSError`` if not usable."""
        path = self.layout.revision_file(draft_id, rev)
        doc = single_doc(read_checked(path, KIND_REVISION, check_revision), "revision")
        repair(doc, path.stat().st_mtime)   # a bad time or summary must not hide a revision
        return doc

    def infos(self, draft_id: str, current_rev: int) -> list[RevisionInfo]:
        """The usable revisions, newest first (damaged ones are not offered)."""
        found = []
        for rev in reversed(self.numbers(draft_id)):
            try:
                doc = self.doc(draft_id, rev)
            except (OSError, Damaged):
                continue
            found.append(RevisionInfo.of(dict(doc, rev=rev), current=rev == current_rev))
        return found
