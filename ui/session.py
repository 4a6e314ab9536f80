"""One open draft: the ``Draft``, its undo stack, live findings and autosave.

The grids, text editors and the check page all edit the draft through this object, so
there is one place that records undo, re-validates after each edit, tells every view what
changed, and saves to the draft store.

Autosave: the first edit not yet on disk starts a timer of ``SAVE_DELAY_MS``; later edits
do not restart it, so while the clerk keeps editing a save still comes every half second
and no edit (cell, text, confirmation, acknowledgement) stays unsaved for longer.
Confirming carried numbers is an edit of the undo stack like a cell; acknowledgements
are kept beside it (not undone). A save
costs a few ms (one small file, see ``bench/bench_store.py``); the store turns at most one
save a minute into a history revision. A failed save is retried by the main window.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6 import QtCore

from app.draft import Draft
from app.edits import Batch, EditStack, HeaderEdit
from app.formats import CellRef
from app.report import Report, Value
from app.rules import Finding

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 500
"""At most this long after an edit it is on disk (the README promises one second)."""


class Session(QtCore.QObject):
    cellsChanged = QtCore.Signal(list)      # list[CellRef]
    textChanged = QtCore.Signal(str)        # text key
    headerChanged = QtCore.Signal()
    findingsChanged = QtCore.Signal()
    savedChanged = QtCore.Signal(bool)
    edited = QtCore.Signal(object)          # the Batch done, undone or redone
    message = QtCore.Signal(str)            # a status line for the user
    saveFailed = QtCore.Signal(str)
    saveAttempted = QtCore.Signal()         # after each write to the store, good or failed
    carriedChanged = QtCore.Signal(list)    # list[CellRef] whose carried mark changed

    def __init__(self, draft: Draft, store: Any = None, draft_id: str | None = None,
                 extras: dict | None = None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.stack = EditStack(draft)
        self.store = store
        self.draft_id = draft_id
        self.extras: dict = dict(extras or {})
        self.findings: list[Finding] = []
        self._saved_revision = self.stack.revision
        self._state_dirty = False     # acknowledgements
        self._soft_dirty = False      # extras: the step shown
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self.revalidate()

    @property
    def report(self) -> Report:
        return self.stack.report

    # -------------------------------------------------------------- edits
    def set_cells(self, values: dict[CellRef, Value], label: str = "修改单元格") -> Batch | None:
        """Typed, pasted or cleared cells; retyping a carried number confirms it."""
        batch = self.stack.set_cells(values, label)
        if batch:
            self._after(batch)
        return batch

    def confirm_carried(self, refs) -> list[CellRef]:
        """The clerk checked these carried numbers (one cell, a selection, a table): one
        step in the undo history. Returns the cells confirmed now."""
        batch = self.stack.confirm(refs)
        if batch:
            self._after(batch)
        return batch.marks() if batch else []

    def set_text(self, key: str, text: str) -> None:
        batch = self.stack.set_text(key, text)
        if batch:
            self._after(batch, echo_text=False)

    def set_header(self, name: str, value: object) -> None:
        batch = self.stack.set_header(name, value)
        if batch:
            self._after(batch)

    def undo(self) -> Batch | None:
        batch = self.stack.undo()
        if batch:
            self._after(batch)
            self.message.emit(f"已撤销：{batch.label}")
        return batch

    def redo(self) -> Batch | None:
        batch = self.stack.redo()
        if batch:
            self._after(batch)
            self.message.emit(f"已重做：{batch.label}")
        return batch

    def _after(self, batch: Batch, echo_text: bool = True) -> None:
        cells = batch.cells()
        if cells:
            self.cellsChanged.emit(cells)
        if echo_text:
            for key in batch.texts():
                self.textChanged.emit(key)
        if any(isinstance(e, HeaderEdit) for e in batch.edits):
            self.headerChanged.emit()
        if batch.marks():
            self.carriedChanged.emit(batch.marks())
        self.revalidate()
        self.edited.emit(batch)
        self._changed()

    # -------------------------------------------------------------- findings
    def revalidate(self) -> None:
        self.findings = self.draft.findings()
        self._by_cell: dict[CellRef, list[Finding]] = {}
        for f in self.findings:
            for ref in f.cells:
                self._by_cell.setdefault(ref, []).append(f)
        self.findingsChanged.emit()

    def findings_at(self, ref: CellRef) -> list[Finding]:
        return self._by_cell.get(ref, [])

    def error_count(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def acknowledgement(self, finding: Finding) -> str | None:
        """The reason given when the warning was marked 已核实 ("" for none), else None."""
        return self.draft.acknowledgement(finding)

    def acknowledge(self, finding: Finding, reason: str) -> None:
        self.draft.acknowledge(finding, reason)
        self._state_changed()

    def unacknowledge(self, finding: Finding) -> None:
        self.draft.unacknowledge(finding)
        self._state_changed()

    def set_extra(self, key: str, value: object) -> None:
        """Remember a detail of the UI (the last step) with the next save; not an edit."""
        if self.extras.get(key) != value:
            self.extras[key] = value
            self._soft_dirty = True

    def _state_changed(self, notify: bool = True) -> None:
        self._state_dirty = True
        if notify:
            self.findingsChanged.emit()
        self._changed()

    # -------------------------------------------------------------- saving
    @property
    def is_saved(self) -> bool:
        return self.stack.revision == self._saved_revision and not self._state_dirty

    def _changed(self) -> None:
        """Something to save: within ``SAVE_DELAY_MS`` of the first edit not on disk."""
        self.savedChanged.emit(self.is_saved)
        if self.store is not None and self.draft_id is not None and not self._timer.isActive():
            self._timer.start()

    def save(self) -> bool:
        """Write the draft to the store now; False (and a message) if that failed."""
        self._timer.stop()
        if self.store is None or self.draft_id is None:
            return self.store is None
        if self.is_saved and not self._soft_dirty:
            return True
        revision = self.stack.revision
        try:
            self.store.save(self.draft_id, self.draft, extras=self.extras)
        except Exception as exc:  # the store's errors carry a Chinese message
            log.exception("autosave failed")
            self.saveFailed.emit(f"自动保存失败：{exc}")
            self.saveAttempted.emit()
            return False
        self._saved_revision = revision
        self._state_dirty = self._soft_dirty = False
        self.savedChanged.emit(self.is_saved)
        self.saveAttempted.emit()   # the store may have repaired something on the way
        return True
