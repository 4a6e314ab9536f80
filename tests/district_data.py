"""Reports with chosen numbers for the district desk's tests: every ratio and every change
from last year is known by hand, and each report satisfies every rule of its format."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app import exchange
from app.report import Report
from tests.factories import TEXTS

LAST_TEXTS = {
    "overview": "上年度我单位认真贯彻政务公开各项部署，主动公开工作有序推进。依申请公开渠道畅通，答复规范及时。"
                "政府信息管理制度逐步健全，政务公开平台运行平稳，监督保障措施落实到位。",
    "problems": "一是信息发布的时效性有待提升。二是政策解读的形式较为单一。下一步将丰富解读方式，加快信息发布。",
    "other": "上年度未收取信息处理费，无其他需要报告的事项。",
}
"""Last year's texts: other words than this year's (the rules flag a report that repeats
last year's texts or tables)."""


@dataclass
class Numbers:
    """The few numbers a unit's report varies by; every other cell is 0 (or follows)."""
    granted: int = 0
    partly: int = 0
    not_held: int = 0          # （四）1. 本机关不掌握: the rest of the requests
    carried_in: int = 0
    carried_out: int = 0
    recon: tuple[int, int, int, int] = (0, 0, 0, 0)      # 维持, 纠正, 其他, 未审结
    direct: tuple[int, int, int, int] = (0, 0, 0, 0)
    after: tuple[int, int, int, int] = (0, 0, 0, 0)
    licensing: int = 10
    fees: Decimal = Decimal("1.5")
    in_force: int = 20


def build(organ: str, year: int, n: Numbers) -> Report:
    """A 2021-format report (year ≥ 2021) of ``organ`` with ``n``: all applications from
    natural persons, so each row's 总计 equals its 自然人 cell."""
    r = Report.blank(organ, year)
    r.texts = dict(TEXTS)
    for ref in r.cells:
        r.cells[ref] = Decimal(0) if r.format.kind_of(ref) == "money" else 0
    total = n.granted + n.partly + n.not_held
    new = total + n.carried_out - n.carried_in
    assert new >= 0
    for row, value in (("new", new), ("carried_in", n.carried_in), ("granted", n.granted),
                       ("partly_granted", n.partly), ("unable_not_held", n.not_held),
                       ("total", total), ("carried_out", n.carried_out)):
        r.cells[("requests", row, "natural")] = value
        r.cells[("requests", row, "total")] = value
    for row, parts in (("reconsideration", n.recon), ("litigation_direct", n.direct),
                       ("litigation_after", n.after)):
        for col, v in zip(("upheld", "corrected", "other", "pending"), parts):
            r.cells[("appeals", row, col)] = v
        r.cells[("appeals", row, "total")] = sum(parts)
    for row in ("regulations", "normative_documents"):
        r.cells[("active", row, "issued")] = 2
        r.cells[("active", row, "repealed")] = 2   # so 现行有效 stays the same across years
        r.cells[("active", row, "in_force")] = n.in_force
    r.cells[("active", "licensing", "decisions")] = n.licensing
    r.cells[("active", "fees", "amount")] = n.fees
    return r


def write(report: Report, path) -> None:
    exchange.write_file(report, path)


# ------------------------------------------------------------------ the 12-unit district
ROSTER = ["遵化店镇", "焦店镇", "荆山街道", "滍阳镇", "皇台街道", "区发改委", "区财政局", "区教育局",
          "区民政局", "区司法局", "区卫健委", "区住建局"]
MISSING = ["皇台街道", "区司法局", "区卫健委", "区住建局"]

# file name → (organ printed in the report, this year's numbers, last year's numbers)
UNITS = {
    "遵化店镇人民政府.json": ("遵化店镇人民政府", Numbers(30, 10, 24, recon=(4, 1, 0, 0)),
                       Numbers(5, 10, 24, recon=(4, 1, 0, 0))),                  # 予以公开 ×6
    "焦店镇.json": ("焦店镇", Numbers(5, 1, 4), Numbers(0, 0, 0)),                   # 新收 0 → 11
    "荆山街道.pdf": ("荆山街道", Numbers(12, 3, 5, recon=(2, 0, 1, 0)),
                 Numbers(12, 3, 5, carried_out=3, recon=(2, 0, 1, 0))),          # 上年结转 ≠ 3
    "滍阳镇.json": ("滍阳镇", Numbers(8, 2, 10), Numbers(8, 2, 10)),
    "滍阳镇-重新报送.json": ("滍阳镇", Numbers(8, 2, 10), None),                        # the same unit again
    "发改委.json": ("某某区发展和改革委员会", Numbers(15, 0, 25, recon=(10, 4, 1, 2)),
                 Numbers(15, 0, 25, recon=(10, 4, 1, 2))),
    "财政局.json": ("某某区财政局", Numbers(3, 0, 1), Numbers(3, 0, 1, recon=(12, 0, 0, 0))),  # 复议 12 → 0
    "教育局.json": ("区教育局", Numbers(6, 2, 2, direct=(2, 0, 0, 0)), Numbers(6, 2, 2)),  # 诉讼 0 → 2
    "某某科技公司.json": ("某某科技有限公司", Numbers(0, 0, 0), None),                 # not on the roster
    "民政局.json": ("区民政局", Numbers(4, 1, 5, fees=Decimal("9.0")), Numbers(4, 1, 5)),  # 收费 ×6
}
ERROR_FILE = "焦店镇.json"   # its 新收 total is one more than its 自然人 column


@dataclass
class Scenario:
    folder: object
    files: list
    previous: list
    roster: object
    parent: object
    this: dict          # file name → Report as written


def scenario(tmp_path) -> Scenario:
    """Ten files of a 12-unit district for 2024, last year's reports of its eight units
    that reported, the roster as a text file and the district's own report."""
    from app.aggregate.summing import sum_reports
    from app.pdf import export_pdf

    folder = tmp_path / "收到的报告"
    last_folder = tmp_path / "2023年"
    folder.mkdir()
    last_folder.mkdir()
    files, previous, this = [], [], {}
    for name, (organ, numbers, last) in UNITS.items():
        report = build(organ, 2024, numbers)
        if name == ERROR_FILE:
            report.cells[("requests", "new", "total")] += 1
        path = folder / name
        if path.suffix == ".pdf":
            export_pdf(report, path)
        else:
            write(report, path)
        files.append(path)
        this[name] = report
        if last is not None:
            prev = last_folder / f"{organ}2023.json"
            last_report = build(organ, 2023, replace(last, licensing=last.licensing + 2))
            last_report.texts = dict(LAST_TEXTS)
            write(last_report, prev)
            previous.append(prev)
    roster = tmp_path / "名单.txt"
    roster.write_text("单位名称\n" + "\n".join(f"{i}. {u}" for i, u in enumerate(ROSTER, 1)) + "\n",
                      encoding="utf-8")
    own = sum_reports(list(this.values()), "某某区人民政府")
    own.texts = dict(TEXTS)
    own.cells[("active", "licensing", "decisions")] -= 2
    own.cells[("active", "fees", "amount")] -= Decimal("0.1")
    parent = tmp_path / "某某区本级.json"
    write(own, parent)
    return Scenario(folder, files, previous, roster, parent, this)
