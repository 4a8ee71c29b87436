"""Last year's record for this year's form: what the history holds of the previous plan year.

Matched by (項目ID, department). A department that took over an item sees the previous
department's text marked 【前担当：○○課】; an item that was not in last year's report is
（新規項目）. The final grade and the comments (事務局コメント, 委員会意見) belong to the item.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from addin.consolidation.history import History

__all__ = ["NEW_ITEM", "PreviousRow", "CarryOver", "load_carryover"]

NEW_ITEM = "（新規項目）"


@dataclass(frozen=True)
class PreviousRow:
    """Last year's record shown beside one row of 入力."""

    status: str | None = None
    grade: str | None = None
    comment: str | None = None
    next_steps: str | None = None
    effect: float | None = None


@dataclass
class CarryOver:
    """The previous plan year's record, ready to be looked up by (項目ID, department)."""

    year: int
    entries: dict[tuple[str, str], dict] = field(default_factory=dict)  # (項目ID, 課) -> stored entry
    grades: dict[str, dict] = field(default_factory=dict)  # 項目ID -> stage grades and comments
    kpi_actuals: dict[tuple[str, str], dict[int, float | None]] = field(default_factory=dict)  # earlier years only

    def known(self, item_id: str) -> bool:
        """Whether the item was in last year's report (its grades row exists or someone reported it)."""
        return item_id in self.grades or any(key[0] == item_id for key in self.entries)

    def row(self, item_id: str, department: str, in_charge: tuple[str, ...] = ()) -> PreviousRow:
        """Last year's record for this department's row.

        Without a record of its own, the department sees the text of departments that reported the
        item last year and are no longer in charge of it (``in_charge``: this year's departments),
        marked 【前担当：○○課】.
        """
        grades = self.grades.get(item_id, {})
        comment = _comment(grades)
        own = self.entries.get((item_id, department))
        if own is not None:
            return PreviousRow(own.get("status"), grades.get("final"), comment, own.get("next_steps"),
                               own.get("effect"))
        if not self.known(item_id):
            return PreviousRow(NEW_ITEM, None, None, None, None)
        others = [(dept, e) for (iid, dept), e in self.entries.items() if iid == item_id and dept not in in_charge]

        def marked(key: str) -> str | None:
            texts = [f"【前担当：{dept}】{e[key]}" for dept, e in others if e.get(key)]
            return "\n".join(texts) or None

        effects = [e["effect"] for _dept, e in others if e.get("effect") is not None]
        return PreviousRow(marked("status"), grades.get("final"), comment, marked("next_steps"),
                           sum(effects) if effects else None)

    def has_comment(self, item_id: str) -> bool:
        """Last year had a 事務局コメント or 委員会意見 on the item: the form asks how it was answered."""
        return bool(_comment(self.grades.get(item_id, {})))

    def kpi_years(self) -> list[int]:
        """Earlier plan years with at least one KPI actual, oldest first."""
        return sorted({y for history in self.kpi_actuals.values() for y, v in history.items() if v is not None})


def _comment(grades: dict) -> str | None:
    parts = []
    if grades.get("secretariat_comment"):
        parts.append(f"【事務局】{grades['secretariat_comment']}")
    if grades.get("committee_comment"):
        parts.append(f"【委員会】{grades['committee_comment']}")
    return "\n".join(parts) or None


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
