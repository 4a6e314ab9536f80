"""A full or read-only disk: a clear Chinese error, the edits stay in memory, saving retries.

The real-disk tests mount a tiny tmpfs (root on Linux, as in CI); the fault-injection tests
run everywhere and stop a write half-way, as a full disk does.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from app import exchange, files
from app.store import DraftStore, StoreWriteError
from conftest import PINGTAN_JSON

KEPT = "您的修改仍保留在程序中，没有丢失"


def edited(text: str):
    report = exchange.read_file(PINGTAN_JSON)
    report.texts["other"] = text
    return report


class FailingOs:
    """``os`` for the program's one writer (``app.files``), failing like a disk: half a
    write, then ``error``; ``open`` fails only when opening for writing."""

    def __init__(self, error: int, on: str = "write") -> None:
        self.error, self.on = error, on

    def __getattr__(self, name):
        real = getattr(os, name)
        if name != self.on:
            return real

        def fail(*args):
            if name == "open" and not args[1] & (os.O_WRONLY | os.O_RDWR):
                return real(*args)
            if name == "write":
                real(args[0], bytes(args[1][: len(args[1]) // 2]))
            raise OSError(self.error, os.strerror(self.error))
        return fail


@pytest.mark.parametrize("error, on, reason", [
    (errno.ENOSPC, "write", "磁盘已满"),
    (errno.EDQUOT, "write", "磁盘配额已用完"),
    (errno.EROFS, "open", "磁盘是只读的"),
    (errno.EACCES, "open", "没有读写权限"),
    (errno.EIO, "fsync", "磁盘读写出错"),
])
def test_failed_save_keeps_file_and_edits_then_retries(tmp_path, monkeypatch, error, on, reason):
    store = DraftStore.open(tmp_path, history_interval=0, backup_interval=0)
    draft = store.create(edited("保存成功的内容"))
    path = store.layout.draft_file(draft)
    before = path.read_bytes()

    monkeypatch.setattr(files, "os", FailingOs(error, on))
    with pytest.raises(StoreWriteError) as caught:
        store.save(draft, edited("磁盘出错时输入的内容"))
    message = str(caught.value)
    assert f"无法保存草稿：{reason}（{path}）" in message and KEPT in message
    assert path.read_bytes() == before                       # the old file is whole
    assert not list(tmp_path.rglob("*.tmp"))                 # no half-written leftovers
    assert store.load(draft).texts["other"] == "磁盘出错时输入的内容"  # edits in memory
    assert store.retry_pending() is False
    with pytest.raises(StoreWriteError, match="仍有修改无法写入磁盘"):
        store.close()                                         # refuses to drop the edits

    monkeypatch.undo()                                        # space freed / disk writable
    assert store.retry_pending() is True
    store.close()
    with DraftStore.open(tmp_path) as again:
        assert again.notices == []
        assert again.load(draft).texts["other"] == "磁盘出错时输入的内容"


def test_next_autosave_writes_the_newest_edits_after_a_failure(tmp_path, monkeypatch):
    with DraftStore.open(tmp_path) as store:
        draft = store.create(edited("一"), {"step": 1})
        monkeypatch.setattr(files, "os", FailingOs(errno.ENOSPC))
        with pytest.raises(StoreWriteError):
            store.save(draft, edited("二"), {"step": 2})
        monkeypatch.undo()
        store.save(draft, edited("三"))                        # extras of the failed save kept
        assert store.load(draft).texts["other"] == "三"
        assert store.load_extras(draft) == {"step": 2}


# ------------------------------------------------------------------ a real tiny disk
@contextlib.contextmanager
def tiny_disk(where: Path, size: str):
    where.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        for mount in sorted(_mounts_under(where), key=len, reverse=True):
            subprocess.run(["umount", "-l", mount], capture_output=True)


def _mounts_under(where: Path) -> list[str]:
    text = Path("/proc/mounts").read_text(encoding="utf-8")
    return [line.split()[1] for line in text.splitlines()
            if line.split()[1] == str(where) or line.split()[1].startswith(f"{where}/")]


def _fill(folder: Path) -> Path:
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_really_full_disk(tmp_path):
    with tiny_disk(tmp_path / "disk", "512k") as disk:
        store = DraftStore.open(disk, history_interval=0, backup_interval=0)
        draft = store.create(edited("满之前"))
        filler = _fill(disk)
        with pytest.raises(StoreWriteError, match=f"无法保存草稿：磁盘已满.*{KEPT}"):
            for n in range(20):  # the last free blocks may take a few saves to use up
                store.save(draft, edited(f"满之后{n}"))
        on_disk = json.loads(store.layout.draft_file(draft).read_text(encoding="utf-8"))
        assert on_disk["draft"]["1"]["report"]["texts"]["other"].startswith("满")
        assert not list(disk.rglob("*.tmp"))
        filler.unlink()
        assert store.retry_pending()
        store.close()
        with DraftStore.open(disk) as again:
            assert again.notices == []
            assert again.load(draft).texts["other"] == f"满之后{n}"


def test_really_read_only_disk(tmp_path):
    with tiny_disk(tmp_path / "disk", "4m") as disk:
        store = DraftStore.open(disk, history_interval=0)
        draft = store.create(edited("只读之前"))
        folder = str(store.layout.draft_dir(draft))
        # Make the draft's folder read-only while the lock file stays open for writing.
        subprocess.run(["mount", "--bind", folder, folder], check=True)
        subprocess.run(["mount", "-o", "remount,ro,bind", folder], check=True)
        with pytest.raises(StoreWriteError, match=f"无法保存草稿：磁盘是只读的.*{KEPT}"):
            store.save(draft, edited("只读之后"))
        subprocess.run(["umount", folder], check=True)
        assert store.retry_pending()
        store.close()

        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with DraftStore.open(disk) as readonly:
            assert readonly.read_only
            assert f"草稿文件夹 {disk} 无法写入（磁盘是只读的），本次以只读方式打开" in readonly.notices[0]
            assert readonly.load(draft).texts["other"] == "只读之后"
