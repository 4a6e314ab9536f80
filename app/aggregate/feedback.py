"""What the district office sends back: a 问题清单 for every unit with problems.

Each unit's list names the unit, the report's title and the file received, then every
finding in Chinese — the rule's name, the message with its numbers, the cells it concerns
with their values — and what to correct (``[advice]`` of ``resources/district.toml``),
signed with the office's name and the date. A file that could not be read, and each cell
the import could not read, are problems too. One .docx and one PDF per unit go into a
folder, with an overview of every unit (received or not) beside them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.aggregate.config import load_district_config
from app.aggregate.district import Cancelled, DistrictResult, Progress, UnitView
from app.aggregate.summing import Entry
from app.filenames import safe_filename
from app.numbers import format_value
from app.rules import SEVERITY_NAMES, Finding
from app.simple_doc import SimpleDoc, write_docx

OVERVIEW_NAME = "问题清单汇总"
MAX_CELLS_LISTED = 12
COLUMNS = ("序号", "类别", "问题", "具体情况", "改正要求")
WIDTHS = (8, 8, 14, 41, 29)


@dataclass
class FeedbackOutcome:
    folder: Path
    overview: Path
    units: dict[str, Path] = field(default_factory=dict)
    """Unit → its .docx (the PDF is beside it with the same name)."""
    pdf_problem: str | None = None
    """Why the PDFs were not written (no Chinese font), in Chinese; None when they were."""


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def has_problems(unit: UnitView) -> bool:
    return any(e.report is None or e.errors() or e.warnings() or e.import_problems
               for e in unit.entries)


def problem_rows(entry: Entry) -> list[tuple[str, str, str, str]]:
    """(类别, 问题, 具体情况, 改正要求) for every problem of one file, errors first."""
    config = load_district_config()
    if entry.report is None:
        return [("无法读取", "文件无法读取", entry.failure or "", config.advice["unreadable"])]
    rows = [("读取", "数字未能读出", p, config.advice["import_problem"]) for p in entry.import_problems]
    for f in entry.errors() + entry.warnings():
        rows.append((SEVERITY_NAMES[f.severity], f.name, _details(f, entry),
                     config.advice_for(f.rule, f.severity)))
    return rows


def _details(f: Finding, entry: Entry) -> str:
    """The message with its numbers, then the cells it concerns and what they hold."""
    if not f.cells:
        return f.message
    fmt = entry.read.format
    shown = [f"{fmt.describe_cell(c)}：{_value(entry, c)}" for c in f.cells[:MAX_CELLS_LISTED]]
    more = f"等 {len(f.cells)} 格" if len(f.cells) > MAX_CELLS_LISTED else ""
    return f"{f.message}\n涉及：{'；'.join(shown)}{more}"


def _value(entry: Entry, ref) -> str:
    v = entry.read.cells.get(ref)
    return "未填写" if v is None else format_value(v)


def unit_sheet(unit: UnitView, result: DistrictResult, office: str, day: dt.date) -> SimpleDoc:
    """The 问题清单 of one unit (all its files)."""
    total = result.total
    lines = [f"报送单位：{unit.unit}"]
    rows: list[tuple[str, ...]] = []
    for entry in unit.entries:
        title = entry.report.title if entry.report else f"{unit.unit}{total.year}年政府信息公开工作年度报告"
        lines += [f"报告名称：{title}", f"收到的文件：{entry.name}"]
        if entry.report is not None:
            lines.append(f"检查结果：错误 {len(entry.errors())} 个，警告 {len(entry.warnings())} 个")
        rows += [(str(n),) + r for n, r in enumerate(problem_rows(entry), len(rows) + 1)]
    intro = (f"经检查，贵单位报送的{total.year}年政府信息公开工作年度报告存在以下问题，"
             "请逐项核对改正后重新报送。")
    return SimpleDoc(f"{total.year}年政府信息公开工作年度报告问题清单", lines, intro, COLUMNS, rows,
                     WIDTHS, "“警告”为需要核实的事项，确属实际情况的请书面说明。",
                     [office, chinese_date(day)])


def overview_sheet(result: DistrictResult, files: dict[str, Path], office: str,
                   day: dt.date) -> SimpleDoc:
    """Every unit with its status and the name of its 问题清单 (or 请催报)."""
    total = result.total
    rows = []
    for i, unit in enumerate(result.units, 1):
        status = unit.status()
        sheet = files.get(unit.unit)
        what = sheet.name if sheet else ("请催报" if not unit.entries else "无问题")
        rows.append((str(i), unit.unit, status, str(unit.errors()), str(unit.warnings()), what))
    lines = [f"汇总单位：{total.organ}", f"年度：{total.year}"]
    if result.inputs.roster is not None:
        received = sum(1 for u in result.units if u.on_roster and u.entries)
        roster = len(result.inputs.roster.units)
        lines.append(f"名单：{roster} 个单位，已收到 {received} 个，未收到 {roster - received} 个"
                     + (f"；名单外 {len(result.unknown)} 个" if result.unknown else ""))
    lines.append(f"需要退回修改：{len(files)} 个单位")
    return SimpleDoc(f"{total.year}年政府信息公开工作年度报告收报情况及问题清单汇总", lines, "",
                     ("序号", "单位", "状态", "错误", "警告", "问题清单"), rows, (8, 30, 14, 7, 7, 34),
                     "", [office, chinese_date(day)])


def write_feedback(result: DistrictResult, folder: str | Path, office: str | None = None,
                   day: dt.date | None = None, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> FeedbackOutcome:
    """Write every unit's 问题清单 (.docx and .pdf) and the overview into ``folder``, one
    unit after the other (``progress(done, total, file name)`` before each).

    Raises ``OSError`` when a file cannot be written and ``Cancelled`` when ``cancelled()``
    says so between two units (the lists written so far stay, each whole); a PDF that
    cannot be made (no Chinese font) is said in ``pdf_problem`` while the Word files are
    still written."""
    from app.pdf.errors import PdfError  # reportlab loads only when asked
    from app.simple_pdf import write_pdf

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    office = office or result.inputs.office_name()
    day = day or dt.date.today()
    outcome = FeedbackOutcome(out, out / f"{OVERVIEW_NAME}.docx")
    sheets: list[tuple[Path, SimpleDoc]] = []
    for unit, name in _unit_files(result):
        path = out / name
        outcome.units[unit.unit] = path
        sheets.append((path, unit_sheet(unit, result, office, day)))
    sheets.append((outcome.overview, overview_sheet(result, outcome.units, office, day)))
    for i, (path, sheet) in enumerate(sheets):
        if cancelled and cancelled():
            raise Cancelled()
        if progress:
            progress(i, len(sheets), path.stem)
        write_docx(sheet, path)
        if outcome.pdf_problem is None:
            try:
                write_pdf(sheet, path.with_suffix(".pdf"))
            except PdfError as exc:
                outcome.pdf_problem = str(exc)
    if progress:
        progress(len(sheets), len(sheets), "")
    return outcome


def _unit_files(result: DistrictResult) -> list[tuple[UnitView, str]]:
    """Each unit with problems and the name of its 问题清单 (.docx), distinct names."""
    out: list[tuple[UnitView, str]] = []
    used: set[str] = set()
    for unit in result.units:
        if not has_problems(unit):
            continue
        name, n = safe_filename(f"{unit.unit}问题清单", ".docx", "单位问题清单"), 2
        while name in used:
            name, n = safe_filename(f"{unit.unit}问题清单（{n}）", ".docx", "单位问题清单"), n + 1
        used.add(name)
        out.append((unit, name))
    return out


def feedback_files(result: DistrictResult, folder: str | Path) -> list[Path]:
    """Every file ``write_feedback(result, folder)`` writes (.docx and .pdf of each unit's
    list and of the overview): asked before writing, so that none is replaced unasked."""
    docx = [Path(folder) / name for _, name in _unit_files(result)]
    docx.append(Path(folder) / f"{OVERVIEW_NAME}.docx")
    return [path for d in docx for path in (d, d.with_suffix(".pdf"))]
