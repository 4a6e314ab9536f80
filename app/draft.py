"""The clerk's draft: the report being filled in and what is kept beside it.

A draft is more than its report. Started from last year's report, it keeps that report
(the carry rules check against it, in the window and in ``nianbao validate``), the cells
carried from it and whether the clerk has confirmed each (an unconfirmed one is shown in
italics), and the warnings the clerk marked 已核实 with the reason given. The window, the
command line and the draft store all hold this one object.

Which warning an acknowledgement belongs to (``AckKey``): the rule, the section, the
cells it names, the numbers in those cells, and the words it quotes from a text (its
span) — never its message. Rewording a message keeps the acknowledgement; changing a
number the warning is about makes it a new warning that must be looked at again (the
clerk confirmed *that* difference, not any later one). Changing the number back brings
the acknowledgement back. A warning without cells or quote (a text too long) keeps its
acknowledgement while the text is edited.

The draft also knows which sections the clerk has left (``sections_left``): until then,
what is still empty there is a to-do, not an error (a new report does not greet the clerk
with red). It is kept with the draft so that a reopened draft does not start calm again.

On disk a draft travels as a draft file (``nianbao.draft/1``): an object whose ``report``
is the exchange object of the spec, unchanged, beside ``previous``, ``carried``,
``acknowledged`` and ``sections_left`` (optional: drafts saved before it existed lack it).
The exchange file itself stays exactly as the spec says, so a report sent to the district
never carries last year's report or the clerk's notes. ``write_file`` writes a plain
exchange file when the draft holds nothing else (the sections left alone do not make it a
draft file: they only say what the window shows calmly); ``read_file`` reads both.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import exchange
from app.carry import carried_cells, carry_forward
from app.exchange import ExchangeError
from app.files import FileReadError, read_limited, write_bytes
from app.formats import CellRef
from app.numbers import format_value
from app.report import Report
from app.rules import Finding, validate

SCHEMA = "nianbao.draft/1"
STATE_KEYS = ("previous", "carried", "acknowledged")
OPTIONAL_STATE_KEYS = ("sections_left",)
"""Added later: a draft (in the store or a file) without them is read with them empty."""
FILE_KEYS = ("schema", "report") + STATE_KEYS
MAX_BYTES = 3 * exchange.MAX_BYTES   # two reports and the notes
LEGACY_EXTRAS = ("previous", "carried", "acknowledged")
"""Keys under which drafts saved before the ``Draft`` kept this state in the store's
extras (acknowledgements keyed ``rule|message``); read once, migrated, then dropped."""


@dataclass(frozen=True)
class AckKey:
    """Which warning an acknowledgement is for (see the module docstring)."""

    rule: str
    section: str
    cells: tuple[CellRef, ...]
    values: tuple[str, ...]     # the cells' numbers as shown ("" for empty)
    quote: str | None = None    # the words quoted from a text, if the finding has a span

    @classmethod
    def of(cls, finding: Finding, report: Report) -> AckKey:
        values = tuple(format_value(report.cells.get(ref)) for ref in finding.cells)
        quote = None
        if finding.span:
            key, start, end = finding.span
            quote = report.texts.get(key, "")[start:end]
        return cls(finding.rule, finding.section, tuple(finding.cells), values, quote)


@dataclass
class Draft:
    report: Report
    previous: Report | None = None
    carried: dict[CellRef, bool] = field(default_factory=dict)   # cell -> confirmed
    acknowledged: dict[AckKey, str] = field(default_factory=dict)  # -> reason
    sections_left: set[str] = field(default_factory=set)
    """Sections ("cover", a table or text key) the clerk has left or had checked: what
    is still empty there is an error now, no longer a to-do."""

    @classmethod
    def from_previous(cls, previous: Report, year: int, organ: str | None = None) -> Draft:
        """从上年报告新建: the numbers that follow from ``previous``, marked unconfirmed."""
        report, cells = carry_forward(previous, year)
        if organ and organ.strip():
            report.organ = organ.strip()
        return cls(report, previous, dict.fromkeys(cells, False))

    @property
    def is_plain(self) -> bool:
        """Nothing beside the report: it is written as a plain exchange file."""
        return self.previous is None and not self.carried and not self.acknowledged

    def findings(self, today: dt.date | None = None) -> list[Finding]:
        """Every rule, the carry rules against last year's report when it is known."""
        return validate(self.report, self.previous, today)

    def leave(self, sections: Iterable[str]) -> bool:
        """The clerk left these sections (or opened 检查与导出 for all of them); keys that
        are not sections of the format are ignored. True if any was not left before."""
        new = (set(sections) & set(section_keys(self.report))) - self.sections_left
        self.sections_left |= new
        return bool(new)

    # ------------------------------------------------------------------ carried cells
    def is_unconfirmed(self, ref: CellRef) -> bool:
        return self.carried.get(ref) is False

    def unconfirmed(self, table: str | None = None) -> list[CellRef]:
        return [r for r, ok in self.carried.items() if not ok and table in (None, r[0])]

    def confirm(self, refs: Iterable[CellRef]) -> list[CellRef]:
        """Mark carried cells as checked by the clerk; returns those that were not yet."""
        done = [r for r in refs if self.carried.get(r) is False]
        for ref in done:
            self.carried[ref] = True
        return done

    def typed(self, refs: Iterable[CellRef]) -> list[CellRef]:
        """The clerk typed into these cells (retyped, pasted, cleared): a carried cell that
        holds its carried number is confirmed; one holding another number, or none, is no
        longer carried — it is the clerk's own. Returns the cells whose mark changed."""
        changed = []
        for ref in refs:
            if ref not in self.carried:
                continue
            if self.report.cells.get(ref) != self._carried_value(ref):
                del self.carried[ref]
                changed.append(ref)
            elif not self.carried[ref]:
                self.carried[ref] = True
                changed.append(ref)
        return changed

    def _carried_value(self, ref: CellRef):
        cell = carried_cells(self.report.format).get(ref)
        if cell is None or self.previous is None:
            return self.report.cells.get(ref)   # source unknown: take the cell as it is
        return cell.value(self.previous)

    def carried_note(self, ref: CellRef) -> str | None:
        """What the tooltip says of a carried cell: where its number came from."""
        if ref not in self.carried:
            return None
        source = ""
        cell = carried_cells(self.report.format).get(ref)
        if cell is not None and self.previous is not None:
            source = f"：{cell.explain(self.previous)}"
        head = f"从{self._previous_name()}带入{source}"
        if self.carried[ref]:
            return head + "（已确认）"
        return head + "。请核对：无误时右键选“确认带入的数字”，或重新输入"

    def _previous_name(self) -> str:
        return f" {self.previous.year} 年度报告" if self.previous else "上年报告"

    # ------------------------------------------------------------------ acknowledgements
    def acknowledgement(self, finding: Finding) -> str | None:
        """The reason given when the warning was marked 已核实 ("" for none), else None."""
        return self.acknowledged.get(AckKey.of(finding, self.report))

    def acknowledge(self, finding: Finding, reason: str) -> None:
        self.acknowledged[AckKey.of(finding, self.report)] = reason.strip()

    def unacknowledge(self, finding: Finding) -> None:
        self.acknowledged.pop(AckKey.of(finding, self.report), None)

    # ------------------------------------------------------------------ as JSON
    def state_to_dict(self) -> dict[str, Any]:
        """Everything but the report (the store keeps the report apart, as before)."""
        order = {ref: i for i, ref in enumerate(self.report.format.cells())}
        carried = sorted(self.carried.items(), key=lambda item: order[item[0]])
        acks = sorted(self.acknowledged.items(), key=lambda item: _ack_sort(item[0], order))
        return {
            "previous": exchange.to_dict(self.previous) if self.previous else None,
            "carried": [{"cell": list(ref), "confirmed": ok} for ref, ok in carried],
            "acknowledged": [_ack_out(key, reason) for key, reason in acks],
            "sections_left": [k for k in section_keys(self.report) if k in self.sections_left],
        }

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "report": exchange.to_dict(self.report), **self.state_to_dict()}

    @classmethod
    def from_state(cls, report: Report, state: Any) -> Draft:
        """The draft of ``report`` with ``state`` as ``state_to_dict`` gives it (strict)."""
        obj = _object(state, "草稿信息")
        _check_keys(obj, STATE_KEYS, "", OPTIONAL_STATE_KEYS)
        previous = None
        if obj["previous"] is not None:
            try:
                previous = exchange.from_dict(obj["previous"])
            except ExchangeError as exc:
                raise ExchangeError(f"其中的上年报告（“previous”）无法读取：{exc}") from None
        cells = set(report.format.cells())
        return cls(report, previous, _carried_in(obj["carried"], cells),
                   _acks_in(obj["acknowledged"], cells),
                   _sections_in(obj.get("sections_left", []), section_keys(report)))

    @classmethod
    def from_dict(cls, obj: dict[str, Any]) -> Draft:
        """A draft file's object (``to_dict``), read strictly."""
        _check_keys(obj, FILE_KEYS, "", OPTIONAL_STATE_KEYS)
        try:
            report = exchange.from_dict(obj["report"])
        except ExchangeError as exc:
            raise ExchangeError(f"其中的年报（“report”）无法读取：{exc}") from None
        return cls.from_state(report, {k: v for k, v in obj.items() if k not in ("schema", "report")})

    @classmethod
    def from_legacy(cls, report: Report, extras: dict[str, Any]) -> Draft:
        """A draft saved before this class existed: its state was in the store's extras.

        Acknowledgements were keyed ``rule|message``; each is matched to the warning the
        report gives today with exactly that message. One whose message no longer occurs
        (its numbers changed since, which made it a new warning then too) is dropped.
        """
        previous = None
        if isinstance(extras.get("previous"), dict):
            try:
                previous = exchange.from_dict(extras["previous"])
            except ExchangeError:
                previous = None
        cells = set(report.format.cells()) - report.format.computed_cells()  # totals: computed
        carried = {tuple(r): False for r in extras.get("carried") or []
                   if isinstance(r, list) and tuple(r) in cells}
        draft = cls(report, previous, carried)
        old = extras.get("acknowledged")
        if isinstance(old, dict) and old:
            for finding in draft.findings():
                reason = old.get(f"{finding.rule}|{finding.message}")
                if isinstance(reason, str):
                    draft.acknowledge(finding, reason)
        return draft


