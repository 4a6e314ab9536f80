"""The validator: every rule of the report's format file, with Chinese messages.

Rules are declared in ``resources/formats/<version>.toml``. Sum rules ("relation") are
compiled once per format into flat lists of cell addresses, so validating a whole report
is cheap enough to run after every keystroke (see ``bench/bench_validate.py``). Checks
that are not sums (complete, type, header, texts) are small functions here, parametrised
by the format file.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Callable, Iterable

from app.formats import CellRef, Format, Rule, version_for_year
from app.numbers import MONEY_DECIMALS, decimals, format_value
from app.report import Report

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


TextSpan = tuple[str, int, int]
"""Where a finding's quoted words are: (text key, start, end) in ``report.texts[key]``."""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    cells: tuple[CellRef, ...]
    message: str
    name: str = ""      # the rule's Chinese name, shown instead of its id
    section: str = ""   # where the user fixes it: "cover", a table key or a text key
    span: TextSpan | None = None

    def to_json(self) -> dict:
        out = {"rule": self.rule, "name": self.name, "severity": self.severity,
               "section": self.section, "cells": [list(c) for c in self.cells],
               "message": self.message}
        if self.span:
            out["span"] = list(self.span)
        return out

    def __str__(self) -> str:
        return f"{SEVERITY_NAMES[self.severity]}【{self.name}】{self.message}"


def _finding(rule: Rule, cells: tuple[CellRef, ...], message: str, section: str,
             span: TextSpan | None = None) -> Finding:
    return Finding(rule.id, rule.severity, cells, message, rule.name, section, span)


def validate(report: Report, previous: Report | None = None,
             today: dt.date | None = None) -> list[Finding]:
    """All findings for ``report``; ``previous`` is last year's report when known."""
    ctx = _Context(report, previous, today or dt.date.today())
    findings: list[Finding] = []
    for rule in report.format.rules:
        findings.extend(_CHECKS[rule.kind](rule, ctx))
    return findings


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


@dataclass
class _Context:
    report: Report
    previous: Report | None
    today: dt.date


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
            def term(t: str, row=row) -> _Term:
                return _term(t, (table.key, row.key), table.columns[_bare(t)].short, by_row=True)
            out.append(_Relation(f"{table.section.part} {row.short}行",
                                 tuple(map(term, p["lhs"])), tuple(map(term, p["rhs"]))))
    else:
        for col in p.get("columns") or table.column_keys():
            def term(t: str, col=col) -> _Term:
                return _term(t, (table.key, col), table.row(_bare(t)).short, by_row=False)
            out.append(_Relation(f"{table.section.part} {table.columns[col].short}列",
                                 tuple(map(term, p["lhs"])), tuple(map(term, p["rhs"]))))
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
    uses_prev = any(t.lstrip("-").startswith("prev.") for t in p["lhs"] + p["rhs"])
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
        cells = tuple(t.ref for t in rel.lhs + rel.rhs if not t.prev)
        verb = "小于" if op == ">=" else "，但"
        rhs_text = (f"{p['rhs_label']}为{_num(rs)}" if p.get("rhs_label")
                    else _expression(rel.rhs, rv, rs))
        msg = f"{rel.where}：{_expression(rel.lhs, lv, ls)}{verb}{rhs_text}，相差{_num(abs(ls - rs))}"
        yield _finding(rule, cells, msg, cells[0][0])


def _values(terms: tuple[_Term, ...], ctx: _Context) -> list | None:
    out = []
    for t in terms:
        source = ctx.previous if t.prev else ctx.report
        if source is None or t.ref not in source.cells:
            return None
        v = source.cells[t.ref]
        if v is None:
            return None
        out.append(-v if t.sign < 0 else v)
    return out


def _expression(terms: tuple[_Term, ...], values: list, total) -> str:
    """``新收(5)+上年结转(1)=6``; a single term is just ``总计(5)``."""
    parts = []
    for i, (t, v) in enumerate(zip(terms, values)):
        sign = "-" if t.sign < 0 else ("+" if i else "")
        parts.append(f"{sign}{t.name}({_num(v * t.sign)})")
    text = "".join(parts)
    return text if len(terms) == 1 else f"{text}={_num(total)}"


def _num(value) -> str:
    return format_value(value)


