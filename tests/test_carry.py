"""Starting a report from last year's: 2019→2020, 2020→2021 (format change), 2021→2022."""
from __future__ import annotations

import json
import random

from app import exchange
from app.carry import carry_forward, summary
from app.rules import validate
from tests.cli_helpers import run_nianbao
from tests.conftest import PINGTAN_JSON, REPORTS, ZUNHUADIAN_JSON
from tests.factories import consistent_report

APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")


def last_year(version: str, year: int, seed: int = 11):
    r = consistent_report(version, random.Random(seed))
    r.year = year
    r.organ = "某某镇人民政府"
    return r


def test_2019_to_2020_carries_applications_and_item_counts():
    prev = last_year("2019", 2019)
    new, carried = carry_forward(prev, 2020)
    assert (new.organ, new.year, new.version) == ("某某镇人民政府", 2020, "2019")
    for col in APPLICANTS:
        assert new.cells[("requests", "carried_in", col)] == prev.cells[("requests", "carried_out", col)]
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        assert new.cells[("active", row, "last_year")] == \
               prev.cells[("active", row, "last_year")] + prev.cells[("active", row, "change")]
    expected = {("requests", "carried_in", c) for c in APPLICANTS[:-1]} | {
        ("active", r, "last_year") for r in ("licensing", "other_services", "penalty", "coercion", "fees")}
    assert carried == expected
    # the total is computed from the carried parts, as the grid does
    total = ("requests", "carried_in", "total")
    assert new.cells[total] == prev.cells[("requests", "carried_out", "total")]
    # everything else is this year's work: left empty, never assumed 0
    assert all(v is None for ref, v in new.cells.items() if ref not in carried | {total})
    assert new.texts == {"overview": "", "problems": "", "other": ""}


def test_a_negative_change_is_carried_as_a_decrease():
    prev = last_year("2019", 2019)
    prev.cells[("active", "licensing", "last_year")] = 40
    prev.cells[("active", "licensing", "change")] = -7
    new, _ = carry_forward(prev, 2020)
    assert new.cells[("active", "licensing", "last_year")] == 33


def test_half_known_item_count_is_not_carried():
    prev = last_year("2019", 2019)
    prev.cells[("active", "penalty", "change")] = None
    new, carried = carry_forward(prev, 2020)
    assert new.cells[("active", "penalty", "last_year")] is None
    assert ("active", "penalty", "last_year") not in carried


def test_carried_values_satisfy_the_carry_rules():
    prev = last_year("2019", 2019)
    new, _ = carry_forward(prev, 2020)
    filled = consistent_report("2019", random.Random(3))
    for ref, v in new.cells.items():
        if v is not None:
            filled.cells[ref] = v
    filled.year = 2020
    rules = {f.rule for f in validate(filled, previous=prev)}
    assert "carry.requests" not in rules and "carry.active" not in rules
    filled.cells[("requests", "carried_in", "natural")] += 1
    assert "carry.requests" in {f.rule for f in validate(filled, previous=prev)}


def test_2020_to_2021_crosses_the_format_change():
    prev = last_year("2019", 2020)
    new, carried = carry_forward(prev, 2021)
    assert new.version == "2021"
    assert carried == {("requests", "carried_in", c) for c in APPLICANTS[:-1]}
    for col in APPLICANTS:
        assert new.cells[("requests", "carried_in", col)] == prev.cells[("requests", "carried_out", col)]
    # 2021 has no 上一年项目数量; 现行有效件数 is not 对外公开总数量: nothing else is carried
    assert all(new.cells[ref] is None for ref in new.format.tables["active"].cells())


def test_2020_fixture_to_2021_and_2021_fixture_to_2022():
    z = exchange.read_file(ZUNHUADIAN_JSON)
    new, carried = carry_forward(z, 2021)
    assert (new.organ, new.version) == ("平顶山高新技术产业开发区遵化店镇", "2021")
    assert {new.cells[r] for r in carried} == {0}
    p = exchange.read_file(PINGTAN_JSON)
    new, carried = carry_forward(p, 2022)
    assert new.cells[("requests", "carried_in", "natural")] == 1
    assert new.cells[("requests", "carried_in", "total")] == 1
    assert new.cells[("requests", "carried_in", "commercial")] == 0


