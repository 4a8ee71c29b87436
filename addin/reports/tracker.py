"""提出状況: every plan department with its file, time, state and issue counts; problems first."""

from __future__ import annotations

import os
from datetime import datetime

from addin.consolidation.summary import Consolidation
from addin.reports.common import title_block, write_table
from addin.validation.submission import INVALID, OK, UNREADABLE, FileResult, ValidationRun
from addin.xlsx.styles import BAD_FILL, CENTER, DATETIME_FORMAT, GOOD_FILL, NEUTRAL_FILL
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["TRACKER_SHEET", "TRACKER_HEADERS", "tracker_rows", "add_tracker_sheet",
           "SUBMITTED", "NEEDS_FIX", "UNREADABLE_LABEL", "NOT_SUBMITTED"]

TRACKER_SHEET = "提出状況"
TRACKER_HEADERS = ("担当課", "ファイル", "提出日時", "状態", "エラー件数", "警告件数", "備考")
SUBMITTED, NEEDS_FIX, UNREADABLE_LABEL, NOT_SUBMITTED = "提出済", "要修正", "読めない", "未提出"
_STATE = {OK: SUBMITTED, INVALID: NEEDS_FIX, UNREADABLE: UNREADABLE_LABEL}
_ORDER = {NOT_SUBMITTED: 0, UNREADABLE_LABEL: 1, NEEDS_FIX: 2, SUBMITTED: 3}
_FILLS = {NOT_SUBMITTED: BAD_FILL, UNREADABLE_LABEL: BAD_FILL, NEEDS_FIX: NEUTRAL_FILL, SUBMITTED: GOOD_FILL}
_WIDTHS = (14, 30, 17, 9, 9, 9, 40)


def _file_time(result: FileResult) -> datetime | None:
    stamp = result.submission.modified if result.submission is not None else None
    if stamp is None:
        try:
            stamp = os.path.getmtime(result.path)
        except OSError:
            return None
    return datetime.fromtimestamp(stamp).replace(microsecond=0)


def tracker_rows(summary: Consolidation, run: ValidationRun | None) -> list[list[object]]:
    """One row per plan department (and per file of an unknown department), missing first."""
    files = list(run.files) if run is not None else []
    by_department: dict[str | None, list[FileResult]] = {}
    for result in files:
        by_department.setdefault(result.department, []).append(result)
    submitted = set(summary.submitted)
    rows: list[list[object]] = []
    for dept in summary.plan.departments:
        results = by_department.pop(dept, [])
        if not results:
            # Records built in memory (no validation run) still show who submitted.
            state = SUBMITTED if dept in submitted else NOT_SUBMITTED
            rows.append([dept, None, None, state, None, None, None])
            continue
        for result in results:
            note = "同じ課の新しいファイルを集約に使用" if result.superseded else None
            rows.append([dept, os.path.basename(result.path), _file_time(result), _STATE[result.status],
                         result.errors, result.warnings, note])
    for dept, results in by_department.items():
        for result in results:
            note = "計画にない課、または課を判定できないファイル"
            rows.append([dept or "（不明）", os.path.basename(result.path), _file_time(result), _STATE[result.status],
                         result.errors, result.warnings, note])
    rows.sort(key=lambda r: _ORDER[r[3]])  # stable: plan order within each state
    return rows


def add_tracker_sheet(book: ReportBook, summary: Consolidation, run: ValidationRun | None) -> ReportSheet:
    """Add 提出状況."""
    sheet = book.add_sheet(TRACKER_SHEET)
    counts = {state: 0 for state in _ORDER}
    rows = tracker_rows(summary, run)
    for row in rows:
        counts[row[3]] += 1
    title_block(sheet, summary, TRACKER_SHEET, note="　".join(f"{state} {n}" for state, n in counts.items()))
    styles = {"提出日時": {"number_format": DATETIME_FORMAT}, "エラー件数": {"alignment": CENTER},
              "警告件数": {"alignment": CENTER}, "状態": {"alignment": CENTER}}
    write_table(sheet, TRACKER_HEADERS, rows, _WIDTHS, column_styles=styles,
                row_styles=lambda _index, row: {"状態": {"fill": _FILLS[row[3]]}})
    return sheet
