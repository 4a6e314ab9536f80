"""Only one running copy writes the store; a second one is told so in Chinese and reads only."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app import exchange
from app.store import DraftStore, ReadOnlyStoreError
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON

READ_ONLY = "本次以只读方式打开：可以查看草稿，不能保存修改"


def test_second_copy_opens_read_only_and_is_told_why(tmp_path):
    with DraftStore.open(tmp_path) as first:
        draft = first.create(exchange.read_file(PINGTAN_JSON))
        with DraftStore.open(tmp_path) as second:
            assert not first.read_only and second.read_only
            assert len(second.notices) == 1
            assert f"草稿库正由另一个正在运行的 nianbao（进程号 {os.getpid()}" in second.notices[0]
            assert READ_ONLY in second.notices[0]
            report = second.load(draft)
            for attempt in (lambda: second.save(draft, report), lambda: second.create(report),
                            lambda: second.rename(draft, "别名"), lambda: second.delete(draft),
                            lambda: second.restore_revision(draft, 1)):
                with pytest.raises(ReadOnlyStoreError, match="现在是只读的，不能保存"):
                    attempt()
            # It sees what the writing copy saves meanwhile.
            report.organ = "写入方改过"
            first.save(draft, report)
            later = first.create(report)
            assert {i.id: i.organ for i in second.drafts()} == {draft: "写入方改过", later: "写入方改过"}
            assert second.load(draft).organ == "写入方改过"
    with DraftStore.open(tmp_path) as third:
        assert not third.read_only and third.notices == []


def test_lock_of_a_killed_copy_does_not_stay(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from app.store import DraftStore; "
         "s = DraftStore.open(sys.argv[1]); print('ready', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE, encoding="ascii")
    try:
        assert holder.stdout.readline().strip() == "ready"
        with DraftStore.open(tmp_path) as blocked:
            assert blocked.read_only
            assert f"进程号 {holder.pid}" in blocked.notices[0]
    finally:
        holder.kill()
        holder.wait()
    with DraftStore.open(tmp_path) as after:
        assert not after.read_only and after.notices == []


def test_cli_refuses_to_write_while_the_window_holds_the_store(tmp_path):
    with DraftStore.open(tmp_path):
        run = run_nianbao("drafts", "--data-dir", str(tmp_path), "add", str(PINGTAN_JSON))
    assert run.returncode == 2
    assert READ_ONLY in run.stderr
    assert "现在是只读的，不能保存" in run.stderr


def test_deleting_the_lock_file_does_not_let_a_second_copy_write(tmp_path):
    """The lock used to follow the file's inode: deleting nianbao.lock while the program
    ran let a second copy take a new lock and write (150 acknowledged saves were lost)."""
    with DraftStore.open(tmp_path) as first:
        draft = first.create(exchange.read_file(PINGTAN_JSON))
        (tmp_path / "nianbao.lock").unlink()
        with DraftStore.open(tmp_path) as second:
            assert second.read_only
            with pytest.raises(ReadOnlyStoreError):
                second.save(draft, second.load(draft))
        report = first.load(draft)
        report.organ = "第一份仍可保存"
        first.save(draft, report)
    run = run_nianbao("drafts", "--data-dir", str(tmp_path), "list", "--json")
    assert "第一份仍可保存" in run.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_lock_file_that_is_a_link_never_truncates_its_target(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("重要的内容", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "nianbao.lock").symlink_to(precious)
    with DraftStore.open(data) as store:
        assert not store.read_only
        store.create(exchange.read_file(PINGTAN_JSON))
        with DraftStore.open(data) as second:
            assert second.read_only and f"进程号 {os.getpid()}" in second.notices[0]
    assert precious.read_text(encoding="utf-8") == "重要的内容"
    assert not (data / "nianbao.lock").is_symlink()


def test_a_folder_that_cannot_be_written_opens_read_only(tmp_path):
    from test_store_disk import tiny_disk
    with tiny_disk(tmp_path / "disk", "1m") as disk:
        with DraftStore.open(disk) as store:
            draft = store.create(exchange.read_file(PINGTAN_JSON))
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with DraftStore.open(disk) as store:
            assert store.read_only
            assert store.notices == [f"草稿文件夹 {disk} 无法写入（磁盘是只读的），本次以只读方式打开："
                                     "可以查看草稿，不能保存修改。"]
            assert store.load(draft).organ == "平潭综合实验区"
