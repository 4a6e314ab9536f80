"""Every recovery path at start: the damaged file is kept aside, a good copy is used, and
the user is told in Chinese what happened and where the bad file is."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from app import exchange
from app.store import DraftStore
from conftest import PINGTAN_JSON


def make_store(root: Path, texts: list[str]) -> tuple[str, str]:
    """Two drafts; the first saved once per text (each save leaves a backup)."""
    with DraftStore.open(root, history_interval=0, backup_interval=0) as s:
        first = s.create(exchange.read_file(PINGTAN_JSON), name="第一份")
        second = s.create(exchange.read_file(PINGTAN_JSON), name="第二份")
        for text in texts:
            report = s.load(first)
            report.texts["other"] = text
            s.save(first, report)
    return first, second


def aside_path(notice: str) -> Path:
    """The file the notice says the damaged one was renamed to."""
    match = re.search(r"已将它改名保存为 (\S+?)（没有删除）", notice)
    assert match, notice
    return Path(match.group(1))


def reopen(root: Path) -> DraftStore:
    return DraftStore.open(root, history_interval=0, backup_interval=0)


# ------------------------------------------------------------------ the index
@pytest.mark.parametrize("damage, reason", [
    (lambda b: b[: len(b) // 2], "不完整，结尾被截断"),
    (lambda b: b"", "是空的"),
    (lambda b: b"\xff\xfe\x00garbage\x80" * 10, "已损坏（内容不是文字）"),
    (lambda b: b'{"meta": {"1": {"kind": "nianbao.index", "schema": 1}}, "drafts": {"1": ]}', "已损坏（第 1 行"),
    (lambda b: b"[1, 2, 3]", "不是 TinyDB 数据库文件"),
    (lambda b: b'{"_default": {"1": {"title": "x"}}}', "不是 nianbao 草稿库的文件"),
    (lambda b: json.dumps({"meta": {"1": {"kind": "nianbao.index", "schema": 2}},
                           "drafts": {}}).encode(), "由更新版本的 nianbao 创建（数据格式第 2 版"),
])
def test_damaged_index_is_kept_aside_and_backup_restored(tmp_path, damage, reason):
    first, second = make_store(tmp_path, ["甲"])
    index = tmp_path / "index.json"
    bad_bytes = damage(index.read_bytes())
    index.write_bytes(bad_bytes)
    with reopen(tmp_path) as s:
        assert len(s.notices) == 1
        notice = s.notices[0]
        assert f"草稿库目录文件 {index} {reason}" in notice
        assert "的备份 index.json.1.bak 恢复" in notice
        bad = aside_path(notice)
        assert bad.parent == tmp_path and bad.name.startswith("index.damaged-")
        assert bad.read_bytes() == bad_bytes
        assert {i.name for i in s.drafts()} == {"第一份", "第二份"}
        assert s.load(first).texts["other"] == "甲"
    with reopen(tmp_path) as s:
        assert s.notices == []  # repaired for good


def test_index_without_any_good_backup_is_rebuilt_from_the_drafts(tmp_path):
    first, second = make_store(tmp_path, ["甲"])
    for path in tmp_path.glob("index.json*"):
        path.write_bytes(b'{"meta": {"1"')
    with reopen(tmp_path) as s:
        notice = s.notices[0]
        assert "不完整" in notice and "没有可用的备份：已根据各份草稿文件重新建立目录" in notice
        assert aside_path(notice).exists()
        assert {i.id: i.name for i in s.drafts()} == {first: "第一份", second: "第二份"}


def test_stale_index_backup_is_completed_from_the_draft_files(tmp_path):
    """The backup predates later saves; the summaries are refreshed from the drafts."""
    first, _ = make_store(tmp_path, [])
    with reopen(tmp_path) as s:
        report = s.load(first)
        report.organ = "后来改的单位"
        s.save(first, report)
        s.rename(first, "后来改的名字")
    (tmp_path / "index.json").write_bytes(b"")
    with reopen(tmp_path) as s:
        assert "目录中较新的改动已根据各份草稿文件补齐" in s.notices[0]
        info = s.info(first)
        assert (info.name, info.organ) == ("后来改的名字", "后来改的单位")


def test_missing_index_with_backups_is_restored_and_said(tmp_path):
    make_store(tmp_path, [])
    (tmp_path / "index.json").unlink()
    with reopen(tmp_path) as s:
        assert "不见了" in s.notices[0] and "备份" in s.notices[0]
        assert len(s.drafts()) == 2


# ------------------------------------------------------------------ a draft file
@pytest.mark.parametrize("cut", [1000, 1001, 1002])  # one of them cuts inside a character
def test_truncated_draft_is_restored_from_its_newest_good_copy(tmp_path, cut):
    first, _ = make_store(tmp_path, ["甲", "乙", "丙"])
    path = tmp_path / "drafts" / first / "draft.json"
    path.write_bytes(path.read_bytes()[:cut])
    with reopen(tmp_path) as s:
        notice = s.notices[0]
        assert f"草稿“第一份”（编号 {first}）的数据文件 {path} 不完整" in notice
        assert "保存的历史版本（第 4 版）恢复" in notice    # newer than any backup
        assert aside_path(notice).parent == path.parent
        assert s.load(first).texts["other"] == "丙"   # the last save: nothing lost


def test_damaged_draft_without_backups_comes_back_from_history(tmp_path):
    first, _ = make_store(tmp_path, ["甲", "乙"])
    folder = tmp_path / "drafts" / first
    for bak in folder.glob("draft.json.*.bak"):
        bak.unlink()
    (folder / "draft.json").write_text("not json at all", encoding="utf-8")
    with reopen(tmp_path) as s:
        notice = s.notices[0]
        assert "已损坏" in notice and "保存的历史版本（第 3 版）恢复" in notice
        assert s.load(first).texts["other"] == "乙"


def test_draft_that_cannot_be_recovered_is_reported_and_its_file_kept(tmp_path):
    first, second = make_store(tmp_path, ["甲"])
    folder = tmp_path / "drafts" / first
    for path in [folder / "draft.json", *folder.glob("*.bak"), *folder.glob("history/*.json.gz")]:
        path.write_bytes(b"\x00\x00\x00")
    with reopen(tmp_path) as s:
        notice = s.notices[0]
        assert "这份草稿无法恢复；原文件（如有）仍保留在该文件夹中" in notice
        assert (folder / "draft.json").read_bytes() == b"\x00\x00\x00"   # left as it was
        assert [i.id for i in s.drafts()] == [second]


def test_draft_from_a_newer_version_is_kept_aside(tmp_path):
    first, _ = make_store(tmp_path, ["甲"])
    path = tmp_path / "drafts" / first / "draft.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema"] = 7
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with reopen(tmp_path) as s:
        assert "由更新版本的 nianbao 创建（数据格式第 7 版，本程序只能读取第 1 版）" in s.notices[0]
        assert json.loads(aside_path(s.notices[0]).read_text(encoding="utf-8"))["meta"]["1"]["schema"] == 7


def test_draft_whose_report_is_not_a_report_is_damaged(tmp_path):
    first, _ = make_store(tmp_path, ["甲", "乙"])
    path = tmp_path / "drafts" / first / "draft.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["draft"]["1"]["report"]["year"] = "二〇二一"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with reopen(tmp_path) as s:
        assert "其中的年报数据无法读取：“year” 应为整数年份" in s.notices[0]
        assert s.load(first).texts["other"] == "乙"     # the last save, from the history


def test_read_only_copy_does_not_touch_a_damaged_file(tmp_path):
    first, _ = make_store(tmp_path, ["甲"])
    with reopen(tmp_path) as writer:
        index = tmp_path / "index.json"
        index.write_bytes(b"{")
        with DraftStore.open(tmp_path) as reader:
            assert reader.read_only
            damage = [n for n in reader.notices if "草稿库目录" in n][0]
            assert "另一个 nianbao 正在使用草稿库，本次未做任何修改" in damage
            assert "已用" in damage and "备份" in damage
            assert index.read_bytes() == b"{"
            assert not list(tmp_path.glob("*.damaged-*"))
            assert reader.load(first).texts["other"] == "甲"
        assert writer.load(first).texts["other"] == "甲"


# ------------------------------------------------------------------ leftovers of a crash
def test_leftover_temp_files_and_half_created_drafts_are_cleaned(tmp_path):
    """A writer killed in a write leaves its temporary file, and the index still marked
    ``in_use`` (set before a session's first write): the next start sweeps every folder."""
    first, _ = make_store(tmp_path, [])
    index = tmp_path / "index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["meta"]["1"]["in_use"] = True
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / ".index.json.1234abcd.tmp").write_bytes(b"half")
    (tmp_path / "drafts" / first / ".draft.json.deadbeef.tmp").write_bytes(b"half")
    (tmp_path / "drafts" / "0badcafe" / "history").mkdir(parents=True)
    with reopen(tmp_path) as s:
        assert s.notices == []
        assert len(s.drafts()) == 2
    assert not list(tmp_path.rglob("*.tmp"))
    assert not (tmp_path / "drafts" / "0badcafe").exists()


