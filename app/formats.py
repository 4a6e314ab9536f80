"""The report formats, read from ``resources/formats/<version>.toml``.

The format files are the single source of truth for the report's structure: sections,
tables, rows, columns, header groups, labels, data keys and rules. Everything else (the
exchange file, the validator, the grids, the PDF, the importer) walks these objects, so a
row is written down exactly once, in the TOML file.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, NamedTuple

from app.paths import resource_path
from app.toml_cache import read_toml

CellRef = tuple[str, str, str]
"""A cell address: (table key, row key, column key), as in the exchange JSON."""

CELL_KINDS = ("count", "signed_count", "money")
FILL_IN_KINDS = ("complete", "text_required")
"""Rule kinds that report what is not filled in yet (``Rule.asks_to_fill_in``)."""


class FormatError(Exception):
    """A format file is missing or inconsistent (a programming error, not user input)."""


class Column(NamedTuple):
    key: str
    label: str
    short: str
    kind: str
    path: tuple[str, ...] = ()
    unit: str | None = None

    @property
    def header_path(self) -> tuple[str, ...]:
        """Header groups above the column, then its own label."""
        return self.path + (self.label,)


class Row(NamedTuple):
    key: str
    label: str
    short: str
    columns: tuple[str, ...]
    path: tuple[str, ...] = ()
    group: str | None = None
    aliases: tuple[str, ...] = ()
    """Other official labels of the row that real reports print (import reads them)."""

    @property
    def header_path(self) -> tuple[str, ...]:
        """Header groups left of the row, then its own label."""
        return self.path + (self.label,)


class Table(NamedTuple):
    key: str
    layout: str
    section: Section
    rows: tuple[Row, ...]
    columns: dict[str, Column]
    corner: str | None = None
    row_header: str | None = None

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def column(self, key: str) -> Column:
        return self.columns[key]

    def cells(self) -> Iterator[CellRef]:
        """Every cell of the table, rows in order, columns in the row's order."""
        for row in self.rows:
            for col in row.columns:
                yield (self.key, row.key, col)

    def column_keys(self) -> tuple[str, ...]:
        """All column keys of the table in declaration order."""
        return tuple(self.columns)


class Section(NamedTuple):
    number: str
    title: str
    text: str | None = None
    table: str | None = None
    guide: str | None = None
    outline: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """The printed heading, e.g. ``三、收到和处理政府信息公开申请情况``."""
        return f"{self.number}、{self.title}"

    @property
    def part(self) -> str:
        """How messages name the section, e.g. ``第三部分``."""
        return f"第{self.number}部分"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    kind: str
    name: str = ""  # the Chinese name users read (rule ids are never shown)
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def asks_to_fill_in(self) -> bool:
        """It reports something not filled in yet (an empty cell, an empty text) rather than
        something filled in wrongly: a fresh report is full of these."""
        return self.kind in FILL_IN_KINDS


class TextNumber(NamedTuple):
    """A table quantity the texts may state: the number a pattern captures is compared with
    the sum of ``cells``. ``keywords`` pre-select sentences (a pattern can only match where one
    occurs); ``subject`` names the ``text_subjects`` entry that must be the nearest before the
    number in its sentence; ``including`` is the quantity meant when the number is followed by
    words saying it includes others (收到申请72件（含上年结转2件）)."""
    name: str
    cells: tuple[CellRef, ...]
    patterns: tuple[str, ...]
    keywords: tuple[str, ...]
    subject: str | None = None
    including: TextNumber | None = None
    including_after: str | None = None


class TotalRelation(NamedTuple):
    """``target`` is the sum of ``parts`` (one row or column of a ``total = true`` rule)."""
    target: CellRef
    parts: tuple[CellRef, ...]


