"""The consolidated report workbook: its sheets assembled from a :class:`~addin.consolidation.summary.Consolidation`.

Sheets, in order: 取組状況一覧, KPI一覧, 評価集計, 効果額集計, 工程表, 計画変更一覧, 提出状況,
検証結果. Every value is written as a value (no formulas), so the report reads
the same in Excel, in LibreOffice and to :mod:`addin.reports.finance`, which never
recalculates. Also here: the secretariat's overrides read back from a previous
report, and the timestamped backup of that report.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from addin.backup import backup_name, make_backup
from addin.consolidation.summary import Consolidation, Override
from addin.errors import UnreadableWorkbook
from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.reports.changes import add_changes_sheet
from addin.reports.effect_trend import add_trend_sheet
from addin.reports.effects import add_effects_sheet
from addin.reports.grades import add_grades_sheet
from addin.reports.kpi import add_kpi_sheet
from addin.reports.previous import DIGEST_SHEET, digest_rows, read_previous_report
from addin.reports.status import STATUS_HEADERS, add_status_sheet, status_rows
from addin.reports.tracker import add_tracker_sheet
from addin.validation.submission import ValidationRun
from addin.vocab import PROGRESS_ATTENTION
from addin.xlsx.writer import ReportBook, write_book
from addin.vocab import NO, YES

__all__ = ["REPORT_SHEETS", "PLAN_SHEET", "PLAN_HEADERS", "SETTINGS_SHEET", "write_report", "read_overrides", "backup_report", "backup_name",
           "progress_by_item"]

log = logging.getLogger(__name__)

REPORT_SHEETS = ("取組状況一覧", "KPI一覧", "評価集計", "効果額集計", "効果額推移", "工程表", "計画変更一覧", "提出状況", "検証結果")
ISSUES_SHEET = "検証結果"


def progress_by_item(summary: Consolidation) -> dict[str, str]:
    """項目ID → 進捗 for the 工程表: 遅れ if any department is late, and so on."""
    result = {}
    for item in summary.items:
        values = [p for p in item.progress.values() if p]
        if values:
            result[item.item.item_id] = min(values, key=lambda p: PROGRESS_ATTENTION.index(p)
                                            if p in PROGRESS_ATTENTION else len(PROGRESS_ATTENTION))
    return result


def _add_issues_sheet(book: ReportBook, summary: Consolidation, run: ValidationRun | None, base: Path | None) -> None:
    from addin.reports.validation import add_issue_sheet

    year = format_fiscal_year(summary.year)
    issues = (run.issues if run is not None else []) + list(summary.report_issues)
    departments = {f.path: f.department for f in run.files} if run is not None else {}
    lines = [("計画", summary.plan.settings.plan_name), ("年度", year)]
    if run is not None:
        lines += run.summary_lines()
    lines.append(("有効な提出がない課", "、".join(summary.missing) or "なし"))
    add_issue_sheet(book, issues, ISSUES_SHEET, departments, base=base, summary=lines,
                    heading=f"{summary.plan.settings.plan_name}　{format_fiscal_year_long(summary.year)} 検証結果")


def _add_sheets(book: ReportBook, summary: Consolidation, run: ValidationRun | None, base: Path | None) -> None:
    """The sheets, in the order of REPORT_SHEETS."""
    from addin.reports.gantt import add_gantt_sheet

    rows = status_rows(summary)
    add_status_sheet(book, summary, rows)
    add_kpi_sheet(book, summary)
    add_grades_sheet(book, summary)
    add_effects_sheet(book, summary)
    add_trend_sheet(book, summary)
    add_gantt_sheet(book, summary.plan, summary.year, progress_by_item(summary))
    add_changes_sheet(book, summary)
    add_tracker_sheet(book, summary, run, base)
    _add_issues_sheet(book, summary, run, base)
    digest = book.add_sheet(DIGEST_SHEET)
    for index, values in enumerate(digest_rows(STATUS_HEADERS, rows), start=1):
        digest.write_row(index, values)
    digest.ws.very_hidden()
    _add_plan_sheet(book, summary)
    _add_settings_sheet(book, summary.plan.settings)


PLAN_SHEET = "_計画"  # very hidden: the plan texts publish needs (it reads no plan workbook)
PLAN_HEADERS = ("項目ID", "推進内容", "主な取組")


def _add_plan_sheet(book: ReportBook, summary: Consolidation) -> None:
    sheet = book.add_sheet(PLAN_SHEET)
    sheet.write_row(1, PLAN_HEADERS)
    for index, result in enumerate(summary.items, start=2):
        item = result.item
        sheet.write_row(index, [item.item_id, item.content or None, item.actions or None])
    sheet.ws.very_hidden()


SETTINGS_SHEET = "_設定"  # very hidden: the plan settings publish follows (コメントの公表)


def _add_settings_sheet(book: ReportBook, settings) -> None:
    sheet = book.add_sheet(SETTINGS_SHEET)
    sheet.write_row(1, ("項目", "値"))
    rows = (("計画名", settings.plan_name), ("団体名", settings.municipality),
            ("コメントの公表", YES if settings.publish_comments else NO))
    for index, values in enumerate(rows, start=2):
        sheet.write_row(index, values)
    sheet.ws.very_hidden()


def write_report(summary: Consolidation, out: str | os.PathLike, run: ValidationRun | None = None) -> Path:
    """Write the report atomically; a report open in Excel raises OutputError with a Japanese reason."""
    out = Path(out)
    settings = summary.plan.settings
    return write_book(out, lambda book: _add_sheets(book, summary, run, base=out.parent),
                      title=f"{settings.plan_name} {format_fiscal_year(summary.year)} 集約結果",
                      author=settings.municipality)


def read_overrides(path: str | os.PathLike) -> dict[str, Override]:
    """What was typed in the input columns of a previous report, by 項目ID; {} when absent or unreadable."""
    try:
        return read_previous_report(path).overrides
    except UnreadableWorkbook as exc:
        log.warning("previous report not read: %s", exc)
        return {}


def backup_report(path: str | os.PathLike, when: datetime | None = None, keep: int | None = None) -> Path:
    """Copy the previous report beside itself with a timestamp (``集約.20261122-153000.bak.xlsx``), rotated
    to the newest ``keep`` (default :data:`addin.backup.KEEP`)."""
    return make_backup(Path(path), when=when, keep=keep)
