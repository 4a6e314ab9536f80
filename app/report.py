"""The report: header, three texts and every table cell of its format.

A cell holds an ``int`` (counts), a ``Decimal`` in 万元 (money) or ``None`` (not filled in:
0 must be typed, never assumed). The cells are a flat dict keyed by ``CellRef`` so the
validator, the grids and the exporters all address a cell the same way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from app.formats import CellRef, Format, load_format, version_for_year

Value = int | Decimal | None

TEXT_KEYS = ("overview", "problems", "other")


@dataclass
class Report:
    format: Format
    year: int
    organ: str
    date: dt.date | None = None
    texts: dict[str, str] = field(default_factory=lambda: dict.fromkeys(TEXT_KEYS, ""))
    cells: dict[CellRef, Value] = field(default_factory=dict)

    @classmethod
    def blank(cls, organ: str, year: int, version: str | None = None) -> Report:
        """An empty report of ``organ`` for ``year``; the format follows from the year."""
        fmt = load_format(version or version_for_year(year))
        return cls(format=fmt, year=year, organ=organ, cells=dict.fromkeys(fmt.cells()))

    @property
    def version(self) -> str:
        return self.format.version

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    def filled_count(self) -> int:
        return sum(v is not None for v in self.cells.values())

    def completeness(self) -> float:
        """Share of cells and required texts filled in, 0.0 … 1.0 (for draft lists)."""
        texts = [self.texts.get(key, "") for key in self.format.required_texts]
        done = self.filled_count() + sum(bool(t.strip()) for t in texts)
        return done / (len(self.cells) + len(texts))

    def copy(self) -> Report:
        return Report(format=self.format, year=self.year, organ=self.organ, date=self.date,
                      texts=dict(self.texts), cells=dict(self.cells))
