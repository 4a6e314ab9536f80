"""The district office's desk: who has reported, how each report and the sum compare with
last year, the ratios, and the district's own report against its units.

``read_inputs`` reads every file (this year's, last year's, the district's own report),
one at a time so that a window can show progress and stop between files; ``evaluate``
then decides everything from what was read. The command line and the window both call
these two, so they always say the same.

Every readable file of this year is summed (as ``app.aggregate.summing`` always did): a unit not
on the roster or sent twice is named, never silently left out. The district's own report
(given as such, or found among the files by the district's name) is not summed: it is
compared with the sum of its units.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.aggregate import record
from app.aggregate.desk_inputs import DeskInputs
from app.aggregate.ratios import RatioValue, ratios
from app.aggregate.roster import (
    Arrival,
    Roster,
    RosterCheck,
    check_roster,
    match_name,
    normalise,
    roster_from_names,
    units_by_name,
)
from app.aggregate.summing import Aggregate, AggregateError, Entry, aggregate_entries, read_entries, sum_reports
from app.aggregate.year_over_year import YearComparison, compare, to_format
from app.files import read_limited
from app.importer import MAX_PDF_BYTES, content_digest
from app.importer.result import SEAL_DIGEST
from app.numbers import format_value
from app.report import Report
from app.rules import Finding, rule_order, validate_against

Progress = Callable[[int, int, str], None]
"""``progress(done, total, file name)`` before each file is read."""


class Cancelled(Exception):
    """The user stopped the reading (between two files)."""


@dataclass
class Readings:
    files: list[Entry]
    previous: list[Entry]
    parent: Entry | None = None
    new: set[Path] = field(default_factory=set)
    """Files that arrived since the record was saved (empty without a record)."""
    updated: set[Path] = field(default_factory=set)
    """Files of the record whose bytes changed since it was saved (read again)."""
    moved: set[Path] = field(default_factory=set)
    """Files of the record no longer where they were (their saved data is used)."""


# ------------------------------------------------------------------ reading
def read_inputs(inputs: DeskInputs, known: dict[Path, Entry] | None = None,
                previous_known: list[Entry] | None = None,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> Readings:
    """Read every file once. ``known`` holds the entries of a saved record (by resolved
    path): a file whose bytes are unchanged keeps its saved report and findings.
    ``previous_known``: last year's entries kept in that record. Raises ``Cancelled``."""
    known = known or {}
    jobs: list[tuple[str, Path]] = [("file", p) for p in inputs.files]
    jobs += [("previous", p) for p in inputs.previous]
    if inputs.parent is not None:
        jobs.append(("parent", inputs.parent))
    out = Readings([], list(previous_known or []))
    for i, (kind, path) in enumerate(jobs):
        if cancelled and cancelled():
            raise Cancelled()
        if progress:
            progress(i, len(jobs), path.name)
        if kind == "previous":
            out.previous.extend(read_previous(path))
            continue
        entry = _reuse(path, known)
        if entry is not None and not path.exists():
            out.moved.add(path)
        if entry is None:
            entry = read_file(path)
            if known:
                (out.updated if path.resolve() in known else out.new).add(path)
        if kind == "parent":
            out.parent = entry
        else:
            out.files.append(entry)
    if progress:
        progress(len(jobs), len(jobs), "")
    return out


def read_file(path: Path) -> Entry:
    """One file read and validated (any failure stays on the entry, with where its
    numbers came from), with the digest of what was read, to know it again next week."""
    (entry,) = read_entries([path])
    return entry


def read_previous(path: Path) -> list[Entry]:
    """Last year's reports in ``path``: one report, or every unit of last year's record.
    They are compared with, never listed with their problems: not checked."""
    if record.is_record(path):
        try:
            return record.load_record(path).readable_entries()
        except record.RecordError as exc:
            return [Entry(path, failure=str(exc))]
    return read_entries([path], check=False)


def digest(path: Path, *, plain: bool = False) -> str | None:
    """What names a regular file's bytes, as the reading named them (``content_digest``),
    or, ``plain``, their SHA-256 (what records saved before PDFs were named by their seal
    hold); None for anything else (never read a device or pipe) and for a PDF too large
    to read."""
    try:
        if not path.is_file():
            return None
        if path.suffix.lower() == ".pdf" and not plain:
            return content_digest(read_limited(path, MAX_PDF_BYTES), ".pdf")
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def _reuse(path: Path, known: dict[Path, Entry]) -> Entry | None:
    if not known:
        return None   # no record: resolving each path (~25 µs) would be for nothing
    saved = known.get(path.resolve())
    if saved is None:
        return None
    plain = saved.digest is not None and not saved.digest.startswith(SEAL_DIGEST)
    now = digest(path, plain=plain) if path.exists() else saved.digest  # moved away: keep what was saved
    if saved.digest is None or now != saved.digest:
        return None
    return saved


