"""Starting this year's report from last year's: the cells that follow from it alone.

The format files state how a report relates to last year's as relation rules with
``prev.`` terms (``carry.requests``: 上年结转 = last year's 结转下年度继续办理, per column).
A relation whose right side holds ONLY last year's cells fixes its one left-side cell from
last year's report: those are the cells a new report is started with. A relation that
also needs this year's numbers (``carry.in_force``: 现行有效件数 = last year's + 本年制发 −
本年废止) cannot be carried — this year's numbers are not known yet — and is checked
against last year's report once they are typed. Everything else is this year's work and
stays empty (0 must be typed, never assumed).

The relations are those of the NEW report's format; last year's cells are looked up by
key, so a 2020 report (2019 format) still gives a 2021 report its 上年结转 (the requests
table keeps its keys), while a rule with ``prev_format`` only applies to a report of that
format.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from app.edits import recompute_totals
from app.formats import VERSIONS, CellRef, Format, Rule, load_format
from app.numbers import format_value
from app.report import Report, Value
from app.rules import relations


@dataclass(frozen=True)
class CarriedCell:
    """One cell set from last year's report: ``target`` = Σ sign × last year's ``source``."""

    rule: Rule
    target: CellRef
    sources: tuple[tuple[int, CellRef, str], ...]   # (sign, last year's cell, its name)

    def applies_to(self, previous: Report) -> bool:
        wanted = self.rule.params.get("prev_format")
        return wanted is None or previous.version == wanted

    def value(self, previous: Report) -> Value:
        """The carried number, or None when a source cell is empty or not in that format."""
        total: int | Decimal = 0
        for sign, ref, _ in self.sources:
            value = previous.cells.get(ref)
            if value is None:
                return None   # half a sum is no sum: left for the clerk
            total = total + sign * value
        return total

    def explain(self, previous: Report) -> str:
        """``上年报告结转下年度(2)``, ``上年报告上一年项目数量(40)-上年报告本年增/减(7)=33``."""
        parts = []
        for i, (sign, ref, name) in enumerate(self.sources):
            op = "-" if sign < 0 else ("+" if i else "")
            parts.append(f"{op}{name}({format_value(previous.cells.get(ref))})")
        text = "".join(parts)
        return text if len(parts) == 1 else f"{text}={format_value(self.value(previous))}"


def _carries(rule: Rule) -> bool:
    """A relation fixing one cell of this year from last year's cells only."""
    p = rule.params
    return (rule.kind == "relation" and p.get("op", "=") == "=" and len(p["lhs"]) == 1
            and not p["lhs"][0].startswith(("-", "prev."))
            and all(t.lstrip("-").startswith("prev.") for t in p["rhs"]))


def _checks_against_last_year(rule: Rule) -> bool:
    p = rule.params
    return rule.kind == "relation" and any(
        t.lstrip("-").startswith("prev.") for t in p.get("lhs", []) + p.get("rhs", []))


@cache
def carried_cells(fmt: Format) -> dict[CellRef, CarriedCell]:
    """Every cell of ``fmt`` that a new report takes from last year's, by cell (shared:
    do not change it)."""
    out: dict[CellRef, CarriedCell] = {}
    for rule in fmt.rules:
        if not _carries(rule):
            continue
        for rel in relations(fmt, rule.id):
            out[rel.lhs[0].ref] = CarriedCell(
                rule, rel.lhs[0].ref, tuple((t.sign, t.ref, t.name) for t in rel.rhs))
    return out


def carry_forward(previous: Report, year: int) -> tuple[Report, set[CellRef]]:
    """A new, mostly empty report for ``year`` and the cells filled from ``previous``.

    The returned set names the carried cells so that the draft can mark them until the
    clerk confirms them. Totals (总计) are not carried but computed from the carried parts,
    as the grid computes them: a total that disagreed with its parts last year is then
    shown by the carry check, not copied.
    """
    new = Report.blank(previous.organ, year)
    computed = new.format.computed_cells()
    carried: set[CellRef] = set()
    for ref, cell in carried_cells(new.format).items():
        value = cell.value(previous) if cell.applies_to(previous) else None
        if value is not None and ref not in computed:
            new.cells[ref] = value
            carried.add(ref)
    recompute_totals(new, carried)
    return new, carried


def summary() -> str:
    """What 从上年报告新建 carries and checks, in Chinese, read from the format files."""
    carried: dict[str, list[str]] = {}
    checked: dict[str, list[str]] = {}
    for version in VERSIONS:
        fmt = load_format(version)
        for rule in fmt.rules:
            if _carries(rule):
                carried.setdefault(_describe(fmt, rule), []).append(version)
            elif _checks_against_last_year(rule):
                checked.setdefault(f"“{_name(fmt, rule, rule.params['lhs'][0])}”", []).append(version)
    text = "沿用报告单位，带入" + "；".join(_with_versions(carried)) + "。其余数字是今年的工作，留空待填"
    if checked:
        text += "；" + "、".join(_with_versions(checked)) + "不能带入（要用今年的数字），检查时与上年报告核对"
    return text + "。"


def _describe(fmt: Format, rule: Rule) -> str:
    """``“上一年项目数量”＝上年的“上一年项目数量”＋“本年增/减”``."""
    p = rule.params
    rhs = "".join(("－" if t.startswith("-") else ("＋" if i else "")) + f"“{_name(fmt, rule, t)}”"
                  for i, t in enumerate(p["rhs"]))
    return f"“{_name(fmt, rule, p['lhs'][0])}”＝上年的{rhs}"


def _name(fmt: Format, rule: Rule, term: str) -> str:
    """The short name of a term's row (rules per column) or column (rules per row)."""
    table = fmt.tables[rule.params["table"]]
    key = term.lstrip("-").removeprefix("prev.")
    return table.row(key).short if rule.params["each"] == "column" else table.columns[key].short


def _with_versions(found: dict[str, list[str]]) -> list[str]:
    return [text if len(versions) == len(VERSIONS) else f"{text}（{'、'.join(versions)} 版格式）"
            for text, versions in found.items()]
