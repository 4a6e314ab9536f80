"""Reports for tests: consistent random reports built from the format files."""
from __future__ import annotations

import random
from decimal import Decimal

from app.formats import load_format
from app.report import Report

TEXTS = {
    "overview": "本镇坚持以公开为常态、不公开为例外。全面落实政府信息公开条例，加强组织领导。"
                "做好主动公开和依申请公开，加强政府信息管理和政府网站平台建设，强化监督保障。",
    "problems": "存在的问题是公开深度不够。改进措施是加强培训，规范流程。",
    "other": "本年度未收取信息处理费。无其他需要报告的事项。",
}


def consistent_report(version: str, rng: random.Random, big: bool = False) -> Report:
    """A report that satisfies every rule of its format (no previous year known)."""
    year = 2020 if version == "2019" else 2024
    report = Report.blank("测试镇人民政府", year, version)
    report.texts = dict(TEXTS)
    top = 10**9 if big else 50

    def n() -> int:
        return rng.randint(0, top)

    _fill_active(report, n, rng, big)
    _fill_requests(report, n)
    _fill_appeals(report, n)
    return report


def _fill_active(report: Report, n, rng: random.Random, big: bool) -> None:
    table = report.format.tables["active"]
    for ref in table.cells():
        kind = table.columns[ref[2]].kind
        if kind == "money":
            places = rng.randint(0, 6)
            report.cells[ref] = Decimal(rng.randint(0, 10**(12 if big else 7))).scaleb(-places)
        elif kind == "signed_count":
            report.cells[ref] = rng.randint(-50, 50)
        else:
            report.cells[ref] = n()
    for row in ("regulations", "normative_documents"):
        c = {k: v for (t, r, k), v in report.cells.items() if t == "active" and r == row}
        if "in_force" in c:
            report.cells[("active", row, "in_force")] = max(0, c["issued"] - c["repealed"]) + n()
        else:
            report.cells[("active", row, "total_published")] = c["published"] + n()


def _fill_requests(report: Report, n) -> None:
    table = report.format.tables["requests"]
    results = [r.key for r in table.rows if r.path and r.key != "total"]
    applicant_cols = [c for c in table.columns if c != "total"]
    for col in applicant_cols:
        for row in results + ["carried_out", "carried_in"]:
            report.cells[("requests", row, col)] = n()
        total = sum(report.cells[("requests", r, col)] for r in results)
        report.cells[("requests", "total", col)] = total
        out = report.cells[("requests", "carried_out", col)]
        carried_in = min(report.cells[("requests", "carried_in", col)], total + out)
        report.cells[("requests", "carried_in", col)] = carried_in
        report.cells[("requests", "new", col)] = total + out - carried_in
    for row in table.rows:
        report.cells[("requests", row.key, "total")] = sum(
            report.cells[("requests", row.key, c)] for c in applicant_cols)


def _fill_appeals(report: Report, n) -> None:
    for row in report.format.tables["appeals"].rows:
        parts = [n() for _ in range(4)]
        for col, v in zip(("upheld", "corrected", "other", "pending"), parts):
            report.cells[("appeals", row.key, col)] = v
        report.cells[("appeals", row.key, "total")] = sum(parts)


def blank_filled_with_zeros(version: str) -> Report:
    report = Report.blank("测试镇人民政府", 2020 if version == "2019" else 2024, version)
    for ref in report.cells:
        report.cells[ref] = Decimal(0) if report.format.kind_of(ref) == "money" else 0
    report.texts = dict(TEXTS)
    return report


def all_versions():
    return [load_format(v) for v in ("2019", "2021")]
