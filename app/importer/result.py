"""What an import gives (``ImportResult``) or why it gives nothing (``ImportFailure``):
apart from ``app.importer`` so that its readers (the PDF's, loaded only for a PDF) use
them without importing the package that imports them."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.draft import Draft
from app.report import Report


class ImportFailure(ValueError):
    """The file cannot be imported at all (message in Chinese, names the reason, not the
    file: the caller does)."""


SEAL_DIGEST = "seal:"
"""How the digest of a sealed PDF begins (``app.importer.content_digest``)."""

SOURCES = {"data": "年报数据文件", "embedded": "PDF 内嵌的年报数据", "printed": "印出的表格"}
"""Where an import's numbers came from, as users read it."""


@dataclass
class ImportResult:
    report: Report
    problems: list[str] = field(default_factory=list)
    source: str = "printed"
    """``data`` (exchange JSON), ``embedded`` (a nianbao PDF's data, matching its printed
    tables) or ``printed`` (read from the printed tables and text)."""
    draft: Draft | None = None   # a draft file: the report and what is kept beside it
    digest: str | None = None
    """What names the very bytes the report was read from (``content_digest``: their
    SHA-256, or a sealed PDF's seal): the district's record knows the file again by it,
    and a file changed while it was read cannot pair the new file's digest with the old
    file's numbers."""

    @property
    def source_name(self) -> str:
        return SOURCES[self.source]
