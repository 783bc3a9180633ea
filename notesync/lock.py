"""One lock per vault, so two notesync processes never write its pages at once.

An operating-system lock (flock, or msvcrt on Windows) on a file beside the vault's
store, not a file's existence: the kernel releases it when its process dies, and nothing
a sync service copies can hold it on another device. The holder writes who it is in it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .errors import NotesyncError

LOCK_FILE = "lock"


class LockedError(NotesyncError):
    """Another process holds the vault's lock and did not let go in time."""


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


class VaultLock:
    """The lock of one vault. `acquire` is re-entrant within a process: the watcher holds
    it for each pass, and a pass calls code that asks for it too."""

    def __init__(self, folder: Path, what: str) -> None:
        self.path = folder / LOCK_FILE
        self.what = what  # how this process describes itself to one kept waiting
        self._fd: int | None = None
        self._depth = 0
        self._mutex = threading.Lock()

    def acquire(self, wait: float | None, stop: Callable[[], bool] = lambda: False) -> None:
        """Take the lock, waiting up to `wait` seconds (None: until `stop()` is true, which
        raises LockedError too). Raises LockedError naming the holder."""
        with self._mutex:
            if self._fd is not None:
                self._depth += 1
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            deadline = None if wait is None else time.monotonic() + wait
            delay, holder = 0.005, ""
            while not _try_lock(fd):
                if stop() or (deadline is not None and time.monotonic() >= deadline):
                    with contextlib.suppress(OSError):  # what the holder says of itself
                        holder = self.path.read_text("utf-8", errors="replace").strip()
                    os.close(fd)
                    raise LockedError(
                        f"another notesync ({holder or 'another process'}) is working on this vault; "
                        "try again when it has finished"
                    )
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
            stamp = datetime.now().strftime("%H:%M:%S")
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, f"pid {os.getpid()}, {self.what}, since {stamp}".encode())
            self._fd, self._depth = fd, 1

    def release(self) -> None:
        with self._mutex:
            self._depth -= 1
            if self._fd is None or self._depth:
                return
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
            os.close(fd)
