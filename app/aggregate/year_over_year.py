"""This year's report against the same body's report of last year, cell by cell.

Large changes are flagged by the thresholds of ``resources/district.toml``: a cell where
one year is at least ``factor`` times the other (both non-zero), and a quantity such as
新收申请 that went from 0 to non-zero or back. Last year's report is first moved to this
year's format (``to_format``: across the 2020 → 2021 change only cells that
mean the same move), so the comparison never sets unlike cells side by side.

Across the 2020 → 2021 format change the requests table keeps its rows and columns except
（六）其他处理, which 2021 splits into three sub-rows: a 2019 其他处理 of 0 means all three
sub-rows are 0 (unambiguous); any other number stays out of them (under the 2019 条例 an
applicant who did not complete the application in time was counted in 其他处理, so it may
belong to 2021's 1.逾期不补正 as well as to 3.其他), with a note saying why.

The carry rules across the year (上年结转 against last year's 结转下年度, 现行有效件数
against last year's) are the format's own rules, run with last year's report: the
findings that appear only when it is known (``app.rules.validate_against``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache

from app.aggregate.config import load_district_config
from app.formats import CellRef, Format, load_format
from app.numbers import format_value, sum_filled
from app.report import Report, Value
from app.rules import Finding


@dataclass(frozen=True)
class CellChange:
    ref: CellRef
    this: Value
    last: Value
    flag: str = ""
    """Why the change is large (``本年为上年的6.0倍``), empty when it is not."""

    @property
    def change(self) -> Value:
        if self.this is None or self.last is None:
            return None
        return self.this - self.last


@dataclass(frozen=True)
class Flip:
    """A quantity that went from 0 to non-zero or back (新收申请, 行政复议, 行政诉讼)."""
    name: str
    this: Value
    last: Value

    def message(self) -> str:
        return f"{self.name}：上年 {format_value(self.last)} 件，本年 {format_value(self.this)} 件"


@dataclass
class YearComparison:
    unit: str
    this: Report
    last: Report
    """Last year's report in this year's format (never changed: it may be the report read)."""
    flagged: list[CellChange]
    """The cells that changed much, in the format's order."""
    flips: list[Flip]
    carry: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[CellChange]:
        """Every cell either year holds, with its flag (made when asked: a district has
        1,000 units of 200 cells, and only the window's full view reads them all)."""
        flags = {c.ref: c.flag for c in self.flagged}
        this, last = self.this.cells, self.last.cells
        return [CellChange(ref, this.get(ref), last.get(ref), flags.get(ref, ""))
                for ref in _refs(self.this.format)
                if this.get(ref) is not None or last.get(ref) is not None]

    def flag_lines(self) -> list[str]:
        """Every large change in words, for the window and the command line."""
        fmt = self.this.format
        lines = [f"{fmt.describe_cell(c.ref)}：上年 {format_value(c.last)}，本年 {format_value(c.this)}，{c.flag}"
                 for c in self.flagged]
        return lines + [f.message() for f in self.flips]


def compare(this: Report, last: Report, unit: str, carry: list[Finding] | None = None) -> YearComparison:
    """Every cell of ``this`` against ``last`` (the same body a year earlier). ``carry``:
    the findings that only last year's report brings (``app.rules.validate_against``)."""
    config = load_district_config()
    moved, notes = to_format(last, this.version)
    factor = config.change_factor
    now, before = this.cells, moved.cells
    flagged = []
    for ref in _refs(this.format):
        a, b = now.get(ref), before.get(ref)
        if a and b and a > 0 and b > 0 and (a >= factor * b or b >= factor * a):
            flagged.append(CellChange(ref, a, b, _ratio_flag(a, b, factor)))
    flips = []
    for z in config.zero_flips:
        a, b = _quantity(this, z.cells), _quantity(moved, z.cells)
        if a is not None and b is not None and (a == 0) != (b == 0):
            flips.append(Flip(z.name, a, b))
    return YearComparison(unit, this, moved, flagged, flips, list(carry or []), notes)


def _ratio_flag(this: Value, last: Value, factor: int) -> str:
    if this is None or last is None or this <= 0 or last <= 0:
        return ""
    if this >= factor * last:   # compared exactly, without dividing (most cells are not flagged)
        return f"本年为上年的{_one_decimal(Fraction(this) / Fraction(last))}倍"
    if last >= factor * this:
        return f"本年仅为上年的{_one_decimal(Fraction(this) / Fraction(last) * 100)}%"
    return ""


def _one_decimal(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1")))


@cache
def _refs(fmt: Format) -> tuple[CellRef, ...]:
    return tuple(fmt.cells())


def _quantity(report: Report, refs: tuple[CellRef, ...]) -> Value:
    return sum_filled(report.cells.get(r) for r in refs)


# ------------------------------------------------------------------ across formats
# The 2019 single row and the 2021 sub-rows it became (keys of the format files).
OTHER_2019 = "other"
OTHER_2021 = ("other_no_correction", "other_no_fee", "other_misc")


def to_format(report: Report, version: str) -> tuple[Report, list[str]]:
    """``report`` with its cells moved to the format ``version`` (``report`` itself when it
    is of that format), and notes in Chinese.

    Only cells with the same table, row and column key and the same kind move: a 2019
    对外公开总数量 is not a 2021 现行有效件数, and a 2019 收费项目数量 is not a 2021
    收费金额, so those stay empty. 其他处理 follows the rule in the module docstring.
    """
    if report.version == version:
        return report, []   # the same format: nothing moves (callers never change it)
    fmt = load_format(version)
    out = Report(format=fmt, year=report.year, organ=report.organ, date=report.date,
                 texts=dict(report.texts), cells=dict.fromkeys(fmt.cells()))
    for ref in out.cells:
        if ref in report.cells and report.format.kind_of(ref) == fmt.kind_of(ref):
            out.cells[ref] = report.cells[ref]
    notes: list[str] = []
    if report.version == "2019" and version == "2021":
        notes.extend(_split_other(report, out))
    elif report.version == "2021" and version == "2019":
        _join_other(report, out)
    return out, notes


def _split_other(old: Report, new: Report) -> list[str]:
    """2019 其他处理 → 2021 （六）1–3: only an unambiguous 0 is moved (see module doc)."""
    notes = []
    table = new.format.tables["requests"]
    for col in table.row(OTHER_2021[0]).columns:
        value = old.cells.get(("requests", OTHER_2019, col))
        if value == 0:
            for row in OTHER_2021:
                new.cells[("requests", row, col)] = 0
        elif value is not None:
            notes.append(f"上年报告（2019 版格式）“（六）其他处理”{table.columns[col].short}列为 {value}，"
                         "2021 版格式将其分为三项，无法确定各项数字，已留空")
    return notes


def _join_other(old: Report, new: Report) -> None:
    """2021 （六）1–3 → 2019 其他处理: their sum, when all three are known."""
    table = new.format.tables["requests"]
    for col in table.row(OTHER_2019).columns:
        total = sum_filled(old.cells.get(("requests", row, col)) for row in OTHER_2021)
        if total is not None:
            new.cells[("requests", OTHER_2019, col)] = total

