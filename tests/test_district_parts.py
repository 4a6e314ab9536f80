"""The desk's parts on their own: ratios, year over year, the data file, the record."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from app import exchange
from app.aggregate.config import load_district_config
from app.aggregate.district import DeskInputs, run_desk
from app.aggregate.ratios import ratios
from app.aggregate.record import RecordError, load_record, record_path_for, save_record
from app.aggregate.year_over_year import compare
from app.formats import load_format
from app.report import Report
from tests.district_data import Numbers, build, write


def by_name(values):
    return {r.name: r for r in values}


def test_ratios_by_hand():
    r = by_name(ratios(build("甲镇", 2024, Numbers(30, 10, 24, recon=(20, 9, 1, 5),
                                                     direct=(1, 1, 0, 0), after=(0, 2, 0, 0)))))
    assert r["实质公开率"].value == Fraction(40, 64)
    assert r["实质公开率"].text() == "62.5%（40/64）"
    assert r["行政复议纠错率"].value == Fraction(9, 30)          # pending cases are not concluded
    assert r["行政复议纠错率"].text() == "30.0%（9/30）偏高"      # 30 cases: judged, over 20 %
    assert r["行政诉讼纠错率"].value == Fraction(3, 4)
    assert r["行政诉讼纠错率"].text() == "75.0%（3/4，不足30件）"
    assert r["申请量增减"].value is None and r["申请量增减"].text() == ""  # no last year


def test_requests_change_against_last_year():
    this = build("甲镇", 2024, Numbers(30, 10, 24))
    last = build("甲镇", 2023, Numbers(10, 5, 5))
    r = by_name(ratios(this, last))["申请量增减"]
    assert r.value == Fraction(64 - 20, 20)
    assert r.text() == "+220.0%（44/20，不足30件）"
    r = by_name(ratios(last, build("甲镇", 2022, Numbers(50, 0, 10))))["申请量增减"]
    assert r.text() == "-66.7%（-40/60）降幅大"


def test_an_empty_cell_or_no_cases_gives_no_ratio():
    report = build("甲镇", 2024, Numbers())
    r = by_name(ratios(report))
    assert r["实质公开率"].value is None and r["实质公开率"].text() == "—（无案件）"
    report.cells[("requests", "granted", "total")] = None
    assert by_name(ratios(report))["实质公开率"].text() == ""


def test_every_rule_of_every_format_has_advice():
    config = load_district_config()
    for version in ("2019", "2021"):
        for rule in load_format(version).rules:
            assert config.advice.get(rule.id), rule.id


def test_ratio_cells_exist_in_both_formats():
    for version in ("2019", "2021"):
        cells = set(load_format(version).cells())
        for d in load_district_config().ratios:
            for t in d.numerator + d.denominator:
                assert t.ref in cells, (version, t.ref)


def test_year_over_year_across_the_2021_format_change():
    """A 2020 report (2019 format) against 2021: only cells that mean the same compare."""
    this = build("甲镇", 2021, Numbers(30, 10, 24))
    last = Report.blank("甲镇", 2020)
    for ref in last.cells:
        last.cells[ref] = Decimal(0) if last.format.kind_of(ref) == "money" else 0
    last.cells[("requests", "granted", "natural")] = 5
    last.cells[("requests", "other", "natural")] = 2
    cmp = compare(this, last, "甲镇")
    cells = {c.ref: c for c in cmp.cells}
    assert cells[("requests", "granted", "natural")].flag == "本年为上年的6.0倍"
    assert cells[("requests", "other_misc", "natural")].last is None   # 2 其他处理 cannot be split
    assert any("无法确定各项数字" in n for n in cmp.notes)
    assert ("active", "regulations", "in_force") in cells               # this year only
    assert cells[("active", "regulations", "in_force")].last is None


def test_a_fall_to_a_fifth_is_flagged_and_signed_cells_are_not_divided():
    this, last = build("甲镇", 2024, Numbers(licensing=8)), build("甲镇", 2023, Numbers(licensing=40))
    flagged = compare(this, last, "甲镇").flagged
    assert [(c.ref, c.flag) for c in flagged] == [(("active", "licensing", "decisions"), "本年仅为上年的20.0%")]


def test_record_round_trip_keeps_reports_and_findings(tmp_path):
    a = build("甲镇", 2024, Numbers(3, 0, 1))
    a.cells[("requests", "new", "total")] += 1
    pa = tmp_path / "甲镇.json"
    write(a, pa)
    bad = tmp_path / "乙镇.json"
    bad.write_text("{", encoding="utf-8")
    result = run_desk(DeskInputs([pa, bad], organ="某某区"))
    path = record_path_for(tmp_path / "汇总.xlsx")
    assert path.name == "汇总.汇总记录.json"
    save_record(result, path)
    record = load_record(path)
    assert record.inputs.organ == "某某区"
    assert [e.path for e in record.files] == [pa, bad]
    assert record.files[0].findings == result.readings.files[0].findings
    assert record.files[0].report.cells == a.cells
    assert record.files[1].failure == result.readings.files[1].failure
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["files"][0]["path"] == "甲镇.json"  # relative: the folder can move


def test_the_record_is_one_file_a_line_and_a_record_written_before_reads_the_same(tmp_path):
    """Written compact, one file a line and each name decision on its own line (a clerk may
    add one by hand); a record written indented with each cell as a list (as before)
    gives the same entries, findings and decisions."""
    from app.aggregate.roster import NameDecision, Roster

    files = []
    for name in ("甲镇", "乙镇"):
        r = build(name, 2024, Numbers(3, 0, 1))
        r.cells[("requests", "new", "total")] += 1      # sum rules fail: findings with cells
        files.append(tmp_path / f"{name}.json")
        write(r, files[-1])
    inputs = DeskInputs(files, organ="某某区", roster=Roster(("甲镇", "乙镇"), "名单.txt"),
                        names=(NameDecision("甲镇人民政府", "甲镇", True),))
    result = run_desk(inputs)
    path = tmp_path / "r.汇总记录.json"
    save_record(result, path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert sum(line.startswith('  {"path":') for line in lines) == 2
    assert '  {"report": "甲镇人民政府", "unit": "甲镇", "same": true}' in lines
    data = json.loads(text)
    assert data["files"][0]["findings"] and all(isinstance(c, str) for f in data["files"][0]["findings"]
                                                for c in f["cells"])
    new = load_record(path)
    for e in data["files"]:                             # as written before
        for f in e["findings"]:
            f["cells"] = [c.split(".") for c in f["cells"]]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    old = load_record(path)
    assert sum(len(e.findings) for e in new.files) > 2
    for a, b, c in zip(new.files, old.files, result.readings.files):
        assert a.findings == b.findings == c.findings
        assert a.report.cells == b.report.cells == c.report.cells
        assert (a.path, a.digest, a.source) == (b.path, b.digest, b.source) == (c.path, c.digest, c.source)
    assert new.inputs == old.inputs


SAVED_FINDING = "警告【已保存的检查结果】上次保存的"


def _record_with_saved_finding(result, path, digest: str | None = None):
    """The record of ``result`` saved at ``path`` with its first file's findings replaced by
    one only the record has (``SAVED_FINDING``: kept when the file is known again), and
    its digest by ``digest`` when given; loaded back."""
    save_record(result, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["files"][0]["findings"] = [{"rule": "x", "name": "已保存的检查结果", "severity": "warning",
                                     "section": "requests", "cells": [], "message": "上次保存的"}]
    if digest is not None:
        data["files"][0]["digest"] = digest
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_record(path)


def test_an_unchanged_file_keeps_its_saved_findings_and_a_changed_one_is_read_again(tmp_path):
    from app.aggregate.district import read_inputs
    a = build("甲镇", 2024, Numbers(3, 0, 1))
    pa = tmp_path / "甲镇.json"
    write(a, pa)
    record = _record_with_saved_finding(run_desk(DeskInputs([pa])), tmp_path / "r.汇总记录.json")
    readings = read_inputs(record.inputs, known=record.known())
    assert [str(f) for f in readings.files[0].findings] == [SAVED_FINDING]
    assert readings.updated == readings.new == set()
    a.cells[("requests", "new", "total")] += 1
    write(a, pa)
    readings = read_inputs(record.inputs, known=record.known())
    assert readings.updated == {pa} and readings.new == set()
    assert any(f.name == "申请收结平衡" for f in readings.files[0].findings)


def test_a_sealed_pdf_is_known_again_by_its_seal_and_read_again_once_changed(tmp_path):
    """A nianbao PDF still as exported is named in the record by its seal (checking the
    seal hashes the whole file already): the same file next week keeps its saved
    findings; the file with bytes appended after export (a PDF editor's save) breaks the
    seal and is read again, its digest then the plain SHA-256 of what was read."""
    import hashlib

    from app.aggregate.district import digest, read_inputs
    from app.pdf import export_pdf

    path = tmp_path / "甲镇.pdf"
    export_pdf(build("甲镇", 2024, Numbers(3, 0, 1)), path, draft=True)
    seal = re.search(rb"/NianbaoSeal \(([0-9a-f]{64})\)", path.read_bytes())[1].decode()
    result = run_desk(DeskInputs([path]))
    assert result.readings.files[0].source == "PDF 内嵌的年报数据"
    assert result.readings.files[0].digest == digest(path) == f"seal:{seal}"
    record = _record_with_saved_finding(result, tmp_path / "r.汇总记录.json")
    readings = read_inputs(record.inputs, known=record.known())
    assert [str(f) for f in readings.files[0].findings] == [SAVED_FINDING]
    assert readings.updated == set()

    # a record saved before PDFs were named by their seal holds the file's SHA-256: the
    # same file is still known again, not marked 已更新
    older_record = _record_with_saved_finding(result, tmp_path / "older.汇总记录.json",
                                              digest=hashlib.sha256(path.read_bytes()).hexdigest())
    readings = read_inputs(older_record.inputs, known=older_record.known())
    assert [str(f) for f in readings.files[0].findings] == [SAVED_FINDING]
    assert readings.updated == set()

    path.write_bytes(path.read_bytes() + b"\n% saved again by another program\n")
    assert read_inputs(older_record.inputs, known=older_record.known()).updated == {path}
    readings = read_inputs(record.inputs, known=record.known())
    assert readings.updated == {path}
    assert "上次保存的" not in [f.message for f in readings.files[0].findings]
    assert readings.files[0].digest == digest(path) == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("text, message", [
    ("{", "汇总记录不是有效的 JSON 文件"),
    ('{"schema": "nianbao.report/1"}', "这不是汇总记录文件"),
    ('{"schema": "nianbao.summary/1", "files": [{"path": 3}]}', "汇总记录已损坏"),
    ('{"schema": "nianbao.summary/1", "files": [{"path": "a.json", "report": {"schema": 1}}]}',
     "汇总记录中的报告已损坏"),
])
def test_a_damaged_record_is_said_in_chinese(tmp_path, text, message):
    p = tmp_path / "r.汇总记录.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError, match=message):
        load_record(p)


def test_last_years_record_serves_as_last_years_summary(tmp_path):
    last = build("甲镇", 2023, Numbers(5, 0, 0))
    pl = tmp_path / "甲镇2023.json"
    write(last, pl)
    record = tmp_path / "2023.汇总记录.json"
    save_record(run_desk(DeskInputs([pl])), record)
    pl.unlink()  # the record alone is enough
    this = build("甲镇", 2024, Numbers(30, 0, 0))
    pt = tmp_path / "甲镇.json"
    write(this, pt)
    result = run_desk(DeskInputs([pt], previous=[record]))
    (cmp,) = result.comparisons.values()
    assert [c.flag for c in cmp.flagged] == ["本年为上年的6.0倍"] * 6  # 新收, 予以公开, 总计 × 2 columns
    assert exchange.to_dict(cmp.last)["tables"]["requests"]["granted"]["natural"] == 5


def test_a_long_list_breaks_across_pages_with_its_header_and_whole_text(tmp_path):
    """A 问题清单 of many rows, one of them longer than a page: every page repeats the
    header, every text is there once and in order, and no line starts with closing
    punctuation."""
    from app.pdf.linebreak import CANNOT_START
    from app.simple_doc import SimpleDoc
    from app.simple_pdf import write_pdf
    from tests.pdf_helpers import pdfinfo, pdftotext, squash

    long = "".join(f"第{i}格的数字（{i * 7}）与合计不符，请核对：“总计”应等于各列之和。" for i in range(120))
    rows = [(str(i), "错误", "申请情况合计（按行）", f"第三部分 新收行：总计({i})，相差{i}", "请核对。")
            for i in range(1, 61)]
    rows.insert(30, ("31a", "错误", "很长的问题", long, "请逐格核对。"))
    header = ("序号", "类别", "问题", "具体情况", "改正要求")
    doc = SimpleDoc("2024年政府信息公开工作年度报告问题清单", ["报送单位：某镇"], "经检查，存在以下问题。",
                    header, rows, (8, 8, 14, 41, 29), "请改正。", ["某某区政务公开办公室", "2025年2月1日"])
    out = tmp_path / "清单.pdf"
    write_pdf(doc, out)
    pages = int(pdfinfo(out)["Pages"])
    assert pages >= 4
    texts = [pdftotext(out, page) for page in range(1, pages + 1)]
    assert all(squash("序号类别问题具体情况改正要求") in squash(t) for t in texts)
    body = "".join(squash(t).replace(squash("序号类别问题具体情况改正要求"), "") for t in texts)
    body = body.replace("请逐格核对。", "")   # the long row's last cell comes before its rest
    assert squash(long) in body and body.count(squash(long)) == 1
    at = 0
    for row in rows:
        at = body.index(squash(row[3]), at)
    assert body.endswith(squash("请改正。某某区政务公开办公室2025年2月1日"))
    assert not [line for t in texts for line in t.splitlines() if line[:1] and line[0] in CANNOT_START]


@pytest.mark.parametrize("case", ["carry broken", "same as last year", "2019 last year", "other numbers"])
def test_last_years_rules_alone_add_up_to_a_check_with_last_year(case):
    """The desk checks each report once alone and then only the rules that read last
    year's report (``validate_against``): together, in rule order, exactly what checking
    with last year's report finds (the 问题清单 list them in that order)."""
    from app.rules import validate, validate_against

    this = build("焦店镇", 2024, Numbers(5, 1, 4, carried_in=2, recon=(2, 0, 1, 0)))
    this.cells[("requests", "new", "total")] += 1
    if case == "carry broken":
        last = build("焦店镇", 2023, Numbers(5, 1, 4, carried_out=3))
    elif case == "same as last year":
        last = build("焦店镇", 2023, Numbers(5, 1, 4, carried_in=2, recon=(2, 0, 1, 0)))
        last.cells[("requests", "new", "total")] += 1
    elif case == "2019 last year":
        last = Report.blank("焦店镇", 2020)
        for ref in last.cells:
            last.cells[ref] = Decimal(0) if last.format.kind_of(ref) == "money" else 3
    else:
        last = build("焦店镇", 2023, Numbers(1, 0, 2, carried_out=2, recon=(0, 1, 0, 0)))
    with_last = validate(this, last)
    order = {rule.id: i for i, rule in enumerate(this.format.rules)}
    merged = sorted(validate(this) + validate_against(this, last), key=lambda f: order[f.rule])
    assert merged == with_last
    assert validate_against(this, last) == [f for f in with_last if f not in validate(this)]
    if case in ("carry broken", "same as last year"):
        assert validate_against(this, last)   # last year's rules found something


def test_a_control_character_from_a_file_name_is_written_visibly_in_word(tmp_path):
    """A unit named after a file that could not be read may carry any character a file
    name can: Word cannot hold a control character, so it is written as ``\\x01``."""
    from docx import Document

    from app.simple_doc import SimpleDoc, write_docx

    doc = SimpleDoc("问题清单\x01", ["报送单位：坏\x01文件 & <某>"], "", ("序号", "问题"),
                    [("1", "文件无法读取：坏\x01文件.pdf\n第二行")], (1, 3))
    write_docx(doc, tmp_path / "a.docx")
    d = Document(tmp_path / "a.docx")
    assert [p.text for p in d.paragraphs][:2] == ["问题清单\\x01", "报送单位：坏\\x01文件 & <某>"]
    assert d.tables[0].rows[1].cells[1].text == "文件无法读取：坏\\x01文件.pdf\n第二行"
    assert d.core_properties.title == "问题清单\\x01"


def test_a_file_changed_while_it_is_read_keeps_the_digest_of_what_was_read(tmp_path, monkeypatch):
    """The record knows a file again by its digest: the digest is of the very bytes the
    numbers came from, so a unit's file replaced in the middle of the reading is read
    again next time instead of keeping the old numbers under the new file's digest."""
    import hashlib

    from app import draft as drafts
    from app.aggregate.district import digest, read_file

    path = tmp_path / "甲镇.json"
    path.write_text(exchange.dumps(Report.blank("甲镇", 2021)), encoding="utf-8")
    read = path.read_bytes()
    parse = drafts.from_bytes

    def replaced_meanwhile(data: bytes):
        path.write_text(exchange.dumps(Report.blank("乙镇", 2021)), encoding="utf-8")
        return parse(data)
    monkeypatch.setattr(drafts, "from_bytes", replaced_meanwhile)
    entry = read_file(path)
    assert entry.report.organ == "甲镇"
    assert entry.digest == hashlib.sha256(read).hexdigest() != digest(path)
