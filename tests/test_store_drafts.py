"""The draft store as the window uses it: create, list, open, rename, duplicate, bin, history."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from app import exchange
from app.report import Report
from app.rules import errors, validate
from app.store import HISTORY_LIMIT, DraftStore, StoreError, default_data_dir
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON


@pytest.fixture
def store(tmp_path):
    s = DraftStore.open(tmp_path / "data", history_interval=0)
    yield s
    s.close()


def pingtan() -> Report:
    return exchange.read_file(PINGTAN_JSON)


def test_list_shows_organ_year_format_completeness_and_errors(store):
    full = store.create(pingtan())
    blank = store.create(Report.blank("某某镇人民政府", 2026))
    infos = {i.id: i for i in store.drafts()}
    assert set(infos) == {full, blank}
    assert (infos[full].organ, infos[full].year, infos[full].version) == ("平潭综合实验区", 2021, "2021")
    assert infos[full].completeness == 1.0 and infos[full].error_count == 0
    assert infos[blank].completeness == 0.0
    expected = len(errors(validate(Report.blank("某某镇人民政府", 2026))))
    assert infos[blank].error_count == expected > 0
    assert infos[blank].name == "某某镇人民政府2026年政府信息公开工作年度报告"
    assert [i.id for i in store.drafts()] == [blank, full]  # most recent first


def test_saved_report_and_extras_come_back_exactly(store):
    report = pingtan()
    draft = store.create(report, {"splitter": [3, 1], "step": 3})
    report.texts["other"] = "改过的其他事项"
    store.save(draft, report)
    assert exchange.dumps(store.load(draft)) == exchange.dumps(report)
    assert store.load_extras(draft) == {"splitter": [3, 1], "step": 3}  # kept when None
    store.save(draft, report, {"step": 4})
    assert store.load_extras(draft) == {"step": 4}


def test_drafts_survive_closing_and_reopening(tmp_path):
    with DraftStore.open(tmp_path) as first:
        draft = first.create(pingtan(), {"step": 2})
        report = first.load(draft)
        report.organ = "平潭综合实验区管委会"
        first.save(draft, report)
    with DraftStore.open(tmp_path) as again:
        assert again.notices == []
        assert again.load(draft).organ == "平潭综合实验区管委会"
        assert again.drafts()[0].organ == "平潭综合实验区管委会"
        assert again.load_extras(draft) == {"step": 2}


def test_autosave_rewrites_only_the_drafts_own_file(store):
    """The index (which grows with the number of drafts) is not touched by an autosave."""
    ids = [store.create(pingtan()) for _ in range(3)]
    store.drafts()
    index_before = store.layout.index.read_bytes()
    others = {i: store.layout.draft_file(i).stat().st_mtime_ns for i in ids[1:]}
    report = pingtan()
    report.organ = "改名后的单位"
    store.save(ids[0], report)
    assert store.layout.index.read_bytes() == index_before
    assert {i: store.layout.draft_file(i).stat().st_mtime_ns for i in ids[1:]} == others
    assert store.load(ids[0]).organ == "改名后的单位"


def test_rename_and_duplicate(store):
    draft = store.create(pingtan(), {"step": 5})
    store.rename(draft, "  平潭 2021 终稿 ")
    assert store.info(draft).name == "平潭 2021 终稿"
    copy = store.duplicate(draft)
    assert copy != draft
    assert store.info(copy).name == "平潭 2021 终稿（副本）"
    assert exchange.dumps(store.load(copy)) == exchange.dumps(store.load(draft))
    assert store.load_extras(copy) == {"step": 5}
    with pytest.raises(StoreError, match="名称不能为空"):
        store.rename(draft, "   ")


def test_delete_goes_to_bin_and_can_be_restored(store):
    keep = store.create(pingtan())
    gone = store.create(exchange.read_file(ZUNHUADIAN_JSON))
    store.delete(gone)
    assert [i.id for i in store.drafts()] == [keep]
    assert [i.id for i in store.drafts_in_bin()] == [gone]
    assert store.drafts_in_bin()[0].deleted is not None
    store.restore_from_bin(gone)
    assert {i.id for i in store.drafts()} == {keep, gone}
    assert store.drafts_in_bin() == []


def test_bin_state_survives_reopening(tmp_path):
    with DraftStore.open(tmp_path) as s:
        draft = s.create(pingtan())
        s.delete(draft)
    with DraftStore.open(tmp_path) as s:
        assert s.drafts() == [] and [i.id for i in s.drafts_in_bin()] == [draft]


def _save_with_text(store, draft, text):
    report = pingtan()
    report.texts["other"] = text
    return store.save(draft, report, {"text": text})


def test_history_keeps_the_last_50_revisions(store):
    draft = store.create(pingtan())
    for n in range(60):
        _save_with_text(store, draft, f"第{n}次")
    history = store.history(draft)
    assert len(history) == HISTORY_LIMIT == 50
    assert history[0].current and history[0].rev == 61
    assert [h.rev for h in history] == list(range(61, 11, -1))
    assert not any(h.current for h in history[1:])
    assert store.restore_revision(draft, 12).texts["other"] == "第10次"


def test_restore_revision_brings_back_content_and_is_undoable(store):
    draft = store.create(pingtan())
    _save_with_text(store, draft, "早上的版本")            # rev 2
    _save_with_text(store, draft, "下午改错了")            # rev 3
    restored = store.restore_revision(draft, 2)
    assert restored.texts["other"] == "早上的版本"
    assert store.load(draft).texts["other"] == "早上的版本"
    assert store.load_extras(draft) == {"text": "早上的版本"}
    assert store.info(draft).rev == 4
    assert store.restore_revision(draft, 3).texts["other"] == "下午改错了"  # undo is possible
    with pytest.raises(StoreError, match="没有第 99 版"):
        store.restore_revision(draft, 99)


def test_quick_autosaves_are_coalesced_and_closing_keeps_the_last_state(tmp_path):
    """With autosave every second, one revision per minute keeps 50 minutes of history."""
    s = DraftStore.open(tmp_path, history_interval=60)
    draft = s.create(pingtan())
    for n in range(10):
        _save_with_text(s, draft, f"第{n}次")
    assert [h.rev for h in s.history(draft)] == [11, 1]  # rev 11 is only the current state
    s.close()
    with DraftStore.open(tmp_path) as again:
        revs = sorted(int(p.name[:8]) for p in again.layout.history_dir(draft).iterdir())
        assert revs == [1, 11]
        again.restore_revision(draft, 1)
        assert again.restore_revision(draft, 11).texts["other"] == "第9次"


def test_unknown_draft_is_a_clear_error(store):
    with pytest.raises(StoreError, match="没有编号为 nope 的草稿"):
        store.load("nope")


def test_default_folder_is_NIANBAO_DATA_DIR(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "from-env"))
    with DraftStore.open() as s:
        draft = s.create(pingtan())
    assert (tmp_path / "from-env" / "drafts" / draft / "draft.json").is_file()


def test_platform_user_folder_without_env(monkeypatch, tmp_path):
    monkeypatch.delenv("NIANBAO_DATA_DIR")
    assert default_data_dir() == Path(platformdirs.user_data_dir("nianbao", appauthor=False))


def test_draft_files_are_utf8_json_with_readable_chinese(store):
    draft = store.create(pingtan())
    raw = store.layout.draft_file(draft).read_bytes()
    assert "平潭综合实验区".encode() in raw
    assert os.path.getsize(store.layout.draft_file(draft)) < 30_000


def test_a_draft_folder_copied_by_hand_becomes_its_own_draft(tmp_path):
    """Someone copies a draft folder in the file manager: two drafts, not one id twice."""
    import shutil
    with DraftStore.open(tmp_path) as s:
        draft = s.create(pingtan())
    shutil.copytree(tmp_path / "drafts" / draft, tmp_path / "drafts" / "0123abcd")
    with DraftStore.open(tmp_path) as s:
        assert sorted(i.id for i in s.drafts()) == sorted([draft, "0123abcd"])
        s.rename("0123abcd", "复制的")
        assert s.info(draft).name != "复制的"


def test_autosave_without_changes_writes_nothing(store):
    """The window's timer may fire every second while the clerk reads: no needless writes."""
    report = pingtan()
    draft = store.create(report, {"step": 1})
    rev = store.save(draft, report, {"step": 2})
    mtime = store.layout.draft_file(draft).stat().st_mtime_ns
    assert store.save(draft, report) == rev
    assert store.save(draft, report, {"step": 2}) == rev
    assert store.layout.draft_file(draft).stat().st_mtime_ns == mtime
    assert store.save(draft, report, {"step": 3}) == rev + 1
    report.texts["other"] = "改了一个字"
    assert store.save(draft, report) == rev + 2


def test_a_folder_that_cannot_be_created_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match=f"无法创建草稿文件夹 {blocker / 'data'}"):
        DraftStore.open(blocker / "data")


def test_extras_changed_in_place_by_the_window_are_saved(store):
    report = pingtan()
    extras = {"splitter": []}
    draft = store.create(report, extras)
    extras["splitter"].append(7)          # the window keeps its own dict
    store.save(draft, report, extras)
    assert store.load_extras(draft) == {"splitter": [7]}
    extras["splitter"].append(9)
    store.save(draft, report, extras)
    assert store.load_extras(draft) == {"splitter": [7, 9]}
