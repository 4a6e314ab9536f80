"""Which row of a table a printed label names, tolerating what real reports print.

Real labels come broken over lines, cells and page breaks (``(`` / ``二`` / ``)`` /
``部分公开``), with other numbering (``1、`` for ``1.``), with the other format's official
label (规范性文件 for 行政规范性文件), cut where a page or a line ended, or with a typo
(``其他法律行政止公开``). A label is looked for among the last printed pieces before the
row's numbers, shortest first, in decreasing order of certainty: exact, without numbering
and note, a unique beginning of one label, and, only for the row expected at this place,
a label that lacks or adds a few characters. Every label compared comes from the format.
"""
from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

from app.formats import Row, Table
from app.importer.document import norm

_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")
_PAREN_TAIL = re.compile(r"\(.*\)$")
MAX_PIECES = 12
MAX_LABEL = 90
MIN_PREFIX = 6


def core(label_norm: str) -> str:
    """A label without its numbering and a trailing note: ``(二)部分公开(…)`` → ``部分公开``."""
    return _PAREN_TAIL.sub("", _PREFIX.sub("", label_norm))


def ordinal(label_norm: str) -> str:
    m = _PREFIX.match(label_norm)
    return m.group(0) if m else ""


@dataclass(frozen=True)
class Found:
    row: Row | None
    how: str
    """``exact``, ``loose``, ``prefix``, ``fuzzy`` (worth a note), or ``group``."""
    text: str
    """The label as printed (its pieces joined)."""
    rows: tuple[Row, ...] = ()
    """For ``group``: the rows under the group label the report printed as one row."""


class RowLabels:
    """The labels of one table, normalised once."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.exact: dict[str, Row] = {}
        for row in table.rows:
            for label in (row.label, *row.aliases):
                self.exact[norm(label)] = row
        self.cores: dict[str, list[Row]] = {}
        for label, row in self.exact.items():
            rows = self.cores.setdefault(core(label), [])
            if row not in rows:
                rows.append(row)
        self.groups: dict[str, list[Row]] = {}
        for row in table.rows:
            for group in map(norm, row.path):
                for key in {group, core(group)}:
                    self.groups.setdefault(key, []).append(row)

    def find(self, pieces: list[str], *, loose: bool = True, expected: Row | None = None,
             taken: Set[str] = frozenset()) -> Found | None:
        """The row named by the last pieces printed before a row's numbers (None: none)."""
        candidates = _suffixes(pieces)
        for text in candidates:
            if text in self.exact:
                return Found(self.exact[text], "exact", text)
        if not loose:
            return None
        for text in candidates:
            rows = self.cores.get(core(text), [])
            if len(rows) == 1:
                return Found(rows[0], "loose", text)
        for text in candidates:
            row = self._prefix_of(text, taken)
            if row is not None:
                return Found(row, "prefix", text)
        if expected is not None:
            for text in candidates[:2]:
                if _near(text, norm(expected.label)):
                    return Found(expected, "fuzzy", text)
        for text in candidates:
            rows = self.groups.get(text) or self.groups.get(core(text), [])
            if len(rows) > 1:
                return Found(None, "group", text, tuple(rows))
        return None

    def _prefix_of(self, text: str, taken: Set[str]) -> Row | None:
        """The one label not yet read that ``text`` begins (a label cut by a line or page end)."""
        if len(text) < MIN_PREFIX:
            return None
        rows = {row.key: row for label, row in self.exact.items()
                if label.startswith(text) and len(text) * 2 >= len(label) and row.key not in taken}
        return next(iter(rows.values())) if len(rows) == 1 else None


def _suffixes(pieces: list[str]) -> list[str]:
    """The last piece, the last two joined, … (normalised; empty pieces skipped)."""
    out: list[str] = []
    text = ""
    for piece in reversed([p for p in pieces if p.strip()][-MAX_PIECES:]):
        text = norm(piece) + text
        if len(text) > MAX_LABEL:
            break
        out.append(norm(text))  # norm again: ``1、`` may only now stand at the start
    return out


def _near(printed: str, label: str) -> bool:
    """``printed`` lacks or adds a few characters of ``label`` (a typo), numbering equal."""
    if ordinal(printed) and ordinal(printed) != ordinal(label):
        return False
    a, b = core(printed), core(label)
    short, long_ = sorted((a, b), key=len)
    if len(short) < 2 or len(short) * 3 < len(long_) * 2 or short == long_:
        return False
    return _subsequence(short, long_)


def _subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)
