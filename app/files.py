"""The one way the program reads files from elsewhere and writes any file.

Reading: ``read_limited`` opens only regular files (a pipe named ``x.txt`` would block
forever, a link to ``/dev/zero`` never ends) and counts the bytes while reading, because a
size from ``stat`` can lie (``/proc`` files say 0, a file may grow). Its Chinese messages
never name the file: the caller (CLI, dialog, aggregate list) names it, once.

Writing: ``write_beside`` fills a temporary file beside the destination, fsyncs it, moves
it into place with ``os.replace`` and fsyncs the folder. At every moment the destination
is either the old complete file or the new complete file: a full disk, a killed program or
a file held open by a viewer on Windows never leaves half a file, never a 0-byte file, and
never destroys an earlier good one. The destination is never followed if it is a symbolic
link (that would overwrite a file elsewhere): such a target is refused. The temporary file
is created like any new file, so it gets the permissions the user's umask gives
(``tempfile`` would make it 0600: a PDF copied to a shared folder would be unreadable to
colleagues); a file that is replaced keeps its permissions. Every ``OSError`` leaving this
module carries a Chinese ``strerror`` (``os_reason``), so callers can show it as it is.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

_IS_WINDOWS = os.name == "nt"
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
TMP_PREFIX = ".nianbao-"
CHUNK = 1024 * 1024

_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "磁盘是只读的",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有读写权限",
    errno.EIO: "磁盘读写出错",
    errno.ENOENT: "找不到文件或文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "是一个符号链接（快捷方式），为安全起见不跟随",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "打开的文件太多",
    errno.ENOMEM: "内存不足",
    errno.EFBIG: "文件太大",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.EINVAL: "文件名或参数不合法",
}
_WINDOWS_REASONS = {
    32: "文件正被其他程序占用（例如在阅读器中打开着）",   # ERROR_SHARING_VIOLATION
    33: "文件的一部分被其他程序锁定",                    # ERROR_LOCK_VIOLATION
    39: "磁盘已满",                                      # ERROR_HANDLE_DISK_FULL
    112: "磁盘已满",                                     # ERROR_DISK_FULL
    5: "没有读写权限（或文件正被其他程序使用）",           # ERROR_ACCESS_DENIED
    123: "文件名、目录名或卷标语法不正确",                # ERROR_INVALID_NAME
}


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for an ``OSError``, never the system's English text."""
    if getattr(exc, "chinese", False):
        return str(exc.strerror)
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误"


def chinese(exc: OSError) -> OSError:
    """The same error with a Chinese ``strerror`` (``OSError(errno, …)`` picks the same
    subclass from the errno, so ``except PermissionError`` still works)."""
    if getattr(exc, "chinese", False):
        return exc
    return refusal(exc.errno or 0, os_reason(exc))


def refusal(code: int, reason: str) -> OSError:
    """An ``OSError`` (subclass chosen by ``code``) whose ``strerror`` is ``reason``."""
    exc = OSError(code, reason)
    exc.chinese = True  # type: ignore[attr-defined]
    return exc


# ------------------------------------------------------------------ reading
class FileReadError(OSError):
    """A file that cannot be read at all; the message is Chinese and does not name it."""


def read_limited(path: Path, max_bytes: int, what: str = "年报文件") -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Refuses folders, devices, pipes and sockets before reading anything (opened without
    blocking, so a pipe with no writer does not hang), and a file larger than
    ``max_bytes`` as soon as the size is known or the limit is passed while reading."""
    too_big = f"，不是{what}（上限 {size_text(max_bytes)}）"
    try:
        if Path(path).is_dir():
            raise FileReadError("这是一个文件夹，不是文件")
        fd = os.open(path, os.O_RDONLY | _BINARY | _NONBLOCK)
    except FileReadError:
        raise
    except FileNotFoundError:
        raise FileReadError("找不到文件") from None
    except OSError as exc:
        raise FileReadError(f"无法读取文件：{os_reason(exc)}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise FileReadError("这是一个文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise FileReadError("不是普通文件（是设备、管道或其他特殊文件），不能读取")
        if st.st_size > max_bytes:
            raise FileReadError(f"文件过大（{st.st_size / 1024 / 1024:.1f} MB）{too_big}")
        _set_blocking(fd)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(CHUNK, max_bytes + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FileReadError(f"文件过大（超过 {size_text(max_bytes)}）{too_big}")
    except FileReadError:
        raise
    except OSError as exc:
        raise FileReadError(f"无法读取文件：{os_reason(exc)}") from None
    finally:
        os.close(fd)


def size_text(n: int) -> str:
    """A size as a user reads it: ``20 MB``, ``512 KB``, ``100 字节``."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            return f"{round(n / size, 1):g} {unit}"
    return f"{n} 字节"


