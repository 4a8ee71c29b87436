"""取組状況一覧: one row per reform item, the departments' reports side by side (layout of the yearly 実施状況)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from addin.consolidation.summary import GRADE_KEYS, Consolidation, ItemResult
from addin.reports.common import grade_colours, title_block, write_table
from addin.xlsx.styles import CENTER, INPUT_FILL
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["STATUS_SHEET", "STATUS_HEADERS", "OVERRIDE_GRADE", "OVERRIDE_COMMENT", "add_status_sheet"]

STATUS_SHEET = "取組状況一覧"
OVERRIDE_GRADE = "事務局評価"
OVERRIDE_COMMENT = "事務局コメント"
STATUS_HEADERS = ("項目ID", "重点項目", "取組", "No.", "改革項目", "実施担当", "取組状況", "進捗", "自己評価", "評価",
                  OVERRIDE_GRADE, OVERRIDE_COMMENT, "今後の課題・方向性", "確認事項")
_WIDTHS = (9, 16, 16, 5, 22, 11, 50, 12, 15, 6, 8, 26, 40, 30)
NOT_SUBMITTED = "（未提出）"


def _per_department(result: ItemResult, values: dict[str, str | None], separator: str = "\n\n",
                    mark_missing: bool = False) -> str | None:
    """Each department's text prefixed 【課名】; an item of one department shows the text alone."""
    departments = result.item.departments
    if len(departments) == 1:
        return values.get(departments[0])
    texts = {v for v in values.values() if v}
    if not mark_missing and len(texts) == 1 and len(values) > 1:
        return texts.pop()  # the same next steps from every department: shown once
    parts = []
    for dept in departments:
        if values.get(dept):
            parts.append(f"【{dept}】{values[dept]}")
        elif mark_missing and dept not in values:
            parts.append(f"【{dept}】{NOT_SUBMITTED}")
    return separator.join(parts) or None


def _row(result: ItemResult) -> list[object]:
    item = result.item
    status = _per_department(result, result.status, mark_missing=True) if result.submitted else NOT_SUBMITTED
    grades = "\n".join(f"【{d}】{g or '－'}" for d, g in result.grades.items()) or None
    progress_values = set(result.progress.values())
    progress = (next(iter(progress_values)) if len(progress_values) == 1
                else "\n".join(f"【{d}】{p or '－'}" for d, p in result.progress.items()) or None)
    return [item.item_id, item.pillar, item.area, item.number, item.name, "\n".join(item.in_charge), status,
            progress, grades, result.grade, result.override.grade, result.override.comment,
            _per_department(result, result.next_steps, "\n"), "\n".join(result.hints) or None]


def add_status_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add 取組状況一覧 with input cells for 事務局評価 (A/B/C/-) and 事務局コメント."""
    sheet = book.add_sheet(STATUS_SHEET)
    title_block(sheet, summary, STATUS_SHEET,
                note="「事務局評価」「事務局コメント」は事務局が入力します（黄色のセル）。事務局評価を入れた項目は、"
                     "その評価がすべての集計に使われ、次に集約したときも引き継がれます。")
    styles = {name: {"alignment": CENTER} for name in ("No.", "進捗", "評価")}
    styles[OVERRIDE_GRADE] = {"alignment": CENTER, "fill": INPUT_FILL}
    styles[OVERRIDE_COMMENT] = {"fill": INPUT_FILL}
    first, last = write_table(sheet, STATUS_HEADERS, [_row(r) for r in summary.items], _WIDTHS, freeze_col=5,
                              column_styles=styles, fit_heights=True)
    col = {name: i for i, name in enumerate(STATUS_HEADERS, start=1)}
    grade_letter = get_column_letter(col[OVERRIDE_GRADE])
    sheet.choices(f"{grade_letter}{first}:{grade_letter}{last}", GRADE_KEYS, title="事務局評価",
                  message="A、B、C、- のいずれかを選んでください。")
    for name in ("評価", OVERRIDE_GRADE):
        letter = get_column_letter(col[name])
        grade_colours(sheet, f"{letter}{first}:{letter}{last}")
    return sheet
