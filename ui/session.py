"""One open draft: the report, its undo stack, live findings and autosave.

The grids, text editors and the check page all edit the report through this object, so
there is one place that records undo, re-validates after each edit, tells every view what
changed, and saves to the draft store (debounced, and at once on close).
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6 import QtCore

from app.edits import Batch, EditStack, HeaderEdit
from app.formats import CellRef
from app.report import Report, Value
from app.rules import Finding, validate
from ui.steps_def import finding_key, step_of

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1500


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

    def __init__(self, report: Report, store: Any = None, draft_id: str | None = None,
                 extras: dict | None = None, previous: Report | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = EditStack(report)
        self.store = store
        self.draft_id = draft_id
        self.extras: dict = dict(extras or {})
        self.extras.setdefault("acknowledged", {})
        self.previous = previous
        self.findings: list[Finding] = []
        self._saved_revision = self.stack.revision
        self._extras_dirty = False
        self._soft_dirty = False
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)
        self.revalidate()

    @property
    def report(self) -> Report:
        return self.stack.report

    # -------------------------------------------------------------- edits
    def set_cells(self, values: dict[CellRef, Value], label: str = "修改单元格") -> Batch | None:
        batch = self.stack.set_cells(values, label)
        if batch:
            self._after(batch)
        return batch

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
        self.revalidate()
        self.edited.emit(batch)
        self._changed()

    # -------------------------------------------------------------- findings
    def revalidate(self) -> None:
        self.findings = validate(self.report, self.previous)
        self._by_cell: dict[CellRef, list[Finding]] = {}
        for f in self.findings:
            for ref in f.cells:
                self._by_cell.setdefault(ref, []).append(f)
        self.findingsChanged.emit()

    def findings_at(self, ref: CellRef) -> list[Finding]:
        return self._by_cell.get(ref, [])

    def findings_of_step(self, step_key: str) -> list[Finding]:
        fmt = self.report.format
        return [f for f in self.findings if step_of(f, fmt) == step_key]

    def error_count(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def acknowledgement(self, finding: Finding) -> str | None:
        """The reason given when the warning was marked 已核实 ("" for none), else None."""
        return self.extras["acknowledged"].get(finding_key(finding))

    def acknowledge(self, finding: Finding, reason: str) -> None:
        self.extras["acknowledged"][finding_key(finding)] = reason.strip()
        self._extras_changed()

    def unacknowledge(self, finding: Finding) -> None:
        self.extras["acknowledged"].pop(finding_key(finding), None)
        self._extras_changed()

    def set_extra(self, key: str, value: object) -> None:
        """Remember a detail of the UI (the last step) with the next save; not an edit."""
        if self.extras.get(key) != value:
            self.extras[key] = value
            self._soft_dirty = True

    def _extras_changed(self, notify: bool = True) -> None:
        self._extras_dirty = True
        if notify:
            self.findingsChanged.emit()
        self._changed()

    # -------------------------------------------------------------- saving
    @property
    def is_saved(self) -> bool:
        return self.stack.revision == self._saved_revision and not self._extras_dirty

    def _changed(self) -> None:
        self.savedChanged.emit(self.is_saved)
        if self.store is not None and self.draft_id is not None:
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
            self.store.save(self.draft_id, self.report, extras=self.extras)
        except Exception as exc:  # the store's errors carry a Chinese message
            log.exception("autosave failed")
            self.saveFailed.emit(f"自动保存失败：{exc}")
            self.saveAttempted.emit()
            return False
        self._saved_revision = revision
        self._extras_dirty = self._soft_dirty = False
        self.savedChanged.emit(self.is_saved)
        self.saveAttempted.emit()   # the store may have repaired something on the way
        return True