def test_cli_new_from_last_years_file(tmp_path):
    out = tmp_path / "2022.json"
    proc = run_nianbao("new", "--from", str(PINGTAN_JSON), "--year", "2022", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "已新建 平潭综合实验区2022年政府信息公开工作年度报告" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "nianbao.draft/1"        # the report, and beside it last year's
    report = data["report"]
    assert report["schema"] == "nianbao.report/1"
    assert report["organ"] == "平潭综合实验区" and report["year"] == 2022
    assert report["tables"]["requests"]["carried_in"]["natural"] == 1
    assert report["tables"]["requests"]["new"]["natural"] is None
    assert data["previous"] == json.loads(PINGTAN_JSON.read_text(encoding="utf-8"))
    assert {"cell": ["requests", "carried_in", "natural"], "confirmed": False} in data["carried"]


def test_cli_new_from_a_published_page(tmp_path):
    from tests.conftest import REPORTS
    out = tmp_path / "2022.json"
    proc = run_nianbao("new", "--from", str(REPORTS / "2021-pingtan-zone.html"), "--year", "2022",
                       "-o", str(out), "--organ", "平潭综合实验区管委会")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))["report"]
    assert data["organ"] == "平潭综合实验区管委会"
    assert data["tables"]["requests"]["carried_in"]["total"] == 1


def test_cli_new_from_refuses_a_later_year(tmp_path):
    proc = run_nianbao("new", "--from", str(PINGTAN_JSON), "--year", "2021", "-o", str(tmp_path / "x.json"))
    assert proc.returncode == 2
    assert "上年报告是 2021 年度的" in proc.stderr


def test_cli_new_without_organ_or_from_is_refused(tmp_path):
    proc = run_nianbao("new", "--year", "2024", "-o", str(tmp_path / "x.json"))
    assert proc.returncode == 2
    assert "报告单位不能为空" in proc.stderr


def test_carry_rule_checks_across_the_format_change():
    prev = last_year("2019", 2020)
    new, _ = carry_forward(prev, 2021)
    filled = consistent_report("2021", random.Random(3))
    filled.year = 2021
    for ref in new.format.tables["requests"].row("carried_in").columns:
        filled.cells[("requests", "carried_in", ref)] = new.cells[("requests", "carried_in", ref)]
    # keep the balance: the carried-in applications are still open at the end of the year
    for col in APPLICANTS:
        filled.cells[("requests", "carried_out", col)] = (
            filled.cells[("requests", "new", col)] + filled.cells[("requests", "carried_in", col)]
            - filled.cells[("requests", "total", col)])
    assert "carry.requests" not in {f.rule for f in validate(filled, previous=prev)}
    filled.cells[("requests", "carried_in", "legal")] += 2
    (f,) = [f for f in validate(filled, previous=prev) if f.rule == "carry.requests"]
    assert "法律服务机构" in f.message and "相差2" in f.message


def carry_findings(capsys, current, previous) -> list[dict]:
    from app.cli import main
    main(["validate", str(current), "--previous", str(previous), "--json"])
    out = capsys.readouterr().out
    return [f for f in json.loads(out)["findings"] if f["rule"].startswith("carry.")]


def test_cli_validate_previous_takes_any_importable_file(tmp_path, capsys):
    """--previous reads last year's report as JSON, as a nianbao PDF or as the published
    page, like new --from: each gives the same check of the carried numbers."""
    from app.pdf import export_pdf
    pingtan = exchange.read_file(PINGTAN_JSON)
    this_year, _ = carry_forward(pingtan, 2022)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    exchange.write_file(this_year, good)
    this_year.cells[("requests", "carried_in", "natural")] += 2
    exchange.write_file(this_year, bad)
    pdf = tmp_path / "上年.pdf"
    export_pdf(pingtan, pdf)
    for previous in (PINGTAN_JSON, pdf, REPORTS / "2021-pingtan-zone.html"):
        assert carry_findings(capsys, good, previous) == [], previous
        (finding,) = carry_findings(capsys, bad, previous)
        assert finding["rule"] == "carry.requests" and "相差2" in finding["message"], previous


def test_cli_validate_previous_not_a_report_is_named(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("会议通知\n请各单位准时参加。", encoding="utf-8")
    proc = run_nianbao("validate", str(ZUNHUADIAN_JSON), "--previous", str(other))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"nianbao：{other}：")
    assert "Traceback" not in proc.stderr


def test_what_is_carried_comes_from_the_format_files():
    """A carry relation is a rule of the format file whose right side is all last year's
    cells; 现行有效件数 needs this year's 制发/废止 too: checked against last year, not
    carried — and the 从上年报告新建 tooltip says exactly that."""
    from app.carry import carried_cells
    from app.formats import load_format
    assert {c.rule.id for c in carried_cells(load_format("2021")).values()} == {"carry.requests"}
    assert {c.rule.id for c in carried_cells(load_format("2019")).values()} == {
        "carry.requests", "carry.active"}
    text = summary()
    assert "带入“上年结转”＝上年的“结转下年度”；" in text
    assert "“上一年项目数量”＝上年的“上一年项目数量”＋“本年增/减”（2019 版格式）" in text
    assert "“现行有效件数”（2021 版格式）不能带入" in text
