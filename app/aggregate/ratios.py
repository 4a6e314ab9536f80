"""Ratios the district office reads off each unit's report and off the sum.

Their definitions (cells of the numerator and the denominator, the bounds judged, the
fewest cases worth judging) are data in ``resources/district.toml``. A ratio is kept as
an exact ``Fraction`` with its numerator and denominator, so that what the window and the
spreadsheet show can be checked by hand; it is None when a cell it needs is empty or the
denominator is 0 (nothing to divide), and it is only judged over enough cases.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.aggregate.config import RatioDef, Term, load_district_config
from app.report import Report


@dataclass(frozen=True)
class RatioValue:
    definition: RatioDef
    numerator: int | Decimal | None
    denominator: int | Decimal | None
    value: Fraction | None
    judged: bool
    verdict: str
    """``偏低``/``偏高``… when judged and out of bounds, else empty."""

    @property
    def name(self) -> str:
        return self.definition.name

    def percent(self) -> str:
        """``62.5%``, ``+20.0%`` for a signed change, empty when there is no value."""
        if self.value is None:
            return ""
        pct = Decimal(self.value.numerator * 100) / Decimal(self.value.denominator)
        text = f"{pct.quantize(Decimal('0.1'))}%"
        return f"+{text}" if self.definition.signed and self.value > 0 else text

    def text(self) -> str:
        """What the window and the command line show: ``37.5%（15/40）偏低``; over too few
        cases ``75.0%（15/20，不足30件）`` (shown, not judged)."""
        if self.numerator is None or self.denominator is None:
            return ""  # a cell it needs is empty: the report's own findings name it
        if self.value is None:
            if self.denominator == 0:
                return "—（无案件）" if not self.definition.uses_previous else "—（上年为 0）"
            return ""
        if not self.judged:
            return f"{self.percent()}（{self.numerator}/{self.denominator}，不足{load_district_config().min_cases}件）"
        return f"{self.percent()}（{self.numerator}/{self.denominator}）{self.verdict}"


def ratios(report: Report, previous: Report | None = None) -> list[RatioValue]:
    """Every ratio of ``district.toml`` for ``report`` (``previous``: the same body's report
    of last year, needed by 申请量增减)."""
    config = load_district_config()
    return [_ratio(d, report, previous, config.min_cases) for d in config.ratios]


def _ratio(d: RatioDef, report: Report, previous: Report | None, min_cases: int) -> RatioValue:
    num = _sum(d.numerator, report, previous)
    den = _sum(d.denominator, report, previous)
    if num is None or den is None or den == 0:
        return RatioValue(d, num, den, None, False, "")
    value = Fraction(num) / Fraction(den)
    judged = den >= min_cases
    verdict = ""
    if judged and d.alert_below is not None and value < d.alert_below:
        verdict = d.below_text
    elif judged and d.alert_above is not None and value > d.alert_above:
        verdict = d.above_text
    return RatioValue(d, num, den, value, judged, verdict)


def _sum(terms: tuple[Term, ...], report: Report, previous: Report | None):
    total: int | Decimal = 0
    for t in terms:
        source = previous if t.prev else report
        if source is None:
            return None
        v = source.cells.get(t.ref)
        if v is None:
            return None
        total += t.sign * v
    return total
