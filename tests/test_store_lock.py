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
            assert {i.id: i.organ for i in second.list()} == {draft: "写入方改过", later: "写入方改过"}
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
