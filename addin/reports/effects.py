"""効果額集計: the financial effect per item with its 内訳 by department and its 区分 (歳出削減 / 歳入確保),
a 小計 per 重点項目 and the 総計, in 千円; below it, the same amounts by department."""

from __future__ import annotations

from addin.consolidation.effects import sum_known
from addin.consolidation.summary import Consolidation, ItemResult
from addin.reports.common import header_cells, title_block, write_table
from addin.xlsx.styles import AMOUNT_FORMAT, BODY_FONT, BOLD_FONT, SUBTOTAL_FILL, THIN_BORDER, TOTAL_FILL
from addin.xlsx.writer import ReportBook, ReportSheet
from addin.vocab import EFFECT_REDUCTION, EFFECT_REVENUE

__all__ = ["EFFECTS_SHEET", "EFFECTS_HEADERS", "EFFECT_COLUMN", "DEPARTMENT_HEADERS", "ITEM", "SUBTOTAL", "TOTAL", "total_rows",
           "add_effects_sheet"]

EFFECTS_SHEET = "効果額集計"
EFFECT_COLUMN = "効果額（千円）"
REDUCTION_COLUMN, REVENUE_COLUMN = f"{EFFECT_REDUCTION}（千円）", f"{EFFECT_REVENUE}（千円）"
EFFECTS_HEADERS = ("区分", "項目ID", "重点項目", "取組", "改革項目", "実施担当", "内訳（千円）", REDUCTION_COLUMN,
                   REVENUE_COLUMN, EFFECT_COLUMN)
DEPARTMENT_HEADERS = ("課", REDUCTION_COLUMN, REVENUE_COLUMN, "区分なし（千円）", EFFECT_COLUMN, "報告した項目数")
ITEM, SUBTOTAL, TOTAL = "項目", "小計", "総計"
_WIDTHS = (7, 9, 24, 22, 30, 12, 20, 12, 12, 13)


def _breakdown(result: ItemResult) -> str | None:
    """Every department's part, one line each (also when only one department reported)."""
    known = {d: v for d, v in result.effects.items() if v is not None}
    return "\n".join(f"【{d}】{v:,.0f}" for d, v in known.items()) or None


def total_rows(_index: int, values) -> dict[str, dict] | None:
    """小計 and 総計 rows bold on a blue fill."""
    if values[0] == ITEM:
        return None
    return {"*": {"font": BOLD_FONT, "fill": TOTAL_FILL if values[0] == TOTAL else SUBTOTAL_FILL}}


def _amounts(results: list[ItemResult]) -> list[object]:
    """歳出削減, 歳入確保 and the whole 効果額 of some items."""
    trends = [r.trend for r in results if r.trend]
    return [sum_known(t.reduction for t in trends), sum_known(t.revenue for t in trends), sum_known(r.effect for r in results)]


def department_rows(summary: Consolidation) -> list[list[object]]:
    """Per department that reported an amount: 歳出削減, 歳入確保, 区分なし, the sum and how many items; then 総計."""
    parts: dict[str, list] = {}
    for result in summary.items:
        for part in result.parts:
            if part.amount is not None:
                parts.setdefault(part.department, []).append(part)
    rows = []
    for department in summary.plan.departments:
        mine = parts.get(department)
        if mine:
            rows.append([department, sum_known(p.amount for p in mine if p.kind == EFFECT_REDUCTION),
                         sum_known(p.amount for p in mine if p.kind == EFFECT_REVENUE),
                         sum_known(p.amount for p in mine if p.kind not in (EFFECT_REDUCTION, EFFECT_REVENUE)),
                         sum_known(p.amount for p in mine), len(mine)])
    if rows:
        rows.append([TOTAL, *(sum_known(r[c] for r in rows) for c in range(1, 5)), sum(r[5] for r in rows)])
    return rows


def _department_table(sheet: ReportSheet, first_row: int, rows: list[list[object]]) -> None:
    """The table by department, under the item table (a heading, its header, its rows)."""
    book = sheet.book
    sheet.write(first_row, 1, "課別の効果額", book.style(font=BOLD_FONT))
    header_cells(sheet, first_row + 1, DEPARTMENT_HEADERS)
    sheet.height(first_row + 1, 30)  # the item table's columns are narrow here: headers take two lines
    body = book.style(font=BODY_FONT, border=THIN_BORDER, number_format=AMOUNT_FORMAT)
    total = book.style(font=BOLD_FONT, border=THIN_BORDER, fill=TOTAL_FILL, number_format=AMOUNT_FORMAT)
    for offset, values in enumerate(rows, start=first_row + 2):
        sheet.write_row(offset, values, total if values[0] == TOTAL else body)


def add_effects_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add 効果額集計; an item nobody reported an amount for is left empty, not 0."""
    sheet = book.add_sheet(EFFECTS_SHEET)
    title_block(sheet, summary, EFFECTS_SHEET,
                note="単位: 千円。効果額は実施担当の各課が報告した額の合計です（空欄は報告なし）。"
                     "区分のない額（区分の列がない様式で報告されたもの）は効果額にだけ含めています。")
    rows: list[list[object]] = []
    pillars: dict[str, list[ItemResult]] = {}
    for result in summary.items:
        pillars.setdefault(result.item.pillar, []).append(result)
    for pillar, items in pillars.items():
        for result in items:
            item = result.item
            rows.append([ITEM, item.item_id, item.pillar, item.area, item.name, "\n".join(item.departments),
                         _breakdown(result), *_amounts([result])])
        reduction, revenue, effect = _amounts(items)
        rows.append([SUBTOTAL, None, pillar, None, f"{pillar} 小計", None, None, reduction, revenue, effect or 0])
    reduction, revenue, _effect = _amounts(summary.items)
    rows.append([TOTAL, None, None, None, TOTAL, None, None, reduction, revenue, summary.effect_total])
    amounts = {"number_format": AMOUNT_FORMAT}
    _first, last = write_table(sheet, EFFECTS_HEADERS, rows, _WIDTHS, freeze_col=2,
                               column_styles={name: amounts for name in (REDUCTION_COLUMN, REVENUE_COLUMN, EFFECT_COLUMN)},
                               row_styles=total_rows, fit_heights=True)
    _department_table(sheet, last + 3, department_rows(summary))
    return sheet