# ------------------------------------------------------------------ cell checks
def _check_complete(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    """One finding per row with empty cells, naming the columns (0 must be typed)."""
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
    for ref, value in ctx.report.cells.items():
        if value is None:
            continue
        kind = fmt.kind_of(ref)
        problem = _type_problem(kind, value, max_dec)
        if problem:
            yield _finding(rule, (ref,), f"{fmt.describe_cell(ref)}：{problem}", ref[0])


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
    if not 2019 <= r.year <= ctx.today.year:
        yield _finding(rule, (), f"封面：报告年度 {r.year} 不在 2019 至 {ctx.today.year} 之间",
                       "cover")
    expected = version_for_year(r.year)
    if r.version != expected:
        yield _finding(rule, (), f"封面：{r.year} 年度的报告应使用 {expected} 版格式，"
                       f"此报告为 {r.version} 版", "cover")


# ------------------------------------------------------------------ text checks
def _section_heading(fmt: Format, text_key: str) -> str:
    return next(s.heading for s in fmt.sections if s.text == text_key)


def _check_text_required(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    for key in rule.params["texts"]:
        if not ctx.report.texts.get(key, "").strip():
            yield _finding(rule, (), f"{_section_heading(ctx.report.format, key)}：未填写", key)


def char_count(text: str) -> int:
    """Characters as the 一千字 guide counts them: everything but white space."""
    return len(re.sub(r"\s", "", text))


def _check_text_length(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    key, limit = rule.params["text"], rule.params["max_chars"]
    n = char_count(ctx.report.texts.get(key, ""))
    if n > limit:
        yield _finding(rule, (), f"{_section_heading(ctx.report.format, key)}：共 {n} 字，"
                       f"超过“原则上不超过一千字”的要求 {n - limit} 字", key)


def _check_text_substance(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    key = rule.params["text"]
    text = ctx.report.texts.get(key, "").strip()
    if not text:
        return  # reported by text.required
    sentences = [s for s in re.split(r"[。！？!?；;\n]+", text) if s.strip(" 　，,")]
    if len(sentences) < rule.params["min_sentences"]:
        yield _finding(rule, (), f"{_section_heading(ctx.report.format, key)}：只写了“{text[:20]}”，"
                       "过于简略；请具体说明存在的问题和改进措施（不得敷衍、年年雷同）", key)


def _check_text_mentions(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    text = ctx.report.texts.get(rule.params["text"], "")
    if not any(word in text for word in rule.params["any_of"]):
        yield _finding(rule, (), rule.params["message"], rule.params["text"])


def _check_text_numbers(rule: Rule, ctx: _Context) -> Iterable[Finding]:
    """Numbers the texts state for table quantities that differ from the table."""
    fmt, report = ctx.report.format, ctx.report
    text = _arabic("\n".join(report.texts.get(s.text, "") for s in fmt.text_sections()))
    for tn in fmt.text_numbers:
        table_value = report.cells.get(tn.cell)
        if table_value is None:
            continue
        for stated, snippet in _stated_numbers(text, tn.patterns):
            if stated != table_value:
                yield _finding(rule, (tn.cell,),
                               f"文字部分说{tn.name}为 {stated}（“{snippet}”），但表格中为 "
                               f"{table_value}（{fmt.describe_cell(tn.cell)}），"
                               f"相差{abs(stated - table_value)}",
                               tn.cell[0])
                break


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"(?<![零〇一二两三四五六七八九十百千万第])([零〇一二两三四五六七八九十百千]+)"
                        r"(?=\s*(?:件|起|宗|份|个|条))")


def _arabic(text: str) -> str:
    """``收到申请三件`` → ``收到申请3件``: small numbers are often written in Chinese."""
    def convert(m: re.Match) -> str:
        value = _cn_int(m.group(1))
        return m.group(1) if value is None else str(value)
    return _CN_NUMBER.sub(convert, text)


def _cn_int(word: str) -> int | None:
    """一 … 九千九百九十九; None for what is not a well-formed number (e.g. 一一)."""
    total, digit = 0, None
    for ch in word:
        if ch in _CN_DIGITS:
            if digit not in (None, 0) and _CN_DIGITS[ch] != 0:
                return None
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def _stated_numbers(text: str, patterns: tuple[str, ...]) -> list[tuple[int, str]]:
    found = []
    for pattern in _compiled(patterns):
        for m in pattern.finditer(text):
            found.append((int(m.group(1)), m.group(0)))
    return found


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


_CHECKS: dict[str, Callable[[Rule, _Context], Iterable[Finding]]] = {
    "relation": _check_relation,
    "complete": _check_complete,
    "type": _check_type,
    "header": _check_header,
    "text_required": _check_text_required,
    "text_length": _check_text_length,
    "text_substance": _check_text_substance,
    "text_mentions": _check_text_mentions,
    "text_numbers": _check_text_numbers,
}
