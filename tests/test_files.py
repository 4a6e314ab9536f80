"""The program's one reader of outside files and one writer of every file it writes.

Reading: only regular files, sizes counted while reading (a pipe named ``.txt`` used to
hang for ever, a link to ``/dev/zero`` read until MemoryError). Writing: a temporary file
beside the target, fsynced and moved into place, never following a symbolic link; on a
full disk the earlier file stays whole and no 0-byte file is left. Every command refuses
to overwrite without ``--force``, in Chinese.
"""
from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

import pytest

from app import exchange
from app.files import FileReadError, check_output, os_reason, read_limited, write_bytes
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from test_store_disk import _fill, tiny_disk

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")


# ------------------------------------------------------------------ reading
@posix_only
def test_a_pipe_named_txt_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    res = run_nianbao("import", str(fifo), "-o", str(tmp_path / "out.json"))
    assert res.returncode == 2
    assert res.stderr == f"nianbao：{fifo}：不是普通文件（是设备、管道或其他特殊文件），不能读取\n"


@posix_only
def test_a_link_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to("/dev/zero")
    res = run_nianbao("validate", str(link))
    assert res.returncode == 2
    assert res.stderr == f"nianbao：{link}：不是普通文件（是设备、管道或其他特殊文件），不能读取\n"


@posix_only
def test_size_is_counted_while_reading_not_taken_from_stat():
    """/proc files say 0 bytes and have more."""
    maps = Path("/proc/self/maps")
    assert maps.stat().st_size == 0
    with pytest.raises(FileReadError) as caught:
        read_limited(maps, 100, "年报文件")
    assert str(caught.value) == "文件过大（超过 100 字节），不是年报文件（上限 100 字节）"


def test_a_link_to_a_regular_file_is_read(tmp_path):
    if sys.platform == "win32":
        pytest.skip("symbolic links need privileges on Windows")
    link = tmp_path / "link.json"
    link.symlink_to(PINGTAN_JSON)
    assert read_limited(link, 10**6) == PINGTAN_JSON.read_bytes()


# ------------------------------------------------------------------ writing
def test_the_writer_replaces_whole_and_keeps_no_temporary(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


@posix_only
def test_the_writer_never_follows_a_symbolic_link(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"precious")
    link = tmp_path / "out.json"
    link.symlink_to(elsewhere)
    with pytest.raises(OSError) as caught:
        write_bytes(link, b"overwrite")
    assert caught.value.strerror == "目标是一个符号链接（快捷方式），为避免改写别处的文件，不写入"
    assert elsewhere.read_bytes() == b"precious" and link.is_symlink()


@posix_only
@pytest.mark.parametrize("command", [
    ["new", "--year", "2021", "--organ", "某镇", "--force"],
    ["import", str(PINGTAN_JSON), "--force"],
    ["aggregate", str(PINGTAN_JSON), "--force"],
    ["export", str(ZUNHUADIAN_JSON), "--force"],
])
def test_commands_refuse_a_symbolic_link_as_output(tmp_path, command):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"precious")
    suffix = ".pdf" if command[0] == "export" else ".json"
    link = tmp_path / f"out{suffix}"
    link.symlink_to(elsewhere)
    res = run_nianbao(*command[:-1], "-o", str(link), command[-1])
    assert res.returncode == 2
    assert res.stderr == (f"nianbao：{link} 是一个符号链接（快捷方式），为避免改写它所指向的别处的文件，"
                          "不写入。请换一个文件名\n")
    assert elsewhere.read_bytes() == b"precious"


@pytest.mark.parametrize("command, suffix", [
    (["new", "--year", "2021", "--organ", "某镇"], ".json"),
    (["import", str(PINGTAN_JSON)], ".json"),
    (["aggregate", str(PINGTAN_JSON)], ".json"),
    (["aggregate", str(PINGTAN_JSON)], ".xlsx"),
    (["export", str(ZUNHUADIAN_JSON)], ".pdf"),
    (["export", str(ZUNHUADIAN_JSON)], ".docx"),
])
def test_every_command_overwrites_only_with_force(tmp_path, command, suffix):
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"keep me")
    res = run_nianbao(*command, "-o", str(out))
    assert res.returncode == 2
    assert res.stderr == f"nianbao：{out} 已存在，为避免覆盖，请换一个文件名（或加 --force）\n"
    assert out.read_bytes() == b"keep me"
    res = run_nianbao(*command, "-o", str(out), "--force")
    assert res.returncode in (0, 1), res.stderr
    assert out.read_bytes() != b"keep me"


