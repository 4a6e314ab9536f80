"""A small marker file in the data folder naming the draft being edited, removed on a
clean close: found at start, it means the last run ended in a crash, and that draft is
offered back (its last autosave is in the store)."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from app.files import write_bytes

log = logging.getLogger(__name__)

MARKER = "ui-open-draft.json"


class OpenDraftMarker:
    def __init__(self, store) -> None:
        self.store = store
        layout = getattr(store, "layout", None)
        self.path = Path(layout.root) / MARKER if layout is not None else None

    def _usable(self) -> bool:
        return self.path is not None and not self.store.read_only

    def write(self, draft_id: str) -> None:
        if self.path is not None and self._usable():
            try:
                write_bytes(self.path, json.dumps({"draft": draft_id}).encode("utf-8"), durable=False)
            except OSError:
                log.exception("writing the open-draft marker")

    def remove(self) -> None:
        if self.path is not None and self._usable():
            self.path.unlink(missing_ok=True)

    def crashed_draft(self) -> str | None:
        """The draft that was open when the last run ended without closing, if any."""
        if self.path is None or not self._usable() or not self.path.exists():
            return None
        try:
            draft_id = json.loads(self.path.read_text(encoding="utf-8"))["draft"]
        except (OSError, ValueError, KeyError, TypeError):
            self.path.unlink(missing_ok=True)
            return None
        return draft_id if any(i.id == draft_id for i in self.store.drafts()) else None
