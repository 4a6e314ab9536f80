"""One writer per store: an OS lock on ``nianbao.lock`` held while the store is open.

The operating system drops the lock when the process ends in any way (closed, crashed,
killed, power cut), so a stale lock can never keep the clerk out and no pid guessing is
needed. POSIX uses ``flock`` (per open file, so a second store in the same process is
refused too); Windows uses ``msvcrt.locking`` on one byte far beyond the text, so the
holder's description at the start of the file stays readable for the message.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path

_LOCK_OFFSET = 1 << 20

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class StoreLock:
    """The writer lock of one data folder; ``acquire()`` never waits."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other copy holds it; True when this copy may write."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        self._describe_holder(fd)
        return True

    def _describe_holder(self, fd: int) -> None:
        text = (f"pid={os.getpid()}\nhost={socket.gethostname()}\n"
                f"since={dt.datetime.now().isoformat(timespec='seconds')}\n")
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, text.encode("utf-8"))

    def holder(self) -> dict[str, str]:
        """What the holding copy wrote about itself (pid, host, since); empty if unknown."""
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
