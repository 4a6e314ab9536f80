"""A damaged draft comes back as its newest good state, with the age of that content; a save
never acknowledges what it did not write; bad values in store files are put right, never a
crash; a store it cannot repair opens read-only. (The store's default intervals are used:
backups rotate at most once a minute, so the newest backup holds an old state while the
history revision kept at close holds the last one.)"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app import exchange
from app.store import DraftStore, ReadOnlyStoreError
from app.store.draft_recovery import age
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from test_store_disk import _fill, tiny_disk


def report_with(text: str, source=PINGTAN_JSON):
    report = exchange.read_file(source)
    report.texts["other"] = text
    return report


def session(root, texts: list[str]) -> tuple[str, str]:
    """A draft created, then saved once per text, as a window would in one session (the
    default intervals); returns its id and the time of the last save as the notice says it."""
    with DraftStore.open(root) as store:
        draft = store.create(report_with("创建时"), name="镇报告")
        for text in texts:
            store.save(draft, report_with(text))
        saved = store.info(draft).updated
    return draft, f"{saved:%Y-%m-%d %H:%M:%S}"


def draft_json(root, draft):
    return root / "drafts" / draft / "draft.json"


DAMAGE = {
    "truncated": (lambda b: b[: len(b) // 2], "不完整，结尾被截断"),
    "empty": (lambda b: b"", "是空的"),
    "not text": (lambda b: b"\xff\xfe\x00\x80" * 50, "已损坏（内容不是文字）"),
    "not JSON": (lambda b: b"{\"meta\": nonsense}", "已损坏（第 1 行第 10 列有误）"),
    "empty object": (lambda b: b"{}", "不是 nianbao 草稿库的文件"),
    "empty list": (lambda b: b"[]", "不是 TinyDB 数据库文件，也不是 nianbao 草稿库的文件"),
    "newer schema": (lambda b: b.replace(b'"schema":1', b'"schema":9'),
                     "由更新版本的 nianbao 创建（数据格式第 9 版"),
    "report broken": (lambda b: b.replace(b'"year":2021', b'"year":"2021"'),
                      "其中的年报数据无法读取：“year” 应为整数年份"),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_each_damaged_draft_comes_back_as_its_newest_state_with_its_age(tmp_path, kind):
    damage, reason = DAMAGE[kind]
    draft, saved = session(tmp_path, ["第一次", "第二次", "最后一次"])
    path = draft_json(tmp_path, draft)
    assert json.loads((path.with_name("draft.json.1.bak")).read_text(encoding="utf-8"))[
        "draft"]["1"]["report"]["texts"]["other"] == "创建时"       # the backup is old
    path.write_bytes(damage(path.read_bytes()))
    with DraftStore.open(tmp_path) as store:
        assert store.load(draft).texts["other"] == "最后一次"
        [notice] = store.notices
        assert notice.startswith(f"草稿“镇报告”（编号 {draft}）的数据文件 {path} {reason}")
        assert f"已用 {saved}（不到 1 分钟前）保存的历史版本（第 4 版）恢复。" in notice
        assert re.search(r"已将它改名保存为 \S+draft\.damaged-\S+\.json（没有删除）", notice)
        assert store.info(draft).rev == 5          # a new number: 1-4 are in the history
    with DraftStore.open(tmp_path) as store:        # repaired for good
        assert store.notices == [] and store.load(draft).texts["other"] == "最后一次"


def test_the_age_is_said_in_words():
    assert [age(s) for s in (20, 60, 180, 7200, 3 * 86400 + 5)] == [
        "不到 1 分钟前", "1 分钟前", "3 分钟前", "2 小时前", "3 天前"]


def test_the_age_is_that_of_the_content_not_of_the_file(tmp_path):
    """A backup's file time is when it was rotated; its content may be days older."""
    draft, _ = session(tmp_path, [])
    folder = draft_json(tmp_path, draft).parent
    shutil.rmtree(folder / "history")
    backup = folder / "draft.json.1.bak"
    data = json.loads(draft_json(tmp_path, draft).read_text(encoding="utf-8"))
    two_days_ago = dt.datetime.now().timestamp() - 2 * 86400 - 60
    data["draft"]["1"]["updated"] = two_days_ago
    backup.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # file: now
    draft_json(tmp_path, draft).write_bytes(b"")
    with DraftStore.open(tmp_path) as store:
        saved = dt.datetime.fromtimestamp(two_days_ago)
        assert f"已用 {saved:%Y-%m-%d %H:%M:%S}（2 天前）保存的备份 draft.json.1.bak 恢复。" in store.notices[0]


