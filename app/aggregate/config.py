"""What the district office's desk judges, read from ``resources/district.toml``.

Thresholds of the year-over-year comparison, the ratios (their cells, the fewest cases
worth judging, the bounds that are judged), the words that make two unit names the same,
and what to tell a unit to correct for each rule: data an office may adjust, never
literals scattered in the code.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from app.formats import CellRef
from app.paths import resource_path
from app.toml_cache import read_toml


@dataclass(frozen=True)
class Term:
    """One cell in a sum: ``-prev.requests.new.total`` is last year's 新收总计, subtracted."""
    ref: CellRef
    sign: int = 1
    prev: bool = False

    @classmethod
    def parse(cls, text: str) -> Term:
        sign = -1 if text.startswith("-") else 1
        bare = text.lstrip("-")
        prev = bare.startswith("prev.")
        table, row, col = bare.removeprefix("prev.").split(".")
        return cls((table, row, col), sign, prev)


@dataclass(frozen=True)
class ZeroFlip:
    name: str
    cells: tuple[CellRef, ...]


@dataclass(frozen=True)
class RatioDef:
    key: str
    name: str
    formula: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]
    signed: bool = False
    alert_below: Fraction | None = None
    alert_above: Fraction | None = None
    below_text: str = ""
    above_text: str = ""

    @property
    def uses_previous(self) -> bool:
        return any(t.prev for t in self.numerator + self.denominator)


@dataclass(frozen=True)
class NameRules:
    omit: tuple[str, ...]
    same: tuple[tuple[str, str], ...]
    min_short: int
    roster_headers: frozenset[str]


@dataclass(frozen=True)
class DistrictConfig:
    change_factor: int
    zero_flips: tuple[ZeroFlip, ...]
    min_cases: int
    ratios: tuple[RatioDef, ...]
    names: NameRules
    advice: dict

    def advice_for(self, rule_id: str, severity: str) -> str:
        """What to correct for a finding of ``rule_id`` (the 问题清单's last column)."""
        return self.advice.get(rule_id) or self.advice.get(f"default_{severity}", "")


def _ref(text: str) -> CellRef:
    table, row, col = text.split(".")
    return (table, row, col)


def _fraction(value) -> Fraction | None:
    return None if value is None else Fraction(str(value))


@cache
def load_district_config() -> DistrictConfig:
    data = read_toml(resource_path("district.toml"))
    changes, ratios, names = data["changes"], data["ratios"], data["names"]
    return DistrictConfig(
        change_factor=int(changes["factor"]),
        zero_flips=tuple(ZeroFlip(z["name"], tuple(map(_ref, z["cells"])))
                         for z in changes["zero_flip"]),
        min_cases=int(ratios["min_cases"]),
        ratios=tuple(RatioDef(
            key=r["key"], name=r["name"], formula=r["formula"],
            numerator=tuple(map(Term.parse, r["numerator"])),
            denominator=tuple(map(Term.parse, r["denominator"])),
            signed=bool(r.get("signed", False)),
            alert_below=_fraction(r.get("alert_below")), alert_above=_fraction(r.get("alert_above")),
            below_text=r.get("below_text", ""), above_text=r.get("above_text", ""))
            for r in ratios["list"]),
        names=NameRules(omit=tuple(names["omit"]),
                        same=tuple((a, b) for a, b in names["same"]),
                        min_short=int(names["min_short"]),
                        roster_headers=frozenset(names["roster_headers"])),
        advice=dict(data["advice"]),
    )
