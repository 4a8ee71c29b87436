"""効果額集計: the financial effect per item, a 小計 per 重点項目 and the 総計, in 千円."""

from __future__ import annotations

from addin.consolidation.summary import Consolidation, ItemResult
from addin.reports.common import title_block, write_table
from addin.xlsx.styles import AMOUNT_FORMAT, BOLD_FONT, SUBTOTAL_FILL, TOTAL_FILL
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["EFFECTS_SHEET", "EFFECTS_HEADERS", "EFFECT_COLUMN", "add_effects_sheet"]

EFFECTS_SHEET = "効果額集計"
EFFECT_COLUMN = "効果額（千円）"
EFFECTS_HEADERS = ("区分", "項目ID", "重点項目", "取組", "改革項目", "実施担当", "内訳（千円）", EFFECT_COLUMN)
ITEM, SUBTOTAL, TOTAL = "項目", "小計", "総計"
_WIDTHS = (7, 9, 28, 26, 32, 12, 22, 14)


def _breakdown(result: ItemResult) -> str | None:
    known = {d: v for d, v in result.effects.items() if v is not None}
    if len(known) < 2:
        return None
    return "\n".join(f"【{d}】{v:,.0f}" for d, v in known.items())


def _sum(values) -> float | int | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    total = round(float(sum(known)), 6)
    return int(total) if total.is_integer() else total


def _total_rows(_index: int, values) -> dict[str, dict] | None:
    """小計 and 総計 rows bold on a blue fill."""
    if values[0] == ITEM:
        return None
    return {"*": {"font": BOLD_FONT, "fill": TOTAL_FILL if values[0] == TOTAL else SUBTOTAL_FILL}}


def add_effects_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add 効果額集計; an item nobody reported an amount for is left empty, not 0."""
    sheet = book.add_sheet(EFFECTS_SHEET)
    title_block(sheet, summary, EFFECTS_SHEET, note="単位: 千円。効果額は実施担当の各課が報告した額の合計です（空欄は報告なし）。")
    rows: list[list[object]] = []
    pillars: dict[str, list[ItemResult]] = {}
    for result in summary.items:
        pillars.setdefault(result.item.pillar, []).append(result)
    for pillar, items in pillars.items():
        for result in items:
            item = result.item
            rows.append([ITEM, item.item_id, item.pillar, item.area, item.name, "\n".join(item.departments),
                         _breakdown(result), result.effect])
        rows.append([SUBTOTAL, None, pillar, None, f"{pillar} 小計", None, None, _sum(r.effect for r in items) or 0])
    rows.append([TOTAL, None, None, None, TOTAL, None, None, summary.effect_total])
    write_table(sheet, EFFECTS_HEADERS, rows, _WIDTHS, freeze_col=2,
                column_styles={EFFECT_COLUMN: {"number_format": AMOUNT_FORMAT}}, row_styles=_total_rows, fit_heights=True)
    return sheet
