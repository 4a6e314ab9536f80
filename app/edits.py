"""Undo and redo of report edits, as data (no Qt).

Every change the wizard makes to a draft goes through an ``EditStack``: a cell value, a
text, a header field, the mark of a number carried from last year's report (confirmed, or
no longer carried once another number is typed), or a batch of them (a paste, clearing a
block, 确认带入的数字). Keeping the stack in the core, as Anki does, means the one undo
history covers the whole draft (cells on one step, texts on another, confirmations) and
is tested without a window. Totals (``总计``) are computed here too: when a cell changes,
the totals that depend on it are recomputed inside the same batch, so one undo restores
both the cell and its totals — and retyping a carried number changes its mark in the same
batch, so undoing the number brings its mark back.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from app.formats import CellRef, TotalRelation, version_for_year
from app.report import Report, Value

if TYPE_CHECKING:                  # app.draft needs app.carry, which needs this module
    from app.draft import Draft


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


@dataclass(frozen=True)
class MarkEdit:
    """The mark of a cell carried from last year's report (``Draft.carried``): True
    confirmed, False not yet checked, None not (or no longer) carried."""
    ref: CellRef
    old: bool | None
    new: bool | None


Edit = CellEdit | TextEdit | HeaderEdit | MarkEdit


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

    def marks(self) -> list[CellRef]:
        """The carried cells whose mark this batch changes."""
        return [e.ref for e in self.edits if isinstance(e, MarkEdit)]


MERGE_SECONDS = 1.5
"""Typing in one text within this many seconds is one undo step, not one per character."""

HEADER_FIELDS = ("organ", "year", "date")


CONFIRM_LABEL = "确认带入的数字"


class EditStack:
    """The draft (or a bare report) being edited and its undo/redo history."""

    def __init__(self, content: Report | Draft, limit: int = 1000) -> None:
        self.draft = None if isinstance(content, Report) else content
        """The draft whose carried marks typing and 确认 change (None: a bare report)."""
        self.report = content if isinstance(content, Report) else content.report
        self.limit = limit
        self._undo: list[Batch] = []
        self._redo: list[Batch] = []
        self.revision = 0
        """Counts every change (do, undo, redo): the UI compares it to what it last saved."""

    # -------------------------------------------------------------- making edits
    def set_cells(self, values: dict[CellRef, Value], label: str = "修改单元格") -> Batch | None:
        """Set cells, recompute the totals they feed and change the marks of carried cells
        typed into (``Draft.typed``: retyping a carried number confirms it); one undo step.
        None if nothing changed."""
        cells = [CellEdit(ref, self.report.cells[ref], v) for ref, v in values.items()
                 if self.report.cells[ref] != v or type(self.report.cells[ref]) is not type(v)]
        for e in cells:
            self.report.cells[e.ref] = e.new
        edits: list[Edit] = list(cells)
        if cells:
            edits += recompute_totals(self.report, [e.ref for e in cells])
        marks = self._mark_edits(values, typed=True)
        if marks and not edits and all(m.new for m in marks):
            label = CONFIRM_LABEL          # carried numbers retyped as they were
        edits += marks
        if not edits:
            return None
        return self._push(Batch(label, tuple(edits), time.monotonic()))

    def confirm(self, refs: Iterable[CellRef]) -> Batch | None:
        """确认带入的数字: the carried cells among ``refs`` not yet confirmed are; one undo
        step. None if none was waiting."""
        edits = self._mark_edits(refs, typed=False)
        if not edits:
            return None
        return self._push(Batch(CONFIRM_LABEL, tuple(edits), time.monotonic()))

    def _mark_edits(self, refs: Iterable[CellRef], typed: bool) -> list[MarkEdit]:
        """The marks of ``refs`` after the clerk typed into them (``Draft.typed``) or
        confirmed them (``Draft.confirm``): the changes, as edits."""
        draft = self.draft
        if draft is None:
            return []
        before = {ref: draft.carried.get(ref) for ref in refs}
        (draft.typed if typed else draft.confirm)(list(before))
        return [MarkEdit(ref, old, draft.carried.get(ref)) for ref, old in before.items()
                if draft.carried.get(ref) != old]

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
        elif isinstance(edit, MarkEdit):
            assert self.draft is not None      # only a draft's stack makes them
            if value is None:
                self.draft.carried.pop(edit.ref, None)
            else:
                self.draft.carried[edit.ref] = value
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
