"""Output paths checked against the inputs and against each other, before anything is written.

An output that would replace an input (``--out`` given the plan's path, ``--json``
given the report's) or another output of the same run is refused with both paths
named. Paths are compared resolved, by :func:`os.path.samefile` when both exist (a
hard link, a symlink, another spelling), and without regard to letter case, since
Windows and macOS disks take ``Plan.xlsx`` and ``plan.xlsx`` for one file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from addin.errors import OutputConflict

__all__ = ["check_outputs", "PLAN", "SUBMISSION"]

PLAN = "計画ワークブック"
SUBMISSION = "提出ファイル"

Named = tuple[str, "str | os.PathLike | None"]


def _key(path: Path) -> str:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop among the inputs (listed as unreadable): its name as given
        resolved = path
    return os.path.normcase(os.path.abspath(resolved)).casefold()


def _identities(path: Path) -> list[tuple]:
    """What makes two paths one file: the normalized name, and the file itself (device, inode) when it exists.

    Keys instead of pairwise comparisons, so forms for a thousand departments are checked in
    linear time; the inode catches a hard link or another spelling the name does not.
    """
    keys: list[tuple] = [("name", _key(path))]
    try:
        stat = path.stat()
        if stat.st_ino:  # 0 where a file system has no file ids: the name alone decides there
            keys.append(("file", stat.st_dev, stat.st_ino))
    except (OSError, ValueError):  # not there yet, or a name the system cannot look up: the name decides
        pass
    return keys


def check_outputs(inputs: Iterable[Named], outputs: Iterable[Named]) -> None:
    """Raise OutputConflict when an output is an input or another output; ``None`` paths are ignored."""
    sources: dict[tuple, tuple[str, Path]] = {}
    for label, p in inputs:
        if p:
            for key in _identities(Path(p)):
                sources.setdefault(key, (label, Path(p)))
    written: dict[tuple, tuple[str, Path]] = {}
    for label, p in outputs:
        if not p:
            continue
        path = Path(p)
        keys = _identities(path)
        for key in keys:
            if key in sources:
                raise OutputConflict(label, path, *sources[key])
            if key in written:
                raise OutputConflict(label, path, *written[key])
        for key in keys:
            written[key] = (label, path)
