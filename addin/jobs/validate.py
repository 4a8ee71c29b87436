"""The job of ``reform validate`` and of the 検証 button: validate a batch, then write what was asked for."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from addin.jsonio import write_json
from addin.plan.model import Plan
from addin.outputs import PLAN, SUBMISSION, check_outputs
from addin.reports.reminder import reminder_name, write_reminder_list
from addin.reports.validation import (
    remove_stale_return_lists,
    return_list_paths,
    write_return_lists,
    write_validation_report,
)
from addin.validation.submission import ValidationRun
from addin.validation.validate import validate_inputs

__all__ = ["ValidationResult", "validate_and_report"]


@dataclass
class ValidationResult:
    """What a validation job did: the run and every file it wrote."""

    run: ValidationRun
    json_path: Path | None = None
    report_path: Path | None = None
    return_lists: list[Path] = field(default_factory=list)
    reminder_path: Path | None = None  # 督促_R8.xlsx, beside the send-back lists
    removed_lists: list[Path] = field(default_factory=list)  # old lists of departments that fixed their file

    @property
    def written(self) -> list[Path]:
        return [p for p in (self.json_path, self.report_path, self.reminder_path) if p is not None] + self.return_lists


def _check_outputs(run: ValidationRun, plan: Plan | None, inputs, json_path, report, return_dir) -> None:
    """Refuse (OutputConflict) any output that would replace an input or another output."""
    read = [(PLAN, plan.source if plan is not None else None), *((SUBMISSION, f.path) for f in run.files),
            *((SUBMISSION, p) for p in inputs if p.is_file())]
    written = [("--json", json_path), ("--report", report)]
    if return_dir:
        written += [("差戻しリスト", p) for p in return_list_paths(run, return_dir).values()]
        written.append(("督促リスト", Path(return_dir) / reminder_name(run.year)))
    check_outputs(read, written)


def validate_and_report(plan: Plan, inputs: Iterable[str | os.PathLike], year: int, *,
                        json_path: str | os.PathLike | None = None, report: str | os.PathLike | None = None,
                        return_dir: str | os.PathLike | None = None) -> ValidationResult:
    """Validate ``inputs`` for ``year``; write the JSON, the 検証結果 workbook, and the 差戻し lists and the
    督促 list (in ``return_dir``) asked for."""
    inputs = [Path(p) for p in inputs]
    plan = plan.in_year(year) if plan is not None else None  # 督促 and 差戻し name this year's departments only
    run = validate_inputs(plan, inputs, year)
    _check_outputs(run, plan, inputs, json_path, report, return_dir)  # validating wrote nothing yet
    result = ValidationResult(run)
    if json_path:
        result.json_path = write_json(run.to_json(), json_path)
    if report:
        result.report_path = write_validation_report(run, plan, Path(report))
    if return_dir:
        result.return_lists = write_return_lists(run, plan, Path(return_dir))
        result.removed_lists = remove_stale_return_lists(run, Path(return_dir), result.return_lists,
                                                         [p for p in inputs if p.is_file()])
        if plan is not None:
            result.reminder_path = write_reminder_list(run, plan, Path(return_dir))
    return result