def encode(draft: Draft) -> bytes:
    """The file's bytes: a plain exchange file when the draft holds nothing else.
    ``ExchangeError`` when they would be more than ``read_file`` accepts."""
    if draft.is_plain:
        return exchange.encode(draft.report)
    for report in (draft.report, draft.previous):   # what read_file would refuse
        if report is not None:
            exchange.check_texts(report)
    data = (json.dumps(draft.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"草稿数据有 {len(data) / 1024 / 1024:.1f} MB，超过草稿文件的上限 "
                            f"{MAX_BYTES // 1024 // 1024} MB（正文是否过长？），没有写入")
    return data


def write_file(draft: Draft, path: str | Path) -> None:
    """Write with the program's one writer (``app.files``): ``ExchangeError`` (too large)
    or ``OSError`` with a Chinese ``strerror``."""
    write_bytes(Path(path), encode(draft))


def read_file(path: str | Path) -> Draft:
    """A draft file or a plain exchange file; problems are ``ExchangeError`` in Chinese."""
    return from_bytes(read_bytes(path))


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a draft or exchange file, within the size one can have."""
    try:
        return read_limited(Path(path), MAX_BYTES, "年报数据文件（通常只有几十 KB）")
    except FileReadError as exc:
        raise ExchangeError(str(exc)) from None


def from_bytes(data: bytes) -> Draft:
    """A draft file's bytes, or a plain exchange file's, read by the exchange reader
    itself (its limits and messages). The JSON is parsed once: an exchange file within
    the exchange's own limit goes on from the parsed object (parsing it again took ~40 µs
    of each of the district's files)."""
    try:
        obj = exchange.parse_json(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):   # ExchangeError too: the exchange reader says why
        obj = None
    if isinstance(obj, dict) and obj.get("schema") == SCHEMA:
        return Draft.from_dict(obj)
    if isinstance(obj, dict) and len(data) <= exchange.MAX_BYTES:
        return Draft(exchange.from_dict(obj))
    return Draft(exchange.loads_bytes(data))


# ------------------------------------------------------------------ strict reading
def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ExchangeError(f"“{where}” 应为对象")
    return value


def section_keys(report: Report) -> tuple[str, ...]:
    """Where the clerk fills something in, in order: "cover", then each section's text or
    table key (as ``Finding.section`` names them)."""
    return ("cover",) + tuple(s.text or s.table or "" for s in report.format.sections)


def _check_keys(obj: dict, expected: tuple[str, ...], prefix: str,
                optional: tuple[str, ...] = ()) -> None:
    for key in obj:
        if key not in expected + optional:
            raise ExchangeError(f"未知的键 “{prefix}{key}”（草稿文件可用的键：{'、'.join(expected + optional)}）")
    for key in expected:
        if key not in obj:
            raise ExchangeError(f"缺少键 “{prefix}{key}”")


def _cell(value: Any, cells: set, where: str) -> CellRef:
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value)):
        raise ExchangeError(f"“{where}” 应为 [表, 行, 列]")
    ref = tuple(value)
    if ref not in cells:
        raise ExchangeError(f"“{where}” 为 {'.'.join(ref)}，不是这份报告格式中的单元格")
    return ref


