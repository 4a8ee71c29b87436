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


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _key(a) == _key(b)


def check_outputs(inputs: Iterable[Named], outputs: Iterable[Named]) -> None:
    """Raise OutputConflict when an output is an input or another output; ``None`` paths are ignored."""
    sources = [(label, Path(p)) for label, p in inputs if p]
    targets = [(label, Path(p)) for label, p in outputs if p]
    for n, (label, path) in enumerate(targets):
        for source_label, source in sources:
            if _same(path, source):
                raise OutputConflict(label, path, source_label, source)
        for other_label, other in targets[:n]:
            if _same(path, other):
                raise OutputConflict(label, path, other_label, other)
