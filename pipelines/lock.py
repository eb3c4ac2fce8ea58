"""One ingest at a time per warehouse: `<warehouse>.lock` beside it, holding the holder's pid.

The lock is an exclusive `flock` on that file, so the kernel releases it on any exit of the
holder, SIGKILL included; the pid inside is for the message ("held by pid N") and for
operators. A lock file left by a dead process is not locked by anyone: the next run takes it
over (and says so). A clean exit removes the file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockHeld(RuntimeError):
    """Another live process is ingesting into the same warehouse."""


def lock_path(live: Path) -> Path:
    return live.with_name(live.name + ".lock")


class IngestLock:
    """Context manager: `with IngestLock(live) as lock: ...`; `lock.took_over` names the dead
    pid whose lock file was found, if any."""

    def __init__(self, live: Path):
        self.path = lock_path(live)
        self.fd: int | None = None
        self.took_over: int | None = None

    def acquire(self) -> IngestLock:
        for _ in range(20):  # only repeats when another run removed the file meanwhile
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                who = f"pid {holder}" if holder else "another process"
                raise LockHeld(f"another ingest ({who}) is writing this warehouse "
                               f"(lock {self.path}); nothing done, try again when it has "
                               "finished") from None
            except OSError:
                os.close(fd)
                raise
            # The file we locked must still be the one at the path: a finishing holder
            # unlinks it, and a lock on an unlinked file would not exclude anyone.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            previous = _read_pid(fd)
            if previous and previous != os.getpid():
                self.took_over = previous
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            self.fd = fd
            return self
        raise LockHeld(f"could not take the lock {self.path}: it keeps being replaced")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # unlink first, then unlock: see acquire()
        except OSError:
            pass
        os.close(self.fd)  # closing drops the flock
        self.fd = None

    def __enter__(self) -> IngestLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
