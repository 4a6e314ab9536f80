"""The draft in the core: what it keeps beside the report, in the store and in a file."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from app import exchange
from app.draft import Draft, read_file, write_file
from app.store import DraftStore
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON

NATURAL_IN = ("requests", "carried_in", "natural")


def started_2021() -> Draft:
    previous = exchange.read_file(ZUNHUADIAN_JSON)
    previous.cells[("requests", "carried_out", "natural")] = 2
    return Draft.from_previous(previous, 2021)


def stated_wrong_number() -> tuple[Draft, object]:
    """Pingtan with a text that says 9 new applications while the table says 70."""
    report = exchange.read_file(PINGTAN_JSON)
    report.texts["problems"] += "本年度新收政府信息公开申请9件。"
    draft = Draft(report)
    (finding,) = [f for f in draft.findings() if f.rule == "text.numbers"]
    return draft, finding


def test_an_acknowledgement_survives_a_reworded_message():
    draft, finding = stated_wrong_number()
    draft.acknowledge(finding, "  含一件转办的申请 ")
    reworded = dataclasses.replace(finding, message="文字与表格不一致：新收申请 9 ≠ 8")
    assert draft.acknowledgement(reworded) == "含一件转办的申请"


def test_other_numbers_make_a_new_warning_and_the_old_numbers_bring_it_back():
    draft, finding = stated_wrong_number()
    draft.acknowledge(finding, "已核实")
    ref = finding.cells[0]
    draft.report.cells[ref] += 1  # 平潭's own 收到70件申请 in 一 now disagrees too: a finding of its own
    (changed,) = [f for f in draft.findings() if f.rule == "text.numbers" and f.section == "problems"]
    assert changed.cells == (ref,) and draft.acknowledgement(changed) is None
    draft.report.cells[ref] -= 1
    (back,) = [f for f in draft.findings() if f.rule == "text.numbers" and f.section == "problems"]
    assert draft.acknowledgement(back) == "已核实"


def test_a_quoted_passage_is_part_of_the_identity():
    """A finding that quotes words of a text (its span) is about those words."""
    draft, finding = stated_wrong_number()
    text = draft.report.texts["problems"]
    start = text.index("新收")
    quoting = dataclasses.replace(finding, span=("problems", start, start + 12))
    draft.acknowledge(quoting, "已核实")
    assert draft.acknowledgement(dataclasses.replace(quoting, message="改写")) == "已核实"
    draft.report.texts["problems"] = "前面加了一段。" + text       # the words moved: same words
    moved = dataclasses.replace(quoting, span=("problems", start + 7, start + 19))
    assert draft.acknowledgement(moved) == "已核实"
    draft.report.texts["problems"] = text.replace("申请9件", "申请7件")
    assert draft.acknowledgement(quoting) is None


def test_from_previous_marks_the_carried_cells_and_says_where_they_come_from():
    draft = started_2021()
    assert draft.report.cells[NATURAL_IN] == 2 and draft.is_unconfirmed(NATURAL_IN)
    assert len(draft.unconfirmed("requests")) == 6 and draft.unconfirmed("active") == []
    assert draft.carried_note(NATURAL_IN) == (
        "从 2020 年度报告带入：上年报告结转下年度(2)。请核对：无误时右键选“确认带入的数字”，或重新输入")
    assert draft.confirm([NATURAL_IN, ("requests", "new", "natural")]) == [NATURAL_IN]
    assert draft.carried_note(NATURAL_IN).endswith("（已确认）")
    assert draft.confirm([NATURAL_IN]) == []


def test_a_carried_cell_typed_over_is_confirmed_or_becomes_the_clerks():
    draft = started_2021()
    legal = ("requests", "carried_in", "legal")
    assert draft.typed([NATURAL_IN]) == [NATURAL_IN] and draft.carried[NATURAL_IN] is True
    draft.report.cells[legal] = 5
    assert draft.typed([legal]) == [legal] and legal not in draft.carried


def test_the_store_keeps_the_whole_draft(tmp_path):
    draft = started_2021()
    draft.confirm([NATURAL_IN])
    warning = next(f for f in draft.findings() if f.severity == "warning")
    draft.acknowledge(warning, "理由")
    with DraftStore.open(tmp_path) as store:
        draft_id = store.create(draft)
        draft.report.texts["other"] = "改过"
        store.save(draft_id, draft.report)           # a bare report: the rest stays
    with DraftStore.open(tmp_path) as store:
        back = store.load_draft(draft_id)
        assert back.report.texts["other"] == "改过"
        assert exchange.to_dict(back.previous) == exchange.to_dict(draft.previous)
        assert back.carried == draft.carried and back.acknowledgement(warning) == "理由"
        assert back.to_dict() == draft.to_dict()
        copy = store.duplicate(draft_id)
        assert store.load_draft(copy).to_dict() == draft.to_dict()


def test_a_draft_saved_by_the_previous_program_opens_migrated(tmp_path):
    """Before the Draft, the window kept last year's report, the carried cells and the
    acknowledgements (keyed rule|message) in the store's extras."""
    draft, finding = stated_wrong_number()
    previous = exchange.read_file(PINGTAN_JSON)
    old_extras = {"previous": exchange.to_dict(previous), "carried": [list(NATURAL_IN)],
                  "acknowledged": {f"{finding.rule}|{finding.message}": "含一件转办的申请",
                                   "text.numbers|一条早已不存在的警告": "旧的"},
                  "last_step": "requests"}
    with DraftStore.open(tmp_path) as store:
        draft_id = store.create(draft.report)
        path = store.layout.draft_file(draft_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = data["draft"]["1"]
    del doc["state"]
    doc["extras"] = old_extras
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with DraftStore.open(tmp_path) as store:
        assert store.notices == []
        migrated = store.load_draft(draft_id)
        assert store.load_extras(draft_id) == {"last_step": "requests"}
        assert exchange.to_dict(migrated.previous) == old_extras["previous"]
        assert migrated.carried == {NATURAL_IN: False}
        assert migrated.acknowledgement(finding) == "含一件转办的申请"
        assert len(migrated.acknowledged) == 1
        store.save(draft_id, migrated, store.load_extras(draft_id))
    saved = json.loads(path.read_text(encoding="utf-8"))["draft"]["1"]
    assert saved["extras"] == {"last_step": "requests"}
    assert saved["state"]["acknowledged"][0]["reason"] == "含一件转办的申请"


def test_a_draft_file_round_trips_and_a_plain_draft_is_a_plain_report(tmp_path):
    draft = started_2021()
    draft.confirm([NATURAL_IN])
    draft.acknowledge(next(f for f in draft.findings() if f.severity == "warning"), "")
    path = tmp_path / "r.json"
    write_file(draft, path)
    assert read_file(path).to_dict() == draft.to_dict()
    plain = tmp_path / "plain.json"
    write_file(Draft(exchange.read_file(PINGTAN_JSON)), plain)
    assert plain.read_bytes() == PINGTAN_JSON.read_bytes()      # the spec's exchange file
    assert read_file(PINGTAN_JSON).is_plain


def test_the_sections_left_are_kept_and_drafts_without_them_still_open(tmp_path):
    draft = started_2021()
    assert draft.leave(["requests", "check", "cover"]) and not draft.leave(["requests"])
    assert draft.sections_left == {"cover", "requests"}          # "check" is no section
    assert draft.state_to_dict()["sections_left"] == ["cover", "requests"]
    with DraftStore.open(tmp_path / "store") as store:
        draft_id = store.create(draft)
        path = store.layout.draft_file(draft_id)
    with DraftStore.open(tmp_path / "store") as store:
        assert store.load_draft(draft_id).sections_left == {"cover", "requests"}
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["draft"]["1"]["state"]["sections_left"]               # saved by the program before
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with DraftStore.open(tmp_path / "store") as store:
        assert store.notices == []
        assert store.load_draft(draft_id).sections_left == set()
    # in a draft file too; a report with nothing else is still written as a plain report
    write_file(draft, tmp_path / "r.json")
    assert read_file(tmp_path / "r.json").sections_left == {"cover", "requests"}
    old = draft.to_dict()
    del old["sections_left"]
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    assert read_file(tmp_path / "old.json").sections_left == set()
    plain = Draft(exchange.read_file(PINGTAN_JSON), sections_left={"requests"})
    write_file(plain, tmp_path / "plain.json")
    assert (tmp_path / "plain.json").read_bytes() == PINGTAN_JSON.read_bytes()


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(extra=1), "未知的键 “extra”"),
    (lambda d: d["carried"].append({"cell": ["requests", "nope", "natural"], "confirmed": False}),
     "“carried[6].cell” 为 requests.nope.natural，不是这份报告格式中的单元格"),
    (lambda d: d["carried"][0].update(confirmed="yes"), "“carried[0].confirmed” 应为 true 或 false"),
    (lambda d: d["report"].pop("organ"), "其中的年报（“report”）无法读取：缺少键 “organ”"),
    (lambda d: d["previous"].update(year="2020"), "其中的上年报告（“previous”）无法读取"),
    (lambda d: d.update(sections_left=["requests", "pages"]), "“sections_left” 中的 “pages” 不是这份报告格式中的部分"),
    (lambda d: d.update(sections_left="requests"), "“sections_left” 应为文字的数组"),
])
def test_a_damaged_draft_file_is_refused_saying_where(tmp_path, change, message):
    data = started_2021().to_dict()
    change(data)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(exchange.ExchangeError, match=re.escape(message)):
        read_file(path)
