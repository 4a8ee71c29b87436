"""Last year on this year's form: the record a history holds of the previous plan year, and its columns.

Matched by (項目ID, department). A department that took over an item sees the previous
department's text marked 【前担当：○○課】; an item that was not in last year's report is
（新規項目）. The final grade and the comments (事務局コメント, 委員会意見) belong to the item.
The record is loaded from the history by :func:`addin.consolidation.carryover.load_carryover`;
this module only knows its shape and where it goes on the form (grey, locked; validation reads
back only 前年度取組状況, to flag a copied text, and 前年度コメント, which makes 前年度指摘への対応 required).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from addin.fiscal import format_fiscal_year
from addin.forms import layout as T
from addin.forms.cells import fixed, input_cell
from addin.plan.model import Item, Kpi

__all__ = ["NEW_ITEM", "PreviousRow", "CarryOver", "WIDTHS", "input_headers", "write_input_row", "kpi_headers",
           "write_kpi_row"]

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


# ------------------------------------------------------------------ on the form

WIDTHS = {T.PREV_STATUS: 40, T.PREV_GRADE: 9, T.PREV_COMMENT: 30, T.PREV_NEXT_STEPS: 30, T.PREV_EFFECT: 12,
          T.RESPONSE: 36}
_CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
_RIGHT_TOP = Alignment(horizontal="right", vertical="top")


def input_headers(carry: CarryOver | None) -> tuple[str, ...]:
    """The columns last year adds to 入力 (none without a history)."""
    return (*T.PREVIOUS_COLUMNS, T.RESPONSE) if carry else ()


def write_input_row(ws: Worksheet, cols: dict[str, str], row: int, item: Item, department: str,
                    carry: CarryOver) -> None:
    """Last year's record of this row, grey; 前年度指摘への対応 yellow where last year had a comment."""
    prev = carry.row(item.item_id, department, item.departments)
    fixed(ws[f"{cols[T.PREV_STATUS]}{row}"], prev.status)
    fixed(ws[f"{cols[T.PREV_GRADE]}{row}"], prev.grade, align=_CENTER_TOP)
    fixed(ws[f"{cols[T.PREV_COMMENT]}{row}"], prev.comment)
    fixed(ws[f"{cols[T.PREV_NEXT_STEPS]}{row}"], prev.next_steps)
    fixed(ws[f"{cols[T.PREV_EFFECT]}{row}"], prev.effect, "#,##0", _RIGHT_TOP)
    response = ws[f"{cols[T.RESPONSE]}{row}"]
    if prev.comment:
        input_cell(response)
    else:
        fixed(response, None)


def kpi_headers(carry: CarryOver | None) -> tuple[str, ...]:
    """``R8実績``… : one grey column per earlier plan year with an actual (none without a history)."""
    return tuple(T.kpi_actual_header(format_fiscal_year(y)) for y in carry.kpi_years()) if carry else ()


def write_kpi_row(ws: Worksheet, cols: dict[str, str], row: int, kpi: Kpi, carry: CarryOver,
                  number_format: str) -> None:
    """Every earlier year's actual of the KPI (under its 旧指標名 too), grey."""
    years = kpi.stored_actuals(carry.kpi_actuals)
    for year in carry.kpi_years():
        fixed(ws[f"{cols[T.kpi_actual_header(format_fiscal_year(year))]}{row}"], years.get(year), number_format,
              _RIGHT_TOP)
