"""The district office's sum: many reports of one year and format added cell by cell.

The county government's own report sums its townships' and departments' reports, so
the sum is itself a report of the same format (it validates, opens in the wizard and
exports like any other). Every file is read (nianbao JSON or PDF, or a published report
the importer can read) and validated on its own; a file that cannot be read is listed
with the reason and the rest are still summed. Reports of different years or formats
are never added together: their rows do not mean the same thing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app.crashlog import bug_message
from app.formats import CellRef
from app.importer import ImportFailure, ImportResult, import_file
from app.numbers import canonical_money
from app.report import Report
from app.rules import Finding, validate


class AggregateError(ValueError):
    """The files cannot be summed (mixed years, nothing readable); message in Chinese."""


@dataclass
class Entry:
    """One input file: its report when readable, what import and validation found."""
    path: Path
    report: Report | None = None
    failure: str | None = None
    import_problems: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source: str = ""
    """Where the numbers came from, as users read it (``ImportResult.source_name``)."""
    digest: str | None = None
    """SHA-256 of the file as read, to know it again when a saved summary is reopened."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def read(self) -> Report:
        """The report of an entry known to be readable (``Aggregate.summed``,
        ``UnitView.readable``): a bug, not a user's error, when there is none."""
        if self.report is None:
            raise ValueError(f"{self.name} has no report")
        return self.report

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@dataclass
class Aggregate:
    total: Report
    entries: list[Entry]
    notes: list[str] = field(default_factory=list)
    """Warnings about the set of files (the same body twice), in Chinese."""

    @property
    def summed(self) -> list[Entry]:
        return [e for e in self.entries if e.report is not None]

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.report is None]


def read_entries(paths: Iterable[str | Path],
                 reader: Callable[[Path], ImportResult] = import_file, check: bool = True) -> list[Entry]:
    """Read and validate every file (``check``; last year's reports, only compared with,
    are not); a failure is kept on its entry, never raised.

    One bad file never stops the district's work: a file that trips a bug in a reader or
    in the checks (an ``Exception`` other than ``ImportFailure``) is listed like an
    unreadable one, its traceback in the log file the message names."""
    entries = []
    for path in paths:
        entry = Entry(Path(path))
        try:
            result = reader(entry.path)
            findings = validate(result.report) if check else []
        except ImportFailure as exc:
            entry.failure = str(exc)
        except Exception as exc:  # noqa: BLE001 - any bug: logged, named, the others go on
            entry.failure = bug_message(exc, f"读取 {entry.path}")
        else:
            entry.report = result.report
            entry.import_problems = list(result.problems)
            entry.source = result.source_name
            entry.findings = findings
            entry.digest = result.digest
        entries.append(entry)
    return entries


def aggregate_entries(entries: list[Entry], organ: str | None = None) -> Aggregate:
    readable = [e for e in entries if e.report is not None]
    if not entries:
        raise AggregateError("没有选择要汇总的文件")
    if not readable:
        raise AggregateError(f"{len(entries)} 个文件都无法读取，没有可汇总的报告")
    _check_same_kind(readable)
    reports = [e.read for e in readable]
    total = sum_reports(reports, organ or default_organ(len(reports)))
    return Aggregate(total, entries, _duplicates(readable))


def _duplicates(entries: list[Entry]) -> list[str]:
    """The same body in several files is summed several times: say so (not refused,
    since two departments may share a name in different townships)."""
    by_organ: dict[str, list[str]] = {}
    for e in entries:
        by_organ.setdefault(e.read.organ.strip(), []).append(e.name)
    return [f"“{organ}”出现在 {len(names)} 个文件中（{'、'.join(names)}），已分别计入汇总，请确认没有重复"
            for organ, names in by_organ.items() if organ and len(names) > 1]


def default_organ(count: int) -> str:
    return f"{count}个单位汇总"


def _check_same_kind(entries: list[Entry]) -> None:
    groups: dict[tuple[int, str], list[str]] = {}
    for e in entries:
        groups.setdefault((e.read.year, e.read.version), []).append(e.name)
    if len(groups) > 1:
        parts = [f"{year} 年度（{version} 版格式）：{'、'.join(names[:5])}"
                 f"{'等 ' + str(len(names)) + ' 个' if len(names) > 5 else ''}"
                 for (year, version), names in sorted(groups.items())]
        raise AggregateError("只能汇总同一年度、同一格式的报告，这些文件年度或格式不同——"
                             + "；".join(parts) + "。请分开汇总")


def sum_reports(reports: list[Report], organ: str) -> Report:
    """Cell-by-cell sum (money exactly); a cell no report filled in stays empty.

    An empty cell of one report adds nothing: its own `complete` finding already names
    it, and the district office sees it in the per-file list.
    """
    first = reports[0]
    total = Report.blank(organ, first.year, first.version)
    refs: list[CellRef] = list(total.cells)
    sums: dict[CellRef, int | Decimal | None] = dict.fromkeys(refs)
    for report in reports:
        cells = report.cells
        for ref in refs:
            v = cells.get(ref)
            if v is not None:
                s = sums[ref]
                sums[ref] = v if s is None else s + v
    for ref, value in sums.items():
        total.cells[ref] = canonical_money(value) if isinstance(value, Decimal) else value
    return total
