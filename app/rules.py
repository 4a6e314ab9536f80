"""The validator: every rule of the report's format file, with Chinese messages.

Rules are declared in ``resources/formats/<version>.toml``. Sum rules ("relation") are
compiled once per format into flat lists of cell addresses, so validating a whole report
is cheap enough to run after every keystroke (see ``bench/bench_validate.py``). Checks
that are not sums (complete, type, header, date, last year's tables) are small functions
here, parametrised by the format file; the checks of the texts are in ``app.text_rules``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from app import text_rules
from app.findings import SEVERITY_NAMES, SEVERITY_ORDER, Finding, TextSpan, is_todo
from app.findings import Context as _Context
from app.findings import finding as _finding
from app.formats import CellRef, Format, Rule, YearError, report_years, version_for_year
from app.numbers import MONEY_DECIMALS, decimals, format_value
from app.report import Report
from app.text_rules import char_count

__all__ = ["SEVERITY_NAMES", "SEVERITY_ORDER", "Finding", "TextSpan", "char_count", "errors",
           "is_todo", "validate"]


def validate(report: Report, previous: Report | None = None,
             today: dt.date | None = None) -> list[Finding]:
    """All findings for ``report``; ``previous`` is last year's report when known."""
    ctx = _Context(report, previous, today or dt.date.today())
    findings: list[Finding] = []
    for rule in report.format.rules:
        findings.extend(_CHECKS[rule.kind](rule, ctx))
    return findings


def reads_previous(rule: Rule) -> bool:
    """Whether ``rule`` looks at last year's report (it finds nothing without it)."""
    if rule.kind == "relation":
        return any(t.lstrip("-").startswith("prev.") for t in rule.params["lhs"] + rule.params["rhs"])
    return rule.kind in ("tables_repeat", "text_repeat")


@cache
def rule_order(fmt: Format) -> dict[str, tuple[int, bool]]:
    """Each rule of ``fmt`` by id: its place in the format's order and whether it reads
    last year's report (``reads_previous``), worked out once."""
    return {rule.id: (i, reads_previous(rule)) for i, rule in enumerate(fmt.rules)}


def validate_against(report: Report, previous: Report, today: dt.date | None = None) -> list[Finding]:
    """The findings only last year's report brings (its rules only): with ``validate(report)``
    in rule order they are ``validate(report, previous)``, without checking the rest again
    (the district office checks 1,000 reports against last year's)."""
    ctx = _Context(report, previous, today or dt.date.today())
    return [f for rule in report.format.rules if reads_previous(rule) for f in _CHECKS[rule.kind](rule, ctx)]


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# ------------------------------------------------------------------ sum relations
@dataclass(frozen=True)
class _Term:
    ref: CellRef
    sign: int
    prev: bool
    name: str


@dataclass(frozen=True)
class _Relation:
    where: str
    lhs: tuple[_Term, ...]
    rhs: tuple[_Term, ...]
    cells: tuple[CellRef, ...] = field(init=False)
    """This year's cells of the relation (what a finding about it names)."""
    lhs_text: tuple[str, ...] = field(init=False)
    """Each term of the left side up to its number: ``新收(``, ``+上年结转(``, ``-办结(``."""
    rhs_text: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", tuple(t.ref for t in self.lhs + self.rhs if not t.prev))
        object.__setattr__(self, "lhs_text", _term_texts(self.lhs))
        object.__setattr__(self, "rhs_text", _term_texts(self.rhs))


def _term_texts(terms: tuple[_Term, ...]) -> tuple[str, ...]:
    return tuple(f"{'-' if t.sign < 0 else ('+' if i else '')}{t.name}(" for i, t in enumerate(terms))


@cache
def _uses_prev(fmt: Format, rule_id: str) -> bool:
    """Whether a relation rule reads last year's report (a ``prev.`` term, ``_term``)."""
    return any(t.prev for rel in relations(fmt, rule_id) for t in rel.lhs + rel.rhs)


