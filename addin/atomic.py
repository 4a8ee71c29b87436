"""Write outputs atomically: a temporary file beside the target, then one rename.

A crash, a full disk or a report left open in Excel never leaves half a file
and never destroys the previous one.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from addin.errors import OutputError, explain_os_error

__all__ = ["atomic_path", "atomic_write"]


@contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one step."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".~tmp-", suffix=suffix or target.suffix, dir=target.parent)
        os.close(fd)
        # mkstemp makes the file owner-only; an output should get the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
    except OSError as exc:
        raise OutputError(target, explain_os_error(exc)) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(target, explain_os_error(exc)) from exc
    finally:
        if tmp.exists():
            tmp.unlink(missing_ok=True)


def atomic_write(target: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)
