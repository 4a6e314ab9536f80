"""One writer per store: an OS lock held while the store is open.

The operating system drops the lock when the process ends in any way (closed, crashed,
killed, power cut), so a stale lock can never keep the clerk out and no pid guessing is
needed. On POSIX the lock (``flock``) is taken on the data FOLDER itself, not on a file in
it: a lock on ``nianbao.lock`` followed that file's inode, so deleting the file while the
program ran let a second copy lock a new file and write too (150 acknowledged saves were
lost that way). A folder cannot be deleted while it holds the drafts. ``flock`` is per
open file, so a second store in the same process is refused too. On Windows an open file
cannot be deleted, so ``msvcrt.locking`` on one byte of ``nianbao.lock`` far beyond the
text is enough.

``nianbao.lock`` holds a description of the holder (pid, host, since) for the message of a
second copy. It is written by the program's one writer, which never follows a symbolic
link: a ``nianbao.lock`` that is a link is removed (its target is never truncated).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
from pathlib import Path

from app.files import write_bytes

_LOCK_OFFSET = 1 << 20

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _open_target(lock_file: Path) -> int:
        if lock_file.is_symlink():
            lock_file.unlink()
        return os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _open_target(lock_file: Path) -> int:
        return os.open(lock_file.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _host_name() -> str:
    """The computer's name, as ``socket.gethostname()`` gives it; ``os.uname()`` where there
    is one (importing ``socket`` costs the window's start ~3 ms)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # pragma: no cover - Windows
    return socket.gethostname()


class StoreLock:
    """The writer lock of one data folder; ``acquire()`` never waits."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other copy holds it; True when this copy may write.

        Raises ``OSError`` when the folder cannot be written (the store then opens
        read-only and says why)."""
        fd = _open_target(self.path)
        if not _try_lock(fd):
            os.close(fd)
            return False
        try:
            self._describe_holder(fd)
        except OSError:
            _unlock(fd)
            os.close(fd)
            raise
        self._fd = fd
        return True

    def _describe_holder(self, fd: int) -> None:
        text = (f"pid={os.getpid()}\nhost={_host_name()}\n"
                f"since={dt.datetime.now().isoformat(timespec='seconds')}\n").encode()
        if os.name == "nt":  # pragma: no cover - the locked file itself, open already
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, text)
            return
        if self.path.is_symlink():
            self.path.unlink()
        try:
            write_bytes(self.path, text, durable=False)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            # a full disk: the description is only for a second copy's message, and
            # the store stays writable (its saves fail and retry until space is freed)

    def holder(self) -> dict[str, str]:
        """What the holding copy wrote about itself (pid, host, since); empty if unknown."""
        if self.path.is_symlink():
            return {}
        try:
            text = self.path.read_bytes()[:1024].decode("utf-8", "replace")
        except OSError:
            return {}
        pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
        return {k.strip(): v.strip() for k, v in pairs}

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)
