"""計画変更一覧: the 改定履歴 rows that apply up to the report year (SPEC, "Plan revisions during the period")."""

from __future__ import annotations

from addin.consolidation.summary import Consolidation
from addin.fiscal import format_fiscal_year
from addin.reports.common import title_block, write_table
from addin.xlsx.styles import CENTER
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["CHANGES_SHEET", "CHANGES_HEADERS", "add_changes_sheet"]

CHANGES_SHEET = "計画変更一覧"
CHANGES_HEADERS = ("改定日", "適用年度", "項目ID", "改革項目", "区分", "変更前", "変更後", "理由", "決定機関")
_WIDTHS = (12, 8, 9, 24, 10, 28, 28, 28, 14)


def _date(value: object) -> object:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


def add_changes_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """One row per revision up to this year; a plan never revised says so in one line."""
    sheet = book.add_sheet(CHANGES_SHEET)
    revisions = summary.plan.revisions_until(summary.year)
    title_block(sheet, summary, CHANGES_SHEET,
                note="計画ワークブックの「改定履歴」のうち、この年度までに適用されたものです。"
                     if revisions else "この年度までに計画の改定はありません。")
    whole = summary.plan.whole
    rows = [[_date(r.date), format_fiscal_year(r.year), r.item_id,
             whole.item(r.item_id).name if r.item_id and whole.item(r.item_id) else None,
             r.kind, r.before, r.after, r.reason, r.decided_by] for r in revisions]
    styles = {name: {"alignment": CENTER} for name in ("適用年度", "区分")}
    write_table(sheet, CHANGES_HEADERS, rows, _WIDTHS, freeze_col=3, column_styles=styles, fit_heights=True)
    return sheet