def _carried_in(items: Any, cells: set) -> dict[CellRef, bool]:
    if not isinstance(items, list):
        raise ExchangeError("“carried” 应为数组")
    out: dict[CellRef, bool] = {}
    for i, item in enumerate(items):
        obj = _object(item, f"carried[{i}]")
        _check_keys(obj, ("cell", "confirmed"), f"carried[{i}].")
        if not isinstance(obj["confirmed"], bool):
            raise ExchangeError(f"“carried[{i}].confirmed” 应为 true 或 false")
        out[_cell(obj["cell"], cells, f"carried[{i}].cell")] = obj["confirmed"]
    return out


def _sections_in(items: Any, keys: tuple[str, ...]) -> set[str]:
    if not (isinstance(items, list) and all(isinstance(k, str) for k in items)):
        raise ExchangeError("“sections_left” 应为文字的数组")
    for key in items:
        if key not in keys:
            raise ExchangeError(f"“sections_left” 中的 “{key}” 不是这份报告格式中的部分"
                                f"（可用：{'、'.join(keys)}）")
    return set(items)


ACK_KEYS = ("rule", "section", "cells", "values", "quote", "reason")


def _ack_out(key: AckKey, reason: str) -> dict[str, Any]:
    return {"rule": key.rule, "section": key.section, "cells": [list(c) for c in key.cells],
            "values": list(key.values), "quote": key.quote, "reason": reason}


