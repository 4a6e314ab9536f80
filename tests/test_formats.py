"""The format files say exactly what the spec (the contract) says: keys, labels, groups."""
from __future__ import annotations

import re

import pytest

from app.formats import YearError, first_report_year, load_format, version_for_year
from conftest import FIXTURES

SPEC = (FIXTURES / "report-formats.md").read_text(encoding="utf-8")


def spec_section(heading: str) -> str:
    start = SPEC.index(heading)
    end = SPEC.find("\n## ", start + 1)
    return SPEC[start:end if end > 0 else None]


def table_lines(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_version_follows_the_year_from_the_format_files():
    assert [version_for_year(y) for y in (2019, 2020, 2021, 2026, 2100)] == \
        ["2019", "2019", "2021", "2021", "2021"]
    assert first_report_year() == load_format("2019").first_year == 2019
    assert load_format("2019").last_year == 2020 and load_format("2021").first_year == 2021
    with pytest.raises(YearError, match="2018 年度没有适用的年报格式：年报格式从 2019 年度开始"):
        version_for_year(2018)


def test_limits_and_required_texts_come_from_the_rules():
    for version in ("2019", "2021"):
        fmt = load_format(version)
        assert fmt.text_limit("overview") == 1000
        assert fmt.text_limit("problems") is None
        assert fmt.required_texts == ("overview", "problems")


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_requests_rows_and_labels_match_the_spec(version):
    spec_rows = []
    for cells in table_lines(spec_section("## Section 三")):
        if len(cells) == 3 and cells[0].startswith("`") and cells[2] in ("both", version, f"{version} only (one row)"):
            spec_rows.append((cells[0].strip("`"), cells[1]))
    table = load_format(version).tables["requests"]
    assert [(r.key, r.label) for r in table.rows] == spec_rows


def test_requests_columns_and_groups_match_the_spec():
    columns_part = spec_section("## Section 三").split("Rows (printed label")[0]
    spec_cols = [(c[0].strip("`"), c[1]) for c in table_lines(columns_part) if c[0].startswith("`")]
    for version in ("2019", "2021"):
        table = load_format(version).tables["requests"]
        assert [(c.key, c.label) for c in table.columns.values()] == spec_cols
        assert table.columns["legal"].path == ("申请人情况", "法人或其他组织")
        assert table.row("denied_safety").label == "3.危及“三安全一稳定”"
        assert table.corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_active_rows_columns_and_groups_match_the_spec(version):
    section = spec_section("## Section 二")
    part = section[section.index(f"### version {version}"):]
    part = part[:part.find("###", 5) if part.find("###", 5) > 0 else None]
    expected, group, columns = [], None, None
    for cells in table_lines(part)[1:]:
        group = cells[0] or group
        if cells[3] != "same three":
            columns = re.findall(r"`(\w+)`(?::\s*([^,]+))?", cells[3])
        expected.append((group, cells[1].strip("`"), cells[2], [k for k, _ in columns]))
        for key, label in columns:
            if label:
                assert load_format(version).tables["active"].columns[key].label == label.strip()
    table = load_format(version).tables["active"]
    assert [(r.group, r.key, r.label, list(r.columns)) for r in table.rows] == expected


def test_appeals_match_the_spec():
    text = spec_section("## Section 四")
    rows = re.findall(r"`(\w+)` (行政复议|行政诉讼 · [^;.\s]+)", text)
    cols = re.findall(r"`(\w+)`\s*\n?\s*(结果维持|结果纠正|其他结果|尚未审结|总计)", text)
    for version in ("2019", "2021"):
        table = load_format(version).tables["appeals"]
        assert [(r.key, " · ".join(r.header_path)) for r in table.rows] == rows
        assert [(c.key, c.label) for c in table.columns.values()] == cols


def test_rule_ids_match_the_spec():
    spec_ids = [c[0].strip("`") for c in table_lines(spec_section("## Rules")) if c[0].startswith("`")]
    both = {r.id for v in ("2019", "2021") for r in load_format(v).rules}
    assert both == set(spec_ids)


def test_sections_and_headings():
    for version in ("2019", "2021"):
        fmt = load_format(version)
        assert [s.heading for s in fmt.sections] == [
            "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert len(load_format("2021").sections[0].outline) == 5


def test_computed_cells_are_the_totals():
    fmt = load_format("2021")
    computed = fmt.computed_cells()
    assert ("requests", "new", "total") in computed
    assert ("requests", "total", "natural") in computed
    assert ("appeals", "reconsideration", "total") in computed
    assert ("requests", "new", "natural") not in computed
    assert len(computed) == 25 + 7 - 1 + 3  # row totals + results row + appeals


def test_the_markers_tell_the_versions_apart():
    m19, m21 = set(load_format("2019").markers), set(load_format("2021").markers)
    assert not m19 & m21
    assert "本年新制作数量" in m19 and "本年制发件数" in m21
