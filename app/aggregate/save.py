"""Writing the sum: the exchange JSON, the spreadsheet (with the desk's sheets) or a
draft PDF, chosen by the file's extension. Apart from the summing so that the summing
and the spreadsheet it writes (``app.aggregate.xlsx``) never import each other."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.aggregate.summing import Aggregate, AggregateError
from app.files import os_reason
from app.report import Report

OUTPUT_SUFFIXES = (".json", ".xlsx", ".pdf")


def save_aggregate(agg: Aggregate, path: str | Path, xlsx_extra: Callable | None = None) -> None:
    """Write the sum as the exchange JSON, the spreadsheet or a PDF, by extension.

    The PDF is a draft: the sum has no texts yet (the district office writes its own).
    ``xlsx_extra(workbook)`` adds sheets to the spreadsheet (the district desk's).
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise AggregateError(f"输出文件 {out.name} 的类型不支持：请用 .json、.xlsx 或 .pdf")
    from app import exchange
    try:
        if suffix == ".json":
            exchange.write_file(agg.total, out)
        elif suffix == ".xlsx":
            from app.aggregate.xlsx import write_xlsx
            write_xlsx(agg, out, xlsx_extra)
        else:
            _save_pdf(agg.total, out)
    except exchange.ExchangeError as exc:
        raise AggregateError(f"{out}：{exc}") from None
    except OSError as exc:
        raise AggregateError(f"无法写入 {out}：{os_reason(exc)}") from None


def _save_pdf(total: Report, out: Path) -> None:
    """The sum as a draft PDF. The PDF package's errors (no Chinese font, a character no
    font has, a file that cannot be written) already say in Chinese what to do."""
    from app.export import ExportError, export

    try:
        export(total, out, draft=True)
    except ExportError as exc:
        raise AggregateError(f"汇总 PDF 没有导出：{exc}") from None