def _ack_sort(key: AckKey, order: dict) -> tuple:
    return (key.rule, key.section, [order.get(c, -1) for c in key.cells], key.values,
            key.quote or "")


def _acks_in(items: Any, cells: set) -> dict[AckKey, str]:
    if not isinstance(items, list):
        raise ExchangeError("“acknowledged” 应为数组")
    out: dict[AckKey, str] = {}
    for i, item in enumerate(items):
        where = f"acknowledged[{i}]"
        obj = _object(item, where)
        _check_keys(obj, ACK_KEYS, where + ".")
        for name in ("rule", "section", "reason"):
            if not isinstance(obj[name], str):
                raise ExchangeError(f"“{where}.{name}” 应为文字")
        if obj["quote"] is not None and not isinstance(obj["quote"], str):
            raise ExchangeError(f"“{where}.quote” 应为文字或 null")
        refs, values = obj["cells"], obj["values"]
        if not (isinstance(refs, list) and isinstance(values, list) and len(refs) == len(values)
                and all(isinstance(v, str) for v in values)):
            raise ExchangeError(f"“{where}” 的 cells 与 values 应为等长的数组（values 为文字）")
        key = AckKey(obj["rule"], obj["section"],
                     tuple(_cell(r, cells, f"{where}.cells[{j}]") for j, r in enumerate(refs)),
                     tuple(values), obj["quote"])
        out[key] = obj["reason"]
    return out
