"""The wizard's steps and which step a finding belongs to (no Qt here)."""
from __future__ import annotations

from dataclasses import dataclass

from app.formats import Format
from app.rules import Finding


@dataclass(frozen=True)
class StepDef:
    key: str     # "cover", a text key, a table key, or "check"
    title: str   # shown in the side list and as the page heading
    kind: str    # "cover" | "text" | "table" | "check"


def steps_for(fmt: Format) -> list[StepDef]:
    """封面信息, then the six sections in the format's order, then 检查与导出."""
    out = [StepDef("cover", "封面信息", "cover")]
    for s in fmt.sections:
        if s.text:
            out.append(StepDef(s.text, s.heading, "text"))
        elif s.table:
            out.append(StepDef(s.table, s.heading, "table"))
    out.append(StepDef("check", "检查与导出", "check"))
    return out


def step_of(finding: Finding, fmt: Format) -> str:
    """The step where the user fixes ``finding``: the section the rule gave it."""
    keys = {step.key for step in steps_for(fmt)}
    return finding.section if finding.section in keys else "check"
