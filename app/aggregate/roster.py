"""The office's list of units (名单) and who of them has reported.

A roster is a plain text or .xlsx list, one unit a line, or the bodies of last year's
received reports. Names on the roster and in the reports rarely agree letter for letter:
a roster says 遵化店镇 where the report says 平顶山高新技术产业开发区遵化店镇人民政府, or
区发改委 for 某某区发展和改革委员会. Names are matched in steps, each less certain:

1. the same name;
2. the same once spaces, 人民政府 and the word forms of ``district.toml`` are set aside
   (certain: the same body written another way);
3. one name ends with the other (a region prefix left out) — doubtful;
4. the shorter name's characters appear in order in the longer, ending alike (a 简称 such
   as 发改委) — doubtful.

The best step wins; two roster units equally good leave the name unmatched (ambiguous).
Every doubtful match is kept with its step so that the window and the command line show
it for the clerk to confirm. What the clerk decides (``NameDecision``: this report's name
is, or is not, that roster unit) comes before every step and is kept in the summary's
record, so that a match confirmed once is not asked again.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.aggregate.config import NameRules, load_district_config
from app.files import FileReadError, read_limited

MAX_ROSTER_BYTES = 5 * 1024 * 1024
SUFFIXES = (".txt", ".csv", ".xlsx")

SAME, TOLERANT, SUFFIX, ABBREVIATION = range(4)
CONFIRMED = -1
"""Level of a match the clerk confirmed: surer than any step."""
LEVEL_WORDS = {SAME: "名称相同", TOLERANT: "名称写法不同", SUFFIX: "名称近似（省略了前缀）",
               ABBREVIATION: "名称近似（简称）", CONFIRMED: "已确认是同一单位"}
FILE_NAME = 10
"""Level of a match made by a file's name (its report could not be read): always doubtful."""


class RosterError(ValueError):
    """The roster cannot be read; the message is Chinese and does not name the file."""


@dataclass(frozen=True)
class Roster:
    units: tuple[str, ...]
    source: str
    """Where the list came from, in words (a file name, or 上年收到的报告)."""
    notes: tuple[str, ...] = ()


def read_roster(path: str | Path) -> Roster:
    """The units listed in a .txt/.csv (one a line) or .xlsx file (first column of words)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterError(f"名单文件的类型“{p.suffix or '无扩展名'}”不支持：请用文本文件（.txt，每行一个单位）"
                          "或 Excel 表格（.xlsx）")
    try:
        data = read_limited(p, MAX_ROSTER_BYTES, "单位名单")
    except FileReadError as exc:
        raise RosterError(str(exc)) from None
    lines = _xlsx_lines(data) if suffix == ".xlsx" else _text_lines(data)
    return _roster(lines, p.name)


def roster_from_names(names: Iterable[str], source: str) -> Roster:
    """A roster of the bodies of last year's reports (or any list of names)."""
    return _roster(([n] for n in names), source)


def _roster(lines: Iterable[list], source: str) -> Roster:
    rules = load_district_config().names
    units: list[str] = []
    seen: dict[str, str] = {}
    notes: list[str] = []
    for fields in lines:
        name = _unit_of(fields, rules)
        if not name:
            continue
        key = normalise(name, rules)
        if key in seen:
            notes.append(f"名单中“{name}”与“{seen[key]}”是同一单位，只计一次")
            continue
        seen[key] = name
        units.append(name)
    if not units:
        raise RosterError("名单中没有单位：请每行写一个单位名称")
    return Roster(tuple(units), source, tuple(notes))


_NUMBERING = re.compile(r"^(?:\d+|[（(]\d+[)）])\s*[.、．:：)）]?\s*")


def _unit_of(fields: list, rules: NameRules) -> str | None:
    """The first words of a line (a number column is passed over); None for a blank,
    comment or header line (its first words are a header such as 单位名称)."""
    for value in fields:
        if value is None or isinstance(value, (int, float)):
            continue
        text = _NUMBERING.sub("", str(value).strip()).strip()
        if not text:
            continue
        if text.startswith("#") or text in rules.roster_headers:
            return None
        return text
    return None