# ------------------------------------------------------------------ deciding
@dataclass
class UnitView:
    """One line of the roster view: a unit with its files and what they say."""
    unit: str
    entries: list[Entry]
    on_roster: bool

    @property
    def readable(self) -> list[Entry]:
        return [e for e in self.entries if e.report is not None]

    def status(self) -> str:
        if not self.entries:
            return "未收到"
        if not self.readable:
            return "无法读取"
        if len(self.entries) > 1:
            return f"重复报送（{len(self.entries)} 份）"
        if not self.on_roster:
            return "名单外"
        entry = self.entries[0]
        if entry.errors():
            return "有错误"
        if entry.warnings() or entry.import_problems:
            return "有警告"
        return "已收到"

    def errors(self) -> int:
        return sum(len(e.errors()) for e in self.readable)

    def warnings(self) -> int:
        return sum(len(e.warnings()) for e in self.readable)


@dataclass
class DistrictResult:
    inputs: DeskInputs
    readings: Readings
    aggregate: Aggregate
    roster_check: RosterCheck
    units: list[UnitView]
    """Roster units in roster order, then units on no roster line (by body)."""
    ratios: dict[Path, list[RatioValue]]
    total_ratios: list[RatioValue]
    comparisons: dict[Path, YearComparison]
    total_comparison: YearComparison | None
    previous_total: Report | None
    parent: Entry | None
    parent_diffs: list[str]
    notes: list[str]

    @property
    def total(self) -> Report:
        return self.aggregate.total

    @property
    def has_roster(self) -> bool:
        return self.inputs.roster is not None

    @property
    def missing(self) -> list[str]:
        return [u.unit for u in self.units if not u.entries]

    @property
    def unknown(self) -> list[UnitView]:
        return [u for u in self.units if u.entries and not u.on_roster] if self.has_roster else []

    @property
    def duplicates(self) -> list[UnitView]:
        return [u for u in self.units if len(u.entries) > 1]

    def needs_attention(self) -> bool:
        """What makes the command exit 1: a file not read, an error, a unit missing, twice
        or not on the roster, a doubtful name, the district's own report disagreeing."""
        agg = self.aggregate
        return bool(agg.failed or any(e.errors() for e in agg.summed) or self.missing
                    or self.unknown or self.duplicates or self.roster_check.doubtful
                    or self.parent_diffs)


def evaluate(inputs: DeskInputs, readings: Readings) -> DistrictResult:
    """Everything the desk shows, from what was read. Raises ``AggregateError`` when
    nothing can be summed (no file, none readable, mixed years)."""
    if inputs.roster is None and inputs.roster_from_previous:
        inputs.roster = _roster_of_previous(readings.previous)
    entries, parent = _split_parent(inputs, readings)
    arrivals = [Arrival(e.path, e.report.organ if e.report else None) for e in entries]
    check = (check_roster(inputs.roster, arrivals, inputs.names) if inputs.roster
             else units_by_name(arrivals))
    units = _unit_views(check, entries, inputs.roster is not None)
    notes = list(inputs.roster.notes if inputs.roster else ()) + check.notes
    if inputs.roster is not None:
        notes += [f"名称核对结果“{d.describe()}”没有使用：名单中没有“{d.unit}”"
                  for d in inputs.names if d.unit not in inputs.roster.units]
    last_of, prev_notes = _previous_by_unit(readings.previous, [u.unit for u in units])
    notes += prev_notes
    carry = _with_last_year(units, last_of)
    agg = aggregate_entries(entries, inputs.organ)
    previous_total, total_notes = _previous_total(readings.previous, agg.total, len(agg.summed))
    notes += total_notes
    unit_ratios, comparisons = {}, {}
    for unit in units:
        prev = last_of.get(unit.unit)
        for e in unit.readable:
            unit_ratios[e.path] = ratios(e.read, prev)
            if prev is not None:
                comparisons[e.path] = compare(e.read, prev, unit.unit, carry[e.path])
    total_cmp = compare(agg.total, previous_total, "合计") if previous_total else None
    parent_diffs = compare_parent(parent, agg.total) if parent else []
    return DistrictResult(inputs, readings, agg, check, units, unit_ratios,
                          ratios(agg.total, previous_total), comparisons, total_cmp,
                          previous_total, parent, parent_diffs, notes)


def _with_last_year(units: list[UnitView], last_of: dict[str, Report]) -> dict[Path, list[Finding]]:
    """The findings that only last year's report brings (the carry rules), by file. Each
    file's findings get them anew, in the format's rule order, as if it had been checked
    with its unit's report of last year from the start: which report that is depends on
    the roster and the clerk's decisions, which may have changed since a record was saved
    or since the last evaluation (the window evaluates again after each decision)."""
    carry = {}
    for unit in units:
        last = last_of.get(unit.unit)
        for e in unit.readable:
            order = rule_order(e.read.format)
            alone = [f for f in e.findings if f.rule not in order or not order[f.rule][1]]
            if last is None:
                e.findings = alone
                continue
            carry[e.path] = validate_against(e.read, last)
            e.findings = sorted(alone + carry[e.path], key=lambda f: order.get(f.rule, (len(order),))[0])
    return carry


