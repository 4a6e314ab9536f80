"""What a draft file holds, and the checks and summaries made of it (no I/O but ``stat``).

A draft document: id, name, created/updated (epoch seconds), rev, deleted (epoch or
None), the list summary (organ, year, version, completeness, error_count), the report as
exchange JSON (``report``), what the ``Draft`` keeps beside it (``state``: last year's
report, carried cells, acknowledged warnings) and the window's ``extras``. Documents saved
before ``state`` existed kept that in ``extras``; ``draft_of`` migrates them when they are
read (and the next save writes ``state``). A history revision holds the same
document; an index entry holds it without report and extras, plus the ``stamp`` (mtime,
size) of the draft file it was read from.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from app.store.atomic_storage import encode
from app.store.errors import StoreError
from app.store.recovery import STORE_SCHEMA, Damaged, single_doc

if TYPE_CHECKING:
    from app.draft import Draft
    from app.report import Report

# The report model, its exchange format and the rules are imported where a document's
# report is read, checked or summarized, not here: the start page lists drafts from the
# index alone, before any of them is needed (issue 17, start-up).

DOC_KEYS = ("id", "name", "created", "updated", "rev", "deleted", "organ", "year",
            "version", "completeness", "error_count")


class DraftInfo(NamedTuple):
    """One line of the draft list."""

    id: str
    name: str
    organ: str
    year: int
    version: str
    created: dt.datetime
    updated: dt.datetime
    completeness: float
    error_count: int
    rev: int
    deleted: dt.datetime | None = None

    @classmethod
    def of(cls, e: dict[str, Any]) -> DraftInfo:
        return cls(id=e["id"], name=e["name"], organ=e.get("organ") or "",
                   year=e.get("year") or 0, version=e.get("version") or "",
                   created=local_time(e["created"]), updated=local_time(e["updated"]),
                   completeness=e.get("completeness") or 0.0,
                   error_count=e.get("error_count") or 0, rev=e["rev"],
                   deleted=local_time(e["deleted"]) if e.get("deleted") else None)


def local_time(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts).astimezone()


def meta_table(kind: str) -> dict[str, Any]:
    return {"1": {"kind": kind, "schema": STORE_SCHEMA}}


def summarize(report: Report) -> dict[str, Any]:
    """What the list shows about a report, computed once at save time."""
    from app.rules import errors, validate  # see the imports
    return {"organ": report.organ, "year": report.year, "version": report.version,
            "completeness": round(report.completeness(), 4),
            "error_count": len(errors(validate(report)))}


def report_dict(report: Report) -> dict[str, Any]:
    """The report as stored, refused (``StoreError``, nothing written) when the store could
    not load it again: a control character or an invalid character in the organ or texts."""
    from app import exchange  # see the imports
    try:
        exchange.check_texts(report)
    except exchange.ExchangeError as exc:
        raise StoreError(f"无法保存草稿：{exc}。请改正后再保存（修改仍保留在窗口中）") from None
    return exchange.to_dict(report)


ID_RE = re.compile(r"^[0-9a-f]{8}$")


def check_doc(doc: dict[str, Any]) -> None:
    """What cannot be guessed must be right: the id, the revision number, the report and
    what is kept beside it. The rest (name, times, summary) is put right by ``repair``."""
    from app import exchange  # see the imports
    from app.draft import Draft  # see the imports
    for key in DOC_KEYS[:5]:
        if key not in doc:
            raise Damaged(f"内容不完整（缺少“{key}”）")
    if not (isinstance(doc["id"], str) and ID_RE.match(doc["id"])):
        raise Damaged("内容已损坏（草稿编号无效）")
    if not _is_int(doc["rev"]) or doc["rev"] < 1:
        raise Damaged("内容已损坏（版本号无效）")
    if not isinstance(doc.get("extras", {}), dict):
        raise Damaged("内容已损坏（附加信息不是对象）")
    try:
        report = exchange.from_dict(doc.get("report"))
    except exchange.ExchangeError as exc:
        raise Damaged(f"其中的年报数据无法读取：{exc}") from None
    if "state" in doc:
        try:
            Draft.from_state(report, doc["state"])
        except exchange.ExchangeError as exc:
            raise Damaged(f"其中的草稿信息无法读取：{exc}") from None


def _is_int(value: Any) -> bool:
    return type(value) is int


def _is_time(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and 0 <= value < 32503680000


def _summary_ok(doc: dict[str, Any]) -> bool:
    return (isinstance(doc.get("organ"), str) and _is_int(doc.get("year"))
            and isinstance(doc.get("version"), str) and _is_int(doc.get("error_count"))
            and type(doc.get("completeness")) in (int, float))


def repair(doc: dict[str, Any], file_time: float) -> list[str]:
    """Put right the values that can be rebuilt (a ``created: null`` used to crash the
    draft list on every start): the summary from the report, the name from its title, the
    times from each other or the file's time, ``deleted`` to not deleted. Returns the keys
    put right (empty when the document was fine); the caller says so and writes it back."""
    from app import exchange  # see the imports
    fixed = []
    if not _is_time(doc.get("updated")):
        doc["updated"] = doc["created"] if _is_time(doc.get("created")) else file_time
        fixed.append("updated")
    if not _is_time(doc.get("created")):
        doc["created"] = doc["updated"]
        fixed.append("created")
    if doc.get("deleted") is not None and not _is_time(doc["deleted"]):
        doc["deleted"] = None
        fixed.append("deleted")
    if not isinstance(doc.get("name"), str) or not " ".join(doc["name"].split()):
        doc["name"] = exchange.from_dict(doc["report"]).title
        fixed.append("name")
    if not _summary_ok(doc):
        doc.update(summarize(exchange.from_dict(doc["report"])))
        fixed.append("organ、year、version、completeness、error_count")
    return fixed


def entry_ok(entry: Any) -> bool:
    """An index entry the list can show as it is (a bad one is read again from its file)."""
    return (isinstance(entry, dict) and isinstance(entry.get("id"), str)
            and bool(ID_RE.match(entry["id"])) and isinstance(entry.get("name"), str)
            and _is_time(entry.get("created")) and _is_time(entry.get("updated"))
            and _is_int(entry.get("rev")) and entry["rev"] >= 1
            and (entry.get("deleted") is None or _is_time(entry["deleted"]))
            and _summary_ok(entry))


def draft_of(doc: dict[str, Any]) -> Draft:
    """The ``Draft`` a (checked) document holds, migrated if it predates ``state``."""
    from app import exchange  # see the imports
    from app.draft import Draft  # see the imports
    report = exchange.from_dict(doc["report"])
    if "state" in doc:
        return Draft.from_state(report, doc["state"])
    return Draft.from_legacy(report, doc.get("extras") or {})


def extras_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The window's extras, without what older documents kept there for the draft."""
    from app.draft import LEGACY_EXTRAS  # see the imports
    extras = dict(doc.get("extras") or {})
    for key in LEGACY_EXTRAS:
        extras.pop(key, None)
    return extras