def test_drafts_get_overwrites_only_with_force(tmp_path):
    data = tmp_path / "data"
    draft = run_nianbao("drafts", "--data-dir", str(data), "add", str(PINGTAN_JSON)).stdout.strip()
    out = tmp_path / "out.json"
    out.write_bytes(b"keep me")
    res = run_nianbao("drafts", "--data-dir", str(data), "get", draft, "-o", str(out))
    assert res.returncode == 2 and out.read_bytes() == b"keep me"
    res = run_nianbao("drafts", "--data-dir", str(data), "get", draft, "-o", str(out), "--force")
    assert res.returncode == 0 and exchange.read_file(out).organ == "平潭综合实验区"


def test_check_output_refuses_a_folder(tmp_path):
    with pytest.raises(OSError) as caught:
        check_output(tmp_path, overwrite=True)
    assert caught.value.strerror == f"{tmp_path} 是一个文件夹，请给出文件名"


def test_import_never_writes_a_file_validate_refuses(tmp_path):
    """A published page with megabytes of text: the JSON would exceed what readers take."""
    page = tmp_path / "big.txt"
    base = (ZUNHUADIAN_JSON.with_suffix(".txt")).read_text(encoding="utf-8")
    page.write_text(base.replace("一、总体情况", "一、总体情况\n" + "字" * 3_000_000, 1), encoding="utf-8")
    out = tmp_path / "out.json"
    res = run_nianbao("import", str(page), "-o", str(out))
    assert res.returncode == 2
    assert res.stderr == (f"nianbao：{out}：年报数据有 8.6 MB，超过年报数据文件的上限 5 MB"
                          "（正文是否过长？），没有写入\n")
    assert not out.exists()


# ------------------------------------------------------------------ a full disk
def test_a_full_disk_leaves_the_earlier_json_whole_and_no_empty_file(tmp_path):
    with tiny_disk(tmp_path / "disk", "256k") as disk:
        earlier = disk / "earlier.json"
        earlier.write_bytes(ZUNHUADIAN_JSON.read_bytes())
        _fill(disk)
        res = run_nianbao("import", str(PINGTAN_JSON), "-o", str(earlier), "--force")
        assert res.returncode == 2
        assert res.stderr == f"nianbao：无法写入 {earlier}：磁盘已满\n"
        assert exchange.read_file(earlier).organ == exchange.read_file(ZUNHUADIAN_JSON).organ
        new = disk / "new.json"
        res = run_nianbao("new", "--year", "2021", "--organ", "某镇", "-o", str(new))
        assert res.returncode == 2 and res.stderr == f"nianbao：无法写入 {new}：磁盘已满\n"
        assert sorted(p.name for p in disk.iterdir()) == ["earlier.json", "filler.bin"]


@pytest.mark.parametrize("code, reason", [
    (errno.ENOSPC, "磁盘已满"), (errno.EROFS, "磁盘是只读的"), (errno.EACCES, "没有读写权限"),
    (errno.ENOENT, "找不到文件或文件夹"), (errno.ENAMETOOLONG, "文件名太长"),
    (12345, "系统错误（错误码 12345）"),
])
def test_system_reasons_are_said_in_chinese(code, reason):
    assert os_reason(OSError(code, "No space left on device")) == reason


def test_written_json_is_byte_stable(tmp_path):
    out = tmp_path / "a.json"
    exchange.write_file(exchange.read_file(PINGTAN_JSON), out)
    assert json.loads(out.read_bytes()) == json.loads(PINGTAN_JSON.read_bytes())
