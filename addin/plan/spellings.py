"""Department names written two ways in one plan (ＤＸ推進課 and DX推進課, 人事行政課（主） and 人事行政課).

They are one department (names are compared after NFKC, trimming and without a role mark), but a plan
that spells one department two ways is a plan problem with both cells: the secretariat sees it and
makes the plan consistent, instead of wondering which spelling the forms will show.
"""

from __future__ import annotations

import unicodedata
from typing import Protocol

from addin.plan import layout as S
from addin.plan.model import department_spellings

__all__ = ["DepartmentSpellings"]


class _Reader(Protocol):
    def problem(self, sheet: str, cell: str | None, message: str) -> None: ...


class DepartmentSpellings:
    """Remembers the first spelling of every department; reports a later, different one once per spelling."""

    def __init__(self, reader: _Reader):
        self.reader = reader
        self.first: dict[str, tuple[str, str]] = {}  # name -> (first spelling, its cell)
        self.reported: set[tuple[str, str]] = set()

    def add(self, text: object, cell: str) -> None:
        for typed, name in department_spellings(text):
            typed = unicodedata.normalize("NFC", typed.strip())  # NFD and NFC look the same: not a second spelling
            first = self.first.setdefault(name, (typed, cell))
            if typed == first[0] or (name, typed) in self.reported:
                continue
            self.reported.add((name, typed))
            self.reader.problem(S.ITEMS_SHEET, cell,
                                f"実施担当の「{typed}」は {first[1]} の「{first[0]}」と同じ課（{name}）と読み取れますが、"
                                f"書き方が違います。同じ課は同じ書き方（例：「{name}」）にそろえてください。")
