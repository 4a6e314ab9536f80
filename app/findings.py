"""What a check produces (``Finding``) and what it sees (``Context``).

Kept apart from the checks so the cell checks (``app.rules``) and the text checks
(``app.text_rules``) share them without importing each other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.formats import CellRef, Rule
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

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"rule": self.rule, "name": self.name, "severity": self.severity,
               "section": self.section, "cells": [list(c) for c in self.cells],
               "message": self.message}
        if self.span:
            out["span"] = list(self.span)
        return out

    def __str__(self) -> str:
        return f"{SEVERITY_NAMES[self.severity]}【{self.name}】{self.message}"


def finding(rule: Rule, cells: tuple[CellRef, ...], message: str, section: str,
            span: TextSpan | None = None) -> Finding:
    return Finding(rule.id, rule.severity, cells, message, rule.name, section, span)


def is_todo(finding: Finding, report: Report) -> bool:
    """Something not filled in yet (an empty cell, an empty text, or a rule about a text
    not yet written), as opposed to something filled in wrongly. The window shows these as
    work still to do until the clerk has left the step."""
    if finding.rule in report.format.fill_in_rules:
        return True
    return finding.section in report.texts and not report.texts[finding.section].strip()


@dataclass
class Context:
    """One validation run: the report, last year's report when known, today, and what
    checks computed once for all of them (``memo``, e.g. the scan of the texts)."""
    report: Report
    previous: Report | None
    today: dt.date
    memo: dict[str, Any] = field(default_factory=dict)