def _text_lines(data: bytes) -> list[list[str]]:
    """Lines of a text list; fields split at tabs and commas (a list pasted from Excel)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError("名单文件不是文本文件（无法按 UTF-8 或 GBK 读取）")
    return [re.split(r"[\t,，]", line) for line in text.splitlines()]


def _xlsx_lines(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # only for .xlsx rosters

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise RosterError("名单文件不是有效的 Excel 表格（.xlsx）") from None
    try:
        return [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


# ------------------------------------------------------------------ matching names
def normalise(name: str, rules: NameRules | None = None) -> str:
    """A name with spaces, 人民政府 and brackets' width set aside, for comparing."""
    return _normalise(name, rules or load_district_config().names)


@lru_cache(maxsize=8192)
def _normalise(name: str, rules: NameRules) -> str:
    """(Kept: the desk normalises each of 1,000 names several times a run.)"""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    for word in rules.omit:
        text = text.replace(word, "")
    for long, short in rules.same:
        text = text.replace(long, short)
    return text


@dataclass(frozen=True)
class Match:
    """How a name was found on the roster: ``unit`` is None when it was not (``candidates``
    then holds the units it could equally be)."""
    name: str
    unit: str | None
    level: int | None = None
    candidates: tuple[str, ...] = ()
    ruled_out: tuple[str, ...] = ()
    """Roster units the clerk said it is not."""

    @property
    def worth_saying(self) -> bool:
        """Anything but the same name on both sides: how it was matched, or why not."""
        return bool(self.level or self.candidates or self.ruled_out)

    @property
    def doubtful(self) -> bool:
        return self.unit is not None and self.level is not None and self.level >= SUFFIX

    def describe(self) -> str:
        """``名称近似（简称）：名单“区发改委”，报告“某某区发展和改革委员会”``."""
        if self.unit is None or self.level is None:
            if self.candidates:
                return f"“{self.name}”与名单中的{'、'.join(f'“{c}”' for c in self.candidates)}都相近，无法确定是哪个单位"
            if self.ruled_out:
                return f"已确认“{self.name}”不是名单中的{'、'.join(f'“{c}”' for c in self.ruled_out)}，不在名单中"
            return f"“{self.name}”不在名单中"
        if self.level == FILE_NAME:
            return f"按文件名对应到名单“{self.unit}”，请核对"
        return f"{LEVEL_WORDS[self.level]}：名单“{self.unit}”，报告“{self.name}”"


def _level(a: str, b: str, rules: NameRules) -> int | None:
    """How close two normalised names are (a step of the module doc), or None."""
    if a == b:
        return TOLERANT
    short, long = sorted((a, b), key=len)
    if len(short) < rules.min_short:
        return None
    if long.endswith(short):
        return SUFFIX
    if short[-1] == long[-1] and _in_order(short, long):
        return ABBREVIATION
    return None


@dataclass(frozen=True)
class NameDecision:
    """The clerk's word on a match: the report's body ``name`` is (``same``) or is not the
    roster's ``unit``."""
    name: str
    unit: str
    same: bool

    def describe(self) -> str:
        verb = "是" if self.same else "不是"
        return f"报告单位“{self.name}”{verb}名单中的“{self.unit}”"


def decide(decisions: Iterable[NameDecision], new: NameDecision) -> tuple[NameDecision, ...]:
    """``decisions`` with ``new`` in place of any earlier word on the same two names."""
    return tuple(d for d in decisions if (d.name, d.unit) != (new.name, new.unit)) + (new,)


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@dataclass(frozen=True)
class _Index:
    """A roster's names prepared once: as written, and normalised (step 2 is a lookup)."""
    units: tuple[str, ...]
    normal: tuple[str, ...]
    by_normal: dict[str, tuple[str, ...]]
    exact: frozenset[str]


@lru_cache(maxsize=8)
def _index(units: tuple[str, ...]) -> _Index:
    rules = load_district_config().names
    normal = tuple(normalise(u, rules) for u in units)
    by_normal: dict[str, tuple[str, ...]] = {}
    for unit, key in zip(units, normal):
        by_normal[key] = by_normal.get(key, ()) + (unit,)
    return _Index(units, normal, by_normal, frozenset(units))


