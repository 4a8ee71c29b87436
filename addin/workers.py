"""Worker processes that end with the command (SPEC, "Safety"): none outlives a killed parent.

A process pool's workers wait on a pipe whose write end every worker inherited, so
when the parent is killed (kill -9, a crash, Excel ending the Python process) they
wait forever. :func:`pool` builds a ProcessPoolExecutor whose workers, before the
caller's own initializer runs, arrange to die with their parent:

- on Linux the kernel sends SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
- everywhere, and on Linux as a second line, a daemon thread ends the worker when
  its parent is gone: on Windows it waits on the command's process handle; elsewhere
  it polls every ``WATCH_SECONDS`` (its parent pid changed, or the command's process
  no longer exists).

The check right after setting up closes the race of a parent that died before.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Callable

__all__ = ["pool", "die_with_parent", "WATCH_SECONDS"]

WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _set_pdeathsig() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to load (a static build): the watchdog still runs
        pass


def _gone(command_pid: int) -> bool:
    """True when the command's process no longer exists (POSIX only: os.kill(pid, 0) probes)."""
    if os.name != "posix":
        return False
    try:
        os.kill(command_pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists but is not ours to signal
        return False
    return False


def _wait_windows(pid: int) -> bool:
    """Block until process ``pid`` ends (Windows); False when it cannot be watched that way."""
    try:
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
    except (OSError, AttributeError):
        return False
    if not handle:
        return False
    kernel32.WaitForSingleObject(handle, 0xFFFFFFFF)  # INFINITE
    return True


def _watch(parent_pid: int, command_pid: int) -> None:
    # Windows keeps an orphan's parent pid and has no kill(pid, 0): wait on the command's process handle.
    if os.name == "nt" and _wait_windows(command_pid):
        os._exit(1)  # noqa: SLF001 - no cleanup: the parent that wanted the result is gone
    while True:
        if os.getppid() != parent_pid or _gone(command_pid):
            os._exit(1)  # noqa: SLF001 - no cleanup: the parent that wanted the result is gone
        time.sleep(WATCH_SECONDS)


def die_with_parent(command_pid: int) -> None:
    """In a worker: end this process when its parent (or the command's process ``command_pid``) ends."""
    parent_pid = os.getppid()  # the pool's process, or a fork server that the command started
    _set_pdeathsig()
    if _gone(command_pid) or (parent_pid == 1 and command_pid != 1):
        os._exit(1)  # noqa: SLF001 - the command died before the signal was armed
    threading.Thread(target=_watch, args=(parent_pid, command_pid), name="parent-watchdog", daemon=True).start()


def _initializer(command_pid: int, initializer: Callable | None, initargs: tuple) -> None:
    die_with_parent(command_pid)
    if initializer is not None:
        initializer(*initargs)


def pool(max_workers: int, initializer: Callable | None = None, initargs: tuple = ()):
    """A ProcessPoolExecutor whose workers end with the command; ``initializer(*initargs)`` runs in each."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=max_workers, initializer=_initializer,
                               initargs=(os.getpid(), initializer, initargs))
