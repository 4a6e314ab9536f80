"""Undo and redo of report edits, as data (no Qt).

Every change the wizard makes to a report goes through an ``EditStack``: a cell value, a
text, a header field, or a batch of them (a paste, clearing a block). Keeping the stack in
the core, as Anki does, means the undo history covers the whole report (cells on one step,
texts on another) and is tested without a window. Totals (``总计``) are computed here too:
when a cell changes, the totals that depend on it are recomputed inside the same batch, so
one undo restores both the cell and its totals.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from app.formats import CellRef, TotalRelation, version_for_year
from app.report import Report, Value


@dataclass(frozen=True)
class CellEdit:
    ref: CellRef
    old: Value
    new: Value


@dataclass(frozen=True)
class TextEdit:
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class HeaderEdit:
    """A header field: ``organ`` (str), ``year`` (int) or ``date`` (datetime.date | None)."""
    name: str
    old: object
    new: object


Edit = CellEdit | TextEdit | HeaderEdit


@dataclass(frozen=True)
class Batch:
    """Edits undone and redone together; ``label`` names it in the menu (撤销“粘贴”)."""
    label: str
    edits: tuple[Edit, ...]
    at: float = field(default=0.0, compare=False)

    def cells(self) -> list[CellRef]:
        return [e.ref for e in self.edits if isinstance(e, CellEdit)]

    def texts(self) -> list[str]:
        return [e.key for e in self.edits if isinstance(e, TextEdit)]


MERGE_SECONDS = 1.5
"""Typing in one text within this many seconds is one undo step, not one per character."""

HEADER_FIELDS = ("organ", "year", "date")


class EditStack:
    """The report being edited and its undo/redo history."""

    def __init__(self, report: Report, limit: int = 1000) -> None:
        self.report = report
        self.limit = limit
        self._undo: list[Batch] = []
        self._redo: list[Batch] = []
        self.revision = 0
        """Counts every change (do, undo, redo): the UI compares it to what it last saved."""

    # -------------------------------------------------------------- making edits
    def set_cells(self, values: dict[CellRef, Value], label: str = "修改单元格") -> Batch | None:
        """Set cells and recompute the totals they feed; one undo step. None if nothing changed."""
        edits = [CellEdit(ref, self.report.cells[ref], v) for ref, v in values.items()
                 if self.report.cells[ref] != v or type(self.report.cells[ref]) is not type(v)]
        if not edits:
            return None
        for e in edits:
            self.report.cells[e.ref] = e.new
        edits += recompute_totals(self.report, [e.ref for e in edits])
        return self._push(Batch(label, tuple(edits), time.monotonic()))

    def set_text(self, key: str, text: str, now: float | None = None) -> Batch | None:
        """Set a text; consecutive typing in the same text merges into one undo step."""
        old = self.report.texts.get(key, "")
        if old == text:
            return None
        now = time.monotonic() if now is None else now
        self.report.texts[key] = text
        last = self._undo[-1] if self._undo else None
        if (last and not self._redo and len(last.edits) == 1 and isinstance(last.edits[0], TextEdit)
                and last.edits[0].key == key and now - last.at < MERGE_SECONDS):
            merged = Batch(last.label, (TextEdit(key, last.edits[0].old, text),), now)
            self._undo[-1] = merged
            self.revision += 1
            return Batch(last.label, (TextEdit(key, old, text),), now)
        return self._push(Batch("修改文字", (TextEdit(key, old, text),), now))

    def set_header(self, name: str, value: object) -> Batch | None:
        """Change ``organ``, ``date`` or ``year`` (only within the report's format: another
        format has other rows, so a year across 2020/2021 needs a new report)."""
        if name not in HEADER_FIELDS:
            raise KeyError(name)
        if name == "year":
            if not isinstance(value, int):
                raise TypeError(f"year must be an int, not {value!r}")
            if (version := version_for_year(value)) != self.report.version:
                raise ValueError(f"{value} 年度应使用 {version} 版格式，不能在本报告中改为该年度")
        old = getattr(self.report, name)
        if old == value:
            return None
        setattr(self.report, name, value)
        return self._push(Batch("修改封面信息", (HeaderEdit(name, old, value),), time.monotonic()))

    def _push(self, batch: Batch) -> Batch:
        self._undo.append(batch)
        del self._undo[:-self.limit]
        self._redo.clear()
        self.revision += 1
        return batch

    # -------------------------------------------------------------- undo / redo
    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self) -> Batch | None:
        """Revert the last batch; returns it (the UI refreshes what it names)."""
        if not self._undo:
            return None
        batch = self._undo.pop()
        for e in reversed(batch.edits):
            self._apply(e, e.old)
        self._redo.append(replace(batch, at=0.0))
        self.revision += 1
        return batch

    def redo(self) -> Batch | None:
        if not self._redo:
            return None
        batch = self._redo.pop()
        for e in batch.edits:
            self._apply(e, e.new)
        self._undo.append(replace(batch, at=0.0))
        self.revision += 1
        return batch

    def _apply(self, edit: Edit, value) -> None:
        if isinstance(edit, CellEdit):
            self.report.cells[edit.ref] = value
        elif isinstance(edit, TextEdit):
            self.report.texts[edit.key] = value
        else:
            setattr(self.report, edit.name, value)


# ------------------------------------------------------------------ totals
def computed_total(report: Report, rel: TotalRelation) -> Value:
    """The sum of the parts filled in so far; None while none is filled in."""
    values = [v for r in rel.parts if (v := report.cells[r]) is not None]
    return sum(values) if values else None


def recompute_totals(report: Report, changed: Iterable[CellRef]) -> list[CellEdit]:
    """Recompute the totals fed by ``changed`` cells (and totals of totals); apply them.

    Only totals that depend on a changed cell are touched, so a report imported with a
    wrong printed total keeps it (and the validator shows it) until a part is edited.
    """
    rels = report.format.total_relations
    dirty = set(changed)
    edits: dict[CellRef, CellEdit] = {}
    for _ in range(len(rels) + 1):
        changed_now = set()
        for rel in rels:
            if dirty.isdisjoint(rel.parts):
                continue
            value = computed_total(report, rel)
            old = report.cells[rel.target]
            if value != old or type(value) is not type(old):
                first_old = edits[rel.target].old if rel.target in edits else old
                report.cells[rel.target] = value
                edits[rel.target] = CellEdit(rel.target, first_old, value)
                changed_now.add(rel.target)
        if not changed_now:
            break
        dirty = changed_now
    return list(edits.values())