# ------------------------------------------------------------------ another draft's file
def test_another_drafts_file_copied_into_place_is_recognised_by_its_id(tmp_path):
    mine, _ = session(tmp_path, ["我的最后一次"])
    with DraftStore.open(tmp_path) as store:
        other = store.create(report_with("别人的", ZUNHUADIAN_JSON), name="别的草稿")
    shutil.copyfile(draft_json(tmp_path, other), draft_json(tmp_path, mine))
    with DraftStore.open(tmp_path) as store:
        assert store.load(mine).texts["other"] == "我的最后一次"
        assert store.load(other).texts["other"] == "别人的"
        notice = store.notices[0]
        assert f"的数据文件 {draft_json(tmp_path, mine)} 是另一份草稿（编号 {other}）的数据，不是这份草稿的。" in notice
        assert "保存的历史版本（第 2 版）恢复。" in notice


def test_a_copied_draft_folder_becomes_a_draft_of_its_own(tmp_path):
    draft, _ = session(tmp_path, ["内容"])
    copy = tmp_path / "drafts" / "0123abcd"
    shutil.copytree(draft_json(tmp_path, draft).parent, copy)
    with DraftStore.open(tmp_path) as store:
        assert {i.id for i in store.drafts()} == {draft, "0123abcd"}
        assert store.load("0123abcd").texts["other"] == "内容"
        assert (f"草稿文件夹 {copy} 中的数据属于编号 {draft} 的草稿（文件夹可能是复制或改名来的），"
                "现作为编号 0123abcd 的草稿。") in store.notices[0]
    with DraftStore.open(tmp_path) as store:
        assert store.notices == []


# ------------------------------------------------------------------ saving
@pytest.mark.parametrize("behind_our_back", [b"{}", b"[]"])
def test_a_save_over_a_file_replaced_behind_our_back_is_written_whole(tmp_path, behind_our_back):
    with DraftStore.open(tmp_path) as store:
        draft = store.create(report_with("一"))
        store.save(draft, report_with("二"))
        draft_json(tmp_path, draft).write_bytes(behind_our_back)
        rev = store.save(draft, report_with("三"))
        on_disk = json.loads(draft_json(tmp_path, draft).read_text(encoding="utf-8"))["draft"]["1"]
        assert on_disk["rev"] == rev and on_disk["report"]["texts"]["other"] == "三"
        assert f"的数据文件 {draft_json(tmp_path, draft)} " in store.notices[0]
        assert re.search(r"已将它改名保存为 \S+（没有删除）", store.notices[0])
    assert not store._lock.held
    with DraftStore.open(tmp_path) as store:
        assert not store.read_only and store.load(draft).texts["other"] == "三"


def test_a_file_changed_by_someone_else_is_kept_before_saving_over_it(tmp_path):
    with DraftStore.open(tmp_path) as store:
        draft = store.create(report_with("一"))
        path = draft_json(tmp_path, draft)
        data = json.loads(path.read_text(encoding="utf-8"))
        data["draft"]["1"]["rev"] = 7
        data["draft"]["1"]["report"]["texts"]["other"] = "别处写的"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert store.save(draft, report_with("本程序的")) == 8
        notice = store.notices[0]
        kept = re.search(r"那份文件已另存为 (\S+)（没有删除）", notice).group(1)
        assert "在本程序之外被改动过（文件中是第 7 版，本程序最后保存的是第 1 版）" in notice
        assert json.loads(Path(kept).read_text(encoding="utf-8"))["draft"]["1"]["report"][
            "texts"]["other"] == "别处写的"
        assert store.load(draft).texts["other"] == "本程序的"


