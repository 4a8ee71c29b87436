"""Backups of the files a run replaces (the report, the history database): one naming, one rotation.

A backup sits beside its file with the time it was taken in its name,
``集約.20261122-153000.bak.xlsx`` beside ``集約.xlsx`` and ``reform.20261122-153000.bak.db``
beside ``reform.db``, so a clerk finds it by eye and sorts it by name. After each new
backup only the newest :data:`KEEP` of that file are kept; older ones are removed, so a
folder consolidated every week does not fill the disk.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Callable

from addin.atomic import atomic_write

__all__ = ["KEEP", "backup_name", "backups_of", "make_backup", "rotate"]

KEEP = 10  # backups kept per file
log = logging.getLogger(__name__)


def backup_name(path: Path, when: datetime, n: int = 1) -> Path:
    """``集約.20261122-153000.bak.xlsx`` (``-2``, ``-3``… after the time for a second backup in one second)."""
    extra = f"-{n}" if n > 1 else ""
    return path.with_name(f"{path.stem}.{when:%Y%m%d-%H%M%S}{extra}.bak{path.suffix}")


def _pattern(path: Path) -> re.Pattern:
    return re.compile(rf"{re.escape(path.stem)}\.(\d{{8}}-\d{{6}})(?:-(\d+))?\.bak{re.escape(path.suffix)}")


def backups_of(path: str | os.PathLike) -> list[Path]:
    """The backups of ``path`` beside it, oldest first."""
    path = Path(path)
    pattern = _pattern(path)
    found = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    for name in names:
        match = pattern.fullmatch(name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), path.parent / name))
    return [p for _key, p in sorted(found)]


def rotate(path: str | os.PathLike, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` backups of ``path``; returns the ones removed."""
    old = backups_of(path)[:-keep] if keep > 0 else backups_of(path)
    removed = []
    for backup in old:
        try:
            backup.unlink()
            removed.append(backup)
        except OSError:  # a backup open elsewhere stays until the next rotation
            log.warning("backup not removed: %s", backup, exc_info=True)
    return removed


def make_backup(path: str | os.PathLike, copy: Callable[[Path, Path], object] = shutil.copy2, *,
                keep: int | None = None, when: datetime | None = None) -> Path:
    """Copy ``path`` to a new timestamped backup beside it (``copy(source, target)``), then rotate.

    The copy is written atomically: a backup that exists is a whole one.
    """
    path = Path(path)
    when = when or datetime.now()
    n = 1
    target = backup_name(path, when)
    while target.exists():
        n += 1
        target = backup_name(path, when, n)
    atomic_write(target, lambda tmp: copy(path, tmp))
    rotate(path, KEEP if keep is None else keep)
    return target
