"""The job of ``reform generate`` and of the 様式作成 button: the year's forms, with last year's record when the history has it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from addin.consolidation.carryover import load_carryover
from addin.forms.generate import generate_workbooks
from addin.plan.model import Plan

__all__ = ["GeneratedForms", "generate_forms"]


@dataclass
class GeneratedForms:
    """The forms written, and the year whose record they show (None: no history, first year)."""

    paths: list[Path]
    previous_year: int | None
    db: Path | None


def generate_forms(plan: Plan, year: int, out_dir: str | os.PathLike, db: str | os.PathLike | None = None,
                   workers: int | None = None) -> GeneratedForms:
    """One form per department into ``out_dir``; with the history ``db`` holding the previous plan year, the
    forms show that year's record (取組状況, 評価, comments, 効果額, KPI actuals) beside this year's cells."""
    carry = load_carryover(db, plan.settings.plan_name, year, plan.years) if db else None
    paths = generate_workbooks(plan, year, out_dir, workers=workers, carryover=carry)
    return GeneratedForms(paths, carry.year if carry else None, Path(db) if db else None)