def _roster_of_previous(previous: list[Entry]) -> Roster:
    organs = [e.report.organ for e in previous if e.report is not None]
    if not organs:
        raise AggregateError("没有可读取的上年报告，无法用上年的单位作为名单")
    return roster_from_names(organs, f"上年收到的 {len(organs)} 份报告")


def _split_parent(inputs: DeskInputs, readings: Readings) -> tuple[list[Entry], Entry | None]:
    """The district's own report: the one given as such, else a file whose body is the
    district itself (by name, 人民政府 set aside)."""
    if readings.parent is not None or not inputs.organ:
        return list(readings.files), readings.parent
    own = normalise(inputs.organ)
    found = [e for e in readings.files if e.report and normalise(e.report.organ) == own]
    if len(found) != 1:
        return list(readings.files), None
    return [e for e in readings.files if e is not found[0]], found[0]


def _unit_views(check: RosterCheck, entries: list[Entry], has_roster: bool) -> list[UnitView]:
    """Roster units first; then the files of no roster unit grouped by body (without a
    roster: the files that could not be read, each its own line)."""
    by_path = {e.path: e for e in entries}
    units = [UnitView(u.unit, [by_path[p] for p in u.files], on_roster=True) for u in check.units]
    rest = check.unknown if has_roster else [e.path for e in entries if e.path not in check.matches]
    organ = {p: e.report.organ for p, e in by_path.items() if e.report is not None}
    named = units_by_name([Arrival(p, organ.get(p)) for p in rest])
    units += [UnitView(u.unit, [by_path[p] for p in u.files], on_roster=not has_roster)
              for u in named.units]
    grouped = {p for u in named.units for p in u.files}
    units += [UnitView(p.stem, [by_path[p]], on_roster=not has_roster) for p in rest if p not in grouped]
    return units


def _previous_by_unit(previous: list[Entry], units: list[str]) -> tuple[dict[str, Report], list[str]]:
    """Last year's report of each unit (matched by name like this year's files)."""
    found: dict[str, list[Entry]] = {}
    for e in previous:
        if e.report is None:
            continue
        m = match_name(e.report.organ, units)
        if m.unit is not None:
            found.setdefault(m.unit, []).append(e)
    out, notes = {}, []
    for unit, hits in found.items():
        if len(hits) > 1:
            notes.append(f"上年的报告中有 {len(hits)} 份属于“{unit}”（{'、'.join(e.name for e in hits)}），"
                         "无法确定用哪一份与本年比较")
            continue
        out[unit] = hits[0].read
    for e in previous:
        if e.report is None:
            notes.append(f"上年的文件 {e.name} 无法读取：{e.failure}")
    return out, notes


def _previous_total(previous: list[Entry], total: Report, summed: int) -> tuple[Report | None, list[str]]:
    """Last year's reports summed in this year's format (for the total's comparison)."""
    reports = [e.report for e in previous if e.report is not None]
    if not reports:
        return None, []
    years = sorted({r.year for r in reports})
    if len(years) > 1:
        return None, [f"上年的报告年度不一致（{'、'.join(map(str, years))}），合计不与上年比较"]
    notes = []
    if len(reports) != summed:
        notes.append(f"上年有 {len(reports)} 份报告，本年汇总了 {summed} 份，合计与上年的比较仅供参考")
    if years[0] != total.year - 1:
        notes.append(f"“上年”的报告是 {years[0]} 年度的，本年是 {total.year} 年度")
    moved = [to_format(r, total.version)[0] for r in reports]
    return sum_reports(moved, f"{years[0]}年{len(reports)}个单位合计"), notes


def compare_parent(parent: Entry, total: Report) -> list[str]:
    """Each cell of the district's own report against the sum of its units, in words."""
    own = parent.report
    if own is None:
        return [f"本级报告 {parent.name} 无法读取：{parent.failure}"]
    if (own.year, own.version) != (total.year, total.version):
        return [f"本级报告是 {own.year} 年度（{own.version} 版格式），各单位是 {total.year} 年度"
                f"（{total.version} 版格式），无法逐格比较"]
    fmt = total.format
    out = []
    for ref in fmt.cells():
        a, b = own.cells.get(ref), total.cells.get(ref)
        if a == b:
            continue
        diff = f"，相差{format_value(max(a - b, b - a))}" if a is not None and b is not None else ""
        out.append(f"{fmt.describe_cell(ref)}：本级报告 {_shown(a)}，各单位合计 {_shown(b)}{diff}")
    return out


def _shown(value) -> str:
    return "未填写" if value is None else format_value(value)


def run_desk(inputs: DeskInputs, record=None, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None) -> DistrictResult:
    """Read and evaluate (the command line and the window): with a saved ``record``
    (``app.aggregate.record.Record``), its unchanged files and last year's reports are not
    read again."""
    readings = read_inputs(inputs, known=record.known() if record else None,
                           previous_known=record.previous if record else None,
                           progress=progress, cancelled=cancelled)
    return evaluate(inputs, readings)


__all__ = ["DeskInputs", "Readings", "DistrictResult", "UnitView", "Cancelled", "AggregateError",
           "read_inputs", "evaluate", "run_desk", "read_file"]