def match_name(name: str, units: Iterable[str], by_file_name: bool = False,
               decisions: Iterable[NameDecision] = ()) -> Match:
    """The roster unit ``name`` belongs to: the one the clerk confirmed, else by the steps
    of the module doc among the units the clerk did not rule out."""
    rules = load_district_config().names
    index = _index(tuple(units))
    said = {d.unit: d.same for d in decisions if d.name == name.strip() and d.unit in index.exact}
    confirmed = [unit for unit, same in said.items() if same]
    if confirmed:
        return Match(name, confirmed[-1], CONFIRMED)
    if not by_file_name and name.strip() in index.exact and name.strip() not in said:
        return Match(name, name.strip(), SAME)
    key = normalise(name, rules)
    found = [u for u in index.by_normal.get(key, ()) if u not in said]
    best: int | None = TOLERANT if found else None
    if not found:
        for unit, other in zip(index.units, index.normal):
            if unit in said:
                continue
            level = _level(key, other, rules)
            if level is None:
                continue
            if best is None or level < best:
                best, found = level, [unit]
            elif level == best:
                found.append(unit)
    ruled_out = tuple(unit for unit, same in said.items() if not same)
    if not found:
        return Match(name, None, ruled_out=ruled_out)
    if len(found) > 1:
        return Match(name, None, best, tuple(found), ruled_out)
    return Match(name, found[0], FILE_NAME if by_file_name else best, ruled_out=ruled_out)


# ------------------------------------------------------------------ who has reported
@dataclass
class Arrival:
    """One received file as the roster sees it: its report's body, or only its file name
    when it could not be read."""
    path: Path
    organ: str | None

    @property
    def label(self) -> str:
        return self.organ or self.path.stem


@dataclass
class UnitFiles:
    unit: str
    files: list[Path] = field(default_factory=list)


@dataclass
class RosterCheck:
    """Each roster unit with its files, the files of no roster unit, every match made."""
    units: list[UnitFiles]
    unknown: list[Path]
    matches: dict[Path, Match]
    notes: list[str] = field(default_factory=list)

    @property
    def doubtful(self) -> list[Match]:
        return [m for m in self.matches.values() if m.doubtful]


def check_roster(roster: Roster, arrivals: list[Arrival],
                 decisions: Iterable[NameDecision] = ()) -> RosterCheck:
    """Match every arrival to a roster unit (the clerk's ``decisions`` first). When several
    files fall to one unit, those matched less surely than the best give way: they become
    files of no roster unit with a note (a 国库支付中心 report is not a second 财政局 report)."""
    decisions = tuple(decisions)
    matches = {a.path: match_name(a.label, roster.units, by_file_name=a.organ is None,
                                  decisions=decisions) for a in arrivals}
    by_unit: dict[str, list[Path]] = {u: [] for u in roster.units}
    for a in arrivals:
        m = matches[a.path]
        if m.unit is not None:
            by_unit[m.unit].append(a.path)
    notes: list[str] = []
    for unit, paths in by_unit.items():
        best = min((lv for p in paths if (lv := matches[p].level) is not None), default=None)
        for p in [p for p in paths if matches[p].level != best]:
            paths.remove(p)
            notes.append(f"{p.name}：报告单位“{matches[p].name}”与名单“{unit}”相近，"
                         f"但“{unit}”已有名称更接近的报告，按名单外单位处理")
            matches[p] = Match(matches[p].name, None)
    unknown = [a.path for a in arrivals if matches[a.path].unit is None]
    return RosterCheck([UnitFiles(u, by_unit[u]) for u in roster.units], unknown, matches, notes)


def units_by_name(arrivals: list[Arrival]) -> RosterCheck:
    """Without a roster: each body is a unit (names compared as in step 2), so that the
    same body in two files is still found."""
    rules = load_district_config().names
    units: dict[str, UnitFiles] = {}
    matches: dict[Path, Match] = {}
    for a in arrivals:
        if a.organ is None:
            continue
        key = normalise(a.organ, rules)
        unit = units.setdefault(key, UnitFiles(a.organ.strip()))
        unit.files.append(a.path)
        level = SAME if a.organ.strip() == unit.unit else TOLERANT
        matches[a.path] = Match(a.organ, unit.unit, level)
    return RosterCheck(list(units.values()), [], matches)