def _set_blocking(fd: int) -> None:
    if _NONBLOCK:
        os.set_blocking(fd, True)


# ------------------------------------------------------------------ writing
def check_output(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Refuse a destination the program must not write: an existing file without
    ``overwrite`` (the CLI's ``--force``; the window has asked already), a folder, or a
    symbolic link. Returns the path; raises ``OSError`` whose ``strerror`` is the whole
    Chinese message, naming the file."""
    target = Path(path)
    if target.is_symlink():
        raise refusal(errno.ELOOP, f"{target} 是一个符号链接（快捷方式），为避免改写它所指向的"
                                   "别处的文件，不写入。请换一个文件名")
    if target.is_dir():
        raise refusal(errno.EISDIR, f"{target} 是一个文件夹，请给出文件名")
    if target.exists() and not overwrite:
        raise refusal(errno.EEXIST, f"{target} 已存在，为避免覆盖，请换一个文件名（或加 --force）")
    return target


def write_bytes(target: str | os.PathLike[str], data: bytes, *, durable: bool = True,
                before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``target`` with ``data`` (see the module docstring and ``write_beside``)."""
    target = Path(target)
    folder = _folder_of(target)
    tmp, fd = _open_new(folder, ".tmp")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        _commit(tmp, target, durable, before_replace)
    except BaseException as exc:
        _unlink_quietly(tmp)
        if isinstance(exc, OSError):
            raise chinese(exc) from None
        raise


def write_beside(target: Path, write: Callable[[Path], object], suffix: str = ".tmp", *,
                 durable: bool = True, before_replace: Callable[[], None] | None = None) -> None:
    """Let ``write`` fill a new temporary file beside ``target``, then move it to ``target``.

    ``durable=False`` skips the two fsyncs (a killed program still never leaves a partial
    file; a power cut may leave an empty one): only for copies of data kept durably
    elsewhere. ``before_replace`` runs just before the move (the store keeps a backup of
    the old file then). Raises ``OSError`` with a Chinese ``strerror``; on any failure the
    temporary file is removed and ``target`` is left as it was."""
    target = Path(target)
    folder = _folder_of(target)
    tmp, fd = _open_new(folder, suffix)
    os.close(fd)
    try:
        write(tmp)
        if durable:
            _fsync_file(tmp)
        _commit(tmp, target, durable, before_replace)
    except BaseException as exc:
        _unlink_quietly(tmp)
        if isinstance(exc, OSError):
            raise chinese(exc) from None
        raise


def _folder_of(target: Path) -> Path:
    if target.is_symlink():
        raise refusal(errno.ELOOP, "目标是一个符号链接（快捷方式），为避免改写别处的文件，不写入")
    return target.parent if str(target.parent) else Path(".")


def _commit(tmp: Path, target: Path, durable: bool,
            before_replace: Callable[[], None] | None) -> None:
    _keep_mode(target, tmp)
    if before_replace is not None:
        before_replace()
    replace_file(tmp, target)
    if durable:
        fsync_dir(tmp.parent)


def _open_new(folder: Path, suffix: str) -> tuple[Path, int]:
    """A new empty file with a fresh name, open for writing, created with mode 0666 less
    the umask (the kernel applies the umask; reading it with ``os.umask`` would change it
    for other threads)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW
    for _ in range(100):
        path = folder / f"{TMP_PREFIX}{os.urandom(6).hex()}{suffix}"  # not secrets: +5 ms at start
        try:
            return path, os.open(path, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise chinese(exc) from None
    raise refusal(errno.EEXIST, "找不到可用的临时文件名")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | _BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable. Windows cannot open folders; NTFS journals it."""
    if _IS_WINDOWS:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_mode(target: Path, tmp: Path) -> None:
    """A file that is replaced keeps its permissions."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        return
    os.chmod(tmp, mode)


def replace_file(src: Path, dst: Path) -> None:
    """``os.replace``, retried briefly on Windows where a reader may hold ``dst`` open."""
    for attempt in range(10):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if not _IS_WINDOWS or attempt == 9:
                raise
            time.sleep(0.02)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def remove_temp_files(folder: Path, prefixes: tuple[str, ...] = (TMP_PREFIX,),
                      suffix: str = ".tmp") -> None:
    """Delete temporary files a killed writer left behind (only ours)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if (entry.name.startswith(prefixes) and entry.name.endswith(suffix)
                and entry.is_file(follow_symlinks=False)):
            _unlink_quietly(Path(entry.path))
