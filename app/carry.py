"""Starting this year's report from last year's: what carries over, and across formats.

A clerk's new report starts from last year's: the organ is the same, the applications
carried to next year (结转下年度继续办理) are this year's 上年结转, and in the 2019 format
the 上一年项目数量 of this year is last year's count plus last year's 本年增/减. Those are
the only numbers that follow from last year's report; everything else is this year's work
and stays empty (0 must be typed, never assumed).

Across the 2020 → 2021 format change the requests table keeps its rows and columns except
（六）其他处理, which 2021 splits into three sub-rows. ``to_format`` converts a whole report
for comparisons (last year's numbers shown beside this year's): a 2019 其他处理 of 0 means
all three sub-rows are 0 (unambiguous). Any other number stays out of 3.其他: under the
2019 条例 (第三十条) an applicant who did not complete the application in time was already
"no longer handled", and those cases were counted in 其他处理, so they may belong to
2021's 1.逾期不补正 as well as to 3.其他; putting them all in 3.其他 would be a guess. The
three sub-rows then stay empty and a note says why.
"""
from __future__ import annotations

from app.formats import CellRef, load_format
from app.report import Report

# The 2019 single row and the 2021 sub-rows it became (keys of the format files).
OTHER_2019 = "other"
OTHER_2021 = ("other_no_correction", "other_no_fee", "other_misc")


def carry_forward(previous: Report, year: int) -> tuple[Report, set[CellRef]]:
    """A new, mostly empty report for ``year`` and the cells filled from ``previous``.

    The returned set names the carried cells so that the grid can mark them as carried
    until the clerk confirms or changes them.
    """
    new = Report.blank(previous.organ, year)
    carried: set[CellRef] = set()
    carried |= _carry_requests(previous, new)
    if new.version == "2019" and previous.version == "2019":
        carried |= _carry_item_counts(previous, new)
    return new, carried


def _carry_requests(previous: Report, new: Report) -> set[CellRef]:
    """上年结转 of each applicant column = last year's 结转下年度继续办理 of that column."""
    out: set[CellRef] = set()
    table = new.format.tables["requests"]
    for col in table.row("carried_in").columns:
        value = previous.cells.get(("requests", "carried_out", col))
        if value is not None:
            new.cells[("requests", "carried_in", col)] = value
            out.add(("requests", "carried_in", col))
    return out


def _carry_item_counts(previous: Report, new: Report) -> set[CellRef]:
    """2019 format: 上一年项目数量 = last year's 上一年项目数量 + 本年增/减, per row."""
    out: set[CellRef] = set()
    table = new.format.tables["active"]
    for row in table.rows:
        if "last_year" not in row.columns or "change" not in row.columns:
            continue
        last = previous.cells.get(("active", row.key, "last_year"))
        change = previous.cells.get(("active", row.key, "change"))
        if last is None or change is None:
            continue  # half a sum is no sum: leave it for the clerk
        ref = ("active", row.key, "last_year")
        new.cells[ref] = last + change
        out.add(ref)
    return out


def to_format(report: Report, version: str) -> tuple[Report, list[str]]:
    """``report`` with its cells moved to the format ``version``, and notes in Chinese.

    Only cells with the same table, row and column key and the same kind move: a 2019
    对外公开总数量 is not a 2021 现行有效件数, and a 2019 收费项目数量 is not a 2021
    收费金额, so those stay empty. 其他处理 follows the rule in the module docstring.
    """
    if report.version == version:
        return report.copy(), []
    fmt = load_format(version)
    out = Report(format=fmt, year=report.year, organ=report.organ, date=report.date,
                 texts=dict(report.texts), cells=dict.fromkeys(fmt.cells()))
    for ref in out.cells:
        if ref in report.cells and report.format.kind_of(ref) == fmt.kind_of(ref):
            out.cells[ref] = report.cells[ref]
    notes: list[str] = []
    if report.version == "2019" and version == "2021":
        notes.extend(_split_other(report, out))
    elif report.version == "2021" and version == "2019":
        _join_other(report, out)
    return out, notes


def _split_other(old: Report, new: Report) -> list[str]:
    """2019 其他处理 → 2021 （六）1–3: only an unambiguous 0 is moved (see module doc)."""
    notes = []
    table = new.format.tables["requests"]
    for col in table.row(OTHER_2021[0]).columns:
        value = old.cells.get(("requests", OTHER_2019, col))
        if value == 0:
            for row in OTHER_2021:
                new.cells[("requests", row, col)] = 0
        elif value is not None:
            notes.append(f"上年报告（2019 版格式）“（六）其他处理”{table.columns[col].short}列为 {value}，"
                         "2021 版格式将其分为三项，无法确定各项数字，已留空")
    return notes


def _join_other(old: Report, new: Report) -> None:
    """2021 （六）1–3 → 2019 其他处理: their sum, when all three are known."""
    table = new.format.tables["requests"]
    for col in table.row(OTHER_2019).columns:
        values = [old.cells.get(("requests", row, col)) for row in OTHER_2021]
        if all(v is not None for v in values):
            new.cells[("requests", OTHER_2019, col)] = sum(values)

