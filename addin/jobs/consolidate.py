"""The job of ``reform consolidate`` and of the 集約 button: validate, summarize, write the report, store the history."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from addin.consolidation.history import History
from addin.consolidation.summary import Consolidation, summarize
from addin.plan.model import Plan
from addin.reports.workbook import backup_report, read_overrides, write_report
from addin.validation.submission import ValidationRun
from addin.validation.validate import validate_inputs

__all__ = ["ConsolidationResult", "consolidate"]


@dataclass
class ConsolidationResult:
    """What ``reform consolidate`` did: the validation run, the summary and the files written."""

    run: ValidationRun
    summary: Consolidation
    report_path: Path
    db_path: Path
    backup_path: Path | None = None

    def to_json(self) -> dict:
        return self.summary.to_json()


def consolidate(plan: Plan, inputs: Iterable[str | os.PathLike], year: int, out: str | os.PathLike,
                db_path: str | os.PathLike | None = None) -> ConsolidationResult:
    """Validate ``inputs``, consolidate the valid submissions into the report ``out`` and store the history.

    The previous report at ``out`` (if any) gives 事務局評価 / 事務局コメント and is
    kept as a timestamped backup. The history is stored only after the report
    was written, so a report left open in Excel changes nothing.
    """
    out = Path(out)
    db = Path(db_path) if db_path else out.parent / "reform.db"
    run = validate_inputs(plan, inputs, year)
    rejected = [f.path for f in run.files if f.status != "ok"]
    overrides = read_overrides(out) if out.exists() else {}
    with History(db) as history:
        scope = plan.settings.plan_name
        previous_year = history.previous_year(scope, year)
        summary = summarize(
            plan, year, run.valid_submissions(), rejected,
            kpi_history=history.kpi_actuals(scope),
            previous_status=history.statuses(scope, previous_year) if previous_year else {},
            previous_year=previous_year, overrides=overrides,
        )
        backup = backup_report(out) if out.exists() else None
        write_report(summary, out, run=run)
        history.store(scope, plan.fingerprint, year, summary.submissions)
    return ConsolidationResult(run, summary, out, db, backup)
