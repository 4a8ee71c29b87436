"""The job of ``reform consolidate`` and of the 集約 button: validate, summarize, write the report, store the history."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Iterable

from addin.backup import make_backup
from addin.consolidation.history import HISTORY_FILE, History
from addin.consolidation.summary import Consolidation, summarize
from addin.errors import OutputError, ReformError
from addin.lock import LockTimeout, output_lock
from addin.outputs import PLAN, SUBMISSION, check_outputs
from addin.plan.model import Plan
from addin.plan.writer import plan_workbook_bytes
from addin.reports.previous import (
    PreviousReport,
    check_previous,
    orphan_issues,
    orphan_overrides,
    orphan_rows,
    read_previous_report,
    report_issues,
)
from addin.reports.workbook import backup_report, write_report
from addin.validation.codes import render
from addin.validation.submission import ValidationRun
from addin.validation.validate import validate_inputs

__all__ = ["ConsolidationResult", "NothingToConsolidate", "consolidate"]


class NothingToConsolidate(ReformError):
    """No valid submission: nothing is written, so the history never loses a year by accident."""

    def __init__(self, files: int):
        self.files = files
        super().__init__(render("required", "no_valid_submission" if files else "no_submission", {"files": files}))


@dataclass
class ConsolidationResult:
    """What ``reform consolidate`` did: the validation run, the summary and the files written."""

    run: ValidationRun
    summary: Consolidation
    report_path: Path
    db_path: Path
    backup_path: Path | None = None
    db_backup_path: Path | None = None
    orphans: dict = field(default_factory=dict)  # 項目ID no longer in the plan -> what was typed for it (kept)

    def to_json(self) -> dict:
        return self.summary.to_json()


def _plan_bytes(plan: Plan) -> bytes:
    """The plan workbook to keep for the year: the file it was read from, as the secretariat keeps it (and
    seconds faster than writing a 12,000-item plan again), or one written from the model for a plan built in memory."""
    source = Path(plan.source) if plan.source else None
    if source is not None and source.is_file():
        try:
            return source.read_bytes()
        except OSError:
            pass  # gone or locked since it was read: the model is the same plan
    return plan_workbook_bytes(plan)


def consolidate(plan: Plan, inputs: Iterable[str | os.PathLike], year: int, out: str | os.PathLike,
                db_path: str | os.PathLike | None = None, allow_empty: bool = False,
                lock_timeout: float | None = None) -> ConsolidationResult:
    """Validate ``inputs``, consolidate the valid submissions into the report ``out`` and store the history.

    The previous report at ``out`` (if any) gives what the secretariat and the committee
    typed (事務局評価・コメント, 委員会評価・意見), and cells edited by hand are reported
    before they are replaced; it is kept as a timestamped backup. The history is stored only after the report
    was written, so a report left open in Excel changes nothing.

    With no valid submission nothing is written (NothingToConsolidate) unless ``allow_empty``;
    before a year's rows are replaced the database is backed up. Two runs on the same output
    wait for each other (``lock_timeout`` seconds at most, :mod:`addin.lock`).
    """
    out = Path(out)
    db = Path(db_path) if db_path else out.parent / HISTORY_FILE
    plan = plan.in_year(year)  # the items reported this year; the report shows the others from plan.whole
    run = validate_inputs(plan, inputs, year)
    check_outputs([(PLAN, plan.source), *((SUBMISSION, f.path) for f in run.files)], [("--out", out), ("--db", db)])
    if not run.valid_submissions() and not allow_empty:
        raise NothingToConsolidate(len(run.files))
    try:
        with output_lock(out, lock_timeout):
            return _consolidate_locked(plan, run, year, out, db)
    except LockTimeout as exc:
        raise OutputError(out, render("unreadable", "output_busy", {"owner": exc.owner or "別の処理",
                                                                     "waited": exc.waited})) from exc


def _consolidate_locked(plan: Plan, run: ValidationRun, year: int, out: Path, db: Path) -> ConsolidationResult:
    """Read the previous report, write the new one and store the history (the output's lock held)."""
    rejected = [f.path for f in run.files if f.status != "ok"]
    sent_back = [f.department for f in run.files if f.status != "ok" and f.department]
    scope = plan.settings.plan_name
    previous = read_previous_report(out) if out.exists() else PreviousReport()
    if out.exists():
        check_previous(previous, scope, year, out)
    with History(db) as history:
        orphans = orphan_overrides(previous, [i.item_id for i in plan.items], history.stage_grades(scope, year))
        previous_year = history.previous_year(scope, year)
        summary = summarize(
            plan, year, run.valid_submissions(), rejected,
            kpi_history=history.kpi_actuals(scope),
            previous_status=history.statuses(scope, previous_year) if previous_year else {},
            previous_year=previous_year, overrides=previous.overrides,
            grade_history=history.final_grades(scope), rejected_departments=sent_back,
            effect_history=history.effect_parts(scope),
        )
        summary.report_issues = report_issues(previous, summary, out) + orphan_issues(orphans, out)
        keep = plan.settings.backup_keep  # 設定「バックアップの保存数」
        backup = backup_report(out, keep=keep) if out.exists() else None
        write_report(summary, out, run=run)
        db_backup = history.backup(partial(make_backup, keep=keep)) if history.has_year(scope, year) else None
        history.store(scope, plan.fingerprint, year, summary.submissions)
        history.store_grades(scope, year, [
            (r.item.item_id, r.self_grade, r.override.grade, r.override.committee_grade, r.grade,
             r.override.comment, r.override.committee_comment) for r in summary.items] + orphan_rows(orphans))
        history.store_plan(scope, year, plan.whole.fingerprint, _plan_bytes(plan.whole))
    return ConsolidationResult(run, summary, out, db, backup, db_backup, orphans)