@cache
def relations(fmt: Format, rule_id: str) -> tuple[_Relation, ...]:
    """Expand a relation rule into one instance per row (or column) it applies to.

    Also how ``app.carry`` reads the carry relations of a format."""
    p = fmt.rule(rule_id).params
    table = fmt.tables[p["table"]]
    out = []
    if p["each"] == "row":
        for row in table.rows:
            if p.get("rows") and row.key not in p["rows"]:
                continue
            names = [t.lstrip("-").removeprefix("prev.") for t in p["lhs"] + p["rhs"]]
            if not all(n in row.columns for n in names):
                continue
            def row_term(t: str, row=row) -> _Term:
                return _term(t, (table.key, row.key), table.columns[_bare(t)].short, by_row=True)
            out.append(_Relation(f"{table.section.part} {row.short}行",
                                 tuple(map(row_term, p["lhs"])), tuple(map(row_term, p["rhs"]))))
    else:
        for col in p.get("columns") or table.column_keys():
            def column_term(t: str, col=col) -> _Term:
                return _term(t, (table.key, col), table.row(_bare(t)).short, by_row=False)
            out.append(_Relation(f"{table.section.part} {table.columns[col].short}列",
                                 tuple(map(column_term, p["lhs"])), tuple(map(column_term, p["rhs"]))))
    return tuple(out)


def _bare(term: str) -> str:
    return term.lstrip("-").removeprefix("prev.")


def _term(text: str, fixed: tuple[str, str], short: str, by_row: bool) -> _Term:
    name = _bare(text)
    ref = (fixed[0], fixed[1], name) if by_row else (fixed[0], name, fixed[1])
    prev = text.lstrip("-").startswith("prev.")
    return _Term(ref=ref, sign=-1 if text.startswith("-") else 1, prev=prev,
                 name=("上年报告" + short) if prev else short)


