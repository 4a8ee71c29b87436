"""Last year's record for this year's form, loaded from the history (its shape: :mod:`addin.forms.previous`)."""

from __future__ import annotations

import os
from pathlib import Path

from addin.consolidation.history import History
from addin.forms.previous import NEW_ITEM, CarryOver, PreviousRow

__all__ = ["NEW_ITEM", "PreviousRow", "CarryOver", "load_carryover"]


def load_carryover(db: str | os.PathLike, plan_name: str, year: int, plan_years: list[int]) -> CarryOver | None:
    """The previous plan year's record from the history at ``db``; None when it holds no such year."""
    if not Path(db).is_file():
        return None
    previous = year - 1
    if previous not in plan_years:
        return None
    with History(db) as history:
        if previous not in history.years(plan_name):
            return None
        entries = history.entries(plan_name, previous)
        grades = history.stage_grades(plan_name, previous)
        actuals = {key: {y: v for y, v in years.items() if y < year and y in plan_years}
                   for key, years in history.kpi_actuals(plan_name).items()}
    return CarryOver(previous, entries, grades, {k: v for k, v in actuals.items() if v})
