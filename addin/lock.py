"""One run at a time per output: a lock file beside it, held by the operating system.

Two consolidations into the same report (two clerks, or a button pressed twice) would read
the same previous report and the later would drop what the earlier carried over. Each run
holds ``.<output>.lock`` while it reads the previous report, writes and stores the history
(a hidden name, so the folder a clerk sees holds only the report).

The lock is the operating system's (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows),
not the file's existence: it ends with the process that held it, so a run that crashed or was
killed never blocks the next one; the file left behind is simply reused. The holder's process
id is written in the file to name it while another run waits.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from addin.errors import ReformError

__all__ = ["LockTimeout", "TIMEOUT", "lock_path", "output_lock"]

TIMEOUT = 600.0  # seconds a run waits for another on the same output (a large consolidation takes minutes)
_POLL = 0.2

if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class LockTimeout(ReformError):
    """Another run held the lock longer than the timeout; ``owner`` is its process id when known."""

    def __init__(self, path: Path, owner: str, waited: float):
        self.path, self.owner, self.waited = path, owner, waited
        super().__init__(f"{path}: locked by {owner or '?'}")


def lock_path(output: str | os.PathLike) -> Path:
    """``.集約_R8.xlsx.lock`` beside ``集約_R8.xlsx``: hidden on macOS and Linux, and skipped as an input like every dot file."""
    output = Path(output)
    return output.with_name(f".{output.name}.lock")


def _owner(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


@contextmanager
def output_lock(output: str | os.PathLike, timeout: float | None = None,
                on_wait: Callable[[str], object] | None = None) -> Iterator[Path]:
    """Hold the lock of ``output`` inside the block; wait up to ``timeout`` seconds for another holder.

    ``on_wait(owner)`` is called once when the lock is held by someone else (to say so on screen).
    """
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    limit = TIMEOUT if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    start, told = time.monotonic(), False
    try:
        while not _try_lock(fd):
            waited = time.monotonic() - start
            if waited >= limit:
                raise LockTimeout(path, _owner(path), round(waited))
            if on_wait is not None and not told:
                on_wait(_owner(path))
                told = True
            time.sleep(_POLL)
        try:
            # The process id sits after the locked first byte's offset on Windows too: write from 0, truncate.
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"pid {os.getpid()}".encode("ascii"))
            yield path
        finally:
            os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)