def _check_relation(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    p = rule.params
    uses_prev = _uses_prev(ctx.report.format, rule.id)
    prev = ctx.previous
    if uses_prev and (prev is None or (p.get("prev_format") and prev.version != p["prev_format"])):
        return
    op = p.get("op", "=")
    for rel in relations(ctx.report.format, rule.id):
        lv = _values(rel.lhs, ctx)
        rv = _values(rel.rhs, ctx)
        if lv is None or rv is None:
            continue  # empty cells are reported once, by `complete`
        ls, rs = sum(lv), sum(rv)
        if ls == rs or (op == ">=" and ls >= rs):
            continue
        cells = rel.cells
        verb = "小于" if op == ">=" else "，但"
        rhs_text = (f"{p['rhs_label']}为{_num(rs)}" if p.get("rhs_label")
                    else _expression(rel.rhs, rel.rhs_text, rv, rs))
        msg = (f"{rel.where}：{_expression(rel.lhs, rel.lhs_text, lv, ls)}{verb}{rhs_text}，"
               f"相差{_num(abs(ls - rs))}")
        yield _finding(rule, cells, msg, cells[0][0])


def _values(terms: tuple[_Term, ...], ctx: _Context) -> list | None:
    out = []
    for t in terms:
        source = ctx.previous if t.prev else ctx.report
        v = None if source is None else source.cells.get(t.ref)
        if v is None:   # no such cell, or empty
            return None
        out.append(-v if t.sign < 0 else v)
    return out


def _expression(terms: tuple[_Term, ...], texts: tuple[str, ...], values: list, total) -> str:
    """``新收(5)+上年结转(1)=6``; a single term is just ``总计(5)``. ``texts``: each term
    up to its number (``_Relation.lhs_text``); ``values`` signed as in the sum."""
    parts = []   # a loop, not a comprehension: a frame less for each of 45,000 messages (Python 3.11)
    for head, t, v in zip(texts, terms, values):
        parts.append(f"{head}{_num(-v if t.sign < 0 else v)})")
    text = "".join(parts)
    return text if len(terms) == 1 else f"{text}={_num(total)}"


def _num(value) -> str:
    return str(value) if type(value) is int else format_value(value)   # a count: format_value's str


# ------------------------------------------------------------------ cell checks
def _check_complete(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    """One finding per row with empty cells, naming the columns (0 must be typed)."""
    if None not in ctx.report.cells.values():
        return  # the usual case, found without walking the rows
    fmt = ctx.report.format
    for table in fmt.tables.values():
        for row in table.rows:
            empty = [c for c in row.columns if ctx.report.cells[(table.key, row.key, c)] is None]
            if empty:
                names = "、".join(table.columns[c].short for c in empty)
                yield _finding(rule, tuple((table.key, row.key, c) for c in empty),
                               f"{table.section.part} {row.short}行：{names}未填写（没有请填 0）",
                               table.key)


def _check_type(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    fmt = ctx.report.format
    max_dec = rule.params.get("max_decimals", MONEY_DECIMALS)
    kinds = _kinds(fmt)
    for ref, value in ctx.report.cells.items():
        if value is None or (type(value) is int and value >= 0 and kinds[ref] != "money"):
            continue  # empty (said by `complete`), or a count as it should be
        problem = _type_problem(kinds[ref], value, max_dec)
        if problem:
            yield _finding(rule, (ref,), f"{fmt.describe_cell(ref)}：{problem}", ref[0])


@cache
def _kinds(fmt: Format) -> dict[CellRef, str]:
    return {ref: fmt.kind_of(ref) for ref in fmt.cells()}


def _type_problem(kind: str, value, max_dec: int) -> str | None:
    if kind == "money":
        if not isinstance(value, Decimal):
            return f"金额应为数字（万元），实际为 {value!r}"
        if value < 0:
            return f"金额不能为负数（{value}万元）"
        if decimals(value) > max_dec:
            return f"金额最多保留 {max_dec} 位小数（{value}万元）"
        return None
    if type(value) is not int:
        return f"数量应为整数，实际为 {value}"
    if value < 0 and kind != "signed_count":
        return f"数量不能为负数（{value}）"
    return None


def _check_header(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    r = ctx.report
    if not r.organ.strip():
        yield _finding(rule, (), "封面：报告单位（机关名称）未填写", "cover")
    years = report_years(ctx.today)
    if r.year not in years:
        yield _finding(rule, (), f"封面：报告年度 {r.year} 不在 {years[0]} 至 {years[-1]} 之间",
                       "cover")
    try:
        expected = version_for_year(r.year)
    except YearError:
        return  # no format for the year: said just above
    if r.version != expected:
        yield _finding(rule, (), f"封面：{r.year} 年度的报告应使用 {expected} 版格式，"
                       f"此报告为 {r.version} 版", "cover")


def _check_date(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    """A report dated before the end of the year it counts."""
    r = ctx.report
    month, day = rule.params["not_before"]
    earliest = dt.date(r.year, month, day)
    if r.date is not None and r.date < earliest:
        yield _finding(rule, (), f"封面：报告日期 {r.date.isoformat()} 早于 {r.year} 年 {month} 月 {day} 日"
                       f"（数据统计到 {r.year} 年 {month} 月 {day} 日）", "cover")


def _check_hint(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    """A counting rule shown beside the cells it concerns, when they hold something."""
    cells = tuple(tuple(c) for c in rule.params["when_positive"])
    if any(ctx.report.cells.get(c) for c in cells):
        yield _finding(rule, cells, rule.params["message"], rule.params["section"])


def _check_tables_repeat(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    """Every table number the same as last year's (not just the zeros of a quiet year)."""
    prev = ctx.previous
    if prev is None:
        return
    same = nonzero = 0
    for ref, value in ctx.report.cells.items():
        if ref in prev.cells:
            if value is None or value != prev.cells[ref]:
                return  # the usual case: found at the first cell that differs
            same += 1
            nonzero += value != 0
    if same and nonzero >= rule.params["min_nonzero"]:
        yield _finding(rule, (), f"表格中的 {same} 个数字（其中 {nonzero} 个不为 0）与上年报告"
                       f"（{prev.year} 年度）完全相同", next(iter(ctx.report.format.tables)))


_CHECKS: dict[str, Callable[[Rule, _Context], Iterable[Finding]]] = {
    "relation": _check_relation,
    "complete": _check_complete,
    "type": _check_type,
    "header": _check_header,
    "report_date": _check_date,
    "hint": _check_hint,
    "tables_repeat": _check_tables_repeat,
    **text_rules.CHECKS,
}