def check_draft(data: dict[str, Any]) -> None:
    check_doc(single_doc(data, "draft"))


def check_revision(data: dict[str, Any]) -> None:
    check_doc(single_doc(data, "revision"))


def check_index(data: dict[str, Any]) -> None:
    drafts = data.get("drafts", {})
    if not all(isinstance(d.get("id"), str) for d in drafts.values()):
        raise Damaged("内容已损坏（目录条目缺少编号）")


def stamp(path: Path | str) -> list[int] | None:
    """(mtime, size, inode) of a draft file: cheap evidence that it changed since indexed.

    Each save replaces the file (a new inode where the system has them). Not proof: see
    ``DraftStore._load_index`` for when the store reads the files instead.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def entry_of(doc: dict[str, Any], file_stamp: list[int] | None) -> dict[str, Any]:
    entry = {k: doc.get(k) for k in DOC_KEYS}
    entry["stamp"] = file_stamp
    return entry


def clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise StoreError("草稿名称不能为空")
    if len(name) > 100:
        raise StoreError(f"草稿名称太长（{len(name)} 个字），最多 100 个字")
    return name


def checked_extras(extras: dict[str, Any]) -> dict[str, Any]:
    """A copy of the extras as JSON gives them back (a non-JSON value is a programming error).

    A copy, because the window keeps changing its own dict after the save.
    """
    if not isinstance(extras, dict):
        raise StoreError("草稿附加信息必须是字典")
    try:
        return json.loads(encode(extras))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"草稿附加信息无法保存：{exc}") from None