@dataclass(frozen=True, eq=False)
class Format:
    version: str
    document: str
    name: str
    first_year: int
    last_year: int | None
    markers: tuple[str, ...]
    sections: tuple[Section, ...]
    tables: dict[str, Table]
    rules: tuple[Rule, ...]
    text_numbers: tuple[TextNumber, ...]
    text_subjects: dict[str, str] = field(default_factory=dict)

    def cells(self) -> Iterator[CellRef]:
        """Every cell of the format, in the order of the exchange file."""
        for table in self.tables.values():
            yield from table.cells()

    def column_of(self, ref: CellRef) -> Column:
        return self.tables[ref[0]].columns[ref[2]]

    def kind_of(self, ref: CellRef) -> str:
        return self.column_of(ref).kind

    def text_sections(self) -> list[tuple[str, Section]]:
        """The sections that are texts, each with the key of its text."""
        return [(s.text, s) for s in self.sections if s.text]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def rules_of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def text_limit(self, text_key: str) -> int | None:
        """The most characters a text should have (rule kind ``text_length``), or None."""
        return next((r.params["max_chars"] for r in self.rules_of_kind("text_length")
                     if r.params["text"] == text_key), None)

    @property
    def required_texts(self) -> tuple[str, ...]:
        """Text keys that must not be empty (rule kind ``text_required``)."""
        return tuple(k for r in self.rules_of_kind("text_required") for k in r.params["texts"])

    def covers_year(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def describe_cell(self, ref: CellRef) -> str:
        """Where a cell is, in words: ``第三部分 新收行 自然人列``."""
        table = self.tables[ref[0]]
        row, col = table.row(ref[1]), table.columns[ref[2]]
        return f"{table.section.part} {row.short}行 {col.short}列"

    @cached_property
    def total_relations(self) -> tuple[TotalRelation, ...]:
        """Every computed total, from the ``total = true`` relation rules: the one place
        totals are derived (the grid, the wizard's recomputation and paste all read it)."""
        out = []
        for rule in self.rules:
            p = rule.params
            if rule.kind != "relation" or not p.get("total"):
                continue
            table = self.tables[p["table"]]
            (target,) = p["lhs"]
            if p["each"] == "row":
                for row in table.rows:
                    if target in row.columns and all(c in row.columns for c in p["rhs"]):
                        out.append(TotalRelation((table.key, row.key, target),
                                                 tuple((table.key, row.key, c) for c in p["rhs"])))
            else:
                for col in table.row(target).columns:
                    out.append(TotalRelation((table.key, target, col),
                                             tuple((table.key, r, col) for r in p["rhs"])))
        return tuple(out)

    @cached_property
    def fill_in_rules(self) -> frozenset[str]:
        """Ids of the rules that ask to fill something in (``Rule.asks_to_fill_in``)."""
        return frozenset(rule.id for rule in self.rules if rule.asks_to_fill_in)

    def computed_cells(self) -> set[CellRef]:
        """Cells that are totals of others (shown read-only and computed in the wizard)."""
        return {rel.target for rel in self.total_relations}

VERSIONS = ("2019", "2021")


class YearError(ValueError):
    """No format applies to a year (message in Chinese)."""


def first_report_year() -> int:
    """The first year any format applies to (年报 under the 2019 条例 start with 2019)."""
    return min(load_format(v).first_year for v in VERSIONS)


def report_years(today: dt.date) -> range:
    """The years a report can be made for: from the first format's first year to this year
    (the cover check, ``nianbao new`` and the new-report dialog all take it from here)."""
    return range(first_report_year(), today.year + 1)


def version_for_year(year: int) -> str:
    """The format a report of ``year`` must use, from the format files' first_year/last_year.

    The one place that decides it: the cover check, new reports (command and dialog), the
    importer and the year field all ask here. Raises ``YearError`` for a year before the
    first format.
    """
    for version in VERSIONS:
        if load_format(version).covers_year(year):
            return version
    raise YearError(f"{year} 年度没有适用的年报格式：年报格式从 {first_report_year()} 年度开始")


@cache
def load_format(version: str) -> Format:
    """Read and check ``resources/formats/<version>.toml`` (once per process; the parse
    once per machine, ``app.toml_cache``)."""
    if version not in VERSIONS:
        raise FormatError(f"unknown format version {version!r}")
    fmt = _build(read_toml(resource_path("formats", f"{version}.toml")))
    _check(fmt)
    return fmt


def _build(data: dict[str, Any]) -> Format:
    sections = tuple(
        Section(
            number=s["number"], title=s["title"], text=s.get("text"), table=s.get("table"),
            guide=s.get("guide"), outline=tuple(s.get("outline", ())),
        )
        for s in data["sections"]
    )
    by_table = {s.table: s for s in sections if s.table}
    tables = {key: _build_table(key, t, by_table[key]) for key, t in data["tables"].items()}
    rules = tuple(
        Rule(id=r["id"], severity=r["severity"], kind=r["kind"], name=r["name"],
             params={k: v for k, v in r.items() if k not in ("id", "severity", "kind", "name")})
        for r in data["rules"]
    )
    text_numbers = tuple(_build_text_number(t) for t in data.get("text_numbers", ()))
    return Format(
        version=data["version"], document=data["document"], name=data["name"],
        first_year=data["first_year"], last_year=data.get("last_year"),
        markers=tuple(data.get("markers", ())), sections=sections, tables=tables,
        rules=rules, text_numbers=text_numbers, text_subjects=dict(data.get("text_subjects", {})),
    )


def _build_text_number(t: dict[str, Any]) -> TextNumber:
    including = t.get("including")
    return TextNumber(
        name=t["name"], cells=tuple(tuple(c) for c in t["cells"]), patterns=tuple(t["patterns"]),
        keywords=tuple(t["keywords"]), subject=t.get("subject"),
        including=TextNumber(name=including["name"], cells=tuple(tuple(c) for c in including["cells"]),
                             patterns=(), keywords=()) if including else None,
        including_after=including["after"] if including else None,
    )


def _build_table(key: str, t: dict[str, Any], section: Section) -> Table:
    columns = {
        ck: Column(key=ck, label=c["label"], short=c.get("short", c["label"]), kind=c["kind"],
                   path=tuple(c.get("path", ())), unit=c.get("unit"))
        for ck, c in t["columns"].items()
    }
    rows = tuple(
        Row(key=r["key"], label=r["label"], short=r.get("short", r["label"]),
            columns=tuple(r.get("columns", columns)), path=tuple(r.get("path", ())),
            group=r.get("group"), aliases=tuple(r.get("aliases", ())))
        for r in t["rows"]
    )
    return Table(key=key, layout=t["layout"], section=section, rows=rows, columns=columns,
                 corner=t.get("corner"), row_header=t.get("row_header"))


def _check(fmt: Format) -> None:
    """Catch typos in a format file when it is loaded, not when a user meets them."""
    for table in fmt.tables.values():
        keys = [r.key for r in table.rows]
        if len(keys) != len(set(keys)):
            raise FormatError(f"{fmt.version}: duplicate row in {table.key}")
        for row in table.rows:
            for col in row.columns:
                if col not in table.columns:
                    raise FormatError(f"{fmt.version}: {table.key}.{row.key} names unknown column {col}")
        for column in table.columns.values():
            if column.kind not in CELL_KINDS:
                raise FormatError(f"{fmt.version}: {table.key}.{column.key} has kind {column.kind}")
    for rule in fmt.rules:
        if rule.severity not in ("error", "warning", "info"):
            raise FormatError(f"{fmt.version}: rule {rule.id} severity {rule.severity}")
        if rule.kind == "relation":
            _check_relation(fmt, rule)
    cells = set(fmt.cells())
    for tn in fmt.text_numbers:
        for ref in tn.cells + (tn.including.cells if tn.including else ()):
            if ref not in cells:
                raise FormatError(f"{fmt.version}: text number {tn.name} names unknown cell {ref}")
        if tn.subject and tn.subject not in fmt.text_subjects:
            raise FormatError(f"{fmt.version}: text number {tn.name} names unknown subject {tn.subject}")
        if not tn.keywords:
            raise FormatError(f"{fmt.version}: text number {tn.name} has no keywords")


def _check_relation(fmt: Format, rule: Rule) -> None:
    p = rule.params
    table = fmt.tables[p["table"]]
    names = table.column_keys() if p["each"] == "row" else tuple(r.key for r in table.rows)
    for term in list(p["lhs"]) + list(p["rhs"]):
        name = term.lstrip("-").removeprefix("prev.")
        if name not in names:
            raise FormatError(f"{fmt.version}: rule {rule.id} names unknown {name}")
