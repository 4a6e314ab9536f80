"""What the district office decided for a summary: the files, the roster, last year's
reports, its own report, and the names it settled. Apart from ``district`` (which
evaluates them) because the summary's record (``record``) saves and reads them back,
and ``district`` reads last year's record: neither imports the other's module back."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.aggregate.roster import NameDecision, Roster, normalise


@dataclass
class DeskInputs:
    """What the office decided: the files, the roster, last year, its own report, names."""
    files: list[Path]
    organ: str | None = None
    office: str | None = None
    roster: Roster | None = None
    previous: list[Path] = field(default_factory=list)
    parent: Path | None = None
    roster_from_previous: bool = False
    """Take the roster from the bodies of last year's reports (when no roster is given)."""
    names: tuple[NameDecision, ...] = ()
    """What the clerk decided about doubtful name matches (kept in the summary's record)."""

    def office_name(self) -> str:
        """Who signs the 问题清单: the given office, else ``{organ}政务公开办公室``."""
        if self.office:
            return self.office
        organ = normalise(self.organ) if self.organ else ""
        return f"{organ}政务公开办公室"
