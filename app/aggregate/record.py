"""The summary's record (汇总记录): what the office decided, kept beside the summary.

A district collects reports over weeks. The record keeps the summary's name and office,
the roster, what the clerk decided about doubtful names (``names``: a report's body is or
is not a roster unit, never asked again), every file with its digest, its report and its
findings, last year's reports and the district's own report, so that reopening it next
week shows the same state — and adds what has arrived since. It is written beside the summary's output as
``{output name}.汇总记录.json`` (``record_path_for``), and reopened with ``--record`` on
the command line or 打开汇总记录… in the window.

A file whose bytes are unchanged keeps its saved report and findings; a changed file is
read again; a file moved away keeps what was saved (the record holds its report). Last
year's reports are kept whole, so a record is also last year's summary for next year
(``--previous 去年.汇总记录.json``).

The record is JSON (``schema: nianbao.summary/1``); paths are relative to its folder when
they can be, so the folder can be moved or copied whole. It is written one item a line:
the header keys and each name decision on a line of their own (a clerk may add a decision
by hand), each file compact on one line — a district's 1,000 files with tens of findings
each make tens of megabytes, which an indented layout made half as large again and several
times slower to write. A finding's cell is written ``"table.row.column"`` (one string, not a
list of three); a record written before, with lists, reads the same.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app import exchange
from app.aggregate.desk_inputs import DeskInputs
from app.aggregate.roster import NameDecision, Roster
from app.aggregate.summing import Entry
from app.files import FileReadError, read_limited, write_beside
from app.formats import CellRef
from app.rules import SEVERITY_NAMES, Finding

if TYPE_CHECKING:
    from app.aggregate.district import DistrictResult

SCHEMA = "nianbao.summary/1"
RECORD_SUFFIX = ".汇总记录.json"
MAX_BYTES = 50 * 1024 * 1024


class RecordError(ValueError):
    """The record cannot be read; the message is Chinese and does not name the file."""


def record_path_for(output: str | Path) -> Path:
    """Where the record of a summary written to ``output`` goes (beside it)."""
    out = Path(output)
    return out.with_name(out.stem + RECORD_SUFFIX)


def is_record(path: str | Path) -> bool:
    """Whether ``path`` is a summary record (looks at its first bytes only)."""
    p = Path(path)
    if p.suffix.lower() != ".json" or not p.is_file():
        return False
    try:
        with open(p, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return SCHEMA.encode() in head


@dataclass
class Record:
    path: Path
    saved: str
    inputs: DeskInputs
    files: list[Entry]
    previous: list[Entry] = field(default_factory=list)
    parent: Entry | None = None

    def known(self) -> dict[Path, Entry]:
        """The saved entries by resolved path (``app.aggregate.district.read_inputs`` reuses them)."""
        entries = self.files + ([self.parent] if self.parent else [])
        return {e.path.resolve(): e for e in entries}

    def readable_entries(self) -> list[Entry]:
        return [e for e in self.files if e.report is not None]


# ------------------------------------------------------------------ writing
def save_record(result: DistrictResult, path: str | Path) -> None:
    """Write the record of ``result`` (atomically: a failed write leaves the old one)."""
    target = Path(path)
    folder = target.parent.resolve()   # once, not for each file's relative path
    inputs, readings = result.inputs, result.readings
    units = {id(e): u.unit for u in result.units for e in u.entries}
    status = {id(e): u.status() for u in result.units for e in u.entries}
    head = {
        "schema": SCHEMA,
        "saved": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "organ": inputs.organ,
        "office": inputs.office,
        "roster": _roster_out(inputs.roster),
    }
    names = [{"report": d.name, "unit": d.unit, "same": d.same} for d in inputs.names]
    files = [_entry_text(e, folder, units.get(id(e)), status.get(id(e))) for e in readings.files]
    previous = [_entry_text(e, folder) for e in readings.previous if e.report is not None]
    parent = _entry_text(result.parent, folder) if result.parent else "null"
    chunks = _layout(head, names, files, previous, parent)
    write_beside(target, lambda tmp: _write_chunks(tmp, chunks), ".json.tmp")


def _one(value, compact: bool = True) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else (", ", ": "))


def _layout(head: dict, names: list[dict], files: list[str], previous: list[str], parent: str) -> list[bytes]:
    """The record's JSON in pieces of UTF-8: one header key, name decision or file a line
    (see the module's doc); ``files``, ``previous`` and ``parent`` already JSON, one line
    each. The pieces are written one after the other: joining a district's 30 MB into one
    ``bytes`` copied it five times (~0.1 s), and as one ``str`` took ~0.2 s."""
    def array(items: list[str]) -> list[bytes]:
        if not items:
            return [b"[]"]
        out = [b"[\n  "]
        for item in items:
            out += (item.encode(), b",\n  ")
        out[-1] = b"\n ]"
        return out

    chunks = [b"{\n"]
    for key, value in head.items():
        chunks.append(f" {_one(key)}: {_one(value, compact=False)},\n".encode())
    chunks.append(b' "names": ')
    chunks += array([_one(d, compact=False) for d in names])
    chunks.append(b',\n "files": ')
    chunks += array(files)
    chunks.append(b',\n "previous": ')
    chunks += array(previous)
    chunks.append(b',\n "parent": ' + parent.encode() + b"\n}\n")
    return chunks


def _write_chunks(path: Path, chunks: list[bytes]) -> None:
    with open(path, "wb") as fh:
        fh.writelines(chunks)


def _roster_out(roster: Roster | None):
    if roster is None:
        return None
    return {"source": roster.source, "units": list(roster.units), "notes": list(roster.notes)}


def _entry_text(e: Entry, folder: Path, unit: str | None = None, status: str | None = None) -> str:
    """One file as a line of compact JSON: path, digest, source, (unit, status,) failure,
    import problems, findings, report."""
    out: dict[str, object] = {"path": _relative(e.path, folder), "digest": e.digest, "source": e.source}
    if unit is not None:
        out.update(unit=unit, status=status)
    out.update(failure=e.failure, import_problems=list(e.import_problems))
    findings = ",".join(map(_finding_text, e.findings))
    report = _one(exchange.to_dict(e.report)) if e.report is not None else "null"
    return f'{_one(out)[:-1]},"findings":[{findings}],"report":{report}}}'


def _finding_text(f: Finding) -> str:
    """``{"rule":…,"name":…,"severity":…,"section":…,"cells":["table.row.column",…],
    "message":…}`` (and ``"span"``): all but the message is the same for many findings."""
    span = f',"span":{_one(f.span)}' if f.span else ""
    return f"{_finding_head(f.rule, f.name, f.severity, f.section, tuple(f.cells))}{_string(f.message)}{span}}}"


_string = json.encoder.encode_basestring   # a JSON string, non-ASCII kept (as dumps writes it)


@functools.lru_cache(maxsize=8192)
def _finding_head(rule: str, name: str, severity: str, section: str, cells: tuple[CellRef, ...]) -> str:
    head = _one({"rule": rule, "name": name, "severity": severity, "section": section,
                 "cells": [_cell_out(c) for c in cells]})
    return head[:-1] + ',"message":'


_KEY = re.compile(r"[A-Za-z0-9_]+\Z")


def _cell_out(ref: CellRef) -> str | CellRef:
    """``"requests.new.total"``; a key that could not be split again stays a list."""
    return ".".join(ref) if all(_KEY.match(k) for k in ref) else ref


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` (resolved already) when it can be."""
    try:
        return Path(os.path.relpath(path.resolve(), folder)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path.resolve())


# ------------------------------------------------------------------ reading
def load_record(path: str | Path) -> Record:
    """The record at ``path``; raises ``RecordError`` (Chinese) when it cannot be read."""
    p = Path(path)
    try:
        data = json.loads(read_limited(p, MAX_BYTES, "汇总记录").decode("utf-8"))
    except FileReadError as exc:
        raise RecordError(str(exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise RecordError("汇总记录不是有效的 JSON 文件") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise RecordError("这不是汇总记录文件")
    try:
        return _record(p, data)
    except exchange.ExchangeError as exc:
        raise RecordError(f"汇总记录中的报告已损坏：{exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise RecordError("汇总记录已损坏（缺少或写错了内容），请重新汇总") from None


def _record(p: Path, data: dict) -> Record:
    folder = p.parent
    roster = data.get("roster")
    files = [_entry_in(e, folder) for e in data["files"]]
    parent = _entry_in(data["parent"], folder) if data.get("parent") else None
    inputs = DeskInputs(files=[e.path for e in files], organ=_text(data.get("organ")),
                        office=_text(data.get("office")),
                        roster=Roster(tuple(map(str, roster["units"])), str(roster["source"]),
                                      tuple(map(str, roster.get("notes", ())))) if roster else None,
                        parent=parent.path if parent else None,
                        names=tuple(_decision_in(d) for d in data.get("names") or []))
    return Record(p, str(data.get("saved", "")), inputs, files,
                  [_entry_in(e, folder) for e in data.get("previous", [])], parent)


def _decision_in(obj: dict) -> NameDecision:
    """``{"report": "某某区发展和改革委员会", "unit": "区发改委", "same": true}``: the report's
    body is (``same``) or is not the roster's unit."""
    name, unit, same = obj["report"], obj["unit"], obj["same"]
    if not isinstance(name, str) or not isinstance(unit, str) or not isinstance(same, bool):
        raise TypeError(obj)
    return NameDecision(name.strip(), unit.strip(), same)


def _text(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _entry_in(obj: dict, folder: Path) -> Entry:
    path = Path(obj["path"])
    entry = Entry(path if path.is_absolute() else folder / path)
    entry.digest = _text(obj.get("digest"))
    entry.source = _text(obj.get("source")) or ""
    entry.failure = _text(obj.get("failure"))
    entry.import_problems = [str(x) for x in obj.get("import_problems", [])]
    if obj.get("report") is not None:
        entry.report = exchange.from_dict(obj["report"])
        entry.findings = [_finding_in(f) for f in obj.get("findings", [])]
    elif entry.failure is None:
        raise ValueError("entry without report or failure")
    return entry


def _cell_ref(obj: list | str) -> CellRef:
    """``"table.row.column"``, or ``[table, row, column]`` (also as written before)."""
    parts = obj.split(".") if isinstance(obj, str) else obj
    table, row, column = map(str, parts)   # ValueError unless three
    return table, row, column


def _finding_in(obj: dict) -> Finding:
    span = obj.get("span")
    if obj["severity"] not in SEVERITY_NAMES:
        raise ValueError(obj["severity"])
    return Finding(rule=str(obj["rule"]), severity=str(obj["severity"]),
                   cells=tuple(_cell_ref(c) for c in obj["cells"]),
                   message=str(obj["message"]), name=str(obj.get("name", "")),
                   section=str(obj.get("section", "")),
                   span=(str(span[0]), int(span[1]), int(span[2])) if span else None)