def test_truncated_newest_revision_is_skipped_for_the_one_before(tmp_path):
    first, _ = make_store(tmp_path, ["甲", "乙"])
    folder = tmp_path / "drafts" / first
    for bak in folder.glob("draft.json.*.bak"):
        bak.unlink()
    newest = folder / "history" / "00000003.json.gz"
    newest.write_bytes(newest.read_bytes()[:100])
    (folder / "draft.json").write_bytes(b"")
    with reopen(tmp_path) as s:
        assert "是空的" in s.notices[0] and "保存的历史版本（第 2 版）恢复" in s.notices[0]
        assert s.load(first).texts["other"] == "甲"
        assert [h.rev for h in s.history(first)] == [4, 2, 1]  # a new number; bad 3 not offered


def test_damage_that_keeps_size_and_time_is_caught_when_the_draft_is_opened(tmp_path):
    """Open checks drafts by size and time only (cheap); load checks the content."""
    first, _ = make_store(tmp_path, ["甲", "乙"])
    path = tmp_path / "drafts" / first / "draft.json"
    st = path.stat()
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2: len(raw) // 2 + 8] = b"\xff" * 8   # bit rot in the middle
    path.write_bytes(bytes(raw))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with reopen(tmp_path) as s:
        assert s.notices == []
        assert s.load(first).texts["other"] == "乙"        # the newest good copy
        assert "已损坏（内容不是文字）" in s.notices[0] and "历史版本（第 3 版）" in s.notices[0]
        assert s.info(first).rev == 4      # the recovered state is a new revision (1-3 exist)
        assert [h.rev for h in s.history(first)] == [4, 3, 2, 1]
        report = s.load(first)
        report.texts["other"] = "丙"
        s.save(first, report)                               # not skipped as "unchanged"
    with reopen(tmp_path) as s:
        assert s.load(first).texts["other"] == "丙"


@pytest.mark.parametrize("crashed", [True, False])
def test_after_a_crash_every_draft_file_is_read_again(tmp_path, crashed):
    """File times are coarse: after a crash the index is checked against the files."""
    first, _ = make_store(tmp_path, ["甲"])
    index = tmp_path / "index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    entry = next(e for e in data["drafts"].values() if e["id"] == first)
    entry["organ"] = "目录里过时的单位"          # the stamp still matches the file
    data["meta"]["1"]["in_use"] = crashed       # a crash leaves this set
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with reopen(tmp_path) as s:
        assert s.notices == []
        assert s.info(first).organ == ("平潭综合实验区" if crashed else "目录里过时的单位")
    assert json.loads(index.read_text(encoding="utf-8"))["meta"]["1"]["in_use"] is False
