"""When the window should save: debounced after edits, retried after a disk error.

Qt-free so that it can be tested without a window: the window calls ``edited()`` on each
edit and ``tick()`` from a timer (say every 200 ms), and ``flush()`` before switching draft
or closing. A save happens ``delay`` seconds after the last edit, and during continuous
typing no later than ``max_wait`` seconds after the first unsaved edit: a power cut loses
at most the last second (the issue's promise), at a cost of one ~2 ms save per second. After a failed save (disk full, read-only) the edits stay with the store and
``tick()`` retries every ``retry_every`` seconds; the message says what is wrong.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from app.report import Report
from app.store.drafts import DraftStore
from app.store.errors import StoreError

Snapshot = Callable[[], tuple[Report, dict[str, Any] | None]]


class Autosaver:
    def __init__(self, store: DraftStore, *, delay: float = 0.5, max_wait: float = 1.0,
                 retry_every: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.delay, self.max_wait, self.retry_every = delay, max_wait, retry_every
        self._clock = clock
        self._draft_id: str | None = None
        self._snapshot: Snapshot | None = None
        self._first_edit: float | None = None
        self._last_edit = 0.0
        self._last_failure: float | None = None
        self.error: str | None = None   # the Chinese message of the last failed save

    @property
    def dirty(self) -> bool:
        """Edits not yet on disk (waiting for the delay, or kept after a failed save)."""
        return self._first_edit is not None or self.store.has_unsaved

    def edited(self, draft_id: str, snapshot: Snapshot) -> None:
        """Note an edit; ``snapshot()`` gives (report, extras) when the save happens."""
        if self._draft_id not in (None, draft_id) and self._first_edit is not None:
            self.flush()
        now = self._clock()
        self._draft_id, self._snapshot = draft_id, snapshot
        self._last_edit = now
        if self._first_edit is None:
            self._first_edit = now

    def tick(self) -> bool:
        """Save if it is time; True if a save or retry was attempted."""
        now = self._clock()
        if self._first_edit is not None:
            quiet = now - self._last_edit >= self.delay
            overdue = now - self._first_edit >= self.max_wait
            if quiet or overdue:
                self.flush()
                return True
        elif self.store.has_unsaved and now - (self._last_failure or 0.0) >= self.retry_every:
            self._attempt(self.store.retry_pending)
            return True
        return False

    def flush(self) -> bool:
        """Save now (before closing or switching draft); True when everything is on disk."""
        if self._first_edit is not None and self._snapshot and self._draft_id:
            report, extras = self._snapshot()
            draft_id = self._draft_id
            self._first_edit = None
            self._attempt(lambda: self.store.save(draft_id, report, extras))
        elif self.store.has_unsaved:
            self._attempt(self.store.retry_pending)
        return not self.dirty

    def _attempt(self, save: Callable[[], Any]) -> None:
        try:
            result = save()
        except StoreError as exc:
            self.error = str(exc)
            self._last_failure = self._clock()
            return
        if result is not False:
            self.error = None
            self._last_failure = None
        else:
            self._last_failure = self._clock()