def test_a_save_with_no_copy_left_writes_what_the_program_holds(tmp_path):
    with DraftStore.open(tmp_path, backup_interval=3600) as store:
        draft = store.create(report_with("一"))
        folder = draft_json(tmp_path, draft).parent
        shutil.rmtree(folder / "history")
        for path in folder.glob("draft.json*"):
            path.write_bytes(b"[]")
        store.save(draft, report_with("二"))
        assert store.load(draft).texts["other"] == "二"
        assert "已按本程序中保存的内容重新写入" in store.notices[-1]


# ------------------------------------------------------------------ bad values
def test_bad_values_in_a_draft_file_are_put_right_not_a_crash(tmp_path):
    draft, _ = session(tmp_path, ["内容"])
    path = draft_json(tmp_path, draft)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["draft"]["1"].update(created=None, name=17, completeness="full")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "index.json").unlink()      # the list must come from the file
    listed = run_nianbao("drafts", "--data-dir", str(tmp_path), "list")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    assert (f"的数据文件 {path} 中“created、name、organ、year、version、completeness、"
            "error_count”的值有误，已根据其余内容修正。") in listed.stderr
    assert "平潭综合实验区2021年政府信息公开工作年度报告" in listed.stdout
    fixed = json.loads(path.read_text(encoding="utf-8"))["draft"]["1"]
    assert fixed["created"] == fixed["updated"] and fixed["completeness"] == 1.0


def test_bad_values_in_the_index_are_read_again_from_the_drafts(tmp_path):
    draft, _ = session(tmp_path, ["内容"])
    index = tmp_path / "index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    for entry in data["drafts"].values():
        entry.update(created=None, updated="yesterday", year=None)
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    listed = run_nianbao("drafts", "--data-dir", str(tmp_path), "list", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    assert json.loads(listed.stdout)["drafts"][0]["year"] == 2021


def test_the_start_page_lists_drafts_with_bad_values(qtbot, tmp_path):
    from ui.main_window import MainWindow
    draft, _ = session(tmp_path, ["内容"])
    path = draft_json(tmp_path, draft)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["draft"]["1"]["updated"] = None
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "index.json").write_bytes(b"")
    window = MainWindow(DraftStore.open(tmp_path))
    qtbot.addWidget(window)
    assert window.start.drafts.rowCount() == 1
    assert "的值有误，已根据其余内容修正" in window.start.message.text()
    window.close()


# ------------------------------------------------------------------ cannot repair
def test_a_damaged_draft_on_a_full_disk_opens_read_only(tmp_path):
    with tiny_disk(tmp_path / "disk", "1m") as disk:
        draft, saved = session(disk, ["最后一次"])
        path = draft_json(disk, draft)
        damaged = path.read_bytes()[:200]
        path.write_bytes(damaged)
        _fill(disk)
        store = DraftStore.open(disk)
        try:
            assert store.read_only
            assert store.load(draft).texts["other"] == "最后一次"
            [notice] = store.notices
            assert f"已用 {saved}（不到 1 分钟前）保存的历史版本（第 2 版）恢复。" in notice
            assert notice.endswith("但修复后的文件无法写入磁盘（磁盘已满）：草稿库本次以只读方式打开，"
                                   "可以查看，不能保存。请腾出磁盘空间后重新打开本程序。")
            with pytest.raises(ReadOnlyStoreError):
                store.save(draft, report_with("不能保存"))
            assert path.read_bytes() == damaged        # nothing changed on disk
        finally:
            store.close()
        (disk / "filler.bin").unlink()
        with DraftStore.open(disk) as store:
            assert not store.read_only and store.load(draft).texts["other"] == "最后一次"


def test_the_cli_lists_drafts_of_a_full_disk_read_only(tmp_path):
    with tiny_disk(tmp_path / "disk", "1m") as disk:
        draft, _ = session(disk, ["最后一次"])
        draft_json(disk, draft).write_bytes(b"{")
        _fill(disk)
        listed = run_nianbao("drafts", "--data-dir", str(disk), "list")
        assert listed.returncode == 0 and draft in listed.stdout
        assert "本次以只读方式打开" in listed.stderr
        subprocess.run(["sync"], check=False)
