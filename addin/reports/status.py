"""取組状況一覧: one row per reform item, the departments' reports side by side (layout of the yearly 実施状況)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from addin.consolidation.summary import Consolidation, ItemResult
from addin.forms.layout import RESPONSE
from addin.plan.model import Item
from addin.reports.common import grade_colours, title_block, write_table
from addin.vocab import GRADES, NOT_SUBMITTED as _NOT_SUBMITTED, SENT_BACK
from addin.xlsx.styles import CENTER, INPUT_FILL
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["STATUS_SHEET", "STATUS_HEADERS", "OVERRIDE_GRADE", "OVERRIDE_COMMENT", "COMMITTEE_GRADE",
           "COMMITTEE_COMMENT", "INPUT_COLUMNS", "GRADE_INPUTS", "FINAL_GRADE", "status_rows", "add_status_sheet"]

STATUS_SHEET = "取組状況一覧"
OVERRIDE_GRADE = "事務局評価"
OVERRIDE_COMMENT = "事務局コメント"
COMMITTEE_GRADE = "委員会評価"
COMMITTEE_COMMENT = "委員会意見"
FINAL_GRADE = "確定評価"
# The columns the secretariat and the committee type into; carried over by 項目ID on every re-run.
INPUT_COLUMNS = (OVERRIDE_GRADE, OVERRIDE_COMMENT, COMMITTEE_GRADE, COMMITTEE_COMMENT)
GRADE_INPUTS = (OVERRIDE_GRADE, COMMITTEE_GRADE)
STATE = "状態"
STATUS_HEADERS = ("項目ID", "重点項目", "取組", "No.", "改革項目", STATE, "実施担当", "取組状況", "進捗", "自己評価",
                  *INPUT_COLUMNS, FINAL_GRADE, "評価の相違", "今後の課題・方向性", RESPONSE, "確認事項")
_WIDTHS = (9, 16, 16, 5, 22, 6, 11, 50, 12, 15, 8, 26, 8, 26, 8, 16, 40, 30, 30)
NOT_SUBMITTED = f"（{_NOT_SUBMITTED}）"


def _per_department(result: ItemResult, values: dict[str, str | None], separator: str = "\n\n",
                    mark_missing: bool = False, sent_back: frozenset[str] = frozenset()) -> str | None:
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
            parts.append(f"【{dept}】{SENT_BACK if dept in sent_back else NOT_SUBMITTED}")
    return separator.join(parts) or None


def _status(result: ItemResult, sent_back: frozenset[str]) -> str | None:
    """Each department's 取組状況; a department whose file was sent back is 要修正（差戻し中）, never 未提出."""
    departments = result.item.departments
    if not result.submitted and not sent_back.intersection(departments):
        return NOT_SUBMITTED
    if len(departments) == 1 and not result.submitted:
        return SENT_BACK
    return _per_department(result, result.status, mark_missing=True, sent_back=sent_back)


def repeat_mark(source: Item) -> str:
    """「（No.3再掲）」: how a repeated item points at the item it repeats (seed 003)."""
    return f"（No.{source.number or source.item_id}再掲）"


def _repeat_row(item: Item, result: ItemResult, sent_back: frozenset[str]) -> list[object]:
    """A 再掲 item in its own place: its 再掲元's record, no input cells, never counted."""
    source = result.item
    mark = repeat_mark(source)
    status = _status(result, sent_back)
    return [item.item_id, item.pillar, item.area, item.number, f"{item.name}{mark}", item.state,
            "\n".join(source.in_charge), f"{status}{mark}" if status else mark, None, None,
            None, None, None, None, result.grade, None, _per_department(result, result.next_steps, "\n"), None,
            f"再掲：No.{source.number}（{source.item_id}）で報告されたものです。件数・合計には含めていません。"]


def _row(result: ItemResult, sent_back: frozenset[str]) -> list[object]:
    item = result.item
    override = result.override
    typed = dict(override.typed)
    grades = "\n".join(f"【{d}】{g or '－'}" for d, g in result.grades.items()) or None
    progress_values = set(result.progress.values())
    progress = (next(iter(progress_values)) if len(progress_values) == 1
                else "\n".join(f"【{d}】{p or '－'}" for d, p in result.progress.items()) or None)
    return [item.item_id, item.pillar, item.area, item.number, item.name, item.state, "\n".join(item.in_charge),
            _status(result, sent_back), progress, grades,
            override.grade or typed.get(OVERRIDE_GRADE), override.comment,
            override.committee_grade or typed.get(COMMITTEE_GRADE), override.committee_comment,
            result.grade, result.grade_difference,
            _per_department(result, result.next_steps, "\n"), _per_department(result, result.responses, "\n"),
            "\n".join(result.hints) or None]


def status_rows(summary: Consolidation) -> list[list[object]]:
    """The rows of 取組状況一覧, in plan order, as written (and digested beside the report); repeats in their place."""
    sent_back = frozenset(summary.rejected_departments)
    return [_repeat_row(item, r, sent_back) if item.is_repeat else _row(r, sent_back) for item, r in summary.listed()]


def add_status_sheet(book: ReportBook, summary: Consolidation, rows: list[list[object]] | None = None) -> ReportSheet:
    """Add 取組状況一覧 with input cells for 事務局評価・コメント and 委員会評価・意見."""
    sheet = book.add_sheet(STATUS_SHEET)
    title_block(sheet, summary, STATUS_SHEET,
                note="黄色のセル（事務局評価・事務局コメント・委員会評価・委員会意見）に入力します。確定評価は委員会評価、"
                     "なければ事務局評価、なければ自己評価（複数課は最も低いもの）で、すべての集計に使われます。"
                     "入力した内容は次に集約したときも項目IDで引き継がれます。")
    styles = {name: {"alignment": CENTER} for name in ("No.", STATE, "進捗", FINAL_GRADE)}
    for name in INPUT_COLUMNS:
        styles[name] = {"fill": INPUT_FILL, **({"alignment": CENTER} if name in GRADE_INPUTS else {})}
    first, last = write_table(sheet, STATUS_HEADERS, rows if rows is not None else status_rows(summary), _WIDTHS,
                              freeze_col=5, column_styles=styles, fit_heights=True)
    col = {name: i for i, name in enumerate(STATUS_HEADERS, start=1)}
    for name in GRADE_INPUTS:
        letter = get_column_letter(col[name])
        sheet.choices(f"{letter}{first}:{letter}{last}", GRADES, title=name,
                      message="A、B、C、- のいずれかを選んでください。")
    for name in (*GRADE_INPUTS, FINAL_GRADE):
        letter = get_column_letter(col[name])
        grade_colours(sheet, f"{letter}{first}:{letter}{last}")
    return sheet
